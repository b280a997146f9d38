import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

/// Coordinators: find a member, see the record's summary, what each document still needs, the
/// member's obligations, and preview or download any document in any language.
struct CoordinatorPages {
    let env: ServiceEnvironment
    var docs: DocumentService { DocumentService(env: env) }
    var today: CalendarDate { ProgramCalendar.today(now: env.now) }

    func register(_ t: RouteTable) {
        // The form is posted: names and dates of birth never appear in a URL. `?all=1` (no PHI)
        // lists everyone.
        t.get("/members", roles: Access.records) { req, ctx in
            try await search(SearchForm(all: req.uri.queryParameters.get("all") != nil), ctx)
        }
        t.post("/members", roles: Access.records) { req, ctx in
            try await search(SearchForm(FormData(String(decoding: try await req.bytes(ctx), as: UTF8.self))), ctx)
        }
        t.get("/members/{recordId}", roles: Access.records) { req, ctx in try await summary(req, ctx) }
    }

    func search(_ form: SearchForm, _ ctx: AppContext) async throws -> Response {
        let name = form.name
        let dob = form.birthDate
        let memberId = form.memberId
        var results = ""
        if !form.isEmpty || form.all {
            if !dob.isEmpty && CalendarDate(dob) == nil {
                throw APIError(.badRequest, "The date of birth must be a real date (YYYY-MM-DD).")
            }
            let search = MemberSearch(
                name: name.isEmpty ? nil : name,
                birthDate: dob.isEmpty ? nil : dob,
                memberId: memberId.isEmpty ? nil : memberId,
                limit: 100
            )
            let found = try await env.lookup(search, ctx, label: "member search")
            results = "<h2 id=\"results\">\(found.count) member\(found.count == 1 ? "" : "s") found</h2>"
            if !found.isEmpty {
                results +=
                    "<table aria-labelledby=\"results\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Date of birth</th><th scope=\"col\">Member id</th><th scope=\"col\">Record version</th></tr></thead><tbody>"
                results += found.map { m in
                    "<tr><td><a href=\"/members/\(u(m.recordId))\">\(h(m.familyName)), \(h(m.givenName))</a></td><td>\(h(m.birthDate))</td><td>\(h(m.memberId))</td><td>\(m.latestVersion)</td></tr>"
                }.joined()
                results += "</tbody></table>"
            }
        }
        let body = """
            <form method="post" action="/members" class="inline" role="search" aria-label="Find a member">\(Layout.csrfField(ctx.identity))
            <div><label for="name">Name</label><input id="name" name="name" value="\(h(name))"></div>
            <div><label for="birthDate">Date of birth</label><input id="birthDate" name="birthDate" type="date" value="\(h(dob))"></div>
            <div><label for="memberId">Member id</label><input id="memberId" name="memberId" value="\(h(memberId))"></div>
            <div><input type="submit" value="Find"></div>
            </form>
            <p class="note"><a href="/members?all=1">List all members</a> · <a href="/members/new">New member</a></p>
            \(results)
            """
        return HTMLResponse.make(Layout.page("Find a member", identity: ctx.identity, body: body))
    }

