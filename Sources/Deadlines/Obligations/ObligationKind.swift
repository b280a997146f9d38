import CaresDocuments

/// The eight kinds of deadline the queue tracks (REQUIREMENTS.md, "Deadlines the queue tracks").
public enum ObligationKind: String, Codable, Sendable, CaseIterable {
    /// `enrollment.effectiveDate` + 30 days; done when mailed by registered mail and, where a
    /// guardian consented to electronic delivery, sent electronically.
    case enrollmentLetter = "enrollment-letter"
    /// `removal.date` + 30 days; done when mailed by registered mail or sent electronically.
    case terminationLetter = "termination-letter"
    /// `enrollment.referralDate` + 60 days, one per language (English, and the primary language
    /// when it is not English); done when delivered on paper and sent electronically.
    case carePlan = "care-plan"
    /// `carePlanApproval.date` + 3 months after a verbal approval without accommodation need;
    /// done when a signature is recorded.
    case carePlanSignature = "care-plan-signature"
    /// `enrollment.effectiveDate` + 30 days when `member.enrolledInCCM`; done when sent (mailed or
    /// electronically).
    case ccmNotice = "ccm-notice"
    /// Start date of each `removal.referrals[]` + 30 days; done when the follow-up (or the
    /// documented reason why not) is recorded.
    case referralFollowUp = "referral-follow-up"
    /// `enrollment.lastAssessmentDate` + 1 year; done by a new assessment date.
    case reassessment
    /// `enrollment.lastCarePlanUpdate` + 6 months; done when the review is recorded.
    case monitoring

    public var rule: DueRule {
        switch self {
        case .enrollmentLetter, .terminationLetter, .ccmNotice, .referralFollowUp: .days(30)
        case .carePlan: .days(60)
        case .carePlanSignature: .months(3)
        case .reassessment: .years(1)
        case .monitoring: .months(6)
        }
    }

    /// Documents that go through the mailroom (render, print, mail, deliver; electronic channel).
    public var isDocument: Bool {
        switch self {
        case .enrollmentLetter, .terminationLetter, .carePlan, .ccmNotice: true
        default: false
        }
    }

    /// The document this obligation asks for (`nil` for the kinds done by hand).
    public var documentKind: DocumentKind? {
        switch self {
        case .enrollmentLetter: .enrollmentLetter
        case .terminationLetter: .terminationLetter
        case .carePlan: .carePlan
        case .ccmNotice: .ccmNotice
        default: nil
        }
    }

    /// Paper copies must go by Registered Mail (an S10 number starting with R).
    public var needsRegisteredMail: Bool {
        self == .enrollmentLetter || self == .terminationLetter
    }

    /// Kinds a coordinator completes by hand (`queue complete` with a note).
    public var isCompletedByHand: Bool { !isDocument }
}

/// Where the paper copy of a document is.
public enum PaperState: String, Codable, Sendable, CaseIterable {
    case open, rendered, printed, mailed, delivered
}

/// Electronic delivery, tracked separately from paper.
public enum ElectronicState: String, Codable, Sendable, CaseIterable {
    case none, sent, failed
}
