import Foundation

/// The bytes of a record as received, with line and column lookup for messages.
struct SourceText: Sendable {
    let bytes: [UInt8]
    /// Where the text starts: after a UTF-8 byte order mark, which is allowed and skipped.
    let start: Int

    init(_ data: Data) {
        bytes = Array(data)
        start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Line and column (both from 1) of the byte at `offset`. Columns count characters
    /// (Unicode scalars), as editors do; `\n`, `\r\n` and a lone `\r` end a line.
    func location(ofByte offset: Int) -> TextPosition {
        var line = 1
        var column = 1
        var index = start
        while index < min(offset, bytes.count) {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if byte == UInt8(ascii: "\r"), index + 1 < offset, bytes[index + 1] == UInt8(ascii: "\n") {
                    index += 1
                }
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return TextPosition(line: line, column: column)
    }
}

/// A place in the text, written "line 3, column 14".
struct TextPosition: Sendable, Hashable, CustomStringConvertible {
    var line: Int
    var column: Int

    var description: String { "line \(line), column \(column)" }
}
