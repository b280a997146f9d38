// Over 400 lines on purpose: every document kind × the example records × 13 locales read back with
// pdftotext, with the expectations per kind in one table-driven suite.

import Foundation
import Templating
import Testing
import Typesetting

@testable import CaresDocuments

/// The emergency plan: one page, allergies first, "No known allergies" only when stated.
@Suite struct EmergencyPlanTests {
    @Test(arguments: [Example.rivera, .haddad])
    func englishFitsOnOnePage(_ example: Example) throws {
        let rendered = try DocTest.render(.emergencyPlan, example.record())
        #expect(rendered.report.pages == 1, "\(example): \(rendered.report.pages) pages")
        #expect(rendered.report.warnings.isEmpty, "\(rendered.report.warnings)")
        #expect(!rendered.text.contains("Help in your language"), "no tagline page on an emergency plan")
    }

    @Test func allergiesComeFirstOnPageOne() throws {
        let rendered = try DocTest.render(.emergencyPlan, DocTest.rivera())
        let page1 = try #require(rendered.pages.first)
        let allergies = try #require(page1.range(of: "ALLERGIES"), "no ALLERGIES callout on page 1")
        let latex = try #require(page1.range(of: "Latex: Hives, wheezing (Severe)"))
        let amoxicillin = try #require(page1.range(of: "Amoxicillin: Rash (Moderate)"))
        let medications = try #require(page1.range(of: "Medications"))
        let firstMedication = try #require(page1.range(of: "Levetiracetam"))
        #expect(allergies.lowerBound < latex.lowerBound && latex.lowerBound < amoxicillin.lowerBound)
        #expect(amoxicillin.lowerBound < medications.lowerBound && medications.lowerBound < firstMedication.lowerBound)
        // Only the member's identity comes before the allergies.
        let before = DocTest.normalized(String(page1[..<allergies.lowerBound]))
        #expect(!before.contains("Levetiracetam") && !before.contains("Dr. Priya Natarajan"), "\(before)")
        #expect(!rendered.text.contains("No known allergies"))
        #expect(!rendered.text.contains("not recorded"))
    }

    @Test func noKnownAllergiesOnlyWhenStated() throws {
        let haddad = try DocTest.render(.emergencyPlan, DocTest.haddad())
        let page1 = try #require(haddad.pages.first)
        let statement = try #require(page1.range(of: "No known allergies."))
        let allergies = try #require(page1.range(of: "ALLERGIES"))
        let medications = try #require(page1.range(of: "Medications"))
        #expect(allergies.lowerBound < statement.lowerBound && statement.lowerBound < medications.lowerBound)
        // In the ICP's part 5 as well.
        let icp = try DocTest.render(.carePlan, DocTest.complete())
        #expect(!icp.text.contains("No known allergies"))
        #expect(icp.text.contains("Sulfa drugs: Swelling of the face (Severe)"))
    }

    @Test func allergiesEmptyAndNotStatedIsRefused() throws {
        let record = try DocTest.allergiesNotStated()
        #expect(record.emergency?.allergies == [] && record.emergency?.noKnownAllergies == nil)
        for kind in [DocumentKind.emergencyPlan] {
            let refusal = try #require(try DocTest.refusal(kind, record))
            #expect(refusal.problems.map(\.path) == ["emergency.allergies"], "\(refusal)")
            #expect(refusal.problems.first?.clause.contains("never printed as 'none'") == true)
        }
        // noKnownAllergies: false says nothing either.
        var stated = record
        stated.emergency?.noKnownAllergies = false
        let refusal = try #require(try DocTest.refusal(.emergencyPlan, stated))
        #expect(refusal.problems.map(\.path) == ["emergency.allergies"])
        // Absent allergies (not even an empty list) are refused the same way.
        stated.emergency?.allergies = nil
        #expect(try DocTest.refusal(.emergencyPlan, stated)?.problems.map(\.path) == ["emergency.allergies"])
    }

