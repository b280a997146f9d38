import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

/// Databases made before the migrations were written once: a SQLite file migrated by GRDB's
/// `DatabaseMigrator` (bookkeeping in `grdb_migrations`) and a PostgreSQL database with the old
/// `schema_migrations` open with today's code, are recognised and are not migrated again.
@Suite("Migrations of databases made by the earlier stores")
struct MigrationTests {
    /// The statements the earlier stores ran for `names` (v1 with its append-only triggers),
    /// then their bookkeeping with `appliedAt`.
    static func legacySchema(_ kind: StoreKind, names: [String], appliedAt: String) -> [String] {
        var sql: [String] = []
        for name in names {
            switch (name, kind) {
            case ("v1", .sqlite):
                sql +=
                    Schema.v1(blob: "BLOB", serial: "INTEGER PRIMARY KEY AUTOINCREMENT") + [
                        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                    ]
            case ("v1", .postgres):
                sql +=
                    Schema.v1(blob: "BYTEA", serial: "BIGSERIAL PRIMARY KEY") + [
                        """
                        CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
                        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql
                        """,
                        "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
                    ]
            case ("v2", _): sql += Schema.v2
            default: sql += Schema.v3
            }
        }
        switch kind {
        case .sqlite:
            // As GRDB's DatabaseMigrator creates and fills it.
            sql.append("CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            sql += names.map { "INSERT INTO grdb_migrations (identifier) VALUES ('\($0)')" }
        case .postgres:
            sql.append("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            sql += names.map { "INSERT INTO schema_migrations (name, applied_at) VALUES ('\($0)', '\(appliedAt)')" }
        }
        return sql
    }

    /// A new database of `kind` made by the earlier stores' statements, with one stored record
    /// version (not in the member index); its `--database` value, or `nil` without PostgreSQL.
    static func legacyDatabase(_ kind: StoreKind, names: [String], appliedAt: String) async throws -> String? {
        let record = fullRecord(id: "R-OLD")
        let body = record.data
        let insert =
            "INSERT INTO records (record_id, version, sha256, imported_at, imported_by, body) VALUES ('R-OLD', 1, '\(sha256Hex(body))', '2026-01-01T12:00:00.000Z', 'old', ?)"
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-mig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("queue.sqlite").path
            let db = try SQLiteStoreDatabase(path: path)
            try await db.write { conn in
                for sql in legacySchema(kind, names: names, appliedAt: appliedAt) { try await conn.executeSchema(sql) }
                try await conn.execute(insert, [body])
            }
            try await db.close()
            return path
        case .postgres:
            guard let base = postgresURL else { return nil }
            let url = try await createDatabase(base)
            let db = try PostgresStoreDatabase(url: url)
            try await db.write { conn in
                for sql in legacySchema(kind, names: names, appliedAt: appliedAt) { try await conn.executeSchema(sql) }
                try await conn.execute(insert, [body])
            }
            try await db.close()
            return url
        }
    }

    static func bookkeeping(_ store: any DeadlineStore) async throws -> [String: String] {
        let database: any StoreDatabase =
            (store as? SQLiteDeadlineStore)?.database ?? (store as! PostgresDeadlineStore).database
        return try await bookkeeping(database)
    }

    static func bookkeeping(_ database: some StoreDatabase) async throws -> [String: String] {
        let rows = try await database.read { conn in
            try await conn.fetch("SELECT name, applied_at FROM schema_migrations", []) { row in
                (try row["name"] as String, try row["applied_at"] as String)
            }
        }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    @Test("a database at v3 gets only the later versions and keeps working", arguments: StoreKind.allCases)
    func atV3(kind: StoreKind) async throws {
        let old = "2026-01-01T00:00:00.000Z"
        guard let database = try await Self.legacyDatabase(kind, names: ["v1", "v2", "v3"], appliedAt: old) else {
            return
        }
        let store = try await openServiceStore(database)
        do {
            let applied = try await Self.bookkeeping(store)
            #expect(Set(applied.keys) == Set(Schema.migrations.map(\.name)))
            if kind == .postgres {
                // Not applied again: the rows are the old ones.
                #expect(["v1", "v2", "v3"].allSatisfy { applied[$0] == old })
            }
            // The old record is in the member index (backfilled) and imports carry on from it.
            #expect(try await store.member(recordId: "R-OLD")?.latestVersion == 1)
            var changed = fullRecord(id: "R-OLD")
            changed.set("member.firstName", "Changed")
            let report = try await store.importRecord(
                changed.data,
                options: ImportOptions(confirmIdentityChange: true),
                actor: "t",
                now: noon("2026-11-20")
            )
            #expect(report.version == 2 && report.newVersion && report.created > 0)
            #expect(try await store.verifyAudit().isIntact)
            // Still append-only.
            await #expect(throws: (any Error).self) {
                if let s = store as? SQLiteDeadlineStore {
                    try await s.executeRaw("DELETE FROM audit")
                } else {
                    try await (store as! PostgresDeadlineStore).executeRaw("DELETE FROM audit")
                }
            }
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        // And again: nothing to do.
        let again = try await openServiceStore(database)
        #expect(try await Self.bookkeeping(again).count == Schema.migrations.count)
        #expect(try await again.history(recordId: "R-OLD").versions.count == 2)
        try await again.close()
    }

    @Test("a database at v2 gets v3 and v4 only, and its member index", arguments: StoreKind.allCases)
    func atV2(kind: StoreKind) async throws {
        let old = "2026-01-01T00:00:00.000Z"
        guard let database = try await Self.legacyDatabase(kind, names: ["v1", "v2"], appliedAt: old) else {
            return
        }
        let store = try await openServiceStore(database)
        let applied = try await Self.bookkeeping(store)
        #expect(Set(applied.keys) == Set(Schema.migrations.map(\.name)))
        if kind == .postgres { #expect(applied["v1"] == old && applied["v2"] == old && applied["v3"] != old) }
        #expect(try await store.searchMembers(MemberSearch()).map(\.recordId) == ["R-OLD"])
        try await store.createUser(
            UserAccount(username: "ann", role: .admin, passwordHash: "x", createdAt: noon("2026-11-20")),
            actor: "t",
            now: noon("2026-11-20")
        )
        #expect(try await store.users().map(\.username) == ["ann"])
        try await store.close()
    }
}
