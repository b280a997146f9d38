import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import Templating

/// Translators' pages: the open assignments (record id, language, counts, date — no member
/// name, date of birth or address), every passage of one side by side with its translation, and
/// the locale catalogs. Coordinators ask for translations from the member page (forms here).
struct TranslatorPages {
    let env: ServiceEnvironment
    var service: TranslationService { TranslationService(env: env) }
    var routes: TranslationRoutes { TranslationRoutes(env: env) }

    func register(_ t: RouteTable) {
        t.get("/translations", roles: Access.translationStatus) { _, ctx in try await list(ctx) }
        t.get("/translations/catalogs", roles: Access.translationStatus) { req, ctx in try await catalogs(req, ctx) }
        t.get("/translations/{recordId}/{language}", roles: Access.translationStatus) { req, ctx in
            try await workspace(req, ctx)
        }
        t.post("/translations/{recordId}/{language}", roles: Access.translate) { req, ctx in
            try await saveForm(req, ctx)
        }
        t.post("/members/{recordId}/translation-requests", roles: Access.translationRequests) { req, ctx in
            let form = FormData(String(decoding: try await req.bytes(ctx), as: UTF8.self))
            let recordId = try ctx.param("recordId")
            let language = try TranslationService.language(form["language"] ?? "")
            _ = try await routes.requestTranslation(ctx, recordId: recordId, language: language)
            return Response.redirect(to: "/members/\(u(recordId))#translations", type: .normal)
        }
        t.post("/members/{recordId}/translation-requests/{language}/withdraw", roles: Access.translationRequests) {
            _,
            ctx in
            let recordId = try ctx.param("recordId")
            let language = try TranslationService.language(try ctx.param("language"))
            _ = try await routes.withdraw(ctx, recordId: recordId, language: language)
            return Response.redirect(to: "/members/\(u(recordId))#translations", type: .normal)
        }
    }

    // MARK: The list

