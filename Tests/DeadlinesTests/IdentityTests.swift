import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

/// A new version may not change who a record is about, and one child is under one record id.
@Suite("Record identity (SQLite and PostgreSQL)")
struct IdentityTests {
    static let confirm = ImportOptions(confirmIdentityChange: true)

    func refusal(_ body: () async throws -> Void) async -> ImportRefusal? {
        do {
            try await body()
            return nil
        } catch let r as ImportRefusal {
            return r
        } catch {
            Issue.record("expected a refusal, got \(error)")
            return nil
        }
    }

    @Test(
        "a version that changes the member's id, name or date of birth is refused naming the fields, unless confirmed (audited, index follows)",
        arguments: StoreKind.allCases
    )
    func identityChange(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let access = store as! any AccessStore
            var r = fullRecord()
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            r.set("member.firstName", "Philippa")
            r.set("member.dateOfBirth", "2015-04-10")
            let refused = await refusal {
                _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-21"))
            }
            #expect(refused?.changedFields == ["member.firstName", "member.dateOfBirth"])
            #expect(refused?.confirmable == true)
            #expect(refused?.problems.map(\.path) == ["member.firstName", "member.dateOfBirth"])
            // Paths only: neither the old nor the new values.
            let message = refused?.description ?? ""
            for phi in ["Philippa", "Zebulon", "2015-04-10", "2014-03-09", "Quixotically"] {
                #expect(message.contains(phi) == false, "\(phi)")
            }
            // Nothing stored: same version, same index entry, no audit entry for it.
            #expect(try await store.history(recordId: "R-1").versions.count == 1)
            #expect(try await access.member(recordId: "R-1")?.givenName == "Zebulon")
            // In a batch, the refused one is answered and the others are imported.
            var another = fullRecord(id: "R-2")
            another.set("member.id", "100000000002")
            let batch = try await store.importRecords(
                [r.data, another.data],
                actor: actor,
                now: noon("2026-11-21")
            )
            guard case .failure(.refused) = batch[0] else {
                Issue.record("expected a refusal")
                return
            }
            #expect(try batch[1].get().version == 1)

            let report = try await store.importRecord(
                r.data,
                options: Self.confirm,
                actor: "ann",
                now: noon("2026-11-22")
            )
            #expect(report.version == 2 && report.newVersion)
            let entry = try #require(
                try await store.history(recordId: "R-1").audit.first { $0.action == "identity-change" }
            )
            #expect(entry.actor == "ann" && entry.recordVersion == 2)
            #expect(entry.what.contains("member.firstName, member.dateOfBirth") && !entry.what.contains("Philippa"))
            // The search index follows the confirmed change.
            #expect(try await access.member(recordId: "R-1")?.givenName == "Philippa")
            #expect(try await access.searchMembers(MemberSearch(name: "Philippa")).map(\.recordId) == ["R-1"])
            #expect(try await access.searchMembers(MemberSearch(name: "Zebulon")).map(\.recordId) == ["R-2"])
            // A later version without identity changes needs no confirmation.
            r.enrollment["effectiveDate"] = "2026-11-04"
            #expect(try await store.importRecord(r.data, actor: actor, now: noon("2026-11-23")).version == 3)
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    @Test(
        "a record without recordId never takes over a record whose recordId is its member id, nor the other way round",
        arguments: StoreKind.allCases
    )
    func namespaces(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // A record keyed by recordId "100000000009" (its member is another) …
            _ = try await store.importRecord(
                RecordJSON(id: "100000000009").data,
                actor: actor,
                now: noon("2026-11-20")
            )
            // … and another child's record without recordId whose member id is that text.
            var other = RecordJSON(memberId: "100000000009")
            other.root["recordId"] = nil
            other.set("member.firstName", "Ottilie")
            for options in [ImportOptions(), Self.confirm] {
                let refused = await refusal {
                    _ = try await store.importRecord(
                        other.data,
                        options: options,
                        actor: actor,
                        now: noon("2026-11-21")
                    )
                }
                #expect(refused?.idCollision == true && refused?.confirmable == false)
                #expect(refused?.problems.map(\.path) == ["recordId"])
            }
            #expect(try await store.history(recordId: "100000000009").versions.count == 1)

            // The other way round: a record stored by its member id (no recordId) …
            var legacy = RecordJSON(memberId: "100000000077")
            legacy.root["recordId"] = nil
            _ = try await store.importRecord(legacy.data, actor: actor, now: noon("2026-11-20"))
            // … still found and updated by its member id (same child, no confirmation) …
            legacy.set("member.primaryLanguage", "es")
            let v2 = try await store.importRecord(legacy.data, actor: actor, now: noon("2026-11-21"))
            #expect(v2.recordId == "100000000077" && v2.version == 2)
            // … and a record whose recordId is that member id, about another member, is refused.
            let intruder = RecordJSON(id: "100000000077", memberId: "100000000078")
            let refused = await refusal {
                _ = try await store.importRecord(
                    intruder.data,
                    options: Self.confirm,
                    actor: actor,
                    now: noon("2026-11-22")
                )
            }
            #expect(refused?.idCollision == true)
            // A recordId equal to its own member id is the same record, as before.
            let sameKey = RecordJSON(id: "100000000077", memberId: "100000000077")
            #expect(try await store.importRecord(sameKey.data, actor: actor, now: noon("2026-11-22")).version == 3)
        }
    }

    @Test(
        "a member already under another record id is refused unless confirmed (audited)",
        arguments: StoreKind.allCases
    )
    func sameMemberTwice(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(fullRecord(id: "R-1").data, actor: actor, now: noon("2026-11-20"))
            var twin = fullRecord(id: "R-2")
            twin.set("member.id", "100000000001")
            let refused = await refusal {
                _ = try await store.importRecord(twin.data, actor: actor, now: noon("2026-11-20"))
            }
            #expect(refused?.sameMemberAs == ["R-1"] && refused?.changedFields == [])
            #expect(refused?.problems.map(\.path) == ["member.id"])
            let message = refused?.description ?? ""
            #expect(message.contains("100000000001") == false)
            #expect(try await store.history(recordId: "R-2").versions.isEmpty)
            _ = try await store.importRecord(twin.data, options: Self.confirm, actor: "ann", now: noon("2026-11-21"))
            let entry = try #require(
                try await store.history(recordId: "R-2").audit.first { $0.action == "identity-change" }
            )
            #expect(entry.actor == "ann" && entry.what.contains("member of record R-1"))
            // Its later versions carry on without asking again.
            var next = twin
            next.enrollment["effectiveDate"] = "2026-11-02"
            #expect(try await store.importRecord(next.data, actor: actor, now: noon("2026-11-22")).version == 2)
            #expect(try await store.verifyAudit().isIntact)
        }
    }
}

