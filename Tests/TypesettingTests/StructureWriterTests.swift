import CCairo
import Foundation
import Testing

@testable import Typesetting

/// The structure tree the post-processor writes for a document drawn without Cairo tags
/// (`StructureWriter`): one element per layout node across pages, the elements above the
/// content made once each, the parent tree keyed by page. The documents themselves are checked
/// end to end by `ConformanceTests`.
@Suite struct StructureWriterTests {
    static func parse(_ bytes: ArraySlice<UInt8>) throws -> PDFDictionary {
        var parser = PDFValueParser(Array(bytes))
        return try #require(try parser.value().dictionaryValue)
    }

    @Test func anElementIsWrittenWithItsContentItsChildrenAndItsAttributes() throws {
        var out: [UInt8] = []
        StructureWriter.writeElement(
            role: "TH",
            parent: 12,
            page: 5,
            content: [(-1, 0), (7, 3)],
            elements: [20],
            attributes: ("Column", "ar", nil),
            to: &out
        )
        let element = try Self.parse(out[...])
        #expect(element["Type"] == .name("StructElem"))
        #expect(element["S"] == .name("TH"))
        #expect(element["P"] == .ref(12))
        #expect(element["Pg"] == .ref(5))
        let kids = try #require(element["K"]?.elements)
        #expect(kids.count == 3)
        #expect(kids[0] == .number("0"))
        #expect(kids[1].dictionaryValue?["Type"] == .name("MCR"))
        #expect(kids[1].dictionaryValue?["Pg"] == .ref(7))
        #expect(kids[1].dictionaryValue?["MCID"] == .number("3"))
        #expect(kids[2] == .ref(20))
        #expect(element["A"]?.dictionaryValue?["Scope"] == .name("Column"))
        #expect(element["Lang"] == .string(Array("(ar)".utf8)))
    }

    /// A paragraph in a table cell that runs onto a second page: one `P` (its marked content on
    /// the second page as an MCR), one `TD`, one `TR`, under the Document element.
    @Test func aNodeAcrossPagesIsOneElementUnderItsContainers() throws {
        var structure = RenderedStructure()
        structure.tags = [
            OpenedTag(node: nil, role: "Document"),
            OpenedTag(node: 3, role: "P", parent: 2),
            OpenedTag(node: 4, role: "P", parent: 2),
            OpenedTag(node: 3, role: "P", parent: 2),
        ]
        structure.containers = [
            1: StructureContainer(role: "TR", parent: nil),
            2: StructureContainer(role: "TD", parent: 1),
        ]
        var next = 100
        let written = StructureWriter.write(structure, pages: [10, 11], mcidTags: [[1, 2], [3]], next: &next)
        var elements: [Int: PDFDictionary] = [:]
        for (number, start, end) in written.bodies {
            elements[number] = try Self.parse(written.body[start..<end])
        }
        for (number, value) in written.objects { elements[number] = value.dictionaryValue }
        #expect(next == 100 + 3 + 2 + 2)
        let root = try #require(elements[written.root])
        let document = try #require(root["K"]?.elements.first?.reference)
        let top = try #require(elements[document]?["K"]?.elements)
        #expect(top.count == 1)
        let rowNumber = try #require(top[0].reference)
        let row = try #require(elements[rowNumber])
        #expect(row["S"] == .name("TR"))
        let cellNumber = try #require(row["K"]?.reference)
        let cell = try #require(elements[cellNumber])
        #expect(cell["S"] == .name("TD"))
        let paragraphs = try #require(cell["K"]?.elements).compactMap(\.reference)
        #expect(paragraphs.count == 2)
        let first = try #require(elements[paragraphs[0]])
        #expect(first["P"] == .ref(cellNumber))
        #expect(first["Pg"] == .ref(10))
        let kids = try #require(first["K"]?.elements)
        #expect(kids.first == .number("0"))
        #expect(kids.last?.dictionaryValue?["Pg"] == .ref(11))
        #expect(elements[paragraphs[1]]?["K"] == .number("1"))
        #expect(written.pageKeys.map(\.page) == [10, 11])
        let treeNumber = try #require(root["ParentTree"]?.reference)
        let tree = try #require(elements[treeNumber])
        let nums = try #require(tree["Nums"]?.elements)
        #expect(nums.count == 4)
        #expect(nums[1].elements.compactMap(\.reference) == paragraphs)
        #expect(nums[3].elements.compactMap(\.reference) == [paragraphs[0]])
    }

    /// A figure between paragraphs, no link: its image is marked around its painting operator
    /// by the post-processor (not drawn again with Cairo's tags), with its alternative text.
    @Test func aFigureIsMarkedByThePostProcessor() throws {
        let png = CairoImage.png(width: 20, height: 20) { cr in
            cairo_set_source_rgb(cr, 0.1, 0.3, 0.6)
            cairo_paint(cr)
        }
        let document = Document(
            language: "en",
            blocks: [
                .paragraph(Paragraph([Span("Before the picture.")])),
                .image(ImageBlock(png: png, alt: "A blue square", width: 40)),
                .paragraph(Paragraph([Span("After the picture.")])),
            ]
        )
        let (pdf, marked) = try renderRecordingDrawings(document)
        #expect(marked == [true])
        let url = tempFile("figure-marked.pdf")
        try pdf.write(to: url)
        #expect(try run("qpdf", ["--check", url.path]).status == 0)
        let order = try run("python3", [BreakSpaceTests.script, "--reading-order", url.path]).out
        #expect(order.contains("Before the picture."))
        #expect(order.contains("After the picture."))
        let report = try run("python3", [BreakSpaceTests.script, url.path]).out
        #expect(report.contains("\"mcidsUnclaimed\": 0"), "\(report.prefix(600))")
        #expect(report.contains("\"untaggedPaint\": 0"), "\(report.prefix(600))")
        let qdf = tempFile("figure-marked-qdf.pdf")
        _ = try run("qpdf", ["--qdf", "--object-streams=disable", url.path, qdf.path])
        let text = String(decoding: try Data(contentsOf: qdf), as: UTF8.self)
        #expect(text.contains("/Figure <</MCID"))
        #expect(text.contains("/Alt (A blue square)"))
    }
}
