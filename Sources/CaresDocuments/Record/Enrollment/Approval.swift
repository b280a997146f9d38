/// How the member or parent/guardian approved the care plan (`$defs/approval`).
public struct Approval: Codable, Sendable, Hashable {
    public var method: ApprovalMethod
    public var date: CalendarDate?
    public var approvedBy: String?
    /// For verbal approval: the accommodation need that does not permit signing; without one,
    /// a signature is due within three months of the verbal approval.
    public var accommodationNeedText: LocalizedText?

    /// `accommodationNeedText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var accommodationNeed: String? {
        get { accommodationNeedText.anyText }
        set { accommodationNeedText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case method
        case date
        case approvedBy
        case accommodationNeedText = "accommodationNeed"
    }

    public init(
        method: ApprovalMethod,
        date: CalendarDate? = nil,
        approvedBy: String? = nil,
        accommodationNeed: LocalizedText? = nil
    ) {
        self.method = method
        self.date = date
        self.approvedBy = approvedBy
        self.accommodationNeedText = accommodationNeed
    }
}
