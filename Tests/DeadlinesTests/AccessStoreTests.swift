import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

/// A fresh, empty store of `kind` as the service opens it, and the `--database` value that
/// reopens it; `nil` when PostgreSQL is not configured.
private func makeServiceStore(
    _ kind: StoreKind
) async throws -> (store: any DeadlineStore & AccessStore, database: String)? {
    let database: String
    switch kind {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-access-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        database = dir.appendingPathComponent("queue.sqlite").path
    case .postgres:
        guard let base = postgresURL else {
            print(
                "notice: CAREDOCS_TEST_POSTGRES_URL is not set; PostgreSQL access store test skipped (scripts/test.sh sets it)"
            )
            return nil
        }
        database = try await createDatabase(base)
    }
    return (try await openServiceStore(database), database)
}

/// Runs `body` with a fresh service store of `kind` and its `--database` value, closing it
/// afterwards (`body` may close it itself and reopen the database).
private func withServiceStore(
    _ kind: StoreKind,
    _ body: (any DeadlineStore & AccessStore, String) async throws -> Void
) async throws {
    guard let (store, database) = try await makeServiceStore(kind) else { return }
    do {
        try await body(store, database)
    } catch {
        try? await store.close()
        throw error
    }
    try? await store.close()
}

private func executeRaw(_ store: any DeadlineStore, _ sql: String) async throws {
    if let s = store as? SQLiteDeadlineStore {
        try await s.executeRaw(sql)
    } else {
        try await (store as! PostgresDeadlineStore).executeRaw(sql)
    }
}

/// A record of a member with this name and date of birth.
private func person(_ id: String, memberId: String, given: String, family: String, born: String) -> RecordJSON {
    var r = RecordJSON(id: id, memberId: memberId)
    r.set("member.firstName", given)
    r.set("member.lastName", family)
    r.set("member.dateOfBirth", born)
    return r
}

/// Five members: two Sofias, an accented double family name, and two others.
private func importPeople(_ store: any DeadlineStore) async throws {
    let people = [
        person("R-1", memberId: "100000000001", given: "Sofía", family: "Rivera", born: "2015-04-02"),
        person("R-2", memberId: "100000000002", given: "Sofia", family: "Rivas", born: "2016-08-19"),
        person("R-3", memberId: "100000000003", given: "Marco", family: "García-López", born: "2015-04-02"),
        person("R-4", memberId: "100000000004", given: "Zebulon", family: "Quixotically", born: "2014-03-09"),
        person("R-5", memberId: "100000000005", given: "Ana Lucía", family: "O'Brien", born: "2017-01-30"),
    ]
    let results = try await store.importRecords(people.map(\.data), actor: actor, now: noon("2026-11-20"))
    for r in results { _ = try r.get() }
}

private let admin = "test-admin"

