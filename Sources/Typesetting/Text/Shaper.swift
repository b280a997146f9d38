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

    /// Shapes `scalars[start..<end]` with the whole paragraph as context. Glyphs come back in
    /// visual order (right to left runs reversed), as HarfBuzz gives them.
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
        hb_buffer_clear_contents(buffer)
        scalars.withUnsafeBufferPointer { text in
            hb_buffer_add_codepoints(buffer, text.baseAddress, Int32(scalars.count), UInt32(start), Int32(end - start))
        }
        hb_buffer_set_direction(buffer, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR)
        hb_buffer_set_script(buffer, hbScript(script))
        hb_buffer_set_language(buffer, hbLanguage(language))
        hb_buffer_set_flags(buffer, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES)
        hb_buffer_set_cluster_level(buffer, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES)
        if Self.scriptsWithoutLigatures.contains(script) {
            noLigatures.withUnsafeBufferPointer { hb_shape(face.hbFont, buffer, $0.baseAddress, 1) }
        } else {
            hb_shape(face.hbFont, buffer, nil, 0)
        }
        var count: UInt32 = 0
        let infos = hb_buffer_get_glyph_infos(buffer, &count)
        let positions = hb_buffer_get_glyph_positions(buffer, &count)
        guard let infos, let positions, count > 0 else { return [] }
        let scale = size / face.unitsPerEm
        var out: [ShapedGlyph] = []
        out.reserveCapacity(Int(count))
        var space: (nbsp: UInt32, space: UInt32)?
        for i in 0..<Int(count) {
            let info = infos[i]
            let position = positions[i]
            var id = info.codepoint
            if Int(info.cluster) < scalars.count, scalars[Int(info.cluster)] == 0xA0 {
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
                    cluster: Int(info.cluster),
                    advance: Double(position.x_advance) * scale,
                    dx: Double(position.x_offset) * scale,
                    dy: Double(position.y_offset) * scale
                )
            )
        }
        return out
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
