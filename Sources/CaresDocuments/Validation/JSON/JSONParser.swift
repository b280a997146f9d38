/// A strict RFC 8259 JSON parser that says where and why text is not JSON (line and column,
/// in words a person can act on), keeps the order of fields and reports repeated keys.
///
/// Input must already be UTF-8 without NUL bytes (`EncodingCheck`). Nesting is limited to
/// `maximumDepth`, so no input can exhaust the stack.
struct JSONParser {
    struct Output: Sendable {
        var root: JSONValue
        var duplicateKeys: [DuplicateKey]
    }

    /// The schema nests about six levels; anything far deeper is not a care record.
    static let maximumDepth = 100

    static func parse(_ text: SourceText) throws(JSONSyntaxError) -> Output {
        var parser = JSONParser(text: text)
        parser.skipWhitespace()
        let root = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < parser.bytes.count {
            throw parser.error("the record should end here, but \(parser.describeNext()) follows")
        }
        return Output(root: root, duplicateKeys: parser.duplicateKeys)
    }

    private let text: SourceText
    private let bytes: [UInt8]
    private var index: Int
    private var duplicateKeys: [DuplicateKey] = []
    /// Where the value being read is: only a repeated key's report needs it, so it is kept as
    /// one stack rather than a path made for every value.
    private var path: [JSONPath.Component] = []

    private init(text: SourceText) {
        self.text = text
        bytes = text.bytes
        index = text.start
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw error("the text ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let (word, value): (StaticString, JSONValue) =
                switch byte {
                case UInt8(ascii: "t"): ("true", .bool(true))
                case UInt8(ascii: "f"): ("false", .bool(false))
                default: ("null", .null)
                }
            let count = word.utf8CodeUnitCount
            let matches = word.withUTF8Buffer { bytes[index...].starts(with: $0) }
            if matches && !isWordByte(at: index + count) {
                index += count
                return value
            }
            throw unexpectedWord()
        default:
            throw unexpectedValue()
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONObject {
        let opening = index
        try checkDepth(depth)
        index += 1
        var object = JSONObject()
        // Where each kept key was written: found by a scan while the object is small (a care
        // record's are), by a table once it is not (no input makes the scan quadratic).
        var keyOffsets: [Int] = []
        var keyTable: [String: Int] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return object
        }
        while true {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "\""): break
            case nil: throw unclosed("object", openedAt: opening)
            case UInt8(ascii: "}"): throw error("a comma before '}' is not allowed in JSON (trailing comma)")
            case UInt8(ascii: "'"): throw error("field names must be in double quotes (\"), not single quotes")
            default: throw error("expected a field name in double quotes, found \(describeNext())")
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw error("expected ':' after the field name \(Quote.value(key)), found \(describeNext())")
            }
            index += 1
            path.append(.key(key))
            let value = try parseValue(depth: depth)
            path.removeLast()
            let firstOffset: Int?
            if keyTable.isEmpty {
                firstOffset = object.members.firstIndex { $0.key == key }.map { keyOffsets[$0] }
            } else {
                firstOffset = keyTable[key]
            }
            if let firstOffset {
                duplicateKeys.append(
                    DuplicateKey(
                        path: JSONPath(components: path + [.key(key)]),
                        key: key,
                        first: text.location(ofByte: firstOffset),
                        repeated: text.location(ofByte: keyOffset)
                    )
                )
            } else {
                object.members.append(JSONObject.Member(key: key, value: value))
                if !keyTable.isEmpty {
                    keyTable[key] = keyOffset
                } else {
                    keyOffsets.append(keyOffset)
                    if object.members.count >= 32 {
                        for (member, offset) in zip(object.members, keyOffsets) { keyTable[member.key] = offset }
                    }
                }
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return object
            case nil: throw unclosed("object", openedAt: opening)
            case UInt8(ascii: "\""):
                throw error(
                    "expected ',' or '}' after the value of \(Quote.value(key)): is a comma missing before the next field?"
                )
            default:
                throw error("expected ',' or '}' after the value of \(Quote.value(key)), found \(describeNext())")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
        let opening = index
        try checkDepth(depth)
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return items
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                throw error("a comma before ']' is not allowed in JSON (trailing comma)")
            }
            if peek() == nil { throw unclosed("list", openedAt: opening) }
            path.append(.index(items.count))
            items.append(try parseValue(depth: depth))
            path.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return items
            case nil: throw unclosed("list", openedAt: opening)
            default:
                throw error("expected ',' or ']' after item \(items.count - 1) of the list, found \(describeNext())")
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONSyntaxError) {
        if depth > JSONParser.maximumDepth {
            throw error("objects and lists are nested more than \(JSONParser.maximumDepth) levels deep")
        }
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let opening = index
        index += 1
        // Most strings have no escape: made from their bytes at once.
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20
        {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let string = String(decoding: bytes[index..<end], as: UTF8.self)
            index = end + 1
            return string
        }
        var decoded: [UInt8] = []
        var segmentStart = index
        while true {
            guard let byte = peek() else {
                index = opening
                throw error("this string is never closed: the text ends before its closing '\"'")
            }
            switch byte {
            case UInt8(ascii: "\""):
                decoded += bytes[segmentStart..<index]
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                decoded += bytes[segmentStart..<index]
                try parseEscape(into: &decoded)
                segmentStart = index
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error(
                    "a line break inside a string: close the string with '\"' first, or write the line break as \\n"
                )
            case 0..<0x20:
                throw error(
                    "a control character (\(codePoint(UInt32(byte)))) inside a string must be written as an escape, \\u\(hex4(UInt32(byte)))"
                )
            default:
                index += 1
            }
        }
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws(JSONSyntaxError) {
        index += 1
        guard let byte = peek() else { throw error("the text ends inside a string, after a backslash") }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "\\"): UInt8(ascii: "\\"),
            UInt8(ascii: "/"): UInt8(ascii: "/"), UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C,
            UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let replacement = simple[byte] {
            decoded.append(replacement)
            index += 1
            return
        }
        guard byte == UInt8(ascii: "u") else {
            index -= 1
            throw error("\(describeEscape()) is not a JSON escape: write a backslash as \\\\")
        }
        let escapeStart = index - 1
        var value = try parseHex4()
        if (0xDC00...0xDFFF).contains(value) {
            index = escapeStart
            throw error("\\u\(hex4(value)) is half of a surrogate pair without its first half (\\uD800 to \\uDBFF)")
        }
        if (0xD800...0xDBFF).contains(value) {
            guard bytes[index...].starts(with: "\\u".utf8) else {
                index = escapeStart
                throw error(
                    "\\u\(hex4(value)) is the first half of a surrogate pair; its second half (\\uDC00 to \\uDFFF) must follow"
                )
            }
            index += 1
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                index = escapeStart
                throw error(
                    "\\u\(hex4(value)) is the first half of a surrogate pair; its second half (\\uDC00 to \\uDFFF) must follow"
                )
            }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else {
            index = escapeStart
            throw error("\\u\(hex4(value)) is not a Unicode character")
        }
        UTF8.encode(scalar) { decoded.append($0) }
    }

