import Foundation
import Specimens
import Testing

@testable import Typesetting

/// Cairo's FreeType faces have no character map selected (`FontFace`): its reverse look-up of
/// glyphs no format-4 cmap entry reaches ends at once instead of walking the whole map. The
/// files must be what they were with the map: the specimen in 19 scripts, and letters in
/// English, Arabic (contextual forms), Chinese and Khmer (subscript forms).
@Suite struct CairoCharmapTests {
    @Test func outputIsTheSameWithoutTheWalk() throws {
        let manifest = try FontManifest.load(from: FontManifest.locate())
        let walking = try Engine(manifest: manifest, paragraphCache: nil, walkCharmap: true)
        let plain = try Engine(manifest: manifest, paragraphCache: nil)
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let documents =
            [Specimen.document(creationDate: date)]
            + BenchmarkDocuments.languages.map { language -> Document in
                var letter = BenchmarkDocuments.letter(language: language)
                letter.metadata.creationDate = date
                return letter
            }
        for document in documents {
            let expected = ParagraphCacheTests.withoutID(try walking.render(document).pdf)
            let pdf = ParagraphCacheTests.withoutID(try plain.render(document).pdf)
            #expect(pdf == expected, "\(document.language): the file differs without Cairo's walk")
        }
        // The faces Cairo draws with have no map selected; ours keep theirs.
        let face = try #require(plain.fonts.allFaces.first)
        #expect(face.covers(0x41))
    }
}