@Suite("Access store: users, sessions, tokens, member search, audit queries (SQLite and PostgreSQL)")
struct AccessStoreTests {
    @Test(
        "users: create, read, list, change, refuse duplicates and unknown names; changes audited without hashes",
        arguments: StoreKind.allCases
    )
    func users(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            let created = noon("2026-11-20")
            let alice = UserAccount(
                username: "alice",
                role: .coordinator,
                passwordHash: "$2b$12$alicehashalicehash",
                createdAt: created
            )
            let bob = UserAccount(
                username: "bob",
                role: .mailroom,
                passwordHash: "$2b$12$bobhashbobhash",
                createdAt: created
            )
            try await store.createUser(alice, actor: admin, now: created)
            try await store.createUser(bob, actor: admin, now: created)
            #expect(try await store.user("alice") == alice)
            #expect(try await store.user("nobody") == nil)
            #expect(try await store.users().map(\.username) == ["alice", "bob"])

            let duplicate = UserAccount(username: "alice", role: .admin, passwordHash: "other", createdAt: created)
            await #expect(throws: AccessStoreError.userExists("alice")) {
                try await store.createUser(duplicate, actor: admin, now: created)
            }
            #expect(try await store.user("alice")?.role == .coordinator)
            await #expect(throws: AccessStoreError.unknownUser("carol")) {
                try await store.setPasswordHash("x", for: "carol", actor: admin, now: created)
            }
            await #expect(throws: AccessStoreError.unknownUser("carol")) {
                try await store.setDisabled(true, for: "carol", actor: admin, now: created)
            }

            try await store.setPasswordHash(
                "$2b$12$newhashnewhash",
                for: "alice",
                actor: "alice",
                now: noon("2026-11-21")
            )
            #expect(try await store.user("alice")?.passwordHash == "$2b$12$newhashnewhash")
            try await store.setDisabled(true, for: "bob", actor: admin, now: noon("2026-11-21"))
            #expect(try await store.user("bob")?.disabled == true)
            try await store.setDisabled(false, for: "bob", actor: admin, now: noon("2026-11-22"))
            #expect(try await store.user("bob")?.disabled == false)

            // Throttling counts: not audited, unknown users ignored.
            try await store.recordFailedLogin("alice", now: noon("2026-11-23"))
            try await store.recordFailedLogin("alice", now: instant("2026-11-23", hour: 13))
            try await store.recordFailedLogin("nobody", now: noon("2026-11-23"))
            let throttled = try #require(try await store.user("alice"))
            #expect(throttled.failedLogins == 2 && throttled.lastFailedAt == instant("2026-11-23", hour: 13))
            try await store.recordSuccessfulLogin("alice", now: instant("2026-11-23", hour: 14))
            let cleared = try #require(try await store.user("alice"))
            #expect(cleared.failedLogins == 0 && cleared.lastFailedAt == nil)

            let log = try await store.auditLog()
            #expect(
                log.map(\.action) == ["user-create", "user-create", "user-password", "user-disable", "user-enable"]
            )
            #expect(log.allSatisfy { $0.recordId == "" && $0.recordVersion == nil })
            #expect(log.allSatisfy { !$0.what.contains("hash") && !$0.what.contains("$2b$") })
            #expect(log[0].what.contains("alice") && log[0].what.contains("coordinator") && log[2].actor == "alice")
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    @Test(
        "sessions: found until they expire, hidden for disabled or missing users, deleted",
        arguments: StoreKind.allCases
    )
    func sessions(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            let t0 = noon("2026-11-20")
            try await store.createUser(
                UserAccount(username: "alice", role: .coordinator, passwordHash: "h1", createdAt: t0),
                actor: admin,
                now: t0
            )
            try await store.createUser(
                UserAccount(username: "bob", role: .ed, passwordHash: "h2", createdAt: t0),
                actor: admin,
                now: t0
            )
            let expires = t0.addingTimeInterval(8 * 3600)
            let a1 = SessionRecord(
                tokenHash: "a1",
                username: "alice",
                csrfToken: "csrf-a1",
                createdAt: t0,
                expiresAt: expires
            )
            try await store.createSession(a1)
            try await store.createSession(
                SessionRecord(
                    tokenHash: "a2",
                    username: "alice",
                    csrfToken: "csrf-a2",
                    createdAt: t0,
                    expiresAt: expires
                )
            )
            try await store.createSession(
                SessionRecord(tokenHash: "b1", username: "bob", csrfToken: "csrf-b1", createdAt: t0, expiresAt: expires)
            )
            try await store.createSession(
                SessionRecord(tokenHash: "ghost", username: "nobody", csrfToken: "c", createdAt: t0, expiresAt: expires)
            )

            let found = try #require(try await store.session(tokenHash: "a1", now: t0.addingTimeInterval(60)))
            #expect(found.0 == a1 && found.1.username == "alice" && found.1.role == .coordinator)
            #expect(try await store.session(tokenHash: "unknown", now: t0) == nil)
            #expect(try await store.session(tokenHash: "ghost", now: t0) == nil)
            // Expired at its expiry instant.
            #expect(try await store.session(tokenHash: "a1", now: expires.addingTimeInterval(-1)) != nil)
            #expect(try await store.session(tokenHash: "a1", now: expires) == nil)

            // Disabling hides (and ends) the user's sessions; enabling again does not bring them back.
            try await store.setDisabled(true, for: "bob", actor: admin, now: t0)
            #expect(try await store.session(tokenHash: "b1", now: t0) == nil)
            try await store.setDisabled(false, for: "bob", actor: admin, now: t0)
            #expect(try await store.session(tokenHash: "b1", now: t0) == nil)
            // A disabled user's live session row is not served either.
            try await store.createSession(
                SessionRecord(tokenHash: "b2", username: "bob", csrfToken: "c", createdAt: t0, expiresAt: expires)
            )
            try await executeRaw(store, "UPDATE users SET disabled = 1 WHERE username = 'bob'")
            #expect(try await store.session(tokenHash: "b2", now: t0) == nil)

            try await store.deleteSession(tokenHash: "a1")
            #expect(try await store.session(tokenHash: "a1", now: t0) == nil)
            #expect(try await store.session(tokenHash: "a2", now: t0) != nil)
            try await store.deleteSessions(of: "alice")
            #expect(try await store.session(tokenHash: "a2", now: t0) == nil)

            try await store.createSession(
                SessionRecord(
                    tokenHash: "old",
                    username: "alice",
                    csrfToken: "c",
                    createdAt: t0,
                    expiresAt: t0.addingTimeInterval(60)
                )
            )
            try await store.createSession(
                SessionRecord(tokenHash: "new", username: "alice", csrfToken: "c", createdAt: t0, expiresAt: expires)
            )
            try await store.deleteExpiredSessions(now: t0.addingTimeInterval(120))
            // Gone from the table, not just filtered: a lookup at an earlier instant finds nothing.
            #expect(try await store.session(tokenHash: "old", now: t0) == nil)
            #expect(try await store.session(tokenHash: "new", now: t0) != nil)

            // Sessions are not audited.
            #expect(
                try await store.auditLog().map(\.action) == [
                    "user-create", "user-create", "user-disable", "user-enable",
                ]
            )
        }
    }

    @Test(
        "API tokens: created, found by hash, duplicates refused, revoked ones not found",
        arguments: StoreKind.allCases
    )
    func tokens(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            let t0 = noon("2026-11-20")
            let token = APITokenRecord(name: "tracking-feed", role: .mailroom, tokenHash: "feedhash0123", createdAt: t0)
            try await store.createAPIToken(token, actor: admin, now: t0)
            #expect(try await store.apiToken(tokenHash: "feedhash0123") == token)
            #expect(try await store.apiToken(tokenHash: "other") == nil)
            let again = APITokenRecord(name: "tracking-feed", role: .admin, tokenHash: "different", createdAt: t0)
            await #expect(throws: AccessStoreError.tokenExists("tracking-feed")) {
                try await store.createAPIToken(again, actor: admin, now: t0)
            }
            await #expect(throws: AccessStoreError.unknownToken("nope")) {
                try await store.revokeAPIToken(name: "nope", actor: admin, now: t0)
            }
            try await store.revokeAPIToken(name: "tracking-feed", actor: admin, now: noon("2026-11-21"))
            #expect(try await store.apiToken(tokenHash: "feedhash0123") == nil)

            let log = try await store.auditLog()
            #expect(log.map(\.action) == ["token-create", "token-revoke"])
            #expect(
                log.allSatisfy {
                    $0.recordId == "" && $0.what.contains("tracking-feed") && $0.what.contains("mailroom")
                        && !$0.what.contains("feedhash")
                }
            )
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    @Test(
        "member search: name prefixes accent- and case-insensitively, date of birth, member id, combined, limit",
        arguments: StoreKind.allCases
    )
    func search(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            try await importPeople(store)
            func ids(_ s: MemberSearch) async throws -> [String] { try await store.searchMembers(s).map(\.recordId) }

            // By family name, then given name.
            #expect(try await ids(MemberSearch()) == ["R-3", "R-5", "R-4", "R-2", "R-1"])
            #expect(try await ids(MemberSearch(name: "sofia")) == ["R-2", "R-1"])
            #expect(try await ids(MemberSearch(name: "SOFÍA")) == ["R-2", "R-1"])
            #expect(try await ids(MemberSearch(name: "riv")) == ["R-2", "R-1"])
            #expect(try await ids(MemberSearch(name: "sofia rivera")) == ["R-1"])
            #expect(try await ids(MemberSearch(name: "  Rivera   Sof ")) == ["R-1"])
            #expect(try await ids(MemberSearch(name: "ofia")) == [])  // a prefix of a word, not any substring
            #expect(try await ids(MemberSearch(name: "lopez")) == ["R-3"])
            #expect(try await ids(MemberSearch(name: "garcía-lópez")) == ["R-3"])
            #expect(try await ids(MemberSearch(name: "lucia")) == ["R-5"])
            #expect(try await ids(MemberSearch(name: "o'brien")) == ["R-5"])
            #expect(try await ids(MemberSearch(name: "")) == ["R-3", "R-5", "R-4", "R-2", "R-1"])

            #expect(try await ids(MemberSearch(birthDate: "2015-04-02")) == ["R-3", "R-1"])
            #expect(try await ids(MemberSearch(birthDate: "2015-04-03")) == [])
            #expect(try await ids(MemberSearch(memberId: "100000000004")) == ["R-4"])
            #expect(try await ids(MemberSearch(memberId: "10000000000")) == [])  // exact
            #expect(try await ids(MemberSearch(name: "sofia", birthDate: "2015-04-02")) == ["R-1"])
            #expect(
                try await ids(MemberSearch(name: "sofia", birthDate: "2016-08-19", memberId: "100000000002")) == ["R-2"]
            )
            #expect(try await ids(MemberSearch(name: "marco", birthDate: "2016-08-19")) == [])
            #expect(try await ids(MemberSearch(limit: 2)) == ["R-3", "R-5"])
            #expect(try await ids(MemberSearch(name: "sofia", limit: 1)) == ["R-2"])

            let sofia = try #require(try await store.member(recordId: "R-1"))
            #expect(
                sofia
                    == MemberSummary(
                        recordId: "R-1",
                        memberId: "100000000001",
                        givenName: "Sofía",
                        familyName: "Rivera",
                        birthDate: "2015-04-02",
                        latestVersion: 1,
                        updatedAt: AuditChain.timestamp(noon("2026-11-20"))
                    )
            )
            #expect(try await store.member(recordId: "R-9") == nil)
            let latest = try #require(try await store.latestRecord(recordId: "R-1"))
            #expect(
                latest.version == 1
                    && CareRecordLoader.load(data: latest.body).map(\.member.firstName) == .success("Sofía")
            )
            #expect(try await store.latestRecord(recordId: "R-9") == nil)
        }
    }

    @Test("search strings that look like SQL find nothing and change nothing", arguments: StoreKind.allCases)
    func injection(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            try await importPeople(store)
            let hostile = [
                "'; DROP TABLE members; --", "' OR '1'='1", "%", "_", "%%", "\\", "\\%", "' OR 1=1 --", "\"", ");", "'",
                "--", "*",
            ]
            for s in hostile {
                #expect(try await store.searchMembers(MemberSearch(name: s)).isEmpty, "name \(s)")
                #expect(try await store.searchMembers(MemberSearch(birthDate: s)).isEmpty, "birth date \(s)")
                #expect(try await store.searchMembers(MemberSearch(memberId: s)).isEmpty, "member id \(s)")
                #expect(
                    try await store.auditEntries(AuditQuery(recordId: s, actor: s, action: s)).isEmpty,
                    "audit \(s)"
                )
            }
            #expect(try await store.searchMembers(MemberSearch()).count == 5)
            #expect(try await store.searchMembers(MemberSearch(name: "sofia")).count == 2)
            #expect(try await store.obligations(ObligationQuery(today: day("2026-11-20"), includeClosed: true)).isEmpty)
            #expect(try await store.history(recordId: "R-1").versions.count == 1)
        }
    }

    @Test(
        "the member index follows each new version of a record, in the import's transaction",
        arguments: StoreKind.allCases
    )
    func reimport(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            var r = person("R-1", memberId: "100000000001", given: "Sofía", family: "Rivera", born: "2015-04-02")
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            // same bytes: no new version
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-21"))
            #expect(try await store.member(recordId: "R-1")?.updatedAt == AuditChain.timestamp(noon("2026-11-20")))
            r.set("member.lastName", "Rivera-Núñez")
            r.set("member.dateOfBirth", "2015-04-03")
            let v2 = try await store.importRecord(
                r.data,
                options: ImportOptions(confirmIdentityChange: true),
                actor: actor,
                now: noon("2026-11-22")
            )
            #expect(v2.version == 2)
            let m = try #require(try await store.member(recordId: "R-1"))
            #expect(
                m.familyName == "Rivera-Núñez" && m.birthDate == "2015-04-03" && m.latestVersion == 2
                    && m.updatedAt == AuditChain.timestamp(noon("2026-11-22"))
            )
            #expect(try await store.searchMembers(MemberSearch(name: "nunez")).map(\.recordId) == ["R-1"])
            #expect(try await store.searchMembers(MemberSearch(birthDate: "2015-04-02")).isEmpty)
            #expect(try await store.searchMembers(MemberSearch()).count == 1)
            #expect(try await store.latestRecord(recordId: "R-1")?.version == 2)
            // An invalid record changes nothing.
            var bad = r
            bad.set("member.dateOfBirth", "not a date")
            #expect(try await store.importRecords([bad.data], actor: actor, now: noon("2026-11-23"))[0].isFailure)
            #expect(try await store.member(recordId: "R-1")?.latestVersion == 2)
        }
    }

    @Test(
        "a database from before v3 is indexed when it opens; unparsable records are left out",
        arguments: StoreKind.allCases
    )
    func backfill(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, database in
            try await importPeople(store)
            var changed = person(
                "R-1",
                memberId: "100000000001",
                given: "Sofía",
                family: "Rivera Soto",
                born: "2015-04-02"
            )
            changed.set("member.primaryLanguage", "es")
            _ = try await store.importRecord(
                changed.data,
                options: ImportOptions(confirmIdentityChange: true),
                actor: actor,
                now: noon("2026-11-21")
            )
            try await executeRaw(store, "DELETE FROM members")
            let bytes = kind == .sqlite ? "X'7B7D'" : "decode('7b7d', 'hex')"
            try await executeRaw(
                store,
                "INSERT INTO records (record_id, version, sha256, imported_at, imported_by, body) VALUES ('R-BAD', 1, 'x', '2026-11-20T17:00:00.000Z', 'x', \(bytes))"
            )
            #expect(try await store.searchMembers(MemberSearch()).isEmpty)
            try await store.close()

            let reopened = try await openServiceStore(database)
            do {
                let all = try await reopened.searchMembers(MemberSearch())
                #expect(all.map(\.recordId) == ["R-3", "R-5", "R-4", "R-2", "R-1"])
                let sofia = try #require(all.first { $0.recordId == "R-1" })
                #expect(
                    sofia.familyName == "Rivera Soto" && sofia.latestVersion == 2
                        && sofia.updatedAt == AuditChain.timestamp(noon("2026-11-21"))
                )
                #expect(try await reopened.searchMembers(MemberSearch(name: "soto")).map(\.recordId) == ["R-1"])
                #expect(try await reopened.member(recordId: "R-BAD") == nil)
                #expect(try await reopened.verifyAudit().isIntact)
            } catch {
                try? await reopened.close()
                throw error
            }
            try await reopened.close()
            // Opening again with a full index changes nothing.
            let third = try await openServiceStore(database)
            #expect(try await third.searchMembers(MemberSearch()).count == 5)
            try await third.close()
        }
    }

    @Test(
        "appendAudit extends the hash chain; auditEntries filters, newest first, with a limit",
        arguments: StoreKind.allCases
    )
    func audit(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            _ = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            let before = try await store.auditLog().count
            try await store.appendAudit(
                action: "view",
                recordId: "R-1",
                recordVersion: 1,
                obligationId: nil,
                what: "record viewed",
                actor: "alice",
                now: noon("2026-11-21")
            )
            try await store.appendAudit(
                action: "sign-in",
                recordId: "",
                recordVersion: nil,
                obligationId: nil,
                what: "signed in",
                actor: "bob",
                now: noon("2026-11-22")
            )
            try await store.appendAudit(
                action: "render",
                recordId: "R-1",
                recordVersion: 1,
                obligationId: "R-1/enrollment-letter",
                what: "rendered over HTTP",
                actor: "alice",
                now: noon("2026-11-23")
            )
            try await store.appendAudit(
                action: "view",
                recordId: "R-1",
                recordVersion: 1,
                obligationId: nil,
                what: "record viewed",
                actor: "bob",
                now: noon("2026-11-24")
            )
            let log = try await store.auditLog()
            #expect(log.count == before + 4)
            #expect(try await store.verifyAudit().isIntact)
            let render = log[before + 2]
            #expect(
                render.action == "render" && render.obligationId == "R-1/enrollment-letter" && render.recordVersion == 1
                    && render.actor == "alice"
            )

            let newestFirst = try await store.auditEntries(AuditQuery())
            #expect(newestFirst.map(\.seq) == log.map(\.seq).reversed())
            #expect(try await store.auditEntries(AuditQuery(limit: 2)).map(\.action) == ["view", "render"])
            #expect(try await store.auditEntries(AuditQuery(actor: "alice")).map(\.action) == ["render", "view"])
            #expect(try await store.auditEntries(AuditQuery(action: "view")).map(\.actor) == ["bob", "alice"])
            #expect(try await store.auditEntries(AuditQuery(recordId: "")).map(\.action) == ["sign-in"])
            #expect(try await store.auditEntries(AuditQuery(recordId: "R-1", actor: "bob", action: "view")).count == 1)
            #expect(try await store.auditEntries(AuditQuery(recordId: "R-1")).count == before + 3)
            let since = try await store.auditEntries(AuditQuery(since: AuditChain.timestamp(noon("2026-11-22"))))
            #expect(since.map(\.action) == ["view", "render", "sign-in"])
            #expect(
                try await store.auditEntries(
                    AuditQuery(actor: "alice", since: AuditChain.timestamp(noon("2026-11-22")))
                ).map(\.action) == ["render"]
            )
            #expect(try await store.auditEntries(AuditQuery(actor: "nobody")).isEmpty)
        }
    }

    @Test("queue counts: pending (neither complete nor cancelled) and overdue at a day", arguments: StoreKind.allCases)
    func counts(kind: StoreKind) async throws {
        try await withServiceStore(kind) { store, _ in
            #expect(try await store.queueCounts(today: "2026-11-20") == (pending: 0, overdue: 0))
            var r = fullRecord()
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-20"))
            #expect(try await store.queueCounts(today: "2026-11-20") == (pending: 9, overdue: 0))
            // Enrollment letter and CCM notice are due 2026-12-01: overdue from the day after.
            #expect(try await store.queueCounts(today: "2026-12-01") == (pending: 9, overdue: 0))
            #expect(try await store.queueCounts(today: "2026-12-02") == (pending: 9, overdue: 2))
            r.set("member.enrolledInCCM", false)  // the CCM notice is cancelled
            _ = try await store.importRecord(r.data, actor: actor, now: noon("2026-11-21"))
            let referral = try #require(
                try await store.obligations(ObligationQuery(today: day("2026-11-21"), kind: .referralFollowUp)).first
            )
            try await store.apply(
                .completed(note: "family declined", date: day("2027-01-20")),
                to: referral.id,
                actor: actor,
                now: noon("2027-01-20")
            )
            let counts = try await store.queueCounts(today: "2026-12-02")
            let pending = try await store.obligations(ObligationQuery(today: day("2026-12-02")))
            let overdue = try await store.obligations(ObligationQuery(today: day("2026-12-02"), overdueOnly: true))
            #expect(counts == (pending: pending.count, overdue: overdue.count))
            #expect(counts == (pending: 7, overdue: 1))
        }
    }
}

extension Result {
    fileprivate var isFailure: Bool { if case .failure = self { true } else { false } }
}
