/// The child or young adult the record is about (`$defs/member`).
public struct Member: Codable, Sendable, Hashable {
    /// MassHealth member id.
    public var id: String
    public var firstName: String
    public var lastName: String
    public var preferredName: String?
    public var dateOfBirth: CalendarDate
    /// BCP 47 tag as written in the record; `SupportedLanguage.normalize(_:)` gives the locale.
    public var primaryLanguage: String
    public var pronounsText: LocalizedText?
    public var address: Address?
    public var healthPlan: String?
    /// Also in the MassHealth Community Case Management program.
    public var enrolledInCCM: Bool?
    public var accessibility: MemberAccessibility?

    /// `pronounsText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var pronouns: String? {
        get { pronounsText.anyText }
        set { pronounsText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case firstName
        case lastName
        case preferredName
        case dateOfBirth
        case primaryLanguage
        case pronounsText = "pronouns"
        case address
        case healthPlan
        case enrolledInCCM
        case accessibility
    }

    public init(
        id: String,
        firstName: String,
        lastName: String,
        preferredName: String? = nil,
        dateOfBirth: CalendarDate,
        primaryLanguage: String,
        pronouns: LocalizedText? = nil,
        address: Address? = nil,
        healthPlan: String? = nil,
        enrolledInCCM: Bool? = nil,
        accessibility: MemberAccessibility? = nil
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.preferredName = preferredName
        self.dateOfBirth = dateOfBirth
        self.primaryLanguage = primaryLanguage
        self.pronounsText = pronouns
        self.address = address
        self.healthPlan = healthPlan
        self.enrolledInCCM = enrolledInCCM
        self.accessibility = accessibility
    }
}
