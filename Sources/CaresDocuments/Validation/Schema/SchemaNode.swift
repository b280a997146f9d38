/// One (sub)schema of the JSON Schema 2020-12 subset the care record schema uses, compiled
/// from its JSON by `JSONSchema`. Annotations (`description`, `title`) are dropped.
final class SchemaNode: Sendable {
    struct Property: Sendable {
        var name: String
        var node: SchemaNode
    }

    /// `type`: allowed JSON types (`string`, `integer`, …); `nil` allows any.
    let types: [String]?
    /// `$ref` to `#/$defs/<name>`: the name.
    let reference: String?
    /// `properties`, in schema order.
    let properties: [Property]
    let required: [String]
    /// `additionalProperties` (only `true`/`false` are supported).
    let allowsAdditionalProperties: Bool
    /// `additionalProperties` given as a schema: what every member not in `properties` must be.
    let additionalPropertiesSchema: SchemaNode?
    /// `propertyNames`: what every member name must be.
    let propertyNames: SchemaNode?
    let minProperties: Int?
    /// `x-translatable`: text a family document prints; a plain string in the record's
    /// `contentLanguage` or (schema version 2) an object from language tag to text. The
    /// validator checks such a value with the referring field's string rules
    /// (`SchemaValidator.validateTranslatable`).
    let translatable: Bool
    /// `x-catalogKey`: the catalog key prefix this enum's values print with.
    let catalogKey: String?
    let items: SchemaNode?
    /// `enum`.
    let allowedValues: [JSONValue]?
    /// `const`.
    let constant: JSONValue?
    let pattern: String?
    let format: String?
    let minLength: Int?
    let maxLength: Int?
    let minItems: Int?
    let maxItems: Int?
    /// `minimum`, `exclusiveMinimum`, `maximum`, `exclusiveMaximum` (numbers only).
    let minimum: Double?
    let exclusiveMinimum: Double?
    let maximum: Double?
    let exclusiveMaximum: Double?

    init(
        types: [String]?,
        reference: String?,
        properties: [Property],
        required: [String],
        allowsAdditionalProperties: Bool,
        additionalPropertiesSchema: SchemaNode? = nil,
        propertyNames: SchemaNode? = nil,
        minProperties: Int? = nil,
        translatable: Bool = false,
        catalogKey: String? = nil,
        items: SchemaNode?,
        allowedValues: [JSONValue]?,
        constant: JSONValue?,
        pattern: String?,
        format: String?,
        minLength: Int?,
        maxLength: Int?,
        minItems: Int?,
        maxItems: Int?,
        minimum: Double? = nil,
        exclusiveMinimum: Double? = nil,
        maximum: Double? = nil,
        exclusiveMaximum: Double? = nil
    ) {
        self.types = types
        self.reference = reference
        self.properties = properties
        self.required = required
        self.allowsAdditionalProperties = allowsAdditionalProperties
        self.additionalPropertiesSchema = additionalPropertiesSchema
        self.propertyNames = propertyNames
        self.minProperties = minProperties
        self.translatable = translatable
        self.catalogKey = catalogKey
        self.items = items
        self.allowedValues = allowedValues
        self.constant = constant
        self.pattern = pattern
        self.format = format
        self.minLength = minLength
        self.maxLength = maxLength
        self.minItems = minItems
        self.maxItems = maxItems
        self.minimum = minimum
        self.exclusiveMinimum = exclusiveMinimum
        self.maximum = maximum
        self.exclusiveMaximum = exclusiveMaximum
    }

    func property(named name: String) -> SchemaNode? {
        properties.first { $0.name == name }?.node
    }
}
