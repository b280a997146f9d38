import Foundation
import Testing

@testable import Typesetting

/// The marked content the post-processor writes into a content stream Cairo drew without tags
/// (`ContentMarks`): found by counting character codes, split where two drawing calls share a
/// `TJ`, kept inside text objects, around Cairo's own ActualText spans, and refused (for a redraw
/// with Cairo's tags) whenever the count does not add up. The documents themselves are checked
/// end to end by `ConformanceTests` (the PDF/UA checker, the structure tree against the content
/// streams, the screen-reader order).
@Suite struct ContentMarksTests {
    static let roles = ["Document", "P", "H1", "Figure"]

    static func insert(
        _ content: String,
        _ marks: [(tag: Int, glyphs: Int)],
        widths: [String: Int] = [:]
    ) throws -> (text: String, mcidTags: [Int]) {
        let (bytes, tags, operations) = try ContentMarks.insert(
            Array(content.utf8),
            marks: marks.map { ContentMark(tag: $0.tag, glyphs: $0.glyphs) },
            role: { roles[$0] },
            codeWidth: { widths[$0] ?? 1 }
        )
        // The operators it reports are those of what it wrote.
        if let operations {
            let read = try ContentArtifacts.operations(bytes)
            #expect(operations.map(\.start) == read.map(\.start))
            #expect(operations.map(\.end) == read.map(\.end))
            #expect(operations.map { "\($0.kind)" } == read.map { "\($0.kind)" })
        }
        return (String(decoding: bytes, as: UTF8.self), tags)
    }

    @Test func aTJSharedByTwoCallsIsSplitAtTheFirstCallsLastCode() throws {
        let (text, tags) = try Self.insert("BT\n/f-0-0 1 Tf\n[(Ab\\(c)20(de)]TJ\nET\n", [(1, 2), (2, 4)])
        #expect(tags == [1, 2])
        #expect(text.contains("/P <</MCID 0>> BDC\n[<4162>]TJ\nEMC\n/H1 <</MCID 1>> BDC\n[<2863>20 <6465>]TJ\n"))
        // The sequence opened in the text object closes before its end.
        #expect(text.hasSuffix("EMC\nET\n"))
    }

    @Test func aCIDFontsCodesAreTwoBytesAndAHexStringSplitsBetweenThem() throws {
        let (text, tags) = try Self.insert(
            "BT\n/f-1-1 1 Tf\n<00010002>Tj\n/f-1-0 1 Tf\n(xy)Tj\nET\n",
            [(1, 1), (2, 1), (2, 2)],
            widths: ["f-1-1": 2]
        )
        #expect(tags == [1, 2])
        #expect(text.contains("/P <</MCID 0>> BDC\n[<0001>]TJ\nEMC\n/H1 <</MCID 1>> BDC\n[<0002>]TJ\n"))
        // The third call is the second one's element: one sequence for both.
        #expect(text.contains("(xy)Tj\nEMC\nET"))
        #expect(!text.contains("MCID 2"))
    }