    /// Reads `uXXXX` at `index` (which points at the `u`).
    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        index += 1
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = hexValue(byte) else {
                throw error("\\u must be followed by four hexadecimal digits (0-9, A-F)")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else {
            throw error("'-' must be followed by a digit")
        }
        index += 1
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            index = start
            throw error(
                "a number must not start with 0 (write 7, not 07); codes such as ZIP codes and ids are strings, in double quotes"
            )
        }
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let next = peek(), isDigit(next) else { throw error("a digit must follow the decimal point") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let next = peek(), isDigit(next) else { throw error("a digit must follow the exponent 'e'") }
            skipDigits()
        }
        if isWordByte(at: index) { throw unexpectedValue() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    // MARK: Errors

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: index, message: message)
    }

    private func unclosed(_ kind: String, openedAt offset: Int) -> JSONSyntaxError {
        error("the text ends before the \(kind) opened at \(text.location(ofByte: offset)) is closed")
    }

    /// A value was expected at `index` and something else is there.
    private func unexpectedValue() -> JSONSyntaxError {
        switch peek() {
        case UInt8(ascii: "'"): return error("strings must be in double quotes (\"), not single quotes")
        case UInt8(ascii: "/"), UInt8(ascii: "#"): return error("comments are not allowed in JSON")
        case UInt8(ascii: "+"): return error("a number must not start with '+'")
        case UInt8(ascii: "."): return error("a number must start with a digit (write 0.5, not .5)")
        case let byte? where isWordByte(byte): return unexpectedWord()
        default:
            return error(
                "expected a value (a string, number, object, list, true, false or null), found \(describeNext())"
            )
        }
    }

    /// A bare word where a value was expected: `True`, `NaN`, `undefined`, `Lowell`.
    private func unexpectedWord() -> JSONSyntaxError {
        var end = index
        while end < bytes.count, end - index < 40, isWordByte(at: end) { end += 1 }
        let word = String(decoding: bytes[index..<end], as: UTF8.self)
        if ["true", "false", "null"].contains(word.lowercased()) {
            return error("\(Quote.value(word)) must be written in lower case: \(Quote.shortened(word.lowercased()))")
        }
        if ["nan", "infinity", "undefined"].contains(word.lowercased()) {
            return error("\(Quote.value(word)) is not a JSON value")
        }
        return error("unexpected word \(Quote.value(word)): text must be in double quotes")
    }

    /// "'x'", "U+00A0", or "the end of the text", for messages.
    private func describeNext() -> String {
        guard index < bytes.count else { return "the end of the text" }
        let scalar =
            String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self)
            .unicodeScalars.first ?? "\u{FFFD}"
        if scalar.isASCII && scalar.value >= 0x21 && scalar.value < 0x7F {
            return "'\(scalar)'"
        }
        if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
            || scalar.value < 0x20
        {
            return "the invisible character \(codePoint(scalar.value))"
        }
        return "'\(scalar)' (\(codePoint(scalar.value)))"
    }

    private func describeEscape() -> String {
        "'\\\(String(decoding: bytes[(index + 1)..<min(index + 2, bytes.count)], as: UTF8.self))'"
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            index += 1
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Letters, digits, `_` and any non-ASCII byte: what a bare word is made of.
    private func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private func isWordByte(at offset: Int) -> Bool {
        offset < bytes.count && isWordByte(bytes[offset])
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private func hex4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private func codePoint(_ value: UInt32) -> String { "U+\(hex4(value))" }
}
