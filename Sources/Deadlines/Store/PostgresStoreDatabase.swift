import Foundation
import Logging
import NIOSSL
import PostgresNIO

// The seam on PostgreSQL (PostgresNIO): a `PostgresClient` pool (its `run()` in a task); every
// write transaction first takes one transaction-level advisory lock, so writers on all nodes
// append to the audit chain in one order; reads do not wait.

struct PostgresStoreDatabase: StoreDatabase {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    /// Advisory lock key serializing writers (the audit chain's order).
    static let writerLock: Int = 0x43_41_52_45  // "CARE"

    /// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`; without
    /// `sslmode`, `require` unless the host is a loopback address (`PostgresSSLMode`).
    init(url: String) throws {
        guard let c = URLComponents(string: url), let host = c.host, !host.isEmpty else {
            throw DeadlineStoreError.badDatabase(
                "cannot read the PostgreSQL URL (postgres://user[:password]@host[:port]/database)"
            )
        }
        let user =
            c.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        let tls: PostgresClient.Configuration.TLS
        switch PostgresSSLMode.of(url: url) ?? "prefer" {
        case "disable": tls = .disable
        case "require", "verify-full", "verify-ca": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(
            host: host,
            port: c.port ?? 5432,
            username: user,
            password: c.password.flatMap { $0.removingPercentEncoding },
            database: path.isEmpty ? nil : path,
            tls: tls
        )
        config.options.maximumConnections = 4
        var logger = Logger(label: "caredocs.deadlines.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    var dialect: SQLDialect {
        SQLDialect(
            blob: "BYTEA",
            serialPrimaryKey: "BIGSERIAL PRIMARY KEY",
            forUpdate: " FOR UPDATE",
            skipLocked: " FOR UPDATE SKIP LOCKED",
            appendOnly: { table in
                [
                    """
                    CREATE FUNCTION \(table)_append_only() RETURNS trigger AS $$
                    BEGIN RAISE EXCEPTION 'the \(table) log is append-only'; END $$ LANGUAGE plpgsql
                    """,
                    "CREATE TRIGGER \(table)_no_change BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION \(table)_append_only()",
                ]
            },
            tableExists:
                "SELECT COUNT(*) AS tables FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
            legacyMigrations: nil
        )
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T {
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { conn in
                try await conn.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
                return try await body(Connection(conn: conn, logger: logger))
            }
        } catch let e as PostgresTransactionError {
            if let inner = e.closureError, e.rollbackError == nil { throw inner }
            throw e
        }
    }

    func writeUnordered<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T {
        try await read(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T {
        let logger = logger
        return try await client.withConnection { conn in try await body(Connection(conn: conn, logger: logger)) }
    }

    func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    struct Connection: SQLConnection {
        typealias Row = PostgresStoreDatabase.Row
        let conn: PostgresConnection
        let logger: Logger

        func execute(_ sql: String, _ binds: [any SQLBindable]) async throws {
            try await conn.query(try Self.query(sql, binds), logger: logger)
        }

        func executeSchema(_ sql: String) async throws {
            try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }

        func fetch<R>(
            _ sql: String,
            _ binds: [any SQLBindable],
            _ decode: (ColumnReader<Row>) throws -> R
        )
            async throws -> [R]
        {
            let positions = ColumnPositions()
            var result: [R] = []
            for try await row in try await conn.query(try Self.query(sql, binds), logger: logger) {
                positions.startRow()
                result.append(try decode(ColumnReader(base: Row(row: row.makeRandomAccess()), positions: positions)))
            }
            return result
        }

        /// `sql` with its `?` placeholders (outside quoted text) numbered `$1`, `$2`, ….
        static func query(_ sql: String, _ binds: [any SQLBindable]) throws -> PostgresQuery {
            var b = PostgresBindings(capacity: binds.count)
            for v in binds {
                switch v.sqlValue {
                case .text(let s): b.append(s)
                case .int(let i): b.append(i)
                case .blob(let d): try b.append(d)
                case .null: b.appendNull()
                }
            }
            guard !binds.isEmpty else { return PostgresQuery(unsafeSQL: sql, binds: b) }
            var out = ""
            var n = 0
            var quoted = false
            for ch in sql {
                if ch == "'" { quoted.toggle() }
                if ch == "?" && !quoted {
                    n += 1
                    out += "$\(n)"
                } else {
                    out.append(ch)
                }
            }
            return PostgresQuery(unsafeSQL: out, binds: b)
        }
    }

    struct Row: SQLRowBase {
        let row: PostgresRandomAccessRow
        var columnNames: [String] { (0..<row.count).map { row[$0].columnName } }
        func text(at index: Int) throws -> String? { try row[index].decode(String?.self) }
        func int(at index: Int) throws -> Int? { try row[index].decode(Int?.self) }
        func blob(at index: Int) throws -> Data? { try row[index].decode(Data?.self) }
    }
}
