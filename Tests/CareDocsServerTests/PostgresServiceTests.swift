import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing

/// The service on PostgreSQL (several nodes sharing one queue): two services on one database —
/// a session made on one node works on the other, a record stored through one is found and
/// rendered through the other. Skipped without CAREDOCS_TEST_POSTGRES_URL (scripts/test.sh sets it).
@Suite("The service on PostgreSQL, two nodes")
struct PostgresServiceTests {
    static func createDatabase(_ base: String) async throws -> String {
        var c = URLComponents(string: base)!
        let name = "caredocs_s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let config = PostgresConnection.Configuration(
            host: c.host!,
            port: c.port ?? 5432,
            username: c.user ?? "postgres",
            password: c.password,
            database: String(c.path.dropFirst()),
            tls: .disable
        )
        let conn = try await PostgresConnection.connect(configuration: config, id: 1, logger: Logger(label: "test"))
        try await conn.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Logger(label: "test"))
        try await conn.close()
        c.path = "/" + name
        return c.string!
    }

    @Test("sessions, records and renders shared across two nodes")
    func twoNodes() async throws {
        guard let base = ProcessInfo.processInfo.environment["CAREDOCS_TEST_POSTGRES_URL"] else {
            print("notice: CAREDOCS_TEST_POSTGRES_URL is not set; PostgreSQL service test skipped")
            return
        }
        let url = try await Self.createDatabase(base)
        let a = try await TestService(workers: 1, database: url)
        let b = try await TestService.secondNode(database: url)
        do {
            try await a.app().test(.router) { clientA in
                try await b.app().test(.router) { clientB in
                    var onA = Browser(client: clientA)
                    let signedIn = try await onA.signIn("coordinator1")
                    #expect(signedIn.status == .seeOther)
                    // The session cookie made on node A works on node B.
                    var onB = Browser(client: clientB)
                    onB.cookies = onA.cookies
                    let form = try await onB.request("/members")
                    let page = try await onB.request(
                        "/members",
                        .post,
                        form: ["csrf": try #require(Browser.csrf(form.text)), "name": "layla"]
                    )
                    #expect(page.status == .ok)
                    #expect(page.text.contains("/members/\(TestService.haddad)"))
                    // A record stored through A renders through B.
                    let minimal = recordsDir.appendingPathComponent("minimal.json")
                    var recordId = ""
                    try await clientA.execute(
                        uri: "/v1/records",
                        method: .post,
                        headers: a.headers(.coordinator, json: true),
                        body: try fileBuffer(minimal)
                    ) { r in
                        #expect(r.status == .created)
                        recordId = (try r.json() as? [String: Any])?["recordId"] as? String ?? ""
                    }
                    try await clientB.execute(
                        uri: "/v1/records/\(recordId)/summary",
                        method: .get,
                        headers: b.headers(.coordinator)
                    ) { r in
                        #expect(r.status == .ok)
                    }
                    // An ED search on node A lets the same token open the plan on node B (the
                    // matches are in the database); before it, B refuses.
                    try await clientB.execute(
                        uri: "/v1/records/\(TestService.rivera)/documents/emergency-plan",
                        method: .get,
                        headers: b.headers(.ed)
                    ) { r in #expect(r.status == .forbidden) }
                    try await clientA.execute(
                        uri: "/v1/members/search",
                        method: .post,
                        headers: b.headers(.ed, json: true),
                        body: data(#"{"memberId":"100234567891"}"#)
                    ) { r in #expect(r.status == .ok) }
                    try await clientB.execute(
                        uri: "/v1/records/\(TestService.rivera)/documents/emergency-plan",
                        method: .get,
                        headers: b.headers(.ed)
                    ) { r in
                        #expect(r.status == .ok)
                        #expect(r.headers[.contentType] == "application/pdf")
                    }
                }
            }
            let audit = try await a.store.verifyAudit()
            #expect(audit.isIntact)
            #expect(audit.entries > 10)
        } catch {
            await a.close()
            await b.close()
            throw error
        }
        await a.close()
        await b.close()
    }
}
