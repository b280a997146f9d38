import Foundation
import Typesetting

/// Parses the document markup templates produce (an XML vocabulary, see `docs/MARKUP.md`) into
/// the engine's `Document` tree. Values in the markup were escaped by the template engine, so
/// data can never add elements: it only ever arrives as text.
public struct MarkupParser {
    /// Images the markup may name by `src` (the letterhead logo …).
    public var images: [String: Data]

    public init(images: [String: Data] = [:]) {
        self.images = images
    }

    public func parse(_ markup: String) throws -> Document {
        try parse(utf8: Array(markup.utf8))
    }

    /// The markup as UTF-8 bytes (what `TemplateLibrary` renders).
    public func parse(utf8 markup: [UInt8]) throws -> Document {
        // MarkupReader is strict: unbalanced tags are an error with the line, never a guess.
        let root = try MarkupReader.parse(utf8: markup)
        guard root.name == "document" else {
            throw MarkupError("the markup must have <document> as its root element")
        }
        var doc = Document()
        doc.language = root.attr("lang") ?? "en"
        doc.direction = Direction(rawValue: root.attr("dir") ?? "auto") ?? .auto
        doc.page = try pageSetup(root)
        if let size = root.double("base-size") { doc.baseStyle.size = size }
        if let spacing = root.double("line-spacing"), spacing > 0 { doc.lineSpacing = spacing }
        doc.metadata = Metadata(
            title: root.attr("title"),
            author: root.attr("author"),
            subject: root.attr("subject"),
            keywords: (root.attr("keywords") ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty },
            creator: root.attr("creator") ?? "CareDocs"
        )
        doc.referenceID = root.attr("ref")
        var blocks: [Block] = []
        for child in root.elementChildren {
            switch child.name {
            case "header": doc.header = decoration(child)
            case "first-header": doc.firstPageHeader = decoration(child)
            case "footer": doc.footer = decoration(child)
            default: blocks.append(contentsOf: try self.blocks([child], context: Inherited()))
            }
        }
        doc.blocks = blocks
        return doc
    }

    // MARK: Document level

    private func pageSetup(_ e: MarkupElement) throws -> PageSetup {
        var page: PageSetup
        switch e.attr("size") ?? "letter" {
        case "letter": page = .letter
        case "a4": page = .a4
        case let other: throw MarkupError("unknown page size '\(other)' (letter or a4)")
        }
        if let m = e.double("margin") { page.margins = Insets(all: m) }
        if let m = e.double("margin-top") { page.margins.top = m }
        if let m = e.double("margin-bottom") { page.margins.bottom = m }
        if let m = e.double("margin-left") { page.margins.left = m }
        if let m = e.double("margin-right") { page.margins.right = m }
        page.firstPageTopMargin = e.double("first-page-margin-top")
        return page
    }

    private func decoration(_ e: MarkupElement) -> PageDecoration {
        var style = TextStyle(size: e.double("size") ?? 9)
        if let c = e.attr("color").flatMap(Color.init(hex:)) { style.color = c }
        return PageDecoration(
            start: e.attr("start") ?? "",
            center: e.attr("center") ?? "",
            end: e.attr("end") ?? "",
            style: style,
            rule: e.bool("rule") ?? false
        )
    }

    // MARK: Blocks

    /// Attributes that flow down to nested content.
    struct Inherited {
        var language: String?
        var direction: Direction = .auto
    }

    /// The context of an element that is not a block but holds blocks (`li`, `td`, `th`): its
    /// own `lang` and `dir` (`dir="first-strong"`: record content that takes its direction from
    /// its own text).
    private static func inherited(_ e: MarkupElement, _ parent: Inherited) -> Inherited {
        var context = parent
        if let lang = e.attr("lang") { context.language = lang }
        if let dir = e.attr("dir").flatMap(Direction.init(rawValue:)) { context.direction = dir }
        return context
    }

