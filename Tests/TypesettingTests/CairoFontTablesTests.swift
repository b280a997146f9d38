import CCairoFontTables
import CFreeType
import Foundation
import Specimens
import Testing

@testable import Typesetting

/// Cairo's subsetters read font tables through `FT_Load_Sfnt_Table`, which
/// `ccairo_font_tables.c` answers from a memory face's bytes: the same answers as FreeType's
/// own function — sizes, bytes, errors and the stream position — for every table of every face
/// the engine loads, whole and in random pieces, out of range included.
@Suite struct CairoFontTablesTests {
    struct Answer: Equatable {
        var error: FT_Error
        var length: FT_ULong
        var bytes: [UInt8]
        var position: FT_ULong
    }

    static func ask(
        _ load: (FT_Face, FT_ULong, FT_Long, UnsafeMutablePointer<FT_Byte>?, UnsafeMutablePointer<FT_ULong>?) ->
            FT_Error,
        _ face: FT_Face,
        tag: FT_ULong,
        offset: FT_Long,
        length: FT_ULong?,
        tableSize: FT_ULong = 0
    ) -> Answer {
        var size = length ?? 0
        // Without a length the whole table is read.
        let capacity = Int(length ?? tableSize) + 1
        var buffer = [UInt8](repeating: 0xA5, count: capacity)
        face.pointee.stream.pointee.pos = 7
        let error = buffer.withUnsafeMutableBufferPointer { bytes in
            length == nil
                ? load(face, tag, offset, bytes.baseAddress, nil) : load(face, tag, offset, bytes.baseAddress, &size)
        }
        return Answer(error: error, length: size, bytes: buffer, position: face.pointee.stream.pointee.pos)
    }

    static func tags(_ face: FT_Face) -> [FT_ULong] {
        var tags: [FT_ULong] = []
        var index: FT_UInt = 0
        var tag: FT_ULong = 0
        var length: FT_ULong = 0
        while FT_Sfnt_Table_Info(face, index, &tag, &length) == 0 {
            tags.append(tag)
            index += 1
        }
        return tags
    }

    @Test func sameAnswersAsFreeType() throws {
        let engine = try Engine(manifest: try FontManifest.load(from: FontManifest.locate()), paragraphCache: nil)
        _ = try engine.render(Specimen.document())  // loads the faces of all 19 scripts
        #expect(engine.fonts.allFaces.count >= 19)
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        let missing: FT_ULong = 0x5A5A_5A5A  // 'ZZZZ'
        for face in engine.fonts.allFaces {
            let ft = face.ftFace
            for tag in Self.tags(ft) + [0, missing] {
                // The size, then the whole table.
                let size = Self.ask(cd_freetype_load_sfnt_table, ft, tag: tag, offset: 0, length: 0)
                #expect(
                    Self.ask(FT_Load_Sfnt_Table, ft, tag: tag, offset: 0, length: 0) == size,
                    "\(face.postscriptName) \(tag)"
                )
                guard size.error == 0 else { continue }
                let whole = min(size.length, 300_000)
                var requests: [(FT_Long, FT_ULong?)] = [(0, whole), (0, 0), (FT_Long(size.length), 1), (-1, 4)]
                if size.length <= 300_000 { requests.append((0, nil)) }
                for _ in 0..<12 {
                    let offset = FT_Long.random(in: 0...FT_Long(size.length) + 8, using: &generator)
                    requests.append((offset, FT_ULong.random(in: 1...64, using: &generator)))
                }
                for (offset, length) in requests {
                    let expected = Self.ask(
                        cd_freetype_load_sfnt_table,
                        ft,
                        tag: tag,
                        offset: offset,
                        length: length,
                        tableSize: size.length
                    )
                    let ours = Self.ask(
                        FT_Load_Sfnt_Table,
                        ft,
                        tag: tag,
                        offset: offset,
                        length: length,
                        tableSize: size.length
                    )
                    if ours != expected {
                        Issue.record(
                            "\(face.postscriptName) tag \(tag) at \(offset) length \(String(describing: length)): error \(ours.error) vs \(expected.error), position \(ours.position) vs \(expected.position)"
                        )
                        return
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 1_000)
    }

    /// A render's table reads are answered here (the definition reaches Cairo in this binary),
    /// and the file is the one FreeType's reads gave (the output tests guard it too).
    @Test func cairosReadsGoThroughIt() throws {
        let before = cd_font_table_reads()
        let pdf = try Engine().render(BenchmarkDocuments.letter(language: "ar")).pdf
        #expect(cd_font_table_reads() > before)
        #expect(try !extractText(pdf).isEmpty)
    }
}
