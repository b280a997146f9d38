import Foundation

/// Tables: column widths (fixed, relative, auto), rows as flow items, header rows repeated on
/// continuation pages, rows taller than a page split between lines.
extension BlockLayout {
    func keyValueTable(_ kv: KeyValueGrid, _ ctx: LayoutContext) -> Table {
        let rows = kv.pairs.map { pair in
            [
                Table.Cell([.paragraph(Paragraph(pair.key, spaceAfter: 0))]),
                Table.Cell([.paragraph(Paragraph(pair.value, spaceAfter: 0))]),
            ]
        }
        let keyWidth: Table.Width = kv.keyWidth.map { .fixed($0) } ?? .auto
        return Table(
            columns: [keyWidth, .relative(1)],
            rows: rows,
            padding: Insets(top: 1.5, right: 8, bottom: 1.5, left: 0),
            borderWidth: 0,
            headerFill: nil,
            spaceAfter: kv.spaceAfter
        )
    }

    func table(_ t: Table, _ ctx: LayoutContext, role: String = "Table") -> [FlowItem] {
        let columns = max(t.columns.count, (t.headerRows + t.rows).map(\.count).max() ?? 0)
        guard columns > 0 else { return [] }
        let rtl = t.direction == .rtl || (t.direction == .auto && ctx.direction == .rtl)
        let widths = columnWidths(t, columns: columns, ctx: ctx)
        // Column x positions; an RTL table puts its first column on the right.
        var xs: [Double] = []
        var acc = ctx.x
        for w in widths {
            xs.append(acc)
            acc += w
        }
        if rtl {
            xs = widths.indices.map { i in ctx.x + ctx.width - (xs[i] - ctx.x) - widths[i] }
        }
        let tableNode = structure.node(
            role,
            attributes: t.summary.map { "summary='\(Self.escapeAttribute($0))'" } ?? ""
        )
        let tctx = ctx

        func rowItem(_ cells: [Table.Cell], header: Bool, tagged: Bool) -> FlowItem {
            let tr = structure.node("TR")
            var cellItems: [[FlowItem]] = []
            for c in 0..<columns {
                let cell = c < cells.count ? cells[c] : Table.Cell([])
                var cctx = tctx
                cctx.x = xs[c] + (rtl ? t.padding.right : t.padding.left)
                cctx.width = max(10, widths[c] - t.padding.left - t.padding.right)
                if header { cctx.style.bold = true }
                let cellNode = structure.node(header ? "TH" : "TD")
                cctx.tags = tagged ? ctx.tags + [tableNode, tr, cellNode] : []
                var items = self.items(cell.blocks, cctx)
                if !tagged { for it in items { it.ops = it.ops.map { PlacedOp(op: $0.op, tags: []) } } }
                if items.isEmpty { items = [] }
                cellItems.append(items)
            }
            let fills = (0..<columns).map { c -> Color? in
                (c < cells.count ? cells[c].fill : nil) ?? (header ? t.headerFill : nil)
            }
            return makeRow(cellItems, fills: fills, xs: xs, widths: widths, t: t)
        }

        var out: [FlowItem] = []
        let headerSource = TableHeaderSource {
            t.headerRows.map { rowItem($0, header: true, tagged: false) }
        }
        for (i, r) in t.headerRows.enumerated() {
            let item = rowItem(r, header: true, tagged: true)
            item.isHeaderRow = true
            if i > 0 { item.keepWithPrevious = true }
            out.append(item)
        }
        for (i, r) in t.rows.enumerated() {
            let item = rowItem(r, header: false, tagged: true)
            if !t.headerRows.isEmpty {
                item.tableHeader = headerSource
                if i == 0 { item.keepWithPrevious = true }
            }
            out.append(item)
        }
        return out
    }

    /// A row from its cells' items; splits between lines when taller than the space left.
    private func makeRow(
        _ cellItems: [[FlowItem]],
        fills: [Color?],
        xs: [Double],
        widths: [Double],
        t: Table
    ) -> FlowItem {
        let contentHeight = cellItems.map(\.stackedHeight).max() ?? 0
        let height = t.padding.top + contentHeight + t.padding.bottom
        var ops: [PlacedOp] = []
        for c in cellItems.indices {
            if let f = fills[c] {
                ops.append(
                    PlacedOp(op: .fillRect(x: xs[c], y: 0, width: widths[c], height: height, color: f), tags: [])
                )
            }
        }
        if t.borderWidth > 0 {
            for c in cellItems.indices {
                ops.append(
                    PlacedOp(
                        op: .strokeRect(
                            x: xs[c],
                            y: 0,
                            width: widths[c],
                            height: height,
                            color: t.borderColor,
                            lineWidth: t.borderWidth
                        ),
                        tags: []
                    )
                )
            }
        }
        for items in cellItems {
            ops.append(contentsOf: items.stackedOps(dy: t.padding.top))
        }
        let item = FlowItem(ops: ops, height: height)
        item.firstBaseline = cellItems.compactMap { $0.first?.firstBaseline }.min().map { $0 + t.padding.top }
        if cellItems.contains(where: { $0.count > 1 }) {
            item.split = { [unowned self] limit in
                let avail = limit - t.padding.top - t.padding.bottom
                var first: [[FlowItem]] = []
                var rest: [[FlowItem]] = []
                var moved = false
                for items in cellItems {
                    let k = items.prefixFitting(avail)
                    first.append(Array(items[..<k]))
                    let r = Array(items[k...])
                    r.first?.spaceBefore = 0
                    rest.append(r)
                    if !r.isEmpty { moved = true }
                }
                guard moved, first.contains(where: { !$0.isEmpty }) else { return nil }
                return (
                    self.makeRow(first, fills: fills, xs: xs, widths: widths, t: t),
                    self.makeRow(rest, fills: fills, xs: xs, widths: widths, t: t)
                )
            }
        }
        return item
    }

