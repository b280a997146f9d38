import Foundation

// The queue's reads: listings, one obligation's detail, a record's history, record bytes and
// the whole audit log.

extension SQLStore {
    public func obligations(_ q: ObligationQuery) async throws -> [Obligation] {
        var clauses: [String] = []
        var binds: [any SQLBindable] = []
        if !q.includeClosed { clauses.append("completed_on IS NULL AND cancelled_reason IS NULL") }
        if let d = q.dueOnOrBefore {
            clauses.append("due_date <= ?")
            binds.append(d.description)
        }
        if let k = q.kind {
            clauses.append("kind = ?")
            binds.append(k.rawValue)
        }
        if let r = q.recordId {
            clauses.append("record_id = ?")
            binds.append(r)
        }
        let rest = (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY due_date, id"
        return try await database.read { [binds] conn in try await conn.obligations(rest, binds) }
    }

    public func detail(_ id: String) async throws -> ObligationDetail? {
        try await database.read { conn in
            guard let o = try await conn.obligations(" WHERE id = ?", [id]).first else { return nil }
            let renditions = try await conn.fetch(
                "SELECT * FROM renditions WHERE obligation_id = ? ORDER BY id",
                [id]
            ) { row in try Rendition(row) }
            let pieces = try await conn.fetch(
                "SELECT * FROM mail_pieces WHERE obligation_id = ? ORDER BY attempt",
                [id]
            ) { row in try MailPiece(row) }
            return ObligationDetail(obligation: o, renditions: renditions, pieces: pieces)
        }
    }

    public func obligationId(forTracking tracking: String) async throws -> String? {
        try await database.read { conn in
            try await conn.fetchOne("SELECT obligation_id FROM mail_pieces WHERE tracking_number = ?", [tracking]) {
                row in try row["obligation_id"] as String
            }
        }
    }

    public func history(recordId: String) async throws -> RecordHistory {
        try await database.read { conn in
            let versions = try await conn.fetch(
                "SELECT record_id, version, sha256, imported_at, imported_by FROM records WHERE record_id = ? ORDER BY version",
                [recordId]
            ) { row in
                RecordVersion(
                    recordId: try row["record_id"],
                    version: try row["version"],
                    sha256: try row["sha256"],
                    importedAt: try row["imported_at"],
                    importedBy: try row["imported_by"]
                )
            }
            let obligations = try await conn.obligations(" WHERE record_id = ? ORDER BY due_date, id", [recordId])
            let audit = try await conn.auditEntries("SELECT * FROM audit WHERE record_id = ? ORDER BY seq", [recordId])
            return RecordHistory(recordId: recordId, versions: versions, obligations: obligations, audit: audit)
        }
    }

    public func recordBody(recordId: String, version: Int) async throws -> Data? {
        try await database.read { conn in
            try await conn.fetchOne(
                "SELECT body FROM records WHERE record_id = ? AND version = ?",
                [recordId, version]
            ) { row in try row["body"] as Data }
        }
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await database.read { conn in try await conn.auditEntries("SELECT * FROM audit ORDER BY seq", []) }
    }
}
