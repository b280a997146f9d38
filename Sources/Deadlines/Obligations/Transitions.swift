import CaresDocuments

/// A rendered document, as the audit needs it: which record version, which template and locale
/// versions, and the SHA-256 of the PDF bytes.
public struct Rendition: Sendable, Hashable, Codable {
    public var obligationId: String
    public var attempt: Int
    public var recordVersion: Int
    public var templateVersion: String
    public var localeVersion: String
    public var language: String
    public var pdfSHA256: String
    /// Where the PDF was written (archive folder), if anywhere.
    public var pdfPath: String?
    public var renderedAt: String
    /// Pages of the PDF, when known.
    public var pages: Int?

    public init(
        obligationId: String,
        attempt: Int = 0,
        recordVersion: Int,
        templateVersion: String,
        localeVersion: String,
        language: String,
        pdfSHA256: String,
        pdfPath: String?,
        renderedAt: String = "",
        pages: Int? = nil
    ) {
        self.pages = pages
        self.obligationId = obligationId
        self.attempt = attempt
        self.recordVersion = recordVersion
        self.templateVersion = templateVersion
        self.localeVersion = localeVersion
        self.language = language
        self.pdfSHA256 = pdfSHA256
        self.pdfPath = pdfPath
        self.renderedAt = renderedAt
    }
}

/// One registered mail piece: unique across the store by its tracking number.
public struct MailPiece: Sendable, Hashable, Codable {
    public var trackingNumber: String
    public var obligationId: String
    public var attempt: Int
    public var mailDate: CalendarDate
    /// mailed, delivered or returned.
    public var outcome: String
    public var outcomeDate: CalendarDate?
}

/// Something that happened to an obligation.
public enum ObligationEvent: Sendable, Hashable {
    case rendered(Rendition)
    case printed
    case mailed(TrackingNumber, date: CalendarDate)
    case delivered(date: CalendarDate)
    case returned(date: CalendarDate, addressProblem: String)
    case electronicSent(channel: String, date: CalendarDate)
    case electronicFailed(channel: String, reason: String)
    /// By-hand kinds: the follow-up, review, assessment or signature is recorded (or the
    /// documented reason why not).
    case completed(note: String, date: CalendarDate)

    public var action: String {
        switch self {
        case .rendered: "render"
        case .printed: "print"
        case .mailed: "mail"
        case .delivered: "deliver"
        case .returned: "return"
        case .electronicSent: "electronic-sent"
        case .electronicFailed: "electronic-failed"
        case .completed: "complete"
        }
    }
}

/// An event the state machine refuses, with the reason.
public struct TransitionRefused: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// What an accepted event changes.
public struct TransitionResult: Sendable {
    public var obligation: Obligation
    public var rendition: Rendition?
    /// A new piece (mailed) or a piece whose outcome changes (delivered, returned).
    public var piece: MailPiece?
    public var audit: [AuditDraft]
}

