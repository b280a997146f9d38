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
    /// Document base size / 11 pt: sizes in blocks are relative to an 11 pt body.
    var scale: Double { style.size / 11 }
}

/// Turns blocks into flow items (collect stage): paragraphs into lines, tables into rows,
/// boxes into splittable stacks.
final class BlockLayout {
    let text: ParagraphLayout
    let structure: StructureBuilder
    var warnings: [String] = []

    init(text: ParagraphLayout, structure: StructureBuilder) {
        self.text = text
        self.structure = structure
    }

    func items(_ blocks: [Block], _ ctx: LayoutContext) -> [FlowItem] {
        var out: [FlowItem] = []
        var pendingSpace = 0.0
        var keepNext = false
        for block in blocks {
            let (items, spaceBefore, spaceAfter, keepWithNext) = layout(block, ctx)
            guard let first = items.first else {
                if case .spacer = block {} else { continue }
                continue
            }
            first.spaceBefore = max(first.spaceBefore, max(pendingSpace, spaceBefore))
            if keepNext { first.keepWithPrevious = true }
            out.append(contentsOf: items)
            pendingSpace = spaceAfter
            keepNext = keepWithNext
        }
        return out
    }

    private func layout(_ block: Block, _ ctx: LayoutContext) -> ([FlowItem], Double, Double, Bool) {
        switch block {
        case .paragraph(let p):
            let node = structure.node("P")
            return (paragraph(p, ctx, tags: ctx.tags + [node]), p.spaceBefore, p.spaceAfter, p.keepWithNext)
        case .heading(let h):
            let sizes = [1: 17.0, 2: 14.0, 3: 12.0]
            let before = [1: 14.0, 2: 12.0, 3: 9.0]
            let after = [1: 6.0, 2: 5.0, 3: 3.0]
            var style = ctx.style
            style.size = sizes[h.level] ?? 12
            style.bold = true
            let p = Paragraph(h.spans, style: style, language: h.language, spaceAfter: 0)
            let node = structure.node("H\(h.level)")
            let lines = paragraph(p, ctx, tags: ctx.tags + [node], widowControl: false)
            for l in lines.dropFirst() { l.keepWithPrevious = true }
            if h.outline, let first = lines.first {
                first.outline.append((h.spans.map(\.text).joined(), h.level))
            }
            return (lines, before[h.level] ?? 8, after[h.level] ?? 3, true)
        case .list(let l):
            return (list(l, ctx), 2, l.spaceAfter, false)
        case .table(let t):
            return (table(t, ctx), 4, t.spaceAfter, false)
        case .keyValue(let kv):
            return (table(keyValueTable(kv, ctx), ctx, role: "Table"), 2, kv.spaceAfter, false)
        case .callout(let c):
            return ([callout(c, ctx)], 4, c.spaceAfter, false)
        case .rule(let r):
            let y = r.width / 2
            let op = PlacedOp(
                op: .line(x1: ctx.x, y1: y, x2: ctx.x + ctx.width, y2: y, color: r.color, width: r.width),
                tags: []
            )
            return ([FlowItem(ops: [op], height: r.width)], r.spaceBefore, r.spaceAfter, false)
        case .spacer(let h):
            return ([FlowItem.spacer(max(0, h))], 0, 0, false)
        case .image(let img):
            return ([image(img, ctx)], 0, img.spaceAfter, false)
        case .frame(let f):
            var fctx = ctx
            fctx.x = f.x
            fctx.width = f.width
            if let size = f.baseSize { fctx.style.size = size }
            let inner = items(f.blocks, fctx)
            let item = FlowItem(ops: inner.stackedOps(), height: 0)
            item.absoluteY = f.y
            item.flowBelow = f.flowBelow
            if inner.stackedHeight > f.height + 0.5 {
                warnings.append(
                    "frame content is \(Int(inner.stackedHeight)) pt tall, more than its \(Int(f.height)) pt"
                )
            }
            item.height = f.height
            return ([item], 0, 0, false)
        case .pageBreak:
            let item = FlowItem(ops: [], height: 0)
            item.pageBreakBefore = true
            return ([item], 0, 0, false)
        case .keepTogether(let blocks):
            let inner = items(blocks, ctx)
            guard !inner.isEmpty else { return ([], 0, 0, false) }
            for it in inner.dropFirst() { it.keepWithPrevious = true }
            return (inner, 0, 0, false)
        }
    }

