import CaresDocuments
import Foundation
import GRDB

/// Users, sessions, API tokens, the member index and audit queries on SQLite (migration v3).
/// Writes that change users or tokens append their audit entry in the same transaction.
extension SQLiteDeadlineStore: AccessStore {
    // MARK: users

    public func createUser(_ user: UserAccount, actor: String, now: Date) async throws {
        try await queue.write { db in
            if try Self.fetchUser(db, user.username) != nil { throw AccessStoreError.userExists(user.username) }
            try db.execute(
                sql: """
                    INSERT INTO users (username, role, password_hash, disabled, failed_logins, last_failed_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.username, user.role.rawValue, user.passwordHash, user.disabled ? 1 : 0, user.failedLogins,
                    user.lastFailedAt.map(AuditChain.timestamp), AuditChain.timestamp(user.createdAt),
                ]
            )
            try Self.appendOne(db, AccessAudit.userCreated(user), actor: actor, now: now)
        }
    }

    public func user(_ username: String) async throws -> UserAccount? {
        try await queue.read { db in try Self.fetchUser(db, username) }
    }

    public func users() async throws -> [UserAccount] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY username").map(Self.userAccount)
        }
    }

    public func setPasswordHash(_ hash: String, for username: String, actor: String, now: Date) async throws {
        try await queue.write { db in
            guard let u = try Self.fetchUser(db, username) else { throw AccessStoreError.unknownUser(username) }
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE username = ?", arguments: [hash, username])
            try Self.appendOne(db, AccessAudit.passwordChanged(username, role: u.role), actor: actor, now: now)
        }
    }

    public func setDisabled(_ disabled: Bool, for username: String, actor: String, now: Date) async throws {
        try await queue.write { db in
            guard let u = try Self.fetchUser(db, username) else { throw AccessStoreError.unknownUser(username) }
            try db.execute(
                sql: "UPDATE users SET disabled = ? WHERE username = ?",
                arguments: [disabled ? 1 : 0, username]
            )
            if disabled { try db.execute(sql: "DELETE FROM sessions WHERE username = ?", arguments: [username]) }
            try Self.appendOne(db, AccessAudit.disabled(disabled, username, role: u.role), actor: actor, now: now)
        }
    }

    public func recordFailedLogin(_ username: String, now: Date) async throws {
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE username = ?",
                arguments: [AuditChain.timestamp(now), username]
            )
        }
    }

    public func recordSuccessfulLogin(_ username: String, now: Date) async throws {
        try await queue.write { db in
            try db.execute(
                sql:
                    "UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE username = ? AND (failed_logins <> 0 OR last_failed_at IS NOT NULL)",
                arguments: [username]
            )
        }
    }

    // MARK: sessions

    public func createSession(_ session: SessionRecord) async throws {
        try await queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO sessions (token_hash, username, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    session.tokenHash, session.username, session.csrfToken,
                    AuditChain.timestamp(session.createdAt), AuditChain.timestamp(session.expiresAt),
                ]
            )
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> (SessionRecord, UserAccount)? {
        let stamp = AuditChain.timestamp(now)
        return try await queue.read { db -> (SessionRecord, UserAccount)? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT token_hash, username, csrf_token, created_at, expires_at FROM sessions
                        WHERE token_hash = ? AND expires_at > ?
                        """,
                    arguments: [tokenHash, stamp]
                )
            else { return nil }
            guard let user = try Self.fetchUser(db, row["username"]), !user.disabled else { return nil }
            let session = SessionRecord(
                tokenHash: row["token_hash"],
                username: row["username"],
                csrfToken: row["csrf_token"],
                createdAt: try Self.date(row["created_at"]),
                expiresAt: try Self.date(row["expires_at"])
            )
            return (session, user)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func deleteSessions(of username: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE username = ?", arguments: [username])
        }
    }

    public func deleteExpiredSessions(now: Date) async throws {
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [AuditChain.timestamp(now)])
        }
    }

    // MARK: API tokens

    public func createAPIToken(_ token: APITokenRecord, actor: String, now: Date) async throws {
        try await queue.write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM api_tokens WHERE name = ?", arguments: [token.name]) != nil {
                throw AccessStoreError.tokenExists(token.name)
            }
            try db.execute(
                sql: "INSERT INTO api_tokens (name, token_hash, role, revoked, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    token.name, token.tokenHash, token.role.rawValue, token.revoked ? 1 : 0,
                    AuditChain.timestamp(token.createdAt),
                ]
            )
            try Self.appendOne(db, AccessAudit.tokenCreated(token), actor: actor, now: now)
        }
    }

    public func apiToken(tokenHash: String) async throws -> APITokenRecord? {
        try await queue.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM api_tokens WHERE token_hash = ? AND revoked = 0",
                    arguments: [tokenHash]
                )
            else { return nil }
            return APITokenRecord(
                name: row["name"],
                role: try Self.role(row["role"]),
                tokenHash: row["token_hash"],
                revoked: (row["revoked"] as Int) != 0,
                createdAt: try Self.date(row["created_at"])
            )
        }
    }

    public func revokeAPIToken(name: String, actor: String, now: Date) async throws {
        try await queue.write { db in
            guard
                let roleText = try String.fetchOne(
                    db,
                    sql: "SELECT role FROM api_tokens WHERE name = ?",
                    arguments: [name]
                )
            else {
                throw AccessStoreError.unknownToken(name)
            }
            try db.execute(sql: "UPDATE api_tokens SET revoked = 1 WHERE name = ?", arguments: [name])
            try Self.appendOne(
                db,
                AccessAudit.tokenRevoked(name, role: try Self.role(roleText)),
                actor: actor,
                now: now
            )
        }
    }

    // MARK: members

    public func searchMembers(_ search: MemberSearch) async throws -> [MemberSummary] {
        guard let q = Schema.memberSearch(search, placeholder: { _ in "?" }) else { return [] }
        let arguments = Self.arguments(q.values)
        return try await queue.read { db in
            try Row.fetchAll(db, sql: q.sql, arguments: arguments).map(Self.memberSummary)
        }
    }

    public func member(recordId: String) async throws -> MemberSummary? {
        try await queue.read { db in
            try Row.fetchOne(db, sql: Schema.selectMembers + " WHERE record_id = ?", arguments: [recordId]).map(
                Self.memberSummary
            )
        }
    }

    public func latestRecord(recordId: String) async throws -> (version: Int, body: Data)? {
        try await queue.read { db -> (version: Int, body: Data)? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT version, body FROM records WHERE record_id = ? ORDER BY version DESC LIMIT 1",
                    arguments: [recordId]
                )
            else { return nil }
            return (version: row["version"], body: row["body"])
        }
    }

    // MARK: audit

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
        try await queue.write { db in try Self.appendOne(db, draft, actor: actor, now: now) }
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        let (sql, values) = Schema.auditQuery(query, placeholder: { _ in "?" })
        let arguments = Self.arguments(values)
        return try await queue.read { db in try Self.fetchAudit(db, sql: sql, arguments: arguments) }
    }

    public func queueCounts(today: CalendarDateString) async throws -> (pending: Int, overdue: Int) {
        try await queue.read { db -> (pending: Int, overdue: Int) in
            let row = try Row.fetchOne(db, sql: Schema.queueCounts(placeholder: "?"), arguments: [today])!
            return (pending: row[0], overdue: row[1])
        }
    }

    // MARK: member index

    /// Indexes every record's latest version when the index is empty but records exist (a
    /// database from before v3); records that no longer parse are left out.
    func backfillMembers() throws {
        let needed = try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM members) AND EXISTS (SELECT 1 FROM records)")
                ?? false
        }
        guard needed else { return }
        try queue.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM members)") ?? false else { return }
            var rows: [[Schema.Value]] = []
            let cursor = try Row.fetchCursor(db, sql: Schema.latestRecords)
            while let row = try cursor.next() {
                guard case .success(let record) = CareRecordLoader.load(data: row["body"]) else { continue }
                rows.append(
                    MemberIndex.row(
                        recordId: row["record_id"],
                        record: record,
                        version: row["version"],
                        updatedAt: row["imported_at"]
                    )
                )
            }
            for r in rows { try Self.upsertMember(db, r) }
        }
    }

    static func upsertMember(_ db: Database, _ values: [Schema.Value]) throws {
        try db.cachedStatement(sql: Schema.upsertMember { _ in "?" }).execute(arguments: arguments(values))
    }

    // MARK: helpers

    static func appendOne(_ db: Database, _ draft: AuditDraft, actor: String, now: Date) throws {
        var head = try auditHead(db)
        try append(db, [draft], actor: actor, now: now, head: &head)
    }

    static func arguments(_ values: [Schema.Value]) -> StatementArguments {
        StatementArguments(
            values.map { v -> (any DatabaseValueConvertible)? in
                switch v {
                case .text(let s): s
                case .int(let i): i
                }
            }
        )
    }

    static func fetchUser(_ db: Database, _ username: String) throws -> UserAccount? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?", arguments: [username]).map(userAccount)
    }

    static func userAccount(_ row: Row) throws -> UserAccount {
        UserAccount(
            username: row["username"],
            role: try role(row["role"]),
            passwordHash: row["password_hash"],
            disabled: (row["disabled"] as Int) != 0,
            failedLogins: row["failed_logins"],
            lastFailedAt: try (row["last_failed_at"] as String?).map(date),
            createdAt: try date(row["created_at"])
        )
    }

    static func memberSummary(_ row: Row) -> MemberSummary {
        MemberSummary(
            recordId: row["record_id"],
            memberId: row["member_id"],
            givenName: row["given_name"],
            familyName: row["family_name"],
            birthDate: row["birth_date"],
            latestVersion: row["latest_version"],
            updatedAt: row["updated_at"]
        )
    }

    static func role(_ text: String) throws -> Role {
        guard let r = Role(rawValue: text) else {
            throw DeadlineStoreError.badDatabase("unknown role \(text) in the database")
        }
        return r
    }

    static func date(_ text: String) throws -> Date {
        guard let d = AuditChain.date(text) else {
            throw DeadlineStoreError.badDatabase("unreadable timestamp \(text) in the database")
        }
        return d
    }
}
