import CHarfBuzz
import Foundation

/// A glyph from HarfBuzz, in points at the run's size. `cluster` is the scalar offset in the
/// paragraph of the first character the glyph belongs to.
struct ShapedGlyph {
    var id: UInt32
    var cluster: Int
    var advance: Double
    var dx: Double
    var dy: Double
}

/// Shapes runs with HarfBuzz. One per engine; reuses its buffer.
///
/// Two choices made for the PDF as much as for the page, because Cairo 1.16 writes a second
/// (CID) subset of a face for every glyph whose text is not one WinAnsi character, and walks the
/// face's whole cmap to name a glyph that stands for several characters:
/// - Latin, Greek and Cyrillic are set without standard ligatures (`-liga`): Noto Sans' fi, fl
///   and ff differ from the letters side by side by about a pixel at 11 pt, and a reader or a
///   screen reader gets the letters themselves. Scripts that need their ligatures keep them.
/// - A no-break space is drawn with the face's space glyph (the same advance), so it joins the
///   WinAnsi subset; the text layer says U+0020 for it (`ClusterMap`). Line breaking still
///   treats it as no-break.
final class Shaper {
    private let buffer: OpaquePointer
    private var languages: [String: hb_language_t] = [:]
    private var scripts: [String: hb_script_t] = [:]
    /// `-liga` for the whole run.
    private var noLigatures: [hb_feature_t]
    static let scriptsWithoutLigatures: Set<String> = ["Latn", "Grek", "Cyrl"]

    init() {
        buffer = hb_buffer_create()
        var feature = hb_feature_t()
        _ = hb_feature_from_string("-liga", -1, &feature)
        noLigatures = [feature]
    }

    deinit { hb_buffer_destroy(buffer) }

    /// A glyph as HarfBuzz gives it, in font units, its cluster counted from the start of the
    /// text shaped.
    private struct UnitGlyph {
        var id: UInt32
        var cluster: Int32
        var advance: Int32
        var dx: Int32
        var dy: Int32
    }

    /// A word shaped alone: the same glyphs wherever it stands between spaces (see `shape`).
    private struct WordKey: Hashable {
        let face: ObjectIdentifier
        let script: hb_script_t
        let language: UInt
        let rtl: Bool
        let text: [UInt32]
    }

    /// Two generations: a word found in the older one moves to the newer; when the newer is
    /// full it becomes the older, and the words not met since are dropped.
    private var words: [WordKey: [UnitGlyph]] = [:]
    private var olderWords: [WordKey: [UnitGlyph]] = [:]
    /// Off: every run is shaped whole (the tests compare the two).
    var wordByWord = true
    /// Words per generation. A word with its glyphs and its share of the table takes about
    /// 400 bytes: a worker rendering 10,000 letters peaked at 92 MB with one table of 10,000
    /// words, emptied when full (88 MB without the table, 96 MB with 40,000 words; emptying
    /// 2,000 made the run 13 % slower).
    static let wordLimit = 5_000

    private var spaceFree: [ObjectIdentifier: Bool] = [:]
    /// Counters for the tests.
    private(set) var wordHits = 0
    private(set) var wordMisses = 0

