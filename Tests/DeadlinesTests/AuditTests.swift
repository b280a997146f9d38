import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

@Suite("Audit log (SQLite and PostgreSQL)")
struct AuditTests {
    func populate(_ store: any DeadlineStore) async throws {
        var r = fullRecord()
        _ = try await store.importRecord(r.data, actor: "alice", now: noon("2026-11-20"))
        r.enrollment["effectiveDate"] = "2026-11-03"
        _ = try await store.importRecord(r.data, actor: "bob", now: noon("2026-11-21"))
        for event in [
            ObligationEvent.rendered(rendition()), .printed, .mailed(tracking(3), date: day("2026-11-22")),
            .electronicSent(channel: "outbox", date: day("2026-11-22")), .delivered(date: day("2026-11-25")),
        ] {
            try await store.apply(event, to: "R-1/enrollment-letter", actor: "mailroom", now: noon("2026-11-25"))
        }
    }

    /// A render worker records a claim's letters in one transaction: all of them, or none when
    /// one is refused; the audit chain holds one entry per letter either way.
    @Test("events applied together land together or not at all", arguments: StoreKind.allCases)
    func applyAllIsAllOrNothing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for id in ["R-51", "R-52"] {
                _ = try await store.importRecord(
                    letterRecord(id: id, zip: "01854").data,
                    actor: "alice",
                    now: noon("2026-11-20")
                )
            }
            let before = try await store.auditLog().count
            await #expect(throws: (any Error).self) {
                try await store.applyAll(
                    [(.rendered(rendition()), "R-51/enrollment-letter"), (.rendered(rendition()), "R-59/no-such")],
                    actor: "worker",
                    now: noon("2026-11-21")
                )
            }
            #expect(try await store.detail("R-51/enrollment-letter")?.obligation.paper == .open)
            #expect(try await store.detail("R-51/enrollment-letter")?.renditions.isEmpty == true)
            #expect(try await store.auditLog().count == before)
            let applied = try await store.applyAll(
                [
                    (.rendered(rendition()), "R-51/enrollment-letter"),
                    (.rendered(rendition()), "R-52/enrollment-letter"),
                ],
                actor: "worker",
                now: noon("2026-11-21")
            )
            #expect(applied.map(\.paper) == [.rendered, .rendered])
            let log = try await store.auditLog()
            #expect(log.dropFirst(before).filter { $0.action == "render" }.count == 2)
            #expect(try await store.verifyAudit().firstProblem == nil)
        }
    }

    @Test(
        "every import, render, print, mail, delivery and state change is logged; the chain verifies",
        arguments: StoreKind.allCases
    )
    func logged(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await populate(store)
            let log = try await store.auditLog()
            #expect(log.map(\.seq) == Array(1...log.count))
            let actions = log.map(\.action)
            for a in ["import", "derive", "move", "render", "print", "mail", "electronic-sent", "complete", "deliver"] {
                #expect(actions.contains(a), "missing \(a)")
            }
            #expect(log.first { $0.action == "render" }!.what.contains("open → rendered"))
            #expect(
                log.first { $0.action == "mail" }!.what
                    == "printed → mailed, tracking \(tracking(3)), attempt 1, mailed 2026-11-22"
            )
            #expect(log.first { $0.action == "deliver" }!.what.hasSuffix("delivered 2026-11-25"))
            #expect(log.filter { $0.action == "import" }.map(\.actor) == ["alice", "bob"])
            #expect(log.first { $0.action == "mail" }!.recordVersion == 2)
            #expect(try await store.verifyAudit() == AuditVerification(entries: log.count, firstProblem: nil))
            // No PHI: names, addresses, dates of birth never reach the log.
            for e in log {
                for phi in [
                    "Zebulon", "Quixotically", "Ottoline", "Pawtucket", "2014-03-09", "Lowell", "example.com",
                    "Physical therapy",
                ] {
                    #expect(!e.what.contains(phi) && !(e.obligationId ?? "").contains(phi), "\(e.what)")
                }
            }
        }
    }

    @Test("the log is append-only, and a modified row breaks the chain at that entry", arguments: StoreKind.allCases)
    func tamper(kind: StoreKind) async throws {
        guard let store = try await makeStore(kind) else { return }
        try await populate(store)
        let raw: (String) async throws -> Void = { sql in
            if let s = store as? SQLiteDeadlineStore {
                try await s.executeRaw(sql)
            } else {
                try await (store as! PostgresDeadlineStore).executeRaw(sql)
            }
        }
        // The database itself refuses updates and deletes.
        await #expect(throws: (any Error).self) { try await raw("UPDATE audit SET actor = 'mallory' WHERE seq = 3") }
        await #expect(throws: (any Error).self) { try await raw("DELETE FROM audit WHERE seq = 3") }
        #expect(try await store.verifyAudit().isIntact)
        // Someone with full access drops the guard and rewrites an entry: verify finds it.
        if kind == .sqlite {
            try await raw("DROP TRIGGER audit_no_update")
            try await raw("DROP TRIGGER audit_no_delete")
        } else {
            try await raw("DROP TRIGGER audit_no_change ON audit")
        }
        try await raw("UPDATE audit SET actor = 'mallory' WHERE seq = 3")
        let broken = try await store.verifyAudit()
        #expect(broken.firstProblem?.seq == 3)
        #expect(broken.firstProblem?.problem.contains("modified") == true)
        // Recomputing that entry's hash moves the break to the next entry.
        var log = try await store.auditLog()
        log[2].hash = log[2].computedHash()
        try await raw("UPDATE audit SET hash = '\(log[2].hash)' WHERE seq = 3")
        #expect(try await store.verifyAudit().firstProblem?.seq == 4)
        try await store.close()
    }

    @Test func removedOrReorderedEntriesBreakTheChain() {
        let drafts = (1...4).map {
            AuditDraft("import", recordId: "R", recordVersion: $0, what: "record version \($0) stored")
        }
        let log = AuditChain.seal(drafts, after: nil, actor: "a", at: Date(timeIntervalSince1970: 0))
        #expect(AuditChain.verify(log).isIntact)
        var removed = log
        removed.remove(at: 1)
        #expect(
            AuditChain.verify(removed).firstProblem
                == .init(seq: 3, problem: "sequence gap: expected entry 2, found 3 (an entry was removed)")
        )
        var swapped = log
        swapped.swapAt(1, 2)
        #expect(AuditChain.verify(swapped).firstProblem?.seq == 3)
        let continued = AuditChain.seal(drafts, after: (log.last!.seq, log.last!.hash), actor: "b", at: Date())
        #expect(AuditChain.verify(log + continued).isIntact && continued.first!.seq == 5)
    }
}