    private func blocks(_ nodes: [MarkupNode], context: Inherited) throws -> [Block] {
        var out: [Block] = []
        var inline: [MarkupNode] = []
        func flushInline() throws {
            defer { inline.removeAll(keepingCapacity: true) }
            // Most runs between blocks are the templates' line breaks and indentation.
            if inline.allSatisfy({ $0.kind == .text && Self.isASCIISpace($0.stringValue ?? "") }) { return }
            let spans = try self.spans(inline, style: SpanStyle())
            let text = spans.map(\.text).joined()
            // Only white space between blocks (`properties.isWhitespace`: the set Foundation's
            // `whitespacesAndNewlines` has, without bridging to NSString for every run).
            guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { return }
            out.append(
                .paragraph(
                    Paragraph(trim(spans), direction: context.direction, language: context.language, spaceAfter: 0)
                )
            )
        }
        for node in nodes {
            if let e = node as? MarkupElement, Self.blockElements.contains(e.name ?? "") {
                try flushInline()
                out.append(contentsOf: try block(e, context: context))
            } else {
                inline.append(node)
            }
        }
        try flushInline()
        return out
    }

    private static func isASCIISpace(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
    }

    static let blockElements: Set<String> = [
        "p", "h1", "h2", "h3", "ul", "ol", "table", "kv", "callout", "rule", "spacer", "image",
        "frame", "page-break", "keep", "section", "shared-page",
    ]

    /// The element written out whole (names, attributes in order, text, and for an image the
    /// identity of its bytes): the key of a shared page.
    static func canonical(_ node: MarkupNode, images: [String: Data], into out: inout String) {
        guard let e = node as? MarkupElement else {
            out += "\u{1}"
            out += node.stringValue ?? ""
            return
        }
        out += "<\(e.name ?? "")"
        for (name, value) in e.attributes { out += "\u{2}\(name)=\(value)" }
        if e.name == "image", let png = e.attr("src").flatMap({ images[$0] }) {
            out += "\u{2}#\(png.count)/\(png.hashValue)"
        }
        out += ">"
        for child in e.childNodes { canonical(child, images: images, into: &out) }
        out += "</>"
    }

