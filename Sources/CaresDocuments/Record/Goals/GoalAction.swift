/// An action step toward a goal, with who is responsible (`goal.actions[]`).
public struct GoalAction: Codable, Sendable, Hashable {
    /// The `responsibleId` that means the member and parent/guardian rather than a team member.
    public static let familyResponsibleId = "family"

    public var description: String
    /// `careTeam[].id`, or `"family"` (`GoalAction.familyResponsibleId`).
    public var responsibleId: String
    public var dueDate: CalendarDate?
    /// Related accessibility requirements.
    public var accessibility: String?

    /// Whether the member and parent/guardian, not a team member, are responsible.
    public var isFamilyResponsible: Bool { responsibleId == GoalAction.familyResponsibleId }

    public init(
        description: String,
        responsibleId: String,
        dueDate: CalendarDate? = nil,
        accessibility: String? = nil
    ) {
        self.description = description
        self.responsibleId = responsibleId
        self.dueDate = dueDate
        self.accessibility = accessibility
    }
}
