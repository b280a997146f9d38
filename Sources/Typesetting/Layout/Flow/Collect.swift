import Foundation

/// What a block is laid out in: its column, language, direction and structure parent.
struct LayoutContext {
    var x: Double
    var width: Double
    var language: String
    var direction: Direction
    var style: TextStyle
    var tags: [StructureNode]
    var listDepth = 0
    /// The document's line spacing factor (`Document.lineSpacing`), times each paragraph's.
    var lineSpacing = 1.0
    /// Document base size / 11 pt: sizes in blocks are relative to an 11 pt body.
    var scale: Double { style.size / 11 }
}

extension LayoutContext {
    /// The page's text column, in the document's language, direction and base style.
    init(document: Document) {
        let page = document.page
        self.init(
            x: page.margins.left,
            width: page.width - page.margins.left - page.margins.right,
            language: document.language,
            direction: document.resolvedDirection == .rtl ? .rtl : .ltr,
            style: document.baseStyle,
            tags: [],
            lineSpacing: document.lineSpacing
        )
    }
}

/// Stage 1 of the document flow (collect): blocks into flow items. Paragraphs become lines
/// (through `ParagraphLayout`), tables rows (`CollectTable.swift`), boxes splittable stacks.
/// Collects the warnings and the characters no font covers on the way.
final class BlockLayout {
    let text: ParagraphLayout
    let structure: StructureBuilder
    var warnings: [String] = []
    /// Characters no font covers, over every paragraph laid out (for the render report).
    var fallback = FontFallbackReport()
    /// The shared pages made already (by their key in this document, `Engine.sharedPageKey`),
    /// with their outline entries; a shared page not here is laid out in the flow.
    let sharedPages: [SharedPageKey: [OutlineEntry]]
    /// The document's part of a shared page's key.
    let documentKey: SharedPageKey

    init(
        text: ParagraphLayout,
        structure: StructureBuilder,
        sharedPages: [SharedPageKey: [OutlineEntry]] = [:],
        documentKey: SharedPageKey = Data()
    ) {
        self.text = text
        self.structure = structure
        self.sharedPages = sharedPages
        self.documentKey = documentKey
    }

    /// A block's items with the spacing around it and whether it keeps with the next block.
    private struct Collected {
        var items: [FlowItem]
        var spaceBefore: Double
        var spaceAfter: Double
        var keepWithNext: Bool
    }

    func items(_ blocks: [Block], _ ctx: LayoutContext) -> [FlowItem] {
        var out: [FlowItem] = []
        var pendingSpace = 0.0
        var keepWithPrevious = false
        for block in blocks {
            let collected = collect(block, ctx)
            guard let first = collected.items.first else { continue }
            first.spaceBefore = max(first.spaceBefore, max(pendingSpace, collected.spaceBefore))
            if keepWithPrevious { first.keepWithPrevious = true }
            out.append(contentsOf: collected.items)
            pendingSpace = collected.spaceAfter
            keepWithPrevious = collected.keepWithNext
        }
        return out
    }

