/// Strengths, interests, preferences and cultural considerations (`$defs/strengths`).
public struct Strengths: Codable, Sendable, Hashable {
    public var strengthsTexts: [LocalizedText]?
    public var interestsTexts: [LocalizedText]?
    public var preferencesTexts: [LocalizedText]?
    public var culturalConsiderationsText: LocalizedText?

    /// `strengthsTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var strengths: [String]? {
        get { strengthsTexts.anyTexts }
        set { strengthsTexts = newValue.localized }
    }
    /// `interestsTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var interests: [String]? {
        get { interestsTexts.anyTexts }
        set { interestsTexts = newValue.localized }
    }
    /// `preferencesTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var preferences: [String]? {
        get { preferencesTexts.anyTexts }
        set { preferencesTexts = newValue.localized }
    }
    /// `culturalConsiderationsText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var culturalConsiderations: String? {
        get { culturalConsiderationsText.anyText }
        set { culturalConsiderationsText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case strengthsTexts = "strengths"
        case interestsTexts = "interests"
        case preferencesTexts = "preferences"
        case culturalConsiderationsText = "culturalConsiderations"
    }

    public init(
        strengths: [LocalizedText]? = nil,
        interests: [LocalizedText]? = nil,
        preferences: [LocalizedText]? = nil,
        culturalConsiderations: LocalizedText? = nil
    ) {
        self.strengthsTexts = strengths
        self.interestsTexts = interests
        self.preferencesTexts = preferences
        self.culturalConsiderationsText = culturalConsiderations
    }
}
