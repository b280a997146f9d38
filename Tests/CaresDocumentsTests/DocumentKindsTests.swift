import Foundation
import Templating
import Testing
import Typesetting

@testable import CaresDocuments

/// The records every kind is tried with.
enum Example: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case rivera, haddad, complete

    func record() throws -> CareRecord {
        switch self {
        case .rivera: try DocTest.rivera()
        case .haddad: try DocTest.haddad()
        case .complete: try DocTest.complete()
        }
    }

    var testDescription: String { rawValue }
}

struct KindCase: Sendable, CustomTestStringConvertible {
    var kind: DocumentKind
    var example: Example
    var testDescription: String { "\(kind.rawValue) of \(example.rawValue)" }

    static let all: [KindCase] = DocumentKind.allCases.flatMap { k in
        Example.allCases.map { KindCase(kind: k, example: $0) }
    }

    /// What the regulation refuses for this record: every path (exactly) and the section the
    /// clauses name. `nil`: the record holds what the kind needs.
    var expectedRefusal: (paths: Set<String>, section: String)? {
        switch (example, kind) {
        case (.rivera, .terminationLetter):
            (["removal.date", "removal.reason"], "Member Removal of Assignment Procedures, C")
        case (.rivera, .aftercarePlan): (["removal"], "Member Removal of Assignment Procedures, B")
        case (.haddad, .carePlan):
            (
                [
                    "healthSummary", "currentServices", "goals", "education", "socialNeeds", "strengths", "transitions",
                    "carePlanApproval",
                ], "The Individual Care Plan (ICP)"
            )
        case (.haddad, .ccmNotice): (["member.enrolledInCCM", "careTeam"], "Member Assignment Procedures")
        default: nil
        }
    }
}

/// What a rendered document must show, by kind: data from the record (checked in every
/// language), dates (in the locale's format) and catalog sentences (in the locale's words).
struct RequiredElements {
    var data: [String] = []
    var dates: [CalendarDate] = []
    var sentences: [String] = []

    init(_ kind: DocumentKind, _ r: CareRecord) {
        let memberName = "\(r.member.firstName) \(r.member.lastName)"
        let provider = r.provider
        let team = r.careTeam ?? []
        let manager = r.enrollment?.designatedCareManagerId.flatMap { r.teamMember(withId: $0) }
        let e = r.emergency
        func phone(_ c: Contact?) -> [String] { c?.phone.map { [DocTest.phoneDigits($0)] } ?? [] }
        func recipient() -> [String] {
            switch r.letterRecipient {
            case .guardian(let g):
                [g.name] + (g.contact?.address.map { [$0.line1, "\($0.city), \($0.state) \($0.postalCode)"] } ?? [])
            case .member(let m): [memberName] + (m.address.map { [$0.line1] } ?? [])
            }
        }
        let letter = kind != .emergencyPlan
        if letter { dates.append(DocTest.letterDate) }
        data += [memberName, r.member.id, provider?.name ?? ""]
        switch kind {
        case .enrollmentLetter:
            data +=
                recipient() + [manager?.name ?? ""] + phone(manager?.contact) + [
                    DocTest.phoneDigits(provider!.onCallPhone!), "CARES for Kids",
                ]
            dates.append(r.enrollment!.effectiveDate!)
            sentences = [
                "enrollment.benefitsReminder", "enrollment.service.coordination", "enrollment.intro",
                "enrollment.nextSteps",
            ]
        case .terminationLetter:
            let rm = r.removal!
            data += recipient() + phone(Contact(phone: provider?.phone)) + [provider?.email].compactMap { $0 }
            if let d = rm.reasonDetail { data.append(d) }
            dates.append(rm.date)
            sentences = [
                "termination.benefitsReminder", "termination.reason.\(rm.reason.rawValue)", "termination.intro",
            ]
        case .carePlan:
            data += recipient()
            for m in team {
                data.append(m.name)
                data += phone(m.contact)
                if m.contact?.phone == nil, let em = m.contact?.email {
                    data.append(String(em.prefix { $0 != "@" }) + "@")
                }
            }
            for g in r.goals ?? [] {
                data.append(g.description)
                data += (g.actions ?? []).map(\.description)
            }
            data += [r.healthSummary!.medicalHistory!, r.healthSummary!.socialCircumstances!]
            data += (r.transitions ?? []).map(\.description) + (r.socialNeeds ?? []).map(\.support)
            data +=
                (e?.medications ?? []).map(\.name) + (e?.allergies ?? []).map(\.substance) + (e?.accommodations ?? [])
            data += [provider?.appealInstructions, provider?.ombudsman].compactMap { $0 }
            data.append(DocTest.phoneDigits(provider!.onCallPhone!))
            dates += [r.member.dateOfBirth] + [r.enrollment?.referralDate].compactMap { $0 }
            sentences = [
                "icp.intro", "icp.part1.intro", "icp.appeal.default", "icp.ombudsman.default",
                "emergency.allergiesTitle",
            ]
            switch r.carePlanApproval!.method {
            case .pending: sentences += ["approval.method.pending", "icp.sign.guardian"]
            case .verbal: sentences += ["approval.method.verbal"]
            case .signature: sentences += ["approval.method.signature"]
            case .electronicSignature: sentences += ["approval.method.electronic-signature"]
            }
        case .emergencyPlan:
            data +=
                (e?.diagnoses ?? []) + (e?.medications ?? []).map(\.name) + (e?.allergies ?? []).map(\.substance)
                + (e?.accommodations ?? []) + (e?.devices ?? [])
            for m in team where m.involvedInEmergencyCare == true {
                data.append(m.name)
                data += phone(m.contact)
            }
            for c in e?.emergencyContacts ?? [] { data += [c.name, DocTest.phoneDigits(c.phone)] }
            data.append(DocTest.phoneDigits(provider!.onCallPhone!))
            dates += [r.member.dateOfBirth] + [e?.lastReviewed].compactMap { $0 }
            sentences = ["emergency.subtitle", "emergency.allergiesTitle", "emergency.providersTitle"]
            if e?.noKnownAllergies == true { sentences.append("emergency.noKnownAllergies") }
        case .aftercarePlan:
            let rm = r.removal!
            data += recipient() + [rm.consent!.signedBy, rm.recommendations!, rm.ongoingStrategies!]
            data +=
                (rm.referrals ?? []).map(\.name) + (rm.servicesInPlace ?? []).map(\.name) + (rm.ongoingTreatments ?? [])
            data += (rm.servicesInPlace ?? []).compactMap { s in
                s.providerId.flatMap { r.teamMember(withId: $0)?.name } ?? s.providerName
            }
            data += (e?.medications ?? []).flatMap { [$0.name] + [$0.dose, $0.sideEffects].compactMap { $0 } }
            data += phone(Contact(phone: provider?.phone))
            dates += [rm.date, rm.consent!.date]
            sentences = ["aftercare.intro", "aftercare.part2", "aftercare.part5", "med.sideEffects"]
        case .ccmNotice:
            let ccm = team.first { $0.role == .ccmClinicalManager }!
            data += [ccm.name, manager!.name] + phone(manager?.contact)
            dates.append(r.enrollment!.effectiveDate!)
            sentences = ["ccm.intro", "ccm.coordinate"]
        }
        data = data.filter { !$0.isEmpty }
    }
}

