import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CareDocsServer

/// What a browser would post for the editor's form: every named input, checked box, selected
/// option and textarea (one leading newline dropped, as HTML parsing does); no submit buttons.
enum FormFields {
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func attribute(_ tag: Substring, _ name: String) -> String? {
        guard let r = tag.range(of: " \(name)=\"") else { return nil }
        return unescape(String(tag[r.upperBound...].prefix { $0 != "\"" }))
    }

    /// The fields of the `<form class="editor">` in `html`.
    static func of(_ html: String) -> [String: String] {
        guard let start = html.range(of: "<form method=\"post\" action=\"/members/"),
            let formStart = html[start.lowerBound...].range(of: "class=\"editor\"")
        else { return [:] }
        let form = html[formStart.upperBound...]
        var out: [String: String] = [:]
        var i = form.startIndex
        while let open = form[i...].firstIndex(of: "<") {
            let end = form[open...].firstIndex(of: ">") ?? form.endIndex
            let tag = form[open..<end]
            if tag.hasPrefix("</form") { break }
            if tag.hasPrefix("<input"), let name = attribute(tag, "name") {
                let type = attribute(tag, "type") ?? "text"
                if type == "checkbox" {
                    if tag.contains(" checked") { out[name] = attribute(tag, "value") ?? "on" }
                } else if type != "submit" {
                    out[name] = attribute(tag, "value") ?? ""
                }
            } else if tag.hasPrefix("<textarea"), let name = attribute(tag, "name") {
                let close = form[end...].range(of: "</textarea>")!
                var text = String(form[form.index(after: end)..<close.lowerBound])
                if text.hasPrefix("\n") { text.removeFirst() }
                out[name] = unescape(text)
            } else if tag.hasPrefix("<select"), let name = attribute(tag, "name") {
                let close = form[end...].range(of: "</select>")!
                let options = form[end..<close.lowerBound]
                var value = ""
                if let selected = options.range(of: " selected>") {
                    let optStart = options[..<selected.lowerBound].range(of: "<option", options: .backwards)!
                    value = attribute(options[optStart.lowerBound..<selected.upperBound], "value") ?? ""
                }
                out[name] = value
            }
            i = end < form.endIndex ? form.index(after: end) : end
        }
        return out
    }
}

extension Browser {
    /// Posts the editor's form with `changes` typed in and Save pressed.
    mutating func save(
        _ uri: String,
        _ fields: [String: String],
        _ changes: [String: String]
    ) async throws
        -> TestResponse
    {
        try await request(uri, .post, form: fields.merging(changes.merging(["_action": "save"]) { $1 }) { $1 })
    }
}

@Suite("The care record editor")
struct EditorTests {
    static var outline: SchemaOutline { SchemaOutline.careRecord! }

