import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP API")
struct APITests {
    @Test("records: store (201, then 200 unchanged), read back, refuse invalid ones with JSON paths")
    func records() async throws {
        try await TestService.with { s, client in
            let minimal = recordsDir.appendingPathComponent("minimal.json")
            var recordId = ""
            try await client.execute(
                uri: "/v1/records",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: try fileBuffer(minimal)
            ) { r in
                #expect(r.status == .created)
                let o = try #require(try r.json() as? [String: Any])
                recordId = try #require(o["recordId"] as? String)
                #expect(o["version"] as? Int == 1)
            }
            try await client.execute(
                uri: "/v1/records/\(recordId)",
                method: .put,
                headers: s.headers(.coordinator, json: true),
                body: try fileBuffer(minimal)
            ) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"newVersion\":false"))
            }
            try await client.execute(
                uri: "/v1/records/someone-else",
                method: .put,
                headers: s.headers(.coordinator, json: true),
                body: try fileBuffer(minimal)
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(r.paths() == ["recordId"])
            }
            try await client.execute(uri: "/v1/records/\(recordId)", method: .get, headers: s.headers(.coordinator)) {
                r in
                #expect(r.status == .ok)
                let original = try Data(contentsOf: minimal)
                #expect(r.bytes == original)
                #expect(r.headers[.init("X-Record-Version")!] == "1")
            }
            try await client.execute(
                uri: "/v1/records",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: try fileBuffer(recordsDir.appendingPathComponent("invalid-many-problems.json"))
            ) { r in
                #expect(r.status == .unprocessableContent)
                let paths = try r.errorPaths()
                #expect(paths.count > 3)
                #expect(paths.allSatisfy { !$0.isEmpty })
            }
            try await client.execute(
                uri: "/v1/records",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: data("{not json")
            ) { r in
                #expect(r.status == .unprocessableContent)
                let body = try r.json()
                #expect(body is [String: Any])
            }
            try await client.execute(uri: "/v1/records/nobody", method: .get, headers: s.headers(.coordinator)) { r in
                #expect(r.status == .notFound)
                #expect(r.text.contains("\"error\""))
            }
        }
    }

    @Test("validation lists what each document still needs")
    func validate() async throws {
        try await TestService.with { s, client in
            try await client.execute(
                uri: "/v1/validate",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: try fileBuffer(recordsDir.appendingPathComponent("minimal.json"))
            ) { r in
                #expect(r.status == .ok)
                let o = try #require(try r.json() as? [String: Any])
                let docs = try #require(o["documents"] as? [[String: Any]])
                #expect(docs.count == 6)
                let plan = try #require(docs.first { $0["kind"] as? String == "care-plan" })
                #expect(plan["ready"] as? Bool == false)
                #expect(
                    ((plan["missing"] as? [[String: Any]]) ?? []).contains {
                        ($0["clause"] as? String)?.isEmpty == false
                    }
                )
            }
        }
    }

    @Test("bodies over the limit are refused with 413 and a JSON error")
    func tooLarge() async throws {
        try await TestService.with(maxBody: 64 * 1024) { s, client in
            let big = "{\"x\":\"" + String(repeating: "a", count: 200 * 1024) + "\"}"
            try await client.execute(
                uri: "/v1/validate",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: data(big)
            ) { r in
                #expect(r.status == .contentTooLarge)
                let o = try #require(try r.json() as? [String: Any])
                #expect(o["error"] is String && o["details"] is [Any])
            }
        }
    }

    @Test(
        "search members by name (accent- and case-insensitive), date of birth, member id; ED needs name and date together"
    )
    func search() async throws {
        try await TestService.with { s, client in
            for (query, expected) in [
                ("name=mateo", 1), ("name=RIVERA", 1), ("birthDate=2009-07-22", 1), ("memberId=100987654321", 1),
                ("name=zzz", 0),
                ("name=layla&birthDate=2014-03-09", 0),
            ] {
                try await client.execute(uri: "/v1/members?\(query)", method: .get, headers: s.headers(.coordinator)) {
                    r in
                    #expect(r.status == .ok, "\(query)")
                    let list = try r.json() as? [Any]
                    #expect(list?.count == expected, "\(query)")
                }
            }
            try await client.execute(uri: "/v1/members?name=mateo", method: .get, headers: s.headers(.ed)) { r in
                #expect(r.status == .badRequest)
                #expect(r.paths() == ["birthDate"])
            }
            // ED staff give the whole family name (a given name or a prefix finds no one).
            for (name, expected) in [
                ("rivera%20ortiz", 1), ("Mateo%20Rivera%20Ortiz", 1), ("rivera", 0), ("mateo", 0), ("riv", 0),
            ] {
                try await client.execute(
                    uri: "/v1/members?name=\(name)&birthDate=2014-03-09",
                    method: .get,
                    headers: s.headers(.ed)
                ) { r in
                    let list = try r.json() as? [Any]
                    #expect(list?.count == expected, "ED \(name)")
                }
            }
            // The same searches posted as JSON: no PHI in the URL.
            for (body, role, status, expected) in [
                (#"{"name":"Rivera Ortiz","birthDate":"2014-03-09"}"#, Role.ed, HTTPResponse.Status.ok, 1),
                (#"{"name":"mateo","birthDate":"2014-03-09"}"#, Role.ed, HTTPResponse.Status.ok, 0),
                (#"{"memberId":"100987654321"}"#, .ed, .ok, 1),
                (#"{"name":"mateo"}"#, .ed, .badRequest, 0),
                (#"{"name":"","birthDate":"2014-03-09"}"#, .ed, .badRequest, 0),
                (#"{"name":"RIVERA"}"#, .coordinator, .ok, 1),
                (#"{"birthDate":"2009-07-22","limit":5}"#, .admin, .ok, 1),
                (#"{}"#, .coordinator, .ok, 2),
                (#"{"birthDate":"2014-02-30"}"#, .coordinator, .badRequest, 0),
                (#"{"name":3}"#, .coordinator, .badRequest, 0),
                (#"[1]"#, .coordinator, .badRequest, 0),
            ] {
                try await client.execute(
                    uri: "/v1/members/search",
                    method: .post,
                    headers: s.headers(role, json: true),
                    body: data(body)
                ) { r in
                    #expect(r.status == status, "\(role) \(body)")
                    if status == .ok {
                        let list = try r.json() as? [Any]
                        #expect(list?.count == expected, "\(body)")
                    }
                }
            }
            try await client.execute(
                uri: "/v1/members/search",
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"memberId":"100987654321"}"#)
            ) { r in #expect(r.status == .forbidden) }
            try await client.execute(
                uri: "/v1/members?birthDate=2014-02-30",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .badRequest)
                #expect(r.paths() == ["birthDate"])
            }
        }
    }

    @Test("documents render as PDF in any language, bilingual in one file; refusals name paths and clauses")
    func documents() async throws {
        try await TestService.with { s, client in
            let base = "/v1/records/\(TestService.rivera)/documents"
            try await client.execute(
                uri: "\(base)/enrollment-letter?date=2026-11-23",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/pdf")
                let (text, pages) = try inspectPDF(r.bytes)
                #expect(pages >= 1)
                #expect(text.contains("Mateo"))
            }
            var englishPages = 0
            var spanishPages = 0
            try await client.execute(
                uri: "\(base)/care-plan?language=en",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
                englishPages = try inspectPDF(r.bytes).pages
            }
            try await client.execute(
                uri: "\(base)/care-plan?language=es",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                spanishPages = try inspectPDF(r.bytes).pages
            }
            try await client.execute(
                uri: "\(base)/care-plan?bilingual=true",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
                let (text, pages) = try inspectPDF(r.bytes)
                #expect(pages == englishPages + spanishPages)
                #expect(text.contains("Individual Care Plan") || text.contains("INDIVIDUAL CARE PLAN"))
            }
            try await client.execute(
                uri: "\(base)/enrollment-letter?largePrint=true&language=km",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(
                uri: "/v1/records/\(TestService.haddad)/documents/ccm-notice",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .unprocessableContent)
                let o = try #require(try r.json() as? [String: Any])
                let details = try #require(o["details"] as? [[String: Any]])
                #expect(details.contains { ($0["path"] as? String)?.contains("enrolledInCCM") == true })
                #expect(details.allSatisfy { ($0["clause"] as? String)?.isEmpty == false })
            }
            try await client.execute(uri: "\(base)/birthday-card", method: .get, headers: s.headers(.coordinator)) {
                r in
                #expect(r.status == .notFound)
                #expect(r.paths() == ["kind"])
            }
            try await client.execute(
                uri: "\(base)/enrollment-letter?language=tlh",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .badRequest)
                #expect(r.paths() == ["language"])
            }
            try await client.execute(
                uri: "\(base)/enrollment-letter?bilingual=maybe",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .badRequest)
            }
            try await AccessMatrixTests.edSearch(s, client)
            try await client.execute(uri: "\(base)/emergency-plan/preview.png", method: .get, headers: s.headers(.ed)) {
                r in
                #expect(r.status == .ok)
                #expect(r.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            }
            // A posted record renders without being stored.
            try await client.execute(
                uri: "/v1/render/termination-letter?language=ar",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: try fileBuffer(examples.appendingPathComponent("haddad-removal.json"))
            ) { r in
                #expect(r.status == .ok)
                #expect(r.bytes.starts(with: Array("%PDF".utf8)))
            }
            // A proof for review: PROOF — NOT FOR MAILING on every page; an official copy has none.
            for proof in [true, false] {
                try await client.execute(
                    uri: "/v1/render/termination-letter?language=es&proof=\(proof)",
                    method: .post,
                    headers: s.headers(.coordinator, json: true),
                    body: try fileBuffer(examples.appendingPathComponent("haddad-removal.json"))
                ) { r in
                    #expect(r.status == .ok)
                    let pdf = try inspectPDF(Data(r.bytes))
                    let marked = pdf.text.components(separatedBy: "PROOF — NOT FOR MAILING").count - 1
                    #expect(proof ? marked == pdf.pages : marked == 0, "\(marked) marks on \(pdf.pages) pages")
                }
            }
        }
    }

    @Test("obligations filter by status, kind and due window; mailing events go through the state machine")
    func obligationsAndEvents() async throws {
        try await TestService.with { s, client in
            try await client.execute(
                uri: "/v1/obligations?kind=enrollment-letter&status=all",
                method: .get,
                headers: s.headers(.mailroom)
            ) { r in
                #expect(r.status == .ok)
                let list = try #require(try r.json() as? [[String: Any]])
                #expect(list.count == 2)
                #expect(
                    list.allSatisfy { ($0["obligation"] as? [String: Any])?["kind"] as? String == "enrollment-letter" }
                )
            }
            let letter = try await s.renderedLetter()
            try await client.execute(uri: "/v1/obligations?status=bogus", method: .get, headers: s.headers(.mailroom)) {
                r in
                #expect(r.status == .badRequest)
                #expect(r.paths() == ["status"])
            }
            try await client.execute(uri: "/v1/obligations?dueWithin=-3", method: .get, headers: s.headers(.mailroom)) {
                r in #expect(r.status == .badRequest)
            }
            let encoded = letter.addingPercentEncoding(
                withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._"))
            )!
            let events = "/v1/obligations/\(encoded)/events"
            try await client.execute(
                uri: events,
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"mailed","trackingNumber":"RE123456784US"}"#)
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(r.paths() == ["trackingNumber"])
            }
            try await client.execute(
                uri: events,
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"mailed"}"#)
            ) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(
                uri: events,
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"teleported"}"#)
            ) { r in
                #expect(r.status == .badRequest)
                #expect(r.paths() == ["type"])
            }
            try await client.execute(
                uri: events,
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"delivered"}"#)
            ) { r in
                #expect(r.status == .conflict)
            }
            try await client.execute(
                uri: events,
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"mailed","trackingNumber":"RE123456785US"}"#)
            ) { r in
                #expect(r.status == .conflict, "only a printed letter can be mailed")
                #expect(r.text.contains("printed"))
            }
            try await client.execute(
                uri: events,
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"printed"}"#)
            ) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(
                uri: events,
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"mailed","trackingNumber":"RE123456785US"}"#)
            ) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("RE123456785US"))
            }
            try await client.execute(
                uri: "/v1/obligations/nothing-here/events",
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"type":"printed"}"#)
            ) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/v1/obligations/\(encoded)", method: .get, headers: s.headers(.mailroom)) {
                r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"pieces\""))
            }
        }
    }

    @Test("a batch is made in its own process and its files download")
    func batches() async throws {
        try await TestService.with { s, client in
            var id = ""
            try await client.execute(
                uri: "/v1/batches",
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"date":"2026-11-23"}"#)
            ) { r in
                #expect(r.status == .accepted)
                id = try #require((try r.json() as? [String: Any])?["id"] as? String)
            }
            let done = try #require(await s.env.batches.wait(id))
            #expect(done.state == .done, "\(done.error ?? "")")
            #expect((done.pieces ?? 0) >= 1)
            try await client.execute(uri: "/v1/batches/\(id)/print.pdf", method: .get, headers: s.headers(.mailroom)) {
                r in
                #expect(r.status == .ok)
                let pages = try inspectPDF(r.bytes).pages
                #expect(pages >= 2)
            }
            try await client.execute(
                uri: "/v1/batches/\(id)/mailing-book.csv",
                method: .get,
                headers: s.headers(.mailroom)
            ) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            }
            try await client.execute(uri: "/v1/batches/\(id)/secrets.txt", method: .get, headers: s.headers(.mailroom))
            { r in #expect(r.status == .notFound) }
            // Both downloads are audited with the obligations whose letters they hold.
            let downloads = try await s.store.auditEntries(AuditQuery(action: "download"))
            #expect(downloads.count == 2)
            for d in downloads {
                #expect(d.actor == "token:mailroom-token")
                #expect(d.what.contains("batch \(id) "))
                #expect(d.what.contains("\(done.pieces ?? 0) letter(s): "))
                #expect(d.what.contains(TestService.rivera + "/") || d.what.contains(TestService.haddad + "/"))
                #expect(d.what.hasSuffix("; client unknown"))
            }
        }
    }

    @Test("audit: views and renders are recorded by who did them; the chain verifies; no PHI in logs")
    func auditAndLogs() async throws {
        try await TestService.with { s, client in
            try await client.execute(
                uri: "/v1/members?name=Rivera%20Ortiz&birthDate=2014-03-09",
                method: .get,
                headers: s.headers(.ed)
            ) { _ in }
            try await client.execute(uri: "/ed/members/\(TestService.rivera)", method: .get, headers: s.headers(.ed)) {
                r in #expect(r.status == .ok)
            }
            try await client.execute(
                uri: "/v1/records/\(TestService.rivera)/documents/emergency-plan",
                method: .get,
                headers: s.headers(.ed)
            ) { r in #expect(r.status == .ok) }
            try await client.execute(
                uri: "/v1/audit?recordId=\(TestService.rivera)&actor=token:ed-token",
                method: .get,
                headers: s.headers(.admin)
            ) { r in
                #expect(r.status == .ok)
                let list = try #require(try r.json() as? [[String: Any]])
                let actions = list.compactMap { $0["action"] as? String }
                #expect(actions.contains("view") && actions.contains("view-document"))
            }
            try await client.execute(uri: "/v1/audit/verify", method: .get, headers: s.headers(.admin)) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("\"entries\""))
                #expect(!r.text.contains("firstProblem"))
            }
            let logs = s.logs.text
            #expect(logs.contains("route"))
            for phi in ["Rivera", "Mateo", "2014-03-09", "100234567891"] {
                #expect(!logs.contains(phi), "log contains \(phi)")
            }
        }
    }

    @Test("health, readiness, metrics and the OpenAPI document")
    func operations() async throws {
        try await TestService.with { s, client in
            try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("ready"))
            }
            try await client.execute(
                uri: "/v1/records/\(TestService.rivera)/documents/enrollment-letter",
                method: .get,
                headers: s.headers(.coordinator)
            ) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("caredocs_renders_total{kind=\"enrollment-letter\",outcome=\"rendered\"} 1"))
                #expect(r.text.contains("caredocs_queue_pending_obligations"))
                #expect(r.text.contains("caredocs_queue_overdue_obligations"))
                #expect(r.text.contains("caredocs_http_requests_total"))
                #expect(!r.text.contains(TestService.rivera))
            }
        }
    }

    @Test("the OpenAPI document describes exactly the API routes the server has")
    func openAPIMatchesRoutes() async throws {
        try await TestService.with { s, client in
            var yaml = ""
            try await client.execute(uri: "/openapi.yaml", method: .get) { r in
                #expect(r.status == .ok)
                yaml = r.text
            }
            #expect(yaml.hasPrefix("openapi: 3.1.0"))
            // paths: two-space indented keys under `paths:`, methods four spaces in.
            var documented = Set<String>()
            var inPaths = false
            var current = ""
            for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
                if line == "paths:" {
                    inPaths = true
                    continue
                }
                guard inPaths else { continue }
                if line.hasPrefix("  /"), line.hasSuffix(":") { current = String(line.dropFirst(2).dropLast()) }
                for m in ["get", "put", "post", "delete", "patch"] where line == "    \(m):" {
                    documented.insert("\(m.uppercased()) \(current)")
                }
            }
            let served = Set(s.routes.filter(\.isAPI).map { "\($0.method.rawValue) \($0.path)" })
            #expect(
                documented == served,
                "documented only: \(documented.subtracting(served).sorted()); served only: \(served.subtracting(documented).sorted())"
            )
        }
    }

    @Test("the OpenAPI document's document kinds and language tags are the code's")
    func openAPIKindsAndLanguagesMatchTheCode() async throws {
        try await TestService.with { _, client in
            var yaml = ""
            try await client.execute(uri: "/openapi.yaml", method: .get) { r in yaml = r.text }
            func list(after marker: String, open: Character, close: Character) -> [String] {
                guard let start = yaml.range(of: marker)?.upperBound,
                    let from = yaml[start...].firstIndex(of: open),
                    let to = yaml[from...].firstIndex(of: close)
                else { return [] }
                return yaml[yaml.index(after: from)..<to].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            }
            let kinds = list(after: "name: kind", open: "[", close: "]")
            #expect(kinds == DocumentKind.allCases.map(\.rawValue))
            let tags = list(after: "A language tag", open: "(", close: ")")
            #expect(tags == SupportedLanguage.supportedTags)
        }
    }
}
