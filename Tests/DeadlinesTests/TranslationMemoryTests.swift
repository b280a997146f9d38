import CaresDocuments
import Foundation
import Testing

@testable import Deadlines
@testable import Mailroom

/// The translation memory in the store (SQLite and PostgreSQL): segments, the drafted setting,
/// the audit, and the queue's "waiting for translation" counts against the pipeline's refusals.
@Suite("Translation memory")
struct TranslationMemoryTests {
    static let recordsFolder = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "../CaresDocumentsTests/Records").standardized

    /// The Rivera example as a version 2 record with no translation (its Spanish copies have
    /// nothing yet); another child with the same texts when `other`.
    static func riveraUntranslated(other: Bool = false) throws -> Data {
        var text = String(
            decoding: try Data(contentsOf: recordsFolder.appending(path: "shared-examples/rivera-enrollment.json")),
            as: UTF8.self
        )
        text = text.replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 2")
        if other {
            text = text.replacingOccurrences(of: "CR-2026-000117", with: "CR-2026-000999")
                .replacingOccurrences(of: "100234567891", with: "100234567899")
                .replacingOccurrences(of: "\"Mateo\"", with: "\"Lucas\"")
        }
        return Data(text.utf8)
    }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: recordsFolder.appending(path: name))
    }

    static let now = noon("2026-11-20")
    static let renderer = Result { try DocumentRenderer() }

    /// The number of passages the pipeline refuses for the official copy of `o`, from the bytes
    /// the queue would render (the memory merged in).
    static func refusedPassages(_ o: Obligation, _ store: any DeadlineStore) async throws -> Int {
        let kind = try #require(o.kind.documentKind)
        let language = try #require(SupportedLanguage.normalize(o.language ?? "en"))
        let stored = try #require(
            try await store.recordForCopies(recordId: o.recordId, languages: [language], proof: false)
        )
        let pipeline = try DocumentPipeline(renderer: try renderer.get())
        let request = DocumentRequest(kind: kind, languages: .exactly([language]), letterDate: day("2026-11-23"))
        let record = stored.record
        let outcome: Result<Void, DocumentFailure> = Result { () throws(DocumentFailure) in
            _ = try pipeline.documents(request, record: record)
        }
        guard case .failure(let failure) = outcome else { return 0 }
        guard case .refused(_, let problems) = failure else { throw failure }
        return problems.filter { $0.problem.hasPrefix("not translated") }.count
    }

    /// Pending documents with a language, of one record.
    static func documents(_ store: any DeadlineStore, _ recordId: String) async throws -> [Obligation] {
        try await store.obligations(ObligationQuery(today: day("2026-11-20"), recordId: recordId)).filter {
            $0.kind.documentKind != nil && $0.language != nil
        }
    }

    /// Reviewed (or drafted) segments for every untranslated source text of `record` into `target`.
    static func segments(
        for data: Data,
        _ target: SupportedLanguage,
        status: SegmentStatus,
        prefix: String = "ES: "
    ) throws -> [TranslationSegment] {
        let record = try CareRecordLoader.load(data: data).get()
        let texts = Set(record.untranslatedPassages(in: target).compactMap(\.source)).sorted()
        return texts.map {
            TranslationSegment(
                sourceLanguage: record.sourceLanguage,
                sourceText: $0,
                targetLanguage: target,
                targetText: prefix + $0,
                status: status,
                translator: "ana.translator",
                reviewer: status == .reviewed ? "rui.reviewer" : nil,
                updatedAt: now
            )
        }
    }

    @Test("save, look up (by NFC hash), replace", arguments: StoreKind.allCases)
    func saveLookupReplace(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let composed = "Caf\u{E9} twice a day"
            let decomposed = "Cafe\u{301} twice a day"
            var s = TranslationSegment(
                sourceLanguage: .english,
                sourceText: composed,
                targetLanguage: .arabic,
                targetText: "مرتين في اليوم",
                status: .drafted,
                translator: "machine",
                updatedAt: Self.now
            )
            let km = TranslationSegment(
                sourceLanguage: .english,
                sourceText: composed,
                targetLanguage: .khmer,
                targetText: "ពីរដងក្នុងមួយថ្ងៃ",
                status: .reviewed,
                translator: "sok",
                reviewer: "dara",
                updatedAt: Self.now
            )
            try await store.saveSegments([s, km], actor: "ana", now: Self.now)
            var found = try await store.segments(
                sourceLanguage: .english,
                targetLanguage: .arabic,
                sourceTexts: [decomposed, "unknown"]
            )
            #expect(found.count == 1)
            #expect(found[decomposed]?.targetText == "مرتين في اليوم")
            #expect(found[decomposed]?.status == .drafted)
            #expect(found[decomposed]?.reviewer == nil)
            #expect(
                try await store.segments(sourceLanguage: .english, targetLanguage: .khmer, sourceTexts: [composed])[
                    composed
                ]?.targetText == "ពីរដងក្នុងមួយថ្ងៃ"
            )
            // Another source language is another segment.
            #expect(
                try await store.segments(sourceLanguage: .spanish, targetLanguage: .arabic, sourceTexts: [composed])
                    .isEmpty
            )
            // Replaced under the same key.
            s.targetText = "مرتان يومياً"
            s.status = .reviewed
            s.reviewer = "layla"
            try await store.saveSegments([s], actor: "ana", now: Self.now)
            found = try await store.segments(sourceLanguage: .english, targetLanguage: .arabic, sourceTexts: [composed])
            #expect(found[composed]?.targetText == "مرتان يومياً")
            #expect(found[composed]?.status == .reviewed && found[composed]?.reviewer == "layla")
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    /// A render's look-up remembers the memory's texts per process, and another store on the
    /// same database (another node) changing segments or settings is seen at the next look-up.
    @Test("the look-up sees another node's saves, reviews and settings at once", arguments: StoreKind.allCases)
    func lookupSeesOtherNodesChanges(kind: StoreKind) async throws {
        guard let (reader, writer) = try await makeStorePair(kind) else { return }
        let json = try Self.riveraUntranslated()
        func copy(proof: Bool = false) async throws -> String {
            String(
                decoding: try await reader.recordWithTranslations(json: json, languages: [.spanish], proof: proof),
                as: UTF8.self
            )
        }
        do {
            let drafted = try Self.segments(for: json, .spanish, status: .drafted)
            #expect(drafted.count > 3)
            #expect(try await copy() == String(decoding: json, as: UTF8.self))
            try await writer.saveSegments(drafted, actor: "ana", now: Self.now)
            // Drafted: a proof uses them, an official copy does not (read twice: from the cache).
            for _ in 0..<2 {
                #expect(try await copy(proof: true).contains("ES: "))
                #expect(!(try await copy()).contains("ES: "))
            }
            try await writer.markReviewed(
                sourceLanguage: .english,
                targetLanguage: .spanish,
                sourceTexts: drafted.map(\.sourceText),
                reviewer: "rui",
                actor: "rui",
                now: Self.now
            )
            #expect(try await copy().contains("ES: "))
            var replaced = drafted[0]
            replaced.targetText = "NUEVO: " + replaced.sourceText
            replaced.status = .reviewed
            replaced.reviewer = "rui"
            try await writer.saveSegments([replaced], actor: "ana", now: Self.now)
            #expect(try await copy().contains("NUEVO: "))
            var draft = drafted[1]
            draft.targetText = "BORRADOR: " + draft.sourceText
            try await writer.saveSegments([draft], actor: "ana", now: Self.now)
            #expect(!(try await copy()).contains("BORRADOR: "))
            try await writer.setTranslationSettings(.init(allowDraftedTranslations: true), actor: "ana", now: Self.now)
            #expect(try await copy().contains("BORRADOR: "))
        } catch {
            try? await reader.close()
            try? await writer.close()
            throw error
        }
        try await reader.close()
        try await writer.close()
    }

    @Test(
        "waiting for translation equals the pipeline's refusal, and goes to zero with reviewed segments",
        arguments: StoreKind.allCases
    )
    func waitsFollowTheMemory(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let rivera = try Self.riveraUntranslated()
            let other = try Self.riveraUntranslated(other: true)
            for data in [rivera, other, try Self.fixture("haddad-v2-ar.json"), try Self.fixture("sok-v2-km.json")] {
                _ = try await store.importRecord(data, actor: "coord", now: Self.now)
            }
            // Every document obligation's count is what the official copy would refuse.
            for id in ["CR-2026-000117", "CR-2026-000999", "CR-2025-000042-AR", "CR-2026-000321"] {
                for o in try await Self.documents(store, id) {
                    #expect(o.waitingForTranslation == (try await Self.refusedPassages(o, store)), "\(o.id)")
                }
            }
            let plan = try #require(try await store.detail("CR-2026-000117/care-plan/es")?.obligation)
            #expect(plan.waitingForTranslation > 0)
            #expect(
                plan.waitingForTranslationText == "waiting for translation (\(plan.waitingForTranslation) passages)"
            )
            let english = try #require(try await store.detail("CR-2026-000117/care-plan/en")?.obligation)
            #expect(english.waitingForTranslation == 0)
            // Not claimed while waiting.
            var claimed = try await store.claimReady(
                kinds: [.carePlan],
                worker: "w1",
                limit: 100,
                lease: 60,
                now: Self.now
            ).map(\.id)
            #expect(claimed.contains("CR-2026-000117/care-plan/en"))
            #expect(!claimed.contains("CR-2026-000117/care-plan/es"))
            for id in claimed { try await store.releaseClaim(id, worker: "w1") }

            // Drafted segments: not for official copies (proofs only) while the setting is off.
            let drafted = try Self.segments(for: rivera, .spanish, status: .drafted)
            try await store.saveSegments(drafted, actor: "ana", now: Self.now)
            #expect(try await store.translationSettings().allowDraftedTranslations == false)
            #expect(
                try await store.detail(plan.id)?.obligation.waitingForTranslation == plan.waitingForTranslation
            )
            let proof = try await store.recordWithTranslations(json: rivera, languages: [.spanish], proof: true)
            #expect(try CareRecordLoader.load(data: proof).get().untranslatedPassages(in: .spanish).isEmpty)
            let official = try await store.recordWithTranslations(json: rivera, languages: [.spanish], proof: false)
            #expect(official == rivera)
            // Allowed by the setting: used, the counts follow in the same transaction.
            try await store.setTranslationSettings(
                TranslationSettings(allowDraftedTranslations: true),
                actor: "admin",
                now: Self.now
            )
            #expect(try await store.detail(plan.id)?.obligation.waitingForTranslation == 0)
            try await store.setTranslationSettings(TranslationSettings(), actor: "admin", now: Self.now)
            #expect(
                try await store.detail(plan.id)?.obligation.waitingForTranslation == plan.waitingForTranslation
            )

            // Reviewed: one review serves both children (the same source texts).
            let marked = try await store.markReviewed(
                sourceLanguage: .english,
                targetLanguage: .spanish,
                sourceTexts: drafted.map(\.sourceText),
                reviewer: "rui.reviewer",
                actor: "rui.reviewer",
                now: Self.now
            )
            #expect(marked == drafted.count)
            for id in ["CR-2026-000117", "CR-2026-000999"] {
                for o in try await Self.documents(store, id) {
                    #expect(o.waitingForTranslation == 0, "\(o.id)")
                    #expect(try await Self.refusedPassages(o, store) == 0, "\(o.id)")
                }
            }
            claimed = try await store.claimReady(kinds: [.carePlan], worker: "w1", limit: 100, lease: 60, now: Self.now)
                .map(\.id)
            #expect(claimed.contains("CR-2026-000117/care-plan/es") && claimed.contains("CR-2026-000999/care-plan/es"))
            for id in claimed { try await store.releaseClaim(id, worker: "w1") }

            // A changed source text: its old translation no longer applies.
            let record = try CareRecordLoader.load(data: rivera).get()
            let passage = try #require(
                record.untranslatedPassages(in: .spanish).first { p in
                    record.translatablePassages.filter { $0.source == p.source }.count == 1
                        && !p.source!.contains("\"") && !p.source!.contains("\\")
                }
            )
            let changed = String(decoding: rivera, as: UTF8.self).replacingOccurrences(
                of: "\"" + passage.source! + "\"",
                with: "\"" + passage.source! + " (updated)\""
            )
            #expect(changed != String(decoding: rivera, as: UTF8.self))
            _ = try await store.importRecord(Data(changed.utf8), actor: "coord", now: Self.now)
            let after = try #require(try await store.detail(plan.id)?.obligation)
            #expect(after.waitingForTranslation == (try await Self.refusedPassages(after, store)))
            let listed = try #require(
                try await store.passageTranslations(recordId: "CR-2026-000117", targetLanguage: .spanish)
            )
            let row = try #require(listed.first { $0.path == passage.path })
            #expect(row.segment == nil && row.sourceText == passage.source! + " (updated)")
            // The other child is not affected.
            #expect(try await store.detail("CR-2026-000999/care-plan/es")?.obligation.waitingForTranslation == 0)

            // The audit: saves, review and settings, with hashes and languages but no text.
            let log = try await store.auditLog()
            let entries = log.filter { $0.action.hasPrefix("translation-") }
            #expect(Set(entries.map(\.action)) == ["translation-save", "translation-review", "translation-settings"])
            #expect(entries.contains { $0.what.contains(TranslationSegment.hash(drafted[0].sourceText)) })
            for e in entries {
                for s in drafted {
                    #expect(!e.what.contains(s.sourceText) && !e.what.contains(s.targetText), "\(e.action)")
                }
            }
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    @Test("a database from before the memory gets its waits counted when migrated", arguments: StoreKind.allCases)
    func migratedWaits(kind: StoreKind) async throws {
        let body = try Self.riveraUntranslated()
        let statements = Schema.migrations.prefix(5)
        let setup: @Sendable (any SQLConnection, SQLDialect) async throws -> Void = { conn, dialect in
            try await conn.executeSchema(
                "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            for m in statements {
                for sql in m.statements(dialect) { try await conn.executeSchema(sql) }
                try await conn.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, '2026-01-01T00:00:00.000Z')",
                    [m.name]
                )
            }
            try await conn.execute(
                "INSERT INTO records (record_id, version, sha256, imported_at, imported_by, body) VALUES ('CR-2026-000117', 1, ?, '2026-01-01T12:00:00.000Z', 'old', ?)",
                [sha256Hex(body), body]
            )
            try await conn.execute(
                """
                INSERT INTO obligations (id, record_id, kind, qualifier, start_date, due_date, record_version, language,
                  paper, electronic, electronic_required, attempt)
                VALUES ('CR-2026-000117/care-plan/es', 'CR-2026-000117', 'care-plan', 'es', '2026-10-05', '2026-12-04', 1, 'es',
                  'open', 'none', 1, 1)
                """,
                []
            )
        }
        let database: String
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-tm-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            database = dir.appendingPathComponent("queue.sqlite").path
            let db = try SQLiteStoreDatabase(path: database)
            let dialect = db.dialect
            try await db.write { conn in try await setup(conn, dialect) }
            try await db.close()
        case .postgres:
            guard let base = postgresURL else { return }
            database = try await createDatabase(base)
            let db = try PostgresStoreDatabase(url: database)
            let dialect = db.dialect
            try await db.write { conn in try await setup(conn, dialect) }
            try await db.close()
        }
        let store = try await openServiceStore(database)
        do {
            let o = try #require(try await store.detail("CR-2026-000117/care-plan/es")?.obligation)
            #expect(o.waitingForTranslation > 0)
            #expect(o.waitingForTranslation == (try await Self.refusedPassages(o, store)))
            // Indexed: a saved segment refreshes the old record's count.
            try await store.saveSegments(
                try Self.segments(for: body, .spanish, status: .reviewed),
                actor: "ana",
                now: Self.now
            )
            #expect(try await store.detail(o.id)?.obligation.waitingForTranslation == 0)
            // Recounting everything changes nothing here, and is audited.
            #expect(try await store.refreshTranslationWaits(actor: "admin", now: Self.now) == 1)
            #expect(try await store.detail(o.id)?.obligation.waitingForTranslation == 0)
            #expect(try await store.auditLog().contains { $0.action == "translation-refresh" })
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    @Test(
        "a waiting document is left out of a mailroom batch, and goes in once translated",
        arguments: StoreKind.allCases
    )
    func batchWaitsForTranslation(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let rivera = try Self.riveraUntranslated()
            _ = try await store.importRecord(rivera, actor: "coord", now: Self.now)
            let id = "CR-2026-000117/care-plan/es"
            let waiting = try #require(try await store.detail(id)?.obligation.waitingForTranslationText)
            let first = try await MailroomBatch(
                store: store,
                actor: "mailroom",
                date: day("2026-11-24"),
                output: temporaryFolder()
            )
            .run()
            #expect(first.skipped.contains { $0.obligation == id && $0.reason == waiting })
            #expect(try await store.detail(id)?.obligation.paper == .open)
            try await store.saveSegments(
                try Self.segments(for: rivera, .spanish, status: .reviewed),
                actor: "ana",
                now: Self.now
            )
            let second = try await MailroomBatch(
                store: store,
                actor: "mailroom",
                date: day("2026-11-24"),
                output: temporaryFolder()
            )
            .run()
            #expect(!second.skipped.contains { $0.obligation == id })
            let detail = try #require(try await store.detail(id))
            #expect(detail.obligation.paper == .rendered)
            #expect(detail.renditions.last?.language == "es")
        }
    }

    @Test("the command line: queue list, translations settings, queue render and render --db use the memory")
    func commandLine() async throws {
        guard caredocsBinary != nil else { return }
        let dir = temporaryFolder()
        let database = dir.appendingPathComponent("queue.sqlite").path
        let file = dir.appendingPathComponent("rivera.json")
        let rivera = try Self.riveraUntranslated()
        try rivera.write(to: file)
        let id = "CR-2026-000117/care-plan/es"
        #expect(try runCaredocs(["queue", "import", "--database", database, file.path]) == 0)
        // Waiting: the queue refuses to render it (exit 1); a file render is refused too.
        let pdf = dir.appendingPathComponent("plan.pdf").path
        #expect(try runCaredocs(["queue", "render", "--database", database, id, "-o", pdf]) == 1)
        #expect(
            try runCaredocs(["render", "care-plan", file.path, "--language", "es", "--db", database, "-o", pdf]) == 1
        )
        let store = try SQLiteDeadlineStore(path: database)
        try await store.saveSegments(
            try Self.segments(for: rivera, .spanish, status: .drafted),
            actor: "ana",
            now: Self.now
        )
        try await store.close()
        // Drafted: still waiting, until the setting allows drafted translations.
        #expect(try runCaredocs(["queue", "render", "--database", database, id, "-o", pdf]) == 1)
        #expect(try runCaredocs(["translations", "settings", "--database", database, "--allow-drafted", "true"]) == 0)
        #expect(
            try runCaredocs(["render", "care-plan", file.path, "--language", "es", "--db", database, "-o", pdf]) == 0
        )
        #expect(try runCaredocs(["queue", "render", "--database", database, id, "-o", pdf]) == 0)
        let reopened = try SQLiteDeadlineStore(path: database)
        let o = try #require(try await reopened.detail(id))
        #expect(o.obligation.waitingForTranslation == 0 && o.obligation.paper == .rendered)
        #expect(
            try await reopened.auditLog().contains { $0.action == "translation-settings" && $0.actor == "crash-test" }
        )
        try await reopened.close()
    }
}
