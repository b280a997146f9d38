import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

/// Members already in the program: what fell due before they came into the queue was done then.
@Suite("Import of members already in the program (SQLite and PostgreSQL)")
struct CompletedBeforeTests {
    /// Enrolled in 2024, assessed and reviewed since: most deadlines long past.
    func longEnrolled() -> RecordJSON {
        var r = RecordJSON(id: "R-OLD", primaryLanguage: "es")
        r.guardian(consents: false, language: "es")
        r.enrollment = [
            "referralDate": "2024-02-01", "effectiveDate": "2024-03-01",
            "lastAssessmentDate": "2025-11-20", "lastCarePlanUpdate": "2026-03-01",
        ]
        return r
    }

    @Test("the planner completes only newly derived obligations due before the date, on their due date")
    func planner() throws {
        let record = try CareRecordLoader.load(data: longEnrolled().data).get()
        let plan = ImportPlanner.plan(
            record: record,
            version: 1,
            existing: [],
            today: day("2026-11-20"),
            completedBefore: day("2026-11-20")
        )
        let byId = Dictionary(uniqueKeysWithValues: plan.upserts.map { ($0.id, $0) })
        let letter = try #require(byId["R-OLD/enrollment-letter"])
        #expect(letter.completedOn == letter.dueDate && letter.completedBeforeImport && letter.doneConditionHolds)
        #expect(letter.completionNote == "completed before import: due before 2026-11-20, as stated at import")
        #expect(byId["R-OLD/care-plan/en"]?.completedOn == day("2024-04-01"))
        #expect(byId["R-OLD/monitoring/1"]?.completedOn == day("2026-09-01"))
        // Due on the date itself (or after it): left to the rules.
        #expect(byId["R-OLD/reassessment/1"]?.dueDate == day("2026-11-20"))
        #expect(byId["R-OLD/reassessment/1"]?.isPending == true)
        #expect(plan.completed == 4 && plan.created == 5)
        #expect(plan.audit.filter { $0.action == "complete" }.count == 4)
        // Without the date, everything is pending (and long overdue).
        let plain = ImportPlanner.plan(record: record, version: 1, existing: [], today: day("2026-11-20"))
        #expect(plain.completed == 0 && plain.upserts.allSatisfy(\.isPending))
        // Obligations that exist already are never completed by the date.
        let later = ImportPlanner.plan(
            record: record,
            version: 2,
            existing: plain.upserts,
            today: day("2026-11-21"),
            completedBefore: day("2026-11-21")
        )
        #expect(later.upserts.isEmpty && later.completed == 0)
    }

    @Test(
        "import --completed-before: complete, not overdue, audited with who said so; later imports leave them complete",
        arguments: StoreKind.allCases
    )
    func store(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = longEnrolled()
            let report = try await store.importRecord(
                r.data,
                options: ImportOptions(completedBefore: day("2026-11-20")),
                actor: "coordinator-ann",
                now: noon("2026-11-20")
            )
            #expect(report.created == 5 && report.completed == 4)
            let today = day("2026-11-20")
            #expect(try await store.obligations(ObligationQuery(today: today, overdueOnly: true)).isEmpty)
            let all = try await store.obligations(ObligationQuery(today: today, includeClosed: true))
            let letter = try #require(all.first { $0.id == "R-OLD/enrollment-letter" })
            #expect(letter.status(today: today).state == .complete && letter.status(today: today).late == false)
            #expect(letter.completedOn == day("2024-03-31") && letter.completionNote?.contains("before import") == true)
            #expect(all.filter(\.isPending).map(\.id) == ["R-OLD/reassessment/1"])
            let completions = try await store.history(recordId: "R-OLD").audit.filter { $0.action == "complete" }
            #expect(completions.count == 4)
            #expect(completions.allSatisfy { $0.actor == "coordinator-ann" && $0.what.contains("before import") })

            // A later version (a guardian now consents to electronic delivery, which would reopen a
            // letter that was only mailed) leaves them complete, with or without the flag.
            r.guardian(consents: true, language: "es")
            let v2 = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-21"))
            #expect(v2.reopened == 0 && v2.completed == 0)
            let after = try #require(try await store.detail("R-OLD/enrollment-letter")).obligation
            #expect(after.isComplete && after.completedBeforeImport && after.electronicRequired)
            // The flag on a later import completes nothing that was derived before.
            let v3 = try await store.importRecord(
                longEnrolled().data,
                options: ImportOptions(completedBefore: day("2026-11-21")),
                actor: actor,
                now: noon("2026-11-21")
            )
            #expect(v3.completed == 0)
            #expect(try await store.detail("R-OLD/reassessment/1")?.obligation.isPending == true)
            #expect(try await store.verifyAudit().isIntact)
        }
    }
}
