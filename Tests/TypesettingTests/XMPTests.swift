import Foundation
import Testing

@testable import Typesetting

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The XMP metadata packet the post-processor writes (issue 14): well-formed XML, title and
/// language matching the document, claims only when asked for, referenced from the catalog.
@Suite struct XMPTests {
    /// Reads an XMP packet with XMLParser: the texts of dc:title, dc:language, pdfuaid:part,
    /// pdfaid:part and pdfaid:conformance.
    final class Reader: NSObject, XMLParserDelegate {
        var values: [String: [String]] = [:]
        private var path: [String] = []
        private var text = ""
        func parser(
            _ parser: XMLParser,
            didStartElement name: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            path.append(qualifiedName ?? name)
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let element = path.removeLast()
            let key: String?
            if element == "rdf:li", let owner = path.dropLast(1).last {
                key = owner
            } else if element.contains(":"), element.hasPrefix("pdfa") || element.hasPrefix("pdfua") {
                key = element
            } else {
                key = nil
            }
            if let key { values[key, default: []].append(text) }
            text = ""
        }
    }

    static func parse(_ xml: String) throws -> [String: [String]] {
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = false
        let reader = Reader()
        parser.delegate = reader
        #expect(parser.parse(), "XMP is not well-formed: \(String(describing: parser.parserError))")
        return reader.values
    }

    /// The packet as stored in the PDF (the metadata stream is uncompressed).
    static func packet(in pdf: Data) throws -> String {
        let text = String(decoding: pdf, as: UTF8.self)
        let start = try #require(text.range(of: "<?xpacket begin="))
        let end = try #require(text.range(of: "<?xpacket end=\"r\"?>", range: start.upperBound..<text.endIndex))
        return String(text[start.lowerBound..<end.upperBound])
    }

    static func render(title: String, language: String, claims: XMPPacket.Claims = []) throws -> Data {
        let doc = Document(
            language: language,
            metadata: Metadata(
                title: title,
                author: "CareDocs & Co <test>",
                creationDate: Date(timeIntervalSince1970: 1_790_000_000)
            ),
            blocks: [.paragraph(Paragraph([Span("Carta de inscripción")], language: language))]
        )
        let raw = try PDFRenderer(width: doc.page.width, height: doc.page.height, metadata: doc.metadata)
            .render(Engine().layOut(doc).pages).pdf
        return try PDFPostProcessor.finish(Data(raw), language: language, metadata: doc.metadata, claims: claims)
    }

    @Test func packetIsWellFormedAndMatchesTheDocument() throws {
        let title = "Carta de inscripción — Rivera <R&D> \"prueba\""
        let engine = try Engine()
        let doc = Document(
            language: "es",
            metadata: Metadata(title: title, author: "CareDocs"),
            blocks: [.paragraph(Paragraph([Span("Carta de inscripción")], language: "es"))]
        )
        let pdf = try engine.render(doc).pdf
        let values = try Self.parse(try Self.packet(in: pdf))
        #expect(values["dc:title"] == [title])
        #expect(values["dc:language"] == ["es"])
        #expect(values["dc:creator"] == ["CareDocs"])
        // Every document claims both (issue 14); XMPTests.claimsAreWrittenWhenAskedFor and the
        // conformance tests check what backs the claims.
        #expect(values["pdfuaid:part"] == ["1"])
        #expect(values["pdfaid:part"] == ["2"])

        let url = tempFile("xmp-es.pdf")
        try pdf.write(to: url)
        let check = try run("qpdf", ["--check", url.path])
        #expect(check.status == 0, "\(check.out)\(check.err)")
        let json = try run("qpdf", ["--json", url.path]).out
        #expect(json.contains("\"/Metadata\": \""), "catalog has no /Metadata")
        #expect(json.contains("\"/DisplayDocTitle\": true"))
        #expect(json.contains("\"/Subtype\": \"/XML\""))
    }

