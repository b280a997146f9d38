import Foundation
import NIOConcurrencyHelpers

/// Mailroom batches made by this node. Each batch runs `caredocs mailroom batch` in its own
/// process (rendering hundreds of letters must not share the server's fate if Cairo aborts),
/// writing into `dataDirectory/batches/<id>/`. The queue state is in the database, so a batch
/// that dies can simply be made again: letters already rendered are not rendered twice.
public final class BatchRunner: Sendable {
    public struct Batch: Codable, Sendable, Hashable {
        public enum State: String, Codable, Sendable { case running, done, failed }
        public var id: String
        public var state: State
        public var date: String
        public var createdBy: String
        public var createdAt: String
        public var pieces: Int?
        public var sheets: Int?
        public var skipped: [Skipped]?
        public var error: String?
        public var files: [String]?
        public struct Skipped: Codable, Sendable, Hashable {
            public var obligation: String
            public var reason: String
        }
    }

    /// What `caredocs mailroom batch --json` prints.
    struct CommandResult: Decodable {
        var pieces: Int
        var sheets: Int
        var printFile: String?
        var mailingBookPDF: String?
        var mailingBookCSV: String?
        var skipped: [Batch.Skipped]
    }

    let settings: ServerSettings
    private let state = NIOLockedValueBox<[String: Batch]>([:])

    init(settings: ServerSettings) { self.settings = settings }

    var root: URL { settings.dataDirectory.appendingPathComponent("batches") }

    public func list() -> [Batch] { state.withLockedValue { Array($0.values) }.sorted { $0.createdAt > $1.createdAt } }
    public func batch(_ id: String) -> Batch? { state.withLockedValue { $0[id] } }

    /// The file of a finished batch: `print.pdf`, `mailing-book.pdf` or `mailing-book.csv`.
    public func file(_ id: String, _ name: String) -> URL? {
        guard let b = batch(id), b.state == .done else { return nil }
        let map = [
            "print.pdf": "print-\(b.date).pdf", "mailing-book.pdf": "mailing-book-\(b.date).pdf",
            "mailing-book.csv": "mailing-book-\(b.date).csv",
        ]
        guard let real = map[name] else { return nil }
        let url = root.appendingPathComponent(id).appendingPathComponent(real)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A batch is already running on this node (one at a time: two would render the same letters
    /// and compete for the workers' cores).
    public struct AlreadyRunning: Error, Sendable, CustomStringConvertible {
        public var running: Batch
        public var description: String {
            "batch \(running.id) is still running (started by \(running.createdBy) at \(running.createdAt)); wait for it to finish"
        }
    }

    /// Starts a batch; returns at once with its id (state `running`). Throws `AlreadyRunning` while
    /// another batch of this node runs.
    public func start(date: String, postage: String, fee: String, actor: String, now: Date) throws -> Batch {
        let stamp = ISO8601DateFormatter().string(from: now)
        let id = "\(date)-\(Tokens.random().prefix(8).lowercased().filter { $0.isLetter || $0.isNumber })"
        let folder = root.appendingPathComponent(id)
        let b = Batch(id: id, state: .running, date: date, createdBy: actor, createdAt: stamp)
        // Checked and claimed under one lock: two requests at once cannot both start a batch.
        let running = state.withLockedValue { batches -> Batch? in
            if let running = batches.values.first(where: { $0.state == .running }) { return running }
            batches[id] = b
            return nil
        }
        if let running { throw AlreadyRunning(running: running) }
        do {
            try launch(b, folder: folder, postage: postage, fee: fee)
        } catch {
            var failed = b
            failed.state = .failed
            failed.error = "the batch process could not be started"
            state.withLockedValue { $0[id] = failed }
            throw error
        }
        return b
    }

    private func launch(_ b: Batch, folder: URL, postage: String, fee: String) throws {
        let id = b.id
        let date = b.date
        let actor = b.createdBy
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: settings.workerExecutable)
        let command = Self.command(
            database: settings.database,
            folder: folder.path,
            actor: actor,
            date: date,
            postage: postage,
            fee: fee,
            worker: "batch-\(id)"
        )
        process.arguments = command.arguments
        process.environment = command.environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.detachNewThread { [state] in
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile().suffix(2000), as: UTF8.self)
            process.waitUntilExit()
            var finished = b
            if process.terminationReason == .exit && process.terminationStatus == 0,
                let r = try? JSONDecoder().decode(CommandResult.self, from: data)
            {
                finished.state = .done
                finished.pieces = r.pieces
                finished.sheets = r.sheets
                finished.skipped = r.skipped
                finished.files = r.pieces > 0 ? ["print.pdf", "mailing-book.pdf", "mailing-book.csv"] : []
            } else {
                finished.state = .failed
                let how =
                    process.terminationReason == .uncaughtSignal
                    ? "stopped by signal \(process.terminationStatus)" : "exit \(process.terminationStatus)"
                // The command's own message names ids and paths only.
                finished.error =
                    "the batch process failed (\(how)): " + (errText.split(separator: "\n").last.map(String.init) ?? "")
            }
            state.withLockedValue { $0[b.id] = finished }
        }
    }

    /// The batch process's arguments and environment. The database URL (it may hold a password)
    /// goes in `CAREDOCS_DATABASE`, never on the command line, which every local user can read
    /// in `/proc/PID/cmdline`; the rest of the environment (`CAREDOCS_AUDIT_KEY`, …) is inherited.
    static func command(
        database: String,
        folder: String,
        actor: String,
        date: String,
        postage: String,
        fee: String,
        worker: String,
        inherited: [String: String] = ProcessInfo.processInfo.environment
    ) -> (arguments: [String], environment: [String: String]) {
        var environment = inherited
        environment["CAREDOCS_DATABASE"] = database
        return (
            [
                "mailroom", "batch", "--output", folder, "--actor", actor, "--date", date, "--postage", postage,
                "--fee", fee, "--worker", worker, "--json",
            ],
            environment
        )
    }

    /// Waits until a batch is no longer running (tests, and the web page's "wait" link).
    public func wait(_ id: String, timeout: Duration = .seconds(120)) async -> Batch? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let b = batch(id), b.state != .running { return b }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return batch(id)
    }
}
