import CaresDocuments
import Foundation

// The schema's versions and the one runner that applies them on both databases, with the
// bookkeeping in `schema_migrations` (name, applied_at). A SQLite file migrated by GRDB's
// `DatabaseMigrator` (its `grdb_migrations` table) is recognised: its names are adopted once.

/// One version of the schema: its name in `schema_migrations` and its statements.
struct Migration: Sendable {
    var name: String
    var statements: @Sendable (SQLDialect) -> [String]
}

extension Schema {
    /// Every version, in order. Append new ones; never change one that has shipped.
    static let migrations: [Migration] = [
        Migration(name: "v1") { d in v1(blob: d.blob, serial: d.serialPrimaryKey) + d.appendOnly("audit") },
        Migration(name: "v2") { _ in v2 },
        Migration(name: "v3") { _ in v3 },
        Migration(name: "v4") { _ in v4 },
        Migration(name: "v5") { _ in v5Access },
        Migration(name: "v6") { _ in v6Translations },
        Migration(name: "v7") { d in v7TranslationRequests(serial: d.serialPrimaryKey) },
    ]

    /// Version 6 (the translation memory): segments keyed by (source language, source hash,
    /// target language); the source hashes of each record's latest version (which records a
    /// saved segment concerns); and each obligation's count of passages its copy would refuse
    /// as untranslated ("waiting for translation"). The setting `allowDraftedTranslations` is a
    /// `meta` row.
    static let v6Translations = [
        """
        CREATE TABLE translation_segments (
          source_language TEXT NOT NULL, source_hash TEXT NOT NULL, target_language TEXT NOT NULL,
          source_text TEXT NOT NULL, target_text TEXT NOT NULL, status TEXT NOT NULL,
          translator TEXT, reviewer TEXT, updated_at TEXT NOT NULL,
          PRIMARY KEY (source_language, source_hash, target_language))
        """,
        """
        CREATE TABLE record_passages (
          record_id TEXT NOT NULL, source_language TEXT NOT NULL, source_hash TEXT NOT NULL,
          PRIMARY KEY (record_id, source_language, source_hash))
        """,
        "CREATE INDEX record_passages_hash ON record_passages (source_language, source_hash)",
        "ALTER TABLE obligations ADD COLUMN translation_wait INTEGER NOT NULL DEFAULT 0",
    ]

    /// Version 5 (sign-in and session hardening): a session's last use (the idle timeout), the
    /// sign-in failures of each client address in their window, and the records an emergency
    /// lookup matched per session (or API token) until it ends.
    static let v5Access = [
        "ALTER TABLE sessions ADD COLUMN last_seen_at TEXT",
        """
        CREATE TABLE sign_in_clients (
          client TEXT PRIMARY KEY, failures INTEGER NOT NULL, window_start TEXT NOT NULL)
        """,
        """
        CREATE TABLE lookup_matches (
          scope TEXT NOT NULL, record_id TEXT NOT NULL, expires_at TEXT NOT NULL,
          PRIMARY KEY (scope, record_id))
        """,
    ]
}

enum Migrator {
    /// Brings `database` up to date: a read finds out whether anything is to do (so opening an
    /// up-to-date store waits for no writer), then one write transaction does it.
    static func migrate(_ database: some StoreDatabase, now: Date = Date()) async throws {
        let dialect = database.dialect
        if try await database.read({ conn in try await upToDate(conn, dialect) }) { return }
        try await database.write { conn in try await run(conn, dialect, now: now) }
    }

    static func upToDate(_ conn: some SQLConnection, _ dialect: SQLDialect) async throws -> Bool {
        guard try await tableExists(conn, dialect, "schema_migrations") else { return false }
        let applied = try await appliedNames(conn)
        guard Schema.migrations.allSatisfy({ applied.contains($0.name) }) else { return false }
        return try await !MemberBackfill.needed(conn)
    }

    /// Applies what is missing (in the writers' transaction: several processes or nodes opening
    /// the store at once apply each version once).
    static func run(_ conn: some SQLConnection, _ dialect: SQLDialect, now: Date) async throws {
        let stamp = AuditChain.timestamp(now)
        if try await !tableExists(conn, dialect, "schema_migrations") {
            try await conn.executeSchema(
                "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            if let legacy = dialect.legacyMigrations, try await tableExists(conn, dialect, legacy.table) {
                try await conn.execute(
                    "INSERT INTO schema_migrations (name, applied_at) SELECT \(legacy.column), ? FROM \(legacy.table)",
                    [stamp]
                )
            }
        }
        let applied = try await appliedNames(conn)
        for m in Schema.migrations where !applied.contains(m.name) {
            for sql in m.statements(dialect) { try await conn.executeSchema(sql) }
            try await conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", [m.name, stamp])
        }
        try await MemberBackfill.run(conn)
        if !applied.contains("v6") {
            // Records stored before the translation memory: their passages indexed and their
            // obligations' waits counted once.
            let ids = try await conn.fetch("SELECT DISTINCT record_id FROM records ORDER BY record_id", []) { row in
                try row["record_id"] as String
            }
            try await conn.refreshTranslationWaits(recordIds: ids, indexPassages: true)
        }
    }

    static func appliedNames(_ conn: some SQLConnection) async throws -> Set<String> {
        Set(try await conn.fetch("SELECT name FROM schema_migrations", []) { row in try row["name"] as String })
    }

    static func tableExists(_ conn: some SQLConnection, _ dialect: SQLDialect, _ table: String) async throws -> Bool {
        try await conn.fetchOne(dialect.tableExists, [table]) { row in try row["tables"] as Int }.map { $0 > 0 }
            ?? false
    }
}

/// The member index of a database from before v3: every record's latest version, indexed when
/// the index is empty but records exist; records that no longer parse are left out.
enum MemberBackfill {
    static func needed(_ conn: some SQLConnection) async throws -> Bool {
        try await conn.fetchOne(
            "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM members) AND EXISTS (SELECT 1 FROM records) THEN 1 ELSE 0 END AS needed",
            []
        ) { row in try row["needed"] as Int } == 1
    }

    static func run(_ conn: some SQLConnection) async throws {
        guard try await needed(conn) else { return }
        let rows = try await conn.fetch(Schema.latestRecords, []) { row -> [Schema.Value]? in
            guard case .success(let record) = CareRecordLoader.load(data: try row["body"]) else { return nil }
            return MemberIndex.row(
                recordId: try row["record_id"],
                record: record,
                version: try row["version"],
                updatedAt: try row["imported_at"]
            )
        }
        for r in rows.compactMap({ $0 }) { try await conn.execute(Schema.upsertMember, r) }
    }
}
