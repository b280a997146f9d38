import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/records` and `PUT /v1/records/{recordId}`: identity changes need a confirmation,
/// members already in the program can be imported with `completedBefore`.
@Suite("Record import options over the API")
struct RecordImportOptionsTests {
    /// The Rivera example record with `change` applied, as JSON.
    func rivera(_ change: (inout [String: Any]) -> Void) throws -> ByteBuffer {
        var root = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: examples.appendingPathComponent("rivera-enrollment.json"))
            ) as? [String: Any]
        )
        change(&root)
        return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: root))
    }

    @Test("a version that changes who the child is: 409 naming the fields, imported with confirmIdentityChange=true")
    func identityChange() async throws {
        try await TestService.with { s, client in
            let renamed = try rivera { root in
                var member = root["member"] as! [String: Any]
                member["firstName"] = "Bartholomew"
                root["member"] = member
            }
            let uri = "/v1/records/\(TestService.rivera)"
            try await client.execute(
                uri: uri,
                method: .put,
                headers: s.headers(.coordinator, json: true),
                body: renamed
            ) {
                r in
                #expect(r.status == .conflict)
                #expect(r.paths() == ["member.firstName"])
                #expect(!r.text.contains("Bartholomew") && !r.text.contains("Mateo"))
            }
            try await client.execute(
                uri: uri + "?confirmIdentityChange=maybe",
                method: .put,
                headers: s.headers(.coordinator, json: true),
                body: renamed
            ) { r in
                #expect(r.status == .badRequest)
                #expect(r.paths() == ["confirmIdentityChange"])
            }
            try await client.execute(
                uri: uri + "?confirmIdentityChange=true",
                method: .put,
                headers: s.headers(.coordinator, json: true),
                body: renamed
            ) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"version\":2"))
            }
            let entries = try await s.store.auditEntries(AuditQuery(action: "identity-change", limit: 10))
            #expect(entries.count == 1 && entries[0].actor == "token:coordinator-token")
            #expect(entries[0].what.contains("member.firstName") && !entries[0].what.contains("Bartholomew"))
            #expect(try await s.store.member(recordId: TestService.rivera)?.givenName == "Bartholomew")
            // The same child under a second record id.
            let twin = try rivera { root in root["recordId"] = "CR-2026-999999" }
            try await client.execute(
                uri: "/v1/records",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: twin
            ) { r in
                #expect(r.status == .conflict)
                #expect(r.paths() == ["member.id"])
            }
        }
    }

    @Test("completedBefore: obligations due before the day are complete, not overdue; the day is checked")
    func completedBefore() async throws {
        try await TestService.with { s, client in
            let old = try rivera { root in
                root["recordId"] = "CR-2024-000001"
                var member = root["member"] as! [String: Any]
                member["id"] = "100234567000"
                root["member"] = member
                var enrollment = root["enrollment"] as! [String: Any]
                enrollment["referralDate"] = "2024-01-05"
                enrollment["consentDate"] = "2024-01-20"
                enrollment["effectiveDate"] = "2024-02-01"
                root["enrollment"] = enrollment
            }
            let today = ProgramCalendar.today()
            for bad in ["2024-02-30", today.adding(days: 1).description] {
                try await client.execute(
                    uri: "/v1/records?completedBefore=\(bad)",
                    method: .post,
                    headers: s.headers(.coordinator, json: true),
                    body: old
                ) { r in
                    #expect(r.status == .badRequest)
                    #expect(r.paths() == ["completedBefore"])
                }
            }
            try await client.execute(
                uri: "/v1/records?completedBefore=2026-01-01",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: old
            ) { r in
                #expect(r.status == .created)
                let o = try #require(try r.json() as? [String: Any])
                #expect((o["completed"] as? Int ?? 0) >= 3)
            }
            let letter = try #require(try await s.store.detail("CR-2024-000001/enrollment-letter")).obligation
            #expect(letter.isComplete && letter.completedOn == letter.dueDate && letter.completedBeforeImport)
            let overdue = try await s.store.obligations(
                ObligationQuery(today: today, overdueOnly: true, recordId: "CR-2024-000001")
            )
            #expect(overdue.allSatisfy { $0.dueDate >= CalendarDate("2026-01-01")! })
            let completions = try await s.store.auditEntries(
                AuditQuery(recordId: "CR-2024-000001", action: "complete", limit: 50)
            )
            #expect(!completions.isEmpty && completions.allSatisfy { $0.actor == "token:coordinator-token" })
        }
    }

    @Test("audit verify reports the chain's mode")
    func verifyMode() async throws {
        try await TestService.with { s, client in
            try await client.execute(uri: "/v1/audit/verify", method: .get, headers: s.headers(.admin)) { r in
                #expect(r.status == .ok)
                let o = try #require(try r.json() as? [String: Any])
                #expect(o["mode"] as? String == "sha256")
                #expect(o["firstProblem"] == nil || o["firstProblem"] is NSNull)
            }
        }
    }
}
