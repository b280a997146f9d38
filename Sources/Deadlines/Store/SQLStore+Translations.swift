import CaresDocuments
import Foundation

// The translation memory (`TranslationStore`) written once for both databases: segments keyed
// by (source language, source hash, target language), the `allowDraftedTranslations` setting
// in `meta`, and the obligations' "waiting for translation" counts, refreshed in the same
// transaction as whatever changed them (import, saved or reviewed segments, settings). Audit
// entries name languages, hashes, statuses and people, never a text.

extension SQLStore {
    public func saveSegments(_ segments: [TranslationSegment], actor: String, now: Date) async throws {
        guard !segments.isEmpty else { return }
        let key = auditKey
        try await database.write { conn in
            for s in segments {
                try await conn.execute(
                    Schema.upsertSegment,
                    [
                        s.sourceLanguage.tag, s.sourceHash, s.targetLanguage.tag, s.sourceText, s.targetText,
                        s.status.rawValue, s.translator, s.status == .reviewed ? s.reviewer : nil,
                        AuditChain.timestamp(s.updatedAt),
                    ]
                )
            }
            try await conn.bumpTranslationGeneration()
            let drafts = TranslationAudit.saved(segments)
            var head = try await conn.auditHead(key: key)
            try await conn.append(drafts, actor: actor, now: now, head: &head)
            try await conn.refreshTranslationWaits(
                recordIds: try await conn.recordsUsing(segments.map { ($0.sourceLanguage, $0.sourceHash) }),
                indexPassages: false
            )
        }
    }

    public func segments(
        sourceLanguage: SupportedLanguage,
        targetLanguage: SupportedLanguage,
        sourceTexts: [String]
    ) async throws -> [String: TranslationSegment] {
        guard !sourceTexts.isEmpty else { return [:] }
        return try await database.read { conn in
            try await conn.segments(sourceLanguage, targetLanguage, sourceTexts)
        }
    }

    @discardableResult
    public func markReviewed(
        sourceLanguage: SupportedLanguage,
        targetLanguage: SupportedLanguage,
        sourceTexts: [String],
        reviewer: String,
        actor: String,
        now: Date
    ) async throws -> Int {
        guard !sourceTexts.isEmpty else { return 0 }
        let key = auditKey
        return try await database.write { conn in
            let found = try await conn.segments(sourceLanguage, targetLanguage, sourceTexts)
            let hashes = Set(found.values.map(\.sourceHash)).sorted()
            for h in hashes {
                try await conn.execute(
                    "UPDATE translation_segments SET status = ?, reviewer = ?, updated_at = ? "
                        + "WHERE source_language = ? AND source_hash = ? AND target_language = ?",
                    [
                        SegmentStatus.reviewed.rawValue, reviewer, AuditChain.timestamp(now), sourceLanguage.tag, h,
                        targetLanguage.tag,
                    ]
                )
            }
            guard !hashes.isEmpty else { return 0 }
            try await conn.bumpTranslationGeneration()
            var head = try await conn.auditHead(key: key)
            try await conn.append(
                [TranslationAudit.reviewed(sourceLanguage, targetLanguage, hashes, reviewer: reviewer)],
                actor: actor,
                now: now,
                head: &head
            )
            try await conn.refreshTranslationWaits(
                recordIds: try await conn.recordsUsing(hashes.map { (sourceLanguage, $0) }),
                indexPassages: false
            )
            return hashes.count
        }
    }

    public func passageTranslations(
        recordId: String,
        targetLanguage: SupportedLanguage
    ) async throws -> [PassageTranslation]? {
        try await database.read { conn in
            guard let body = try await conn.latestBody(recordId),
                case .success(let record) = CareRecordLoader.load(data: body)
            else { return nil }
            let source = record.sourceLanguage
            let passages = record.translatablePassages.filter { $0.source != nil }
            let found =
                source == targetLanguage
                ? [:] : try await conn.segments(source, targetLanguage, passages.compactMap(\.source))
            return passages.map { p in
                PassageTranslation(
                    path: p.path,
                    sourceLanguage: source,
                    sourceText: p.source!,
                    recordText: p.text.text(in: targetLanguage, contentLanguage: source),
                    segment: found[p.source!]
                )
            }
        }
    }

    public func translationSettings() async throws -> TranslationSettings {
        try await database.read { conn in try await conn.translationSettings() }
    }

