import Foundation

// The member index the service searches (kept up to date by `importRecords`; older databases are
// indexed by the migrations, `MemberBackfill`) and the latest version of a record.

extension SQLStore {
    public func searchMembers(_ search: MemberSearch) async throws -> [MemberSummary] {
        if search.wholeFamilyName, let name = search.name, !name.allSatisfy(\.isWhitespace) {
            // The other fields narrow in SQL (a date of birth finds few); the whole name is
            // compared here, folded as the index folds it.
            let words = MemberIndex.words(name)
            if words.isEmpty { return [] }
            var narrowed = search
            narrowed.name = nil
            narrowed.wholeFamilyName = false
            narrowed.limit = 10_000
            return try await searchMembers(narrowed).filter { m in
                let family = MemberIndex.words(m.familyName)
                return words == family || words == MemberIndex.words(m.givenName) + family
            }.prefix(max(0, search.limit)).map { $0 }
        }
        guard let q = Schema.memberSearch(search) else { return [] }
        return try await database.read { conn in
            try await conn.fetch(q.sql, q.values) { row in try MemberSummary(row) }
        }
    }

    public func rememberMatches(_ recordIds: [String], scope: String, expiresAt: Date) async throws {
        guard !recordIds.isEmpty else { return }
        let until = AuditChain.timestamp(expiresAt)
        try await database.writeUnordered { conn in
            for id in Set(recordIds).sorted() {
                try await conn.execute(
                    """
                    INSERT INTO lookup_matches (scope, record_id, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (scope, record_id) DO UPDATE SET expires_at = excluded.expires_at
                    """,
                    [scope, id, until]
                )
            }
        }
    }

    public func matched(_ recordId: String, scope: String, now: Date) async throws -> Bool {
        try await database.read { conn in
            try await conn.fetchOne(
                "SELECT 1 AS one FROM lookup_matches WHERE scope = ? AND record_id = ? AND expires_at > ?",
                [scope, recordId, AuditChain.timestamp(now)]
            ) { _ in () } != nil
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
