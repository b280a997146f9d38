import Foundation
import Templating
import Testing

@testable import CaresDocuments

/// `caredocs translations export|import` end to end, as processes, with translate-toolkit in the
/// middle as a translator would use it: export → `xliff2po` → msgstr filled in the PO →
/// `po2xliff -t original.xlf` → import with a reviewer → the official copy in the family's
/// language renders, and `pdftotext` shows the translations.
@Suite(.serialized) final class TranslationsCommandTests {
    let directory: URL

    init() throws {
        directory = DocTest.temporaryFile("translations")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appending(path: name).path(percentEncoded: false) }

    var database: String { path("caredocs.sqlite") }

    func caredocs(_ arguments: [String]) throws -> DocTest.ProcessResult {
        let binary = try #require(
            DocTest.caredocsBinary,
            "caredocs is not built beside the tests (swift build --build-tests builds it)"
        )
        return try DocTest.run(binary.path(percentEncoded: false), arguments, in: directory)
    }

    /// Writes a record file and imports it into the test database.
    func store(_ json: Data, as name: String) throws -> String {
        let file = path(name)
        try json.write(to: URL(filePath: file))
        let result = try caredocs(["queue", "import", "--database", database, file])
        try #require(result.status == 0, "queue import: \(result.stderr)")
        return file
    }

    /// export → xliff2po → fill → po2xliff -t → import --reviewer; returns the import's output.
    @discardableResult
    func roundTrip(
        record: String,
        language: String,
        translations: [String: String],
        name: String
    ) throws -> DocTest.ProcessResult {
        let xlf = path("\(name).xlf")
        let export = try caredocs([
            "translations", "export", record, "--language", language, "--output", xlf, "--database", database,
        ])
        try #require(export.status == 0, "export: \(export.stderr)")
        // The file is XLIFF 1.2 our reader reads back.
        let exported = try XLIFFReader.read(Data(contentsOf: URL(filePath: xlf)))
        #expect(exported.files.first?.targetLanguage == language)

        let back = try TranslateToolkit.throughPO(xlf, .fillEmpty, translations)

        let result = try caredocs([
            "translations", "import", back, "--translator", "Translator A", "--reviewer", "Reviewer B", "--db",
            database,
        ])
        #expect(result.status == 0, "import: \(result.stderr)")
        #expect(result.stdout.contains("saved"), "\(result.stdout)")
        #expect(result.stdout.contains("0 drafted"), "\(result.stdout)")
        return result
    }

    /// A record JSON where every translation object into `language` is dropped (objects become
    /// the content language's plain string), and what was dropped: source → translation.
    static func withoutTranslations(
        _ data: Data,
        _ language: String,
        content: String
    ) throws -> (json: Data, dropped: [String: String]) {
        var dropped: [String: String] = [:]
        let tags = Set(SupportedLanguage.supportedTags)
        func walk(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                if !object.isEmpty, object.keys.allSatisfy(tags.contains), let source = object[content] as? String {
                    if let t = object[language] as? String { dropped[source] = t }
                    var rest = object
                    rest[language] = nil
                    return rest.count == 1 ? source : rest
                }
                return object.mapValues(walk)
            }
            if let array = value as? [Any] { return array.map(walk) }
            return value
        }
        let json = walk(try JSONSerialization.jsonObject(with: data))
        return (try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), dropped)
    }

    /// Renders the official copy; exit 0 and the PDF's text.
    func renderOfficial(_ kind: String, recordId: String, recordFile: String, language: String) throws -> String {
        let pdf = path("\(recordId)-\(kind)-\(language).pdf")
        let result = try caredocs(
            renderArguments(kind, recordId: recordId, recordFile: recordFile, pdf: pdf, language: language)
        )
        try #require(result.status == 0, "the official \(language) \(kind) was refused: \(result.stderr)")
        return try DocTest.pdfText(Data(contentsOf: URL(filePath: pdf)))
    }

    func renderArguments(
        _ kind: String,
        recordId: String,
        recordFile: String,
        pdf: String,
        language: String
    ) -> [String] {
        ["render", kind, recordFile, "--language", language, "--output", pdf, "--db", database]
    }

    // MARK: The three languages

    @Test func khmerContentIntoEnglishForTheEmergencyPlan() throws {
        try #require(TranslateToolkit.available, TranslateToolkit.notInstalled)
        let file = try store(try Fixtures.record("sok-v2-km.json"), as: "sok.json")
        let before = try caredocs([
            "render", "emergency-plan", file, "--language", "en", "--output", path("refused.pdf"),
        ])
        #expect(before.status == 1, "the English copy needs translations first")
        let translations = [
            "ជំងឺបេះដូងពីកំណើត": "Congenital heart disease",
            "ដកដង្ហើមចូល": "Inhaled",
            "ពីរដងក្នុងមួយថ្ងៃ": "Twice a day",
            "ម៉ាស៊ីនបាញ់ថ្នាំ (nebulizer)": "Nebulizer machine",
        ]
        let imported = try roundTrip(record: "CR-2026-000321", language: "en", translations: translations, name: "sok")
        #expect(imported.stdout.contains("CR-2026-000321 km→en"))
        let text = try renderOfficial("emergency-plan", recordId: "CR-2026-000321", recordFile: file, language: "en")
        for english in translations.values {
            #expect(DocTest.containsData(text, english), "\(english) not in the English emergency plan")
        }
    }

    @Test func englishContentIntoVietnamese() throws {
        try #require(TranslateToolkit.available, TranslateToolkit.notInstalled)
        let file = try store(try Fixtures.record("nguyen-v2-vi.json"), as: "nguyen.json")
        let translations = [
            "Epilepsy with focal seizures": "Động kinh với cơn co giật cục bộ",
            "By mouth": "Uống",
            "Twice a day, morning and evening": "Hai lần mỗi ngày, sáng và tối",
            "Prevents seizures": "Ngăn ngừa co giật",
            "Nasal": "Xịt mũi",
            "For a seizure longer than 5 minutes": "Khi cơn co giật kéo dài hơn 5 phút",
            "Stops a long seizure": "Cắt cơn co giật kéo dài",
            "Hives & swelling of the lips": "Nổi mề đay & sưng môi",
            "Please call a Vietnamese interpreter: \"Tiếng Việt\".": "Vui lòng gọi thông dịch viên \"Tiếng Việt\".",
            "Keep the lights dim after a seizure.": "Giữ đèn mờ sau cơn co giật.",
            "Seizure alarm watch": "Đồng hồ báo động co giật",
            "Talks and walks normally; tired for about 1 hour after a seizure.":
                "Nói và đi lại bình thường; mệt khoảng 1 giờ sau cơn co giật.",
            "Mother": "Mẹ",
            "Pediatric neurology": "Thần kinh nhi khoa",
        ]
        // By file path this time: the record is read from the file, the memory from the database.
        let imported = try roundTrip(record: file, language: "vi", translations: translations, name: "nguyen")
        #expect(imported.stdout.contains("CR-2026-000654 en→vi: \(translations.count + 1) saved"), "\(imported.stdout)")
        let text = try renderOfficial("emergency-plan", recordId: "CR-2026-000654", recordFile: file, language: "vi")
        for vietnamese in [
            "Động kinh với cơn co giật cục bộ", "Hai lần mỗi ngày, sáng và tối", "Nổi mề đay & sưng môi",
        ] {
            #expect(DocTest.containsData(text, vietnamese), "\(vietnamese) not in the Vietnamese emergency plan")
        }

        // Importing the same file again changes nothing.
        let again = try caredocs([
            "translations", "import", path("nguyen.back.xlf"), "--reviewer", "Reviewer B", "--database", database,
        ])
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 saved"), "\(again.stdout)")
        #expect(again.stdout.contains("\(translations.count + 1) unchanged"), "\(again.stdout)")
    }

    @Test func englishContentIntoArabic() throws {
        try #require(TranslateToolkit.available, TranslateToolkit.notInstalled)
        let (json, arabic) = try Self.withoutTranslations(
            try Fixtures.record("haddad-v2-ar.json"),
            "ar",
            content: "en"
        )
        #expect(arabic.count > 10)
        let file = try store(json, as: "haddad.json")
        let before = try caredocs([
            "render", "aftercare-plan", file, "--language", "ar", "--output", path("refused.pdf"),
        ])
        #expect(before.status == 1, "the Arabic copy needs translations first")
        try roundTrip(record: "CR-2025-000042-AR", language: "ar", translations: arabic, name: "haddad")
        let text = try renderOfficial("aftercare-plan", recordId: "CR-2025-000042-AR", recordFile: file, language: "ar")
        for phrase in ["الغدد الصماء", "دعم ممرضة المدرسة لمرض السكري"] {
            #expect(DocTest.containsData(text, phrase), "\(phrase) not in the Arabic aftercare plan")
        }
    }

    // MARK: Refusals

    @Test func importIsRefusedAfterTheRecordsSourceChanged() throws {
        try #require(TranslateToolkit.available, TranslateToolkit.notInstalled)
        let original = try Fixtures.record("nguyen-v2-vi.json")
        _ = try store(original, as: "nguyen.json")
        let xlf = path("nguyen.xlf")
        let export = try caredocs([
            "translations", "export", "CR-2026-000654", "--language", "vi", "--output", xlf, "--database", database,
        ])
        try #require(export.status == 0, "export: \(export.stderr)")
        var document = try XLIFFReader.read(Data(contentsOf: URL(filePath: xlf)))
        for u in document.files[0].units.indices where document.files[0].units[u].translatedText == nil {
            document.files[0].units[u].target = XLIFFText("VI " + document.files[0].units[u].source.plainText)
        }
        try XLIFFWriter.data(document).write(to: URL(filePath: xlf))

        // A new version of the record changes one passage and drops another.
        let changed = String(decoding: original, as: UTF8.self)
            .replacingOccurrences(of: "Seizure alarm watch", with: "Seizure alarm watch and bed sensor")
            .replacingOccurrences(of: ", \"Keep the lights dim after a seizure.\"", with: "")
        _ = try store(Data(changed.utf8), as: "nguyen-2.json")

        let result = try caredocs(["translations", "import", xlf, "--reviewer", "Reviewer B", "--database", database])
        #expect(result.status == 1)
        #expect(result.stderr.contains("refused, nothing saved"), "\(result.stderr)")
        #expect(
            result.stderr.contains("emergency.devices[0]: the source text changed since export"),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("emergency.accommodations[1]: the passage no longer exists"), "\(result.stderr)")
        #expect(!result.stderr.contains("Seizure alarm"), "no record text in the messages")

        // All or nothing: the unchanged passages were not saved either.
        let reexport = try caredocs([
            "translations", "export", "CR-2026-000654", "--language", "vi", "--output", path("again.xlf"), "--database",
            database,
        ])
        #expect(reexport.status == 0)
        #expect(reexport.stdout.contains("0 from the memory"), "\(reexport.stdout)")
    }

    /// A record file exported with no database around creates none; its import checks against
    /// `--record FILE` and saves into the database named then.
    @Test func aRecordFileWithoutAStoredRecord() throws {
        let file = path("nguyen.json")
        try Fixtures.record("nguyen-v2-vi.json").write(to: URL(filePath: file))
        let xlf = path("file.xlf")
        let export = try caredocs(["translations", "export", file, "--language", "vi", "--output", xlf])
        try #require(export.status == 0, "export: \(export.stderr)")
        #expect(export.stdout.contains("15 units (1 from the record, 0 from the memory, 14 to translate)"))
        #expect(!FileManager.default.fileExists(atPath: path("caredocs.sqlite")), "export created a database")

        var document = try XLIFFReader.read(Data(contentsOf: URL(filePath: xlf)))
        document.files[0].units[0].target = XLIFFText("Thần kinh nhi khoa")
        try XLIFFWriter.data(document).write(to: URL(filePath: xlf))
        let stored = try caredocs(["translations", "import", xlf, "--database", database])
        #expect(stored.status == 1, "the record is not in the database")
        #expect(stored.stderr.contains("no record CR-2026-000654 in the database"), "\(stored.stderr)")
        let imported = try caredocs(["translations", "import", xlf, "--record", file, "--database", database])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stdout.contains("2 saved (0 reviewed, 2 drafted), 0 unchanged, 13 untranslated"),
            "\(imported.stdout)"
        )
    }

    @Test func placeholderMismatchAndMalformedFilesAreRefused() throws {
        _ = try store(try Fixtures.record("nguyen-v2-vi.json"), as: "nguyen.json")
        let xlf = path("nguyen.xlf")
        let export = try caredocs([
            "translations", "export", "CR-2026-000654", "--language", "vi", "--output", xlf, "--database", database,
        ])
        try #require(export.status == 0, "export: \(export.stderr)")
        var document = try XLIFFReader.read(Data(contentsOf: URL(filePath: xlf)))
        let i = try #require(document.files[0].units.firstIndex { $0.id == "emergency.baseline" })
        document.files[0].units[i].target = "Bình thường {tên}"
        try XLIFFWriter.data(document).write(to: URL(filePath: xlf))
        let result = try caredocs(["translations", "import", xlf, "--database", database])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("emergency.baseline: placeholder {tên} in the target is not in the source"),
            "\(result.stderr)"
        )

        try Data("<xliff version=\"1.2\"><file original=\"x\" source-language=\"en\"><body><trans-unit id=\"u\">".utf8)
            .write(to: URL(filePath: path("broken.xlf")))
        let broken = try caredocs(["translations", "import", path("broken.xlf"), "--database", database])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.xlf: "), "\(broken.stderr)")
        #expect(broken.stderr.contains("line 1"), "\(broken.stderr)")

        let wrong = try caredocs([
            "translations", "export", "CR-2026-000654", "--language", "xx", "--output", path("x.xlf"), "--database",
            database,
        ])
        #expect(wrong.status == 1)
        let same = try caredocs([
            "translations", "export", "CR-2026-000654", "--language", "en", "--output", path("x.xlf"), "--database",
            database,
        ])
        #expect(same.status == 1)
        #expect(same.stderr.contains("nothing to translate"), "\(same.stderr)")
    }
}
