import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation
import Mailroom

struct QueueBenchJSON: Encodable {
    var database: String
    var records: Int
    var importSeconds: Double
    var recordsPerSecond: Double
    var obligations: Int
    var listDueWithin7: Int
    var listDueWithin7Ms: Double
    var listOverdue: Int
    var listOverdueMs: Double
    var batchLetters: Int
    var batchSeconds: Double
    /// The batch's print file, MB (0 when no batch ran).
    var printFileMB: Double
    var peakRSSMB: Double
}

@Sendable func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

struct QueueBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Queue benchmark: import N records and derive obligations; list due/overdue; an M-letter batch end to end. Build with -c release."
    )

    @Option(help: "Records to import.") var records = 10_000
    @Option(help: "Letters in the batch (0: skip).") var letters = 1_000
    @Option(help: "A postgres:// URL of an EMPTY database to use instead of temporary SQLite files.") var database:
        String?
    @Option(help: "Folder for the databases and the batch (default: a temporary folder, removed afterwards).") var work:
        String?
    @Flag var json = false

    func run() throws {
        let folder =
            work.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: folder) } }
        let n = records
        let m = letters
        let pg = database
        let today = ProgramCalendar.today()
        let clock = ContinuousClock()
        let result: QueueBenchJSON = try runBlocking {
            let store = try await openDeadlineStore(pg ?? folder.appendingPathComponent("queue.sqlite").path)
            let items = (0..<n).map { SyntheticRecords.record($0, today: today, full: true) }
            let importTime = try await clock.measure {
                for start in stride(from: 0, to: items.count, by: 500) {
                    _ = try await store.importRecords(
                        Array(items[start..<min(start + 500, items.count)]),
                        actor: "bench",
                        now: Date()
                    )
                }
            }
            let all = try await store.obligations(ObligationQuery(today: today, includeClosed: true)).count
            func median(_ body: () async throws -> Int) async throws -> (Int, Double) {
                var times: [Double] = []
                var count = 0
                for _ in 0..<7 {
                    let t = try await clock.measure { count = try await body() }
                    times.append(seconds(t) * 1000)
                }
                return (count, times.sorted()[3])
            }
            let due = try await median {
                try await store.obligations(ObligationQuery(today: today, dueWithin: 7)).count
            }
            let overdue = try await median {
                try await store.obligations(ObligationQuery(today: today, overdueOnly: true)).count
            }
            try await store.close()

            var batchTime = 0.0
            var printFileMB = 0.0
            if m > 0 && pg == nil {
                let letterStore = try await openDeadlineStore(folder.appendingPathComponent("letters.sqlite").path)
                let letterItems = (0..<m).map { SyntheticRecords.record($0, today: today, full: false) }
                _ = try await letterStore.importRecords(letterItems, actor: "bench", now: Date())
                let dbPath = folder.appendingPathComponent("letters.sqlite").path
                let t = try await clock.measure {
                    let batch = MailroomBatch(
                        store: letterStore,
                        actor: "bench",
                        date: today,
                        output: folder.appendingPathComponent("batch")
                    )
                    try await renderWithHelpers(
                        batch,
                        workers: ProcessInfo.processInfo.activeProcessorCount,
                        database: dbPath
                    )
                    let r = try await batch.run()
                    if r.pieces != m { throw CLIError("batch produced \(r.pieces) pieces, expected \(m)") }
                    if let file = r.printFile,
                        let size = try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
                    {
                        printFileMB = Double(size) / 1_000_000
                    }
                }
                batchTime = seconds(t)
                try await letterStore.close()
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return QueueBenchJSON(
                database: pg == nil ? "sqlite" : "postgresql",
                records: n,
                importSeconds: seconds(importTime),
                recordsPerSecond: Double(n) / seconds(importTime),
                obligations: all,
                listDueWithin7: due.0,
                listDueWithin7Ms: due.1,
                listOverdue: overdue.0,
                listOverdueMs: overdue.1,
                batchLetters: pg == nil ? m : 0,
                batchSeconds: batchTime,
                printFileMB: printFileMB,
                peakRSSMB: Double(usage.ru_maxrss) / 1024
            )
        }
        if json {
            printJSON(result)
            return
        }
        print(
            String(
                format: "import: %d records in %.2f s = %.0f records/s (target ≥ 2,000 on SQLite); %d obligations",
                result.records,
                result.importSeconds,
                result.recordsPerSecond,
                result.obligations
            )
        )
        print(
            String(
                format:
                    "list --due-within 7: %d obligations in %.1f ms; list --overdue: %d in %.1f ms (median of 7; target ≤ 50 ms)",
                result.listDueWithin7,
                result.listDueWithin7Ms,
                result.listOverdue,
                result.listOverdueMs
            )
        )
        if result.batchLetters > 0 {
            print(
                String(
                    format:
                        "batch: %d letters end to end in %.2f s (target ≤ 10 s); print file %.1f MB (target ≤ 15 MB)",
                    result.batchLetters,
                    result.batchSeconds,
                    result.printFileMB
                )
            )
        }
        print(String(format: "peak RSS: %.0f MB", result.peakRSSMB))
    }
}
