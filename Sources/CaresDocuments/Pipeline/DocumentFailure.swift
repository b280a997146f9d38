/// Why the pipeline made no document, as a value callers switch on (never by matching text).
/// Each caller maps it to its own surface: the CLI to exit codes, the render worker to its
/// outcome, the service to HTTP statuses.
public enum DocumentFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a document kind (`raw` is what was asked for).
    case unknownKind(String)
    /// A kind this build cannot render yet.
    case unavailableKind(DocumentKind)
    /// A language tag we have no locale for.
    case unsupportedLanguage(String)
    /// The request contradicts itself (e.g. bilingual and a language).
    case conflictingOptions(String)
    /// The record names no language we support (cannot happen for a validated record).
    case noRecordLanguage
    /// The record breaks the contract: every problem with its JSON path.
    case invalidRecord([ValidationProblem])
    /// Required content is missing: every element with its path and clause.
    case refused(DocumentKind, [RequirementProblem])
    /// No locale catalog for a supported language (a packaging fault).
    case noCatalog(String)
    /// The template or the markup failed (our fault; the text may quote record content).
    case buildFailed(String)
    /// The engine failed to lay out or write the PDF (our fault; the text may quote record content).
    case renderFailed(String)

    /// The caller asked for something wrong (as opposed to a record problem or our fault).
    public var isBadRequest: Bool {
        switch self {
        case .unknownKind, .unavailableKind, .unsupportedLanguage, .conflictingOptions: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .unknownKind(let raw):
            "unknown document kind \(Quote.value(raw)) (one of: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unavailableKind(let kind):
            "\(kind.rawValue) is not available yet (available: \(DocumentKind.available.map(\.rawValue).joined(separator: ", ")))"
        case .unsupportedLanguage(let tag):
            "unsupported language \(Quote.value(tag)) (supported: \(SupportedLanguage.supportedTags.joined(separator: ", ")))"
        case .conflictingOptions(let what): what
        case .noRecordLanguage: "the record has no supported language"
        case .invalidRecord(let problems):
            "the record is invalid:\n" + problems.map { "  \($0.path): \($0.problem)" }.joined(separator: "\n")
        case .refused(let kind, let problems): DocumentRefusal(kind: kind, problems: problems).description
        case .noCatalog(let tag): "no locale catalog for \(Quote.value(tag))"
        case .buildFailed(let why): "the document could not be built: \(why)"
        case .renderFailed(let why): "rendering failed: \(why)"
        }
    }
}

extension DocumentKind {
    /// The kind named `raw`, or `DocumentFailure.unknownKind`.
    public static func named(_ raw: String) throws(DocumentFailure) -> DocumentKind {
        guard let kind = DocumentKind(rawValue: raw) else { throw .unknownKind(raw) }
        return kind
    }
}
