import Foundation
import Testing

@testable import CaresDocuments

/// `caredocs render` as a process: exit codes, stderr, --json, no partial files, --bilingual,
/// embedded fonts. Uses the `caredocs` binary built beside the test bundle.
@Suite(.serialized) final class RenderCommandTests {
    let directory: URL

    init() throws {
        directory = DocTest.temporaryFile("cli")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func binary() throws -> URL {
        try #require(
            DocTest.caredocsBinary,
            "caredocs is not built beside the tests (swift build --build-tests builds it)"
        )
    }

    func caredocs(_ arguments: [String]) throws -> DocTest.ProcessResult {
        try DocTest.run(binary().path(percentEncoded: false), arguments, in: DocTest.projectRoot)
    }

    func record(_ name: String) -> String {
        name.hasPrefix("shared:")
            ? Fixtures.examplesDirectory.appending(path: String(name.dropFirst(7))).path(percentEncoded: false)
            : DocTest.projectRoot.appending(path: "Tests/CaresDocumentsTests/Records/\(name)").path(
                percentEncoded: false
            )
    }

    func path(_ name: String) -> String { directory.appending(path: name).path(percentEncoded: false) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    func qpdfCheck(_ file: String) throws -> DocTest.ProcessResult {
        try DocTest.run("/usr/bin/qpdf", ["--check", file])
    }

    /// The `/Lang` of the document catalog (`/Root` of the trailer).
    func language(of file: String) throws -> String? {
        let trailer = try DocTest.run("/usr/bin/qpdf", ["--show-object=trailer", file]).stdout
        guard let m = trailer.firstMatch(of: /\/Root (\d+) 0 R/) else { return nil }
        let root = try DocTest.run("/usr/bin/qpdf", ["--show-object=\(m.1)", file]).stdout
        return root.firstMatch(of: /\/Lang \(([^)]*)\)/).map { String($0.1) }
    }

    /// `pdffonts` rows: (name, embedded).
    func fonts(of file: String) throws -> [(String, Bool)] {
        let out = try DocTest.run("/usr/bin/pdffonts", [file])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        guard let rule = lines.firstIndex(where: { $0.hasPrefix("----") }) else { return [] }
        return lines[(rule + 1)...].map { line in
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            // name type… encoding emb sub uni object-id generation
            return (String(cols.first ?? ""), cols.count >= 5 && cols[cols.count - 5] == "yes")
        }
    }

