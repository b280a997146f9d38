/// A minimal XML tree for the document markup: elements, attributes and text.
///
/// The markup is produced by our own templates, so it needs only the core of XML 1.0: elements,
/// attributes in single or double quotes, character data with the five predefined entities and
/// numeric references, comments, CDATA sections, an XML declaration. Foundation's XMLDocument
/// did this before; on Linux it leaked about 24 KB per document (a letter run of 10,000 grew by
/// 240 MB) and ran libxml2 in recover mode. This reader is strict: any malformed input is an
/// error with its line.
class MarkupNode {
    enum Kind { case element, text }
    let kind: Kind
    /// The text of a text node.
    let stringValue: String?

    init(kind: Kind, text: String?) {
        self.kind = kind
        self.stringValue = text
    }
}

final class MarkupElement: MarkupNode {
    let name: String?
    var attributes: [(String, String)]
    var children: [MarkupNode]? { childNodes }
    var childNodes: [MarkupNode] = []

    init(name: String, attributes: [(String, String)]) {
        self.name = name
        self.attributes = attributes
        super.init(kind: .element, text: nil)
    }

    var elementChildren: [MarkupElement] { childNodes.compactMap { $0 as? MarkupElement } }
    func attr(_ name: String) -> String? { attributes.first { $0.0 == name }?.1 }
    func double(_ name: String) -> Double? { attr(name).flatMap { Double($0) } }
    func int(_ name: String) -> Int? { attr(name).flatMap { Int($0) } }
    func bool(_ name: String) -> Bool? { attr(name).map { $0 == "true" || $0 == "yes" || $0 == "1" } }
}

/// Reads markup into a `MarkupElement` tree (the root element).
struct MarkupReader {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1

    init(utf8: [UInt8]) { bytes = utf8 }

    static func parse(utf8: [UInt8]) throws -> MarkupElement {
        var r = MarkupReader(utf8: utf8)
        return try r.document()
    }

    private func error(_ what: String) -> MarkupError {
        MarkupError("the template produced markup that is not well-formed XML: \(what) at line \(line)")
    }

    /// Whether the bytes at the reading position are `s` (no allocation: this runs for every
    /// byte of text).
    private func peek(_ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let start = s.utf8Start
        for k in 0..<count where bytes[i + k] != start[k] { return false }
        return true
    }

    private mutating func advance(_ n: Int = 1) {
        for k in 0..<n where i + k < bytes.count && bytes[i + k] == 0x0A { line += 1 }
        i += n
    }

