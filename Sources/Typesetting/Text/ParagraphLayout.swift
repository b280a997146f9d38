import Foundation

/// A paragraph itemized and shaped once, with its break opportunities: what lines are fitted
/// from, at any width, without shaping again.
struct PreparedParagraph {
    var scalars: [UInt32]
    var runs: [TextRun]
    /// For each scalar, the index of its run.
    var runOfScalar: [Int]
    /// For each scalar, the advance of the cluster it starts.
    var advance: [Double]
    var breaks: BreakOpportunities
    /// The resolved paragraph direction.
    var rtl: Bool
    var baseStyle: TextStyle
    var baseFace: FontFace?
    /// Characters no font covers (for the render report).
    var fallback: FontFallbackReport
    /// Its key in the engine's `ParagraphCache` when it is kept there (its lines are kept too).
    var cacheKey: ParagraphKey? = nil

    /// A paragraph without text (or without any font to set it in).
    static func empty(rtl: Bool, baseStyle: TextStyle, baseFace: FontFace?, fallback: FontFallbackReport) -> Self {
        PreparedParagraph(
            scalars: [],
            runs: [],
            runOfScalar: [],
            advance: [],
            breaks: .empty,
            rtl: rtl,
            baseStyle: baseStyle,
            baseFace: baseFace,
            fallback: fallback
        )
    }

    var isEmpty: Bool { scalars.isEmpty }

    func isSpace(_ index: Int) -> Bool {
        let scalar = scalars[index]
        return UnicodeServices.isWhitespace(scalar) || scalar == 0x0A || scalar == 0x2028 || scalar == 0x2029
    }

    /// Width of the widest unbreakable piece (the narrowest the paragraph can be set).
    var minContentWidth: Double {
        var widest = 0.0
        var pieceWidth = 0.0
        for i in 0..<scalars.count {
            if breaks.allowed[i] {
                widest = max(widest, pieceWidth)
                pieceWidth = 0
            }
            if !isSpace(i) { pieceWidth += advance[i] }
        }
        return max(widest, pieceWidth)
    }

    /// Width of the paragraph set on one line (up to forced breaks).
    var maxContentWidth: Double {
        var widest = 0.0
        var lineWidth = 0.0
        for i in 0..<scalars.count {
            if breaks.mandatory[i] {
                widest = max(widest, lineWidth)
                lineWidth = 0
            }
            lineWidth += advance[i]
        }
        return max(widest, lineWidth)
    }
}

/// The text pipeline of a paragraph. `prepare`: sanitize (`Sanitize.swift`) → itemize: bidi
/// levels, scripts, font fallback (`Itemize.swift`) → shape each run once (`Shaping.swift`) →
/// break opportunities (`LineBreak.swift`). `lines`: greedy fitting with grapheme fallback
/// (`LineBreak.swift`) → visual order, alignment, metrics (`Line.swift`), with each glyph run's
/// cluster map for the PDF (`Render/ClusterMap.swift`).
final class ParagraphLayout {
    let fonts: FontLibrary
    let unicode: UnicodeServices
    let shaper: Shaper
    /// Paragraphs and lines remembered across documents (`ParagraphCache`).
    let cache: ParagraphCache?

    init(fonts: FontLibrary, unicode: UnicodeServices, shaper: Shaper, cache: ParagraphCache? = ParagraphCache()) {
        self.fonts = fonts
        self.unicode = unicode
        self.shaper = shaper
        self.cache = cache
    }

    func prepare(
        spans: [(text: String, style: TextStyle)],
        base: TextStyle,
        direction requested: Direction,
        language: String,
        surrounding: Direction = .ltr
    ) -> PreparedParagraph {
        guard let cache else {
            return make(spans: spans, base: base, direction: requested, language: language, surrounding: surrounding)
        }
        let key = ParagraphKey(
            spans: spans.map { ParagraphKey.SpanKey(text: $0.text, style: $0.style) },
            base: base,
            direction: requested,
            language: language,
            surrounding: surrounding
        )
        return cache.prepared(key) {
            make(spans: spans, base: base, direction: requested, language: language, surrounding: surrounding)
        }
    }

    private func make(
        spans: [(text: String, style: TextStyle)],
        base: TextStyle,
        direction requested: Direction,
        language: String,
        surrounding: Direction
    ) -> PreparedParagraph {
        let text = CollectedText(spans: spans, language: language)
        // A first-strong paragraph takes its own direction (the surrounding one without a
        // strong letter), then lays out as an explicit LTR or RTL paragraph.
        let direction =
            requested == .firstStrong
            ? unicode.firstStrongDirection(text.scalars, fallback: surrounding) : requested
        let baseFace = fonts.primary(bold: base.bold, italic: base.italic)
        guard !text.isEmpty else {
            return .empty(rtl: direction == .rtl, baseStyle: base, baseFace: baseFace, fallback: FontFallbackReport())
        }
        let itemized = Itemizer(fonts: fonts, unicode: unicode).itemize(text, direction: direction, baseFace: baseFace)
        guard !itemized.items.isEmpty else {
            return .empty(rtl: itemized.rtl, baseStyle: base, baseFace: baseFace, fallback: itemized.fallback)
        }
        let shaped = shaper.shape(itemized.items, scalars: text.scalars)
        return PreparedParagraph(
            scalars: text.scalars,
            runs: shaped.runs,
            runOfScalar: shaped.runOfScalar,
            advance: shaped.advance,
            breaks: unicode.breakOpportunities(text.scalars, locale: language),
            rtl: itemized.rtl,
            baseStyle: base,
            baseFace: baseFace,
            fallback: itemized.fallback
        )
    }

    /// Fits the prepared paragraph into lines of `width` points.
    func lines(
        _ paragraph: PreparedParagraph,
        width: Double,
        alignment: Alignment,
        firstLineIndent: Double = 0,
        lineSpacing: Double = 1.0
    ) -> [LineBox] {
        guard let cache, let key = paragraph.cacheKey else {
            return fit(
                paragraph,
                width: width,
                alignment: alignment,
                firstLineIndent: firstLineIndent,
                lineSpacing: lineSpacing
            )
        }
        let parameters = LineParameters(
            width: width,
            alignment: alignment,
            firstLineIndent: firstLineIndent,
            lineSpacing: lineSpacing
        )
        return cache.lines(key, parameters) {
            fit(
                paragraph,
                width: width,
                alignment: alignment,
                firstLineIndent: firstLineIndent,
                lineSpacing: lineSpacing
            )
        }
    }

    private func fit(
        _ paragraph: PreparedParagraph,
        width: Double,
        alignment: Alignment,
        firstLineIndent: Double,
        lineSpacing: Double
    ) -> [LineBox] {
        guard !paragraph.isEmpty else { return [LineBuilder.emptyLine(paragraph, lineSpacing: lineSpacing)] }
        let ranges = LineBreaker.fit(paragraph, width: width, firstLineIndent: firstLineIndent)
        return ranges.enumerated().map { lineIndex, range in
            LineBuilder.build(
                paragraph,
                range,
                width: width,
                indent: lineIndex == 0 ? firstLineIndent : 0,
                alignment: alignment,
                lineSpacing: lineSpacing
            )
        }
    }
}
