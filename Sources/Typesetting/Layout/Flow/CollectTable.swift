import Foundation

/// Collecting tables: column widths (fixed, relative, auto), rows as flow items, header rows
/// repeated on continuation pages, rows taller than a page split between lines.
extension BlockLayout {
    func keyValueTable(_ grid: KeyValueGrid, _ ctx: LayoutContext) -> Table {
        let rows = grid.pairs.map { pair in
            [
                Table.Cell([.paragraph(Paragraph(pair.key, spaceAfter: 0))]),
                Table.Cell([.paragraph(Paragraph(pair.value, direction: grid.valueDirection, spaceAfter: 0))]),
            ]
        }
        let keyWidth: Table.Width = grid.keyWidth.map { .fixed($0) } ?? .auto
        return Table(
            columns: [keyWidth, .relative(1)],
            rows: rows,
            padding: Insets(top: 1.5, right: 8, bottom: 1.5, left: 0),
            borderWidth: 0,
            headerFill: nil,
            spaceAfter: grid.spaceAfter,
            rowHeaderColumn: 0
        )
    }

    /// A value for a structure attribute in single quotes.
    static func escapeAttribute(_ value: String) -> String {
        // Most values have neither: returned as they are (Foundation's replacingOccurrences
        // bridges to NSString even when nothing is replaced; a table's summary is escaped for
        // every table laid out).
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "'") }) else {
            return value
        }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    /// Where a table's columns are: x of each (an RTL table puts its first column on the right)
    /// and width.
    private struct ColumnLayout {
        var x: [Double]
        var width: [Double]
        var count: Int { width.count }
    }

    func table(_ table: Table, _ ctx: LayoutContext, role: String = "Table") -> [FlowItem] {
        let columnCount = max(table.columns.count, (table.headerRows + table.rows).map(\.count).max() ?? 0)
        guard columnCount > 0 else { return [] }
        // Column order follows the table (or the surrounding direction); first-strong cells
        // align by their own text, the columns stay in order.
        let rtl = table.direction == .rtl || (table.direction != .ltr && ctx.direction == .rtl)
        let widths = columnWidths(table, columns: columnCount, ctx: ctx)
        var xs: [Double] = []
        var x = ctx.x
        for width in widths {
            xs.append(x)
            x += width
        }
        if rtl {
            xs = widths.indices.map { i in ctx.x + ctx.width - (xs[i] - ctx.x) - widths[i] }
        }
        let columns = ColumnLayout(x: xs, width: widths)
        let tableNode = structure.node(
            role,
            attributes: table.summary.map { "summary='\(Self.escapeAttribute($0))'" } ?? ""
        )

        func rowItem(_ cells: [Table.Cell], header: Bool, tagged: Bool) -> FlowItem {
            collectRow(
                cells,
                of: table,
                columns: columns,
                ctx: ctx,
                rtl: rtl,
                header: header,
                tags: tagged ? ctx.tags + [tableNode] : nil
            )
        }

        var out: [FlowItem] = []
        let headerSource = TableHeaderSource {
            table.headerRows.map { rowItem($0, header: true, tagged: false) }
        }
        for (rowIndex, cells) in table.headerRows.enumerated() {
            let item = rowItem(cells, header: true, tagged: true)
            item.isHeaderRow = true
            if rowIndex > 0 { item.keepWithPrevious = true }
            out.append(item)
        }
        for (rowIndex, cells) in table.rows.enumerated() {
            let item = rowItem(cells, header: false, tagged: true)
            if !table.headerRows.isEmpty {
                item.tableHeader = headerSource
                if rowIndex == 0 { item.keepWithPrevious = true }
            }
            out.append(item)
        }
        return out
    }

    /// One row: each cell's blocks collected in its column. `tags` is the table's structure path
    /// (nil for the untagged copies of header rows on continuation pages).
    private func collectRow(
        _ cells: [Table.Cell],
        of table: Table,
        columns: ColumnLayout,
        ctx: LayoutContext,
        rtl: Bool,
        header: Bool,
        tags: [StructureNode]?
    ) -> FlowItem {
        let rowNode = structure.node("TR")
        var cellItems: [[FlowItem]] = []
        for column in 0..<columns.count {
            let cell = column < cells.count ? cells[column] : Table.Cell([])
            var cellContext = ctx
            cellContext.x = columns.x[column] + (rtl ? table.padding.right : table.padding.left)
            cellContext.width = max(10, columns.width[column] - table.padding.left - table.padding.right)
            if header { cellContext.style.bold = true }
            // Header rows head their columns; a row-header column (the keys of a key-value grid)
            // heads its row. Accessibility only: the cell looks the same.
            let cellNode =
                header
                ? structure.node("TH", scope: "Column")
                : column == table.rowHeaderColumn ? structure.node("TH", scope: "Row") : structure.node("TD")
            cellContext.tags = tags.map { $0 + [rowNode, cellNode] } ?? []
            let items = self.items(cell.blocks, cellContext)
            if tags == nil { for item in items { item.ops = item.ops.map { PlacedOp(op: $0.op, tags: []) } } }
            cellItems.append(items)
        }
        let fills = (0..<columns.count).map { column -> Color? in
            (column < cells.count ? cells[column].fill : nil) ?? (header ? table.headerFill : nil)
        }
        return makeRow(cellItems, fills: fills, columns: columns, table: table)
    }

    /// A row from its cells' items; splits between lines when taller than the space left.
    private func makeRow(
        _ cellItems: [[FlowItem]],
        fills: [Color?],
        columns: ColumnLayout,
        table: Table
    ) -> FlowItem {
        let contentHeight = cellItems.map(\.stackedHeight).max() ?? 0
        let height = table.padding.top + contentHeight + table.padding.bottom
        var ops: [PlacedOp] = []
        for column in cellItems.indices {
            if let fill = fills[column] {
                let rect = DrawOp.fillRect(
                    x: columns.x[column],
                    y: 0,
                    width: columns.width[column],
                    height: height,
                    color: fill
                )
                ops.append(PlacedOp(op: rect, tags: []))
            }
        }
        if table.borderWidth > 0 {
            for column in cellItems.indices {
                let border = DrawOp.strokeRect(
                    x: columns.x[column],
                    y: 0,
                    width: columns.width[column],
                    height: height,
                    color: table.borderColor,
                    lineWidth: table.borderWidth
                )
                ops.append(PlacedOp(op: border, tags: []))
            }
        }
        for items in cellItems {
            ops.append(contentsOf: items.stackedOps(dy: table.padding.top))
        }
        let item = FlowItem(ops: ops, height: height)
        item.firstBaseline = cellItems.compactMap { $0.first?.firstBaseline }.min().map { $0 + table.padding.top }
        if cellItems.contains(where: { $0.count > 1 }) {
            item.split = { [unowned self] limit in
                let available = limit - table.padding.top - table.padding.bottom
                var head: [[FlowItem]] = []
                var rest: [[FlowItem]] = []
                var moved = false
                for items in cellItems {
                    let fitting = items.prefixFitting(available)
                    head.append(Array(items[..<fitting]))
                    let remainder = Array(items[fitting...])
                    remainder.first?.spaceBefore = 0
                    rest.append(remainder)
                    if !remainder.isEmpty { moved = true }
                }
                guard moved, head.contains(where: { !$0.isEmpty }) else { return nil }
                return (
                    self.makeRow(head, fills: fills, columns: columns, table: table),
                    self.makeRow(rest, fills: fills, columns: columns, table: table)
                )
            }
        }
        return item
    }

    // MARK: Column widths

    /// Fixed columns take their width; auto columns their content width (between the longest
    /// word and the unbroken line); relative columns share what is left.
    private func columnWidths(_ table: Table, columns: Int, ctx: LayoutContext) -> [Double] {
        let specs = (0..<columns).map { $0 < table.columns.count ? table.columns[$0] : .relative(1) }
        let total = ctx.width
        var widths = [Double](repeating: 0, count: columns)
        var remaining = total
        let horizontalPadding = table.padding.left + table.padding.right
        let (minWidths, maxWidths) = autoColumnExtents(table, specs: specs, padding: horizontalPadding, ctx: ctx)
        for (column, spec) in specs.enumerated() {
            if case .fixed(let width) = spec {
                widths[column] = min(width, max(0, remaining))
                remaining -= widths[column]
            }
        }
        let autoColumns = specs.indices.filter { if case .auto = specs[$0] { return true } else { return false } }
        let relativeColumns = specs.indices.filter {
            if case .relative = specs[$0] { return true } else { return false }
        }
        if !autoColumns.isEmpty {
            let wantedMax = autoColumns.reduce(0) { $0 + maxWidths[$1] }
            let wantedMin = autoColumns.reduce(0) { $0 + minWidths[$1] }
            // Leave relative columns at least a fair minimum.
            let reserve = relativeColumns.isEmpty ? 0 : min(remaining * 0.4, Double(relativeColumns.count) * 60)
            let space = max(0, remaining - reserve)
            if wantedMax <= space {
                for column in autoColumns { widths[column] = maxWidths[column] }
            } else if wantedMin <= space {
                let extra = space - wantedMin
                let spread = max(0.001, wantedMax - wantedMin)
                for column in autoColumns {
                    widths[column] = minWidths[column] + extra * (maxWidths[column] - minWidths[column]) / spread
                }
            } else {
                for column in autoColumns { widths[column] = space * (minWidths[column] / max(0.001, wantedMin)) }
            }
            remaining -= autoColumns.reduce(0) { $0 + widths[$1] }
        }
        if !relativeColumns.isEmpty {
            let weights = relativeColumns.map { column -> Double in
                if case .relative(let weight) = specs[column] { return max(0.0001, weight) } else { return 1 }
            }
            let weightSum = weights.reduce(0, +)
            for (weightIndex, column) in relativeColumns.enumerated() {
                widths[column] = max(0, remaining) * weights[weightIndex] / weightSum
            }
        }
        // A floor so a cell can hold a glyph, then back down to the container's width.
        let floored = widths.map { max($0, min(horizontalPadding + 6, total / Double(columns))) }
        let sum = floored.reduce(0, +)
        return sum > total + 0.01 ? floored.map { $0 * total / sum } : floored
    }

    /// Min and max content width (with padding) of each auto column; 0 for the others.
    private func autoColumnExtents(
        _ table: Table,
        specs: [Table.Width],
        padding: Double,
        ctx: LayoutContext
    ) -> (min: [Double], max: [Double]) {
        var minWidths = [Double](repeating: 0, count: specs.count)
        var maxWidths = [Double](repeating: 0, count: specs.count)
        for (column, spec) in specs.enumerated() {
            guard case .auto = spec else { continue }
            let rows = table.headerRows.map { ($0, true) } + table.rows.map { ($0, false) }
            for (row, isHeader) in rows where column < row.count {
                for block in row[column].blocks {
                    let (narrowest, widest) = measure(block, ctx: ctx, bold: isHeader)
                    minWidths[column] = max(minWidths[column], narrowest + padding)
                    maxWidths[column] = max(maxWidths[column], widest + padding)
                }
            }
        }
        return (minWidths, maxWidths)
    }

    /// Min and max content width of a block (paragraphs; other blocks count as flexible).
    private func measure(_ block: Block, ctx: LayoutContext, bold: Bool) -> (Double, Double) {
        switch block {
        case .paragraph(let paragraph):
            var style = paragraph.style
            style.size *= ctx.scale
            if bold { style.bold = true }
            let prepared = prepare(
                paragraph.spans,
                style: style,
                ctx: ctx,
                language: paragraph.language,
                direction: paragraph.direction
            )
            return (prepared.minContentWidth, prepared.maxContentWidth)
        case .heading(let heading):
            var style = ctx.style
            style.bold = true
            let prepared = prepare(heading.spans, style: style, ctx: ctx, language: heading.language, direction: .auto)
            return (prepared.minContentWidth, prepared.maxContentWidth * 1.4)
        default:
            return (40, 120)
        }
    }
}
