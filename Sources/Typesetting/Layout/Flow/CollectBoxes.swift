import Foundation

/// Collecting images, fixed-position frames and boxes (callouts: a stack of items with a fill
/// and a border that splits between its items).
extension BlockLayout {
    // MARK: Images and frames

    func image(_ image: ImageBlock, _ ctx: LayoutContext) -> FlowItem {
        let (pixelWidth, pixelHeight) = Self.pngSize(image.png) ?? (1, 1)
        let width = min(image.width, ctx.width)
        let height = width * Double(pixelHeight) / Double(max(1, pixelWidth))
        var x = ctx.x
        let rtl = ctx.direction == .rtl
        switch image.alignment {
        case .center: x = ctx.x + (ctx.width - width) / 2
        case .end: x = rtl ? ctx.x : ctx.x + ctx.width - width
        default: x = rtl ? ctx.x + ctx.width - width : ctx.x
        }
        let node = structure.node("Figure", alt: image.alt)
        if Self.pngSize(image.png) == nil { warnings.append("an image is not a valid PNG and was left out") }
        return FlowItem(
            ops: [
                PlacedOp(op: .image(png: image.png, x: x, y: 0, width: width, height: height), tags: ctx.tags + [node])
            ],
            height: height
        )
    }

    /// Width and height in pixels from a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (Int, Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count >= 24, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 else {
            return nil
        }
        let width = Int(bytes[16]) << 24 | Int(bytes[17]) << 16 | Int(bytes[18]) << 8 | Int(bytes[19])
        let height = Int(bytes[20]) << 24 | Int(bytes[21]) << 16 | Int(bytes[22]) << 8 | Int(bytes[23])
        return width > 0 && height > 0 ? (width, height) : nil
    }

    /// A fixed-position frame (an address window): its blocks stacked at (x, y) on the page.
    func frame(_ frame: Frame, _ ctx: LayoutContext) -> FlowItem {
        var frameContext = ctx
        frameContext.x = frame.x
        frameContext.width = frame.width
        if let size = frame.baseSize { frameContext.style.size = size }
        let inner = items(frame.blocks, frameContext)
        let item = FlowItem(ops: inner.stackedOps(), height: 0)
        item.absoluteY = frame.y
        item.flowBelow = frame.flowBelow
        if inner.stackedHeight > frame.height + 0.5 {
            warnings.append(
                "frame content is \(Int(inner.stackedHeight)) pt tall, more than its \(Int(frame.height)) pt"
            )
        }
        item.height = frame.height
        return item
    }

    // MARK: Boxes

    func callout(_ callout: Callout, _ ctx: LayoutContext) -> FlowItem {
        var inner = ctx
        let borderWidth = callout.borderWidth
        inner.x = ctx.x + borderWidth + callout.padding.left
        inner.width = max(20, ctx.width - 2 * borderWidth - callout.padding.left - callout.padding.right)
        let node = structure.node("Div")
        inner.tags = ctx.tags + [node]
        let children = items(callout.blocks, inner)
        return box(
            children,
            BoxStyle(
                x: ctx.x,
                width: ctx.width,
                top: borderWidth + callout.padding.top,
                bottom: borderWidth + callout.padding.bottom,
                fill: callout.fill,
                border: callout.borderColor,
                borderWidth: borderWidth
            )
        )
    }

    /// Where a box is and how it looks: `top` and `bottom` are its border and padding.
    private struct BoxStyle {
        var x: Double
        var width: Double
        var top: Double
        var bottom: Double
        var fill: Color?
        var border: Color
        var borderWidth: Double
    }

    /// A stack of items in a box; splits between its items when it does not fit.
    private func box(_ children: [FlowItem], _ style: BoxStyle) -> FlowItem {
        let contentHeight = children.stackedHeight
        let height = style.top + contentHeight + style.bottom
        var ops: [PlacedOp] = []
        if let fill = style.fill {
            ops.append(
                PlacedOp(op: .fillRect(x: style.x, y: 0, width: style.width, height: height, color: fill), tags: [])
            )
        }
        if style.borderWidth > 0 {
            ops.append(
                PlacedOp(
                    op: .strokeRect(
                        x: style.x + style.borderWidth / 2,
                        y: style.borderWidth / 2,
                        width: style.width - style.borderWidth,
                        height: height - style.borderWidth,
                        color: style.border,
                        lineWidth: style.borderWidth
                    ),
                    tags: []
                )
            )
        }
        ops.append(contentsOf: children.stackedOps(dy: style.top))
        let item = FlowItem(ops: ops, height: height)
        item.firstBaseline = children.first?.firstBaseline.map { $0 + style.top }
        if children.count > 1 {
            item.split = { [unowned self] limit in
                let fitting = children.prefixFitting(limit - style.top - style.bottom)
                guard fitting > 0 && fitting < children.count else { return nil }
                let head = self.box(Array(children[..<fitting]), style)
                let rest = Array(children[fitting...])
                rest.first?.spaceBefore = 0
                return (head, self.box(rest, style))
            }
        }
        return item
    }
}
