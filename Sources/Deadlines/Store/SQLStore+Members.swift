import Foundation

// The member index the service searches (kept up to date by `importRecords`; older databases are
// indexed by the migrations, `MemberBackfill`) and the latest version of a record.

extension SQLStore {
    public func searchMembers(_ search: MemberSearch) async throws -> [MemberSummary] {
        guard let q = Schema.memberSearch(search) else { return [] }
        return try await database.read { conn in
            try await conn.fetch(q.sql, q.values) { row in try MemberSummary(row) }
        }
    }

    public func member(recordId: String) async throws -> MemberSummary? {
        try await database.read { conn in
            try await conn.fetchOne(Schema.selectMembers + " WHERE record_id = ?", [recordId]) { row in
                try MemberSummary(row)
            }
        }
    }

    public func latestRecord(recordId: String) async throws -> (version: Int, body: Data)? {
        try await database.read { conn in
            try await conn.fetchOne(
                "SELECT version, body FROM records WHERE record_id = ? ORDER BY version DESC LIMIT 1",
                [recordId]
            ) { row in (version: try row["version"] as Int, body: try row["body"] as Data) }
        }
    }
}