    func summary(_ req: Request, _ ctx: AppContext) async throws -> Response {
        let stored = try await docs.latest(try ctx.param("recordId"))
        let r = stored.record
        let m = r.member
        let q = req.uri.queryParameters
        let today = today
        let obligations = try await env.store.obligations(
            ObligationQuery(today: today, recordId: stored.recordId, includeClosed: true)
        )
        try await env.audit(
            ctx,
            "view",
            recordId: stored.recordId,
            version: stored.version,
            "record summary page with \(obligations.count) obligation(s): \(ServiceEnvironment.ids(obligations.map(\.id)))"
        )
        let saved =
            q.get("saved").flatMap { Int($0) }.map { Layout.message("Saved: this is version \($0) of the record.") }
            ?? ""
        var html = """
            \(saved)<dl>
            <dt>Member id</dt><dd>\(h(m.id))</dd>
            <dt>Date of birth</dt><dd>\(h(m.dateOfBirth.description))</dd>
            <dt>Primary language</dt><dd>\(h(m.primaryLanguage))\(r.letterLanguage.map { " (letters in \(h($0.tag)))" } ?? " (no supported letter language)")</dd>
            <dt>Record</dt><dd>version \(stored.version) · <a href="/members/\(u(stored.recordId))/edit">Edit the record</a> · <a href="/members/\(u(stored.recordId))/versions">Versions</a> · <a href="/members/\(u(stored.recordId))/record.json">Download as JSON</a></dd>
            </dl>
            <h2 id="checklist">Documents: required content</h2>
            <table aria-labelledby="checklist"><thead><tr><th scope="col">Document</th><th scope="col">Ready?</th><th scope="col">Missing</th></tr></thead><tbody>
            """
        for (kind, problems) in DocumentService.checklist(r) {
            html += Self.checklistRow(kind, problems, record: r, recordId: stored.recordId)
        }
        html += "</tbody></table>"
        html += try await TranslatorPages(env: env).memberSection(stored, ctx)
        // Document form: preview (PNG of page 1) and the PDF.
        let kind = q.get("kind").flatMap(DocumentKind.init(rawValue:))
        let language = q.get("language") ?? ""
        let large = q.get("largePrint") != nil
        var langOptions =
            "<option value=\"\">Default (family's language; English for the emergency plan and CCM notice)</option>"
        langOptions +=
            "<option value=\"bilingual\"\(language == "bilingual" ? " selected" : "")>English and the family's language</option>"
        for tag in SupportedLanguage.supportedTags {
            langOptions +=
                "<option value=\"\(h(tag))\"\(language == tag ? " selected" : "")>\(h(SupportedLanguage.normalize(tag).map { Self.languageName($0) } ?? tag))</option>"
        }
        html += """
            <h2 id="documents">Preview or print a document</h2>
            <form method="get" action="/members/\(u(stored.recordId))#documents" class="inline" aria-labelledby="documents">
            <div><label for="kind">Document</label><select id="kind" name="kind">\(DocumentKind.allCases.map { "<option value=\"\($0.rawValue)\"\(kind == $0 ? " selected" : "")>\(h(Self.title($0)))</option>" }.joined())</select></div>
            <div><label for="language">Language</label><select id="language" name="language">\(langOptions)</select></div>
            <div><label for="largePrint"><input type="checkbox" id="largePrint" name="largePrint" value="1"\(large ? " checked" : "")> Large print</label></div>
            <div><input type="submit" value="Preview"></div>
            </form>
            """
        if let kind {
            var params = [String]()
            if language == "bilingual" {
                params.append("bilingual=true")
            } else if !language.isEmpty {
                params.append("language=\(u(language))")
            }
            if large { params.append("largePrint=true") }
            let query = params.isEmpty ? "" : "?" + params.joined(separator: "&")
            let base = "/v1/records/\(u(stored.recordId))/documents/\(kind.rawValue)"
            let problems = Requirements.check(kind, r)
            if problems.isEmpty {
                let previewQuery = language == "bilingual" ? (large ? "?largePrint=true" : "") : query
                html += """
                    <p><a href="\(base)\(query)">Download the PDF</a> (opens in the browser's PDF viewer, ready to print)</p>
                    <img class="preview" src="\(base)/preview.png\(previewQuery)" alt="Page 1 of the \(h(Self.title(kind))) as it will print" width="510">
                    """
            } else {
                html +=
                    "<div class=\"error\" role=\"alert\"><p>The \(h(Self.title(kind))) cannot be made yet: \(problems.count) required item(s) are missing (see the checklist above).</p></div>"
            }
        }
        html +=
            "<h2 id=\"obligations\">Obligations</h2>"
            + Self.obligationTable(obligations, today: today, labelledBy: "obligations")
        return HTMLResponse.make(Layout.page("\(m.firstName) \(m.lastName)", identity: ctx.identity, body: html))
    }