public enum Transitions {
    /// Applies `event` to `o`, or refuses it. `trackingOwner`: the obligation that already uses
    /// the event's tracking number, if any. `today` dates the completion the event causes.
    public static func apply(
        _ event: ObligationEvent,
        to o: Obligation,
        trackingOwner: String?,
        today: CalendarDate
    ) throws(TransitionRefused) -> TransitionResult {
        let id = o.id
        if let reason = o.cancelledReason {
            throw TransitionRefused("obligation \(id) is cancelled (\(reason)); nothing can happen to it")
        }
        var n = o
        var rendition: Rendition?
        var piece: MailPiece?
        var audit: [AuditDraft] = []
        func log(_ what: String, action: String = event.action) {
            audit.append(
                AuditDraft(action, recordId: o.recordId, recordVersion: n.recordVersion, obligationId: id, what: what)
            )
        }
        func needDocument() throws(TransitionRefused) {
            guard o.kind.isDocument else {
                throw TransitionRefused(
                    "obligation \(id) is a \(o.kind.rawValue): it is not a document and is not mailed or sent; record it with `queue complete`"
                )
            }
        }
        func move(_ from: [PaperState], to: PaperState, what: String) throws(TransitionRefused) {
            try needDocument()
            guard from.contains(o.paper) else {
                let needed = from.map(\.rawValue).joined(separator: " or ")
                throw TransitionRefused(
                    "cannot mark obligation \(id) \(to.rawValue): its paper copy is \(o.paper.rawValue), and only a \(needed) copy can become \(to.rawValue)"
                )
            }
            n.paper = to
            log("\(o.paper.rawValue) → \(to.rawValue)" + (what.isEmpty ? "" : ", \(what)"))
        }

        /// A claimed date (mailed, delivered, returned, sent, completed) is a real day of this
        /// obligation: not after today, not before its start, not before the piece was mailed.
        func checkDate(
            _ date: CalendarDate,
            _ what: String,
            notBefore earlier: CalendarDate? = nil
        )
            throws(TransitionRefused)
        {
            if date > today {
                throw TransitionRefused(
                    "the \(what) date \(date) is in the future (today is \(today) in America/New_York)"
                )
            }
            if date < o.startDate {
                throw TransitionRefused(
                    "the \(what) date \(date) is before obligation \(id) started (\(o.startDate))"
                )
            }
            if let earlier, date < earlier {
                throw TransitionRefused("the \(what) date \(date) is before the piece was mailed (\(earlier))")
            }
        }

        switch event {
        case .rendered(var r):
            try move(
                [.open, .rendered],
                to: .rendered,
                what:
                    "record version \(r.recordVersion), template \(r.templateVersion), locale \(r.language) \(r.localeVersion), pdf sha256 \(r.pdfSHA256)"
            )
            r.obligationId = id
            r.attempt = o.attempt
            n.renderedVersion = r.recordVersion
            rendition = r
        case .printed:
            try move([.rendered], to: .printed, what: "")
        case .mailed(let tracking, let date):
            try needDocument()
            if o.kind.needsRegisteredMail && !tracking.isRegistered {
                throw TransitionRefused(
                    "\(tracking) is not a Registered Mail article number (service \(tracking.service)); a \(o.kind.rawValue) goes by Registered Mail (R…)"
                )
            }
            if let owner = trackingOwner {
                throw TransitionRefused(
                    "tracking number \(tracking) is already used by obligation \(owner); each piece needs its own article number"
                )
            }
            try move([.printed], to: .mailed, what: "tracking \(tracking), attempt \(o.attempt), mailed \(date)")
            try checkDate(date, "mail")
            n.trackingNumber = tracking.value
            n.mailDate = date
            n.deliveredDate = nil
            piece = MailPiece(
                trackingNumber: tracking.value,
                obligationId: id,
                attempt: o.attempt,
                mailDate: date,
                outcome: "mailed",
                outcomeDate: nil
            )
        case .delivered(let date):
            try move([.mailed], to: .delivered, what: "tracking \(o.trackingNumber ?? "-"), delivered \(date)")
            try checkDate(date, "delivery", notBefore: o.mailDate)
            n.deliveredDate = date
            if let t = o.trackingNumber, let m = o.mailDate {
                piece = MailPiece(
                    trackingNumber: t,
                    obligationId: id,
                    attempt: o.attempt,
                    mailDate: m,
                    outcome: "delivered",
                    outcomeDate: date
                )
            }
        case .returned(let date, let problem):
            try needDocument()
            guard o.paper == .mailed else {
                throw TransitionRefused(
                    "cannot mark obligation \(id) returned: its paper copy is \(o.paper.rawValue), and only a mailed piece can come back"
                )
            }
            guard !problem.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw TransitionRefused("a returned piece needs the address problem noted (--reason)")
            }
            try checkDate(date, "return", notBefore: o.mailDate)
            if let t = o.trackingNumber, let m = o.mailDate {
                piece = MailPiece(
                    trackingNumber: t,
                    obligationId: id,
                    attempt: o.attempt,
                    mailDate: m,
                    outcome: "returned",
                    outcomeDate: date
                )
            }
            log(
                "mailed → returned \(date), tracking \(o.trackingNumber ?? "-"), address problem noted; reopened for attempt \(o.attempt + 1)"
            )
            n.paper = .open
            n.attempt = o.attempt + 1
            n.addressProblem = problem
            n.trackingNumber = nil
            n.mailDate = nil
            n.deliveredDate = nil
        case .electronicSent(let channel, let date):
            try needDocument()
            guard o.renderedVersion != nil else {
                throw TransitionRefused(
                    "cannot send obligation \(id) electronically: no document has been rendered for it yet"
                )
            }
            guard o.electronic != .sent else {
                throw TransitionRefused("obligation \(id) was already sent electronically")
            }
            try checkDate(date, "sending")
            n.electronic = .sent
            log("electronic \(o.electronic.rawValue) → sent via \(channel) \(date)")
        case .electronicFailed(let channel, _):
            try needDocument()
            guard o.electronic != .sent else {
                throw TransitionRefused(
                    "obligation \(id) was already sent electronically; a later failure cannot undo that"
                )
            }
            n.electronic = .failed
            log("electronic \(o.electronic.rawValue) → failed via \(channel)")
        case .completed(let note, let date):
            guard o.kind.isCompletedByHand else {
                throw TransitionRefused(
                    "obligation \(id) is a \(o.kind.rawValue): it is complete exactly when its done condition holds (mailed/sent), not by hand"
                )
            }
            guard o.completedOn == nil else {
                throw TransitionRefused("obligation \(id) is already complete")
            }
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw TransitionRefused(
                    "completing obligation \(id) needs a note (what was recorded, or the documented reason why not)"
                )
            }
            if date > today {
                throw TransitionRefused(
                    "the completion date \(date) is in the future (today is \(today) in America/New_York)"
                )
            }
            n.completedOn = date
            n.completionNote = note
            log("completed by hand \(date) (note recorded)")
        }

        if n.kind.isDocument {
            if n.doneConditionHolds && n.completedOn == nil {
                // Complete on the day of the event that made the done condition hold.
                switch event {
                case .mailed(_, let date), .delivered(let date), .electronicSent(_, let date): n.completedOn = date
                default: n.completedOn = today
                }
                log("done condition holds: complete", action: "complete")
            } else if !n.doneConditionHolds && n.completedOn != nil {
                n.completedOn = nil
                log("done condition no longer holds: reopened", action: "reopen")
            }
        }
        return TransitionResult(obligation: n, rendition: rendition, piece: piece, audit: audit)
    }
}