    /// The binary under test is the one built with these tests (any --scratch-path), not a
    /// stale one elsewhere.
    @Test func testsTheBinaryBuiltBesideThem() throws {
        #expect(
            try binary().deletingLastPathComponent().standardizedFileURL
                == Bundle.module.bundleURL.deletingLastPathComponent().standardizedFileURL
        )
    }

    @Test(arguments: DocumentKind.allCases)
    func rendersAValidPDF(_ kind: DocumentKind) throws {
        let out = path("\(kind.rawValue).pdf")
        let r = try caredocs([
            "render", kind.rawValue, record("complete-all-kinds.json"), "--date", "2026-11-23", "--output", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains("wrote \(out)"))
        let data = try Data(contentsOf: URL(filePath: out))
        #expect(data.starts(with: Data("%PDF-".utf8)))
        let check = try qpdfCheck(out)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("No syntax or stream encoding errors"))
        let fonts = try fonts(of: out)
        #expect(!fonts.isEmpty)
        for (name, embedded) in fonts { #expect(embedded, "\(kind.rawValue): font \(name) not embedded") }
        // Letters in the family's language (Haitian Creole); the emergency plan and CCM notice in English.
        let lang = try language(of: out)
        #expect(lang == (kind.englishByDefaultInCLI ? "en" : "ht"), "\(kind.rawValue): /Lang \(lang ?? "none")")
    }

    @Test func refusedDocumentExitsOneWithOneLinePerProblemAndWritesNothing() throws {
        let out = path("termination.pdf")
        let r = try caredocs(["render", "termination-letter", record("shared:rivera-enrollment.json"), "--output", out])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(lines.count == 2, "\(r.stderr)")
        #expect(
            lines.contains {
                $0.hasPrefix("removal.date: required") && $0.contains("Member Removal of Assignment Procedures, C")
            }
        )
        #expect(
            lines.contains { $0.hasPrefix("removal.reason: required") && $0.contains("reason for the termination") }
        )
        #expect(!exists("termination.pdf"), "a refused document left a file")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path(percentEncoded: false)).isEmpty,
            "no temporary file either"
        )
    }

    @Test func refusedDocumentLeavesAPreviousFileUntouched() throws {
        let out = path("previous.pdf")
        let before = Data("%PDF-1.7 an earlier render, kept as it was\n".utf8)
        try before.write(to: URL(filePath: out))
        let r = try caredocs(["render", "aftercare-plan", record("shared:rivera-enrollment.json"), "--output", out])
        #expect(r.status == 1)
        #expect(try Data(contentsOf: URL(filePath: out)) == before)
        // The same for an invalid record.
        let invalid = try caredocs(["render", "enrollment-letter", record("invalid-types.json"), "--output", out])
        #expect(invalid.status == 1)
        #expect(try Data(contentsOf: URL(filePath: out)) == before)
    }

    @Test func refusalAsJSON() throws {
        let r = try caredocs([
            "render", "care-plan", record("shared:haddad-removal.json"), "--output", path("icp.pdf"), "--json",
        ])
        #expect(r.status == 1)
        let array = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [[String: Any]],
            "\(r.stderr)"
        )
        #expect(array.count == 8)
        for item in array {
            #expect(Set(item.keys) == ["path", "problem", "clause"], "\(item)")
            #expect((item["clause"] as? String)?.hasPrefix("The Individual Care Plan (ICP)") == true)
        }
        let paths = Set(array.compactMap { $0["path"] as? String })
        #expect(
            paths == [
                "healthSummary", "currentServices", "goals", "education", "socialNeeds", "strengths", "transitions",
                "carePlanApproval",
            ]
        )
        #expect(r.stdout.isEmpty)
        #expect(!exists("icp.pdf"))
    }

    @Test func invalidRecordExitsOne() throws {
        let r = try caredocs(["render", "enrollment-letter", record("invalid-types.json"), "--output", path("x.pdf")])
        #expect(r.status == 1)
        #expect(!r.stderr.isEmpty)
        #expect(!exists("x.pdf"))
        let json = try caredocs([
            "render", "enrollment-letter", record("invalid-missing-required.json"), "--output", path("x.pdf"), "--json",
        ])
        #expect(json.status == 1)
        let array = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [[String: Any]],
            "\(json.stderr)"
        )
        #expect(!array.isEmpty && array.allSatisfy { $0["path"] is String && $0["problem"] is String })
        #expect(!exists("x.pdf"))
    }

    @Test func otherFailuresExitTwo() throws {
        let unknown = try caredocs([
            "render", "birthday-card", record("complete-all-kinds.json"), "--output", path("x.pdf"),
        ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown document kind 'birthday-card'"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("enrollment-letter"), "the message lists the kinds")
        let missing = try caredocs([
            "render", "enrollment-letter", path("no-such-record.json"), "--output", path("x.pdf"),
        ])
        #expect(missing.status == 2, "\(missing.stderr)")
        let language = try caredocs([
            "render", "enrollment-letter", record("complete-all-kinds.json"), "--language", "tlh", "--output",
            path("x.pdf"),
        ])
        #expect(language.status == 2)
        #expect(language.stderr.contains("unsupported language 'tlh'"))
        let unwritable = try caredocs([
            "render", "enrollment-letter", record("complete-all-kinds.json"), "--output", path("no/such/folder/x.pdf"),
        ])
        #expect(unwritable.status == 2, "\(unwritable.stderr)")
        #expect(!exists("x.pdf"))
    }

    @Test func bilingualWritesOnePDFPerLanguageEachWithItsLang() throws {
        let out = path("plan.pdf")
        let r = try caredocs([
            "render", "care-plan", record("shared:rivera-enrollment.json"), "--bilingual", "--date", "2026-11-23",
            "--output", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!exists("plan.pdf"), "--bilingual writes FILE.en.pdf and FILE.es.pdf, not FILE.pdf")
        for (file, lang, words) in [
            ("plan.en.pdf", "en", "Individual Care Plan"), ("plan.es.pdf", "es", "Plan de Atención Individual"),
        ] {
            #expect(exists(file), "\(file)")
            guard exists(file) else { continue }
            #expect(try language(of: path(file)) == lang, "\(file)")
            #expect(try qpdfCheck(path(file)).status == 0)
            let text = try DocTest.pdfText(Data(contentsOf: URL(filePath: path(file))))
            let title = lang == "en" ? words : try DocTest.catalog(.spanish).text("icp.title")
            #expect(text.contains(title), "\(file): \(title)")
            for (name, embedded) in try fonts(of: path(file)) { #expect(embedded, "\(file): \(name)") }
        }
    }

    @Test func bilingualEmergencyPlanForAnArabicFamily() throws {
        let out = path("emergency.pdf")
        let r = try caredocs([
            "render", "emergency-plan", record("shared:haddad-removal.json"), "--bilingual", "--output", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try language(of: path("emergency.en.pdf")) == "en")
        #expect(try language(of: path("emergency.ar.pdf")) == "ar")
    }

    @Test func largePrintFlag() throws {
        let out = path("large.pdf")
        let r = try caredocs([
            "render", "enrollment-letter", record("shared:rivera-enrollment.json"), "--large-print", "--output", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("warning:"), "\(r.stdout)")
        #expect(try qpdfCheck(out).status == 0)
    }
}

extension DocumentKind {
    /// The CLI's default language: English for clinicians' documents (RecordCommands.swift).
    var englishByDefaultInCLI: Bool { self == .emergencyPlan || self == .ccmNotice }
}
