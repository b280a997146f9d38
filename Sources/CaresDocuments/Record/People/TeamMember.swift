/// A member of the care team (`$defs/teamMember`), referred to elsewhere by `id`.
public struct TeamMember: Codable, Sendable, Hashable {
    /// Unique within `careTeam`; `enrollment.designatedCareManagerId`, `goals[].actions[].responsibleId`
    /// and services' `providerId` refer to it.
    public var id: String
    public var name: String
    public var role: TeamRole
    public var credentials: String?
    public var organization: String?
    public var specialty: String?
    public var contact: Contact?
    /// Listed on the emergency plan among the providers most involved in care.
    public var involvedInEmergencyCare: Bool?

    public init(
        id: String,
        name: String,
        role: TeamRole,
        credentials: String? = nil,
        organization: String? = nil,
        specialty: String? = nil,
        contact: Contact? = nil,
        involvedInEmergencyCare: Bool? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.credentials = credentials
        self.organization = organization
        self.specialty = specialty
        self.contact = contact
        self.involvedInEmergencyCare = involvedInEmergencyCare
    }
}
