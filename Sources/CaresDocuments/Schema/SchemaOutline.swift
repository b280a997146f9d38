import Foundation

/// The care record schema as a tree of fields for tools that lay a record out field by field
/// (the web editor): every `$ref` resolved, the referring field's `description`, `title` and
/// lengths winning over the definition's, properties in schema order. A field the schema gains
/// appears here without code changes.
public final class SchemaOutline: Sendable {
    public enum Kind: String, Sendable {
        case object, array, text, translatable, choice, boolean, number, integer, date
    }

    public struct Property: Sendable {
        public var name: String
        public var node: SchemaOutline
    }

    public let kind: Kind
    public let title: String?
    public let description: String?
    /// Properties of an object, in schema order.
    public let properties: [Property]
    public let required: Set<String>
    /// What each row of a list is.
    public let items: SchemaOutline?
    /// The allowed values of a choice, as JSON text (`"mother"` → `mother`, `2` → `2`).
    public let choices: [String]
    /// The choices are numbers (`schemaVersion`).
    public let numericChoices: Bool
    /// `x-catalogKey`: the locale catalog key prefix the choice's values print with.
    public let catalogKey: String?
    public let maxLength: Int?
    public let format: String?

    init(
        kind: Kind,
        title: String?,
        description: String?,
        properties: [Property] = [],
        required: Set<String> = [],
        items: SchemaOutline? = nil,
        choices: [String] = [],
        numericChoices: Bool = false,
        catalogKey: String? = nil,
        maxLength: Int? = nil,
        format: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.description = description
        self.properties = properties
        self.required = required
        self.items = items
        self.choices = choices
        self.numericChoices = numericChoices
        self.catalogKey = catalogKey
        self.maxLength = maxLength
        self.format = format
    }

    public func property(_ name: String) -> SchemaOutline? {
        properties.first { $0.name == name }?.node
    }

    /// The node at a dotted path of keys and row numbers (`goals.0.actions.1.description`);
    /// `nil` where the schema has no such field.
    public func node(at path: [String]) -> SchemaOutline? {
        var node: SchemaOutline? = self
        for part in path {
            guard let current = node else { return nil }
            if current.kind == .array {
                node = Int(part) == nil ? nil : current.items
            } else {
                node = current.property(part)
            }
        }
        return node
    }

    /// The care record schema bundled with this module.
    public static let careRecord: SchemaOutline? = {
        guard let url = Bundle.module.url(forResource: "care-record.schema", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let root = try? JSONParser.parse(SourceText(data)).root,
            let defs = root["$defs"]?.objectValue
        else { return nil }
        var definitions: [String: JSONValue] = [:]
        for m in defs.members { definitions[m.key] = m.value }
        return build(root, definitions, depth: 0)
    }()

    static func build(_ json: JSONValue, _ defs: [String: JSONValue], depth: Int) -> SchemaOutline {
        // The referring field's own keywords win over the definition's.
        var fields: [String: JSONValue] = [:]
        if let ref = json["$ref"]?.stringValue, ref.hasPrefix("#/$defs/"),
            let def = defs[String(ref.dropFirst("#/$defs/".count))]?.objectValue, depth < 40
        {
            for m in def.members { fields[m.key] = m.value }
        }
        for m in json.objectValue?.members ?? [] where m.key != "$ref" { fields[m.key] = m.value }
        func string(_ key: String) -> String? { fields[key]?.stringValue }
        let title = string("title")
        let description = string("description")
        let maxLength = fields["maxLength"]?.numberValue.map { Int($0) }
        let types =
            fields["type"].map { t in t.stringValue.map { [$0] } ?? t.arrayValue?.compactMap(\.stringValue) ?? [] }
            ?? []
        if case .bool(true)? = fields["x-translatable"] {
            return SchemaOutline(kind: .translatable, title: title, description: description, maxLength: maxLength)
        }
        if let values = fields["enum"]?.arrayValue {
            let numeric = values.allSatisfy { $0.numberValue != nil }
            return SchemaOutline(
                kind: .choice,
                title: title,
                description: description,
                choices: values.compactMap { v in v.stringValue ?? (v.numberValue != nil ? Self.numberText(v) : nil) },
                numericChoices: numeric,
                catalogKey: string("x-catalogKey")
            )
        }
        if types.contains("object") || fields["properties"] != nil {
            let properties = (fields["properties"]?.objectValue?.members ?? []).map {
                Property(name: $0.key, node: build($0.value, defs, depth: depth + 1))
            }
            let required = Set(fields["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            return SchemaOutline(
                kind: .object,
                title: title,
                description: description,
                properties: properties,
                required: required
            )
        }
        if types.contains("array") {
            let items = fields["items"].map { build($0, defs, depth: depth + 1) }
            return SchemaOutline(kind: .array, title: title, description: description, items: items)
        }
        if types.contains("boolean") { return SchemaOutline(kind: .boolean, title: title, description: description) }
        if types.contains("integer") { return SchemaOutline(kind: .integer, title: title, description: description) }
        if types.contains("number") { return SchemaOutline(kind: .number, title: title, description: description) }
        let format = string("format")
        return SchemaOutline(
            kind: format == "date" ? .date : .text,
            title: title,
            description: description,
            maxLength: maxLength,
            format: format
        )
    }

    static func numberText(_ v: JSONValue) -> String? {
        if case .number(let text) = v { text } else { nil }
    }
}
