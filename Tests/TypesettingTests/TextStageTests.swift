import Foundation
import Testing

@testable import Typesetting

@Suite struct BidiTests {
    let unicode = UnicodeServices()

    @Test func latinIsAllLevelZero() {
        let s = Array("Hello, world".unicodeScalars.map(\.value))
        let (levels, rtl) = unicode.bidiLevels(s, base: .auto)
        #expect(!rtl)
        #expect(levels.allSatisfy { $0 == 0 })
    }

    @Test func arabicParagraphIsRTLWithDigitsAtEvenLevel() {
        let text = "اتصل على 617 الآن"
        let s = Array(text.unicodeScalars.map(\.value))
        let (levels, rtl) = unicode.bidiLevels(s, base: .auto)
        #expect(rtl)
        #expect(levels[0] == 1)
        let digit = s.firstIndex(of: UInt32(("6" as Unicode.Scalar).value))!
        #expect(levels[digit] == 2)
    }

    @Test func isolatesKeepAPhoneNumberLeftToRight() {
        let text = "هاتف \u{2066}(617) 555-0100\u{2069}"
        let s = Array(text.unicodeScalars.map(\.value))
        let (levels, _) = unicode.bidiLevels(s, base: .rtl)
        let open = s.firstIndex(of: 0x28)!
        let dash = s.firstIndex(of: 0x2D)!
        #expect(levels[open] == 2 && levels[dash] == 2)
    }

    @Test func englishInArabicIsEmbedded() {
        let s = Array("مرحبا CareDocs".unicodeScalars.map(\.value))
        let (levels, rtl) = unicode.bidiLevels(s, base: .auto)
        #expect(rtl)
        #expect(levels.last == 2)
    }
}

@Suite struct LineBreakTests {
    let unicode = UnicodeServices()

    func breaks(_ text: String, locale: String = "en") -> [Int] {
        let scalars = Array(text.unicodeScalars.map(\.value))
        var u16: [UInt16] = []
        var map: [Int] = []
        for (i, u) in text.unicodeScalars.enumerated() {
            for c in String(u).utf16 {
                u16.append(c)
                map.append(i)
            }
        }
        map.append(scalars.count)
        let (allowed, _) = unicode.lineBreaks(scalars, utf16: u16, utf16ToScalar: map, locale: locale)
        return allowed.indices.filter { allowed[$0] && $0 > 0 && $0 < scalars.count }
    }

    @Test func latinBreaksAfterSpaces() {
        #expect(breaks("care team plan") == [5, 10])
    }

    @Test func khmerBreaksBetweenWordsByDictionary() {
        // "ក្រុមថែទាំកូនរបស់អ្នក" (your child's care team) has no spaces; ICU's dictionary finds words.
        let text = "ក្រុមថែទាំកូនរបស់អ្នក"
        let b = breaks(text, locale: "km")
        #expect(b.count >= 3, "Khmer dictionary breaks: \(b)")
        // Never inside a cluster: a break never falls before a combining mark or coeng.
        let scalars = Array(text.unicodeScalars.map(\.value))
        for i in b { #expect(!UnicodeServices.isMark(scalars[i]) && scalars[i] != 0x17D2) }
    }

    @Test func thaiAndLaoBreakByDictionary() {
        #expect(breaks("ทีมดูแลบุตรของคุณจะโทรหาคุณ", locale: "th").count >= 4)
        #expect(breaks("ທີມດູແລລູກຂອງທ່ານຈະໂທຫາທ່ານ", locale: "lo").count >= 3)
    }

    @Test func chineseBreaksBetweenIdeographsButNotBeforeClosingPunctuation() {
        let text = "您孩子的护理团队。"
        let b = breaks(text, locale: "zh-Hans")
        #expect(b.count >= 5)
        #expect(!b.contains(8), "no break before the ideographic full stop")
    }

    @Test func newlineIsMandatory() {
        let text = "line one\nline two"
        let scalars = Array(text.unicodeScalars.map(\.value))
        let u16 = Array(text.utf16)
        let (_, mandatory) = unicode.lineBreaks(
            scalars,
            utf16: u16,
            utf16ToScalar: Array(0...scalars.count),
            locale: "en"
        )
        #expect(mandatory[9])
    }
}

@Suite struct FallbackTests {
    @Test(arguments: [
        ("Hello", "en", "NotoSans-Regular.ttf"),
        ("Tiếng Việt", "vi", "NotoSans-Regular.ttf"),
        ("مرحبا", "ar", "NotoSansArabic-Regular.ttf"),
        ("ខ្មែរ", "km", "NotoSansKhmer-Regular.ttf"),
        ("ລາວ", "lo", "NotoSansLao-Regular.ttf"),
        ("ไทย", "th", "NotoSansThai-Regular.ttf"),
        ("हिन्दी", "hi", "NotoSansDevanagari-Regular.ttf"),
        ("ગુજરાતી", "gu", "NotoSansGujarati-Regular.ttf"),
        ("አማርኛ", "am", "NotoSansEthiopic-Regular.ttf"),
        ("护理", "zh-Hans", "NotoSansCJKsc-Regular.ttf"),
        ("護理", "zh-Hant", "NotoSansCJKtc-Regular.ttf"),
        ("看護", "ja", "NotoSansCJKjp-Regular.ttf"),
        ("한국어", "ko", "NotoSansCJKkr-Regular.ttf"),
    ])
    func fontChosenByScriptAndLanguage(text: String, language: String, file: String) throws {
        let engine = try makeEngine()
        let p = engine.text.prepare(
            spans: [(text, TextStyle())],
            base: TextStyle(),
            direction: .auto,
            language: language
        )
        #expect(p.runs.count >= 1)
        #expect(p.runs.allSatisfy { $0.face.file == file }, "\(p.runs.map { $0.face.file })")
        #expect(p.fallback.isEmpty)
    }

