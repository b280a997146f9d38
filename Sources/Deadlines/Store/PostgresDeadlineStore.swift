import Foundation

/// The shared store: PostgreSQL through PostgresNIO's connection pool, migrated on open. Every
/// write transaction first takes one transaction-level advisory lock, so writers on all nodes
/// append to the audit chain in one order; reads do not wait. Its operations are `SQLStore`'s,
/// over `PostgresStoreDatabase`.
public final class PostgresDeadlineStore: SQLStore, DeadlineStore, AccessStore {
    let database: PostgresStoreDatabase
    let auditKey: AuditKey?
    let translationCache = TranslationTextCache()

    /// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`;
    /// `auditKey`: see `AuditKey` (`openServiceStore` reads it from the environment).
    public init(url: String, auditKey: AuditKey? = nil) async throws {
        let database = try PostgresStoreDatabase(url: url)
        self.database = database
        self.auditKey = auditKey
        do {
            try await Migrator.migrate(database)
        } catch {
            database.runner.cancel()
            let c = URLComponents(string: url)
            throw DeadlineStoreError.badDatabase(
                "PostgreSQL at \(c?.host ?? ""):\(c?.port ?? 5432): \(String(reflecting: error))"
            )
        }
    }
}
