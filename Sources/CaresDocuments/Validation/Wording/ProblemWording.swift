/// The plain-English text of every problem the loader reports, in one place.
///
/// Texts quote field names, coded values (enum values, language tags, the schema version, ids)
/// and never free text a person typed (names, addresses, phone numbers, notes), so a problem
/// list does not repeat a member's details.
enum ProblemWording {
    // MARK: Input

    static let emptyRecord = "the record is empty"
    static let blankRecord = "the record is empty: it holds only whitespace"

    static func encoding(_ problem: EncodingProblem, at location: TextPosition) -> String {
        let byte = "0x" + String(problem.byte, radix: 16, uppercase: true)
        let place = "at byte offset \(problem.offset) (\(location))"
        let more = problem.count > 1 ? "; the record has \(problem.count) such bytes in all" : ""
        switch problem.kind {
        case .utf16ByteOrderMark:
            return
                "the record is not UTF-8 text: it starts with a UTF-16 byte order mark (byte \(byte) at byte offset 0); save it as UTF-8"
        case .nulByte:
            return
                "the record is not UTF-8 text: NUL byte (0x00) \(place), as in UTF-16 text or a binary file\(more); save it as UTF-8"
        case .invalidUTF8:
            return
                "the record is not UTF-8 text: byte \(byte) \(place) is not valid UTF-8 (text saved as Latin-1 or Windows-1252?)\(more); save it as UTF-8"
        }
    }

    static func syntax(_ error: JSONSyntaxError, at location: TextPosition) -> String {
        "the record is not valid JSON: \(location): \(error.message)"
    }

    static func notAnObject(found value: JSONValue) -> String {
        "the record must be a JSON object ({ ... }), but is \(foundDescription(value))"
    }

    static func duplicate(_ duplicate: DuplicateKey) -> String {
        "field \(quoted(duplicate.key)) appears twice in the same object (\(duplicate.first) and \(duplicate.repeated)): the record is ambiguous, keep only one"
    }

    static func schemaUnavailable(_ error: JSONSchema.CompileError) -> String {
        "the record cannot be checked: the care record schema could not be loaded (\(error.description))"
    }

    static func unreadable(_ detail: String) -> String {
        "could not be read: \(detail)"
    }

    // MARK: Schema keywords

    static func wrongType(expected: [String], found value: JSONValue) -> String {
        let wanted = expected.map(expectedDescription).joined(separator: " or ")
        var text = "must be \(wanted), but is \(foundDescription(value))"
        switch value {
        case .null:
            text += "; leave the field out when it has no value"
        case .number where expected == ["string"]:
            text += "; write it in double quotes"
        case .bool where expected == ["string"]:
            text += "; write it in double quotes"
        case .string(let string) where expected == ["boolean"] && ["true", "false"].contains(string):
            text += "; write true or false without quotes"
        case .object where expected == ["array"]:
            text += "; put it inside [ ] for a list of one"
        default: break
        }
        return text
    }

    static func notConstant(_ constant: JSONValue, found value: JSONValue, field: String?) -> String {
        let wanted = literal(constant)
        if field == "schemaVersion" {
            if case .number(let version) = value {
                return "schema version \(version) is not supported: this service reads schema version \(wanted) only"
            }
            return "must be the number \(wanted) (the supported schema version), but is \(foundDescription(value))"
        }
        return "must be \(wanted), but is \(foundDescription(value))"
    }

    static func unsupportedVersion(found value: JSONValue, allowed: [JSONValue]) -> String {
        let list = allowed.map(literal).joined(separator: " and ")
        if case .number(let version) = value {
            return "schema version \(version) is not supported: this service reads schema versions \(list)"
        }
        return
            "must be the number \(allowed.map(literal).joined(separator: " or ")) (the supported schema versions), but is \(foundDescription(value))"
    }

    // MARK: Translatable text (schema version 2)

    static let translationsNeedVersion2 =
        "is an object of translations, which needs \"schemaVersion\": 2 (in version 1 every text is a plain string)"
    static let contentLanguageNeedsVersion2 =
        "contentLanguage needs \"schemaVersion\": 2 (a version 1 record is written in English)"
    static let noTranslations =
        "has no text: write a plain string, or an object with at least the content language's text"

    static func unknownTranslationLanguage(_ tag: String) -> String {
        "\(quoted(tag)) is not a language tag we have a locale for; the keys of a translation object are language tags: \(SupportedLanguage.supportedTags.joined(separator: ", "))"
    }

    static func duplicateTranslationLanguage(_ tag: String, sameAs first: String) -> String {
        "\(quoted(tag)) names the same language as \(quoted(first)): one text per language"
    }

    static func translationNotText(found value: JSONValue) -> String {
        "a translation must be a string, but is \(foundDescription(value))"
    }

    static let blankTranslation =
        "is an empty translation: leave the language out until the text is translated"

    static func missingSourceText(_ language: SupportedLanguage) -> String {
        "has no \(quoted(language.tag)) text: a translation object must hold the text in the record's contentLanguage (\(language.tag)), the source of its translations"
    }

    static func notAllowed(_ value: JSONValue, allowed: [JSONValue]) -> String {
        let list = allowed.map(literal).joined(separator: ", ")
        guard let text = value.stringValue else {
            return "must be one of \(list), but is \(foundDescription(value))"
        }
        let names = allowed.compactMap(\.stringValue)
        if let suggestion = NameSuggestion.closest(to: text, among: names) {
            return "\(quoted(text)) is not an allowed value: did you mean '\(suggestion)'? Allowed: \(list)"
        }
        return "\(quoted(text)) is not an allowed value; allowed: \(list)"
    }