    /// Shapes `scalars[start..<end]` with the whole paragraph as context. Glyphs come back in
    /// visual order (right to left runs reversed), as HarfBuzz gives them.
    ///
    /// Most of a paragraph is words HarfBuzz has shaped before (a child's names, a diagnosis,
    /// the template's own words), so a run is shaped word by word and each word between spaces
    /// is shaped once per engine — when the face's OpenType tables never look at the space
    /// glyph (`isSpaceFree`): then no substitution or positioning reaches across a space, the
    /// space itself is always its own glyph and advance, and a word shaped alone gets exactly
    /// the glyphs it gets inside its run (Arabic joining stops at a space too). A piece that
    /// does not stand between spaces (a run that starts or ends inside a word: a font or style
    /// change) is shaped with the paragraph as context, as the whole run was before. (Blink,
    /// Chromium's engine, shapes word by word under the same kind of condition: only with fonts
    /// whose ligatures and kerning leave the space out.)
    func shape(
        _ scalars: [UInt32],
        start: Int,
        end: Int,
        rtl: Bool,
        script: String,
        language: String,
        face: FontFace,
        size: Double
    ) -> [ShapedGlyph] {
        guard end > start else { return [] }
        let hbScript = hbScript(script)
        let hbLanguage = hbLanguage(language)
        var units: [UnitGlyph] = []
        var offsets: [Int] = []  // the start of the piece each glyph's cluster counts from
        // A run against its script's direction (an Arabic mark in a left-to-right run) is
        // reordered by HarfBuzz grapheme by grapheme across the whole run: shaped whole.
        let native = hb_script_get_horizontal_direction(hbScript)
        let againstScript = native != HB_DIRECTION_INVALID && native != (rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR)
        if wordByWord && !againstScript && isSpaceFree(face) {
            // Cut where a space meets a character that stands alone: not a mark, joiner,
            // variation selector or other default-ignorable (HarfBuzz merges those into the
            // cluster beside them, which may be the space's).
            var pieces: [Range<Int>] = []
            var lower = start
            for b in (start + 1)..<max(start + 1, end) {
                let before = scalars[b - 1]
                let after = scalars[b]
                if (before == 0x20) != (after == 0x20), Self.standsAlone(before == 0x20 ? after : before) {
                    pieces.append(lower..<b)
                    lower = b
                }
            }
            pieces.append(lower..<end)
            if rtl { pieces.reverse() }
            units.reserveCapacity(end - start)
            offsets.reserveCapacity(end - start)
            for piece in pieces {
                // Shaped alone when nothing outside it can matter: a word between spaces (or
                // the paragraph's ends), or spaces. A piece holding both (a mark or joiner
                // beside a space kept them together) is shaped in its context.
                let spaces = scalars[piece.lowerBound] == 0x20
                let alone =
                    scalars[piece].allSatisfy { ($0 == 0x20) == spaces }
                    && (spaces
                        || ((piece.lowerBound == 0 || scalars[piece.lowerBound - 1] == 0x20)
                            && (piece.upperBound == scalars.count || scalars[piece.upperBound] == 0x20)))
                let glyphs: [UnitGlyph]
                if alone {
                    let key = WordKey(
                        face: ObjectIdentifier(face),
                        script: hbScript,
                        language: UInt(bitPattern: hbLanguage),
                        rtl: rtl,
                        text: Array(scalars[piece])
                    )
                    if let known = words[key] {
                        wordHits += 1
                        glyphs = known
                    } else if let known = olderWords.removeValue(forKey: key) {
                        wordHits += 1
                        glyphs = known
                        remember(key, known)
                    } else {
                        wordMisses += 1
                        glyphs = key.text.withUnsafeBufferPointer {
                            run($0, piece: 0..<piece.count, rtl, hbScript, hbLanguage, script, face)
                        }
                        remember(key, glyphs)
                    }
                } else {
                    glyphs = scalars.withUnsafeBufferPointer {
                        run($0, piece: piece, rtl, hbScript, hbLanguage, script, face)
                    }
                }
                units.append(contentsOf: glyphs)
                offsets.append(contentsOf: repeatElement(piece.lowerBound, count: glyphs.count))
            }
        } else {
            units = scalars.withUnsafeBufferPointer {
                run($0, piece: start..<end, rtl, hbScript, hbLanguage, script, face)
            }
            offsets = Array(repeating: start, count: units.count)
        }
        let scale = size / face.unitsPerEm
        var out: [ShapedGlyph] = []
        out.reserveCapacity(units.count)
        var space: (nbsp: UInt32, space: UInt32)?
        for (unit, offset) in zip(units, offsets) {
            let cluster = offset + Int(unit.cluster)
            var id = unit.id
            if cluster < scalars.count, scalars[cluster] == 0xA0 {
                if space == nil {
                    var nbspGlyph: hb_codepoint_t = 0
                    var spaceGlyph: hb_codepoint_t = 0
                    if hb_font_get_nominal_glyph(face.hbFont, 0xA0, &nbspGlyph) != 0,
                        hb_font_get_nominal_glyph(face.hbFont, 0x20, &spaceGlyph) != 0,
                        hb_font_get_glyph_h_advance(face.hbFont, nbspGlyph)
                            == hb_font_get_glyph_h_advance(face.hbFont, spaceGlyph)
                    {
                        space = (nbspGlyph, spaceGlyph)
                    } else {
                        space = (id, id)
                    }
                }
                if let space, id == space.nbsp { id = space.space }
            }
            out.append(
                ShapedGlyph(
                    id: id,
                    cluster: cluster,
                    advance: Double(unit.advance) * scale,
                    dx: Double(unit.dx) * scale,
                    dy: Double(unit.dy) * scale
                )
            )
        }
        return out
    }

