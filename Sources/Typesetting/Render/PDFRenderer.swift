import CCairo
import CCairoDeflate
import CCairoNumbers
import Foundation

/// Receives the bytes Cairo writes. Passed to Cairo's write callback through its `closure`
/// pointer (the callback is a C function and cannot capture).
final class ByteSink {
    var bytes: [UInt8] = []
    /// A letter's file is about 100–250 KB: room for it from the start (no regrowth copies).
    init(capacity: Int = 64 * 1024) { bytes.reserveCapacity(capacity) }
    var data: Data { Data(bytes) }
    func append(_ pointer: UnsafePointer<UInt8>, count: Int) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
    }
}

/// Draws laid-out pages on a Cairo PDF surface: glyph runs with their text and clusters,
/// structure tags, links, outline and metadata.
struct PDFRenderer {
    static let logicalOrderForRTL = true

    /// Cairo 1.16 deadlocks when two threads draw text at once: its global glyph cache evicts
    /// glyphs of another thread's scaled font while that thread holds the font's lock and waits
    /// for the cache (seen in the CJK sweep: one thread in cairo_show_page, one in
    /// cairo_show_text_glyphs, each waiting for the other's mutex). All Cairo work in a process
    /// is serialized; layout and shaping stay parallel. Separate processes (the service's render
    /// workers) each have their own Cairo and run truly in parallel. Recursive: a print file
    /// being drawn makes a shared page it meets on the same thread (one thread, two surfaces).
    static let cairoLock = NSRecursiveLock()

    var width: Double
    var height: Double
    var metadata: Metadata
    /// Structure tags, links and the outline (a print job of many documents has none: each
    /// document's own PDF is the one to read).
    var tagged = true
    /// Structure tags through Cairo's tag API: Cairo writes each element's marked content and
    /// the structure tree, which `StructureRepair` then completes. Otherwise (the default) no tag
    /// is opened in Cairo: the renderer records which element each drawing call belongs to
    /// (`ContentMark`) and the post-processor writes the marked content (`ContentMarks`) and the
    /// tree (`StructureWriter`). Each Cairo tag cost a few microseconds of its bookkeeping on both
    /// of its passes over a page and ended the text object (about 0.7 ms of an ICP's 3.7 ms in
    /// Cairo). Used for documents with links (Cairo writes their annotations with the Link
    /// elements) and when the content Cairo wrote does not match the marks (`render(_:finishing:)`).
    var cairoTags = false

    /// Renders `pages` and hands Cairo's bytes and the structure to `finishing` (the
    /// post-processor). When that finds the content stream does not hold the glyphs the marks
    /// expect (`ContentMarks.Mismatch`: Cairo left out a drawing call the renderer did not
    /// foresee), the pages are drawn again with Cairo's tags: slower, never wrong.
    func render<T>(_ pages: [PageBox], finishing: ([UInt8], RenderedStructure) throws -> T) throws -> T {
        do {
            let (raw, structure) = try render(pages)
            return try finishing(raw, structure)
        } catch is ContentMarks.Mismatch where tagged && !cairoTags {
            var again = self
            again.cairoTags = true
            let (raw, structure) = try again.render(pages)
            return try finishing(raw, structure)
        }
    }

    /// Renders the pages; also returns the structure as drawn (every tag opened, in order, and
    /// the pages with a running header or footer) for the post-processor.
    func render(_ pages: [PageBox]) throws -> (pdf: [UInt8], structure: RenderedStructure) {
        if tagged && !cairoTags
            && pages.contains(where: { page in
                page.ops.contains { placed in
                    if case .glyphs(let run) = placed.op { return run.link != nil }
                    return false
                }
            })
        {
            var withLinks = self
            withLinks.cairoTags = true
            return try withLinks.render(pages)
        }
        var given = false
        return try render {
            defer { given = true }
            return given ? nil : pages
        }
    }