    @Test func claimsAreWrittenWhenAskedFor() throws {
        let pdf = try Self.render(title: "مخطط الرعاية", language: "ar", claims: [.pdfUA1, .pdfA2u])
        let values = try Self.parse(try Self.packet(in: pdf))
        #expect(values["dc:title"] == ["مخطط الرعاية"])
        #expect(values["dc:language"] == ["ar"])
        #expect(values["dc:creator"] == ["CareDocs & Co <test>"])
        #expect(values["pdfuaid:part"] == ["1"])
        #expect(values["pdfaid:part"] == ["2"])
        #expect(values["pdfaid:conformance"] == ["U"])
        // PDF/A-2 admits the PDF/UA identification schema only when the packet describes it.
        #expect(values["pdfaSchema:namespaceURI"] == ["http://www.aiim.org/pdfua/ns/id/"])
        #expect(values["pdfaSchema:prefix"] == ["pdfuaid"])
        #expect(values["pdfaProperty:name"] == ["part"])
        let url = tempFile("xmp-ar.pdf")
        try pdf.write(to: url)
        #expect(try run("qpdf", ["--check", url.path]).status == 0)
    }

    @Test func producerAndDatesAgreeWithTheDocumentInformation() throws {
        let pdf = try Self.render(title: "Letter", language: "en")
        let xml = try Self.packet(in: pdf)
        let info = try run(
            "pdfinfo",
            [
                "-isodates",
                {
                    let u = tempFile("xmp-en.pdf")
                    try? pdf.write(to: u)
                    return u.path
                }(),
            ]
        ).out
        let producer = try #require(info.split(separator: "\n").first { $0.hasPrefix("Producer:") })
            .dropFirst("Producer:".count).trimmingCharacters(in: .whitespaces)
        #expect(xml.contains("<pdf:Producer>\(XMPPacket.escape(producer))</pdf:Producer>"), "\(producer) / \(xml)")
        // 1_790_000_000 s = 2026-09-21T14:13:20Z = 10:13:20 in New York (EDT).
        #expect(xml.contains("<xmp:CreateDate>2026-09-21T10:13:20-04:00</xmp:CreateDate>"))
        #expect(xml.contains("<xmp:ModifyDate>2026-09-21T10:13:20-04:00</xmp:ModifyDate>"))
        let trailers = String(decoding: pdf, as: UTF8.self).components(separatedBy: "trailer")
        #expect(trailers.last?.contains("/ID [") == true, "the last trailer carries the file identifier")
    }

    @Test func escapesMarkupAndDropsForbiddenCharacters() {
        #expect(XMPPacket.escape("a<b>&\"c'\u{1}") == "a&lt;b&gt;&amp;&quot;c&apos; ")
    }

    /// The dates written by hand are what `String(format:)` wrote (winter and summer time, the
    /// hours around both changes, early years, the end of a year).
    @Test func datesAreTheFormattedFields() {
        let zone = TimeZone(identifier: "America/New_York")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var dates: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_795_000_000)]
        dates += [1_772_953_200, 1_793_512_800, 1_767_225_599, -61_000_000_000].map { Date(timeIntervalSince1970: $0) }
        for hour in -3...3 {
            dates.append(Date(timeIntervalSince1970: 1_772_953_200 + Double(hour) * 1_800))
            dates.append(Date(timeIntervalSince1970: 1_793_512_800 + Double(hour) * 1_800))
        }
        for date in dates {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let offset = zone.secondsFromGMT(for: date)
            let sign = offset >= 0 ? "+" : "-"
            let (h, m) = (abs(offset) / 3600, (abs(offset) % 3600) / 60)
            let pdf =
                String(format: "D:%04d%02d%02d%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
                + sign + String(format: "%02d'%02d'", h, m)
            let iso =
                String(
                    format: "%04d-%02d-%02dT%02d:%02d:%02d",
                    c.year!,
                    c.month!,
                    c.day!,
                    c.hour!,
                    c.minute!,
                    c.second!
                )
                + sign + String(format: "%02d:%02d", h, m)
            #expect(PDFPostProcessor.pdfDate(date) == pdf)
            #expect(XMPPacket.isoDate(date) == iso)
        }
    }

    /// Strings outside printable ASCII are written as UTF-16BE hex with a byte order mark.
    @Test func unicodeStringsAreHex() {
        #expect(PDFPostProcessor.pdfString("Lucía") == "<FEFF004C0075006300ED0061>")
        #expect(PDFPostProcessor.pdfString("😀ع") == "<FEFFD83DDE000639>")
        #expect(PDFPostProcessor.pdfString("a(b)\\") == "(a\\(b\\)\\\\)")
    }
}
