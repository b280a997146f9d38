import Foundation

// The audit log as the service uses it: entries appended by views, sign-ins and renders over
// HTTP, queries newest first, and the queue's counts for metrics.

extension SQLStore {
    public func appendAudit(
        action: String,
        recordId: String,
        recordVersion: Int?,
        obligationId: String?,
        what: String,
        actor: String,
        now: Date
    ) async throws {
        let draft = AuditDraft(
            action,
            recordId: recordId,
            recordVersion: recordVersion,
            obligationId: obligationId,
            what: what
        )
        try await auditedWrite(actor: actor, now: now) { _ in draft }
    }

    public func verifyAudit() async throws -> AuditVerification {
        let key = auditKey
        return try await database.read { conn in
            let keying = try await conn.auditKeying()
            let checkedKey = try keying?.require(key)
            let log = try await conn.auditEntries("SELECT * FROM audit ORDER BY seq", [])
            return AuditChain.verify(log, keyedFrom: keying?.keyedFrom, key: checkedKey)
        }
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        let q = Schema.auditQuery(query)
        return try await database.read { conn in try await conn.auditEntries(q.sql, q.values) }
    }

    public func queueCounts(today: CalendarDateString) async throws -> (pending: Int, overdue: Int) {
        try await database.read { conn in
            try await conn.fetchOne(Schema.queueCounts, [today]) { row in
                (pending: try row["pending"] as Int, overdue: try row["overdue"] as Int)
            } ?? (pending: 0, overdue: 0)
        }
    }
}
