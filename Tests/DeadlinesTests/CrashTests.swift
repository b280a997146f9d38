import CaresDocuments
import Foundation
import Testing

@testable import Deadlines
@testable import Mailroom

/// The caredocs executable next to the test bundle (`swift build --build-tests` builds it).
let caredocsBinary: URL? = {
    let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "caredocs"
    )
    return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
}()

func startCaredocs(_ arguments: [String]) throws -> Process {
    let p = Process()
    p.executableURL = caredocsBinary!
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(["CAREDOCS_ACTOR": "crash-test"]) { _, new in new }
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
}

func runCaredocs(_ arguments: [String]) throws -> Int32 {
    let p = try startCaredocs(arguments)
    p.waitUntilExit()
    return p.terminationStatus
}

/// Starts `arguments`, waits until `ready()` holds (or the process ends), then kill -9.
func killWhen(_ arguments: [String], _ ready: () async -> Bool) async throws {
    let p = try startCaredocs(arguments)
    for _ in 0..<5000 {
        if !p.isRunning { break }
        if await ready() { break }
        try await Task.sleep(for: .milliseconds(2))
    }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
}

@Suite("Crash safety: kill -9 during a batch and during tracking import")
struct CrashTests {
    @Test(arguments: StoreKind.allCases)
    func killedAndRerun(kind: StoreKind) async throws {
        guard caredocsBinary != nil else {
            print("notice: caredocs executable not built next to the tests; crash test skipped")
            return
        }
        let folder = temporaryFolder()
        let database: String
        switch kind {
        case .sqlite: database = folder.appendingPathComponent("queue.sqlite").path
        case .postgres:
            guard let base = postgresURL else {
                print("notice: CAREDOCS_TEST_POSTGRES_URL is not set; PostgreSQL crash test skipped")
                return
            }
            database = try await createDatabase(base)
        }
        let count = 16
        let ids = (1...count).map { "R-\($0)" }
        do {
            let store = try await openDeadlineStore(database)
            for (n, id) in ids.enumerated() {
                _ = try await store.importRecord(
                    letterRecord(id: id, zip: String(format: "0%04d", 1000 + (n * 7919) % 9000)).data,
                    actor: actor,
                    now: noon("2026-11-20")
                )
            }
            try await store.close()
        }
        let out = folder.appendingPathComponent("batch")
        let letters = out.appendingPathComponent("letters")
        func letterFiles() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: letters.path)) ?? []).filter {
                $0.hasSuffix(".pdf") && $0.hasPrefix("R-")
            }.count
        }
        let batch = ["mailroom", "batch", "--database", database, "--date", "2026-11-24", "--output", out.path]
        // Killed right away, after a few letters, and after most of them.
        try await killWhen(batch) { true }
        try await killWhen(batch) { letterFiles() >= 3 }
        try? FileManager.default.removeItem(at: letters)
        try await killWhen(batch) { letterFiles() >= count - 3 }
        #expect(try runCaredocs(batch) == 0)

        let book = out.appendingPathComponent("mailing-book-2026-11-24.csv")
        let rows = parseCSV(try String(contentsOf: book, encoding: .utf8)).dropFirst()
        #expect(rows.count == count)
        #expect(Set(rows.map { $0[0] }) == Set(ids.map { "\($0)/enrollment-letter" }))
        #expect(rows.map { $0[8] } == rows.map { $0[8] }.sorted())
        #expect(try pdfPages(out.appendingPathComponent("print-2026-11-24.pdf")) % 2 == 0)

        // Article numbers filled in; printed; the import killed midway and rerun.
        var filled = "obligation,tracking,date\n"
        for (n, row) in rows.enumerated() { filled += "\(row[0]),\(tracking(70_000_000 + n)),2026-11-25\n" }
        let csv = folder.appendingPathComponent("filled.csv")
        try filled.write(to: csv, atomically: true, encoding: .utf8)
        #expect(try runCaredocs(["mailroom", "printed", "--database", database, "--batch", csv.path]) == 0)
        let importTracking = ["mailroom", "import-tracking", "--database", database, csv.path]
        let store = try await openDeadlineStore(database)
        try await killWhen(importTracking) {
            ((try? await store.obligations(ObligationQuery(today: day("2026-11-25"), includeClosed: true)).filter {
                $0.paper == .mailed
            }.count) ?? 0) >= 4
        }
        #expect(try runCaredocs(importTracking) == 0)
        #expect(try runCaredocs(importTracking) == 0)  // everything already recorded

        for (n, row) in rows.enumerated() {
            let detail = try #require(try await store.detail(row[0]))
            #expect(
                detail.obligation.paper == .mailed && detail.obligation.trackingNumber == tracking(70_000_000 + n).value
            )
            #expect(detail.pieces.count == 1)
        }
        #expect(
            try await store.obligations(ObligationQuery(today: day("2026-11-25"), includeClosed: true)).count == count
        )
        #expect(try await store.verifyAudit().isIntact)
        try await store.close()
    }
}
