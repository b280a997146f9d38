/// A service the member receives, is referred to, or keeps after removal (`$defs/service`).
public struct Service: Codable, Sendable, Hashable {
    public var name: String
    /// `careTeam[].id`, when the provider is on the team.
    public var providerId: String?
    public var providerName: String?
    public var frequency: String?
    public var startDate: CalendarDate?
    public var notes: String?

    public init(
        name: String,
        providerId: String? = nil,
        providerName: String? = nil,
        frequency: String? = nil,
        startDate: CalendarDate? = nil,
        notes: String? = nil
    ) {
        self.name = name
        self.providerId = providerId
        self.providerName = providerName
        self.frequency = frequency
        self.startDate = startDate
        self.notes = notes
    }
}