    func list(_ ctx: AppContext) async throws -> Response {
        let all = try await routes.assignments(ctx, label: "translation assignments page")
        var html = ""
        for (title, id, rows) in [
            ("Open", "open", all.filter { $0.status == "open" }), ("Done", "done", all.filter { $0.status == "done" }),
        ] {
            html += "<h2 id=\"\(id)\">\(title) (\(rows.count))</h2>"
            guard !rows.isEmpty else {
                html += "<p>\(id == "open" ? "No translations are waiting." : "None.")</p>"
                continue
            }
            html +=
                "<table aria-labelledby=\"\(id)\"><thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Language</th><th scope=\"col\">Untranslated</th><th scope=\"col\">Drafted</th><th scope=\"col\">Reviewed</th><th scope=\"col\">English changed</th><th scope=\"col\">Requested</th></tr></thead><tbody>"
            for r in rows {
                let l = SupportedLanguage(rawValue: r.language) ?? .english
                let c = r.counts
                html +=
                    "<tr><td><a href=\"/translations/\(u(r.recordId))/\(u(r.language))\">\(h(r.recordId))</a></td><td>\(h(LanguageWords.name(l))) (<span lang=\"\(l.tag)\">\(h(l.tag))</span>)</td><td>\(c?.untranslated ?? 0)</td><td>\(c?.drafted ?? 0)</td><td>\(c?.reviewed ?? 0)</td><td>\(c.map { $0.stale > 0 ? "<span class=\"stale\">\($0.stale)</span>" : "0" } ?? "0")</td><td>\(h(String(r.requestedAt.prefix(10))))</td></tr>"
            }
            html += "</tbody></table>"
        }
        html +=
            "<p class=\"note\"><a href=\"/translations/catalogs\">Catalog texts</a> (the letters' fixed wording, side by side with English)</p>"
        return HTMLResponse.make(Layout.page("Translations", identity: ctx.identity, body: html))
    }

    // MARK: One record in one language

    func workspace(_ req: Request, _ ctx: AppContext) async throws -> Response {
        let language = try TranslationService.language(try ctx.param("language"))
        let stored = try await service.assigned(ctx, recordId: try ctx.param("recordId"), language: language)
        let ws = try await service.workspace(stored, language)
        try await env.audit(
            ctx,
            "view-translation",
            recordId: stored.recordId,
            version: stored.version,
            "\(language.tag) passages (page): \(ws.passages.count)"
        )
        let saved = req.uri.queryParameters.get("saved").flatMap { Int($0) }
        let canSave = Access.translate.contains(try ctx.who.role)
        let name = LanguageWords.name(language)
        let sourceName = LanguageWords.name(ws.sourceLanguage)
        let base = "/translations/\(u(ws.recordId))/\(language.tag)"
        var html = Layout.message(saved.map { "Saved \($0) passage\($0 == 1 ? "" : "s")." })
        html += """
            <p>Record version \(ws.version) · <strong>\(ws.done ? "Done: every passage is translated and reviewed" : "Open")</strong> ·
            \(ws.count(.untranslated)) untranslated · \(ws.count(.drafted)) drafted · \(ws.count(.reviewed)) reviewed · \(ws.count(.inRecord)) in the record itself\(ws.staleCount > 0 ? " · <span class=\"stale\">\(ws.staleCount) with changed \(h(sourceName))</span>" : "")</p>
            """
        let kinds = DocumentKind.allCases.filter { Requirements.check($0, stored.record).isEmpty }
        if !kinds.isEmpty {
            html +=
                "<p>Proof PDF in \(h(name)) (marked PROOF, untranslated passages shown in \(h(sourceName))): "
                + kinds.map {
                    "<a href=\"/v1/translations/\(u(ws.recordId))/\(language.tag)/proof/\($0.rawValue)\">\(h(CoordinatorPages.title($0)))</a>"
                }.joined(separator: " · ") + "</p>"
        }
        html += "<form method=\"post\" action=\"\(base)\">\(Layout.csrfField(ctx.identity))"
        if canSave {
            html +=
                "<p class=\"inline\"><button class=\"primary\" type=\"submit\" name=\"save\" value=\"all:drafted\">Save all changes</button> <button type=\"submit\" name=\"save\" value=\"all:reviewed\">Save all filled in as reviewed</button></p>"
        }
        html +=
            "<table aria-label=\"Passages\"><thead><tr><th scope=\"col\">Passage</th><th scope=\"col\">\(h(sourceName))</th><th scope=\"col\">\(h(name))</th><th scope=\"col\">Status</th></tr></thead><tbody>"
        for (i, p) in ws.passages.enumerated() {
            let editable = canSave && p.state != .inRecord
            var cell = ""
            if p.stale, let old = p.previousTarget {
                cell +=
                    "<div class=\"old\"><p class=\"stale\">\(h(sourceName)) changed since this was translated</p><p>Earlier \(h(sourceName)): <span lang=\"\(ws.sourceLanguage.tag)\">\(h(p.previousSource ?? ""))</span></p><p>Its translation: <span \(LanguageWords.attributes(language))>\(h(old))</span></p></div>"
            }
            let text = p.target ?? p.previousTarget ?? ""
            cell +=
                "<textarea id=\"t\(i)\" name=\"t\(i)\" \(LanguageWords.attributes(language)) aria-label=\"\(h(name)): \(h(p.label))\"\(editable ? "" : " readonly")>\(h(text))</textarea>"
            cell +=
                "<input type=\"hidden\" name=\"p\(i)\" value=\"\(h(p.path))\"><input type=\"hidden\" name=\"s\(i)\" value=\"\(TranslationSegment.hash(p.source))\">"
            var status: String
            switch p.state {
            case .inRecord: status = "In the record itself (change it there)"
            case .untranslated:
                status =
                    p.stale ? "<span class=\"stale\">Untranslated: \(h(sourceName)) changed</span>" : "Untranslated"
            case .drafted: status = "Drafted" + (p.translator.map { " by \(h($0))" } ?? "")
            case .reviewed:
                status =
                    "<span class=\"ok\">Reviewed" + (p.reviewer.map { " by \(h($0))" } ?? "") + "</span>"
                    + (p.translator.map { " (translated by \(h($0)))" } ?? "")
            }
            if editable {
                status +=
                    "<br><button type=\"submit\" name=\"save\" value=\"\(i):drafted\">Save</button> <button type=\"submit\" name=\"save\" value=\"\(i):reviewed\">Save as reviewed</button>"
            }
            html +=
                "<tr id=\"p\(i)\"><th scope=\"row\">\(h(p.label))<br><code class=\"note\">\(h(p.path))</code></th><td class=\"passage\" lang=\"\(ws.sourceLanguage.tag)\" dir=\"\(LanguageWords.isRightToLeft(ws.sourceLanguage) ? "rtl" : "ltr")\">\(h(p.source))</td><td class=\"passage\">\(cell)</td><td>\(status)</td></tr>"
        }
        html += "</tbody></table><input type=\"hidden\" name=\"count\" value=\"\(ws.passages.count)\"></form>"
        return HTMLResponse.make(
            Layout.page("Translation of \(ws.recordId) into \(name)", identity: ctx.identity, body: html)
        )
    }

    func saveForm(_ req: Request, _ ctx: AppContext) async throws -> Response {
        let language = try TranslationService.language(try ctx.param("language"))
        let stored = try await service.assigned(ctx, recordId: try ctx.param("recordId"), language: language)
        let form = FormData(String(decoding: try await req.bytes(ctx), as: UTF8.self))
        guard let action = form["save"], let colon = action.firstIndex(of: ":"),
            let status = SegmentStatus(rawValue: String(action[action.index(after: colon)...]))
        else { throw APIError(.badRequest, "choose Save or Save as reviewed") }
        let which = String(action[..<colon])
        let ws = try await service.workspace(stored, language)
        let byPath = Dictionary(ws.passages.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let count = min(Int(form["count"] ?? "") ?? 0, 5000)
        let rows = which == "all" ? Array(0..<count) : [Int(which)].compactMap { $0 }
        var inputs: [SegmentInput] = []
        var anchor = ""
        for i in rows {
            guard let path = form["p\(i)"], let p = byPath[path], p.state != .inRecord else { continue }
            guard form["s\(i)"] == TranslationSegment.hash(p.source) else {
                throw APIError(
                    .conflict,
                    "The \(LanguageWords.name(ws.sourceLanguage)) text of \(p.label) changed since the page was loaded. Reload the page; your text was not saved."
                )
            }
            let text = (form.values["t\(i)"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                if which == "all" { continue }
                throw APIError(.unprocessableContent, "The translation of \(p.label) is empty: nothing was saved.")
            }
            if which == "all" {
                let unchanged = text == (p.target ?? p.previousTarget ?? "")
                // An old translation shown as a starting point is saved only row by row.
                if unchanged && (p.stale || p.state == .reviewed || (p.state == .drafted && status == .drafted)) {
                    continue
                }
            }
            inputs.append(SegmentInput(path: p.path, target: text, status: status, source: p.source))
            anchor = "#p\(i)"
        }
        guard !inputs.isEmpty else { throw APIError(.badRequest, "Nothing changed: nothing was saved.") }
        _ = try await routes.save(ctx, inputs, stored, language)
        return Response.redirect(
            to:
                "/translations/\(u(stored.recordId))/\(language.tag)?saved=\(inputs.count)\(which == "all" ? "" : anchor)",
            type: .normal
        )
    }

    // MARK: Catalogs

    static let locales: LocaleSet? = (try? LocaleSet.locate()).flatMap { try? LocaleSet(directory: $0) }

    func catalogs(_ req: Request, _ ctx: AppContext) async throws -> Response {
        guard let set = Self.locales, let english = set.catalogs[LocaleSet.reference] else {
            throw APIError(.serviceUnavailable, "the locale catalogs are not installed on this node")
        }
        var language = req.uri.queryParameters.get("language").flatMap(SupportedLanguage.normalize)
        if language == nil {
            let active = try await env.store.translationRequests(recordId: nil, includeWithdrawn: false)
            language = active.first?.language ?? .spanish
        }
        let l = language ?? .spanish
        let options = SupportedLanguage.allCases.filter { $0 != .english }.map {
            "<option value=\"\($0.tag)\"\($0 == l ? " selected" : "")>\(h(LanguageWords.name($0)))</option>"
        }.joined()
        var html = """
            <p>The fixed wording of letters and plans (read only: changes go through the catalog files' review).</p>
            <form method="get" action="/translations/catalogs" class="inline">
            <div><label for="language">Language</label><select id="language" name="language">\(options)</select></div>
            <div><input type="submit" value="Show"></div></form>
            """
        guard let catalog = set.catalogs[l.tag] else {
            return HTMLResponse.make(
                Layout.page(
                    "Catalog texts",
                    identity: ctx.identity,
                    body: html + "<p>No catalog for this language.</p>"
                )
            )
        }
        html +=
            "<p>\(h(LanguageWords.name(l))): \(h(catalog.status.rawValue)), \(catalog.messages.count) messages, \(catalog.staleKeys.count) with changed English.</p>"
        html +=
            "<table aria-label=\"Catalog messages\"><thead><tr><th scope=\"col\">Key</th><th scope=\"col\">English</th><th scope=\"col\">\(h(LanguageWords.name(l)))</th><th scope=\"col\">Status</th></tr></thead><tbody>"
        for key in english.messages.keys.sorted() {
            let text = catalog.messages[key]
            let status =
                catalog.staleKeys.contains(key)
                ? "<span class=\"stale\">English changed since this was translated</span>"
                : catalog.editedKeys.contains(key)
                    ? "Drafted (edited after its review)"
                    : catalog.status(of: key) == .reviewed
                        ? "<span class=\"ok\">Reviewed" + (catalog.review?[key]?.reviewer.map { " by \(h($0))" } ?? "")
                            + "</span>"
                        : "Drafted"
            html +=
                "<tr><th scope=\"row\"><code>\(h(key))</code></th><td lang=\"en\">\(h(english.messages[key] ?? ""))</td><td \(LanguageWords.attributes(l))>\(text.map(h) ?? "<span class=\"missing\" lang=\"en\" dir=\"ltr\">missing</span>")</td><td>\(status)</td></tr>"
        }
        html += "</tbody></table>"
        return HTMLResponse.make(Layout.page("Catalog texts", identity: ctx.identity, body: html))
    }
}

