import Foundation
import Templating
import Testing

@testable import CaresDocuments

/// `caredocs locales check` and `mark-reviewed` as a process, on a scratch copy of `Locales/`.
@Suite(.serialized) final class LocalesCommandTests {
    let directory: URL

    init() throws {
        directory = DocTest.temporaryFile("locales")
        try FileManager.default.copyItem(at: DocTest.projectRoot.appending(path: "Locales"), to: directory)
        // Every key a draft of the current English, whatever the project's catalogs hold today.
        try CatalogReviewWriter.mark(directory: directory, locale: "all", keys: nil, status: .drafted, reviewer: nil)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func caredocs(_ arguments: [String]) throws -> DocTest.ProcessResult {
        let binary = try #require(DocTest.caredocsBinary, "caredocs is not built beside the tests")
        return try DocTest.run(binary.path(percentEncoded: false), arguments, in: DocTest.projectRoot)
    }

    var dir: String { directory.path(percentEncoded: false) }

    @Test func staleKeysAreWarningsUnlessStrictAndAReviewClearsThem() throws {
        let clean = try caredocs(["locales", "check", "--directory", dir, "--strict"])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("es       drafted"))

        // A developer edits one English sentence.
        let en = directory.appending(path: "en.json")
        let text = try String(contentsOf: en, encoding: .utf8)
        let old = #""frame.sincerely": "Sincerely,""#
        #expect(text.contains(old))
        try Data(text.replacingOccurrences(of: old, with: #""frame.sincerely": "Yours sincerely,""#).utf8).write(to: en)

        let check = try caredocs(["locales", "check", "--directory", dir])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        for tag in ["es", "fr", "ru", "zh-Hant", "ar"] {
            #expect(check.stdout.contains("stale: \(tag): frame.sincerely: English changed since this translation"))
        }
        #expect(check.stdout.contains("warnings: 12 stale translations"))
        let strict = try caredocs(["locales", "check", "--directory", dir, "--strict"])
        #expect(strict.status == 1)

        let mark = try caredocs([
            "locales", "mark-reviewed", "--locale", "es", "--reviewer", "Ana Ruiz", "--keys", "frame.sincerely",
            "--directory", dir,
        ])
        #expect(mark.status == 0, "\(mark.stdout)\(mark.stderr)")
        #expect(mark.stdout.contains("es: 1 key marked reviewed by Ana Ruiz"))
        let after = try caredocs(["locales", "check", "--directory", dir])
        #expect(!after.stdout.contains("stale: es:"))
        #expect(after.stdout.contains("stale: fr: frame.sincerely"))
        #expect(after.stdout.contains("warnings: 11 stale translations"))
        #expect(after.stdout.contains("(1 reviewed, 0 stale, 0 edited after review)"))
    }

    @Test func markReviewedNeedsKeysOrAllAndKnownKeys() throws {
        let neither = try caredocs([
            "locales", "mark-reviewed", "--locale", "es", "--reviewer", "A", "--directory", dir,
        ])
        #expect(neither.status != 0)
        let unknown = try caredocs([
            "locales", "mark-reviewed", "--locale", "es", "--reviewer", "A", "--keys", "no.such", "--directory", dir,
        ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no.such"))
        let all = try caredocs([
            "locales", "mark-reviewed", "--locale", "kea", "--reviewer", "B", "--all", "--directory", dir,
        ])
        #expect(all.status == 0, "\(all.stderr)")
        let check = try caredocs(["locales", "check", "--directory", dir, "--strict"])
        #expect(check.status == 0)
        #expect(check.stdout.contains("kea      reviewed"))
    }
}

/// A document's "translation: …" mark follows the per-key review: reviewed only when every key of
/// its catalog is reviewed and none is stale.
@Suite struct TranslationStatusTests {
    @Test func aStaleKeyMarksTheDocumentDraftedAgain() throws {
        let locales = DocTest.temporaryFile("locales-status")
        try FileManager.default.copyItem(at: DocTest.projectRoot.appending(path: "Locales"), to: locales)
        try CatalogReviewWriter.mark(directory: locales, locale: "all", keys: nil, status: .drafted, reviewer: nil)
        defer { try? FileManager.default.removeItem(at: locales) }
        func keywords() throws -> [String] {
            let renderer = try DocumentRenderer(
                templates: DocTest.projectRoot.appending(path: "Templates"),
                locales: locales
            )
            return try renderer.document(.carePlan, record: DocTest.rivera(), options: DocTest.options(.spanish))
                .metadata.keywords
        }
        #expect(try keywords().contains { $0.contains("translation: drafted") })
        try CatalogReviewWriter.mark(
            directory: locales,
            locale: "es",
            keys: nil,
            status: .reviewed,
            reviewer: "Ana Ruiz"
        )
        #expect(try keywords().contains { $0.contains("translation: reviewed") })

        let en = locales.appending(path: "en.json")
        let text = try String(contentsOf: en, encoding: .utf8)
        try Data(text.replacingOccurrences(of: #""Sincerely,""#, with: #""Best wishes,""#).utf8).write(to: en)
        #expect(try keywords().contains { $0.contains("translation: drafted") })
    }
}
