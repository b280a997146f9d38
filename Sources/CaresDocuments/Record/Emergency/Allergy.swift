/// An allergy on the emergency plan (`emergency.allergies[]`).
public struct Allergy: Codable, Sendable, Hashable {
    public var substance: String
    public var reactionText: LocalizedText?
    public var severity: AllergySeverity?

    /// `reactionText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var reaction: String? {
        get { reactionText.anyText }
        set { reactionText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case substance
        case reactionText = "reaction"
        case severity
    }

    public init(substance: String, reaction: LocalizedText? = nil, severity: AllergySeverity? = nil) {
        self.substance = substance
        self.reactionText = reaction
        self.severity = severity
    }
}
