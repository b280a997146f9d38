import Foundation

// Users and API tokens. Changes append their audit entry (names and roles only) in the same
// write transaction. Sign-in counters: `beginSignIn` counts an attempt before its password is
// checked (per address in `sign_in_clients`, per account in `users`), in one transaction.

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
            if disabled { _ = try await conn.deleteSessions(of: username) }
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

    public func beginSignIn(
        username: String,
        client: String,
        policy: SignInPolicy,
        now: Date
    ) async throws -> SignInAttempt {
        let stamp = AuditChain.timestamp(now)
        let clientCutoff = AuditChain.timestamp(now.addingTimeInterval(-policy.clientWindow))
        let lockCutoff = AuditChain.timestamp(now.addingTimeInterval(-policy.lockout))
        return try await database.write { conn in
            // The address: failures in a fixed window that starts at its first failure.
            let (clientFailures, windowStart) =
                try await conn.fetchOne(
                    """
                    INSERT INTO sign_in_clients (client, failures, window_start) VALUES (?, 1, ?)
                    ON CONFLICT (client) DO UPDATE SET
                      failures = CASE WHEN sign_in_clients.window_start <= ? THEN 1 ELSE sign_in_clients.failures + 1 END,
                      window_start = CASE WHEN sign_in_clients.window_start <= ? THEN excluded.window_start ELSE sign_in_clients.window_start END
                    RETURNING failures, window_start
                    """,
                    [client, stamp, clientCutoff, clientCutoff]
                ) { row in (try row["failures"] as Int, try row["window_start"] as String) } ?? (1, stamp)
            let user = try await conn.user(username)
            if clientFailures > policy.maxClientFailures {
                return SignInAttempt(
                    decision: .clientThrottled(
                        until: try Schema.date(windowStart).addingTimeInterval(policy.clientWindow)
                    ),
                    user: user,
                    failures: 0,
                    clientFailures: clientFailures
                )
            }
            guard let user else {
                return SignInAttempt(decision: .verify, user: nil, failures: 0, clientFailures: clientFailures)
            }
            // The account: counted before the password is checked. A failure older than the
            // lockout starts the count again; while locked the count rises but the lock's start
            // (the failure that locked it) stays.
            let (failures, lastFailed) =
                try await conn.fetchOne(
                    """
                    UPDATE users SET
                      failed_logins = CASE WHEN last_failed_at IS NULL OR last_failed_at <= ? THEN 1 ELSE failed_logins + 1 END,
                      last_failed_at = CASE WHEN failed_logins >= ? AND last_failed_at > ? THEN last_failed_at ELSE ? END
                    WHERE username = ?
                    RETURNING failed_logins, last_failed_at
                    """,
                    [lockCutoff, policy.maxFailures, lockCutoff, stamp, username]
                ) { row in (try row["failed_logins"] as Int, try row["last_failed_at"] as String) } ?? (1, stamp)
            if failures > policy.maxFailures {
                return SignInAttempt(
                    decision: .locked(until: try Schema.date(lastFailed).addingTimeInterval(policy.lockout)),
                    user: user,
                    failures: failures,
                    clientFailures: clientFailures
                )
            }
            return SignInAttempt(decision: .verify, user: user, failures: failures, clientFailures: clientFailures)
        }
    }

    public func signInSucceeded(username: String, client: String, now: Date) async throws {
        try await database.write { conn in
            try await conn.execute(
                "UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE username = ?",
                [username]
            )
            try await conn.execute(
                "UPDATE sign_in_clients SET failures = failures - 1 WHERE client = ? AND failures > 0",
                [client]
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
