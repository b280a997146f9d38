import Foundation
import Testing

@testable import CaresDocuments

/// Messages never echo unbounded input: at most `Quote.limit` characters of any value.
@Suite struct LongValueTests {
    private static let huge = String(repeating: "x", count: 3 * 1024 * 1024)

    private func record(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var root =
            try JSONSerialization.jsonObject(with: Fixtures.example("rivera-enrollment.json")) as! [String: Any]
        edit(&root)
        return try JSONSerialization.data(withJSONObject: root)
    }

    private func expectShortProblems(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) {
        let problems = CareRecordLoader.validate(data: data)
        #expect(!problems.isEmpty, "the record was accepted", sourceLocation: sourceLocation)
        for problem in problems {
            // A path, a sentence and a value of at most 80 characters: far below a kilobyte.
            #expect(
                problem.path.count < 300,
                "path of \(problem.path.count) characters",
                sourceLocation: sourceLocation
            )
            #expect(
                problem.problem.count < 1_000,
                "problem of \(problem.problem.count) characters at \(problem.path.prefix(100))",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test func aHugeCareTeamIdIsQuotedShort() throws {
        expectShortProblems(
            try record { root in
                var team = root["careTeam"] as! [[String: Any]]
                team[0]["id"] = Self.huge
                root["careTeam"] = team
            }
        )
    }

    @Test func aHugeReferenceIsQuotedShort() throws {
        expectShortProblems(
            try record { root in
                var enrollment = root["enrollment"] as! [String: Any]
                enrollment["designatedCareManagerId"] = Self.huge
                root["enrollment"] = enrollment
            }
        )
    }

    @Test func aHugeFieldNameIsQuotedShort() throws {
        expectShortProblems(
            try record { root in
                var member = root["member"] as! [String: Any]
                member[Self.huge] = 1
                root["member"] = member
            }
        )
    }

    @Test func aHugeEnumValueIsQuotedShort() throws {
        expectShortProblems(
            try record { root in
                var member = root["member"] as! [String: Any]
                member["primaryLanguage"] = Self.huge
                root["member"] = member
            }
        )
    }

    @Test func quoteCutsAndShowsInvisibleCharacters() {
        #expect(Quote.value("abc") == "'abc'")
        #expect(Quote.value(String(repeating: "a", count: 81)) == "'" + String(repeating: "a", count: 80) + "…'")
        #expect(Quote.value("a\u{202E}b") == "'a<U+202E>b'")
        #expect(Quote.list((1...15).map(String.init)) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 3 more")
        #expect(DocumentFailure.unknownKind(Self.huge).description.count < 300)
        #expect(DocumentFailure.unsupportedLanguage(Self.huge).description.count < 300)
    }
}
