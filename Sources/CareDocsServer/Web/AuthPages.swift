import Deadlines
import Foundation
import Hummingbird

/// Sign-in and sign-out. The sign-in form carries a CSRF token matched to a short-lived cookie
/// (there is no session yet); failed sign-ins are counted per user and lock the account for
/// `lockout` after `maxFailedLogins` in a row; every sign-in, failure and sign-out is audited.
struct AuthPages {
    let env: ServiceEnvironment
    static let loginCookie = "caredocs_login"

    func register(_ t: RouteTable) {
        t.get("/", roles: nil) { _, ctx in
            guard let who = ctx.identity else { return Response.redirect(to: "/login", type: .normal) }
            return Response.redirect(to: Self.home(who.role), type: .normal)
        }
        t.get("/login", roles: nil) { req, ctx in
            loginForm(next: req.uri.queryParameters.get("next"), error: nil, status: .ok)
        }
        t.post("/login", roles: nil) { req, ctx in try await login(req, ctx) }
        t.post("/logout", roles: Access.everyone) { _, ctx in
            let who = try ctx.who
            if case .session(let hash, _) = who.kind {
                try await env.store.deleteSession(tokenHash: hash)
                try await env.store.appendAudit(
                    action: "sign-out",
                    recordId: "",
                    recordVersion: nil,
                    obligationId: nil,
                    what: "session ended",
                    actor: who.auditName,
                    now: env.now
                )
            }
            var r = Response.redirect(to: "/login", type: .normal)
            r.setCookie(
                Cookie(
                    name: AuthMiddleware.sessionCookie,
                    value: "",
                    maxAge: 0,
                    path: "/",
                    secure: env.settings.secureCookies,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
            return r
        }
    }

    static func home(_ role: Role) -> String {
        switch role {
        case .admin, .coordinator: "/members"
        case .mailroom: "/mailroom"
        case .ed: "/ed"
        }
    }

    func loginForm(next: String?, error: String?, status: HTTPResponse.Status, username: String = "") -> Response {
        let token = Tokens.random()
        let errorHTML =
            error.map { "<div class=\"error\" role=\"alert\" id=\"login-error\"><p>\(h($0))</p></div>" } ?? ""
        let body = """
            \(errorHTML)
            <form method="post" action="/login" \(error != nil ? "aria-describedby=\"login-error\"" : "")>
            <input type="hidden" name="csrf" value="\(h(token))">
            <input type="hidden" name="next" value="\(h(Self.safeNext(next) ?? ""))">
            <label for="username">Username</label><input id="username" name="username" autocomplete="username" required value="\(h(username))" autofocus>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <p><input type="submit" value="Sign in"></p>
            </form>
            """
        var r = HTMLResponse.make(Layout.page("Sign in", identity: nil, body: body), status: status)
        r.setCookie(
            Cookie(
                name: Self.loginCookie,
                value: token,
                maxAge: 1800,
                path: "/login",
                secure: env.settings.secureCookies,
                httpOnly: true,
                sameSite: .strict
            )
        )
        return r
    }

    /// Where to go after signing in: only a path on this site. It must start with a single `/`
    /// and hold printable ASCII only: no `//` (another host), no backslash (browsers read `/\`
    /// as `//`), no control characters or spaces (browsers drop tabs and newlines, so `/\t/host`
    /// is `//host`), hence no scheme either; the same once percent-decoded. Anything else is nil
    /// (the role's home page).
    static func safeNext(_ next: String?) -> String? {
        guard let n = next, !n.isEmpty, n.utf8.count <= 2048 else { return nil }
        func isPath(_ p: String) -> Bool {
            p.hasPrefix("/") && !p.contains("//") && !p.contains("\\")
                && p.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
        }
        guard isPath(n) else { return nil }
        if let decoded = n.removingPercentEncoding, decoded != n, !isPath(decoded) { return nil }
        return n
    }

    func login(_ req: Request, _ ctx: AppContext) async throws -> Response {
        let cookieToken = req.cookies[Self.loginCookie]?.value
        let form = FormData(String(decoding: try await req.bytes(ctx), as: UTF8.self))
        guard let given = form["csrf"], let cookieToken, Tokens.equal(given, cookieToken) else {
            return loginForm(
                next: form["next"],
                error: "The sign-in form expired. Please try again.",
                status: .forbidden
            )
        }
        let username = form["username"] ?? ""
        let password = form.values["password"] ?? ""
        let now = env.now
        let user = try await env.store.user(username)
        if let user, user.failedLogins >= env.settings.maxFailedLogins, let last = user.lastFailedAt,
            now.timeIntervalSince(last) < env.settings.lockout
        {
            let minutes = Int((env.settings.lockout - now.timeIntervalSince(last)) / 60) + 1
            try await env.store.appendAudit(
                action: "sign-in-locked",
                recordId: "",
                recordVersion: nil,
                obligationId: nil,
                what: "sign-in refused: locked after \(user.failedLogins) failures",
                actor: user.username,
                now: now
            )
            return loginForm(
                next: form["next"],
                error: "Too many failed sign-ins. Try again in \(minutes) minutes or ask an administrator.",
                status: .tooManyRequests,
                username: username
            )
        }
        let ok = await Passwords.verify(password, hash: user?.passwordHash)
        guard let user, ok, !user.disabled else {
            if user != nil { try await env.store.recordFailedLogin(username, now: now) }
            try await env.store.appendAudit(
                action: "sign-in-failed",
                recordId: "",
                recordVersion: nil,
                obligationId: nil,
                what: user == nil ? "unknown username" : "wrong password or disabled account",
                actor: user?.username ?? "unknown",
                now: now
            )
            return loginForm(
                next: form["next"],
                error: "The username or password is not right.",
                status: .unauthorized,
                username: username
            )
        }
        try await env.store.recordSuccessfulLogin(user.username, now: now)
        let token = Tokens.random()
        try await env.store.createSession(
            SessionRecord(
                tokenHash: Tokens.hash(token),
                username: user.username,
                csrfToken: Tokens.random(),
                createdAt: now,
                expiresAt: now.addingTimeInterval(env.settings.sessionLifetime)
            )
        )
        try await env.store.appendAudit(
            action: "sign-in",
            recordId: "",
            recordVersion: nil,
            obligationId: nil,
            what: "session started",
            actor: user.username,
            now: now
        )
        var r = Response.redirect(to: Self.safeNext(form["next"]) ?? Self.home(user.role), type: .normal)
        r.setCookie(
            Cookie(
                name: AuthMiddleware.sessionCookie,
                value: token,
                maxAge: Int(env.settings.sessionLifetime),
                path: "/",
                secure: env.settings.secureCookies,
                httpOnly: true,
                sameSite: .lax
            )
        )
        r.setCookie(
            Cookie(
                name: Self.loginCookie,
                value: "",
                maxAge: 0,
                path: "/login",
                secure: env.settings.secureCookies,
                httpOnly: true,
                sameSite: .strict
            )
        )
        return r
    }
}
