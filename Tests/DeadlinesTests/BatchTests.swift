import CaresDocuments
import Foundation
import Testing

@testable import Deadlines
@testable import Mailroom

/// A record whose enrollment letter renders: provider, designated care manager, mailing address.
func letterRecord(id: String, zip: String, language: String = "en") -> RecordJSON {
    var r = RecordJSON(id: id, memberId: "1000\(id.filter(\.isNumber))", primaryLanguage: language)
    r.root["provider"] = [
        "name": "Riverside Children's Health Center", "phone": "(978) 555-0142", "onCallPhone": "(978) 555-0199",
        "address": ["line1": "200 Harbor Street", "city": "Lowell", "state": "MA", "postalCode": "01852"],
    ]
    r.set("member.address", ["line1": "41 Pawtucket Blvd", "city": "Lowell", "state": "MA", "postalCode": zip])
    r.root["careTeam"] = [
        ["id": "t1", "name": "Sarah Kim", "role": "senior-care-manager", "contact": ["phone": "(978) 555-0142"]]
    ]
    r.enrollment = ["effectiveDate": "2026-11-01", "designatedCareManagerId": "t1"]
    return r
}

func temporaryFolder() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-batch-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

func pdfPages(_ url: URL) throws -> Int {
    // Count page objects the way pdfinfo would, without a dependency: /Type /Page entries.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["qpdf", "--show-npages", url.path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
}

@Suite("Mailroom batch")
struct BatchTests {
    @Test(
        "letters in ZIP order, each on a new sheet; mailing book as PDF and CSV; a rerun lists each piece once",
        arguments: StoreKind.allCases
    )
    func batch(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for (id, zip) in [("R-3", "02139"), ("R-1", "01854"), ("R-2", "01002")] {
                _ = try await store.importRecord(
                    letterRecord(id: id, zip: zip).data,
                    actor: actor,
                    now: noon("2026-11-20")
                )
            }
            var noAddress = letterRecord(id: "R-4", zip: "01001")
            noAddress.set("member.address", nil)
            _ = try await store.importRecord(noAddress.data, actor: actor, now: noon("2026-11-20"))
            let out = temporaryFolder()
            let batch = MailroomBatch(
                store: store,
                actor: "mailroom",
                date: day("2026-11-24"),
                output: out,
                postage: "0.73",
                fee: "18.65"
            )
            let result = try await batch.run()
            #expect(result.pieces == 3)
            #expect(result.skipped.map(\.obligation) == ["R-4/enrollment-letter"])
            let csv = try String(contentsOf: out.appendingPathComponent("mailing-book-2026-11-24.csv"), encoding: .utf8)
            let rows = parseCSV(csv)
            #expect(
                rows.first == [
                    "obligation", "tracking", "date", "piece", "addressee", "address", "city", "state", "zip",
                    "postage", "fee",
                ]
            )
            #expect(
                rows.dropFirst().map { $0[0] } == [
                    "R-2/enrollment-letter", "R-1/enrollment-letter", "R-3/enrollment-letter",
                ]
            )
            #expect(rows.dropFirst().map { $0[3] } == ["1", "2", "3"])
            // Each letter starts on a new sheet: the print file has an even number of pages per letter.
            let letterPages = try FileManager.default.contentsOfDirectory(
                atPath: out.appendingPathComponent("letters").path
            )
            .filter { $0.hasPrefix("R-") && $0.hasSuffix(".pdf") }.sorted().map {
                try pdfPages(out.appendingPathComponent("letters").appendingPathComponent($0))
            }
            #expect(letterPages.count == 3)
            let printPages = try pdfPages(out.appendingPathComponent("print-2026-11-24.pdf"))
            #expect(printPages == letterPages.map { $0 + $0 % 2 }.reduce(0, +))
            #expect(result.sheets * 2 == printPages)
            #expect(try pdfPages(out.appendingPathComponent("mailing-book-2026-11-24.pdf")) >= 1)
            // Recorded as rendered, with the archive copy's path and hash.
            let detail = try #require(try await store.detail("R-2/enrollment-letter"))
            #expect(detail.obligation.paper == .rendered && detail.renditions.count == 1)
            let archived = try Data(contentsOf: URL(fileURLWithPath: try #require(detail.renditions[0].pdfPath)))
            #expect(sha256Hex(archived) == detail.renditions[0].pdfSHA256)
            // A rerun writes the same pieces once each.
            let again = try await MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-24"), output: out)
                .run()
            #expect(again.pieces == 3)
            let rows2 = parseCSV(
                try String(contentsOf: out.appendingPathComponent("mailing-book-2026-11-24.csv"), encoding: .utf8)
            )
            #expect(rows2.dropFirst().map { $0[0] } == rows.dropFirst().map { $0[0] })
            // Once printed they are no longer ready to mail.
            for row in rows.dropFirst() {
                try await store.apply(.printed, to: row[0], actor: actor, now: noon("2026-11-24"))
            }
            #expect(
                try await MailroomBatch(
                    store: store,
                    actor: "mailroom",
                    date: day("2026-11-24"),
                    output: temporaryFolder()
                ).run().pieces == 0
            )
        }
    }

    @Test func mailingBookMarkupEscapesValues() throws {
        let letter = BatchLetter(
            obligationId: "R<1>/enrollment-letter",
            recordVersion: 1,
            name: "A & <B>",
            address: Address(line1: "1 \"Main\" St", city: "Lowell", state: "MA", postalCode: "01854"),
            sender: "Tom's <Clinic>",
            senderAddress: nil,
            file: URL(fileURLWithPath: "/dev/null"),
            pages: 1,
            rendition: rendition()
        )
        let book = MailingBook(date: day("2026-11-24"), letters: [letter], postage: "", fee: "")
        #expect(book.markup.contains("A &amp; &lt;B&gt;") && !book.markup.contains("<B>"))
        #expect(parseCSV(book.csv)[1][5] == "1 \"Main\" St")
    }
}
