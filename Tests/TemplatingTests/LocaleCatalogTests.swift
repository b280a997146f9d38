import Foundation
import Testing

@testable import Templating

@Suite struct LocaleCatalogTests {
    func write(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("locales-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, body) in files { try Data(body.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    func catalog(_ tag: String, _ messages: [String: String], months: Int = 12) -> String {
        let m = (1...months).map { "\"M\($0)\"" }.joined(separator: ",")
        let msgs = messages.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ",")
        return
            #"{"locale":"\#(tag)","name":"\#(tag)","englishName":"\#(tag)","direction":"ltr","status":"drafted","months":[\#(m)],"datePattern":"{day} {month} {year}","messages":{\#(msgs)}}"#
    }

    @Test func completeCatalogsHaveNoProblems() throws {
        let dir = try write([
            "en.json": catalog(
                "en",
                [
                    "greeting": "Dear {name},", "due": "Due {date}", "language.inSentence.en": "in English",
                    "language.inSentence.es": "in Spanish",
                ]
            ),
            "es.json": catalog(
                "es",
                [
                    "greeting": "Estimado/a {name}:", "due": "Vence el {date}", "language.inSentence.en": "en inglés",
                    "language.inSentence.es": "en español",
                ]
            ),
        ])
        #expect(try LocaleSet(directory: dir).problems().isEmpty)
    }

    @Test func reportsMissingExtraAndPlaceholderMismatches() throws {
        let dir = try write([
            "en.json": catalog("en", ["greeting": "Dear {name},", "due": "Due {date}"]),
            "es.json": catalog("es", ["greeting": "Estimado/a {nombre}:", "extra": "x"], months: 11),
        ])
        let problems = try LocaleSet(directory: dir).problems()
        #expect(problems.contains("es: missing key due"))
        #expect(problems.contains("es: extra key extra (not in English)"))
        #expect(problems.contains { $0.hasPrefix("es: greeting: placeholders") })
        #expect(problems.contains("es: 11 month names, want 12"))
    }

    @Test func fillsPlaceholdersAndFormatsDates() throws {
        let c = try JSONDecoder().decode(
            LocaleCatalog.self,
            from: Data(catalog("es", ["greeting": "Hola {name}, {name}"]).utf8)
        )
        #expect(try c.text("greeting", ["name": "Ana"]) == "Hola Ana, Ana")
        #expect(throws: LocaleError.self) { try c.text("missing") }
        #expect(c.format(year: 2026, month: 3, day: 5) == "5 M3 2026")
    }
}

/// The project's own catalogs (`Locales/`): complete, the same keys and placeholders as English,
/// and each says whether a qualified translator reviewed it (what `caredocs locales check` checks).
@Suite struct ProjectLocalesTests {
    static let locales = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Locales")
        .standardized

    @Test func everyCatalogIsComplete() throws {
        let set = try LocaleSet(directory: Self.locales)
        #expect(set.catalogs.count >= 13)
        for tag in ["en", "es", "pt-BR", "ht", "vi", "kea", "zh-Hans", "zh-Hant", "ar", "km", "fr", "ko", "ru"] {
            #expect(set.catalogs[tag] != nil, "no catalog for \(tag)")
        }
        let problems = set.problems()
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func taglinesCoverNineteenLanguages() throws {
        let t = try Taglines.load(Self.locales)
        #expect(Set(t.taglines.map(\.language)).count >= 19)
        for line in t.taglines { #expect(line.text.contains("{phone}"), "\(line.language)") }
    }
}

/// The mechanical writing checks of `caredocs locales check` (`LocaleLint`).
@Suite struct LocaleLintTests {
    private func catalog(
        _ locale: String,
        datePattern: String = "{day} {month} {year}",
        _ messages: [String: String]
    )
        throws -> LocaleCatalog
    {
        let json: [String: Any] = [
            "locale": locale, "name": locale, "englishName": locale, "direction": locale == "ar" ? "rtl" : "ltr",
            "status": "drafted", "months": (1...12).map { "m\($0)" }, "datePattern": datePattern,
            "messages": messages,
        ]
        return try JSONDecoder().decode(LocaleCatalog.self, from: JSONSerialization.data(withJSONObject: json))
    }

    @Test func theProjectCatalogsPass() throws {
        let set = try LocaleSet(directory: ProjectLocalesTests.locales)
        for tag in set.catalogs.keys.sorted() {
            #expect(LocaleLint.problems(set.catalogs[tag]!).isEmpty, "\(LocaleLint.problems(set.catalogs[tag]!))")
        }
    }

    @Test func aFullStopAfterADateThatEndsInOne() throws {
        let bad = try catalog("ru", datePattern: "{day} {month} {year} г.", ["a": "Подпишите до {date}."])
        #expect(LocaleLint.problems(bad).count == 1)
        let fine = try catalog("ru", datePattern: "{day} {month} {year} года", ["a": "Подпишите до {date}."])
        #expect(LocaleLint.problems(fine).isEmpty)
    }

    @Test func latinPunctuationInArabicAndKhmer() throws {
        #expect(LocaleLint.problems(try catalog("ar", ["a": "هل لديك سؤال?"])).count == 1)
        #expect(LocaleLint.problems(try catalog("ar", ["a": "مرحبا, كيف حالك؟"])).count == 1)
        #expect(LocaleLint.problems(try catalog("ar", ["a": "هل لديك سؤال؟ اتصل على 1-800-555-0100."])).isEmpty)
        #expect(LocaleLint.problems(try catalog("km", ["a": "នេះជាច្បាប់ចម្លង."])).count == 1)
        #expect(LocaleLint.problems(try catalog("km", ["a": "នេះជាច្បាប់ចម្លង។"])).isEmpty)
    }

    @Test func simplifiedAndTraditionalChinese() throws {
        #expect(LocaleLint.problems(try catalog("zh-Hant", ["a": "请签署本計劃。"])).count == 1)
        #expect(LocaleLint.problems(try catalog("zh-Hans", ["a": "請签署本计划。"])).count == 1)
        #expect(LocaleLint.problems(try catalog("zh-Hant", ["a": "請簽署本計劃。"])).isEmpty)
        #expect(LocaleLint.problems(try catalog("zh-Hans", ["a": "请签署本计划。"])).isEmpty)
    }
}
