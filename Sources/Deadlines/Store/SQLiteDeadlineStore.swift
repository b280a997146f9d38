import CaresDocuments
import Foundation
import GRDB

/// The embedded store: one SQLite file (GRDB), migrated on open. Writers are serialized by
/// SQLite's write lock (immediate transactions, 10 s busy timeout), so the audit chain has one
/// order across processes.
public final class SQLiteDeadlineStore: DeadlineStore {
    let queue: DatabaseQueue

    public init(path: String = "caredocs.sqlite") throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        // WAL: one fsync per commit instead of the rollback journal's several; a commit is
        // durable once it returns (synchronous stays FULL), kill -9 loses nothing committed.
        config.prepareDatabase { db in
            if db.configuration.readonly == false {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for sql in Schema.v1(blob: "BLOB", serial: "INTEGER PRIMARY KEY AUTOINCREMENT") { try db.execute(sql: sql) }
            // Append-only: the audit log refuses updates and deletes.
            try db.execute(
                sql:
                    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
            try db.execute(
                sql:
                    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        }
        migrator.registerMigration("v2") { db in
            for sql in Schema.v2 { try db.execute(sql: sql) }
        }
        migrator.registerMigration("v3") { db in
            for sql in Schema.v3 { try db.execute(sql: sql) }
        }
        try migrator.migrate(queue)
        try backfillMembers()
    }

    public func close() async throws { try queue.close() }

    // MARK: writes

    public func importRecords(
        _ items: [Data],
        actor: String,
        now: Date
    ) async throws -> [Result<ImportReport, ValidationFailure>] {
        let parsed = parseForImport(items)
        let valid = parsed.compactMap { try? $0.get() }
        let today = ProgramCalendar.today(now: now)
        let stamp = AuditChain.timestamp(now)
        guard !valid.isEmpty else { return importResults(parsed, []) }
        let reports: [ImportReport] = try await queue.write { db in
            var head = try Self.auditHead(db)
            return try valid.map { p -> ImportReport in
                let latest = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT version, sha256 FROM records WHERE record_id = ? ORDER BY version DESC LIMIT 1"
                    ),
                    arguments: [p.recordId]
                )
                let latestVersion: Int? = latest?["version"]
                let isNew = latest == nil || (latest!["sha256"] as String) != p.sha
                let version = isNew ? (latestVersion ?? 0) + 1 : latestVersion!
                if isNew {
                    try db.cachedStatement(
                        sql:
                            "INSERT INTO records (record_id, version, sha256, imported_at, imported_by, body) VALUES (?, ?, ?, ?, ?, ?)"
                    )
                    .execute(arguments: [p.recordId, version, p.sha, stamp, actor, p.data])
                    try Self.upsertMember(
                        db,
                        MemberIndex.row(recordId: p.recordId, record: p.record, version: version, updatedAt: stamp)
                    )
                }
                let existing = try Self.fetchObligations(
                    db,
                    sql: Self.select + " WHERE record_id = ?",
                    arguments: [p.recordId]
                )
                let plan = ImportPlanner.plan(record: p.record, version: version, existing: existing, today: today)
                for o in plan.upserts { try Self.upsert(db, o) }
                try Self.append(
                    db,
                    [importAudit(recordId: p.recordId, version: version, sha: p.sha, isNew: isNew)] + plan.audit,
                    actor: actor,
                    now: now,
                    head: &head
                )
                return ImportReport(
                    recordId: p.recordId,
                    version: version,
                    newVersion: isNew,
                    sha256: p.sha,
                    plan: plan
                )
            }
        }
        return importResults(parsed, reports)
    }

