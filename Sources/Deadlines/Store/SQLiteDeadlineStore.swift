import Foundation

/// The embedded store: one SQLite file (GRDB), migrated on open. Writers are serialized by
/// SQLite's write lock (immediate transactions, 10 s busy timeout), so the audit chain has one
/// order across processes. Its operations are `SQLStore`'s, over `SQLiteStoreDatabase`.
public final class SQLiteDeadlineStore: SQLStore, DeadlineStore, AccessStore {
    let database: SQLiteStoreDatabase
    let auditKey: AuditKey?
    let translationCache = TranslationTextCache()

    /// `auditKey`: see `AuditKey` (`openServiceStore` reads it from the environment).
    public init(path: String = "caredocs.sqlite", auditKey: AuditKey? = nil) throws {
        let database = try SQLiteStoreDatabase(path: path)
        self.database = database
        self.auditKey = auditKey
        try database.migrateNow()
    }
}
