import Foundation
import Specimens
import Testing

@testable import Typesetting

/// The engine's paragraph cache (`ParagraphCache`): output with it is the output without it, a
/// paragraph seen once is not kept, and it stays within its bounds.
@Suite struct ParagraphCacheTests {
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    static func uncachedEngine() throws -> Engine {
        try Engine(manifest: FontManifest.load(from: FontManifest.locate()), paragraphCache: nil)
    }

    /// The file without the trailer's `/ID` (Cairo makes it from the time of the render).
    static func withoutID(_ pdf: Data) -> Data {
        let bytes = [UInt8](pdf)
        let marker = Array("/ID [<".utf8)
        guard
            let start = stride(from: bytes.count - marker.count, through: 0, by: -1).first(where: {
                Array(bytes[$0..<$0 + marker.count]) == marker
            }),
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "]"))
        else { return pdf }
        return Data(bytes[..<start] + bytes[(end + 1)...])
    }

    /// One passage in the body, in a list item (narrower), justified and centred, in English
    /// and in Arabic: one text, several ways of fitting it.
    static func passageAtSeveralWidths() -> Document {
        let english = "The care team will call you within two weeks to plan the next steps with you and your child."
        let arabic = "سيتصل بك فريق الرعاية خلال أسبوعين لتخطيط الخطوات التالية مع طفلك (617) 555-0100."
        var blocks: [Block] = []
        for text in [english, arabic] {
            blocks.append(.paragraph(Paragraph(text)))
            blocks.append(.list(ListBlock(items: [[.paragraph(Paragraph(text))]], indent: 120)))
            blocks.append(.paragraph(Paragraph([Span(text)], alignment: .justify)))
            blocks.append(.paragraph(Paragraph([Span(text)], alignment: .center, firstLineIndent: 30)))
            blocks.append(.paragraph(Paragraph(text)))
        }
        return Document(language: "en", metadata: Metadata(creationDate: date), blocks: blocks)
    }

    /// Documents in 19 scripts (the specimen: tables, lists, frames, headings, bidi passages)
    /// and letters in English, Arabic, Chinese and Khmer, rendered three times by one engine
    /// (seen, kept, then served from the cache) are byte for byte what an engine without a
    /// cache writes (but for the trailer's `/ID`, which Cairo makes from the time).
    @Test func cachedOutputIsByteForByteTheUncachedOutput() throws {
        let documents =
            [Self.passageAtSeveralWidths(), Specimen.document(creationDate: Self.date)]
            + BenchmarkDocuments.languages.map { language -> Document in
                var letter = BenchmarkDocuments.letter(language: language)
                letter.metadata.creationDate = Self.date
                return letter
            }
        let plain = try Self.uncachedEngine()
        let cached = try Engine()
        let cache = try #require(cached.text.cache)
        for document in documents {
            let expected = Self.withoutID(try plain.render(document).pdf)
            for pass in 1...3 {
                let pdf = Self.withoutID(try cached.render(document).pdf)
                #expect(pdf == expected, "\(document.language), pass \(pass): the cached layout differs")
            }
        }
        #expect(cache.hits > 100, "the third passes were served from the cache (\(cache.hits) hits)")
    }

    /// A paragraph is kept on its second sighting; a different one (another child's name) is
    /// not kept after one; the same text in another language, style or direction is another key.
    @Test func keptOnTheSecondSightingOnly() throws {
        let engine = try Engine()
        let text = engine.text
        let cache = try #require(text.cache)
        func prepare(_ s: String, language: String = "en", bold: Bool = false) -> PreparedParagraph {
            text.prepare(
                spans: [(s, TextStyle(bold: bold))],
                base: TextStyle(),
                direction: .auto,
                language: language
            )
        }
        let first = prepare("Dear Maria Example,")
        #expect(first.cacheKey == nil)
        #expect(cache.count == 0)
        let second = prepare("Dear Maria Example,")
        #expect(second.cacheKey != nil)
        #expect(cache.count == 1)
        _ = prepare("Dear Jun Example,")
        _ = prepare("Dear Maria Example,", language: "es")
        _ = prepare("Dear Maria Example,", bold: true)
        #expect(cache.count == 1, "other texts, languages and styles seen once are not kept")
        let third = prepare("Dear Maria Example,")
        #expect(third.cacheKey == second.cacheKey)
        #expect(third.advance == second.advance)
        // Lines fitted at two widths are kept apart.
        let narrow = text.lines(third, width: 40, alignment: .start)
        let wide = text.lines(third, width: 400, alignment: .start)
        #expect(narrow.count > wide.count)
        #expect(text.lines(third, width: 40, alignment: .start).count == narrow.count)
    }

    /// The cache drops its older generation when a generation is full: memory stays bounded
    /// over any number of different paragraphs, and a recent paragraph is still served.
    @Test func staysWithinItsBounds() throws {
        let engine = try Engine()
        let cache = ParagraphCache(generationLimit: 2_000, doorkeeperLimit: 100)
        let text = ParagraphLayout(fonts: engine.fonts, unicode: engine.unicode, shaper: engine.shaper, cache: cache)
        var kept = 0
        for i in 0..<400 {
            let s = "Paragraph number \(i) of the long record, with some words to set."
            for _ in 0..<2 {
                let p = text.prepare(spans: [(s, TextStyle())], base: TextStyle(), direction: .auto, language: "en")
                if p.cacheKey != nil { kept += 1 }
                _ = text.lines(p, width: 300, alignment: .start)
            }
        }
        #expect(kept == 400)
        // Two generations of at most ~2,000 scalars (≈ 60 scalars a paragraph, counted with its lines).
        #expect(cache.count <= 2 * 2_000 / 60 + 2, "\(cache.count) paragraphs kept")
        let last = "Paragraph number 399 of the long record, with some words to set."
        let hitsBefore = cache.hits
        _ = text.prepare(spans: [(last, TextStyle())], base: TextStyle(), direction: .auto, language: "en")
        #expect(cache.hits == hitsBefore + 1)
    }
}
