import Foundation
import Testing

@testable import Templating

/// Per-key review metadata (`review` in each translated catalog): loading, stale detection after
/// an English edit, `CatalogReviewWriter` (mark-reviewed), the derived catalog status, and the
/// in-sentence language names.
@Suite struct CatalogReviewTests {
    static let translated = ["es", "pt-BR", "ht", "vi", "kea", "zh-Hans", "zh-Hant", "ar", "km", "fr", "ko", "ru"]

    /// A scratch copy of the project's `Locales/`, every key a draft of the current English (so
    /// the tests do not depend on reviews or stale keys the project has when they run).
    func copyOfLocales() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("locales-review-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: ProjectLocalesTests.locales, to: dir)
        for tag in Self.translated {
            try CatalogReviewWriter.mark(directory: dir, locale: tag, keys: nil, status: .drafted, reviewer: nil)
        }
        return dir
    }

    /// Rewrites one English message in `en.json` of `dir` (a text edit, as a developer would make).
    func editEnglish(_ dir: URL, key: String, to text: String) throws {
        let url = dir.appendingPathComponent("en.json")
        let catalog = try LocaleCatalog.load(url)
        let old = try #require(catalog.messages[key])
        let file = try String(contentsOf: url, encoding: .utf8)
        let line = "\(CatalogReviewWriter.quote(key)): \(CatalogReviewWriter.quote(old))"
        #expect(file.components(separatedBy: line).count == 2, "\(key) not found once in en.json")
        let edited = file.replacingOccurrences(
            of: line,
            with: "\(CatalogReviewWriter.quote(key)): \(CatalogReviewWriter.quote(text))"
        )
        try Data(edited.utf8).write(to: url)
    }

    @Test func theHashIsSHA256OfTheNFCForm() {
        #expect(
            LocaleCatalog.messageHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        // "é" precomposed and decomposed: the same English text, the same hash.
        #expect(LocaleCatalog.messageHash("caf\u{E9}") == LocaleCatalog.messageHash("cafe\u{301}"))
    }

    /// The project's catalogs: every translated key has well-formed metadata. Stale or edited
    /// keys are allowed here (they are `locales check` warnings and mark documents drafted): an
    /// English edit must not break the build until twelve languages are translated again.
    @Test func everyTranslatedKeyHasReviewMetadata() throws {
        let set = try LocaleSet(directory: ProjectLocalesTests.locales)
        let en = try #require(set.catalogs["en"])
        #expect(en.review == nil)
        #expect(en.status == .reviewed)
        let hex = Set("0123456789abcdef")
        for tag in Self.translated {
            let c = try #require(set.catalogs[tag])
            let review = try #require(c.review, "\(tag) has no review map")
            #expect(Set(review.keys) == Set(c.messages.keys), "\(tag)")
            for (key, r) in review {
                #expect(r.englishSha256.count == 64 && r.englishSha256.allSatisfy(hex.contains), "\(tag): \(key)")
                if r.status == .reviewed {
                    #expect(r.reviewer != nil && r.translationSha256 != nil, "\(tag): \(key)")
                } else {
                    #expect(r.reviewer == nil, "\(tag): \(key)")
                }
            }
            #expect(c.declaredStatus == nil, "\(tag) still declares a catalog-level status")
        }
        let structural = set.reviewFindings().filter { $0.kind == .missingMetadata || $0.kind == .orphanMetadata }
        #expect(structural.isEmpty, "\(structural) (caredocs locales mark-drafted --locale TAG --keys …)")
    }

    @Test func rewritingWithTheSameMetadataChangesNoByte() throws {
        for tag in Self.translated {
            let url = ProjectLocalesTests.locales.appendingPathComponent("\(tag).json")
            let data = try Data(contentsOf: url)
            let review = try #require(try LocaleCatalog.load(url).review)
            #expect(try CatalogReviewWriter.rewrite(data, review: review) == data, "\(tag)")
        }
    }

    @Test func anEnglishEditMakesTheKeyStaleEverywhereAndAReviewClearsIt() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        try editEnglish(dir, key: "frame.sincerely", to: "With best wishes,")

        var set = try LocaleSet(directory: dir)
        for tag in Self.translated {
            #expect(set.catalogs[tag]!.staleKeys == ["frame.sincerely"], "\(tag)")
            #expect(set.catalogs[tag]!.status(of: "frame.sincerely") == .drafted)
        }
        let findings = set.reviewFindings()
        #expect(findings.count == Self.translated.count, "\(findings)")
        #expect(findings.allSatisfy { $0.kind == .stale && $0.key == "frame.sincerely" })
        #expect(findings.map(\.description).contains("es: frame.sincerely: English changed since this translation"))

