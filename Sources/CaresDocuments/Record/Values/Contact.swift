/// How to reach a person or an organization (`$defs/contact`); every field is optional.
public struct Contact: Codable, Sendable, Hashable {
    public var phone: String?
    public var phoneExtension: String?
    public var email: String?
    public var fax: String?
    public var address: Address?

    public init(
        phone: String? = nil,
        phoneExtension: String? = nil,
        email: String? = nil,
        fax: String? = nil,
        address: Address? = nil
    ) {
        self.phone = phone
        self.phoneExtension = phoneExtension
        self.email = email
        self.fax = fax
        self.address = address
    }
}
