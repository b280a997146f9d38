import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// Issue 15 §4: record content (paragraphs, list items, table cells) takes its direction from
/// its own text (`dir="first-strong"`, HTML's `dir="auto"`), is isolated from what surrounds it
/// and aligned by that direction; our own catalog wording keeps the document's direction, and
/// a right-to-left table keeps its column order.
@Suite struct DirectionTests {
    /// A word on a page, from `pdftotext -bbox` (points, origin top-left).
    struct Word {
        var page: Int
        var text: String
        var xMin: Double, yMin: Double, xMax: Double, yMax: Double
    }

    static func words(_ pdf: Data) throws -> [Word] {
        let url = DocTest.temporaryFile("bbox.pdf")
        try pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try DocTest.run(
            "/usr/bin/pdftotext",
            ["-bbox", "-enc", "UTF-8", url.path(percentEncoded: false), "-"]
        )
        try #require(result.status == 0)
        var out: [Word] = []
        var page = 0
        let pattern = #/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>/#
        for line in result.stdout.split(separator: "\n") {
            if line.contains("<page ") { page += 1 }
            guard let m = line.firstMatch(of: pattern) else { continue }
            out.append(
                Word(
                    page: page,
                    text: String(m.5).replacingOccurrences(of: "&amp;", with: "&"),
                    xMin: Double(m.1)!,
                    yMin: Double(m.2)!,
                    xMax: Double(m.3)!,
                    yMax: Double(m.4)!
                )
            )
        }
        return out
    }

    /// The Haddad record (v2, Arabic) with English passages where a family's record can hold
    /// them: untranslatable text (a brand, a dose instruction) given as the Arabic text.
    static func haddadWithEnglish() throws -> CareRecord {
        var record = try DocTest.load(Fixtures.record("haddad-v2-ar.json"))
        let instruction = "Give 18 units before meals."
        record.removal?.recommendationsText = LocalizedText([.english: instruction, .arabic: instruction])
        record.removal?.ongoingTreatmentsTexts?.append(
            LocalizedText([
                .english: "Dexcom G7 sensor, changed every 10 days.",
                .arabic: "Dexcom G7 sensor, changed every 10 days.",
            ])
        )
        return record
    }

    static let left = 72.0
    static let right = 612.0 - 72

    @Test func anEnglishPassageInAnArabicPlanReadsLeftToRightAndStartsOnTheLeft() throws {
        let rendered = try DocTest.render(.aftercarePlan, try Self.haddadWithEnglish(), .arabic)
        let text = DocTest.withoutFormatCharacters(rendered.text)
        // In order, the period at its end.
        #expect(text.contains("Give 18 units before meals."))
        #expect(!text.contains(".Give 18 units before meals"))
        #expect(text.contains("Dexcom G7 sensor, changed every 10 days."))
        // Doses, ratios and phone numbers keep their order in the right-to-left tables.
        #expect(text.contains("18 units") && !text.contains("units 18"))
        #expect(text.contains("1:12") && !text.contains("12:1"))
        #expect(text.contains("3 mg") && !text.contains("mg 3"))
        #expect(text.contains("(781) 555-0100"))
        // Mixed passages (Arabic with an English brand) stay right-to-left and readable.
        #expect(DocTest.containsData(rendered.text, "mySugr"))

        let words = try Self.words(rendered.pdf)
        // The English paragraph is left-aligned: it starts at the left margin and its period is
        // at its right end.
        let give = try #require(words.first { $0.text == "Give" })
        #expect(abs(give.xMin - Self.left) < 2, "Give starts at \(give.xMin)")
        let meals = try #require(
            words.first { $0.text == "meals." && $0.page == give.page && abs($0.yMin - give.yMin) < 2 }
        )
        #expect(meals.xMin > give.xMax)
        #expect(meals.xMax < Self.right - 100, "the English line is not right-aligned")
        // The list item in English has its marker on the left.
        let dexcom = try #require(words.first { $0.text == "Dexcom" })
        #expect(dexcom.xMin < Self.left + 30)
        // Catalog wording keeps the document's direction: the heading just above the English
        // paragraph (the Arabic "Recommendations") ends at the right margin.
        let above = words.filter { $0.page == give.page && $0.yMax <= give.yMin }
        let headingY = try #require(above.map(\.yMin).max())
        let heading = above.filter { abs($0.yMin - headingY) < 2 }
        #expect(abs(heading.map(\.xMax).max()! - Self.right) < 3, "the Arabic heading is right-aligned")
    }

    @Test func englishCellsInArabicTablesAlignLeftAndTheColumnsStayRightToLeft() throws {
        let rendered = try DocTest.render(
            .emergencyPlan,
            try DocTest.load(Fixtures.record("haddad-v2-ar.json")),
            .arabic
        )
        let words = try Self.words(rendered.pdf)
        // The medication table: the name column is the rightmost (RTL column order) …
        let glargine = try #require(words.first { $0.text == "Insulin" })
        let units = try #require(words.first { $0.text == "units" })
        #expect(glargine.xMin > units.xMax, "the name column is to the right of the dose column")
        // … and its English names start at the same x (left-aligned in their cell), while their
        // ends differ.
        let names = words.filter { word in
            (word.text == "Insulin" || word.text == "Glucagon")
                && !words.contains { $0.text == "pump" && abs($0.yMin - word.yMin) < 2 }
        }
        #expect(names.count >= 3)
        let starts = names.map(\.xMin)
        #expect((starts.max()! - starts.min()!) < 1, "English names are left-aligned in their cell: \(starts)")
        // "18 units" reads left to right: 18 to the left of units.
        let eighteen = try #require(words.first { $0.text == "18" && abs($0.yMin - units.yMin) < 2 })
        #expect(eighteen.xMax < units.xMin)
        // "1:12" and the phone numbers are whole.
        #expect(words.contains { $0.text == "1:12" })
        #expect(DocTest.withoutFormatCharacters(rendered.text).contains("(781) 555-0150"))
        // A list item holding a passage that starts in English reads left to right from the
        // left margin (40 pt) with its bullet on the left. (pdftotext still moves the closing
        // parenthesis of the line: it reads every line of the page as right to left.)
        let pump = try #require(words.first { $0.text == "pump" })
        let line = words.filter { $0.page == pump.page && abs($0.yMin - pump.yMin) < 2 }.sorted { $0.xMin < $1.xMin }
        #expect(line.map(\.text).filter { $0 != "•" }.prefix(3) == ["Insulin", "pump", "(Omnipod"])
        #expect(try #require(line.first).xMin < 40 + 20)
    }
}
