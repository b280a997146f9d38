import Deadlines
import Foundation
import Hummingbird

/// Finds who is asking: `Authorization: Bearer <API token>`, else the session cookie. Checks the
/// CSRF token of every unsafe request made with a session: the `X-CSRF-Token` header (API) or
/// the form's `csrf` field (web forms; the body is read and put back).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let env: ServiceEnvironment
    static let sessionCookie = "caredocs_session"

    func handle(
        _ request: Request,
        context: AppContext,
        next: (Request, AppContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        context.bodyLimit = env.settings.maxBodyBytes
        context.clientAddress = ClientAddress.of(
            request.headers,
            peer: context.peerAddress,
            trustForwardedFor: env.settings.trustForwardedFor
        )
        if let auth = request.headers[.authorization] {
            guard auth.hasPrefix("Bearer "),
                let token = try await env.store.apiToken(tokenHash: Tokens.hash(String(auth.dropFirst(7)))),
                !token.revoked
            else { throw APIError(.unauthorized, "the API token is not valid") }
            context.identity = Identity(name: token.name, role: token.role, kind: .apiToken)
        } else if let cookie = request.cookies[Self.sessionCookie] {
            let hash = Tokens.hash(cookie.value)
            if let (session, user) = try await env.store.session(
                tokenHash: hash,
                now: env.now,
                idleTimeout: env.settings.sessionIdleTimeout
            ) {
                context.identity = Identity(
                    name: user.username,
                    role: user.role,
                    kind: .session(tokenHash: hash, csrf: session.csrfToken)
                )
            }
        }
        if let csrf = context.identity?.csrfToken, ![.get, .head, .options].contains(request.method) {
            let given: String?
            if let header = request.headers[.init("X-CSRF-Token")!] {
                given = header
            } else if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                request.body = .init(buffer: body)
                given = FormData(String(buffer: body))["csrf"]
            } else {
                given = nil
            }
            guard let given, Tokens.equal(given, csrf) else {
                throw APIError(
                    .forbidden,
                    "the form has expired or did not come from this site: reload the page and try again",
                    details: [.init(path: "csrf", problem: "missing or wrong CSRF token")]
                )
            }
        }
        return try await next(request, context)
    }
}

/// An `application/x-www-form-urlencoded` body or query string, as name → value (first wins).
struct FormData: Sendable {
    var values: [String: String] = [:]

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[key] == nil { values[key] = value }
        }
    }

    static func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    subscript(_ key: String) -> String? {
        guard let v = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }
}
