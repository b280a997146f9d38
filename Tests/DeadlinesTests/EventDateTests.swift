import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

/// Claimed mailing-event dates: never in the future, never before the obligation started, a
/// delivery or return never before the mailing; the claimed date is kept in the audit entry.
@Suite("Mailing event dates (SQLite and PostgreSQL)")
struct EventDateTests {
    @Test(arguments: StoreKind.allCases)
    func claimedDatesAreChecked(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            let id = "R-1/enrollment-letter"  // starts 2026-11-01
            let now = noon("2026-11-24")
            try await store.apply(.rendered(rendition()), to: id, actor: actor, now: now)
            try await store.apply(.printed, to: id, actor: actor, now: now)
            #expect(
                await refusal {
                    try await store.apply(.mailed(tracking(1), date: day("2026-11-25")), to: id, actor: actor, now: now)
                } == "the mail date 2026-11-25 is in the future (today is 2026-11-24 in America/New_York)"
            )
            #expect(
                await refusal {
                    try await store.apply(.mailed(tracking(1), date: day("2026-10-31")), to: id, actor: actor, now: now)
                } == "the mail date 2026-10-31 is before obligation R-1/enrollment-letter started (2026-11-01)"
            )
            // Nothing changed: still printed, the tracking number still free.
            #expect(try await store.detail(id)?.obligation.paper == .printed)
            #expect(try await store.obligationId(forTracking: tracking(1).value) == nil)

            try await store.apply(.mailed(tracking(1), date: day("2026-11-23")), to: id, actor: actor, now: now)
            #expect(
                await refusal {
                    try await store.apply(.delivered(date: day("2026-11-22")), to: id, actor: actor, now: now)
                } == "the delivery date 2026-11-22 is before the piece was mailed (2026-11-23)"
            )
            #expect(
                await refusal {
                    try await store.apply(.delivered(date: day("2026-11-30")), to: id, actor: actor, now: now)
                } == "the delivery date 2026-11-30 is in the future (today is 2026-11-24 in America/New_York)"
            )
            #expect(
                await refusal {
                    try await store.apply(
                        .electronicSent(channel: "outbox", date: day("2026-12-01")),
                        to: id,
                        actor: actor,
                        now: now
                    )
                }?.hasPrefix("the sending date 2026-12-01 is in the future") == true
            )
            try await store.apply(.delivered(date: day("2026-11-24")), to: id, actor: actor, now: now)
            let log = try await store.history(recordId: "R-1").audit
            #expect(log.contains { $0.action == "mail" && $0.what.hasSuffix("mailed 2026-11-23") })
            #expect(log.contains { $0.action == "deliver" && $0.what.hasSuffix("delivered 2026-11-24") })
        }
    }
}
