import CaresDocuments
import Foundation
import Testing

@testable import Deadlines
@testable import Mailroom

struct BrokenChannel: DeliveryChannel {
    var name: String { "webhook" }
    struct Down: Error {}
    func deliver(_ envelope: DeliveryEnvelope, pdf: Data) async throws { throw Down() }
}

@Suite("Electronic delivery")
struct ElectronicTests {
    @Test(
        "outbox: PDF and JSON envelope per delivery, recorded as sent; failures recorded; refusals",
        arguments: StoreKind.allCases
    )
    func outbox(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            let folder = temporaryFolder()
            let id = "R-1/enrollment-letter"
            let channel = OutboxChannel(folder: folder.appendingPathComponent("outbox"))
            #expect(
                await refusal {
                    try await ElectronicDelivery.send(
                        id,
                        store: store,
                        channel: channel,
                        actor: actor,
                        date: day("2026-11-21")
                    )
                }?
                .contains("no rendered document") == true
            )
            let pdf = Data("%PDF-1.7 letter".utf8)
            let archive = folder.appendingPathComponent("letter.pdf")
            try pdf.write(to: archive)
            var r = rendition()
            r.pdfSHA256 = sha256Hex(pdf)
            r.pdfPath = archive.path
            try await store.apply(.rendered(r), to: id, actor: actor, now: noon("2026-11-21"))

            // A channel that fails is recorded as failed.
            #expect(
                await refusal {
                    try await ElectronicDelivery.send(
                        id,
                        store: store,
                        channel: BrokenChannel(),
                        actor: actor,
                        date: day("2026-11-21")
                    )
                }?
                .contains("failed") == true
            )
            #expect(try #require(try await store.detail(id)).obligation.electronic == .failed)

            let o = try await ElectronicDelivery.send(
                id,
                store: store,
                channel: channel,
                actor: actor,
                date: day("2026-11-22")
            )
            #expect(o.electronic == .sent)
            let files = try FileManager.default.contentsOfDirectory(
                atPath: folder.appendingPathComponent("outbox").path
            ).sorted()
            #expect(files.count == 2 && files.allSatisfy { !$0.hasPrefix(".") })
            let json = try #require(files.first { $0.hasSuffix(".json") })
            let envelope = try JSONDecoder().decode(
                DeliveryEnvelope.self,
                from: Data(contentsOf: folder.appendingPathComponent("outbox").appendingPathComponent(json))
            )
            #expect(envelope.recipients == [.init(name: "Ottoline Quixotically", email: "ottoline@example.com")])
            #expect(envelope.pdfSHA256 == sha256Hex(pdf) && envelope.obligationId == id && envelope.language == "es")
            let sentPDF = try Data(
                contentsOf: folder.appendingPathComponent("outbox").appendingPathComponent(envelope.pdfFile)
            )
            #expect(sentPDF == pdf)
            let audit = try await store.history(recordId: "R-1").audit
            #expect(audit.contains { $0.action == "electronic-failed" && $0.what.contains("webhook") })
            #expect(audit.contains { $0.action == "electronic-sent" && $0.what.contains("outbox") })
            #expect(!audit.contains { $0.what.contains("ottoline") })

            // A changed archive copy is refused.
            try Data("tampered".utf8).write(to: archive)
            try await store.apply(.rendered(r), to: "R-1/termination-letter", actor: actor, now: noon("2026-11-22"))
            #expect(
                await refusal {
                    try await ElectronicDelivery.send(
                        "R-1/termination-letter",
                        store: store,
                        channel: channel,
                        actor: actor,
                        date: day("2026-11-22")
                    )
                }?
                .contains("does not match") == true
            )
        }
    }

    @Test("nobody consented: refused", arguments: StoreKind.allCases)
    func noConsent(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var rec = fullRecord()
            rec.guardian(consents: false)
            _ = try await store.importRecord(rec.data, actor: actor, now: noon("2026-11-20"))
            let folder = temporaryFolder()
            let pdf = Data("%PDF".utf8)
            try pdf.write(to: folder.appendingPathComponent("a.pdf"))
            var r = rendition()
            r.pdfSHA256 = sha256Hex(pdf)
            r.pdfPath = folder.appendingPathComponent("a.pdf").path
            try await store.apply(.rendered(r), to: "R-1/termination-letter", actor: actor, now: noon("2026-11-21"))
            #expect(
                await refusal {
                    try await ElectronicDelivery.send(
                        "R-1/termination-letter",
                        store: store,
                        channel: OutboxChannel(folder: folder),
                        actor: actor,
                        date: day("2026-11-21")
                    )
                }?
                .contains("nobody consented") == true
            )
        }
    }
}
