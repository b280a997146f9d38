import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

func rendition(version: Int = 1, language: String = "es") -> Rendition {
    Rendition(
        obligationId: "",
        recordVersion: version,
        templateVersion: "t-abc123",
        localeVersion: "l-def456",
        language: language,
        pdfSHA256: String(repeating: "ab", count: 32),
        pdfPath: nil
    )
}

func refusal(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let e as TransitionRefused { return e.description } catch { return "other: \(error)" }
}

@Suite("Obligation states (SQLite and PostgreSQL)")
struct StateMachineTests {
    @Test(
        "enrollment letter: complete exactly when mailed by registered mail AND sent electronically (consent)",
        arguments: StoreKind.allCases
    )
    func enrollmentLetter(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            let id = "R-1/enrollment-letter"
            let now = noon("2026-11-24")
            // Illegal transitions, each with a clear message.
            #expect(
                await refusal { try await store.apply(.printed, to: id, actor: actor, now: now) }
                    == "cannot mark obligation R-1/enrollment-letter printed: its paper copy is open, and only a rendered copy can become printed"
            )
            #expect(
                await refusal {
                    try await store.apply(.mailed(tracking(1), date: day("2026-11-24")), to: id, actor: actor, now: now)
                }?
                .contains("its paper copy is open, and only a printed copy can become mailed") == true
            )
            #expect(
                await refusal {
                    try await store.apply(
                        .electronicSent(channel: "outbox", date: day("2026-11-24")),
                        to: id,
                        actor: actor,
                        now: now
                    )
                }?
                .contains("no document has been rendered") == true
            )
            #expect(
                await refusal {
                    try await store.apply(
                        .completed(note: "done", date: day("2026-11-24")),
                        to: id,
                        actor: actor,
                        now: now
                    )
                }?
                .contains("not by hand") == true
            )

            try await store.apply(.rendered(rendition()), to: id, actor: actor, now: now)
            try await store.apply(.printed, to: id, actor: actor, now: now)
            #expect(
                await refusal {
                    try await store.apply(.delivered(date: day("2026-11-25")), to: id, actor: actor, now: now)
                }?
                .contains("only a mailed copy can become delivered") == true
            )
            // An S10 number that is not Registered Mail is refused for an enrollment letter.
            #expect(
                await refusal {
                    try await store.apply(
                        .mailed(tracking(1, service: "EA"), date: day("2026-11-24")),
                        to: id,
                        actor: actor,
                        now: now
                    )
                }?
                .contains("not a Registered Mail article number") == true
            )
            var o = try await store.apply(.mailed(tracking(1), date: day("2026-11-24")), to: id, actor: actor, now: now)
            // electronic still missing
            #expect(o.paper == .mailed && o.trackingNumber == tracking(1).value && !o.isComplete)
            try await store.apply(
                .electronicFailed(channel: "outbox", reason: "disk full"),
                to: id,
                actor: actor,
                now: now
            )
            o = try await store.apply(
                .electronicSent(channel: "outbox", date: day("2026-12-02")),
                to: id,
                actor: actor,
                now: noon("2026-12-02")
            )
            #expect(o.isComplete && o.completedOn == day("2026-12-02"))
            #expect(o.status(today: day("2026-12-10")) == DueStatus(state: .complete, late: true))  // due 2026-12-01
            o = try await store.apply(
                .delivered(date: day("2026-12-03")),
                to: id,
                actor: actor,
                now: noon("2026-12-03")
            )
            #expect(o.paper == .delivered && o.isComplete)
            let detail = try #require(try await store.detail(id))
            #expect(
                detail.renditions.count == 1 && detail.renditions[0].recordVersion == 1
                    && detail.renditions[0].templateVersion == "t-abc123"
                    && detail.renditions[0].pdfSHA256 == String(repeating: "ab", count: 32)
            )
            #expect(detail.pieces.map(\.outcome) == ["delivered"])
            #expect(
                await refusal {
                    try await store.apply(
                        .electronicSent(channel: "outbox", date: day("2026-12-02")),
                        to: id,
                        actor: actor,
                        now: now
                    )
                }
                    == "obligation R-1/enrollment-letter was already sent electronically"
            )
        }
    }

    @Test(
        "without consent the enrollment letter is complete once mailed; termination letter: mailed OR sent",
        arguments: StoreKind.allCases
    )
    func orConditions(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = fullRecord()
            r.guardian(consents: false, language: "es")
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            let now = noon("2026-11-30")
            for event in [
                ObligationEvent.rendered(rendition()), .printed, .mailed(tracking(7), date: day("2026-11-30")),
            ] {
                try await store.apply(event, to: "R-1/enrollment-letter", actor: actor, now: now)
            }
            #expect(
                try #require(try await store.detail("R-1/enrollment-letter")).obligation.completedOn
                    == day("2026-11-30")
            )
            // The termination letter starts at the removal date (2026-12-15).
            let later = noon("2026-12-16")
            try await store.apply(.rendered(rendition()), to: "R-1/termination-letter", actor: actor, now: later)
            let t = try await store.apply(
                .electronicSent(channel: "webhook", date: day("2026-12-16")),
                to: "R-1/termination-letter",
                actor: actor,
                now: later
            )
            #expect(t.isComplete && t.paper == .rendered)
            // Consent given later: the mailed letter now also needs electronic delivery: reopened.
            r.guardian(consents: true, language: "es")
            let v2 = try await store.importRecord(r.data, actor: actor, now: noon("2026-12-17"))
            #expect(v2.reopened == 1)
            #expect(try #require(try await store.detail("R-1/enrollment-letter")).obligation.isPending)
        }
    }

    @Test(
        "a returned piece reopens the obligation for a new attempt with the address problem noted",
        arguments: StoreKind.allCases
    )
    func returned(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = fullRecord()
            r.guardian(consents: false)
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            let id = "R-1/enrollment-letter"
            let now = noon("2026-11-22")
            for event in [
                ObligationEvent.rendered(rendition()), .printed, .mailed(tracking(11), date: day("2026-11-22")),
            ] {
                try await store.apply(event, to: id, actor: actor, now: now)
            }
            #expect(try #require(try await store.detail(id)).obligation.isComplete)
            #expect(
                await refusal {
                    try await store.apply(
                        .returned(date: day("2026-11-27"), addressProblem: " "),
                        to: id,
                        actor: actor,
                        now: now
                    )
                }?
                .contains("address problem") == true
            )
            let o = try await store.apply(
                .returned(date: day("2026-11-27"), addressProblem: "No such apartment (3B)"),
                to: id,
                actor: actor,
                now: noon("2026-11-27")
            )
            #expect(
                o.paper == .open && o.attempt == 2 && o.addressProblem == "No such apartment (3B)"
                    && o.trackingNumber == nil && !o.isComplete
            )
            // The old article number stays used; the second attempt needs a new one.
            for event in [ObligationEvent.rendered(rendition(version: 1)), .printed] {
                try await store.apply(event, to: id, actor: actor, now: now)
            }
            #expect(
                await refusal {
                    try await store.apply(
                        .mailed(tracking(11), date: day("2026-11-28")),
                        to: id,
                        actor: actor,
                        now: now
                    )
                }
                    == "tracking number \(tracking(11)) is already used by obligation R-1/enrollment-letter; each piece needs its own article number"
            )
            let again = try await store.apply(
                .mailed(tracking(12), date: day("2026-11-28")),
                to: id,
                actor: actor,
                now: noon("2026-11-28")
            )
            #expect(again.isComplete && again.attempt == 2)
            let detail = try #require(try await store.detail(id))
            #expect(
                detail.pieces.map { "\($0.attempt) \($0.trackingNumber) \($0.outcome)" } == [
                    "1 \(tracking(11)) returned", "2 \(tracking(12)) mailed",
                ]
            )
            #expect(try await store.obligationId(forTracking: tracking(12).value) == id)
            let history = try await store.history(recordId: "R-1")
            #expect(history.audit.contains { $0.action == "return" && $0.what.contains("attempt 2") })
            // The address problem is not in the audit log.
            #expect(!history.audit.contains { $0.what.contains("apartment") })
        }
    }

    @Test("tracking numbers are unique across the store", arguments: StoreKind.allCases)
    func trackingUnique(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(fullRecord(id: "A").data, actor: actor, now: noon("2026-11-20"))
            _ = try await store.importRecord(fullRecord(id: "B").data, actor: actor, now: noon("2026-11-20"))
            let now = noon("2026-12-16")
            for id in ["A/termination-letter", "B/termination-letter"] {
                try await store.apply(.rendered(rendition()), to: id, actor: actor, now: now)
                try await store.apply(.printed, to: id, actor: actor, now: now)
            }
            // Recorded later than it happened: complete on the mail date.
            let a = try await store.apply(
                .mailed(tracking(42), date: day("2026-12-16")),
                to: "A/termination-letter",
                actor: actor,
                now: noon("2026-12-20")
            )
            #expect(a.completedOn == day("2026-12-16"))
            #expect(
                await refusal {
                    try await store.apply(
                        .mailed(tracking(42), date: day("2026-12-16")),
                        to: "B/termination-letter",
                        actor: actor,
                        now: now
                    )
                }?
                .contains("already used by obligation A/termination-letter") == true
            )
            let b = try #require(try await store.detail("B/termination-letter")).obligation
            #expect(b.paper == .printed)
        }
    }

    @Test(
        "care plan: delivered on paper and sent electronically; by-hand kinds need a note",
        arguments: StoreKind.allCases
    )
    func carePlanAndByHand(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            let id = "R-1/care-plan/es"
            let now = noon("2026-11-25")
            for event in [
                ObligationEvent.rendered(rendition()), .printed, .mailed(tracking(5), date: day("2026-11-25")),
                .electronicSent(channel: "outbox", date: day("2026-11-25")),
            ] {
                try await store.apply(event, to: id, actor: actor, now: now)
            }
            #expect(try #require(try await store.detail(id)).obligation.isPending)  // not delivered yet
            let done = try await store.apply(
                .delivered(date: day("2026-11-29")),
                to: id,
                actor: actor,
                now: noon("2026-11-29")
            )
            #expect(done.isComplete)

            let referral = try #require(
                try await store.obligations(ObligationQuery(today: day("2026-11-29"), kind: .referralFollowUp)).first
            ).id
            #expect(
                await refusal { try await store.apply(.printed, to: referral, actor: actor, now: now) }?.contains(
                    "is not a document"
                ) == true
            )
            #expect(
                await refusal {
                    try await store.apply(
                        .completed(note: "  ", date: day("2027-01-20")),
                        to: referral,
                        actor: actor,
                        now: now
                    )
                }?
                .contains("needs a note") == true
            )
            let followed = try await store.apply(
                .completed(note: "Family declined: moved away", date: day("2027-01-20")),
                to: referral,
                actor: actor,
                now: noon("2027-01-20")
            )
            #expect(
                followed.completedOn == day("2027-01-20") && followed.completionNote == "Family declined: moved away"
            )
            #expect(
                await refusal {
                    try await store.apply(
                        .completed(note: "again", date: day("2027-01-21")),
                        to: referral,
                        actor: actor,
                        now: now
                    )
                }?
                .contains("already complete") == true
            )
            await #expect(throws: DeadlineStoreError.self) {
                try await store.apply(.printed, to: "R-1/nothing", actor: actor, now: now)
            }
        }
    }

    @Test("listing: due within N days, overdue, kind; day 30 on time, day 31 overdue", arguments: StoreKind.allCases)
    func listing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = RecordJSON(id: "L")
            r.enrollment = ["effectiveDate": "2026-01-31"]  // enrollment letter due 2026-03-02
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-02-01"))
            _ = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            func ids(_ q: ObligationQuery) async throws -> [String] { try await store.obligations(q).map(\.id) }
            #expect(try await ids(ObligationQuery(today: day("2026-03-02"), overdueOnly: true)) == [])
            #expect(
                try await ids(ObligationQuery(today: day("2026-03-03"), overdueOnly: true)) == ["L/enrollment-letter"]
            )
            #expect(try await ids(ObligationQuery(today: day("2026-02-20"), dueWithin: 10)) == ["L/enrollment-letter"])
            #expect(try await ids(ObligationQuery(today: day("2026-02-20"), dueWithin: 9)) == [])
            #expect(
                try await ids(ObligationQuery(today: day("2026-11-20"), dueWithin: 11, kind: .enrollmentLetter)) == [
                    "L/enrollment-letter", "R-1/enrollment-letter",
                ]
            )
            #expect(
                try await ids(ObligationQuery(today: day("2026-11-20"), dueWithin: 14)) == [
                    "L/enrollment-letter", "R-1/ccm-notice", "R-1/enrollment-letter", "R-1/care-plan/en",
                    "R-1/care-plan/es",
                ]
            )
            #expect(try await ids(ObligationQuery(today: day("2026-11-20"), recordId: "L")) == ["L/enrollment-letter"])
        }
    }
}
