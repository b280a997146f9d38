import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

// The obligation listing of the API: filters checked, the list audited with the ids it returned.

extension APIRoutes {
    func listObligations(_ req: Request, _ ctx: AppContext) async throws -> Response {
        let q = req.uri.queryParameters
        var query = ObligationQuery(today: today)
        if let k = q.get("kind") {
            guard let kind = ObligationKind(rawValue: k) else {
                throw APIError(
                    .badRequest,
                    "unknown kind",
                    details: [
                        .init(
                            path: "kind",
                            problem:
                                "\(Quote.value(k)) is not one of \(ObligationKind.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    ]
                )
            }
            query.kind = kind
        }
        if let w = q.get("dueWithin") {
            guard let days = Int(w), days >= 0 else {
                throw APIError(
                    .badRequest,
                    "bad dueWithin",
                    details: [.init(path: "dueWithin", problem: "must be a whole number of days ≥ 0")]
                )
            }
            query.dueWithin = days
        }
        query.recordId = q.get("recordId")
        let status = q.get("status") ?? "pending"
        switch status {
        case "pending": break
        case "overdue": query.overdueOnly = true
        case "at-risk", "on-track", "complete", "cancelled", "all":
            query.includeClosed = status != "at-risk" && status != "on-track"
        default:
            throw APIError(
                .badRequest,
                "unknown status",
                details: [
                    .init(
                        path: "status",
                        problem: "one of pending, overdue, at-risk, on-track, complete, cancelled, all"
                    )
                ]
            )
        }
        let today = today
        var list = try await env.store.obligations(query).map { ObligationOut($0, today: today) }
        if ["at-risk", "on-track", "complete", "cancelled"].contains(status) {
            list = list.filter { $0.status.state.rawValue == status }
        }
        let filters =
            ["status \(status)"]
            + [query.kind.map { "kind \($0.rawValue)" }, query.dueWithin.map { "due within \($0)" }]
            .compactMap { $0 } + (query.recordId.map { ["record \(Quote.value($0))"] } ?? [])
        try await env.audit(
            ctx,
            "list-obligations",
            "obligation list (\(filters.joined(separator: ", "))): \(list.count) found: \(ServiceEnvironment.ids(list.map(\.obligation.id)))"
        )
        return JSONResponse.make(list)
    }
}
