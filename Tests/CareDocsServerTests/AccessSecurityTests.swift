import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

/// A clock the test moves.
final class TestClock: Sendable {
    private let value = NIOLockedValueBox(Date())
    var now: Date { value.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

/// Issue 11's access items: sign-in throttling, sessions, ED minimum necessary, audited reads.
@Suite("Sign-in throttling, sessions, ED minimum necessary, audited reads")
struct AccessSecurityTests {
    /// What the store keeps of a token: SHA-256, lowercase hex (pinned: stored hashes must match).
    @Test func tokenHashIsLowercaseHexSHA256() {
        #expect(Tokens.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("20 parallel wrong passwords: at most 5 are checked against the account's hash, then it is locked")
    func parallelGuesses() async throws {
        let s = try await TestService { settings in
            settings.maxClientFailures = 1000
            settings.passwordCheckWait = .seconds(120)
        }
        try await s.run { s, client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        var b = Browser(client: client)
                        return try await b.signIn("coordinator1", "wrong password \(i)").status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized }, "\(statuses)")
            let counts = s.env.passwordCheckCounts
            #expect(counts.verified <= 5, "\(counts)")
            // Locked attempts check the decoy: they take as long as any other.
            #expect(counts.verified + counts.decoys == 20)
            var b = Browser(client: client)
            let right = try await b.signIn("coordinator1")
            #expect(right.status == .unauthorized)
            #expect(s.env.passwordCheckCounts.verified <= 5)
            #expect(try await s.store.auditEntries(AuditQuery(action: "sign-in-failed")).count <= 5)
            #expect(try await s.store.auditEntries(AuditQuery(action: "sign-in-locked")).count >= 16)
        }
    }

    @Test(
        "per client address: the 21st failure within 15 minutes is refused with 429; a trusted proxy's address counts"
    )
    func perAddress() async throws {
        let s = try await TestService { settings in settings.trustForwardedFor = true }
        try await s.run { s, client in
            func attempt(_ from: String, user: String = "nobody", password: String = "x") async throws -> TestResponse {
                let page = try await client.execute(uri: "/login", method: .get, headers: [:])
                let token = try #require(Browser.csrf(page.text))
                return try await client.execute(
                    uri: "/login",
                    method: .post,
                    headers: [
                        .cookie: "caredocs_login=\(token)", .contentType: "application/x-www-form-urlencoded",
                        .init("X-Forwarded-For")!: "198.51.100.1, \(from)",
                    ],
                    body: data("csrf=\(token)&username=\(user)&password=\(password)")
                )
            }
            for i in 0..<20 {
                let r = try await attempt("203.0.113.5", user: "guess\(i)")
                #expect(r.status == .unauthorized)
            }
            let throttled = try await attempt("203.0.113.5", user: "admin1", password: "correct+horse+battery")
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
            #expect(throttled.text.contains("from this address"))
            // Another address (the proxy's rightmost entry) signs in.
            let other = try await attempt("203.0.113.6", user: "admin1", password: "correct+horse+battery")
            #expect(other.status == .seeOther)
            let entries = try await s.store.auditEntries(AuditQuery(action: "sign-in-throttled"))
            #expect(entries.count == 1 && entries[0].what.hasSuffix("; client 203.0.113.5"))
        }
    }

    @Test("a flood of sign-ins waits for two password checks at a time; the ED lookup still answers")
    func flood() async throws {
        let s = try await TestService { settings in settings.maxClientFailures = 10_000 }
        try await s.run { s, client in
            let clock = ContinuousClock()
            let start = clock.now
            async let flood: [HTTPResponse.Status] = withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        var b = Browser(client: client)
                        // Unknown users: each checks the decoy hash at cost 12.
                        return try await b.signIn("flood\(i)", "guess").status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await Task.sleep(for: .milliseconds(300))
            let edStart = clock.now
            try await client.execute(uri: "/ed", method: .get, headers: s.headers(.ed)) { r in
                #expect(r.status == .ok)
            }
            let edTime = clock.now - edStart
            let statuses = try await flood
            let floodTime = clock.now - start
            #expect(edTime < .seconds(10), "the ED page took \(edTime) during the flood")
            #expect(edTime < floodTime, "ED \(edTime), flood \(floodTime)")
            #expect(statuses.allSatisfy { [.unauthorized, .serviceUnavailable].contains($0) }, "\(statuses)")
            // Those that found no turn within 2 s got 503 with Retry-After, and no check ran for them.
            let busy = statuses.filter { $0 == .serviceUnavailable }.count
            #expect(s.env.passwordCheckCounts.decoys == 40 - busy)
        }
    }

    @Test("sessions: browser-session cookie, idle timeout, a new sign-in ends the old session, sign out everywhere")
    func sessions() async throws {
        let time = TestClock()
        let s = try await TestService(clock: time)
        try await s.run { s, client in
            var first = Browser(client: client)
            let signedIn = try await first.signIn("coordinator1")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("caredocs_session=") })
            #expect(!cookie.contains("Max-Age") && !cookie.contains("Expires"))
            #expect(try await first.request("/members").status == .ok)
            // Signing in again (another browser) works and ends the first session.
            var second = Browser(client: client)
            #expect(try await second.signIn("coordinator1").status == .seeOther)
            #expect(try await second.request("/members").status == .ok)
            let old = try await first.request("/members")
            #expect(old.status == .seeOther && old.headers[.location]?.hasPrefix("/login") == true)
            let signIns = try await s.store.auditEntries(AuditQuery(actor: "coordinator1", action: "sign-in"))
            #expect(signIns.first?.what.hasPrefix("session started, 1 earlier session(s) ended") == true)

            // Idle timeout (15 minutes): used at +10 min, alive at +24, gone at +40.
            time.advance(10 * 60)
            #expect(try await second.request("/members").status == .ok)
            time.advance(14 * 60)
            #expect(try await second.request("/members").status == .ok)
            time.advance(16 * 60)
            #expect(try await second.request("/members").status == .seeOther)

            // Sign out everywhere: every session of the user ends (one made on another node too).
            var third = Browser(client: client)
            _ = try await third.signIn("coordinator1")
            let page = try await third.request("/members")
            #expect(page.text.contains("action=\"/logout/everywhere\""))
            let other = Tokens.random()
            try await s.store.createSession(
                SessionRecord(
                    tokenHash: Tokens.hash(other),
                    username: "coordinator1",
                    csrfToken: "c",
                    createdAt: time.now,
                    expiresAt: time.now.addingTimeInterval(3600)
                )
            )
            // CSRF-protected like every form.
            #expect(try await third.request("/logout/everywhere", .post, form: [:]).status == .forbidden)
            let out = try await third.request(
                "/logout/everywhere",
                .post,
                form: ["csrf": try #require(Browser.csrf(page.text))]
            )
            #expect(out.status == .seeOther)
            #expect(try await third.request("/members").status == .seeOther)
            try await client.execute(
                uri: "/members",
                method: .get,
                headers: [.cookie: "caredocs_session=\(other)"]
            ) { r in #expect(r.status == .seeOther) }
            let everywhere = try await s.store.auditEntries(AuditQuery(action: "sign-out-everywhere"))
            #expect(everywhere.first?.what.hasPrefix("2 session(s) ended") == true)

            // The API: POST /v1/sessions/revoke-all with the session's CSRF token.
            var api = Browser(client: client)
            _ = try await api.signIn("mailroom1")
            let session = try #require(api.cookies["caredocs_session"])
            let me = try await client.execute(
                uri: "/v1/me",
                method: .get,
                headers: [.cookie: "caredocs_session=\(session)"]
            )
            let csrf = try #require((try me.json() as? [String: Any])?["csrfToken"] as? String)
            try await client.execute(
                uri: "/v1/sessions/revoke-all",
                method: .post,
                headers: [.cookie: "caredocs_session=\(session)"]
            ) { r in #expect(r.status == .forbidden) }
            try await client.execute(
                uri: "/v1/sessions/revoke-all",
                method: .post,
                headers: [.cookie: "caredocs_session=\(session)", .init("X-CSRF-Token")!: csrf]
            ) { r in
                #expect(r.status == .ok)
                #expect(r.text == #"{"ended":1}"#)
            }
            try await client.execute(uri: "/v1/me", method: .get, headers: [.cookie: "caredocs_session=\(session)"]) {
                r in #expect(r.status == .unauthorized)
            }
            // An API token has no sessions.
            try await client.execute(uri: "/v1/sessions/revoke-all", method: .post, headers: s.headers(.admin)) { r in
                #expect(r.status == .badRequest)
            }
        }
    }

    @Test("ED: a plan opens only after a search of the same session matched it; a guessed id is refused and audited")
    func edMinimumNecessary() async throws {
        try await TestService.with { s, client in
            var b = Browser(client: client)
            _ = try await b.signIn("ed1")
            let plan = "/ed/members/\(TestService.rivera)"
            let pdf = "/v1/records/\(TestService.rivera)/documents/emergency-plan"
            let guessed = try await b.request(plan)
            #expect(guessed.status == .forbidden)
            #expect(guessed.text.contains("Not allowed"))
            #expect(try await b.request(pdf).status == .forbidden)
            // A record that does not exist is refused the same way (nothing says whether it does).
            #expect(try await b.request("/ed/members/CR-0000-000000").status == .forbidden)
            let denied = try await s.store.auditEntries(AuditQuery(actor: "ed1", action: "ed-denied"))
            #expect(denied.count == 3)
            #expect(denied.contains { $0.recordId == TestService.rivera && $0.what.contains("emergency plan page") })

            let form = try await b.request("/ed")
            let token = try #require(Browser.csrf(form.text))
            let found = try await b.request(
                "/ed",
                .post,
                form: ["csrf": token, "name": "RIVERA ORTIZ", "birthDate": "2014-03-09"]
            )
            #expect(found.headers[.location] == plan)
            #expect(try await b.request(plan).status == .ok)
            #expect(try await b.request(pdf).status == .ok)
            // Another child stays closed.
            #expect(try await b.request("/ed/members/\(TestService.haddad)").status == .forbidden)
            // By member id.
            let byId = try await b.request("/ed", .post, form: ["csrf": token, "memberId": "100987654321"])
            #expect(byId.headers[.location] == "/ed/members/\(TestService.haddad)")
            #expect(try await b.request("/ed/members/\(TestService.haddad)").status == .ok)
            // The search's audit entry names the records found, never the values searched.
            let searches = try await s.store.auditEntries(AuditQuery(actor: "ed1", action: "search"))
            #expect(searches.count == 2)
            #expect(searches.contains { $0.what.contains("name+birth date: 1 found: \(TestService.rivera)") })
            #expect(
                !searches.contains { $0.what.lowercased().contains("rivera") && !$0.what.contains(TestService.rivera) }
            )
            #expect(!searches.contains { $0.what.contains("2014-03-09") || $0.what.contains("100987654321") })
            // A new session starts with nothing matched.
            var again = Browser(client: client)
            _ = try await again.signIn("ed1")
            #expect(try await again.request(plan).status == .forbidden)
            // Coordinators are not limited this way.
            var coordinator = Browser(client: client)
            _ = try await coordinator.signIn("coordinator1")
            #expect(try await coordinator.request(plan).status == .ok)
        }
    }

    @Test("reads of PHI are audited with the ids returned and the client address")
    func auditedReads() async throws {
        let s = try await TestService { settings in settings.trustForwardedFor = true }
        try await s.run { s, client in
            func headers(_ role: Role) -> HTTPFields {
                var h = s.headers(role, json: true)
                h[.init("X-Forwarded-For")!] = "192.0.2.44"
                return h
            }
            try await client.execute(
                uri: "/v1/members/search",
                method: .post,
                headers: headers(.coordinator),
                body: data(#"{"name":"layla"}"#)
            ) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/v1/obligations?status=all", method: .get, headers: headers(.mailroom)) {
                r in #expect(r.status == .ok)
            }
            let all = try await s.store.obligations(
                ObligationQuery(today: ProgramCalendar.today(), includeClosed: true)
            )
            let one = try #require(all.first)
            try await client.execute(uri: "/v1/obligations/\(enc(one.id))", method: .get, headers: headers(.mailroom)) {
                r in #expect(r.status == .ok)
            }
            try await client.execute(uri: "/mailroom", method: .get, headers: headers(.mailroom)) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/v1/audit?limit=3", method: .get, headers: headers(.admin)) { r in
                #expect(r.status == .ok)
            }
            let entries = try await s.store.auditEntries(AuditQuery(since: "2000-01-01", limit: 20))
            func entry(_ action: String) throws -> AuditEntry {
                try #require(entries.first { $0.action == action }, "\(action)")
            }
            let search = try entry("search")
            #expect(search.what == "member search by name: 1 found: \(TestService.haddad); client 192.0.2.44")
            let list = try entry("list-obligations")
            #expect(list.what.hasPrefix("obligation list (status all): \(all.count) found: "))
            #expect(all.allSatisfy { list.what.contains($0.id) })
            let detail = try entry("view-obligation")
            #expect(detail.obligationId == one.id && detail.recordId == one.recordId)
            let page = entries.first { $0.action == "view" && $0.what.hasPrefix("mailroom letter list: ") }
            #expect(page?.what.hasSuffix("; client 192.0.2.44") == true)
            let query = try entry("audit-query")
            #expect(query.what.hasPrefix("audit query (no filter, limit 3): 3 entries: seq "))
            #expect(query.actor == "token:admin-token")
            // No names in any of them.
            for e in entries { #expect(!e.what.contains("Layla") && !e.what.contains("Haddad"), "\(e.what)") }
            // Without the trust setting, X-Forwarded-For is ignored.
            let untrusted = try await TestService()
            try await untrusted.run { u, client in
                try await client.execute(
                    uri: "/v1/audit?limit=1",
                    method: .get,
                    headers: {
                        var h = u.headers(.admin)
                        h[.init("X-Forwarded-For")!] = "192.0.2.44"
                        return h
                    }()
                ) { r in #expect(r.status == .ok) }
                let q = try await u.store.auditEntries(AuditQuery(action: "audit-query"))
                #expect(q.count == 1 && !q[0].what.contains("192.0.2.44"))
            }
        }
    }
}
