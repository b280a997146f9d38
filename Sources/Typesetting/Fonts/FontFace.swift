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

    init(id: Int, url: URL, family: String, bold: Bool, italic: Bool, library: FT_Library) throws {
        self.id = id
        self.file = url.lastPathComponent
        self.family = family
        self.bold = bold
        self.italic = italic
        // The file is mapped once (HarfBuzz's blob) and FreeType reads the same bytes: two
        // mappings put every glyph a document touches into memory twice (with the kernel's
        // fault-around, 64 KB around each), which made a render worker's resident set grow by
        // tens of megabytes on the CJK faces. The face releases the blob when FreeType is done
        // with it (kept in its `generic` field; Cairo decides when, see below).
        guard let blob = hb_blob_create_from_file_or_fail(url.path) else {
            throw TypesettingError.fonts("HarfBuzz cannot read \(url.path)")
        }
        var length: UInt32 = 0
        guard let bytes = hb_blob_get_data(blob, &length), length > 0 else {
            hb_blob_destroy(blob)
            throw TypesettingError.fonts("cannot read \(url.path) (empty)")
        }
        var face: FT_Face?
        let err = freeTypeFaceLock.withLock {
            bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                FT_New_Memory_Face(library, $0, FT_Long(length), 0, &face)
            }
        }
        guard err == 0, let face else {
            hb_blob_destroy(blob)
            throw TypesettingError.fonts("cannot load \(url.path) (FreeType error \(err))")
        }
        face.pointee.generic.data = UnsafeMutableRawPointer(blob)
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
        // Cairo keeps font faces in caches after we release them and finds them again by the
        // FT_Face pointer: the FT_Face must live until Cairo is done with it, so Cairo frees it.
        PDFRenderer.cairoLock.lock()
        defer { PDFRenderer.cairoLock.unlock() }
        cairoFace = cairo_ft_font_face_create_for_ft_face(face, 0)
        let status = cairo_font_face_set_user_data(cairoFace, &ftFaceUserDataKey, UnsafeMutableRawPointer(face)) {
            pointer in
            if let pointer {
                let face = pointer.assumingMemoryBound(to: FT_FaceRec_.self)
                let blob = face.pointee.generic.data
                _ = freeTypeFaceLock.withLock { FT_Done_Face(face) }
                // The bytes FreeType read, released after it (HarfBuzz may still hold them).
                if let blob { hb_blob_destroy(OpaquePointer(blob)) }
            }
        }
        if status != CAIRO_STATUS_SUCCESS {
            // Cairo could not take ownership: keep the face for the process's lifetime.
            _ = cairo_font_face_reference(cairoFace)
        }
    }

    deinit {
        PDFRenderer.cairoLock.withLock { cairo_font_face_destroy(cairoFace) }
        hb_font_destroy(hbFont)
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
