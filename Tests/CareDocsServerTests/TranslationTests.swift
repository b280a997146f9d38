import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Rivera's version 2 record with every passage in English only (the Spanish taken out), the
/// texts at `changes` (JSON paths such as `goals.0.description`) replaced.
func untranslatedRivera(changes: [String: String] = [:]) throws -> Data {
    let url = recordsDir.appendingPathComponent("rivera-v2-es.json")
    var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    func strip(_ x: Any) -> Any {
        if let d = x as? [String: Any] {
            if !d.isEmpty, Set(d.keys).isSubset(of: Set(SupportedLanguage.supportedTags)), let en = d["en"] as? String {
                return en
            }
            return d.mapValues(strip)
        }
        if let a = x as? [Any] { return a.map(strip) }
        return x
    }
    root = strip(root) as! [String: Any]
    func set(_ x: Any, _ path: ArraySlice<String>, _ value: String) -> Any {
        guard let key = path.first else { return value }
        if var a = x as? [Any], let i = Int(key) {
            a[i] = set(a[i], path.dropFirst(), value)
            return a
        }
        var d = x as? [String: Any] ?? [:]
        d[key] = set(d[key] as Any, path.dropFirst(), value)
        return d
    }
    for (path, value) in changes {
        root = set(root, ArraySlice(path.split(separator: ".").map(String.init)), value) as! [String: Any]
    }
    return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
}

@Suite("Translators: requests, passages, saving, access")
struct TranslationTests {
    static let rivera = TestService.rivera

    /// A service with Rivera's untranslated version 2 imported.
    static func service(database: String? = nil) async throws -> TestService {
        let s = try await TestService(database: database)
        _ = try await s.store.importRecord(try untranslatedRivera(), actor: "test", now: Date())
        return s
    }

    static func json(_ r: TestResponse) throws -> [String: Any] {
        try #require(try r.json() as? [String: Any], "\(r.status) \(r.text.prefix(300))")
    }

