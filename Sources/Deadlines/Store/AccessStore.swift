import CaresDocuments
import Foundation

/// What a signed-in person or an integration may do. Minimum necessary: the mailroom sees names,
/// addresses and mailing status, never health content; ED staff see emergency plans only.
public enum Role: String, Codable, Sendable, CaseIterable, Hashable {
    case admin, coordinator, mailroom, ed
    /// Translates and reviews the text passages of records assigned to translation, and reads the
    /// locale catalogs; sees no other record content (no names, dates of birth or addresses).
    case translator
}

/// A person who signs in to the service. The password is stored only as a slow-KDF hash
/// (bcrypt, made by the server); the store never sees a password.
public struct UserAccount: Sendable, Codable, Hashable {
    public var username: String
    public var role: Role
    public var passwordHash: String
    public var disabled: Bool
    /// Failed sign-ins since the last successful one (login throttling).
    public var failedLogins: Int
    /// When the last failed sign-in happened (ISO 8601 UTC), if any.
    public var lastFailedAt: Date?
    public var createdAt: Date

    public init(
        username: String,
        role: Role,
        passwordHash: String,
        disabled: Bool = false,
        failedLogins: Int = 0,
        lastFailedAt: Date? = nil,
        createdAt: Date
    ) {
        self.username = username
        self.role = role
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.failedLogins = failedLogins
        self.lastFailedAt = lastFailedAt
        self.createdAt = createdAt
    }
}

/// A browser session: the cookie holds a random token, the store keeps only its SHA-256.
public struct SessionRecord: Sendable, Hashable {
    public var tokenHash: String
    public var username: String
    /// The CSRF token every form of this session must carry.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, username: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.username = username
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A bearer token for a system integration, scoped to one role; the store keeps its SHA-256.
public struct APITokenRecord: Sendable, Hashable, Codable {
    public var name: String
    public var role: Role
    public var tokenHash: String
    public var revoked: Bool
    public var createdAt: Date

    public init(name: String, role: Role, tokenHash: String, revoked: Bool = false, createdAt: Date) {
        self.name = name
        self.role = role
        self.tokenHash = tokenHash
        self.revoked = revoked
        self.createdAt = createdAt
    }
}

/// One member as the search finds them: the latest version of their care record.
public struct MemberSummary: Sendable, Hashable, Codable {
    public var recordId: String
    public var memberId: String
    public var givenName: String
    public var familyName: String
    /// YYYY-MM-DD
    public var birthDate: String
    public var latestVersion: Int
    /// When the latest version was imported (ISO 8601 UTC, as in the audit log).
    public var updatedAt: String

    public init(
        recordId: String,
        memberId: String,
        givenName: String,
        familyName: String,
        birthDate: String,
        latestVersion: Int,
        updatedAt: String
    ) {
        self.recordId = recordId
        self.memberId = memberId
        self.givenName = givenName
        self.familyName = familyName
        self.birthDate = birthDate
        self.latestVersion = latestVersion
        self.updatedAt = updatedAt
    }
}

/// How to search members. Every given field must match (AND); an empty search lists members by
/// family name.
public struct MemberSearch: Sendable, Hashable {
    /// Matches given or family name, or "given family", case- and accent-insensitively, by prefix
    /// of any name word ("riv" finds Rivera, "sofia" finds Sofía): every word of the query must
    /// begin some word of the name. Words are split at anything that is not a letter or digit
    /// ("lopez" finds García-López); a name with no letter or digit at all finds no one, an empty
    /// or blank one is no condition.
    public var name: String?
    /// YYYY-MM-DD, exact.
    public var birthDate: String?
    /// Exact member id.
    public var memberId: String?
    public var limit: Int
    /// Emergency lookups (minimum necessary): `name` must be the member's whole family name, or
    /// their whole given and family names, folded the same way (case and accents do not matter,
    /// "garcia lopez" is García-López) — never a prefix ("riv" finds no one, nor does "lopez").
    public var wholeFamilyName: Bool

