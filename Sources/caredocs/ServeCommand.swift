import ArgumentParser
import CareDocsServer
import Foundation
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API and the web pages for coordinators, the mailroom and ED staff.",
        discussion: """
            Renders in separate worker processes (restarted if one crashes). Stops gracefully on \
            SIGTERM or SIGINT. Logs go to standard error with request ids and no PHI. Add users \
            first with `caredocs users add`.
            """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(
        help:
            "SQLite file, or postgres://user[:password]@host[:port]/db when several nodes share one queue (default: $CAREDOCS_DATABASE, else caredocs.sqlite)."
    )
    var database: String?
    @Option(help: "Folder for mailroom batches.") var dataDir = "caredocs-data"
    @Option(help: "Render worker processes (default: the number of cores).") var workers = ProcessInfo.processInfo
        .activeProcessorCount
    @Option(help: "Seconds a render may take before its worker is replaced.") var renderTimeout = 60
    @Flag(help: "Session cookies without the Secure attribute (only for plain HTTP on a trusted network).")
    var insecureCookies = false
    @Option(help: "Seconds a connection may sit idle, or take to send a request head, before it is closed.")
    var idleTimeout = 30
    @Option(help: "Seconds a request's body may take to arrive after its head before the connection is closed.")
    var readTimeout = 60
    @Option(help: "Open connections at most; connections beyond are closed as they arrive.") var maxConnections = 512
    @Option(help: "PEM certificate chain: serve HTTPS only (with Strict-Transport-Security). Needs --tls-key.")
    var tlsCertificate: String?
    @Option(help: "PEM private key of --tls-certificate.") var tlsKey: String?
    @Option(help: "Minutes a signed-in session may go unused before it ends (on top of its 12-hour lifetime).")
    var sessionIdleTimeout = 15
    @Option(help: "Failed sign-ins from one client address within 15 minutes before it is refused (429).")
    var maxClientFailures = 20
    @Option(help: "Password checks (bcrypt) at once at most; more sign-ins wait 2 s for a turn, then get 503.")
    var maxPasswordChecks = 2
    @Flag(
        help:
            "Take the client address (audit log, sign-in throttle) from the rightmost X-Forwarded-For entry: only behind a reverse proxy that sets it."
    )
    var trustForwardedFor = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
        for (name, value) in [("--idle-timeout", idleTimeout), ("--read-timeout", readTimeout)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 second")
        }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if sessionIdleTimeout < 1 { throw ValidationError("--session-idle-timeout must be at least 1 minute") }
        if maxClientFailures < 1 { throw ValidationError("--max-client-failures must be at least 1") }
        if maxPasswordChecks < 1 { throw ValidationError("--max-password-checks must be at least 1") }
    }

    func run() throws {
        var settings = ServerSettings(
            host: host,
            port: port,
            database: database ?? ProcessInfo.processInfo.environment["CAREDOCS_DATABASE"] ?? "caredocs.sqlite",
            dataDirectory: URL(fileURLWithPath: dataDir).standardizedFileURL,
            renderWorkers: workers
        )
        settings.renderTimeout = .seconds(renderTimeout)
        settings.secureCookies = !insecureCookies
        settings.idleTimeout = .seconds(idleTimeout)
        settings.readTimeout = .seconds(readTimeout)
        settings.maxConnections = maxConnections
        settings.tlsCertificate = tlsCertificate
        settings.tlsKey = tlsKey
        settings.sessionIdleTimeout = TimeInterval(sessionIdleTimeout * 60)
        settings.maxClientFailures = maxClientFailures
        settings.maxPasswordChecks = maxPasswordChecks
        settings.trustForwardedFor = trustForwardedFor
        if let faults = ProcessInfo.processInfo.environment["CAREDOCS_WORKER_FAULTS"] {
            settings.workerEnvironment["CAREDOCS_WORKER_FAULTS"] = faults
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "caredocs.server")
        let s = settings
        do {
            try runBlocking { try await CareDocsApp.run(s, logger: logger) }
        } catch {
            fail("the server stopped: \(error)")
        }
    }
}
