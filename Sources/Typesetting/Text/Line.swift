import Foundation

/// Stage 5 of a paragraph (line): a line ready to place, glyph runs in visual order with x
/// relative to the line box's left edge and y relative to its baseline.
struct LineBox {
    var ops: [DrawOp]
    var width: Double
    var ascent: Double
    var descent: Double
    var height: Double
    /// Distance from the top of the line box to the baseline.
    var baseline: Double
}

/// Builds the line boxes of a paragraph's line ranges: pieces of runs in visual order (UAX #9
/// rule L2), alignment and justification, glyph runs with their cluster maps, and a height
/// from the fonts and the glyphs' ink.
enum LineBuilder {
    /// The part of a run on one line.
    private struct Piece {
        var run: Int
        var start: Int
        var end: Int
        var level: UInt8
        var isRTL: Bool { level & 1 == 1 }
    }

    /// The line of an empty paragraph (or one without glyphs): the base font's height.
    static func emptyLine(_ paragraph: PreparedParagraph, lineSpacing: Double) -> LineBox {
        let size = paragraph.baseStyle.size
        let ascent = (paragraph.baseFace?.ascender ?? 0.9) * size
        let descent = (paragraph.baseFace?.descender ?? 0.25) * size
        let height = (ascent + descent) * lineSpacing
        return LineBox(
            ops: [],
            width: 0,
            ascent: ascent,
            descent: descent,
            height: height,
            baseline: ascent + (height - ascent - descent) / 2
        )
    }

    static func build(
        _ paragraph: PreparedParagraph,
        _ line: LineRange,
        width: Double,
        indent: Double,
        alignment: Alignment,
        lineSpacing: Double
    ) -> LineBox {
        let pieces = visualOrder(logicalPieces(paragraph, from: line.start, to: line.contentEnd))
        // Glyphs of each piece (forced breaks draw nothing) and the line's natural width.
        var pieceGlyphs: [[ShapedGlyph]] = []
        var naturalWidth = 0.0
        var spaces = 0
        for piece in pieces {
            let glyphs = paragraph.runs[piece.run].glyphs(from: piece.start, to: piece.end).filter {
                paragraph.scalars[$0.cluster] != 0x0A
            }
            pieceGlyphs.append(glyphs)
            for glyph in glyphs { naturalWidth += glyph.advance }
            for index in piece.start..<piece.end where paragraph.scalars[index] == 0x20 { spaces += 1 }
        }
        let available = width - indent
        var extraPerSpace = 0.0
        if alignment == .justify && !line.endsParagraphOrForced && spaces > 0 && naturalWidth < available {
            extraPerSpace = (available - naturalWidth) / Double(spaces)
            naturalWidth = available
        }
        let startX = alignedStart(
            alignment,
            free: max(0, available - naturalWidth),
            indent: indent,
            rtl: paragraph.rtl
        )
        // A line broken at a space keeps that space: its glyph (blank) is shown after the line's
        // logical end, so readers that join a paragraph's lines (screen readers following the
        // structure tree, copy and paste) keep the words apart. Lines broken without a space
        // (CJK, Khmer, a hyphen) add none.
        let breakSpace =
            !line.endsParagraphOrForced
            && (line.contentEnd..<line.end).contains { index in
                let scalar = paragraph.scalars[index]
                return scalar == 0x20 || scalar == 0x09 || scalar == 0x3000 || scalar == 0x1680
                    || (0x2000...0x200A).contains(scalar)
            }
        let ops = glyphRunOps(
            paragraph,
            pieces,
            pieceGlyphs,
            startX: startX,
            extraPerSpace: extraPerSpace,
            breakSpaceAfter: breakSpace ? line.contentEnd : nil
        )
        var (ascent, descent) = metrics(paragraph, pieces, pieceGlyphs)
        if pieces.isEmpty {
            let empty = emptyLine(paragraph, lineSpacing: 1)
            ascent = empty.ascent
            descent = empty.descent
        }
        let height = (ascent + descent) * lineSpacing
        return LineBox(
            ops: ops,
            width: naturalWidth,
            ascent: ascent,
            descent: descent,
            height: height,
            baseline: ascent + (height - ascent - descent) / 2
        )
    }

    // MARK: Visual order

