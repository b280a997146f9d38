import Foundation

/// A line of a paragraph, ready to place: glyph runs in visual order with x relative to the
/// line box's left edge and y relative to its baseline.
struct LineBox {
    var ops: [DrawOp]
    var width: Double
    var ascent: Double
    var descent: Double
    var height: Double
    /// Distance from the top of the line box to the baseline.
    var baseline: Double
}

/// A run of the itemized paragraph: one bidi level, script, font and span.
struct TextRun {
    var start: Int
    var end: Int
    var level: UInt8
    var script: String
    var language: String
    var face: FontFace
    var style: TextStyle
    var glyphs: [ShapedGlyph]
}

/// A paragraph itemized and shaped once. Lines are fitted from its per-character advances,
/// without shaping again.
struct PreparedParagraph {
    var scalars: [UInt32]
    var runs: [TextRun]
    var runOfScalar: [Int]
    var advance: [Double]
    var allowed: [Bool]
    var mandatory: [Bool]
    var graphemes: [Bool]
    var rtl: Bool
    var baseStyle: TextStyle
    var baseFace: FontFace?

    var isEmpty: Bool { scalars.isEmpty }

    func isSpace(_ i: Int) -> Bool {
        let s = scalars[i]
        return UnicodeServices.isWhitespace(s) || s == 0x0A || s == 0x2028 || s == 0x2029
    }

    /// Width of the widest unbreakable piece (the narrowest the paragraph can be set).
    var minContentWidth: Double {
        var best = 0.0
        var w = 0.0
        for i in 0..<scalars.count {
            if allowed[i] {
                best = max(best, w)
                w = 0
            }
            if !isSpace(i) { w += advance[i] }
        }
        return max(best, w)
    }

    /// Width of the paragraph set on one line (up to forced breaks).
    var maxContentWidth: Double {
        var best = 0.0
        var w = 0.0
        for i in 0..<scalars.count {
            if mandatory[i] {
                best = max(best, w)
                w = 0
            }
            w += advance[i]
        }
        return max(best, w)
    }
}

/// Itemizes (bidi, script, font), shapes, breaks and fits paragraphs into lines.
final class ParagraphLayout {
    let fonts: FontLibrary
    let unicode: UnicodeServices
    let shaper: Shaper
    /// Characters no font covers, for the render report.
    var missing: [UInt32: Int] = [:]

    init(fonts: FontLibrary, unicode: UnicodeServices, shaper: Shaper) {
        self.fonts = fonts
        self.unicode = unicode
        self.shaper = shaper
    }

