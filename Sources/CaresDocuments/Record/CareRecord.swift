/// Everything the service knows about one member, as the care record JSON (schema version 1
/// or 2) states it. Only `schemaVersion` and `member` are required; each document kind needs more.
///
/// Read records with `CareRecordLoader.load(data:)`, which validates the whole input contract
/// first. Optional fields keep the difference between absent and empty (`[]`), so a record
/// encodes back to what it was read from.
public struct CareRecord: Codable, Sendable, Hashable {
    public var schemaVersion: Int
    /// Schema version 2: the language of the record's plain strings and the source of its
    /// translations, as written (`nil`: English). See `contentLanguage(resolved)`.
    public var contentLanguage: String?
    /// Stable id of this record in the coordinators' system.
    public var recordId: String?
    public var provider: Provider?
    public var member: Member
    public var guardians: [Guardian]?
    public var enrollment: Enrollment?
    public var careTeam: [TeamMember]?
    public var healthSummary: HealthSummary?
    public var currentServices: [Service]?
    public var goals: [Goal]?
    public var education: Education?
    public var socialNeeds: [SocialNeed]?
    public var strengths: Strengths?
    public var transitions: [Transition]?
    public var emergency: Emergency?
    public var carePlanApproval: Approval?
    public var removal: Removal?

    public init(
        schemaVersion: Int = 1,
        contentLanguage: String? = nil,
        recordId: String? = nil,
        provider: Provider? = nil,
        member: Member,
        guardians: [Guardian]? = nil,
        enrollment: Enrollment? = nil,
        careTeam: [TeamMember]? = nil,
        healthSummary: HealthSummary? = nil,
        currentServices: [Service]? = nil,
        goals: [Goal]? = nil,
        education: Education? = nil,
        socialNeeds: [SocialNeed]? = nil,
        strengths: Strengths? = nil,
        transitions: [Transition]? = nil,
        emergency: Emergency? = nil,
        carePlanApproval: Approval? = nil,
        removal: Removal? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.contentLanguage = contentLanguage
        self.recordId = recordId
        self.provider = provider
        self.member = member
        self.guardians = guardians
        self.enrollment = enrollment
        self.careTeam = careTeam
        self.healthSummary = healthSummary
        self.currentServices = currentServices
        self.goals = goals
        self.education = education
        self.socialNeeds = socialNeeds
        self.strengths = strengths
        self.transitions = transitions
        self.emergency = emergency
        self.carePlanApproval = carePlanApproval
        self.removal = removal
    }

    /// The language the plain strings are written in: `contentLanguage` (version 2), else English.
    public var sourceLanguage: SupportedLanguage {
        contentLanguage.flatMap(SupportedLanguage.normalize) ?? .english
    }

    /// Whether the record states which language its texts are in, so that a copy in another
    /// language must find a translation of every text it prints (schema version 2). A version 1
    /// record's copies print its texts as written, as they always have.
    public var declaresTranslations: Bool { schemaVersion >= 2 }

    /// The care team member with `id`, if there is one.
    public func teamMember(withId id: String) -> TeamMember? {
        careTeam?.first { $0.id == id }
    }
}