    /// Pieces of runs covering `start..<end`, in logical order.
    private static func logicalPieces(_ paragraph: PreparedParagraph, from start: Int, to end: Int) -> [Piece] {
        var pieces: [Piece] = []
        var position = start
        while position < end {
            let runIndex = paragraph.runOfScalar[position]
            let pieceEnd = min(end, paragraph.runs[runIndex].end)
            pieces.append(Piece(run: runIndex, start: position, end: pieceEnd, level: paragraph.runs[runIndex].level))
            position = pieceEnd
        }
        return pieces
    }

    /// UAX #9 rule L2: from the highest level down to the lowest odd level, reverse every
    /// sequence of pieces at that level or higher.
    private static func visualOrder(_ logical: [Piece]) -> [Piece] {
        var pieces = logical
        guard let maxLevel = pieces.map(\.level).max(),
            let lowestOddLevel = pieces.map(\.level).filter({ $0 & 1 == 1 }).min() ?? (maxLevel >= 1 ? 1 : nil)
        else { return pieces }
        var level = maxLevel
        while level >= lowestOddLevel && level > 0 {
            var sequenceStart = 0
            while sequenceStart < pieces.count {
                guard pieces[sequenceStart].level >= level else {
                    sequenceStart += 1
                    continue
                }
                var sequenceEnd = sequenceStart
                while sequenceEnd < pieces.count && pieces[sequenceEnd].level >= level { sequenceEnd += 1 }
                pieces[sequenceStart..<sequenceEnd].reverse()
                sequenceStart = sequenceEnd
            }
            level -= 1
        }
        return pieces
    }

    // MARK: Alignment

    /// Where the first piece starts, given the free space on the line.
    private static func alignedStart(_ alignment: Alignment, free: Double, indent: Double, rtl: Bool) -> Double {
        let startIsLeft = !rtl
        switch alignment {
        case .start, .justify: return startIsLeft ? indent : free
        case .end: return startIsLeft ? indent + free : 0
        case .center: return (startIsLeft ? indent : 0) + free / 2
        }
    }

    // MARK: Glyph runs

