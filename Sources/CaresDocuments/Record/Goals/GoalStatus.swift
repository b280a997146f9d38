/// Progress of a goal (`goal.status`).
public enum GoalStatus: String, Codable, Sendable, CaseIterable {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    case met
    case revised
    case discontinued
}