    private func block(_ e: MarkupElement, context parent: Inherited) throws -> [Block] {
        var context = parent
        if let lang = e.attr("lang") { context.language = lang }
        if let dir = e.attr("dir").flatMap(Direction.init(rawValue:)) { context.direction = dir }
        switch e.name ?? "" {
        case "p":
            var p = Paragraph(
                trim(try spans(e.children ?? [], style: SpanStyle())),
                direction: context.direction,
                language: context.language
            )
            p.alignment = Alignment(rawValue: e.attr("align") ?? "start") ?? .start
            if let size = e.double("size") { p.style.size = size }
            if e.bool("bold") == true { p.style.bold = true }
            if e.bool("italic") == true { p.style.italic = true }
            if let c = e.attr("color").flatMap(Color.init(hex:)) { p.style.color = c }
            if let v = e.double("space-before") { p.spaceBefore = v }
            if let v = e.double("space-after") { p.spaceAfter = v }
            if let v = e.double("indent") { p.firstLineIndent = v }
            if let v = e.double("line-spacing") { p.lineSpacing = v }
            if e.bool("keep-with-next") == true { p.keepWithNext = true }
            return [.paragraph(p)]
        case "h1", "h2", "h3":
            let level = Int(String(e.name!.last!))!
            var h = Heading(
                level: level,
                trim(try spans(e.children ?? [], style: SpanStyle())),
                language: context.language
            )
            if e.bool("outline") == false { h.outline = false }
            h.spaceBefore = e.double("space-before")
            h.spaceAfter = e.double("space-after")
            return [.heading(h)]
        case "ul", "ol":
            var items: [[Block]] = []
            for li in e.elementChildren where li.name == "li" {
                items.append(try blocks(li.children ?? [], context: Self.inherited(li, context)))
            }
            var list = ListBlock(
                marker: e.name == "ol" ? .number : .bullet,
                start: e.int("start") ?? 1,
                items: items,
                direction: context.direction
            )
            if let v = e.double("item-space") { list.itemSpacing = v }
            return [.list(list)]
        case "table":
            return [.table(try table(e, context: context))]
        case "kv":
            var pairs: [(key: [Span], value: [Span])] = []
            for row in e.elementChildren where row.name == "row" {
                let key = row.elementChildren.first { $0.name == "key" }
                let value = row.elementChildren.first { $0.name == "value" }
                pairs.append(
                    (
                        trim(try spans(key?.children ?? [], style: SpanStyle(bold: true))),
                        trim(try spans(value?.children ?? [], style: SpanStyle()))
                    )
                )
            }
            var grid = KeyValueGrid(pairs: pairs, keyWidth: e.double("key-width"))
            if let dir = e.attr("value-dir").flatMap(Direction.init(rawValue:)) { grid.valueDirection = dir }
            return [.keyValue(grid)]
        case "callout":
            var c = Callout(try blocks(e.children ?? [], context: context))
            if let v = e.attr("border").flatMap(Color.init(hex:)) { c.borderColor = v }
            if let v = e.double("border-width") { c.borderWidth = v }
            c.fill = e.attr("fill").flatMap(Color.init(hex:))
            if let v = e.double("padding") { c.padding = Insets(all: v) }
            if let v = e.double("space-after") { c.spaceAfter = v }
            return [.callout(c)]
        case "rule":
            var r = Rule()
            if let v = e.double("width") { r.width = v }
            if let v = e.attr("color").flatMap(Color.init(hex:)) { r.color = v }
            return [.rule(r)]
        case "spacer":
            return [.spacer(e.double("height") ?? 12)]
        case "image":
            guard let src = e.attr("src"), let png = images[src] else {
                throw MarkupError("<image> names an unknown image '\(e.attr("src") ?? "")'")
            }
            return [
                .image(
                    ImageBlock(
                        png: png,
                        alt: e.attr("alt") ?? "",
                        width: e.double("width") ?? 72,
                        alignment: Alignment(rawValue: e.attr("align") ?? "start") ?? .start
                    )
                )
            ]
        case "frame":
            guard let x = e.double("x"), let y = e.double("y"), let w = e.double("width"), let h = e.double("height")
            else {
                throw MarkupError("<frame> needs x, y, width and height")
            }
            return [
                .frame(
                    Frame(
                        x: x,
                        y: y,
                        width: w,
                        height: h,
                        blocks: try blocks(e.children ?? [], context: context),
                        flowBelow: e.bool("flow-below") ?? true,
                        baseSize: e.double("base-size")
                    )
                )
            ]
        case "page-break":
            return [.pageBreak]
        case "keep":
            return [.keepTogether(try blocks(e.children ?? [], context: context))]
        case "shared-page":
            // Its key is its markup, written out canonically, and the attributes it inherits:
            // the same key means the same blocks (the engine adds the document's own settings).
            var key = "\(context.language ?? "")|\(context.direction.rawValue)|"
            Self.canonical(e, images: images, into: &key)
            return [.sharedPage(SharedPage(key: key, blocks: try blocks(e.children ?? [], context: context)))]
        case "section":
            // A grouping element (for templates): its children are blocks.
            return try blocks(e.children ?? [], context: context)
        default:
            return []
        }
    }

    private func table(_ e: MarkupElement, context: Inherited) throws -> Table {
        var columns: [Table.Width] = []
        for spec in (e.attr("columns") ?? "").split(separator: " ") {
            let s = String(spec)
            if s == "auto" {
                columns.append(.auto)
            } else if s.hasSuffix("*"), let w = Double(s.dropLast()) {
                columns.append(.relative(w))
            } else if s == "*" {
                columns.append(.relative(1))
            } else if let w = Double(s) {
                columns.append(.fixed(w))
            } else {
                throw MarkupError("table column '\(s)': use a width in points, 'auto', or a share like '2*'")
            }
        }
        func rows(_ container: MarkupElement, header: Bool) throws -> [[Table.Cell]] {
            try container.elementChildren.filter { $0.name == "tr" }.map { tr in
                try tr.elementChildren.filter { $0.name == "td" || $0.name == "th" }.map { cell in
                    var blocks = try self.blocks(cell.children ?? [], context: Self.inherited(cell, context))
                    if header || cell.name == "th" {
                        blocks = blocks.map { b in
                            guard case .paragraph(var p) = b else { return b }
                            p.style.bold = true
                            return .paragraph(p)
                        }
                    }
                    return Table.Cell(blocks, fill: cell.attr("fill").flatMap(Color.init(hex:)))
                }
            }
        }
        let head = try e.elementChildren.filter { $0.name == "thead" }.flatMap { try rows($0, header: true) }
        var body = try e.elementChildren.filter { $0.name == "tbody" }.flatMap { try rows($0, header: false) }
        body += try rows(e, header: false)
        var t = Table(
            columns: columns,
            headerRows: head,
            rows: body,
            direction: context.direction,
            summary: e.attr("summary")
        )
        if let b = e.double("border") { t.borderWidth = b }
        if e.attr("header-fill") == "none" { t.headerFill = nil }
        if let p = e.double("padding") { t.padding = Insets(vertical: p / 2, horizontal: p) }
        return t
    }