    static func ask(_ s: TestService, _ client: any TestClientProtocol, _ language: String) async throws {
        try await client.execute(
            uri: "/v1/records/\(rivera)/translation-requests",
            method: .post,
            headers: s.headers(.coordinator, json: true),
            body: data(#"{"language":"\#(language)"}"#)
        ) { r in
            #expect(r.status == .created, "\(r.text)")
        }
    }

    @Test("a translator sees assigned records' passages only, never a record, the queue, mailing, emergency or audit")
    func minimumNecessary() async throws {
        try await Self.service().run { s, client in
            let t = s.headers(.translator, json: true)
            // Not assigned yet: 404, as for a record that does not exist.
            for uri in [
                "/v1/translations/\(Self.rivera)/es", "/v1/translations/\(Self.rivera)/es/proof/care-plan",
                "/translations/\(Self.rivera)/es",
            ] {
                try await client.execute(uri: uri, method: .get, headers: t) { r in
                    #expect(r.status == .notFound, "\(uri)")
                }
            }
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es",
                method: .put,
                headers: t,
                body: data(#"{"segments":[{"path":"goals[0].description","target":"x","status":"drafted"}]}"#)
            ) { r in #expect(r.status == .notFound) }
            try await Self.ask(s, client, "es")
            // Asking again answers the open request.
            try await client.execute(
                uri: "/v1/records/\(Self.rivera)/translation-requests",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: data(#"{"language":"es"}"#)
            ) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/v1/translations/\(Self.rivera)/es", method: .get, headers: t) { r in
                #expect(r.status == .ok)
                let o = try Self.json(r)
                let passages = try #require(o["passages"] as? [[String: Any]])
                #expect(passages.count > 50)
                let goal = try #require(passages.first { $0["path"] as? String == "goals[1].actions[0].description" })
                #expect(goal["label"] as? String == "Goal 2 · step 1")
                #expect(goal["status"] as? String == "untranslated")
                #expect(o["done"] as? Bool == false)
                // Minimum necessary: no name, date of birth, address, member id.
                for phi in ["Mateo", "Rivera Ortiz", "2014-03-09", "Pawtucket", "100234567891", "Lucía"] {
                    #expect(!r.text.contains(phi), "\(phi)")
                }
            }
            try await client.execute(uri: "/translations", method: .get, headers: t) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains(Self.rivera))
                for phi in ["Mateo", "Rivera Ortiz", "2014-03-09", "Pawtucket"] { #expect(!r.text.contains(phi)) }
            }
            // Everything else with record content is refused.
            for (method, uri) in [
                (HTTPRequest.Method.get, "/v1/records/\(Self.rivera)"), (.get, "/v1/records/\(Self.rivera)/summary"),
                (.get, "/v1/records/\(Self.rivera)/documents/care-plan"),
                (.get, "/v1/records/\(Self.rivera)/translation-requests"), (.post, "/v1/members/search"),
                (.get, "/v1/obligations"), (.get, "/v1/batches"), (.get, "/v1/audit"),
                (.get, "/members/\(Self.rivera)"),
                (.get, "/mailroom"), (.get, "/ed"), (.post, "/v1/records/\(Self.rivera)/translation-requests"),
            ] {
                try await client.execute(uri: uri, method: method, headers: t, body: method == .get ? nil : data("{}"))
                {
                    r in
                    #expect(r.status == .forbidden, "\(method) \(uri)")
                }
            }
            // Withdrawn: the translator loses access.
            try await client.execute(
                uri: "/v1/records/\(Self.rivera)/translation-requests/es",
                method: .delete,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
                let status = try Self.json(r)["status"] as? String
                #expect(status == "withdrawn")
            }
            try await client.execute(uri: "/v1/translations/\(Self.rivera)/es", method: .get, headers: t) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(
                uri: "/v1/records/\(Self.rivera)/translation-requests",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                let list = try #require(try r.json() as? [[String: Any]])
                #expect(list.map { $0["status"] as? String } == ["withdrawn"])
            }
        }
    }

    @Test("a translator saves drafted and reviewed translations; reads and saves are audited")
    func saveAndAudit() async throws {
        try await Self.service().run { s, client in
            try await Self.ask(s, client, "es")
            let t = s.headers(.translator, json: true)
            try await client.execute(uri: "/v1/translations/\(Self.rivera)/es", method: .get, headers: t) { r in
                #expect(r.status == .ok)
            }
            let body = #"""
                {"segments":[{"path":"goals[0].description","target":"Mantenerse sin convulsiones.","status":"drafted"},
                {"path":"emergency.medications[0].frequency","target":"Dos veces al día","status":"reviewed"}]}
                """#
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es",
                method: .put,
                headers: t,
                body: data(body)
            ) { r in
                #expect(r.status == .ok, "\(r.text.prefix(300))")
                let passages = try #require(try Self.json(r)["passages"] as? [[String: Any]])
                let goal = try #require(passages.first { $0["path"] as? String == "goals[0].description" })
                #expect(goal["status"] as? String == "drafted")
                #expect(goal["target"] as? String == "Mantenerse sin convulsiones.")
                #expect(goal["translator"] as? String == "token:translator-token")
                let freq = try #require(
                    passages.first { $0["path"] as? String == "emergency.medications[0].frequency" }
                )
                #expect(freq["status"] as? String == "reviewed")
                #expect(freq["reviewer"] as? String == "token:translator-token")
            }
            // Coordinators read the status but do not save translations.
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es",
                method: .get,
                headers: s.headers(.coordinator)
            ) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es",
                method: .put,
                headers: s.headers(.coordinator, json: true),
                body: data(body)
            ) { r in
                #expect(r.status == .forbidden)
            }
            // Refusals: an unknown path, a changed source, an empty text.
            for (bad, status) in [
                (
                    #"{"segments":[{"path":"member.lastName","target":"x","status":"drafted"}]}"#,
                    HTTPResponse.Status.unprocessableContent
                ),
                (
                    #"{"segments":[{"path":"goals[0].description","target":"x","status":"drafted","source":"Old text"}]}"#,
                    .conflict
                ),
                (
                    #"{"segments":[{"path":"goals[0].description","target":"  ","status":"drafted"}]}"#,
                    .unprocessableContent
                ),
            ] {
                try await client.execute(
                    uri: "/v1/translations/\(Self.rivera)/es",
                    method: .put,
                    headers: t,
                    body: data(bad)
                ) { r in
                    #expect(r.status == status, "\(bad)")
                }
            }
            try await client.execute(uri: "/v1/audit?recordId=\(Self.rivera)", method: .get, headers: s.headers(.admin))
            { r in
                let entries = try #require(try r.json() as? [[String: Any]])
                let actions = entries.map { "\($0["action"] as? String ?? "") \($0["actor"] as? String ?? "")" }
                #expect(actions.contains("translation-request token:coordinator-token"))
                #expect(actions.contains("view-translation token:translator-token"))
                #expect(actions.contains("view-translation token:coordinator-token"))
                #expect(actions.contains("translation-edit token:translator-token"))
                let edit = try #require(entries.first { $0["action"] as? String == "translation-edit" })
                let what = try #require(edit["what"] as? String)
                #expect(what.contains("goals[0].description") && what.contains("1 drafted, 1 reviewed"))
                // Paths and counts only: never the texts.
                #expect(!what.contains("convulsiones"))
            }
        }
    }

    @Test("the English of a translated passage changes: the passage is stale, with the old translation")
    func stale() async throws {
        try await Self.service().run { s, client in
            try await Self.ask(s, client, "es")
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es",
                method: .put,
                headers: s.headers(.translator, json: true),
                body: data(
                    #"{"segments":[{"path":"goals[0].description","target":"Mantenerse sin convulsiones.","status":"reviewed"}]}"#
                )
            ) { r in #expect(r.status == .ok) }
            // The coordinator changes the English of goal 1.
            try await client.execute(
                uri: "/v1/records/\(Self.rivera)",
                method: .put,
                headers: s.headers(.coordinator, json: true),
                body: ByteBuffer(
                    bytes: try untranslatedRivera(changes: ["goals.0.description": "Stay seizure-free all year."])
                )
            ) { r in #expect(r.status == .ok, "\(r.text.prefix(300))") }
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es",
                method: .get,
                headers: s.headers(.translator)
            ) { r in
                let passages = try #require(try Self.json(r)["passages"] as? [[String: Any]])
                let goal = try #require(passages.first { $0["path"] as? String == "goals[0].description" })
                #expect(goal["status"] as? String == "untranslated")
                #expect(goal["stale"] as? Bool == true)
                #expect(goal["previousTarget"] as? String == "Mantenerse sin convulsiones.")
                #expect(goal["source"] as? String == "Stay seizure-free all year.")
                let other = try #require(passages.first { $0["path"] as? String == "goals[1].description" })
                #expect(other["stale"] as? Bool == false)
            }
            try await client.execute(
                uri: "/translations/\(Self.rivera)/es",
                method: .get,
                headers: s.headers(.translator)
            ) { r in
                #expect(r.text.contains("English changed since this was translated"))
            }
        }
    }

    @Test(
        "pages: a translator signs in, sees the list, saves a passage; Arabic is right to left; the member page's checklist"
    )
    func pages() async throws {
        try await Self.service().run { s, client in
            // The coordinator's member page: how many passages, and the button.
            var coordinator = Browser(client: client)
            _ = try await coordinator.signIn("coordinator1")
            let member = try await coordinator.request("/members/\(Self.rivera)")
            #expect(member.status == .ok)
            #expect(member.text.contains("passages not yet translated into Spanish"))
            #expect(member.text.contains("Ask for a Spanish translation"))
            let asked = try await coordinator.request(
                "/members/\(Self.rivera)/translation-requests",
                .post,
                form: ["language": "es", "csrf": try #require(Browser.csrf(member.text))]
            )
            #expect(asked.status == .seeOther)
            let after = try await coordinator.request("/members/\(Self.rivera)")
            #expect(after.text.contains("Withdraw the Spanish request"))
            _ = try await coordinator.request(
                "/members/\(Self.rivera)/translation-requests",
                .post,
                form: ["language": "ar", "csrf": try #require(Browser.csrf(member.text))]
            )

            var translator = Browser(client: client)
            let signedIn = try await translator.signIn("translator1")
            #expect(signedIn.headers[.location] == "/translations")
            let list = try await translator.request("/translations")
            #expect(list.status == .ok)
            #expect(list.text.contains("/translations/\(Self.rivera)/es"))
            #expect(list.text.contains("/translations/\(Self.rivera)/ar"))
            let page = try await translator.request("/translations/\(Self.rivera)/es")
            #expect(page.status == .ok)
            #expect(page.text.contains("Goal 2 · step 1"))
            #expect(page.text.contains("lang=\"es\" dir=\"ltr\""))
            #expect(page.text.contains("/v1/translations/\(Self.rivera)/es/proof/"))
            // Save the first passage (a row's own Save button).
            let html = page.text
            let path = try #require(
                html.range(of: "name=\"p0\" value=\"").map { String(html[$0.upperBound...].prefix { $0 != "\"" }) }
            )
            let hash = try #require(
                html.range(of: "name=\"s0\" value=\"").map { String(html[$0.upperBound...].prefix { $0 != "\"" }) }
            )
            let saved = try await translator.request(
                "/translations/\(Self.rivera)/es",
                .post,
                form: [
                    "csrf": try #require(Browser.csrf(html)), "p0": path, "s0": hash, "t0": "Texto en español",
                    "save": "0:drafted", "count": "1",
                ]
            )
            #expect(saved.status == .seeOther, "\(saved.text.prefix(300))")
            let again = try await translator.request("/translations/\(Self.rivera)/es")
            #expect(again.text.contains("Drafted by translator1"))
            #expect(again.text.contains("Texto en español"))
            let arabic = try await translator.request("/translations/\(Self.rivera)/ar")
            #expect(arabic.text.contains("lang=\"ar\" dir=\"rtl\""))
            let catalogs = try await translator.request("/translations/catalogs?language=ar")
            #expect(catalogs.status == .ok)
            #expect(catalogs.text.contains("<th scope=\"col\">Status</th>"))
            #expect(catalogs.text.contains("lang=\"ar\" dir=\"rtl\""))
            // The member page stays closed to translators.
            let closed = try await translator.request("/members/\(Self.rivera)")
            #expect(closed.status == .forbidden)
        }
    }

    @Test("on PostgreSQL: a request gives the translator the passages, a save is audited, a withdrawal takes them back")
    func postgres() async throws {
        guard let base = ProcessInfo.processInfo.environment["CAREDOCS_TEST_POSTGRES_URL"] else {
            print("notice: CAREDOCS_TEST_POSTGRES_URL is not set; PostgreSQL translation test skipped")
            return
        }
        let url = try await PostgresServiceTests.createDatabase(base)
        try await Self.service(database: url).run { s, client in
            try await Self.ask(s, client, "es")
            let t = s.headers(.translator, json: true)
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es",
                method: .put,
                headers: t,
                body: data(
                    #"{"segments":[{"path":"goals[0].description","target":"Sin convulsiones.","status":"reviewed"}]}"#
                )
            ) { r in #expect(r.status == .ok, "\(r.text.prefix(300))") }
            try await client.execute(uri: "/v1/translations", method: .get, headers: t) { r in
                let list = try #require(try r.json() as? [[String: Any]])
                #expect(list.count == 1)
                let counts = try #require(list.first?["counts"] as? [String: Any])
                #expect(counts["reviewed"] as? Int == 1)
            }
            try await client.execute(
                uri: "/v1/records/\(Self.rivera)/translation-requests/es",
                method: .delete,
                headers: s.headers(.coordinator)
            ) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/v1/translations/\(Self.rivera)/es", method: .get, headers: t) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/v1/audit/verify", method: .get, headers: s.headers(.admin)) { r in
                #expect(r.status == .ok)
                #expect(!r.text.contains("firstProblem"))
            }
        }
    }

    /// Every passage not translated yet, saved as `status` with "ES " before its English.
    static func translateAll(_ s: TestService, _ client: any TestClientProtocol, _ status: String) async throws {
        var segments: [[String: String]] = []
        try await client.execute(uri: "/v1/translations/\(rivera)/es", method: .get, headers: s.headers(.translator)) {
            r in
            let passages = try #require(try Self.json(r)["passages"] as? [[String: Any]])
            for p in passages where p["status"] as? String != "in-record" {
                segments.append([
                    "path": try #require(p["path"] as? String),
                    "target": "ES " + (try #require(p["source"] as? String)), "status": status,
                ])
            }
        }
        let body = try JSONSerialization.data(withJSONObject: ["segments": segments])
        try await client.execute(
            uri: "/v1/translations/\(rivera)/es",
            method: .put,
            headers: s.headers(.translator, json: true),
            body: ByteBuffer(bytes: body)
        ) { r in #expect(r.status == .ok, "\(r.text.prefix(300))") }
    }

    @Test("the official Spanish copy renders once every passage is reviewed (or drafted, with the setting)")
    func officialCopy() async throws {
        try await Self.service().run { s, client in
            let uri = "/v1/records/\(Self.rivera)/documents/care-plan?language=es"
            try await client.execute(uri: uri, method: .get, headers: s.headers(.coordinator)) { r in
                #expect(r.status == .unprocessableContent)
                #expect(r.text.contains("not translated into Spanish"))
            }
            try await Self.ask(s, client, "es")
            try await Self.translateAll(s, client, "drafted")
            // Drafted translations print on proofs, not on official copies …
            try await client.execute(uri: uri, method: .get, headers: s.headers(.coordinator)) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es/proof/care-plan",
                method: .get,
                headers: s.headers(.translator)
            ) { r in
                #expect(r.status == .ok)
                let pdf = try inspectPDF(r.bytes)
                #expect(pdf.text.contains("ES Keep seizure-free"))
            }
            // … unless the setting allows them.
            try await s.store.setTranslationSettings(
                TranslationSettings(allowDraftedTranslations: true),
                actor: "test",
                now: Date()
            )
            try await client.execute(uri: uri, method: .get, headers: s.headers(.coordinator)) { r in
                #expect(r.status == .ok, "\(r.text.prefix(300))")
            }
            try await s.store.setTranslationSettings(TranslationSettings(), actor: "test", now: Date())
            try await Self.translateAll(s, client, "reviewed")
            try await client.execute(uri: uri, method: .get, headers: s.headers(.coordinator)) { r in
                #expect(r.status == .ok, "\(r.text.prefix(300))")
                #expect(r.headers[.contentType] == "application/pdf")
                let pdf = try inspectPDF(r.bytes)
                #expect(pdf.text.contains("ES Keep seizure-free"))
                #expect(!pdf.text.contains("PROOF"))
            }
            try await client.execute(uri: "/v1/translations", method: .get, headers: s.headers(.translator)) { r in
                let list = try #require(try r.json() as? [[String: Any]])
                #expect(list.first?["status"] as? String == "done")
            }
            var coordinator = Browser(client: client)
            _ = try await coordinator.signIn("coordinator1")
            let member = try await coordinator.request("/members/\(Self.rivera)")
            #expect(member.text.contains("Every passage is translated into Spanish"))
            #expect(member.text.contains("(done)"))
        }
    }

    @Test("a proof in Spanish renders for the translator, marked")
    func proof() async throws {
        try await Self.service().run { s, client in
            try await Self.ask(s, client, "es")
            try await client.execute(
                uri: "/v1/translations/\(Self.rivera)/es/proof/emergency-plan",
                method: .get,
                headers: s.headers(.translator)
            ) { r in
                #expect(r.status == .ok, "\(r.text.prefix(300))")
                #expect(r.headers[.contentType] == "application/pdf")
                let pdf = try inspectPDF(r.bytes)
                #expect(pdf.text.contains("PROOF"))
            }
        }
    }
}
