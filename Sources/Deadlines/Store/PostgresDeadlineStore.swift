import CaresDocuments
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The shared store: PostgreSQL through PostgresNIO's connection pool, migrated on open. Every
/// write transaction first takes one transaction-level advisory lock, so writers on all nodes
/// append to the audit chain in one order; reads do not wait.
public final class PostgresDeadlineStore: DeadlineStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    /// Advisory lock key serializing writers (the audit chain's order).
    static let writerLock: Int = 0x43_41_52_45  // "CARE"

    /// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`.
    public init(url: String) async throws {
        guard let c = URLComponents(string: url), let host = c.host, !host.isEmpty else {
            throw DeadlineStoreError.badDatabase(
                "cannot read the PostgreSQL URL (postgres://user[:password]@host[:port]/database)"
            )
        }
        let user =
            c.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = c.password.flatMap { $0.removingPercentEncoding }
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        let sslmode = c.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require", "verify-full", "verify-ca": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(
            host: host,
            port: c.port ?? 5432,
            username: user,
            password: password,
            database: path.isEmpty ? nil : path,
            tls: tls
        )
        config.options.maximumConnections = 4
        var logger = Logger(label: "caredocs.deadlines.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            runner.cancel()
            throw DeadlineStoreError.badDatabase(
                "PostgreSQL at \(host):\(c.port ?? 5432): \(String(reflecting: error))"
            )
        }
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    func migrate() async throws {
        try await transaction { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
            try await conn.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                logger: logger
            )
            var applied: Set<String> = []
            for try await name in try await conn.query("SELECT name FROM schema_migrations", logger: logger).decode(
                String.self
            ) {
                applied.insert(name)
            }
            if !applied.contains("v1") {
                for sql in Schema.v1(blob: "BYTEA", serial: "BIGSERIAL PRIMARY KEY") {
                    try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                }
                try await conn.query(
                    """
                    CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
                    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql
                    """,
                    logger: logger
                )
                try await conn.query(
                    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
                    logger: logger
                )
                try await conn.query(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES ('v1', \(AuditChain.timestamp(Date())))",
                    logger: logger
                )
            }
            if !applied.contains("v2") {
                for sql in Schema.v2 { try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
                try await conn.query(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES ('v2', \(AuditChain.timestamp(Date())))",
                    logger: logger
                )
            }
            if !applied.contains("v3") {
                for sql in Schema.v3 { try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
                try await conn.query(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES ('v3', \(AuditChain.timestamp(Date())))",
                    logger: logger
                )
            }
            try await Self.backfillMembers(conn, logger)
        }
    }

    /// A transaction; an error thrown inside it comes out as itself (after the rollback).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { conn in try await body(conn) }
        } catch let e as PostgresTransactionError {
            if let inner = e.closureError, e.rollbackError == nil { throw inner }
            throw e
        }
    }

    // MARK: writes

    public func importRecords(
        _ items: [Data],
        actor: String,
        now: Date
    ) async throws -> [Result<ImportReport, ValidationFailure>] {
        let parsed = parseForImport(items)
        let valid = parsed.compactMap { try? $0.get() }
        let today = ProgramCalendar.today(now: now)
        let logger = logger
        guard !valid.isEmpty else { return importResults(parsed, []) }
        let reports = try await transaction { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
            var head = try await Self.auditHead(conn, logger)
            var reports: [ImportReport] = []
            for p in valid {
                reports.append(
                    try await Self.importOne(conn, p, actor: actor, now: now, today: today, head: &head, logger)
                )
            }
            return reports
        }
        return importResults(parsed, reports)
    }

    static func importOne(
        _ conn: PostgresConnection,
        _ p: ParsedRecord,
        actor: String,
        now: Date,
        today: CalendarDate,
        head: inout (seq: Int, hash: String)?,
        _ logger: Logger
    ) async throws -> ImportReport {
        let recordId = p.recordId
        let sha = p.sha
        let data = p.data
        let record = p.record
        var latest: (Int, String)?
        for try await row in try await conn.query(
            "SELECT version, sha256 FROM records WHERE record_id = \(recordId) ORDER BY version DESC LIMIT 1",
            logger: logger
        ) {
            latest = try row.decode((Int, String).self)
        }
        let isNew = latest == nil || latest!.1 != sha
        let version = isNew ? (latest?.0 ?? 0) + 1 : latest!.0
        if isNew {
            try await conn.query(
                "INSERT INTO records (record_id, version, sha256, imported_at, imported_by, body) VALUES (\(recordId), \(version), \(sha), \(AuditChain.timestamp(now)), \(actor), \(data))",
                logger: logger
            )
            try await Self.upsertMember(
                conn,
                MemberIndex.row(
                    recordId: recordId,
                    record: record,
                    version: version,
                    updatedAt: AuditChain.timestamp(now)
                ),
                logger
            )
        }
        let existing = try await Self.fetchObligations(
            conn,
            "SELECT * FROM obligations WHERE record_id = \(recordId)",
            logger
        )
        let plan = ImportPlanner.plan(record: record, version: version, existing: existing, today: today)
        for o in plan.upserts { try await Self.upsert(conn, o, logger) }
        try await Self.append(
            conn,
            [importAudit(recordId: recordId, version: version, sha: sha, isNew: isNew)] + plan.audit,
            actor: actor,
            now: now,
            head: &head,
            logger
        )
        return ImportReport(recordId: recordId, version: version, newVersion: isNew, sha256: sha, plan: plan)
    }

    @discardableResult
    public func apply(_ event: ObligationEvent, to id: String, actor: String, now: Date) async throws -> Obligation {
        let today = ProgramCalendar.today(now: now)
        let logger = logger
        return try await transaction { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
            guard
                let o = try await Self.fetchObligations(
                    conn,
                    "SELECT * FROM obligations WHERE id = \(id) FOR UPDATE",
                    logger
                ).first
            else {
                throw DeadlineStoreError.unknownObligation(id)
            }
            var owner: String?
            if case .mailed(let t, _) = event {
                for try await row in try await conn.query(
                    "SELECT obligation_id FROM mail_pieces WHERE tracking_number = \(t.value)",
                    logger: logger
                ) {
                    owner = try row.decode(String.self)
                }
            }
            let result = try Transitions.apply(event, to: o, trackingOwner: owner, today: today)
            try await Self.upsert(conn, result.obligation, logger)
            if let r = result.rendition {
                try await conn.query(
                    """
                    INSERT INTO renditions (obligation_id, attempt, record_version, template_version, locale_version, language, pdf_sha256, pdf_path, rendered_at, pages)
                    VALUES (\(r.obligationId), \(r.attempt), \(r.recordVersion), \(r.templateVersion), \(r.localeVersion), \(r.language), \(r.pdfSHA256), \(r.pdfPath), \(AuditChain.timestamp(now)), \(r.pages))
                    """,
                    logger: logger
                )
            }
            if let p = result.piece {
                if p.outcome == "mailed" {
                    try await conn.query(
                        "INSERT INTO mail_pieces (tracking_number, obligation_id, attempt, mail_date, outcome, outcome_date) VALUES (\(p.trackingNumber), \(p.obligationId), \(p.attempt), \(p.mailDate.description), \(p.outcome), \(p.outcomeDate?.description))",
                        logger: logger
                    )
                } else {
                    try await conn.query(
                        "UPDATE mail_pieces SET outcome = \(p.outcome), outcome_date = \(p.outcomeDate?.description) WHERE tracking_number = \(p.trackingNumber)",
                        logger: logger
                    )
                }
            }
            var head = try await Self.auditHead(conn, logger)
            try await Self.append(conn, result.audit, actor: actor, now: now, head: &head, logger)
            return result.obligation
        }
    }

    // MARK: reads

    public func obligations(_ q: ObligationQuery) async throws -> [Obligation] {
        var clauses: [String] = []
        var binds = PostgresBindings()
        if !q.includeClosed { clauses.append("completed_on IS NULL AND cancelled_reason IS NULL") }
        if let d = q.dueOnOrBefore {
            binds.append(d.description)
            clauses.append("due_date <= $\(binds.count)")
        }
        if let k = q.kind {
            binds.append(k.rawValue)
            clauses.append("kind = $\(binds.count)")
        }
        if let r = q.recordId {
            binds.append(r)
            clauses.append("record_id = $\(binds.count)")
        }
        let sql =
            "SELECT * FROM obligations" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY due_date, id"
        return try await client.withConnection { conn in
            try await Self.fetchObligations(conn, PostgresQuery(unsafeSQL: sql, binds: binds), logger)
        }
    }

    public func detail(_ id: String) async throws -> ObligationDetail? {
        let logger = logger
        return try await client.withConnection { conn in
            guard
                let o = try await Self.fetchObligations(conn, "SELECT * FROM obligations WHERE id = \(id)", logger)
                    .first
            else { return nil }
            var renditions: [Rendition] = []
            for try await row in try await conn.query(
                "SELECT * FROM renditions WHERE obligation_id = \(id) ORDER BY id",
                logger: logger
            ) {
                let r = row.makeRandomAccess()
                renditions.append(
                    Rendition(
                        obligationId: try r["obligation_id"].decode(String.self),
                        attempt: try r["attempt"].decode(Int.self),
                        recordVersion: try r["record_version"].decode(Int.self),
                        templateVersion: try r["template_version"].decode(String.self),
                        localeVersion: try r["locale_version"].decode(String.self),
                        language: try r["language"].decode(String.self),
                        pdfSHA256: try r["pdf_sha256"].decode(String.self),
                        pdfPath: try r["pdf_path"].decode(String?.self),
                        renderedAt: try r["rendered_at"].decode(String.self),
                        pages: try r["pages"].decode(Int?.self)
                    )
                )
            }
            var pieces: [MailPiece] = []
            for try await row in try await conn.query(
                "SELECT * FROM mail_pieces WHERE obligation_id = \(id) ORDER BY attempt",
                logger: logger
            ) {
                let r = row.makeRandomAccess()
                pieces.append(
                    MailPiece(
                        trackingNumber: try r["tracking_number"].decode(String.self),
                        obligationId: try r["obligation_id"].decode(String.self),
                        attempt: try r["attempt"].decode(Int.self),
                        mailDate: CalendarDate(try r["mail_date"].decode(String.self))!,
                        outcome: try r["outcome"].decode(String.self),
                        outcomeDate: try r["outcome_date"].decode(String?.self).flatMap(CalendarDate.init)
                    )
                )
            }
            return ObligationDetail(obligation: o, renditions: renditions, pieces: pieces)
        }
    }

    public func obligationId(forTracking tracking: String) async throws -> String? {
        var owner: String?
        for try await row in try await client.query(
            "SELECT obligation_id FROM mail_pieces WHERE tracking_number = \(tracking)",
            logger: logger
        ) {
            owner = try row.decode(String.self)
        }
        return owner
    }

    public func history(recordId: String) async throws -> RecordHistory {
        let logger = logger
        return try await client.withConnection { conn in
            var versions: [RecordVersion] = []
            for try await row in try await conn.query(
                "SELECT record_id, version, sha256, imported_at, imported_by FROM records WHERE record_id = \(recordId) ORDER BY version",
                logger: logger
            ) {
                let (rid, v, sha, at, by) = try row.decode((String, Int, String, String, String).self)
                versions.append(RecordVersion(recordId: rid, version: v, sha256: sha, importedAt: at, importedBy: by))
            }
            let obligations = try await Self.fetchObligations(
                conn,
                "SELECT * FROM obligations WHERE record_id = \(recordId) ORDER BY due_date, id",
                logger
            )
            let audit = try await Self.fetchAudit(
                conn,
                "SELECT * FROM audit WHERE record_id = \(recordId) ORDER BY seq",
                logger
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
        var b = PostgresBindings()
        b.append(worker)
        b.append(AuditChain.timestamp(now.addingTimeInterval(lease)))
        b.append(AuditChain.timestamp(now))
        b.append(limit)
        let sql =
            "UPDATE obligations SET claimed_by = $1, claimed_until = $2 WHERE id IN (SELECT id FROM obligations WHERE "
            + Schema.readyToRender(kinds: kinds, nowPlaceholder: "$3", workerPlaceholder: "$1")
            + " ORDER BY due_date, id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING *"
        let logger = logger
        return try await client.withConnection { conn in
            try await Self.fetchObligations(conn, PostgresQuery(unsafeSQL: sql, binds: b), logger)
        }.sorted { ($0.dueDate, $0.id) < ($1.dueDate, $1.id) }
    }

    public func releaseClaim(_ id: String, worker: String) async throws {
        try await client.query(
            "UPDATE obligations SET claimed_by = NULL, claimed_until = NULL WHERE id = \(id) AND claimed_by = \(worker)",
            logger: logger
        )
    }

    public func recordBody(recordId: String, version: Int) async throws -> Data? {
        var body: Data?
        for try await row in try await client.query(
            "SELECT body FROM records WHERE record_id = \(recordId) AND version = \(version)",
            logger: logger
        ) {
            body = try row.decode(Data.self)
        }
        return body
    }

    public func auditLog() async throws -> [AuditEntry] {
        let logger = logger
        return try await client.withConnection { conn in
            try await Self.fetchAudit(conn, "SELECT * FROM audit ORDER BY seq", logger)
        }
    }

    /// Tests only: runs SQL as someone with write access to the database would.
    func executeRaw(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    // MARK: rows

    static func fetchObligations(
        _ conn: PostgresConnection,
        _ query: PostgresQuery,
        _ logger: Logger
    ) async throws -> [Obligation] {
        var result: [Obligation] = []
        for try await row in try await conn.query(query, logger: logger) {
            let r = row.makeRandomAccess()
            func s(_ c: String) throws -> String { try r[c].decode(String.self) }
            func os(_ c: String) throws -> String? { try r[c].decode(String?.self) }
            func date(_ c: String) throws -> CalendarDate? { try os(c).flatMap(CalendarDate.init) }
            var o = Obligation(
                id: try s("id"),
                recordId: try s("record_id"),
                kind: ObligationKind(rawValue: try s("kind"))!,
                qualifier: try os("qualifier"),
                startDate: try date("start_date")!,
                dueDate: try date("due_date")!,
                recordVersion: try r["record_version"].decode(Int.self),
                language: try os("language"),
                electronicRequired: try r["electronic_required"].decode(Int.self) != 0
            )
            o.paper = PaperState(rawValue: try s("paper"))!
            o.electronic = ElectronicState(rawValue: try s("electronic"))!
            o.attempt = try r["attempt"].decode(Int.self)
            o.trackingNumber = try os("tracking_number")
            o.mailDate = try date("mail_date")
            o.deliveredDate = try date("delivered_date")
            o.addressProblem = try os("address_problem")
            o.renderedVersion = try r["rendered_version"].decode(Int?.self)
            o.completedOn = try date("completed_on")
            o.completionNote = try os("completion_note")
            o.cancelledReason = try os("cancelled_reason")
            result.append(o)
        }
        return result
    }

    static func upsert(_ conn: PostgresConnection, _ o: Obligation, _ logger: Logger) async throws {
        let cols = Schema.obligationColumns
        var b = PostgresBindings()
        b.append(o.id)
        b.append(o.recordId)
        b.append(o.kind.rawValue)
        b.append(o.qualifier)
        b.append(o.startDate.description)
        b.append(o.dueDate.description)
        b.append(o.recordVersion)
        b.append(o.language)
        b.append(o.paper.rawValue)
        b.append(o.electronic.rawValue)
        b.append(o.electronicRequired ? 1 : 0)
        b.append(o.attempt)
        b.append(o.trackingNumber)
        b.append(o.mailDate?.description)
        b.append(o.deliveredDate?.description)
        b.append(o.addressProblem)
        b.append(o.renderedVersion)
        b.append(o.completedOn?.description)
        b.append(o.completionNote)
        b.append(o.cancelledReason)
        let sql =
            "INSERT INTO obligations (\(cols.joined(separator: ", "))) VALUES (\(cols.indices.map { "$\($0 + 1)" }.joined(separator: ", "))) "
            + "ON CONFLICT (id) DO UPDATE SET "
            + cols.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try await conn.query(PostgresQuery(unsafeSQL: sql, binds: b), logger: logger)
    }

    static func auditHead(_ conn: PostgresConnection, _ logger: Logger) async throws -> (seq: Int, hash: String)? {
        var head: (seq: Int, hash: String)?
        for try await row in try await conn.query(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            logger: logger
        ) {
            let (seq, hash) = try row.decode((Int, String).self)
            head = (seq, hash)
        }
        return head
    }

    /// Seals `drafts` after `head` and inserts them; `head` becomes the new last entry.
    static func append(
        _ conn: PostgresConnection,
        _ drafts: [AuditDraft],
        actor: String,
        now: Date,
        head: inout (seq: Int, hash: String)?,
        _ logger: Logger
    ) async throws {
        guard !drafts.isEmpty else { return }
        for e in AuditChain.seal(drafts, after: head, actor: actor, at: now) {
            head = (e.seq, e.hash)
            try await conn.query(
                """
                INSERT INTO audit (seq, at, actor, action, record_id, record_version, obligation_id, what, prev_hash, hash)
                VALUES (\(e.seq), \(e.at), \(e.actor), \(e.action), \(e.recordId), \(e.recordVersion), \(e.obligationId), \(e.what), \(e.prevHash), \(e.hash))
                """,
                logger: logger
            )
        }
    }

    static func fetchAudit(
        _ conn: PostgresConnection,
        _ query: PostgresQuery,
        _ logger: Logger
    ) async throws -> [AuditEntry] {
        var result: [AuditEntry] = []
        for try await row in try await conn.query(query, logger: logger) {
            let r = row.makeRandomAccess()
            result.append(
                AuditEntry(
                    seq: try r["seq"].decode(Int.self),
                    at: try r["at"].decode(String.self),
                    actor: try r["actor"].decode(String.self),
                    action: try r["action"].decode(String.self),
                    recordId: try r["record_id"].decode(String.self),
                    recordVersion: try r["record_version"].decode(Int?.self),
                    obligationId: try r["obligation_id"].decode(String?.self),
                    what: try r["what"].decode(String.self),
                    prevHash: try r["prev_hash"].decode(String.self),
                    hash: try r["hash"].decode(String.self)
                )
            )
        }
        return result
    }
}
