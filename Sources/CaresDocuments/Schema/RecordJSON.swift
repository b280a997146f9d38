import Foundation
import Templating

/// A JSON value with its objects' field order and its numbers' exact text, for tools that read
/// and write care records field by field (the web editor): parsed by the validator's own parser,
/// written back compactly or indented.
public indirect enum RecordJSON: Sendable, Equatable, CustomStringConvertible {
    case object([Member])
    case array([RecordJSON])
    case string(String)
    /// The number as written (`2`, `32.5`).
    case number(String)
    case bool(Bool)
    case null

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: RecordJSON
        public init(_ key: String, _ value: RecordJSON) {
            self.key = key
            self.value = value
        }
    }

    /// The JSON in `data`, or `nil` when it is not JSON (the validator says why).
    public static func parse(_ data: Data) -> RecordJSON? {
        guard let output = try? JSONParser.parse(SourceText(data)) else { return nil }
        return RecordJSON(output.root)
    }

    init(_ value: JSONValue) {
        switch value {
        case .object(let o): self = .object(o.members.map { Member($0.key, RecordJSON($0.value)) })
        case .array(let items): self = .array(items.map(RecordJSON.init))
        case .string(let s): self = .string(s)
        case .number(let n): self = .number(n)
        case .bool(let b): self = .bool(b)
        case .null: self = .null
        }
    }

    public subscript(key: String) -> RecordJSON? {
        if case .object(let members) = self { members.first { $0.key == key }?.value } else { nil }
    }

    public subscript(index: Int) -> RecordJSON? {
        if case .array(let items) = self, items.indices.contains(index) { items[index] } else { nil }
    }

    public var members: [Member]? {
        if case .object(let m) = self { m } else { nil }
    }

    public var items: [RecordJSON]? {
        if case .array(let i) = self { i } else { nil }
    }

    /// The text of a string, a number or a boolean as a form shows it.
    public var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// Equal as JSON: objects regardless of field order, numbers by value.
    public func sameJSON(as other: RecordJSON) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            return a.count == b.count
                && a.allSatisfy { m in b.first { $0.key == m.key }.map { m.value.sameJSON(as: $0.value) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameJSON(as: $1) }
        case (.number(let a), .number(let b)):
            return Double(a) == Double(b)
        default:
            return self == other
        }
    }

    /// Compact JSON text.
    public var description: String { text(indent: nil) }

    /// Indented JSON (two spaces), as records are usually written, with a final newline.
    public var prettyData: Data { Data((text(indent: "") + "\n").utf8) }

    func text(indent: String?) -> String {
        let inner = indent.map { $0 + "  " }
        let newline = indent == nil ? "" : "\n"
        switch self {
        case .object(let members):
            if members.isEmpty { return "{}" }
            let fields = members.map {
                (inner ?? "") + Self.quote($0.key) + (indent == nil ? ":" : ": ") + $0.value.text(indent: inner)
            }
            return "{" + newline + fields.joined(separator: "," + newline) + newline + (indent ?? "") + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            let list = items.map { (inner ?? "") + $0.text(indent: inner) }
            return "[" + newline + list.joined(separator: "," + newline) + newline + (indent ?? "") + "]"
        case .string(let s): return Self.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String { CatalogReviewWriter.quote(s) }
}