    private mutating func skip(until end: StaticString) throws {
        while i < bytes.count && !peek(end) { advance() }
        guard i < bytes.count else { throw error("'\(end)' missing") }
        advance(end.utf8CodeUnitCount)
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            advance()
        }
    }

    /// Prolog, one root element, then only comments and white space.
    mutating func document() throws -> MarkupElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        var root: MarkupElement?
        while i < bytes.count {
            skipSpace()
            if i >= bytes.count { break }
            if peek("<?") {
                try skip(until: "?>")
            } else if peek("<!--") {
                try skip(until: "-->")
            } else if peek("<!DOCTYPE") {
                try skip(until: ">")
            } else if peek("<") {
                guard root == nil else { throw error("a second root element") }
                root = try element()
            } else {
                throw error("text outside the root element")
            }
        }
        guard let root else { throw error("no root element") }
        return root
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
            || b == 0x2E || b == 0x3A || b >= 0x80
    }

    private mutating func name() throws -> String {
        let start = i
        while i < bytes.count && Self.isNameByte(bytes[i]) { i += 1 }
        guard i > start else { throw error("a name expected") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// At `<name`: the element and everything inside it, through its end tag.
    private mutating func element() throws -> MarkupElement {
        let openLine = line
        advance()  // <
        let tag = try name()
        var attributes: [(String, String)] = []
        while true {
            skipSpace()
            guard i < bytes.count else { throw error("<\(tag)> is not closed") }
            if peek("/>") {
                advance(2)
                return MarkupElement(name: tag, attributes: attributes)
            }
            if peek(">") {
                advance()
                break
            }
            let key = try name()
            skipSpace()
            guard peek("=") else { throw error("attribute \(key) of <\(tag)> has no value") }
            advance()
            skipSpace()
            guard i < bytes.count, bytes[i] == 0x22 || bytes[i] == 0x27 else {
                throw error("attribute \(key) of <\(tag)> is not quoted")
            }
            let quote = bytes[i]
            advance()
            let start = i
            while i < bytes.count && bytes[i] != quote {
                if bytes[i] == 0x3C { throw error("'<' inside attribute \(key)") }
                advance()
            }
            guard i < bytes.count else { throw error("attribute \(key) of <\(tag)> is not closed") }
            let end = i
            advance()
            guard !attributes.contains(where: { $0.0 == key }) else {
                throw error("attribute \(key) repeated on <\(tag)>")
            }
            attributes.append((key, try decode(bytes[start..<end], normalizeSpace: true)))
        }
        let e = MarkupElement(name: tag, attributes: attributes)
        // Character data runs from `text` to the next markup (a comment or processing
        // instruction ends it too): one text node, made from the bytes at once.
        var text = i
        func flush() throws {
            guard text < i else { return }
            e.childNodes.append(MarkupNode(kind: .text, text: try decode(bytes[text..<i], normalizeSpace: false)))
        }
        while true {
            guard i < bytes.count else {
                throw MarkupError(
                    "the template produced markup that is not well-formed XML: <\(tag)> opened at line \(openLine) is never closed"
                )
            }
            if bytes[i] != 0x3C {
                while i < bytes.count, bytes[i] != 0x3C {
                    if bytes[i] == 0x0A { line += 1 }
                    i += 1
                }
            } else if peek("</") {
                try flush()
                advance(2)
                let end = try name()
                skipSpace()
                guard peek(">") else { throw error("</\(end) is not closed") }
                advance()
                guard end == tag else { throw error("</\(end)> does not match <\(tag)> opened at line \(openLine)") }
                return e
            } else if peek("<!--") {
                try flush()
                try skip(until: "-->")
                text = i
            } else if peek("<![CDATA[") {
                try flush()
                advance(9)
                let start = i
                while i < bytes.count && !peek("]]>") { advance() }
                guard i < bytes.count else { throw error("CDATA section is not closed") }
                let raw = String(decoding: bytes[start..<i], as: UTF8.self)
                advance(3)
                e.childNodes.append(MarkupNode(kind: .text, text: raw))
                text = i
            } else if peek("<?") {
                try flush()
                try skip(until: "?>")
                text = i
            } else {
                try flush()
                e.childNodes.append(try element())
                text = i
            }
        }
    }

    /// Resolves entity and character references; in attributes, tabs and newlines are spaces.
    /// Works on the UTF-8 bytes (the references and the spaces are ASCII).
    private func decode(_ bytes: ArraySlice<UInt8>, normalizeSpace: Bool) throws -> String {
        if !bytes.contains(where: { $0 == 0x26 || (normalizeSpace && ($0 == 0x0A || $0 == 0x09 || $0 == 0x0D)) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = bytes.startIndex
        while k < bytes.endIndex {
            let c = bytes[k]
            if c == 0x26 {
                guard let semi = bytes[(k + 1)...].firstIndex(of: 0x3B) else { throw error("'&' without ';'") }
                let ref = String(decoding: bytes[(k + 1)..<semi], as: UTF8.self)
                k = semi + 1
                switch ref {
                case "amp": out.append(0x26)
                case "lt": out.append(0x3C)
                case "gt": out.append(0x3E)
                case "quot": out.append(0x22)
                case "apos": out.append(0x27)
                default:
                    var value: UInt32?
                    if ref.hasPrefix("#x") || ref.hasPrefix("#X") {
                        value = UInt32(ref.dropFirst(2), radix: 16)
                    } else if ref.hasPrefix("#") {
                        value = UInt32(ref.dropFirst(), radix: 10)
                    }
                    guard let v = value, let u = Unicode.Scalar(v), v >= 0x20 || v == 0x09 || v == 0x0A || v == 0x0D
                    else {
                        throw error("unknown reference &\(ref);")
                    }
                    out.append(contentsOf: String(Character(u)).utf8)
                }
            } else if normalizeSpace && (c == 0x0A || c == 0x09 || c == 0x0D) {
                out.append(0x20)
                k += 1
            } else {
                out.append(c)
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
