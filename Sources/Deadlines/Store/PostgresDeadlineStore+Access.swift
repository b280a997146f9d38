import CaresDocuments
import Foundation
import Logging
import PostgresNIO

/// Users, sessions, API tokens, the member index and audit queries on PostgreSQL (migration
/// v3). Writes that append to the audit chain take the writer lock first, like every other write.
extension PostgresDeadlineStore: AccessStore {
    // MARK: users

    public func createUser(_ user: UserAccount, actor: String, now: Date) async throws {
        let logger = logger
        try await auditedWrite(actor: actor, now: now) { conn in
            if try await Self.fetchUser(conn, user.username, logger) != nil {
                throw AccessStoreError.userExists(user.username)
            }
            let disabled = user.disabled ? 1 : 0
            let lastFailed = user.lastFailedAt.map(AuditChain.timestamp)
            let created = AuditChain.timestamp(user.createdAt)
            try await conn.query(
                """
                INSERT INTO users (username, role, password_hash, disabled, failed_logins, last_failed_at, created_at)
                VALUES (\(user.username), \(user.role.rawValue), \(user.passwordHash), \(disabled), \(user.failedLogins), \(lastFailed), \(created))
                """,
                logger: logger
            )
            return AccessAudit.userCreated(user)
        }
    }

    public func user(_ username: String) async throws -> UserAccount? {
        let logger = logger
        return try await client.withConnection { conn in try await Self.fetchUser(conn, username, logger) }
    }

    public func users() async throws -> [UserAccount] {
        var result: [UserAccount] = []
        for try await row in try await client.query("SELECT * FROM users ORDER BY username", logger: logger) {
            result.append(try Self.userAccount(row))
        }
        return result
    }

    public func setPasswordHash(_ hash: String, for username: String, actor: String, now: Date) async throws {
        let logger = logger
        try await auditedWrite(actor: actor, now: now) { conn in
            guard let u = try await Self.fetchUser(conn, username, logger) else {
                throw AccessStoreError.unknownUser(username)
            }
            try await conn.query(
                "UPDATE users SET password_hash = \(hash) WHERE username = \(username)",
                logger: logger
            )
            return AccessAudit.passwordChanged(username, role: u.role)
        }
    }

    public func setDisabled(_ disabled: Bool, for username: String, actor: String, now: Date) async throws {
        let logger = logger
        try await auditedWrite(actor: actor, now: now) { conn in
            guard let u = try await Self.fetchUser(conn, username, logger) else {
                throw AccessStoreError.unknownUser(username)
            }
            let flag = disabled ? 1 : 0
            try await conn.query("UPDATE users SET disabled = \(flag) WHERE username = \(username)", logger: logger)
            if disabled { try await conn.query("DELETE FROM sessions WHERE username = \(username)", logger: logger) }
            return AccessAudit.disabled(disabled, username, role: u.role)
        }
    }

    public func recordFailedLogin(_ username: String, now: Date) async throws {
        try await client.query(
            "UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = \(AuditChain.timestamp(now)) WHERE username = \(username)",
            logger: logger
        )
    }

    public func recordSuccessfulLogin(_ username: String, now: Date) async throws {
        try await client.query(
            "UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE username = \(username) AND (failed_logins <> 0 OR last_failed_at IS NOT NULL)",
            logger: logger
        )
    }

    // MARK: sessions

    public func createSession(_ session: SessionRecord) async throws {
        let created = AuditChain.timestamp(session.createdAt)
        let expires = AuditChain.timestamp(session.expiresAt)
        try await client.query(
            """
            INSERT INTO sessions (token_hash, username, csrf_token, created_at, expires_at)
            VALUES (\(session.tokenHash), \(session.username), \(session.csrfToken), \(created), \(expires))
            """,
            logger: logger
        )
    }

