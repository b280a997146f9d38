import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads XLIFF 1.x with Foundation's `XMLParser` (libxml2 underneath): files from CAT tools and
/// from translate-toolkit (`po2xliff`, which writes XLIFF 1.1 elements into a 1.2 template).
///
/// - Units inside `<group>`s are read; `<bin-unit>`, `<seg-source>`, `<header>` content other
///   than notes, and elements of other namespaces outside text (tool extensions) are skipped;
///   inside `<source>`/`<target>`, a foreign element's text is kept.
/// - Text is taken as written: nothing is trimmed or collapsed.
/// - A document type declaration is refused (XLIFF needs none; this rules out entity expansion
///   and external entities).
/// - Every problem is an `XLIFFError` naming the line and, when inside one, the unit.
public enum XLIFFReader {
    public static func read(_ data: Data) throws -> XLIFFDocument {
        if data.isEmpty { throw XLIFFError.malformed(line: 1, column: 1, message: "the file is empty") }
        if let line = doctypeLine(data) {
            throw XLIFFError.invalid(
                line: line,
                unit: nil,
                message: "a document type declaration (<!DOCTYPE>) is not allowed in XLIFF files read here"
            )
        }
        if let problem = encodingProblem(data) { throw problem }
        if let problem = entityProblem(data) { throw problem }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        let ok = parser.parse()
        if let error = builder.error { throw error }
        if !ok {
            let underlying = parser.parserError ?? builder.parseError
            throw XLIFFError.malformed(
                line: max(parser.lineNumber, 1),
                column: max(parser.columnNumber, 1),
                message: describe(underlying)
            )
        }
        guard builder.sawRoot else {
            throw XLIFFError.invalid(line: 1, unit: nil, message: "not an XLIFF document: no <xliff> element")
        }
        return XLIFFDocument(files: builder.files)
    }

    public static func read(contentsOf url: URL) throws -> XLIFFDocument {
        try read(Data(contentsOf: url))
    }

