import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

struct MeOut: Codable, Sendable {
    var name: String
    var role: Role
    /// The CSRF token a browser session sends in `X-CSRF-Token` (absent for API tokens).
    var csrfToken: String?
}

/// A member search: `GET /v1/members?…` or the JSON body of `POST /v1/members/search`.
struct MemberSearchIn: Codable, Sendable {
    var name: String?
    var birthDate: String?
    var memberId: String?
    var limit: Int?
}

/// One document kind's readiness: the required content still missing, with paths and clauses.
struct ChecklistItem: Codable, Sendable {
    var kind: String
    var ready: Bool
    var missing: [APIError.Detail]

    init(_ pair: (DocumentKind, [RequirementProblem])) {
        kind = pair.0.rawValue
        ready = pair.1.isEmpty
        missing = pair.1.map { .init(path: $0.path, problem: $0.problem, clause: $0.clause) }
    }
}

struct ValidationOut: Codable, Sendable {
    var valid: Bool
    var recordId: String
    var memberId: String
    var documents: [ChecklistItem]
}

struct SummaryOut: Codable, Sendable {
    var recordId: String
    var version: Int
    var memberId: String
    var name: String
    var dateOfBirth: String
    var primaryLanguage: String
    var letterLanguage: String?
    var documents: [ChecklistItem]
    var obligations: [ObligationOut]

    init(stored: DocumentService.StoredRecord, obligations: [Obligation], today: CalendarDate) {
        let m = stored.record.member
        recordId = stored.recordId
        version = stored.version
        memberId = m.id
        name = "\(m.firstName) \(m.lastName)"
        dateOfBirth = m.dateOfBirth.description
        primaryLanguage = m.primaryLanguage
        letterLanguage = stored.record.letterLanguage?.tag
        documents = DocumentService.checklist(stored.record).map(ChecklistItem.init)
        self.obligations = obligations.map { ObligationOut($0, today: today) }
    }
}

/// An obligation with its due status as of today.
struct ObligationOut: Codable, Sendable {
    var obligation: Obligation
    var status: DueStatus

    init(_ o: Obligation, today: CalendarDate) {
        obligation = o
        status = o.status(today: today)
    }
}

struct ObligationDetailOut: Codable, Sendable {
    var obligation: Obligation
    var status: DueStatus
    var renditions: [Rendition]
    var pieces: [MailPiece]

    init(detail: ObligationDetail, today: CalendarDate) {
        obligation = detail.obligation
        status = detail.obligation.status(today: today)
        renditions = detail.renditions.map {
            var r = $0
            r.pdfPath = nil
            return r
        }
        pieces = detail.pieces
    }
}

/// A mailing event: `printed`, `mailed` (trackingNumber), `delivered`, `returned` (reason),
/// `sent` (electronic, channel) or `send-failed` (channel, reason). Dates default to today.
struct EventIn: Codable, Sendable {
    var type: String
    var trackingNumber: String?
    var date: String?
    var reason: String?
    var channel: String?

    func event(today: CalendarDate) throws -> ObligationEvent {
        var day = today
        if let date {
            guard let d = CalendarDate(date) else {
                throw APIError(
                    .badRequest,
                    "bad date",
                    details: [.init(path: "date", problem: "must be a real date YYYY-MM-DD")]
                )
            }
            day = d
        }
        func required(_ v: String?, _ path: String) throws -> String {
            guard let v = v?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
                throw APIError(
                    .unprocessableContent,
                    "the \(type) event needs \(path)",
                    details: [.init(path: path, problem: "is required for \(type)")]
                )
            }
            return v
        }
        switch type {
        case "printed": return .printed
        case "mailed":
            let t = try required(trackingNumber, "trackingNumber")
            return .mailed(try TrackingNumber(t), date: day)
        case "delivered": return .delivered(date: day)
        case "returned": return .returned(date: day, addressProblem: try required(reason, "reason"))
        case "sent": return .electronicSent(channel: try required(channel, "channel"), date: day)
        case "send-failed":
            return .electronicFailed(channel: try required(channel, "channel"), reason: try required(reason, "reason"))
        default:
            throw APIError(
                .badRequest,
                "unknown event type",
                details: [
                    .init(path: "type", problem: "one of printed, mailed, delivered, returned, sent, send-failed")
                ]
            )
        }
    }
}

struct BatchIn: Codable, Sendable {
    var date: String?
    var postage: String?
    var fee: String?
}

/// The query options of `POST /v1/records` and `PUT /v1/records/{recordId}`:
/// `confirmIdentityChange=true` and `completedBefore=YYYY-MM-DD` (`ImportOptions`).
enum ImportOptionsQuery {
    static func parse(_ request: Request, today: CalendarDate) throws -> ImportOptions {
        let q = request.uri.queryParameters
        var options = ImportOptions()
        switch q.get("confirmIdentityChange") {
        case nil, "false": break
        case "true": options.confirmIdentityChange = true
        default:
            throw APIError(
                .badRequest,
                "bad flag",
                details: [.init(path: "confirmIdentityChange", problem: "must be true or false")]
            )
        }
        if let text = q.get("completedBefore") {
            guard let d = CalendarDate(text), d <= today else {
                throw APIError(
                    .badRequest,
                    "bad date",
                    details: [
                        .init(path: "completedBefore", problem: "must be a real date YYYY-MM-DD, today or earlier")
                    ]
                )
            }
            options.completedBefore = d
        }
        return options
    }

    /// 409 naming the identity fields (paths only, never the values).
    static func conflict(_ r: ImportRefusal) -> APIError {
        APIError(
            .conflict,
            r.confirmable
                ? "this version would change who the record is about; send confirmIdentityChange=true to import it (audited)"
                : "this record's id is already a different record's",
            details: r.problems.map { .init(path: $0.path, problem: $0.problem) }
        )
    }
}
