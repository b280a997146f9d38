import CaresDocuments
import Foundation

/// The translation memory's storage, beside the queue in the same database (SQLite or
/// PostgreSQL) so that saving translations, refreshing the queue's "waiting for translation"
/// counts and the audit entries are one transaction.
public protocol TranslationStore: Sendable {
    /// Inserts or replaces segments, keyed by (source language, source hash, target language);
    /// audited (`translation-save`, no text in the audit detail: hashes and languages only).
    func saveSegments(_ segments: [TranslationSegment], actor: String, now: Date) async throws
    /// The segments of these source texts into `targetLanguage`, by source text (texts without
    /// a segment are absent).
    func segments(
        sourceLanguage: SupportedLanguage,
        targetLanguage: SupportedLanguage,
        sourceTexts: [String]
    ) async throws -> [String: TranslationSegment]
    /// Marks the segments of these source texts into `targetLanguage` reviewed by `reviewer`
    /// (audited `translation-review`, hashes only); the number of segments marked (texts
    /// without a segment are skipped).
    @discardableResult
    func markReviewed(
        sourceLanguage: SupportedLanguage,
        targetLanguage: SupportedLanguage,
        sourceTexts: [String],
        reviewer: String,
        actor: String,
        now: Date
    ) async throws -> Int
    /// Every translatable passage of a stored record's latest version with what the record and
    /// the memory hold for `targetLanguage` (for export and the translator's pages); `nil` when
    /// there is no such record.
    func passageTranslations(
        recordId: String,
        targetLanguage: SupportedLanguage
    ) async throws
        -> [PassageTranslation]?
    /// The memory's settings, as the database holds them (every node agrees).
    func translationSettings() async throws -> TranslationSettings
    /// What `recordWithTranslations` merges into `record`: for each of `languages` (other than
    /// the record's source language), the texts of its untranslated passages that the memory
    /// holds with a status the settings let a copy (or a proof) use. A store reads the settings
    /// and the segments in one read.
    func translationTables(
        for record: CareRecord,
        languages: [SupportedLanguage],
        proof: Bool
    ) async throws -> [TranslationTable]
    /// Changes the settings (audited `translation-settings`) and refreshes every record's
    /// "waiting for translation" counts in the same transaction.
    func setTranslationSettings(_ settings: TranslationSettings, actor: String, now: Date) async throws
    /// Counts every record's "waiting for translation" again (after templates or locales that
    /// print other passages were deployed: the counts are otherwise kept when records,
    /// segments or settings change); audited `translation-refresh`. The number of records.
    @discardableResult
    func refreshTranslationWaits(actor: String, now: Date) async throws -> Int
}

/// How the memory may be used. Section 1557 expects qualified (reviewed) translation of vital
/// documents, so by default official copies use `reviewed` segments only.
public struct TranslationSettings: Sendable, Hashable, Codable {
    /// Official copies may use `drafted` segments too (proofs always may). Off by default.
    public var allowDraftedTranslations: Bool

    public init(allowDraftedTranslations: Bool = false) {
        self.allowDraftedTranslations = allowDraftedTranslations
    }

    /// The statuses a copy may use.
    public func usableStatuses(proof: Bool) -> Set<SegmentStatus> {
        proof || allowDraftedTranslations ? [.drafted, .reviewed] : [.reviewed]
    }
}

/// One passage of a stored record and its translation into one language.
public struct PassageTranslation: Sendable, Hashable, Codable {
    /// JSON path (`goals[0].actions[1].description`).
    public var path: String
    public var sourceLanguage: SupportedLanguage
    public var sourceText: String
    /// The text the record itself holds in the target language (it wins over the memory).
    public var recordText: String?
    /// The memory's segment, if any (whatever its status).
    public var segment: TranslationSegment?

    public init(
        path: String,
        sourceLanguage: SupportedLanguage,
        sourceText: String,
        recordText: String?,
        segment: TranslationSegment?
    ) {
        self.path = path
        self.sourceLanguage = sourceLanguage
        self.sourceText = sourceText
        self.recordText = recordText
        self.segment = segment
    }
}

extension TranslationStore {
    public func translationTables(
        for record: CareRecord,
        languages: [SupportedLanguage],
        proof: Bool
    ) async throws -> [TranslationTable] {
        let usable = try await translationSettings().usableStatuses(proof: proof)
        return try await TranslationUse.tables(for: record, languages: languages, usable: usable) { s, t, texts in
            try await segments(sourceLanguage: s, targetLanguage: t, sourceTexts: texts).mapValues {
                ($0.targetText, $0.status)
            }
        }
    }

    /// A stored record's JSON as a copy in `languages` should print it: the memory's usable
    /// segments (`TranslationSettings.usableStatuses(proof:)`) merged in (`TranslationMerge`).
    /// Every render of a stored record goes through this (queue, mailroom, electronic delivery,
    /// the service). Version 1 and invalid records come back unchanged.
    public func recordWithTranslations(json: Data, languages: [SupportedLanguage], proof: Bool) async throws -> Data {
        guard case .success(let record) = CareRecordLoader.load(data: json) else { return json }
        return try await recordWithTranslations(json: json, parsed: record, languages: languages, proof: proof)
    }

    /// As `recordWithTranslations(json:languages:proof:)` when the caller has already parsed
    /// `json` into `parsed` (the service has, to decide the copies' languages): no second parse.
    public func recordWithTranslations(
        json: Data,
        parsed record: CareRecord,
        languages: [SupportedLanguage],
        proof: Bool
    ) async throws -> Data {
        guard record.declaresTranslations else { return json }
        let tables = try await translationTables(for: record, languages: languages, proof: proof)
        return TranslationMerge.merge(json: json, record: record, tables: tables)
    }

    /// `recordWithTranslations` parsed (the merged bytes are valid when the record was).
    public func recordWithTranslations(
        record: CareRecord,
        json: Data,
        languages: [SupportedLanguage],
        proof: Bool
    ) async throws -> CareRecord {
        guard record.declaresTranslations else { return record }
        let merged = try await recordWithTranslations(json: json, parsed: record, languages: languages, proof: proof)
        if merged == json { return record }
        guard case .success(let r) = CareRecordLoader.load(data: merged) else { return record }
        return r
    }
}

extension DeadlineStore {
    /// A stored record version (the latest when `version` is nil) as copies in `languages`
    /// print it: bytes with the memory merged in (`recordWithTranslations`), parsed; `nil` when
    /// the version is not stored or no longer valid. The queue's renders and the mailroom's
    /// batches load records through this.
    public func recordForCopies(
        recordId: String,
        version: Int? = nil,
        languages: [SupportedLanguage],
        proof: Bool
    ) async throws -> (version: Int, body: Data, record: CareRecord)? {
        let v: Int
        let stored: Data
        if let version {
            v = version
            guard let body = try await recordBody(recordId: recordId, version: v) else { return nil }
            stored = body
        } else {
            // The latest version in one read (not the record's whole history and audit trail).
            guard let latest = try await latestRecord(recordId: recordId) else { return nil }
            (v, stored) = latest
        }
        guard case .success(let parsed) = CareRecordLoader.load(data: stored) else { return nil }
        let body = try await recordWithTranslations(json: stored, parsed: parsed, languages: languages, proof: proof)
        if body == stored { return (v, stored, parsed) }
        guard case .success(let record) = CareRecordLoader.load(data: body) else { return nil }
        return (v, body, record)
    }
}