    /// The first byte that is not UTF-8. XLIFF files are UTF-8 (UTF-16 is allowed by XML, but
    /// no tool this reads writes it); and FoundationXML on Linux crashes on a name libxml2 passes
    /// on with a bad byte in it, so bad bytes never reach it.
    static func encodingProblem(_ data: Data) -> XLIFFError? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var line = 1
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return nil
            case .error:
                let utf16 = data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF])
                return .malformed(
                    line: line,
                    column: column,
                    message: utf16
                        ? "the file is UTF-16: save it as UTF-8"
                        : "the bytes are not UTF-8 (save the file as UTF-8)"
                )
            }
        }
    }

    /// An entity reference other than XML's five (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`) and
    /// character references, or a bare `&`, outside comments and CDATA sections. Without a
    /// document type no other entity can be declared, so such a file is not well-formed — and
    /// FoundationXML on Linux crashes looking an undeclared entity up (`_NSXMLParserGetEntity`),
    /// so it never gets one.
    static func entityProblem(_ data: Data) -> XLIFFError? {
        let bytes = [UInt8](data)
        let predefined: Set<[UInt8]> = Set(["amp", "lt", "gt", "quot", "apos"].map { Array($0.utf8) })
        func starts(_ prefix: String, at i: Int) -> Bool {
            let p = Array(prefix.utf8)
            return i + p.count <= bytes.count && Array(bytes[i..<i + p.count]) == p
        }
        func skip(past end: String, from i: Int) -> Int {
            let e = Array(end.utf8)
            var j = i
            while j + e.count <= bytes.count {
                if Array(bytes[j..<j + e.count]) == e { return j + e.count }
                j += 1
            }
            return bytes.count
        }
        var line = 1
        var lineStart = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                lineStart = i + 1
                i += 1
                continue
            }
            if b == 0x3C && starts("<!--", at: i) {
                let end = skip(past: "-->", from: i + 4)
                line += bytes[i..<end].filter { $0 == 0x0A }.count
                i = end
                continue
            }
            if b == 0x3C && starts("<![CDATA[", at: i) {
                let end = skip(past: "]]>", from: i + 9)
                line += bytes[i..<end].filter { $0 == 0x0A }.count
                i = end
                continue
            }
            if b == 0x26 {
                var j = i + 1
                while j < bytes.count, j - i <= 40, bytes[j] != 0x3B, bytes[j] > 0x20, bytes[j] != 0x3C,
                    bytes[j] != 0x26
                {
                    j += 1
                }
                let name = j < bytes.count && bytes[j] == 0x3B ? Array(bytes[(i + 1)..<j]) : nil
                let ok: Bool
                if let name, name.first == 0x23 {  // &#…; or &#x…;
                    let digits = name.dropFirst()
                    if digits.first == 0x78 {
                        ok = digits.count > 1 && digits.dropFirst().allSatisfy { isHexDigit($0) }
                    } else {
                        ok = !digits.isEmpty && digits.allSatisfy { (0x30...0x39).contains($0) }
                    }
                } else if let name {
                    ok = predefined.contains(name)
                } else {
                    ok = false
                }
                if !ok {
                    let shown = name.map { "&" + String(decoding: $0, as: UTF8.self) + ";" } ?? "a bare &"
                    return .malformed(
                        line: line,
                        column: i - lineStart + 1,
                        message: name == nil
                            ? "\(shown) (write &amp;)"
                            : "the entity \(shown) is not one of XML's own (&amp; &lt; &gt; &quot; &apos;): write & as &amp;"
                    )
                }
                i = j + 1
                continue
            }
            i += 1
        }
        return nil
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
    }

    /// The line of a `<!DOCTYPE`, if the bytes hold one.
    static func doctypeLine(_ data: Data) -> Int? {
        let needle = Array("<!DOCTYPE".utf8)
        let bytes = [UInt8](data)
        guard bytes.count >= needle.count else { return nil }
        var line = 1
        for i in 0...(bytes.count - needle.count) {
            if bytes[i] == 0x0A { line += 1 }
            if bytes[i] == 0x3C && Array(bytes[i..<i + needle.count]) == needle { return line }
        }
        return nil
    }

    private static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "the XML parser stopped" }
        let ns = error as NSError
        return (libxml2Messages[ns.code] ?? "the XML is not well-formed") + " (XML parser error \(ns.code))"
    }

    /// Plain words for libxml2's error numbers (`xmlerror.h`), which FoundationXML passes on.
    static let libxml2Messages: [Int: String] = [
        3: "no XML document starts here",
        4: "the document is empty or does not start with a tag",
        5: "there is content after the root element",
        6: "a character reference is wrong",
        7: "a character reference is wrong",
        8: "a character reference is wrong",
        9: "a character is not allowed in XML (a control character or bad encoding)",
        23: "an entity reference has no ';' (a bare & must be written &amp;)",
        26: "an entity is not declared (a bare & must be written &amp;)",
        31: "the encoding is unknown",
        34: "a quoted value is not closed",
        35: "a namespace declaration is wrong",
        38: "an attribute value holds a bare < (write &lt;)",
        39: "an attribute value is not quoted",
        40: "an attribute value is not closed",
        41: "an attribute has no value",
        42: "an attribute is given twice",
        68: "a name is missing (a bare & or < must be written &amp; or &lt;)",
        72: "a '<' is missing",
        73: "a tag is not closed with '>'",
        74: "a closing tag is missing",
        76: "a closing tag does not match the open element",
        77: "the document ends before its elements are closed",
        81: "the bytes are not in the declared encoding (UTF-8 expected)",
        85: "the elements are not properly nested",
        86: "there is content after the root element",
        89: "an entity refers to itself",
        201: "a namespace prefix is not declared",
    ]
}

/// XMLParser's delegate: builds the document as the parser walks it.
private final class Builder: NSObject, XMLParserDelegate {
    var files: [XLIFFFile] = []
    var error: XLIFFError?
    var parseError: (any Error)?
    var sawRoot = false

    // Where we are.
    private var depth = 0
    /// Skipping a subtree (bin-unit, seg-source, tool extensions): the depth it started at.
    private var skipDepth: Int?
    private var file: XLIFFFile?
    private var inHeader = false
    private var unit: UnitBuilder?
    private var alternative: AltBuilder?
    /// Inline content being read: the open elements' children (the first frame is the
    /// `<source>`/`<target>` itself).
    private var frames: [(code: XLIFFInlineCode?, children: [XLIFFInline])] = []
    private var contentOwner: ContentOwner?
    /// A note's or a location context's text being read.
    private var textBuffer: String?
    private var noteFrom: String?
    private var contextGroupIsLocation = false
    private var contextIsSourcefile = false

    private enum ContentOwner { case source, target, altSource, altTarget }