    /// Renders the pages `next` gives, a group at a time (one document's pages), until it gives
    /// nil: many documents on one surface, each font embedded once.
    func render(next: () throws -> [PageBox]?) throws -> (pdf: [UInt8], structure: RenderedStructure) {
        Self.cairoLock.lock()
        defer { Self.cairoLock.unlock() }
        // Cairo's streams stored, not compressed: the post-processor (and the shared-page
        // extraction) compress every stream of the file once (`Flate.recompressed`; why in
        // CCairoDeflate). Restored after, for a render nested in another on this thread.
        let deflateLevel = cd_default_deflate_level()
        cd_set_default_deflate_level(0)
        defer { cd_set_default_deflate_level(deflateLevel) }
        var structure = RenderedStructure()
        let sink = ByteSink(capacity: 256 * 1024)
        let closure = Unmanaged.passRetained(sink)
        defer { closure.release() }
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
            sink.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = cairo_pdf_surface_create_for_stream(write, closure.toOpaque(), width, height) else {
            throw TypesettingError.cairo("cannot create the PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        setMetadata(surface)
        guard let cr = cairo_create(surface) else { throw TypesettingError.cairo("cannot create a context") }
        defer { cairo_destroy(cr) }
        setFontOptions(cr)

        structure.tagged = tagged
        let marking = tagged && !cairoTags
        if marking { structure.marks = [] }
        if tagged {
            if !marking { cairo_tag_begin(cr, "Document", "") }
            structure.tags.append(OpenedTag(node: nil, role: "Document"))
        }
        var open: StructureNode?
        // With `marking`: the opened tag (index in `structure.tags`) and the page's marks.
        var openTag = -1
        var pageMarks: [ContentMark] = []
        var outlineParents: [Int: Int32] = [:]
        var topLevelNodes = Set<Int>()
        var pageIndex = -1
        while let group = try next() {
            for page in group {
                pageIndex += 1
                if let key = page.shared {
                    // Its content is joined in by the post-processor, as the Document's children
                    // after those of the pages before.
                    structure.sharedPages.append(.init(page: pageIndex, key: key, kidIndex: topLevelNodes.count))
                }
                // Decoration first (fills, borders, rules), untagged, under the text.
                for placed in page.ops where !placed.op.isContent && !placed.pagination {
                    draw(placed.op, cr, structure: &structure)
                }
                // Consecutive glyph runs of one element drawn alike (face, size, colour, baseline,
                // no link; right-to-left runs in text order) go to Cairo in one call: the spans of a line that only
                // differ by where their text came from (a name, a date, a phone number between
                // template words; the space a line was broken at). Cairo writes the same content
                // stream for them either way, but each call is a command it records and plays
                // back twice.
                var batch: [GlyphRunOp] = []
                var batchTags: [StructureNode] = []
                func drawBatch() {
                    guard !batch.isEmpty else { return }
                    if tagged {
                        retag(
                            cr,
                            open: &open,
                            to: batchTags,
                            structure: &structure,
                            marking: marking,
                            openTag: &openTag
                        )
                        if let top = batchTags.first { topLevelNodes.insert(top.id) }
                    }
                    let drawn = drawGlyphs(batch, cr)
                    if marking && drawn > 0 { pageMarks.append(ContentMark(tag: openTag, glyphs: drawn)) }
                    batch.removeAll(keepingCapacity: true)
                }
                for placed in page.ops where placed.op.isContent && !placed.pagination && isOnPage(placed.op) {
                    if case .glyphs(let run) = placed.op, run.link == nil, !run.backward || Self.logicalOrderForRTL,
                        !run.relativeGlyphs.isEmpty,
                        !run.clusters.isEmpty, !run.text.isEmpty
                    {
                        if let first = batch.first,
                            !(first.face === run.face && first.size == run.size && first.color == run.color
                                && first.baseline == run.baseline && placed.tags.count == batchTags.count
                                && placed.tags.last === batchTags.last)
                        {
                            drawBatch()
                        }
                        if batch.isEmpty { batchTags = placed.tags }
                        batch.append(run)
                        continue
                    }
                    drawBatch()
                    if tagged {
                        retag(
                            cr,
                            open: &open,
                            to: placed.tags,
                            structure: &structure,
                            marking: marking,
                            openTag: &openTag
                        )
                        if let top = placed.tags.first { topLevelNodes.insert(top.id) }
                    }
                    let drawn = draw(placed.op, cr, structure: &structure)
                    if marking, let drawn { pageMarks.append(ContentMark(tag: openTag, glyphs: drawn)) }
                }
                drawBatch()
                // Every tag is closed at the end of the page (the post-processor joins the elements
                // reopened on the next one), then the running header and footer are drawn: the
                // post-processor marks what follows the last tagged content as pagination.
                retag(cr, open: &open, to: [], structure: &structure, marking: marking, openTag: &openTag)
                var hasPagination = false
                for placed in page.ops where placed.pagination && isOnPage(placed.op) {
                    // Marked too (as no element's): every code in the page's stream is accounted for.
                    let drawn = draw(placed.op, cr, structure: &structure)
                    if marking, let drawn { pageMarks.append(ContentMark(tag: -1, glyphs: drawn)) }
                    hasPagination = true
                }
                if marking {
                    structure.marks?.append(pageMarks)
                    pageMarks.removeAll(keepingCapacity: true)
                }
                structure.paginationPages.append(hasPagination)
                if hasPagination && page.ops.allSatisfy(\.pagination) {
                    structure.paginationOnlyPages.insert(pageIndex)
                }
                if tagged { addOutline(page.outline, page: pageIndex, surface, parents: &outlineParents) }
                let status = cairo_status(cr)
                guard status == CAIRO_STATUS_SUCCESS else {
                    throw TypesettingError.cairo(
                        "drawing page \(pageIndex + 1) failed: \(String(cString: cairo_status_to_string(status)))"
                    )
                }
                cairo_show_page(cr)
            }
        }
        if tagged && !marking { cairo_tag_end(cr, "Document") }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw TypesettingError.cairo("writing the PDF failed: \(String(cString: cairo_status_to_string(status)))")
        }
        return (sink.bytes, structure)
    }

    private func setFontOptions(_ cr: OpaquePointer) {
        guard let options = cairo_font_options_create() else { return }
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
    }

    /// Opens the element the content on `path` belongs to (the path's last node), closing the
    /// one open before, and records it (`structure.tags`); the elements above it (a table, its
    /// rows and cells, a list and its items, a section) are recorded once each for the
    /// post-processor, which writes them (`ContainerTree`). With `marking` no Cairo tag is opened:
    /// `openTag` is the opened tag's index in `structure.tags` (-1 when none is open), for the
    /// drawing calls' marks (`ContentMark`). Otherwise the element is a Cairo tag.
    private func retag(
        _ cr: OpaquePointer,
        open: inout StructureNode?,
        to path: [StructureNode],
        structure: inout RenderedStructure,
        marking: Bool,
        openTag: inout Int
    ) {
        let leaf = path.last
        if open === leaf { return }
        if let node = open {
            if !marking { cairo_tag_end(cr, node.role) }
            open = nil
            openTag = -1
        }
        guard let leaf else { return }
        let parent = path.count >= 2 ? path[path.count - 2].id : nil
        for index in stride(from: path.count - 2, through: 0, by: -1) {
            let node = path[index]
            if structure.containers[node.id] != nil { break }
            structure.containers[node.id] = StructureContainer(
                role: node.role,
                parent: index > 0 ? path[index - 1].id : nil,
                alt: node.alt,
                scope: node.scope,
                lang: node.lang
            )
        }
        structure.tags.append(
            OpenedTag(node: leaf.id, role: leaf.role, alt: leaf.alt, scope: leaf.scope, lang: leaf.lang, parent: parent)
        )
        if marking {
            openTag = structure.tags.count - 1
        } else {
            cairo_tag_begin(cr, leaf.role, leaf.attributes)
        }
        open = leaf
    }

    /// The page's outline entries (from headings), nested by level.
    private func addOutline(
        _ entries: [OutlineEntry],
        page pageIndex: Int,
        _ surface: OpaquePointer,
        parents: inout [Int: Int32]
    ) {
        for entry in entries {
            let parent = entry.level > 1 ? (parents[entry.level - 1] ?? 0) : 0
            let attributes = "page=\(pageIndex + 1) pos=[0.00 \(Self.hundredths(max(0, entry.y - 6)))]"
            let id = cairo_pdf_surface_add_outline(
                surface,
                parent,
                Self.metadataText(entry.title),
                attributes,
                cairo_pdf_outline_flags_t(rawValue: 0)
            )
            parents[entry.level] = id
            for deeper in (entry.level + 1)...4 { parents[deeper] = nil }
        }
    }

    /// A length with two decimals, exactly as `%.2f` writes it (`cd_format_fixed`, the formatter
    /// Cairo's numbers already go through, tested against glibc), without Foundation's
    /// `String(format:)`, which went through NSString for every heading of a plan.
    static func hundredths(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 40)
        guard cd_format_fixed(&buffer, buffer.count, 2, value) > 0 else { return String(format: "%.2f", value) }
        return String(cString: buffer)
    }

