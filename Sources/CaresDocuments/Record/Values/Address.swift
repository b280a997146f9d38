/// A US postal address (`$defs/address`).
public struct Address: Codable, Sendable, Hashable {
    public var line1: String
    public var line2: String?
    public var city: String
    /// Two capital letters, e.g. `MA`.
    public var state: String
    /// ZIP code: `12345` or `12345-6789`.
    public var postalCode: String

    public init(line1: String, line2: String? = nil, city: String, state: String, postalCode: String) {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.state = state
        self.postalCode = postalCode
    }
}