    @Test func anActualTextSpanOpensInsideTheMarkOfTheCallItBelongsTo() throws {
        let (text, tags) = try Self.insert(
            "BT\n/f-0-0 1 Tf\n(ab)Tj\n/Span << /ActualText <feff0041> >> BDC\n(c)Tj\nEMC\n(d)Tj\nET\n",
            [(1, 2), (2, 2)]
        )
        #expect(tags == [1, 2])
        #expect(
            text.contains("(ab)Tj\nEMC\n/H1 <</MCID 1>> BDC\n/Span << /ActualText <feff0041> >> BDC\n(c)Tj\nEMC\n(d)Tj")
        )
    }

    @Test func anElementGoesOnInTheNextTextObjectUnderANewMCID() throws {
        let (text, tags) = try Self.insert("BT\n(ab)Tj\nET\n0 0 1 rg\nBT\n(c)Tj\nET\n", [(1, 3)])
        #expect(tags == [1, 1])
        #expect(text.contains("/P <</MCID 0>> BDC\n(ab)Tj\nEMC\nET"))
        #expect(text.contains("/P <</MCID 1>> BDC\n(c)Tj\nEMC\nET"))
    }

    @Test func theRunningFooterAfterTheContentIsNotMarked() throws {
        let (text, tags) = try Self.insert("BT\n(ab)Tj\n(Page 1)Tj\nET\n", [(1, 2), (-1, 6)])
        #expect(tags == [1])
        #expect(text.contains("/P <</MCID 0>> BDC\n(ab)Tj\nEMC\n(Page 1)Tj\nET"))
    }

    @Test func anImageIsMarkedAroundItsPaintingOperatorAlone() throws {
        let (text, tags) = try Self.insert(
            "0 0 1 rg 0 0 10 10 re f\nq 1 0 0 1 5 5 cm /x5 Do Q\nBT\n(a)Tj\nET\n",
            [(3, 0), (1, 1)]
        )
        #expect(tags == [3, 1])
        #expect(text.contains("cm /Figure <</MCID 0>> BDC\n/x5 Do\nEMC\n Q"))
        #expect(text.contains("0 0 10 10 re f\n"))
    }

    @Test func aSplitTJKeepsEachAdjustmentBeforeTheGlyphItMoves() throws {
        let content = "BT\n/f-0-0 1 Tf\n[(Nombre)]TJ\n[()-7746(Mateo River)20(a Ortiz)]TJ\n(x)Tj\nET\n"
        let (text, tags) = try Self.insert(content, [(1, 17), (2, 7), (-1, 1)])
        #expect(tags == [1, 2])
        #expect(
            text.contains(
                "/P <</MCID 0>> BDC\n[(Nombre)]TJ\n[-7746 <4d6174656f205269766572>]TJ\nEMC\n"
                    + "/H1 <</MCID 1>> BDC\n[20 <61204f7274697a>]TJ\nEMC\n(x)Tj\nET"
            )
        )
    }

    @Test(arguments: [
        ("BT\n(ab)Tj\nET\n", [(1, 5)]),  // fewer codes than drawn
        ("BT\n(abc)Tj\nET\n", [(1, 1)]),  // more codes than drawn
        ("BT\n/Span << /ActualText <feff0041> >> BDC\n(ab)Tj\nEMC\nET\n", [(1, 1), (2, 1)]),  // a call ends in a span
        ("BT\n/f-1-1 1 Tf\n<000102>Tj\nET\n", [(1, 2)]),  // half a code
        ("BT\n(ab)'\nET\n", [(1, 2)]),  // an operator Cairo does not write
        ("BT\n(a)Tj\nET\n", [(3, 0)]),  // text where an image was drawn
    ])
    func whatDoesNotAddUpIsRefused(content: String, marks: [(Int, Int)]) throws {
        #expect(throws: ContentMarks.Mismatch.self) {
            _ = try Self.insert(content, marks.map { (tag: $0.0, glyphs: $0.1) }, widths: ["f-1-1": 2])
        }
    }

    @Test func literalStringsAreReadWithTheirEscapes() throws {
        let literal = Array("(a\\(b\\)\\\\\\101\\n\\\ncd(e)f) rest".utf8)
        let (bytes, count, end) = try ContentMarks.TextShow.literal(literal, from: 0)
        #expect(bytes == Array("a(b)\\A\ncd(e)f".utf8))
        #expect(count == bytes.count)
        #expect(try ContentMarks.TextShow.literal(literal, from: 0, keep: false).1 == bytes.count)
        #expect(end == Array("(a\\(b\\)\\\\\\101\\n\\\ncd(e)f)".utf8).count)
        let (hex, hexCount, hexEnd) = try ContentMarks.TextShow.hex(Array("<4 1a B>x".utf8), from: 0)
        #expect(hex == [0x41, 0xAB])
        #expect(hexCount == 2)
        let (_, counted, _) = try ContentMarks.TextShow.hex(Array("<4 1a B>x".utf8), from: 0, keep: false)
        #expect(counted == 2)
        #expect(hexEnd == 8)
    }

    /// When the marks do not add up, the pages are drawn again with Cairo's tags, and the file
    /// still reads as it should.
    @Test func aMismatchDrawsThePagesAgainWithCairosTags() throws {
        let document = Document(
            language: "en",
            blocks: [
                .heading(Heading(level: 1, "Care plan")),
                .paragraph(Paragraph([Span("Mateo sees the care team every week.")])),
            ]
        )
        let (pdf, attempts) = try renderRecordingDrawings(document) { structure in
            if structure.marks != nil { throw ContentMarks.Mismatch(description: "test") }
        }
        #expect(attempts == [true, false])
        let text = try extractText(pdf)
        #expect(text.contains("Care plan"))
        #expect(text.contains("Mateo sees the care team every week."))
    }

    /// A content stream that does not add up is counted for the renders of the task that asked
    /// (`Engine.countingRedraws`), which the conformance tests use to see that none of their
    /// documents needed Cairo's tags.
    @Test func aMismatchIsCountedForTheTaskThatRenders() throws {
        let document = Document(language: "en", blocks: [.paragraph(Paragraph([Span("One paragraph.")]))])
        let renderer = PDFRenderer(
            width: document.page.width,
            height: document.page.height,
            metadata: document.metadata
        )
        let (raw, drawn) = try renderer.render(try Engine().layOut(document).pages)
        var structure = drawn
        structure.marks?[0][0].glyphs += 1
        let (_, counted) = Engine.countingRedraws {
            #expect(throws: ContentMarks.Mismatch.self) {
                _ = try PDFPostProcessor.finishReporting(
                    raw,
                    language: "en",
                    metadata: document.metadata,
                    structure: structure
                )
            }
        }
        #expect(counted == 1)
    }
}
