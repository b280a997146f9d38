/// Someone to call in an emergency (`emergency.emergencyContacts[]`).
public struct EmergencyContact: Codable, Sendable, Hashable {
    public var name: String
    public var relationship: String?
    public var phone: String

    public init(name: String, relationship: String? = nil, phone: String) {
        self.name = name
        self.relationship = relationship
        self.phone = phone
    }
}
