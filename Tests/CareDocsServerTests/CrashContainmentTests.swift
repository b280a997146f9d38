import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Crash containment")
struct CrashContainmentTests {
    @Test("a render worker that aborts answers 500; the live server keeps answering and the next render works")
    func abortInWorker() async throws {
        let s = try await TestService(workers: 2)
        do {
            try await s.app().test(.live) { client in
                let uri = "/v1/records/\(TestService.rivera)/documents/enrollment-letter"
                var crash = s.headers(.coordinator)
                crash[.init("X-CareDocs-Fault")!] = "abort"
                // One crashing request and ordinary ones at the same time.
                let shared = Shared(client)
                let ordinary = s.headers(.coordinator)
                let crashing = crash
                try await withThrowingTaskGroup(of: Int.self) { group in
                    group.addTask {
                        try await shared.value.execute(uri: uri, method: .get, headers: crashing).status.code
                    }
                    for _ in 0..<4 {
                        group.addTask {
                            try await shared.value.execute(uri: uri, method: .get, headers: ordinary).status.code
                        }
                    }
                    var codes: [Int] = []
                    for try await c in group { codes.append(c) }
                    #expect(codes.sorted() == [200, 200, 200, 200, 500])
                }
                try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
                // A date not rendered before: not from the render cache.
                try await client.execute(uri: uri + "?date=2026-01-05", method: .get, headers: s.headers(.coordinator))
                { r in
                    #expect(r.status == .ok)
                    #expect(r.headers[.contentType] == "application/pdf")
                }
                try await client.execute(uri: "/metrics", method: .get) { r in
                    #expect(r.text.contains("caredocs_render_worker_restarts_total 1"))
                    #expect(r.text.contains("outcome=\"crashed\""))
                }
                // Queue state is intact.
                let counts = try await s.store.queueCounts(today: ProgramCalendar.today().description)
                #expect(counts.pending > 0)
                let audit = try await s.store.verifyAudit()
                #expect(audit.isIntact)
            }
        } catch {
            await s.close()
            throw error
        }
        await s.close()
    }

    @Test("a worker that hangs is replaced after the timeout (504)")
    func hangInWorker() async throws {
        let s = try await TestService(workers: 1, timeout: .seconds(3))
        do {
            try await s.app().test(.router) { client in
                var hang = s.headers(.coordinator)
                hang[.init("X-CareDocs-Fault")!] = "hang"
                let uri = "/v1/records/\(TestService.rivera)/documents/enrollment-letter"
                try await client.execute(uri: uri, method: .get, headers: hang) { r in
                    #expect(r.status == .gatewayTimeout)
                }
                try await client.execute(uri: uri, method: .get, headers: s.headers(.coordinator)) { r in
                    #expect(r.status == .ok)
                }
            }
        } catch {
            await s.close()
            throw error
        }
        await s.close()
    }
}

/// The live test client, used from several tasks at once (it is an HTTP client).
struct Shared<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
