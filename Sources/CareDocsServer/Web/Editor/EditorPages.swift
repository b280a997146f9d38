import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

/// Coordinators write the care record in the browser: `/members/new` (blank, or from a JSON
/// file's text) and `/members/{recordId}/edit` (versions and downloads: `VersionPages`). A save
/// goes through the same validator and store path as `PUT /v1/records` (a new version, audited,
/// obligations re-derived); a save based on a version that is no longer the latest is refused
/// with what changed, and the form keeps what was typed (`RecordMerge`).
struct EditorPages {
    let env: ServiceEnvironment

    func register(_ t: RouteTable) {
        t.get("/members/new", roles: Access.records) { _, ctx in
            let blank = RecordJSON.object([
                .init("schemaVersion", .number("2")), .init("contentLanguage", .string("en")),
            ])
            return try page(blank, recordId: nil, base: nil, ctx)
        }
        t.post("/members/new", roles: Access.records) { req, ctx in try await post(req, ctx, recordId: nil) }
        t.get("/members/{recordId}/edit", roles: Access.records) { _, ctx in
            // The stored bytes as they are: a version that no longer passes validation (the rules
            // changed since) opens too, with its problems shown, so that it can be fixed.
            let recordId = try ctx.param("recordId")
            guard let stored = try await env.store.latestRecord(recordId: recordId) else {
                throw APIError.notFound("no record \(recordId)")
            }
            try await env.audit(ctx, "view", recordId: recordId, version: stored.version, "record editor")
            guard let json = RecordJSON.parse(stored.body) else {
                throw APIError(.conflict, "the stored record is not JSON")
            }
            return try page(
                json,
                recordId: recordId,
                base: stored.version,
                ctx,
                problems: validate(stored.body),
                notice: Self.checklist(stored.body, recordId: recordId)
            )
        }
        t.post("/members/{recordId}/edit", roles: Access.records) { req, ctx in
            try await post(req, ctx, recordId: try ctx.param("recordId"))
        }
        t.get("/static/record-file.js", roles: nil) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Self.fileScript))
            )
        }
    }

    var outline: SchemaOutline { get throws { try EditorForm.outline } }

    // MARK: The form

    /// The editor page: what to fix (problems listed at the top, each linked to its field, and
    /// shown again next to it), then the record's sections.
    func page(
        _ record: RecordJSON,
        recordId: String?,
        base: Int?,
        _ ctx: AppContext,
        problems: [(path: String, problem: String)] = [],
        notice: String = "",
        status: HTTPResponse.Status = .ok,
        offerIdentityConfirmation: Bool = false
    ) throws -> Response {
        let outline = try outline
        var byField: [String: [String]] = [:]
        var summary = ""
        for p in problems {
            let key = EditorForm.fieldKey(forProblemPath: p.path, outline: outline)
            byField[key, default: []].append(p.problem)
            let where_ = key.isEmpty ? "The record" : EditorLabels.describeWithSection(key)
            summary +=
                "<li>" + (key.isEmpty ? h(where_) : "<a href=\"#field-\(h(key))\">\(h(where_))</a>")
                + ": \(h(p.problem))</li>"
        }
        let renderer = EditorRenderer(outline: outline, record: record, problems: byField)
        let action = recordId.map { "/members/\(u($0))/edit" } ?? "/members/new"
        var body = notice
        if !problems.isEmpty {
            body +=
                "<div class=\"error\" role=\"alert\" id=\"problems\"><h2>\(problems.count) thing\(problems.count == 1 ? "" : "s") to fix before saving</h2><ul>\(summary)</ul><p>Nothing was saved. Everything you typed is still in the form.</p></div>"
        }
        if let recordId {
            body +=
                "<p class=\"note\"><a href=\"/members/\(u(recordId))\">Back to the member</a> · <a href=\"/members/\(u(recordId))/versions\">Versions</a> · <a href=\"/members/\(u(recordId))/record.json\">Download as JSON</a></p>"
        } else {
            body += """
                <details class="from-json"><summary>Start from a JSON file instead</summary>
                <form method="post" action="/members/new">\(Layout.csrfField(ctx.identity))
                <label for="in-json">Paste the care record's JSON (open the file in a text editor, copy everything)</label>
                <textarea id="in-json" name="\(EditorForm.jsonField)" rows="8"></textarea>
                <button type="submit" name="\(EditorForm.actionField)" value="load-json">Fill the form from this JSON</button>
                <p class="help">Nothing is saved until you press Save.</p>
                </form></details><script src="/static/record-file.js"></script>
                """
        }
        body += renderer.contents()
        body += """
            <form method="post" action="\(action)" class="editor" novalidate>\(Layout.csrfField(ctx.identity))
            \(base.map { "<input type=\"hidden\" name=\"\(EditorForm.baseField)\" value=\"\($0)\">" } ?? "")
            <div class="save-bar"><button type="submit" class="primary" name="\(EditorForm.actionField)" value="save">Save</button>
            <span class="note">Saving makes a new version; nothing is saved until you press Save.</span></div>
            \(offerIdentityConfirmation ? Self.identityConfirmation : "")
            \(renderer.sections(record))
            <div class="save-bar"><button type="submit" class="primary" name="\(EditorForm.actionField)" value="save">Save</button></div>
            </form>
            """
        let title = recordId == nil ? "New member" : "Edit the care record"
        return HTMLResponse.make(Layout.page(title, identity: ctx.identity, body: body), status: status)
    }

    /// A convenience where scripts run: choose the JSON file instead of pasting it (read in the
    /// browser into the textarea; the form stays a plain post).
    static let fileScript = """
        (function(){
        var area=document.getElementById('in-json');if(!area||!window.FileReader)return;
        var label=document.createElement('label');label.htmlFor='in-json-file';label.textContent='Or choose the JSON file';
        var input=document.createElement('input');input.type='file';input.id='in-json-file';input.accept='.json,application/json';
        input.addEventListener('change',function(){var f=input.files&&input.files[0];if(!f)return;
        var r=new FileReader();r.onload=function(){area.value=r.result;};r.readAsText(f);});
        area.parentNode.insertBefore(label,area.previousElementSibling);area.parentNode.insertBefore(input,area.previousElementSibling);
        })();
        """

    /// What the documents still need, as on the member page, each item linked to its field
    /// below (nothing when the record does not pass validation: its problems are listed instead).
    static func checklist(_ body: Data, recordId: String) -> String {
        guard let record = try? DocumentService.parse(body) else { return "" }
        let list = DocumentService.checklist(record)
        let missing = list.filter { !$0.1.isEmpty && !CoordinatorPages.notNeededYet($0.0, record) }
        guard !missing.isEmpty else { return Layout.message("Every document has the content it needs.") }
        let rows = list.map { CoordinatorPages.checklistRow($0.0, $0.1, record: record, recordId: recordId) }.joined()
        return """
            <details class="needs"><summary>What the documents still need (\(missing.count) document\(missing.count == 1 ? "" : "s"))</summary>
            <table><caption>Required content by document</caption><thead><tr><th scope="col">Document</th><th scope="col">Ready?</th><th scope="col">Missing</th></tr></thead><tbody>\(rows)</tbody></table>
            </details>
            """
    }

    static let confirmField = "_confirmIdentity"

    /// The API's `confirmIdentityChange=true`, offered after a refusal.
    static let identityConfirmation = """
        <div class="none error"><input type="checkbox" id="in-confirm-identity" name="\(confirmField)" value="1"> <label class="check" for="in-confirm-identity">This version corrects who the child is (member id, name or date of birth): save it anyway. The change is recorded in the audit log.</label></div>
        """

    func post(_ req: Request, _ ctx: AppContext, recordId: String?) async throws -> Response {
        let text = String(decoding: try await req.bytes(ctx), as: UTF8.self)
        let form = FormData(text)
        let outline = try outline
        let values = EditorForm.Values(form.values)
        let action = form.values[EditorForm.actionField] ?? "save"
        let base = form.values[EditorForm.baseField].flatMap { Int($0) }
        if recordId != nil && base == nil {
            throw APIError(
                .badRequest,
                "the form does not say which version it was based on: open the editor again",
                details: [.init(path: EditorForm.baseField, problem: "is required")]
            )
        }
        if action == "load-json", recordId == nil {
            let json = form.values[EditorForm.jsonField] ?? ""
            guard let record = RecordJSON.parse(Data(json.utf8)), record.members != nil else {
                return try page(
                    RecordJSON.object([.init("schemaVersion", .number("2")), .init("contentLanguage", .string("en"))]),
                    recordId: nil,
                    base: nil,
                    ctx,
                    problems: [("", "The pasted text is not a JSON object: nothing was loaded.")],
                    status: .unprocessableContent
                )
            }
            return try page(
                record,
                recordId: nil,
                base: nil,
                ctx,
                problems: validate(record.prettyData),
                notice: Layout.message("The form was filled from the JSON. Check it, then press Save.")
            )
        }
        let typed = EditorForm.parse(values, outline: outline)
        if let row = EditorForm.RowAction(action) {
            return try page(EditorForm.apply(row, to: typed), recordId: recordId, base: base, ctx)
        }
        // Save.
        let record = EditorForm.pruned(typed) ?? .object([])
        let body = record.prettyData
        let problems = validate(body)
        guard problems.isEmpty else {
            return try page(
                record,
                recordId: recordId,
                base: base,
                ctx,
                problems: problems,
                status: .unprocessableContent
            )
        }
        let parsed = try DocumentService.parse(body)
        let newId = Derivation.recordId(of: parsed)
        if let recordId, newId != recordId {
            return try page(
                record,
                recordId: recordId,
                base: base,
                ctx,
                problems: [
                    (
                        parsed.recordId == nil ? "member.id" : "recordId",
                        "would make this a different record (\(newId)); keep \(recordId), or start a new member"
                    )
                ],
                status: .unprocessableContent
            )
        }
        let latest = try await env.store.latestRecord(recordId: newId)
        if let recordId, latest == nil { throw APIError.notFound("no record \(recordId)") }
        if recordId == nil, latest != nil {
            return try alreadyExists(record, parsed, newId, ctx)
        }
        if let base, let latest, latest.version != base {
            return try await conflict(typed: typed, recordId: newId, base: base, latest: latest, ctx)
        }
        do {
            let report = try await env.store.importRecord(
                body,
                options: ImportOptions(
                    confirmIdentityChange: form.values[Self.confirmField] == "1",
                    basedOnVersion: base ?? 0
                ),
                actor: try ctx.who.auditName,
                now: env.now
            )
            try await env.audit(
                ctx,
                "edit",
                recordId: report.recordId,
                version: report.version,
                "record saved in the web editor (\(report.newVersion ? "new version" : "no change"))"
            )
            return Response(
                status: .seeOther,
                headers: [.location: "/members/\(u(report.recordId))?saved=\(report.version)"]
            )
        } catch let refusal as ImportRefusal {
            return try page(
                record,
                recordId: recordId,
                base: base,
                ctx,
                problems: refusal.problems.map { (path: $0.path, problem: $0.problem) },
                status: .conflict,
                offerIdentityConfirmation: refusal.confirmable
            )
        } catch is ImportVersionConflict {
            // Saved by someone else between the check above and this import's transaction.
            guard let base, let latest = try await env.store.latestRecord(recordId: newId) else {
                return try alreadyExists(record, parsed, newId, ctx)
            }
            return try await conflict(typed: typed, recordId: newId, base: base, latest: latest, ctx)
        }
    }

    /// 409 for a new member whose record id is already stored (before the save, or saved by
    /// someone else meanwhile); the form keeps what was typed.
    func alreadyExists(_ record: RecordJSON, _ parsed: CareRecord, _ id: String, _ ctx: AppContext) throws -> Response {
        try page(
            record,
            recordId: nil,
            base: nil,
            ctx,
            problems: [
                (
                    path: parsed.recordId == nil ? "member.id" : "recordId",
                    problem: "a record \(id) already exists: open it from the member search and edit it there"
                )
            ],
            status: .conflict
        )
    }

    /// The validator's problems (the same one `PUT /v1/records` uses), path and words.
    func validate(_ body: Data) -> [(path: String, problem: String)] {
        do {
            _ = try DocumentService.parse(body)
            return []
        } catch let e as APIError {
            return e.details.isEmpty
                ? [(path: "", problem: e.error)] : e.details.map { (path: $0.path, problem: $0.problem) }
        } catch {
            return [(path: "", problem: "\(error)")]
        }
    }

    /// 409: another version was saved since the form was opened. Shows what changed between the
    /// version the form was based on and the latest, and the form again, now based on the latest:
    /// what was typed, with the other save's changes taken in where the coordinator had left the
    /// field as it was (`RecordMerge`); where both changed a field, the typed value is kept and
    /// named. Nothing is saved until Save is pressed again.
    func conflict(
        typed: RecordJSON,
        recordId: String,
        base: Int,
        latest: (version: Int, body: Data),
        _ ctx: AppContext
    ) async throws -> Response {
        let outline = try outline
        let baseJSON = try await env.store.recordBody(recordId: recordId, version: base).flatMap(RecordJSON.parse)
        let latestJSON = RecordJSON.parse(latest.body)
        let diff = RecordDiff(from: baseJSON, to: latestJSON, outline: outline)
        let merge = RecordMerge(typed: typed, base: baseJSON, latest: latestJSON, outline: outline)
        let both = merge.outcomes.filter { $0.outcome == .kept }.count
        try await env.audit(
            ctx,
            "edit-refused",
            recordId: recordId,
            version: latest.version,
            "web editor save based on version \(base) refused: version \(latest.version) was saved since (\(diff.changes.count) field(s) changed, \(both) changed on both sides)"
        )
        let notice = """
            <div class="error" role="alert" id="conflict"><h2>Not saved: someone else saved this record while you were editing</h2>
            <p>You started from version \(base); version \(latest.version) has been saved since. Nothing you typed is lost: it is all in the form below.
            Their changes to fields you had left as they were are now in your form too\(both == 0 ? "" : "; where you both changed a field (\(both) marked below), your value is kept — check it")
            Nothing is saved until you press Save.</p>
            \(merge.table(diff, base: base, latest: latest.version, outline: outline))
            </div>
            """
        return try page(merge.record, recordId: recordId, base: latest.version, ctx, notice: notice, status: .conflict)
    }
}
