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
}
