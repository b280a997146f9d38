import Foundation

/// Checks a parsed value against a compiled schema and collects every problem, not just the
/// first: unknown, missing and wrong fields across the whole record in one pass.
///
/// One problem per value at most: a value of the wrong type is not also too long, and a date
/// that is not written `YYYY-MM-DD` is not also "not a real date". Objects and lists report
/// their own problems and then those of every member.
struct SchemaValidator {
    /// Extra checks of strings, by the `$defs` name the schema refers to; they run once the
    /// referenced schema accepts the value. (`language` → is there a locale for it?)
    typealias DefinitionCheck = @Sendable (String) -> String?

    /// What a translatable text (`x-translatable`) may be in the record being checked.
    struct TranslationRules: Sendable {
        /// Schema version 2: a translatable text may be an object of translations.
        var objectsAllowed: Bool
        /// The record's `contentLanguage`: an object of translations must hold its text.
        var contentLanguage: SupportedLanguage

        static let version1 = TranslationRules(objectsAllowed: false, contentLanguage: .english)
    }

    let schema: JSONSchema
    let definitionChecks: [String: DefinitionCheck]
    var translation: TranslationRules = .version1
    private(set) var findings: [Finding] = []
    /// Where the value being checked is: a path is made only for a problem reported, not for
    /// every value checked.
    private var components: [JSONPath.Component] = []

    init(schema: JSONSchema, definitionChecks: [String: DefinitionCheck]) {
        self.schema = schema
        self.definitionChecks = definitionChecks
    }

    /// Validates `value` at `path`; `true` when it adds no problem.
    @discardableResult
    mutating func validate(_ value: JSONValue, against node: SchemaNode, at path: JSONPath) -> Bool {
        let outer = components
        components = path.components
        defer { components = outer }
        return check(value, against: node)
    }

    /// `value` (at `components`) against `node`; `true` when it adds no problem.
    @discardableResult
    private mutating func check(_ value: JSONValue, against node: SchemaNode) -> Bool {
        let before = findings.count
        if let reference = node.reference {
            if let definition = schema.definitions[reference], definition.translatable {
                validateTranslatable(value, field: node)
                return findings.count == before
            }
            guard let definition = schema.definitions[reference],
                check(value, against: definition)
            else { return false }
            if let check = definitionChecks[reference], let text = value.stringValue,
                let message = check(text)
            {
                return report(message)
            }
        }
        if let types = node.types, !types.contains(where: { SchemaValidator.value(value, hasType: $0) }) {
            return report(ProblemWording.wrongType(expected: types, found: value))
        }
        if let constant = node.constant, !value.schemaEquals(constant) {
            return report(ProblemWording.notConstant(constant, found: value, field: lastKey))
        }
        if let allowed = node.allowedValues, !allowed.contains(where: value.schemaEquals) {
            if lastKey == "schemaVersion" {
                return report(ProblemWording.unsupportedVersion(found: value, allowed: allowed))
            }
            return report(ProblemWording.notAllowed(value, allowed: allowed))
        }
        switch value {
        case .string(let text): validateString(text, against: node)
        case .object(let object): validateObject(object, against: node)
        case .array(let items): validateArray(items, against: node)
        case .number: validateNumber(value.numberValue, against: node)
        case .bool, .null: break
        }
        return findings.count == before
    }

    /// The name of the field being checked (the last key of its path).
    private var lastKey: String? {
        if case .key(let key)? = components.last { key } else { nil }
    }

    private mutating func validateString(_ text: String, against node: SchemaNode) {
        // Counted in scalars, as JSON Schema asks; a text's UTF-8 length bounds that count
        // (one to four bytes a scalar), which settles most texts without counting.
        let bytes = text.utf8.count
        func length() -> Int { text.unicodeScalars.count }
        if let minimum = node.minLength, bytes / 4 < minimum, length() < minimum {
            report(ProblemWording.tooShort(length(), minimum: minimum))
        } else if let maximum = node.maxLength, bytes > maximum, length() > maximum {
            report(ProblemWording.tooLong(length(), maximum: maximum))
        } else if let pattern = node.pattern, !matches(text, pattern) {
            report(ProblemWording.patternMismatch(pattern))
        } else if let message = node.format.flatMap({ SchemaValidator.formatProblem(text, format: $0) }) {
            report(message)
        }
    }

    /// `minimum`, `exclusiveMinimum`, `maximum`, `exclusiveMaximum`: one problem at most.
    private mutating func validateNumber(_ number: Double?, against node: SchemaNode) {
        guard let number else { return }
        if let limit = node.exclusiveMinimum, number <= limit {
            report(ProblemWording.notAbove(limit))
        } else if let limit = node.minimum, number < limit {
            report(ProblemWording.tooSmall(minimum: limit))
        } else if let limit = node.exclusiveMaximum, number >= limit {
            report(ProblemWording.notBelow(limit))
        } else if let limit = node.maximum, number > limit {
            report(ProblemWording.tooLarge(maximum: limit))
        }
    }