    // MARK: Paragraphs

    func prepare(
        _ spans: [Span],
        style: TextStyle,
        ctx: LayoutContext,
        language: String?,
        direction: Direction
    ) -> PreparedParagraph {
        let lang = language ?? ctx.language
        let resolved = spans.map { span -> (String, TextStyle) in
            var st = span.resolved(over: style)
            if span.size != nil { st.size *= ctx.scale }
            return (span.text, st)
        }
        let dir: Direction = direction == .auto ? (ctx.direction == .rtl ? .rtl : .auto) : direction
        return text.prepare(
            spans: resolved,
            base: style,
            direction: dir == .auto ? Direction.forLanguage(lang) == .rtl ? .rtl : .auto : dir,
            language: lang
        )
    }

    func paragraph(_ p: Paragraph, _ ctx: LayoutContext, tags: [StructureNode], widowControl: Bool = true) -> [FlowItem]
    {
        // Paragraph sizes are given for an 11 pt body and scale with the document's base size
        // (large print).
        var style = p.style
        style.size = p.style.size * ctx.scale
        if ctx.style.bold { style.bold = true }
        let prepared = prepare(p.spans, style: style, ctx: ctx, language: p.language, direction: p.direction)
        let lines = text.lines(
            prepared,
            width: ctx.width,
            alignment: p.alignment,
            firstLineIndent: p.firstLineIndent,
            lineSpacing: p.lineSpacing
        )
        var items: [FlowItem] = []
        for (i, line) in lines.enumerated() {
            let ops = line.ops.map { PlacedOp(op: $0.offset(dx: ctx.x, dy: line.baseline), tags: tags) }
            let item = FlowItem(ops: ops, height: line.height)
            item.firstBaseline = line.baseline
            items.append(item)
            if widowControl && lines.count > 1 {
                // Orphans and widows: never one line alone at the end or start of a page.
                if i == 1 || i == lines.count - 1 { item.keepWithPrevious = true }
            }
        }
        return items
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

    private func list(_ l: ListBlock, _ ctxIn: LayoutContext) -> [FlowItem] {
        var ctx = ctxIn
        if l.direction != .auto { ctx.direction = l.direction }
        let rtl = ctx.direction == .rtl
        let listNode = structure.node("L")
        var out: [FlowItem] = []
        let bullets = ["•", "◦", "▪"]
        // The indent never takes more than a third of a narrow container.
        let indent = min(l.indent, ctx.width / 3)
        for (k, blocks) in l.items.enumerated() {
            let li = structure.node("LI")
            let lbl = structure.node("Lbl")
            let body = structure.node("LBody")
            var inner = ctx
            inner.width = max(1, ctx.width - indent)
            inner.x = rtl ? ctx.x : ctx.x + indent
            inner.tags = ctx.tags + [listNode, li, body]
            inner.listDepth = ctx.listDepth + 1
            let items = self.items(blocks, inner)
            guard let first = items.first else { continue }
            let marker: String
            switch l.marker {
            case .bullet: marker = bullets[ctx.listDepth % bullets.count]
            case .number: marker = "\(l.start + k)."
            }
            var markerCtx = ctx
            markerCtx.direction = rtl ? .rtl : .ltr
            let line = singleLine(marker, style: ctx.style, ctx: markerCtx)
            let gap = min(5.0, indent / 4)
            // A marker wider than the indent stays inside the column.
            let mx =
                rtl
                ? min(ctx.x + ctx.width - indent + gap, ctx.x + ctx.width - line.width)
                : max(ctx.x, ctx.x + indent - gap - line.width)
            let baseline = first.firstBaseline ?? line.baseline
            first.ops.insert(
                contentsOf: line.ops.map {
                    PlacedOp(op: $0.offset(dx: mx, dy: baseline), tags: ctx.tags + [listNode, li, lbl])
                },
                at: 0
            )
            if k > 0 { first.spaceBefore = max(first.spaceBefore, 2) }
            out.append(contentsOf: items)
        }
        return out
    }

    // MARK: Images

    private func image(_ img: ImageBlock, _ ctx: LayoutContext) -> FlowItem {
        let (pw, ph) = Self.pngSize(img.png) ?? (1, 1)
        let w = min(img.width, ctx.width)
        let h = w * Double(ph) / Double(max(1, pw))
        var x = ctx.x
        let rtl = ctx.direction == .rtl
        switch img.alignment {
        case .center: x = ctx.x + (ctx.width - w) / 2
        case .end: x = rtl ? ctx.x : ctx.x + ctx.width - w
        default: x = rtl ? ctx.x + ctx.width - w : ctx.x
        }
        let node = structure.node("Figure", alt: img.alt)
        if Self.pngSize(img.png) == nil { warnings.append("an image is not a valid PNG and was left out") }
        return FlowItem(
            ops: [PlacedOp(op: .image(png: img.png, x: x, y: 0, width: w, height: h), tags: ctx.tags + [node])],
            height: h
        )
    }

    static func pngSize(_ data: Data) -> (Int, Int)? {
        let b = [UInt8](data.prefix(24))
        guard b.count >= 24, b[0] == 0x89, b[1] == 0x50, b[2] == 0x4E, b[3] == 0x47 else { return nil }
        let w = Int(b[16]) << 24 | Int(b[17]) << 16 | Int(b[18]) << 8 | Int(b[19])
        let h = Int(b[20]) << 24 | Int(b[21]) << 16 | Int(b[22]) << 8 | Int(b[23])
        return w > 0 && h > 0 ? (w, h) : nil
    }

    static func escapeAttribute(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    // MARK: Boxes

    private func callout(_ c: Callout, _ ctx: LayoutContext) -> FlowItem {
        var inner = ctx
        let bw = c.borderWidth
        inner.x = ctx.x + bw + c.padding.left
        inner.width = max(20, ctx.width - 2 * bw - c.padding.left - c.padding.right)
        let node = structure.node("Div")
        inner.tags = ctx.tags + [node]
        let children = items(c.blocks, inner)
        return box(
            children,
            x: ctx.x,
            width: ctx.width,
            top: bw + c.padding.top,
            bottom: bw + c.padding.bottom,
            fill: c.fill,
            border: c.borderColor,
            borderWidth: bw
        )
    }

    /// A stack of items in a box; splits between its items when it does not fit.
    private func box(
        _ children: [FlowItem],
        x: Double,
        width: Double,
        top: Double,
        bottom: Double,
        fill: Color?,
        border: Color,
        borderWidth: Double
    ) -> FlowItem {
        let contentHeight = children.stackedHeight
        let height = top + contentHeight + bottom
        var ops: [PlacedOp] = []
        if let fill {
            ops.append(PlacedOp(op: .fillRect(x: x, y: 0, width: width, height: height, color: fill), tags: []))
        }
        if borderWidth > 0 {
            ops.append(
                PlacedOp(
                    op: .strokeRect(
                        x: x + borderWidth / 2,
                        y: borderWidth / 2,
                        width: width - borderWidth,
                        height: height - borderWidth,
                        color: border,
                        lineWidth: borderWidth
                    ),
                    tags: []
                )
            )
        }
        ops.append(contentsOf: children.stackedOps(dy: top))
        let item = FlowItem(ops: ops, height: height)
        item.firstBaseline = children.first?.firstBaseline.map { $0 + top }
        if children.count > 1 {
            item.split = { [unowned self] limit in
                let k = children.prefixFitting(limit - top - bottom)
                guard k > 0 && k < children.count else { return nil }
                let a = self.box(
                    Array(children[..<k]),
                    x: x,
                    width: width,
                    top: top,
                    bottom: bottom,
                    fill: fill,
                    border: border,
                    borderWidth: borderWidth
                )
                let rest = Array(children[k...])
                rest.first?.spaceBefore = 0
                let b = self.box(
                    rest,
                    x: x,
                    width: width,
                    top: top,
                    bottom: bottom,
                    fill: fill,
                    border: border,
                    borderWidth: borderWidth
                )
                return (a, b)
            }
        }
        return item
    }
}
