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

    init(schema: JSONSchema, definitionChecks: [String: DefinitionCheck]) {
        self.schema = schema
        self.definitionChecks = definitionChecks
    }

    /// Validates `value` at `path`; `true` when it adds no problem.
    @discardableResult
    mutating func validate(_ value: JSONValue, against node: SchemaNode, at path: JSONPath) -> Bool {
        let before = findings.count
        if let reference = node.reference {
            if let definition = schema.definitions[reference], definition.translatable {
                validateTranslatable(value, field: node, at: path)
                return findings.count == before
            }
            guard let definition = schema.definitions[reference],
                validate(value, against: definition, at: path)
            else { return false }
            if let check = definitionChecks[reference], let text = value.stringValue,
                let message = check(text)
            {
                return report(path, message)
            }
        }
        if let types = node.types, !types.contains(where: { SchemaValidator.value(value, hasType: $0) }) {
            return report(path, ProblemWording.wrongType(expected: types, found: value))
        }
        if let constant = node.constant, !value.schemaEquals(constant) {
            return report(path, ProblemWording.notConstant(constant, found: value, field: path.lastKey))
        }
        if let allowed = node.allowedValues, !allowed.contains(where: value.schemaEquals) {
            if path.lastKey == "schemaVersion" {
                return report(path, ProblemWording.unsupportedVersion(found: value, allowed: allowed))
            }
            return report(path, ProblemWording.notAllowed(value, allowed: allowed))
        }
        switch value {
        case .string(let text): validateString(text, against: node, at: path)
        case .object(let object): validateObject(object, against: node, at: path)
        case .array(let items): validateArray(items, against: node, at: path)
        case .number: validateNumber(value.numberValue, against: node, at: path)
        case .bool, .null: break
        }
        return findings.count == before
    }

    private mutating func validateString(_ text: String, against node: SchemaNode, at path: JSONPath) {
        let length = text.unicodeScalars.count
        if let minimum = node.minLength, length < minimum {
            report(path, ProblemWording.tooShort(length, minimum: minimum))
        } else if let maximum = node.maxLength, length > maximum {
            report(path, ProblemWording.tooLong(length, maximum: maximum))
        } else if let pattern = node.pattern, !matches(text, pattern) {
            report(path, ProblemWording.patternMismatch(pattern))
        } else if let message = node.format.flatMap({ SchemaValidator.formatProblem(text, format: $0) }) {
            report(path, message)
        }
    }

    /// `minimum`, `exclusiveMinimum`, `maximum`, `exclusiveMaximum`: one problem at most.
    private mutating func validateNumber(_ number: Double?, against node: SchemaNode, at path: JSONPath) {
        guard let number else { return }
        if let limit = node.exclusiveMinimum, number <= limit {
            report(path, ProblemWording.notAbove(limit))
        } else if let limit = node.minimum, number < limit {
            report(path, ProblemWording.tooSmall(minimum: limit))
        } else if let limit = node.exclusiveMaximum, number >= limit {
            report(path, ProblemWording.notBelow(limit))
        } else if let limit = node.maximum, number > limit {
            report(path, ProblemWording.tooLarge(maximum: limit))
        }
    }

    /// A translatable text (`x-translatable`): a string that keeps the referring field's string
    /// rules, or — schema version 2 — a non-empty object from supported language tag to such a
    /// string that holds the content language's text.
    private mutating func validateTranslatable(_ value: JSONValue, field: SchemaNode, at path: JSONPath) {
        switch value {
        case .string(let text):
            validateString(text, against: field, at: path)
        case .object(let object):
            guard translation.objectsAllowed else {
                report(path, ProblemWording.translationsNeedVersion2)
                return
            }
            guard !object.members.isEmpty else {
                report(path, ProblemWording.noTranslations)
                return
            }
            var seen: [SupportedLanguage: String] = [:]
            for member in object.members {
                let memberPath = path.appending(member.key)
                guard let language = SupportedLanguage.normalize(member.key) else {
                    report(memberPath, ProblemWording.unknownTranslationLanguage(member.key))
                    continue
                }
                if let first = seen[language] {
                    report(memberPath, ProblemWording.duplicateTranslationLanguage(member.key, sameAs: first))
                    continue
                }
                seen[language] = member.key
                guard case .string(let text) = member.value else {
                    report(memberPath, ProblemWording.translationNotText(found: member.value))
                    continue
                }
                if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                    report(memberPath, ProblemWording.blankTranslation)
                    continue
                }
                validateString(text, against: field, at: memberPath)
            }
            if seen[translation.contentLanguage] == nil {
                report(path, ProblemWording.missingSourceText(translation.contentLanguage))
            }
        default:
            let expected = translation.objectsAllowed ? ["string", "object"] : ["string"]
            report(path, ProblemWording.wrongType(expected: expected, found: value))
        }
    }

    private mutating func validateObject(_ object: JSONObject, against node: SchemaNode, at path: JSONPath) {
        if let minimum = node.minProperties, object.members.count < minimum {
            report(path, ProblemWording.tooFewItems(object.members.count, minimum: minimum))
        }
        for member in object.members {
            if let names = node.propertyNames {
                validate(.string(member.key), against: names, at: path.appending(member.key))
            }
            if let property = node.property(named: member.key) {
                validate(member.value, against: property, at: path.appending(member.key))
            } else if let additional = node.additionalPropertiesSchema {
                validate(member.value, against: additional, at: path.appending(member.key))
            } else if !node.allowsAdditionalProperties {
                report(
                    path.appending(member.key),
                    ProblemWording.unknownField(member.key, known: node.properties.map(\.name))
                )
            }
        }
        for name in node.required where object[name] == nil {
            report(path.appending(name), ProblemWording.missing(name))
        }
    }

    private mutating func validateArray(_ items: [JSONValue], against node: SchemaNode, at path: JSONPath) {
        if let minimum = node.minItems, items.count < minimum {
            report(path, ProblemWording.tooFewItems(items.count, minimum: minimum))
        }
        if let maximum = node.maxItems, items.count > maximum {
            report(path, ProblemWording.tooManyItems(items.count, maximum: maximum))
        }
        guard let itemSchema = node.items else { return }
        for (index, item) in items.enumerated() {
            validate(item, against: itemSchema, at: path.appending(index))
        }
    }

    @discardableResult
    private mutating func report(_ path: JSONPath, _ message: String) -> Bool {
        findings.append(Finding(path, message))
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
