import CaresDocuments

/// One deadline of one record, as the store keeps it. Never deleted: a withdrawn obligation is
/// cancelled with a reason.
public struct Obligation: Sendable, Hashable, Codable {
    /// `RECORD_ID/KIND` or `RECORD_ID/KIND/QUALIFIER`.
    public var id: String
    public var recordId: String
    public var kind: ObligationKind
    /// Language tag (care plan), referral key (referral follow-up) or cycle number
    /// (reassessment, monitoring); `nil` for the others.
    public var qualifier: String?
    public var startDate: CalendarDate
    public var dueDate: CalendarDate
    /// The record version that last derived or changed this obligation.
    public var recordVersion: Int
    /// The language the document is written in (documents only).
    public var language: String?
    public var paper: PaperState
    public var electronic: ElectronicState
    /// The done condition needs electronic delivery (enrollment letter with a consenting
    /// guardian; care plan always).
    public var electronicRequired: Bool
    /// Mailing attempt, from 1; a returned piece starts the next attempt.
    public var attempt: Int
    public var trackingNumber: String?
    public var mailDate: CalendarDate?
    public var deliveredDate: CalendarDate?
    /// Set when a piece came back: what was wrong with the address (not in the audit log).
    public var addressProblem: String?
    /// Record version of the last rendered document.
    public var renderedVersion: Int?
    /// The day the done condition came to hold; `nil` while not done.
    public var completedOn: CalendarDate?
    public var completionNote: String?
    public var cancelledReason: String?
    /// Recorded as complete when first derived because it fell due before the member came into
    /// the queue (`--completed-before`): it stays complete whatever its copies' states.
    public var completedBeforeImport = false
    /// Document copies of a version 2 record: how many passages the official copy in
    /// `language` would refuse as untranslated, with the translation memory applied
    /// ("waiting for translation (N passages)"). While it is above 0 the queue neither claims
    /// nor renders the obligation. Kept by the store (import, saved translations, settings).
    public var waitingForTranslation = 0

    public init(
        id: String,
        recordId: String,
        kind: ObligationKind,
        qualifier: String?,
        startDate: CalendarDate,
        dueDate: CalendarDate,
        recordVersion: Int,
        language: String?,
        electronicRequired: Bool
    ) {
        self.id = id
        self.recordId = recordId
        self.kind = kind
        self.qualifier = qualifier
        self.startDate = startDate
        self.dueDate = dueDate
        self.recordVersion = recordVersion
        self.language = language
        self.paper = .open
        self.electronic = .none
        self.electronicRequired = electronicRequired
        self.attempt = 1
    }

    public static func makeId(recordId: String, kind: ObligationKind, qualifier: String?) -> String {
        qualifier.map { "\(recordId)/\(kind.rawValue)/\($0)" } ?? "\(recordId)/\(kind.rawValue)"
    }

    /// "waiting for translation (3 passages)" while a pending obligation waits; else `nil`.
    public var waitingForTranslationText: String? {
        guard isPending, waitingForTranslation > 0 else { return nil }
        return "waiting for translation (\(waitingForTranslation) passage\(waitingForTranslation == 1 ? "" : "s"))"
    }

    public var isCancelled: Bool { cancelledReason != nil }
    public var isComplete: Bool { completedOn != nil }
    public var isPending: Bool { !isCancelled && !isComplete }

    /// Whether the rule's done condition holds now (documents; by-hand kinds keep what was
    /// recorded).
    public var doneConditionHolds: Bool {
        if completedBeforeImport { return true }
        let mailed = paper == .mailed || paper == .delivered
        switch kind {
        case .enrollmentLetter:
            return mailed && trackingNumber != nil && (!electronicRequired || electronic == .sent)
        case .terminationLetter:
            return (mailed && trackingNumber != nil) || electronic == .sent
        case .carePlan:
            return paper == .delivered && electronic == .sent
        case .ccmNotice:
            return mailed || electronic == .sent
        case .carePlanSignature, .referralFollowUp, .reassessment, .monitoring:
            return completedOn != nil
        }
    }

    /// How the obligation stands on `today` (America/New_York calendar day).
    public func status(today: CalendarDate) -> DueStatus {
        if isCancelled { return DueStatus(state: .cancelled, daysLeft: nil, late: nil) }
        if let done = completedOn {
            return DueStatus(state: .complete, daysLeft: nil, late: done > dueDate)
        }
        let left = today.days(until: dueDate)
        let state: DueState = left < 0 ? .overdue : left <= DueStatus.atRiskDays ? .atRisk : .onTrack
        return DueStatus(state: state, daysLeft: left, late: nil)
    }
}

public enum DueState: String, Codable, Sendable {
    case onTrack = "on-track"
    case atRisk = "at-risk"
    case overdue
    case complete
    case cancelled
}

public struct DueStatus: Sendable, Hashable, Codable {
    /// At risk: due within this many days (the due day itself is 0 days left).
    public static let atRiskDays = 7
    public var state: DueState
    /// Calendar days from today to the due date (negative when overdue); pending only.
    public var daysLeft: Int?
    /// Complete only: whether the done condition came to hold after the due date.
    public var late: Bool?
}
