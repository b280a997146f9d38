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
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

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
