import Foundation
import Testing

@testable import Typesetting

/// A line broken at a space keeps that space in the text a screen reader follows (the structure
/// tree's marked content), whatever the words around the break are set in: a bold word before a
/// plain space (the space then is drawn on its own, in its own face), a plain word (it joins the
/// word's run), left to right and right to left. The documents where Cairo dropped a space drawn
/// alone are in `ConformanceTests.screenReaderOrder`; these narrow cells did not lose it before
/// either, and guard the joining itself (its order and place in both directions).
@Suite struct BreakSpaceTests {
    static let script = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "../../scripts/pdf-structure.py").standardized.path

    static func spans(_ words: [String], language: String) -> [Span] {
        var spans: [Span] = []
        for (index, word) in words.enumerated() {
            // Every other word bold, its space plain: the space is in another face than the word
            // the line may end with.
            spans.append(Span(word, bold: index % 2 == 0))
            spans.append(Span(" "))
        }
        spans.removeLast()
        return spans
    }

    @Test(arguments: [
        ("en", "Haitian Creole Kreyòl ayisyen speaks with the care team every week about the plan"),
        ("es", "La familia habla con el equipo de atención cada semana sobre el plan de cuidado"),
        ("ar", "تتحدث العائلة مع فريق الرعاية كل أسبوع عن خطة الرعاية الخاصة بطفلها"),
    ])
    func wordsStayApartInNarrowCells(language: String, text: String) throws {
        let words = text.split(separator: " ").map(String.init)
        let paragraph = Paragraph(Self.spans(words, language: language), spaceAfter: 0)
        let table = Table(
            columns: [.fixed(70), .fixed(90), .relative(1)],
            rows: [[Table.Cell([.paragraph(paragraph)]), Table.Cell([.paragraph(paragraph)]), Table.Cell("x")]]
        )
        let document = Document(language: language, blocks: [.table(table), .paragraph(paragraph)])
        let result = try makeEngine().render(document)
        let url = tempFile("break-space-\(language).pdf")
        try result.pdf.write(to: url)
        let reading = try run("python3", [Self.script, "--reading-order", url.path])
        #expect(reading.status == 0, "\(reading.err.prefix(300))")
        let said = try reading.out.split(separator: "\n").compactMap { line -> String? in
            let pair = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String] ?? []
            guard pair.first == "P", let text = pair.last else { return nil }
            return text.unicodeScalars.filter { !(0x2066...0x2069).contains($0.value) }
                .map(String.init).joined()
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(said.filter { $0 == text }.count == 3, "\(said)")
    }
}