    public init(
        name: String? = nil,
        birthDate: String? = nil,
        memberId: String? = nil,
        limit: Int = 50,
        wholeFamilyName: Bool = false
    ) {
        self.name = name
        self.birthDate = birthDate
        self.memberId = memberId
        self.limit = limit
        self.wholeFamilyName = wholeFamilyName
    }
}

/// How sign-ins are throttled: per account (failures in a row lock it for `lockout` after the
/// last) and per client address (failures in a fixed window).
public struct SignInPolicy: Sendable, Hashable {
    public var maxFailures: Int
    public var lockout: TimeInterval
    public var maxClientFailures: Int
    public var clientWindow: TimeInterval

    public init(
        maxFailures: Int = 5,
        lockout: TimeInterval = 900,
        maxClientFailures: Int = 20,
        clientWindow: TimeInterval = 900
    ) {
        self.maxFailures = maxFailures
        self.lockout = lockout
        self.maxClientFailures = maxClientFailures
        self.clientWindow = clientWindow
    }
}

/// What `beginSignIn` decided, before any password is checked.
public struct SignInAttempt: Sendable, Hashable {
    public enum Decision: Sendable, Hashable {
        /// Check the password (against the decoy hash when `user` is nil).
        case verify
        /// The account is locked until then: check nothing.
        case locked(until: Date)
        /// This client address has failed too often: check nothing.
        case clientThrottled(until: Date)
    }
    public var decision: Decision
    /// The account as it was (nil: no such user).
    public var user: UserAccount?
    /// The account's failures in a row, this attempt included (0 for an unknown user or a
    /// throttled address).
    public var failures: Int
    /// The address's failures in its window, this attempt included.
    public var clientFailures: Int

    public init(decision: Decision, user: UserAccount?, failures: Int, clientFailures: Int) {
        self.decision = decision
        self.user = user
        self.failures = failures
        self.clientFailures = clientFailures
    }
}

/// Which audit entries to return, newest first.
public struct AuditQuery: Sendable, Hashable {
    public var recordId: String?
    public var actor: String?
    public var action: String?
    /// Entries at or after this ISO 8601 UTC timestamp.
    public var since: String?
    public var limit: Int

    public init(
        recordId: String? = nil,
        actor: String? = nil,
        action: String? = nil,
        since: String? = nil,
        limit: Int = 100
    ) {
        self.recordId = recordId
        self.actor = actor
        self.action = action
        self.since = since
        self.limit = limit
    }
}

public enum AccessStoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case userExists(String)
    case unknownUser(String)
    case tokenExists(String)
    case unknownToken(String)

    public var description: String {
        switch self {
        case .userExists(let u): "a user named \(u) already exists"
        case .unknownUser(let u): "no user named \(u)"
        case .tokenExists(let n): "an API token named \(n) already exists"
        case .unknownToken(let n): "no API token named \(n)"
        }
    }
}

/// Users, sessions, API tokens, the member index and audit queries: what the service needs
/// beside the queue. Implemented by both stores on the same database (migration v3), so several
/// nodes share sign-ins and sessions. Changes to users and tokens are audited (record id "").
public protocol AccessStore: Sendable {
    // Users
    func createUser(_ user: UserAccount, actor: String, now: Date) async throws
    func user(_ username: String) async throws -> UserAccount?
    func users() async throws -> [UserAccount]
    func setPasswordHash(_ hash: String, for username: String, actor: String, now: Date) async throws
    /// Disabling also deletes the user's sessions (enabling again does not bring them back).
    func setDisabled(_ disabled: Bool, for username: String, actor: String, now: Date) async throws
    /// Counts a failed sign-in (for throttling); unknown users are ignored.
    func recordFailedLogin(_ username: String, now: Date) async throws
    /// Clears the failed sign-in count after a successful sign-in.
    func recordSuccessfulLogin(_ username: String, now: Date) async throws
    /// Counts a sign-in attempt *before* its password is checked, in one transaction: the
    /// client address's failures in its window, then (unless the address is throttled) the
    /// account's failures in a row. Parallel attempts each get their own count, so at most
    /// `policy.maxFailures` of them are ever verified before the lock. A locked account's count
    /// still rises but its lock does not move; an unknown username counts for the address only.
    func beginSignIn(
        username: String,
        client: String,
        policy: SignInPolicy,
        now: Date
    ) async throws
        -> SignInAttempt
    /// The password was right: the account's count goes back to 0 and the address's attempt,
    /// counted in advance, is taken back.
    func signInSucceeded(username: String, client: String, now: Date) async throws