    /// Fixed columns take their width; auto columns their content width (between the longest
    /// word and the unbroken line); relative columns share what is left.
    private func columnWidths(_ t: Table, columns: Int, ctx: LayoutContext) -> [Double] {
        let specs = (0..<columns).map { $0 < t.columns.count ? t.columns[$0] : .relative(1) }
        let total = ctx.width
        var widths = [Double](repeating: 0, count: columns)
        var remaining = total
        let padH = t.padding.left + t.padding.right
        // Content widths for auto columns.
        var minW = [Double](repeating: 0, count: columns)
        var maxW = [Double](repeating: 0, count: columns)
        for (c, spec) in specs.enumerated() {
            guard case .auto = spec else { continue }
            let rows = t.headerRows.map { ($0, true) } + t.rows.map { ($0, false) }
            for (row, isHeader) in rows where c < row.count {
                for block in row[c].blocks {
                    let (mn, mx) = measure(block, ctx: ctx, bold: isHeader)
                    minW[c] = max(minW[c], mn + padH)
                    maxW[c] = max(maxW[c], mx + padH)
                }
            }
        }
        for (c, spec) in specs.enumerated() {
            if case .fixed(let w) = spec {
                widths[c] = min(w, max(0, remaining))
                remaining -= widths[c]
            }
        }
        let autoCols = specs.indices.filter { if case .auto = specs[$0] { return true } else { return false } }
        let relCols = specs.indices.filter { if case .relative = specs[$0] { return true } else { return false } }
        if !autoCols.isEmpty {
            let wantMax = autoCols.reduce(0) { $0 + maxW[$1] }
            let wantMin = autoCols.reduce(0) { $0 + minW[$1] }
            // Leave relative columns at least a fair minimum.
            let reserve = relCols.isEmpty ? 0 : min(remaining * 0.4, Double(relCols.count) * 60)
            let space = max(0, remaining - reserve)
            if wantMax <= space {
                for c in autoCols { widths[c] = maxW[c] }
            } else if wantMin <= space {
                let extra = space - wantMin
                let spread = max(0.001, wantMax - wantMin)
                for c in autoCols { widths[c] = minW[c] + extra * (maxW[c] - minW[c]) / spread }
            } else {
                for c in autoCols { widths[c] = space * (minW[c] / max(0.001, wantMin)) }
            }
            remaining -= autoCols.reduce(0) { $0 + widths[$1] }
        }
        if !relCols.isEmpty {
            let weights = relCols.map { c -> Double in
                if case .relative(let w) = specs[c] { return max(0.0001, w) } else { return 1 }
            }
            let sum = weights.reduce(0, +)
            for (k, c) in relCols.enumerated() { widths[c] = max(0, remaining) * weights[k] / sum }
        }
        // A floor so a cell can hold a glyph, then back down to the container's width.
        let floored = widths.map { max($0, min(padH + 6, total / Double(columns))) }
        let sum = floored.reduce(0, +)
        return sum > total + 0.01 ? floored.map { $0 * total / sum } : floored
    }

    /// Min and max content width of a block (paragraphs; other blocks count as flexible).
    private func measure(_ block: Block, ctx: LayoutContext, bold: Bool) -> (Double, Double) {
        switch block {
        case .paragraph(let p):
            var style = p.style
            style.size *= ctx.scale
            if bold { style.bold = true }
            let prepared = prepare(p.spans, style: style, ctx: ctx, language: p.language, direction: p.direction)
            return (prepared.minContentWidth, prepared.maxContentWidth)
        case .heading(let h):
            var style = ctx.style
            style.bold = true
            let prepared = prepare(h.spans, style: style, ctx: ctx, language: h.language, direction: .auto)
            return (prepared.minContentWidth, prepared.maxContentWidth * 1.4)
        default:
            return (40, 120)
        }
    }
}
