import Foundation
import Testing

@testable import CaresDocuments

/// Test inputs: the shared examples, the records in `Records/`, and small records built in code.
enum Fixtures {
    /// `shared/examples` beside the package (`../shared/examples` from the project folder), when
    /// this checkout has it.
    static let sharedExamplesDirectory = URL(filePath: #filePath)
        .deletingLastPathComponent()  // Support
        .appending(path: "../../../../shared/examples")
        .standardized

    static var sharedExamplesPresent: Bool {
        FileManager.default.fileExists(
            atPath: sharedExamplesDirectory.appending(path: "rivera-enrollment.json").path(percentEncoded: false)
        )
    }

    /// The project's copy of the shared examples (`Records/shared-examples/`): tests run on a
    /// clone without `../shared`; a test checks the copy is the shared one when both are there.
    static let examplesDirectory = URL(filePath: #filePath)
        .deletingLastPathComponent()  // Support
        .appending(path: "../Records/shared-examples")
        .standardized

    static let exampleNames = ["rivera-enrollment.json", "haddad-removal.json"]

    static func example(_ name: String) throws -> Data {
        try Data(contentsOf: examplesDirectory.appending(path: name))
    }

    static var recordsDirectory: URL {
        get throws {
            try #require(Bundle.module.url(forResource: "Records", withExtension: nil))
        }
    }

    static func record(_ name: String) throws -> Data {
        try Data(contentsOf: recordsDirectory.appending(path: name))
    }

    static func recordNames(matching predicate: (String) -> Bool) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: recordsDirectory.path(percentEncoded: false))
            .filter(predicate).sorted()
    }

    static let member = """
        {"id": "100000000009", "firstName": "Ana", "lastName": "Lima", "dateOfBirth": "2016-02-29", "primaryLanguage": "es"}
        """

    /// A record with `member` (valid by default) and further top-level fields written as JSON
    /// text, e.g. `#""careTeam": [ ... ]"#`.
    static func recordJSON(member: String = member, _ fields: String = "") -> String {
        "{\"schemaVersion\": 1, \"member\": \(member)\(fields.isEmpty ? "" : ", " + fields)}"
    }

    static func problems(json: String) -> [ValidationProblem] {
        CareRecordLoader.validate(data: Data(json.utf8))
    }

    static func problems(member: String = member, _ fields: String = "") -> [ValidationProblem] {
        problems(json: recordJSON(member: member, fields))
    }

    /// The decoded record, failing the test with the problems when it does not load.
    static func load(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> CareRecord {
        switch CareRecordLoader.load(data: data) {
        case .success(let record):
            return record
        case .failure(let failure):
            Issue.record("record did not load:\n\(failure)", sourceLocation: sourceLocation)
            throw failure
        }
    }
}
