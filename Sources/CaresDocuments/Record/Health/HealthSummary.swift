/// Medical, behavioral, personal, educational and social history (`$defs/healthSummary`).
public struct HealthSummary: Codable, Sendable, Hashable {
    public var conditions: [String]?
    public var medicalHistory: String?
    public var behavioralHistory: String?
    public var personalCircumstances: String?
    public var educationalCircumstances: String?
    public var socialCircumstances: String?
    public var advanceDirective: String?
    public var guardianshipStatus: String?

    public init(
        conditions: [String]? = nil,
        medicalHistory: String? = nil,
        behavioralHistory: String? = nil,
        personalCircumstances: String? = nil,
        educationalCircumstances: String? = nil,
        socialCircumstances: String? = nil,
        advanceDirective: String? = nil,
        guardianshipStatus: String? = nil
    ) {
        self.conditions = conditions
        self.medicalHistory = medicalHistory
        self.behavioralHistory = behavioralHistory
        self.personalCircumstances = personalCircumstances
        self.educationalCircumstances = educationalCircumstances
        self.socialCircumstances = socialCircumstances
        self.advanceDirective = advanceDirective
        self.guardianshipStatus = guardianshipStatus
    }
}
