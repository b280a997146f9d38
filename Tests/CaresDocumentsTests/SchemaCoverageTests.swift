import Foundation
import Testing

@testable import CaresDocuments

/// The model and the validator follow the bundled schema: it compiles with only supported
/// keywords, each Swift enum has exactly the schema's values, and `Records/full.json` (which
/// round-trips) uses every property the schema defines.
@Suite struct SchemaCoverageTests {
    static func schema() throws -> JSONSchema {
        try JSONSchema.careRecord.get()
    }

    @Test func bundledSchemaCompiles() throws {
        let schema = try Self.schema()
        #expect(schema.root.required == ["schemaVersion", "member"])
        #expect(schema.definitions.count == 24)
        #expect(schema.root.property(named: "schemaVersion")?.allowedValues == [.number("1"), .number("2")])
        #expect(CaresDocuments.schemaVersion == 2)
        #expect(schema.definitions["translatableText"]?.translatable == true)
    }

    @Test(.enabled(if: Fixtures.sharedExamplesPresent, "../shared is not beside this checkout"))
    func theProjectSchemaExtendsTheSharedOne() throws {
        // The shared contract is version 1; the project's copy reads version 2 as well: every
        // field of the shared schema is still there (and the shared examples still validate).
        let shared = try JSONSchema(
            data: Data(
                contentsOf: Fixtures.sharedExamplesDirectory.deletingLastPathComponent().appending(
                    path: "schema/care-record.schema.json"
                )
            )
        )
        func locations(_ schema: JSONSchema) -> Set<String> {
            var out: Set<String> = []
            func collect(_ node: SchemaNode, _ location: String) {
                for property in node.properties {
                    out.insert("\(location)/\(property.name)")
                    collect(property.node, "\(location)/\(property.name)")
                }
                if let items = node.items { collect(items, "\(location)[]") }
            }
            collect(schema.root, "#")
            for (name, definition) in schema.definitions { collect(definition, "#/$defs/\(name)") }
            return out
        }
        let missing = locations(shared).subtracting(locations(try Self.schema())).filter {
            !$0.hasPrefix("#/$defs/text")
        }
        #expect(missing.isEmpty, "\(missing.sorted())")
    }