    public func session(tokenHash: String, now: Date) async throws -> (SessionRecord, UserAccount)? {
        let logger = logger
        let stamp = AuditChain.timestamp(now)
        return try await client.withConnection { conn -> (SessionRecord, UserAccount)? in
            var found: (String, String, String, String, String)?
            for try await row in try await conn.query(
                """
                SELECT token_hash, username, csrf_token, created_at, expires_at FROM sessions
                WHERE token_hash = \(tokenHash) AND expires_at > \(stamp)
                """,
                logger: logger
            ) {
                found = try row.decode((String, String, String, String, String).self)
            }
            guard let (hash, username, csrf, created, expires) = found else { return nil }
            guard let user = try await Self.fetchUser(conn, username, logger), !user.disabled else { return nil }
            return (
                SessionRecord(
                    tokenHash: hash,
                    username: username,
                    csrfToken: csrf,
                    createdAt: try Self.date(created),
                    expiresAt: try Self.date(expires)
                ), user
            )
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await client.query("DELETE FROM sessions WHERE token_hash = \(tokenHash)", logger: logger)
    }

    public func deleteSessions(of username: String) async throws {
        try await client.query("DELETE FROM sessions WHERE username = \(username)", logger: logger)
    }

    public func deleteExpiredSessions(now: Date) async throws {
        try await client.query("DELETE FROM sessions WHERE expires_at <= \(AuditChain.timestamp(now))", logger: logger)
    }

    // MARK: API tokens

    public func createAPIToken(_ token: APITokenRecord, actor: String, now: Date) async throws {
        let logger = logger
        try await auditedWrite(actor: actor, now: now) { conn in
            var exists = false
            for try await _ in try await conn.query(
                "SELECT 1 FROM api_tokens WHERE name = \(token.name)",
                logger: logger
            ) { exists = true }
            if exists { throw AccessStoreError.tokenExists(token.name) }
            let revoked = token.revoked ? 1 : 0
            let created = AuditChain.timestamp(token.createdAt)
            try await conn.query(
                """
                INSERT INTO api_tokens (name, token_hash, role, revoked, created_at)
                VALUES (\(token.name), \(token.tokenHash), \(token.role.rawValue), \(revoked), \(created))
                """,
                logger: logger
            )
            return AccessAudit.tokenCreated(token)
        }
    }

    public func apiToken(tokenHash: String) async throws -> APITokenRecord? {
        var token: APITokenRecord?
        for try await row in try await client.query(
            "SELECT name, role, token_hash, revoked, created_at FROM api_tokens WHERE token_hash = \(tokenHash) AND revoked = 0",
            logger: logger
        ) {
            let (name, role, hash, revoked, created) = try row.decode((String, String, String, Int, String).self)
            token = APITokenRecord(
                name: name,
                role: try Self.role(role),
                tokenHash: hash,
                revoked: revoked != 0,
                createdAt: try Self.date(created)
            )
        }
        return token
    }

    public func revokeAPIToken(name: String, actor: String, now: Date) async throws {
        let logger = logger
        try await auditedWrite(actor: actor, now: now) { conn in
            var role: String?
            for try await row in try await conn.query(
                "SELECT role FROM api_tokens WHERE name = \(name)",
                logger: logger
            ) {
                role = try row.decode(String.self)
            }
            guard let role else { throw AccessStoreError.unknownToken(name) }
            try await conn.query("UPDATE api_tokens SET revoked = 1 WHERE name = \(name)", logger: logger)
            return AccessAudit.tokenRevoked(name, role: try Self.role(role))
        }
    }

    // MARK: members

    public func searchMembers(_ search: MemberSearch) async throws -> [MemberSummary] {
        guard let q = Schema.memberSearch(search, placeholder: { "$\($0)" }) else { return [] }
        return try await fetchMembers(PostgresQuery(unsafeSQL: q.sql, binds: Self.bindings(q.values)))
    }

    public func member(recordId: String) async throws -> MemberSummary? {
        var b = PostgresBindings()
        b.append(recordId)
        return try await fetchMembers(
            PostgresQuery(unsafeSQL: Schema.selectMembers + " WHERE record_id = $1", binds: b)
        ).first
    }

    public func latestRecord(recordId: String) async throws -> (version: Int, body: Data)? {
        var latest: (version: Int, body: Data)?
        for try await row in try await client.query(
            "SELECT version, body FROM records WHERE record_id = \(recordId) ORDER BY version DESC LIMIT 1",
            logger: logger
        ) {
            let (version, body) = try row.decode((Int, Data).self)
            latest = (version: version, body: body)
        }
        return latest
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
        try await auditedWrite(actor: actor, now: now) { _ in draft }
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        let q = Schema.auditQuery(query, placeholder: { "$\($0)" })
        let logger = logger
        return try await client.withConnection { conn in
            try await Self.fetchAudit(conn, PostgresQuery(unsafeSQL: q.sql, binds: Self.bindings(q.values)), logger)
        }
    }

    public func queueCounts(today: CalendarDateString) async throws -> (pending: Int, overdue: Int) {
        var b = PostgresBindings()
        b.append(today)
        var counts = (pending: 0, overdue: 0)
        for try await row in try await client.query(
            PostgresQuery(unsafeSQL: Schema.queueCounts(placeholder: "$1"), binds: b),
            logger: logger
        ) {
            let (pending, overdue) = try row.decode((Int, Int).self)
            counts = (pending: pending, overdue: overdue)
        }
        return counts
    }

    // MARK: member index

    /// Indexes every record's latest version when the index is empty but records exist (a
    /// database from before v3); records that no longer parse are left out. Runs in the
    /// migration's transaction, under the writer lock.
    static func backfillMembers(_ conn: PostgresConnection, _ logger: Logger) async throws {
        var needed = false
        for try await row in try await conn.query(
            "SELECT NOT EXISTS (SELECT 1 FROM members) AND EXISTS (SELECT 1 FROM records)",
            logger: logger
        ) {
            needed = try row.decode(Bool.self)
        }
        guard needed else { return }
        var rows: [[Schema.Value]] = []
        for try await row in try await conn.query(PostgresQuery(unsafeSQL: Schema.latestRecords), logger: logger) {
            let (recordId, version, importedAt, body) = try row.decode((String, Int, String, Data).self)
            guard case .success(let record) = CareRecordLoader.load(data: body) else { continue }
            rows.append(MemberIndex.row(recordId: recordId, record: record, version: version, updatedAt: importedAt))
        }
        for r in rows { try await upsertMember(conn, r, logger) }
    }

    static func upsertMember(_ conn: PostgresConnection, _ values: [Schema.Value], _ logger: Logger) async throws {
        try await conn.query(
            PostgresQuery(unsafeSQL: Schema.upsertMember { "$\($0)" }, binds: bindings(values)),
            logger: logger
        )
    }

    // MARK: helpers

    /// A write transaction under the writer lock whose body returns the one audit entry it appends.
    func auditedWrite(
        actor: String,
        now: Date,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> AuditDraft
    ) async throws {
        let logger = logger
        try await transaction { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
            let draft = try await body(conn)
            var head = try await Self.auditHead(conn, logger)
            try await Self.append(conn, [draft], actor: actor, now: now, head: &head, logger)
        }
    }

    func fetchMembers(_ query: PostgresQuery) async throws -> [MemberSummary] {
        var result: [MemberSummary] = []
        for try await row in try await client.query(query, logger: logger) {
            let (recordId, memberId, given, family, birth, version, updated) = try row.decode(
                (String, String, String, String, String, Int, String).self
            )
            result.append(
                MemberSummary(
                    recordId: recordId,
                    memberId: memberId,
                    givenName: given,
                    familyName: family,
                    birthDate: birth,
                    latestVersion: version,
                    updatedAt: updated
                )
            )
        }
        return result
    }

    static func bindings(_ values: [Schema.Value]) -> PostgresBindings {
        var b = PostgresBindings()
        for v in values {
            switch v {
            case .text(let s): b.append(s)
            case .int(let i): b.append(i)
            }
        }
        return b
    }

    static func fetchUser(_ conn: PostgresConnection, _ username: String, _ logger: Logger) async throws -> UserAccount?
    {
        var user: UserAccount?
        for try await row in try await conn.query("SELECT * FROM users WHERE username = \(username)", logger: logger) {
            user = try userAccount(row)
        }
        return user
    }

    static func userAccount(_ row: PostgresRow) throws -> UserAccount {
        let r = row.makeRandomAccess()
        return UserAccount(
            username: try r["username"].decode(String.self),
            role: try role(try r["role"].decode(String.self)),
            passwordHash: try r["password_hash"].decode(String.self),
            disabled: try r["disabled"].decode(Int.self) != 0,
            failedLogins: try r["failed_logins"].decode(Int.self),
            lastFailedAt: try r["last_failed_at"].decode(String?.self).map(date),
            createdAt: try date(try r["created_at"].decode(String.self))
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
