import Foundation

// Browser sessions: the store keeps the token's SHA-256; a session is valid until it expires and
// while its user exists and is not disabled. Unordered writes (no audit entry).

extension SQLStore {
    public func createSession(_ session: SessionRecord) async throws {
        try await database.writeUnordered { conn in
            try await conn.execute(
                "INSERT INTO sessions (token_hash, username, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [
                    session.tokenHash, session.username, session.csrfToken,
                    AuditChain.timestamp(session.createdAt), AuditChain.timestamp(session.expiresAt),
                ]
            )
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> (SessionRecord, UserAccount)? {
        let stamp = AuditChain.timestamp(now)
        return try await database.read { conn -> (SessionRecord, UserAccount)? in
            guard
                let session = try await conn.fetchOne(
                    """
                    SELECT token_hash, username, csrf_token, created_at, expires_at FROM sessions
                    WHERE token_hash = ? AND expires_at > ?
                    """,
                    [tokenHash, stamp],
                    { row in
                        SessionRecord(
                            tokenHash: try row["token_hash"],
                            username: try row["username"],
                            csrfToken: try row["csrf_token"],
                            createdAt: try Schema.date(try row["created_at"]),
                            expiresAt: try Schema.date(try row["expires_at"])
                        )
                    }
                )
            else { return nil }
            guard let user = try await conn.user(session.username), !user.disabled else { return nil }
            return (session, user)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.writeUnordered { conn in
            try await conn.execute("DELETE FROM sessions WHERE token_hash = ?", [tokenHash])
        }
    }

    public func deleteSessions(of username: String) async throws {
        try await database.writeUnordered { conn in
            try await conn.execute("DELETE FROM sessions WHERE username = ?", [username])
        }
    }

    public func deleteExpiredSessions(now: Date) async throws {
        try await database.writeUnordered { conn in
            try await conn.execute("DELETE FROM sessions WHERE expires_at <= ?", [AuditChain.timestamp(now)])
        }
    }
}
