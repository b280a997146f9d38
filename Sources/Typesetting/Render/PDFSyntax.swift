import Foundation

/// The PDF objects the post-processor reads and rewrites in Cairo's output: structure
/// elements, the parent tree, pages and their content streams.
///
/// Written by hand: no PDF library for Swift is on this machine, and qpdf's (a C++ library with
/// a thin C API) would parse every object of the file for every document, where the
/// post-processor parses a few dozen and copies the rest as bytes.
/// Cairo's objects are plain (no object streams, classic xref), so a small reader suffices.
enum PDFValue: Equatable {
    case null
    case bool(Bool)
    /// A number as written (kept verbatim so rewriting does not change it).
    case number(String)
    /// A name without its slash, as written (`#xx` escapes kept).
    case name(String)
    /// A literal `( … )` or hex `< … >` string, as written, delimiters included.
    case string([UInt8])
    case ref(Int)
    case array([PDFValue])
    case dictionary(PDFDictionary)

    var integer: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }
    var reference: Int? {
        if case .ref(let number) = self { return number }
        return nil
    }
    var nameValue: String? {
        if case .name(let name) = self { return name }
        return nil
    }
    var dictionaryValue: PDFDictionary? {
        if case .dictionary(let dictionary) = self { return dictionary }
        return nil
    }
    /// The elements of an array, or the value itself (PDF lets a one-element array be written
    /// bare, as Cairo does for `/K`).
    var elements: [PDFValue] {
        if case .array(let values) = self { return values }
        return [self]
    }

    func write(to out: inout [UInt8]) {
        var refs: [(offset: Int, number: Int)]? = nil
        write(to: &out, refs: &refs)
    }

    /// Writes the value; with `refs` given, references are not written but listed (where in
    /// `out` they go, and their number): a template to fill with numbers later.
    func write(to out: inout [UInt8], refs: inout [(offset: Int, number: Int)]?) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .name(let name):
            out.append(0x2F)
            out.append(contentsOf: name.utf8)
        case .string(let bytes): out.append(contentsOf: bytes)
        case .ref(let number):
            if refs != nil {
                refs!.append((out.count, number))
            } else {
                Self.writeReference(number, to: &out)
            }
        case .array(let values):
            out.append(0x5B)
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(0x20) }
                value.write(to: &out, refs: &refs)
            }
            out.append(0x5D)
        case .dictionary(let dictionary): dictionary.write(to: &out, refs: &refs)
        }
    }

    /// `N 0 R`, digits written without a string.
    static func writeReference(_ number: Int, to out: inout [UInt8]) {
        writeDecimal(number, to: &out)
        out.append(contentsOf: " 0 R".utf8)
    }

    static func writeDecimal(_ number: Int, to out: inout [UInt8]) {
        guard number > 0 else {
            out.append(0x30)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        )
        var count = 0
        var rest = number
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 && count < 10 {
                buffer[count] = UInt8(0x30 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    var serialized: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A dictionary with its keys in the order written.
struct PDFDictionary: Equatable {
    struct Entry: Equatable {
        var key: String
        var value: PDFValue
    }
    var entries: [Entry] = []

    subscript(key: String) -> PDFValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    func write(to out: inout [UInt8]) {
        var refs: [(offset: Int, number: Int)]? = nil
        write(to: &out, refs: &refs)
    }

    func write(to out: inout [UInt8], refs: inout [(offset: Int, number: Int)]?) {
        out.append(contentsOf: "<< ".utf8)
        for entry in entries {
            out.append(0x2F)
            out.append(contentsOf: entry.key.utf8)
            out.append(0x20)
            entry.value.write(to: &out, refs: &refs)
            out.append(0x0A)
        }
        out.append(contentsOf: ">>".utf8)
    }
}

/// Reads PDF values from bytes (the object syntax of ISO 32000-1 §7.3, without streams).
struct PDFValueParser {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }
    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x25: return true
        default: return false
        }
    }

    mutating func skipWhitespace() {
        while position < end {
            let byte = bytes[position]
            if Self.isWhitespace(byte) {
                position += 1
            } else if byte == 0x25 {  // comment
                while position < end && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
            } else {
                break
            }
        }
    }

    /// The regular characters from `position` (a keyword, number or name body).
    mutating func regularToken() -> String {
        let start = position
        while position < end, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// An unsigned integer token of at most 18 digits at `start` (ending where a token ends), or
    /// nil: then the token is read as any other.
    func digits(at start: Int) -> (value: Int, end: Int)? {
        var value = 0
        var i = start
        while i < end, i - start < 18 {
            let byte = bytes[i]
            guard byte >= 0x30 && byte <= 0x39 else { break }
            value = value * 10 + Int(byte - 0x30)
            i += 1
        }
        guard i > start, i == end || Self.isWhitespace(bytes[i]) || Self.isDelimiter(bytes[i]) else { return nil }
        return (value, i)
    }

    /// The end (exclusive) of the literal string starting at `start` (its `(`).
    static func literalStringEnd(_ bytes: [UInt8], from start: Int, to end: Int) throws -> Int {
        var i = start + 1
        var depth = 1
        while i < end {
            switch bytes[i] {
            case 0x5C: i += 1
            case 0x28: depth += 1
            case 0x29:
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
            i += 1
        }
        throw TypesettingError.pdf("unterminated string")
    }

    /// Moves past one value without building it (content streams: operands are only skipped).
    mutating func skipValue() throws {
        skipWhitespace()
        guard position < end else { throw TypesettingError.pdf("unexpected end of object") }
        switch bytes[position] {
        case 0x2F:
            position += 1
            while position < end, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) {
                position += 1
            }
        case 0x28:
            position = try Self.literalStringEnd(bytes, from: position, to: end)
        case 0x3C:
            if position + 1 < end && bytes[position + 1] == 0x3C {
                position += 2
                while true {
                    skipWhitespace()
                    guard position < end else { throw TypesettingError.pdf("unterminated dictionary") }
                    if bytes[position] == 0x3E {
                        position += 2
                        return
                    }
                    try skipValue()
                }
            }
            while position < end && bytes[position] != 0x3E { position += 1 }
            position += 1
        case 0x5B:
            position += 1
            while true {
                skipWhitespace()
                guard position < end else { throw TypesettingError.pdf("unterminated array") }
                if bytes[position] == 0x5D {
                    position += 1
                    return
                }
                try skipValue()
            }
        default:
            let start = position
            while position < end, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) {
                position += 1
            }
            if position == start { throw TypesettingError.pdf("unexpected byte \(bytes[position]) in an object") }
        }
    }

    mutating func value() throws -> PDFValue {
        skipWhitespace()
        guard position < end else { throw TypesettingError.pdf("unexpected end of object") }
        let byte = bytes[position]
        switch byte {
        case 0x2F:
            position += 1
            return .name(regularToken())
        case 0x28:
            let stop = try Self.literalStringEnd(bytes, from: position, to: end)
            defer { position = stop }
            return .string(Array(bytes[position..<stop]))
        case 0x3C:
            if position + 1 < end && bytes[position + 1] == 0x3C {
                position += 2
                var dictionary = PDFDictionary()
                while true {
                    skipWhitespace()
                    guard position < end else { throw TypesettingError.pdf("unterminated dictionary") }
                    if bytes[position] == 0x3E {
                        position += 2
                        return .dictionary(dictionary)
                    }
                    guard case .name(let key) = try value() else {
                        throw TypesettingError.pdf("dictionary key is not a name")
                    }
                    dictionary.entries.append(.init(key: key, value: try value()))
                }
            }
            let start = position
            while position < end && bytes[position] != 0x3E { position += 1 }
            position += 1
            return .string(Array(bytes[start..<min(position, end)]))
        case 0x5B:
            position += 1
            var values: [PDFValue] = []
            while true {
                skipWhitespace()
                guard position < end else { throw TypesettingError.pdf("unterminated array") }
                if bytes[position] == 0x5D {
                    position += 1
                    return .array(values)
                }
                values.append(try value())
            }
        default:
            // `n g R`: an object number and a generation (unsigned integers) and R. Most values in
            // Cairo's structure tree are references: read without making strings.
            if let number = digits(at: position) {
                let start = position
                position = number.end
                let save = position
                skipWhitespace()
                if let generation = digits(at: position) {
                    position = generation.end
                    skipWhitespace()
                    if position < end, bytes[position] == 0x52,
                        position + 1 >= end || Self.isWhitespace(bytes[position + 1])
                            || Self.isDelimiter(bytes[position + 1])
                    {
                        position += 1
                        return .ref(number.value)
                    }
                }
                position = save
                return .number(String(decoding: bytes[start..<save], as: UTF8.self))
            }
            let token = regularToken()
            guard !token.isEmpty else { throw TypesettingError.pdf("unexpected byte \(byte) in an object") }
            switch token {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: break
            }
            return .number(token)
        }
    }
}

