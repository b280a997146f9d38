import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// Issue 14: every document is PDF/UA-1 and PDF/A-2u. Checked with tools that are not ours:
/// the `pdfua` checker (PyPI, the machine-checkable subset of PDF/UA-1) must find nothing, and
/// `scripts/pdf-structure.py` (pikepdf/qpdf) reads what the checker does not: the structure
/// tree (one `Table` per table, header cells with `/Scope`, every element reached once, every
/// marked-content id claimed), the content streams (nothing painted outside marked content),
/// XMP claims, the output intent, fonts and annotations.
@Suite struct ConformanceTests {
    static let languages: [SupportedLanguage] = [.english, .spanish, .arabic, .khmer, .traditionalChinese]

    struct Case: CustomStringConvertible {
        var name: String
        var kind: DocumentKind
        var language: SupportedLanguage
        var largePrint: Bool
        var record: String
        var description: String { name }
    }

    /// Every kind in the five languages, large print in each, and the translated v2 records.
    static var cases: [Case] {
        var cases: [Case] = []
        for kind in DocumentKind.available {
            for language in languages {
                for largePrint in [false, true] {
                    cases.append(
                        Case(
                            name: "\(kind.rawValue)-\(language.tag)\(largePrint ? "-large" : "")",
                            kind: kind,
                            language: language,
                            largePrint: largePrint,
                            record: "complete-all-kinds.json"
                        )
                    )
                }
            }
        }
        for (record, language) in [
            ("rivera-v2-es.json", SupportedLanguage.spanish), ("haddad-v2-ar.json", .arabic),
            ("sok-v2-km.json", .khmer),
        ] {
            for kind in DocumentKind.available {
                cases.append(
                    Case(
                        name: "\(kind.rawValue)-\(record)",
                        kind: kind,
                        language: language,
                        largePrint: false,
                        record: record
                    )
                )
            }
        }
        return cases
    }

    struct Rendered {
        var testCase: Case
        var document: Document
        var file: URL
    }

    /// Renders the cases whose record has what the kind requires, into one folder.
    static func renderAll() throws -> [Rendered] {
        let (rendered, redrawn) = try Engine.countingRedraws { try renderCases() }
        Self.redrawn = redrawn
        return rendered
    }

    static func renderCases() throws -> [Rendered] {
        let folder = DocTest.temporaryFile("conformance")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rendered: [Rendered] = []
        var records: [String: CareRecord] = [:]
        for testCase in cases {
            let record = try records[testCase.record] ?? DocTest.load(Fixtures.record(testCase.record))
            records[testCase.record] = record
            guard Requirements.check(testCase.kind, record).isEmpty else { continue }
            let document = try DocTest.document(
                testCase.kind,
                record,
                testCase.language,
                largePrint: testCase.largePrint
            )
            let result = try DocTest.engines.render(document)
            let file = folder.appending(path: "\(testCase.name).pdf")
            try result.pdf.write(to: file)
            rendered.append(Rendered(testCase: testCase, document: document, file: file))
        }
        return rendered
    }

    /// Documents of `renderAll` drawn a second time with Cairo's tags (their marked
    /// content did not add up, see `ContentMarks`).
    nonisolated(unsafe) static var redrawn = 0
    static let shared = Result { try renderAll() }

    /// Every document's marked content is written by the post-processor from the renderer's
    /// count of each drawing call's glyphs; none needed Cairo's tags (slower) instead.
    @Test func noDocumentIsDrawnTwice() throws {
        _ = try Self.shared.get()
        #expect(Self.redrawn == 0)
    }

    /// `pdfua check` on every document: no error, no warning.
    @Test func thePDFUACheckerFindsNothing() throws {
        let rendered = try Self.shared.get()
        #expect(rendered.count >= DocumentKind.available.count * Self.languages.count * 2)
        let result = try DocTest.run(
            "/usr/bin/env",
            ["pdfua", "check", "--format", "json"] + rendered.map(\.file.path)
        )
        let findings = try Self.findings(result.stdout)
        for item in rendered {
            let mine = findings[item.file.path] ?? []
            #expect(mine.isEmpty, "\(item.testCase): \(mine.joined(separator: "; "))")
        }
        #expect(result.status == 0, "pdfua exit \(result.status): \(result.stderr.prefix(400))")
    }

    /// `qpdf --check` on every document (the incremental update with rewritten streams).
    @Test func qpdfFindsNothingWrong() throws {
        for item in try Self.shared.get() {
            let check = try DocTest.run("/usr/bin/qpdf", ["--check", item.file.path])
            #expect(check.status == 0, "\(item.testCase): \(check.stdout.suffix(300)) \(check.stderr.prefix(300))")
        }
    }

    /// The checker's JSON (one object per file, written one after another): findings (rule,
    /// severity, message) per file.
    static func findings(_ json: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for object in splitObjects(json) {
            guard let report = try JSONSerialization.jsonObject(with: Data(object.utf8)) as? [String: Any] else {
                continue
            }
            let file = report["file"] as? String ?? "?"
            let list = report["findings"] as? [[String: Any]] ?? []
            out[file, default: []] += list.map { finding in
                [finding["rule_id"], finding["severity"], finding["location"], finding["message"]]
                    .compactMap { $0.map { "\($0)" } }.joined(separator: " ")
            }
        }
        return out
    }

