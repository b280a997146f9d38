import Foundation
import Testing

@testable import Typesetting

/// Shaping word by word (`Shaper.shape`, with its word table) gives exactly the glyphs, clusters
/// and positions shaping each run whole gives: for every message of every locale catalog and
/// every tagline (13 languages, seven scripts), and for random text that mixes scripts, marks
/// (after a space too), joiners and isolates beside spaces, variation selectors, emoji
/// modifiers, no-break spaces, runs of spaces and style changes inside words, in both
/// directions. (Each mismatch it found while the shaper was written is one of the rules in
/// `Shaper.shape`: cuts only beside characters that stand alone, pieces holding spaces and
/// other characters shaped in context, runs against their script's direction shaped whole.)
@Suite struct WordShapingTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../..").standardized

    /// Every text of the catalogs and the taglines, with its language.
    static func catalogTexts() throws -> [(String, String)] {
        var out: [(String, String)] = []
        let dir = root.appending(path: "Locales")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".json") {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appending(path: file)))
            guard let object = json as? [String: Any] else { continue }
            if let messages = object["messages"] as? [String: String], let locale = object["locale"] as? String {
                out += messages.values.map { ($0, locale) }
            }
            if let taglines = object["taglines"] as? [[String: Any]] {
                for line in taglines {
                    if let text = line["text"] as? String { out.append((text, line["language"] as? String ?? "en")) }
                }
            }
        }
        return out
    }

    /// The glyphs of a paragraph, run by run, shaped by `shaper`.
    static func glyphs(
        _ spans: [(text: String, style: TextStyle)],
        language: String,
        direction: Direction,
        engine: Engine,
        shaper: Shaper
    ) -> [[String]] {
        let layout = ParagraphLayout(fonts: engine.fonts, unicode: engine.unicode, shaper: shaper, cache: nil)
        let prepared = layout.prepare(spans: spans, base: TextStyle(), direction: direction, language: language)
        return prepared.runs.map { run in
            run.glyphs.map { "\($0.id)@\($0.cluster):\($0.advance),\($0.dx),\($0.dy)" }
        }
    }

    @Test func wordsShapedAloneMatchWholeRuns() throws {
        let engine = try Engine()
        let whole = Shaper()
        whole.wordByWord = false
        let byWord = Shaper()
        var compared = 0
        var cases: [([(text: String, style: TextStyle)], String, Direction)] = []
        for (text, language) in try Self.catalogTexts() {
            cases.append(([(text, TextStyle())], language, .auto))
            // The same text twice: the second time from the word table.
            cases.append(([(text + " " + text, TextStyle())], language, .auto))
        }
        // Random text: scripts side by side, marks, joiners, no-break and repeated spaces,
        // a bold span starting inside a word.
        let pieces = [
            "Lucía", "Peña", "naïve", "محمد", "الرعاية", "ក្រុម", "ថែទាំ", "日本語", "한국어", "Nguyễn", "Ορτίζ",
            "Иванов", "e\u{301}", "a\u{200D}b", "\u{2068}Ana\u{2069}", "😀", "1:1", "(617)", "—", "ff", "fi",
            "AV", "To", "Wa", "\u{A0}", "  ", "ཀྵ", "हिन्दी", "ગુજરાતી", "ລາວ", "ไทย", "שלום",
            " \u{301}", "\u{200D} ", " \u{200C}", "❤\u{FE0F}", "\u{2069} ", " \u{2066}", "👍🏽", "\u{E0067}", "ب\u{200D}",
            "\u{64B}", "\u{17D2}", "ई", "\u{94D}", "\u{34F}", " \u{A0} ",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_500 {
            let count = Int.random(in: 1...12, using: &generator)
            let words = (0..<count).map { _ in pieces.randomElement(using: &generator)! }
            var text = words.joined(separator: Bool.random(using: &generator) ? " " : "")
            if Bool.random(using: &generator) { text = " " + text }
            let cut = text.index(text.startIndex, offsetBy: Int.random(in: 0...text.count, using: &generator))
            var bold = TextStyle()
            bold.bold = true
            let spans: [(text: String, style: TextStyle)] = [
                (String(text[..<cut]), TextStyle()), (String(text[cut...]), bold),
            ]
            let language = ["en", "ar", "km", "vi", "zh-Hant"].randomElement(using: &generator)!
            cases.append(
                (spans.filter { !$0.text.isEmpty }, language, [.auto, .rtl, .ltr].randomElement(using: &generator)!)
            )
        }
        for (spans, language, direction) in cases {
            let expected = Self.glyphs(spans, language: language, direction: direction, engine: engine, shaper: whole)
            let got = Self.glyphs(spans, language: language, direction: direction, engine: engine, shaper: byWord)
            #expect(got == expected, "\(spans.map(\.text)) \(language) \(direction)")
            compared += 1
        }
        #expect(compared > 1_000)
        // Not vacuous: the faces most text is set in qualify, and the table served words.
        let regular = engine.fonts.primary(bold: false, italic: false)
        #expect(regular.map(byWord.isSpaceFree) == true, "Noto Sans looks at the space glyph")
        #expect(byWord.wordHits > byWord.wordMisses, "hits \(byWord.wordHits), misses \(byWord.wordMisses)")
    }
}
