import Foundation

/// A text item with its glyphs, shaped once with the whole paragraph as context.
struct TextRun {
    var start: Int
    var end: Int
    var level: UInt8
    var script: String
    var language: String
    var face: FontFace
    var style: TextStyle
    /// In visual order, as HarfBuzz gives them (right-to-left runs reversed).
    var glyphs: [ShapedGlyph]

    /// The glyphs whose clusters fall in `start..<end`. Clusters are monotonic in a run
    /// (ascending left to right, descending right to left), so a binary search finds the slice.
    func glyphs(from start: Int, to end: Int) -> ArraySlice<ShapedGlyph> {
        guard let first = glyphs.first, let last = glyphs.last else { return glyphs[...] }
        // First index in glyph order whose cluster satisfies `isPast` (which is monotonic).
        func firstIndex(where isPast: (Int) -> Bool) -> Int {
            var low = 0
            var high = glyphs.count
            while low < high {
                let middle = (low + high) / 2
                if isPast(glyphs[middle].cluster) { high = middle } else { low = middle + 1 }
            }
            return low
        }
        let lower: Int
        let upper: Int
        if first.cluster <= last.cluster {
            lower = firstIndex { $0 >= start }
            upper = firstIndex { $0 >= end }
        } else {
            lower = firstIndex { $0 < end }
            upper = firstIndex { $0 < start }
        }
        return glyphs[lower..<max(lower, upper)]
    }
}

/// Stage 3 of a paragraph (shape): runs with glyphs, and each scalar's advance so lines can be
/// fitted without shaping again.
struct ShapedParagraph {
    var runs: [TextRun]
    /// For each scalar, the index of its run.
    var runOfScalar: [Int]
    /// For each scalar, the advance of the glyphs of the cluster it starts (0 inside a cluster).
    var advance: [Double]
}

extension Shaper {
    /// Shapes each item once (HarfBuzz, with the whole paragraph as context).
    func shape(_ items: [TextItem], scalars: [UInt32]) -> ShapedParagraph {
        var runs: [TextRun] = []
        var runOfScalar = [Int](repeating: 0, count: scalars.count)
        var advance = [Double](repeating: 0, count: scalars.count)
        for item in items {
            let glyphs = shape(
                scalars,
                start: item.start,
                end: item.end,
                rtl: item.level & 1 == 1,
                script: item.script,
                language: item.language,
                face: item.face,
                size: item.style.size
            )
            let runIndex = runs.count
            for scalarIndex in item.start..<item.end { runOfScalar[scalarIndex] = runIndex }
            for glyph in glyphs where glyph.cluster >= item.start && glyph.cluster < item.end {
                advance[glyph.cluster] += glyph.advance
            }
            runs.append(
                TextRun(
                    start: item.start,
                    end: item.end,
                    level: item.level,
                    script: item.script,
                    language: item.language,
                    face: item.face,
                    style: item.style,
                    glyphs: glyphs
                )
            )
        }
        return ShapedParagraph(runs: runs, runOfScalar: runOfScalar, advance: advance)
    }
}
