import Foundation

/// How one service node runs: where it listens, its database, where batches go, how many render
/// workers it keeps, and the security settings.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// SQLite file, or `postgres://…` when several nodes share one queue.
    public var database: String
    /// Mailroom batches are written under `dataDirectory/batches/<id>/`.
    public var dataDirectory: URL
    /// Render worker processes (default: one per core).
    public var renderWorkers: Int
    /// The executable the workers run (`caredocs render-worker`).
    public var workerExecutable: String
    /// Extra environment for workers (tests enable fault injection here).
    public var workerEnvironment: [String: String]
    public var renderTimeout: Duration
    /// bcrypt cost for new passwords (12 in production: ~0.25 s a hash).
    public var bcryptCost: UInt8
    /// `Secure` on the session cookie (browsers still send it to http://localhost).
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval
    /// Request bodies over this many bytes are refused with 413.
    public var maxBodyBytes: Int
    /// Sign-ins refused after this many failures in a row, for `lockout` seconds after the last.
    public var maxFailedLogins: Int
    public var lockout: TimeInterval
    /// Days ahead that count as "at risk" on the mailroom's list.
    public var atRiskDays: Int
    /// Memory for recently rendered documents (0: no cache).
    public var renderCacheBytes = 64 * 1024 * 1024
    /// A connection with no request in progress is closed after this long without a complete
    /// request head arriving (keep-alive connections between requests, and clients that send half
    /// a request head and stall).
    public var idleTimeout: Duration = .seconds(30)
    /// A request's head and body must have arrived within this long of its head, or the
    /// connection is closed (clients that trickle a body).
    public var readTimeout: Duration = .seconds(60)
    /// Open connections at most; connections beyond are closed as they arrive.
    public var maxConnections = 512
    /// PEM certificate chain and private key: HTTPS only, with `Strict-Transport-Security`.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// `Strict-Transport-Security` when TLS is on (a year; subdomains too).
    public var hstsMaxAge = 31_536_000
    /// A session not used for this long ends (on top of `sessionLifetime`, counted from sign-in).
    public var sessionIdleTimeout: TimeInterval = 15 * 60
    /// Sign-ins refused from one client address after this many failures within `clientWindow`
    /// (kept in the database: every node counts together).
    public var maxClientFailures = 20
    public var clientWindow: TimeInterval = 15 * 60
    /// Password checks (bcrypt) running at once at most; a sign-in waits `passwordCheckWait` for
    /// a turn, then gets 503 with `Retry-After`.
    public var maxPasswordChecks = 2
    public var passwordCheckWait: Duration = .seconds(2)
    /// The client address is the rightmost `X-Forwarded-For` entry (set by a reverse proxy this
    /// service trusts) instead of the connection's peer address. Off by default: a client could
    /// write anything there.
    public var trustForwardedFor = false

    public var tlsEnabled: Bool { tlsCertificate != nil }

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        database: String = "caredocs.sqlite",
        dataDirectory: URL = URL(fileURLWithPath: "caredocs-data"),
        renderWorkers: Int = ProcessInfo.processInfo.activeProcessorCount,
        workerExecutable: String = ServerSettings.currentExecutable,
        workerEnvironment: [String: String] = [:],
        renderTimeout: Duration = .seconds(60),
        bcryptCost: UInt8 = 12,
        secureCookies: Bool = true,
        sessionLifetime: TimeInterval = 12 * 3600,
        maxBodyBytes: Int = 2 * 1024 * 1024,
        maxFailedLogins: Int = 5,
        lockout: TimeInterval = 15 * 60,
        atRiskDays: Int = 7
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.dataDirectory = dataDirectory
        self.renderWorkers = max(1, renderWorkers)
        self.workerExecutable = workerExecutable
        self.workerEnvironment = workerEnvironment
        self.renderTimeout = renderTimeout
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.maxBodyBytes = maxBodyBytes
        self.maxFailedLogins = maxFailedLogins
        self.lockout = lockout
        self.atRiskDays = atRiskDays
    }

    /// This process's own executable (Linux: /proc/self/exe).
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
