import Foundation

/// What a render produced besides the bytes: pages, fonts, and everything a reader should know
/// (characters no font covers, content that did not fit). Never silent tofu.
public struct RenderReport: Sendable, Codable {
    public var pages: Int
    public var fonts: [String]
    public var warnings: [String]
    /// Code points no bundled font covers, as `U+XXXX`.
    public var missingCharacters: [String]
    public var bytes: Int
}

public struct RenderResult: Sendable {
    public var pdf: Data
    public var report: RenderReport
}

/// The typesetting engine of one worker: fonts, shaper, break iterators and the pipeline.
/// Not thread-safe; give each thread its own (see `EnginePool`).
public final class Engine {
    let fonts: FontLibrary
    let unicode = UnicodeServices()
    let shaper = Shaper()
    let text: ParagraphLayout

    public convenience init() throws {
        try self.init(manifest: FontManifest.load(from: FontManifest.locate()))
    }

    public init(manifest: FontManifest) throws {
        fonts = try FontLibrary(manifest: manifest)
        text = ParagraphLayout(fonts: fonts, unicode: unicode, shaper: shaper)
    }

    /// Lays the document out into pages (collect, distribute, decorate), without drawing.
    /// Lays the document out without drawing it: the number of pages (for benchmarks).
    public func pageCount(_ document: Document) -> Int { layout(document).pages.count }

    func layout(_ document: Document) -> (pages: [PageBox], warnings: [String]) {
        let structure = StructureBuilder()
        let blocks = BlockLayout(text: text, structure: structure)
        let page = document.page
        let rtl = document.resolvedDirection == .rtl
        let ctx = LayoutContext(
            x: page.margins.left,
            width: page.width - page.margins.left - page.margins.right,
            language: document.language,
            direction: rtl ? .rtl : .ltr,
            style: document.baseStyle,
            tags: []
        )
        let items = blocks.items(document.blocks, ctx)
        var result = Paginator(page: page).paginate(items)
        decorate(&result.pages, document, blocks: blocks, ctx: ctx)
        return (result.pages, blocks.warnings + result.warnings)
    }

    public func render(_ document: Document) throws -> RenderResult {
        text.missing.removeAll()
        let page = document.page
        let result = layout(document)
        let renderer = PDFRenderer(width: page.width, height: page.height, metadata: document.metadata)
        let (raw, figureAlts) = try renderer.render(result.pages)
        let pdf = try PDFPostProcessor.finish(
            raw,
            language: document.language,
            metadata: document.metadata,
            figureAlts: figureAlts
        )

        var used = Set<String>()
        for p in result.pages {
            for o in p.ops { if case .glyphs(let g) = o.op { used.insert(g.face.postscriptName) } }
        }
        let missing = text.missing.keys.sorted().map { String(format: "U+%04X", $0) }
        var warnings = result.warnings
        if !missing.isEmpty {
            warnings.append(
                "no bundled font covers \(missing.count) character(s): \(missing.prefix(20).joined(separator: " "))"
            )
        }
        let report = RenderReport(
            pages: result.pages.count,
            fonts: used.sorted(),
            warnings: warnings,
            missingCharacters: missing,
            bytes: pdf.count
        )
        return RenderResult(pdf: pdf, report: report)
    }

    /// Renders to a file atomically: a temporary file in the same folder, then a rename.
    @discardableResult
    public func render(_ document: Document, to url: URL) throws -> RenderReport {
        let result = try render(document)
        try Self.writeAtomically(result.pdf, to: url)
        return result.report
    }

    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: tmp)
            // rename(2) replaces the target atomically: readers see the old file or the new one.
            guard rename(tmp.path, url.path) == 0 else {
                throw TypesettingError.io(
                    "cannot move the finished file into place (\(String(cString: strerror(errno))))"
                )
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw TypesettingError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Running headers and footers with their fields filled in, once the page count is known.
    private func decorate(_ pages: inout [PageBox], _ doc: Document, blocks: BlockLayout, ctx: LayoutContext) {
        let total = pages.count
        let page = doc.page
        for i in pages.indices {
            let header = i == 0 ? (doc.firstPageHeader ?? doc.header) : doc.header
            let top = i == 0 ? (page.firstPageTopMargin ?? page.margins.top) : page.margins.top
            if let header {
                let ops = decoration(
                    header,
                    page: i + 1,
                    total: total,
                    doc: doc,
                    blocks: blocks,
                    ctx: ctx,
                    baselineY: top - 18,
                    ruleY: header.rule ? top - 10 : nil
                )
                pages[i].ops.append(contentsOf: ops)
            }
            if let footer = doc.footer {
                let y = page.height - page.margins.bottom
                let ops = decoration(
                    footer,
                    page: i + 1,
                    total: total,
                    doc: doc,
                    blocks: blocks,
                    ctx: ctx,
                    baselineY: y + 26,
                    ruleY: footer.rule ? y + 10 : nil
                )
                pages[i].ops.append(contentsOf: ops)
            }
        }
    }

    private func decoration(
        _ d: PageDecoration,
        page: Int,
        total: Int,
        doc: Document,
        blocks: BlockLayout,
        ctx: LayoutContext,
        baselineY: Double,
        ruleY: Double?
    ) -> [PlacedOp] {
        func fill(_ s: String) -> String {
            s.replacingOccurrences(of: "{page}", with: "\(page)")
                .replacingOccurrences(of: "{pages}", with: "\(total)")
                .replacingOccurrences(of: "{title}", with: doc.metadata.title ?? "")
                .replacingOccurrences(of: "{ref}", with: doc.referenceID ?? "")
        }
        var ops: [PlacedOp] = []
        let rtl = ctx.direction == .rtl
        let left = ctx.x
        let right = ctx.x + ctx.width
        let slots: [(String, Int)] = [(d.start, rtl ? 2 : 0), (d.center, 1), (d.end, rtl ? 0 : 2)]
        let artifact: [StructureNode] = []
        for (text, position) in slots where !text.isEmpty {
            let line = blocks.singleLine(fill(text), style: d.style, ctx: ctx, maxWidth: ctx.width)
            let x: Double
            switch position {
            case 0: x = left
            case 1: x = left + (ctx.width - line.width) / 2
            default: x = right - line.width
            }
            ops.append(contentsOf: line.ops.map { PlacedOp(op: $0.offset(dx: x, dy: baselineY), tags: artifact) })
        }
        if let ruleY {
            ops.append(
                PlacedOp(op: .line(x1: left, y1: ruleY, x2: right, y2: ruleY, color: .gray, width: 0.5), tags: [])
            )
        }
        return ops
    }
}
