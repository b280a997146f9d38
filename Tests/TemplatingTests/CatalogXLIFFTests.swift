import Foundation
import Testing

@testable import Templating

/// `CatalogXLIFF` (locales export/import) and the catalog rewriter that sets messages in place.
@Suite struct CatalogXLIFFTests {
    /// A scratch copy of `Locales/`, every key a draft of the current English.
    func copyOfLocales() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("locales-xliff-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: ProjectLocalesTests.locales, to: dir)
        try CatalogReviewWriter.mark(directory: dir, locale: "all", keys: nil, status: .drafted, reviewer: nil)
        return dir
    }

    func order(_ dir: URL) throws -> [String] { try CatalogXLIFF.keyOrder(dir.appendingPathComponent("en.json")) }

    func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test func settingOneMessageChangesItsLineAndItsReviewLineOnly() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("es.json")
        let before = try Data(contentsOf: url)
        var review = try #require(try LocaleCatalog.load(url).review)
        review["frame.sincerely"] = LocaleCatalog.KeyReview(
            status: .reviewed,
            reviewer: "Ana Ruiz",
            englishSha256: LocaleCatalog.messageHash("Sincerely,"),
            translationSha256: LocaleCatalog.messageHash("Saludos \"cordiales\",")
        )
        let after = try CatalogReviewWriter.rewrite(
            before,
            messages: ["frame.sincerely": "Saludos \"cordiales\","],
            order: try order(dir),
            review: review
        )
        let a = lines(before)
        let b = lines(after)
        #expect(a.count == b.count)
        let changed = zip(a, b).filter { $0 != $1 }.map(\.1)
        #expect(changed.count == 2, "\(changed)")
        #expect(changed.first == #"    "frame.sincerely": "Saludos \"cordiales\",","#)
        #expect(
            changed.last?.hasPrefix(#"    "frame.sincerely": {"status": "reviewed", "reviewer": "Ana Ruiz""#) == true
        )
        #expect(
            try LocaleCatalog.load(url).messages["frame.page"]
                == JSONDecoder().decode(LocaleCatalog.self, from: after).messages["frame.page"]
        )
    }

    @Test func aNewMessageIsInsertedInEnglishOrderWithTheFilesIndentation() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("es.json")
        let original = try Data(contentsOf: url)
        let catalog = try LocaleCatalog.load(url)
        // Drop frame.dear's message and review lines, as if the key were new in English.
        let kept = lines(original).filter { !$0.hasPrefix(#"    "frame.dear": "#) }
        #expect(kept.count == lines(original).count - 2)
        let without = Data(kept.joined(separator: "\n").utf8)
        var review = try #require(try JSONDecoder().decode(LocaleCatalog.self, from: without).review)
        #expect(review["frame.dear"] == nil)
        review["frame.dear"] = catalog.review?["frame.dear"]
        let restored = try CatalogReviewWriter.rewrite(
            without,
            messages: ["frame.dear": catalog.messages["frame.dear"]!],
            order: try order(dir),
            review: review
        )
        #expect(restored == original)
    }

    @Test func exportStatesAndNotes() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        try CatalogReviewWriter.mark(
            directory: dir,
            locale: "es",
            keys: ["frame.page", "frame.dear"],
            status: .reviewed,
            reviewer: "Ana Ruiz"
        )
        let en = dir.appendingPathComponent("en.json")
        let text = try String(contentsOf: en, encoding: .utf8)
        try Data(text.replacingOccurrences(of: #""Dear {name},""#, with: #""Hello {name},""#).utf8).write(to: en)
        let set = try LocaleSet(directory: dir)
        let all = try CatalogXLIFF.export(set: set, locale: "es", order: try order(dir), only: .all)
        let units = Dictionary(uniqueKeysWithValues: all.document.units.map { ($0.id, $0) })
        #expect(all.summary.units == set.catalogs["en"]!.messages.count)
        #expect(all.document.units.first?.id == "frame.page")
        #expect(units["frame.page"]?.state == .final && units["frame.page"]?.approved == true)
        #expect(units["frame.sincerely"]?.state == .translated)
        let dear = try #require(units["frame.dear"])
        #expect(dear.state == .needsReviewTranslation)
        #expect(dear.source.plainText == "Hello {name},")
        #expect(dear.notes.allSatisfy { $0.from == "developer" })
        #expect(dear.notes[0].text.contains("Letter frame"))
        #expect(dear.notes[0].text.contains("The English changed since this was translated"))
        #expect(dear.notes[0].text.contains("{name}"))
        #expect(
            CatalogXLIFF.Marker.find(in: dear.notes)
                == CatalogXLIFF.Marker(
                    locale: "es",
                    key: "frame.dear",
                    englishHash: LocaleCatalog.messageHash("Hello {name},")
                )
        )
        #expect(units["icp.title"]?.notes[0].text.hasPrefix("Individual care plan") == true)
        #expect(units["enrollment.title"]?.notes[0].text.hasPrefix("Enrollment letter") == true)

        let needsWork = try CatalogXLIFF.export(set: set, locale: "es", order: try order(dir))
        #expect(needsWork.summary.units == all.summary.units - 1)
        #expect(!needsWork.document.units.contains { $0.id == "frame.page" })
        let stale = try CatalogXLIFF.export(set: set, locale: "es", order: try order(dir), only: .stale)
        #expect(stale.document.units.map(\.id) == ["frame.dear"])
        #expect(
            try CatalogXLIFF.export(set: set, locale: "es", order: try order(dir), only: .untranslated).summary.units
                == 0
        )
        #expect(throws: LocaleError.self) { try CatalogXLIFF.export(set: set, locale: "en", order: []) }
    }

    @Test func everyRefusedUnitIsListedAndNothingIsPlanned() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        var set = try LocaleSet(directory: dir)
        var document = try CatalogXLIFF.export(set: set, locale: "es", order: try order(dir), only: .all).document
        func edit(_ key: String, _ change: (inout XLIFFUnit) -> Void) {
            let i = document.files[0].units.firstIndex { $0.id == key }!
            change(&document.files[0].units[i])
        }
        edit("frame.page") { $0.target = "Página {pagina} de {pages}" }
        edit("frame.sincerely") { $0.target = "" }
        edit("frame.dear") { $0.targetLanguage = "fr" }
        edit("frame.about") {
            $0.notes[1] = XLIFFNote(
                CatalogXLIFF.Marker(locale: "es", key: "no.such.key", englishHash: "00").note,
                from: "developer"
            )
        }
        edit("frame.onCall") { $0.target = "Llámenos: {phone}." }  // fine
        // The English of one key changes after the export.
        let en = dir.appendingPathComponent("en.json")
        let text = try String(contentsOf: en, encoding: .utf8)
        try Data(text.replacingOccurrences(of: #""Your care manager""#, with: #""Your care coordinator""#).utf8)
            .write(to: en)
        set = try LocaleSet(directory: dir)
        let plan = CatalogXLIFF.plan(document, set: set, reviewer: "Ana Ruiz")
        let text2 = plan.refusals.map(\.description)
        #expect(text2.contains("frame.page: placeholder {pagina} in the target is not in the source"), "\(text2)")
        #expect(text2.contains("frame.page: placeholder {page} of the source is missing from the target"))
        #expect(text2.contains("frame.sincerely: the translation is empty: it would blank the catalog's message"))
        #expect(text2.contains("frame.dear: the target language is fr, but the unit was exported for es"))
        #expect(text2.contains("no.such.key: no such message key in en.json"))
        #expect(
            text2.contains(
                "enrollment.careManagerTitle: the English message changed since export: translate the new English (export again)"
            ),
            "\(text2)"
        )
        #expect(plan.refusals.count == 6, "\(text2)")

        // A file that is not a locale export.
        let other = XLIFFDocument(files: [
            XLIFFFile(original: "x", sourceLanguage: "en", units: [XLIFFUnit(id: "a", source: "A")])
        ])
        #expect(CatalogXLIFF.plan(other, set: set, reviewer: nil).refusals.first?.unit == "(file)")
    }

    @Test func reviewedDraftedAndUnchanged() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = try LocaleSet(directory: dir)
        var document = try CatalogXLIFF.export(set: set, locale: "es", order: try order(dir), only: .all).document
        let units = document.files[0].units
        let page = units.firstIndex { $0.id == "frame.page" }!
        let dear = units.firstIndex { $0.id == "frame.dear" }!
        document.files[0].units[page].target = "Pág. {page} de {pages}"
        document.files[0].units[dear].target = "Estimada familia de {name}:"
        document.files[0].units[dear].state = .needsReviewTranslation
        // Every other unit is left "translated": with a reviewer, they are recorded reviewed.
        let reviewed = CatalogXLIFF.plan(document, set: set, reviewer: "Ana Ruiz")
        #expect(reviewed.refusals.isEmpty)
        #expect(
            reviewed.messages == ["frame.page": "Pág. {page} de {pages}", "frame.dear": "Estimada familia de {name}:"]
        )
        #expect(reviewed.review["frame.page"]?.status == .reviewed)
        #expect(reviewed.review["frame.page"]?.translationSha256 == LocaleCatalog.messageHash("Pág. {page} de {pages}"))
        #expect(reviewed.review["frame.dear"]?.status == .drafted)
        #expect(reviewed.draftedAsMarked == 1)
        #expect(reviewed.updated.count == units.count)
        // Without a reviewer, only the two edited keys change.
        let drafted = CatalogXLIFF.plan(document, set: set, reviewer: nil)
        #expect(drafted.updated.sorted() == ["frame.dear", "frame.page"])
        #expect(drafted.unchanged == units.count - 2)
    }
}
