import Foundation

/// Stage 2 of the document flow (distribute): flow items onto pages. Keep-with-previous groups
/// move whole to the next page (headings never end a page, no orphan or widow lines), rows and
/// boxes split when they must, table headers repeat on continuation pages.
struct Paginator {
    var page: PageSetup

    struct Result {
        var pages: [PageBox]
        var warnings: [String]
    }

    func paginate(_ input: [FlowItem]) -> Result {
        var distribution = Distribution(page: page, queue: input)
        distribution.run()
        return Result(pages: distribution.pages, warnings: distribution.warnings)
    }
}

/// The state of distributing a queue of flow items onto pages.
private struct Distribution {
    /// An item on the current page, to take a keep group back off it. `queueIndex` is -1 for a
    /// repeated table header.
    struct PlacedItem {
        var queueIndex: Int
        var opsCount: Int
        var outlineCount: Int
    }

    let page: PageSetup
    /// The items; splitting an item replaces it by its two parts.
    var queue: [FlowItem]
    var pages: [PageBox] = [PageBox()]
    var warnings: [String] = []
    var placed: [PlacedItem] = []
    /// The bottom of the text area.
    let bottom: Double
    /// Where the next item goes on the current page.
    var y: Double
    /// Nothing placed on the current page yet (no space before the first item).
    var atTop = true
    /// The next item of the queue.
    var index = 0
    /// The last item was a shared page: the next one starts a new page.
    var breakAfterSharedPage = false
    /// Keep groups (by first queue index) already moved to a new page once.
    var movedGroups = Set<Int>()

    init(page: PageSetup, queue: [FlowItem]) {
        self.page = page
        self.queue = queue
        bottom = page.height - page.margins.bottom
        y = page.firstPageTopMargin ?? page.margins.top
    }

    private func top(_ pageIndex: Int) -> Double {
        pageIndex == 0 ? (page.firstPageTopMargin ?? page.margins.top) : page.margins.top
    }

    private var currentPage: Int { pages.count - 1 }

    mutating func run() {
        var steps = 0
        while index < queue.count {
            steps += 1
            if steps > 1_000_000 {
                warnings.append("pagination stopped: too many steps")
                break
            }
            let item = queue[index]
            if breakAfterSharedPage {
                breakAfterSharedPage = false
                newPage()
            }
            if let shared = item.sharedPage {
                // A page of its own: after a break, and what follows starts a new page.
                if !pages[currentPage].ops.isEmpty || pages[currentPage].shared != nil { newPage() }
                pages[currentPage].shared = shared.key
                for entry in shared.outline {
                    pages[currentPage].outline.append(
                        OutlineEntry(title: entry.title, level: entry.level, page: currentPage, y: entry.y)
                    )
                }
                breakAfterSharedPage = true
                index += 1
                continue
            }
            if item.pageBreakBefore {
                // A page break starts a new page unless the current one is still empty.
                if !pages[currentPage].ops.isEmpty || pages[currentPage].shared != nil { newPage() }
                index += 1
                continue
            }
            if let frameY = item.absoluteY {
                placeFrame(item, at: frameY)
                continue
            }
            repeatTableHeaderIfContinued(item)
            let space = atTop ? 0 : item.spaceBefore
            if y + space + item.height <= bottom + 0.01 {
                place(item, at: index, spaceBefore: space)
                index += 1
                continue
            }
            if moveKeepGroupToNextPage(endingWith: item) { continue }
            placeOverflowing(item, spaceBefore: space)
        }
    }

    private mutating func newPage() {
        pages.append(PageBox())
        placed.removeAll()
        y = top(currentPage)
        atTop = true
    }