    /// Every example in `../shared/examples` validates, and the project's copies are the same.
    @Test(.enabled(if: Fixtures.sharedExamplesPresent, "../shared is not beside this checkout"))
    func theSharedExamplesValidateAndMatchTheCopies() throws {
        let names = try FileManager.default.contentsOfDirectory(
            atPath: Fixtures.sharedExamplesDirectory.path(percentEncoded: false)
        ).filter { $0.hasSuffix(".json") }
        #expect(!names.isEmpty)
        for name in names {
            let data = try Data(contentsOf: Fixtures.sharedExamplesDirectory.appending(path: name))
            #expect(CareRecordLoader.validate(data: data).isEmpty, "\(name)")
            #expect(
                try Data(contentsOf: Fixtures.examplesDirectory.appending(path: name)) == data,
                "Records/shared-examples/\(name) differs from ../shared/examples"
            )
        }
    }

    @Test func unsupportedKeywordsAreRefusedNotIgnored() {
        for schemaText in [
            #"{"type": "integer", "multipleOf": 3}"#, #"{"type": "number", "minimum": "3"}"#,
            #"{"oneOf": [{"type": "string"}]}"#,
            ##"{"$ref": "#/$defs/missing"}"##, #"{"type": "string", "format": "uri"}"#,
            #"{"additionalProperties": 3}"#, #"{"pattern": "(unclosed"}"#, #"{"x-translatable": "yes"}"#,
        ] {
            #expect(throws: JSONSchema.CompileError.self, "\(schemaText)") {
                try JSONSchema(data: Data(schemaText.utf8))
            }
        }
    }

    @Test func everySchemaPatternIsExplainedInWords() throws {
        let schema = try Self.schema()
        var patterns: [String] = []
        func collect(_ node: SchemaNode) {
            if let pattern = node.pattern { patterns.append(pattern) }
            for property in node.properties { collect(property.node) }
            node.items.map(collect)
        }
        collect(schema.root)
        schema.definitions.values.forEach(collect)
        #expect(patterns.count == 4)
        for pattern in patterns {
            #expect(!ProblemWording.patternMismatch(pattern).contains(pattern), "\(pattern) has no explanation")
        }
    }

    @Test func everySchemaEnumMatchesItsSwiftEnum() throws {
        let schema = try Self.schema()
        func values(_ definition: String, _ property: String) -> [String]? {
            schema.definitions[definition]?.property(named: property)?.allowedValues?.compactMap(\.stringValue)
        }
        let severity = schema.definitions["emergency"]?.property(named: "allergies")?.items?.property(named: "severity")
        #expect(values("guardian", "relationship") == GuardianRelationship.allCases.map(\.rawValue))
        #expect(values("teamMember", "role") == TeamRole.allCases.map(\.rawValue))
        #expect(values("goal", "domain") == GoalDomain.allCases.map(\.rawValue))
        #expect(values("goal", "term") == GoalTerm.allCases.map(\.rawValue))
        #expect(values("goal", "status") == GoalStatus.allCases.map(\.rawValue))
        #expect(values("socialNeed", "need") == SocialNeedKind.allCases.map(\.rawValue))
        #expect(values("socialNeed", "status") == SocialNeedStatus.allCases.map(\.rawValue))
        #expect(values("transition", "kind") == TransitionKind.allCases.map(\.rawValue))
        #expect(severity?.allowedValues?.compactMap(\.stringValue) == AllergySeverity.allCases.map(\.rawValue))
        #expect(values("approval", "method") == ApprovalMethod.allCases.map(\.rawValue))
        #expect(values("removal", "reason") == RemovalReason.allCases.map(\.rawValue))
        func emergency(_ path: String...) -> [String]? {
            var node = schema.definitions["emergency"]
            for name in path { node = node?.property(named: name) }
            return node?.allowedValues?.compactMap(\.stringValue)
        }
        #expect(emergency("weight", "unit") == Weight.Unit.allCases.map(\.rawValue))
        #expect(
            emergency("baselineVitals", "temperature", "unit")
                == BaselineVitals.Temperature.Unit.allCases.map(\.rawValue)
        )
        #expect(emergency("advanceDirective", "status") == AdvanceDirectiveStatus.allCases.map(\.rawValue))
        #expect(emergency("guardianship", "status") == GuardianshipStatus.allCases.map(\.rawValue))
        #expect(emergency("immunizations", "status") == ImmunizationStatus.allCases.map(\.rawValue))
    }

    @Test func fullRecordUsesEveryPropertyOfTheSchema() throws {
        let schema = try Self.schema()
        // full.json (version 1), the translated Rivera record (version 2: contentLanguage) and
        // the emergency plan's version 2 fields (emergency-v2-full.json).
        let records = try ["full.json", "rivera-v2-es.json", "emergency-v2-full.json"].map {
            try JSONParser.parse(SourceText(Fixtures.record($0))).root
        }
        var used: Set<String> = []
        func key(_ node: SchemaNode, _ property: String) -> String { "\(ObjectIdentifier(node))/\(property)" }
        func walk(_ value: JSONValue, _ node: SchemaNode) {
            if let reference = node.reference, let definition = schema.definitions[reference] {
                walk(value, definition)
            }
            if let items = node.items {
                for item in value.arrayValue ?? [] { walk(item, items) }
            }
            for property in node.properties {
                guard let member = value[property.name] else { continue }
                used.insert(key(node, property.name))
                walk(member, property.node)
            }
        }
        for record in records { walk(record, schema.root) }

        var unused: [String] = []
        func collect(_ node: SchemaNode, _ location: String) {
            for property in node.properties {
                if !used.contains(key(node, property.name)) { unused.append("\(location)/properties/\(property.name)") }
                collect(property.node, "\(location)/properties/\(property.name)")
            }
            if let items = node.items { collect(items, "\(location)/items") }
        }
        collect(schema.root, "#")
        for (name, definition) in schema.definitions { collect(definition, "#/$defs/\(name)") }
        #expect(unused.sorted() == [])
    }
}
