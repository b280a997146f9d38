/// A prescribed medication (`$defs/medication`).
public struct Medication: Codable, Sendable, Hashable {
    public var name: String
    public var dose: String?
    public var routeText: LocalizedText?
    public var frequencyText: LocalizedText?
    public var purposeText: LocalizedText?
    public var sideEffectsText: LocalizedText?

    /// `routeText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var route: String? {
        get { routeText.anyText }
        set { routeText = newValue.localized }
    }
    /// `frequencyText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var frequency: String? {
        get { frequencyText.anyText }
        set { frequencyText = newValue.localized }
    }
    /// `purposeText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var purpose: String? {
        get { purposeText.anyText }
        set { purposeText = newValue.localized }
    }
    /// `sideEffectsText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var sideEffects: String? {
        get { sideEffectsText.anyText }
        set { sideEffectsText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case name
        case dose
        case routeText = "route"
        case frequencyText = "frequency"
        case purposeText = "purpose"
        case sideEffectsText = "sideEffects"
    }

    public init(
        name: String,
        dose: String? = nil,
        route: LocalizedText? = nil,
        frequency: LocalizedText? = nil,
        purpose: LocalizedText? = nil,
        sideEffects: LocalizedText? = nil
    ) {
        self.name = name
        self.dose = dose
        self.routeText = route
        self.frequencyText = frequency
        self.purposeText = purpose
        self.sideEffectsText = sideEffects
    }
}
