import Foundation
import Testing

@testable import CaresDocuments

/// The shared examples (`shared/examples/*.json`) are the contract's reference records.
@Suite struct ExampleRecordTests {
    @Test(arguments: Fixtures.exampleNames)
    func exampleValidatesWithoutProblems(_ name: String) throws {
        #expect(CareRecordLoader.validate(data: try Fixtures.example(name)) == [])
    }

    @Test func riveraEnrollmentDecodes() throws {
        let record = try Fixtures.load(Fixtures.example("rivera-enrollment.json"))
        #expect(record.recordId == "CR-2026-000117")
        #expect(record.provider?.address?.line2 == "Suite 4")
        #expect(record.member.firstName == "Mateo")
        #expect(record.member.preferredName == "Teo")
        #expect(record.member.dateOfBirth == CalendarDate(year: 2014, month: 3, day: 9))
        #expect(record.member.enrolledInCCM == true)
        #expect(record.guardians?.first?.relationship == .mother)
        #expect(record.guardians?.first?.contact?.email == "lucia.ortiz@example.com")
        #expect(record.enrollment?.effectiveDate?.description == "2026-11-01")
        #expect(
            record.careTeam?.map(\.role) == [
                .seniorCareManager, .careCoordinator, .pcp, .specialist, .school, .ccmClinicalManager,
            ]
        )
        #expect(record.teamMember(withId: record.enrollment?.designatedCareManagerId ?? "")?.name == "Sarah Kim")
        #expect(record.currentServices?.last?.providerId == "t4")
        let goals = try #require(record.goals)
        #expect(goals.map(\.domain) == [.clinical, .functional, .aspirational])
        #expect(goals[1].status == .notStarted)
        #expect(goals[1].actions?.last?.isFamilyResponsible == true)
        #expect(goals[2].actions == nil)
        #expect(record.socialNeeds?.map(\.status) == [.referred, .inPlace, .inPlace])
        #expect(record.transitions?.first?.kind == .school)
        #expect(record.emergency?.allergies?.map(\.severity) == [.severe, .moderate])
        #expect(record.emergency?.noKnownAllergies == nil)
        #expect(record.emergency?.medications?.count == 3)
        #expect(record.carePlanApproval?.method == .verbal)
        #expect(record.removal == nil)
    }

    @Test func haddadRemovalDecodes() throws {
        let record = try Fixtures.load(Fixtures.example("haddad-removal.json"))
        #expect(record.member.primaryLanguage == "ar")
        #expect(record.guardians?.first?.relationship == .father)
        #expect(record.emergency?.noKnownAllergies == true)
        #expect(record.emergency?.allergies == nil)
        let removal = try #require(record.removal)
        #expect(removal.date == CalendarDate("2026-11-15"))
        #expect(removal.reason == .goalsMetAndStable)
        #expect(
            removal.consent
                == RemovalConsent(
                    signedBy: "Youssef Haddad",
                    date: try #require(CalendarDate(year: 2026, month: 11, day: 5))
                )
        )
        #expect(removal.servicesInPlace?.compactMap(\.providerId) == ["c2", "c3"])
        #expect(removal.referrals?.first?.providerName == "Diabetes Foundation of Massachusetts")
        #expect(removal.ongoingTreatments?.count == 2)
    }
}
