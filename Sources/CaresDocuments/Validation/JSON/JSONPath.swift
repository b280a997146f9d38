/// Where a value sits in the record: `member.dateOfBirth`, `careTeam[2].contact.email`.
/// The empty path is the record as a whole.
struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    static let root = JSONPath(components: [])

    var components: [Component]

    /// The last component when it is a key: the name of the field the path ends at.
    var lastKey: String? {
        if case .key(let key)? = components.last { key } else { nil }
    }

    func appending(_ key: String) -> JSONPath {
        JSONPath(components: components + [.key(key)])
    }

    func appending(_ index: Int) -> JSONPath {
        JSONPath(components: components + [.index(index)])
    }

    /// Dotted keys and bracketed indices; a key that is not a plain name is bracketed and
    /// quoted (`contact["e-mail"]`).
    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where JSONPath.isPlainName(key) && key.utf8.count <= Quote.limit:
                text += text.isEmpty ? key : ".\(key)"
            case .key(let key):
                text += "[\(JSONPath.quoted(key))]"
            }
        }
        return text
    }

    /// ASCII letters, digits and `_`, not starting with a digit: the schema's field names.
    private static func isPlainName(_ key: String) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_")
        }
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard let first = key.utf8.first, isLetter(first) else { return false }
        return key.utf8.allSatisfy { isLetter($0) || isDigit($0) }
    }

    /// A key in JSON quotes; one longer than `Quote.limit` characters is cut with `…`.
    private static func quoted(_ key: String) -> String {
        var text = "\""
        let scalars = key.unicodeScalars
        for (count, scalar) in scalars.enumerated() {
            if count == Quote.limit {
                text += "…"
                break
            }
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20 || scalar.properties.generalCategory == .format:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                text += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
