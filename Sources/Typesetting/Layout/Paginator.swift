import Foundation

/// Distributes flow items onto pages: keep-with-previous groups move whole to the next page
/// (headings never end a page, no orphan or widow lines), rows and boxes split when they must,
/// table headers repeat on continuation pages.
struct Paginator {
    var page: PageSetup

    struct Result {
        var pages: [PageBox]
        var warnings: [String]
    }

    private func top(_ pageIndex: Int) -> Double {
        pageIndex == 0 ? (page.firstPageTopMargin ?? page.margins.top) : page.margins.top
    }

    func paginate(_ input: [FlowItem]) -> Result {
        var queue = input
        var pages: [PageBox] = [PageBox()]
        var warnings: [String] = []
        // Placed items of the current page, to move a keep group to the next page.
        var placed: [(queueIndex: Int, y: Double, opsCount: Int, outlineCount: Int)] = []
        let bottom = page.height - page.margins.bottom
        var y = top(0)
        var atTop = true
        var i = 0
        var guardSteps = 0
        var movedGroups = Set<Int>()

        func newPage() {
            pages.append(PageBox())
            placed.removeAll()
            y = top(pages.count - 1)
            atTop = true
        }

        func place(_ item: FlowItem, at index: Int, spaceBefore: Double) {
            let p = pages.count - 1
            placed.append((index, y, pages[p].ops.count, pages[p].outline.count))
            y += spaceBefore
            pages[p].ops.append(contentsOf: item.shifted(dx: 0, dy: y))
            for o in item.outline {
                pages[p].outline.append(OutlineEntry(title: o.title, level: o.level, page: p, y: y))
            }
            y += item.height
            atTop = false
        }

        while i < queue.count {
            guardSteps += 1
            if guardSteps > 1_000_000 {
                warnings.append("pagination stopped: too many steps")
                break
            }
            let item = queue[i]
            if item.pageBreakBefore {
                // A page break starts a new page unless the current one is still empty.
                if !pages[pages.count - 1].ops.isEmpty { newPage() }
                i += 1
                continue
            }
            if let fy = item.absoluteY {
                let p = pages.count - 1
                pages[p].ops.append(contentsOf: item.shifted(dx: 0, dy: fy))
                if item.flowBelow {
                    y = max(y, fy + item.height + 6)
                    // Nothing fits below the frame on this page: the flow goes on on the next.
                    if y >= bottom { newPage() } else { atTop = false }
                }
                i += 1
                continue
            }
            // A table continuing on a new page gets its header rows again.
            if atTop, pages.count > 1, let header = item.tableHeader, !item.isHeaderRow,
                i > 0, queue[i - 1].tableHeader === header || queue[i - 1].isHeaderRow
            {
                let copies = header.make()
                for c in copies { c.isHeaderRow = true }
                if copies.stackedHeight < (bottom - y) / 2 {
                    for (k, c) in copies.enumerated() { place(c, at: -1, spaceBefore: k == 0 ? 0 : c.spaceBefore) }
                    atTop = true  // the row under a repeated header still counts as the page's first
                }
            }
            let space = atTop ? 0 : item.spaceBefore
            if y + space + item.height <= bottom + 0.01 {
                place(item, at: i, spaceBefore: space)
                atTop = false
                i += 1
                continue
            }
            // Does not fit. Move its keep group to the next page if the group fits on a page.
            if item.keepWithPrevious, !placed.isEmpty {
                var k = placed.count - 1
                while k > 0, placed[k].queueIndex >= 0, queue[placed[k].queueIndex].keepWithPrevious { k -= 1 }
                // Move only when something stays before the group on this page.
                if k > 0, placed[k].queueIndex >= 0, !movedGroups.contains(placed[k].queueIndex) {
                    let groupStart = placed[k].queueIndex
                    // A group moves once: on its new page it may still not fit (repeated table
                    // headers take room), and moving again would never end.
                    movedGroups.insert(groupStart)
                    let groupHeight = queue[groupStart...i].map(\.height).reduce(0, +)
                    let pageHeight = bottom - top(pages.count)
                    if groupHeight <= pageHeight {
                        let p = pages.count - 1
                        let cut = placed[k]
                        pages[p].ops.removeSubrange(cut.opsCount...)
                        pages[p].outline.removeSubrange(cut.outlineCount...)
                        newPage()
                        i = groupStart
                        continue
                    }
                }
            }
            // A row or box that fits on a fresh page moves there whole; one taller than a page
            // splits where it is.
            let freshPage = bottom - top(pages.count)
            if item.split != nil, !atTop, item.height <= freshPage {
                newPage()
                continue
            }
            if let split = item.split, let (a, b) = split(bottom - y - space), a.height > 0 {
                a.keepWithPrevious = item.keepWithPrevious
                a.tableHeader = item.tableHeader
                b.tableHeader = item.tableHeader
                queue[i] = a
                queue.insert(b, at: i + 1)
                place(a, at: i, spaceBefore: space)
                i += 1
                newPage()
                continue
            }
            if !atTop {
                newPage()
                continue
            }
            // Taller than an empty page and cannot split: place it and report.
            warnings.append("content \(Int(item.height)) pt tall does not fit on a page and was cut off")
            place(item, at: i, spaceBefore: 0)
            i += 1
        }
        return Result(pages: pages, warnings: warnings)
    }
}
