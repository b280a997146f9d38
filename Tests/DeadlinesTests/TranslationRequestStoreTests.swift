import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

@Suite("Translation requests in the store (SQLite and PostgreSQL)")
struct TranslationRequestStoreTests {
    static func withStore(
        _ kind: StoreKind,
        _ body: (any DeadlineStore & AccessStore) async throws -> Void
    )
        async throws
    {
        let database: String
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-tr-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            database = dir.appendingPathComponent("queue.sqlite").path
        case .postgres:
            guard let base = postgresURL else {
                print("notice: CAREDOCS_TEST_POSTGRES_URL is not set; PostgreSQL translation request test skipped")
                return
            }
            database = try await createDatabase(base)
        }
        let store = try await openServiceStore(database)
        do {
            try await body(store)
        } catch {
            try? await store.close()
            throw error
        }
        try? await store.close()
    }

    @Test(
        "request, ask again, withdraw, ask anew: one open request per record and language, each audited",
        arguments: StoreKind.allCases
    )
    func lifecycle(_ kind: StoreKind) async throws {
        try await Self.withStore(kind) { store in
            let record = RecordJSON(id: "TR-1", memberId: "100000000071")
            _ = try await store.importRecord(record.data, actor: actor, now: noon("2026-11-20"))
            await #expect(throws: TranslationRequestError.noRecord("TR-NONE")) {
                try await store.requestTranslation(
                    recordId: "TR-NONE",
                    language: .spanish,
                    actor: actor,
                    now: noon("2026-11-20")
                )
            }
            let (first, created) = try await store.requestTranslation(
                recordId: "TR-1",
                language: .spanish,
                actor: "coord",
                now: noon("2026-11-21")
            )
            #expect(created && first.isActive && first.requestedBy == "coord")
            #expect(first.requestedAt.hasPrefix("2026-11-21"))
            let (again, createdAgain) = try await store.requestTranslation(
                recordId: "TR-1",
                language: .spanish,
                actor: "other",
                now: noon("2026-11-22")
            )
            #expect(!createdAgain && again == first)
            _ = try await store.requestTranslation(
                recordId: "TR-1",
                language: .arabic,
                actor: "coord",
                now: noon("2026-11-22")
            )
            #expect(try await store.activeTranslationRequest(recordId: "TR-1", language: .spanish) == first)
            let withdrawn = try #require(
                try await store.withdrawTranslationRequest(
                    recordId: "TR-1",
                    language: .spanish,
                    actor: "coord",
                    now: noon("2026-11-23")
                )
            )
            #expect(!withdrawn.isActive && withdrawn.withdrawnBy == "coord")
            #expect(try await store.activeTranslationRequest(recordId: "TR-1", language: .spanish) == nil)
            #expect(
                try await store.withdrawTranslationRequest(
                    recordId: "TR-1",
                    language: .spanish,
                    actor: "coord",
                    now: noon("2026-11-23")
                ) == nil
            )
            let (anew, createdAnew) = try await store.requestTranslation(
                recordId: "TR-1",
                language: .spanish,
                actor: "coord",
                now: noon("2026-11-24")
            )
            #expect(createdAnew && anew.id != first.id)
            let open = try await store.translationRequests(recordId: nil, includeWithdrawn: false)
            #expect(open.map(\.language) == [.arabic, .spanish])
            let all = try await store.translationRequests(recordId: "TR-1", includeWithdrawn: true)
            #expect(all.count == 3)
            let log = try await store.auditLog().filter { $0.action.hasPrefix("translation-") }
            #expect(
                log.map(\.action) == [
                    "translation-request", "translation-request", "translation-withdraw", "translation-request",
                ]
            )
            #expect(log.allSatisfy { $0.recordId == "TR-1" })
            #expect(try await store.verifyAudit().firstProblem == nil)
        }
    }
}