    static func missing(_ field: String) -> String {
        "required field \(quoted(field)) is missing"
    }

    static func unknownField(_ field: String, known: [String]) -> String {
        if let suggestion = NameSuggestion.closest(to: field, among: known) {
            return "unknown field \(quoted(field)): did you mean '\(suggestion)'?"
        }
        if known.isEmpty { return "unknown field \(quoted(field)): no fields are allowed here" }
        return "unknown field \(quoted(field)); the fields allowed here are \(known.joined(separator: ", "))"
    }

    static func tooShort(_ count: Int, minimum: Int) -> String {
        if count == 0 && minimum == 1 { return "must not be empty" }
        return "is too short: \(count) \(characters(count)), at least \(minimum)"
    }

    static func tooLong(_ count: Int, maximum: Int) -> String {
        "is too long: \(count) \(characters(count)), at most \(maximum)"
    }

    static func tooFewItems(_ count: Int, minimum: Int) -> String {
        "has too few entries: \(count), at least \(minimum)"
    }

    static func tooManyItems(_ count: Int, maximum: Int) -> String {
        "has too many entries: \(count), at most \(maximum)"
    }

    // Numbers are not repeated: a weight or a vital sign is the child's health information.
    static func notAbove(_ limit: Double) -> String {
        limit == 0
            ? "must be greater than 0 (a negative or zero value is not a measurement)"
            : "must be greater than \(number(limit))"
    }

    static func tooSmall(minimum: Double) -> String {
        "is too small: the least allowed is \(number(minimum))"
    }

    static func notBelow(_ limit: Double) -> String {
        "must be less than \(number(limit))"
    }

    static func tooLarge(maximum: Double) -> String {
        "is too large: at most \(number(maximum)) (check the unit)"
    }

    /// What a `pattern` asks for, in words; the schema's patterns each have an explanation.
    static func patternMismatch(_ pattern: String) -> String {
        switch pattern {
        case "^[0-9]{4}-[0-9]{2}-[0-9]{2}$":
            "must be a date written YYYY-MM-DD, like 2026-03-09"
        case "^[0-9]{5}(-[0-9]{4})?$":
            "must be a ZIP code: 5 digits, or 5 digits, a hyphen and 4 digits (12345 or 12345-6789)"
        case "^[A-Z]{2}$":
            "must be a state code of two capital letters, like MA"
        case "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$":
            "must be a BCP 47 language tag, like en, es, pt-BR or zh-Hant"
        default:
            "does not have the expected form (the pattern \(pattern))"
        }
    }

    static func unsupportedLanguage(_ tag: String) -> String {
        let supported = SupportedLanguage.supportedTags.joined(separator: ", ")
        if tag.lowercased() == "zh" {
            return
                "language 'zh' does not say which Chinese script the family reads: use zh-Hans (Simplified) or zh-Hant (Traditional)"
        }
        return
            "language \(quoted(tag)) is not supported (the service has no letters in it); supported languages: \(supported)"
    }

    // MARK: Cross-field checks

    static func unknownTeamMember(_ id: String, knownIds: [String], allowsFamily: Bool) -> String {
        let family = allowsFamily ? ", or 'family' for the member and parent/guardian" : ""
        if allowsFamily, id.lowercased() == GoalAction.familyResponsibleId, id != GoalAction.familyResponsibleId {
            return "refers to \(quoted(id)): did you mean 'family'? (written in lower case)"
        }
        if knownIds.isEmpty {
            return
                "refers to care team member \(quoted(id)), but the record has no careTeam; use a careTeam id\(family)"
        }
        let list = knownIds.count <= 12 ? " (careTeam ids: \(Quote.list(knownIds)))" : ""
        return
            "refers to care team member \(quoted(id)), but no careTeam entry has that id\(list); use a careTeam id\(family)"
    }

    static func duplicateId(_ id: String, firstUsedAt path: JSONPath, what: String) -> String {
        "id \(quoted(id)) is already used by \(path): each \(what) needs its own id"
    }

    static let reservedFamilyId =
        "id 'family' is reserved: in goals[].actions[].responsibleId it means the member and parent/guardian; choose another id"

    static func allergiesContradicted(count: Int) -> String {
        "is true, but emergency.allergies lists \(count) \(count == 1 ? "allergy" : "allergies"): the emergency plan cannot say both"
    }

    // MARK: Pieces

    private static func expectedDescription(_ type: String) -> String {
        switch type {
        case "object": "an object ({ ... })"
        case "array": "a list ([ ... ])"
        case "string": "a string (text in double quotes)"
        case "number": "a number"
        case "integer": "a whole number"
        case "boolean": "true or false"
        case "null": "null"
        default: type
        }
    }

    /// The kind of a value found, never the value itself (it could be personal data).
    private static func foundDescription(_ value: JSONValue) -> String {
        switch value {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }

    /// A coded value as written in JSON (`"mother"`, `1`), for lists of allowed values.
    private static func literal(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .object, .array: "(a structured value)"
        }
    }

    /// `'value'`, shortened to 60 characters and with invisible characters shown as U+XXXX.
    private static func quoted(_ text: String) -> String { Quote.value(text) }

    /// A schema limit as written: `0`, `100`, `37.5`.
    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func characters(_ count: Int) -> String {
        count == 1 ? "character" : "characters"
    }
}
