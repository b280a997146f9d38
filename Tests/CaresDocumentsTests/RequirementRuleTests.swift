// Over 400 lines on purpose: one test per requirement rule of REQUIREMENTS.md (each removes one
// element and expects exactly its path and clause), kept together so a rule and its test sit side by side.

import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// One requirement rule of `Requirements*.swift`: take an element away from the complete record
/// and the document is refused with exactly these paths, each with a clause naming the section.
struct RequirementRule: Sendable, CustomTestStringConvertible {
    var kind: DocumentKind
    var name: String
    /// Every path the refusal lists, exactly.
    var paths: [String]
    /// The regulation section the clause of `paths[0]` names.
    var section: String
    /// Words of that clause (what is required).
    var what: String
    var mutate: @Sendable (inout CareRecord) -> Void

    var testDescription: String { "\(kind.rawValue): \(name)" }

    static let assignment = "Member Assignment Procedures"
    static let removalC = "Member Removal of Assignment Procedures, C"
    static let removalB = "Member Removal of Assignment Procedures, B: aftercare/transition plan"
    static let icp = "The Individual Care Plan (ICP)"
    static let icpEmergency = "The Individual Care Plan (ICP), 5. emergency plan"
    static let emergency = "The Individual Care Plan (ICP), item 5: emergency plan"

    // Indices in complete-all-kinds.json's care team.
    static let cm = 0, coordinator = 1, pcp = 2, specialist = 3, school = 4, ccm = 6

    static let all: [RequirementRule] = enrollment + termination + carePlan + emergencyPlan + aftercare + ccmNotice

    static let enrollment: [RequirementRule] = [
        .init(
            kind: .enrollmentLetter,
            name: "effective date",
            paths: ["enrollment.effectiveDate"],
            section: assignment,
            what: "enrollment effective date"
        ) { $0.enrollment?.effectiveDate = nil },
        .init(
            kind: .enrollmentLetter,
            name: "provider",
            paths: ["provider.name", "provider.onCallPhone"],
            section: assignment,
            what: "name of the CARES provider"
        ) { $0.provider = nil },
        .init(
            kind: .enrollmentLetter,
            name: "24/7 line",
            paths: ["provider.onCallPhone"],
            section: assignment,
            what: "24/7 phone line"
        ) { $0.provider?.onCallPhone = nil },
        .init(
            kind: .enrollmentLetter,
            name: "care manager's contact",
            paths: ["careTeam[0].contact"],
            section: assignment,
            what: "designated care manager's contact information"
        ) { $0.careTeam?[cm].contact = Contact(fax: "(978) 555-0301") },
        .init(
            kind: .enrollmentLetter,
            name: "care manager not on the team",
            paths: ["careTeam"],
            section: assignment,
            what: "no team member has id 'nobody'"
        ) { $0.enrollment?.designatedCareManagerId = "nobody" },
        .init(
            kind: .enrollmentLetter,
            name: "no designated care manager",
            paths: ["enrollment.designatedCareManagerId"],
            section: assignment,
            what: "designated care manager's name and contact information"
        ) { $0.enrollment?.designatedCareManagerId = nil },
        .init(
            kind: .enrollmentLetter,
            name: "guardian's mailing address",
            paths: ["guardians[0].contact.address"],
            section: assignment,
            what: "registered mail"
        ) { $0.guardians?[0].contact?.address = nil },
        .init(
            kind: .enrollmentLetter,
            name: "member's mailing address",
            paths: ["member.address"],
            section: assignment,
            what: "registered mail"
        ) {
            $0.guardians = nil
            $0.member.address = nil
        },
    ]