    @Test func familyLanguageCopyIsMarkedAsACopy() throws {
        let es = try DocTest.render(.emergencyPlan, DocTest.rivera(), .spanish)
        let catalog = try DocTest.catalog(.spanish)
        let notice = try catalog.text("emergency.copyNotice", ["inLanguage": catalog.text("language.inSentence.es")])
        #expect(notice == "Esta es una copia en español. Entregue la copia en inglés al personal de emergencia.")
        #expect(DocTest.normalized(es.text).contains(DocTest.words(of: notice)))
        let en = try DocTest.render(.emergencyPlan, DocTest.rivera())
        #expect(!en.text.contains("This is a copy in"))
    }
}

/// The Individual Care Plan: five parts in order, tables, approval block, outline.
@Suite struct CarePlanTests {
    func partHeadings(_ language: SupportedLanguage = .english) throws -> [String] {
        let c = try DocTest.catalog(language)
        return try ["icp.part1", "icp.part2", "icp.part3", "icp.part4", "icp.part5", "icp.approval"].map {
            try c.text($0)
        }
    }

    @Test(arguments: [Example.rivera, .complete])
    func fivePartsInOrder(_ example: Example) throws {
        let rendered = try DocTest.render(.carePlan, example.record())
        let flat = DocTest.normalized(rendered.text)
        var last = flat.startIndex
        for h in try partHeadings() {
            let r = try #require(flat.range(of: h, range: last..<flat.endIndex), "'\(h)' missing or out of order")
            last = r.upperBound
        }
        // Health summary i–vii, in order, inside part 2.
        let c = try DocTest.catalog(.english)
        let part2 = try #require(flat.range(of: try c.text("icp.part2")))
        let part3 = try #require(flat.range(of: try c.text("icp.part3")))
        var cursor = part2.upperBound
        for key in [
            "icp.services", "icp.goals", "icp.education", "icp.socialNeeds", "icp.strengths", "icp.appeal",
            "icp.ombudsman",
        ] {
            let r = try #require(
                flat.range(of: try c.text(key), range: cursor..<part3.lowerBound),
                "\(key) missing or out of order"
            )
            cursor = r.upperBound
        }
        #expect(rendered.report.warnings.isEmpty, "\(rendered.report.warnings)")
    }

    @Test func goalsAndActionTables() throws {
        let record = try DocTest.rivera()
        let rendered = try DocTest.render(.carePlan, record)
        let flat = DocTest.normalized(rendered.text)
        for header in [
            "Goal", "Type", "Target date", "Status", "Action step", "Who does it", "By when", "Accessibility needs",
        ] {
            #expect(flat.contains(header), "table header \(header)")
        }
        #expect(flat.contains("Goal 1: Keep seizure-free"))
        #expect(flat.contains("Goal 2: Use a power wheelchair"))
        #expect(DocTest.contains(flat, "Dr. Michael O'Brien (Specialist)"), "responsible team member with role")
        #expect(DocTest.contains(flat, "Daniel Alves (Care coordinator)"))
        #expect(flat.contains("You and your family"), "family as responsible")
        #expect(DocTest.contains(flat, "Forms in Spanish; interpreter at appointments."), "accessibility requirement")
        #expect(flat.contains("Barriers: Building entrance is not accessible."))
        #expect(flat.contains("No action steps yet."), "goal 3 has no actions")
        // Goal headings of part 3 stay out of the outline.
        let goalHeadings = DocTest.headings(rendered.document.blocks).filter {
            DocTest.headingText($0).hasPrefix("Goal ")
        }
        #expect(goalHeadings.count == 3)
        #expect(goalHeadings.allSatisfy { !$0.outline })
    }

    @Test func pendingApprovalPrintsSignatureLines() throws {
        let rendered = try DocTest.render(.carePlan, DocTest.complete())
        let approval = try approvalSection(rendered)
        #expect(approval.contains("If you agree with it, please sign below"))
        for label in [
            "Parent or guardian signature", "Member signature (if able)", "Care manager signature", "Printed name",
            "Date",
        ] {
            #expect(approval.contains(label), "\(label)")
        }
        #expect(approval.contains("____"))
        #expect(!approval.contains("approved this plan"))
    }

    @Test func verbalApprovalWithoutAccommodationAsksForASignatureWithinThreeMonths() throws {
        let record = try DocTest.rivera()
        #expect(record.carePlanApproval?.method == .verbal && record.carePlanApproval?.accommodationNeed == nil)
        let rendered = try DocTest.render(.carePlan, record)
        let approval = try approvalSection(rendered)
        #expect(approval.contains("Lucía Ortiz Peña approved this plan verbally on November 12, 2026."))
        #expect(approval.contains("Please sign this plan by February 12, 2027."), "\(approval)")
        #expect(approval.contains("Parent or guardian signature") && approval.contains("____"))
        // In Spanish too: the date three months on, in Spanish.
        let es = try approvalSection(DocTest.render(.carePlan, record, .spanish), .spanish)
        #expect(es.contains("12 de febrero de 2027"), "\(es)")
    }

    @Test(arguments: [
        (CalendarDate(year: 2026, month: 11, day: 30)!, "February 28, 2027"),
        (CalendarDate(year: 2027, month: 11, day: 30)!, "February 29, 2028"),
        (CalendarDate(year: 2026, month: 1, day: 31)!, "April 30, 2026"),
        (CalendarDate(year: 2026, month: 10, day: 15)!, "January 15, 2027"),
    ])
    func signatureDueDateClampsToTheEndOfAShorterMonth(_ approved: CalendarDate, _ due: String) throws {
        var record = try DocTest.rivera()
        record.carePlanApproval?.date = approved
        let approval = try approvalSection(DocTest.render(.carePlan, record))
        #expect(approval.contains("Please sign this plan by \(due)."), "\(approval)")
    }

    @Test func verbalApprovalWithAccommodationHasNoSignatureLines() throws {
        var record = try DocTest.rivera()
        record.carePlanApproval?.accommodationNeed = "Low vision: cannot sign the form."
        let approval = try approvalSection(DocTest.render(.carePlan, record))
        #expect(approval.contains("approved this plan verbally on November 12, 2026."))
        #expect(
            approval.contains(
                "A signature is not needed because of this accommodation need: Low vision: cannot sign the form."
            )
        )
        #expect(!approval.contains("____"), "\(approval)")
        #expect(!approval.contains("Please sign this plan by"))
        #expect(!approval.contains("Parent or guardian signature"))
    }

    @Test(arguments: [ApprovalMethod.signature, .electronicSignature])
    func signedPlansRecordTheSignature(_ method: ApprovalMethod) throws {
        var record = try DocTest.rivera()
        record.carePlanApproval = Approval(
            method: method,
            date: CalendarDate(year: 2026, month: 11, day: 20),
            approvedBy: "Lucía Ortiz Peña"
        )
        let approval = try approvalSection(DocTest.render(.carePlan, record))
        let word = method == .signature ? "by signature" : "by electronic signature"
        #expect(approval.contains("Lucía Ortiz Peña approved this plan \(word) on November 20, 2026."), "\(approval)")
        #expect(!approval.contains("____"))
    }

    /// The text from the approval heading to the end of the plan (before the tagline page).
    func approvalSection(_ rendered: DocTest.Rendered, _ language: SupportedLanguage = .english) throws -> String {
        let flat = DocTest.normalized(rendered.text)
        let catalog = try DocTest.catalog(language)
        let start = try #require(flat.range(of: try catalog.text("icp.approval"), options: .backwards))
        let end =
            flat.range(of: try catalog.text("frame.languageHelpTitle"), range: start.upperBound..<flat.endIndex)?
            .lowerBound ?? flat.endIndex
        return String(flat[start.lowerBound..<end])
    }

    @Test(arguments: [Example.rivera, .complete])
    func outlineHasOneEntryPerPart(_ example: Example) throws {
        let rendered = try DocTest.render(.carePlan, example.record())
        let parts = try partHeadings()
        // The document tree: one outline heading per part, the goals of part 3 not in it.
        let outlined = DocTest.headings(rendered.document.blocks).filter(\.outline).map(DocTest.headingText)
        for p in parts {
            #expect(outlined.filter { $0 == p }.count == 1, "\(p): \(outlined)")
        }
        // The PDF's own outline (bookmarks).
        let titles = try outlineTitles(rendered.pdf)
        for p in parts {
            #expect(titles.filter { $0 == p }.count == 1, "\(p) in the PDF outline: \(titles)")
        }
        #expect(!titles.contains { $0.hasPrefix("Goal 1:") }, "\(titles)")
    }

    /// Every title of the PDF outline, depth first, by `qpdf --json`.
    func outlineTitles(_ pdf: Data) throws -> [String] {
        let url = DocTest.temporaryFile("outline.pdf")
        try pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let out = try DocTest.run("/usr/bin/qpdf", ["--json", "--json-key=outlines", url.path(percentEncoded: false)])
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        var titles: [String] = []
        func walk(_ items: [[String: Any]]) {
            for i in items {
                if let t = i["title"] as? String { titles.append(t) }
                walk(i["kids"] as? [[String: Any]] ?? [])
            }
        }
        walk(json?["outlines"] as? [[String: Any]] ?? [])
        try #require(!titles.isEmpty, "no outline in the PDF: \(out.stderr)")
        return titles
    }

    /// A goals table long enough to split: its header row is on both pages.
    @Test func goalsTableRepeatsItsHeaderAcrossPages() throws {
        var record = try DocTest.complete()
        record.goals = (1...70).map { i in
            Goal(
                id: "g\(i)",
                domain: .functional,
                term: .short,
                description: "Numbered goal \(i) for the split table test.",
                targetDate: CalendarDate(year: 2027, month: 1, day: 10)
            )
        }
        let rendered = try DocTest.render(.carePlan, record)
        let pages = rendered.pages
        let first = try #require(pages.firstIndex { $0.contains("Numbered goal 1 for") })
        let last = try #require(pages.firstIndex { $0.contains("Numbered goal 70 for") })
        #expect(last > first, "the goals table did not split")
        for page in first...last {
            // pdftotext -f/-l of the page alone.
            let text = DocTest.normalized(try DocTest.pdfText(rendered.pdf, first: page + 1, last: page + 1))
            guard text.contains("Numbered goal") else { continue }
            for header in ["Goal", "Type", "Target date", "Status"] {
                #expect(
                    text.contains(header),
                    "page \(page + 1) has goal rows but no header '\(header)': \(text.prefix(300))"
                )
            }
        }
        #expect(rendered.report.warnings.isEmpty, "\(rendered.report.warnings)")
    }

    /// One goal with many action steps: the action table splits with its header repeated.
    @Test func actionTableRepeatsItsHeaderAcrossPages() throws {
        var record = try DocTest.complete()
        record.goals = [
            Goal(
                id: "g1",
                domain: .clinical,
                term: .long,
                description: "One goal with many steps.",
                actions: (1...80).map {
                    GoalAction(description: "Numbered step \($0) of the plan.", responsibleId: "cm1")
                }
            )
        ]
        let rendered = try DocTest.render(.carePlan, record)
        var pagesWithSteps = 0
        for (i, page) in rendered.pages.enumerated() where page.contains("Numbered step") {
            pagesWithSteps += 1
            let text = DocTest.normalized(try DocTest.pdfText(rendered.pdf, first: i + 1, last: i + 1))
            for header in ["Action step", "Who does it", "By when", "Accessibility needs"] {
                #expect(text.contains(header), "page \(i + 1): no header '\(header)'")
            }
        }
        #expect(pagesWithSteps >= 2)
    }
}

