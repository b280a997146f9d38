/// A member of the care team (`$defs/teamMember`), referred to elsewhere by `id`.
public struct TeamMember: Codable, Sendable, Hashable {
    /// Unique within `careTeam`; `enrollment.designatedCareManagerId`, `goals[].actions[].responsibleId`
    /// and services' `providerId` refer to it.
    public var id: String
    public var name: String
    public var role: TeamRole
    public var credentials: String?
    public var organization: String?
    public var specialtyText: LocalizedText?
    public var contact: Contact?
    /// Listed on the emergency plan among the providers most involved in care.
    public var involvedInEmergencyCare: Bool?

    /// `specialtyText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var specialty: String? {
        get { specialtyText.anyText }
        set { specialtyText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case role
        case credentials
        case organization
        case specialtyText = "specialty"
        case contact
        case involvedInEmergencyCare
    }

    public init(
        id: String,
        name: String,
        role: TeamRole,
        credentials: String? = nil,
        organization: String? = nil,
        specialty: LocalizedText? = nil,
        contact: Contact? = nil,
        involvedInEmergencyCare: Bool? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.credentials = credentials
        self.organization = organization
        self.specialtyText = specialty
        self.contact = contact
        self.involvedInEmergencyCare = involvedInEmergencyCare
    }
}
