import Foundation
import Testing

@testable import Typesetting

/// Shared pages (`SharedPage`): made once per engine and joined into each document at the PDF
/// object level. The joined page must read, look and check exactly like the same blocks laid out
/// in the flow after a page break.
@Suite(.serialized) struct SharedPageTests {
    static let taglines: [(String, String)] = [
        ("es", "ATENCIÓN: Si necesita ayuda en su idioma, hay servicios gratuitos. Llame al (978) 555-0300."),
        (
            "ar",
            "تنبيه: إذا كنت تحتاج إلى مساعدة بلغتك، فإن خدمات المساعدة اللغوية متاحة لك مجانًا. اتصل على الرقم (978) 555-0300."
        ),
        ("km", "សូមចាប់អារម្មណ៍ ៖ ប្រសិនបើអ្នកត្រូវការជំនួយជាភាសារបស់អ្នក សូមទូរស័ព្ទទៅលេខ (978) 555-0300។"),
        ("zh-Hant", "注意：如果您需要以您的語言獲得協助，您可以免費獲得語言援助服務。請致電 (978) 555-0300。"),
        ("ru", "ВНИМАНИЕ: Если вам нужна помощь на вашем языке, звоните (978) 555-0300."),
    ]

    static func sharedBlocks(repeat times: Int = 1) -> [Block] {
        var blocks: [Block] = [.heading(Heading(level: 2, "Help in your language"))]
        for _ in 0..<times {
            for (lang, text) in taglines {
                blocks.append(.paragraph(Paragraph(text, language: lang, spaceAfter: 3)))
            }
        }
        return blocks
    }

    /// A letter: a body page, the shared page, and (when `after`) a paragraph after it.
    static func letter(name: String, shared: [Block], after: Bool = false, key: String = "taglines") -> Document {
        var blocks: [Block] = [
            .heading(Heading(level: 1, "Welcome, \(name)")),
            .paragraph(Paragraph("Dear \(name), you are enrolled in CARES for Kids.")),
            .paragraph(Paragraph("Your care manager will call you within seven days.")),
            .sharedPage(SharedPage(key: key, blocks: shared)),
        ]
        if after { blocks.append(.paragraph(Paragraph("A note after the shared page for \(name)."))) }
        var document = Document(
            metadata: Metadata(title: "Letter for \(name)"),
            header: PageDecoration(start: "Welcome", end: "{ref}"),
            firstPageHeader: PageDecoration(),
            footer: PageDecoration(start: "{ref}", end: "Page {page} of {pages}"),
            referenceID: "REF-\(name)",
            blocks: blocks
        )
        document.metadata.creationDate = Date(timeIntervalSince1970: 1_800_000_000)
        return document
    }

    /// The same document with the shared page's blocks written in the flow after a page break.
    static func inline(_ document: Document) -> Document {
        var copy = document
        copy.blocks = document.blocks.flatMap { block -> [Block] in
            if case .sharedPage(let shared) = block { return [.pageBreak] + shared.blocks }
            return [block]
        }
        return copy
    }

