import Templating

/// Every enumerated value a document prints comes from the locale catalogs: each string `enum`
/// of the care record schema names its catalog key prefix (`x-catalogKey`: `role` → `role.pcp`),
/// and every catalog must have a key for every value. `caredocs locales check` and a test run
/// this.
public enum CatalogCoverage {
    /// A string enum of the schema and the catalog keys its values print with.
    public struct SchemaEnum: Sendable, Hashable {
        /// Where the enum sits in the schema (`#/$defs/guardian/properties/relationship`).
        public var location: String
        /// `x-catalogKey`, or `nil` when the schema names none (itself a problem).
        public var keyPrefix: String?
        public var values: [String]

        /// The catalog key of each value (`role.pcp`).
        public var keys: [String] { keyPrefix.map { prefix in values.map { "\(prefix).\($0)" } } ?? [] }
    }

    /// Every string enum of the bundled care record schema.
    public static func schemaEnums() throws -> [SchemaEnum] {
        let schema = try JSONSchema.careRecord.get()
        var found: [SchemaEnum] = []
        func visit(_ node: SchemaNode, _ location: String) {
            if let values = node.allowedValues?.compactMap(\.stringValue), !values.isEmpty {
                found.append(SchemaEnum(location: location, keyPrefix: node.catalogKey, values: values))
            }
            for property in node.properties { visit(property.node, "\(location)/properties/\(property.name)") }
            if let items = node.items { visit(items, "\(location)/items") }
        }
        visit(schema.root, "#")
        for name in schema.definitions.keys.sorted() { visit(schema.definitions[name]!, "#/$defs/\(name)") }
        return found
    }

    /// An enum without a key prefix, and every catalog missing a value's key.
    public static func problems(in locales: LocaleSet) -> [String] {
        let enums: [SchemaEnum]
        do { enums = try schemaEnums() } catch { return ["the care record schema does not compile: \(error)"] }
        var out: [String] = []
        for e in enums {
            guard e.keyPrefix != nil else {
                out.append("schema enum \(e.location) names no catalog key prefix (x-catalogKey)")
                continue
            }
            for tag in locales.catalogs.keys.sorted() {
                let messages = locales.catalogs[tag]!.messages
                for key in e.keys where messages[key] == nil {
                    out.append("\(tag): missing key \(key) for the schema enum \(e.location)")
                }
            }
        }
        return out
    }
}