/// The aftercare plan: the five parts of Member Removal of Assignment Procedures, B.
@Suite struct AftercarePlanTests {
    @Test(arguments: [Example.haddad, .complete])
    func fivePartsAndSideEffects(_ example: Example) throws {
        let record = try example.record()
        let rendered = try DocTest.render(.aftercarePlan, record)
        let flat = DocTest.normalized(rendered.text)
        let c = try DocTest.catalog(.english)
        var cursor = flat.startIndex
        for key in ["aftercare.part1", "aftercare.part2", "aftercare.part3", "aftercare.part4", "aftercare.part5"] {
            let r = try #require(
                flat.range(of: try c.text(key), range: cursor..<flat.endIndex),
                "\(key) missing or out of order"
            )
            cursor = r.upperBound
        }
        #expect(flat.contains("Possible side effects"))
        for m in record.emergency?.medications ?? [] {
            #expect(DocTest.contains(flat, m.name))
            if let d = m.dose { #expect(DocTest.contains(flat, d)) }
            if let s = m.sideEffects { #expect(DocTest.contains(flat, s), "side effects of \(m.name)") }
        }
        let rm = try #require(record.removal)
        #expect(DocTest.contains(flat, "Signed by \(rm.consent!.signedBy) on"))
        for t in rm.ongoingTreatments ?? [] { #expect(DocTest.contains(flat, t)) }
        #expect(rendered.report.warnings.isEmpty, "\(rendered.report.warnings)")
    }

    @Test func emptyListsAreStatedNotLeftBlank() throws {
        var record = try DocTest.haddad()
        record.removal?.referrals = []
        record.removal?.servicesInPlace = []
        record.removal?.ongoingTreatments = []
        record.emergency?.medications = []
        let flat = DocTest.normalized(try DocTest.render(.aftercarePlan, record).text)
        for s in ["No new referrals are needed.", "No services are listed.", "No medications are listed."] {
            #expect(flat.contains(s), "\(s)")
        }
        #expect(!flat.contains("Possible side effects"), "an empty medication table was printed")
    }
}

/// The notice to the CCM clinical manager.
@Suite struct CCMNoticeTests {
    @Test func refusedUnlessEnrolledInCCM() throws {
        var record = try DocTest.rivera()
        for value in [false, nil] as [Bool?] {
            record.member.enrolledInCCM = value
            let refusal = try #require(try DocTest.refusal(.ccmNotice, record))
            #expect(refusal.problems.map(\.path) == ["member.enrolledInCCM"], "\(refusal)")
            #expect(refusal.problems.first?.clause.contains("Member Assignment Procedures") == true)
        }
    }

    @Test(arguments: [Example.rivera, .complete])
    func addressedToTheCCMClinicalManagerWithoutTaglines(_ example: Example) throws {
        let record = try example.record()
        let ccm = try #require(record.careTeam?.first { $0.role == .ccmClinicalManager })
        let rendered = try DocTest.render(.ccmNotice, record)
        let lines = try #require(DocTest.windowLines(rendered.document))
        #expect(lines.first == ccm.name)
        var expected = [ccm.name] + [ccm.organization].compactMap { $0 }
        if let a = ccm.contact?.address {
            expected += [a.line2.map { "\(a.line1), \($0)" } ?? a.line1, "\(a.city), \(a.state) \(a.postalCode)"]
        }
        #expect(lines == expected)
        #expect(rendered.text.contains("Dear \(ccm.name),"))
        #expect(rendered.report.pages == 1, "no tagline page: \(rendered.report.pages) pages")
        #expect(!rendered.text.contains("Help in your language"))
    }

    /// Name, organization and a two-line street address: the secondary unit goes on the
    /// delivery line, and the address fits the #10 window (five lines overflowed its 72 pt).
    @Test func longAddressFitsTheWindow() throws {
        let rendered = try DocTest.render(.ccmNotice, DocTest.complete())
        #expect(
            DocTest.windowLines(rendered.document) == [
                "Victor Amadi", "MassHealth Community Case Management", "100 Hancock Street, 6th Floor",
                "Quincy, MA 02171",
            ]
        )
        #expect(rendered.report.warnings.isEmpty, "\(rendered.report.warnings)")
    }
}

/// Letters: the #10 window holds the recipient's name and address and nothing else.
@Suite struct WindowAddressTests {
    static let letterKinds: [DocumentKind] = [.enrollmentLetter, .terminationLetter, .carePlan, .aftercarePlan]

