import Foundation
import Testing

@testable import CaresDocuments

/// Every record in `Records/`: the valid ones load; each `invalid-*.json` reports exactly the
/// problems its `invalid-*.expected` lists, in that order.
@Suite struct RecordFileTests {
    static let validNames = (try? Fixtures.recordNames { $0.hasSuffix(".json") && !$0.hasPrefix("invalid-") }) ?? []
    static let invalidNames = (try? Fixtures.recordNames { $0.hasPrefix("invalid-") && $0.hasSuffix(".json") }) ?? []

    @Test func theRecordsFolderHoldsBothKinds() {
        #expect(Self.validNames.count >= 5)
        #expect(Self.invalidNames.count >= 15)
    }

    @Test(arguments: validNames)
    func validRecordLoads(_ name: String) throws {
        let record = try Fixtures.load(Fixtures.record(name))
        #expect([1, 2].contains(record.schemaVersion))
    }

    @Test(arguments: invalidNames)
    func invalidRecordReportsItsExpectedProblems(_ name: String) throws {
        let expected = try expectations(for: name)
        let problems = CareRecordLoader.validate(data: try Fixtures.record(name))
        #expect(
            problems.map(\.path) == expected.map(\.path),
            "\(name):\n\(problems.map(\.description).joined(separator: "\n"))"
        )
        for (problem, expectation) in zip(problems, expected) {
            #expect(
                problem.problem.contains(expectation.fragment),
                "\(name): \(problem) should say “\(expectation.fragment)”"
            )
        }
        guard case .failure(let failure) = CareRecordLoader.load(data: try Fixtures.record(name)) else {
            Issue.record("\(name) loaded")
            return
        }
        #expect(failure.problems == problems)
    }

    /// `invalid-x.expected`: one `path | words the problem must contain` per line; `#` starts
    /// a comment; an empty path is the record as a whole.
    private func expectations(for name: String) throws -> [(path: String, fragment: String)] {
        let file = try Fixtures.recordsDirectory.appending(
            path: name.replacingOccurrences(of: ".json", with: ".expected")
        )
        return try String(contentsOf: file, encoding: .utf8)
            .split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { line in
                let parts = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                let path = parts[0].trimmingCharacters(in: .whitespaces)
                let fragment = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                return (path, fragment)
            }
    }
}
