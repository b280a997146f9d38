import Foundation

/// A block of the flow.
public indirect enum Block: Sendable {
    case paragraph(Paragraph)
    case heading(Heading)
    case list(ListBlock)
    case table(Table)
    case keyValue(KeyValueGrid)
    case callout(Callout)
    case rule(Rule)
    case spacer(Double)
    case image(ImageBlock)
    /// Content placed at a fixed position on the current page (e.g. the #10 window address).
    case frame(Frame)
    case pageBreak
    /// Blocks that stay on one page when they fit on one.
    case keepTogether([Block])
    /// A page of its own whose content is the same in many documents (a letter's page of
    /// language-assistance taglines): see `SharedPage`.
    case sharedPage(SharedPage)
}

/// A page of its own (it starts a new page, and what follows starts another) whose content is
/// the same for many documents: the engine lays it out, draws it and post-processes it once per
/// process and `key`, and joins its PDF objects (content stream, fonts, structure elements) into
/// each document that has it. The page keeps the document's running header and footer. When the
/// content does not fit on one page, or cannot be joined, its blocks are laid out in the flow
/// after a page break, as if they had been written there.
///
/// `key` names the content: two shared pages with the same key, in documents with the same page
/// setup, language, direction and base style, must have the same blocks (the markup parser
/// makes it from the element's markup).
public struct SharedPage: Sendable {
    public var key: String
    public var blocks: [Block]

    public init(key: String, blocks: [Block]) {
        self.key = key
        self.blocks = blocks
    }
}

public enum Alignment: String, Sendable, Hashable, Codable {
    /// Left in LTR paragraphs, right in RTL paragraphs.
    case start
    case end
    case center
    case justify
}

public struct Paragraph: Sendable {
    public var spans: [Span]
    public var style: TextStyle
    public var alignment: Alignment
    public var direction: Direction
    /// Language of the paragraph; `nil` = the document's.
    public var language: String?
    public var spaceBefore: Double
    public var spaceAfter: Double
    public var firstLineIndent: Double
    /// Line height as a multiple of the fonts' natural line height.
    public var lineSpacing: Double
    public var keepWithNext: Bool

    public init(
        _ spans: [Span],
        style: TextStyle = TextStyle(),
        alignment: Alignment = .start,
        direction: Direction = .auto,
        language: String? = nil,
        spaceBefore: Double = 0,
        spaceAfter: Double = 6,
        firstLineIndent: Double = 0,
        lineSpacing: Double = 1.0,
        keepWithNext: Bool = false
    ) {
        self.spans = spans
        self.style = style
        self.alignment = alignment
        self.direction = direction
        self.language = language
        self.spaceBefore = spaceBefore
        self.spaceAfter = spaceAfter
        self.firstLineIndent = firstLineIndent
        self.lineSpacing = lineSpacing
        self.keepWithNext = keepWithNext
    }

    public init(
        _ text: String,
        style: TextStyle = TextStyle(),
        alignment: Alignment = .start,
        language: String? = nil,
        spaceAfter: Double = 6
    ) {
        self.init([Span(text)], style: style, alignment: alignment, language: language, spaceAfter: spaceAfter)
    }
}

public struct Heading: Sendable {
    public var level: Int
    public var spans: [Span]
    public var language: String?
    /// Adds an entry to the PDF outline (bookmarks).
    public var outline: Bool
    /// Space above and below; `nil` = the level's (h1 14/6, h2 12/5, h3 9/3 pt at 11 pt).
    public var spaceBefore: Double?
    public var spaceAfter: Double?

    public init(level: Int, _ spans: [Span], language: String? = nil, outline: Bool = true) {
        self.level = max(1, min(3, level))
        self.spans = spans
        self.language = language
        self.outline = outline
    }
    public init(level: Int, _ text: String, language: String? = nil) {
        self.init(level: level, [Span(text)], language: language)
    }
}

/// A run of text with its own style overrides.
public struct Span: Sendable {
    public var text: String
    public var bold: Bool?
    public var italic: Bool?
    public var size: Double?
    public var color: Color?
    public var underline: Bool?
    public var link: String?
    public var language: String?

