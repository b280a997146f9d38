import Foundation
import Templating
import Testing

@testable import CaresDocuments

/// `caredocs locales export|import` as processes on a scratch copy of `Locales/`, with
/// translate-toolkit in the middle as a translator would use it: export → `xliff2po` → one msgstr
/// edited (and unfuzzied) in the PO → `po2xliff -t` → import with a reviewer.
@Suite(.serialized) final class LocalesXLIFFCommandTests {
    let directory: URL
    let work: URL

    init() throws {
        directory = DocTest.temporaryFile("locales-xliff")
        work = DocTest.temporaryFile("locales-xliff-work")
        try FileManager.default.copyItem(at: DocTest.projectRoot.appending(path: "Locales"), to: directory)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        // Every key a draft of the current English, whatever the project's catalogs hold today.
        try CatalogReviewWriter.mark(directory: directory, locale: "all", keys: nil, status: .drafted, reviewer: nil)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(at: work)
    }

    var dir: String { directory.path(percentEncoded: false) }
    func path(_ name: String) -> String { work.appending(path: name).path(percentEncoded: false) }
    func catalog(_ tag: String) -> URL { directory.appending(path: "\(tag).json") }

    func caredocs(_ arguments: [String]) throws -> DocTest.ProcessResult {
        let binary = try #require(DocTest.caredocsBinary, "caredocs is not built beside the tests")
        return try DocTest.run(binary.path(percentEncoded: false), arguments, in: work)
    }

    /// export → xliff2po → edit → po2xliff -t; returns the file to import.
    func throughPO(_ locale: String, only: String? = nil, edits: [String: String], name: String) throws -> String {
        let xlf = path("\(name).xlf")
        var arguments = ["locales", "export", "--locale", locale, "--output", xlf, "--directory", dir]
        if let only { arguments += ["--only", only] }
        let export = try caredocs(arguments)
        try #require(export.status == 0, "export: \(export.stdout)\(export.stderr)")
        return try TranslateToolkit.throughPO(xlf, .setByLocation, edits)
    }

    func changedLines(_ before: Data, _ after: Data) -> [String] {
        let a = String(decoding: before, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: after, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(a.count == b.count)
        return zip(a, b).filter { $0 != $1 }.map { String($0.1) }
    }

    @Test func spanishRoundTripThroughPOChangesOneMessageAndItsReviewLine() throws {
        try #require(TranslateToolkit.available, TranslateToolkit.notInstalled)
        let before = try Data(contentsOf: catalog("es"))
        let back = try throughPO("es", edits: ["frame.sincerely": "Saludos cordiales,"], name: "es")
        let imported = try caredocs(["locales", "import", back, "--reviewer", "Ana Ruiz", "--directory", dir])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let count = try LocaleCatalog.load(catalog("en")).messages.count
        // The other keys come back fuzzy (drafted in the export, untouched): left as they were.
        #expect(
            imported.stdout.contains("es.json: 1 updated (1 reviewed, 0 drafted), \(count - 1) unchanged"),
            "\(imported.stdout)"
        )
        let after = try Data(contentsOf: catalog("es"))
        let changed = changedLines(before, after)
        #expect(changed.count == 2, "\(changed)")
        #expect(changed.first == #"    "frame.sincerely": "Saludos cordiales,","#)
        #expect(
            changed.last?.hasPrefix(#"    "frame.sincerely": {"status": "reviewed", "reviewer": "Ana Ruiz""#) == true,
            "\(changed)"
        )
        let es = try #require(try LocaleSet(directory: directory).catalogs["es"])
        #expect(es.messages["frame.sincerely"] == "Saludos cordiales,")
        #expect(es.status(of: "frame.sincerely") == .reviewed)
        let check = try caredocs(["locales", "check", "--directory", dir])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(!check.stdout.contains("es: frame.sincerely"), "\(check.stdout)")
        #expect(check.stdout.contains("(1 reviewed, 0 stale, 0 edited after review)"), "\(check.stdout)")

        // The same file again changes nothing.
        let again = try caredocs(["locales", "import", back, "--reviewer", "Ana Ruiz", "--directory", dir])
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 updated"), "\(again.stdout)")
        #expect(try Data(contentsOf: catalog("es")) == after)
    }

    @Test func aStaleKeyIsExportedWithItsNoteAndRefusedAfterAnotherEnglishChange() throws {
        let review = try caredocs([
            "locales", "mark-reviewed", "--locale", "es", "--all", "--reviewer", "Ana Ruiz", "--directory", dir,
        ])
        try #require(review.status == 0, "\(review.stderr)")
        let en = catalog("en")
        func editEnglish(_ old: String, _ new: String) throws {
            let text = try String(contentsOf: en, encoding: .utf8)
            try #require(text.contains(old))
            try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: en)
        }
        try editEnglish(#""frame.sincerely": "Sincerely,""#, #""frame.sincerely": "Yours sincerely,""#)

        let xlf = path("stale.xlf")
        let export = try caredocs(["locales", "export", "--locale", "es", "--output", xlf, "--directory", dir])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("1 units (1 stale, 0 drafted, 0 reviewed, 0 untranslated)"), "\(export.stdout)")
        let document = try XLIFFReader.read(Data(contentsOf: URL(filePath: xlf)))
        let unit = try #require(document.units.first)
        #expect(document.units.count == 1)
        #expect(unit.id == "frame.sincerely")
        #expect(unit.state == .needsReviewTranslation)
        #expect(unit.source.plainText == "Yours sincerely,")
        #expect(unit.target?.plainText == "Atentamente,")
        #expect(unit.notes.contains { $0.text.contains("The English changed since this was translated") })
        #expect(unit.notes.contains { $0.from == "developer" && $0.text.contains("english-sha256=") })
        let raw = try String(contentsOf: URL(filePath: xlf), encoding: .utf8)
        #expect(raw.contains(#"<target state="needs-review-translation">Atentamente,</target>"#), "\(raw)")