    /// The settings and the texts in one read (every render of a stored record asks): the
    /// generation and settings row, then only the texts this process has not read under that
    /// generation (`TranslationTextCache`).
    public func translationTables(
        for record: CareRecord,
        languages: [SupportedLanguage],
        proof: Bool
    ) async throws -> [TranslationTable] {
        let cache = translationCache
        return try await database.read { conn in
            let (generation, settings) = try await conn.translationState()
            let usable = settings.usableStatuses(proof: proof)
            return try await TranslationUse.tables(for: record, languages: languages, usable: usable) { s, t, texts in
                var (found, unknown) = cache.lookup(generation: generation, s, t, texts)
                guard !unknown.isEmpty else { return found }
                let read = try await conn.segmentTexts(s, t, unknown)
                cache.store(generation: generation, s, t, unknown, read)
                found.merge(read) { _, new in new }
                return found
            }
        }
    }

    public func setTranslationSettings(_ settings: TranslationSettings, actor: String, now: Date) async throws {
        let key = auditKey
        try await database.write { conn in
            let old = try await conn.translationSettings()
            try await conn.execute(
                "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Schema.allowDraftedSetting, settings.allowDraftedTranslations ? "true" : "false"]
            )
            try await conn.bumpTranslationGeneration()
            var head = try await conn.auditHead(key: key)
            try await conn.append(
                [
                    AuditDraft(
                        "translation-settings",
                        recordId: "",
                        recordVersion: nil,
                        what:
                            "allowDraftedTranslations \(old.allowDraftedTranslations) → \(settings.allowDraftedTranslations)"
                    )
                ],
                actor: actor,
                now: now,
                head: &head
            )
            guard old != settings else { return }
            let ids = try await conn.fetch("SELECT DISTINCT record_id FROM record_passages ORDER BY record_id", []) {
                row in try row["record_id"] as String
            }
            try await conn.refreshTranslationWaits(recordIds: ids, indexPassages: false)
        }
    }
}

extension SQLStore {
    @discardableResult
    public func refreshTranslationWaits(actor: String, now: Date) async throws -> Int {
        let key = auditKey
        return try await database.write { conn in
            let ids = try await conn.fetch("SELECT DISTINCT record_id FROM records ORDER BY record_id", []) { row in
                try row["record_id"] as String
            }
            try await conn.refreshTranslationWaits(recordIds: ids, indexPassages: true)
            var head = try await conn.auditHead(key: key)
            try await conn.append(
                [
                    AuditDraft(
                        "translation-refresh",
                        recordId: "",
                        recordVersion: nil,
                        what: "waiting-for-translation counts of \(ids.count) record(s) recounted"
                    )
                ],
                actor: actor,
                now: now,
                head: &head
            )
            return ids.count
        }
    }
}

extension Schema {
    static let allowDraftedSetting = "allow_drafted_translations"
    /// A token changed with every write to the segments or the settings (`TranslationTextCache`).
    static let translationGeneration = "translation_generation"

    static let segmentColumns = [
        "source_language", "source_hash", "target_language", "source_text", "target_text", "status", "translator",
        "reviewer", "updated_at",
    ]

    static let upsertSegment =
        "INSERT INTO translation_segments (\(segmentColumns.joined(separator: ", "))) VALUES ("
        + segmentColumns.map { _ in "?" }.joined(separator: ", ")
        + ") ON CONFLICT (source_language, source_hash, target_language) DO UPDATE SET "
        + segmentColumns.dropFirst(3).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    /// Placeholders for an IN list (at most this many values per statement).
    static let inListChunk = 500
    /// `?, ?, …` for an IN list of `count` values.
    static func inList(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}

extension SQLConnection {
    /// The latest stored version's bytes of a record.
    func latestBody(_ recordId: String) async throws -> Data? {
        try await fetchOne("SELECT body FROM records WHERE record_id = ? ORDER BY version DESC LIMIT 1", [recordId]) {
            row in try row["body"] as Data
        }
    }

    /// Changes the translation generation (in the caller's transaction): every process's
    /// remembered texts (`TranslationTextCache`) are read again at its next render.
    func bumpTranslationGeneration() async throws {
        try await execute(
            "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [Schema.translationGeneration, UUID().uuidString]
        )
    }

    /// The translation generation (empty before the first write) and the settings, in one query.
    func translationState() async throws -> (generation: String, settings: TranslationSettings) {
        let rows = try await fetch(
            "SELECT name, value FROM meta WHERE name IN (?, ?)",
            [Schema.translationGeneration, Schema.allowDraftedSetting]
        ) { row in (try row["name"] as String, try row["value"] as String) }
        var generation = ""
        var settings = TranslationSettings()
        for (name, value) in rows {
            if name == Schema.translationGeneration { generation = value }
            if name == Schema.allowDraftedSetting { settings.allowDraftedTranslations = value == "true" }
        }
        return (generation, settings)
    }

