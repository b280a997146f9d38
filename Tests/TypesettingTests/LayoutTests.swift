import Foundation
import Testing

@testable import Typesetting

/// Block flow and pagination: keep-with-next, orphans and widows, table rows and headers,
/// frames, page decorations, RTL mirroring.
@Suite struct LayoutTests {
    /// The text of each page, in drawing order, one string per glyph run.
    func pageTexts(_ doc: Document) throws -> [[String]] {
        let engine = try makeEngine()
        return engine.layout(doc).pages.map { page in
            page.ops.compactMap { if case .glyphs(let g) = $0.op { return g.text } else { return nil } }
        }
    }

    func page(of needle: String, in pages: [[String]]) -> Int? {
        pages.firstIndex { $0.contains { $0.contains(needle) } }
    }

    func filler(_ n: Int) -> [Block] {
        (0..<n).map { .paragraph(Paragraph("Filler paragraph \($0) that takes one line.")) }
    }

    @Test func aHeadingNeverEndsAPage() throws {
        // Move a heading down one filler line at a time: it must always share a page with the
        // first lines of its paragraph.
        for n in 30...42 {
            let doc = Document(
                blocks: filler(n) + [
                    .heading(Heading(level: 2, "THE HEADING")),
                    .paragraph(Paragraph("FIRSTLINE " + String(repeating: "words to wrap ", count: 40))),
                ]
            )
            let pages = try pageTexts(doc)
            #expect(page(of: "THE HEADING", in: pages) == page(of: "FIRSTLINE", in: pages), "n = \(n)")
        }
    }

    @Test func noOrphanOrWidowLines() throws {
        let long = (1...8).map { "L\($0)x " + String(repeating: "word ", count: 14) }.joined(separator: " ")
        for n in 30...42 {
            let doc = Document(blocks: filler(n) + [.paragraph(Paragraph(long))])
            let engine = try makeEngine()
            let pages = engine.layout(doc).pages
            // Count the lines of the long paragraph on each page.
            var linesPerPage: [Int] = []
            for p in pages {
                let runs = p.ops.compactMap { op -> (String, Double)? in
                    if case .glyphs(let g) = op.op, g.text.contains("word") { return (g.text, g.glyphs.first?.y ?? 0) }
                    return nil
                }
                let distinctBaselines = Set(runs.map { Int($0.1.rounded()) })
                if !distinctBaselines.isEmpty { linesPerPage.append(distinctBaselines.count) }
            }
            for c in linesPerPage { #expect(c >= 2, "n = \(n): lines per page \(linesPerPage)") }
        }
    }

    @Test func tableHeadersRepeatAndTallRowsSplit() throws {
        let tall = String(repeating: "a very long cell that wraps over many lines ", count: 120)
        let rows: [[Table.Cell]] = (1...30).map { [Table.Cell("ROW\($0)"), Table.Cell($0 == 20 ? tall : "short")] }
        let doc = Document(blocks: [
            .table(
                Table(
                    columns: [.fixed(60), .relative(1)],
                    headerRows: [[Table.Cell("HEAD", bold: true), Table.Cell("Detail", bold: true)]],
                    rows: rows
                )
            )
        ])
        let pages = try pageTexts(doc)
        #expect(pages.count >= 3)
        for p in pages where p.contains(where: { $0.hasPrefix("ROW") || $0.contains("wraps") }) {
            #expect(p.contains("HEAD"), "a page of the table without its header row")
        }
        // The tall row is taller than a page: it splits, its text continues on the next page.
        let withTall = pages.indices.filter { pages[$0].contains { $0.contains("wraps") } }
        #expect(withTall.count >= 2)
    }

    @Test func aRowThatFitsOnAPageMovesWhole() throws {
        let medium = String(repeating: "cell text that wraps ", count: 30)
        let doc = Document(
            blocks: filler(38) + [
                .table(Table(columns: [.fixed(60), .relative(1)], rows: [[Table.Cell("MOVED"), Table.Cell(medium)]]))
            ]
        )
        let pages = try pageTexts(doc)
        let withRow = pages.indices.filter { pages[$0].contains { $0.contains("cell text") } }
        #expect(withRow.count == 1, "the row was split: \(withRow)")
    }

    @Test func footerFieldsAndRTLMirroring() throws {
        let doc = Document(
            language: "ar",
            header: PageDecoration(start: "START", end: "END"),
            footer: PageDecoration(center: "{page}/{pages}"),
            blocks: filler(3)
        )
        let engine = try makeEngine()
        let pages = engine.layout(doc).pages
        let runs = pages[0].ops.compactMap { op -> GlyphRunOp? in
            if case .glyphs(let g) = op.op { return g } else { return nil }
        }
        let start = try #require(runs.first { $0.text == "START" })
        let end = try #require(runs.first { $0.text == "END" })
        #expect(start.glyphs[0].x > end.glyphs[0].x, "in RTL the start slot is on the right")
        #expect(runs.contains { $0.text == "1/1" })
    }

    @Test func frameSitsAtItsPositionAndTheFlowGoesBelow() throws {
        let doc = Document(blocks: [
            .frame(Frame(x: 72, y: 144, width: 288, height: 72, blocks: [.paragraph(Paragraph("WINDOW"))])),
            .paragraph(Paragraph("BODY")),
        ])
        let engine = try makeEngine()
        let ops = engine.layout(doc).pages[0].ops
        func run(_ t: String) -> GlyphRunOp? {
            for o in ops { if case .glyphs(let g) = o.op, g.text == t { return g } }
            return nil
        }
        let window = try #require(run("WINDOW"))
        let body = try #require(run("BODY"))
        #expect(abs(window.glyphs[0].x - 72) < 2)
        #expect(window.glyphs[0].y > 144 && window.glyphs[0].y < 144 + 20)
        #expect(body.glyphs[0].y > 144 + 72)
    }

    @Test func pageBreakStartsANewPage() throws {
        let pages = try pageTexts(
            Document(blocks: [.paragraph(Paragraph("ONE")), .pageBreak, .paragraph(Paragraph("TWO"))])
        )
        #expect(pages.count == 2)
        #expect(page(of: "TWO", in: pages) == 1)
    }

    @Test func largeBaseSizeScalesText() throws {
        let engine = try makeEngine()
        let doc = Document(baseStyle: TextStyle(size: 18), blocks: [.paragraph(Paragraph("Large"))])
        let ops = engine.layout(doc).pages[0].ops
        let sizes = ops.compactMap { op -> Double? in
            if case .glyphs(let g) = op.op { return g.size } else { return nil }
        }
        #expect(sizes.allSatisfy { $0 >= 18 })
    }
}
