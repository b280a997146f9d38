import Foundation

/// A node of the PDF structure tree (tagged PDF). Nodes are created by layout; draw operations
/// carry the path of nodes they belong to, so the renderer can open and close tags in order.
final class StructureNode {
    let role: String
    /// Extra Cairo tag attributes (e.g. `alt='…'`).
    let attributes: String
    let id: Int
    /// Alternative text (Figure); written by the post-processor as `/Alt`.
    let alt: String?
    /// A table header cell's scope (`Column` for header rows, `Row` for the key column of a
    /// key-value grid); written by the post-processor as `/A << /O /Table /Scope … >>`.
    let scope: String?
    /// The language of the element when it differs from the document's (a tagline in Khmer on
    /// an English letter); written by the post-processor as `/Lang` (PDF/UA-1 §7.2).
    let lang: String?

    init(
        _ role: String,
        attributes: String = "",
        id: Int,
        alt: String? = nil,
        scope: String? = nil,
        lang: String? = nil
    ) {
        self.role = role
        self.attributes = attributes
        self.id = id
        self.alt = alt
        self.scope = scope
        self.lang = lang
    }
}

/// Hands out structure node ids for one document.
final class StructureBuilder {
    private var next = 0
    func node(
        _ role: String,
        attributes: String = "",
        alt: String? = nil,
        scope: String? = nil,
        lang: String? = nil
    ) -> StructureNode {
        next += 1
        return StructureNode(role, attributes: attributes, id: next, alt: alt, scope: scope, lang: lang)
    }
}

/// A positioned run of glyphs with the text it came from (for extraction in logical order).
struct GlyphRunOp {
    var face: FontFace
    var size: Double
    var color: Color
    /// Glyph positions (x, y) in points relative to the run's origin (`originX`, `originY`); y is
    /// the baseline, downwards. Moving a run (a line into its cell, a cell into its row, a row
    /// onto its page) moves its origin: the positions are not copied at every step.
    var relativeGlyphs: [(id: UInt32, x: Double, y: Double)]
    var originX = 0.0
    var originY = 0.0
    /// The baseline the glyphs sit on (glyph y differs where marks are raised or lowered).
    var baseline: Double
    var text: String
    /// (UTF-8 bytes, glyphs) pairs in glyph order.
    var clusters: [(bytes: Int32, glyphs: Int32)]
    var backward: Bool
    var link: String?

    /// Glyph positions on the page (x, y) in points.
    var glyphs: [(id: UInt32, x: Double, y: Double)] {
        relativeGlyphs.map { ($0.id, $0.x + originX, $0.y + originY) }
    }

    /// Whether any glyph's position on the page satisfies `test`, without making the array.
    func containsGlyph(where test: (Double, Double) -> Bool) -> Bool {
        relativeGlyphs.contains { test($0.x + originX, $0.y + originY) }
    }
}

enum DrawOp {
    case glyphs(GlyphRunOp)
    case fillRect(x: Double, y: Double, width: Double, height: Double, color: Color)
    case strokeRect(x: Double, y: Double, width: Double, height: Double, color: Color, lineWidth: Double)
    case line(x1: Double, y1: Double, x2: Double, y2: Double, color: Color, width: Double)
    case image(png: Data, x: Double, y: Double, width: Double, height: Double)

    func offset(dx: Double, dy: Double) -> DrawOp {
        switch self {
        case .glyphs(var g):
            g.originX += dx
            g.originY += dy
            g.baseline += dy
            return .glyphs(g)
        case let .fillRect(x, y, w, h, c): return .fillRect(x: x + dx, y: y + dy, width: w, height: h, color: c)
        case let .strokeRect(x, y, w, h, c, lw):
            return .strokeRect(x: x + dx, y: y + dy, width: w, height: h, color: c, lineWidth: lw)
        case let .line(x1, y1, x2, y2, c, w):
            return .line(x1: x1 + dx, y1: y1 + dy, x2: x2 + dx, y2: y2 + dy, color: c, width: w)
        case let .image(png, x, y, w, h): return .image(png: png, x: x + dx, y: y + dy, width: w, height: h)
        }
    }

    /// Content that is part of the text (tagged); the rest is drawn as decoration first.
    var isContent: Bool {
        switch self {
        case .glyphs, .image: return true
        default: return false
        }
    }
}

/// A draw operation with the structure path it belongs to.
struct PlacedOp {
    var op: DrawOp
    var tags: [StructureNode]
    /// A running header's or footer's text or rule: drawn last on the page, after every tag is
    /// closed, and marked `/Artifact <</Type /Pagination>>` by the post-processor. Other untagged
    /// ops (fills, borders, rules, the repeated header rows of a continued table) become plain
    /// `/Artifact`s.
    var pagination = false
}

/// An entry of the PDF outline.
struct OutlineEntry {
    var title: String
    var level: Int
    var page: Int
    var y: Double
}

/// One laid-out page.
struct PageBox {
    var ops: [PlacedOp] = []
    var outline: [OutlineEntry] = []
    /// The key of the shared page whose content this page gets (its own ops are the running
    /// header and footer only).
    var shared: SharedPageKey?
}

/// A shared page's key in a document: the document's settings its layout depends on
/// (`Engine.sharedPageKey`) and the `SharedPage`'s own key, as bytes (hashing them is cheap;
/// a `String` key of many scripts would be normalized at every look-up).
typealias SharedPageKey = Data

/// A page reserved for a shared page's content: its key and its headings' outline entries.
struct SharedPageReservation {
    var key: SharedPageKey
    var outline: [OutlineEntry]
}
