/// Someone to call in an emergency (`emergency.emergencyContacts[]`).
public struct EmergencyContact: Codable, Sendable, Hashable {
    public var name: String
    public var relationshipText: LocalizedText?
    public var phone: String

    /// `relationshipText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var relationship: String? {
        get { relationshipText.anyText }
        set { relationshipText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case name
        case relationshipText = "relationship"
        case phone
    }

    public init(name: String, relationship: LocalizedText? = nil, phone: String) {
        self.name = name
        self.relationshipText = relationship
        self.phone = phone
    }
}
