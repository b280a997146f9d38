/// A parsed JSON value that keeps what validation needs and `JSONSerialization` loses: the
/// order of an object's fields (problems are reported in document order) and the exact text
/// of numbers.
enum JSONValue: Sendable, Hashable {
    case object(JSONObject)
    case array([JSONValue])
    case string(String)
    /// The number as written (`1`, `1.0`, `-2e3`); JSON Schema compares numbers by value.
    case number(String)
    case bool(Bool)
    case null

    var numberValue: Double? {
        if case .number(let text) = self { Double(text) } else { nil }
    }

    var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    var objectValue: JSONObject? {
        if case .object(let object) = self { object } else { nil }
    }

    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { items } else { nil }
    }

    /// The member `key` of an object; `nil` for a missing key or a value that is no object.
    subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// JSON Schema equality (for `const` and `enum`): numbers by value, objects regardless of
    /// field order.
    func schemaEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.number, .number): return numberValue == other.numberValue
        case (.array(let lhs), .array(let rhs)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.schemaEquals($1) }
        case (.object(let lhs), .object(let rhs)):
            return lhs.members.count == rhs.members.count
                && lhs.members.allSatisfy { member in
                    rhs[member.key].map(member.value.schemaEquals) ?? false
                }
        default: return self == other
        }
    }
}

/// A JSON object's fields in the order they were written. Keys are unique: the parser reports
/// a repeated key and keeps its first value.
struct JSONObject: Sendable, Hashable {
    struct Member: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    var members: [Member] = []

    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    /// Position of `key` among the fields, for ordering problems as the document reads.
    func index(of key: String) -> Int? {
        members.firstIndex { $0.key == key }
    }
}
