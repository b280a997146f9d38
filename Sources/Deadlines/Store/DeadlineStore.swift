import CaresDocuments
import Foundation

/// The queue's storage: SQLite (`SQLiteDeadlineStore`, one file) or PostgreSQL
/// (`PostgresDeadlineStore`, several nodes sharing one queue). Both run the same test suite.
///
/// Every write is one transaction that also appends its audit entries to the hash chain.
public protocol DeadlineStore: TranslationStore {
    /// Imports care records (JSON bytes, each validated first) in one transaction: stores a new
    /// version unless the bytes equal the latest version's, and reconciles each record's
    /// obligations. Invalid records are answered with their problems, and a version that would
    /// change who a record is about (`ImportRefusal`) is refused unless `options` confirm it;
    /// the others are imported.
    func importRecords(
        _ items: [Data],
        options: ImportOptions,
        actor: String,
        now: Date
    ) async throws -> [Result<ImportReport, ImportFailure>]
    /// Obligations matching `query`, by due date.
    func obligations(_ query: ObligationQuery) async throws -> [Obligation]
    /// One obligation with its renditions and mail pieces; `nil` when there is none.
    func detail(_ id: String) async throws -> ObligationDetail?
    /// Applies an event through the state machine (refused events throw `TransitionRefused`).
    @discardableResult
    func apply(_ event: ObligationEvent, to id: String, actor: String, now: Date) async throws -> Obligation
    /// Applies events in one transaction, in order: all of them or none (a refused event throws
    /// `TransitionRefused` and nothing is applied). A render worker records the letters of a
    /// claim this way: one commit, not one per letter.
    @discardableResult
    func applyAll(
        _ events: [(event: ObligationEvent, id: String)],
        actor: String,
        now: Date
    ) async throws -> [Obligation]
    /// The obligation a tracking number was used for.
    func obligationId(forTracking tracking: String) async throws -> String?
    /// Every version of a record and every audit entry about it.
    func history(recordId: String) async throws -> RecordHistory
    /// Claims up to `limit` documents ready to render (pending, paper open, of `kinds`, no live
    /// claim of another worker) for `worker` until `now + lease`, by due date. Two workers never
    /// get the same one: PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, SQLite has one writer
    /// at a time. Worker names must differ between processes running at the same time.
    func claimReady(
        kinds: [ObligationKind],
        worker: String,
        limit: Int,
        lease: TimeInterval,
        now: Date
    ) async throws -> [Obligation]
    /// Gives up a claim (a refused render), so that another run can try again.
    func releaseClaim(_ id: String, worker: String) async throws
    /// The bytes of one stored record version.
    func recordBody(recordId: String, version: Int) async throws -> Data?
    /// The latest stored version of a record and its bytes (one indexed read).
    func latestRecord(recordId: String) async throws -> (version: Int, body: Data)?
    /// The whole audit log, in order.
    func auditLog() async throws -> [AuditEntry]
    /// Checks the audit log's hash chain in the store's mode (a keyed chain needs its key:
    /// `AuditKeyError` otherwise).
    func verifyAudit() async throws -> AuditVerification
    func close() async throws
}

extension DeadlineStore {
    /// Imports care records with the default options (identity changes refused).
    public func importRecords(
        _ items: [Data],
        actor: String,
        now: Date
    ) async throws -> [Result<ImportReport, ImportFailure>] {
        try await importRecords(items, options: ImportOptions(), actor: actor, now: now)
    }

    /// Imports one care record (throws `DeadlineStoreError.invalidRecord` when it is invalid, an
    /// `ImportRefusal` when it is refused).
    public func importRecord(
        _ data: Data,
        options: ImportOptions = ImportOptions(),
        actor: String,
        now: Date
    ) async throws -> ImportReport {
        switch try await importRecords([data], options: options, actor: actor, now: now)[0] {
        case .success(let report): return report
        case .failure(.invalid(let f)): throw DeadlineStoreError.invalidRecord(f)
        case .failure(.refused(let r)): throw r
        }
    }
}

public struct ImportReport: Sendable, Hashable, Codable {
    public var recordId: String
    public var version: Int
    /// false when the bytes equal the latest version (no new version stored).
    public var newVersion: Bool
    public var sha256: String
    public var created: Int, moved: Int, cancelled: Int, reinstated: Int, completed: Int, reopened: Int
}

public struct RecordVersion: Sendable, Hashable, Codable {
    public var recordId: String
    public var version: Int
    public var sha256: String
    public var importedAt: String
    public var importedBy: String
}

