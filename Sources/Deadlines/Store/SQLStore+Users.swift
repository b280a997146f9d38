import Foundation

// Users and API tokens. Changes append their audit entry (names and roles only) in the same
// write transaction; sign-in counters are unordered writes.

extension SQLStore {
    public func createUser(_ user: UserAccount, actor: String, now: Date) async throws {
        try await auditedWrite(actor: actor, now: now) { conn in
            if try await conn.user(user.username) != nil { throw AccessStoreError.userExists(user.username) }
            try await conn.execute(
                """
                INSERT INTO users (username, role, password_hash, disabled, failed_logins, last_failed_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    user.username, user.role.rawValue, user.passwordHash, user.disabled, user.failedLogins,
                    user.lastFailedAt.map(AuditChain.timestamp), AuditChain.timestamp(user.createdAt),
                ]
            )
            return AccessAudit.userCreated(user)
        }
    }

    public func user(_ username: String) async throws -> UserAccount? {
        try await database.read { conn in try await conn.user(username) }
    }

    public func users() async throws -> [UserAccount] {
        try await database.read { conn in
            try await conn.fetch("SELECT * FROM users ORDER BY username", []) { row in try UserAccount(row) }
        }
    }

    public func setPasswordHash(_ hash: String, for username: String, actor: String, now: Date) async throws {
        try await auditedWrite(actor: actor, now: now) { conn in
            guard let u = try await conn.user(username) else { throw AccessStoreError.unknownUser(username) }
            try await conn.execute("UPDATE users SET password_hash = ? WHERE username = ?", [hash, username])
            return AccessAudit.passwordChanged(username, role: u.role)
        }
    }

    public func setDisabled(_ disabled: Bool, for username: String, actor: String, now: Date) async throws {
        try await auditedWrite(actor: actor, now: now) { conn in
            guard let u = try await conn.user(username) else { throw AccessStoreError.unknownUser(username) }
            try await conn.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, username])
            if disabled { try await conn.execute("DELETE FROM sessions WHERE username = ?", [username]) }
            return AccessAudit.disabled(disabled, username, role: u.role)
        }
    }

    public func recordFailedLogin(_ username: String, now: Date) async throws {
        try await database.writeUnordered { conn in
            try await conn.execute(
                "UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE username = ?",
                [AuditChain.timestamp(now), username]
            )
        }
    }

    public func recordSuccessfulLogin(_ username: String, now: Date) async throws {
        try await database.writeUnordered { conn in
            try await conn.execute(
                "UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE username = ? AND (failed_logins <> 0 OR last_failed_at IS NOT NULL)",
                [username]
            )
        }
    }

    // MARK: API tokens

    public func createAPIToken(_ token: APITokenRecord, actor: String, now: Date) async throws {
        try await auditedWrite(actor: actor, now: now) { conn in
            if try await conn.fetchOne("SELECT 1 AS one FROM api_tokens WHERE name = ?", [token.name], { _ in () })
                != nil
            {
                throw AccessStoreError.tokenExists(token.name)
            }
            try await conn.execute(
                "INSERT INTO api_tokens (name, token_hash, role, revoked, created_at) VALUES (?, ?, ?, ?, ?)",
                [
                    token.name, token.tokenHash, token.role.rawValue, token.revoked,
                    AuditChain.timestamp(token.createdAt),
                ]
            )
            return AccessAudit.tokenCreated(token)
        }
    }

    public func apiToken(tokenHash: String) async throws -> APITokenRecord? {
        try await database.read { conn in
            try await conn.fetchOne(
                "SELECT name, role, token_hash, revoked, created_at FROM api_tokens WHERE token_hash = ? AND revoked = 0",
                [tokenHash]
            ) { row in
                APITokenRecord(
                    name: try row["name"],
                    role: try Schema.role(try row["role"]),
                    tokenHash: try row["token_hash"],
                    revoked: try row["revoked"] as Int != 0,
                    createdAt: try Schema.date(try row["created_at"])
                )
            }
        }
    }

    public func revokeAPIToken(name: String, actor: String, now: Date) async throws {
        try await auditedWrite(actor: actor, now: now) { conn in
            guard
                let role = try await conn.fetchOne(
                    "SELECT role FROM api_tokens WHERE name = ?",
                    [name],
                    {
                        row in try row["role"] as String
                    }
                )
            else { throw AccessStoreError.unknownToken(name) }
            try await conn.execute("UPDATE api_tokens SET revoked = 1 WHERE name = ?", [name])
            return AccessAudit.tokenRevoked(name, role: try Schema.role(role))
        }
    }
}
