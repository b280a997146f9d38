import Foundation
import Testing

@testable import CaresDocuments

/// All problems come back at once, sorted as the record reads.
@Suite struct ManyProblemsTests {
    @Test func everyProblemIsReportedInOnePass() throws {
        let team = (0..<100).map { index in
            #"{"id": "t\#(index)", "name": "Member \#(index)", "role": "nurse-\#(index)", "contact": {"email": "nobody"}}"#
        }
        let goals = (0..<200).map { index in
            #"{"id": "g\#(index)", "domain": "clinical", "term": "short", "description": "d", "targetDate": "2025-02-29", "actions": [{"description": "a", "responsibleId": "nobody"}]}"#
        }
        let problems = Fixtures.problems(
            "\"careTeam\": [\(team.joined(separator: ","))], \"goals\": [\(goals.joined(separator: ","))]"
        )
        try #require(problems.count == 100 * 2 + 200 * 2, "\(problems.prefix(3))")
        #expect(problems[0].path == "careTeam[0].role")
        #expect(problems[1].path == "careTeam[0].contact.email")
        #expect(problems.last?.path == "goals[199].actions[0].responsibleId")
        #expect(problems.filter { $0.problem.contains("is not a real date") }.count == 200)
    }

    @Test func problemsFollowDocumentOrderNotSchemaOrder() {
        // The record writes careTeam before member, and the bad date before the empty name.
        let json = """
            {"careTeam": [{"id": "t1", "name": "", "role": "pcp"}],
             "member": {"dateOfBirth": "2025-02-29", "id": "1", "firstName": "", "lastName": "L", "primaryLanguage": "xx"},
             "schemaVersion": 1, "enrollment": {"designatedCareManagerId": "t2"}}
            """
        #expect(
            Fixtures.problems(json: json).map(\.path) == [
                "careTeam[0].name", "member.dateOfBirth", "member.firstName", "member.primaryLanguage",
                "enrollment.designatedCareManagerId",
            ]
        )
    }

    @Test func theFailureListsEveryProblemOnItsOwnLine() throws {
        guard
            case .failure(let failure) = CareRecordLoader.load(data: try Fixtures.record("invalid-many-problems.json"))
        else {
            Issue.record("the record loaded")
            return
        }
        #expect(failure.problems.count == 34)
        #expect(failure.description.split(separator: "\n").count == 34)
        #expect(failure.description.hasPrefix("recordId: must not be empty\nprovider.phone: is too short"))
    }
}
