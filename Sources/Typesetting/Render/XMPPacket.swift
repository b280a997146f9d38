import Foundation

/// The XMP metadata packet of a document (the catalog's `/Metadata` stream), written by
/// `PDFPostProcessor` because Cairo 1.16 writes none. It repeats the document information
/// (title, author, subject, keywords, dates, producer) so the two agree, as PDF/A requires, and
/// names the document language in `dc:language`. Conformance claims (`pdfuaid:part`, later
/// `pdfaid:part`/`conformance`) are written only when asked for: a claim belongs only in a file
/// that meets it.
public struct XMPPacket: Sendable, Hashable {
    public struct Claims: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `pdfuaid:part 1` (ISO 14289-1).
        public static let pdfUA1 = Claims(rawValue: 1)
        /// `pdfaid:part 2`, `pdfaid:conformance U` (ISO 19005-2, level U).
        public static let pdfA2u = Claims(rawValue: 2)
    }

    public var title: String?
    public var language: String
    public var author: String?
    public var subject: String?
    public var keywords: [String]
    public var creatorTool: String?
    public var producer: String?
    public var date: Date
    public var claims: Claims

    public init(
        title: String?,
        language: String,
        author: String? = nil,
        subject: String? = nil,
        keywords: [String] = [],
        creatorTool: String? = nil,
        producer: String? = nil,
        date: Date,
        claims: Claims = []
    ) {
        self.title = title
        self.language = language
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.creatorTool = creatorTool
        self.producer = producer
        self.date = date
        self.claims = claims
    }

    /// The packet as XML (UTF-8), with a read-only trailer (`end="r"`): no padding is needed as
    /// the file is never edited in place.
    public var xml: String {
        var lines: [String] = []
        lines.append("<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>")
        lines.append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">")
        lines.append(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">")
        lines.append("  <rdf:Description rdf:about=\"\"")
        lines.append("    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"")
        lines.append("    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"")
        lines.append("    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"")
        if claims.contains(.pdfUA1) { lines.append("    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"") }
        if claims.contains(.pdfA2u) { lines.append("    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"") }
        lines.append("   >")
        lines.append("   <dc:format>application/pdf</dc:format>")
        if let title, !title.isEmpty {
            lines.append(
                "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(Self.escape(title))</rdf:li></rdf:Alt></dc:title>"
            )
        }
        if let author, !author.isEmpty {
            lines.append("   <dc:creator><rdf:Seq><rdf:li>\(Self.escape(author))</rdf:li></rdf:Seq></dc:creator>")
        }
        if let subject, !subject.isEmpty {
            lines.append(
                "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">\(Self.escape(subject))</rdf:li></rdf:Alt></dc:description>"
            )
        }
        lines.append("   <dc:language><rdf:Bag><rdf:li>\(Self.escape(language))</rdf:li></rdf:Bag></dc:language>")
        let stamp = Self.isoDate(date)
        lines.append("   <xmp:CreateDate>\(stamp)</xmp:CreateDate>")
        lines.append("   <xmp:ModifyDate>\(stamp)</xmp:ModifyDate>")
        lines.append("   <xmp:MetadataDate>\(stamp)</xmp:MetadataDate>")
        if let creatorTool, !creatorTool.isEmpty {
            lines.append("   <xmp:CreatorTool>\(Self.escape(creatorTool))</xmp:CreatorTool>")
        }
        if let producer, !producer.isEmpty { lines.append("   <pdf:Producer>\(Self.escape(producer))</pdf:Producer>") }
        if !keywords.isEmpty {
            lines.append("   <pdf:Keywords>\(Self.escape(keywords.joined(separator: ", ")))</pdf:Keywords>")
        }
        if claims.contains(.pdfUA1) { lines.append("   <pdfuaid:part>1</pdfuaid:part>") }
        if claims.contains(.pdfA2u) {
            lines.append("   <pdfaid:part>2</pdfaid:part>")
            lines.append("   <pdfaid:conformance>U</pdfaid:conformance>")
        }
        lines.append("  </rdf:Description>")
        if claims.contains(.pdfUA1) && claims.contains(.pdfA2u) { lines += Self.pdfUAExtensionSchema }
        lines.append(" </rdf:RDF>")
        lines.append("</x:xmpmeta>")
        lines.append("<?xpacket end=\"r\"?>")
        return lines.joined(separator: "\n")
    }

    /// PDF/A-2 admits only its predefined XMP schemas unless others are described in the packet
    /// (ISO 19005-2 §6.6.2.3): the PDF/UA identification schema is not predefined, so a file
    /// claiming both carries its description (the wording ISO 14289-1 and the PDF/UA
    /// competence center's reference files use).
    static let pdfUAExtensionSchema = [
        "  <rdf:Description rdf:about=\"\"",
        "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"",
        "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"",
        "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">",
        "   <pdfaExtension:schemas>",
        "    <rdf:Bag>",
        "     <rdf:li rdf:parseType=\"Resource\">",
        "      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>",
        "      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
        "      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
        "      <pdfaSchema:property>",
        "       <rdf:Seq>",
        "        <rdf:li rdf:parseType=\"Resource\">",
        "         <pdfaProperty:name>part</pdfaProperty:name>",
        "         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>",
        "         <pdfaProperty:category>internal</pdfaProperty:category>",
        "         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>",
        "        </rdf:li>",
        "       </rdf:Seq>",
        "      </pdfaSchema:property>",
        "     </rdf:li>",
        "    </rdf:Bag>",
        "   </pdfaExtension:schemas>",
        "  </rdf:Description>",
    ]

    /// XML character data: markup characters escaped, characters XML 1.0 forbids (controls,
    /// noncharacters U+FFFE/U+FFFF) replaced.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `YYYY-MM-DDThh:mm:ss±hh:mm` in America/New_York, the same instant and zone as the
    /// document information's `CreationDate` (`PDFPostProcessor.pdfDate`).
    static func isoDate(_ date: Date) -> String { DocumentDate(date).iso }
}
