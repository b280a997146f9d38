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

    /// Renders the pages; also returns the structure as drawn (every tag opened, in order, and
    /// the pages with a running header or footer) for the post-processor.
    func render(_ pages: [PageBox]) throws -> (pdf: [UInt8], structure: RenderedStructure) {
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
        if tagged {
            cairo_tag_begin(cr, "Document", "")
            structure.tags.append(OpenedTag(node: nil, role: "Document"))
        }
        var open: StructureNode?
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
                        retag(cr, open: &open, to: batchTags, structure: &structure)
                        if let top = batchTags.first { topLevelNodes.insert(top.id) }
                    }
                    drawGlyphs(batch, cr)
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
                        retag(cr, open: &open, to: placed.tags, structure: &structure)
                        if let top = placed.tags.first { topLevelNodes.insert(top.id) }
                    }
                    draw(placed.op, cr, structure: &structure)
                }
                drawBatch()
                // Every tag is closed at the end of the page (the post-processor joins the elements
                // reopened on the next one), then the running header and footer are drawn: the
                // post-processor marks what follows the last tagged content as pagination.
                retag(cr, open: &open, to: [], structure: &structure)
                var hasPagination = false
                for placed in page.ops where placed.pagination && isOnPage(placed.op) {
                    draw(placed.op, cr, structure: &structure)
                    hasPagination = true
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
        if tagged { cairo_tag_end(cr, "Document") }
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
    /// one open before. Only those elements are Cairo tags: the elements above them (a table,
    /// its rows and cells, a list and its items, a section) are recorded for the
    /// post-processor, which writes them (`StructureRepair`). Each Cairo tag costs a few
    /// microseconds of its bookkeeping on both of its passes over a page; a table cell's text is
    /// four levels deep.
    private func retag(
        _ cr: OpaquePointer,
        open: inout StructureNode?,
        to path: [StructureNode],
        structure: inout RenderedStructure
    ) {
        let leaf = path.last
        if open === leaf { return }
        if let node = open {
            cairo_tag_end(cr, node.role)
            open = nil
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
        cairo_tag_begin(cr, leaf.role, leaf.attributes)
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

    private func draw(_ op: DrawOp, _ cr: OpaquePointer, structure: inout RenderedStructure) {
        switch op {
        case .glyphs(let run):
            if run.link != nil && tagged { structure.tags.append(OpenedTag(node: nil, role: "Link")) }
            drawGlyphs(run, cr)
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
            drawImage(png, x: x, y: y, width: width, height: height, cr)
        }
    }

    /// Glyph runs drawn alike (`render`'s batches), in one Cairo call: their glyphs, texts and
    /// clusters one after the other, each in text order (the runs come in logical order).
    private func drawGlyphs(_ runs: [GlyphRunOp], _ cr: OpaquePointer) {
        guard runs.count > 1 else {
            if let run = runs.first { drawGlyphs(run, cr) }
            return
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
        Self.showTextGlyphs(cr, text, &glyphs, &clusters, cairo_text_cluster_flags_t(rawValue: 0))
    }

    private static func showTextGlyphs(
        _ cr: OpaquePointer,
        _ text: String,
        _ glyphs: inout [cairo_glyph_t],
        _ clusters: inout [cairo_text_cluster_t],
        _ flags: cairo_text_cluster_flags_t
    ) {
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
    }

    private func drawGlyphs(_ run: GlyphRunOp, _ cr: OpaquePointer) {
        guard !run.relativeGlyphs.isEmpty else { return }
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
        if run.clusters.isEmpty || run.text.isEmpty {
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
            Self.showTextGlyphs(cr, run.text, &glyphs, &clusters, flags)
        }
        if run.link != nil && tagged { cairo_tag_end(cr, "Link") }
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

    private func drawImage(_ png: Data, x: Double, y: Double, width: Double, height: Double, _ cr: OpaquePointer) {
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
        guard let image = cairo_image_surface_create_from_png_stream(read, ref.toOpaque()) else { return }
        defer { cairo_surface_destroy(image) }
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS else { return }
        let pixelWidth = Double(cairo_image_surface_get_width(image))
        let pixelHeight = Double(cairo_image_surface_get_height(image))
        guard pixelWidth > 0, pixelHeight > 0 else { return }
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, width / pixelWidth, height / pixelHeight)
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
    }
}