    public init(
        _ text: String,
        bold: Bool? = nil,
        italic: Bool? = nil,
        size: Double? = nil,
        color: Color? = nil,
        underline: Bool? = nil,
        link: String? = nil,
        language: String? = nil
    ) {
        self.text = text
        self.bold = bold
        self.italic = italic
        self.size = size
        self.color = color
        self.underline = underline
        self.link = link
        self.language = language
    }

    public static func bold(_ text: String) -> Span { Span(text, bold: true) }
    public static func italic(_ text: String) -> Span { Span(text, italic: true) }

    func resolved(over base: TextStyle) -> TextStyle {
        var s = base
        if let bold { s.bold = bold }
        if let italic { s.italic = italic }
        if let size { s.size = size }
        if let color { s.color = color }
        if let underline { s.underline = underline }
        if let link {
            s.link = link
            if underline == nil { s.underline = true }
            if color == nil { s.color = .link }
        }
        if let language { s.language = language }
        return s
    }
}

/// The resolved style of text.
public struct TextStyle: Sendable, Hashable {
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    public var color: Color
    public var underline: Bool
    public var link: String?
    public var language: String?

    public init(
        size: Double = 11,
        bold: Bool = false,
        italic: Bool = false,
        color: Color = .black,
        underline: Bool = false,
        link: String? = nil,
        language: String? = nil
    ) {
        self.size = size
        self.bold = bold
        self.italic = italic
        self.color = color
        self.underline = underline
        self.link = link
        self.language = language
    }

    public func with(size: Double? = nil, bold: Bool? = nil, italic: Bool? = nil, color: Color? = nil) -> TextStyle {
        var s = self
        if let size { s.size = size }
        if let bold { s.bold = bold }
        if let italic { s.italic = italic }
        if let color { s.color = color }
        return s
    }
}

public struct ListBlock: Sendable {
    public enum Marker: Sendable, Hashable { case bullet, number }
    public var marker: Marker
    public var start: Int
    /// Each item is a list of blocks (a paragraph, or a paragraph and a nested list).
    public var items: [[Block]]
    public var indent: Double
    public var spaceAfter: Double
    /// Space between items (points at 11 pt).
    public var itemSpacing: Double = 2
    /// `.rtl` puts markers on the right and indents from the right; `.auto` follows the document.
    public var direction: Direction

    public init(
        marker: Marker = .bullet,
        start: Int = 1,
        items: [[Block]],
        indent: Double = 18,
        spaceAfter: Double = 6,
        direction: Direction = .auto
    ) {
        self.direction = direction
        self.marker = marker
        self.start = start
        self.items = items
        self.indent = indent
        self.spaceAfter = spaceAfter
    }
}

public struct Table: Sendable {
    public enum Width: Sendable, Hashable {
        /// Points.
        case fixed(Double)
        /// A share of the width left after fixed and auto columns.
        case relative(Double)
        /// Sized from the content (between its longest word and its unbroken width).
        case auto
    }
    public struct Cell: Sendable {
        public var blocks: [Block]
        public var fill: Color?
        public init(_ blocks: [Block], fill: Color? = nil) {
            self.blocks = blocks
            self.fill = fill
        }
        public init(_ text: String, bold: Bool = false) {
            self.blocks = [.paragraph(Paragraph([Span(text, bold: bold ? true : nil)], spaceAfter: 0))]
            self.fill = nil
        }
    }
    public var columns: [Width]
    /// Rows repeated at the top of every page the table continues on.
    public var headerRows: [[Cell]]
    public var rows: [[Cell]]
    public var padding: Insets
    public var borderWidth: Double
    public var borderColor: Color
    public var headerFill: Color?
    public var spaceAfter: Double
    public var direction: Direction
    /// Caption-like summary used as the table's structure title.
    public var summary: String?
    /// The column whose cells head their row (`TH` with `/Scope /Row` in the structure tree),
    /// as in a key-value grid; nil when only the header rows head columns.
    public var rowHeaderColumn: Int?

