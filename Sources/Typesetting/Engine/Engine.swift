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

/// A document laid out into pages, not yet drawn.
struct LaidOutDocument {
    var pages: [PageBox]
    /// Content that did not fit, frames that overflow, shortened headers.
    var warnings: [String]
    /// Characters no font covers.
    var fallback: FontFallbackReport
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

    /// Lays the document out without drawing it: the number of pages (for benchmarks).
    public func pageCount(_ document: Document) -> Int { layout(document).pages.count }

    /// The pages and warnings of `layOut(_:)`.
    func layout(_ document: Document) -> (pages: [PageBox], warnings: [String]) {
        let laidOut = layOut(document)
        return (laidOut.pages, laidOut.warnings)
    }

    /// The document flow: collect (blocks → flow items, `Layout/Flow/Collect.swift`) →
    /// distribute (items onto pages, `Distribute.swift`) → decorate (running header and
    /// footer, `Decorate.swift`).
    func layOut(_ document: Document) -> LaidOutDocument {
        let collector = BlockLayout(text: text, structure: StructureBuilder())
        let context = LayoutContext(document: document)
        let items = collector.items(document.blocks, context)
        var distributed = Paginator(page: document.page).paginate(items)
        PageDecorator(document: document, blocks: collector, context: context).decorate(&distributed.pages)
        return LaidOutDocument(
            pages: distributed.pages,
            warnings: collector.warnings + distributed.warnings,
            fallback: collector.fallback
        )
    }

    /// What every document claims in its XMP metadata: PDF/UA-1 and PDF/A-2u (see the
    /// post-processor for how Cairo's output is brought there).
    public static let conformance: XMPPacket.Claims = [.pdfUA1, .pdfA2u]

    public func render(_ document: Document) throws -> RenderResult {
        let page = document.page
        let laidOut = layOut(document)
        let renderer = PDFRenderer(width: page.width, height: page.height, metadata: document.metadata)
        let (raw, structure) = try renderer.render(laidOut.pages)
        let (pdf, notes) = try PDFPostProcessor.finishReporting(
            raw,
            language: document.language,
            metadata: document.metadata,
            structure: structure,
            claims: Self.conformance
        )

        var fontsUsed = Set<String>()
        for pageBox in laidOut.pages {
            for placed in pageBox.ops {
                if case .glyphs(let run) = placed.op { fontsUsed.insert(run.face.postscriptName) }
            }
        }
        let missing = laidOut.fallback.codePoints
        var warnings = laidOut.warnings + notes
        if !missing.isEmpty {
            warnings.append(
                "no bundled font covers \(missing.count) character(s): \(missing.prefix(20).joined(separator: " "))"
            )
        }
        let report = RenderReport(
            pages: laidOut.pages.count,
            fonts: fontsUsed.sorted(),
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
        try AtomicFile.write(result.pdf, to: url)
        return result.report
    }
}