        // Returned untouched (still needs review): nothing is written, the key stays stale.
        let untouched = try caredocs(["locales", "import", xlf, "--reviewer", "Ana Ruiz", "--directory", dir])
        #expect(untouched.status == 0, "\(untouched.stderr)")
        #expect(untouched.stdout.contains("0 updated (0 reviewed, 0 drafted), 1 unchanged"), "\(untouched.stdout)")

        // The translator updates it, but the English changes again meanwhile: refused, nothing written.
        var edited = document
        edited.files[0].units[0].target = "Le saluda atentamente,"
        edited.files[0].units[0].state = .translated
        try XLIFFWriter.data(edited).write(to: URL(filePath: xlf))
        try editEnglish(#""frame.sincerely": "Yours sincerely,""#, #""frame.sincerely": "With best wishes,""#)
        let before = try Data(contentsOf: catalog("es"))
        let refused = try caredocs(["locales", "import", xlf, "--reviewer", "Ana Ruiz", "--directory", dir])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused, nothing written"), "\(refused.stderr)")
        #expect(
            refused.stderr.contains("frame.sincerely: the English message changed since export"),
            "\(refused.stderr)"
        )
        #expect(try Data(contentsOf: catalog("es")) == before)
    }

    @Test func placeholderMismatchesAreRefusedAndNothingIsWritten() throws {
        let xlf = path("placeholders.xlf")
        let export = try caredocs([
            "locales", "export", "--locale", "es", "--only", "all", "--output", xlf, "--directory", dir,
        ])
        try #require(export.status == 0, "\(export.stderr)")
        var document = try XLIFFReader.read(Data(contentsOf: URL(filePath: xlf)))
        let units = document.files[0].units
        let about = try #require(units.firstIndex { $0.id == "frame.about" })
        let page = try #require(units.firstIndex { $0.id == "frame.page" })
        let title = try #require(units.firstIndex { $0.id == "enrollment.title" })
        document.files[0].units[about].target = "Sobre: {nombre}, ID de MassHealth {memberId}"
        document.files[0].units[page].target = "Página {page}"
        document.files[0].units[title].target = "Bienvenidos a CARES for Kids"
        try XLIFFWriter.data(document).write(to: URL(filePath: xlf))
        let before = try Data(contentsOf: catalog("es"))
        let result = try caredocs(["locales", "import", xlf, "--directory", dir])
        #expect(result.status == 1)
        #expect(result.stderr.contains("(3 problems)"), "\(result.stderr)")
        #expect(
            result.stderr.contains("frame.about: placeholder {memberName} of the source is missing from the target"),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("frame.about: placeholder {nombre} in the target is not in the source"))
        #expect(result.stderr.contains("frame.page: placeholder {pages} of the source is missing from the target"))
        // All or nothing: the good unit was not written either.
        #expect(try Data(contentsOf: catalog("es")) == before)

        let wrong = try caredocs(["locales", "export", "--locale", "es", "--only", "some", "--output", xlf])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("needs-work, stale, untranslated, drafted, all"), "\(wrong.stderr)")
    }

    @Test func arabicRoundTripKeepsRightToLeftTextByteExact() throws {
        try #require(TranslateToolkit.available, TranslateToolkit.notInstalled)
        let before = try Data(contentsOf: catalog("ar"))
        // Untouched: every unit comes back as it went, nothing changes.
        let untouched = try throughPO("ar", only: "all", edits: [:], name: "ar0")
        let first = try caredocs(["locales", "import", untouched, "--reviewer", "Layla Haddad", "--directory", dir])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("0 updated"), "\(first.stdout)")
        #expect(try Data(contentsOf: catalog("ar")) == before)

        // One message rewritten with Arabic, a Latin name, digits and a right-to-left mark.
        let arabic = "مع أطيب التحيات من فريق CARES for Kids ‏(24/7)،"
        let back = try throughPO("ar", only: "all", edits: ["frame.sincerely": arabic], name: "ar1")
        let imported = try caredocs(["locales", "import", back, "--reviewer", "Layla Haddad", "--directory", dir])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("1 updated (1 reviewed, 0 drafted)"), "\(imported.stdout)")
        let after = try Data(contentsOf: catalog("ar"))
        let changed = changedLines(before, after)
        #expect(changed.count == 2, "\(changed)")
        #expect(Array(changed.first!.utf8) == Array("    \"frame.sincerely\": \"\(arabic)\",".utf8))
        let old = try LocaleCatalog.load(DocTest.projectRoot.appending(path: "Locales/ar.json")).messages
        let new = try LocaleCatalog.load(catalog("ar")).messages
        #expect(Array(new["frame.sincerely"]!.utf8) == Array(arabic.utf8))
        for (key, text) in old where key != "frame.sincerely" {
            #expect(Array(new[key]!.utf8) == Array(text.utf8), "\(key)")
        }
    }
}
