import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

/// The keyed audit chain: HMAC-SHA256 under `CAREDOCS_AUDIT_KEY`, so database access alone
/// cannot rewrite it.
@Suite("Keyed audit chain (SQLite and PostgreSQL)")
struct AuditKeyTests {
    static let key = try! AuditKey(secret: "k3y-for-the-audit-chain-0123456789abcdef")
    static let otherKey = try! AuditKey(secret: "another-key-of-enough-length-0123456789")

    /// A new, empty database of `kind`: its `--database` value (`nil` without PostgreSQL).
    func freshDatabase(_ kind: StoreKind) async throws -> String? {
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-key-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return dir.appendingPathComponent("queue.sqlite").path
        case .postgres:
            guard let base = postgresURL else { return nil }
            return try await createDatabase(base)
        }
    }

    func open(_ kind: StoreKind, _ database: String, key: AuditKey?) async throws -> any DeadlineStore {
        switch kind {
        case .sqlite: try SQLiteDeadlineStore(path: database, auditKey: key)
        case .postgres: try await PostgresDeadlineStore(url: database, auditKey: key)
        }
    }

    /// Runs `sql` as someone with full access to the database (dropping the append-only guard
    /// first when asked).
    func raw(_ store: any DeadlineStore, _ kind: StoreKind, _ sql: String, dropGuard: Bool = false) async throws {
        let run: (String) async throws -> Void = { sql in
            if let s = store as? SQLiteDeadlineStore {
                try await s.executeRaw(sql)
            } else {
                try await (store as! PostgresDeadlineStore).executeRaw(sql)
            }
        }
        if dropGuard {
            if kind == .sqlite {
                try await run("DROP TRIGGER IF EXISTS audit_no_update")
                try await run("DROP TRIGGER IF EXISTS audit_no_delete")
            } else {
                try await run("DROP TRIGGER IF EXISTS audit_no_change ON audit")
            }
        }
        try await run(sql)
    }

    func populateEvents(_ store: any DeadlineStore) async throws {
        _ = try await store.importRecord(fullRecord().data, actor: "alice", now: noon("2026-11-20"))
        try await store.apply(.rendered(rendition()), to: "R-1/enrollment-letter", actor: "m", now: noon("2026-11-21"))
        try await store.apply(.printed, to: "R-1/enrollment-letter", actor: "m", now: noon("2026-11-21"))
    }

    @Test(
        "a keyed store seals with HMAC-SHA256, reports its mode, and needs its key to append or verify",
        arguments: StoreKind.allCases
    )
    func keyed(kind: StoreKind) async throws {
        guard let database = try await freshDatabase(kind) else { return }
        let store = try await open(kind, database, key: Self.key)
        try await populateEvents(store)
        let log = try await store.auditLog()
        #expect(log.first?.action == "audit-keyed" && log.first?.what.contains("from 1 on") == true)
        #expect(log.allSatisfy { $0.hash != $0.computedHash() })
        let v = try await store.verifyAudit()
        #expect(v.isIntact && v.mode == .hmacSHA256 && v.keyedFrom == 1 && v.entries == log.count)
        try await store.close()

        // Without the key: reads work, appending and verifying are refused.
        let keyless = try await open(kind, database, key: nil)
        #expect(try await keyless.obligations(ObligationQuery(today: day("2026-11-21"))).count > 0)
        await #expect(throws: AuditKeyError.keyRequired(keyedFrom: 1)) {
            try await keyless.apply(
                .mailed(tracking(7), date: day("2026-11-21")),
                to: "R-1/enrollment-letter",
                actor: "m",
                now: noon("2026-11-21")
            )
        }
        await #expect(throws: AuditKeyError.keyRequired(keyedFrom: 1)) { _ = try await keyless.verifyAudit() }
        #expect(try await keyless.detail("R-1/enrollment-letter")?.obligation.paper == .printed)
        try await keyless.close()

        // Another key: refused alike.
        let wrong = try await open(kind, database, key: Self.otherKey)
        await #expect(throws: AuditKeyError.wrongKey) { _ = try await wrong.verifyAudit() }
        await #expect(throws: AuditKeyError.wrongKey) {
            _ = try await wrong.importRecord(fullRecord(id: "R-9").data, actor: "x", now: noon("2026-11-21"))
        }
        #expect(try await wrong.history(recordId: "R-9").versions.isEmpty)
        try await wrong.close()
        #expect(
            AuditKeyError.keyRequired(keyedFrom: 1).description.contains("CAREDOCS_AUDIT_KEY")
        )
    }

    @Test(
        "in keyed mode a row rewritten with a recomputed plain SHA-256 hash is found",
        arguments: StoreKind.allCases
    )
    func tamperKeyed(kind: StoreKind) async throws {
        guard let database = try await freshDatabase(kind) else { return }
        let store = try await open(kind, database, key: Self.key)
        try await populateEvents(store)
        var log = try await store.auditLog()
        // Someone with database access (no key) rewrites entry 3 and recomputes its hash the
        // only way they can.
        log[2].actor = "mallory"
        let forged = log[2].computedHash()
        try await raw(
            store,
            kind,
            "UPDATE audit SET actor = 'mallory', hash = '\(forged)' WHERE seq = 3",
            dropGuard: true
        )
        let broken = try await store.verifyAudit()
        #expect(broken.firstProblem?.seq == 3 && broken.firstProblem?.problem.contains("HMAC") == true)
        #expect(broken.mode == .hmacSHA256)
        // Unkeyed, the same forgery would pass at that entry: the chain breaks only at the next one
        // if the next is not rewritten too (see AuditTests); keyed, every entry needs the key.
        // Changing the recorded mode does not help: the keyed entries fail as plain SHA-256.
        try await raw(store, kind, "DELETE FROM meta")
        let keyless = try await open(kind, database, key: nil)
        let downgraded = try await keyless.verifyAudit()
        #expect(downgraded.mode == .sha256 && downgraded.firstProblem?.seq == 1)
        try await keyless.close()
        try await store.close()
    }

    @Test(
        "an unkeyed store keeps working unkeyed; given a key it is keyed from the next entry on",
        arguments: StoreKind.allCases
    )
    func switchToKeyed(kind: StoreKind) async throws {
        guard let database = try await freshDatabase(kind) else { return }
        let plain = try await open(kind, database, key: nil)
        try await populateEvents(plain)
        let before = try await plain.verifyAudit()
        #expect(before.isIntact && before.mode == .sha256 && before.keyedFrom == nil)
        let n = before.entries
        try await plain.close()

        let keyed = try await open(kind, database, key: Self.key)
        // Reading and verifying do not switch; the first append does.
        #expect(try await keyed.verifyAudit().mode == .sha256)
        try await keyed.apply(
            .mailed(tracking(7), date: day("2026-11-21")),
            to: "R-1/enrollment-letter",
            actor: "m",
            now: noon("2026-11-22")
        )
        let log = try await keyed.auditLog()
        #expect(log[n].seq == n + 1 && log[n].action == "audit-keyed")
        #expect(log[n].what == "audit chain keyed: entries from \(n + 1) on are sealed with HMAC-SHA256")
        #expect(log[n - 1].hash == log[n - 1].computedHash())  // the earlier part stays SHA-256
        let after = try await keyed.verifyAudit()
        #expect(after.isIntact && after.mode == .hmacSHA256 && after.keyedFrom == n + 1)

        // Rewriting the unkeyed part with recomputed hashes breaks the first keyed entry, which
        // covers the last unkeyed hash.
        var last = log[n - 1]
        last.actor = "mallory"
        try await raw(
            keyed,
            kind,
            "UPDATE audit SET actor = 'mallory', hash = '\(last.computedHash())' WHERE seq = \(n)",
            dropGuard: true
        )
        #expect(try await keyed.verifyAudit().firstProblem?.seq == n + 1)
        try await keyed.close()
    }

    @Test("the key check is HMAC-SHA256 in lowercase hex (pinned: stores keep it)")
    func keyCheckIsPinned() {
        // Python: hmac.new(key, b"caredocs audit key check", hashlib.sha256).hexdigest()
        #expect(Self.key.check == "a83738ccd8cf087aab044497a1b2d35b2564834b44d2b0333c8fdc7d2f8ab65d")
    }

    @Test("the key from the environment: inline or a 0600 file, long enough, not both")
    func environment() throws {
        #expect(try AuditKey.fromEnvironment([:]) == nil)
        #expect(try AuditKey.fromEnvironment(["CAREDOCS_AUDIT_KEY": String(repeating: "k", count: 32)]) != nil)
        #expect(throws: AuditKeyError.tooShort) { try AuditKey.fromEnvironment(["CAREDOCS_AUDIT_KEY": "short"]) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-keyfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("audit.key")
        try Data("k3y-for-the-audit-chain-0123456789abcdef\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(throws: AuditKeyError.fileNotPrivate) {
            try AuditKey.fromEnvironment(["CAREDOCS_AUDIT_KEY_FILE": file.path])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let fromFile = try #require(try AuditKey.fromEnvironment(["CAREDOCS_AUDIT_KEY_FILE": file.path]))
        #expect(fromFile.check == Self.key.check)  // the trailing newline is not part of the key
        #expect(fromFile.check != Self.otherKey.check)
        #expect(throws: AuditKeyError.bothSet) {
            try AuditKey.fromEnvironment(["CAREDOCS_AUDIT_KEY_FILE": file.path, "CAREDOCS_AUDIT_KEY": "x"])
        }
        #expect(throws: AuditKeyError.unreadableFile) {
            try AuditKey.fromEnvironment(["CAREDOCS_AUDIT_KEY_FILE": dir.appendingPathComponent("none").path])
        }
    }
}