    static let termination: [RequirementRule] = [
        .init(
            kind: .terminationLetter,
            name: "removal",
            paths: ["removal.date", "removal.reason"],
            section: removalC,
            what: "effective termination date"
        ) { $0.removal = nil },
        .init(
            kind: .terminationLetter,
            name: "provider",
            paths: ["provider.name", "provider.phone"],
            section: removalC,
            what: "name of the CARES provider"
        ) { $0.provider = nil },
        .init(
            kind: .terminationLetter,
            name: "provider contact",
            paths: ["provider.phone"],
            section: removalC,
            what: "contact information for questions"
        ) {
            $0.provider?.phone = nil
            $0.provider?.email = nil
        },
        .init(
            kind: .terminationLetter,
            name: "reason 'other' without detail",
            paths: ["removal.reasonDetail"],
            section: removalC,
            what: "reason for the termination"
        ) {
            $0.removal?.reason = .other
            $0.removal?.reasonDetail = nil
        },
        .init(
            kind: .terminationLetter,
            name: "reason 'other' with blank detail",
            paths: ["removal.reasonDetail"],
            section: removalC,
            what: "say what it is"
        ) {
            $0.removal?.reason = .other
            $0.removal?.reasonDetail = " \n "
        },
        .init(
            kind: .terminationLetter,
            name: "mailing address",
            paths: ["guardians[0].contact.address"],
            section: removalC,
            what: "registered mail"
        ) { $0.guardians?[0].contact?.address = nil },
    ]

    static let carePlan: [RequirementRule] = [
        .init(
            kind: .carePlan,
            name: "provider",
            paths: ["provider.name"],
            section: icp,
            what: "name of the CARES provider"
        ) { $0.provider = nil },
        .init(
            kind: .carePlan,
            name: "team member's contact",
            paths: ["careTeam[4].contact"],
            section: icp,
            what: "1. name and contact information of each care team member"
        ) { $0.careTeam?[school].contact = nil },
        .init(kind: .carePlan, name: "no care manager", paths: ["careTeam"], section: icp, what: "care manager(s)") {
            $0.careTeam?[cm].role = .other
            $0.careTeam?[coordinator].role = .other
            $0.enrollment?.designatedCareManagerId = nil
        },
        .init(
            kind: .carePlan,
            name: "no care team",
            paths: ["careTeam", "careTeam", "goals[0].actions[0].responsibleId", "goals[1].actions[0].responsibleId"],
            section: icp,
            what: "1. name and contact information of the care manager(s)"
        ) { $0.careTeam = [] },
        .init(
            kind: .carePlan,
            name: "health summary",
            paths: ["healthSummary"],
            section: icp,
            what: "2. health summary"
        ) { $0.healthSummary = nil },
        .init(
            kind: .carePlan,
            name: "medical history",
            paths: ["healthSummary.medicalHistory"],
            section: icp,
            what: "medical history"
        ) { $0.healthSummary?.medicalHistory = nil },
        .init(
            kind: .carePlan,
            name: "behavioral history",
            paths: ["healthSummary.behavioralHistory"],
            section: icp,
            what: "behavioral history"
        ) { $0.healthSummary?.behavioralHistory = "  " },
        .init(
            kind: .carePlan,
            name: "personal circumstances",
            paths: ["healthSummary.personalCircumstances"],
            section: icp,
            what: "personal"
        ) { $0.healthSummary?.personalCircumstances = nil },
        .init(
            kind: .carePlan,
            name: "educational circumstances",
            paths: ["healthSummary.educationalCircumstances"],
            section: icp,
            what: "educational"
        ) { $0.healthSummary?.educationalCircumstances = "" },
        .init(
            kind: .carePlan,
            name: "social circumstances",
            paths: ["healthSummary.socialCircumstances"],
            section: icp,
            what: "social circumstances"
        ) { $0.healthSummary?.socialCircumstances = nil },
        .init(
            kind: .carePlan,
            name: "current services",
            paths: ["currentServices"],
            section: icp,
            what: "2.i current services"
        ) { $0.currentServices = nil },
        .init(kind: .carePlan, name: "goals absent", paths: ["goals"], section: icp, what: "2.ii") { $0.goals = nil },
        .init(kind: .carePlan, name: "goals empty", paths: ["goals"], section: icp, what: "2.ii") { $0.goals = [] },
        .init(
            kind: .carePlan,
            name: "action step of nobody",
            paths: ["goals[1].actions[0].responsibleId"],
            section: icp,
            what: "3. action steps with the responsible team member"
        ) {
            $0.goals?[1].actions?[0].responsibleId = "ghost"
        },
        .init(kind: .carePlan, name: "education", paths: ["education"], section: icp, what: "2.iii educational needs") {
            $0.education = nil
        },
        .init(
            kind: .carePlan,
            name: "social needs",
            paths: ["socialNeeds"],
            section: icp,
            what: "2.iv health-related social needs"
        ) { $0.socialNeeds = nil },
        .init(kind: .carePlan, name: "strengths", paths: ["strengths"], section: icp, what: "2.v strengths") {
            $0.strengths = nil
        },
        .init(
            kind: .carePlan,
            name: "transitions",
            paths: ["transitions"],
            section: icp,
            what: "4. upcoming medical and social service transitions"
        ) { $0.transitions = nil },
        .init(
            kind: .carePlan,
            name: "emergency plan",
            paths: ["emergency"],
            section: icpEmergency,
            what: "medications, needed accommodations, allergies"
        ) { $0.emergency = nil },
        .init(
            kind: .carePlan,
            name: "emergency medications",
            paths: ["emergency.medications"],
            section: icpEmergency,
            what: "medications"
        ) { $0.emergency?.medications = nil },
        .init(
            kind: .carePlan,
            name: "emergency allergies",
            paths: ["emergency.allergies"],
            section: icpEmergency,
            what: "noKnownAllergies"
        ) { $0.emergency?.allergies = [] },
        .init(
            kind: .carePlan,
            name: "approval",
            paths: ["carePlanApproval"],
            section: icp,
            what: "signed or otherwise approved"
        ) { $0.carePlanApproval = nil },
        .init(
            kind: .carePlan,
            name: "approval date",
            paths: ["carePlanApproval.date"],
            section: icp,
            what: "the date of the approval"
        ) {
            $0.carePlanApproval = Approval(method: .signature, approvedBy: "Marie Belizaire")
        },
        .init(
            kind: .carePlan,
            name: "who approved",
            paths: ["carePlanApproval.approvedBy"],
            section: icp,
            what: "who approved"
        ) {
            $0.carePlanApproval = Approval(method: .verbal, date: CalendarDate(year: 2026, month: 2, day: 4))
        },
    ]

