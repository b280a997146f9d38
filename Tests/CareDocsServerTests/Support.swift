import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import NIOCore
import RenderWorkers
import Testing

/// The package root (for the shared example records).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let examples = projectRoot.appendingPathComponent("Tests/CaresDocumentsTests/Records/shared-examples")
let recordsDir = projectRoot.appendingPathComponent("Tests/CaresDocumentsTests/Records")

/// The `caredocs` binary built beside the tests: the render workers run it.
var caredocsBinary: String {
    get throws {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(
                URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("caredocs").path
            )
        }
        candidates.append(
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "caredocs"
            ).path
        )
        candidates.append(projectRoot.appendingPathComponent(".build/debug/caredocs").path)
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
            "caredocs is not built beside the tests"
        )
    }
}

/// Writes a shell script the tests run as a stand-in for `caredocs`, executable by its owner.
///
/// The test process never holds the script open for writing. Tests run in parallel and start
/// processes (render workers, batches); a child forked at the moment this process had the script
/// open for writing keeps that descriptor until it execs, and running the script meanwhile fails
/// with "Text file busy" (ETXTBSY: a fresh-clone CI run failed so once). So the text is written
/// to a side file and `install` (a child of its own) makes the executable from it.
func writeExecutableScript(_ text: String, to url: URL) throws {
    let source = url.appendingPathExtension("txt")
    try text.write(to: source, atomically: true, encoding: .utf8)
    let install = Process()
    install.executableURL = URL(fileURLWithPath: "/usr/bin/install")
    install.arguments = ["-m", "700", source.path, url.path]
    try install.run()
    install.waitUntilExit()
    try #require(install.terminationStatus == 0, "install could not write \(url.lastPathComponent)")
}

/// Log lines the service wrote, to check that no PHI reaches the logs.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) {
        lock.lock()
        lines.append(s)
        lock.unlock()
    }
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }
}

struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata extra: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        capture.append(
            "\(level) \(message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        )
    }
}

/// A running service for one test: a fresh SQLite database with the two example records, one
/// user and one API token per role, two render workers (fault injection enabled).
final class TestService: @unchecked Sendable {
    let env: ServiceEnvironment
    let store: any DeadlineStore & AccessStore
    let pool: RenderWorkerPool
    let directory: URL
    let routes: [RouteSpec]
    let router: Router<AppContext>
    let logs = LogCapture()
    /// API token per role.
    var tokens: [Role: String] = [:]
    static let password = "correct horse battery"
    static let rivera = "CR-2026-000117"
    static let haddad = "CR-2025-000042"

    init(
        workers: Int = 2,
        timeout: Duration = .seconds(60),
        maxBody: Int = 2 * 1024 * 1024,
        database: String? = nil,
        seed: Bool = true,
        clock: TestClock? = nil,
        configure: (inout ServerSettings) -> Void = { _ in }
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caredocs-server-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let db = database ?? directory.appendingPathComponent("caredocs.sqlite").path
        var settings = ServerSettings(
            database: db,
            dataDirectory: directory.appendingPathComponent("data"),
            renderWorkers: workers,
            workerExecutable: try caredocsBinary,
            workerEnvironment: ["CAREDOCS_WORKER_FAULTS": "1"],
            renderTimeout: timeout,
            bcryptCost: 4
        )
        settings.maxBodyBytes = maxBody
        configure(&settings)
        store = try await openServiceStore(db)
        pool = RenderWorkerPool(
            executable: settings.workerExecutable,
            size: workers,
            environment: ProcessInfo.processInfo.environment.merging(settings.workerEnvironment) { $1 },
            timeout: timeout
        )
        try await pool.start()
        env = ServiceEnvironment(
            settings: settings,
            store: store,
            pool: pool,
            clock: { clock?.now ?? Date() }
        )
        (router, routes) = CareDocsApp.router(env)
        if seed {
            try await self.seed()
        } else {
            for role in Role.allCases {
                let token = Tokens.random(prefix: "cdk_")
                try await store.createAPIToken(
                    APITokenRecord(
                        name: "\(role.rawValue)-token-2",
                        role: role,
                        tokenHash: Tokens.hash(token),
                        createdAt: Date()
                    ),
                    actor: "test",
                    now: Date()
                )
                tokens[role] = token
            }
        }
    }

    /// A second node on the same database: same users and records, tokens of its own.
    static func secondNode(database: String) async throws -> TestService {
        try await TestService(workers: 1, database: database, seed: false)
    }

