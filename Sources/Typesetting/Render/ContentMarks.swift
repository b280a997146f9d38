import Foundation

/// One drawing call of content, as the renderer made it (`PDFRenderer`, without Cairo tags).
struct ContentMark: Equatable {
    /// The tag it belongs to: its index in `RenderedStructure.tags`; -1 for what no element holds
    /// (the running header and footer, content drawn with no tag open): counted, left unmarked
    /// (an artifact).
    var tag: Int
    /// The glyphs Cairo writes for it, one character code each in the content stream; 0 for an
    /// image (one painting operator).
    var glyphs: Int
}

/// Writes each element's marked content into a page's content stream that Cairo drew without
/// tags: `/P <</MCID n>> BDC … EMC` around the text of each drawing call (`ContentMark`), in
/// the order drawn.
///
/// Written here, not with Cairo's tag API, because Cairo's tags cost more than the rest of the
/// drawing of a table-heavy document (see `PDFRenderer.cairoTags`), and no library here marks
/// an existing content stream. It needs no knowledge of glyph widths: Cairo writes every glyph
/// of a call as one character code, in the call's order, one byte per code in its simple font
/// subsets and two in its CID ones (`/Subtype /Type0`). So the calls are found by counting
/// codes in the text-showing operators. Where two calls share one `TJ` (Cairo continues a `TJ`
/// across calls on one baseline in one font), the operator is split at the code where the
/// second starts: the first part's codes, `EMC`, the next `BDC`, the rest (the pen advances
/// the same over the two parts as over the whole). A marked-content sequence opened in a text
/// object is closed before its `ET` (and the element continues in the next text object under a
/// new MCID); one around an image holds its painting operator alone.
///
/// Anything that does not add up (fewer or more codes than the marks, a split inside Cairo's
/// own ActualText span, a code cut in half) throws `Mismatch`: the caller draws the pages again
/// with Cairo's tags (`PDFRenderer.render(_:finishing:)`).
enum ContentMarks {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    /// Counts the content streams that did not add up (each document then drawn again with
    /// Cairo's tags) in the renders of one task (`Engine.countingRedraws`).
    final class MismatchCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func increment() { lock.withLock { count += 1 } }
    }
    @TaskLocal static var counter: MismatchCounter?
    static func countMismatch() { counter?.increment() }

    /// `bytes` (a decoded content stream) with the marks written in; `mcidTags[n]` is the tag of
    /// MCID n; the operators of the stream written (for `ContentArtifacts.markArtifacts`, which
    /// then need not read it again; nil when nothing was marked). `role(tag)` names each tag's
    /// structure type; `codeWidth(font)` gives the bytes per character code of a font resource
    /// named in `Tf` (without the slash).
    static func insert(
        _ bytes: [UInt8],
        marks: [ContentMark],
        role: (Int) -> String,
        codeWidth: (String) throws -> Int
    ) throws -> (bytes: [UInt8], mcidTags: [Int], operations: [ContentArtifacts.Operation]?) {
        guard !marks.isEmpty else { return (bytes, [], nil) }
        let operations = try ContentArtifacts.operations(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + marks.count * 32)
        var written: [ContentArtifacts.Operation] = []
        written.reserveCapacity(operations.count + marks.count * 2)
        var nextOperation = 0  // the first of `operations` not yet in `written`
        var copied = 0
        var mcidTags: [Int] = []
        var current = -1  // the mark whose codes are being read
        var left = 0  // codes of `current` not yet met
        var open = false  // a sequence of ours is open
        var openInText = false
        var inText = false
        var spanDepth = 0  // Cairo's own marked content (ActualText spans) around here
        var width = 1

        func copy(to position: Int) {
            guard position > copied else { return }
            let shift = out.count - copied
            out.append(contentsOf: bytes[copied..<position])
            copied = position
            while nextOperation < operations.count, operations[nextOperation].end <= position {
                var operation = operations[nextOperation]
                operation.start += shift
                operation.end += shift
                written.append(operation)
                nextOperation += 1
            }
        }
        func close() {
            written.append(.init(start: out.count, end: out.count + 3, kind: .markedEnd))
            out.append(contentsOf: "EMC\n".utf8)
            open = false
        }
        func begin(_ mark: Int) {
            let tag = marks[mark].tag
            // Content drawn with no tag open: counted, not marked (an artifact).
            guard tag >= 0 else { return }
            let start = out.count
            out.append(0x2F)
            out.append(contentsOf: role(tag).utf8)
            out.append(contentsOf: " <</MCID ".utf8)
            PDFValue.writeDecimal(mcidTags.count, to: &out)
            out.append(contentsOf: ">> BDC".utf8)
            written.append(.init(start: start, end: out.count, kind: .markedBegin))
            out.append(0x0A)
            mcidTags.append(tag)
            open = true
            openInText = inText
        }

        for operation in operations {
            switch operation.kind {
            case .textBegin:
                inText = true
            case .textEnd:
                if open && openInText {
                    copy(to: operation.start)
                    close()
                }
                inText = false
            case .state:
                if let name = fontName(bytes, operation) { width = try codeWidth(name) }
            case .markedBegin:
                // Cairo's ActualText span within one call: it belongs to the mark whose codes
                // come next.
                defer { spanDepth += 1 }
                if current >= 0 && left > 0 {
                    if !open {
                        copy(to: operation.start)
                        begin(current)
                    }
                } else if current + 1 < marks.count {
                    guard spanDepth == 0, marks[current + 1].glyphs > 0 else {
                        throw Mismatch(description: "marked content where no text was drawn")
                    }
                    let same = open && current >= 0 && marks[current].tag == marks[current + 1].tag
                    current += 1
                    left = marks[current].glyphs
                    if !same {
                        copy(to: operation.start)
                        if open { close() }
                        begin(current)
                    }
                }
            case .markedEnd:
                spanDepth = max(0, spanDepth - 1)
            case .paint:
                guard current + 1 < marks.count, marks[current + 1].glyphs == 0, current < 0 || left == 0 else { break }
                copy(to: operation.start)
                if open { close() }
                current += 1
                begin(current)
                copy(to: operation.end)
                out.append(0x0A)
                close()
            case .textShow:
                // Counted without keeping the strings; read again, kept, when split.
                let codes = try TextShow(bytes, operation, width: width, keep: false).codes
                guard codes > 0 else { break }
                // Where in the operator's codes the open sequence ends and the next mark begins
                // (consecutive calls of one element stay in one sequence).
                var events: [(at: Int, mark: Int)] = []
                let reopen = current >= 0 && left > 0 && !open
                let continued = current
                var isOpen = open || reopen
                var consumed = 0
                while consumed < codes {
                    if left == 0 || current < 0 {
                        guard current + 1 < marks.count else {
                            throw Mismatch(
                                description:
                                    "the content stream holds more codes than the \(marks.count) drawing calls marked"
                            )
                        }
                        guard spanDepth == 0 else {
                            throw Mismatch(
                                description:
                                    "drawing call \(current + 1) of \(marks.count) ends inside an ActualText span (byte \(operation.start))"
                            )
                        }
                        guard marks[current + 1].glyphs > 0 else {
                            throw Mismatch(description: "text where an image was drawn")
                        }
                        let same = isOpen && current >= 0 && marks[current].tag == marks[current + 1].tag
                        current += 1
                        left = marks[current].glyphs
                        if !same { events.append((consumed, current)) }
                        isOpen = true
                    }
                    let take = min(left, codes - consumed)
                    left -= take
                    consumed += take
                }
                guard reopen || !events.isEmpty else { break }
                copy(to: operation.start)
                if reopen { begin(continued) }
                if events.allSatisfy({ $0.at == 0 }) {
                    for event in events {
                        if open { close() }
                        begin(event.mark)
                    }
                    break
                }
                // The operator in parts, each mark's BDC before its first part.
                let show = try TextShow(bytes, operation, width: width, keep: true)
                var from = 0
                for event in events {
                    if event.at > from {
                        let start = out.count
                        show.write(codes: from..<event.at, to: &out)
                        written.append(.init(start: start, end: out.count, kind: .textShow))
                        out.append(0x0A)
                        from = event.at
                    }
                    if open { close() }
                    begin(event.mark)
                }
                let start = out.count
                show.write(codes: from..<codes, to: &out)
                written.append(.init(start: start, end: out.count, kind: .textShow))
                copied = operation.end
                while nextOperation < operations.count, operations[nextOperation].end <= operation.end {
                    nextOperation += 1
                }
            default:
                break
            }
        }
        copy(to: bytes.count)
        if open {
            out.append(0x0A)
            close()
        }
        guard current == marks.count - 1, left == 0 else {
            let missing = left + marks[(current + 1)...].reduce(0) { $0 + max($1.glyphs, 1) }
            throw Mismatch(
                description:
                    "the content stream ends \(missing) code(s) short of the \(marks.count) drawing calls marked"
            )
        }
        return (out, mcidTags, written)
    }

    /// The font resource a `Tf` operator selects, or nil when `operation` is not `Tf`.
    static func fontName(_ bytes: [UInt8], _ operation: ContentArtifacts.Operation) -> String? {
        let end = operation.end
        guard end - operation.start >= 4, bytes[end - 2] == UInt8(ascii: "T"), bytes[end - 1] == UInt8(ascii: "f"),
            bytes[operation.start] == 0x2F
        else { return nil }
        var index = operation.start + 1
        while index < end, !PDFValueParser.isWhitespace(bytes[index]), !PDFValueParser.isDelimiter(bytes[index]) {
            index += 1
        }
        return String(decoding: bytes[(operation.start + 1)..<index], as: UTF8.self)
    }

    /// A text-showing operator read into its parts: its strings (decoded) and the numbers
    /// between them, so that it can be written again in parts, split at a character code.
    struct TextShow {
        enum Part {
            case string([UInt8])
            /// A `TJ` adjustment, as written.
            case number(ArraySlice<UInt8>)
        }
        var parts: [Part] = []
        var codes = 0
        let width: Int

        /// With `keep` false, only `codes` is found (no string is copied).
        init(_ bytes: [UInt8], _ operation: ContentArtifacts.Operation, width: Int, keep: Bool) throws {
            self.width = width
            var index = operation.start
            let end = operation.end
            // The operator is the last token; `'` and `"` (move to the next line first) are not
            // written by Cairo and not split.
            var operatorStart = end
            while operatorStart > index, !PDFValueParser.isWhitespace(bytes[operatorStart - 1]),
                !PDFValueParser.isDelimiter(bytes[operatorStart - 1])
            {
                operatorStart -= 1
            }
            let op = bytes[operatorStart..<end]
            guard op.elementsEqual("TJ".utf8) || op.elementsEqual("Tj".utf8) else {
                throw Mismatch(description: "text shown with \(String(decoding: op, as: UTF8.self))")
            }
            var total = 0
            while index < operatorStart {
                let byte = bytes[index]
                switch byte {
                case 0x28:  // (
                    let (decoded, count, next) = try Self.literal(bytes, from: index, keep: keep)
                    if keep { parts.append(.string(decoded)) }
                    total += count
                    index = next
                case 0x3C:  // <
                    let (decoded, count, next) = try Self.hex(bytes, from: index, keep: keep)
                    if keep { parts.append(.string(decoded)) }
                    total += count
                    index = next
                case 0x5B, 0x5D:  // [ ]
                    index += 1
                default:
                    if PDFValueParser.isWhitespace(byte) {
                        index += 1
                    } else {
                        let start = index
                        while index < operatorStart, !PDFValueParser.isWhitespace(bytes[index]),
                            !PDFValueParser.isDelimiter(bytes[index])
                        {
                            index += 1
                        }
                        guard index > start else { throw Mismatch(description: "unexpected byte \(byte) in a TJ") }
                        if keep { parts.append(.number(bytes[start..<index])) }
                    }
                }
            }
            guard total % width == 0 else {
                throw Mismatch(description: "a string of \(total) bytes in a font of \(width)-byte codes")
            }
            codes = total / width
        }

        /// The operator for the codes `range` (strings in hex): the adjustments before its
        /// first code and between its codes; those after its last code go with the next part
        /// (they move the pen before the next glyph), the trailing ones with the last part.
        func write(codes range: Range<Int>, to out: inout [UInt8]) {
            var code = 0
            out.append(0x5B)
            for part in parts {
                switch part {
                case .number(let number):
                    if code >= range.lowerBound && (code < range.upperBound || range.upperBound == codes) {
                        out.append(contentsOf: number)
                        out.append(0x20)
                    }
                case .string(let string):
                    let count = string.count / width
                    let from = max(range.lowerBound, code)
                    let to = min(range.upperBound, code + count)
                    if from < to {
                        out.append(0x3C)
                        for byte in string[((from - code) * width)..<((to - code) * width)] {
                            out.append(Self.hexDigit(byte >> 4))
                            out.append(Self.hexDigit(byte & 0x0F))
                        }
                        out.append(0x3E)
                    }
                    code += count
                }
            }
            out.append(contentsOf: "]TJ".utf8)
        }

        static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

        /// A literal string's bytes (escapes read; kept only with `keep`), their count and the
        /// index after its `)`.
        static func literal(_ bytes: [UInt8], from start: Int, keep: Bool = true) throws -> ([UInt8], Int, Int) {
            var out: [UInt8] = []
            var count = 0
            func add(_ byte: UInt8) {
                count += 1
                if keep { out.append(byte) }
            }
            var index = start + 1
            var depth = 1
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case 0x5C:  // backslash
                    index += 1
                    guard index < bytes.count else { break }
                    let escaped = bytes[index]
                    switch escaped {
                    case UInt8(ascii: "n"): add(0x0A)
                    case UInt8(ascii: "r"): add(0x0D)
                    case UInt8(ascii: "t"): add(0x09)
                    case UInt8(ascii: "b"): add(0x08)
                    case UInt8(ascii: "f"): add(0x0C)
                    case 0x0D:  // a line continued
                        if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                    case 0x0A:
                        break
                    case 0x30...0x37:
                        var value = Int(escaped - 0x30)
                        var digits = 1
                        while digits < 3, index + 1 < bytes.count, (0x30...0x37).contains(bytes[index + 1]) {
                            index += 1
                            value = value * 8 + Int(bytes[index] - 0x30)
                            digits += 1
                        }
                        add(UInt8(value & 0xFF))
                    default:
                        add(escaped)
                    }
                case 0x28:
                    depth += 1
                    add(byte)
                case 0x29:
                    depth -= 1
                    if depth == 0 { return (out, count, index + 1) }
                    add(byte)
                default:
                    add(byte)
                }
                index += 1
            }
            throw Mismatch(description: "a string without its end")
        }

        /// A hex string's bytes (kept only with `keep`), their count and the index after its `>`.
        static func hex(_ bytes: [UInt8], from start: Int, keep: Bool = true) throws -> ([UInt8], Int, Int) {
            var out: [UInt8] = []
            var count = 0
            var high: UInt8? = nil
            var index = start + 1
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == 0x3E {
                    if let high {
                        count += 1
                        if keep { out.append(high << 4) }
                    }
                    return (out, count, index)
                }
                let value: UInt8
                switch byte {
                case 0x30...0x39: value = byte - 0x30
                case 0x41...0x46: value = byte - 0x37
                case 0x61...0x66: value = byte - 0x57
                default:
                    if PDFValueParser.isWhitespace(byte) { continue }
                    throw Mismatch(description: "a hex string with \(byte)")
                }
                if let first = high {
                    count += 1
                    if keep { out.append(first << 4 | value) }
                    high = nil
                } else {
                    high = value
                }
            }
            throw Mismatch(description: "a hex string without its end")
        }
    }
}