    static let emergencyPlan: [RequirementRule] = [
        .init(
            kind: .emergencyPlan,
            name: "emergency",
            paths: ["emergency"],
            section: emergency,
            what: "medications, needed accommodations, allergies, providers"
        ) { $0.emergency = nil },
        .init(
            kind: .emergencyPlan,
            name: "medications",
            paths: ["emergency.medications"],
            section: emergency,
            what: "medications (an empty list states there are none)"
        ) { $0.emergency?.medications = nil },
        .init(
            kind: .emergencyPlan,
            name: "accommodations",
            paths: ["emergency.accommodations"],
            section: emergency,
            what: "needed accommodations"
        ) { $0.emergency?.accommodations = nil },
        .init(
            kind: .emergencyPlan,
            name: "allergies not stated",
            paths: ["emergency.allergies"],
            section: emergency,
            what: "never printed as 'none'"
        ) {
            $0.emergency?.allergies = []
            $0.emergency?.noKnownAllergies = nil
        },
        .init(
            kind: .emergencyPlan,
            name: "allergies contradict",
            paths: ["emergency.noKnownAllergies"],
            section: emergency,
            what: "allergies"
        ) { $0.emergency?.noKnownAllergies = true },
        .init(
            kind: .emergencyPlan,
            name: "no provider involved",
            paths: ["careTeam"],
            section: emergency,
            what: "providers most involved in care"
        ) {
            for i in $0.careTeam!.indices { $0.careTeam![i].involvedInEmergencyCare = false }
        },
        .init(
            kind: .emergencyPlan,
            name: "involved provider without phone",
            paths: ["careTeam[2].contact.phone"],
            section: emergency,
            what: "a phone for pcp1"
        ) {
            $0.careTeam?[pcp].contact = Contact(email: "hmarsh@example.org")
        },
    ]

