import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// Issue 15 §5: a letter's body fits one sheet in every language for typical content; the
/// language-help page(s) that follow it do not count. Large-print copies are exempt (18 pt
/// body text takes two sheets or more, by design).
@Suite struct LetterFitTests {
    /// Every letter kind with the records that make it: the shared examples and the test records.
    static let cases: [(record: String, kind: DocumentKind)] = [
        ("shared:rivera-enrollment.json", .enrollmentLetter),
        ("shared:haddad-removal.json", .terminationLetter),
        ("complete-all-kinds.json", .enrollmentLetter),
        ("complete-all-kinds.json", .terminationLetter),
        ("complete-all-kinds.json", .ccmNotice),
    ]

    static let letterKinds: Set<DocumentKind> = [.enrollmentLetter, .terminationLetter, .ccmNotice]

    static func load(_ name: String) throws -> CareRecord {
        try DocTest.load(
            name.hasPrefix("shared:") ? try Fixtures.example(String(name.dropFirst(7))) : try Fixtures.record(name)
        )
    }

    /// Pages before the language-help page (its heading is the catalog's `frame.languageHelpTitle`).
    static func bodyPages(_ rendered: DocTest.Rendered, _ language: SupportedLanguage) throws -> Int {
        let title = try DocTest.catalog(language).text("frame.languageHelpTitle")
        let pages = rendered.pages
        // A letter without a language-help page (the CCM notice to a clinician) is all body.
        return pages.firstIndex { DocTest.contains($0, title) } ?? pages.count
    }

    @Test func theCasesCoverEveryLetterKind() {
        #expect(Set(Self.cases.map(\.kind)) == Self.letterKinds)
        #expect(Self.letterKinds.isSubset(of: Set(DocumentKind.available)))
    }

    @Test(arguments: SupportedLanguage.allCases)
    func everyLetterBodyFitsOneSheet(_ language: SupportedLanguage) throws {
        for (name, kind) in Self.cases {
            let rendered = try DocTest.render(kind, try Self.load(name), language)
            #expect(rendered.report.warnings.isEmpty, "\(kind.rawValue) \(language.tag): \(rendered.report.warnings)")
            let body = try Self.bodyPages(rendered, language)
            #expect(body == 1, "\(kind.rawValue) for \(name) in \(language.tag): the body takes \(body) pages")
        }
    }

    /// The version 2 records in the language they are translated into.
    @Test(arguments: [
        ("rivera-v2-es.json", SupportedLanguage.spanish), ("sok-v2-km.json", .khmer), ("haddad-v2-ar.json", .arabic),
    ])
    func translatedRecordsFitToo(_ name: String, _ language: SupportedLanguage) throws {
        let record = try Self.load(name)
        for kind in [DocumentKind.enrollmentLetter, .terminationLetter, .ccmNotice] {
            guard Requirements.check(kind, record).isEmpty else { continue }
            let rendered = try DocTest.render(kind, record, language)
            #expect(try Self.bodyPages(rendered, language) == 1, "\(kind.rawValue) for \(name)")
        }
    }

    /// Large print is exempt from one sheet; its 24/7 line stays a box after the body (an 18 pt
    /// line does not fit beside the window), once.
    @Test func largePrintKeepsThe24HourLineAfterTheBody() throws {
        let doc = try DocTest.document(.enrollmentLetter, try DocTest.rivera(), .english, largePrint: true)
        let frames = doc.blocks.compactMap { b -> Frame? in if case .frame(let f) = b { return f } else { return nil } }
        #expect(frames.count == 1)
        let rendered = try DocTest.render(doc)
        let text = DocTest.normalized(rendered.text)
        #expect(text.components(separatedBy: "24 hours a day, 7 days a week: (978) 555-0199").count == 2)
        #expect(rendered.report.warnings.isEmpty)
    }

    /// The window and the letterhead do not move: the #10 window stays where the envelope's is.
    @Test func theWindowStaysWhereTheEnvelopeIs() throws {
        for language in [SupportedLanguage.english, .spanish, .khmer, .arabic] {
            let doc = try DocTest.document(.enrollmentLetter, try DocTest.rivera(), language)
            let window = try #require(DocTest.windowFrame(doc))
            #expect(window.x == 72 && window.y == 144 && window.width == 288 && window.height == 72)
            #expect(doc.page.firstPageTopMargin == 40)
            // The 24/7 line sits beside the window, clear of it, inside the right margin.
            let frames = doc.blocks.compactMap { b -> Frame? in
                if case .frame(let f) = b { return f } else { return nil }
            }
            let side = try #require(frames.dropFirst().first, "no 24/7 frame in \(language.tag)")
            #expect(side.x >= window.x + window.width + 12)
            #expect(side.x + side.width <= doc.page.width - doc.page.margins.right + 0.01)
            #expect(side.y == window.y && side.height <= window.height)
        }
    }
}