/// A version made from one that is no longer the latest is refused inside the import's
/// transaction (the web editor's concurrent saves).
@Suite("Import based on a version (SQLite and PostgreSQL)")
struct BasedOnVersionTests {
    @Test(
        "basedOnVersion: 0 needs a new record, N the latest version N; otherwise nothing is written",
        arguments: StoreKind.allCases
    )
    func basedOn(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var r = fullRecord()
            let save: (Int, String) async throws -> ImportReport = { basedOn, day in
                try await store.importRecord(
                    r.data,
                    options: ImportOptions(basedOnVersion: basedOn),
                    actor: actor,
                    now: noon(day)
                )
            }
            let first = try await save(0, "2026-11-20")
            #expect(first.version == 1)
            await #expect(throws: ImportVersionConflict(recordId: "R-1", basedOn: 0, latest: 1)) {
                _ = try await save(0, "2026-11-21")
            }
            r.set("member.preferredName", "Zeb")
            let second = try await save(1, "2026-11-21")
            #expect(second.version == 2)
            r.set("member.preferredName", "Z")
            await #expect(throws: ImportVersionConflict(recordId: "R-1", basedOn: 1, latest: 2)) {
                _ = try await save(1, "2026-11-22")
            }
            let versions = try await store.history(recordId: "R-1").versions
            #expect(versions.count == 2)
        }
    }
}
