import CaresDocuments
import Foundation

/// The tables both stores create (SQL that SQLite and PostgreSQL both accept, dates as
/// `YYYY-MM-DD` text so they sort and compare as dates).
enum Schema {
    static let obligationColumns = [
        "id", "record_id", "kind", "qualifier", "start_date", "due_date", "record_version", "language",
        "paper", "electronic", "electronic_required", "attempt", "tracking_number", "mail_date",
        "delivered_date", "address_problem", "rendered_version", "completed_on", "completion_note",
        "cancelled_reason", "completed_before_import", "translation_wait",
    ]

    /// Version 4: obligations completed before the member came into the queue, and `meta`
    /// (name → value) for facts about the store itself (the audit chain's mode, `AuditKeying`).
    static let v4 = [
        "ALTER TABLE obligations ADD COLUMN completed_before_import INTEGER NOT NULL DEFAULT 0",
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]

    /// Version 2: claims for render workers, page counts of renditions.
    static let v2 = [
        "ALTER TABLE obligations ADD COLUMN claimed_by TEXT",
        "ALTER TABLE obligations ADD COLUMN claimed_until TEXT",
        "ALTER TABLE renditions ADD COLUMN pages INTEGER",
    ]

    /// The WHERE clause of documents ready to render: pending, paper open, of these kinds,
    /// not waiting for translation, unclaimed, with an expired claim, or claimed by the same worker before (a rerun after a
    /// crash takes its own claims back). Binds the time, then the worker.
    static func readyToRender(kinds: [ObligationKind]) -> String {
        let list = kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return
            "completed_on IS NULL AND cancelled_reason IS NULL AND paper = 'open' AND kind IN (\(list.isEmpty ? "''" : list)) "
            + "AND translation_wait = 0 AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)"
    }

