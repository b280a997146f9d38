import Foundation

/// The paragraph in UTF-16 for ICU, with each code unit's scalar offset (and the scalar count
/// at the end).
struct UTF16Text {
    var units: [UInt16] = []
    var scalarOffsets: [Int] = []

    init(_ scalars: [UInt32]) {
        units.reserveCapacity(scalars.count)
        scalarOffsets.reserveCapacity(scalars.count + 1)
        for (index, scalar) in scalars.enumerated() {
            if scalar > 0xFFFF {
                let offset = scalar - 0x10000
                units.append(UInt16(0xD800 + (offset >> 10)))
                units.append(UInt16(0xDC00 + (offset & 0x3FF)))
                scalarOffsets.append(index)
                scalarOffsets.append(index)
            } else {
                units.append(UInt16(scalar))
                scalarOffsets.append(index)
            }
        }
        scalarOffsets.append(scalars.count)
    }
}

/// Stage 4a of a paragraph (break opportunities), as scalar offsets with one entry more than
/// the scalars: `allowed[i]` a line may start at scalar i, `mandatory[i]` it must (UAX #14 with
/// ICU's dictionaries for Khmer, Lao, Thai, Myanmar), `graphemes[i]` scalar i starts a
/// grapheme cluster (UAX #29; for words longer than a line).
struct BreakOpportunities {
    var allowed: [Bool]
    var mandatory: [Bool]
    var graphemes: [Bool]

    /// The opportunities of an empty paragraph.
    static let empty = BreakOpportunities(allowed: [true], mandatory: [false], graphemes: [true])
}

extension UnicodeServices {
    func breakOpportunities(_ scalars: [UInt32], locale: String) -> BreakOpportunities {
        let utf16 = UTF16Text(scalars)
        let (allowed, mandatory) = lineBreaks(
            scalars,
            utf16: utf16.units,
            utf16ToScalar: utf16.scalarOffsets,
            locale: locale
        )
        let graphemes = graphemeBoundaries(
            utf16: utf16.units,
            utf16ToScalar: utf16.scalarOffsets,
            count: scalars.count
        )
        return BreakOpportunities(allowed: allowed, mandatory: mandatory, graphemes: graphemes)
    }
}

/// A line of a paragraph in logical order: scalars `start..<end`, of which `start..<contentEnd`
/// are drawn (trailing spaces hang).
struct LineRange {
    var start: Int
    var end: Int
    var contentEnd: Int
    /// The paragraph's last line or one ended by a forced break: never justified.
    var endsParagraphOrForced: Bool
}

/// Stage 4b of a paragraph (fit): greedy line breaking from the per-character advances, without
/// shaping again; a piece wider than the line is broken between grapheme clusters.
enum LineBreaker {
    static func fit(_ paragraph: PreparedParagraph, width: Double, firstLineIndent: Double) -> [LineRange] {
        let count = paragraph.scalars.count
        var lines: [LineRange] = []
        var start = 0
        while start < count {
            let available = max(1, width - (lines.isEmpty ? firstLineIndent : 0))
            let end: Int
            let forced: Bool
            if let fit = lastFittingBreak(paragraph, from: start, available: available) {
                end = fit.end
                forced = fit.forced
            } else {
                end = graphemeBreak(paragraph, from: start, available: available)
                forced = false
            }
            var contentEnd = end
            while contentEnd > start && paragraph.isSpace(contentEnd - 1) { contentEnd -= 1 }
            lines.append(
                LineRange(start: start, end: end, contentEnd: contentEnd, endsParagraphOrForced: forced || end == count)
            )
            start = end
        }
        return lines
    }

    /// The last break opportunity after `start` whose line fits in `available` (trailing spaces
    /// do not count), or the first forced break; nil when not even the first piece fits.
    private static func lastFittingBreak(
        _ paragraph: PreparedParagraph,
        from start: Int,
        available: Double
    ) -> (end: Int, forced: Bool)? {
        let count = paragraph.scalars.count
        let advance = paragraph.advance
        let allowed = paragraph.breaks.allowed
        let mandatory = paragraph.breaks.mandatory
        var width = 0.0
        var trailingSpace = 0.0
        var lastFit: (end: Int, forced: Bool)? = nil
        var position = start
        while position < count {
            let scalarAdvance = advance[position]
            width += scalarAdvance
            if paragraph.isSpace(position) { trailingSpace += scalarAdvance } else { trailingSpace = 0 }
            position += 1
            guard allowed[position] || position == count else { continue }
            guard width - trailingSpace <= available + 0.001 else { break }
            let forced = (mandatory[position] && position < count) || paragraph.scalars[position - 1] == 0x0A
            lastFit = (position, forced)
            if forced { break }
        }
        return lastFit
    }

    /// The end of the longest run of whole grapheme clusters from `start` that fits (at least
    /// one cluster, even when it is wider than the line).
    private static func graphemeBreak(_ paragraph: PreparedParagraph, from start: Int, available: Double) -> Int {
        let count = paragraph.scalars.count
        let graphemes = paragraph.breaks.graphemes
        var best = -1
        var width = 0.0
        var position = start
        while position < count {
            width += paragraph.advance[position]
            position += 1
            if graphemes[position] {
                if width <= available || best < 0 { best = position }
                if width > available { break }
            }
        }
        if best < 0 { best = count }
        return max(best, start + 1)
    }
}