    /// One glyph run per piece (with its text and cluster map), and underlines. Pieces are
    /// placed in visual order but listed in logical order: the content stream then holds a
    /// mixed-direction line (Arabic with numbers or Latin names) in the order it is read, which
    /// is the order assistive technology and copy-and-paste follow. The page looks the same.
    private static func glyphRunOps(
        _ paragraph: PreparedParagraph,
        _ pieces: [Piece],
        _ pieceGlyphs: [[ShapedGlyph]],
        startX: Double,
        extraPerSpace: Double,
        breakSpaceAfter: Int?
    ) -> [DrawOp] {
        var x = startX
        var pieceOps: [(start: Int, ops: [DrawOp])] = []
        // The space a line was broken at, shown after the line's logical end (below).
        var spaceGlyphs: [ShapedGlyph] = []
        var spaceRun: TextRun? = nil
        if let end = breakSpaceAfter, end < paragraph.scalars.count {
            let run = paragraph.runs[paragraph.runOfScalar[end]]
            spaceGlyphs = Array(run.glyphs(from: end, to: end + 1))
            spaceRun = run
        }
        let spaceWidth = spaceGlyphs.reduce(0) { $0 + $1.advance }
        func placedSpace(from start: Double) -> [(id: UInt32, x: Double, y: Double)] {
            var spaceX = start
            return spaceGlyphs.map { glyph in
                defer { spaceX += glyph.advance }
                return (glyph.id, spaceX + glyph.dx, -glyph.dy)
            }
        }
        // It joins the run of the line's logically last piece when that piece is also at the
        // line's end on the space's side (right in a left-to-right paragraph, left in a
        // right-to-left one), in the paragraph's direction, and drawn alike (face, size, colour,
        // no link): the same glyph at the same place, in the same text, in one Cairo call
        // instead of two (a wrapped paragraph has one per line).
        var joiningPiece: Int? = nil
        if !spaceGlyphs.isEmpty, let spaceRun,
            let last = pieces.indices.max(by: { pieces[$0].start < pieces[$1].start }),
            last == (paragraph.rtl ? 0 : pieces.count - 1), pieces[last].isRTL == paragraph.rtl,
            !pieceGlyphs[last].isEmpty
        {
            let run = paragraph.runs[pieces[last].run]
            if run.face === spaceRun.face, run.style.size == spaceRun.style.size,
                run.style.color == spaceRun.style.color, run.style.link == nil, spaceRun.style.link == nil
            {
                joiningPiece = last
            }
        }
        for (pieceIndex, piece) in pieces.enumerated() {
            var ops: [DrawOp] = []
            defer { pieceOps.append((piece.start, ops)) }
            let glyphs = pieceGlyphs[pieceIndex]
            guard !glyphs.isEmpty else { continue }
            let run = paragraph.runs[piece.run]
            let size = run.style.size
            let runStartX = x
            let joinsSpace = pieceIndex == joiningPiece
            var placed: [(id: UInt32, x: Double, y: Double)] = []
            placed.reserveCapacity(glyphs.count + (joinsSpace ? spaceGlyphs.count : 0))
            if joinsSpace && piece.isRTL {
                // Left of the line (its logical end), first in visual order.
                placed += placedSpace(from: startX - spaceWidth)
            }
            for glyph in glyphs {
                placed.append((glyph.id, x + glyph.dx, -glyph.dy))
                x += glyph.advance
                if extraPerSpace > 0 && paragraph.scalars[glyph.cluster] == 0x20 { x += extraPerSpace }
            }
            if joinsSpace && !piece.isRTL { placed += placedSpace(from: x) }
            var clusterMap = ClusterMap(paragraph.scalars, glyphs: glyphs, start: piece.start, end: piece.end)
            // Cairo's backward flag maps clusters to glyphs from the end: list them in text order.
            if piece.isRTL { clusterMap.clusters.reverse() }
            if joinsSpace {
                clusterMap.text += " "
                clusterMap.clusters.append((1, Int32(spaceGlyphs.count)))
            }
            ops.append(
                .glyphs(
                    GlyphRunOp(
                        face: run.face,
                        size: size,
                        color: run.style.color,
                        relativeGlyphs: placed,
                        baseline: 0,
                        text: clusterMap.text,
                        clusters: clusterMap.clusters,
                        backward: piece.isRTL,
                        link: run.style.link
                    )
                )
            )
            if run.style.underline {
                let y = -run.face.underlinePosition * size
                ops.append(
                    .line(
                        x1: runStartX,
                        y1: y,
                        x2: x,
                        y2: y,
                        color: run.style.color,
                        width: run.face.underlineThickness * size
                    )
                )
            }
        }
        var ops = pieceOps.sorted { $0.start < $1.start }.flatMap(\.ops)
        if joiningPiece == nil, let run = spaceRun, !spaceGlyphs.isEmpty {
            // The logical end: right of the line in a left-to-right paragraph, left of it in
            // a right-to-left one.
            let placed = placedSpace(from: paragraph.rtl ? startX - spaceWidth : x)
            ops.append(
                .glyphs(
                    GlyphRunOp(
                        face: run.face,
                        size: run.style.size,
                        color: run.style.color,
                        relativeGlyphs: placed,
                        baseline: 0,
                        text: " ",
                        clusters: [(1, Int32(placed.count))],
                        backward: false,
                        link: nil
                    )
                )
            )
        }
        return ops
    }

    // MARK: Metrics

    /// Ascent and descent of the line: every font's, and every glyph's ink (marks stacked above
    /// or below, raised or lowered glyphs).
    private static func metrics(
        _ paragraph: PreparedParagraph,
        _ pieces: [Piece],
        _ pieceGlyphs: [[ShapedGlyph]]
    ) -> (ascent: Double, descent: Double) {
        var ascent = 0.0
        var descent = 0.0
        for (pieceIndex, piece) in pieces.enumerated() {
            let run = paragraph.runs[piece.run]
            let size = run.style.size
            ascent = max(ascent, run.face.ascender * size)
            descent = max(descent, run.face.descender * size)
            for glyph in pieceGlyphs[pieceIndex] {
                let ink = run.face.inkExtent(glyph.id)
                ascent = max(ascent, ink.top * size + glyph.dy)
                descent = max(descent, ink.bottom * size - glyph.dy)
            }
        }
        return (ascent, descent)
    }
}
