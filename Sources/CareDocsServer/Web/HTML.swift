import Foundation

/// Escapes text for HTML content and attribute values.
func h(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

/// Percent-encodes a query or path value.
func u(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}

/// The page frame: skip link, header with the signed-in user and sign-out, main landmark.
/// Plain HTML and CSS, no JavaScript needed; colours meet WCAG AA contrast.
enum Layout {
    static let style = """
        *{box-sizing:border-box}body{font:16px/1.5 system-ui,"Noto Sans",sans-serif;margin:0;color:#1a1a1a;background:#fff}
        a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #c25100;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:6px;background:#fff;padding:4px 12px;z-index:10;min-width:14em}
        header{background:#0b3d6b;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
        header a,header button{color:#fff}header a:focus,header button:focus,.skip:focus{outline-color:#fff}header nav{display:flex;gap:16px;flex:1}header form{margin:0}
        header button{background:none;border:1px solid #fff;border-radius:4px;padding:2px 10px;font:inherit;cursor:pointer}
        main{padding:16px;max-width:1100px}h1{font-size:1.6rem;margin:.4em 0}h2{font-size:1.25rem;margin-top:1.4em}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#eef2f6}label{display:block;font-weight:600;margin-top:8px}
        input,select,button{font:inherit;padding:4px 8px}button.primary,input[type=submit]{background:#0b4f9c;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer}
        .overdue{background:#fde8e8;color:#8b0000;font-weight:700}.at-risk{background:#fff4d6;color:#6b4500;font-weight:700}
        .ok{color:#1e6b2f}.missing{color:#8b0000}.note{color:#444}.error{border:2px solid #8b0000;background:#fde8e8;padding:8px 12px}
        .inline{display:inline-flex;gap:6px;align-items:end;flex-wrap:wrap}.inline label{margin-top:0}
        .allergies{border:4px solid #8b0000;background:#fde8e8;padding:8px 12px}.allergies h2{margin-top:0;color:#8b0000}
        .preview{border:1px solid #999;max-width:100%}
        textarea{font:inherit;width:100%;min-height:4.5em;padding:4px 8px}.stale{background:#fff4d6;color:#6b4500;font-weight:700}
        td.passage{width:50%}.old{border-left:4px solid #c9a227;padding-left:8px;color:#444}
        form.editor fieldset{border:1px solid #bbb;border-radius:4px;margin:10px 0;padding:6px 12px;min-width:0}form.editor select{max-width:100%}
        form.editor legend{font-weight:700;padding:0 4px}.help{color:#444;margin:2px 0;font-size:.92rem}
        .field{margin:6px 0}.field.invalid{border-left:4px solid #8b0000;padding-left:8px}.field-error{color:#8b0000;margin:2px 0}
        .cols{display:flex;gap:12px;flex-wrap:wrap}.col{flex:1;min-width:16em}.col input,.field input{width:100%;max-width:40em}
        .lang{font-weight:400;color:#444}.row-actions{display:flex;gap:6px;flex-wrap:wrap;margin:6px 0}
        .none label.check{display:inline;font-weight:400}.save-bar{margin:12px 0;display:flex;gap:12px;align-items:center}
        .toc{columns:2}.diff .old-value{background:#fde8e8}.diff .new-value{background:#e6f4ea}caption{text-align:left;font-weight:700;padding:4px 0}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        """

    static func page(_ title: String, identity: Identity?, body: String, status: String = "") -> String {
        var nav = ""
        if let who = identity {
            var links: [(String, String)] = []
            if [.admin, .coordinator].contains(who.role) { links.append(("/members", "Members")) }
            if [.admin, .mailroom].contains(who.role) { links.append(("/mailroom", "Mailroom")) }
            if [.admin, .coordinator, .ed].contains(who.role) { links.append(("/ed", "Emergency lookup")) }
            if [.admin, .coordinator, .translator].contains(who.role) {
                links.append(("/translations", "Translations"))
            }
            if who.role == .translator { links.append(("/translations/catalogs", "Catalog texts")) }
            nav =
                "<nav aria-label=\"Main\">" + links.map { "<a href=\"\($0.0)\">\(h($0.1))</a>" }.joined() + "</nav>"
                + "<span>Signed in as \(h(who.name)) (\(who.role.rawValue))</span>"
                + "<form method=\"post\" action=\"/logout\">\(csrfField(who))<button type=\"submit\">Sign out</button></form>"
                + (who.csrfToken == nil
                    ? ""
                    : "<form method=\"post\" action=\"/logout/everywhere\">\(csrfField(who))<button type=\"submit\">Sign out everywhere</button></form>")
        }
        return """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(h(title)) · CareDocs</title><style>\(style)</style></head><body>
            <a class="skip" href="#main">Skip to main content</a>
            <header><strong>CareDocs</strong>\(nav)</header>
            <main id="main" tabindex="-1">\(status)<h1>\(h(title))</h1>
            \(body)
            </main></body></html>
            """
    }

    static func csrfField(_ identity: Identity?) -> String {
        guard let token = identity?.csrfToken else { return "" }
        return "<input type=\"hidden\" name=\"csrf\" value=\"\(h(token))\">"
    }

    static func errorPage(_ e: APIError, identity: Identity?) -> String {
        let details =
            e.details.isEmpty
            ? ""
            : "<ul>"
                + e.details.map {
                    "<li>" + ($0.path.isEmpty ? "" : "<code>\(h($0.path))</code>: ") + h($0.problem) + "</li>"
                }.joined() + "</ul>"
        let title =
            switch e.status.code {
            case 403: "Not allowed"
            case 404: "Not found"
            case 413: "Too large"
            case 429: "Too many attempts"
            case 400, 422: "Please check the input"
            default: "Something went wrong"
            }
        return page(
            title,
            identity: identity,
            body:
                "<div class=\"error\" role=\"alert\"><p>\(h(e.error))</p>\(details)</div><p><a href=\"/\">Back to the start page</a></p>"
        )
    }

    static func message(_ text: String?, kind: String = "note") -> String {
        guard let text, !text.isEmpty else { return "" }
        return "<p class=\"\(kind)\" role=\"status\">\(h(text))</p>"
    }
}

/// The member search form's fields (posted, never in a URL).
struct SearchForm: Sendable {
    var name = ""
    var birthDate = ""
    var memberId = ""
    /// List everyone (coordinators' `?all=1`).
    var all = false

    init(all: Bool = false) { self.all = all }

    init(_ form: FormData) {
        name = form["name"] ?? ""
        birthDate = form["birthDate"] ?? ""
        memberId = form["memberId"] ?? ""
    }

    var isEmpty: Bool { name.isEmpty && birthDate.isEmpty && memberId.isEmpty }
}