    // Sessions
    func createSession(_ session: SessionRecord) async throws
    /// Starts `session` and ends every other session of its user, in one transaction; the number
    /// of sessions ended.
    @discardableResult
    func replaceSessions(with session: SessionRecord) async throws -> Int
    /// The session and its user, if the session exists, has not expired at `now` (it expires at
    /// `expiresAt`), has been used within `idleTimeout` (when given; the last use is recorded
    /// with a minute's granularity), and its user exists and is not disabled.
    func session(
        tokenHash: String,
        now: Date,
        idleTimeout: TimeInterval?
    ) async throws
        -> (SessionRecord, UserAccount)?
    func deleteSession(tokenHash: String) async throws
    /// Deletes every session of `username` (password change, disabled user, "sign out
    /// everywhere") and what they remembered; the number deleted.
    @discardableResult
    func deleteSessions(of username: String) async throws -> Int
    func deleteExpiredSessions(now: Date) async throws

    // Emergency lookups (minimum necessary): the records a search matched, per session
    /// Remembers that a search in `scope` (a session's token hash, or `token:NAME`) matched
    /// these records, until `expiresAt` (or until the session ends).
    func rememberMatches(_ recordIds: [String], scope: String, expiresAt: Date) async throws
    /// Whether a search in `scope` matched `recordId` and the memory has not expired at `now`.
    func matched(_ recordId: String, scope: String, now: Date) async throws -> Bool

    /// Asks for `recordId` to be translated into `language` (audited `translation-request` in the
    /// same transaction); an open request for the same pair is returned as it is (`created`
    /// false, nothing audited). Throws `TranslationRequestError.noRecord` for an unknown record.
    func requestTranslation(
        recordId: String,
        language: SupportedLanguage,
        actor: String,
        now: Date
    ) async throws -> (request: TranslationRequest, created: Bool)
    /// Withdraws the open request for the pair (audited `translation-withdraw`); `nil` when none.
    func withdrawTranslationRequest(
        recordId: String,
        language: SupportedLanguage,
        actor: String,
        now: Date
    ) async throws -> TranslationRequest?
    /// Requests, oldest first: of one record or all, withdrawn ones too or not.
    func translationRequests(recordId: String?, includeWithdrawn: Bool) async throws -> [TranslationRequest]
    /// The open (not withdrawn) request for the pair: what gives translators access to it.
    func activeTranslationRequest(recordId: String, language: SupportedLanguage) async throws -> TranslationRequest?

    // API tokens
    func createAPIToken(_ token: APITokenRecord, actor: String, now: Date) async throws
    /// The token with this hash, unless it is revoked (`nil` then, as for an unknown token).
    func apiToken(tokenHash: String) async throws -> APITokenRecord?
    func revokeAPIToken(name: String, actor: String, now: Date) async throws

    // Members (kept up to date by importRecords; older databases are indexed on open)
    func searchMembers(_ search: MemberSearch) async throws -> [MemberSummary]
    func member(recordId: String) async throws -> MemberSummary?
    /// The latest stored version of a record: its number and bytes.
    func latestRecord(recordId: String) async throws -> (version: Int, body: Data)?

    // Audit
    /// Appends one entry to the hash-chained audit log (views, sign-ins, renders over HTTP).
    /// `what` must hold ids and states only, never names, dates of birth or other PHI.
    func appendAudit(
        action: String,
        recordId: String,
        recordVersion: Int?,
        obligationId: String?,
        what: String,
        actor: String,
        now: Date
    ) async throws
    /// Entries matching every given field of `query`, newest first, at most `limit`.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]
    /// Pending obligations (neither completed nor cancelled), for metrics: (total pending, those
    /// due before `today`).
    func queueCounts(today: CalendarDateString) async throws -> (pending: Int, overdue: Int)
}

extension AccessStore {
    /// The session without an idle timeout.
    public func session(tokenHash: String, now: Date) async throws -> (SessionRecord, UserAccount)? {
        try await session(tokenHash: tokenHash, now: now, idleTimeout: nil)
    }
}

/// A calendar day as `YYYY-MM-DD` text (the stores compare dates as text).
public typealias CalendarDateString = String
