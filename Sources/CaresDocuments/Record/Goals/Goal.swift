/// A goal of the care plan with its action steps (`$defs/goal`).
public struct Goal: Codable, Sendable, Hashable {
    /// Unique within `goals`.
    public var id: String
    public var domain: GoalDomain
    public var term: GoalTerm
    public var description: String
    public var targetDate: CalendarDate?
    public var status: GoalStatus?
    public var barriers: String?
    public var actions: [GoalAction]?

    public init(
        id: String,
        domain: GoalDomain,
        term: GoalTerm,
        description: String,
        targetDate: CalendarDate? = nil,
        status: GoalStatus? = nil,
        barriers: String? = nil,
        actions: [GoalAction]? = nil
    ) {
        self.id = id
        self.domain = domain
        self.term = term
        self.description = description
        self.targetDate = targetDate
        self.status = status
        self.barriers = barriers
        self.actions = actions
    }
}