    private func collect(_ block: Block, _ ctx: LayoutContext) -> Collected {
        switch block {
        case .paragraph(let paragraph):
            let node = structure.node("P", lang: paragraph.language.flatMap { $0 == ctx.language ? nil : $0 })
            return Collected(
                items: self.paragraph(paragraph, ctx, tags: ctx.tags + [node]),
                spaceBefore: paragraph.spaceBefore,
                spaceAfter: paragraph.spaceAfter,
                keepWithNext: paragraph.keepWithNext
            )
        case .heading(let heading):
            return self.heading(heading, ctx)
        case .list(let list):
            return Collected(
                items: self.list(list, ctx),
                spaceBefore: 2,
                spaceAfter: list.spaceAfter,
                keepWithNext: false
            )
        case .table(let table):
            return Collected(
                items: self.table(table, ctx),
                spaceBefore: 4,
                spaceAfter: table.spaceAfter,
                keepWithNext: false
            )
        case .keyValue(let grid):
            return Collected(
                items: table(keyValueTable(grid, ctx), ctx, role: "Table"),
                spaceBefore: 2,
                spaceAfter: grid.spaceAfter,
                keepWithNext: false
            )
        case .callout(let callout):
            return Collected(
                items: [self.callout(callout, ctx)],
                spaceBefore: 4,
                spaceAfter: callout.spaceAfter,
                keepWithNext: false
            )
        case .rule(let rule):
            let y = rule.width / 2
            let op = PlacedOp(
                op: .line(x1: ctx.x, y1: y, x2: ctx.x + ctx.width, y2: y, color: rule.color, width: rule.width),
                tags: []
            )
            return Collected(
                items: [FlowItem(ops: [op], height: rule.width)],
                spaceBefore: rule.spaceBefore,
                spaceAfter: rule.spaceAfter,
                keepWithNext: false
            )
        case .spacer(let height):
            return Collected(
                items: [FlowItem.spacer(max(0, height))],
                spaceBefore: 0,
                spaceAfter: 0,
                keepWithNext: false
            )
        case .image(let image):
            return Collected(
                items: [self.image(image, ctx)],
                spaceBefore: 0,
                spaceAfter: image.spaceAfter,
                keepWithNext: false
            )
        case .frame(let frame):
            return Collected(items: [self.frame(frame, ctx)], spaceBefore: 0, spaceAfter: 0, keepWithNext: false)
        case .pageBreak:
            let item = FlowItem(ops: [], height: 0)
            item.pageBreakBefore = true
            return Collected(items: [item], spaceBefore: 0, spaceAfter: 0, keepWithNext: false)
        case .keepTogether(let blocks):
            let inner = items(blocks, ctx)
            for item in inner.dropFirst() { item.keepWithPrevious = true }
            return Collected(items: inner, spaceBefore: 0, spaceAfter: 0, keepWithNext: false)
        case .sharedPage(let shared):
            let key = documentKey + Data(shared.key.utf8)
            if let outline = sharedPages[key] {
                let item = FlowItem(ops: [], height: 0)
                item.sharedPage = SharedPageReservation(key: key, outline: outline)
                return Collected(items: [item], spaceBefore: 0, spaceAfter: 0, keepWithNext: false)
            }
            // Not made (it does not fit on one page, or cannot be joined): in the flow, after a
            // page break, as if written there.
            let pageBreak = FlowItem(ops: [], height: 0)
            pageBreak.pageBreakBefore = true
            return Collected(
                items: [pageBreak] + items(shared.blocks, ctx),
                spaceBefore: 0,
                spaceAfter: 0,
                keepWithNext: false
            )
        }
    }

    // MARK: Paragraphs

    /// Prepares spans in a context (every paragraph goes through here, so its uncovered
    /// characters are collected).
    func prepare(
        _ spans: [Span],
        style: TextStyle,
        ctx: LayoutContext,
        language: String?,
        direction: Direction
    ) -> PreparedParagraph {
        let resolvedLanguage = language ?? ctx.language
        let resolvedSpans = spans.map { span -> (String, TextStyle) in
            var spanStyle = span.resolved(over: style)
            if span.size != nil { spanStyle.size *= ctx.scale }
            return (span.text, spanStyle)
        }
        let inherited: Direction = direction == .auto ? (ctx.direction == .rtl ? .rtl : .auto) : direction
        let prepared = text.prepare(
            spans: resolvedSpans,
            base: style,
            direction: inherited == .auto
                ? Direction.forLanguage(resolvedLanguage) == .rtl ? .rtl : .auto : inherited,
            language: resolvedLanguage,
            surrounding: ctx.direction == .rtl ? .rtl : .ltr
        )
        fallback.merge(prepared.fallback)
        return prepared
    }

    func paragraph(
        _ paragraph: Paragraph,
        _ ctx: LayoutContext,
        tags: [StructureNode],
        widowControl: Bool = true
    ) -> [FlowItem] {
        // Paragraph sizes are given for an 11 pt body and scale with the document's base size
        // (large print).
        var style = paragraph.style
        style.size = paragraph.style.size * ctx.scale
        if ctx.style.bold { style.bold = true }
        let prepared = prepare(
            paragraph.spans,
            style: style,
            ctx: ctx,
            language: paragraph.language,
            direction: paragraph.direction
        )
        let lines = text.lines(
            prepared,
            width: ctx.width,
            alignment: paragraph.alignment,
            firstLineIndent: paragraph.firstLineIndent,
            lineSpacing: paragraph.lineSpacing * ctx.lineSpacing
        )
        var items: [FlowItem] = []
        for (lineIndex, line) in lines.enumerated() {
            let ops = line.ops.map { PlacedOp(op: $0.offset(dx: ctx.x, dy: line.baseline), tags: tags) }
            let item = FlowItem(ops: ops, height: line.height)
            item.firstBaseline = line.baseline
            items.append(item)
            if widowControl && lines.count > 1 {
                // Orphans and widows: never one line alone at the end or start of a page.
                if lineIndex == 1 || lineIndex == lines.count - 1 { item.keepWithPrevious = true }
            }
        }
        return items
    }

