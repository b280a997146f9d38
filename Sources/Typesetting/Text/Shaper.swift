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
final class Shaper {
    private let buffer: OpaquePointer
    private var languages: [String: hb_language_t] = [:]
    private var scripts: [String: hb_script_t] = [:]

    init() {
        buffer = hb_buffer_create()
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
        hb_shape(face.hbFont, buffer, nil, 0)
        var count: UInt32 = 0
        let infos = hb_buffer_get_glyph_infos(buffer, &count)
        let positions = hb_buffer_get_glyph_positions(buffer, &count)
        guard let infos, let positions, count > 0 else { return [] }
        let scale = size / face.unitsPerEm
        var out: [ShapedGlyph] = []
        out.reserveCapacity(Int(count))
        for i in 0..<Int(count) {
            let info = infos[i]
            let position = positions[i]
            out.append(
                ShapedGlyph(
                    id: info.codepoint,
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
