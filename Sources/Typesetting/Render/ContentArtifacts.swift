import Foundation

/// Marks everything a page paints outside the structure tree as an artifact (PDF/UA-1 §7.1:
/// content is either real content, tagged, or an artifact).
///
/// Cairo 1.16 cannot do this while drawing: a `cairo_tag_begin(cr, "Artifact", …)` makes
/// `cairo_surface_finish` fail ("invalid tag name") and no page is written. So the renderer draws
/// decorations untagged and this pass rewrites the page's content stream: every painting
/// operator outside marked content — a path painted, a text object, an image or shading — is
/// wrapped in `/Artifact BMC … EMC`. The running header and footer, which the renderer draws
/// last on the page after closing every tag, become `/Artifact <</Type /Pagination>> BDC … EMC`.
/// Tagged content (inside Cairo's `/P <</MCID n>> BDC … EMC`) is left byte for byte.
enum ContentArtifacts {
    /// One operator with its operands: `bytes[start..<end]`.
    struct Operation {
        var start: Int
        var end: Int
        var kind: Kind
    }

    enum Kind {
        case markedBegin, markedEnd, textBegin, textEnd, pathConstruction, pathPaint, clip, textShow, paint
        /// Graphics or text state; `q`, `Q` and `cm` are kept apart because a marked-content
        /// sequence must not span an unbalanced `q`/`Q`.
        case state, saveRestore
    }

