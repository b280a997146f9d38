import CCairo
import CFreeType
import CHarfBuzz
import Foundation

/// Key under which each Cairo font face holds its FT_Face (freed with the Cairo face).
nonisolated(unsafe) private var ftFaceUserDataKey = cairo_user_data_key_t()

/// Creating and freeing faces changes their FT_Library's list of faces, and Cairo frees a face
/// from whichever thread drops the last reference to it: face creation and destruction are
/// serialized process-wide.
let freeTypeFaceLock = NSLock()

/// One loaded font file: the FreeType face (coverage, Cairo), the HarfBuzz font (shaping, in
/// font units) and the Cairo font face. Confined to the engine (worker) that loaded it.
final class FontFace {
    let id: Int
    let file: String
    let family: String
    let bold: Bool
    let italic: Bool
    let ftFace: FT_Face
    let hbFont: OpaquePointer
    let cairoFace: OpaquePointer
    let unitsPerEm: Double
    /// Ascender and descender (positive, below baseline) in em.
    let ascender: Double
    let descender: Double
    let underlinePosition: Double
    let underlineThickness: Double
    let postscriptName: String
    private var coverage: [UInt32: Bool] = [:]
    private var extents: [UInt32: (top: Double, bottom: Double)] = [:]

    /// `walkCharmap`: give Cairo's face its character map (as before; for the test that the
    /// output is the same without it).
    init(
        id: Int,
        url: URL,
        family: String,
        bold: Bool,
        italic: Bool,
        library: FT_Library,
        walkCharmap: Bool = false
    ) throws {
        self.id = id
        self.file = url.lastPathComponent
        self.family = family
        self.bold = bold
        self.italic = italic
        // The file is mapped once (HarfBuzz's blob) and FreeType reads the same bytes: two
        // mappings put every glyph a document touches into memory twice (with the kernel's
        // fault-around, 64 KB around each), which made a render worker's resident set grow by
        // tens of megabytes on the CJK faces. Each FreeType face holds a reference to the blob
        // (in its `generic` field) and releases it when FreeType is done with it (for Cairo's
        // face, Cairo decides when, see below).
        guard let blob = hb_blob_create_from_file_or_fail(url.path) else {
            throw TypesettingError.fonts("HarfBuzz cannot read \(url.path)")
        }
        var length: UInt32 = 0
        guard let bytes = hb_blob_get_data(blob, &length), length > 0 else {
            hb_blob_destroy(blob)
            throw TypesettingError.fonts("cannot read \(url.path) (empty)")
        }
        // Two FreeType faces over the same bytes: ours (coverage, metrics) and Cairo's, which has
        // no character map selected (see `cairoFace`). Each holds a reference to the blob.
        func newFace() throws -> FT_Face {
            var face: FT_Face?
            let err = freeTypeFaceLock.withLock {
                bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                    FT_New_Memory_Face(library, $0, FT_Long(length), 0, &face)
                }
            }
            guard err == 0, let face else {
                throw TypesettingError.fonts("cannot load \(url.path) (FreeType error \(err))")
            }
            face.pointee.generic.data = UnsafeMutableRawPointer(hb_blob_reference(blob))
            return face
        }
        defer { hb_blob_destroy(blob) }
        let face = try newFace()
        let forCairo: FT_Face
        do { forCairo = try newFace() } catch {
            Self.done(face)
            throw error
        }
        ftFace = face
        let hbFace = hb_face_create(blob, 0)
        let font = hb_font_create(hbFace)!
        hb_face_destroy(hbFace)
        let upem = Double(face.pointee.units_per_EM)
        unitsPerEm = upem > 0 ? upem : 1000
        hb_font_set_scale(font, Int32(unitsPerEm), Int32(unitsPerEm))
        hbFont = font
        var ext = hb_font_extents_t()
        if hb_font_get_h_extents(font, &ext) != 0 {
            ascender = Double(ext.ascender) / unitsPerEm
            descender = Double(-ext.descender) / unitsPerEm
        } else {
            ascender = Double(face.pointee.ascender) / unitsPerEm
            descender = Double(-face.pointee.descender) / unitsPerEm
        }
        underlinePosition = Double(face.pointee.underline_position) / unitsPerEm
        underlineThickness = max(0.04, Double(face.pointee.underline_thickness) / unitsPerEm)
        if let name = FT_Get_Postscript_Name(face) {
            postscriptName = String(cString: name)
        } else {
            postscriptName = url.lastPathComponent
        }
        // Cairo needs the Unicode of each glyph it puts in a font subset. It looks in the font's
        // (3,1) format-4 cmap; for a glyph no code point maps to there (an Arabic or Khmer
        // contextual form, a Chinese locl variant, a ligature) it then walks the FT_Face's whole
        // selected character map with FT_Get_Next_Char, for every such glyph of every document
        // — a fifth of a Traditional Chinese letter's render (tens of thousands of steps per
        // glyph in a CJK face), and the walk finds nothing for such glyphs anyway. Cairo uses the
        // selected map for nothing else that CareDocs calls (glyphs are drawn by index; it reads
        // tables, not the map, to subset), so its face has none selected: the walk ends at
        // once, and the glyph's Unicode comes, as it did after a fruitless walk, from the text
        // of the cluster it was drawn for (`cairo_show_text_glyphs`). Output is byte for byte
        // the same as with the map selected (tested, 19 scripts).
        if !walkCharmap { forCairo.pointee.charmap = nil }
        // Cairo keeps font faces in caches after we release them and finds them again by the
        // FT_Face pointer: the FT_Face must live until Cairo is done with it, so Cairo frees it.
        PDFRenderer.cairoLock.lock()
        defer { PDFRenderer.cairoLock.unlock() }
        cairoFace = cairo_ft_font_face_create_for_ft_face(forCairo, 0)
        let status = cairo_font_face_set_user_data(cairoFace, &ftFaceUserDataKey, UnsafeMutableRawPointer(forCairo)) {
            pointer in
            if let pointer { FontFace.done(pointer.assumingMemoryBound(to: FT_FaceRec_.self)) }
        }
        if status != CAIRO_STATUS_SUCCESS {
            // Cairo could not take ownership: keep the face for the process's lifetime.
            _ = cairo_font_face_reference(cairoFace)
        }
    }

    /// Frees a FreeType face made here, then its reference to the bytes (HarfBuzz may still
    /// hold them).
    private static func done(_ face: FT_Face) {
        let blob = face.pointee.generic.data
        _ = freeTypeFaceLock.withLock { FT_Done_Face(face) }
        if let blob { hb_blob_destroy(OpaquePointer(blob)) }
    }

    deinit {
        PDFRenderer.cairoLock.withLock { cairo_font_face_destroy(cairoFace) }
        hb_font_destroy(hbFont)
        Self.done(ftFace)
    }

    /// Ink extent of a glyph above and below the baseline, in em (bottom positive downwards).
    func inkExtent(_ glyph: UInt32) -> (top: Double, bottom: Double) {
        if let e = extents[glyph] { return e }
        var ext = hb_glyph_extents_t()
        var e = (top: 0.0, bottom: 0.0)
        if hb_font_get_glyph_extents(hbFont, glyph, &ext) != 0 {
            e = (Double(ext.y_bearing) / unitsPerEm, Double(-(ext.y_bearing + ext.height)) / unitsPerEm)
        }
        extents[glyph] = e
        return e
    }

    /// Whether the font maps the code point to a glyph.
    func covers(_ scalar: UInt32) -> Bool {
        if let c = coverage[scalar] { return c }
        let c = FT_Get_Char_Index(ftFace, FT_ULong(scalar)) != 0
        coverage[scalar] = c
        return c
    }
}
