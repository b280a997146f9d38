import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every route, for every role and for nobody: allowed (not 401/403), 403, or 401 (API) /
/// the sign-in page (web).
@Suite("Access to every route by role")
struct AccessMatrixTests {
    /// A concrete URL for a route template.
    static func concrete(_ path: String, obligation raw: String) -> String {
        let obligation = raw.addingPercentEncoding(
            withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._"))
        )!
        return path.replacingOccurrences(of: "{recordId}", with: TestService.rivera)
            .replacingOccurrences(of: "{kind}", with: "emergency-plan")
            .replacingOccurrences(of: "{language}", with: "es")
            .replacingOccurrences(of: "/v1/obligations/{id}", with: "/v1/obligations/\(obligation)")
            .replacingOccurrences(of: "/mailroom/obligations/{id}", with: "/mailroom/obligations/\(obligation)")
            .replacingOccurrences(of: "{id}", with: "no-such-batch")
            .replacingOccurrences(of: "{file}", with: "print.pdf")
            .replacingOccurrences(of: "{event}", with: "printed")
    }

    @Test("the role table answers 401/403 exactly where it should")
    func matrix() async throws {
        try await TestService.with { s, client in
            let obligation = try #require(
                try await s.store.obligations(
                    ObligationQuery(today: ProgramCalendar.today(), recordId: TestService.rivera)
                ).first?.id
            )
            // ED staff open an emergency plan only after a search matched it (EmergencyAccessTests).
            try await Self.edSearch(s, client)
            var checked = 0
            for spec in s.routes {
                // Starting batches spawns a process; it is covered by its own test.
                if spec.path == "/v1/batches" && spec.method == .post { continue }
                // Signing in is public; a form without its CSRF cookie is refused (WebTests).
                if spec.path == "/login" && spec.method == .post { continue }
                let uri = Self.concrete(spec.path, obligation: obligation)
                let body: ByteBuffer? = spec.method == .get ? nil : data("{}")
                for role in [nil] + Role.allCases.map(Optional.some) {
                    try await client.execute(
                        uri: uri,
                        method: spec.method,
                        headers: s.headers(role, json: true),
                        body: body
                    ) { r in
                        let code = r.status.code
                        let label = "\(spec.method) \(spec.path) as \(role?.rawValue ?? "nobody") → \(code)"
                        guard let roles = spec.roles else {
                            #expect(code != 401 && code != 403, "\(label)")
                            return
                        }
                        if let role, roles.contains(role) {
                            #expect(code != 401 && code != 403, "\(label)")
                        } else if let role {
                            _ = role
                            #expect(code == 403, "\(label)")
                        } else if spec.isAPI {
                            #expect(code == 401, "\(label)")
                            #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, "\(label)")
                        } else {
                            #expect(code == 303 && r.headers[.location]?.hasPrefix("/login") == true, "\(label)")
                        }
                    }
                    checked += 1
                }
            }
            #expect(checked >= 34 * 5)
        }
    }

    /// The ED token's search for Rivera by member id (so that the token may open that plan).
    static func edSearch(_ s: TestService, _ client: any TestClientProtocol) async throws {
        try await client.execute(
            uri: "/v1/members/search",
            method: .post,
            headers: s.headers(.ed, json: true),
            body: data(#"{"memberId":"100234567891"}"#)
        ) { r in
            #expect(r.status == .ok)
            #expect(r.text.contains(TestService.rivera))
        }
    }

    @Test("minimum necessary: ED staff render the emergency plan only; the mailroom reads no records")
    func minimumNecessary() async throws {
        try await TestService.with { s, client in
            try await Self.edSearch(s, client)
            for kind in ["enrollment-letter", "care-plan", "aftercare-plan", "termination-letter"] {
                try await client.execute(
                    uri: "/v1/records/\(TestService.rivera)/documents/\(kind)",
                    method: .get,
                    headers: s.headers(.ed)
                ) { r in
                    #expect(r.status == .forbidden, "ed \(kind)")
                }
            }
            try await client.execute(
                uri: "/v1/records/\(TestService.rivera)/documents/emergency-plan",
                method: .get,
                headers: s.headers(.ed)
            ) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/pdf")
            }
            for uri in [
                "/v1/records/\(TestService.rivera)", "/v1/records/\(TestService.rivera)/summary",
                "/v1/members?memberId=100234567891",
                "/members/\(TestService.rivera)", "/ed/members/\(TestService.rivera)",
            ] {
                try await client.execute(uri: uri, method: .get, headers: s.headers(.mailroom)) { r in
                    #expect(r.status == .forbidden, "mailroom \(uri)")
                }
            }
            try await client.execute(uri: "/v1/audit", method: .get, headers: s.headers(.coordinator)) { r in
                #expect(r.status == .forbidden)
            }
        }
    }

    @Test("a revoked or unknown API token is refused with 401")
    func badTokens() async throws {
        try await TestService.with { s, client in
            try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Bearer cdk_nonsense"]) {
                r in
                #expect(r.status == .unauthorized)
                let body = try r.json()
                #expect(body is [String: Any])
            }
            try await s.store.revokeAPIToken(name: "admin-token", actor: "test", now: Date())
            try await client.execute(uri: "/v1/me", method: .get, headers: s.headers(.admin)) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/me", method: .get, headers: s.headers(.ed)) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"role\":\"ed\""))
            }
        }
    }
}
