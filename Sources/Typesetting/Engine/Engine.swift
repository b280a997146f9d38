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
    /// Shared pages made so far (`SharedPage`), by key in their document
    /// (`sharedPageKey`); nil for one that cannot be shared (not one page, or not joinable).
    var sharedPageCache: [SharedPageKey: SharedPageContent?] = [:]
    /// At most this many shared pages are kept (a page per language set and provider).
    static let sharedPageCacheLimit = 64

    public convenience init() throws {
        try self.init(manifest: FontManifest.load(from: FontManifest.locate()))
    }

    public convenience init(manifest: FontManifest) throws {
        // `CAREDOCS_PARAGRAPH_CACHE=off` lays every paragraph out anew (for A/B benchmarks and
        // for ruling the cache out when a layout looks wrong).
        let cached = ProcessInfo.processInfo.environment["CAREDOCS_PARAGRAPH_CACHE"] != "off"
        try self.init(manifest: manifest, paragraphCache: cached ? ParagraphCache() : nil)
    }

    init(manifest: FontManifest, paragraphCache: ParagraphCache?, walkCharmap: Bool = false) throws {
        fonts = try FontLibrary(manifest: manifest, walkCharmap: walkCharmap)
        text = ParagraphLayout(fonts: fonts, unicode: unicode, shaper: shaper, cache: paragraphCache)
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
    func layOut(_ document: Document, sharedPages: [SharedPageKey: SharedPageContent] = [:]) -> LaidOutDocument {
        let collector = BlockLayout(
            text: text,
            structure: StructureBuilder(),
            sharedPages: sharedPages.mapValues(\.outline),
            documentKey: Self.sharedPageKey(document)
        )
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

    /// Runs `body` (renders on this task) and counts the documents drawn a second time with
    /// Cairo's tags because their marked content did not add up (`PDFRenderer.render(_:finishing:)`,
    /// `ContentMarks`): none is expected for the program's documents; the conformance tests check.
    public static func countingRedraws<T>(_ body: () throws -> T) rethrows -> (result: T, redrawn: Int) {
        let counter = ContentMarks.MismatchCounter()
        let result = try ContentMarks.$counter.withValue(counter) { try body() }
        return (result, counter.value)
    }

    public func render(_ document: Document) throws -> RenderResult {
        let shared = sharedPages(of: document)
        do {
            return try render(document, sharedPages: shared)
        } catch is SharedPageContent.Unsupported where !shared.isEmpty {
            // Not joinable into this document: never tried again, laid out in the flow.
            for key in shared.keys { sharedPageCache[key] = .some(nil) }
            return try render(document, sharedPages: [:])
        }
    }

    private func render(_ document: Document, sharedPages: [SharedPageKey: SharedPageContent]) throws -> RenderResult {
        let page = document.page
        let laidOut = layOut(document, sharedPages: sharedPages)
        let renderer = PDFRenderer(width: page.width, height: page.height, metadata: document.metadata)
        let (pdf, notes) = try renderer.render(laidOut.pages) { raw, structure in
            try PDFPostProcessor.finishReporting(
                raw,
                language: document.language,
                metadata: document.metadata,
                structure: structure,
                claims: Self.conformance,
                sharedPages: sharedPages
            )
        }

        var fontsUsed = Set<String>()
        var missingSet = Set(laidOut.fallback.codePoints)
        var sharedWarnings: [String] = []
        for pageBox in laidOut.pages {
            for placed in pageBox.ops {
                if case .glyphs(let run) = placed.op { fontsUsed.insert(run.face.postscriptName) }
            }
            if let key = pageBox.shared, let content = sharedPages[key] {
                fontsUsed.formUnion(content.fonts)
                missingSet.formUnion(content.missingCharacters)
                sharedWarnings += content.warnings
            }
        }
        let missing =
            missingSet.count == laidOut.fallback.codePoints.count ? laidOut.fallback.codePoints : missingSet.sorted()
        var warnings = laidOut.warnings + sharedWarnings + notes
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

    /// The document's part of a shared page's key: what its layout depends on besides its blocks.
    /// Written out field by field (no reflection: this runs for every document).
    static func sharedPageKey(_ document: Document) -> SharedPageKey {
        let page = document.page
        let margins = page.margins
        let style = document.baseStyle
        var key = "\(page.width) \(page.height) \(margins.top) \(margins.right) \(margins.bottom) \(margins.left)"
        key += "|\(document.language)|\(document.direction.rawValue)|\(document.lineSpacing)"
        key +=
            "|\(style.size) \(style.bold) \(style.italic) \(style.color.red) \(style.color.green) \(style.color.blue)"
        key += "|\(style.underline) \(style.link ?? "") \(style.language ?? "")|"
        return Data(key.utf8)
    }

    /// The document's shared pages (top-level `SharedPage` blocks) made, from the cache or now:
    /// each laid out alone on the document's page (no running header or footer), drawn and
    /// post-processed like any document, and taken apart for joining. One that does not fit on
    /// one page, or cannot be taken apart, is left out (and laid out in the flow).
    func sharedPages(of document: Document) -> [SharedPageKey: SharedPageContent] {
        var result: [SharedPageKey: SharedPageContent] = [:]
        let documentKey = Self.sharedPageKey(document)
        for case .sharedPage(let shared) in document.blocks {
            let key = documentKey + Data(shared.key.utf8)
            if let cached = sharedPageCache[key] {
                if let cached { result[key] = cached }
                continue
            }
            let content = makeSharedPage(shared, in: document)
            if sharedPageCache.count >= Self.sharedPageCacheLimit { sharedPageCache.removeAll() }
            sharedPageCache[key] = .some(content)
            if let content { result[key] = content }
        }
        return result
    }

    private func makeSharedPage(_ shared: SharedPage, in document: Document) -> SharedPageContent? {
        var alone = Document(
            page: document.page,
            language: document.language,
            direction: document.direction,
            baseStyle: document.baseStyle,
            blocks: shared.blocks
        )
        alone.page.firstPageTopMargin = nil
        alone.lineSpacing = document.lineSpacing
        let laidOut = layOut(alone)
        guard laidOut.pages.count == 1 else { return nil }
        let page = alone.page
        // Drawn with Cairo's tags: `SharedPageGraft.extract` reads the tree Cairo writes (made
        // once per process, its speed does not count).
        var renderer = PDFRenderer(width: page.width, height: page.height, metadata: Metadata())
        renderer.cairoTags = true
        guard
            let (raw, structure) = try? renderer.render(laidOut.pages),
            var content = try? SharedPageGraft.extract(raw, structure: structure)
        else { return nil }
        content.outline = laidOut.pages[0].outline
        var fonts = Set<String>()
        for placed in laidOut.pages[0].ops {
            if case .glyphs(let run) = placed.op { fonts.insert(run.face.postscriptName) }
        }
        content.fonts = fonts.sorted()
        content.missingCharacters = laidOut.fallback.codePoints
        content.warnings = laidOut.warnings
        return content
    }

    /// Renders to a file atomically: a temporary file in the same folder, then a rename.
    @discardableResult
    public func render(_ document: Document, to url: URL) throws -> RenderReport {
        let result = try render(document)
        try AtomicFile.write(result.pdf, to: url)
        return result.report
    }
}

extension Engine {
    /// What `renderCombined` wrote: the PDF and each document's page count, in order.
    public struct CombinedResult: Sendable {
        public var pdf: Data
        public var pageCounts: [Int]
    }

    /// Documents one after another in one PDF, for printing (the mailroom's print file): each
    /// laid out exactly as it is alone — the pages of its own PDF, with its own running header,
    /// footer and page numbers — and drawn on one Cairo surface, so each font is embedded once
    /// and each shared page's content and fonts once, for every page that shows it. Not tagged
    /// and without an outline: a print job, not a document to read (each document's own PDF is
    /// that). `next` gives the documents one at a time (nil at the end), so a batch of any size
    /// is never held whole.
    public func renderCombined(metadata: Metadata, next: () throws -> Document?) throws -> CombinedResult {
        var pageCounts: [Int] = []
        var shared: [SharedPageKey: SharedPageContent] = [:]
        var first: Document? = try next()
        guard let firstDocument = first else { throw TypesettingError.pdf("no document to combine") }
        let (width, height) = (firstDocument.page.width, firstDocument.page.height)
        var renderer = PDFRenderer(width: width, height: height, metadata: metadata)
        renderer.tagged = false
        let (raw, structure) = try renderer.render {
            guard let document = try first ?? next() else { return nil }
            first = nil
            guard document.page.width == width, document.page.height == height else {
                throw TypesettingError.pdf("documents of one print file must share a page size")
            }
            let pages = sharedPages(of: document)
            shared.merge(pages) { a, _ in a }
            let laidOut = layOut(document, sharedPages: pages)
            pageCounts.append(laidOut.pages.count)
            return laidOut.pages
        }
        let (pdf, _) = try PDFPostProcessor.finishReporting(
            raw,
            language: firstDocument.language,
            metadata: metadata,
            structure: structure,
            claims: [],
            sharedPages: shared
        )
        return CombinedResult(pdf: pdf, pageCounts: pageCounts)
    }
}
