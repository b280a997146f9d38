/// An upcoming medical or social service transition (`$defs/transition`).
public struct Transition: Codable, Sendable, Hashable {
    public var kind: TransitionKind?
    public var description: String
    public var expectedDate: CalendarDate?
    public var continuityStrategies: String?

    public init(
        kind: TransitionKind? = nil,
        description: String,
        expectedDate: CalendarDate? = nil,
        continuityStrategies: String? = nil
    ) {
        self.kind = kind
        self.description = description
        self.expectedDate = expectedDate
        self.continuityStrategies = continuityStrategies
    }
}
