import Deadlines
import Foundation
import Hummingbird

/// Sign-in and sign-out. The sign-in form carries a CSRF token matched to a short-lived cookie
/// (there is no session yet). Every attempt is counted before its password is checked, per
/// account (`maxFailedLogins` in a row lock it for `lockout`) and per client address
/// (`maxClientFailures` within `clientWindow`); password checks run at most
/// `maxPasswordChecks` at once. Wrong, unknown, disabled and locked answer alike. Signing in ends
/// the person's other sessions; "sign out everywhere" ends all. Everything is audited.
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
                try await env.audit(ctx, "sign-out", "session ended")
            }
            var r = Response.redirect(to: "/login", type: .normal)
            r.setCookie(clearedSessionCookie)
            return r
        }
        // Sign out everywhere: every session of this person ends (a lost or shared device).
        t.post("/logout/everywhere", roles: Access.everyone) { _, ctx in
            _ = try await endAllSessions(ctx)
            var r = Response.redirect(to: "/login", type: .normal)
            r.setCookie(clearedSessionCookie)
            return r
        }
        t.post("/v1/sessions/revoke-all", roles: Access.everyone) { _, ctx in
            let ended = try await endAllSessions(ctx)
            var r = JSONResponse.make(["ended": ended])
            r.setCookie(clearedSessionCookie)
            return r
        }
    }

    static func home(_ role: Role) -> String {
        switch role {
        case .admin, .coordinator: "/members"
        case .mailroom: "/mailroom"
        case .ed: "/ed"
        case .translator: "/translations"
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
        let settings = env.settings
        // Counted before any password is checked: parallel attempts cannot outrun the lock.
        let attempt = try await env.store.beginSignIn(
            username: username,
            client: ctx.clientAddress,
            policy: SignInPolicy(
                maxFailures: settings.maxFailedLogins,
                lockout: settings.lockout,
                maxClientFailures: settings.maxClientFailures,
                clientWindow: settings.clientWindow
            ),
            now: now
        )
        let actor = attempt.user?.username ?? "unknown"
        /// Wrong password, unknown user, disabled or locked account: one answer, alike in
        /// status, page and time (each checks a password: the user's or the decoy).
        func refused() -> Response {
            loginForm(
                next: form["next"],
                error:
                    "The username or password is not right, or the account is locked for \(Int(settings.lockout / 60)) minutes after too many failed sign-ins.",
                status: .unauthorized,
                username: username
            )
        }
        switch attempt.decision {
        case .clientThrottled(let until):
            try await env.audit(
                ctx,
                "sign-in-throttled",
                "sign-in refused: \(attempt.clientFailures) failed sign-ins from this address within \(Int(settings.clientWindow / 60)) minutes",
                actor: actor
            )
            let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
            var r = loginForm(
                next: form["next"],
                error: "Too many failed sign-ins from this address. Try again in \(minutes) minutes.",
                status: .tooManyRequests,
                username: username
            )
            r.headers[.retryAfter] = String(max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            return r
        case .locked:
            guard await env.passwordChecks.verify(password, hash: nil) != nil else { return busy(form, username) }
            try await env.audit(
                ctx,
                "sign-in-locked",
                "sign-in refused: locked after \(settings.maxFailedLogins) failures (\(attempt.failures) attempts)",
                actor: actor
            )
            return refused()
        case .verify:
            guard let ok = await env.passwordChecks.verify(password, hash: attempt.user?.passwordHash) else {
                return busy(form, username)
            }
            guard let user = attempt.user, ok, !user.disabled else {
                try await env.audit(
                    ctx,
                    "sign-in-failed",
                    attempt.user == nil ? "unknown username" : "wrong password or disabled account",
                    actor: actor
                )
                return refused()
            }
            try await env.store.signInSucceeded(username: user.username, client: ctx.clientAddress, now: now)
            return try await startSession(user, ctx, next: form["next"])
        }
    }

    /// No turn for a password check came in time: 503, try again shortly (the attempt counted).
    func busy(_ form: FormData, _ username: String) -> Response {
        var r = loginForm(
            next: form["next"],
            error: "The service is busy. Please try again in a few seconds.",
            status: .serviceUnavailable,
            username: username
        )
        r.headers[.retryAfter] = "5"
        return r
    }

    /// A new session for `user`; any other session of theirs ends. The cookie is a browser-session
    /// cookie (no Max-Age or Expires): closing the browser ends it, and the server ends it after
    /// the idle timeout or the lifetime.
    func startSession(_ user: UserAccount, _ ctx: AppContext, next: String?) async throws -> Response {
        let now = env.now
        let token = Tokens.random()
        let ended = try await env.store.replaceSessions(
            with: SessionRecord(
                tokenHash: Tokens.hash(token),
                username: user.username,
                csrfToken: Tokens.random(),
                createdAt: now,
                expiresAt: now.addingTimeInterval(env.settings.sessionLifetime)
            )
        )
        try await env.audit(
            ctx,
            "sign-in",
            "session started" + (ended > 0 ? ", \(ended) earlier session(s) ended" : ""),
            actor: user.username
        )
        var r = Response.redirect(to: Self.safeNext(next) ?? Self.home(user.role), type: .normal)
        r.setCookie(
            Cookie(
                name: AuthMiddleware.sessionCookie,
                value: token,
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

    /// Ends every session of the signed-in person ("sign out everywhere"); audited. API tokens
    /// have no sessions (400).
    func endAllSessions(_ ctx: AppContext) async throws -> Int {
        let who = try ctx.who
        guard case .session = who.kind else {
            throw APIError(
                .badRequest,
                "an API token has no sessions to end; an administrator revokes the token itself (caredocs users revoke NAME)"
            )
        }
        let ended = try await env.store.deleteSessions(of: who.name)
        try await env.audit(ctx, "sign-out-everywhere", "\(ended) session(s) ended")
        return ended
    }

    var clearedSessionCookie: Cookie {
        Cookie(
            name: AuthMiddleware.sessionCookie,
            value: "",
            maxAge: 0,
            path: "/",
            secure: env.settings.secureCookies,
            httpOnly: true,
            sameSite: .lax
        )
    }
}
