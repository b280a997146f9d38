import Foundation

/// Reads care records: checks the whole input contract (encoding, JSON syntax, the schema,
/// and the cross-field rules the schema cannot state) and decodes a `CareRecord` only when the
/// record keeps it. Any input, however broken, gives a result; nothing is logged.
public enum CareRecordLoader {
    /// The record, or every problem with it at once, in document order.
    public static func load(data: Data) -> Result<CareRecord, ValidationFailure> {
        let parsed: ParsedRecord
        switch parse(data) {
        case .stopped(let message):
            return .failure(ValidationFailure(problems: [ValidationProblem(path: "", problem: message)]))
        case .parsed(let record): parsed = record
        }
        let problems = problems(parsed)
        guard problems.isEmpty else { return .failure(ValidationFailure(problems: problems)) }
        // Decoded from the tree the validation read (`JSONValueDecoder`), not parsed again.
        return decode(.object(parsed.object))
    }

    /// The record of bytes `load` accepted before (the render workers' path: the server checked
    /// them): parsed and decoded only. A failure is still reported, never trapped.
    public static func decodeValidated(data: Data) -> Result<CareRecord, ValidationFailure> {
        switch parse(data) {
        case .stopped(let message):
            return .failure(ValidationFailure(problems: [ValidationProblem(path: "", problem: message)]))
        case .parsed(let parsed):
            return decode(.object(parsed.object))
        }
    }

    private static func decode(_ root: JSONValue) -> Result<CareRecord, ValidationFailure> {
        do {
            return .success(try JSONValueDecoder.decode(CareRecord.self, from: root))
        } catch {
            return .failure(ValidationFailure(problems: [problem(decoding: error)]))
        }
    }

    /// Every problem with the record, in document order; empty when the record is valid.
    ///
    /// Problems with the input as a whole (empty, not UTF-8, not JSON, not an object) stop
    /// the check: there is nothing further to read. So does a `schemaVersion` this service does
    /// not read: its other fields follow a contract this service does not know.
    public static func validate(data: Data) -> [ValidationProblem] {
        switch parse(data) {
        case .stopped(let message):
            return [ValidationProblem(path: "", problem: message)]
        case .parsed(let parsed):
            return problems(parsed)
        }
    }

    private static func problems(_ parsed: ParsedRecord) -> [ValidationProblem] {
        validate(parsed).map { ValidationProblem(path: $0.path.description, problem: $0.message) }
    }

    static let checks: [any RecordCheck] = [
        UniqueIdCheck(list: "careTeam", entry: "care team member"),
        UniqueIdCheck(list: "goals", entry: "goal"),
        TeamReferenceCheck(),
        AllergyStatementCheck(),
        ContentLanguageCheck(),
    ]

    static let definitionChecks: [String: SchemaValidator.DefinitionCheck] = [
        "language": { tag in
            SupportedLanguage.normalize(tag) == nil ? ProblemWording.unsupportedLanguage(tag) : nil
        }
    ]

    private struct ParsedRecord {
        var object: JSONObject
        var duplicates: [DuplicateKey]
    }

    private enum ParseOutcome {
        case parsed(ParsedRecord)
        /// The one problem with the input as a whole that stops reading.
        case stopped(String)
    }

    /// Bytes → JSON object, or the one problem that stops reading.
    private static func parse(_ data: Data) -> ParseOutcome {
        let text = SourceText(data)
        let content = text.bytes[text.start...]
        if content.isEmpty { return .stopped(ProblemWording.emptyRecord) }
        if let problem = EncodingCheck.firstProblem(in: text) {
            return .stopped(ProblemWording.encoding(problem, at: text.location(ofByte: problem.offset)))
        }
        if content.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            return .stopped(ProblemWording.blankRecord)
        }
        let output: JSONParser.Output
        do {
            output = try JSONParser.parse(text)
        } catch {
            return .stopped(ProblemWording.syntax(error, at: text.location(ofByte: error.offset)))
        }
        guard let object = output.root.objectValue else {
            return .stopped(ProblemWording.notAnObject(found: output.root))
        }
        return .parsed(ParsedRecord(object: object, duplicates: output.duplicateKeys))
    }

    private static func validate(_ parsed: ParsedRecord) -> [Finding] {
        let schema: JSONSchema
        switch JSONSchema.careRecord {
        case .success(let loaded): schema = loaded
        case .failure(let error): return [Finding(.root, ProblemWording.schemaUnavailable(error))]
        }
        let root = JSONValue.object(parsed.object)

        if let version = parsed.object["schemaVersion"], case .number = version,
            let versionSchema = schema.root.property(named: "schemaVersion")
        {
            var versionCheck = SchemaValidator(schema: schema, definitionChecks: definitionChecks)
            let path = JSONPath.root.appending("schemaVersion")
            if !versionCheck.validate(version, against: versionSchema, at: path) {
                return versionCheck.findings
            }
        }

        var validator = SchemaValidator(schema: schema, definitionChecks: definitionChecks)
        validator.translation = translationRules(parsed.object)
        validator.validate(root, against: schema.root, at: .root)
        let findings =
            parsed.duplicates.map { Finding($0.path, ProblemWording.duplicate($0)) }
            + validator.findings
            + checks.flatMap { $0.findings(in: parsed.object) }
        return DocumentOrder.sorted(findings, in: root)
    }

    /// Version 2 records may carry translation objects; their plain strings and the source of
    /// their translations are in `contentLanguage` (English when absent or not supported: the
    /// schema reports the latter).
    static func translationRules(_ record: JSONObject) -> SchemaValidator.TranslationRules {
        guard record["schemaVersion"]?.numberValue == 2 else { return .version1 }
        let content = record["contentLanguage"]?.stringValue.flatMap(SupportedLanguage.normalize) ?? .english
        return .init(objectsAllowed: true, contentLanguage: content)
    }

    /// A decoding error after validation passed: the model and the schema disagree. Reported
    /// like any other problem rather than trapped.
    private static func problem(decoding error: any Error) -> ValidationProblem {
        guard let error = error as? DecodingError else {
            return ValidationProblem(path: "", problem: ProblemWording.unreadable(String(describing: type(of: error))))
        }
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return ValidationProblem(path: "", problem: ProblemWording.unreadable("unknown decoding error"))
        }
        var path = JSONPath.root
        for key in context.codingPath {
            path = key.intValue.map { path.appending($0) } ?? path.appending(key.stringValue)
        }
        return ValidationProblem(path: path.description, problem: ProblemWording.unreadable(context.debugDescription))
    }
}
