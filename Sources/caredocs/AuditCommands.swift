import ArgumentParser
import Deadlines
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The append-only, hash-chained audit log.",
        subcommands: [AuditVerifyCommand.self, AuditLogCommand.self]
    )
}

struct AuditVerifyJSON: Encodable {
    var entries: Int
    var intact: Bool
    var firstProblem: AuditVerification.Problem?
    var mode: AuditMode
    var keyedFrom: Int?

    enum Keys: String, CodingKey { case entries, intact, firstProblem, mode, keyedFrom }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(entries, forKey: .entries)
        try c.encode(intact, forKey: .intact)
        try c.encode(firstProblem, forKey: .firstProblem)
        try c.encode(mode, forKey: .mode)
        try c.encode(keyedFrom, forKey: .keyedFrom)
    }
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check every entry's hash (SHA-256, or HMAC-SHA256 with $CAREDOCS_AUDIT_KEY in a keyed store) and its link to the previous one. Exit 1 at the first broken entry, or when a keyed store's key is missing or wrong."
    )
    @OptionGroup var db: DatabaseOptions
    @Flag(
        help:
            "JSON: {entries, intact, firstProblem: {seq, problem} | null, mode: sha256 | hmac-sha256, keyedFrom: seq | null}."
    )
    var json = false

    func run() throws {
        let v: AuditVerification
        do {
            v = try db.withStore { store in try await store.verifyAudit() }
        } catch let e as AuditKeyError {
            fail(e.description, code: 1)
        }
        let mode =
            v.keyedFrom.map { "keyed: HMAC-SHA256 from entry \($0) on, SHA-256 before" } ?? "SHA-256, not keyed"
        if json {
            printJSON(
                AuditVerifyJSON(
                    entries: v.entries,
                    intact: v.isIntact,
                    firstProblem: v.firstProblem,
                    mode: v.mode,
                    keyedFrom: v.keyedFrom
                )
            )
        } else if let p = v.firstProblem {
            print("audit log BROKEN at entry \(p.seq) of \(v.entries) (\(mode)): \(p.problem)")
        } else {
            print("audit log intact: \(v.entries) entries, each chained to the one before (\(mode))")
        }
        if !v.isIntact { throw ExitCode(1) }
    }
}

struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the audit log (optionally one record's entries)."
    )
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Only this record's entries.") var record: String?
    @Flag(help: "JSON: the entries as stored.") var json = false

    func run() throws {
        let record = record
        let entries = try db.withStore { store in
            if let record { return try await store.history(recordId: record).audit }
            return try await store.auditLog()
        }
        if json {
            printJSON(entries)
            return
        }
        for e in entries {
            print(
                "#\(e.seq) \(e.at) \(e.actor) \(e.action) \(e.recordId)\(e.recordVersion.map { " v\($0)" } ?? "")\(e.obligationId.map { " \($0)" } ?? ""): \(e.what)  [\(e.hash.prefix(12))]"
            )
        }
    }
}
