import Deadlines
import Foundation
import Hummingbird

/// Who is making a request: a signed-in person (session cookie) or an integration (API token).
public struct Identity: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case session(tokenHash: String, csrf: String)
        case apiToken
    }
    public var name: String
    public var role: Role
    public var kind: Kind

    /// The name the audit log records: the username, or `token:NAME`.
    public var auditName: String {
        switch kind {
        case .session: name
        case .apiToken: "token:\(name)"
        }
    }

    public var csrfToken: String? {
        if case .session(_, let csrf) = kind { return csrf }
        return nil
    }
}

/// The request context of every route: the core context plus who is asking.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// Set by the body-limit middleware from the settings.
    public var bodyLimit: Int = 2 * 1024 * 1024

    /// The connection's peer address (nil when there is none, as in router tests).
    public var peerAddress: String?
    /// The client address the audit log and the sign-in throttle use: the peer address, or the
    /// trusted proxy's `X-Forwarded-For` (set by the auth middleware); "unknown" without either.
    public var clientAddress = "unknown"

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { bodyLimit }
}

extension AppContext {
    /// A path parameter, percent-decoded (obligation ids hold slashes: `RECORD/KIND`, sent as %2F).
    func param(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
