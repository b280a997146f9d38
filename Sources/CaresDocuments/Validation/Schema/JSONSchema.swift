import Foundation

/// A compiled JSON Schema document: the root schema and its `$defs`.
///
/// Compiling refuses any keyword outside the supported subset (rather than ignoring it, which
/// would silently accept what the schema forbids), a `$ref` that does not name a `$defs` entry,
/// and a `pattern` that does not compile.
struct JSONSchema: Sendable {
    struct CompileError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    let root: SchemaNode
    let definitions: [String: SchemaNode]

    /// The care record schema bundled with this module (`Schema/care-record.schema.json`),
    /// compiled once.
    static let careRecord: Result<JSONSchema, CompileError> = Result {
        () throws(CompileError) -> JSONSchema in
        guard let url = Bundle.module.url(forResource: "care-record.schema", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { throw CompileError(description: "the bundled care-record.schema.json is missing") }
        return try JSONSchema(data: data)
    }

    static let supportedKeywords: Set<String> = [
        "$schema", "$id", "title", "description", "$defs", "$ref", "type", "properties",
        "required", "additionalProperties", "items", "enum", "const", "pattern", "format",
        "minLength", "maxLength", "minItems", "maxItems", "propertyNames", "minProperties",
        "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
        // CareDocs' own annotations (JSON Schema lets a vocabulary add keywords; other
        // validators ignore them): `x-translatable` marks text a family document prints and
        // that may carry translations (`$defs/translatableText`); `x-catalogKey` names the
        // locale catalog key prefix an enum's values print with (`role` → `role.pcp`).
        "x-translatable", "x-catalogKey",
    ]

    static let supportedFormats: Set<String> = ["date", "email"]

    init(data: Data) throws(CompileError) {
        let parsed: JSONParser.Output
        do {
            parsed = try JSONParser.parse(SourceText(data))
        } catch {
            throw CompileError(description: "the schema is not JSON: \(error.message)")
        }
        try self.init(json: parsed.root)
    }

    init(json: JSONValue) throws(CompileError) {
        var definitions: [String: SchemaNode] = [:]
        if let defs = json["$defs"] {
            guard let object = defs.objectValue else { throw CompileError(description: "$defs must be an object") }
            for member in object.members {
                definitions[member.key] = try JSONSchema.compile(member.value, at: "#/$defs/\(member.key)")
            }
        }
        let root = try JSONSchema.compile(json, at: "#")
        self.root = root
        self.definitions = definitions
        for node in [root] + Array(definitions.values) {
            try checkReferences(in: node)
        }
    }

    private func checkReferences(in node: SchemaNode) throws(CompileError) {
        if let reference = node.reference, definitions[reference] == nil {
            throw CompileError(description: "$ref to #/$defs/\(reference), which does not exist")
        }
        let children =
            node.properties.map(\.node)
            + [node.items, node.propertyNames, node.additionalPropertiesSchema]
            .compactMap { $0 }
        for child in children {
            try checkReferences(in: child)
        }
    }

    private static func compile(_ json: JSONValue, at location: String) throws(CompileError) -> SchemaNode {
        guard let object = json.objectValue else {
            throw CompileError(description: "\(location) is not a schema object")
        }
        for member in object.members where !supportedKeywords.contains(member.key) {
            throw CompileError(description: "\(location) uses '\(member.key)', which this validator does not support")
        }
        func integer(_ key: String) throws(CompileError) -> Int? {
            guard let value = object[key] else { return nil }
            guard let number = value.numberValue, let integer = Int(exactly: number), integer >= 0 else {
                throw CompileError(description: "\(location)/\(key) must be a non-negative integer")
            }
            return integer
        }
        func number(_ key: String) throws(CompileError) -> Double? {
            guard let value = object[key] else { return nil }
            guard let number = value.numberValue, number.isFinite else {
                throw CompileError(description: "\(location)/\(key) must be a number")
            }
            return number
        }
        func string(_ key: String) throws(CompileError) -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value.stringValue else {
                throw CompileError(description: "\(location)/\(key) must be a string")
            }
            return text
        }

        var types: [String]?
        switch object["type"] {
        case nil: types = nil
        case .string(let type)?: types = [type]
        case .array(let list)?: types = list.compactMap(\.stringValue)
        default: throw CompileError(description: "\(location)/type must be a string or a list")
        }

        var reference: String?
        if let ref = try string("$ref") {
            guard ref.hasPrefix("#/$defs/") else {
                throw CompileError(description: "\(location)/$ref must point into #/$defs/")
            }
            reference = String(ref.dropFirst("#/$defs/".count))
        }

        var properties: [SchemaNode.Property] = []
        if let value = object["properties"] {
            guard let members = value.objectValue?.members else {
                throw CompileError(description: "\(location)/properties must be an object")
            }
            for member in members {
                properties.append(
                    SchemaNode.Property(
                        name: member.key,
                        node: try compile(member.value, at: "\(location)/properties/\(member.key)")
                    )
                )
            }
        }

        var allowsAdditionalProperties = true
        var additionalPropertiesSchema: SchemaNode?
        switch object["additionalProperties"] {
        case nil: break
        case .bool(let allowed)?: allowsAdditionalProperties = allowed
        case .object(let schema)?:
            additionalPropertiesSchema = try compile(.object(schema), at: "\(location)/additionalProperties")
        default:
            throw CompileError(description: "\(location)/additionalProperties must be true, false or a schema")
        }
        var translatable = false
        switch object["x-translatable"] {
        case nil: break
        case .bool(let value)?: translatable = value
        default: throw CompileError(description: "\(location)/x-translatable must be true or false")
        }

        let pattern = try string("pattern")
        if let pattern, (try? Regex(pattern)) == nil {
            throw CompileError(description: "\(location)/pattern does not compile: \(pattern)")
        }
        let format = try string("format")
        if let format, !supportedFormats.contains(format) {
            throw CompileError(description: "\(location)/format '\(format)' is not supported")
        }

        return SchemaNode(
            types: types,
            reference: reference,
            properties: properties,
            required: object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            allowsAdditionalProperties: allowsAdditionalProperties,
            additionalPropertiesSchema: additionalPropertiesSchema,
            propertyNames: try object["propertyNames"].map { (names) throws(CompileError) in
                try compile(names, at: "\(location)/propertyNames")
            },
            minProperties: try integer("minProperties"),
            translatable: translatable,
            catalogKey: try string("x-catalogKey"),
            items: try object["items"].map { (items) throws(CompileError) in
                try compile(items, at: "\(location)/items")
            },
            allowedValues: object["enum"]?.arrayValue,
            constant: object["const"],
            pattern: pattern,
            format: format,
            minLength: try integer("minLength"),
            maxLength: try integer("maxLength"),
            minItems: try integer("minItems"),
            maxItems: try integer("maxItems"),
            minimum: try number("minimum"),
            exclusiveMinimum: try number("exclusiveMinimum"),
            maximum: try number("maximum"),
            exclusiveMaximum: try number("exclusiveMaximum")
        )
    }
}
