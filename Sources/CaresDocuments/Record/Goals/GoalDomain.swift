/// The area a goal belongs to (`goal.domain`).
public enum GoalDomain: String, Codable, Sendable, CaseIterable {
    case clinical
    case functional
    case developmental
    case social
    case educational
    case aspirational
}