    private struct UnitBuilder {
        var unit: XLIFFUnit
        var sawSource = false
        var sawTarget = false
    }

    private struct AltBuilder {
        var origin: String?
        var matchQuality: String?
        var source: XLIFFText?
        var target: XLIFFText?
    }

    private static let xliffNamespacePrefix = "urn:oasis:names:tc:xliff:document:1."

    private func isXLIFF(_ namespace: String?) -> Bool {
        guard let namespace, !namespace.isEmpty else { return true }
        return namespace.hasPrefix(Self.xliffNamespacePrefix)
    }

    private func attribute(_ attributes: [String: String], _ name: String) -> String? {
        attributes["xml:" + name] ?? attributes[name]
    }

    private func stop(_ parser: XMLParser, _ message: String) {
        guard error == nil else { return }
        error = .invalid(line: parser.lineNumber, unit: unit?.unit.id, message: message)
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard error == nil else { return }
        depth += 1
        if skipDepth != nil { return }
        let name = elementName
        let xliff = isXLIFF(namespaceURI)

        if depth == 1 {
            sawRoot = true
            if namespaceURI?.hasPrefix("urn:oasis:names:tc:xliff:document:2") == true {
                return stop(parser, "XLIFF 2 is not supported: export XLIFF 1.2 from the translation tool")
            }
            guard name == "xliff", xliff else {
                return stop(parser, "not an XLIFF document: the root element is <\(qualifiedName ?? name)>")
            }
            if let v = attributes["version"], !["1.0", "1.1", "1.2"].contains(v) {
                return stop(parser, "XLIFF version \(v) is not supported (1.0, 1.1 and 1.2 are)")
            }
            return
        }

        // Inside <source>/<target>: inline elements.
        if contentOwner != nil {
            if xliff && !XLIFFInlineCode.names.contains(name) {
                let owner = contentOwner == .source || contentOwner == .altSource ? "source" : "target"
                return stop(parser, "<\(name)> is not allowed inside <\(owner)>")
            }
            // A foreign element is kept as transparent text (its name is dropped).
            frames.append((xliff ? XLIFFInlineCode(name: name, attributes: attributes) : nil, []))
            return
        }
        if textBuffer != nil {
            return stop(parser, "<\(name)> is not allowed inside <note> or <context>")
        }
        guard xliff else {
            skipDepth = depth
            return
        }

        switch name {
        case "file":
            guard file == nil else { return stop(parser, "<file> inside another <file>") }
            guard let original = attributes["original"] else {
                return stop(parser, "<file> has no original attribute")
            }
            guard let sourceLanguage = attributes["source-language"], !sourceLanguage.isEmpty else {
                return stop(parser, "<file original=\"\(original)\"> has no source-language")
            }
            file = XLIFFFile(
                original: original,
                sourceLanguage: sourceLanguage,
                targetLanguage: attributes["target-language"].flatMap { $0.isEmpty ? nil : $0 },
                datatype: attributes["datatype"] ?? "plaintext"
            )
        case "header":
            guard file != nil else { return stop(parser, "<header> outside a <file>") }
            inHeader = true
        case "body", "group":
            guard file != nil else { return stop(parser, "<\(name)> outside a <file>") }
        case "trans-unit":
            guard file != nil else { return stop(parser, "<trans-unit> outside a <file>") }
            guard unit == nil else { return stop(parser, "<trans-unit> inside another <trans-unit>") }
            guard let id = attributes["id"], !id.isEmpty else {
                return stop(parser, "a <trans-unit> has no id")
            }
            var approved: Bool?
            if let a = attributes["approved"] {
                guard a == "yes" || a == "no" else {
                    unit = UnitBuilder(unit: XLIFFUnit(id: id, source: ""))
                    return stop(parser, "approved=\"\(a)\" must be yes or no")
                }
                approved = a == "yes"
            }
            unit = UnitBuilder(
                unit: XLIFFUnit(
                    id: id,
                    resname: attributes["resname"],
                    restype: attributes["restype"],
                    source: "",
                    approved: approved
                )
            )
        case "source", "target":
            guard var u = unit else { return stop(parser, "<\(name)> outside a <trans-unit>") }
            if alternative != nil {
                contentOwner = name == "source" ? .altSource : .altTarget
            } else if name == "source" {
                if u.sawSource { return stop(parser, "the unit has two <source> elements") }
                u.sawSource = true
                contentOwner = .source
            } else {
                if u.sawTarget { return stop(parser, "the unit has two <target> elements") }
                u.sawTarget = true
                if let s = attributes["state"], !s.isEmpty { u.unit.state = XLIFFState(rawValue: s) }
                u.unit.targetLanguage = attribute(attributes, "lang")
                contentOwner = .target
            }
            unit = u
            frames = [(nil, [])]
        case "alt-trans":
            guard unit != nil else { return stop(parser, "<alt-trans> outside a <trans-unit>") }
            alternative = AltBuilder(origin: attributes["origin"], matchQuality: attributes["match-quality"])
        case "note":
            guard unit != nil || inHeader else {
                skipDepth = depth  // a group's or a file's note outside the header: not kept
                return
            }
            textBuffer = ""
            noteFrom = attributes["from"]
        case "context-group":
            let purposes = (attributes["purpose"] ?? "").split(separator: " ")
            contextGroupIsLocation = purposes.contains("location") || attributes["name"] == "po-reference"
        case "context":
            if unit != nil && alternative == nil && contextGroupIsLocation
                && attributes["context-type"] == "sourcefile"
            {
                contextIsSourcefile = true
                textBuffer = ""
            } else {
                skipDepth = depth
            }
        case "seg-source", "bin-unit", "count-group", "prop-group", "phase-group", "skl", "tool", "glossary",
            "reference", "count":
            skipDepth = depth
        default:
            if inHeader {
                skipDepth = depth
            } else if XLIFFInlineCode.names.contains(name) {
                stop(parser, "<\(name)> outside <source> or <target>")
            } else {
                stop(parser, "<\(name)> is not an XLIFF 1.2 element")
            }
        }
    }

