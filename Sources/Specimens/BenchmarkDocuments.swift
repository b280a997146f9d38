import Foundation
import Typesetting

/// Documents the benchmark renders: a one-page letter-like page (letterhead, #10 window address
/// frame, ≈250 words of body, footer) in a given language.
public enum BenchmarkDocuments {
    public static let languages = ["en", "ar", "zh-Hans", "km"]

    public static func letter(language: String) -> Document {
        let sentence = Specimen.samples.first { $0.tag == language }?.text ?? Specimen.samples[0].text
        // About 250 words (or the same amount of text in scripts without spaces).
        let target = language == "en" || language == "ar" ? 250 : 0
        var body: [String] = []
        var words = 0
        var chars = 0
        while (target > 0 && words < target) || (target == 0 && chars < (language.hasPrefix("zh") ? 800 : 1_300)) {
            body.append(sentence)
            words += sentence.split(separator: " ").count
            chars += sentence.count
        }
        let paragraphs = stride(from: 0, to: body.count, by: 4).map {
            Array(body[$0..<min(body.count, $0 + 4)]).joined(separator: " ")
        }
        let rtl = Direction.forLanguage(language) == .rtl
        var blocks: [Block] = [
            .paragraph(
                Paragraph([Span.bold("Example Care Coordination Program")], style: TextStyle(size: 13), spaceAfter: 1)
            ),
            .paragraph(
                Paragraph(
                    "100 Example Street, Boston, MA 02110 · (617) 555-0100",
                    style: TextStyle(size: 8.5, color: .gray),
                    spaceAfter: 0
                )
            ),
            .frame(
                Frame(
                    x: 72,
                    y: 144,
                    width: 288,
                    height: 72,
                    blocks: [
                        .paragraph(Paragraph("Maria Example-Guardian", spaceAfter: 0)),
                        .paragraph(Paragraph("25 Sample Road, Apt 3", spaceAfter: 0)),
                        .paragraph(Paragraph("Worcester, MA 01608", spaceAfter: 0)),
                    ]
                )
            ),
        ]
        for p in paragraphs {
            blocks.append(
                .paragraph(Paragraph([Span(p)], alignment: rtl ? .start : .justify, language: language, spaceAfter: 8))
            )
        }
        return Document(
            page: PageSetup(width: 612, height: 792, margins: Insets(all: 72), firstPageTopMargin: 40),
            language: language,
            metadata: Metadata(title: "Benchmark letter"),
            footer: PageDecoration(center: "Page {page} of {pages}"),
            referenceID: "BENCH",
            blocks: blocks
        )
    }
}
