import Foundation
import Testing

@testable import CareDocsServer

@Suite("Batch processes")
struct BatchProcessTests {
    @Test("the database URL (and its password) reaches the batch process in its environment, not its command line")
    func databaseNotOnTheCommandLine() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A stand-in for `caredocs mailroom batch`: it records what the process was given, read
        // from /proc like any local user could, and answers as the command does.
        let script = dir.appendingPathComponent("fake-caredocs")
        try writeExecutableScript(
            """
            #!/bin/sh
            tr '\\0' '\\n' < /proc/$$/cmdline > "\(dir.path)/cmdline"
            printf '%s' "$CAREDOCS_DATABASE" > "\(dir.path)/database"
            echo '{"pieces": 0, "sheets": 0, "skipped": []}'
            """,
            to: script
        )
        let url = "postgres://caredocs:s3cret-pass@db.example.org/caredocs"
        let runner = BatchRunner(
            settings: ServerSettings(
                database: url,
                dataDirectory: dir.appendingPathComponent("data"),
                workerExecutable: script.path
            )
        )
        let started = try runner.start(date: "2026-11-24", postage: "0.73", fee: "18.65", actor: "m1", now: Date())
        let done = try #require(await runner.wait(started.id))
        #expect(done.state == .done)
        let cmdline = try String(contentsOf: dir.appendingPathComponent("cmdline"), encoding: .utf8)
        #expect(cmdline.contains("mailroom") && cmdline.contains("batch") && cmdline.contains("2026-11-24"))
        #expect(!cmdline.contains("s3cret") && !cmdline.contains("--database") && !cmdline.contains("postgres://"))
        #expect(try String(contentsOf: dir.appendingPathComponent("database"), encoding: .utf8) == url)
    }
}
