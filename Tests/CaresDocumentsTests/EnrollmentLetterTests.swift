import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// The enrollment letter end to end: record → requirement rules → template → PDF → text.
@Suite(.serialized) struct EnrollmentLetterTests {
    static let projectRoot = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../..").standardized

    func renderer() throws -> DocumentRenderer {
        try DocumentRenderer(
            templates: Self.projectRoot.appending(path: "Templates"),
            locales: Self.projectRoot.appending(path: "Locales")
        )
    }

    func rivera() throws -> CareRecord {
        try CareRecordLoader.load(data: Fixtures.example("rivera-enrollment.json")).get()
    }

    func text(of doc: Document) throws -> (String, RenderReport) {
        let result = try Engine().render(doc)
        let url = FileManager.default.temporaryDirectory.appending(path: "enrollment-\(UUID().uuidString).pdf")
        try result.pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let p = Process()
        p.executableURL = URL(filePath: "/usr/bin/pdftotext")
        p.arguments = ["-enc", "UTF-8", url.path(percentEncoded: false), "-"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: out, as: UTF8.self), result.report)
    }

    @Test func englishLetterHasEveryRequiredElement() throws {
        let doc = try renderer().document(
            .enrollmentLetter,
            record: rivera(),
            options: .init(language: .english, letterDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        )
        let (text, report) = try text(of: doc)
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        #expect(report.pages == 2, "one page of letter and the tagline page")
        for needle in [
            "November 1, 2026",  // effective date, in the locale's format
            "Riverside Children's Health Center",  // provider
            "Sarah Kim", "(978) 555-0142", "214", "skim@riverside-chc.example.org",  // care manager and contact
            "does not change your child's MassHealth benefits",  // reminder
            "Mateo Rivera Ortiz", "100234567891",  // member name and id in the body
            "Lucía Ortiz Peña", "41 Pawtucket Blvd", "Lowell, MA 01854",  // recipient in the window
            "November 23, 2026", "Page 1 of 2",
        ] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        // The 24/7 line, beside the window: it wraps, its phone number stays on one line.
        #expect(DocTest.normalized(text).contains("24 hours a day, 7 days a week: (978) 555-0199"))
        #expect(text.contains("(978)\u{00A0}555-0199") || text.contains("(978) 555-0199"))
        #expect(!text.contains("{"), "an unfilled placeholder")
        #expect(!text.contains("\u{2066}") && !text.contains("\u{2069}"), "bidi controls leaked into the text")
    }

    @Test func windowHoldsOnlyNameAndAddress() throws {
        let doc = try renderer().document(.enrollmentLetter, record: rivera(), options: .init(language: .english))
        guard
            let frame = doc.blocks.compactMap({ b -> Frame? in
                if case .frame(let f) = b { return f } else { return nil }
            }).first
        else {
            Issue.record("no address frame")
            return
        }
        let lines = frame.blocks.compactMap { b -> String? in
            if case .paragraph(let p) = b { return p.spans.map(\.text).joined() } else { return nil }
        }
        #expect(
            lines.map(DocTest.stripIsolates) == ["Lucía Ortiz Peña", "41 Pawtucket Blvd", "Apt 3B", "Lowell, MA 01854"]
        )
        #expect(frame.y >= 130 && frame.y <= 160 && frame.x >= 60 && frame.x <= 80)
    }

    @Test func missingElementsAreRefusedWithPathAndClause() throws {
        var record = try rivera()
        record.enrollment?.effectiveDate = nil
        record.enrollment?.designatedCareManagerId = nil
        record.provider?.onCallPhone = nil
        record.guardians?[0].contact?.address = nil
        record.member.address = nil
        do {
            _ = try renderer().document(.enrollmentLetter, record: record, options: .init(language: .english))
            Issue.record("rendered a letter without its required elements")
        } catch let refusal as DocumentRefusal {
            let paths = refusal.problems.map(\.path)
            #expect(paths.contains("enrollment.effectiveDate"))
            #expect(paths.contains("enrollment.designatedCareManagerId"))
            #expect(paths.contains("provider.onCallPhone"))
            #expect(refusal.problems.allSatisfy { $0.clause.contains("Member Assignment Procedures") })
            #expect(
                refusal.problems.contains {
                    $0.path == "enrollment.designatedCareManagerId"
                        && $0.clause.contains("designated care manager's name and contact information")
                }
            )
        }
    }

    @Test func hostileNamesPrintLiterally() throws {
        var record = try rivera()
        let hostile = "<b>Ana</b> & {{x}} ]]> \u{202E}evil"
        record.guardians?[0].name = hostile
        let doc = try renderer().document(.enrollmentLetter, record: record, options: .init(language: .english))
        let (text, _) = try text(of: doc)
        #expect(text.contains("<b>Ana</b> & {{x}} ]]>"))
    }

    @Test func largePrintIsAtLeast18Points() throws {
        let doc = try renderer().document(
            .enrollmentLetter,
            record: rivera(),
            options: .init(language: .english, largePrint: true)
        )
        #expect(doc.baseStyle.size >= 18)
        let report = try Engine().render(doc).report
        #expect(report.warnings.isEmpty, "\(report.warnings)")
    }
}

/// The enrollment letter in every supported language: the required elements come back from the
/// PDF's text in that language, with the locale's date format and no unfilled placeholder.
@Suite struct EnrollmentLetterLanguageTests {
    @Test(arguments: SupportedLanguage.allCases)
    func everyLanguage(_ language: SupportedLanguage) throws {
        let root = EnrollmentLetterTests.projectRoot
        let renderer = try DocumentRenderer(
            templates: root.appending(path: "Templates"),
            locales: root.appending(path: "Locales")
        )
        let record = try CareRecordLoader.load(data: Fixtures.example("rivera-enrollment.json")).get()
        let doc = try renderer.document(
            .enrollmentLetter,
            record: record,
            options: .init(language: language, letterDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        )
        #expect(doc.language == language.tag)
        let (text, report) = try EnrollmentLetterTests().text(of: doc)
        #expect(report.missingCharacters.isEmpty, "\(report.missingCharacters)")
        #expect(report.pages <= 3, "\(language.tag): \(report.pages) pages")
        let catalog = renderer.locales.catalogs[language.tag]!
        // The effective date as the locale writes it, checked piece by piece (RTL extraction
        // may reorder the pieces of a date).
        #expect(text.contains(catalog.months[10]), "\(language.tag): month name of the effective date")
        #expect(text.contains("2026"))
        for needle in [
            "Sarah Kim", "555-0142", "214", "skim@riverside-chc.example.org", "555-0199", "100234567891",
            "Lucía Ortiz Peña", "Riverside Children's Health Center", "CARES for Kids",
        ] {
            #expect(text.contains(needle), "\(language.tag): missing \(needle)")
        }
        // A sentence of the catalog itself comes back (the reminder about benefits), minus
        // placeholders.
        let reminder = try catalog.text("enrollment.benefitsReminder")
        let words = reminder.split(separator: " ").prefix(4).joined(separator: " ")
        if language.tag != "ar" && language.tag != "km" && !language.tag.hasPrefix("zh") {
            #expect(
                text.replacingOccurrences(of: "\n", with: " ").contains(words),
                "\(language.tag): '\(words)' not found"
            )
        }
        #expect(!text.contains("{") && !text.contains("}"), "\(language.tag): an unfilled placeholder")
        #expect(doc.metadata.keywords.contains { $0.contains("translation: \(catalog.status.rawValue)") })
    }
}
