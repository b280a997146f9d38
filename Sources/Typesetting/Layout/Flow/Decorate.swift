import Foundation

/// Stage 3 of the document flow (decorate): running headers and footers on the distributed
/// pages, with `{page}`, `{pages}`, `{title}` and `{ref}` filled in now that the page count is
/// known. Decorations are pagination artifacts (untagged here; marked by the post-processor).
struct PageDecorator {
    let document: Document
    /// Lays out the decorations' text (and collects its warnings and uncovered characters).
    let blocks: BlockLayout
    /// The page's text column.
    let context: LayoutContext

    func decorate(_ pages: inout [PageBox]) {
        let pageSetup = document.page
        for pageIndex in pages.indices {
            let isFirst = pageIndex == 0
            let header = isFirst ? (document.firstPageHeader ?? document.header) : document.header
            let top = isFirst ? (pageSetup.firstPageTopMargin ?? pageSetup.margins.top) : pageSetup.margins.top
            if let header {
                let ops = decoration(
                    header,
                    page: pageIndex + 1,
                    total: pages.count,
                    baselineY: top - 18,
                    ruleY: header.rule ? top - 10 : nil
                )
                pages[pageIndex].ops.append(contentsOf: ops)
            }
            if let footer = document.footer {
                let bottom = pageSetup.height - pageSetup.margins.bottom
                let ops = decoration(
                    footer,
                    page: pageIndex + 1,
                    total: pages.count,
                    baselineY: bottom + 26,
                    ruleY: footer.rule ? bottom + 10 : nil
                )
                pages[pageIndex].ops.append(contentsOf: ops)
            }
        }
    }

    /// The three slots (start, center, end; mirrored right to left) and the rule of one header
    /// or footer.
    private func decoration(
        _ running: PageDecoration,
        page: Int,
        total: Int,
        baselineY: Double,
        ruleY: Double?
    ) -> [PlacedOp] {
        func fill(_ template: String) -> String {
            Self.fill(template) { name in
                switch name {
                case "page": "\(page)"
                case "pages": "\(total)"
                case "title": document.metadata.title ?? ""
                case "ref": document.referenceID ?? ""
                default: nil
                }
            }
        }
        enum Slot { case left, center, right }
        var ops: [PlacedOp] = []
        let rtl = context.direction == .rtl
        let left = context.x
        let right = context.x + context.width
        let slots: [(String, Slot)] = [
            (running.start, rtl ? .right : .left), (running.center, .center), (running.end, rtl ? .left : .right),
        ]
        for (template, slot) in slots where !template.isEmpty {
            let line = blocks.singleLine(fill(template), style: running.style, ctx: context, maxWidth: context.width)
            let x: Double
            switch slot {
            case .left: x = left
            case .center: x = left + (context.width - line.width) / 2
            case .right: x = right - line.width
            }
            ops.append(
                contentsOf: line.ops.map { PlacedOp(op: $0.offset(dx: x, dy: baselineY), tags: [], pagination: true) }
            )
        }
        if let ruleY {
            ops.append(
                PlacedOp(
                    op: .line(x1: left, y1: ruleY, x2: right, y2: ruleY, color: .gray, width: 0.5),
                    tags: [],
                    pagination: true
                )
            )
        }
        return ops
    }

    /// The template with each `{name}` the closure knows replaced (other braces kept as written),
    /// in one pass over its characters (Foundation's `replacingOccurrences`, four times per
    /// slot and page, went through NSString each time).
    static func fill(_ template: String, _ value: (Substring) -> String?) -> String {
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        guard template.utf8.contains(open) else { return template }
        var out = ""
        var rest = template[...]
        while let start = rest.utf8.firstIndex(of: open) {
            out += rest[..<start]
            guard let end = rest.utf8[start...].firstIndex(of: close) else { break }
            if let replacement = value(rest[rest.utf8.index(after: start)..<end]) {
                out += replacement
                rest = rest[rest.utf8.index(after: end)...]
            } else {
                out += "{"
                rest = rest[rest.utf8.index(after: start)...]
            }
        }
        out += rest
        return out
    }
}
