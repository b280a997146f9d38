/// Why the bytes of a record are not UTF-8 text.
struct EncodingProblem: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A byte sequence that is not well-formed UTF-8 (e.g. Latin-1 `é` = 0xE9).
        case invalidUTF8
        /// A NUL byte, which UTF-8 text never holds; usually UTF-16 or a binary file.
        case nulByte
        /// A UTF-16 or UTF-32 byte order mark at the start.
        case utf16ByteOrderMark
    }

    var kind: Kind
    /// Offset (from 0) of the first offending byte in the input.
    var offset: Int
    var byte: UInt8
    /// How many ill-formed sequences or NUL bytes the input holds in all.
    var count: Int
}

/// Checks that a record's bytes are UTF-8 text (Unicode 15, table 3-7 "well-formed UTF-8 byte
/// sequences": no overlong forms, no surrogates, nothing above U+10FFFF).
enum EncodingCheck {
    static func firstProblem(in text: SourceText) -> EncodingProblem? {
        let bytes = text.bytes
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            return EncodingProblem(kind: .utf16ByteOrderMark, offset: 0, byte: bytes[0], count: 1)
        }
        var first: EncodingProblem?
        var count = 0
        var index = text.start
        while index < bytes.count {
            let length = wellFormedLength(bytes, at: index)
            if length > 0 && bytes[index] != 0 {
                index += length
                continue
            }
            count += 1
            if first == nil {
                first = EncodingProblem(
                    kind: bytes[index] == 0 ? .nulByte : .invalidUTF8,
                    offset: index,
                    byte: bytes[index],
                    count: 0
                )
            }
            index += 1
        }
        first?.count = count
        return first
    }

    /// Length of the well-formed UTF-8 sequence starting at `index`, or 0 when there is none.
    private static func wellFormedLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let continuation: ClosedRange<UInt8> = 0x80...0xBF
        let second: ClosedRange<UInt8>
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: (length, second) = (2, continuation)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, continuation)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, continuation)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return 0
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !continuation.contains(bytes[index + offset]) {
            return 0
        }
        return length
    }
}