        let before = try String(contentsOf: dir.appendingPathComponent("es.json"), encoding: .utf8)
        let changed = try CatalogReviewWriter.mark(
            directory: dir,
            locale: "es",
            keys: ["frame.sincerely"],
            status: .reviewed,
            reviewer: "Ana Ruiz (ATA-certified, en>es)"
        )
        #expect(changed.map(\.locale) == ["es"])
        #expect(changed.first?.keys == ["frame.sincerely"])
        let after = try String(contentsOf: dir.appendingPathComponent("es.json"), encoding: .utf8)
        // The review is one line of the file: the diff a reviewer's commit shows.
        let diff = zip(before.split(separator: "\n"), after.split(separator: "\n")).filter { $0 != $1 }
        #expect(before.split(separator: "\n").count == after.split(separator: "\n").count)
        #expect(diff.count == 1)
        #expect(
            diff.first?.1.contains("\"frame.sincerely\": {\"status\": \"reviewed\", \"reviewer\": \"Ana Ruiz") == true
        )

        set = try LocaleSet(directory: dir)
        let es = set.catalogs["es"]!
        #expect(es.staleKeys.isEmpty)
        #expect(es.status(of: "frame.sincerely") == .reviewed)
        #expect(es.review?["frame.sincerely"]?.reviewer == "Ana Ruiz (ATA-certified, en>es)")
        #expect(set.catalogs["fr"]!.staleKeys == ["frame.sincerely"])
        #expect(set.reviewFindings().count == Self.translated.count - 1)
        #expect(set.problems().isEmpty, "\(set.problems())")
    }

    @Test func theCatalogStatusIsDerivedFromItsKeys() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = try LocaleCatalog.load(dir.appendingPathComponent("fr.json")).messages.keys.sorted()
        try CatalogReviewWriter.mark(
            directory: dir,
            locale: "fr",
            keys: Array(keys.dropLast()),
            status: .reviewed,
            reviewer: "Claire Martin"
        )
        #expect(try LocaleSet(directory: dir).catalogs["fr"]!.status == .drafted)
        try CatalogReviewWriter.mark(
            directory: dir,
            locale: "fr",
            keys: nil,
            status: .reviewed,
            reviewer: "Claire Martin"
        )
        #expect(try LocaleSet(directory: dir).catalogs["fr"]!.status == .reviewed)
        #expect(try LocaleSet(directory: dir).catalogs["es"]!.status == .drafted)
        // An English edit makes the reviewed catalog a draft again: a stale key counts as drafted.
        try editEnglish(dir, key: "frame.dear", to: "Hello {name},")
        let fr = try LocaleSet(directory: dir).catalogs["fr"]!
        #expect(fr.status == .drafted)
        #expect(fr.staleKeys == ["frame.dear"])
        #expect(fr.status(of: "frame.sincerely") == .reviewed)
        // Back to a draft.
        try CatalogReviewWriter.mark(
            directory: dir,
            locale: "fr",
            keys: ["frame.dear"],
            status: .drafted,
            reviewer: nil
        )
        let again = try LocaleSet(directory: dir).catalogs["fr"]!
        #expect(again.staleKeys.isEmpty)
        let expected = LocaleCatalog.KeyReview(
            status: .drafted,
            reviewer: nil,
            englishSha256: LocaleCatalog.messageHash("Hello {name},")
        )
        #expect(again.review?["frame.dear"] == expected)
    }

    @Test func aTranslationEditedAfterItsReviewCountsAsDraftedAgain() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        try CatalogReviewWriter.mark(directory: dir, locale: "es", keys: nil, status: .reviewed, reviewer: "Ana Ruiz")
        var es = try LocaleSet(directory: dir).catalogs["es"]!
        #expect(es.status == .reviewed)
        #expect(es.review?["frame.sincerely"]?.translationSha256 == LocaleCatalog.messageHash("Atentamente,"))
        // Someone changes the reviewed Spanish without a new review.
        let url = dir.appendingPathComponent("es.json")
        let file = try String(contentsOf: url, encoding: .utf8)
        try Data(file.replacingOccurrences(of: #""Atentamente,""#, with: #""Saludos,""#).utf8).write(to: url)
        let set = try LocaleSet(directory: dir)
        es = set.catalogs["es"]!
        #expect(es.editedKeys == ["frame.sincerely"])
        #expect(es.status == .drafted)
        #expect(es.status(of: "frame.sincerely") == .drafted)
        #expect(
            set.reviewFindings().map(\.description) == ["es: frame.sincerely: translation changed since its review"]
        )
        try CatalogReviewWriter.mark(
            directory: dir,
            locale: "es",
            keys: ["frame.sincerely"],
            status: .reviewed,
            reviewer: "Ana Ruiz"
        )
        #expect(try LocaleSet(directory: dir).catalogs["es"]!.status == .reviewed)
    }

    @Test func markingRefusesUnknownKeysTheSourceAndAnonymousReviews() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try Data(contentsOf: dir.appendingPathComponent("es.json"))
        #expect(throws: LocaleError.self) {
            try CatalogReviewWriter.mark(
                directory: dir,
                locale: "es",
                keys: ["frame.dear", "no.such.key"],
                status: .reviewed,
                reviewer: "A"
            )
        }
        #expect(throws: LocaleError.self) {
            try CatalogReviewWriter.mark(directory: dir, locale: "en", keys: nil, status: .reviewed, reviewer: "A")
        }
        #expect(throws: LocaleError.self) {
            try CatalogReviewWriter.mark(
                directory: dir,
                locale: "es",
                keys: ["frame.dear"],
                status: .reviewed,
                reviewer: " "
            )
        }
        // Several catalogs are written all or none: a missing catalog leaves es as it was.
        #expect(throws: LocaleError.self) {
            try CatalogReviewWriter.mark(directory: dir, locale: "es,xx", keys: nil, status: .reviewed, reviewer: "A")
        }
        #expect(try Data(contentsOf: dir.appendingPathComponent("es.json")) == before)
        #expect(try CatalogReviewWriter.locales("all", in: dir) == Self.translated.sorted())
        let all = try CatalogReviewWriter.mark(
            directory: dir,
            locale: "all",
            keys: ["frame.page"],
            status: .reviewed,
            reviewer: "A"
        )
        #expect(all.count == 12 && all.allSatisfy { $0.keys == ["frame.page"] })
    }

    @Test func aCatalogWithoutAReviewMapIsReportedAndCountsAsDrafted() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        // An older catalog: catalog-level status, no review map.
        let url = dir.appendingPathComponent("ko.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        json["review"] = nil
        json["status"] = "reviewed"
        json["reviewer"] = "Someone"
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        let set = try LocaleSet(directory: dir)
        let missing = set.reviewFindings().filter { $0.locale == "ko" }
        #expect(missing.count == set.catalogs["ko"]!.messages.count)
        #expect(missing.allSatisfy { $0.kind == .missingMetadata })
        #expect(set.catalogs["ko"]!.status == .drafted)
        // mark-drafted on every key writes the map; the catalog-level status is then a problem.
        try CatalogReviewWriter.mark(directory: dir, locale: "ko", keys: nil, status: .drafted, reviewer: nil)
        let after = try LocaleSet(directory: dir)
        #expect(after.reviewFindings().isEmpty)
        #expect(after.catalogs["ko"]!.status == .drafted)
        #expect(after.problems().contains { $0.hasPrefix("ko: a catalog-level \"status\"") })
    }

    @Test func everyCatalogCarriesTheInSentenceNameOfEveryLanguage() throws {
        let set = try LocaleSet(directory: ProjectLocalesTests.locales)
        for tag in set.catalogs.keys {
            for other in set.catalogs.keys {
                let phrase = try set.catalogs[tag]!.text(LocaleSet.inSentenceKey(other))
                #expect(!phrase.isEmpty, "\(tag): \(other)")
                // Languages whose names are not capitalized inside a sentence.
                if ["es", "fr", "pt-BR", "ht", "kea", "ru"].contains(tag) {
                    #expect(phrase == phrase.lowercased(), "\(tag): \(other): \(phrase)")
                }
            }
        }
        #expect(try set.catalogs["es"]!.text("language.inSentence.es") == "en español")
        #expect(try set.catalogs["fr"]!.text("language.inSentence.fr") == "en français")
        #expect(try set.catalogs["pt-BR"]!.text("language.inSentence.pt-BR") == "em português")
        #expect(try set.catalogs["ru"]!.text("language.inSentence.ru") == "на русском языке")
        #expect(try set.catalogs["en"]!.text("language.inSentence.es") == "in Spanish")
    }

    @Test func aMissingInSentenceNameIsAProblem() throws {
        let dir = try copyOfLocales()
        defer { try? FileManager.default.removeItem(at: dir) }
        for tag in ["en"] + Self.translated {
            let url = dir.appendingPathComponent("\(tag).json")
            let file = try String(contentsOf: url, encoding: .utf8)
            let kept = file.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("\"language.inSentence.ko\": \"") }
            try Data(kept.joined(separator: "\n").utf8).write(to: url)
        }
        let set = try LocaleSet(directory: dir)
        #expect(set.problems().contains("es: no in-sentence name for ko (language.inSentence.ko)"))
        #expect(set.problems().contains("en: no in-sentence name for ko (language.inSentence.ko)"))
    }
}