    private func seed() async throws {
        let hash = Bcrypt.hash(Self.password, cost: 4)
        for role in Role.allCases {
            try await store.createUser(
                UserAccount(username: role.rawValue + "1", role: role, passwordHash: hash, createdAt: Date()),
                actor: "test",
                now: Date()
            )
            let token = Tokens.random(prefix: "cdk_")
            try await store.createAPIToken(
                APITokenRecord(
                    name: "\(role.rawValue)-token",
                    role: role,
                    tokenHash: Tokens.hash(token),
                    createdAt: Date()
                ),
                actor: "test",
                now: Date()
            )
            tokens[role] = token
        }
        for name in ["rivera-enrollment.json", "haddad-removal.json"] {
            _ = try await store.importRecord(
                try Data(contentsOf: examples.appendingPathComponent(name)),
                actor: "test",
                now: Date()
            )
        }
    }

    /// Marks a pending enrollment letter rendered (as a batch would) and returns its id.
    func renderedLetter() async throws -> String {
        let o = try #require(
            try await store.obligations(ObligationQuery(today: ProgramCalendar.today())).first {
                $0.kind == .enrollmentLetter
            }
        )
        try await store.apply(
            .rendered(
                Rendition(
                    obligationId: o.id,
                    recordVersion: o.recordVersion,
                    templateVersion: "t",
                    localeVersion: "l",
                    language: o.language ?? "en",
                    pdfSHA256: String(repeating: "0", count: 64),
                    pdfPath: nil
                )
            ),
            to: o.id,
            actor: "test",
            now: Date()
        )
        return o.id
    }

    func close() async {
        await pool.shutdown()
        try? await store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    var logger: Logger {
        let capture = logs
        var l = Logger(label: "test") { _ in CaptureHandler(capture: capture) }
        l.logLevel = .info
        return l
    }

    func app() -> some ApplicationProtocol {
        Application(router: router, logger: logger)
    }

    /// The application as `caredocs serve` runs it (timeouts, connection cap, TLS), for live tests.
    func served() throws -> some ApplicationProtocol {
        try CareDocsApp.application(env, logger: logger)
    }

    /// Runs `body` with a test client — on the router, or on the application as `caredocs serve`
    /// builds it (`served`) — then closes the service.
    func run(
        _ setup: TestingSetup = .router,
        served: Bool = false,
        _ body: @escaping @Sendable (TestService, any TestClientProtocol) async throws -> Void
    ) async throws {
        do {
            if served {
                try await self.served().test(setup) { client in try await body(self, client) }
            } else {
                try await app().test(setup) { client in try await body(self, client) }
            }
        } catch {
            await close()
            throw error
        }
        await close()
    }

    func headers(_ role: Role?, json: Bool = false) -> HTTPFields {
        var h: HTTPFields = [:]
        if let role { h[.authorization] = "Bearer \(tokens[role]!)" }
        if json { h[.contentType] = "application/json" }
        return h
    }

    /// Runs `body` with a test client on the router (no network), then closes the service.
    static func with(
        workers: Int = 2,
        timeout: Duration = .seconds(60),
        maxBody: Int = 2 * 1024 * 1024,
        database: String? = nil,
        _ body: @escaping @Sendable (TestService, any TestClientProtocol) async throws -> Void
    ) async throws {
        let s = try await TestService(workers: workers, timeout: timeout, maxBody: maxBody, database: database)
        try await s.run { s, client in try await body(s, client) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var bytes: Data { Data(body.readableBytesView) }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: bytes) }
    /// The `details[].path` of an error answer ([] when it is not one).
    func paths() -> [String] { (try? errorPaths()) ?? ["(not an error body: \(text.prefix(200)))"] }
    /// The `details[].path` of an error answer.
    func errorPaths() throws -> [String] {
        let o = try #require(try json() as? [String: Any])
        let details = try #require(o["details"] as? [[String: Any]])
        return details.compactMap { $0["path"] as? String }
    }
}

func data(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }
func fileBuffer(_ url: URL) throws -> ByteBuffer { ByteBuffer(bytes: try Data(contentsOf: url)) }

/// Runs a command; its standard output.
@discardableResult
func run(_ tool: String, _ args: [String], input: Data? = nil) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let d = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: d, as: UTF8.self)
}

/// Writes `pdf` to a temporary file and returns its text (pdftotext) and page count (qpdf).
func inspectPDF(_ pdf: Data) throws -> (text: String, pages: Int) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-\(UUID().uuidString).pdf")
    try pdf.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let text = try run("pdftotext", ["-layout", url.path, "-"])
    let pages = Int(try run("qpdf", ["--show-npages", url.path]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    return (text, pages)
}

/// Runs blocking work (sockets, processes) on a Dispatch thread, off the cooperative pool.
func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try work() }) }
    }
}