    /// Every valid record of the test corpus and the shared examples.
    static func records() throws -> [URL] {
        var urls: [URL] = []
        for dir in [
            recordsDir, examples, projectRoot.deletingLastPathComponent().appendingPathComponent("shared/examples"),
        ] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix("invalid") {
                urls.append(dir.appendingPathComponent(name))
            }
        }
        return urls
    }

    @Test("render → post → parse gives back every record exactly (form → JSON equals the original)")
    func roundTrip() throws {
        let urls = try Self.records()
        #expect(urls.count >= 12)
        for url in urls {
            let data = try Data(contentsOf: url)
            guard case .success = CareRecordLoader.load(data: data) else { continue }
            let original = try #require(RecordJSON.parse(data))
            let html =
                "<form method=\"post\" action=\"/members/x/edit\" class=\"editor\">"
                + EditorRenderer(outline: Self.outline, record: original).sections(original) + "</form>"
            let fields = FormFields.of(html)
            #expect(fields.count > 5, "\(url.lastPathComponent)")
            let parsed = EditorForm.pruned(EditorForm.parse(.init(fields), outline: Self.outline))
            #expect(
                parsed?.sameJSON(as: original) == true,
                "\(url.lastPathComponent): \(parsed?.description ?? "nil") != \(original.description)"
            )
        }
    }

    @Test("problem paths land on their fields; labels are in words")
    func problemsAndLabels() {
        let o = Self.outline
        #expect(
            EditorForm.fieldKey(forProblemPath: "goals[1].actions[0].description", outline: o)
                == "goals.1.actions.0.description"
        )
        #expect(EditorForm.fieldKey(forProblemPath: "goals[0].description.es", outline: o) == "goals.0.description")
        #expect(EditorForm.fieldKey(forProblemPath: "removal", outline: o) == "removal")
        #expect(EditorForm.fieldKey(forProblemPath: "nonsense", outline: o) == "")
        #expect(EditorLabels.describeWithSection("removal.date") == "Termination date — in Removal from the program")
        #expect(EditorLabels.describe("goals.1.actions.0.description") == "Goal 2 · Step 1 · What will be done")
        #expect(EditorLabels.describe("member.address.city") == "Home address · City")
        // A field no table knows: its name in words.
        #expect(EditorLabels.label(["emergency", "someNewField"], nil) == "Some new field")
    }

    @Test("row buttons add, move and remove rows without saving")
    func rows() {
        var r = RecordJSON.object([.init("goals", .array([.object([.init("id", .string("g1"))])]))])
        r = EditorForm.apply(.add("goals"), to: r)
        #expect(r["goals"]?.items?.count == 2)
        r = EditorForm.apply(.up("goals", 1), to: r)
        #expect(r["goals"]?[0] == .null)
        r = EditorForm.apply(.add("goals.1.actions"), to: r)
        #expect(r["goals"]?[1]?["actions"]?.items?.count == 1)
        r = EditorForm.apply(.remove("goals", 0), to: r)
        #expect(r["goals"]?.items?.count == 1)
        #expect(EditorForm.RowAction("down goals.0.actions.3") == .down("goals.0.actions", 3))
        // Empty rows are dropped on save; a list stated empty stays empty.
        let pruned = EditorForm.pruned(
            .object([.init("goals", .array([.null])), .init("removal", .object([.init("referrals", .array([]))]))])
        )
        #expect(pruned == .object([.init("removal", .object([.init("referrals", .array([]))]))]))
    }

    static func signedIn(_ client: any TestClientProtocol, _ user: String = "coordinator1") async throws -> Browser {
        var b = Browser(client: client)
        _ = try await b.signIn(user)
        return b
    }

    @Test("a new member from blank: problems next to their fields, what was typed kept; then saved as version 1")
    func newMember() async throws {
        try await TestService.with { s, client in
            var b = try await Self.signedIn(client)
            let blank = try await b.request("/members/new")
            #expect(blank.status == .ok)
            var fields = FormFields.of(blank.text)
            #expect(fields["csrf"] != nil)
            #expect(blank.text.contains("<label for=\"in-member.firstName\">First name</label>"))
            fields.merge(
                [
                    "member.firstName": "Ana", "member.lastName": "Pérez", "member.dateOfBirth": "2019-02-30",
                    "_action": "save",
                ]
            ) { $1 }
            let refused = try await b.request("/members/new", .post, form: fields)
            #expect(refused.status == .unprocessableContent)
            let html = refused.text
            #expect(html.contains("id=\"err-member.dateOfBirth\""))
            #expect(html.contains("id=\"err-member.id\""))
            #expect(html.contains("<a href=\"#field-member.id\">MassHealth member id — in Member and guardians</a>"))
            #expect(html.contains("value=\"Pérez\""))
            #expect(html.contains("value=\"2019-02-30\""))
            // Add a guardian row, then save a valid record.
            fields = FormFields.of(html)
            fields["_action"] = "add guardians"
            let added = try await b.request("/members/new", .post, form: fields)
            #expect(added.text.contains("id=\"in-guardians.0.name\""))
            #expect(added.text.contains("Remove guardian 1"))
            fields = FormFields.of(added.text)
            fields.merge([
                "member.id": "100999888777", "member.dateOfBirth": "2019-02-28", "member.primaryLanguage": "es",
                "guardians.0.name": "Rosa Pérez", "guardians.0.relationship": "mother", "_action": "save",
            ]) { $1 }
            let saved = try await b.request("/members/new", .post, form: fields)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/members/100999888777?saved=1")
            let stored = try #require(try await s.store.latestRecord(recordId: "100999888777"))
            let json = try #require(RecordJSON.parse(stored.body))
            #expect(json["guardians"]?[0]?["name"] == .string("Rosa Pérez"))
            #expect(json["schemaVersion"] == .number("2"))
            let audit = try await s.store.auditEntries(AuditQuery(recordId: "100999888777", limit: 20))
            #expect(audit.contains { $0.action == "edit" })
            // The member's language column is offered beside English.
            let edit = try await b.request("/members/100999888777/edit")
            #expect(edit.text.contains("name=\"member.pronouns~es\""))
            #expect(edit.text.contains("lang=\"es\""))
        }
    }

    @Test("a save based on an older version is refused with what changed; the typed form is kept")
    func concurrentSave() async throws {
        try await TestService.with { s, client in
            var a = try await Self.signedIn(client)
            var b = try await Self.signedIn(client, "admin1")
            let id = TestService.rivera
            let pageA = try await a.request("/members/\(id)/edit")
            let pageB = try await b.request("/members/\(id)/edit")
            #expect(pageA.status == .ok)
            let fieldsA = FormFields.of(pageA.text)
            let fieldsB = FormFields.of(pageB.text)
            #expect(fieldsA["_base"] == "1")
            let first = try await a.save("/members/\(id)/edit", fieldsA, ["education.school": "Saved First Elementary"])
            #expect(first.status == .seeOther)
            let second = try await b.save(
                "/members/\(id)/edit",
                fieldsB,
                ["education.grade": "Typed by the second editor"]
            )
            #expect(second.status == .conflict)
            #expect(second.text.contains("Not saved"))
            #expect(second.text.contains("Saved First Elementary"))
            #expect(second.text.contains("value=\"Typed by the second editor\""))
            let again = FormFields.of(second.text)
            #expect(again["_base"] == "2")
            // Their change to a field this editor had left alone is taken into the form.
            #expect(again["education.school"] == "Saved First Elementary")
            #expect(again["education.grade"] == "Typed by the second editor")
            #expect(second.text.contains("their change, taken into your form"))
            #expect(try await s.store.latestRecord(recordId: id)?.version == 2)
            // Saving again makes version 3 with both changes.
            var retry = again
            retry["_action"] = "save"
            let third = try await b.request("/members/\(id)/edit", .post, form: retry)
            #expect(third.status == .seeOther)
            let v3Body = try #require(try await s.store.latestRecord(recordId: id)).body
            let v3 = try #require(RecordJSON.parse(v3Body))
            #expect(v3["education"]?["school"] == .string("Saved First Elementary"))
            #expect(v3["education"]?["grade"] == .string("Typed by the second editor"))
            #expect(try await s.store.latestRecord(recordId: id)?.version == 3)
            // Both change the same field: the typed value is kept and named.
            let fieldsC = FormFields.of(try await a.request("/members/\(id)/edit").text)
            let fieldsD = FormFields.of(try await b.request("/members/\(id)/edit").text)
            #expect(
                try await a.save("/members/\(id)/edit", fieldsC, ["education.school": "First wins here"]).status
                    == .seeOther
            )
            let clash = try await b.save("/members/\(id)/edit", fieldsD, ["education.school": "Second typed this"])
            #expect(clash.status == .conflict)
            #expect(clash.text.contains("you changed it too: yours is kept"))
            #expect(FormFields.of(clash.text)["education.school"] == "Second typed this")
            // The store checks the version in the import's own transaction.
            let latestBody = try #require(try await s.store.latestRecord(recordId: id)).body
            await #expect(throws: ImportVersionConflict.self) {
                try await s.store.importRecord(
                    latestBody,
                    options: ImportOptions(basedOnVersion: 1),
                    actor: "test",
                    now: Date()
                )
            }
            #expect(try await s.store.latestRecord(recordId: id)?.version == 4)
            // Versions and the diff.
            let list = try await a.request("/members/\(id)/versions")
            #expect(list.text.contains("What changed in version 4"))
            let diff = try await a.request("/members/\(id)/versions/compare?from=1&to=2")
            #expect(diff.status == .ok)
            #expect(diff.text.contains("School — in Education"))
            #expect(diff.text.contains("Saved First Elementary"))
            let bad = try await a.request("/members/\(id)/versions/compare?from=9&to=2")
            #expect(bad.status == .badRequest)
        }
    }

    @Test("changing who the record is about is refused until confirmed, as over the API")
    func identityChange() async throws {
        try await TestService.with { s, client in
            var b = try await Self.signedIn(client)
            let id = TestService.rivera
            let fields = FormFields.of(try await b.request("/members/\(id)/edit").text)
            let refused = try await b.save("/members/\(id)/edit", fields, ["member.firstName": "Someone Else"])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("id=\"err-member.firstName\""))
            #expect(refused.text.contains("name=\"_confirmIdentity\""))
            let confirmed = FormFields.of(refused.text)
            #expect(confirmed["member.firstName"] == "Someone Else")
            let saved = try await b.save("/members/\(id)/edit", confirmed, ["_confirmIdentity": "1"])
            #expect(saved.status == .seeOther)
            let audit = try await s.store.auditEntries(AuditQuery(recordId: id, limit: 50))
            #expect(audit.contains { $0.action == "identity-change" })
        }
    }

    @Test("the checklist speaks plain words and links to the field; removal documents wait for a removal")
    func checklist() async throws {
        try await TestService.with { _, client in
            var b = try await Self.signedIn(client)
            let page = try await b.request("/members/\(TestService.rivera)")
            #expect(page.text.contains("Not needed until a removal is recorded"))
            #expect(!page.text.contains("<code>"))
            #expect(page.text.contains("/members/\(TestService.rivera)/edit"))
            let json = try await b.request("/members/\(TestService.rivera)/record.json")
            #expect(json.status == .ok)
            #expect(json.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(RecordJSON.parse(json.bytes) != nil)
            #expect(try await b.request("/members/no-such-record/edit").status == .notFound)
            // The editor lists what the documents still need, linked to the fields on the page.
            let haddad = try await b.request("/members/\(TestService.haddad)/edit")
            #expect(haddad.text.contains("What the documents still need"))
            #expect(haddad.text.contains("/members/\(TestService.haddad)/edit#field-"))
            #expect(try await b.request("/members/no-such-record/record.json").status == .notFound)
        }
    }

    @Test("a JSON file's text fills the form; nothing is saved until Save")
    func fromJSON() async throws {
        try await TestService.with { s, client in
            var b = try await Self.signedIn(client)
            let blank = try await b.request("/members/new")
            let text = try String(contentsOf: recordsDir.appendingPathComponent("minimal.json"), encoding: .utf8)
            let filled = try await b.request(
                "/members/new",
                .post,
                form: ["csrf": try #require(Browser.csrf(blank.text)), "_action": "load-json", "_json": text]
            )
            #expect(filled.status == .ok)
            let fields = FormFields.of(filled.text)
            let original = try #require(RecordJSON.parse(Data(text.utf8)))
            #expect(fields["member.id"] == original["member"]?["id"]?.scalarText)
            #expect(try await s.store.latestRecord(recordId: fields["member.id"] ?? "") == nil)
        }
    }

    @Test("ED staff, the mailroom and translators may not open the editor")
    func roles() async throws {
        try await TestService.with { s, client in
            for role in [Role.ed, .mailroom, .translator] {
                for uri in [
                    "/members/new", "/members/\(TestService.rivera)/edit", "/members/\(TestService.rivera)/versions",
                ] {
                    try await client.execute(uri: uri, method: .get, headers: s.headers(role)) { r in
                        #expect(r.status == .forbidden, "\(role) \(uri)")
                    }
                }
            }
        }
    }
}
