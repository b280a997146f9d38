import Foundation
import Testing

@testable import CaresDocuments

/// Rules the schema cannot state: ids that must resolve to a care team member, and be unique.
@Suite struct ReferenceCheckTests {
    private let team =
        #""careTeam": [{"id": "t1", "name": "Sarah Kim", "role": "senior-care-manager"}, {"id": "t2", "name": "Dr. Lee", "role": "pcp"}]"#

    @Test func everyReferenceMustNameATeamMember() {
        let problems = Fixtures.problems(
            team + """
                , "enrollment": {"designatedCareManagerId": "t3"},
                "currentServices": [{"name": "PT", "providerId": "t2"}, {"name": "OT", "providerId": "T2"}],
                "goals": [{"id": "g1", "domain": "social", "term": "short", "description": "d",
                           "actions": [{"description": "a", "responsibleId": "t1"}, {"description": "b", "responsibleId": "family"},
                                       {"description": "c", "responsibleId": "mom"}]}],
                "removal": {"date": "2026-11-15", "reason": "aged-out",
                            "referrals": [{"name": "Adult care", "providerId": "x"}], "servicesInPlace": [{"name": "PCP", "providerId": "t2"}, {"name": "Dental", "providerId": "t9"}]}
                """
        )
        #expect(
            problems == [
                ValidationProblem(
                    path: "enrollment.designatedCareManagerId",
                    problem:
                        "refers to care team member 't3', but no careTeam entry has that id (careTeam ids: t1, t2); use a careTeam id"
                ),
                ValidationProblem(
                    path: "currentServices[1].providerId",
                    problem:
                        "refers to care team member 'T2', but no careTeam entry has that id (careTeam ids: t1, t2); use a careTeam id"
                ),
                ValidationProblem(
                    path: "goals[0].actions[2].responsibleId",
                    problem:
                        "refers to care team member 'mom', but no careTeam entry has that id (careTeam ids: t1, t2); use a careTeam id, or 'family' for the member and parent/guardian"
                ),
                ValidationProblem(
                    path: "removal.referrals[0].providerId",
                    problem:
                        "refers to care team member 'x', but no careTeam entry has that id (careTeam ids: t1, t2); use a careTeam id"
                ),
                ValidationProblem(
                    path: "removal.servicesInPlace[1].providerId",
                    problem:
                        "refers to care team member 't9', but no careTeam entry has that id (careTeam ids: t1, t2); use a careTeam id"
                ),
            ]
        )
    }

    @Test func referencesWithoutACareTeam() {
        #expect(
            Fixtures.problems(#""enrollment": {"designatedCareManagerId": "t1"}"#) == [
                ValidationProblem(
                    path: "enrollment.designatedCareManagerId",
                    problem: "refers to care team member 't1', but the record has no careTeam; use a careTeam id"
                )
            ]
        )
    }

    @Test func aMalformedCareTeamIsReportedOnceNotAsDanglingReferences() {
        #expect(
            Fixtures.problems(#""careTeam": {"id": "t1"}, "enrollment": {"designatedCareManagerId": "t1"}"#).map(\.path)
                == ["careTeam"]
        )
    }

    @Test func familyIsOnlyForGoalActions() {
        let problems = Fixtures.problems(team + #", "enrollment": {"designatedCareManagerId": "family"}"#)
        #expect(problems.map(\.path) == ["enrollment.designatedCareManagerId"])
    }

    @Test func duplicateIds() {
        let problems = Fixtures.problems(
            """
            "careTeam": [{"id": "a", "name": "A", "role": "pcp"}, {"id": "b", "name": "B", "role": "pcp"}, {"id": "a", "name": "C", "role": "pcp"}, {"id": "a", "name": "D", "role": "pcp"}],
            "goals": [{"id": "g", "domain": "social", "term": "short", "description": "1"}, {"id": "g", "domain": "social", "term": "long", "description": "2"}]
            """
        )
        #expect(
            problems == [
                ValidationProblem(
                    path: "careTeam[2].id",
                    problem: "id 'a' is already used by careTeam[0]: each care team member needs its own id"
                ),
                ValidationProblem(
                    path: "careTeam[3].id",
                    problem: "id 'a' is already used by careTeam[0]: each care team member needs its own id"
                ),
                ValidationProblem(
                    path: "goals[1].id",
                    problem: "id 'g' is already used by goals[0]: each goal needs its own id"
                ),
            ]
        )
    }

    @Test func noKnownAllergiesContradictedByAList() {
        #expect(Fixtures.problems(#""emergency": {"noKnownAllergies": true, "allergies": []}"#) == [])
        #expect(
            Fixtures.problems(#""emergency": {"noKnownAllergies": false, "allergies": [{"substance": "Latex"}]}"#) == []
        )
        #expect(
            Fixtures.problems(
                #""emergency": {"noKnownAllergies": true, "allergies": [{"substance": "Latex"}, {"substance": "Eggs"}]}"#
            ) == [
                ValidationProblem(
                    path: "emergency.noKnownAllergies",
                    problem: "is true, but emergency.allergies lists 2 allergies: the emergency plan cannot say both"
                )
            ]
        )
    }

    @Test func theLongRecordResolvesAllItsReferences() throws {
        let record = try Fixtures.load(Fixtures.record("long.json"))
        #expect(record.careTeam?.count == 100)
        #expect(record.goals?.count == 200)
        #expect(record.currentServices?.count == 200)
        #expect(record.guardians?.count == 10)
        let ids = Set(record.careTeam?.map(\.id) ?? [])
        for action in record.goals?.flatMap({ $0.actions ?? [] }) ?? [] {
            #expect(action.isFamilyResponsible || ids.contains(action.responsibleId))
        }
    }
}
