/// An XLIFF 1.2 document (OASIS, `urn:oasis:names:tc:xliff:document:1.2`): what the writer
/// writes and the reader reads. Generic — care record passages and locale catalogs both travel
/// as XLIFF — so it knows nothing about records; callers give units their meaning.
///
/// The reader also accepts XLIFF 1.0/1.1 namespaces (translate-toolkit's `po2xliff` writes 1.1
/// and, with a template, a mix of both) and elements without a namespace.
public struct XLIFFDocument: Sendable, Hashable {
    public var files: [XLIFFFile]

    public init(files: [XLIFFFile]) { self.files = files }

    /// Every unit of every file, in document order.
    public var units: [XLIFFUnit] { files.flatMap(\.units) }
}

/// One `<file>`: a unit of original material in one language pair.
public struct XLIFFFile: Sendable, Hashable {
    /// What was extracted (a file name, a record id); required by XLIFF.
    public var original: String
    public var sourceLanguage: String
    public var targetLanguage: String?
    /// `plaintext` unless told otherwise (po2xliff writes `po`).
    public var datatype: String
    /// Notes in the file's `<header>`.
    public var notes: [XLIFFNote]
    /// Every `<trans-unit>`, including those inside `<group>`s, in document order.
    public var units: [XLIFFUnit]

    public init(
        original: String,
        sourceLanguage: String,
        targetLanguage: String? = nil,
        datatype: String = "plaintext",
        notes: [XLIFFNote] = [],
        units: [XLIFFUnit] = []
    ) {
        self.original = original
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.datatype = datatype
        self.notes = notes
        self.units = units
    }
}

/// A `<trans-unit>`.
public struct XLIFFUnit: Sendable, Hashable {
    public var id: String
    /// `resname`: the resource's name in the original, when it is not the id.
    public var resname: String?
    /// `restype` (po2xliff marks the PO header `x-gettext-domain-header`).
    public var restype: String?
    public var source: XLIFFText
    /// `nil`: no `<target>` element. An empty target is `XLIFFText("")`.
    public var target: XLIFFText?
    /// The target's `state` (`new`, `translated`, `final`, `signed-off`, `needs-review-translation`…).
    public var state: XLIFFState?
    /// The target's `xml:lang`, when it says.
    public var targetLanguage: String?
    /// `approved="yes"|"no"`; `nil` when absent.
    public var approved: Bool?
    public var notes: [XLIFFNote]
    /// Where the text comes from: `<context-group purpose="location">` contexts (po2xliff keeps a
    /// PO file's `#:` references there, `context-type="sourcefile"`).
    public var locations: [String]
    /// `<alt-trans>` proposals (translation memory matches).
    public var alternatives: [XLIFFAlternative]

    public init(
        id: String,
        resname: String? = nil,
        restype: String? = nil,
        source: XLIFFText,
        target: XLIFFText? = nil,
        state: XLIFFState? = nil,
        targetLanguage: String? = nil,
        approved: Bool? = nil,
        notes: [XLIFFNote] = [],
        locations: [String] = [],
        alternatives: [XLIFFAlternative] = []
    ) {
        self.id = id
        self.resname = resname
        self.restype = restype
        self.source = source
        self.target = target
        self.state = state
        self.targetLanguage = targetLanguage
        self.approved = approved
        self.notes = notes
        self.locations = locations
        self.alternatives = alternatives
    }

    /// The target's plain text, `nil` when there is no target or it is empty.
    public var translatedText: String? {
        guard let t = target?.plainText, !t.isEmpty else { return nil }
        return t
    }
}

/// A `<note>`; `from` says who wrote it (po2xliff and xliff2po keep notes `from="developer"` as
/// PO `#.` comments and back, and translators' `#` comments as `from="po-translator"`).
public struct XLIFFNote: Sendable, Hashable {
    public var from: String?
    public var text: String

    public init(_ text: String, from: String? = nil) {
        self.text = text
        self.from = from
    }
}

/// An `<alt-trans>`: a proposed translation, e.g. a translation memory match.
public struct XLIFFAlternative: Sendable, Hashable {
    public var origin: String?
    /// `match-quality` as written (often a percentage).
    public var matchQuality: String?
    public var source: XLIFFText?
    public var target: XLIFFText

    public init(origin: String? = nil, matchQuality: String? = nil, source: XLIFFText? = nil, target: XLIFFText) {
        self.origin = origin
        self.matchQuality = matchQuality
        self.source = source
        self.target = target
    }
}

