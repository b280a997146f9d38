import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

/// A record's versions: the list (who saved each, when), the differences between any two, field
/// by field in plain words (`RecordDiff`), and the latest version as a JSON download. Version
/// numbers are the only thing in these URLs; every view is audited.
struct VersionPages {
    let env: ServiceEnvironment

    func register(_ t: RouteTable) {
        t.get("/members/{recordId}/record.json", roles: Access.records) { _, ctx in
            let recordId = try ctx.param("recordId")
            guard let stored = try await env.store.latestRecord(recordId: recordId) else {
                throw APIError.notFound("no record \(recordId)")
            }
            try await env.audit(ctx, "view", recordId: recordId, version: stored.version, "record JSON download")
            return BinaryResponse.make(
                stored.body,
                contentType: "application/json; charset=utf-8",
                filename: "care-record-\(recordId)-v\(stored.version).json",
                inline: false
            )
        }
        t.get("/members/{recordId}/versions", roles: Access.records) { _, ctx in try await versions(ctx) }
        t.get("/members/{recordId}/versions/compare", roles: Access.records) { req, ctx in
            try await compare(req, ctx)
        }
    }

    var outline: SchemaOutline { get throws { try EditorForm.outline } }

    func versions(_ ctx: AppContext) async throws -> Response {
        let recordId = try ctx.param("recordId")
        let history = try await env.store.history(recordId: recordId)
        guard let last = history.versions.last else { throw APIError.notFound("no record \(recordId)") }
        try await env.audit(ctx, "view", recordId: recordId, version: last.version, "record versions list")
        var html =
            "<p class=\"note\"><a href=\"/members/\(u(recordId))\">Back to the member</a> · <a href=\"/members/\(u(recordId))/edit\">Edit the record</a></p>"
        html +=
            "<table><caption>Saved versions, newest first</caption><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Saved</th><th scope=\"col\">By</th><th scope=\"col\">Changes</th></tr></thead><tbody>"
        for v in history.versions.reversed() {
            let link =
                v.version > 1
                ? "<a href=\"/members/\(u(recordId))/versions/compare?from=\(v.version - 1)&amp;to=\(v.version)\">What changed in version \(v.version)</a>"
                : "First version"
            html +=
                "<tr><td>\(v.version)</td><td>\(h(v.importedAt))</td><td>\(h(v.importedBy))</td><td>\(link)</td></tr>"
        }
        html += "</tbody></table>"
        let options = { (selected: Int) in
            history.versions.map {
                "<option value=\"\($0.version)\"\($0.version == selected ? " selected" : "")>Version \($0.version)</option>"
            }.joined()
        }
        html += """
            <h2 id="compare">Compare any two versions</h2>
            <form method="get" action="/members/\(u(recordId))/versions/compare" class="inline" aria-labelledby="compare">
            <div><label for="from">From</label><select id="from" name="from">\(options(max(1, last.version - 1)))</select></div>
            <div><label for="to">To</label><select id="to" name="to">\(options(last.version))</select></div>
            <div><input type="submit" value="Compare"></div>
            </form>
            """
        return HTMLResponse.make(Layout.page("Versions of the care record", identity: ctx.identity, body: html))
    }

    func compare(_ req: Request, _ ctx: AppContext) async throws -> Response {
        let recordId = try ctx.param("recordId")
        guard let latest = try await env.store.latestRecord(recordId: recordId) else {
            throw APIError.notFound("no record \(recordId)")
        }
        let q = req.uri.queryParameters
        func version(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = q.get(name) else { return fallback }
            guard let n = Int(text), n >= 1, n <= latest.version else {
                throw APIError(
                    .badRequest,
                    "no such version",
                    details: [.init(path: name, problem: "must be a version from 1 to \(latest.version)")]
                )
            }
            return n
        }
        let from = try version("from", max(1, latest.version - 1))
        let to = try version("to", latest.version)
        let a = try await env.store.recordBody(recordId: recordId, version: from)
        let b = try await env.store.recordBody(recordId: recordId, version: to)
        try await env.audit(ctx, "view", recordId: recordId, version: to, "record versions \(from) and \(to) compared")
        let diff = RecordDiff(from: a.flatMap(RecordJSON.parse), to: b.flatMap(RecordJSON.parse), outline: try outline)
        let html =
            "<p class=\"note\"><a href=\"/members/\(u(recordId))/versions\">All versions</a> · <a href=\"/members/\(u(recordId))\">Back to the member</a></p>"
            + "<p>\(diff.changes.count) field\(diff.changes.count == 1 ? "" : "s") differ between version \(from) and version \(to).</p>"
            + diff.table(
                caption: "Version \(from) compared with version \(to)",
                beforeTitle: "Version \(from)",
                afterTitle: "Version \(to)"
            )
        return HTMLResponse.make(Layout.page("Changes between versions", identity: ctx.identity, body: html))
    }
}
