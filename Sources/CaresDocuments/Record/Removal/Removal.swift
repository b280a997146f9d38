/// Removal of assignment (termination) and the aftercare plan (`$defs/removal`).
public struct Removal: Codable, Sendable, Hashable {
    /// Effective termination date: the termination letter is due 30 days after it.
    public var date: CalendarDate
    public var reason: RemovalReason
    public var reasonDetailText: LocalizedText?
    public var consent: RemovalConsent?
    public var recommendationsText: LocalizedText?
    public var ongoingStrategiesText: LocalizedText?
    public var referrals: [Service]?
    public var servicesInPlace: [Service]?
    /// Including DME usage and therapies.
    public var ongoingTreatmentsTexts: [LocalizedText]?

    /// `reasonDetailText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var reasonDetail: String? {
        get { reasonDetailText.anyText }
        set { reasonDetailText = newValue.localized }
    }
    /// `recommendationsText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var recommendations: String? {
        get { recommendationsText.anyText }
        set { recommendationsText = newValue.localized }
    }
    /// `ongoingStrategiesText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var ongoingStrategies: String? {
        get { ongoingStrategiesText.anyText }
        set { ongoingStrategiesText = newValue.localized }
    }
    /// `ongoingTreatmentsTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var ongoingTreatments: [String]? {
        get { ongoingTreatmentsTexts.anyTexts }
        set { ongoingTreatmentsTexts = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case date
        case reason
        case reasonDetailText = "reasonDetail"
        case consent
        case recommendationsText = "recommendations"
        case ongoingStrategiesText = "ongoingStrategies"
        case referrals
        case servicesInPlace
        case ongoingTreatmentsTexts = "ongoingTreatments"
    }

    public init(
        date: CalendarDate,
        reason: RemovalReason,
        reasonDetail: LocalizedText? = nil,
        consent: RemovalConsent? = nil,
        recommendations: LocalizedText? = nil,
        ongoingStrategies: LocalizedText? = nil,
        referrals: [Service]? = nil,
        servicesInPlace: [Service]? = nil,
        ongoingTreatments: [LocalizedText]? = nil
    ) {
        self.date = date
        self.reason = reason
        self.reasonDetailText = reasonDetail
        self.consent = consent
        self.recommendationsText = recommendations
        self.ongoingStrategiesText = ongoingStrategies
        self.referrals = referrals
        self.servicesInPlace = servicesInPlace
        self.ongoingTreatmentsTexts = ongoingTreatments
    }
}
