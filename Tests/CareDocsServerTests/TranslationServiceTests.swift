import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The translation memory as the service shows and uses it: "waiting for translation" in the
/// obligation JSON (documented in the OpenAPI document) and on the coordinator's and mailroom's
/// pages; a stored record's official copy prints reviewed translations from the memory.
@Suite("Translation memory in the service")
struct TranslationServiceTests {
    @Test("waiting for translation in the API and the pages, until reviewed translations are saved")
    func waitingForTranslation() async throws {
        try await TestService.with { s, client in
            // The Rivera record as version 2 with no Spanish text yet.
            let text = String(
                decoding: try Data(contentsOf: examples.appendingPathComponent("rivera-enrollment.json")),
                as: UTF8.self
            ).replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 2")
            _ = try await s.store.importRecord(Data(text.utf8), actor: "test", now: Date())
            let id = "\(TestService.rivera)/care-plan/es"
            let waiting = try #require(try await s.store.detail(id)?.obligation.waitingForTranslation)
            #expect(waiting > 0)

            try await client.execute(
                uri: "/v1/obligations?kind=care-plan&status=all",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
                let list = try #require(try r.json() as? [[String: Any]])
                let o = try #require(
                    list.compactMap { $0["obligation"] as? [String: Any] }.first { $0["id"] as? String == id }
                )
                #expect(o["waitingForTranslation"] as? Int == waiting)
            }
            try await client.execute(uri: "/openapi.yaml", method: .get) { r in
                #expect(r.text.contains("waitingForTranslation: {type: integer"))
            }
            var b = Browser(client: client)
            _ = try await b.signIn("coordinator1", next: "/members/\(TestService.rivera)")
            let page = try await b.request("/members/\(TestService.rivera)")
            #expect(page.text.contains("waiting for translation (\(waiting) passages)"))
            var m = Browser(client: client)
            _ = try await m.signIn("mailroom1", next: "/mailroom")
            let mailroom = try await m.request("/mailroom")
            #expect(mailroom.text.contains("waiting for translation (\(waiting) passages)"))

            // The official copy is refused; reviewed translations in the memory make it.
            try await client.execute(
                uri: "/v1/records/\(TestService.rivera)/documents/care-plan?language=es",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in #expect(r.status == .unprocessableContent) }
            let record = try CareRecordLoader.load(data: Data(text.utf8)).get()
            let segments = Set(record.untranslatedPassages(in: .spanish).compactMap(\.source)).sorted().map {
                TranslationSegment(
                    sourceLanguage: .english,
                    sourceText: $0,
                    targetLanguage: .spanish,
                    targetText: "Traducido: " + $0,
                    status: .reviewed,
                    translator: "ana",
                    reviewer: "rui",
                    updatedAt: Date()
                )
            }
            try await s.store.saveSegments(segments, actor: "ana", now: Date())
            #expect(try await s.store.detail(id)?.obligation.waitingForTranslation == 0)
            try await client.execute(
                uri: "/v1/records/\(TestService.rivera)/documents/care-plan?language=es",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
                let pdf = try inspectPDF(Data(r.bytes))
                #expect(pdf.text.contains("Traducido:"))
            }
            let after = try await b.request("/members/\(TestService.rivera)")
            #expect(!after.text.contains("waiting for translation"))
        }
    }
}
