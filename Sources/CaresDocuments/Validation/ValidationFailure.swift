/// A care record that breaks its input contract, with every problem found, in document order.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Never empty.
    public let problems: [ValidationProblem]

    public init(problems: [ValidationProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
