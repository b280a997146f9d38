/// The tables both stores create (SQL that SQLite and PostgreSQL both accept, dates as
/// `YYYY-MM-DD` text so they sort and compare as dates).
enum Schema {
    static let obligationColumns = [
        "id", "record_id", "kind", "qualifier", "start_date", "due_date", "record_version", "language",
        "paper", "electronic", "electronic_required", "attempt", "tracking_number", "mail_date",
        "delivered_date", "address_problem", "rendered_version", "completed_on", "completion_note",
        "cancelled_reason",
    ]

    /// Version 2: claims for render workers, page counts of renditions.
    static let v2 = [
        "ALTER TABLE obligations ADD COLUMN claimed_by TEXT",
        "ALTER TABLE obligations ADD COLUMN claimed_until TEXT",
        "ALTER TABLE renditions ADD COLUMN pages INTEGER",
    ]

    /// The WHERE clause of documents ready to render: pending, paper open, of these kinds,
    /// unclaimed, with an expired claim, or claimed by the same worker before (a rerun after a
    /// crash takes its own claims back). Placeholders for the time and the worker are given.
    static func readyToRender(kinds: [ObligationKind], nowPlaceholder: String, workerPlaceholder: String) -> String {
        let list = kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return "completed_on IS NULL AND cancelled_reason IS NULL AND paper = 'open' AND kind IN (\(list.isEmpty ? "''" : list)) "
            + "AND (claimed_until IS NULL OR claimed_until < \(nowPlaceholder) OR claimed_by = \(workerPlaceholder))"
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