    public init(
        columns: [Width],
        headerRows: [[Cell]] = [],
        rows: [[Cell]],
        padding: Insets = Insets(vertical: 3, horizontal: 5),
        borderWidth: Double = 0.5,
        borderColor: Color = .gray,
        headerFill: Color? = Color(red: 0.92, green: 0.92, blue: 0.92),
        spaceAfter: Double = 8,
        direction: Direction = .auto,
        summary: String? = nil,
        rowHeaderColumn: Int? = nil
    ) {
        self.columns = columns
        self.headerRows = headerRows
        self.rows = rows
        self.padding = padding
        self.borderWidth = borderWidth
        self.borderColor = borderColor
        self.headerFill = headerFill
        self.spaceAfter = spaceAfter
        self.direction = direction
        self.summary = summary
        self.rowHeaderColumn = rowHeaderColumn
    }
}

/// Label/value pairs in two columns (demographics, contact details).
public struct KeyValueGrid: Sendable {
    public var pairs: [(key: [Span], value: [Span])]
    public var keyWidth: Double?
    public var spaceAfter: Double
    /// Direction of the values (`.firstStrong` for record content); keys follow the document.
    public var valueDirection: Direction = .auto

    public init(pairs: [(key: [Span], value: [Span])], keyWidth: Double? = nil, spaceAfter: Double = 8) {
        self.pairs = pairs
        self.keyWidth = keyWidth
        self.spaceAfter = spaceAfter
    }
    public init(_ pairs: [(String, String)], keyWidth: Double? = nil) {
        self.init(pairs: pairs.map { ([Span($0.0, bold: true)], [Span($0.1)]) }, keyWidth: keyWidth)
    }
}

/// A box with a border and a fill around blocks (e.g. an ALLERGIES warning).
public struct Callout: Sendable {
    public var blocks: [Block]
    public var borderColor: Color
    public var borderWidth: Double
    public var fill: Color?
    public var padding: Insets
    public var spaceAfter: Double

    public init(
        _ blocks: [Block],
        borderColor: Color = .black,
        borderWidth: Double = 1.5,
        fill: Color? = nil,
        padding: Insets = Insets(all: 8),
        spaceAfter: Double = 10
    ) {
        self.blocks = blocks
        self.borderColor = borderColor
        self.borderWidth = borderWidth
        self.fill = fill
        self.padding = padding
        self.spaceAfter = spaceAfter
    }
}

public struct Rule: Sendable {
    public var width: Double
    public var color: Color
    public var spaceBefore: Double
    public var spaceAfter: Double
    public init(width: Double = 0.75, color: Color = .gray, spaceBefore: Double = 4, spaceAfter: Double = 8) {
        self.width = width
        self.color = color
        self.spaceBefore = spaceBefore
        self.spaceAfter = spaceAfter
    }
}

public struct ImageBlock: Sendable {
    /// PNG bytes.
    public var png: Data
    /// Alternative text for the tagged PDF (`/Alt` of the Figure).
    public var alt: String
    /// Width on the page in points (height keeps the aspect ratio).
    public var width: Double
    public var alignment: Alignment
    public var spaceAfter: Double

    public init(png: Data, alt: String, width: Double, alignment: Alignment = .start, spaceAfter: Double = 6) {
        self.png = png
        self.alt = alt
        self.width = width
        self.alignment = alignment
        self.spaceAfter = spaceAfter
    }
}

/// Blocks at a fixed position of the page on which the frame occurs.
public struct Frame: Sendable {
    /// Position and size in points from the top-left corner of the page (not mirrored in RTL:
    /// a window envelope does not mirror).
    public var x: Double, y: Double, width: Double, height: Double
    public var blocks: [Block]
    /// Moves the flow below the frame when the flow is above its bottom edge.
    public var flowBelow: Bool
    /// Body size of the frame's content regardless of the document's (a window address stays
    /// at mailing size in a large-print letter).
    public var baseSize: Double?

    public init(
        x: Double,
        y: Double,
        width: Double,
        height: Double,
        blocks: [Block],
        flowBelow: Bool = true,
        baseSize: Double? = nil
    ) {
        self.baseSize = baseSize
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.blocks = blocks
        self.flowBelow = flowBelow
    }
}
