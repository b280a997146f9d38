import Foundation
import Testing

@testable import Typesetting

/// `Direction.firstStrong` (HTML's `dir="auto"`): record content takes its direction from its
/// own first strong letter, is aligned by it, and falls back to the surrounding direction.
@Suite struct FirstStrongTests {
    let unicode = UnicodeServices()

    func direction(_ text: String, fallback: Direction) -> Direction {
        unicode.firstStrongDirection(Array(text.unicodeScalars.map(\.value)), fallback: fallback)
    }

    @Test func theFirstStrongLetterDecides() {
        #expect(direction("Give 18 units before meals.", fallback: .rtl) == .ltr)
        #expect(direction("تحت الجلد", fallback: .ltr) == .rtl)
        #expect(direction("18 شهرًا then English", fallback: .ltr) == .rtl)
        #expect(direction("Insulin pump (مضخة)", fallback: .rtl) == .ltr)
    }

    @Test func withoutAStrongLetterTheSurroundingDirection() {
        #expect(direction("18", fallback: .rtl) == .rtl)
        #expect(direction("1:12", fallback: .ltr) == .ltr)
        #expect(direction("", fallback: .rtl) == .rtl)
        // A phone number in a left-to-right isolate does not count (UAX #9 P2).
        #expect(direction("\u{2066}(781) 555-0100\u{2069}", fallback: .rtl) == .rtl)
        #expect(direction("\u{2066}ID 42\u{2069} مرحبا", fallback: .ltr) == .rtl)
    }

    @Test func aPassageIsolatedAsAWholeCountsByItsContent() {
        #expect(direction("\u{2068}Give 18 units before meals.\u{2069}", fallback: .rtl) == .ltr)
        #expect(direction(" \u{2068}\u{2068}تحت\u{2069} x\u{2069}", fallback: .ltr) == .rtl)
        // An LTR isolate inside the passage still does not count.
        #expect(direction("\u{2068}\u{2066}A1\u{2069} الأب\u{2069}", fallback: .ltr) == .rtl)
    }

    func runs(_ doc: Document) throws -> [GlyphRunOp] {
        try makeEngine().layout(doc).pages[0].ops.compactMap { op -> GlyphRunOp? in
            if case .glyphs(let g) = op.op { return g } else { return nil }
        }
    }

    @Test func anEnglishParagraphInAnArabicDocumentIsLeftAligned() throws {
        let english = "\u{2068}Give 18 units before meals.\u{2069}"
        let doc = Document(
            language: "ar",
            blocks: [
                .paragraph(Paragraph([Span(english)], direction: .firstStrong)),
                .paragraph(Paragraph([Span(english)])),
                .paragraph(Paragraph([Span("مع الوجبات")], direction: .firstStrong)),
            ]
        )
        let runs = try runs(doc)
        let lines = Dictionary(grouping: runs, by: \.baseline).sorted { $0.key < $1.key }.map(\.value)
        #expect(lines.count == 3)
        let left = 72.0
        let right = 612.0 - 72
        func minX(_ line: [GlyphRunOp]) -> Double { line.flatMap(\.glyphs).map(\.x).min() ?? 0 }
        // First-strong: left to right and left-aligned; the document's direction: right-aligned.
        #expect(abs(minX(lines[0]) - left) < 1)
        #expect(minX(lines[1]) > left + 100)
        #expect(minX(lines[2]) > right - 100)
        // The period is at the end: to the right of the last word.
        let period = try #require(lines[0].first { $0.text.contains(".") })
        #expect(period.glyphs.map(\.x).max()! > minX(lines[0]) + 100)
    }

    @Test func aFirstStrongListItemHasItsMarkerOnItsOwnSide() throws {
        let doc = Document(
            language: "ar",
            blocks: [
                .list(
                    ListBlock(items: [
                        [.paragraph(Paragraph([Span("Insulin pump")], direction: .firstStrong, spaceAfter: 0))],
                        [.paragraph(Paragraph([Span("مضخة الإنسولين")], direction: .firstStrong, spaceAfter: 0))],
                    ])
                )
            ]
        )
        let runs = try runs(doc)
        let bullets = runs.filter { $0.text == "•" }.sorted { $0.baseline < $1.baseline }
        #expect(bullets.count == 2)
        #expect(bullets[0].glyphs[0].x < 100, "the English item's marker is on the left")
        #expect(bullets[1].glyphs[0].x > 500, "the Arabic item's marker is on the right")
    }

    @Test func tableColumnsKeepTheirOrderAndCellsAlignByTheirText() throws {
        func cell(_ s: String) -> Table.Cell {
            Table.Cell([.paragraph(Paragraph([Span(s)], direction: .firstStrong, spaceAfter: 0))])
        }
        let doc = Document(
            language: "ar",
            blocks: [
                .table(
                    Table(
                        columns: [.relative(1), .relative(1)],
                        rows: [
                            [cell("الاسم"), cell("18 units")],
                            [cell("Insulin glargine"), cell("\u{2066}1:12\u{2069}")],
                        ]
                    )
                )
            ]
        )
        let runs = try runs(doc)
        func x(_ text: String) throws -> Double {
            try #require(runs.first { $0.text.contains(text) }).glyphs.map(\.x).min()!
        }
        let middle = 306.0
        // First column on the right (right-to-left table).
        #expect(try x("الاسم") > middle && x("Insulin") > middle)
        #expect(try x("units") < middle && x("1:12") < middle)
        // English cells start at their column's left edge; the number alone follows the table.
        #expect(try abs(x("Insulin") - (middle + 5)) < 2)
        #expect(try abs(x("18") - (72 + 5)) < 2)
        #expect(try x("1:12") > 72 + 100)
    }
}
