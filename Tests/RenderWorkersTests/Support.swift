// Helpers for the render worker tests: example records and jobs, the `caredocs` binary, a pool
// that is always shut down, process checks.

import Foundation
import Testing

@testable import RenderWorkers

enum WorkerTest {
    static let projectRoot = URL(filePath: #filePath)
        .deletingLastPathComponent()  // RenderWorkersTests
        .appending(path: "../..")
        .standardized

    static let letterDate = "2026-11-23"

    /// The shared example records (Tests/CaresDocumentsTests/Records/shared-examples).
    static func example(_ name: String) throws -> Data {
        try Data(contentsOf: projectRoot.appending(path: "Tests/CaresDocumentsTests/Records/shared-examples/\(name)"))
    }

    /// An example with one value replaced (`path` of object keys).
    static func example(_ name: String, setting path: [String], to value: Any) throws -> Data {
        var root = try #require(try JSONSerialization.jsonObject(with: example(name)) as? [String: Any])
        func set(_ object: inout [String: Any], _ path: ArraySlice<String>) {
            guard let key = path.first else { return }
            if path.count == 1 {
                object[key] = value
            } else {
                var child = object[key] as? [String: Any] ?? [:]
                set(&child, path.dropFirst())
                object[key] = child
            }
        }
        set(&root, path[...])
        return try JSONSerialization.data(withJSONObject: root)
    }

    static func letter(_ languages: [String] = ["en"], fault: RenderJob.Fault? = nil) throws -> RenderJob {
        RenderJob(
            kind: "enrollment-letter",
            languages: languages,
            letterDate: letterDate,
            record: try example("rivera-enrollment.json"),
            fault: fault
        )
    }

    /// The `caredocs` built with these tests (the test runner sits in the same folder), or
    /// `$CAREDOCS_WORKER_BINARY`.
    static var binary: String {
        get throws {
            var candidates: [String] = []
            if let env = ProcessInfo.processInfo.environment["CAREDOCS_WORKER_BINARY"] { candidates.append(env) }
            if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                candidates.append(
                    URL(filePath: exe).deletingLastPathComponent().appending(path: "caredocs").path(
                        percentEncoded: false
                    )
                )
            }
            candidates.append(
                URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "caredocs").path(
                    percentEncoded: false
                )
            )
            let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            return try #require(found, "caredocs is not built beside the tests (swift build --build-tests builds it)")
        }
    }

    static func environment(faults: Bool) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env[RenderWorkerLoop.faultsVariable] = faults ? "1" : nil
        return env
    }

    /// A started pool, shut down after `body` (also when it throws).
    static func withPool<T>(
        size: Int,
        faults: Bool = true,
        timeout: Duration = .seconds(60),
        maxQueue: Int = 256,
        _ body: (RenderWorkerPool) async throws -> T
    ) async throws -> T {
        let pool = RenderWorkerPool(
            executable: try binary,
            size: size,
            environment: environment(faults: faults),
            timeout: timeout,
            maxQueue: maxQueue
        )
        try await pool.start()
        do {
            let r = try await body(pool)
            await pool.shutdown()
            return r
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    struct Unexpected: Error, CustomStringConvertible { var description: String }

    static func copies(_ outcome: RenderOutcome) throws -> [RenderedCopy] {
        guard case .rendered(let copies) = outcome else {
            throw Unexpected(description: "expected rendered copies, got \(outcome)")
        }
        return copies
    }

    /// Whether a process with this id exists (zombies included).
    static func exists(_ pid: Int32) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(filePath: tool)
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return ProcessResult(
            status: p.terminationStatus,
            stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self)
        )
    }

    /// `qpdf --show-npages` of these bytes.
    static func pageCount(_ pdf: Data) throws -> Int {
        let file = FileManager.default.temporaryDirectory.appending(path: "rw-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try run("/usr/bin/qpdf", ["--show-npages", file.path(percentEncoded: false)])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    static func waitUntil(_ seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
