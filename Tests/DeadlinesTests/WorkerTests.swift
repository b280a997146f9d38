import CaresDocuments
import Foundation
import Testing

@testable import Deadlines
@testable import Mailroom

@Suite("Render workers")
struct WorkerTests {
    @Test("two processes rendering at once never claim the same letter", arguments: StoreKind.allCases)
    func twoProcesses(kind: StoreKind) async throws {
        guard caredocsBinary != nil else {
            print("notice: caredocs executable not built next to the tests; two-process test skipped")
            return
        }
        let folder = temporaryFolder()
        let database: String
        switch kind {
        case .sqlite: database = folder.appendingPathComponent("queue.sqlite").path
        case .postgres:
            guard let base = postgresURL else {
                print("notice: CAREDOCS_TEST_POSTGRES_URL is not set; PostgreSQL two-process test skipped")
                return
            }
            database = try await createDatabase(base)
        }
        let count = 24
        let store = try await openDeadlineStore(database)
        for n in 1...count {
            _ = try await store.importRecord(
                letterRecord(id: "W-\(n)", zip: String(format: "0%04d", 1000 + n)).data,
                actor: actor,
                now: noon("2026-11-20")
            )
        }
        let out = folder.appendingPathComponent("batch")
        func worker(_ name: String) throws -> Process {
            try startCaredocs([
                "mailroom", "render-ready", "--database", database, "--date", "2026-11-24", "--output", out.path,
                "--worker", name,
            ])
        }
        let a = try worker("node-a")
        let b = try worker("node-b")
        a.waitUntilExit()
        b.waitUntilExit()
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0)

        let renders = try await store.auditLog().filter { $0.action == "render" }
        #expect(renders.count == count)
        #expect(Set(renders.compactMap(\.obligationId)).count == count)
        for n in 1...count {
            let detail = try #require(try await store.detail("W-\(n)/enrollment-letter"))
            #expect(detail.obligation.paper == .rendered && detail.renditions.count == 1)
        }
        // Nothing left to claim; the batch assembles what the workers rendered without rendering again.
        #expect(
            try await store.claimReady(
                kinds: MailroomBatch.renderableKinds,
                worker: "node-c",
                limit: 100,
                lease: 60,
                now: Date()
            ).isEmpty
        )
        let result = try await MailroomBatch(
            store: store,
            actor: "mailroom",
            date: day("2026-11-24"),
            output: out,
            worker: "node-c"
        ).run()
        #expect(result.pieces == count)
        #expect(try await store.auditLog().filter { $0.action == "render" }.count == count)
        try await store.close()
    }

    @Test(
        "claims: leases expire, a worker takes its own claims back, released claims are free again",
        arguments: StoreKind.allCases
    )
    func claims(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for n in 1...3 {
                _ = try await store.importRecord(
                    letterRecord(id: "C-\(n)", zip: "0100\(n)").data,
                    actor: actor,
                    now: noon("2026-11-20")
                )
            }
            let kinds = MailroomBatch.renderableKinds
            let t0 = Date()
            let first = try await store.claimReady(kinds: kinds, worker: "a", limit: 2, lease: 60, now: t0)
            #expect(first.count == 2)
            let second = try await store.claimReady(kinds: kinds, worker: "b", limit: 5, lease: 60, now: t0)
            #expect(second.map(\.id) == ["C-3/enrollment-letter"])
            #expect(
                try await store.claimReady(kinds: kinds, worker: "b", limit: 5, lease: 60, now: t0).map(\.id) == [
                    "C-3/enrollment-letter"
                ]
            )  // its own
            #expect(try await store.claimReady(kinds: kinds, worker: "c", limit: 5, lease: 60, now: t0).isEmpty)
            try await store.releaseClaim(first[0].id, worker: "a")
            #expect(
                try await store.claimReady(kinds: kinds, worker: "c", limit: 5, lease: 60, now: t0).map(\.id) == [
                    first[0].id
                ]
            )
            // After the lease, anyone may take them.
            #expect(
                try await store.claimReady(
                    kinds: kinds,
                    worker: "d",
                    limit: 5,
                    lease: 60,
                    now: t0.addingTimeInterval(61)
                ).count == 3
            )
        }
    }
}