    /// Cairo drops drawing that is wholly off the page, and with it the marked content of the
    /// tags opened for it, which leaves its structure tree unbalanced. Such content (already
    /// reported as cut off by pagination) is not drawn at all.
    private func isOnPage(_ op: DrawOp) -> Bool {
        switch op {
        case .glyphs(let run):
            let margin = run.size * 2
            return run.containsGlyph { x, y in
                x > -margin && x < width + margin && y > -margin && y < height + margin
            }
        case let .image(_, x, y, imageWidth, imageHeight):
            return x < width && y < height && x + imageWidth > 0 && y + imageHeight > 0
        default:
            return true
        }
    }

    private func setMetadata(_ surface: OpaquePointer) {
        func set(_ key: cairo_pdf_metadata_t, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            cairo_pdf_surface_set_metadata(surface, key, Self.metadataText(value))
        }
        set(CAIRO_PDF_METADATA_TITLE, metadata.title)
        set(CAIRO_PDF_METADATA_AUTHOR, metadata.author)
        set(CAIRO_PDF_METADATA_SUBJECT, metadata.subject)
        set(CAIRO_PDF_METADATA_KEYWORDS, metadata.keywords.isEmpty ? nil : metadata.keywords.joined(separator: ", "))
        set(CAIRO_PDF_METADATA_CREATOR, metadata.creator)
    }

