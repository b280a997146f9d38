/// Whether a goal is short- or long-term (`goal.term`).
public enum GoalTerm: String, Codable, Sendable, CaseIterable {
    case short
    case long
}
