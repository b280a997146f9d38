/// An action step toward a goal, with who is responsible (`goal.actions[]`).
public struct GoalAction: Codable, Sendable, Hashable {
    /// The `responsibleId` that means the member and parent/guardian rather than a team member.
    public static let familyResponsibleId = "family"

    public var descriptionText: LocalizedText
    /// `careTeam[].id`, or `"family"` (`GoalAction.familyResponsibleId`).
    public var responsibleId: String
    public var dueDate: CalendarDate?
    /// Related accessibility requirements.
    public var accessibilityText: LocalizedText?

    /// Whether the member and parent/guardian, not a team member, are responsible.
    public var isFamilyResponsible: Bool { responsibleId == GoalAction.familyResponsibleId }

    /// `descriptionText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var description: String {
        get { descriptionText.anyText }
        set { descriptionText = .plain(newValue) }
    }
    /// `accessibilityText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var accessibility: String? {
        get { accessibilityText.anyText }
        set { accessibilityText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case descriptionText = "description"
        case responsibleId
        case dueDate
        case accessibilityText = "accessibility"
    }

    public init(
        description: LocalizedText,
        responsibleId: String,
        dueDate: CalendarDate? = nil,
        accessibility: LocalizedText? = nil
    ) {
        self.descriptionText = description
        self.responsibleId = responsibleId
        self.dueDate = dueDate
        self.accessibilityText = accessibility
    }
}
