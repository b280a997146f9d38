import Foundation
import GRDB

// The seam on SQLite (GRDB): one `DatabaseQueue` in WAL mode, immediate write transactions with a
// 10 s busy timeout (writers from several processes serialize), every statement cached.

struct SQLiteStoreDatabase: StoreDatabase {
    let queue: DatabaseQueue

    init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        // WAL: one fsync per commit instead of the rollback journal's several; a commit is
        // durable once it returns (synchronous stays FULL), kill -9 loses nothing committed.
        config.prepareDatabase { db in
            if db.configuration.readonly == false {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
        }
        queue = try DatabaseQueue(path: path, configuration: config)
    }

    var dialect: SQLDialect {
        SQLDialect(
            blob: "BLOB",
            serialPrimaryKey: "INTEGER PRIMARY KEY AUTOINCREMENT",
            forUpdate: "",
            skipLocked: "",
            appendOnly: { table in
                ["update", "delete"].map {
                    "CREATE TRIGGER \(table)_no_\($0) BEFORE \($0.uppercased()) ON \(table) BEGIN SELECT RAISE(ABORT, 'the \(table) log is append-only'); END"
                }
            },
            tableExists: "SELECT COUNT(*) AS tables FROM sqlite_master WHERE type = 'table' AND name = ?",
            legacyMigrations: (table: "grdb_migrations", column: "identifier")
        )
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T {
        try await queue.write { db in
            let conn = Connection(db: db)
            return try InlineExecutor.run { try await body(conn) }
        }
    }

    func writeUnordered<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T {
        try await write(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T {
        try await queue.read { db in
            let conn = Connection(db: db)
            return try InlineExecutor.run { try await body(conn) }
        }
    }

    /// Migrates the file from a caller that is not async (the store's initializer), blocking it
    /// as GRDB's synchronous API does.
    func migrateNow() throws {
        let dialect = dialect
        let upToDate = try queue.read { db in
            let conn = Connection(db: db)
            return try InlineExecutor.run { try await Migrator.upToDate(conn, dialect) }
        }
        guard !upToDate else { return }
        try queue.write { db in
            let conn = Connection(db: db)
            try InlineExecutor.run { try await Migrator.run(conn, dialect, now: Date()) }
        }
    }

    func close() async throws { try queue.close() }

    /// GRDB's connection, used only on GRDB's queue (where `InlineExecutor` runs the body).
    struct Connection: SQLConnection, @unchecked Sendable {
        typealias Row = SQLiteStoreDatabase.Row
        let db: GRDB.Database

        func execute(_ sql: String, _ binds: [any SQLBindable]) async throws {
            try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(binds))
        }

        func executeSchema(_ sql: String) async throws {
            try db.execute(sql: sql)
        }

        func fetch<R>(
            _ sql: String,
            _ binds: [any SQLBindable],
            _ decode: (ColumnReader<Row>) throws -> R
        )
            async throws -> [R]
        {
            let cursor = try GRDB.Row.fetchCursor(db.cachedStatement(sql: sql), arguments: Self.arguments(binds))
            let positions = ColumnPositions()
            var result: [R] = []
            while let row = try cursor.next() {
                positions.startRow()
                result.append(try decode(ColumnReader(base: Row(row: row), positions: positions)))
            }
            return result
        }

        static func arguments(_ binds: [any SQLBindable]) -> StatementArguments {
            StatementArguments(
                binds.map { b -> (any DatabaseValueConvertible)? in
                    switch b.sqlValue {
                    case .text(let s): s
                    case .int(let i): i
                    case .blob(let d): d
                    case .null: nil
                    }
                }
            )
        }
    }

    /// A cursor's current row, read by position.
    struct Row: SQLRowBase {
        let row: GRDB.Row
        var columnNames: [String] { Array(row.columnNames) }
        func text(at index: Int) throws -> String? { row[index] }
        func int(at index: Int) throws -> Int? { row[index] }
        func blob(at index: Int) throws -> Data? { row[index] }
    }
}