    /// The kind of the operator `bytes[start..<end]`, read from its bytes (no string is made:
    /// this runs for every operator of every page).
    static func kind(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Kind {
        let count = end - start
        let a = bytes[start]
        let b: UInt8 = count > 1 ? bytes[start + 1] : 0
        switch count {
        case 1:
            switch a {
            case UInt8(ascii: "m"), UInt8(ascii: "l"), UInt8(ascii: "c"), UInt8(ascii: "v"), UInt8(ascii: "y"),
                UInt8(ascii: "h"):
                return .pathConstruction
            case UInt8(ascii: "S"), UInt8(ascii: "s"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "B"),
                UInt8(ascii: "b"), UInt8(ascii: "n"):
                return .pathPaint
            case UInt8(ascii: "W"): return .clip
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .textShow
            case UInt8(ascii: "q"), UInt8(ascii: "Q"): return .saveRestore
            default: return .state
            }
        case 2:
            switch (a, b) {
            case (UInt8(ascii: "r"), UInt8(ascii: "e")): return .pathConstruction
            case (UInt8(ascii: "f"), UInt8(ascii: "*")), (UInt8(ascii: "B"), UInt8(ascii: "*")),
                (UInt8(ascii: "b"), UInt8(ascii: "*")):
                return .pathPaint
            case (UInt8(ascii: "W"), UInt8(ascii: "*")): return .clip
            case (UInt8(ascii: "T"), UInt8(ascii: "j")), (UInt8(ascii: "T"), UInt8(ascii: "J")): return .textShow
            case (UInt8(ascii: "D"), UInt8(ascii: "o")), (UInt8(ascii: "s"), UInt8(ascii: "h")),
                (UInt8(ascii: "B"), UInt8(ascii: "I")):
                return .paint
            case (UInt8(ascii: "B"), UInt8(ascii: "T")): return .textBegin
            case (UInt8(ascii: "E"), UInt8(ascii: "T")): return .textEnd
            case (UInt8(ascii: "c"), UInt8(ascii: "m")): return .saveRestore
            default: return .state
            }
        case 3:
            let c = bytes[start + 2]
            if a == UInt8(ascii: "E") && b == UInt8(ascii: "M") && c == UInt8(ascii: "C") { return .markedEnd }
            if a == UInt8(ascii: "B") && (b == UInt8(ascii: "M") || b == UInt8(ascii: "D")) && c == UInt8(ascii: "C") {
                return .markedBegin
            }
            return .state
        default:
            return .state
        }
    }

    /// The same by name: the readable table the byte version must agree with (tested).
    static func kind(_ name: String) -> Kind {
        switch name {
        case "BMC", "BDC": return .markedBegin
        case "EMC": return .markedEnd
        case "BT": return .textBegin
        case "ET": return .textEnd
        case "m", "l", "c", "v", "y", "h", "re": return .pathConstruction
        case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n": return .pathPaint
        case "W", "W*": return .clip
        case "Tj", "TJ", "'", "\"": return .textShow
        case "Do", "sh", "BI": return .paint
        case "q", "Q", "cm": return .saveRestore
        default: return .state
        }
    }

    /// The operators of a content stream, in order.
    static func operations(_ bytes: [UInt8]) throws -> [Operation] {
        var operations: [Operation] = []
        var parser = PDFValueParser(bytes)
        var operandStart: Int? = nil
        while true {
            parser.skipWhitespace()
            guard parser.position < bytes.count else { break }
            let start = parser.position
            let byte = bytes[start]
            if byte == 0x2F || byte == 0x28 || byte == 0x3C || byte == 0x5B || byte == 0x2B || byte == 0x2D
                || byte == 0x2E || (byte >= 0x30 && byte <= 0x39)
            {
                try parser.skipValue()
                if operandStart == nil { operandStart = start }
                continue
            }
            while parser.position < bytes.count, !PDFValueParser.isWhitespace(bytes[parser.position]),
                !PDFValueParser.isDelimiter(bytes[parser.position])
            {
                parser.position += 1
            }
            let tokenEnd = parser.position
            guard tokenEnd > start else { throw TypesettingError.pdf("content stream: unexpected byte \(byte)") }
            // true, false, null are operands (no operator has those lengths and first letters).
            let length = tokenEnd - start
            if (byte == UInt8(ascii: "t") && length == 4) || (byte == UInt8(ascii: "n") && length == 4)
                || (byte == UInt8(ascii: "f") && length == 5)
            {
                if operandStart == nil { operandStart = start }
                continue
            }
            let kind = kind(bytes, start, tokenEnd)
            if kind == .paint && bytes[start] == UInt8(ascii: "B") {
                parser.position = try inlineImageEnd(bytes, after: parser.position)
            }
            operations.append(Operation(start: operandStart ?? start, end: parser.position, kind: kind))
            operandStart = nil
        }
        return operations
    }

    /// The end of an inline image (after its `EI`), from just after `BI`.
    static func inlineImageEnd(_ bytes: [UInt8], after position: Int) throws -> Int {
        var parser = PDFValueParser(bytes, from: position)
        while true {
            parser.skipWhitespace()
            guard parser.position < bytes.count else {
                throw TypesettingError.pdf("content stream: inline image without ID")
            }
            if bytes[parser.position] == 0x2F {
                try parser.skipValue()
                try parser.skipValue()
                continue
            }
            guard parser.regularToken() == "ID" else { throw TypesettingError.pdf("content stream: bad inline image") }
            break
        }
        var i = parser.position + 1
        while i + 2 < bytes.count {
            if PDFValueParser.isWhitespace(bytes[i - 1]) && bytes[i] == 0x45 && bytes[i + 1] == 0x49
                && (i + 2 == bytes.count || PDFValueParser.isWhitespace(bytes[i + 2]))
            {
                return i + 2
            }
            i += 1
        }
        if i + 2 == bytes.count, bytes[i] == 0x45, bytes[i + 1] == 0x49 { return bytes.count }
        throw TypesettingError.pdf("content stream: inline image without EI")
    }

    /// A run of operators to wrap: `operations[first...last]`.
    struct Unit {
        var first: Int
        var last: Int
        /// Inside a text object that also holds tagged content: wrapped alone.
        var insideText: Bool
    }

    /// The painting units outside marked content.
    static func untaggedUnits(_ operations: [Operation]) -> [Unit] {
        var units: [Unit] = []
        var depth = 0
        var pathStart: Int? = nil
        var index = 0
        while index < operations.count {
            let operation = operations[index]
            switch operation.kind {
            case .markedBegin: depth += 1
            case .markedEnd: depth = max(0, depth - 1)
            case .pathConstruction, .clip:
                if depth == 0 && pathStart == nil { pathStart = index }
            case .pathPaint:
                if depth == 0 { units.append(Unit(first: pathStart ?? index, last: index, insideText: false)) }
                pathStart = nil
            case .paint:
                if depth == 0 { units.append(Unit(first: index, last: index, insideText: false)) }
            case .textBegin:
                // Find the ET; a text object at depth 0 with no marked content inside is one
                // unit, one mixing tagged and untagged text is wrapped show by show.
                var end = index + 1
                var mixed = false
                var shows = false
                while end < operations.count, operations[end].kind != .textEnd {
                    switch operations[end].kind {
                    case .markedBegin, .markedEnd: mixed = true
                    case .textShow: shows = true
                    default: break
                    }
                    end += 1
                }
                guard depth == 0 else {
                    index = end
                    break
                }
                if !mixed {
                    if shows {
                        units.append(Unit(first: index, last: min(end, operations.count - 1), insideText: false))
                    }
                } else {
                    var innerDepth = 0
                    for inner in (index + 1)..<min(end, operations.count) {
                        switch operations[inner].kind {
                        case .markedBegin: innerDepth += 1
                        case .markedEnd: innerDepth = max(0, innerDepth - 1)
                        case .textShow where innerDepth == 0:
                            units.append(Unit(first: inner, last: inner, insideText: true))
                        default: break
                        }
                    }
                }
                index = end
            default: break
            }
            index += 1
        }
        return units
    }

    /// The stream with its untagged painting wrapped as artifacts; nil when there is none.
    /// With `pagination`, the units after the last tagged content (the running header and
    /// footer the renderer draws last) are marked `/Type /Pagination`.
    /// `operations` are the stream's when the caller has them (`ContentMarks.insert`).
    static func markArtifacts(
        _ bytes: [UInt8],
        pagination: Bool,
        onlyPagination: Bool = false,
        operations known: [Operation]? = nil
    ) throws -> [UInt8]? {
        let operations = try known ?? operations(bytes)
        let units = untaggedUnits(operations)
        guard !units.isEmpty else { return nil }
        // Where tagged content last ends at depth 0.
        var lastTagged = -1
        var depth = 0
        for (index, operation) in operations.enumerated() {
            switch operation.kind {
            case .markedBegin: depth += 1
            case .markedEnd:
                depth = max(0, depth - 1)
                if depth == 0 { lastTagged = index }
            default: break
            }
        }
        // Neighbouring units become one sequence when only colour, line or text state lies
        // between them (never q/Q, a text object boundary or marked content).
        var groups: [(first: Int, last: Int, pagination: Bool, insideText: Bool)] = []
        for unit in units {
            let isPagination = pagination && (onlyPagination || (lastTagged >= 0 && unit.first > lastTagged))
            if let previous = groups.last, !unit.insideText, !previous.insideText, previous.pagination == isPagination,
                (previous.last + 1..<unit.first).allSatisfy({ operations[$0].kind == .state })
            {
                groups[groups.count - 1].last = unit.last
            } else {
                groups.append((unit.first, unit.last, isPagination, unit.insideText))
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + groups.count * 40)
        var copied = 0
        let plain = Array("/Artifact BMC\n".utf8)
        let paginationTag = Array("/Artifact <</Type /Pagination>> BDC\n".utf8)
        let close = Array("\nEMC".utf8)
        for group in groups {
            let start = operations[group.first].start
            let end = operations[group.last].end
            out.append(contentsOf: bytes[copied..<start])
            out.append(contentsOf: group.pagination ? paginationTag : plain)
            out.append(contentsOf: bytes[start..<end])
            out.append(contentsOf: close)
            copied = end
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }
}
