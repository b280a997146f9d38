import Foundation

// Browser sessions: the store keeps the token's SHA-256; a session is valid until it expires,
// while it is used often enough (the idle timeout) and while its user exists and is not
// disabled. What an emergency lookup matched is kept per session (`lookup_matches`, scope = the
// token's hash) and goes with it. Unordered writes (no audit entry).

extension SQLStore {
    public func createSession(_ session: SessionRecord) async throws {
        try await database.writeUnordered { conn in try await conn.insertSession(session) }
    }

    public func replaceSessions(with session: SessionRecord) async throws -> Int {
        try await database.write { conn in
            let ended = try await conn.deleteSessions(of: session.username)
            try await conn.insertSession(session)
            return ended
        }
    }

    public func session(
        tokenHash: String,
        now: Date,
        idleTimeout: TimeInterval?
    ) async throws -> (SessionRecord, UserAccount)? {
        let stamp = AuditChain.timestamp(now)
        let found = try await database.read { conn -> (SessionRecord, UserAccount, Date)? in
            guard
                let (session, lastSeen) = try await conn.fetchOne(
                    """
                    SELECT token_hash, username, csrf_token, created_at, expires_at,
                      COALESCE(last_seen_at, created_at) AS last_seen FROM sessions
                    WHERE token_hash = ? AND expires_at > ?
                    """,
                    [tokenHash, stamp],
                    { row in
                        (
                            SessionRecord(
                                tokenHash: try row["token_hash"],
                                username: try row["username"],
                                csrfToken: try row["csrf_token"],
                                createdAt: try Schema.date(try row["created_at"]),
                                expiresAt: try Schema.date(try row["expires_at"])
                            ),
                            try Schema.date(try row["last_seen"])
                        )
                    }
                )
            else { return nil }
            guard let user = try await conn.user(session.username), !user.disabled else { return nil }
            return (session, user, lastSeen)
        }
        guard let (session, user, lastSeen) = found else { return nil }
        if let idle = idleTimeout {
            if now.timeIntervalSince(lastSeen) >= idle { return nil }
            // The last use is written at most once a minute (or a tenth of the timeout), not on
            // every request.
            if now.timeIntervalSince(lastSeen) >= min(60, idle / 10) {
                try await database.writeUnordered { conn in
                    try await conn.execute(
                        "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
                        [stamp, tokenHash]
                    )
                }
            }
        }
        return (session, user)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.write { conn in
            try await conn.execute("DELETE FROM lookup_matches WHERE scope = ?", [tokenHash])
            try await conn.execute("DELETE FROM sessions WHERE token_hash = ?", [tokenHash])
        }
    }

    public func deleteSessions(of username: String) async throws -> Int {
        try await database.write { conn in try await conn.deleteSessions(of: username) }
    }

    public func deleteExpiredSessions(now: Date) async throws {
        let stamp = AuditChain.timestamp(now)
        try await database.write { conn in
            try await conn.execute("DELETE FROM sessions WHERE expires_at <= ?", [stamp])
            try await conn.execute(
                "DELETE FROM lookup_matches WHERE expires_at <= ? OR (scope NOT LIKE 'token:%' AND scope NOT IN (SELECT token_hash FROM sessions))",
                [stamp]
            )
        }
    }
}

extension SQLConnection {
    func insertSession(_ session: SessionRecord) async throws {
        try await execute(
            """
            INSERT INTO sessions (token_hash, username, csrf_token, created_at, expires_at, last_seen_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                session.tokenHash, session.username, session.csrfToken,
                AuditChain.timestamp(session.createdAt), AuditChain.timestamp(session.expiresAt),
                AuditChain.timestamp(session.createdAt),
            ]
        )
    }

    /// Deletes the user's sessions and what their lookups matched; how many sessions.
    func deleteSessions(of username: String) async throws -> Int {
        let n =
            try await fetchOne("SELECT COUNT(*) AS n FROM sessions WHERE username = ?", [username]) { row in
                try row["n"] as Int
            } ?? 0
        try await execute(
            "DELETE FROM lookup_matches WHERE scope IN (SELECT token_hash FROM sessions WHERE username = ?)",
            [username]
        )
        try await execute("DELETE FROM sessions WHERE username = ?", [username])
        return n
    }
}
