/// Required content missing from a record for a document: where, what, and which clause of the
/// regulation requires it.
public struct RequirementProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var clause: String

    public init(path: String, problem: String, clause: String) {
        self.path = path
        self.problem = problem
        self.clause = clause
    }

    public var description: String { "\(path): \(problem) (\(clause))" }
}

/// A document refused because the record lacks what it must hold; lists every missing element.
public struct DocumentRefusal: Error, Sendable, CustomStringConvertible {
    public var kind: DocumentKind
    public var problems: [RequirementProblem]
    public var description: String {
        "\(kind.rawValue) refused:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
