import CaresDocuments
import Deadlines
import Foundation

/// One obligation in `--json` output. Every key is always present (null when empty); see
/// README "Deadline queue".
struct ObligationJSON: Encodable {
    var o: Obligation
    var today: CalendarDate

    enum Keys: String, CodingKey {
        case id, recordId, kind, qualifier, language, startDate, dueDate, status, daysLeft, late, paper, electronic
        case electronicRequired, attempt, trackingNumber, mailDate, deliveredDate, addressProblem, renderedVersion
        case completedOn, completionNote, cancelledReason, recordVersion, waitingForTranslation
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        let s = o.status(today: today)
        try c.encode(o.id, forKey: .id)
        try c.encode(o.recordId, forKey: .recordId)
        try c.encode(o.kind.rawValue, forKey: .kind)
        try c.encode(o.qualifier, forKey: .qualifier)
        try c.encode(o.language, forKey: .language)
        try c.encode(o.startDate, forKey: .startDate)
        try c.encode(o.dueDate, forKey: .dueDate)
        try c.encode(s.state.rawValue, forKey: .status)
        try c.encode(s.daysLeft, forKey: .daysLeft)
        try c.encode(s.late, forKey: .late)
        try c.encode(o.paper.rawValue, forKey: .paper)
        try c.encode(o.electronic.rawValue, forKey: .electronic)
        try c.encode(o.electronicRequired, forKey: .electronicRequired)
        try c.encode(o.attempt, forKey: .attempt)
        try c.encode(o.trackingNumber, forKey: .trackingNumber)
        try c.encode(o.mailDate, forKey: .mailDate)
        try c.encode(o.deliveredDate, forKey: .deliveredDate)
        try c.encode(o.addressProblem, forKey: .addressProblem)
        try c.encode(o.renderedVersion, forKey: .renderedVersion)
        try c.encode(o.completedOn, forKey: .completedOn)
        try c.encode(o.completionNote, forKey: .completionNote)
        try c.encode(o.cancelledReason, forKey: .cancelledReason)
        try c.encode(o.recordVersion, forKey: .recordVersion)
        try c.encode(o.waitingForTranslation, forKey: .waitingForTranslation)
    }
}

struct ListJSON: Encodable {
    var today: CalendarDate
    var count: Int
    var obligations: [ObligationJSON]
}

struct ShowJSON: Encodable {
    var today: CalendarDate
    var obligation: ObligationJSON
    var renditions: [Rendition]
    var pieces: [MailPiece]
}

struct HistoryJSON: Encodable {
    var recordId: String
    var today: CalendarDate
    var versions: [RecordVersion]
    var obligations: [ObligationJSON]
    var audit: [AuditEntry]
}

/// One line of the text listing.
func obligationLine(_ o: Obligation, today: CalendarDate) -> String {
    let s = o.status(today: today)
    let days = s.daysLeft.map { String($0) } ?? (s.late == true ? "late" : "-")
    func pad(_ t: String, _ n: Int) -> String { t.count >= n ? t : t + String(repeating: " ", count: n - t.count) }
    let paper = o.kind.isDocument ? "\(o.paper.rawValue)\(o.attempt > 1 ? " (attempt \(o.attempt))" : "")" : "-"
    let electronic = o.kind.isDocument ? o.electronic.rawValue + (o.electronicRequired ? "*" : "") : "-"
    return [
        pad(o.dueDate.description, 10), pad(s.state.rawValue, 9), pad(days, 5), pad(o.id, 36), pad(paper, 10),
        electronic,
    ]
    .joined(separator: "  ") + (o.waitingForTranslationText.map { "  " + $0 } ?? "")
}

let obligationHeader =
    "DUE         STATUS     DAYS   OBLIGATION                            PAPER       ELECTRONIC (* required)"