    private func setColor(_ color: Color, _ cr: OpaquePointer) {
        cairo_set_source_rgb(cr, color.red, color.green, color.blue)
    }

    /// Draws `op`; for content, what Cairo will write of it (`ContentMark.glyphs`: the glyphs
    /// drawn, 0 for an image), nil when nothing.
    @discardableResult
    private func draw(_ op: DrawOp, _ cr: OpaquePointer, structure: inout RenderedStructure) -> Int? {
        switch op {
        case .glyphs(let run):
            if run.link != nil && tagged { structure.tags.append(OpenedTag(node: nil, role: "Link")) }
            let drawn = drawGlyphs(run, cr)
            return drawn > 0 ? drawn : nil
        case let .fillRect(x, y, width, height, color):
            setColor(color, cr)
            cairo_rectangle(cr, x, y, width, height)
            cairo_fill(cr)
        case let .strokeRect(x, y, width, height, color, lineWidth):
            setColor(color, cr)
            cairo_set_line_width(cr, lineWidth)
            cairo_rectangle(cr, x, y, width, height)
            cairo_stroke(cr)
        case let .line(x1, y1, x2, y2, color, lineWidth):
            setColor(color, cr)
            cairo_set_line_width(cr, lineWidth)
            cairo_move_to(cr, x1, y1)
            cairo_line_to(cr, x2, y2)
            cairo_stroke(cr)
        case let .image(png, x, y, width, height):
            return drawImage(png, x: x, y: y, width: width, height: height, cr) ? 0 : nil
        }
        return nil
    }

    /// Glyph runs drawn alike (`render`'s batches), in one Cairo call: their glyphs, texts and
    /// clusters one after the other, each in text order (the runs come in logical order).
    /// Returns the glyphs Cairo will write (`showTextGlyphs`).
    private func drawGlyphs(_ runs: [GlyphRunOp], _ cr: OpaquePointer) -> Int {
        guard runs.count > 1 else {
            if let run = runs.first { return drawGlyphs(run, cr) }
            return 0
        }
        let first = runs[0]
        cairo_set_font_face(cr, first.face.cairoFace)
        cairo_set_font_size(cr, first.size)
        setColor(first.color, cr)
        var glyphs: [cairo_glyph_t] = []
        var clusters: [cairo_text_cluster_t] = []
        var text = ""
        for run in runs {
            let (originX, originY) = (run.originX, run.originY)
            let start = glyphs.count
            for glyph in run.relativeGlyphs {
                glyphs.append(cairo_glyph_t(index: UInt(glyph.id), x: glyph.x + originX, y: glyph.y + originY))
            }
            // A right-to-left run's glyphs in text order, as `drawGlyphs(_:_:)` draws it alone.
            if run.backward { glyphs[start...].reverse() }
            for cluster in run.clusters {
                clusters.append(cairo_text_cluster_t(num_bytes: cluster.bytes, num_glyphs: cluster.glyphs))
            }
            text += run.text
        }
        Self.baselineAtClusterEnds(&glyphs, clusters: clusters, baseline: first.baseline)
        return Self.showTextGlyphs(cr, text, &glyphs, &clusters, cairo_text_cluster_flags_t(rawValue: 0))
    }