    /// One document's row of the checklist, in the coordinator's words: each missing item named
    /// by its label and section, linked to its field in the editor, with the regulation clause.
    /// A document that does not apply yet (before a removal) says so instead of listing items.
    static func checklistRow(
        _ kind: DocumentKind,
        _ problems: [RequirementProblem],
        record r: CareRecord,
        recordId: String
    )
        -> String
    {
        let title = "<th scope=\"row\">\(h(Self.title(kind)))</th>"
        if notNeededYet(kind, r) {
            return "\(title)<td><span class=\"note\">Not needed until a removal is recorded</span></td><td></td>"
                .wrappedInRow
        }
        guard !problems.isEmpty else {
            return "\(title)<td><span class=\"ok\">✓ Ready</span></td><td></td>".wrappedInRow
        }
        let outline = SchemaOutline.careRecord
        let items = problems.map { p -> String in
            let key = outline.map { EditorForm.fieldKey(forProblemPath: p.path, outline: $0) } ?? ""
            let words = key.isEmpty ? "The record" : EditorLabels.describeWithSection(key)
            let what = p.problem == "required" ? "" : ": \(h(p.problem))"
            return
                "<li><a href=\"/members/\(u(recordId))/edit#field-\(h(key))\">\(h(words))</a>\(what) <span class=\"note\">(\(h(p.clause)))</span></li>"
        }
        return
            "\(title)<td><span class=\"missing\">✗ \(problems.count) missing</span></td><td><ul>\(items.joined())</ul></td>"
            .wrappedInRow
    }

    /// The termination letter and the aftercare plan before a removal is recorded.
    static func notNeededYet(_ kind: DocumentKind, _ r: CareRecord) -> Bool {
        [.terminationLetter, .aftercarePlan].contains(kind) && r.removal == nil
    }

    static func obligationTable(_ list: [Obligation], today: CalendarDate, labelledBy: String) -> String {
        guard !list.isEmpty else { return "<p>No obligations.</p>" }
        var html =
            "<table aria-labelledby=\"\(labelledBy)\"><thead><tr><th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">What</th><th scope=\"col\">Paper</th><th scope=\"col\">Tracking number</th></tr></thead><tbody>"
        for o in list {
            let s = o.status(today: today)
            html +=
                "<tr><td>\(o.dueDate.description)</td><td\(statusClass(s))>\(statusText(s))</td><td>\(h(o.kind.rawValue))\(o.qualifier.map { " (\(h($0)))" } ?? "")</td><td>\(h(o.paper.rawValue))\(o.waitingForTranslationText.map { "<br><span class=\"missing\">\(h($0))</span>" } ?? "")</td><td>\(h(o.trackingNumber ?? ""))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    static func statusClass(_ s: DueStatus) -> String {
        switch s.state {
        case .overdue: " class=\"overdue\""
        case .atRisk: " class=\"at-risk\""
        default: ""
        }
    }

    static func statusText(_ s: DueStatus) -> String {
        switch s.state {
        case .overdue: "Overdue by \(-(s.daysLeft ?? 0)) day\(s.daysLeft == -1 ? "" : "s")"
        case .atRisk:
            s.daysLeft == 0 ? "At risk: due today" : "At risk: \(s.daysLeft ?? 0) day\(s.daysLeft == 1 ? "" : "s") left"
        case .onTrack: "On track: \(s.daysLeft ?? 0) days left"
        case .complete: s.late == true ? "Complete (late)" : "Complete"
        case .cancelled: "Cancelled"
        }
    }

    static func title(_ kind: DocumentKind) -> String {
        switch kind {
        case .enrollmentLetter: "Enrollment letter"
        case .terminationLetter: "Termination letter"
        case .carePlan: "Individual Care Plan (ICP)"
        case .emergencyPlan: "Emergency plan"
        case .aftercarePlan: "Aftercare / transition plan"
        case .ccmNotice: "CCM notice"
        }
    }

    static func languageName(_ l: SupportedLanguage) -> String {
        let name = Locale(identifier: "en").localizedString(forIdentifier: l.tag) ?? l.tag
        return "\(name) (\(l.tag))"
    }
}

extension String {
    fileprivate var wrappedInRow: String { "<tr>\(self)</tr>" }
}
