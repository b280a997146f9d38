import Deadlines
import Foundation
import Hummingbird

/// One route and who may use it: `roles == nil` is public; otherwise a request without an
/// identity gets 401 (API) or the sign-in page (web), a request with another role 403.
public struct RouteSpec: Sendable, Hashable {
    public var method: HTTPRequest.Method
    public var path: String
    public var roles: Set<Role>?
    /// In the OpenAPI document (the API under /v1 and the operational endpoints).
    public var isAPI: Bool {
        path.hasPrefix("/v1/") || ["/healthz", "/readyz", "/metrics", "/openapi.yaml"].contains(path)
    }
}

/// Registers routes on the router with their access rule, and keeps the list (tests check every
/// route for every role, and the OpenAPI document against it).
final class RouteTable: @unchecked Sendable {
    let router: Router<AppContext>
    private(set) var specs: [RouteSpec] = []

    init(router: Router<AppContext>) { self.router = router }

    typealias Handler = @Sendable (Request, AppContext) async throws -> Response

    func add(_ method: HTTPRequest.Method, _ path: String, roles: Set<Role>?, _ handler: @escaping Handler) {
        let spec = RouteSpec(method: method, path: path, roles: roles)
        specs.append(spec)
        router.on(RouterPath(path), method: method) { request, context in
            if let roles {
                guard let identity = context.identity else { throw APIError.unauthenticated }
                guard roles.contains(identity.role) else { throw APIError.forbidden }
            }
            return try await handler(request, context)
        }
    }

    func get(_ path: String, roles: Set<Role>?, _ handler: @escaping Handler) { add(.get, path, roles: roles, handler) }
    func post(_ path: String, roles: Set<Role>?, _ handler: @escaping Handler) {
        add(.post, path, roles: roles, handler)
    }
    func put(_ path: String, roles: Set<Role>?, _ handler: @escaping Handler) { add(.put, path, roles: roles, handler) }
    func delete(_ path: String, roles: Set<Role>?, _ handler: @escaping Handler) {
        add(.delete, path, roles: roles, handler)
    }
}

/// Who may do what. Minimum necessary: the mailroom sees names, addresses and mailing status;
/// ED staff find a member and read the emergency plan; coordinators work with whole records;
/// the audit log is for admins. Translators see the text passages of records assigned to
/// translation (and the catalogs), never a record's JSON, names, dates of birth or addresses.
enum Access {
    static let everyone: Set<Role> = Set(Role.allCases)
    static let records: Set<Role> = [.admin, .coordinator]
    static let find: Set<Role> = [.admin, .coordinator, .ed]
    static let emergency: Set<Role> = [.admin, .coordinator, .ed]
    static let queue: Set<Role> = [.admin, .coordinator, .mailroom]
    static let mailing: Set<Role> = [.admin, .mailroom]
    static let audit: Set<Role> = [.admin]
    /// Asking for and withdrawing translations, and a record's requests: who works with records.
    static let translationRequests: Set<Role> = [.admin, .coordinator]
    /// Reading translation status and passages (a translator: of records with an open request
    /// only, else 404 — `TranslationService.requireAssignment`), proofs and the catalogs.
    static let translationStatus: Set<Role> = [.admin, .coordinator, .translator]
    /// Saving translations (drafted or reviewed): translators, and admins.
    static let translate: Set<Role> = [.admin, .translator]
}

extension AppContext {
    /// The signed-in identity (routes with roles always have one).
    var who: Identity {
        get throws {
            guard let identity else { throw APIError.unauthenticated }
            return identity
        }
    }
}
