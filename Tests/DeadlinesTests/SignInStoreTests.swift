import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

/// Runs `body` with a fresh store of `kind` as the service uses it (users, sessions, lookups).
private func withAccessStore(
    _ kind: StoreKind,
    _ body: (any DeadlineStore & AccessStore) async throws -> Void
) async throws {
    guard let store = try await makeStore(kind) else { return }
    let access = store as! any DeadlineStore & AccessStore
    do {
        try await body(access)
    } catch {
        try? await store.close()
        throw error
    }
    try? await store.close()
}

private let t0 = noon("2026-11-23")
private let policy = SignInPolicy(maxFailures: 5, lockout: 900, maxClientFailures: 20, clientWindow: 900)

private func addUser(_ store: any AccessStore, _ name: String) async throws {
    try await store.createUser(
        UserAccount(username: name, role: .coordinator, passwordHash: "$2b$04$x", createdAt: t0),
        actor: "test-admin",
        now: t0
    )
}

@Suite("Sign-in throttling, sessions and emergency lookups in the store (SQLite and PostgreSQL)")
struct SignInStoreTests {
    @Test(
        "20 parallel attempts on one account: exactly 5 may check a password, the rest find it locked",
        arguments: StoreKind.allCases
    )
    func parallelAttempts(kind: StoreKind) async throws {
        try await withAccessStore(kind) { store in
            try await addUser(store, "alice")
            let attempts = try await withThrowingTaskGroup(of: SignInAttempt.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        try await store.beginSignIn(
                            username: "alice",
                            client: "10.0.0.\(i)",
                            policy: policy,
                            now: t0.addingTimeInterval(Double(i) / 100)
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(attempts.filter { $0.decision == .verify }.count == 5)
            #expect(Set(attempts.map(\.failures)) == Set(1...20))
            let locked = attempts.compactMap { a -> Date? in
                if case .locked(let until) = a.decision { return until }
                return nil
            }
            #expect(locked.count == 15)
            // The lock runs from the failure that locked it, not from the last attempt.
            #expect(Set(locked).count == 1)
            let until = try #require(locked.first)
            #expect(until <= t0.addingTimeInterval(900.2) && until >= t0.addingTimeInterval(899.9))
            // After the lockout the count starts again.
            let later = try await store.beginSignIn(
                username: "alice",
                client: "10.0.1.1",
                policy: policy,
                now: t0.addingTimeInterval(901)
            )
            #expect(later.decision == .verify && later.failures == 1)
            // A success resets the account.
            try await store.signInSucceeded(username: "alice", client: "10.0.1.1", now: t0.addingTimeInterval(902))
            #expect(try await store.user("alice")?.failedLogins == 0)
        }
    }

    @Test(
        "per client address: 20 failures in 15 minutes, then refused; other addresses and later windows are not",
        arguments: StoreKind.allCases
    )
    func perAddress(kind: StoreKind) async throws {
        try await withAccessStore(kind) { store in
            try await addUser(store, "bob")
            for i in 1...20 {
                // Unknown usernames count for the address too.
                let a = try await store.beginSignIn(
                    username: "guess\(i)",
                    client: "203.0.113.7",
                    policy: policy,
                    now: t0.addingTimeInterval(Double(i))
                )
                #expect(a.decision == .verify && a.user == nil && a.clientFailures == i)
            }
            let refused = try await store.beginSignIn(
                username: "bob",
                client: "203.0.113.7",
                policy: policy,
                now: t0.addingTimeInterval(30)
            )
            #expect(refused.decision == .clientThrottled(until: t0.addingTimeInterval(901)))
            // A throttled address does not count against the account.
            #expect(try await store.user("bob")?.failedLogins == 0)
            let other = try await store.beginSignIn(
                username: "bob",
                client: "198.51.100.2",
                policy: policy,
                now: t0.addingTimeInterval(31)
            )
            #expect(other.decision == .verify && other.clientFailures == 1 && other.failures == 1)
            // A success takes its own attempt back from the address.
            try await store.signInSucceeded(username: "bob", client: "198.51.100.2", now: t0.addingTimeInterval(32))
            let again = try await store.beginSignIn(
                username: "bob",
                client: "198.51.100.2",
                policy: policy,
                now: t0.addingTimeInterval(33)
            )
            #expect(again.clientFailures == 1 && again.failures == 1)
            let nextWindow = try await store.beginSignIn(
                username: "bob",
                client: "203.0.113.7",
                policy: policy,
                now: t0.addingTimeInterval(902)
            )
            #expect(nextWindow.decision == .verify && nextWindow.clientFailures == 1)
        }
    }

    @Test(
        "sessions end after the idle timeout; a new one replaces the user's others; lookups go with them",
        arguments: StoreKind.allCases
    )
    func sessions(kind: StoreKind) async throws {
        try await withAccessStore(kind) { store in
            try await addUser(store, "carol")
            try await addUser(store, "dave")
            let expires = t0.addingTimeInterval(12 * 3600)
            func session(_ hash: String, _ user: String, at: Date = t0) -> SessionRecord {
                SessionRecord(
                    tokenHash: hash,
                    username: user,
                    csrfToken: "c-\(hash)",
                    createdAt: at,
                    expiresAt: expires
                )
            }
            try await store.createSession(session("c1", "carol"))
            let idle: TimeInterval = 15 * 60
            #expect(
                try await store.session(tokenHash: "c1", now: t0.addingTimeInterval(10 * 60), idleTimeout: idle) != nil
            )
            // Used at +10 min: still alive at +24 min, gone 15 minutes after that use.
            #expect(
                try await store.session(tokenHash: "c1", now: t0.addingTimeInterval(24 * 60), idleTimeout: idle) != nil
            )
            #expect(
                try await store.session(tokenHash: "c1", now: t0.addingTimeInterval(40 * 60), idleTimeout: idle) == nil
            )
            // Without an idle timeout only the lifetime counts.
            #expect(try await store.session(tokenHash: "c1", now: t0.addingTimeInterval(40 * 60)) != nil)

            try await store.createSession(session("c2", "carol"))
            try await store.createSession(session("d1", "dave"))
            try await store.rememberMatches(["R-1", "R-2"], scope: "c2", expiresAt: expires)
            #expect(try await store.matched("R-1", scope: "c2", now: t0))
            #expect(try await !store.matched("R-3", scope: "c2", now: t0))
            #expect(try await !store.matched("R-1", scope: "d1", now: t0))
            #expect(try await !store.matched("R-1", scope: "c2", now: expires))
            let ended = try await store.replaceSessions(with: session("c3", "carol", at: t0.addingTimeInterval(60)))
            #expect(ended == 2)
            #expect(try await store.session(tokenHash: "c2", now: t0) == nil)
            #expect(try await store.session(tokenHash: "c3", now: t0.addingTimeInterval(61)) != nil)
            #expect(try await store.session(tokenHash: "d1", now: t0) != nil)
            // What the ended session's lookups matched is gone with it.
            #expect(try await !store.matched("R-1", scope: "c2", now: t0))
            try await store.rememberMatches(["R-1"], scope: "c3", expiresAt: expires)
            #expect(try await store.deleteSessions(of: "carol") == 1)
            #expect(try await !store.matched("R-1", scope: "c3", now: t0))
            #expect(try await store.session(tokenHash: "d1", now: t0) != nil)
        }
    }

    @Test("an emergency lookup needs the whole family name, folded; never a prefix", arguments: StoreKind.allCases)
    func wholeFamilyName(kind: StoreKind) async throws {
        try await withAccessStore(kind) { store in
            var records: [Data] = []
            for (id, given, family) in [
                ("R-1", "Sofía", "Rivera"), ("R-2", "Marco", "García-López"), ("R-3", "Ana", "López"),
            ] {
                var r = RecordJSON(id: id, memberId: "10000000000\(id.suffix(1))")
                r.set("member.firstName", given)
                r.set("member.lastName", family)
                r.set("member.dateOfBirth", "2015-04-02")
                records.append(r.data)
            }
            for r in try await store.importRecords(records, actor: "t", now: t0) { _ = try r.get() }
            func find(_ name: String) async throws -> [String] {
                try await store.searchMembers(
                    MemberSearch(name: name, birthDate: "2015-04-02", wholeFamilyName: true)
                ).map(\.recordId)
            }
            #expect(try await find("rivera") == ["R-1"])
            #expect(try await find("RIVERA") == ["R-1"])
            #expect(try await find("Sofia Rivera") == ["R-1"])
            #expect(try await find("r") == [])
            #expect(try await find("riv") == [])
            #expect(try await find("sofia") == [])
            #expect(try await find("garcia lopez") == ["R-2"])
            #expect(try await find("García-López") == ["R-2"])
            #expect(try await find("lopez") == ["R-3"])
            #expect(try await find("?!") == [])
            // The date of birth still has to match.
            #expect(
                try await store.searchMembers(
                    MemberSearch(name: "rivera", birthDate: "2015-04-03", wholeFamilyName: true)
                ).isEmpty
            )
            // The coordinators' search is unchanged: prefixes of any name word.
            #expect(try await store.searchMembers(MemberSearch(name: "riv")).map(\.recordId) == ["R-1"])
        }
    }
}