    @Test(arguments: letterKinds, Example.allCases)
    func windowHoldsOnlyNameAndAddress(_ kind: DocumentKind, _ example: Example) throws {
        let record = try example.record()
        guard Requirements.check(kind, record).isEmpty else { return }  // refused: DocumentKindsTests
        let doc = try DocTest.document(kind, record)
        let frame = try #require(DocTest.windowFrame(doc))
        let lines = try #require(DocTest.windowLines(doc))
        guard case .guardian(let g) = record.letterRecipient, let a = g.contact?.address else {
            Issue.record("the examples mail to a guardian with an address")
            return
        }
        #expect(lines == [g.name, a.line1] + [a.line2].compactMap { $0 } + ["\(a.city), \(a.state) \(a.postalCode)"])
        let joined = lines.joined(separator: " ")
        for leak in [record.member.id, "CARES", "MassHealth", record.member.firstName]
            + (record.emergency?.diagnoses ?? []) + (record.healthSummary?.conditions ?? [])
        {
            #expect(!joined.contains(leak), "\(leak) in the window")
        }
        #expect(
            frame.x >= 60 && frame.x <= 80 && frame.y >= 130 && frame.y <= 160,
            "#10 window position: \(frame.x), \(frame.y)"
        )
    }

    @Test(arguments: [SupportedLanguage.arabic, .khmer, .traditionalChinese])
    func windowAddressIsTheSameInEveryLanguage(_ language: SupportedLanguage) throws {
        let record = try DocTest.rivera()
        let lines = DocTest.windowLines(try DocTest.document(.enrollmentLetter, record, language))
        #expect(lines == ["Lucía Ortiz Peña", "41 Pawtucket Blvd", "Apt 3B", "Lowell, MA 01854"])
    }
}