    /// A translatable text (`x-translatable`): a string that keeps the referring field's string
    /// rules, or — schema version 2 — a non-empty object from supported language tag to such a
    /// string that holds the content language's text.
    private mutating func validateTranslatable(_ value: JSONValue, field: SchemaNode) {
        switch value {
        case .string(let text):
            validateString(text, against: field)
        case .object(let object):
            guard translation.objectsAllowed else {
                report(ProblemWording.translationsNeedVersion2)
                return
            }
            guard !object.members.isEmpty else {
                report(ProblemWording.noTranslations)
                return
            }
            var seen: [SupportedLanguage: String] = [:]
            for member in object.members {
                components.append(.key(member.key))
                defer { components.removeLast() }
                guard let language = SupportedLanguage.normalize(member.key) else {
                    report(ProblemWording.unknownTranslationLanguage(member.key))
                    continue
                }
                if let first = seen[language] {
                    report(ProblemWording.duplicateTranslationLanguage(member.key, sameAs: first))
                    continue
                }
                seen[language] = member.key
                guard case .string(let text) = member.value else {
                    report(ProblemWording.translationNotText(found: member.value))
                    continue
                }
                if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                    report(ProblemWording.blankTranslation)
                    continue
                }
                validateString(text, against: field)
            }
            if seen[translation.contentLanguage] == nil {
                report(ProblemWording.missingSourceText(translation.contentLanguage))
            }
        default:
            let expected = translation.objectsAllowed ? ["string", "object"] : ["string"]
            report(ProblemWording.wrongType(expected: expected, found: value))
        }
    }

    private mutating func validateObject(_ object: JSONObject, against node: SchemaNode) {
        if let minimum = node.minProperties, object.members.count < minimum {
            report(ProblemWording.tooFewItems(object.members.count, minimum: minimum))
        }
        for member in object.members {
            components.append(.key(member.key))
            defer { components.removeLast() }
            if let names = node.propertyNames {
                check(.string(member.key), against: names)
            }
            if let property = node.property(named: member.key) {
                check(member.value, against: property)
            } else if let additional = node.additionalPropertiesSchema {
                check(member.value, against: additional)
            } else if !node.allowsAdditionalProperties {
                report(ProblemWording.unknownField(member.key, known: node.properties.map(\.name)))
            }
        }
        for name in node.required where object[name] == nil {
            components.append(.key(name))
            report(ProblemWording.missing(name))
            components.removeLast()
        }
    }

    private mutating func validateArray(_ items: [JSONValue], against node: SchemaNode) {
        if let minimum = node.minItems, items.count < minimum {
            report(ProblemWording.tooFewItems(items.count, minimum: minimum))
        }
        if let maximum = node.maxItems, items.count > maximum {
            report(ProblemWording.tooManyItems(items.count, maximum: maximum))
        }
        guard let itemSchema = node.items else { return }
        for (index, item) in items.enumerated() {
            components.append(.index(index))
            check(item, against: itemSchema)
            components.removeLast()
        }
    }

    /// A problem with the value being checked.
    @discardableResult
    private mutating func report(_ message: String) -> Bool {
        findings.append(Finding(JSONPath(components: components), message))
        return false
    }

    /// ECMA-262 semantics as JSON Schema asks: unanchored search, code points, not graphemes.
    private func matches(_ text: String, _ pattern: String) -> Bool {
        Self.patterns.matches(text, pattern)
    }

    /// The schema's patterns compiled once per process, for every validator: compiling them
    /// for each record (a validator is made per record) was a fifth of reading one.
    private static let patterns = CompiledPatterns()

    /// `Regex` is not `Sendable`: the compiled patterns are used under a lock (a match is a
    /// small part of a record's check, and the render workers are processes of their own).
    private final class CompiledPatterns: @unchecked Sendable {
        private let lock = NSLock()
        private var compiled: [String: Regex<AnyRegexOutput>?] = [:]

        func matches(_ text: String, _ pattern: String) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            let regex: Regex<AnyRegexOutput>?
            if let known = compiled[pattern] {
                regex = known
            } else {
                regex = try? Regex(pattern).matchingSemantics(.unicodeScalar)
                compiled[pattern] = .some(regex)
            }
            // A pattern that does not compile matches nothing.
            guard let regex else { return false }
            return (try? regex.firstMatch(in: text)) != nil
        }
    }

    private static func formatProblem(_ text: String, format: String) -> String? {
        switch format {
        case "date": DateFormat.problem(in: text)
        case "email": EmailFormat.problem(in: text)
        default: nil
        }
    }

    private static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("number", .number),
            ("boolean", .bool), ("null", .null):
            true
        case ("integer", .number):
            value.numberValue.map { $0.rounded() == $0 && $0.isFinite } ?? false
        default:
            false
        }
    }
}
