import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation
import Mailroom

struct MailroomBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract:
            "Render every letter ready to mail into one print-ready PDF (ZIP order, each letter on a new sheet) and the firm mailing book (PS Form 3877 layout) as PDF and CSV."
    )

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Batch date, printed on the letters and the mailing book (YYYY-MM-DD; default today).") var date:
        String?
    @Option(name: .shortAndLong, help: "Folder for print-DATE.pdf, mailing-book-DATE.pdf/.csv and letters/.")
    var output: String
    @Option(help: "Postage per piece for the mailing book (e.g. 0.73); blank to fill by hand.") var postage = ""
    @Option(help: "Registered Mail fee per piece; blank to fill by hand.") var fee = ""
    @Option(
        help:
            "Worker name for render claims (default batch@HOSTNAME); processes running at the same time need different names."
    ) var worker: String?
    @Option(help: "Render processes (Cairo is serialized within a process; default: the number of cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount
    @Flag(
        help:
            "JSON: {date, pieces, sheets, printFile, mailingBookPDF, mailingBookCSV, skipped: [{obligation, reason}]}."
    ) var json = false

    func run() throws {
        let day = parseDay(date, option: "--date")
        let actor = db.resolvedActor
        let out = URL(fileURLWithPath: output).standardizedFileURL
        let postage = postage
        let fee = fee
        let worker = worker
        let workers = max(1, workers)
        let database = db.resolvedDatabase
        let showProgress = isatty(STDERR_FILENO) == 1 && !json
        do {
            let result = try db.withStore { store in
                var batch = MailroomBatch(
                    store: store,
                    actor: actor,
                    date: day,
                    output: out,
                    postage: postage,
                    fee: fee,
                    worker: worker
                )
                if showProgress {
                    batch.progress = { done, total in
                        let width = 30
                        let filled = total == 0 ? width : done * width / total
                        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                        FileHandle.standardError.write(
                            Data("\r\(bar) \(done)/\(total) letters\(done == total ? "\n" : "")".utf8)
                        )
                    }
                }
                try await renderWithHelpers(batch, workers: workers, database: database)
                return try await batch.run()
            }
            if json {
                printJSON(result)
                return
            }
            for s in result.skipped { print("skipped \(s.obligation): \(s.reason)") }
            if result.pieces == 0 {
                print("no letters ready to mail")
            } else {
                print("\(result.pieces) letters on \(result.sheets) sheets (duplex): \(result.printFile!)")
                print("mailing book: \(result.mailingBookPDF!), \(result.mailingBookCSV!)")
                print(
                    "next: print, attach the Registered Mail labels, fill the article numbers into the CSV, then `caredocs mailroom printed --batch \(result.mailingBookCSV!)` and `caredocs mailroom import-tracking \(result.mailingBookCSV!)`"
                )
            }
        } catch { reportRefusal(error) }
    }
}

struct RenderReadyJSON: Encodable {
    var rendered: [String]
    var skipped: [BatchResult.Skipped]
}

struct MailroomRenderReadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-ready",
        abstract:
            "A render worker: claim letters ready to render (FOR UPDATE SKIP LOCKED on PostgreSQL), render them into OUTPUT/letters and record them. Run several, with different --worker names, on any nodes; then `mailroom batch` assembles."
    )

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Date printed on the letters (YYYY-MM-DD; default today).") var date: String?
    @Option(name: .shortAndLong, help: "The batch folder (letters are written to OUTPUT/letters).") var output: String
    @Option(help: "Worker name for claims (default batch@HOSTNAME).") var worker: String?
    @Option(help: "Stop when this parent process is gone (helpers of `mailroom batch`).") var exitWithParent: Int32?
    @Flag(help: "JSON: {rendered: [id], skipped: [{obligation, reason}]}.") var json = false

    func run() throws {
        if let parent = exitWithParent {
            // A helper whose batch was killed stops too (as if killed: every step is idempotent).
            Thread.detachNewThread {
                while getppid() == parent { usleep(50_000) }
                Foundation.exit(3)
            }
        }
        let day = parseDay(date, option: "--date")
        let actor = db.resolvedActor
        let worker = worker
        let out = URL(fileURLWithPath: output).standardizedFileURL
        do {
            let (rendered, skipped) = try db.withStore { store in
                try await MailroomBatch(store: store, actor: actor, date: day, output: out, worker: worker)
                    .renderReady()
            }
            if json {
                printJSON(RenderReadyJSON(rendered: rendered, skipped: skipped))
                return
            }
            for s in skipped { print("skipped \(s.obligation): \(s.reason)") }
            print("\(rendered.count) letters rendered into \(out.appendingPathComponent("letters").path)")
        } catch { reportRefusal(error) }
    }
}

/// Renders with `workers - 1` extra `render-ready` processes beside this one (claims keep them
/// apart), and returns when all of them are done; the batch then assembles.
func renderWithHelpers(_ batch: MailroomBatch, workers: Int, database: String) async throws {
    guard workers > 1 else { return }
    var helpers: [Process] = []
    for k in 2...workers {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        p.arguments = [
            "mailroom", "render-ready", "--database", database, "--date", batch.date.description,
            "--output", batch.output.path, "--worker", "\(batch.worker)-\(k)", "--actor", batch.actor,
            "--exit-with-parent", String(getpid()),
        ]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        helpers.append(p)
    }
    _ = try await batch.renderReady()
    for p in helpers {
        while p.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        if p.terminationStatus != 0 {
            throw CLIError("render worker \(batch.worker) exited with status \(p.terminationStatus)")
        }
    }
}
