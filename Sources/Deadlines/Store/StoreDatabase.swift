import Foundation

// The seam under the stores: the few primitives every store operation needs, implemented once
// per database (`SQLiteStoreDatabase` on GRDB, `PostgresStoreDatabase` on PostgresNIO). The
// operations themselves (`SQLStore+*.swift`) and the migrations are written once over it.

/// One database the stores run on: transactions of three kinds, each given a connection.
protocol StoreDatabase: Sendable {
    associatedtype Connection: SQLConnection

    var dialect: SQLDialect { get }

    /// A write transaction in the writers' one order (the audit chain's): SQLite's immediate
    /// transaction (10 s busy timeout), PostgreSQL's transaction that first takes
    /// `pg_advisory_xact_lock`. An error thrown by `body` rolls back and comes out as itself.
    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T

    /// Writes that append nothing to the audit chain and need no order among writers (sessions,
    /// sign-in counters, claims): PostgreSQL runs each statement on its own, without the writer
    /// lock; SQLite has one kind of write (an immediate transaction). Use it for one statement.
    func writeUnordered<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T

    /// Reads (never wait for writers).
    func read<T: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> T) async throws -> T

    func close() async throws
}

/// Statements on one connection, inside one of `StoreDatabase`'s transactions. SQL is written
/// with `?` placeholders (PostgreSQL's connection numbers them `$1`, `$2`, …).
protocol SQLConnection: Sendable {
    associatedtype Row: SQLRowBase

    /// Runs one statement (prepared once per connection where the database caches statements).
    func execute(_ sql: String, _ binds: [any SQLBindable]) async throws
    /// Runs one schema statement (DDL, no placeholders, not cached).
    func executeSchema(_ sql: String) async throws
    /// Runs one query and decodes each row; a row is valid only inside `decode`.
    func fetch<R>(
        _ sql: String,
        _ binds: [any SQLBindable],
        _ decode: (ColumnReader<Row>) throws -> R
    )
        async throws -> [R]
}

extension SQLConnection {
    /// The first row, if any.
    func fetchOne<R>(
        _ sql: String,
        _ binds: [any SQLBindable],
        _ decode: (ColumnReader<Row>) throws -> R
    )
        async throws -> R?
    {
        try await fetch(sql, binds, decode).first
    }
}

/// A value bound to a placeholder.
enum SQLValue: Sendable, Hashable {
    case text(String)
    case int(Int)
    case blob(Data)
    case null
}

/// What can be bound to a placeholder: text, integers, bytes and their optionals (nil is NULL).
protocol SQLBindable: Sendable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { var sqlValue: SQLValue { .int(self) } }
extension Data: SQLBindable { var sqlValue: SQLValue { .blob(self) } }
extension SQLValue: SQLBindable { var sqlValue: SQLValue { self } }
extension Bool: SQLBindable {
    /// Booleans are INTEGER 0/1 in both databases.
    var sqlValue: SQLValue { .int(self ? 1 : 0) }
}
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// What differs in the SQL the two databases accept (everything else is written once).
struct SQLDialect: Sendable {
    /// BLOB or BYTEA.
    var blob: String
    /// An auto-increment integer primary key.
    var serialPrimaryKey: String
    /// Appended to a SELECT that reads a row it will change (PostgreSQL's ` FOR UPDATE`; SQLite
    /// has one writer at a time).
    var forUpdate: String
    /// Appended to the subquery that picks rows to claim (` FOR UPDATE SKIP LOCKED`).
    var skipLocked: String
    /// Statements that make `table` refuse UPDATE and DELETE.
    var appendOnly: @Sendable (_ table: String) -> [String]
    /// A query with one placeholder (a table name) answering one row with `n` > 0 when the table
    /// exists.
    var tableExists: String
    /// The bookkeeping table of an older migration mechanism and its name column, adopted once
    /// (SQLite: GRDB's `grdb_migrations`).
    var legacyMigrations: (table: String, column: String)?
}