/// Each kind × each example × each locale: rendered and read back with pdftotext, or refused
/// with exactly the missing paths when the record lacks what the kind needs.
@Suite struct DocumentKindsTests {
    @Test(arguments: KindCase.all, SupportedLanguage.allCases)
    func requiredElementsInEveryLanguage(_ c: KindCase, _ language: SupportedLanguage) throws {
        let record = try c.example.record()
        let tag = "\(c.testDescription) in \(language.tag)"
        if let expected = c.expectedRefusal {
            do {
                _ = try DocTest.document(c.kind, record, language)
                Issue.record("\(tag): rendered, but the record lacks \(expected.paths.sorted())")
            } catch let refusal as DocumentRefusal {
                #expect(refusal.kind == c.kind)
                #expect(Set(refusal.problems.map(\.path)) == expected.paths, "\(tag): \(refusal)")
                #expect(refusal.problems.count == expected.paths.count, "\(tag): a path listed twice: \(refusal)")
                for p in refusal.problems {
                    #expect(
                        p.clause.contains(expected.section),
                        "\(tag): \(p.path): clause '\(p.clause)' does not name \(expected.section)"
                    )
                    #expect(!p.problem.isEmpty)
                }
            }
            return
        }

        let rendered = try DocTest.render(c.kind, record, language)
        let catalog = try DocTest.catalog(language)
        let text = rendered.text
        let flat = DocTest.normalized(text)
        #expect(rendered.document.language == language.tag, "\(tag)")
        #expect(rendered.report.missingCharacters.isEmpty, "\(tag): \(rendered.report.missingCharacters)")
        #expect(rendered.report.pages >= 1)

        let required = RequiredElements(c.kind, record)
        for needle in required.data {
            #expect(DocTest.containsData(text, needle), "\(tag): missing '\(needle)'")
        }
        for d in required.dates {
            #expect(
                text.contains(catalog.months[d.month - 1]),
                "\(tag): month name '\(catalog.months[d.month - 1])' of \(d)"
            )
            #expect(text.contains(String(d.year)), "\(tag): year of \(d)")
            if !DocTest.extractionReorders(language) {
                let formatted = DocTest.normalized(catalog.format(year: d.year, month: d.month, day: d.day))
                #expect(flat.contains(formatted), "\(tag): date '\(formatted)' not found")
            }
        }
        if !DocTest.extractionReorders(language) {
            for key in required.sentences {
                let words = DocTest.words(of: try catalog.text(key))
                #expect(!words.isEmpty, "\(tag): \(key) has no literal words")
                #expect(flat.contains(words), "\(tag): '\(words)' (\(key)) not found")
            }
        }
        #expect(!text.contains("{") && !text.contains("}"), "\(tag): an unfilled placeholder")
        #expect(DocTest.leakedNulls(text).isEmpty, "\(tag): \(DocTest.leakedNulls(text))")
        #expect(!text.contains("\u{2066}") && !text.contains("\u{2069}"), "\(tag): bidi isolates leaked into the text")
        #expect(
            rendered.document.metadata.keywords.contains { $0.contains("translation: \(catalog.status.rawValue)") },
            "\(tag): keywords \(rendered.document.metadata.keywords)"
        )
        #expect(rendered.document.metadata.keywords.contains { $0.contains("language: \(language.tag)") }, "\(tag)")
    }

    /// The translation status is in the PDF's own metadata, not only in the document tree.
    @Test(arguments: [SupportedLanguage.english, .spanish, .arabic, .khmer, .traditionalChinese])
    func translationStatusIsInThePDFKeywords(_ language: SupportedLanguage) throws {
        let rendered = try DocTest.render(.carePlan, DocTest.rivera(), language)
        let url = DocTest.temporaryFile("info.pdf")
        try rendered.pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let info = try DocTest.run("/usr/bin/pdfinfo", ["-enc", "UTF-8", url.path(percentEncoded: false)])
        let status = try DocTest.catalog(language).status.rawValue
        #expect(info.stdout.contains("translation: \(status)"), "\(info.stdout)")
    }
}