    static func pdfText(_ pdf: Data) throws -> [String] {
        try extractText(pdf).split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func aSharedPageReadsAndLooksLikeTheSameBlocksInTheFlow() throws {
        let engine = try Engine()
        for name in ["Ana Rivera", "Dara Sok"] {
            let document = Self.letter(name: name, shared: Self.sharedBlocks())
            let joined = try engine.render(document)
            let flowed = try Engine().render(Self.inline(document))
            #expect(joined.report.pages == 2 && flowed.report.pages == 2)
            #expect(try Self.pdfText(joined.pdf) == Self.pdfText(flowed.pdf))
            #expect(Set(joined.report.fonts) == Set(flowed.report.fonts))
            // Page 2 drawn: the same pixels.
            let a = try previewPNG(pdf: joined.pdf, page: 2, dpi: 60)
            let b = try previewPNG(pdf: flowed.pdf, page: 2, dpi: 60)
            #expect(a == b, "page 2 of \(name) differs from the flowed layout")
        }
        #expect(engine.sharedPageCache.count == 1, "made once for both letters")
        #expect(engine.sharedPageCache.values.allSatisfy { $0 != nil })
    }

    @Test func aJoinedPageKeepsThePDFUAAndPDFAClaimsAndChecksClean() throws {
        let engine = try Engine()
        _ = try engine.render(Self.letter(name: "First", shared: Self.sharedBlocks()))
        let result = try engine.render(Self.letter(name: "Second", shared: Self.sharedBlocks(), after: true))
        #expect(result.report.pages == 3)
        #expect(!result.report.warnings.contains { $0.contains("structure") }, "\(result.report.warnings)")
        let url = tempFile("shared-page.pdf")
        try result.pdf.write(to: url)
        #expect(try run("qpdf", ["--check", url.path]).status == 0)
        let check = try run("pdfua", ["check", url.path])
        #expect(check.status == 0, "\(check.out)")
        let script = URL(filePath: #filePath).deletingLastPathComponent().appending(
            path: "../../scripts/pdf-structure.py"
        )
        .standardized.path
        let report = try run("python3", [script, url.path])
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(report.out.utf8)) as? [String: Any])
        #expect(facts["untaggedPaint"] as? Int == 0)
        #expect(facts["reachedTwice"] as? Int == 0)
        #expect(facts["wrongParent"] as? Int == 0)
        #expect(facts["mcidsUnclaimed"] as? Int == 0)
        #expect(facts["mcidsClaimedTwice"] as? Int == 0)
        let languages = facts["elementLanguages"] as? [String: Int] ?? [:]
        #expect(Set(languages.keys) == ["es", "ar", "km", "zh-Hant", "ru"], "\(languages)")
        let text = try Self.pdfText(result.pdf)
        #expect(text[1].contains("Help in your language") && text[1].contains("Page 2 of 3"))
        #expect(text[2].contains("A note after the shared page for Second") && !text[1].contains("A note after"))
        // The outline keeps the shared page's heading.
        let outline = try run("qpdf", ["--json", "--json-key=outlines", url.path]).out
        #expect(outline.contains("Help in your language"))
        // Reading order: the letter, then the shared page's heading and taglines, then the note.
        let order = try run("python3", [script, "--reading-order", url.path]).out
        let welcome = try #require(order.range(of: "Welcome, Second"))
        let help = try #require(order.range(of: "Help in your language"))
        let note = try #require(order.range(of: "A note after"))
        #expect(welcome.lowerBound < help.lowerBound && help.lowerBound < note.lowerBound)
    }

    @Test func aSharedPageThatDoesNotFitOnOnePageIsLaidOutInTheFlow() throws {
        let engine = try Engine()
        let document = Self.letter(name: "Long", shared: Self.sharedBlocks(repeat: 12))
        let result = try engine.render(document)
        let flowed = try Engine().render(Self.inline(document))
        #expect(result.report.pages > 2)
        #expect(try Self.pdfText(result.pdf) == Self.pdfText(flowed.pdf))
        #expect(engine.sharedPageCache.values.allSatisfy { $0 == nil }, "not shareable, remembered as such")
    }

    @Test func differentContentUnderDifferentKeysIsNeverMixedUp() throws {
        let engine = try Engine()
        let first = try engine.render(Self.letter(name: "A", shared: Self.sharedBlocks(), key: "one"))
        let other: [Block] = [.paragraph(Paragraph("Only this paragraph is on the other shared page."))]
        let second = try engine.render(Self.letter(name: "B", shared: other, key: "two"))
        #expect(try Self.pdfText(first.pdf)[1].contains("Help in your language"))
        let page2 = try Self.pdfText(second.pdf)[1]
        #expect(page2.contains("Only this paragraph") && !page2.contains("Help in your language"))
        #expect(engine.sharedPageCache.count == 2)
    }
}