    func translationSettings() async throws -> TranslationSettings {
        let value = try await fetchOne("SELECT value FROM meta WHERE name = ?", [Schema.allowDraftedSetting]) { row in
            try row["value"] as String
        }
        return TranslationSettings(allowDraftedTranslations: value == "true")
    }

    /// The segments of `texts` (looked up by hash), by the text as given.
    func segments(
        _ source: SupportedLanguage,
        _ target: SupportedLanguage,
        _ texts: [String]
    ) async throws -> [String: TranslationSegment] {
        var byHash: [String: [String]] = [:]
        for t in texts { byHash[TranslationSegment.hash(t), default: []].append(t) }
        var out: [String: TranslationSegment] = [:]
        try await forEachChunk(byHash.keys.sorted()) { chunk in
            let sql =
                "SELECT \(Schema.segmentColumns.joined(separator: ", ")) FROM translation_segments "
                + "WHERE source_language = ? AND target_language = ? AND source_hash IN (\(Schema.inList(chunk.count)))"
            let rows = try await fetch(sql, [source.tag, target.tag] + chunk) { row in
                (try row["source_hash"] as String, try TranslationSegment(row))
            }
            for (hash, segment) in rows {
                for text in byHash[hash] ?? [] { out[text] = segment }
            }
        }
        return out
    }

    /// The target texts and statuses of `texts`' segments (what a copy merges): the three
    /// columns it needs, not the whole segment (every render of a stored record asks).
    func segmentTexts(
        _ source: SupportedLanguage,
        _ target: SupportedLanguage,
        _ texts: [String]
    ) async throws -> [String: TranslationUse.Found] {
        var byHash: [String: [String]] = [:]
        for t in texts { byHash[TranslationSegment.hash(t), default: []].append(t) }
        var out: [String: TranslationUse.Found] = [:]
        try await forEachChunk(byHash.keys.sorted()) { chunk in
            let sql =
                "SELECT source_hash, target_text, status FROM translation_segments "
                + "WHERE source_language = ? AND target_language = ? AND source_hash IN (\(Schema.inList(chunk.count)))"
            let rows = try await fetch(sql, [source.tag, target.tag] + chunk) { row in
                (
                    try row["source_hash"] as String, try row["target_text"] as String,
                    try Schema.value(try row["status"]) as SegmentStatus
                )
            }
            for (hash, text, status) in rows {
                for source in byHash[hash] ?? [] { out[source] = (text, status) }
            }
        }
        return out
    }

    /// Runs `body` over `keys` a chunk at a time (`Schema.inListChunk` keys: one IN list per
    /// query).
    func forEachChunk(_ keys: [String], _ body: ([String]) async throws -> Void) async throws {
        var start = 0
        while start < keys.count {
            let chunk = Array(keys[start..<min(start + Schema.inListChunk, keys.count)])
            start += chunk.count
            try await body(chunk)
        }
    }

    /// The records whose latest version holds one of these source texts (by hash).
    func recordsUsing(_ keys: [(SupportedLanguage, String)]) async throws -> [String] {
        var ids: Set<String> = []
        for (language, group) in Dictionary(grouping: keys, by: { $0.0 }) {
            try await forEachChunk(Array(Set(group.map(\.1))).sorted()) { chunk in
                let sql =
                    "SELECT DISTINCT record_id FROM record_passages WHERE source_language = ? AND source_hash IN (\(Schema.inList(chunk.count)))"
                for id in try await fetch(sql, [language.tag] + chunk, { row in try row["record_id"] as String }) {
                    ids.insert(id)
                }
            }
        }
        return ids.sorted()
    }

    /// Recounts "waiting for translation" for the obligations of these records (latest
    /// version, the memory as the settings allow for official copies); `indexPassages` also
    /// rewrites the records' source hashes (`record_passages`), as a new version needs.
    func refreshTranslationWaits(recordIds: [String], indexPassages: Bool) async throws {
        guard !recordIds.isEmpty else { return }
        let usable = try await translationSettings().usableStatuses(proof: false)
        for id in recordIds {
            let body = try await latestBody(id)
            let record: CareRecord? =
                if let body, case .success(let r) = CareRecordLoader.load(data: body) { r } else { nil }
            try await refreshTranslationWaits(
                recordId: id,
                body: body ?? Data(),
                record: record,
                usable: usable,
                indexPassages: indexPassages
            )
        }
    }

