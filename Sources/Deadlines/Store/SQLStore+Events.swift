import CaresDocuments
import Foundation

// Changes to one obligation: events through the state machine (`Transitions.apply`), and the
// render workers' claims.

extension SQLStore {
    @discardableResult
    public func apply(_ event: ObligationEvent, to id: String, actor: String, now: Date) async throws -> Obligation {
        let key = auditKey
        let forUpdate = database.dialect.forUpdate
        return try await database.write { conn in
            try await Self.apply(event, to: id, actor: actor, now: now, key: key, forUpdate: forUpdate, conn)
        }
    }

    public func applyAll(
        _ events: [(event: ObligationEvent, id: String)],
        actor: String,
        now: Date
    ) async throws -> [Obligation] {
        guard !events.isEmpty else { return [] }
        let key = auditKey
        let forUpdate = database.dialect.forUpdate
        return try await database.write { conn in
            var applied: [Obligation] = []
            for (event, id) in events {
                applied.append(
                    try await Self.apply(event, to: id, actor: actor, now: now, key: key, forUpdate: forUpdate, conn)
                )
            }
            return applied
        }
    }

    /// One event inside a write transaction: the state machine, its rows, its audit entries.
    static func apply<C: SQLConnection>(
        _ event: ObligationEvent,
        to id: String,
        actor: String,
        now: Date,
        key: AuditKey?,
        forUpdate: String,
        _ conn: C
    ) async throws -> Obligation {
        let today = ProgramCalendar.today(now: now)
        guard let o = try await conn.obligations(" WHERE id = ?" + forUpdate, [id]).first else {
            throw DeadlineStoreError.unknownObligation(id)
        }
        var owner: String?
        if case .mailed(let t, _) = event {
            owner = try await conn.fetchOne(
                "SELECT obligation_id FROM mail_pieces WHERE tracking_number = ?",
                [t.value]
            ) { row in try row["obligation_id"] as String }
        }
        let result = try Transitions.apply(event, to: o, trackingOwner: owner, today: today)
        try await conn.upsert(result.obligation)
        if let r = result.rendition {
            try await conn.execute(
                """
                INSERT INTO renditions (obligation_id, attempt, record_version, template_version, locale_version, language, pdf_sha256, pdf_path, rendered_at, pages)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    r.obligationId, r.attempt, r.recordVersion, r.templateVersion, r.localeVersion, r.language,
                    r.pdfSHA256, r.pdfPath, AuditChain.timestamp(now), r.pages,
                ]
            )
        }
        if let p = result.piece {
            if p.outcome == "mailed" {
                try await conn.execute(
                    "INSERT INTO mail_pieces (tracking_number, obligation_id, attempt, mail_date, outcome, outcome_date) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        p.trackingNumber, p.obligationId, p.attempt, p.mailDate.description, p.outcome,
                        p.outcomeDate?.description,
                    ]
                )
            } else {
                try await conn.execute(
                    "UPDATE mail_pieces SET outcome = ?, outcome_date = ? WHERE tracking_number = ?",
                    [p.outcome, p.outcomeDate?.description, p.trackingNumber]
                )
            }
        }
        var head = try await conn.auditHead(key: key)
        try await conn.append(result.audit, actor: actor, now: now, head: &head)
        return result.obligation
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
            + Schema.readyToRender(kinds: kinds) + " ORDER BY due_date, id LIMIT ?" + database.dialect.skipLocked
            + ") RETURNING " + Schema.obligationColumns.joined(separator: ", ")
        return try await database.writeUnordered { conn in
            try await conn.fetch(sql, [worker, until, stamp, worker, limit]) { row in try Obligation(row) }
        }.sorted { ($0.dueDate, $0.id) < ($1.dueDate, $1.id) }
    }

    public func releaseClaim(_ id: String, worker: String) async throws {
        try await database.writeUnordered { conn in
            try await conn.execute(
                "UPDATE obligations SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
                [id, worker]
            )
        }
    }
}