/// The `state` of a target (XLIFF 1.2's list, or an `x-…` extension).
public struct XLIFFState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let new = XLIFFState(rawValue: "new")
    public static let translated = XLIFFState(rawValue: "translated")
    public static let final = XLIFFState(rawValue: "final")
    public static let signedOff = XLIFFState(rawValue: "signed-off")
    public static let needsTranslation = XLIFFState(rawValue: "needs-translation")
    public static let needsReviewTranslation = XLIFFState(rawValue: "needs-review-translation")

    /// `final` or `signed-off`: done and approved.
    public var isFinal: Bool { self == .final || self == .signedOff }
    /// `new` or any `needs-…`: someone still has work to do on it.
    public var needsWork: Bool { self == .new || rawValue.hasPrefix("needs-") }

    public var description: String { rawValue }
}

/// The content of a `<source>` or `<target>`: text and inline elements (`<x/>`, `<g>`, `<ph>`,
/// `<bpt>`/`<ept>`, `<bx/>`/`<ex/>`, `<it>`, `<mrk>`), kept in order so that they can be
/// checked and written back.
public struct XLIFFText: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var content: [XLIFFInline]

    public init(content: [XLIFFInline]) { self.content = Self.merged(content) }
    public init(_ text: String) { content = text.isEmpty ? [] : [.text(text)] }
    public init(stringLiteral value: String) { self.init(value) }

    /// The translatable text: text, and the text inside `<g>` and `<mrk>`; the native code inside
    /// `<ph>`, `<bpt>`, `<ept>`, `<it>` is not text, nor are empty codes.
    public var plainText: String { Self.plain(content) }

    /// The inline codes (every element but `<mrk>`, which only marks text), depth first.
    public var inlineCodes: [XLIFFInlineCode] {
        var out: [XLIFFInlineCode] = []
        func walk(_ items: [XLIFFInline]) {
            for case .code(let c) in items {
                if c.name != "mrk" { out.append(c) }
                if c.hasTranslatableContent { walk(c.children) }
            }
        }
        walk(content)
        return out
    }

    public var description: String { plainText }

    private static func plain(_ items: [XLIFFInline]) -> String {
        var s = ""
        for item in items {
            switch item {
            case .text(let t): s += t
            case .code(let c): if c.hasTranslatableContent { s += plain(c.children) }
            }
        }
        return s
    }

    /// Adjacent text pieces joined (the parser delivers text in chunks).
    static func merged(_ items: [XLIFFInline]) -> [XLIFFInline] {
        var out: [XLIFFInline] = []
        for item in items {
            if case .text(let t) = item {
                if t.isEmpty { continue }
                if case .text(let previous)? = out.last {
                    out[out.count - 1] = .text(previous + t)
                    continue
                }
            }
            out.append(item)
        }
        return out
    }
}

public indirect enum XLIFFInline: Sendable, Hashable {
    case text(String)
    case code(XLIFFInlineCode)
}

/// An inline element: its local name, its attributes, and what it holds.
public struct XLIFFInlineCode: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var attributes: [String: String]
    public var children: [XLIFFInline]

    public init(name: String, attributes: [String: String] = [:], children: [XLIFFInline] = []) {
        self.name = name
        self.attributes = attributes
        self.children = XLIFFText.merged(children)
    }

    public var id: String? { attributes["id"] ?? attributes["mid"] }

    /// `<g>`, `<mrk>` (and foreign elements) hold translatable text; `<ph>`, `<bpt>`, `<ept>`,
    /// `<it>`, `<sub>` hold native code; `<x/>`, `<bx/>`, `<ex/>` are empty.
    public var hasTranslatableContent: Bool { !["ph", "bpt", "ept", "it", "x", "bx", "ex"].contains(name) }

    /// The inline element names XLIFF 1.2 allows in `<source>` and `<target>`.
    public static let names: Set<String> = ["g", "x", "bx", "ex", "ph", "bpt", "ept", "it", "mrk", "sub"]

    /// How a placeholder check and a message name it: `<x id="1"/>`, `<g id="2">`.
    public var description: String {
        let idPart = id.map { " id=\"\($0)\"" } ?? ""
        return children.isEmpty && !["g", "mrk"].contains(name) ? "<\(name)\(idPart)/>" : "<\(name)\(idPart)>"
    }
}

/// Why a file could not be read or written. Every case names the unit (when there is one) and
/// the line, and says what is wrong in plain words.
public enum XLIFFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not well-formed XML (the XML parser's message and position).
    case malformed(line: Int, column: Int, message: String)
    /// Well-formed XML that is not XLIFF 1.x as this reader needs it.
    case invalid(line: Int, unit: String?, message: String)
    /// A text the writer cannot put in XML 1.0 (a control character).
    case unrepresentable(unit: String, message: String)

    public var description: String {
        switch self {
        case .malformed(let line, let column, let message):
            return "not well-formed XML at line \(line), column \(column): \(message)"
        case .invalid(let line, let unit, let message):
            return (unit.map { "unit \"\($0)\" " } ?? "") + "(line \(line)): \(message)"
        case .unrepresentable(let unit, let message):
            return "unit \"\(unit)\": \(message)"
        }
    }
}