    static let aftercare: [RequirementRule] = [
        .init(
            kind: .aftercarePlan,
            name: "provider",
            paths: ["provider.name"],
            section: removalB,
            what: "name of the CARES provider"
        ) { $0.provider = nil },
        .init(
            kind: .aftercarePlan,
            name: "removal",
            paths: ["removal"],
            section: removalB,
            what: "1. date and reason for the removal"
        ) { $0.removal = nil },
        .init(
            kind: .aftercarePlan,
            name: "reason 'other' without detail",
            paths: ["removal.reasonDetail"],
            section: removalB,
            what: "1. reason for the removal"
        ) {
            $0.removal?.reason = .other
            $0.removal?.reasonDetail = ""
        },
        .init(
            kind: .aftercarePlan,
            name: "consent",
            paths: ["removal.consent"],
            section: removalB,
            what: "1. the signed consent"
        ) { $0.removal?.consent = nil },
        .init(
            kind: .aftercarePlan,
            name: "recommendations",
            paths: ["removal.recommendations"],
            section: removalB,
            what: "2. summary of treatment/care recommendations"
        ) { $0.removal?.recommendations = "   " },
        .init(
            kind: .aftercarePlan,
            name: "ongoing strategies",
            paths: ["removal.ongoingStrategies"],
            section: removalB,
            what: "2. ongoing strategies"
        ) { $0.removal?.ongoingStrategies = nil },
        .init(
            kind: .aftercarePlan,
            name: "referrals",
            paths: ["removal.referrals"],
            section: removalB,
            what: "3. referrals"
        ) { $0.removal?.referrals = nil },
        .init(
            kind: .aftercarePlan,
            name: "service without provider",
            paths: ["removal.servicesInPlace[1].providerName"],
            section: removalB,
            what: "4. the provider arranged"
        ) {
            $0.removal?.servicesInPlace?.append(Service(name: "Respite care", providerName: " "))
        },
        .init(
            kind: .aftercarePlan,
            name: "services in place",
            paths: ["removal.servicesInPlace"],
            section: removalB,
            what: "4. services in place"
        ) { $0.removal?.servicesInPlace = nil },
        .init(
            kind: .aftercarePlan,
            name: "medications",
            paths: ["emergency.medications"],
            section: removalB,
            what: "5. prescribed medications, dosages and possible side effects"
        ) { $0.emergency?.medications = nil },
        .init(
            kind: .aftercarePlan,
            name: "ongoing treatments",
            paths: ["removal.ongoingTreatments"],
            section: removalB,
            what: "5. ongoing treatments including DME"
        ) { $0.removal?.ongoingTreatments = nil },
    ]

    static let ccmNotice: [RequirementRule] = [
        .init(
            kind: .ccmNotice,
            name: "not enrolled in CCM",
            paths: ["member.enrolledInCCM"],
            section: assignment,
            what: "CCM notice: sent only for a member enrolled in CCM"
        ) { $0.member.enrolledInCCM = false },
        .init(
            kind: .ccmNotice,
            name: "provider",
            paths: ["provider.name"],
            section: assignment,
            what: "name of the CARES provider"
        ) { $0.provider = nil },
        .init(
            kind: .ccmNotice,
            name: "effective date",
            paths: ["enrollment.effectiveDate"],
            section: assignment,
            what: "enrollment effective date"
        ) { $0.enrollment?.effectiveDate = nil },
        .init(
            kind: .ccmNotice,
            name: "no CCM clinical manager",
            paths: ["careTeam"],
            section: assignment,
            what: "addressed to the CCM clinical manager"
        ) { $0.careTeam?.remove(at: ccm) },
        .init(
            kind: .ccmNotice,
            name: "care manager's contact",
            paths: ["careTeam[0].contact"],
            section: assignment,
            what: "the care manager's contact information"
        ) { $0.careTeam?[cm].contact = nil },
        .init(
            kind: .ccmNotice,
            name: "care manager not on the team",
            paths: ["careTeam"],
            section: assignment,
            what: "no team member has id 'nobody'"
        ) { $0.enrollment?.designatedCareManagerId = "nobody" },
        .init(
            kind: .ccmNotice,
            name: "no designated care manager",
            paths: ["enrollment.designatedCareManagerId"],
            section: assignment,
            what: "the care manager's name and contact"
        ) { $0.enrollment?.designatedCareManagerId = nil },
    ]
}

@Suite struct RequirementRuleTests {
    @Test(arguments: DocumentKind.allCases)
    func completeRecordNeedsNothing(_ kind: DocumentKind) throws {
        let record = try DocTest.complete()
        #expect(Requirements.check(kind, record) == [])
    }

