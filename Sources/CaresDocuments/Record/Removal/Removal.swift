/// Removal of assignment (termination) and the aftercare plan (`$defs/removal`).
public struct Removal: Codable, Sendable, Hashable {
    /// Effective termination date: the termination letter is due 30 days after it.
    public var date: CalendarDate
    public var reason: RemovalReason
    public var reasonDetail: String?
    public var consent: RemovalConsent?
    public var recommendations: String?
    public var ongoingStrategies: String?
    public var referrals: [Service]?
    public var servicesInPlace: [Service]?
    /// Including DME usage and therapies.
    public var ongoingTreatments: [String]?

    public init(
        date: CalendarDate,
        reason: RemovalReason,
        reasonDetail: String? = nil,
        consent: RemovalConsent? = nil,
        recommendations: String? = nil,
        ongoingStrategies: String? = nil,
        referrals: [Service]? = nil,
        servicesInPlace: [Service]? = nil,
        ongoingTreatments: [String]? = nil
    ) {
        self.date = date
        self.reason = reason
        self.reasonDetail = reasonDetail
        self.consent = consent
        self.recommendations = recommendations
        self.ongoingStrategies = ongoingStrategies
        self.referrals = referrals
        self.servicesInPlace = servicesInPlace
        self.ongoingTreatments = ongoingTreatments
    }
}
