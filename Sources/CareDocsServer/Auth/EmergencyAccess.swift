import Deadlines
import Foundation

// Minimum necessary for ED staff: a search needs the whole family name and the date of birth, or
// the member id, and an emergency plan (page, PDF, preview) opens only when a search of the same
// session matched it. The matches are kept in the store (every node sees them) and end with the
// session; an API token's last for the session lifetime.

extension Identity {
    /// What a lookup's matches are remembered under: the session, or the API token.
    var lookupScope: String {
        switch kind {
        case .session(let hash, _): hash
        case .apiToken: "token:\(name)"
        }
    }
}

extension ServiceEnvironment {
    /// Runs a member search for a request and audits it — the fields used and the record ids
    /// found, never the values searched. For ED staff the name must be a whole family name and
    /// the records found are remembered for this session.
    func lookup(_ search: MemberSearch, _ ctx: AppContext, label: String) async throws -> [MemberSummary] {
        var search = search
        let who = try ctx.who
        if who.role == .ed { search.wholeFamilyName = true }
        let found = try await store.searchMembers(search)
        if who.role == .ed {
            try await store.rememberMatches(
                found.map(\.recordId),
                scope: who.lookupScope,
                expiresAt: now.addingTimeInterval(settings.sessionLifetime)
            )
        }
        try await audit(
            ctx,
            "search",
            "\(label) by \(APIRoutes.describe(search)): \(found.count) found: \(Self.ids(found.map(\.recordId)))"
        )
        return found
    }

    /// ED staff may open `recordId`'s emergency plan only when a search of this session matched
    /// it; otherwise the refusal is audited (`ed-denied`) and answered 403 — before anything
    /// says whether the record exists.
    func requireLookup(_ ctx: AppContext, recordId: String, what: String) async throws {
        let who = try ctx.who
        guard who.role == .ed else { return }
        if try await store.matched(recordId, scope: who.lookupScope, now: now) { return }
        try await audit(
            ctx,
            "ed-denied",
            recordId: String(recordId.prefix(80)),
            "\(what) refused: no search in this session matched the record"
        )
        throw APIError(
            .forbidden,
            "Emergency plans open only from a search: find the child by family name and date of birth, or member id, first."
        )
    }
}
