/// A service the member receives, is referred to, or keeps after removal (`$defs/service`).
public struct Service: Codable, Sendable, Hashable {
    public var nameText: LocalizedText
    /// `careTeam[].id`, when the provider is on the team.
    public var providerId: String?
    public var providerName: String?
    public var frequencyText: LocalizedText?
    public var startDate: CalendarDate?
    public var notesText: LocalizedText?

    /// `nameText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var name: String {
        get { nameText.anyText }
        set { nameText = .plain(newValue) }
    }
    /// `frequencyText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var frequency: String? {
        get { frequencyText.anyText }
        set { frequencyText = newValue.localized }
    }
    /// `notesText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var notes: String? {
        get { notesText.anyText }
        set { notesText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case nameText = "name"
        case providerId
        case providerName
        case frequencyText = "frequency"
        case startDate
        case notesText = "notes"
    }

    public init(
        name: LocalizedText,
        providerId: String? = nil,
        providerName: String? = nil,
        frequency: LocalizedText? = nil,
        startDate: CalendarDate? = nil,
        notes: LocalizedText? = nil
    ) {
        self.nameText = name
        self.providerId = providerId
        self.providerName = providerName
        self.frequencyText = frequency
        self.startDate = startDate
        self.notesText = notes
    }
}
