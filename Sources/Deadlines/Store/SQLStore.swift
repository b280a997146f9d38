import Foundation

// The stores written once: `SQLStore` is a `DeadlineStore` and an `AccessStore` over a
// `StoreDatabase`; its operations live in `SQLStore+*.swift`. `SQLiteDeadlineStore` and
// `PostgresDeadlineStore` only open their database.

/// A store whose every operation is SQL over `database` (the same SQL on SQLite and PostgreSQL,
/// with the differences in `database.dialect`). Every write is one transaction that also appends
/// its audit entries to the hash chain.
protocol SQLStore: DeadlineStore, AccessStore {
    associatedtype Database: StoreDatabase
    var database: Database { get }
    /// The audit chain's key (`CAREDOCS_AUDIT_KEY`), if any: see `AuditKey`.
    var auditKey: AuditKey? { get }
    /// The memory's texts as this process last read them (see `TranslationTextCache`).
    var translationCache: TranslationTextCache { get }
}

extension SQLStore {
    public func close() async throws { try await database.close() }

    /// Tests only: runs SQL as someone with write access to the database would.
    func executeRaw(_ sql: String) async throws {
        try await database.writeUnordered { conn in try await conn.executeSchema(sql) }
    }

    /// A write transaction whose body returns the one audit entry it appends.
    func auditedWrite(
        actor: String,
        now: Date,
        _ body: @escaping @Sendable (Database.Connection) async throws -> AuditDraft
    ) async throws {
        let key = auditKey
        try await database.write { conn in
            let draft = try await body(conn)
            try await conn.appendOne(draft, key: key, actor: actor, now: now)
        }
    }
}