public struct RecordHistory: Sendable, Hashable, Codable {
    public var recordId: String
    public var versions: [RecordVersion]
    public var obligations: [Obligation]
    public var audit: [AuditEntry]
}

public struct ObligationDetail: Sendable, Hashable, Codable {
    public var obligation: Obligation
    public var renditions: [Rendition]
    public var pieces: [MailPiece]
}

/// Which obligations to list. By default: pending ones (neither complete nor cancelled).
public struct ObligationQuery: Sendable, Hashable {
    public var today: CalendarDate
    /// Due on or before today + this many days (overdue ones included).
    public var dueWithin: Int?
    public var overdueOnly = false
    public var kind: ObligationKind?
    public var recordId: String?
    public var includeClosed = false

    public init(
        today: CalendarDate,
        dueWithin: Int? = nil,
        overdueOnly: Bool = false,
        kind: ObligationKind? = nil,
        recordId: String? = nil,
        includeClosed: Bool = false
    ) {
        self.today = today
        self.dueWithin = dueWithin
        self.overdueOnly = overdueOnly
        self.kind = kind
        self.recordId = recordId
        self.includeClosed = includeClosed
    }

    /// The latest due date the query accepts, if any.
    var dueOnOrBefore: CalendarDate? {
        if overdueOnly { return today.adding(days: -1) }
        return dueWithin.map { today.adding(days: $0) }
    }
}

public enum DeadlineStoreError: Error, Sendable, CustomStringConvertible {
    case invalidRecord(ValidationFailure)
    case unknownObligation(String)
    case badDatabase(String)

    public var description: String {
        switch self {
        case .invalidRecord(let f): "the record is invalid:\n\(f.description)"
        case .unknownObligation(let id): "no obligation \(id)"
        case .badDatabase(let s): s
        }
    }
}

/// Opens the store a `--database` value names: `postgres://…` / `postgresql://…`, else a
/// SQLite file path.
/// The audit key comes from the environment (`AuditKey.fromEnvironment`).
public func openDeadlineStore(_ database: String) async throws -> any DeadlineStore {
    try await openServiceStore(database)
}

/// Opens the store a `--database` value names, as the service uses it: the queue together with
/// users, sessions, API tokens, the member index and audit queries (same URL rule as
/// `openDeadlineStore`).
public func openServiceStore(_ database: String) async throws -> any DeadlineStore & AccessStore {
    let key = try AuditKey.fromEnvironment()
    if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
        return try await PostgresDeadlineStore(url: database, auditKey: key)
    }
    return try SQLiteDeadlineStore(path: database, auditKey: key)
}

/// A record ready to import: its bytes, parsed, with its id and SHA-256.
struct ParsedRecord: Sendable {
    var data: Data
    var record: CareRecord
    var recordId: String
    var sha: String
}

/// Validates and parses record bytes for import (outside the transaction).
func parseForImport(_ items: [Data]) -> [Result<ParsedRecord, ValidationFailure>] {
    items.map { data in
        CareRecordLoader.load(data: data).map {
            ParsedRecord(data: data, record: $0, recordId: Derivation.recordId(of: $0), sha: sha256Hex(data))
        }
    }
}

/// The answer for each item: its problems when it is invalid, else the next outcome, in order.
func importResults(
    _ parsed: [Result<ParsedRecord, ValidationFailure>],
    _ outcomes: [Result<ImportReport, ImportRefusal>]
) -> [Result<ImportReport, ImportFailure>] {
    var it = outcomes.makeIterator()
    return parsed.map { p in
        switch p {
        case .failure(let f): .failure(.invalid(f))
        case .success: it.next()!.mapError { .refused($0) }
        }
    }
}

/// The import audit entry that precedes the obligation changes.
func importAudit(recordId: String, version: Int, sha: String, isNew: Bool) -> AuditDraft {
    AuditDraft(
        "import",
        recordId: recordId,
        recordVersion: version,
        what: isNew
            ? "record version \(version) stored, sha256 \(sha)"
            : "record unchanged (same bytes as version \(version), sha256 \(sha))"
    )
}

extension ImportReport {
    init(recordId: String, version: Int, newVersion: Bool, sha256: String, plan: ImportPlan) {
        self.init(
            recordId: recordId,
            version: version,
            newVersion: newVersion,
            sha256: sha256,
            created: plan.created,
            moved: plan.moved,
            cancelled: plan.cancelled,
            reinstated: plan.reinstated,
            completed: plan.completed,
            reopened: plan.reopened
        )
    }
}
