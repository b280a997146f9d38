/// A goal of the care plan with its action steps (`$defs/goal`).
public struct Goal: Codable, Sendable, Hashable {
    /// Unique within `goals`.
    public var id: String
    public var domain: GoalDomain
    public var term: GoalTerm
    public var descriptionText: LocalizedText
    public var targetDate: CalendarDate?
    public var status: GoalStatus?
    public var barriersText: LocalizedText?
    public var actions: [GoalAction]?

    /// `descriptionText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var description: String {
        get { descriptionText.anyText }
        set { descriptionText = .plain(newValue) }
    }
    /// `barriersText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var barriers: String? {
        get { barriersText.anyText }
        set { barriersText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case domain
        case term
        case descriptionText = "description"
        case targetDate
        case status
        case barriersText = "barriers"
        case actions
    }

    public init(
        id: String,
        domain: GoalDomain,
        term: GoalTerm,
        description: LocalizedText,
        targetDate: CalendarDate? = nil,
        status: GoalStatus? = nil,
        barriers: LocalizedText? = nil,
        actions: [GoalAction]? = nil
    ) {
        self.id = id
        self.domain = domain
        self.term = term
        self.descriptionText = description
        self.targetDate = targetDate
        self.status = status
        self.barriersText = barriers
        self.actions = actions
    }
}
