import Foundation

/// The text of a glyph run and its cluster map, as `cairo_show_text_glyphs` puts them in the
/// PDF (so the text can be searched and copied): UTF-8 text of the scalars `start..<end`, and
/// for each group of glyphs with one cluster value, in glyph order, how many bytes of text and
/// how many glyphs it spans. Falls back to one cluster for the whole run when the clusters are
/// not monotonic.
struct ClusterMap {
    var text: String
    var clusters: [(bytes: Int32, glyphs: Int32)]

    init(_ scalars: [UInt32], glyphs: [ShapedGlyph], start: Int, end: Int) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity((end - start) * 3)
        // Byte offset of each scalar of the range in `utf8`, and of the range's end.
        var byteOffset = [Int](repeating: 0, count: end - start + 1)
        for index in start..<end {
            byteOffset[index - start] = utf8.count
            let scalar = scalars[index]
            // Bidi formatting characters shape the layout but are not text a reader copies.
            if Self.isBidiFormatting(scalar) { continue }
            // A no-break space is a space to a reader (and drawn with the space glyph: `Shaper`).
            Self.appendUTF8(scalar == 0xA0 ? 0x20 : scalar, to: &utf8)
        }
        let byteCount = utf8.count
        byteOffset[end - start] = byteCount
        text = String(decoding: utf8, as: UTF8.self)
        clusters = Self.clusterSizes(glyphs, start: start, end: end, byteOffset: byteOffset, byteCount: byteCount)
    }

    /// Isolates, embeddings, overrides and the directional marks.
    private static func isBidiFormatting(_ scalar: UInt32) -> Bool {
        (0x2066...0x2069).contains(scalar) || (0x202A...0x202E).contains(scalar) || scalar == 0x200E
            || scalar == 0x200F || scalar == 0x061C
    }

    private static func appendUTF8(_ scalar: UInt32, to utf8: inout [UInt8]) {
        var value = scalar
        if value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { value = 0xFFFD }
        switch value {
        case 0..<0x80: utf8.append(UInt8(value))
        case 0x80..<0x800:
            utf8.append(UInt8(0xC0 | (value >> 6)))
            utf8.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            utf8.append(UInt8(0xE0 | (value >> 12)))
            utf8.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            utf8.append(UInt8(0x80 | (value & 0x3F)))
        default:
            utf8.append(UInt8(0xF0 | (value >> 18)))
            utf8.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            utf8.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            utf8.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    private static func clusterSizes(
        _ glyphs: [ShapedGlyph],
        start: Int,
        end: Int,
        byteOffset: [Int],
        byteCount: Int
    ) -> [(bytes: Int32, glyphs: Int32)] {
        guard !glyphs.isEmpty else { return [] }
        // Groups of consecutive glyphs with one cluster value, in glyph order.
        var groups: [(cluster: Int, count: Int)] = []
        groups.reserveCapacity(glyphs.count)
        for glyph in glyphs {
            if let last = groups.last, last.cluster == glyph.cluster {
                groups[groups.count - 1].count += 1
            } else {
                groups.append((glyph.cluster, 1))
            }
        }
        let single: [(bytes: Int32, glyphs: Int32)] = [(Int32(byteCount), Int32(glyphs.count))]
        // Clusters are monotonic in a run: ascending left to right, descending right to left.
        let ascending = groups.first!.cluster <= groups.last!.cluster
        var clusterStarts = groups.map(\.cluster)
        if !ascending { clusterStarts.reverse() }
        for k in 1..<max(1, clusterStarts.count) where clusterStarts[k] <= clusterStarts[k - 1] { return single }
        var out: [(bytes: Int32, glyphs: Int32)] = []
        out.reserveCapacity(groups.count + 1)
        for (groupIndex, group) in groups.enumerated() {
            let textIndex = ascending ? groupIndex : groups.count - 1 - groupIndex
            let rangeStart = (textIndex == 0 ? start : clusterStarts[textIndex]) - start
            let rangeEnd = (textIndex + 1 < clusterStarts.count ? clusterStarts[textIndex + 1] : end) - start
            guard rangeStart >= 0, rangeEnd <= end - start, rangeStart < rangeEnd else { return single }
            out.append((Int32(byteOffset[rangeEnd] - byteOffset[rangeStart]), Int32(group.count)))
        }
        return out
    }
}
