import Foundation
import Templating
import Testing
import Typesetting

@testable import CaresDocuments

/// Shared by the document tests: the project's renderer, the example records, engines, PDF text
/// and processes (pdftotext, qpdf, pdffonts, the caredocs binary).
enum DocTest {
    static let projectRoot = URL(filePath: #filePath)
        .deletingLastPathComponent()  // Support
        .appending(path: "../../..")
        .standardized

    /// The letter date every test prints (America/New_York calendar day).
    static let letterDate = CalendarDate(year: 2026, month: 11, day: 23)!

    private static let sharedRenderer: Result<DocumentRenderer, any Error> = Result(catching: {
        try DocumentRenderer(
            templates: projectRoot.appending(path: "Templates"),
            locales: projectRoot.appending(path: "Locales")
        )
    })

    /// One renderer for the whole suite (it is `Sendable` and holds only parsed templates and
    /// catalogs).
    static func renderer() throws -> DocumentRenderer { try sharedRenderer.get() }

    static func catalog(_ language: SupportedLanguage) throws -> LocaleCatalog {
        try #require(try renderer().locales.catalogs[language.tag], "no catalog for \(language.tag)")
    }

    static func options(_ language: SupportedLanguage = .english, largePrint: Bool = false) -> DocumentRenderer.Options
    {
        .init(language: language, largePrint: largePrint, letterDate: letterDate)
    }

    static func document(
        _ kind: DocumentKind,
        _ record: CareRecord,
        _ language: SupportedLanguage = .english,
        largePrint: Bool = false
    ) throws -> Document {
        try renderer().document(kind, record: record, options: options(language, largePrint: largePrint))
    }

    /// The refusal of `kind` for `record`, or a recorded issue when it renders.
    static func refusal(
        _ kind: DocumentKind,
        _ record: CareRecord,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> DocumentRefusal? {
        do {
            _ = try document(kind, record)
            Issue.record("\(kind.rawValue) rendered, but it should have been refused", sourceLocation: sourceLocation)
            return nil
        } catch let refusal as DocumentRefusal {
            return refusal
        }
    }

    // MARK: Records

    static func load(_ data: Data) throws -> CareRecord {
        try CareRecordLoader.load(data: data).get()
    }

    static func rivera() throws -> CareRecord { try load(Fixtures.example("rivera-enrollment.json")) }
    static func haddad() throws -> CareRecord { try load(Fixtures.example("haddad-removal.json")) }
    /// Complete for every kind: all ICP parts, a removal, approval pending, enrolled in CCM.
    static func complete() throws -> CareRecord { try load(Fixtures.record("complete-all-kinds.json")) }
    static func largePrint() throws -> CareRecord { try load(Fixtures.record("large-print.json")) }
    static func allergiesNotStated() throws -> CareRecord { try load(Fixtures.record("allergies-not-stated.json")) }

    // MARK: Rendering

    /// Engines are not thread-safe and take a while to load fonts: tests borrow one at a time.
    final class EnginePool: @unchecked Sendable {
        private let lock = NSLock()
        private var idle: [Engine] = []

        func render(_ document: Document) throws -> RenderResult {
            lock.lock()
            let reused = idle.popLast()
            lock.unlock()
            let engine = try reused ?? Engine()
            defer {
                lock.lock()
                idle.append(engine)
                lock.unlock()
            }
            return try engine.render(document)
        }
    }

    static let engines = EnginePool()

    struct Rendered {
        var document: Document
        var pdf: Data
        var report: RenderReport
        /// `pdftotext` of the whole PDF; pages are separated by form feeds.
        var text: String

        var pages: [String] {
            var pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
            if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
            return pages
        }
    }

    static func render(_ document: Document) throws -> Rendered {
        let result = try engines.render(document)
        return Rendered(document: document, pdf: result.pdf, report: result.report, text: try pdfText(result.pdf))
    }

    static func render(
        _ kind: DocumentKind,
        _ record: CareRecord,
        _ language: SupportedLanguage = .english,
        largePrint: Bool = false
    ) throws -> Rendered {
        try render(document(kind, record, language, largePrint: largePrint))
    }

    // MARK: PDF tools

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appending(path: "doctests-\(UUID().uuidString)-\(name)")
    }

    /// The text of `pdf` (pages `first`…`last` when given) by poppler's `pdftotext`.
    static func pdfText(_ pdf: Data, first: Int? = nil, last: Int? = nil) throws -> String {
        let url = temporaryFile("text.pdf")
        try pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var args = ["-enc", "UTF-8"]
        if let first { args += ["-f", "\(first)"] }
        if let last { args += ["-l", "\(last)"] }
        let result = try run("/usr/bin/pdftotext", args + [url.path(percentEncoded: false), "-"])
        try #require(result.status == 0, "pdftotext failed: \(result.stderr)")
        return result.stdout
    }

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to the end; output goes through files (no pipe can fill up and block).
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> ProcessResult {
        let out = temporaryFile("stdout")
        let err = temporaryFile("stderr")
        FileManager.default.createFile(atPath: out.path(percentEncoded: false), contents: nil)
        FileManager.default.createFile(atPath: err.path(percentEncoded: false), contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let p = Process()
        p.executableURL = URL(filePath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        p.standardOutput = outHandle
        p.standardError = errHandle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return ProcessResult(
            status: p.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }

    // MARK: Text matching

    /// Whitespace runs as one space (lines of a paragraph or a cell joined).
    static func normalized(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Without any whitespace: robust to wrapping inside table cells ("godum@mvkc.example" / ".org").
    static func squashed(_ s: String) -> String {
        String(
            String.UnicodeScalarView(
                withoutFormatCharacters(s).unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }
            )
        )
    }

    /// Without the directional marks pdftotext puts around right-to-left and embedded runs
    /// (U+202A…U+202C) and any other format character.
    static func withoutFormatCharacters(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.properties.generalCategory != .format }))
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        squashed(text).contains(squashed(needle))
    }

    /// Record data in the text: as it is (whitespace aside), or, where table cells interleave
    /// their lines or right-to-left extraction moves the punctuation at the ends of a Latin
    /// run, every word of it.
    static func containsData(_ text: String, _ needle: String) -> Bool {
        if contains(text, needle) { return true }
        let trim = CharacterSet.punctuationCharacters.union(.symbols).union(.whitespaces)
        func words(_ s: String) -> [String] {
            s.split(whereSeparator: { $0.isWhitespace }).map { $0.trimmingCharacters(in: trim) }.filter { !$0.isEmpty }
        }
        let have = Set(words(withoutFormatCharacters(text)))
        let want = words(needle)
        return !want.isEmpty && want.allSatisfy(have.contains)
    }

    /// Languages whose extracted text is reordered or unspaced (RTL, Khmer, Chinese): word checks
    /// of catalog sentences are skipped there.
    static func extractionReorders(_ language: SupportedLanguage) -> Bool {
        [.arabic, .khmer, .simplifiedChinese, .traditionalChinese].contains(language)
    }

    /// The first words of the longest literal part of a catalog message (between placeholders).
    static func words(of message: String, count: Int = 4) -> String {
        var parts: [String] = []
        var current = ""
        var inPlaceholder = false
        for ch in message {
            if ch == "{" {
                inPlaceholder = true
                parts.append(current)
                current = ""
            } else if ch == "}" {
                inPlaceholder = false
            } else if !inPlaceholder {
                current.append(ch)
            }
        }
        parts.append(current)
        let longest = parts.max { $0.count < $1.count } ?? ""
        return longest.split(whereSeparator: { $0.isWhitespace }).prefix(count).joined(separator: " ")
    }

    /// Whole words that must never reach a document.
    static func leakedNulls(_ text: String) -> [String] {
        let words = Set(text.split(whereSeparator: { !$0.isLetter }).map(String.init))
        return ["null", "nil", "undefined", "NULL", "Optional"].filter(words.contains)
    }

    /// The last 8 characters of a phone number: "(978) 555-0142" → "555-0142" (RTL extraction may
    /// move the parentheses of the area code).
    static func phoneDigits(_ phone: String) -> String { String(phone.suffix(8)) }

    // MARK: Document tree

    /// The lines of the first frame (the #10 window).
    static func windowLines(_ doc: Document) -> [String]? {
        guard
            let frame = doc.blocks.compactMap({ b -> Frame? in
                if case .frame(let f) = b { return f } else { return nil }
            }).first
        else { return nil }
        return frame.blocks.compactMap { b -> String? in
            if case .paragraph(let p) = b { return stripIsolates(p.spans.map(\.text).joined()) } else { return nil }
        }
    }

    /// The text without bidi isolate controls (U+2066–U+2069), which record data is wrapped in.
    static func stripIsolates(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { !(0x2066...0x2069).contains($0.value) }))
    }

    static func windowFrame(_ doc: Document) -> Frame? {
        doc.blocks.compactMap({ b -> Frame? in if case .frame(let f) = b { return f } else { return nil } }).first
    }

    /// Every heading of the flow, with its level and whether it goes into the outline.
    static func headings(_ blocks: [Block]) -> [Heading] {
        var out: [Heading] = []
        for b in blocks {
            switch b {
            case .heading(let h): out.append(h)
            case .keepTogether(let inner): out += headings(inner)
            case .sharedPage(let shared): out += headings(shared.blocks)
            case .callout(let c): out += headings(c.blocks)
            case .frame(let f): out += headings(f.blocks)
            default: break
            }
        }
        return out
    }

    static func headingText(_ h: Heading) -> String { h.spans.map(\.text).joined() }

    // MARK: The caredocs binary

    /// The `caredocs` built beside this test bundle (works for `.build` and any `--scratch-path`),
    /// else `.build/debug/caredocs`.
    static var caredocsBinary: URL? {
        var candidates: [URL] = []
        candidates.append(Bundle.module.bundleURL.deletingLastPathComponent().appending(path: "caredocs"))
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(filePath: exe).deletingLastPathComponent().appending(path: "caredocs"))
        }
        candidates.append(
            URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "caredocs")
        )
        candidates.append(projectRoot.appending(path: ".build/debug/caredocs"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path(percentEncoded: false)) }
    }
}