/// Cairo's output as objects: the xref offsets and readers for plain and stream objects.
struct PDFObjectReader {
    let bytes: [UInt8]
    let offsets: [Int: Int]

    /// Where the object's body starts (after `N G obj`).
    func bodyStart(_ number: Int) throws -> Int {
        guard let offset = offsets[number], offset < bytes.count else {
            throw TypesettingError.pdf("object \(number) is not in the xref table")
        }
        var parser = PDFValueParser(bytes, from: offset, to: min(bytes.count, offset + 64))
        _ = parser.regularToken()
        parser.skipWhitespace()
        _ = parser.regularToken()
        parser.skipWhitespace()
        guard parser.regularToken() == "obj" else { throw TypesettingError.pdf("object \(number) is malformed") }
        return parser.position
    }

    func value(_ number: Int) throws -> PDFValue {
        var parser = PDFValueParser(bytes, from: try bodyStart(number))
        return try parser.value()
    }

    /// The value, or the object it refers to.
    func resolved(_ value: PDFValue?) throws -> PDFValue? {
        guard let value else { return nil }
        if let number = value.reference { return try self.value(number) }
        return value
    }

    /// A stream object's dictionary and its raw (still encoded) data.
    func stream(_ number: Int) throws -> (dictionary: PDFDictionary, data: ArraySlice<UInt8>) {
        var parser = PDFValueParser(bytes, from: try bodyStart(number))
        guard case .dictionary(let dictionary) = try parser.value() else {
            throw TypesettingError.pdf("object \(number) is not a stream")
        }
        parser.skipWhitespace()
        guard parser.regularToken() == "stream" else { throw TypesettingError.pdf("object \(number) has no stream") }
        var start = parser.position
        if start < bytes.count && bytes[start] == 0x0D { start += 1 }
        if start < bytes.count && bytes[start] == 0x0A { start += 1 }
        let length: Int?
        switch dictionary["Length"] {
        case .number(let text)?: length = Int(text)
        case .ref(let lengthObject)?: length = try value(lengthObject).integer
        default: length = nil
        }
        guard let length, length >= 0, start + length <= bytes.count else {
            throw TypesettingError.pdf("object \(number) has no usable /Length")
        }
        return (dictionary, bytes[start..<start + length])
    }

    /// The decoded data of a stream (FlateDecode or none).
    func decodedStream(_ number: Int) throws -> [UInt8] {
        let (dictionary, data) = try stream(number)
        switch dictionary["Filter"] {
        case nil: return Array(data)
        case .name("FlateDecode")?: return try Flate.inflate(data)
        case .array(let filters)? where filters == [.name("FlateDecode")]: return try Flate.inflate(data)
        default: throw TypesettingError.pdf("object \(number): unsupported stream filter")
        }
    }
}