/// Large print: body at least 18 pt for every kind, layout still sound (no warnings).
@Suite struct LargePrintTests {
    /// Every kind of the large-print record (`member.accessibility.largePrint`), and of Rivera
    /// with the `largePrint` option.
    @Test(arguments: DocumentKind.allCases, [false, true])
    func everyKindAtLeast18Points(_ kind: DocumentKind, _ byOption: Bool) throws {
        let record = byOption ? try DocTest.rivera() : try DocTest.largePrint()
        let target = kind == .terminationLetter || kind == .aftercarePlan ? try DocTest.largePrint() : record
        let doc = try DocTest.document(kind, target, largePrint: byOption)
        #expect(doc.baseStyle.size >= 18, "\(kind.rawValue): \(doc.baseStyle.size) pt")
        let rendered = try DocTest.render(doc)
        #expect(rendered.report.warnings.isEmpty, "\(kind.rawValue): \(rendered.report.warnings)")
        #expect(rendered.report.missingCharacters.isEmpty)
        // The window address stays at mailing size.
        if let frame = DocTest.windowFrame(doc) { #expect(frame.baseSize == nil || frame.baseSize! <= 12) }
    }

    @Test(arguments: DocumentKind.allCases)
    func regularPrintIsNotLarge(_ kind: DocumentKind) throws {
        let record = try DocTest.complete()
        #expect(try DocTest.document(kind, record).baseStyle.size < 18)
    }
}