extension TranslatorPages {
    /// The member page's translation checklist: for each family language of a version 2 record
    /// (and each language with an open request), how many passages are not yet translated into
    /// it, and the button to ask for a translation (or the open request and its withdraw button).
    func memberSection(_ stored: DocumentService.StoredRecord, _ ctx: AppContext) async throws -> String {
        let r = stored.record
        guard r.declaresTranslations else { return "" }
        let requests = try await env.store.translationRequests(recordId: stored.recordId, includeWithdrawn: false)
        var languages = LanguageWords.familyLanguages(r).filter { $0 != r.sourceLanguage }
        for q in requests where !languages.contains(q.language) { languages.append(q.language) }
        // Drafted translations count as translated when official copies may use them.
        let draftsPrint = try await env.store.translationSettings().allowDraftedTranslations
        let csrf = Layout.csrfField(ctx.identity)
        let base = "/members/\(u(stored.recordId))/translation-requests"
        var items: [String] = []
        for l in languages {
            let ws = try await service.workspace(stored, l)
            let missing = ws.count(.untranslated)
            let drafted = draftsPrint ? 0 : ws.count(.drafted)
            var sentence: String
            if missing == 0 && drafted == 0 {
                sentence = "<span class=\"ok\">✓ Every passage is translated into \(h(LanguageWords.name(l))).</span>"
            } else {
                sentence =
                    "<span class=\"missing\">\(missing + drafted) passage\(missing + drafted == 1 ? "" : "s") not yet translated into \(h(LanguageWords.name(l)))</span>"
                if drafted > 0 { sentence += " (\(drafted) drafted, waiting for review)" }
                if ws.staleCount > 0 { sentence += " (\(ws.staleCount) since the English changed)" }
                sentence += "."
            }
            if let q = requests.first(where: { $0.language == l }) {
                sentence +=
                    " Translation requested \(h(String(q.requestedAt.prefix(10)))) by \(h(q.requestedBy))\(ws.done ? " (done)" : "")."
                    + " <form method=\"post\" action=\"\(base)/\(l.tag)/withdraw\" class=\"inline\">\(csrf)<button type=\"submit\">Withdraw the \(h(LanguageWords.name(l))) request</button></form>"
            } else if missing + drafted > 0 {
                sentence +=
                    " <form method=\"post\" action=\"\(base)\" class=\"inline\">\(csrf)<input type=\"hidden\" name=\"language\" value=\"\(l.tag)\"><button type=\"submit\">Ask for \(h(LanguageWords.aTranslation(l)))</button></form>"
            }
            items.append("<li>\(sentence)</li>")
        }
        let others = SupportedLanguage.allCases.filter { $0 != r.sourceLanguage && !languages.contains($0) }
        var html = "<h2 id=\"translations\">Translation</h2>"
        html += items.isEmpty ? "<p>The family reads the record's language.</p>" : "<ul>\(items.joined())</ul>"
        if !others.isEmpty {
            html += """
                <form method="post" action="\(base)" class="inline">\(csrf)
                <div><label for="translation-language">Another language</label><select id="translation-language" name="language">\(others.map { "<option value=\"\($0.tag)\">\(h(LanguageWords.name($0)))</option>" }.joined())</select></div>
                <div><button type="submit">Ask for a translation</button></div></form>
                """
        }
        return html
    }
}