    private mutating func place(_ item: FlowItem, at queueIndex: Int, spaceBefore: Double) {
        let pageIndex = currentPage
        placed.append(
            PlacedItem(
                queueIndex: queueIndex,
                opsCount: pages[pageIndex].ops.count,
                outlineCount: pages[pageIndex].outline.count
            )
        )
        y += spaceBefore
        pages[pageIndex].ops.append(contentsOf: item.shifted(dx: 0, dy: y))
        for entry in item.outline {
            pages[pageIndex].outline.append(OutlineEntry(title: entry.title, level: entry.level, page: pageIndex, y: y))
        }
        y += item.height
        atTop = false
    }

    /// A fixed-position frame goes on the current page; `flowBelow` moves the flow under it.
    private mutating func placeFrame(_ item: FlowItem, at frameY: Double) {
        pages[currentPage].ops.append(contentsOf: item.shifted(dx: 0, dy: frameY))
        if item.flowBelow {
            y = max(y, frameY + item.height + 6)
            // Nothing fits below the frame on this page: the flow goes on on the next.
            if y >= bottom { newPage() } else { atTop = false }
        }
        index += 1
    }

    /// A table continuing on a new page gets its header rows again (when they take less than
    /// half the page).
    private mutating func repeatTableHeaderIfContinued(_ item: FlowItem) {
        guard atTop, pages.count > 1, let header = item.tableHeader, !item.isHeaderRow, index > 0,
            queue[index - 1].tableHeader === header || queue[index - 1].isHeaderRow
        else { return }
        let copies = header.make()
        for copy in copies { copy.isHeaderRow = true }
        guard copies.stackedHeight < (bottom - y) / 2 else { return }
        for (copyIndex, copy) in copies.enumerated() {
            place(copy, at: -1, spaceBefore: copyIndex == 0 ? 0 : copy.spaceBefore)
        }
        atTop = true  // the row under a repeated header still counts as the page's first
    }

    /// The item does not fit: moves its keep group to a new page when the group fits on a page,
    /// something stays before it, and it has not been moved before.
    private mutating func moveKeepGroupToNextPage(endingWith item: FlowItem) -> Bool {
        guard item.keepWithPrevious, !placed.isEmpty else { return false }
        var groupFirst = placed.count - 1
        while groupFirst > 0, placed[groupFirst].queueIndex >= 0, queue[placed[groupFirst].queueIndex].keepWithPrevious
        {
            groupFirst -= 1
        }
        guard groupFirst > 0, placed[groupFirst].queueIndex >= 0,
            !movedGroups.contains(placed[groupFirst].queueIndex)
        else { return false }
        let groupStart = placed[groupFirst].queueIndex
        // A group moves once: on its new page it may still not fit (repeated table headers take
        // room), and moving again would never end.
        movedGroups.insert(groupStart)
        let groupHeight = queue[groupStart...index].map(\.height).reduce(0, +)
        guard groupHeight <= bottom - top(pages.count) else { return false }
        let cut = placed[groupFirst]
        pages[currentPage].ops.removeSubrange(cut.opsCount...)
        pages[currentPage].outline.removeSubrange(cut.outlineCount...)
        newPage()
        index = groupStart
        return true
    }

    /// The item does not fit and its group stays: a row or box that fits on a fresh page moves
    /// there whole, one taller than a page splits where it is; anything else goes to the next
    /// page, or is placed and reported when it is taller than an empty page.
    private mutating func placeOverflowing(_ item: FlowItem, spaceBefore space: Double) {
        let freshPage = bottom - top(pages.count)
        if item.split != nil, !atTop, item.height <= freshPage {
            newPage()
            return
        }
        if let split = item.split, let (head, rest) = split(bottom - y - space), head.height > 0 {
            head.keepWithPrevious = item.keepWithPrevious
            head.tableHeader = item.tableHeader
            rest.tableHeader = item.tableHeader
            queue[index] = head
            queue.insert(rest, at: index + 1)
            place(head, at: index, spaceBefore: space)
            index += 1
            newPage()
            return
        }
        if !atTop {
            newPage()
            return
        }
        warnings.append("content \(Int(item.height)) pt tall does not fit on a page and was cut off")
        place(item, at: index, spaceBefore: 0)
        index += 1
    }
}