    @discardableResult
    public func apply(_ event: ObligationEvent, to id: String, actor: String, now: Date) async throws -> Obligation {
        let today = ProgramCalendar.today(now: now)
        return try await queue.write { db in
            guard let o = try Self.fetchObligations(db, sql: Self.select + " WHERE id = ?", arguments: [id]).first
            else {
                throw DeadlineStoreError.unknownObligation(id)
            }
            var owner: String?
            if case .mailed(let t, _) = event {
                owner = try String.fetchOne(
                    db,
                    sql: "SELECT obligation_id FROM mail_pieces WHERE tracking_number = ?",
                    arguments: [t.value]
                )
            }
            let result = try Transitions.apply(event, to: o, trackingOwner: owner, today: today)
            try Self.upsert(db, result.obligation)
            if var r = result.rendition {
                r.renderedAt = AuditChain.timestamp(now)
                try db.execute(
                    sql: """
                        INSERT INTO renditions (obligation_id, attempt, record_version, template_version, locale_version, language, pdf_sha256, pdf_path, rendered_at, pages)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        r.obligationId, r.attempt, r.recordVersion, r.templateVersion, r.localeVersion, r.language,
                        r.pdfSHA256, r.pdfPath, r.renderedAt, r.pages,
                    ]
                )
            }
            if let p = result.piece {
                if p.outcome == "mailed" {
                    try db.execute(
                        sql:
                            "INSERT INTO mail_pieces (tracking_number, obligation_id, attempt, mail_date, outcome, outcome_date) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [
                            p.trackingNumber, p.obligationId, p.attempt, p.mailDate.description, p.outcome,
                            p.outcomeDate?.description,
                        ]
                    )
                } else {
                    try db.execute(
                        sql: "UPDATE mail_pieces SET outcome = ?, outcome_date = ? WHERE tracking_number = ?",
                        arguments: [p.outcome, p.outcomeDate?.description, p.trackingNumber]
                    )
                }
            }
            var head = try Self.auditHead(db)
            try Self.append(db, result.audit, actor: actor, now: now, head: &head)
            return result.obligation
        }
    }

    // MARK: reads

    public func obligations(_ q: ObligationQuery) async throws -> [Obligation] {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if !q.includeClosed { clauses.append("completed_on IS NULL AND cancelled_reason IS NULL") }
        if let d = q.dueOnOrBefore {
            clauses.append("due_date <= ?")
            args.append(d.description)
        }
        if let k = q.kind {
            clauses.append("kind = ?")
            args.append(k.rawValue)
        }
        if let r = q.recordId {
            clauses.append("record_id = ?")
            args.append(r)
        }
        let sql =
            Self.select + "" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY due_date, id"
        let arguments = StatementArguments(args)
        return try await queue.read { db in try Self.fetchObligations(db, sql: sql, arguments: arguments) }
    }

    public func detail(_ id: String) async throws -> ObligationDetail? {
        try await queue.read { db in
            guard let o = try Self.fetchObligations(db, sql: Self.select + " WHERE id = ?", arguments: [id]).first
            else { return nil }
            let renditions = try Row.fetchAll(
                db,
                sql: "SELECT * FROM renditions WHERE obligation_id = ? ORDER BY id",
                arguments: [id]
            ).map { row in
                Rendition(
                    obligationId: row["obligation_id"],
                    attempt: row["attempt"],
                    recordVersion: row["record_version"],
                    templateVersion: row["template_version"],
                    localeVersion: row["locale_version"],
                    language: row["language"],
                    pdfSHA256: row["pdf_sha256"],
                    pdfPath: row["pdf_path"],
                    renderedAt: row["rendered_at"],
                    pages: row["pages"]
                )
            }
            let pieces = try Row.fetchAll(
                db,
                sql: "SELECT * FROM mail_pieces WHERE obligation_id = ? ORDER BY attempt",
                arguments: [id]
            ).map { row in
                MailPiece(
                    trackingNumber: row["tracking_number"],
                    obligationId: row["obligation_id"],
                    attempt: row["attempt"],
                    mailDate: CalendarDate(row["mail_date"] as String)!,
                    outcome: row["outcome"],
                    outcomeDate: (row["outcome_date"] as String?).flatMap(CalendarDate.init)
                )
            }
            return ObligationDetail(obligation: o, renditions: renditions, pieces: pieces)
        }
    }

    public func obligationId(forTracking tracking: String) async throws -> String? {
        try await queue.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT obligation_id FROM mail_pieces WHERE tracking_number = ?",
                arguments: [tracking]
            )
        }
    }

    public func history(recordId: String) async throws -> RecordHistory {
        try await queue.read { db in
            let versions = try Row.fetchAll(
                db,
                sql:
                    "SELECT record_id, version, sha256, imported_at, imported_by FROM records WHERE record_id = ? ORDER BY version",
                arguments: [recordId]
            ).map { row in
                RecordVersion(
                    recordId: row["record_id"],
                    version: row["version"],
                    sha256: row["sha256"],
                    importedAt: row["imported_at"],
                    importedBy: row["imported_by"]
                )
            }
            let obligations = try Self.fetchObligations(
                db,
                sql: Self.select + " WHERE record_id = ? ORDER BY due_date, id",
                arguments: [recordId]
            )
            let audit = try Self.fetchAudit(
                db,
                sql: "SELECT * FROM audit WHERE record_id = ? ORDER BY seq",
                arguments: [recordId]
            )
            return RecordHistory(recordId: recordId, versions: versions, obligations: obligations, audit: audit)
        }
    }

    public func claimReady(
        kinds: [ObligationKind],
        worker: String,
        limit: Int,
        lease: TimeInterval,
        now: Date
    ) async throws -> [Obligation] {
        let until = AuditChain.timestamp(now.addingTimeInterval(lease))
        let stamp = AuditChain.timestamp(now)
        let sql =
            "UPDATE obligations SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT id FROM obligations WHERE "
            + Schema.readyToRender(kinds: kinds, nowPlaceholder: "?", workerPlaceholder: "?")
            + " ORDER BY due_date, id LIMIT ?) RETURNING " + Schema.obligationColumns.joined(separator: ", ")
        return try await queue.write { db in
            try Self.fetchObligations(db, sql: sql, arguments: [worker, until, stamp, worker, limit])
        }.sorted { ($0.dueDate, $0.id) < ($1.dueDate, $1.id) }
    }

    public func releaseClaim(_ id: String, worker: String) async throws {
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE obligations SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
                arguments: [id, worker]
            )
        }
    }

    public func recordBody(recordId: String, version: Int) async throws -> Data? {
        try await queue.read { db in
            try Data.fetchOne(
                db,
                sql: "SELECT body FROM records WHERE record_id = ? AND version = ?",
                arguments: [recordId, version]
            )
        }
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await queue.read { db in try Self.fetchAudit(db, sql: "SELECT * FROM audit ORDER BY seq", arguments: []) }
    }

    /// Tests only: runs SQL as someone with write access to the file would.
    func executeRaw(_ sql: String) async throws {
        try await queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    // MARK: rows

    static let select = "SELECT " + Schema.obligationColumns.joined(separator: ", ") + " FROM obligations"

    /// Rows of `Schema.obligationColumns`, in that order (read by index through a cursor: the
    /// listing path).
    static func fetchObligations(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Obligation] {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        var result: [Obligation] = []
        while let row = try cursor.next() {
            func date(_ i: Int) -> CalendarDate? { (row[i] as String?).flatMap(CalendarDate.init) }
            var o = Obligation(
                id: row[0],
                recordId: row[1],
                kind: ObligationKind(rawValue: row[2])!,
                qualifier: row[3],
                startDate: date(4)!,
                dueDate: date(5)!,
                recordVersion: row[6],
                language: row[7],
                electronicRequired: (row[10] as Int) != 0
            )
            o.paper = PaperState(rawValue: row[8])!
            o.electronic = ElectronicState(rawValue: row[9])!
            o.attempt = row[11]
            o.trackingNumber = row[12]
            o.mailDate = date(13)
            o.deliveredDate = date(14)
            o.addressProblem = row[15]
            o.renderedVersion = row[16]
            o.completedOn = date(17)
            o.completionNote = row[18]
            o.cancelledReason = row[19]
            result.append(o)
        }
        return result
    }

    static func upsert(_ db: Database, _ o: Obligation) throws {
        let cols = Schema.obligationColumns
        let sql =
            "INSERT INTO obligations (\(cols.joined(separator: ", "))) VALUES (\(cols.map { _ in "?" }.joined(separator: ", "))) "
            + "ON CONFLICT (id) DO UPDATE SET "
            + cols.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let values: [(any DatabaseValueConvertible)?] = [
            o.id, o.recordId, o.kind.rawValue, o.qualifier, o.startDate.description, o.dueDate.description,
            o.recordVersion,
            o.language, o.paper.rawValue, o.electronic.rawValue, o.electronicRequired ? 1 : 0, o.attempt,
            o.trackingNumber,
            o.mailDate?.description, o.deliveredDate?.description, o.addressProblem, o.renderedVersion,
            o.completedOn?.description, o.completionNote, o.cancelledReason,
        ]
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(values))
    }

    static func auditHead(_ db: Database) throws -> (seq: Int, hash: String)? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").map {
            (seq: $0["seq"] as Int, hash: $0["hash"] as String)
        }
    }

    /// Seals `drafts` after `head` and inserts them; `head` becomes the new last entry.
    static func append(
        _ db: Database,
        _ drafts: [AuditDraft],
        actor: String,
        now: Date,
        head: inout (seq: Int, hash: String)?
    ) throws {
        guard !drafts.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO audit (seq, at, actor, action, record_id, record_version, obligation_id, what, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        for e in AuditChain.seal(drafts, after: head, actor: actor, at: now) {
            try insert.execute(arguments: [
                e.seq, e.at, e.actor, e.action, e.recordId, e.recordVersion, e.obligationId, e.what, e.prevHash, e.hash,
            ])
            head = (e.seq, e.hash)
        }
    }

    static func fetchAudit(_ db: Database, sql: String, arguments: StatementArguments) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            AuditEntry(
                seq: row["seq"],
                at: row["at"],
                actor: row["actor"],
                action: row["action"],
                recordId: row["record_id"],
                recordVersion: row["record_version"],
                obligationId: row["obligation_id"],
                what: row["what"],
                prevHash: row["prev_hash"],
                hash: row["hash"]
            )
        }
    }
}