    /// Turns spans into scalars, dropping control characters, tabs to spaces, line separators
    /// to forced breaks.
    static func sanitize(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.unicodeScalars.count)
        var previousCR = false
        for u in text.unicodeScalars {
            let v = u.value
            switch v {
            case 0x0D:
                out.append(0x0A)
                previousCR = true
                continue
            case 0x0A:
                if !previousCR { out.append(0x0A) }
            case 0x2028, 0x2029, 0x0B, 0x0C, 0x85: out.append(0x0A)
            case 0x09: out.append(0x20)
            case 0x00...0x1F, 0x7F...0x9F: break
            // Noncharacters are not text (and Cairo rejects them as invalid UTF-8).
            case 0xFDD0...0xFDEF: out.append(0xFFFD)
            case _ where v & 0xFFFE == 0xFFFE: out.append(0xFFFD)
            default: out.append(v)
            }
            previousCR = false
        }
        return out
    }

    func prepare(
        spans: [(text: String, style: TextStyle)],
        base: TextStyle,
        direction: Direction,
        language: String
    ) -> PreparedParagraph {
        var scalars: [UInt32] = []
        var spanOf: [Int] = []
        for (k, span) in spans.enumerated() {
            let s = Self.sanitize(span.text)
            scalars.append(contentsOf: s)
            spanOf.append(contentsOf: repeatElement(k, count: s.count))
        }
        let n = scalars.count
        let baseFace = fonts.primary(bold: base.bold, italic: base.italic)
        if n == 0 {
            return PreparedParagraph(
                scalars: [],
                runs: [],
                runOfScalar: [],
                advance: [],
                allowed: [true],
                mandatory: [false],
                graphemes: [true],
                rtl: direction == .rtl,
                baseStyle: base,
                baseFace: baseFace
            )
        }
        // UTF-16 for ICU, with a map back to scalar offsets.
        var utf16: [UInt16] = []
        utf16.reserveCapacity(n)
        var u16ToScalar: [Int] = []
        u16ToScalar.reserveCapacity(n + 1)
        for (i, v) in scalars.enumerated() {
            if v > 0xFFFF {
                let x = v - 0x10000
                utf16.append(UInt16(0xD800 + (x >> 10)))
                utf16.append(UInt16(0xDC00 + (x & 0x3FF)))
                u16ToScalar.append(i)
                u16ToScalar.append(i)
            } else {
                utf16.append(UInt16(v))
                u16ToScalar.append(i)
            }
        }
        u16ToScalar.append(n)

        let (levels, rtl) = unicode.bidiLevels(scalars, base: direction)
        let scripts = unicode.resolvedScripts(scalars)
        let styles = spans.map { $0.style }
        let languages = styles.map { $0.language ?? language }

        // Font per scalar by coverage; marks and joiners stay with their base.
        var faceOf = [FontFace?](repeating: nil, count: n)
        var lastSpan = -1
        var lastScript: Int32 = -1
        var lastChain: [FontFace] = []
        for i in 0..<n {
            let s = scalars[i]
            let st = styles[spanOf[i]]
            if i > 0, spanOf[i] == spanOf[i - 1],
                UnicodeServices.joinsPrevious(s) || UnicodeServices.isDefaultIgnorable(s) || s == 0x0A
            {
                // A mark stays with its base's font when that font has it; otherwise a font
                // of the mark's own script (a Thai vowel sign after a Latin letter), never tofu.
                if UnicodeServices.isMark(s), let prev = faceOf[i - 1], !prev.covers(s) {
                    let own = fonts.chain(
                        script: unicode.scriptName(unicode.scriptCode(of: s)),
                        language: languages[spanOf[i]],
                        bold: st.bold,
                        italic: st.italic
                    )
                    if let f = own.first(where: { $0.covers(s) }) {
                        faceOf[i] = f
                    } else {
                        missing[s, default: 0] += 1
                        faceOf[i] = prev
                    }
                    continue
                }
                faceOf[i] = faceOf[i - 1]
                continue
            }
            if spanOf[i] != lastSpan || scripts[i] != lastScript {
                lastChain = fonts.chain(
                    script: unicode.scriptName(scripts[i]),
                    language: languages[spanOf[i]],
                    bold: st.bold,
                    italic: st.italic
                )
                lastSpan = spanOf[i]
                lastScript = scripts[i]
            }
            let chain = lastChain
            if i > 0, spanOf[i] == spanOf[i - 1], scripts[i] == scripts[i - 1], let prev = faceOf[i - 1],
                chain.first === prev || (unicode.scriptCode(of: s) == UnicodeServices.common && prev.covers(s)),
                prev.covers(s)
            {
                faceOf[i] = prev
                continue
            }
            var chosen: FontFace? = nil
            for f in chain where f.covers(s) {
                chosen = f
                break
            }
            if chosen == nil {
                if !(UnicodeServices.isDefaultIgnorable(s) || s == 0x0A || UnicodeServices.isWhitespace(s)) {
                    missing[s, default: 0] += 1
                }
                chosen = (i > 0 ? faceOf[i - 1] : nil) ?? chain.first ?? baseFace
            }
            faceOf[i] = chosen
        }
        guard faceOf.allSatisfy({ $0 != nil }) else {
            return PreparedParagraph(
                scalars: [],
                runs: [],
                runOfScalar: [],
                advance: [],
                allowed: [true],
                mandatory: [false],
                graphemes: [true],
                rtl: rtl,
                baseStyle: base,
                baseFace: baseFace
            )
        }

        // Runs: maximal ranges of one level, script, face and span; each shaped once.
        var runs: [TextRun] = []
        var runOfScalar = [Int](repeating: 0, count: n)
        var advance = [Double](repeating: 0, count: n)
        var start = 0
        for i in 1...n {
            if i == n || levels[i] != levels[start] || scripts[i] != scripts[start] || faceOf[i] !== faceOf[start]
                || spanOf[i] != spanOf[start]
            {
                let st = styles[spanOf[start]]
                let face = faceOf[start]!
                let glyphs = shaper.shape(
                    scalars,
                    start: start,
                    end: i,
                    rtl: levels[start] & 1 == 1,
                    script: unicode.scriptName(scripts[start]),
                    language: languages[spanOf[start]],
                    face: face,
                    size: st.size
                )
                let r = runs.count
                for k in start..<i { runOfScalar[k] = r }
                for g in glyphs where g.cluster >= start && g.cluster < i {
                    advance[g.cluster] += g.advance
                }
                runs.append(
                    TextRun(
                        start: start,
                        end: i,
                        level: levels[start],
                        script: unicode.scriptName(scripts[start]),
                        language: languages[spanOf[start]],
                        face: face,
                        style: st,
                        glyphs: glyphs
                    )
                )
                start = i
            }
        }
        let (allowed, mandatory) = unicode.lineBreaks(
            scalars,
            utf16: utf16,
            utf16ToScalar: u16ToScalar,
            locale: language
        )
        let graphemes = unicode.graphemeBoundaries(utf16: utf16, utf16ToScalar: u16ToScalar, count: n)
        return PreparedParagraph(
            scalars: scalars,
            runs: runs,
            runOfScalar: runOfScalar,
            advance: advance,
            allowed: allowed,
            mandatory: mandatory,
            graphemes: graphemes,
            rtl: rtl,
            baseStyle: base,
            baseFace: baseFace
        )
    }

    /// Fits the prepared paragraph into lines of `width` points.
    func lines(
        _ p: PreparedParagraph,
        width: Double,
        alignment: Alignment,
        firstLineIndent: Double = 0,
        lineSpacing: Double = 1.0
    ) -> [LineBox] {
        let n = p.scalars.count
        if n == 0 {
            return [emptyLine(p, lineSpacing: lineSpacing)]
        }
        var ranges: [(start: Int, end: Int, contentEnd: Int, forced: Bool)] = []
        var pos = 0
        while pos < n {
            let avail = max(1, width - (ranges.isEmpty ? firstLineIndent : 0))
            var w = 0.0
            var trailing = 0.0
            var lastFit = -1
            var forced = false
            var j = pos
            while j < n {
                let a = p.advance[j]
                w += a
                if p.isSpace(j) { trailing += a } else { trailing = 0 }
                j += 1
                if p.allowed[j] || j == n {
                    if w - trailing <= avail + 0.001 {
                        lastFit = j
                        if p.mandatory[j] && j < n {
                            forced = true
                            break
                        }
                        if p.scalars[j - 1] == 0x0A {
                            forced = true
                            break
                        }
                    } else {
                        break
                    }
                }
            }
            if lastFit < 0 {
                // The first piece is wider than the line: break it between graphemes.
                var g = -1
                var acc = 0.0
                var k = pos
                while k < n {
                    acc += p.advance[k]
                    k += 1
                    if p.graphemes[k] {
                        if acc <= avail || g < 0 { g = k }
                        if acc > avail { break }
                    }
                }
                if g < 0 { g = n }
                lastFit = max(g, pos + 1)
                forced = false
            }
            var ce = lastFit
            while ce > pos && p.isSpace(ce - 1) { ce -= 1 }
            ranges.append((pos, lastFit, ce, forced || lastFit == n))
            pos = lastFit
        }
        return ranges.enumerated().map { idx, r in
            let indent = idx == 0 ? firstLineIndent : 0
            return buildLine(
                p,
                start: r.start,
                contentEnd: r.contentEnd,
                width: width,
                indent: indent,
                alignment: alignment,
                last: r.forced,
                lineSpacing: lineSpacing
            )
        }
    }

    private func emptyLine(_ p: PreparedParagraph, lineSpacing: Double) -> LineBox {
        let size = p.baseStyle.size
        let asc = (p.baseFace?.ascender ?? 0.9) * size
        let desc = (p.baseFace?.descender ?? 0.25) * size
        let h = (asc + desc) * lineSpacing
        return LineBox(ops: [], width: 0, ascent: asc, descent: desc, height: h, baseline: asc + (h - asc - desc) / 2)
    }

    private struct Piece {
        var run: Int
        var start: Int
        var end: Int
        var level: UInt8
    }

    private func buildLine(
        _ p: PreparedParagraph,
        start: Int,
        contentEnd: Int,
        width: Double,
        indent: Double,
        alignment: Alignment,
        last: Bool,
        lineSpacing: Double
    ) -> LineBox {
        // Pieces of runs in logical order, then visual order (UAX #9 rule L2).
        var pieces: [Piece] = []
        var i = start
        while i < contentEnd {
            let r = p.runOfScalar[i]
            let e = min(contentEnd, p.runs[r].end)
            pieces.append(Piece(run: r, start: i, end: e, level: p.runs[r].level))
            i = e
        }
        if let maxLevel = pieces.map(\.level).max(),
            let minOdd = pieces.map(\.level).filter({ $0 & 1 == 1 }).min() ?? (maxLevel >= 1 ? 1 : nil)
        {
            var level = maxLevel
            while level >= minOdd && level > 0 {
                var k = 0
                while k < pieces.count {
                    if pieces[k].level >= level {
                        var e = k
                        while e < pieces.count && pieces[e].level >= level { e += 1 }
                        pieces[k..<e].reverse()
                        k = e
                    } else {
                        k += 1
                    }
                }
                level -= 1
            }
        }
        // Glyphs of each piece and the line's natural width.
        var pieceGlyphs: [[ShapedGlyph]] = []
        var natural = 0.0
        var spaces = 0
        for pc in pieces {
            let gl = Self.glyphs(of: p.runs[pc.run], from: pc.start, to: pc.end).filter {
                p.scalars[$0.cluster] != 0x0A
            }
            pieceGlyphs.append(gl)
            for g in gl { natural += g.advance }
            for k in pc.start..<pc.end where p.scalars[k] == 0x20 { spaces += 1 }
        }
        let avail = width - indent
        var extraPerSpace = 0.0
        if alignment == .justify && !last && spaces > 0 && natural < avail {
            extraPerSpace = (avail - natural) / Double(spaces)
            natural = avail
        }
        let free = max(0, avail - natural)
        var x: Double
        let startIsLeft = !p.rtl
        switch alignment {
        case .start, .justify: x = startIsLeft ? indent : free
        case .end: x = startIsLeft ? indent + free : 0
        case .center: x = (startIsLeft ? indent : 0) + free / 2
        }
        var ascent = 0.0
        var descent = 0.0
        var ops: [DrawOp] = []
        for (k, pc) in pieces.enumerated() {
            let run = p.runs[pc.run]
            let size = run.style.size
            ascent = max(ascent, run.face.ascender * size)
            descent = max(descent, run.face.descender * size)
            let gl = pieceGlyphs[k]
            guard !gl.isEmpty else { continue }
            for g in gl {
                let ink = run.face.inkExtent(g.id)
                ascent = max(ascent, ink.top * size + g.dy)
                descent = max(descent, ink.bottom * size - g.dy)
            }
            let x0 = x
            var placed: [(id: UInt32, x: Double, y: Double)] = []
            placed.reserveCapacity(gl.count)
            for g in gl {
                placed.append((g.id, x + g.dx, -g.dy))
                x += g.advance
                if extraPerSpace > 0 && p.scalars[g.cluster] == 0x20 { x += extraPerSpace }
            }
            let rtl = pc.level & 1 == 1
            var (text, clusters) = Self.clusters(p.scalars, glyphs: gl, start: pc.start, end: pc.end)
            // Cairo's backward flag maps clusters to glyphs from the end: list them in text order.
            if rtl { clusters.reverse() }
            ops.append(
                .glyphs(
                    GlyphRunOp(
                        face: run.face,
                        size: size,
                        color: run.style.color,
                        glyphs: placed,
                        baseline: 0,
                        text: text,
                        clusters: clusters,
                        backward: rtl,
                        link: run.style.link
                    )
                )
            )
            if run.style.underline {
                let y = -run.face.underlinePosition * size
                ops.append(
                    .line(
                        x1: x0,
                        y1: y,
                        x2: x,
                        y2: y,
                        color: run.style.color,
                        width: run.face.underlineThickness * size
                    )
                )
            }
        }
        if pieces.isEmpty {
            let e = emptyLine(p, lineSpacing: 1)
            ascent = e.ascent
            descent = e.descent
        }
        let height = (ascent + descent) * lineSpacing
        return LineBox(
            ops: ops,
            width: natural,
            ascent: ascent,
            descent: descent,
            height: height,
            baseline: ascent + (height - ascent - descent) / 2
        )
    }

    /// The glyphs of a run whose clusters fall in `start..<end`. Clusters are monotonic in a run
    /// (ascending left to right, descending right to left), so a binary search finds the slice.
    static func glyphs(of run: TextRun, from start: Int, to end: Int) -> ArraySlice<ShapedGlyph> {
        let g = run.glyphs
        guard !g.isEmpty else { return g[...] }
        let ascending = g.first!.cluster <= g.last!.cluster
        // First index whose cluster is inside the range, in glyph order.
        func lowerBound(_ pred: (Int) -> Bool) -> Int {
            var lo = 0
            var hi = g.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if pred(g[mid].cluster) { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        if ascending {
            let a = lowerBound { $0 >= start }
            let b = lowerBound { $0 >= end }
            return g[a..<max(a, b)]
        } else {
            let a = lowerBound { $0 < end }
            let b = lowerBound { $0 < start }
            return g[a..<max(a, b)]
        }
    }

    /// UTF-8 text of `start..<end` and the cluster map Cairo needs to put it in the PDF.
    static func clusters(
        _ scalars: [UInt32],
        glyphs: [ShapedGlyph],
        start: Int,
        end: Int
    ) -> (String, [(bytes: Int32, glyphs: Int32)]) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity((end - start) * 3)
        var byteOffset = [Int](repeating: 0, count: end - start + 1)
        for k in start..<end {
            byteOffset[k - start] = utf8.count
            var v = scalars[k]
            // Bidi formatting characters (isolates, embeddings, marks) shape the layout but are
            // not text a reader copies: leave them out of the PDF's text.
            if (0x2066...0x2069).contains(v) || (0x202A...0x202E).contains(v) || v == 0x200E || v == 0x200F
                || v == 0x061C
            {
                continue
            }
            if v > 0x10FFFF || (0xD800...0xDFFF).contains(v) { v = 0xFFFD }
            switch v {
            case 0..<0x80: utf8.append(UInt8(v))
            case 0x80..<0x800:
                utf8.append(UInt8(0xC0 | (v >> 6)))
                utf8.append(UInt8(0x80 | (v & 0x3F)))
            case 0x800..<0x10000:
                utf8.append(UInt8(0xE0 | (v >> 12)))
                utf8.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                utf8.append(UInt8(0x80 | (v & 0x3F)))
            default:
                utf8.append(UInt8(0xF0 | (v >> 18)))
                utf8.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                utf8.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                utf8.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        let bytes = utf8.count
        byteOffset[end - start] = bytes
        let string = String(decoding: utf8, as: UTF8.self)
        guard !glyphs.isEmpty else { return (string, []) }
        // Groups of consecutive glyphs with one cluster value, in glyph order.
        var groups: [(cluster: Int, count: Int)] = []
        groups.reserveCapacity(glyphs.count)
        for g in glyphs {
            if let last = groups.last, last.cluster == g.cluster {
                groups[groups.count - 1].count += 1
            } else {
                groups.append((g.cluster, 1))
            }
        }
        let single: [(bytes: Int32, glyphs: Int32)] = [(Int32(bytes), Int32(glyphs.count))]
        // Clusters are monotonic in a run: ascending left to right, descending right to left.
        let ascending = groups.first!.cluster <= groups.last!.cluster
        var starts = groups.map(\.cluster)
        if !ascending { starts.reverse() }
        for k in 1..<max(1, starts.count) where starts[k] <= starts[k - 1] { return (string, single) }
        var out: [(bytes: Int32, glyphs: Int32)] = []
        out.reserveCapacity(groups.count + 1)
        for (gi, group) in groups.enumerated() {
            let k = ascending ? gi : groups.count - 1 - gi
            let rs = (k == 0 ? start : starts[k]) - start
            let re = (k + 1 < starts.count ? starts[k + 1] : end) - start
            guard rs >= 0, re <= end - start, rs < re else { return (string, single) }
            let b = byteOffset[re] - byteOffset[rs]
            out.append((Int32(b), Int32(group.count)))
        }
        return (string, out)
    }
}