    func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?
    ) {
        guard error == nil else { return }
        defer { depth -= 1 }
        if let s = skipDepth {
            if s == depth { skipDepth = nil }
            return
        }
        if depth == 1 { return }

        if let owner = contentOwner {
            if frames.count > 1 {
                let frame = frames.removeLast()
                if let code = frame.code {
                    var c = code
                    c.children = XLIFFText.merged(frame.children)
                    frames[frames.count - 1].children.append(.code(c))
                } else {
                    frames[frames.count - 1].children.append(contentsOf: frame.children)
                }
                return
            }
            let text = XLIFFText(content: frames.removeLast().children)
            frames = []
            contentOwner = nil
            switch owner {
            case .source: unit?.unit.source = text
            case .target: unit?.unit.target = text
            case .altSource: alternative?.source = text
            case .altTarget: alternative?.target = text
            }
            return
        }

        guard isXLIFF(namespaceURI) else { return }
        switch elementName {
        case "file":
            if let f = file { files.append(f) }
            file = nil
        case "header":
            inHeader = false
        case "trans-unit":
            guard let u = unit else { return }
            guard u.sawSource else { return stop(parser, "the unit has no <source>") }
            file?.units.append(u.unit)
            unit = nil
        case "alt-trans":
            if let a = alternative, let target = a.target {
                unit?.unit.alternatives.append(
                    XLIFFAlternative(origin: a.origin, matchQuality: a.matchQuality, source: a.source, target: target)
                )
            }
            alternative = nil
        case "note":
            let note = XLIFFNote(textBuffer ?? "", from: noteFrom)
            if unit != nil { unit?.unit.notes.append(note) } else { file?.notes.append(note) }
            textBuffer = nil
            noteFrom = nil
        case "context":
            if contextIsSourcefile, let t = textBuffer { unit?.unit.locations.append(t) }
            contextIsSourcefile = false
            textBuffer = nil
        case "context-group":
            contextGroupIsLocation = false
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard error == nil, skipDepth == nil else { return }
        if contentOwner != nil {
            frames[frames.count - 1].children.append(.text(string))
        } else if textBuffer != nil {
            textBuffer! += string
        }
    }

    func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
        self.parser(parser, foundCharacters: whitespaceString)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard let s = String(data: CDATABlock, encoding: .utf8) else {
            return stop(parser, "a CDATA section is not UTF-8")
        }
        self.parser(parser, foundCharacters: s)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        self.parseError = parseError
    }

    func parserDidEndDocument(_ parser: XMLParser) {
        if error == nil, sawRoot, file != nil || unit != nil {
            error = .invalid(line: parser.lineNumber, unit: nil, message: "the document ends inside a <file>")
        }
    }
}