    @Test(arguments: RequirementRule.all)
    func missingElementIsRefusedWithPathAndClause(_ rule: RequirementRule) throws {
        var record = try DocTest.complete()
        rule.mutate(&record)
        let refusal = try #require(try DocTest.refusal(rule.kind, record))
        #expect(refusal.kind == rule.kind)
        #expect(refusal.problems.map(\.path).sorted() == rule.paths.sorted(), "\(refusal)")
        let problem = try #require(refusal.problems.first { $0.path == rule.paths[0] })
        #expect(
            problem.clause.hasPrefix(rule.section + " — "),
            "clause '\(problem.clause)' should start with '\(rule.section) — '"
        )
        #expect(problem.clause.contains(rule.what), "clause '\(problem.clause)' should say '\(rule.what)'")
        for p in refusal.problems {
            #expect(!p.problem.isEmpty && !p.clause.isEmpty)
            #expect(p.description.contains(p.path) && p.description.contains(p.clause))
        }
        // The refusal names each problem in its description (what the CLI prints).
        #expect(refusal.description.contains(rule.kind.rawValue))
    }

    /// Take several rules' elements away at once: every one is listed in one refusal.
    @Test(arguments: DocumentKind.allCases)
    func everyMissingElementIsListedAtOnce(_ kind: DocumentKind) throws {
        // Rules whose mutations do not hide one another (e.g. no care manager id hides the
        // care manager's missing contact).
        let together: [DocumentKind: [String]] = [
            .enrollmentLetter: ["effective date", "24/7 line", "care manager's contact", "guardian's mailing address"],
            .terminationLetter: ["provider contact", "reason 'other' without detail", "mailing address"],
            .carePlan: [
                "team member's contact", "medical history", "current services", "action step of nobody", "education",
                "social needs",
                "strengths", "transitions", "emergency medications", "emergency allergies", "who approved",
            ],
            .emergencyPlan: [
                "medications", "accommodations", "allergies not stated", "involved provider without phone",
            ],
            .aftercarePlan: [
                "reason 'other' without detail", "consent", "recommendations", "ongoing strategies", "referrals",
                "services in place",
                "medications", "ongoing treatments",
            ],
            .ccmNotice: ["not enrolled in CCM", "effective date", "no CCM clinical manager", "care manager's contact"],
        ]
        let names = together[kind] ?? []
        let rules = RequirementRule.all.filter { $0.kind == kind && names.contains($0.name) }
        #expect(rules.count == names.count, "\(kind.rawValue): unknown rule names")
        try #require(rules.count >= 2, "\(kind.rawValue): \(rules.map(\.name))")
        var record = try DocTest.complete()
        for r in rules { r.mutate(&record) }
        let refusal = try #require(try DocTest.refusal(kind, record))
        let paths = Set(refusal.problems.map(\.path))
        for r in rules {
            for p in r.paths {
                #expect(paths.contains(p), "\(kind.rawValue): \(r.name) (\(p)) not listed; got \(paths.sorted())")
            }
        }
        #expect(refusal.problems.count == rules.map(\.paths.count).reduce(0, +), "\(refusal)")
    }

    /// What the regulation allows: an empty list that states "none" is not refused.
    @Test func emptyListsThatStateNoneAreAccepted() throws {
        var record = try DocTest.complete()
        record.currentServices = []
        record.socialNeeds = []
        record.transitions = []
        record.education = Education()
        record.emergency?.medications = []
        record.emergency?.accommodations = []
        record.emergency?.allergies = []
        record.emergency?.noKnownAllergies = true
        record.removal?.referrals = []
        record.removal?.servicesInPlace = []
        record.removal?.ongoingTreatments = []
        for kind in DocumentKind.allCases {
            #expect(Requirements.check(kind, record) == [], "\(kind.rawValue)")
        }
        let icp = DocTest.normalized(try DocTest.render(.carePlan, record).text)
        for s in [
            "Your child has no other services right now.", "No school or learning needs are recorded.",
            "No needs for this kind of help are recorded.",
            "No transitions are planned right now.", "No medications are listed.", "No known allergies.", "None",
        ] {
            #expect(icp.contains(s), "\(s)")
        }
    }
}
