import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

let actor = "test-coordinator"

/// The store contract, run against SQLite and PostgreSQL alike.
@Suite("Deadline store (SQLite and PostgreSQL)")
struct StoreTests {
    @Test("import derives all eight kinds with their due dates", arguments: StoreKind.allCases)
    func derivesEveryKind(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let report = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            #expect(report.version == 1 && report.newVersion && report.created == 9)
            let all = try await store.obligations(ObligationQuery(today: day("2026-11-20"), includeClosed: true))
            let due = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.dueDate.description) })
            let referral = all.first { $0.kind == .referralFollowUp }!
            #expect(
                due == [
                    "R-1/enrollment-letter": "2026-12-01",
                    "R-1/ccm-notice": "2026-12-01",
                    "R-1/termination-letter": "2027-01-14",
                    referral.id: "2027-02-09",
                    "R-1/care-plan/en": "2026-12-04",
                    "R-1/care-plan/es": "2026-12-04",
                    "R-1/care-plan-signature": "2027-02-28",
                    "R-1/reassessment/1": "2027-10-28",
                    "R-1/monitoring/1": "2027-05-10",
                ]
            )
            #expect(all.first { $0.id == "R-1/enrollment-letter" }!.electronicRequired)
            #expect(all.first { $0.id == "R-1/enrollment-letter" }!.language == "es")
            #expect(all.allSatisfy { $0.recordVersion == 1 && $0.isPending })
            // Sorted by due date.
            #expect(all.map(\.dueDate) == all.map(\.dueDate).sorted())
        }
    }

    @Test(
        "versions: same bytes keep the version, a changed date moves the due date (audited)",
        arguments: StoreKind.allCases
    )
    func versionsAndMoves(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = fullRecord()
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            let again = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-21"))
            #expect(again.version == 1 && !again.newVersion && again.created == 0 && again.moved == 0)
            r.enrollment["effectiveDate"] = "2026-11-05"
            let v2 = try await store.importRecord(r.data, actor: "someone-else", now: noon("2026-11-22"))
            #expect(v2.version == 2 && v2.newVersion && v2.moved == 2 && v2.created == 0)
            let letter = try #require(try await store.detail("R-1/enrollment-letter")).obligation
            #expect(
                letter.dueDate == day("2026-12-05") && letter.startDate == day("2026-11-05")
                    && letter.recordVersion == 2
            )
            let history = try await store.history(recordId: "R-1")
            #expect(history.versions.map(\.version) == [1, 2])
            #expect(history.versions[0].sha256 == sha256Hex(fullRecord().data))
            #expect(history.versions[1].sha256 == sha256Hex(r.data) && history.versions[1].importedBy == "someone-else")
            let moves = history.audit.filter { $0.action == "move" }
            #expect(Set(moves.compactMap(\.obligationId)) == ["R-1/enrollment-letter", "R-1/ccm-notice"])
            #expect(moves.allSatisfy { $0.recordVersion == 2 && $0.actor == "someone-else" })
            #expect(history.audit.filter { $0.action == "import" }.count == 3)
        }
    }

    @Test(
        "withdrawn obligations are cancelled with a reason, never deleted, and reinstated",
        arguments: StoreKind.allCases
    )
    func cancelAndReinstate(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = fullRecord()
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            r.root["removal"] = nil
            r.set("member.enrolledInCCM", false)
            r.set("member.primaryLanguage", "en")
            r.guardian(consents: false, language: "en")
            let v2 = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-21"))
            #expect(v2.cancelled == 4)
            let all = try await store.obligations(ObligationQuery(today: day("2026-11-21"), includeClosed: true))
            #expect(all.count == 9)
            let reasons = Dictionary(
                uniqueKeysWithValues: all.filter(\.isCancelled).map {
                    ($0.kind.rawValue + ($0.kind == .carePlan ? "/" + $0.qualifier! : ""), $0.cancelledReason!)
                }
            )
            #expect(
                reasons == [
                    "termination-letter": "removal withdrawn from the record",
                    "referral-follow-up": "removal withdrawn from the record",
                    "ccm-notice": "member.enrolledInCCM no longer true",
                    "care-plan/es": "primary language changed (no es copy needed)",
                ]
            )
            #expect(try await store.obligations(ObligationQuery(today: day("2026-11-21"))).count == 5)
            let enrollment = try #require(try await store.detail("R-1/enrollment-letter")).obligation
            #expect(!enrollment.electronicRequired && enrollment.language == "en")
            // Cancelled obligations refuse events.
            await #expect(throws: TransitionRefused.self) {
                try await store.apply(.printed, to: "R-1/termination-letter", actor: actor, now: noon("2026-11-21"))
            }
            // The removal comes back: reinstated, not duplicated.
            r.root["removal"] = fullRecord().root["removal"]
            let v3 = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-22"))
            #expect(v3.reinstated == 2 && v3.created == 0)
            let termination = try #require(try await store.detail("R-1/termination-letter")).obligation
            #expect(termination.isPending && termination.recordVersion == 3)
        }
    }

    @Test(
        "signature after verbal approval: completed by a recorded signature, cancelled by an accommodation need",
        arguments: StoreKind.allCases
    )
    func signature(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var a = fullRecord(id: "A")
            _ = try await store.importRecord(a.data, actor: actor, now: noon("2026-12-01"))
            a.root["carePlanApproval"] = ["method": "signature", "date": "2027-01-15"]
            let report = try await store.importRecord(a.data, actor: actor, now: noon("2027-01-16"))
            #expect(report.completed == 1)
            let signed = try #require(try await store.detail("A/care-plan-signature")).obligation
            #expect(
                signed.completedOn == day("2027-01-15")
                    && signed.status(today: day("2027-03-01")) == DueStatus(state: .complete, late: false)
            )

            var b = fullRecord(id: "B")
            _ = try await store.importRecord(b.data, actor: actor, now: noon("2026-12-01"))
            b.root["carePlanApproval"] = [
                "method": "verbal", "date": "2026-11-30", "accommodationNeed": "Cannot hold a pen.",
            ]
            _ = try await store.importRecord(b.data, actor: actor, now: noon("2026-12-02"))
            let cancelled = try #require(try await store.detail("B/care-plan-signature")).obligation
            #expect(cancelled.cancelledReason == "accommodation need documented for the verbal approval")
        }
    }

    @Test(
        "reassessment and monitoring run in cycles: a new date completes the cycle and opens the next",
        arguments: StoreKind.allCases
    )
    func cycles(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = fullRecord()
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            r.enrollment["lastAssessmentDate"] = "2027-10-20"
            r.enrollment["lastCarePlanUpdate"] = "2026-11-01"  // a correction: earlier, the due date moves
            let report = try await store.importRecord(r.data, actor: actor, now: noon("2027-10-21"))
            #expect(report.completed == 1 && report.created == 1 && report.moved == 1)
            let first = try #require(try await store.detail("R-1/reassessment/1")).obligation
            #expect(first.completedOn == day("2027-10-20") && first.status(today: day("2027-10-21")).late == false)
            let second = try #require(try await store.detail("R-1/reassessment/2")).obligation
            #expect(second.dueDate == day("2028-10-20") && second.isPending)
            #expect(try #require(try await store.detail("R-1/monitoring/1")).obligation.dueDate == day("2027-05-01"))
        }
    }

    @Test(
        "several records in one transaction; invalid ones answered with their problems",
        arguments: StoreKind.allCases
    )
    func importMany(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var changed = fullRecord(id: "M-1")
            changed.enrollment["effectiveDate"] = "2026-11-02"
            let items = [
                fullRecord(id: "M-1").data, Data("{\"schemaVersion\": 1}".utf8), fullRecord(id: "M-2").data,
                changed.data,
            ]
            let results = try await store.importRecords(items, actor: actor, now: noon("2026-11-20"))
            #expect(results.count == 4)
            #expect(try results[0].get().version == 1 && (try results[2].get().recordId) == "M-2")
            #expect(try results[3].get().version == 2 && (try results[3].get().moved) == 2)
            guard case .failure(let f) = results[1] else {
                Issue.record("expected a failure")
                return
            }
            #expect(f.problems.contains { $0.path.contains("member") || $0.problem.contains("member") })
            #expect(try await store.verifyAudit().isIntact)
            #expect(try await store.history(recordId: "M-1").versions.count == 2)
        }
    }
}
