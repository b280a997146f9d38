import Foundation

/// A document to typeset: page setup, running decorations, metadata and a flow of blocks.
///
/// The tree is plain values (`Sendable`), built by templates or by code, and knows nothing of
/// fonts or PDF. `Engine.render(_:)` lays it out and writes it.
public struct Document: Sendable {
    public var page: PageSetup
    /// BCP 47 tag of the document's main language (`/Lang` in the PDF, default shaping language).
    public var language: String
    /// Base direction of the document. `.auto` follows the language (ar, he, fa, ur are RTL).
    public var direction: Direction
    public var metadata: Metadata
    public var baseStyle: TextStyle
    /// Running header of every page (of every page but the first when `firstPageHeader` is set).
    public var header: PageDecoration?
    /// Header of the first page instead of `header`; an empty decoration keeps the first page
    /// free for a letterhead in the flow.
    public var firstPageHeader: PageDecoration?
    public var footer: PageDecoration?
    /// Values for the `{title}` and `{ref}` fields of headers and footers.
    public var referenceID: String?
    public var blocks: [Block]
    /// Multiplies every paragraph's line spacing (1 = the fonts' natural line height): a script
    /// whose font has tall line metrics (Noto Sans Arabic) can be set closer.
    public var lineSpacing: Double = 1

    public init(
        page: PageSetup = .letter,
        language: String = "en",
        direction: Direction = .auto,
        metadata: Metadata = Metadata(),
        baseStyle: TextStyle = TextStyle(),
        header: PageDecoration? = nil,
        firstPageHeader: PageDecoration? = nil,
        footer: PageDecoration? = nil,
        referenceID: String? = nil,
        blocks: [Block] = []
    ) {
        self.page = page
        self.language = language
        self.direction = direction
        self.metadata = metadata
        self.baseStyle = baseStyle
        self.header = header
        self.firstPageHeader = firstPageHeader
        self.footer = footer
        self.referenceID = referenceID
        self.blocks = blocks
    }

    /// The resolved base direction of the document.
    public var resolvedDirection: Direction {
        switch direction {
        case .ltr, .rtl: return direction
        case .auto, .firstStrong: return Direction.forLanguage(language)
        }
    }
}

public enum Direction: String, Sendable, Hashable, Codable {
    case auto, ltr, rtl
    /// The content's own direction, like HTML's `dir="auto"` (markup `dir="first-strong"`): a
    /// paragraph takes the direction of its first strong letter (resolved by FriBidi, UAX #9
    /// P2–P3; text inside left-to-right or right-to-left isolates does not count, a first-strong
    /// isolate around a passage counts by its content), and the surrounding direction when it
    /// has none ("18 units" alone in an Arabic table stays right-to-left). It is aligned by
    /// that direction (`.start` is its own start). A list item whose first paragraph is
    /// first-strong puts its marker on that side; a table or list given it keeps the
    /// surrounding column order and passes it to its cells and items.
    case firstStrong = "first-strong"

    static let rtlLanguages: Set<String> = ["ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"]

    /// The direction of a language's script, from the tag's primary subtag. Layout asks this for
    /// every paragraph it prepares: the subtag is read in place (a tag's primary subtag is a
    /// small string, made without allocating), not split into an array.
    public static func forLanguage(_ tag: String) -> Direction {
        let primary = tag[..<(tag.utf8.firstIndex(of: UInt8(ascii: "-")) ?? tag.endIndex)]
        let lowercase = primary.utf8.allSatisfy { $0 < UInt8(ascii: "A") || $0 > UInt8(ascii: "Z") }
        return rtlLanguages.contains(lowercase ? String(primary) : primary.lowercased()) ? .rtl : .ltr
    }
}

public struct Metadata: Sendable, Hashable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var keywords: [String]
    public var creator: String?
    /// Creation date written as a valid PDF date (`D:YYYYMMDDHHmmSS+HH'mm'`). Defaults to now.
    public var creationDate: Date?

    public init(
        title: String? = nil,
        author: String? = nil,
        subject: String? = nil,
        keywords: [String] = [],
        creator: String? = "CareDocs",
        creationDate: Date? = nil
    ) {
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.creator = creator
        self.creationDate = creationDate
    }
}

/// Page size and margins, in PDF points (1/72 in).
public struct PageSetup: Sendable, Hashable {
    public var width: Double
    public var height: Double
    public var margins: Insets
    /// Top margin of the first page when it differs (a letterhead page).
    public var firstPageTopMargin: Double?

    public init(width: Double, height: Double, margins: Insets, firstPageTopMargin: Double? = nil) {
        self.width = width
        self.height = height
        self.margins = margins
        self.firstPageTopMargin = firstPageTopMargin
    }

    public static let letter = PageSetup(width: 612, height: 792, margins: Insets(all: 72))
    public static let a4 = PageSetup(width: 595.28, height: 841.89, margins: Insets(all: 72))
}

public struct Insets: Sendable, Hashable {
    public var top: Double, right: Double, bottom: Double, left: Double
    public init(top: Double, right: Double, bottom: Double, left: Double) {
        self.top = top
        self.right = right
        self.bottom = bottom
        self.left = left
    }
    public init(all v: Double) { self.init(top: v, right: v, bottom: v, left: v) }
    public init(vertical: Double, horizontal: Double) {
        self.init(top: vertical, right: horizontal, bottom: vertical, left: horizontal)
    }
    public static let zero = Insets(all: 0)
}

/// A running header or footer: three slots of text with fields `{page}`, `{pages}`, `{title}`,
/// `{ref}`. In an RTL document the start slot is on the right.
public struct PageDecoration: Sendable, Hashable {
    public var start: String
    public var center: String
    public var end: String
    public var style: TextStyle
    /// Draw a thin rule between the decoration and the body.
    public var rule: Bool

    public init(
        start: String = "",
        center: String = "",
        end: String = "",
        style: TextStyle = TextStyle(size: 9),
        rule: Bool = false
    ) {
        self.start = start
        self.center = center
        self.end = end
        self.style = style
        self.rule = rule
    }
}

public struct Color: Sendable, Hashable {
    public var red: Double, green: Double, blue: Double
    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }
    /// `#rrggbb`
    public init?(hex: String) {
        var s = hex
        if s.hasPrefix("#") { s.removeFirst() }
        guard s.count == 6, let v = UInt32(s, radix: 16) else { return nil }
        self.init(
            red: Double((v >> 16) & 0xff) / 255,
            green: Double((v >> 8) & 0xff) / 255,
            blue: Double(v & 0xff) / 255
        )
    }
    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let gray = Color(red: 0.45, green: 0.45, blue: 0.45)
    public static let lightGray = Color(red: 0.85, green: 0.85, blue: 0.85)
    public static let red = Color(red: 0.75, green: 0.05, blue: 0.05)
    public static let link = Color(red: 0.05, green: 0.25, blue: 0.65)
}
