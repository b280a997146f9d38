import Foundation

/// Writes XLIFF 1.2 as UTF-8: every unit `xml:space="preserve"` (spaces, tabs and line breaks
/// reach the translator and come back as they were), text and attributes escaped, carriage
/// returns as `&#13;` (an XML parser turns a literal one into a line feed).
public enum XLIFFWriter {
    public static let namespace = "urn:oasis:names:tc:xliff:document:1.2"

    /// The document's bytes; throws `XLIFFError.unrepresentable` for text XML 1.0 cannot hold
    /// (control characters other than tab, line feed and carriage return).
    public static func data(_ document: XLIFFDocument) throws -> Data {
        Data(try string(document).utf8)
    }

    public static func string(_ document: XLIFFDocument) throws -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<xliff version=\"1.2\" xmlns=\"\(namespace)\">\n"
        for file in document.files {
            try write(file, to: &out)
        }
        out += "</xliff>\n"
        return out
    }

    private static func write(_ file: XLIFFFile, to out: inout String) throws {
        let context = "file \(file.original)"
        var attributes = [("original", file.original), ("source-language", file.sourceLanguage)]
        if let t = file.targetLanguage { attributes.append(("target-language", t)) }
        attributes.append(("datatype", file.datatype))
        out += "  <file\(try attributeList(attributes, unit: context))>\n"
        if !file.notes.isEmpty {
            out += "    <header>\n"
            for note in file.notes { out += "      " + (try element(note, unit: context)) + "\n" }
            out += "    </header>\n"
        }
        out += "    <body>\n"
        for unit in file.units { try write(unit, to: &out) }
        out += "    </body>\n"
        out += "  </file>\n"
    }

    private static func write(_ unit: XLIFFUnit, to out: inout String) throws {
        let u = unit.id
        var attributes = [("id", unit.id)]
        if let r = unit.resname { attributes.append(("resname", r)) }
        if let r = unit.restype { attributes.append(("restype", r)) }
        if let a = unit.approved { attributes.append(("approved", a ? "yes" : "no")) }
        attributes.append(("xml:space", "preserve"))
        out += "      <trans-unit\(try attributeList(attributes, unit: u))>\n"
        out += "        <source>\(try inline(unit.source.content, unit: u))</source>\n"
        if let target = unit.target {
            var targetAttributes: [(String, String)] = []
            if let s = unit.state { targetAttributes.append(("state", s.rawValue)) }
            if let l = unit.targetLanguage { targetAttributes.append(("xml:lang", l)) }
            out += "        <target\(try attributeList(targetAttributes, unit: u))>"
            out += try inline(target.content, unit: u) + "</target>\n"
        }
        for alt in unit.alternatives {
            var altAttributes: [(String, String)] = []
            if let o = alt.origin { altAttributes.append(("origin", o)) }
            if let q = alt.matchQuality { altAttributes.append(("match-quality", q)) }
            out += "        <alt-trans\(try attributeList(altAttributes, unit: u))>"
            if let s = alt.source { out += "<source>\(try inline(s.content, unit: u))</source>" }
            out += "<target>\(try inline(alt.target.content, unit: u))</target></alt-trans>\n"
        }
        for note in unit.notes { out += "        " + (try element(note, unit: u)) + "\n" }
        if !unit.locations.isEmpty {
            out += "        <context-group name=\"location\" purpose=\"location\">"
            for l in unit.locations {
                out += "<context context-type=\"sourcefile\">\(try escapeText(l, unit: u))</context>"
            }
            out += "</context-group>\n"
        }
        out += "      </trans-unit>\n"
    }

    private static func element(_ note: XLIFFNote, unit: String) throws -> String {
        let attributes = try attributeList(note.from.map { [("from", $0)] } ?? [], unit: unit)
        return "<note\(attributes)>\(try escapeText(note.text, unit: unit))</note>"
    }

    private static func inline(_ items: [XLIFFInline], unit: String) throws -> String {
        var s = ""
        for item in items {
            switch item {
            case .text(let t): s += try escapeText(t, unit: unit)
            case .code(let c):
                guard XLIFFInlineCode.names.contains(c.name) else {
                    throw XLIFFError.unrepresentable(unit: unit, message: "<\(c.name)> is not an XLIFF inline element")
                }
                let attributes = try attributeList(c.attributes.sorted { $0.key < $1.key }, unit: unit)
                if c.children.isEmpty && !["g", "mrk", "ph", "bpt", "ept", "it", "sub"].contains(c.name) {
                    s += "<\(c.name)\(attributes)/>"
                } else {
                    s += "<\(c.name)\(attributes)>" + (try inline(c.children, unit: unit)) + "</\(c.name)>"
                }
            }
        }
        return s
    }

    private static func attributeList(_ attributes: [(String, String)], unit: String) throws -> String {
        var s = ""
        for (name, value) in attributes {
            s += " \(name)=\"\(try escapeAttribute(value, unit: unit))\""
        }
        return s
    }

    /// Character data: `&`, `<`, `>` as entities, carriage return as `&#13;`.
    static func escapeText(_ text: String, unit: String) throws -> String {
        try escape(text, unit: unit) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\r": "&#13;"
            default: nil
            }
        }
    }

    /// An attribute value in double quotes: also `"` and the white space an XML parser would
    /// otherwise turn into spaces.
    static func escapeAttribute(_ text: String, unit: String) throws -> String {
        try escape(text, unit: unit) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "\r": "&#13;"
            case "\n": "&#10;"
            case "\t": "&#9;"
            default: nil
            }
        }
    }

    private static func escape(
        _ text: String,
        unit: String,
        _ entity: (Unicode.Scalar) -> String?
    ) throws -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isXMLCharacter(scalar) else {
                throw XLIFFError.unrepresentable(
                    unit: unit,
                    message: String(format: "U+%04X is a control character XML 1.0 cannot hold", scalar.value)
                )
            }
            if let e = entity(scalar) { out.append(contentsOf: e.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// XML 1.0's `Char` production.
    static func isXMLCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