    /// Version 1, as statements; `blob` is BLOB (SQLite) or BYTEA (PostgreSQL), `serial` the
    /// auto-increment primary key.
    static func v1(blob: String, serial: String) -> [String] {
        [
            """
            CREATE TABLE records (
              record_id TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,
              imported_at TEXT NOT NULL, imported_by TEXT NOT NULL, body \(blob) NOT NULL,
              PRIMARY KEY (record_id, version))
            """,
            """
            CREATE TABLE obligations (
              id TEXT PRIMARY KEY, record_id TEXT NOT NULL, kind TEXT NOT NULL, qualifier TEXT,
              start_date TEXT NOT NULL, due_date TEXT NOT NULL, record_version INTEGER NOT NULL,
              language TEXT, paper TEXT NOT NULL, electronic TEXT NOT NULL,
              electronic_required INTEGER NOT NULL, attempt INTEGER NOT NULL, tracking_number TEXT,
              mail_date TEXT, delivered_date TEXT, address_problem TEXT, rendered_version INTEGER,
              completed_on TEXT, completion_note TEXT, cancelled_reason TEXT)
            """,
            "CREATE INDEX obligations_record ON obligations (record_id)",
            "CREATE INDEX obligations_pending_due ON obligations (due_date) WHERE completed_on IS NULL AND cancelled_reason IS NULL",
            """
            CREATE TABLE renditions (
              id \(serial), obligation_id TEXT NOT NULL, attempt INTEGER NOT NULL,
              record_version INTEGER NOT NULL, template_version TEXT NOT NULL,
              locale_version TEXT NOT NULL, language TEXT NOT NULL, pdf_sha256 TEXT NOT NULL,
              pdf_path TEXT, rendered_at TEXT NOT NULL)
            """,
            "CREATE INDEX renditions_obligation ON renditions (obligation_id)",
            """
            CREATE TABLE mail_pieces (
              tracking_number TEXT PRIMARY KEY, obligation_id TEXT NOT NULL, attempt INTEGER NOT NULL,
              mail_date TEXT NOT NULL, outcome TEXT NOT NULL, outcome_date TEXT)
            """,
            "CREATE INDEX mail_pieces_obligation ON mail_pieces (obligation_id)",
            """
            CREATE TABLE audit (
              seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
              record_id TEXT NOT NULL, record_version INTEGER, obligation_id TEXT, what TEXT NOT NULL,
              prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
            "CREATE INDEX audit_record ON audit (record_id)",
        ]
    }
}

extension Schema {
    /// Version 3: users, sessions, API tokens (hashes only) and the member index the service
    /// searches. Booleans are INTEGER 0/1 and instants ISO 8601 UTC text (`AuditChain.timestamp`),
    /// so they compare as text in both databases.
    static let v3 = [
        """
        CREATE TABLE users (
          username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
          disabled INTEGER NOT NULL DEFAULT 0, failed_logins INTEGER NOT NULL DEFAULT 0,
          last_failed_at TEXT, created_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE sessions (
          token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, csrf_token TEXT NOT NULL,
          created_at TEXT NOT NULL, expires_at TEXT NOT NULL)
        """,
        "CREATE INDEX sessions_username ON sessions (username)",
        """
        CREATE TABLE api_tokens (
          name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
          revoked INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE members (
          record_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, given_name TEXT NOT NULL,
          family_name TEXT NOT NULL, name_folded TEXT NOT NULL, birth_date TEXT NOT NULL,
          latest_version INTEGER NOT NULL, updated_at TEXT NOT NULL)
        """,
        "CREATE INDEX members_member_id ON members (member_id)",
        "CREATE INDEX members_birth_date ON members (birth_date)",
    ]

    static let memberColumns = [
        "record_id", "member_id", "given_name", "family_name", "name_folded", "birth_date", "latest_version",
        "updated_at",
    ]

    /// Inserts or replaces one member row (binds `memberColumns`).
    static let upsertMember =
        "INSERT INTO members (\(memberColumns.joined(separator: ", "))) VALUES ("
        + memberColumns.map { _ in "?" }.joined(separator: ", ") + ") "
        + "ON CONFLICT (record_id) DO UPDATE SET "
        + memberColumns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    /// The latest version of every record (the member index backfill).
    static let latestRecords = """
        SELECT r.record_id, r.version, r.imported_at, r.body FROM records r
        WHERE r.version = (SELECT MAX(v.version) FROM records v WHERE v.record_id = r.record_id)
        ORDER BY r.record_id
        """

    static let selectMembers =
        "SELECT record_id, member_id, given_name, family_name, birth_date, latest_version, updated_at FROM members"

    /// A bound value of a query built for both databases.
    typealias Value = SQLValue

    /// The member search as SQL with bound values (never the user's text in the SQL), or `nil`
    /// when the name has text but no searchable word (such a search finds no one).
    static func memberSearch(_ s: MemberSearch) -> (sql: String, values: [Value])? {
        var clauses: [String] = []
        var values: [Value] = []
        func bind(_ v: Value) -> String {
            values.append(v)
            return "?"
        }
        if let name = s.name, !name.allSatisfy(\.isWhitespace) {
            let words = MemberIndex.words(name)
            if words.isEmpty { return nil }
            for w in words {
                clauses.append(
                    "(' ' || name_folded || ' ') LIKE \(bind(.text("% " + MemberIndex.escapeLike(w) + "%"))) ESCAPE '\\'"
                )
            }
        }
        if let d = s.birthDate { clauses.append("birth_date = \(bind(.text(d)))") }
        if let m = s.memberId { clauses.append("member_id = \(bind(.text(m)))") }
        let sql =
            selectMembers + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY family_name, given_name, record_id LIMIT \(bind(.int(max(0, s.limit))))"
        return (sql, values)
    }

    /// The audit query as SQL with bound values, newest first.
    static func auditQuery(_ q: AuditQuery) -> (sql: String, values: [Value]) {
        var clauses: [String] = []
        var values: [Value] = []
        func bind(_ v: Value) -> String {
            values.append(v)
            return "?"
        }
        if let r = q.recordId { clauses.append("record_id = \(bind(.text(r)))") }
        if let a = q.actor { clauses.append("actor = \(bind(.text(a)))") }
        if let a = q.action { clauses.append("action = \(bind(.text(a)))") }
        if let s = q.since { clauses.append("at >= \(bind(.text(s)))") }
        let sql =
            "SELECT * FROM audit" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY seq DESC LIMIT \(bind(.int(max(0, q.limit))))"
        return (sql, values)
    }

    /// Pending obligations and those overdue at the bound day.
    static let queueCounts =
        "SELECT COUNT(*) AS pending, COALESCE(SUM(CASE WHEN due_date < ? THEN 1 ELSE 0 END), 0) AS overdue "
        + "FROM obligations WHERE completed_on IS NULL AND cancelled_reason IS NULL"
}

/// The member index's row of a record and the name folding its search shares.
enum MemberIndex {
    /// Lowercased, accents stripped, split into words at anything that is not a letter or a
    /// digit (so "García-López" is "garcia lopez" and "O'Brien" "o brien", for the stored name
    /// and for the query alike).
    static func words(_ s: String) -> [String] {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
            .split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// "given family", folded.
    static func folded(given: String, family: String) -> String {
        words(given + " " + family).joined(separator: " ")
    }

    /// LIKE's wildcards and escape character taken literally (words hold none, but the pattern
    /// must not depend on that).
    static func escapeLike(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" || c == "%" || c == "_" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// The members row of `record` at `version`, in `Schema.memberColumns` order.
    static func row(recordId: String, record: CareRecord, version: Int, updatedAt: String) -> [Schema.Value] {
        let m = record.member
        return [
            .text(recordId), .text(m.id), .text(m.firstName), .text(m.lastName),
            .text(folded(given: m.firstName, family: m.lastName)), .text(m.dateOfBirth.description),
            .int(version), .text(updatedAt),
        ]
    }
}

extension AuditChain {
    /// Parses an instant written by `timestamp(_:)` (fractional seconds optional).
    ///
    /// Value-type format styles (swift-foundation): creating an `ISO8601DateFormatter` per call
    /// cost about 0.2 ms, which made reading 68 translation segments take 13 ms.
    static func date(_ s: String) -> Date? {
        if let d = try? fractional.parse(s) { return d }
        return try? whole.parse(s)
    }

    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()
}

/// The audit entries of changes to users and tokens: names and roles only, never a hash.
enum AccessAudit {
    static func userCreated(_ u: UserAccount) -> AuditDraft {
        AuditDraft(
            "user-create",
            recordId: "",
            recordVersion: nil,
            what: "user \(u.username) created with role \(u.role.rawValue)\(u.disabled ? ", disabled" : "")"
        )
    }

    static func passwordChanged(_ username: String, role: Role) -> AuditDraft {
        AuditDraft(
            "user-password",
            recordId: "",
            recordVersion: nil,
            what: "password of user \(username) (role \(role.rawValue)) changed"
        )
    }

    static func disabled(_ disabled: Bool, _ username: String, role: Role) -> AuditDraft {
        AuditDraft(
            disabled ? "user-disable" : "user-enable",
            recordId: "",
            recordVersion: nil,
            what: "user \(username) (role \(role.rawValue)) \(disabled ? "disabled, sessions ended" : "enabled")"
        )
    }

    static func tokenCreated(_ t: APITokenRecord) -> AuditDraft {
        AuditDraft(
            "token-create",
            recordId: "",
            recordVersion: nil,
            what: "API token \(t.name) created with role \(t.role.rawValue)"
        )
    }

    static func tokenRevoked(_ name: String, role: Role) -> AuditDraft {
        AuditDraft(
            "token-revoke",
            recordId: "",
            recordVersion: nil,
            what: "API token \(name) (role \(role.rawValue)) revoked"
        )
    }
}