    /// A heading's lines stay together and with the next block.
    private func heading(_ heading: Heading, _ ctx: LayoutContext) -> Collected {
        let sizes = [1: 17.0, 2: 14.0, 3: 12.0]
        let spaceBefore = [1: 14.0, 2: 12.0, 3: 9.0]
        let spaceAfter = [1: 6.0, 2: 5.0, 3: 3.0]
        var style = ctx.style
        style.size = sizes[heading.level] ?? 12
        style.bold = true
        let paragraph = Paragraph(heading.spans, style: style, language: heading.language, spaceAfter: 0)
        let node = structure.node(
            "H\(heading.level)",
            lang: heading.language.flatMap { $0 == ctx.language ? nil : $0 }
        )
        let lines = self.paragraph(paragraph, ctx, tags: ctx.tags + [node], widowControl: false)
        for line in lines.dropFirst() { line.keepWithPrevious = true }
        if heading.outline, let first = lines.first {
            first.outline.append((heading.spans.map(\.text).joined(), heading.level))
        }
        return Collected(
            items: lines,
            spaceBefore: heading.spaceBefore ?? spaceBefore[heading.level] ?? 8,
            spaceAfter: heading.spaceAfter ?? spaceAfter[heading.level] ?? 3,
            keepWithNext: true
        )
    }

    /// One line of text laid out at its natural width (markers, page decorations).
    func singleLine(_ text: String, style: TextStyle, ctx: LayoutContext, maxWidth: Double? = nil) -> LineBox {
        let prepared = prepare([Span(text)], style: style, ctx: ctx, language: nil, direction: ctx.direction)
        // As wide as the text, so the line starts at x = 0 in either direction; no wider than
        // `maxWidth` (the rest is cut, and reported).
        var width = prepared.maxContentWidth + 0.01
        if let maxWidth, width > maxWidth {
            width = maxWidth
            warnings.append("a running header or footer is wider than the page and was shortened")
        }
        return self.text.lines(prepared, width: width, alignment: .start).first!
    }

    // MARK: Lists

    /// The resolved direction of a list item whose first block is a first-strong paragraph.
    func firstStrongDirection(of blocks: [Block], _ ctx: LayoutContext) -> Direction? {
        guard case .paragraph(let paragraph) = blocks.first, paragraph.direction == .firstStrong else { return nil }
        let scalars = paragraph.spans.flatMap { $0.text.unicodeScalars.map(\.value) }
        return text.unicode.firstStrongDirection(scalars, fallback: ctx.direction == .rtl ? .rtl : .ltr)
    }

    private func list(_ list: ListBlock, _ outer: LayoutContext) -> [FlowItem] {
        var ctx = outer
        if list.direction == .ltr || list.direction == .rtl { ctx.direction = list.direction }
        let listRTL = ctx.direction == .rtl
        let listNode = structure.node("L")
        var out: [FlowItem] = []
        let bullets = ["•", "◦", "▪"]
        // The indent never takes more than a third of a narrow container.
        let indent = min(list.indent, ctx.width / 3)
        for (itemIndex, blocks) in list.items.enumerated() {
            let itemNode = structure.node("LI")
            let labelNode = structure.node("Lbl")
            let bodyNode = structure.node("LBody")
            // An item whose first paragraph is first-strong has its marker and indent on the
            // side its own text starts (HTML's `<li dir="auto">`).
            let rtl = firstStrongDirection(of: blocks, ctx).map { $0 == .rtl } ?? listRTL
            var inner = ctx
            inner.direction = rtl ? .rtl : .ltr
            inner.width = max(1, ctx.width - indent)
            inner.x = rtl ? ctx.x : ctx.x + indent
            inner.tags = ctx.tags + [listNode, itemNode, bodyNode]
            inner.listDepth = ctx.listDepth + 1
            let items = self.items(blocks, inner)
            guard let first = items.first else { continue }
            let marker: String
            switch list.marker {
            case .bullet: marker = bullets[ctx.listDepth % bullets.count]
            case .number: marker = "\(list.start + itemIndex)."
            }
            var markerContext = ctx
            markerContext.direction = rtl ? .rtl : .ltr
            let line = singleLine(marker, style: ctx.style, ctx: markerContext)
            let gap = min(5.0, indent / 4)
            // A marker wider than the indent stays inside the column.
            let markerX =
                rtl
                ? min(ctx.x + ctx.width - indent + gap, ctx.x + ctx.width - line.width)
                : max(ctx.x, ctx.x + indent - gap - line.width)
            let baseline = first.firstBaseline ?? line.baseline
            first.ops.insert(
                contentsOf: line.ops.map {
                    PlacedOp(
                        op: $0.offset(dx: markerX, dy: baseline),
                        tags: ctx.tags + [listNode, itemNode, labelNode]
                    )
                },
                at: 0
            )
            if itemIndex > 0 { first.spaceBefore = max(first.spaceBefore, list.itemSpacing) }
            out.append(contentsOf: items)
        }
        return out
    }
}
