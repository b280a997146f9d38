/// Dates and the designated care manager of the member's enrollment (`$defs/enrollment`).
public struct Enrollment: Codable, Sendable, Hashable {
    /// Referral or identification date: the ICP is due 60 days after it.
    public var referralDate: CalendarDate?
    public var consentDate: CalendarDate?
    /// Enrollment effective date: the enrollment letter is due 30 days after it.
    public var effectiveDate: CalendarDate?
    /// `careTeam[].id` of the designated care manager.
    public var designatedCareManagerId: String?
    public var lastAssessmentDate: CalendarDate?
    public var lastCarePlanUpdate: CalendarDate?

    public init(
        referralDate: CalendarDate? = nil,
        consentDate: CalendarDate? = nil,
        effectiveDate: CalendarDate? = nil,
        designatedCareManagerId: String? = nil,
        lastAssessmentDate: CalendarDate? = nil,
        lastCarePlanUpdate: CalendarDate? = nil
    ) {
        self.referralDate = referralDate
        self.consentDate = consentDate
        self.effectiveDate = effectiveDate
        self.designatedCareManagerId = designatedCareManagerId
        self.lastAssessmentDate = lastAssessmentDate
        self.lastCarePlanUpdate = lastCarePlanUpdate
    }
}