    /// Draws the glyphs; returns how many Cairo writes: all of them (`keepBlankCall`).
    @discardableResult
    private static func showTextGlyphs(
        _ cr: OpaquePointer,
        _ text: String,
        _ glyphs: inout [cairo_glyph_t],
        _ clusters: inout [cairo_text_cluster_t],
        _ flags: cairo_text_cluster_flags_t
    ) -> Int {
        if isBlankText(text) { keepBlankCall(cr, &glyphs) }
        var text = text
        text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                cairo_show_text_glyphs(
                    cr,
                    chars.baseAddress,
                    Int32(chars.count),
                    &glyphs,
                    Int32(glyphs.count),
                    &clusters,
                    Int32(clusters.count),
                    flags
                )
            }
        }
        return glyphs.count
    }

    /// Cairo leaves out a drawing call whose glyphs paint nothing (a space a line was broken at,
    /// drawn alone) when their box has no area: when they all stand on one whole point, across
    /// or down (the box of blank glyphs is their positions, rounded out to whole points). Then the
    /// space is lost to text extraction and to the marks' count (`ContentMarks`). Such glyphs are
    /// moved by 1/64 pt off the whole point: nothing on the page changes, and Cairo writes them.
    static func keepBlankCall(_ cr: OpaquePointer, _ glyphs: inout [cairo_glyph_t]) {
        guard let first = glyphs.first else { return }
        var extents = cairo_text_extents_t()
        cairo_glyph_extents(cr, &glyphs, Int32(glyphs.count), &extents)
        guard extents.width <= 0 || extents.height <= 0 else { return }
        // Cairo's fixed point: 1/256.
        func whole(_ value: Double) -> Bool { (value * 256).rounded().truncatingRemainder(dividingBy: 256) == 0 }
        if whole(first.x) && glyphs.allSatisfy({ $0.x == first.x }) {
            for index in glyphs.indices { glyphs[index].x += 1.0 / 64 }
        }
        if whole(first.y) && glyphs.allSatisfy({ $0.y == first.y }) {
            for index in glyphs.indices { glyphs[index].y += 1.0 / 64 }
        }
    }

    /// Text with nothing visible in it: white space and default-ignorable characters only.
    static func isBlankText(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if byte < 0x80 { return false }
            return text.unicodeScalars.allSatisfy {
                $0.properties.isWhitespace || $0.properties.isDefaultIgnorableCodePoint
            }
        }
        return true
    }

    private func drawGlyphs(_ run: GlyphRunOp, _ cr: OpaquePointer) -> Int {
        guard !run.relativeGlyphs.isEmpty else { return 0 }
        if let link = run.link, tagged {
            cairo_tag_begin(cr, "Link", "uri='\(Self.encodeURI(link))'")
        }
        cairo_set_font_face(cr, run.face.cairoFace)
        cairo_set_font_size(cr, run.size)
        setColor(run.color, cr)
        let (originX, originY) = (run.originX, run.originY)
        var glyphs = run.relativeGlyphs.map {
            cairo_glyph_t(index: UInt($0.id), x: $0.x + originX, y: $0.y + originY)
        }
        var drawn = glyphs.count
        if run.clusters.isEmpty || run.text.isEmpty {
            Self.keepBlankCall(cr, &glyphs)
            cairo_show_glyphs(cr, &glyphs, Int32(glyphs.count))
        } else {
            var clusters = run.clusters.map { cairo_text_cluster_t(num_bytes: $0.bytes, num_glyphs: $0.glyphs) }
            var flags: cairo_text_cluster_flags_t =
                run.backward ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : cairo_text_cluster_flags_t(rawValue: 0)
            if run.backward && Self.logicalOrderForRTL {
                // Glyphs in text order (positions are absolute, the page looks the same): the
                // content stream then holds the text in logical order.
                glyphs.reverse()
                flags = cairo_text_cluster_flags_t(rawValue: 0)
            }
            Self.baselineAtClusterEnds(&glyphs, clusters: clusters, baseline: run.baseline)
            drawn = Self.showTextGlyphs(cr, run.text, &glyphs, &clusters, flags)
        }
        if run.link != nil && tagged { cairo_tag_end(cr, "Link") }
        return drawn
    }

    /// Cairo writes a link's URI into the PDF as is: parentheses, backslashes, quotes, controls
    /// and non-ASCII would break the PDF string or the tag. They are percent-encoded (RFC 3986),
    /// which keeps the link working.
    static func encodeURI(_ uri: String) -> String {
        var out = ""
        for byte in uri.utf8 {
            let safe =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || ":/?#[]@!$&*+,;=-._~%".utf8.contains(byte)
            if safe { out.append(Character(Unicode.Scalar(byte))) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }

    /// Metadata without characters Cairo rejects (noncharacters, controls).
    static func metadataText(_ text: String) -> String {
        var clean = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                clean.append(" ")
                continue
            }
            if (0xFDD0...0xFDEF).contains(scalar.value) || scalar.value & 0xFFFE == 0xFFFE {
                clean.append("\u{FFFD}")
                continue
            }
            clean.append(scalar)
        }
        return String(clean)
    }

    /// Text extractors (poppler) read a multi-glyph cluster's ActualText position from its first
    /// and last glyph; a raised mark at either end puts the text on a different line. Within each
    /// cluster, draw a glyph on the baseline first and last when there are two (the order of
    /// drawing within a cluster does not change the page).
    static func baselineAtClusterEnds(
        _ glyphs: inout [cairo_glyph_t],
        clusters: [cairo_text_cluster_t],
        baseline: Double
    ) {
        var start = 0
        for cluster in clusters {
            let glyphCount = Int(cluster.num_glyphs)
            defer { start += glyphCount }
            guard glyphCount >= 2, start + glyphCount <= glyphs.count else { continue }
            let group = Array(glyphs[start..<start + glyphCount])
            let onBaseline = group.indices.filter { abs(group[$0].y - baseline) < 0.01 }
            // Only the case that misleads extractors: starts on the baseline, ends off it.
            guard onBaseline.count >= 2, onBaseline.first == 0, onBaseline.last != glyphCount - 1 else { continue }
            let lastOnBaseline = onBaseline.last!
            var order = group.indices.filter { $0 != lastOnBaseline }
            order.append(lastOnBaseline)
            for (position, groupIndex) in order.enumerated() { glyphs[start + position] = group[groupIndex] }
        }
    }

    private final class PNGSource {
        let bytes: [UInt8]
        var offset = 0
        init(_ data: Data) { bytes = [UInt8](data) }
    }

    /// Whether the image was drawn.
    private func drawImage(
        _ png: Data,
        x: Double,
        y: Double,
        width: Double,
        height: Double,
        _ cr: OpaquePointer
    ) -> Bool {
        let source = PNGSource(png)
        let ref = Unmanaged.passRetained(source)
        defer { ref.release() }
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let source = Unmanaged<PNGSource>.fromOpaque(closure).takeUnretainedValue()
            let count = Int(length)
            guard source.offset + count <= source.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            source.bytes.withUnsafeBufferPointer { bytes in
                data.update(from: bytes.baseAddress! + source.offset, count: count)
            }
            source.offset += count
            return CAIRO_STATUS_SUCCESS
        }
        guard let image = cairo_image_surface_create_from_png_stream(read, ref.toOpaque()) else { return false }
        defer { cairo_surface_destroy(image) }
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS else { return false }
        let pixelWidth = Double(cairo_image_surface_get_width(image))
        let pixelHeight = Double(cairo_image_surface_get_height(image))
        guard pixelWidth > 0, pixelHeight > 0 else { return false }
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, width / pixelWidth, height / pixelHeight)
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
        return true
    }
}
