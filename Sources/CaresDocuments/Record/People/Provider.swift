/// The CARES provider (clinic or practice) that sends the documents (`$defs/provider`).
public struct Provider: Codable, Sendable, Hashable {
    public var name: String
    public var department: String?
    public var address: Address?
    public var phone: String?
    /// The dedicated 24 hours a day, 365 days a year line.
    public var onCallPhone: String?
    public var email: String?
    public var website: String?
    /// How to reach ombudsman services; a locale default is used when absent.
    public var ombudsmanText: LocalizedText?
    /// How to appeal; a locale default is used when absent.
    public var appealInstructionsText: LocalizedText?

    /// `ombudsmanText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var ombudsman: String? {
        get { ombudsmanText.anyText }
        set { ombudsmanText = newValue.localized }
    }
    /// `appealInstructionsText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var appealInstructions: String? {
        get { appealInstructionsText.anyText }
        set { appealInstructionsText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case name
        case department
        case address
        case phone
        case onCallPhone
        case email
        case website
        case ombudsmanText = "ombudsman"
        case appealInstructionsText = "appealInstructions"
    }

    public init(
        name: String,
        department: String? = nil,
        address: Address? = nil,
        phone: String? = nil,
        onCallPhone: String? = nil,
        email: String? = nil,
        website: String? = nil,
        ombudsman: LocalizedText? = nil,
        appealInstructions: LocalizedText? = nil
    ) {
        self.name = name
        self.department = department
        self.address = address
        self.phone = phone
        self.onCallPhone = onCallPhone
        self.email = email
        self.website = website
        self.ombudsmanText = ombudsman
        self.appealInstructionsText = appealInstructions
    }
}
