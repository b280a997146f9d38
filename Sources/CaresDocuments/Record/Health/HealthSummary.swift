/// Medical, behavioral, personal, educational and social history (`$defs/healthSummary`).
public struct HealthSummary: Codable, Sendable, Hashable {
    public var conditionsTexts: [LocalizedText]?
    public var medicalHistoryText: LocalizedText?
    public var behavioralHistoryText: LocalizedText?
    public var personalCircumstancesText: LocalizedText?
    public var educationalCircumstancesText: LocalizedText?
    public var socialCircumstancesText: LocalizedText?
    public var advanceDirectiveText: LocalizedText?
    public var guardianshipStatusText: LocalizedText?

    /// `conditionsTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var conditions: [String]? {
        get { conditionsTexts.anyTexts }
        set { conditionsTexts = newValue.localized }
    }
    /// `medicalHistoryText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var medicalHistory: String? {
        get { medicalHistoryText.anyText }
        set { medicalHistoryText = newValue.localized }
    }
    /// `behavioralHistoryText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var behavioralHistory: String? {
        get { behavioralHistoryText.anyText }
        set { behavioralHistoryText = newValue.localized }
    }
    /// `personalCircumstancesText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var personalCircumstances: String? {
        get { personalCircumstancesText.anyText }
        set { personalCircumstancesText = newValue.localized }
    }
    /// `educationalCircumstancesText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var educationalCircumstances: String? {
        get { educationalCircumstancesText.anyText }
        set { educationalCircumstancesText = newValue.localized }
    }
    /// `socialCircumstancesText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var socialCircumstances: String? {
        get { socialCircumstancesText.anyText }
        set { socialCircumstancesText = newValue.localized }
    }
    /// `advanceDirectiveText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var advanceDirective: String? {
        get { advanceDirectiveText.anyText }
        set { advanceDirectiveText = newValue.localized }
    }
    /// `guardianshipStatusText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var guardianshipStatus: String? {
        get { guardianshipStatusText.anyText }
        set { guardianshipStatusText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case conditionsTexts = "conditions"
        case medicalHistoryText = "medicalHistory"
        case behavioralHistoryText = "behavioralHistory"
        case personalCircumstancesText = "personalCircumstances"
        case educationalCircumstancesText = "educationalCircumstances"
        case socialCircumstancesText = "socialCircumstances"
        case advanceDirectiveText = "advanceDirective"
        case guardianshipStatusText = "guardianshipStatus"
    }

    public init(
        conditions: [LocalizedText]? = nil,
        medicalHistory: LocalizedText? = nil,
        behavioralHistory: LocalizedText? = nil,
        personalCircumstances: LocalizedText? = nil,
        educationalCircumstances: LocalizedText? = nil,
        socialCircumstances: LocalizedText? = nil,
        advanceDirective: LocalizedText? = nil,
        guardianshipStatus: LocalizedText? = nil
    ) {
        self.conditionsTexts = conditions
        self.medicalHistoryText = medicalHistory
        self.behavioralHistoryText = behavioralHistory
        self.personalCircumstancesText = personalCircumstances
        self.educationalCircumstancesText = educationalCircumstances
        self.socialCircumstancesText = socialCircumstances
        self.advanceDirectiveText = advanceDirective
        self.guardianshipStatusText = guardianshipStatus
    }
}
