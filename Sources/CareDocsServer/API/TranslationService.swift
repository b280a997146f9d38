import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

/// One passage of a record as a translator works on it.
struct WorkspacePassage: Sendable {
    enum State: String, Sendable, Codable {
        /// The record itself holds the text in the language (or it needs none: "6", "1:12").
        case inRecord = "in-record"
        case untranslated, drafted, reviewed
    }

    var path: String
    var label: String
    var source: String
    /// The text in the language: the record's own, or the memory's.
    var target: String?
    var state: State
    var translator: String?
    var reviewer: String?
    /// The English changed since it was translated: the memory has a translation of this
    /// passage's text in an earlier version of the record, none of the current text.
    var stale: Bool
    /// The earlier translation (a starting point) and the English it translated, when stale.
    var previousTarget: String?
    var previousSource: String?
}

/// A record's passages in one language, with their state in the record and the memory.
struct TranslationWorkspace: Sendable {
    var recordId: String
    var version: Int
    var language: SupportedLanguage
    var sourceLanguage: SupportedLanguage
    var passages: [WorkspacePassage]

    func count(_ state: WorkspacePassage.State) -> Int { passages.filter { $0.state == state }.count }
    var staleCount: Int { passages.filter(\.stale).count }
    /// Every passage translated and reviewed (or in the record itself).
    var done: Bool { count(.untranslated) == 0 && count(.drafted) == 0 }
}

/// One translation to save: the passage's path, its text in the language and its status.
struct SegmentInput: Sendable, Codable {
    var path: String
    var target: String
    var status: SegmentStatus
    /// The source text the translator saw; refused with 409 when the record's has changed since.
    var source: String?
}

/// Translation requests, the translator's workspace and saving translations to the memory; the
/// routes (API and pages) share it.
struct TranslationService: Sendable {
    let env: ServiceEnvironment
    var docs: DocumentService { DocumentService(env: env) }

    /// How many earlier versions of a record are searched for a passage's previous English.
    static let staleLookback = 10

    static func language(_ raw: String) throws -> SupportedLanguage {
        guard let l = SupportedLanguage.normalize(raw) else {
            throw APIError(
                .badRequest,
                "unsupported language",
                details: [
                    .init(
                        path: "language",
                        problem: "must be one of \(SupportedLanguage.supportedTags.joined(separator: ", "))"
                    )
                ]
            )
        }
        return l
    }

    /// The translation memory: the store's (`TranslationStore`, beside the queue).
    var memory: any TranslationStore { env.store }

    /// The record a request names, for the signed-in person: a translator only with an open
    /// (not withdrawn) request for that record and language — else 404, as for a record that
    /// does not exist (a translator learns nothing of records not assigned).
    func assigned(
        _ ctx: AppContext,
        recordId: String,
        language: SupportedLanguage
    ) async throws
        -> DocumentService.StoredRecord
    {
        if try ctx.who.role == .translator {
            guard try await env.store.activeTranslationRequest(recordId: recordId, language: language) != nil else {
                try await env.audit(
                    ctx,
                    "translation-denied",
                    recordId: recordId,
                    "\(language.tag) passages: no open translation request"
                )
                throw APIError.notFound("no translation of \(recordId) into \(language.tag) is assigned")
            }
        }
        let stored = try await docs.latest(recordId)
        guard language != stored.record.sourceLanguage else {
            throw APIError(
                .badRequest,
                "the record is written in \(LanguageWords.name(language))",
                details: [.init(path: "language", problem: "is the record's content language")]
            )
        }
        return stored
    }

