import Foundation

/// Fixes what Cairo 1.16 cannot write, by an incremental update appended to its output: the
/// document language (`/Lang` in the catalog), a complete `CreationDate`/`ModDate` with time
/// zone, `DisplayDocTitle` so viewers show the title rather than the file name, and an XMP
/// metadata stream (`XMPPacket`: title, language, dates, producer, and the conformance claims
/// asked for) referenced as the catalog's `/Metadata`.
///
/// Cairo writes a classic cross-reference table and plain dictionaries for the catalog and the
/// document information, so the update copies those two objects, amends them, and appends a new
/// xref section and trailer (`/Prev` pointing at Cairo's). `qpdf --check` stays clean.
public enum PDFPostProcessor {
    public static func finish(
        _ pdf: Data,
        language: String,
        metadata: Metadata,
        figureAlts: [String] = [],
        claims: XMPPacket.Claims = []
    ) throws -> Data {
        let bytes = [UInt8](pdf)
        guard let startxrefPos = lastIndex(of: "startxref", in: bytes) else {
            throw TypesettingError.pdf("no startxref in Cairo's output")
        }
        let afterStart = String(decoding: bytes[(startxrefPos + 9)...].prefix(40), as: UTF8.self)
        guard
            let xrefOffset = Int(
                afterStart.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == " " }).first ?? ""
            )
        else {
            throw TypesettingError.pdf("cannot read startxref")
        }
        guard let trailerPos = lastIndex(of: "trailer", in: bytes) else {
            throw TypesettingError.pdf("no trailer in Cairo's output")
        }
        let trailer = String(decoding: bytes[trailerPos..<startxrefPos], as: UTF8.self)
        guard let root = reference(named: "Root", in: trailer), let size = integer(named: "Size", in: trailer) else {
            throw TypesettingError.pdf("trailer has no /Root or /Size")
        }
        let info = reference(named: "Info", in: trailer)
        let offsets = try xrefOffsets(bytes, at: xrefOffset)

        let catalog = try objectBody(bytes, number: root, offsets: offsets)
        var newCatalog = removeKey("Lang", from: catalog)
        newCatalog = removeKey("ViewerPreferences", from: newCatalog)
        newCatalog = removeKey("Metadata", from: newCatalog)
        let infoNumber = info ?? size
        let metadataNumber = max(size, infoNumber + 1)
        newCatalog = insert(
            "/Lang \(pdfString(language))\n   /ViewerPreferences << /DisplayDocTitle true >>\n   /Metadata \(metadataNumber) 0 R",
            into: newCatalog
        )

        let creation = metadata.creationDate ?? Date()
        let date = pdfDate(creation)
        var infoBody = "<< /Producer (CareDocs with cairo) >>"
        if let info { infoBody = try objectBody(bytes, number: info, offsets: offsets) }
        infoBody = removeKey("CreationDate", from: infoBody)
        infoBody = removeKey("ModDate", from: infoBody)
        infoBody = insert("/CreationDate \(pdfString(date))\n   /ModDate \(pdfString(date))", into: infoBody)
        // The XMP packet repeats the document information (PDF/A requires the two to agree):
        // the producer as Cairo wrote it, the rest from the document's metadata as Cairo got it.
        let packet = XMPPacket(
            title: metadata.title.map(PDFRenderer.metadataText),
            language: language,
            author: metadata.author.map(PDFRenderer.metadataText),
            subject: metadata.subject.map(PDFRenderer.metadataText),
            keywords: metadata.keywords.isEmpty
                ? [] : [PDFRenderer.metadataText(metadata.keywords.joined(separator: ", "))],
            creatorTool: metadata.creator.map(PDFRenderer.metadataText),
            producer: literalString(named: "Producer", in: infoBody),
            date: creation,
            claims: claims
        )
        let xmp = Array(packet.xml.utf8)

        var out = pdf
        if out.last != 0x0A { out.append(0x0A) }
        var entries: [(Int, Int)] = []
        // Figure structure elements get their alternative text (Cairo 1.16 has no attribute for
        // it); Cairo numbers them in the order their tags were opened.
        if !figureAlts.isEmpty {
            var figures: [(Int, String)] = []
            for number in offsets.keys.sorted() {
                guard let off = offsets[number], off + 16 < bytes.count else { continue }
                let head = String(decoding: bytes[off..<min(bytes.count, off + 120)], as: UTF8.self)
                guard head.contains("/Type /StructElem"), head.contains("/S /Figure") else { continue }
                figures.append((number, try objectBody(bytes, number: number, offsets: offsets)))
            }
            for ((number, body), alt) in zip(figures, figureAlts) where !alt.isEmpty {
                let amended = insert("/Alt \(pdfString(alt))", into: removeKey("Alt", from: body))
                entries.append((number, out.count))
                out.append(contentsOf: Array("\(number) 0 obj\n\(amended)\nendobj\n".utf8))
            }
        }
        entries.append((root, out.count))
        out.append(contentsOf: Array("\(root) 0 obj\n\(newCatalog)\nendobj\n".utf8))
        entries.append((infoNumber, out.count))
        out.append(contentsOf: Array("\(infoNumber) 0 obj\n\(infoBody)\nendobj\n".utf8))
        // Uncompressed, so the packet can be found by scanning the file (PDF/A recommends it).
        entries.append((metadataNumber, out.count))
        out.append(
            contentsOf: Array(
                "\(metadataNumber) 0 obj\n<< /Type /Metadata /Subtype /XML /Length \(xmp.count) >>\nstream\n".utf8
            )
        )
        out.append(contentsOf: xmp)
        out.append(contentsOf: Array("\nendstream\nendobj\n".utf8))
        let newXref = out.count
        var xref = "xref\n"
        for (num, off) in entries.sorted(by: { $0.0 < $1.0 }) {
            xref += "\(num) 1\n" + String(format: "%010d 00000 n \n", off)
        }
        let newSize = metadataNumber + 1
        // The file identifier (PDF/A wants /ID in the last trailer): Cairo's if it wrote one
        // (1.16 does not), else one made from the bytes Cairo wrote.
        let id = "\n   /ID " + (idArray(in: trailer) ?? fileIdentifier(bytes))
        xref +=
            "trailer\n<< /Size \(newSize)\n   /Root \(root) 0 R\n   /Info \(infoNumber) 0 R\(id)\n   /Prev \(xrefOffset)\n>>\nstartxref\n\(newXref)\n%%EOF\n"
        out.append(contentsOf: Array(xref.utf8))
        return out
    }

    // MARK: Reading Cairo's output

    static func lastIndex(of needle: String, in bytes: [UInt8]) -> Int? {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return nil }
        var i = bytes.count - n.count
        while i >= 0 {
            if bytes[i] == n[0] && Array(bytes[i..<i + n.count]) == n { return i }
            i -= 1
        }
        return nil
    }

    static func reference(named key: String, in dict: String) -> Int? {
        guard let r = dict.range(of: "/\(key) ") else { return nil }
        let rest = dict[r.upperBound...].trimmingCharacters(in: .whitespaces)
        return Int(rest.prefix { $0.isNumber })
    }

    static func integer(named key: String, in dict: String) -> Int? { reference(named: key, in: dict) }

    /// `[<h> <h>]` with a 128-bit digest of the file (two FNV-1a 64 hashes with different
    /// offsets): an identifier, not a security measure; the same bytes give the same ID.
    static func fileIdentifier(_ bytes: [UInt8]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(format: "%016llX%016llX", a, b)
        return "[<\(hex)> <\(hex)>]"
    }

    /// The trailer's `/ID [<…> <…>]`, as written.
    static func idArray(in trailer: String) -> String? {
        guard let r = trailer.range(of: "/ID"),
            let open = trailer[r.upperBound...].firstIndex(of: "["),
            let close = trailer[open...].firstIndex(of: "]")
        else { return nil }
        return String(trailer[open...close])
    }

    /// The value of a literal-string entry `/Key (…)` (escapes resolved; PDFDocEncoding read as
    /// Latin-1, which agrees for the ASCII Cairo writes), or of a UTF-16BE hex string `<FEFF…>`.
    static func literalString(named key: String, in dict: String) -> String? {
        guard let r = dict.range(of: "/\(key)") else { return nil }
        var rest = dict[r.upperBound...].drop { $0 == " " || $0 == "\n" || $0 == "\r" }
        if rest.first == "<" {
            let hex = rest.dropFirst().prefix { $0 != ">" }.filter { !$0.isWhitespace }
            var bytes: [UInt8] = []
            var i = hex.startIndex
            while i < hex.endIndex, hex.index(after: i) < hex.endIndex {
                guard let b = UInt8(hex[i...hex.index(after: i)], radix: 16) else { return nil }
                bytes.append(b)
                i = hex.index(i, offsetBy: 2)
            }
            guard bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF else { return nil }
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map {
                UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        }
        guard rest.first == "(" else { return nil }
        rest = rest.dropFirst()
        var out = ""
        var depth = 1
        var escaped = false
        for c in rest {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                default: out.append(c)
                }
                escaped = false
                continue
            }
            if c == "\\" {
                escaped = true
                continue
            }
            if c == "(" { depth += 1 }
            if c == ")" {
                depth -= 1
                if depth == 0 { return out }
            }
            out.append(c)
        }
        return nil
    }

    /// Object offsets from a classic xref table (Cairo writes one section).
    static func xrefOffsets(_ bytes: [UInt8], at offset: Int) throws -> [Int: Int] {
        guard offset >= 0, offset + 4 <= bytes.count,
            String(decoding: bytes[offset..<offset + 4], as: UTF8.self) == "xref"
        else {
            throw TypesettingError.pdf("startxref does not point at an xref table")
        }
        let end = lastIndex(of: "trailer", in: bytes) ?? bytes.count
        let table = String(decoding: bytes[offset..<end], as: UTF8.self)
        var lines = table.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        lines.removeFirst()  // "xref"
        var result: [Int: Int] = [:]
        var i = 0
        while i < lines.count {
            let head = lines[i].split(separator: " ")
            guard head.count == 2, let first = Int(head[0]), let count = Int(head[1]) else { break }
            for k in 0..<count where i + 1 + k < lines.count {
                let e = lines[i + 1 + k].split(separator: " ")
                if e.count >= 3, e[2].hasPrefix("n"), let off = Int(e[0]) { result[first + k] = off }
            }
            i += 1 + count
        }
        return result
    }

    /// The dictionary of a plain (non-stream) object.
    static func objectBody(_ bytes: [UInt8], number: Int, offsets: [Int: Int]) throws -> String {
        guard let off = offsets[number], off < bytes.count else {
            throw TypesettingError.pdf("object \(number) is not in the xref table")
        }
        let slice = bytes[off..<min(bytes.count, off + 65_536)]
        let text = String(decoding: slice, as: UTF8.self)
        guard let objRange = text.range(of: "obj"), let endRange = text.range(of: "endobj") else {
            throw TypesettingError.pdf("object \(number) is malformed")
        }
        return text[objRange.upperBound..<endRange.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes `/Key value` from a dictionary whose values are simple (names, strings, refs,
    /// numbers, one-level dictionaries).
    static func removeKey(_ key: String, from dict: String) -> String {
        guard let r = dict.range(of: "/\(key)") else { return dict }
        var i = r.upperBound
        let chars = dict
        // Skip whitespace.
        while i < chars.endIndex, chars[i] == " " || chars[i] == "\n" || chars[i] == "\r" { i = chars.index(after: i) }
        guard i < chars.endIndex else { return dict }
        var end = i
        switch chars[i] {
        case "(":
            var depth = 0
            var escaped = false
            while end < chars.endIndex {
                let c = chars[end]
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "(" {
                    depth += 1
                } else if c == ")" {
                    depth -= 1
                    if depth == 0 {
                        end = chars.index(after: end)
                        break
                    }
                }
                end = chars.index(after: end)
            }
        case "<":
            if chars[chars.index(after: i)] == "<" {
                var depth = 0
                while end < chars.endIndex {
                    if chars[end...].hasPrefix("<<") {
                        depth += 1
                        end = chars.index(end, offsetBy: 2)
                        continue
                    }
                    if chars[end...].hasPrefix(">>") {
                        depth -= 1
                        end = chars.index(end, offsetBy: 2)
                        if depth == 0 { break }
                        continue
                    }
                    end = chars.index(after: end)
                }
            } else {
                end = chars[i...].firstIndex(of: ">").map { chars.index(after: $0) } ?? chars.endIndex
            }
        default:
            // Up to the next key or the end of the dictionary.
            end = chars.index(after: i)
            while end < chars.endIndex, chars[end] != "/", !chars[end...].hasPrefix(">>") {
                end = chars.index(after: end)
            }
        }
        return String(dict[..<r.lowerBound] + dict[end...])
    }

    /// Inserts entries before the closing `>>` of a dictionary.
    static func insert(_ entries: String, into dict: String) -> String {
        guard let close = dict.range(of: ">>", options: .backwards) else { return "<< \(entries) >>" }
        return String(dict[..<close.lowerBound]) + "   " + entries + "\n" + String(dict[close.lowerBound...])
    }

    static func pdfString(_ s: String) -> String {
        if s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return "("
                + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)") + ")"
        }
        var hex = "<FEFF"
        for u in s.utf16 { hex += String(format: "%04X", u) }
        return hex + ">"
    }

    /// `D:YYYYMMDDHHmmSS+HH'mm'` in UTC offset of America/New_York (the program's home).
    static func pdfDate(_ date: Date) -> String {
        let tz = TimeZone(identifier: "America/New_York") ?? .current
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = tz.secondsFromGMT(for: date)
        let sign = offset >= 0 ? "+" : "-"
        let h = abs(offset) / 3600
        let m = (abs(offset) % 3600) / 60
        return String(format: "D:%04d%02d%02d%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            + sign + String(format: "%02d'%02d'", h, m)
    }
}
