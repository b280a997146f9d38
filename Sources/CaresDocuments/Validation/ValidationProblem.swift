/// One thing wrong with a care record: where, and what, in plain English.
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// JSON path of the value: `member.dateOfBirth`, `careTeam[2].contact.email`,
    /// `guardians[0].relationship`. For a missing field, the path it should have; for the
    /// record as a whole (empty input, not JSON, not UTF-8), the empty string.
    public let path: String
    /// What is wrong and, where it helps, how to fix it.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `path: problem`, or `record: problem` for the record as a whole.
    public var description: String {
        "\(path.isEmpty ? "record" : path): \(problem)"
    }
}
