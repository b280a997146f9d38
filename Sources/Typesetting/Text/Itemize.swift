import Foundation

/// Characters no bundled font covers, with how often they occurred, for the render report
/// (never silent tofu). Each prepared paragraph carries its own; layout merges them.
struct FontFallbackReport {
    private(set) var uncovered: [UInt32: Int] = [:]

    var isEmpty: Bool { uncovered.isEmpty }

    mutating func recordUncovered(_ scalar: UInt32) { uncovered[scalar, default: 0] += 1 }

    mutating func merge(_ other: FontFallbackReport) {
        for (scalar, count) in other.uncovered { uncovered[scalar, default: 0] += count }
    }

    /// The uncovered code points as `U+XXXX`, in code point order.
    var codePoints: [String] { uncovered.keys.sorted().map { String(format: "U+%04X", $0) } }
}

/// A maximal range of the paragraph with one bidi level, script, font and span: what is shaped
/// with one HarfBuzz call.
struct TextItem {
    var start: Int
    var end: Int
    var level: UInt8
    var script: String
    var language: String
    var face: FontFace
    var style: TextStyle
}

/// Stage 2 of a paragraph (itemize): bidi levels, scripts and a font per scalar, cut into items.
struct ItemizedParagraph {
    /// Items in logical order, covering every scalar; empty when no font is available at all.
    var items: [TextItem]
    /// The resolved paragraph direction.
    var rtl: Bool
    /// Characters no font covers.
    var fallback: FontFallbackReport
}

/// Itemizes paragraphs: bidi levels (FriBidi), scripts (ICU), font fallback by coverage.
struct Itemizer {
    let fonts: FontLibrary
    let unicode: UnicodeServices

    func itemize(_ text: CollectedText, direction: Direction, baseFace: FontFace?) -> ItemizedParagraph {
        let (levels, rtl) = unicode.bidiLevels(text.scalars, base: direction)
        let scripts = unicode.resolvedScripts(text.scalars)
        var fallback = FontFallbackReport()
        let faces = chooseFaces(text, scripts: scripts, baseFace: baseFace, fallback: &fallback)
        guard faces.allSatisfy({ $0 != nil }) else { return ItemizedParagraph(items: [], rtl: rtl, fallback: fallback) }
        let items = splitIntoItems(text, levels: levels, scripts: scripts, faces: faces)
        return ItemizedParagraph(items: items, rtl: rtl, fallback: fallback)
    }

    // MARK: Font fallback

    /// A font per scalar: the first of the script's (and language's) chain that covers it. Marks
    /// and joiners stay with their base; uncovered characters are reported.
    private func chooseFaces(
        _ text: CollectedText,
        scripts: [Int32],
        baseFace: FontFace?,
        fallback: inout FontFallbackReport
    ) -> [FontFace?] {
        let scalars = text.scalars
        let spanOf = text.spanOfScalar
        var faces = [FontFace?](repeating: nil, count: scalars.count)
        var chainSpan = -1
        var chainScript: Int32 = -1
        var chain: [FontFace] = []
        for i in scalars.indices {
            let scalar = scalars[i]
            let sameSpanAsPrevious = i > 0 && spanOf[i] == spanOf[i - 1]
            if sameSpanAsPrevious,
                UnicodeServices.joinsPrevious(scalar) || UnicodeServices.isDefaultIgnorable(scalar) || scalar == 0x0A
            {
                if UnicodeServices.isMark(scalar), let previous = faces[i - 1], !previous.covers(scalar) {
                    faces[i] = faceForMark(scalar, after: previous, text: text, at: i, fallback: &fallback)
                } else {
                    faces[i] = faces[i - 1]
                }
                continue
            }
            if spanOf[i] != chainSpan || scripts[i] != chainScript {
                let style = text.styles[spanOf[i]]
                chain = fonts.chain(
                    script: unicode.scriptName(scripts[i]),
                    language: text.languages[spanOf[i]],
                    bold: style.bold,
                    italic: style.italic
                )
                chainSpan = spanOf[i]
                chainScript = scripts[i]
            }
            // Keep the previous character's font when it is the chain's first, or when this is
            // a common character (punctuation, digits) it covers.
            if sameSpanAsPrevious, scripts[i] == scripts[i - 1], let previous = faces[i - 1],
                chain.first === previous
                    || (unicode.scriptCode(of: scalar) == UnicodeServices.common && previous.covers(scalar)),
                previous.covers(scalar)
            {
                faces[i] = previous
                continue
            }
            var chosen: FontFace? = nil
            for face in chain where face.covers(scalar) {
                chosen = face
                break
            }
            if chosen == nil {
                if !(UnicodeServices.isDefaultIgnorable(scalar) || scalar == 0x0A
                    || UnicodeServices.isWhitespace(scalar))
                {
                    fallback.recordUncovered(scalar)
                }
                chosen = (i > 0 ? faces[i - 1] : nil) ?? chain.first ?? baseFace
            }
            faces[i] = chosen
        }
        return faces
    }

    /// A mark stays with its base's font when that font has it; otherwise a font of the mark's
    /// own script (a Thai vowel sign after a Latin letter), never tofu.
    private func faceForMark(
        _ mark: UInt32,
        after baseFontFace: FontFace,
        text: CollectedText,
        at index: Int,
        fallback: inout FontFallbackReport
    ) -> FontFace {
        let style = text.styles[text.spanOfScalar[index]]
        let ownChain = fonts.chain(
            script: unicode.scriptName(unicode.scriptCode(of: mark)),
            language: text.languages[text.spanOfScalar[index]],
            bold: style.bold,
            italic: style.italic
        )
        if let face = ownChain.first(where: { $0.covers(mark) }) { return face }
        fallback.recordUncovered(mark)
        return baseFontFace
    }

    // MARK: Items

    /// Maximal ranges of one level, script, face and span.
    private func splitIntoItems(
        _ text: CollectedText,
        levels: [UInt8],
        scripts: [Int32],
        faces: [FontFace?]
    ) -> [TextItem] {
        let count = text.scalars.count
        let spanOf = text.spanOfScalar
        var items: [TextItem] = []
        var start = 0
        for end in 1...count {
            let continues =
                end < count && levels[end] == levels[start] && scripts[end] == scripts[start]
                && faces[end] === faces[start] && spanOf[end] == spanOf[start]
            if continues { continue }
            items.append(
                TextItem(
                    start: start,
                    end: end,
                    level: levels[start],
                    script: unicode.scriptName(scripts[start]),
                    language: text.languages[spanOf[start]],
                    face: faces[start]!,
                    style: text.styles[spanOf[start]]
                )
            )
            start = end
        }
        return items
    }
}
