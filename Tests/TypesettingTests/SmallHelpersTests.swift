import Foundation
import Testing

@testable import Typesetting

/// Helpers that layout and rendering call for every paragraph, table or heading, written without
/// Foundation's string functions: they must say what those said.
@Suite struct SmallHelpersTests {
    @Test(arguments: [
        ("ar", Direction.rtl), ("AR-eg", .rtl), ("he-IL", .rtl), ("fa", .rtl), ("ur-PK", .rtl), ("ckb-IQ", .rtl),
        ("Yi", .rtl), ("en", .ltr), ("en-US", .ltr), ("zh-Hant-TW", .ltr), ("km", .ltr), ("", .ltr), ("-ar", .ltr),
        ("arab", .ltr), ("a", .ltr), ("ár", .ltr),
    ])
    func directionOfALanguage(tag: String, expected: Direction) {
        #expect(Direction.forLanguage(tag) == expected)
        // What the tag's first subtag, split off and lowercased, says.
        let primary = tag.split(separator: "-", omittingEmptySubsequences: false).first.map { $0.lowercased() } ?? ""
        #expect(Direction.rtlLanguages.contains(primary) == (expected == .rtl))
    }

    @Test func attributesAreEscapedOnlyWhenTheyNeedIt() {
        for value in ["", "Goals", "Goals and who helps — 目标", "it's", "a\\b", "'\\'", "no quote ’ here"] {
            let foundation = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "'",
                with: "\\'"
            )
            #expect(BlockLayout.escapeAttribute(value) == foundation, "\(value)")
        }
    }

    @Test func headingPositionsAreWrittenAsPercentDotTwoF() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [
            0, 0.005, 0.015, 0.125, 0.375, 1.005, 99.995, 573.905, 440.685, 306.465, 841.89, -0.004,
        ]
        for _ in 0..<20_000 { values.append(Double.random(in: 0..<1000, using: &generator)) }
        for hundredths in 0..<100_000 { values.append(Double(hundredths) / 100 + 0.005) }
        for value in values {
            #expect(PDFRenderer.hundredths(value) == String(format: "%.2f", value), "\(value)")
        }
    }

    @Test func paragraphKeysCompareTextsByTheirBytes() {
        func key(_ text: String) -> ParagraphKey {
            ParagraphKey(
                spans: [.init(text: text, style: TextStyle())],
                base: TextStyle(),
                direction: .auto,
                language: "es",
                surrounding: .ltr
            )
        }
        let composed = "Jos\u{E9} come en la escuela"
        let decomposed = "Jose\u{301} come en la escuela"
        #expect(composed == decomposed)  // Swift's String: canonically equivalent
        #expect(key(composed) != key(decomposed))  // the cache: different code points, shaped apart
        let copy = String(decoding: Array(composed.utf8), as: UTF8.self)  // the same bytes, stored apart
        #expect(key(composed) == key(copy))
        #expect(key(composed).hash == key("Jos\u{E9} come en la escuela").hash)
        #expect(key("") == key(""))
        #expect(key("a") != key("b") && key("ab") != key("a"))
    }
}
