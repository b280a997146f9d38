import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

/// The mailroom: today's letters by due date (overdue red, at risk amber), batches to print,
/// tracking numbers typed in (checked as typed by the S10 check digit, and on the server), and
/// returned letters with their reason. Names, addresses and mailing status only — no health
/// content.
struct MailroomPages {
    let env: ServiceEnvironment
    var today: CalendarDate { ProgramCalendar.today(now: env.now) }

    func register(_ t: RouteTable) {
        t.get("/mailroom", roles: Access.mailing) { req, ctx in
            try await work(req, ctx, message: req.uri.queryParameters.get("done"))
        }
        t.post("/mailroom/batches", roles: Access.mailing) { req, ctx in
            let form = FormData(String(decoding: try await req.bytes(ctx), as: UTF8.self))
            let date = form["date"] ?? today.description
            guard CalendarDate(date) != nil else {
                throw APIError(.badRequest, "The batch date must be a real date (YYYY-MM-DD).")
            }
            let b: BatchRunner.Batch
            do {
                b = try env.batches.start(
                    date: date,
                    postage: form["postage"] ?? "",
                    fee: form["fee"] ?? "",
                    actor: try ctx.who.auditName,
                    now: env.now
                )
            } catch let e as BatchRunner.AlreadyRunning {
                return try await work(req, ctx, message: nil, error: e.description, status: .conflict)
            }
            return Response.redirect(to: "/mailroom/batches/\(u(b.id))", type: .normal)
        }
        t.get("/mailroom/batches/{id}", roles: Access.mailing) { _, ctx in try batchPage(ctx) }
        t.post("/mailroom/obligations/{id}/{event}", roles: Access.mailing) { req, ctx in try await event(req, ctx) }
        t.get("/static/tracking.js", roles: nil) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Self.trackingScript))
            )
        }
    }

    /// Who a letter goes to: name and mailing address (nothing else of the record is shown), and
    /// how many required items it still misses (a count, never the content). The addressee is
    /// `CareRecord.addressee(of:)`, the decision the letter's window and the mailing book use.
    struct Addressee {
        var name: String
        var address: String
        var missing: Int
    }

    /// The addressee of obligation `o`'s document; records are read and parsed once per page.
    func addressee(_ o: Obligation, cache: inout [String: CareRecord?]) async throws -> Addressee? {
        let record: CareRecord?
        if let hit = cache[o.recordId] {
            record = hit
        } else {
            if let (_, body) = try await env.store.latestRecord(recordId: o.recordId),
                case .success(let parsed) = CareRecordLoader.load(data: body)
            {
                record = parsed
            } else {
                record = nil
            }
            cache[o.recordId] = record
        }
        guard let record, let kind = o.kind.documentKind, let who = record.addressee(of: kind) else { return nil }
        return Addressee(
            name: who.name,
            address: who.addressOneLine ?? (who.missingAddressReason ?? "no mailing address"),
            missing: Requirements.check(kind, record).count
        )
    }

    func work(
        _ req: Request,
        _ ctx: AppContext,
        message: String?,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let today = today
        let within = Int(req.uri.queryParameters.get("dueWithin") ?? "") ?? 30
        let list = try await env.store.obligations(ObligationQuery(today: today, dueWithin: within))
            .filter { $0.kind.isDocument && [.open, .rendered, .printed].contains($0.paper) }
        let csrf = Layout.csrfField(ctx.identity)
        var cache: [String: CareRecord?] = [:]
        var rows = ""
        for o in list.prefix(300) {
            let s = o.status(today: today)
            let who = try await addressee(o, cache: &cache)
            let label = "tracking-\(h(o.id))"
            rows += """
                <tr><td>\(o.dueDate.description)</td><td\(CoordinatorPages.statusClass(s))>\(CoordinatorPages.statusText(s))</td>
                <td>\(h(o.kind.rawValue))\(o.qualifier.map { " (\(h($0)))" } ?? "")\(o.attempt > 1 ? " (attempt \(o.attempt))" : "")</td>
                <td>\(h(who?.name ?? "(record not readable)"))<br><span class="note">\(h(who?.address ?? ""))</span>\(o.addressProblem.map { "<br><span class=\"missing\">Returned before: \(h($0))</span>" } ?? "")</td>
                <td>\(h(o.paper.rawValue))\(o.waitingForTranslationText.map { "<br><span class=\"missing\">\(h($0))</span>" } ?? "")</td>
                <td>\(o.paper == .printed ? """
                <form method="post" action="/mailroom/obligations/\(u(o.id))/mailed" class="inline">\(csrf)
                <label for="\(label)">Tracking number<span class="visually-hidden"> for \(h(o.id))</span></label>
                <input id="\(label)" name="trackingNumber" class="tracking" size="15" maxlength="13" required pattern="[A-Za-z]{2}[0-9]{9}[A-Za-z]{2}" title="13 characters: 2 letters, 9 digits, 2 letters (e.g. RE123456785US)" autocomplete="off">
                <button type="submit">Mailed</button></form>
                """ : o.paper == .rendered ? """
                <form method="post" action="/mailroom/obligations/\(u(o.id))/printed" class="inline">\(csrf)<button type="submit" aria-label="Mark \(h(o.id)) printed">Printed</button></form>
                """ : (who?.missing ?? 0) > 0
                    ? "<span class=\"missing\">Cannot be made yet: \(who?.missing ?? 0) required item(s) missing in the record (coordinator)</span>"
                    : "<span class=\"note\">Not rendered yet: make a batch</span>")</td></tr>
                """
        }
        // Mailed letters that may still come back.
        let mailed = try await env.store.obligations(ObligationQuery(today: today, includeClosed: true))
            .filter { $0.kind.isDocument && $0.paper == .mailed }.prefix(100)
        var mailedRows = ""
        for o in mailed {
            let who = try await addressee(o, cache: &cache)
            let label = "reason-\(h(o.id))"
            mailedRows += """
                <tr><td>\(o.mailDate?.description ?? "")</td><td>\(h(o.trackingNumber ?? ""))</td><td>\(h(o.kind.rawValue))</td><td>\(h(who?.name ?? ""))</td>
                <td><form method="post" action="/mailroom/obligations/\(u(o.id))/returned" class="inline">\(csrf)
                <label for="\(label)">Reason</label><select id="\(label)" name="reason" required><option value="">Choose…</option>
                <option>Addressee unknown</option><option>Insufficient address</option><option>No such street or number</option><option>Moved, left no address</option><option>Refused</option><option>Unclaimed</option><option>Other</option></select>
                <button type="submit">Returned</button></form>
                <form method="post" action="/mailroom/obligations/\(u(o.id))/delivered" class="inline">\(csrf)<button type="submit">Delivered</button></form></td></tr>
                """
        }
        // Names and addresses of everyone listed: the page is a read of PHI.
        try await env.audit(
            ctx,
            "view",
            "mailroom letter list: \(min(list.count, 300)) to mail: \(ServiceEnvironment.ids(list.prefix(300).map(\.id))); "
                + "\(mailed.count) mailed: \(ServiceEnvironment.ids(mailed.map(\.id)))"
        )
        let body = """
            \(Layout.message(message))\(error.map { "<div class=\"error\" role=\"alert\"><p>\(h($0))</p></div>" } ?? "")
            <h2 id="batch">Make a print batch</h2>
            <form method="post" action="/mailroom/batches" class="inline" aria-labelledby="batch">\(csrf)
            <div><label for="date">Letter date</label><input id="date" name="date" type="date" value="\(today.description)"></div>
            <div><label for="postage">Postage per piece</label><input id="postage" name="postage" size="6" inputmode="decimal"></div>
            <div><label for="fee">Registered Mail fee</label><input id="fee" name="fee" size="6" inputmode="decimal"></div>
            <div><input type="submit" value="Make batch"></div>
            </form>
            <h2 id="tomail">To mail: \(list.count) letter\(list.count == 1 ? "" : "s") due within \(within) days or overdue</h2>
            \(list.isEmpty ? "<p>Nothing to mail.</p>" : """
            <table aria-labelledby="tomail"><thead><tr><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Letter</th><th scope="col">To</th><th scope="col">Paper</th><th scope="col">Printed / tracking number</th></tr></thead><tbody>\(rows)</tbody></table>
            """)
            <h2 id="mailed">Mailed, not yet delivered</h2>
            \(mailedRows.isEmpty ? "<p>None.</p>" : """
            <table aria-labelledby="mailed"><thead><tr><th scope="col">Mailed</th><th scope="col">Tracking number</th><th scope="col">Letter</th><th scope="col">To</th><th scope="col">Outcome</th></tr></thead><tbody>\(mailedRows)</tbody></table>
            """)
            <script src="/static/tracking.js"></script>
            """
        return HTMLResponse.make(
            Layout.page("Mailroom: today's work", identity: ctx.identity, body: body),
            status: status
        )
    }

    func batchPage(_ ctx: AppContext) throws -> Response {
        let id = try ctx.param("id")
        guard let b = env.batches.batch(id) else { throw APIError.notFound("There is no batch \(id) on this server.") }
        var body: String
        var refresh: HTTPFields = [:]
        switch b.state {
        case .running:
            body = "<p role=\"status\">The batch is being made. This page reloads every 2 seconds.</p>"
            refresh[.init("Refresh")!] = "2"
        case .failed:
            body =
                "<div class=\"error\" role=\"alert\"><p>The batch failed: \(h(b.error ?? "unknown reason")). Nothing was lost: make the batch again.</p></div>"
        case .done:
            body = "<p role=\"status\">\(b.pieces ?? 0) letter(s) on \(b.sheets ?? 0) sheet(s).</p>"
            if (b.pieces ?? 0) > 0 {
                body += """
                    <ul><li><a href="/v1/batches/\(u(id))/print.pdf">Print file (PDF)</a></li>
                    <li><a href="/v1/batches/\(u(id))/mailing-book.pdf">Mailing book, PS Form 3877 (PDF)</a></li>
                    <li><a href="/v1/batches/\(u(id))/mailing-book.csv">Mailing book (CSV)</a></li></ul>
                    """
            }
            if let skipped = b.skipped, !skipped.isEmpty {
                body +=
                    "<h2>Not in this batch</h2><ul>"
                    + skipped.map { "<li>\(h($0.obligation)): \(h($0.reason))</li>" }.joined() + "</ul>"
            }
        }
        body += "<p><a href=\"/mailroom\">Back to today's work</a></p>"
        return HTMLResponse.make(Layout.page("Batch \(b.id)", identity: ctx.identity, body: body), headers: refresh)
    }

    func event(_ req: Request, _ ctx: AppContext) async throws -> Response {
        let id = try ctx.param("id")
        let name = try ctx.param("event")
        let form = FormData(String(decoding: try await req.bytes(ctx), as: UTF8.self))
        let input: EventIn
        switch name {
        case "mailed":
            input = EventIn(
                type: "mailed",
                trackingNumber: form["trackingNumber"]?.uppercased().replacingOccurrences(of: " ", with: "")
            )
        case "returned": input = EventIn(type: "returned", reason: form["reason"])
        case "printed", "delivered": input = EventIn(type: name)
        default: throw APIError.notFound("no such mailroom action")
        }
        do {
            _ = try await env.store.apply(
                try input.event(today: today),
                to: id,
                actor: try ctx.who.auditName,
                now: env.now
            )
        } catch let e as TrackingNumberError {
            return try await work(
                req,
                ctx,
                message: nil,
                error: "Tracking number for \(id): \(e.description)",
                status: .unprocessableContent
            )
        } catch let e as TransitionRefused {
            return try await work(req, ctx, message: nil, error: e.description, status: .conflict)
        } catch let e as APIError {
            return try await work(
                req,
                ctx,
                message: nil,
                error: e.error + (e.details.first.map { ": \($0.problem)" } ?? ""),
                status: e.status
            )
        }
        let done =
            switch name {
            case "mailed": "Recorded: \(id) mailed with \(form["trackingNumber"]?.uppercased() ?? "")."
            case "returned": "Recorded: \(id) returned."
            default: "Recorded: \(id) \(name)."
            }
        return Response.redirect(to: "/mailroom?done=\(u(done))", type: .normal)
    }

    /// Checks the S10 check digit as the number is typed (the server checks again).
    static let trackingScript = """
        (function(){
        function valid(v){v=v.toUpperCase().replace(/\\s/g,'');if(!/^[A-Z]{2}[0-9]{9}[A-Z]{2}$/.test(v))return 'Use 2 letters, 9 digits, 2 letters (e.g. RE123456785US).';
        var w=[8,6,4,2,3,5,9,7],s=0;for(var i=0;i<8;i++)s+=w[i]*(+v[2+i]);var c=11-(s%11);if(c==10)c=0;if(c==11)c=5;
        return c==+v[10]?'':'The check digit does not match: please check the number.';}
        document.querySelectorAll('input.tracking').forEach(function(el){el.addEventListener('input',function(){el.setCustomValidity(el.value?valid(el.value):'');});});
        })();
        """
}
