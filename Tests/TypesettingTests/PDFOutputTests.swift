import CCairoDeflate
import Foundation
import Specimens
import Testing

@testable import Typesetting

/// Renders the specimen once and checks the PDF with poppler and qpdf: text round trip per
/// script, embedded fonts, validity, language, structure tree, outline, metadata.
@Suite(.serialized) struct PDFOutputTests {
    static let specimen: (pdf: Data, report: RenderReport, url: URL) = {
        let engine = try! Engine()
        let result = try! engine.render(Specimen.document())
        let url = tempFile("specimen.pdf")
        try! result.pdf.write(to: url)
        return (result.pdf, result.report, url)
    }()

    @Test func specimenHasNoWarnings() {
        #expect(Self.specimen.report.warnings.isEmpty, "\(Self.specimen.report.warnings)")
        #expect(Self.specimen.report.pages >= 4)
    }

    @Test(arguments: Specimen.samples.map { $0.tag })
    func eachScriptComesBackFromTheText(tag: String) throws {
        let sample = Specimen.samples.first { $0.tag == tag }!
        // Render the sentence on its own so the comparison is exact.
        let doc = Document(
            language: tag,
            blocks: [.paragraph(Paragraph([Span(sample.text)], direction: Direction.forLanguage(tag), language: tag))]
        )
        let pdf = try Engine().render(doc).pdf
        let text = try extractText(pdf, name: "sample-\(tag).pdf")
        let recall = trigramRecall(expected: sample.text, actual: text)
        if tag == "ar" {
            // Poppler turns a lam-alef ligature's ActualText around (لا → ال) when it reorders
            // right-to-left text; every other character comes back in logical order.
            let normalized = text.replacingOccurrences(of: "خالل", with: "خلال")
            #expect(trigramRecall(expected: sample.text, actual: normalized) >= 0.98, "\(tag): \(text)")
            #expect(recall >= 0.9, "\(tag): \(text)")
        } else {
            #expect(recall >= 0.98, "\(tag): recall \(recall) in \(text)")
        }
    }

    @Test func arabicExtractsInLogicalOrder() throws {
        let doc = Document(
            language: "ar",
            blocks: [.paragraph(Paragraph([Span("سيتصل بك فريق رعاية طفلك")], language: "ar"))]
        )
        let text = try extractText(try Engine().render(doc).pdf, name: "ar-order.pdf")
        // The first word read (rightmost on the page) comes first in the extracted text.
        let first = try #require(text.range(of: "سيتصل"))
        let last = try #require(text.range(of: "طفلك"))
        #expect(first.lowerBound < last.lowerBound, "\(text)")
    }

    @Test func phoneNumbersKeepTheirOrderInRTL() throws {
        let doc = Document(
            language: "ar",
            blocks: [.paragraph(Paragraph([Span("اتصل على \u{2066}(617) 555-0100\u{2069} الآن")], language: "ar"))]
        )
        let text = try extractText(try Engine().render(doc).pdf, name: "ar-phone.pdf")
        #expect(text.contains("555-0100"), "\(text)")
        #expect(text.contains("617"), "\(text)")
    }

    @Test func allFontsAreEmbedded() throws {
        let out = try run("pdffonts", [Self.specimen.url.path]).out
        let rows = out.split(separator: "\n").dropFirst(2)
        #expect(rows.count >= 10)
        for row in rows {
            let cols = row.split(separator: " ", omittingEmptySubsequences: true)
            // name type [type...] encoding emb sub uni id gen: emb is the 5th column from the end.
            #expect(cols.count >= 7 && cols[cols.count - 5] == "yes", "not embedded: \(row)")
            #expect(cols[cols.count - 4] == "yes", "not subset: \(row)")
        }
    }