    /// Top-level JSON objects written back to back.
    static func splitObjects(_ text: String) -> [String] {
        var objects: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        for character in text {
            if depth > 0 || character == "{" { current.append(character) }
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            switch character {
            case "\"": inString = depth > 0
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 {
                    objects.append(current)
                    current = ""
                }
            default: break
            }
        }
        return objects
    }

    /// Tables in a document (key-value grids are tables too), in any nesting.
    static func tableCount(_ blocks: [Block]) -> Int {
        blocks.reduce(0) { count, block in
            switch block {
            case .table(let table):
                return count + 1
                    + (table.headerRows + table.rows).flatMap { $0 }.map { tableCount($0.blocks) }.reduce(0, +)
            case .keyValue: return count + 1
            case .list(let list): return count + list.items.map(tableCount).reduce(0, +)
            case .callout(let callout): return count + tableCount(callout.blocks)
            case .frame(let frame): return count + tableCount(frame.blocks)
            case .keepTogether(let inner): return count + tableCount(inner)
            case .sharedPage(let shared): return count + tableCount(shared.blocks)
            default: return count
            }
        }
    }

    struct ScriptFailed: Error, CustomStringConvertible { var description: String }

    static func structureReports(_ rendered: [Rendered]) throws -> [String: [String: Any]] {
        let result = try DocTest.run("/usr/bin/env", ["python3", script] + rendered.map(\.file.path))
        guard result.status == 0 else {
            throw ScriptFailed(description: "pdf-structure.py: \(result.stderr.prefix(400))")
        }
        var reports: [String: [String: Any]] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard let report = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let file = report["file"] as? String
            else { continue }
            reports[file] = report
        }
        return reports
    }

    /// What the checker does not cover, read from the structure tree and content streams.
    @Test func theStructureTreeAndContentStreamsHoldTogether() throws {
        let rendered = try Self.shared.get()
        let reports = try Self.structureReports(rendered)
        for item in rendered {
            let name = item.testCase.name
            let report = try #require(reports[item.file.path], "\(name): no report")
            #expect(report["error"] == nil, "\(name): \(report["error"] ?? "")")
            #expect(report["tagged"] as? Bool == true, "\(name)")
            for key in [
                "untaggedPaint", "reachedTwice", "wrongParent", "nullKids", "mcidsUnclaimed", "mcidsClaimedTwice",
            ] {
                #expect(report[key] as? Int == 0, "\(name): \(key) = \(report[key] ?? "nil")")
            }
            let tables = report["tables"] as? [[String: Any]] ?? []
            #expect(tables.count == Self.tableCount(item.document.blocks), "\(name): \(tables.count) Table elements")
            for (index, table) in tables.enumerated() {
                #expect((table["th"] as? Int ?? 0) > 0, "\(name): table \(index + 1) has no header cell")
                #expect(table["thWithoutScope"] as? Int == 0, "\(name): table \(index + 1) has TH without /Scope")
            }
            // The language-help page's taglines are each in their own language (PDF/UA-1 §7.2).
            if [DocumentKind.enrollmentLetter, .terminationLetter].contains(item.testCase.kind) {
                let languages = report["elementLanguages"] as? [String: Int] ?? [:]
                #expect(languages.count >= 15, "\(name): elements in other languages: \(languages.keys.sorted())")
                #expect(languages[item.document.language] == nil, "\(name): /Lang repeats the document's language")
            }
            let pages = report["pages"] as? Int ?? 0
            if item.document.footer != nil {
                #expect(
                    (report["paginationArtifacts"] as? Int ?? 0) >= pages,
                    "\(name): footers are not pagination artifacts"
                )
            }
        }
    }

    /// XMP claims both standards, with the document's title and language; sRGB output intent;
    /// fonts embedded with ToUnicode; annotations printable, described, in structure tab order.
    @Test func metadataFontsAndAnnotationsMeetPDFA() throws {
        let rendered = try Self.shared.get()
        let reports = try Self.structureReports(rendered)
        for item in rendered {
            let name = item.testCase.name
            let report = try #require(reports[item.file.path], "\(name): no report")
            let xmp = report["xmp"] as? [String: Any] ?? [:]
            #expect(xmp["pdfuaid:part"] as? String == "1", "\(name)")
            #expect(xmp["pdfaid:part"] as? String == "2", "\(name)")
            #expect(xmp["pdfaid:conformance"] as? String == "U", "\(name)")
            #expect(xmp["dc:title"] as? String == item.document.metadata.title, "\(name)")
            #expect(xmp["dc:language"] as? String == item.document.language, "\(name)")
            #expect(report["lang"] as? String == item.document.language, "\(name)")
            #expect(report["displayDocTitle"] as? Bool == true, "\(name)")
            #expect(report["encrypted"] as? Bool == false, "\(name)")
            #expect(report["trailerID"] as? Bool == true, "\(name)")
            let intents = report["outputIntents"] as? [[String: Any]] ?? []
            #expect(intents.count == 1, "\(name)")
            #expect(intents.first?["S"] as? String == "GTS_PDFA1", "\(name)")
            #expect(intents.first?["components"] as? Int == 3, "\(name)")
            #expect(intents.first?["profileBytes"] as? Int == 6922, "\(name)")
            let fonts = report["fonts"] as? [String: [String: Bool]] ?? [:]
            #expect(!fonts.isEmpty, "\(name)")
            for (font, facts) in fonts {
                #expect(facts["embedded"] == true, "\(name): \(font) not embedded")
                #expect(facts["toUnicode"] == true, "\(name): \(font) has no ToUnicode")
                #expect(facts["cidToGIDMap"] == true, "\(name): \(font) has no /CIDToGIDMap")
            }
            for annotation in report["annotations"] as? [[String: Any]] ?? [] {
                #expect(annotation["print"] as? Bool == true, "\(name): \(annotation)")
                #expect(annotation["contents"] as? Bool == true, "\(name): \(annotation)")
            }
            #expect(report["pagesWithAnnotationsWithoutTabs"] as? Int == 0, "\(name)")
        }
    }

    /// The order a screen reader follows: the structure tree's text, read by
    /// `scripts/pdf-structure.py --reading-order` (pikepdf; ToUnicode and ActualText as assistive
    /// technology reads them), for an Arabic and a Khmer document: every paragraph in document
    /// order, each in logical order (numbers and Latin names inside Arabic where they are said),
    /// words kept apart across line breaks.
    @Test(arguments: [
        ("haddad-v2-ar.json", DocumentKind.aftercarePlan, SupportedLanguage.arabic),
        ("sok-v2-km.json", DocumentKind.enrollmentLetter, SupportedLanguage.khmer),
        ("haddad-v2-ar.json", DocumentKind.terminationLetter, SupportedLanguage.arabic),
        // Narrow table cells, wrapped at spaces. A break space drawn alone was sometimes dropped
        // by Cairo (a blank glyph paints nothing), and a screen reader read "Haitian
        // Creole(Kreyòl ayisyen)"; it is now drawn with the line's last run.
        ("complete-all-kinds.json", DocumentKind.emergencyPlan, SupportedLanguage.vietnamese),
        ("complete-all-kinds.json", DocumentKind.terminationLetter, SupportedLanguage.arabic),
        ("large-print.json", DocumentKind.carePlan, SupportedLanguage.traditionalChinese),
        ("large-print.json", DocumentKind.ccmNotice, SupportedLanguage.khmer),
    ])
    func screenReaderOrder(_ recordName: String, _ kind: DocumentKind, _ language: SupportedLanguage) throws {
        let record = try DocTest.load(Fixtures.record(recordName))
        let document = try DocTest.document(kind, record, language)
        let result = try DocTest.engines.render(document)
        let file = DocTest.temporaryFile("order.pdf")
        try result.pdf.write(to: file)
        let reading = try DocTest.run("/usr/bin/env", ["python3", Self.script, "--reading-order", file.path])
        #expect(reading.status == 0, "\(reading.stderr.prefix(300))")
        let said = try reading.stdout.split(separator: "\n").map { line -> String in
            let pair = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String] ?? []
            return DocTest.normalized(DocTest.stripIsolates(pair.last ?? ""))
        }
        let paragraphs = Self.paragraphTexts(document.blocks).map { DocTest.normalized(DocTest.stripIsolates($0)) }
            .filter { !$0.isEmpty }
        #expect(paragraphs.count >= 8)
        var cursor = 0
        for expected in paragraphs {
            guard let found = said[cursor...].firstIndex(of: expected) else {
                Issue.record(
                    "\(recordName) \(kind.rawValue): «\(expected)» is not read in order, whole and in logical order"
                )
                continue
            }
            cursor = found + 1
        }
    }

    static let script = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "../../scripts/pdf-structure.py").standardized.path

    /// The plain text of every paragraph and heading, in document order (frames first, as they
    /// are laid out first).
    static func paragraphTexts(_ blocks: [Block]) -> [String] {
        var out: [String] = []
        for block in blocks {
            switch block {
            case .paragraph(let paragraph): out.append(paragraph.spans.map(\.text).joined())
            case .heading(let heading): out.append(heading.spans.map(\.text).joined())
            case .list(let list): out += list.items.flatMap(paragraphTexts)
            case .callout(let callout): out += paragraphTexts(callout.blocks)
            case .frame(let frame): out += paragraphTexts(frame.blocks)
            case .keepTogether(let inner): out += paragraphTexts(inner)
            case .sharedPage(let shared): out += paragraphTexts(shared.blocks)
            case .table(let table):
                out += (table.headerRows + table.rows).flatMap { $0 }.flatMap { paragraphTexts($0.blocks) }
            default: break
            }
        }
        return out
    }
}