    func workspace(
        _ stored: DocumentService.StoredRecord,
        _ language: SupportedLanguage
    ) async throws
        -> TranslationWorkspace
    {
        let record = stored.record
        let resolver = ContentResolver(record: record, language: language)
        let passages = record.translatablePassages
        var current: [String: String] = [:]
        for p in passages { current[p.path] = p.source ?? "" }
        // The most recent earlier English of each passage whose English has changed.
        var previous: [String: String] = [:]
        if stored.version > 1 {
            let oldest = max(1, stored.version - Self.staleLookback)
            for v in stride(from: stored.version - 1, through: oldest, by: -1) {
                guard let body = try await env.store.recordBody(recordId: stored.recordId, version: v),
                    case .success(let old) = CareRecordLoader.load(data: body)
                else { continue }
                for p in old.translatablePassages where previous[p.path] == nil {
                    if let s = p.source, let now = current[p.path], s != now { previous[p.path] = s }
                }
            }
        }
        var segments: [String: TranslationSegment] = [:]
        let texts = Set(passages.filter { resolver.text($0.text) == nil }.compactMap(\.source) + previous.values)
        if !texts.isEmpty {
            segments = try await memory.segments(
                sourceLanguage: record.sourceLanguage,
                targetLanguage: language,
                sourceTexts: texts.sorted()
            )
        }
        let out = passages.map { p -> WorkspacePassage in
            let source = p.source ?? ""
            var w = WorkspacePassage(
                path: p.path,
                label: PassageLabel.describe(p.path),
                source: source,
                target: nil,
                state: .untranslated,
                stale: false
            )
            if let own = resolver.text(p.text) {
                w.target = own
                w.state = .inRecord
            } else if let s = segments[source] {
                w.target = s.targetText
                w.state = s.status == .reviewed ? .reviewed : .drafted
                w.translator = s.translator
                w.reviewer = s.reviewer
            } else if let old = previous[p.path], let s = segments[old] {
                w.stale = true
                w.previousSource = old
                w.previousTarget = s.targetText
            }
            return w
        }
        return TranslationWorkspace(
            recordId: stored.recordId,
            version: stored.version,
            language: language,
            sourceLanguage: record.sourceLanguage,
            passages: out
        )
    }

    /// Saves translations of a record's passages into the memory (by the passages' current
    /// source texts): drafted (translator: `user`) or reviewed (reviewer: `user`; the translator
    /// stays who wrote the text when it is unchanged). Refuses unknown paths (422), passages the
    /// record itself translates (409), changed English (409) and empty texts (422).
    func save(
        _ inputs: [SegmentInput],
        _ stored: DocumentService.StoredRecord,
        _ language: SupportedLanguage,
        user: String
    ) async throws -> [TranslationSegment] {
        guard !inputs.isEmpty else {
            throw APIError(
                .badRequest,
                "nothing to save",
                details: [.init(path: "segments", problem: "must hold at least one passage")]
            )
        }
        let ws = try await workspace(stored, language)
        let now = env.now
        let byPath = Dictionary(ws.passages.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var bySource: [String: TranslationSegment] = [:]
        var seen: Set<String> = []
        for (i, input) in inputs.enumerated() {
            let at = "segments[\(i)]"
            guard seen.insert(input.path).inserted else {
                throw APIError(
                    .badRequest,
                    "a passage is given twice",
                    details: [.init(path: "\(at).path", problem: "repeats \(input.path)")]
                )
            }
            guard let p = byPath[input.path] else {
                throw APIError(
                    .unprocessableContent,
                    "no such passage",
                    details: [
                        .init(path: "\(at).path", problem: "is not a translatable passage of version \(ws.version)")
                    ]
                )
            }
            if p.state == .inRecord {
                throw APIError(
                    .conflict,
                    "the record itself holds this passage in \(LanguageWords.name(language))",
                    details: [.init(path: "\(at).path", problem: "change \(input.path) in the record instead")]
                )
            }
            if let seenSource = input.source, seenSource != p.source {
                throw APIError(
                    .conflict,
                    "the \(LanguageWords.name(ws.sourceLanguage)) text changed since it was loaded",
                    details: [.init(path: "\(at).source", problem: "differs from version \(ws.version); reload")]
                )
            }
            let target = input.target.replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !target.isEmpty else {
                throw APIError(
                    .unprocessableContent,
                    "empty translation",
                    details: [.init(path: "\(at).target", problem: "is empty")]
                )
            }
            guard target.count <= 10_000 else {
                throw APIError(
                    .unprocessableContent,
                    "translation too long",
                    details: [.init(path: "\(at).target", problem: "is over 10000 characters")]
                )
            }
            // One instant for the whole save.
            let translator =
                input.status == .reviewed && p.target == target && p.state != .untranslated
                ? (p.translator ?? user) : user
            let segment = TranslationSegment(
                sourceLanguage: ws.sourceLanguage,
                sourceText: p.source,
                targetLanguage: language,
                targetText: target,
                status: input.status,
                translator: translator,
                reviewer: input.status == .reviewed ? user : nil,
                updatedAt: now
            )
            if let other = bySource[p.source], other.targetText != segment.targetText || other.status != segment.status
            {
                throw APIError(
                    .unprocessableContent,
                    "two passages with the same text are translated differently",
                    details: [
                        .init(path: "\(at).target", problem: "differs from another passage with the same source text")
                    ]
                )
            }
            bySource[p.source] = segment
        }
        let segments = bySource.keys.sorted().map { bySource[$0]! }
        try await memory.saveSegments(segments, actor: user, now: now)
        return segments
    }
}
