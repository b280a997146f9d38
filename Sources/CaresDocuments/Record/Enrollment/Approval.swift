/// How the member or parent/guardian approved the care plan (`$defs/approval`).
public struct Approval: Codable, Sendable, Hashable {
    public var method: ApprovalMethod
    public var date: CalendarDate?
    public var approvedBy: String?
    /// For verbal approval: the accommodation need that does not permit signing; without one,
    /// a signature is due within three months of the verbal approval.
    public var accommodationNeed: String?

    public init(
        method: ApprovalMethod,
        date: CalendarDate? = nil,
        approvedBy: String? = nil,
        accommodationNeed: String? = nil
    ) {
        self.method = method
        self.date = date
        self.approvedBy = approvedBy
        self.accommodationNeed = accommodationNeed
    }
}