    /// A character a piece may start or end with beside a space: visible ASCII, or a character
    /// that is not a mark, format character, variation selector, emoji modifier or other
    /// default-ignorable or grapheme extender.
    static func standsAlone(_ value: UInt32) -> Bool {
        if value < 0x80 { return value > 0x20 && value != 0x7F }
        guard let scalar = Unicode.Scalar(value) else { return false }
        let p = scalar.properties
        if p.isDefaultIgnorableCodePoint || p.isGraphemeExtend || p.isVariationSelector || p.isEmojiModifier {
            return false
        }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control, .surrogate, .unassigned: return false
        default: return true
        }
    }

    private func remember(_ key: WordKey, _ glyphs: [UnitGlyph]) {
        if words.count >= Self.wordLimit {
            olderWords = words
            words = [:]
        }
        words[key] = glyphs
    }

    /// HarfBuzz on `text[piece]`, the rest of `text` as context; clusters counted from the
    /// piece's start.
    private func run(
        _ text: UnsafeBufferPointer<UInt32>,
        piece: Range<Int>,
        _ rtl: Bool,
        _ script: hb_script_t,
        _ language: hb_language_t?,
        _ scriptName: String,
        _ face: FontFace
    ) -> [UnitGlyph] {
        hb_buffer_clear_contents(buffer)
        hb_buffer_add_codepoints(
            buffer,
            text.baseAddress,
            Int32(text.count),
            UInt32(piece.lowerBound),
            Int32(piece.count)
        )
        hb_buffer_set_direction(buffer, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR)
        hb_buffer_set_script(buffer, script)
        hb_buffer_set_language(buffer, language)
        hb_buffer_set_flags(buffer, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES)
        hb_buffer_set_cluster_level(buffer, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES)
        if Self.scriptsWithoutLigatures.contains(scriptName) {
            noLigatures.withUnsafeBufferPointer { hb_shape(face.hbFont, buffer, $0.baseAddress, 1) }
        } else {
            hb_shape(face.hbFont, buffer, nil, 0)
        }
        var count: UInt32 = 0
        let infos = hb_buffer_get_glyph_infos(buffer, &count)
        let positions = hb_buffer_get_glyph_positions(buffer, &count)
        guard let infos, let positions, count > 0 else { return [] }
        let base = Int32(piece.lowerBound)
        return (0..<Int(count)).map { i in
            UnitGlyph(
                id: infos[i].codepoint,
                cluster: Int32(bitPattern: infos[i].cluster) - base,
                advance: positions[i].x_advance,
                dx: positions[i].x_offset,
                dy: positions[i].y_offset
            )
        }
    }

    /// Whether no lookup of the face's GSUB or GPOS table involves the space glyph (as input,
    /// context or output) and the face has no other shaping tables (`kern`, AAT): the condition
    /// for shaping word by word.
    func isSpaceFree(_ face: FontFace) -> Bool {
        let id = ObjectIdentifier(face)
        if let known = spaceFree[id] { return known }
        var free = false
        var spaceGlyph: hb_codepoint_t = 0
        if let hbFace = hb_font_get_face(face.hbFont), hb_font_get_nominal_glyph(face.hbFont, 0x20, &spaceGlyph) != 0 {
            free = true
            for tag in ["kern", "kerx", "morx", "mort"] {
                let blob = hb_face_reference_table(hbFace, hb_tag_from_string(tag, -1))
                if hb_blob_get_length(blob) > 0 { free = false }
                hb_blob_destroy(blob)
            }
            let sets = (0..<4).map { _ in hb_set_create() }
            defer { for set in sets { hb_set_destroy(set) } }
            for table in ["GSUB", "GPOS"] where free {
                let tag = hb_tag_from_string(table, -1)
                for lookup in 0..<hb_ot_layout_table_get_lookup_count(hbFace, tag) where free {
                    for set in sets { hb_set_clear(set) }
                    hb_ot_layout_lookup_collect_glyphs(hbFace, tag, lookup, sets[0], sets[1], sets[2], sets[3])
                    if sets.contains(where: { hb_set_has($0, spaceGlyph) != 0 }) { free = false }
                }
            }
        }
        spaceFree[id] = free
        return free
    }

    private func hbScript(_ name: String) -> hb_script_t {
        if let known = scripts[name] { return known }
        let script = hb_script_from_string(name, -1)
        scripts[name] = script
        return script
    }

    private func hbLanguage(_ tag: String) -> hb_language_t? {
        if let known = languages[tag] { return known }
        let language = hb_language_from_string(tag, -1)
        languages[tag] = language
        return language
    }
}
