/// A parent or guardian of the member (`$defs/guardian`).
public struct Guardian: Codable, Sendable, Hashable {
    public var name: String
    public var relationship: GuardianRelationship
    /// BCP 47 tag as written in the record; `SupportedLanguage.normalize(_:)` gives the locale.
    public var preferredLanguage: String?
    public var contact: Contact?
    /// Letters are addressed to this person (see `CareRecord.letterRecipient`).
    public var receivesMail: Bool?
    /// Consented to receive documents electronically at `contact.email`.
    public var electronicDelivery: Bool?

    public init(
        name: String,
        relationship: GuardianRelationship,
        preferredLanguage: String? = nil,
        contact: Contact? = nil,
        receivesMail: Bool? = nil,
        electronicDelivery: Bool? = nil
    ) {
        self.name = name
        self.relationship = relationship
        self.preferredLanguage = preferredLanguage
        self.contact = contact
        self.receivesMail = receivesMail
        self.electronicDelivery = electronicDelivery
    }
}
