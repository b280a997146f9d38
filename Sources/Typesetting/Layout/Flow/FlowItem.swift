import Foundation

/// An unbreakable piece of the flow (a line, a table row, a rule) — or one that knows how to
/// split itself (a table row taller than a page, a box around other items).
final class FlowItem {
    /// Ops with x absolute on the page and y relative to the item's top.
    var ops: [PlacedOp]
    var height: Double
    var spaceBefore: Double
    /// Stay on the same page as the item before (orphans, widows, keep-with-next, keep-together).
    var keepWithPrevious: Bool
    var pageBreakBefore = false
    /// Distance from the item's top to its first baseline (to align list markers).
    var firstBaseline: Double?
    /// Outline entries at this item.
    var outline: [(title: String, level: Int)] = []
    /// Fixed-position frame: placed at (x, y) on the current page; `flowBelow` moves the flow.
    var absoluteY: Double?
    var flowBelow = false
    /// For table body rows: the header rows to repeat when the table continues on a new page.
    var tableHeader: TableHeaderSource?
    var isHeaderRow = false
    /// A shared page (`SharedPage`) made already: the item takes a page of its own, whose content
    /// the post-processor joins in; what follows starts a new page.
    var sharedPage: SharedPageReservation?
    /// Splits the item so the first part is at most the given height.
    var split: ((Double) -> (FlowItem, FlowItem)?)?

    init(ops: [PlacedOp], height: Double, spaceBefore: Double = 0, keepWithPrevious: Bool = false) {
        self.ops = ops
        self.height = height
        self.spaceBefore = spaceBefore
        self.keepWithPrevious = keepWithPrevious
    }

    static func spacer(_ height: Double) -> FlowItem { FlowItem(ops: [], height: height) }

    func shifted(dx: Double, dy: Double) -> [PlacedOp] {
        ops.map { PlacedOp(op: $0.op.offset(dx: dx, dy: dy), tags: $0.tags) }
    }
}

/// Makes fresh copies of a table's header rows for each continuation page.
final class TableHeaderSource {
    let make: () -> [FlowItem]
    init(make: @escaping () -> [FlowItem]) { self.make = make }
}

extension Array where Element == FlowItem {
    /// Total height when stacked with their spacing (spacing before the first is dropped).
    var stackedHeight: Double {
        var height = 0.0
        for (i, item) in enumerated() { height += (i == 0 ? 0 : item.spaceBefore) + item.height }
        return height
    }

    /// The items stacked into one list of ops, y relative to the top of the first.
    func stackedOps(dx: Double = 0, dy: Double = 0) -> [PlacedOp] {
        var y = dy
        var out: [PlacedOp] = []
        out.reserveCapacity(reduce(0) { $0 + $1.ops.count })
        for (i, item) in enumerated() {
            y += i == 0 ? 0 : item.spaceBefore
            for placed in item.ops { out.append(PlacedOp(op: placed.op.offset(dx: dx, dy: y), tags: placed.tags)) }
            y += item.height
        }
        return out
    }

    /// Index after the longest prefix whose stacked height is ≤ `limit` (at least 0).
    func prefixFitting(_ limit: Double) -> Int {
        var height = 0.0
        for (i, item) in enumerated() {
            let added = (i == 0 ? 0 : item.spaceBefore) + item.height
            if height + added > limit + 0.001 { return i }
            height += added
        }
        return count
    }
}
