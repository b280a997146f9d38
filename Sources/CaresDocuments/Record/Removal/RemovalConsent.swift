/// The signed consent to removal of assignment (`removal.consent`).
public struct RemovalConsent: Codable, Sendable, Hashable {
    public var signedBy: String
    public var date: CalendarDate

    public init(signedBy: String, date: CalendarDate) {
        self.signedBy = signedBy
        self.date = date
    }
}