    // MARK: Inline content

    struct SpanStyle {
        var bold: Bool?
        var italic: Bool?
        var size: Double?
        var color: Color?
        var underline: Bool?
        var link: String?
        var language: String?
    }

    private func spans(_ nodes: [MarkupNode], style: SpanStyle) throws -> [Span] {
        var out: [Span] = []
        for node in nodes {
            if let e = node as? MarkupElement {
                var s = style
                switch e.name ?? "" {
                case "b", "strong": s.bold = true
                case "i", "em": s.italic = true
                case "u": s.underline = true
                case "a": s.link = e.attr("href")
                case "br":
                    out.append(
                        Span(
                            "\n",
                            bold: s.bold,
                            italic: s.italic,
                            size: s.size,
                            color: s.color,
                            underline: s.underline,
                            link: s.link,
                            language: s.language
                        )
                    )
                    continue
                case "span":
                    if let v = e.double("size") { s.size = v }
                    if let v = e.attr("color").flatMap(Color.init(hex:)) { s.color = v }
                    if e.bool("bold") == true { s.bold = true }
                    if e.bool("italic") == true { s.italic = true }
                    if e.bool("underline") == true { s.underline = true }
                case "ltr":
                    // Data that must read left to right inside any paragraph (phones, ids, dates):
                    // wrapped in a left-to-right isolate.
                    out.append(Span("\u{2066}", language: s.language))
                    out.append(contentsOf: try spans(e.children ?? [], style: s))
                    out.append(Span("\u{2069}", language: s.language))
                    continue
                default:
                    throw MarkupError("<\(e.name ?? "")> is not allowed inside text")
                }
                if let lang = e.attr("lang") { s.language = lang }
                out.append(contentsOf: try spans(e.children ?? [], style: s))
            } else if node.kind == .text, let text = node.stringValue {
                out.append(
                    Span(
                        collapse(text),
                        bold: style.bold,
                        italic: style.italic,
                        size: style.size,
                        color: style.color,
                        underline: style.underline,
                        link: style.link,
                        language: style.language
                    )
                )
            }
        }
        return out
    }

    /// Runs of white space (space, tab, CR, LF) become one space, as in HTML. On the UTF-8
    /// bytes: the four are ASCII, and a string without a run to change is returned as is.
    private func collapse(_ s: String) -> String {
        var bytesOf = s
        return bytesOf.withUTF8 { bytes -> String in
            @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
            var changes = false
            var previousSpace = false
            for b in bytes {
                let space = isSpace(b)
                if space && (b != 0x20 || previousSpace) {
                    changes = true
                    break
                }
                previousSpace = space
            }
            if !changes { return s }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var space = false
            for b in bytes {
                if isSpace(b) {
                    space = true
                } else {
                    if space { out.append(0x20) }
                    space = false
                    out.append(b)
                }
            }
            if space { out.append(0x20) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Drops the white space at the start and end of a paragraph and around forced breaks.
    private func trim(_ spans: [Span]) -> [Span] {
        // Most paragraphs have nothing to drop (the templates write `<p>{{text}}</p>`).
        if let first = spans.first, let last = spans.last, first.text.utf8.first != 0x20,
            last.text.utf8.last != 0x20, !spans.contains(where: { $0.text.isEmpty })
        {
            return spans
        }
        var spans = spans.filter { !$0.text.isEmpty }
        guard !spans.isEmpty else { return [] }
        while let first = spans.first, first.text.hasPrefix(" ") {
            spans[0].text.removeFirst()
            if spans[0].text.isEmpty { spans.removeFirst() } else { break }
        }
        while let last = spans.last, last.text.hasSuffix(" ") {
            spans[spans.count - 1].text.removeLast()
            if spans[spans.count - 1].text.isEmpty { spans.removeLast() } else { break }
        }
        return spans
    }
}

public struct MarkupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