    /// As `refreshTranslationWaits(recordIds:indexPassages:)` for one record whose latest
    /// version is `body`, already parsed (`nil`: not valid).
    func refreshTranslationWaits(
        recordId id: String,
        body: Data,
        record: CareRecord?,
        usable: Set<SegmentStatus>? = nil,
        indexPassages: Bool
    ) async throws {
        guard let record, record.declaresTranslations else {
            // Version 1 (or unreadable): never waits, nothing to index.
            if indexPassages { try await execute("DELETE FROM record_passages WHERE record_id = ?", [id]) }
            try await execute(
                "UPDATE obligations SET translation_wait = 0 WHERE record_id = ? AND translation_wait <> 0",
                [id]
            )
            return
        }
        if indexPassages {
            try await execute("DELETE FROM record_passages WHERE record_id = ?", [id])
            let hashes = Set(record.translatablePassages.compactMap(\.source).map(TranslationSegment.hash))
            for h in hashes.sorted() {
                try await execute(
                    "INSERT INTO record_passages (record_id, source_language, source_hash) VALUES (?, ?, ?)",
                    [id, record.sourceLanguage.tag, h]
                )
            }
        }
        var allowed = usable ?? []
        if usable == nil { allowed = try await translationSettings().usableStatuses(proof: false) }
        let obligations = try await obligations(" WHERE record_id = ?", [id])
        let documents = obligations.filter { $0.isPending && $0.kind.documentKind != nil }
        let languages = documents.compactMap { $0.language.flatMap(SupportedLanguage.normalize) }
        let tables = try await TranslationUse.tables(for: record, languages: languages, usable: allowed) {
            s,
            t,
            texts in try await self.segmentTexts(s, t, texts)
        }
        var merged = record
        if !tables.isEmpty,
            case .success(let r) = CareRecordLoader.load(
                data: TranslationMerge.merge(json: body, record: record, tables: tables)
            )
        {
            merged = r
        }
        var counts: [String: Int] = [:]
        for o in documents {
            guard let kind = o.kind.documentKind, let language = SupportedLanguage.normalize(o.language ?? "en")
            else { continue }
            counts[o.id] = TranslationUse.waiting(kind, record: merged, language: language)
        }
        for o in obligations where o.waitingForTranslation != (counts[o.id] ?? 0) {
            try await execute("UPDATE obligations SET translation_wait = ? WHERE id = ?", [counts[o.id] ?? 0, o.id])
        }
    }
}

extension TranslationSegment {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        guard let source = SupportedLanguage(rawValue: try row["source_language"]),
            let target = SupportedLanguage(rawValue: try row["target_language"])
        else { throw DeadlineStoreError.badDatabase("unknown language in translation_segments") }
        self.init(
            sourceLanguage: source,
            sourceText: try row["source_text"],
            targetLanguage: target,
            targetText: try row["target_text"],
            status: try Schema.value(try row["status"]),
            translator: try row["translator"],
            reviewer: try row["reviewer"],
            updatedAt: try Schema.date(try row["updated_at"])
        )
    }
}

/// The audit entries of the memory: languages, source hashes (SHA-256), statuses
/// and people; never a source or target text.
enum TranslationAudit {
    static func saved(_ segments: [TranslationSegment]) -> [AuditDraft] {
        let groups = Dictionary(grouping: segments) { "\($0.sourceLanguage.tag)→\($0.targetLanguage.tag)" }
        return groups.keys.sorted().map { pair in
            let items = groups[pair]!.map { s in
                "\(s.sourceHash) \(s.status.rawValue)"
                    + (s.translator.map { " by \($0)" } ?? "") + (s.reviewer.map { ", reviewed by \($0)" } ?? "")
            }
            return AuditDraft(
                "translation-save",
                recordId: "",
                recordVersion: nil,
                what: "\(items.count) segment(s) \(pair) saved: " + items.joined(separator: "; ")
            )
        }
    }

    static func reviewed(
        _ source: SupportedLanguage,
        _ target: SupportedLanguage,
        _ hashes: [String],
        reviewer: String
    ) -> AuditDraft {
        AuditDraft(
            "translation-review",
            recordId: "",
            recordVersion: nil,
            what: "\(hashes.count) segment(s) \(source.tag)→\(target.tag) reviewed by \(reviewer): "
                + hashes.joined(separator: ", ")
        )
    }
}