    @Test func qpdfFindsNoErrors() throws {
        let r = try run("qpdf", ["--check", Self.specimen.url.path])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("No syntax or stream encoding errors"))
    }

    @Test func catalogHasLanguageStructureAndOutline() throws {
        let json = try run("qpdf", ["--json", Self.specimen.url.path]).out
        #expect(json.contains("\"/Lang\": \"u:en\"") || json.contains("\"/Lang\": \"en\""), "no /Lang in the catalog")
        #expect(json.contains("/StructTreeRoot"))
        #expect(json.contains("/Outlines"))
        #expect(
            json.contains("\"/Alt\": \"u:CareDocs logo: a blue square with the letters CD\""),
            "Figure without alt text"
        )
        #expect(json.contains("\"/URI\": \"u:https://www.mass.gov/masshealth\""), "link annotation missing")
        for role in ["/Document", "/H1", "/H2", "/P", "/Table", "/TR", "/TH", "/TD", "/L", "/LI", "/Figure", "/Link"] {
            #expect(json.contains("\"/S\": \"\(role)\""), "structure element \(role) missing")
        }
    }

    /// The specimen holds every block type (figure with alt text, link, key-value grid, a table
    /// across pages, right-to-left lists and tables): the PDF/UA-1 checker finds nothing, and the
    /// structure has one Table per table with scoped header cells and nothing painted untagged.
    @Test func theSpecimenPassesThePDFUAChecker() throws {
        let check = try run("pdfua", ["check", Self.specimen.url.path])
        #expect(check.status == 0, "\(check.out)")
        let script = URL(filePath: #filePath).deletingLastPathComponent().appending(
            path: "../../scripts/pdf-structure.py"
        )
        .standardized.path
        let report = try run("python3", [script, Self.specimen.url.path])
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(report.out.utf8)) as? [String: Any])
        #expect(facts["untaggedPaint"] as? Int == 0)
        #expect(facts["reachedTwice"] as? Int == 0)
        #expect(facts["mcidsUnclaimed"] as? Int == 0)
        let tables = facts["tables"] as? [[String: Any]] ?? []
        #expect(tables.count == 3, "the key-value grid, the table across pages, the RTL table: \(tables.count)")
        #expect(tables.allSatisfy { ($0["th"] as? Int ?? 0) > 0 && $0["thWithoutScope"] as? Int == 0 })
        let annotations = facts["annotations"] as? [[String: Any]] ?? []
        #expect(
            !annotations.isEmpty
                && annotations.allSatisfy { $0["print"] as? Bool == true && $0["contents"] as? Bool == true }
        )
        #expect(facts["pagesWithAnnotationsWithoutTabs"] as? Int == 0)
    }

    /// A first page with nothing tagged on it (a frame pushes the text to page 2): Cairo leaves
    /// out the Document element; the structure is still repaired and PDF/UA still claimed.
    @Test func aFirstPageWithoutTaggedContentKeepsTheClaims() throws {
        let doc = Document(
            metadata: Metadata(title: "Empty first page"),
            blocks: [
                .frame(Frame(x: 72, y: 770, width: 200, height: 20, blocks: [], flowBelow: true)),
                .paragraph(Paragraph("Body")), .pageBreak, .paragraph(Paragraph("Next")),
            ]
        )
        let result = try Engine().render(doc)
        #expect(
            !result.report.warnings.contains { $0.contains("structure tree could not be repaired") },
            "\(result.report.warnings)"
        )
        let url = tempFile("empty-first-page.pdf")
        try result.pdf.write(to: url)
        let check = try run("pdfua", ["check", url.path])
        #expect(check.status == 0, "\(check.out)")
    }

    /// Latin text with words that would take the fi/fl/ff ligatures and no-break spaces (a phone
    /// number kept on one line) embeds each face once, as a WinAnsi subset: no glyph needs a
    /// second (CID) subset of the face, and the text layer has the letters and plain spaces.
    @Test func latinTextEmbedsOneSubsetPerFace() throws {
        let doc = Document(
            metadata: Metadata(title: "Subsets"),
            blocks: [
                .paragraph(Paragraph("The office staff will find the first official file.")),
                .paragraph(Paragraph([Span("Call (978)\u{00A0}555-0199 any time.", bold: true)])),
                .paragraph(Paragraph("A waffle, a flag and a fjord, Call (978)\u{00A0}555-0142.")),
            ]
        )
        let result = try Engine().render(doc)
        let url = tempFile("subsets.pdf")
        try result.pdf.write(to: url)
        let fonts = try run("pdffonts", [url.path]).out
        #expect(!fonts.contains("CID TrueType"), "\(fonts)")
        let text = try extractText(result.pdf)
        #expect(text.contains("first official file") && text.contains("waffle, a flag and a fjord"))
        #expect(text.contains("(978) 555-0199") && !text.contains("\u{00A0}"))
    }

    /// Cairo writes its streams stored while our renderer runs (CCairoDeflate's `deflateInit_`
    /// in effect in this binary: libcairo's calls reach it), the post-processor compresses every
    /// stream once, and the file is written anew: one xref table, no object twice, no stored
    /// stream left, `qpdf --check` clean, the text unchanged; the thread's level is restored.
    @Test func streamsAreCompressedOnceInAFileWrittenAnew() throws {
        let before = cd_default_deflate_overrides()
        let doc = Document(
            language: "ar",
            blocks: [
                .paragraph(Paragraph("Your care team will call you.")),
                .paragraph(Paragraph([Span("سيتصل بك فريق رعاية طفلك")], direction: .rtl, language: "ar")),
            ]
        )
        let pdf = try Engine().render(doc).pdf
        #expect(cd_default_deflate_overrides() > before, "Cairo's deflateInit did not reach the override")
        #expect(cd_default_deflate_level() == -1)
        let bytes = [UInt8](pdf)
        let file = try CairoFile(bytes)
        var streams = 0
        for number in file.reader.offsets.keys {
            guard let (dictionary, data) = try? file.reader.stream(number),
                dictionary["Filter"] == PDFValue.name("FlateDecode")
            else { continue }
            streams += 1
            #expect(!Flate.isStored(data), "object \(number) is stored, not compressed")
            #expect(!(try Flate.inflate(data)).isEmpty)
        }
        #expect(streams >= 4)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "\nxref\n").count == 2, "one xref table")
        #expect(!text.contains("/Prev"))
        let url = tempFile("compressed-once.pdf")
        try pdf.write(to: url)
        let check = try run("qpdf", ["--check", url.path])
        #expect(check.status == 0 && !check.out.contains("WARNING"), "\(check.out)")
        let extracted = try extractText(pdf, name: "compressed-once-text.pdf")
        #expect(extracted.contains("Your care team will call you") && extracted.contains("فريق"), "\(extracted)")
    }

    @Test func metadataAndCreationDate() throws {
        let info = try run("pdfinfo", ["-isodates", Self.specimen.url.path]).out
        #expect(info.contains("Title:           CareDocs typesetting specimen"))
        #expect(info.contains("Author:          CareDocs"))
        #expect(info.contains("Tagged:          yes"))
        // The post-processor's catalog and document information carry the complete date.
        let raw = String(decoding: Self.specimen.pdf, as: UTF8.self)
        #expect(raw.range(of: #"/CreationDate \(D:\d{14}[+-]\d{2}'\d{2}'\)"#, options: .regularExpression) != nil)
    }

    @Test func outlineListsTheHeadings() throws {
        let json = try run("qpdf", ["--json", "--json-key=outlines", Self.specimen.url.path]).out
        #expect(json.contains("Every script we print"))
        #expect(json.contains("A table that spans pages"))
    }

    @Test func tableHeaderRepeatsOnContinuationPages() throws {
        let text = try run("pdftotext", ["-enc", "UTF-8", Self.specimen.url.path, "-"]).out
        let pages = text.split(separator: "\u{0C}")
        let withRows = pages.filter { $0.contains("Twice a day") }
        #expect(withRows.count >= 2, "the medication table should span pages")
        for p in withRows { #expect(p.contains("Medication"), "header row missing on a page with rows") }
    }

    @Test func footerCountsPages() throws {
        let text = try run("pdftotext", ["-enc", "UTF-8", Self.specimen.url.path, "-"]).out
        let n = Self.specimen.report.pages
        #expect(text.contains("Page 1 of \(n)"))
        #expect(text.contains("Page \(n) of \(n)"))
    }

    @Test func writesAtomically() throws {
        let url = tempFile("atomic.pdf")
        try Data("old".utf8).write(to: url)
        try Engine().render(Document(blocks: [.paragraph(Paragraph("new"))]), to: url)
        let data = try Data(contentsOf: url)
        #expect(data.starts(with: Array("%PDF".utf8)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path).filter
        { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