    @Test func marksStayWithTheirBase() throws {
        let engine = try makeEngine()
        // Latin e + combining circumflex + combining acute, and a Devanagari virama cluster.
        let p = engine.text.prepare(
            spans: [("e\u{0302}\u{0301} क्ष", TextStyle())],
            base: TextStyle(),
            direction: .auto,
            language: "en"
        )
        let faceOfFirstMark = p.runs[p.runOfScalar[1]].face
        #expect(faceOfFirstMark === p.runs[p.runOfScalar[0]].face)
        #expect(p.runs[p.runOfScalar[5]].face === p.runs[p.runOfScalar[4]].face)
    }

    @Test func uncoveredCharactersAreReportedNotSilent() throws {
        let engine = try makeEngine()
        // U+1F9EC (dna emoji) and a Cherokee letter: no bundled font has them.
        let r = try engine.render(Document(blocks: [.paragraph(Paragraph("x \u{13A0} y"))]))
        #expect(r.report.missingCharacters.contains("U+13A0"))
        #expect(r.report.warnings.contains { $0.contains("U+13A0") })
    }
}

@Suite struct LineFittingTests {
    @Test func linesNeverExceedTheWidth() throws {
        let engine = try makeEngine()
        let text = String(repeating: "Your child's care team will call you within two weeks. ", count: 20)
        for width in [60.0, 120, 250, 468] {
            let p = engine.text.prepare(
                spans: [(text, TextStyle())],
                base: TextStyle(),
                direction: .auto,
                language: "en"
            )
            let lines = engine.text.lines(p, width: width, alignment: .start)
            #expect(lines.count > 1)
            for l in lines { #expect(l.width <= width + 0.01) }
        }
    }

    @Test func justifiedLinesFillTheWidthExceptTheLast() throws {
        let engine = try makeEngine()
        let text = String(repeating: "plan care team call weeks ", count: 12)
        let p = engine.text.prepare(spans: [(text, TextStyle())], base: TextStyle(), direction: .auto, language: "en")
        let lines = engine.text.lines(p, width: 200, alignment: .justify)
        for l in lines.dropLast() { #expect(abs(l.width - 200) < 0.01) }
        #expect(lines.last!.width < 200)
    }

    @Test func aWordLongerThanTheLineIsBroken() throws {
        let engine = try makeEngine()
        let word = String(repeating: "Supercalifragilistic", count: 10)
        let p = engine.text.prepare(spans: [(word, TextStyle())], base: TextStyle(), direction: .auto, language: "en")
        let lines = engine.text.lines(p, width: 100, alignment: .start)
        #expect(lines.count > 5)
        for l in lines { #expect(l.width <= 100.01) }
    }

    @Test func mixedScriptLinesAreTallEnoughForEveryFont() throws {
        let engine = try makeEngine()
        let latin = engine.text.prepare(
            spans: [("care", TextStyle())],
            base: TextStyle(),
            direction: .auto,
            language: "en"
        )
        let mixed = engine.text.prepare(
            spans: [("care ស្ត្រី ក្ស្ម", TextStyle())],
            base: TextStyle(),
            direction: .auto,
            language: "en"
        )
        let l1 = engine.text.lines(latin, width: 400, alignment: .start)[0]
        let l2 = engine.text.lines(mixed, width: 400, alignment: .start)[0]
        #expect(l2.height > l1.height)
    }

    @Test func khmerWrapsWithoutSpaces() throws {
        let engine = try makeEngine()
        let text = "ក្រុមថែទាំកូនរបស់អ្នកនឹងទូរស័ព្ទមកអ្នកក្នុងរយៈពេលពីរសប្តាហ៍ដើម្បីរៀបចំផែនការជំហានបន្ទាប់"
        let p = engine.text.prepare(spans: [(text, TextStyle())], base: TextStyle(), direction: .auto, language: "km")
        let lines = engine.text.lines(p, width: 150, alignment: .start)
        #expect(lines.count >= 3)
        for l in lines { #expect(l.width <= 150.01) }
    }
}
