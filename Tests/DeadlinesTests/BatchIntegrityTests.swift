import CaresDocuments
import Foundation
import Testing
import Typesetting

@testable import Deadlines
@testable import Mailroom

/// What a PDF tool (poppler's `pdftotext`, `pdffonts`) prints on standard output.
func toolOutput(_ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The text of a PDF by poppler's `pdftotext`.
func pdfText(_ url: URL) throws -> String {
    try toolOutput(["pdftotext", "-enc", "UTF-8", "-layout", url.path, "-"])
}

/// Every envelope holds the right letter for the right person.
@Suite("Mailroom batch integrity")
struct BatchIntegrityTests {
    /// Two valid record ids that used to share one archive file name (`letters/R_1_…pdf`).
    @Test("ids that read alike get their own archive files: each child's letter once", arguments: StoreKind.allCases)
    func collidingIds(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let children = [("R.1", "100000000011", "Anwen", "01854"), ("R_1", "100000000012", "Bartholomew", "01002")]
            for (id, memberId, name, zip) in children {
                var record = letterRecord(id: id, zip: zip)
                record.set("member.id", memberId)
                record.set("member.firstName", name)
                _ = try await store.importRecord(record.data, actor: actor, now: noon("2026-11-20"))
            }
            #expect(
                MailroomBatch.letterFileName("R.1/enrollment-letter")
                    != MailroomBatch.letterFileName("R_1/enrollment-letter")
            )
            let out = temporaryFolder()
            let result = try await MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-24"), output: out)
                .run()
            #expect(result.pieces == 2)
            for (id, _, name, _) in children {
                let detail = try #require(try await store.detail("\(id)/enrollment-letter"))
                let path = try #require(detail.renditions.last?.pdfPath)
                let text = try pdfText(URL(fileURLWithPath: path))
                let other = children.first { $0.0 != id }!.2
                #expect(text.contains(name), "\(id)'s archive copy is not \(name)'s letter")
                #expect(!text.contains(other), "\(id)'s archive copy holds \(other)'s letter")
            }
            let printed = try pdfText(out.appendingPathComponent("print-2026-11-24.pdf"))
            for (_, _, name, _) in children {
                #expect(printed.components(separatedBy: "Dear \(name)").count - 1 == 1, "\(name)'s letter once")
            }
        }
    }

    /// An archive copy that changed on disk is rendered again, never printed as it is.
    @Test("a rendered file is reused only when its SHA-256 is the rendition's", arguments: StoreKind.allCases)
    func changedArchiveCopy(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var record = letterRecord(id: "R-9", zip: "01854")
            record.set("member.firstName", "Cordelia")
            _ = try await store.importRecord(record.data, actor: actor, now: noon("2026-11-20"))
            let out = temporaryFolder()
            let batch = MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-24"), output: out)
            _ = try await batch.renderReady()
            let path = try #require(try await store.detail("R-9/enrollment-letter")?.renditions.last?.pdfPath)
            // Another letter lands under this name (a copy from elsewhere, a bad restore …).
            var stranger = letterRecord(id: "R-8", zip: "01854")
            stranger.set("member.firstName", "Percival")
            let strangerPDF = try DocumentPipeline().render(
                DocumentRequest(kind: .enrollmentLetter, letterDate: day("2026-11-24")),
                json: stranger.data
            )[0].pdf
            try strangerPDF.write(to: URL(fileURLWithPath: path))
            let result = try await batch.run()
            #expect(result.pieces == 1)
            let printed = try pdfText(out.appendingPathComponent("print-2026-11-24.pdf"))
            #expect(printed.contains("Cordelia") && !printed.contains("Percival"))
        }
    }

    /// The CCM notice goes to the CCM clinical manager: the mailing book names whom the window
    /// names, and a manager without a postal address keeps the notice out of the paper batch.
    @Test("the mailing book's addressee is the window's, for every letter", arguments: StoreKind.allCases)
    func mailingBookMatchesTheWindow(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var family = letterRecord(id: "R-20", zip: "01854")
            family.guardian(consents: false)
            family.set("member.enrolledInCCM", true)
            family.root["careTeam"] = [
                [
                    "id": "t1", "name": "Sarah Kim", "role": "senior-care-manager",
                    "contact": ["phone": "(978) 555-0142"],
                ],
                [
                    "id": "t2", "name": "Dr. Ines Carvalho", "role": "ccm-clinical-manager",
                    "organization": "Commonwealth CCM Program",
                    "contact": [
                        "phone": "(617) 555-0110",
                        "address": ["line1": "1 Ashburton Pl", "city": "Boston", "state": "MA", "postalCode": "02108"],
                    ],
                ],
            ]
            _ = try await store.importRecord(family.data, actor: actor, now: noon("2026-11-20"))
            var noAddress = family
            noAddress.set("recordId", "R-21")
            noAddress.set("member.id", "100000000021")
            noAddress.root["careTeam"] = [
                [
                    "id": "t1", "name": "Sarah Kim", "role": "senior-care-manager",
                    "contact": ["phone": "(978) 555-0142"],
                ],
                ["id": "t2", "name": "Dr. Ines Carvalho", "role": "ccm-clinical-manager"],
            ]
            _ = try await store.importRecord(noAddress.data, actor: actor, now: noon("2026-11-20"))

            let out = temporaryFolder()
            let result = try await MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-24"), output: out)
                .run()
            let skipped = Dictionary(uniqueKeysWithValues: result.skipped.map { ($0.obligation, $0.reason) })
            #expect(
                skipped["R-21/ccm-notice"]
                    == "needs a mailing address for the CCM clinical manager (careTeam[1].contact.address)"
            )
            let rows = parseCSV(
                try String(contentsOf: out.appendingPathComponent("mailing-book-2026-11-24.csv"), encoding: .utf8)
            ).dropFirst()
            #expect(rows.contains { $0[0] == "R-20/ccm-notice" && $0[4] == "Dr. Ines Carvalho" })
            #expect(rows.contains { $0[0] == "R-20/enrollment-letter" && $0[4] == "Ottoline Quixotically" })
            #expect(!rows.contains { $0[0] == "R-21/ccm-notice" })
            // Every piece: the window of the archive copy starts with the mailing book's addressee
            // and holds its street and ZIP.
            for row in rows {
                let path = try #require(try await store.detail(row[0])?.renditions.last?.pdfPath)
                let firstPage = try pdfText(URL(fileURLWithPath: path)).components(separatedBy: "\u{0C}")[0]
                #expect(firstPage.contains(row[4]), "\(row[0]): the window does not name \(row[4])")
                #expect(firstPage.contains(row[5].components(separatedBy: ", ")[0]), "\(row[0]): street")
                #expect(firstPage.contains(row[8]), "\(row[0]): ZIP \(row[8])")
            }
        }
    }

    @Test("CSV cells a spreadsheet would run as formulas are neutralised, and read back as they were")
    func csvInjection() {
        let values = [
            "=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "\tx", "'=already", "''=x", "plain", "",
            "Mary \"Molly\" O'Hara, Jr.", "-",
        ]
        let line = values.map(CSVCell.field).joined(separator: ",")
        #expect(parseCSV(line) == [values])
        for value in values {
            let field = CSVCell.field(value)
            let unquoted = field.hasPrefix("\"") ? String(field.dropFirst()) : field
            #expect(!["=", "+", "-", "@", "\t"].contains(unquoted.first.map(String.init) ?? ""), "\(field)")
        }
    }

    @Test("a hostile addressee name reaches the mailing book CSV as text", arguments: StoreKind.allCases)
    func mailingBookCSVInjection(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var record = letterRecord(id: "R-30", zip: "01854")
            record.set("member.firstName", "=cmd|' /C calc'!A0")
            _ = try await store.importRecord(record.data, actor: actor, now: noon("2026-11-20"))
            let out = temporaryFolder()
            _ = try await MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-24"), output: out).run()
            let csv = try String(contentsOf: out.appendingPathComponent("mailing-book-2026-11-24.csv"), encoding: .utf8)
            #expect(csv.contains("'=cmd|' /C calc'!A0 Quixotically"))
            #expect(parseCSV(csv)[1][4] == "=cmd|' /C calc'!A0 Quixotically")
        }
    }

    /// The print file is laid out again from each archive copy's inputs and drawn as one
    /// document: each page reads exactly like its archive copy's page, fonts are embedded once
    /// (the file is far smaller than the archive copies together), letters in English and
    /// Arabic alike.
    @Test("the print file reads like the archive copies, with each font embedded once", arguments: StoreKind.allCases)
    func printFileMatchesArchiveCopies(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let letters = [
                ("R-31", "Oluwaseun", "01854", "en"), ("R-32", "Marisol", "01002", "ar"),
                ("R-33", "Yasmin", "02139", "ar"), ("R-34", "Theodora", "02140", "en"),
                ("R-35", "Bartholomew", "02141", "en"), ("R-36", "Anwen", "02142", "en"),
            ]
            for (id, name, zip, language) in letters {
                var record = letterRecord(id: id, zip: zip, language: language)
                record.set("member.firstName", name)
                _ = try await store.importRecord(record.data, actor: actor, now: noon("2026-11-20"))
            }
            let out = temporaryFolder()
            let result = try await MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-24"), output: out)
                .run()
            #expect(result.pieces == 6)
            let printURL = out.appendingPathComponent("print-2026-11-24.pdf")
            #expect(try pdfPages(printURL) == result.sheets * 2)
            // Page by page, in ZIP order (01002, 01854, 02139, 02140), blank pages after odd letters.
            var page = 1
            var archiveBytes = 0
            for id in ["R-32", "R-31", "R-33", "R-34", "R-35", "R-36"] {
                let path = try #require(try await store.detail("\(id)/enrollment-letter")?.renditions.last?.pdfPath)
                let archive = URL(fileURLWithPath: path)
                archiveBytes += try Data(contentsOf: archive).count
                let pages = try pdfPages(archive)
                for k in 1...pages {
                    #expect(
                        try pageText(printURL, page + k - 1) == pageText(archive, k),
                        "page \(k) of \(id) differs in the print file"
                    )
                }
                page += pages + pages % 2
            }
            let printBytes = try Data(contentsOf: printURL).count
            #expect(printBytes * 2 < archiveBytes, "print file \(printBytes) bytes, archive copies \(archiveBytes)")
            // Each font program once for the letters' pages (Cairo writes a face as two subsets,
            // WinAnsi and CID) and once for each language's tagline page (its heading is in the
            // letter's language): six letters in two languages, at most 2 × 3 per face.
            let fonts = try fontNames(printURL)
            let faces = Dictionary(grouping: fonts) { $0.split(separator: "+").last.map(String.init) ?? $0 }
            #expect(faces.values.allSatisfy { $0.count <= 6 }, "\(faces.filter { $0.value.count > 6 }.keys)")
        }
    }

    /// An archive copy dated otherwise (the same folder used by a batch of another date) is
    /// rendered again: the print file and the archive copy always carry the same date.
    @Test("an archive copy of another date is rendered again, never printed beside it", arguments: StoreKind.allCases)
    func archiveCopyOfAnotherDate(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(
                letterRecord(id: "R-40", zip: "01854").data,
                actor: actor,
                now: noon("2026-11-20")
            )
            let out = temporaryFolder()
            _ = try await MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-24"), output: out)
                .renderReady()
            let later = try await MailroomBatch(store: store, actor: "mailroom", date: day("2026-11-27"), output: out)
                .run()
            #expect(later.pieces == 1)
            let detail = try #require(try await store.detail("R-40/enrollment-letter"))
            #expect(detail.renditions.count == 2, "rendered again for the new date")
            let archive = URL(fileURLWithPath: try #require(detail.renditions.last?.pdfPath))
            let printURL = out.appendingPathComponent("print-2026-11-27.pdf")
            #expect(try pageText(printURL, 1) == pageText(archive, 1))
            #expect(try pageText(archive, 1).contains("27"))
        }
    }
}

/// One page's text (`pdftotext -f N -l N`).
func pageText(_ url: URL, _ page: Int) throws -> String {
    try toolOutput(["pdftotext", "-enc", "UTF-8", "-f", "\(page)", "-l", "\(page)", url.path, "-"])
}

/// The names of the fonts embedded in a PDF (`pdffonts`), one per font object.
func fontNames(_ url: URL) throws -> [String] {
    try toolOutput(["pdffonts", url.path]).split(separator: "\n").dropFirst(2).compactMap {
        $0.split(separator: " ").first.map(String.init)
    }
}
