/// An upcoming medical or social service transition (`$defs/transition`).
public struct Transition: Codable, Sendable, Hashable {
    public var kind: TransitionKind?
    public var descriptionText: LocalizedText
    public var expectedDate: CalendarDate?
    public var continuityStrategiesText: LocalizedText?

    /// `descriptionText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var description: String {
        get { descriptionText.anyText }
        set { descriptionText = .plain(newValue) }
    }
    /// `continuityStrategiesText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var continuityStrategies: String? {
        get { continuityStrategiesText.anyText }
        set { continuityStrategiesText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case descriptionText = "description"
        case expectedDate
        case continuityStrategiesText = "continuityStrategies"
    }

    public init(
        kind: TransitionKind? = nil,
        description: LocalizedText,
        expectedDate: CalendarDate? = nil,
        continuityStrategies: LocalizedText? = nil
    ) {
        self.kind = kind
        self.descriptionText = description
        self.expectedDate = expectedDate
        self.continuityStrategiesText = continuityStrategies
    }
}
