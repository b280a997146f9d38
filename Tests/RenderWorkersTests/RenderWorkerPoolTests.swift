// The pool with real worker processes: rendering, a real abort, a hang and its timeout, a worker
// killed while idle, shutdown, cancellation; and an opt-in benchmark.

import Foundation
import Testing

@testable import RenderWorkers

/// The pool against real `caredocs render-worker` processes (started with
/// CAREDOCS_WORKER_FAULTS=1): outcomes, crash and hang containment, concurrency, shutdown.
/// Serialized: the timing tests must not compete with each other for the 2 cores.
@Suite(.serialized) struct RenderWorkerPoolTests {
    @Test func rendersALetterInEnglishAndSpanish() async throws {
        try await WorkerTest.withPool(size: 1) { pool in
            let copies = try WorkerTest.copies(try await pool.render(try WorkerTest.letter(["en", "es"])))
            #expect(copies.map(\.language) == ["en", "es"])
            for copy in copies {
                #expect(copy.pdf.starts(with: Data("%PDF".utf8)))
                #expect(copy.pages >= 1)
                #expect(try WorkerTest.pageCount(copy.pdf) == copy.pages)
            }
            #expect(copies[0].pdf != copies[1].pdf)
            #expect(pool.stats.jobs == 1)
            #expect(pool.stats.restarts == 0)
        }
    }

    @Test func languageTagsAreNormalized() async throws {
        try await WorkerTest.withPool(size: 1) { pool in
            let copies = try WorkerTest.copies(try await pool.render(try WorkerTest.letter(["es-US"])))
            #expect(copies.map(\.language) == ["es"])
        }
    }

    @Test func anInvalidRecordIsAnsweredWithItsPaths() async throws {
        try await WorkerTest.withPool(size: 1) { pool in
            let record = try WorkerTest.example(
                "rivera-enrollment.json",
                setting: ["member", "dateOfBirth"],
                to: "2014-02-30"
            )
            let outcome = try await pool.render(
                RenderJob(
                    kind: "enrollment-letter",
                    languages: ["en"],
                    letterDate: WorkerTest.letterDate,
                    record: record
                )
            )
            guard case .invalidRecord(let problems) = outcome else {
                Issue.record("expected invalidRecord, got \(outcome)")
                return
            }
            #expect(problems.contains { $0.path == "member.dateOfBirth" }, "\(problems)")

            let garbage = try await pool.render(
                RenderJob(
                    kind: "enrollment-letter",
                    languages: ["en"],
                    letterDate: WorkerTest.letterDate,
                    record: Data("not json".utf8)
                )
            )
            guard case .invalidRecord(let p2) = garbage else {
                Issue.record("expected invalidRecord, got \(garbage)")
                return
            }
            #expect(!p2.isEmpty)
        }
    }

    /// Bytes the server checked (`validated`) are only decoded by the worker: the same letter
    /// as a job checked in full; bytes that do not decode are still an answer naming the
    /// problem, not a crash.
    @Test func bytesTheServerCheckedAreDecodedOnly() async throws {
        try await WorkerTest.withPool(size: 1) { pool in
            let record = try WorkerTest.example("rivera-enrollment.json")
            func job(_ bytes: Data, validated: Bool) -> RenderJob {
                RenderJob(
                    kind: "enrollment-letter",
                    languages: ["en"],
                    letterDate: WorkerTest.letterDate,
                    record: bytes,
                    validated: validated
                )
            }
            let checked = try WorkerTest.copies(try await pool.render(job(record, validated: false)))
            let decoded = try WorkerTest.copies(try await pool.render(job(record, validated: true)))
            #expect(decoded.map(\.pages) == checked.map(\.pages))
            #expect(decoded[0].pdf.count > 10_000)
            let broken = try await pool.render(job(Data("{\"schemaVersion\": 1}".utf8), validated: true))
            guard case .invalidRecord(let problems) = broken else {
                Issue.record("expected invalidRecord, got \(broken)")
                return
            }
            #expect(!problems.isEmpty)
            #expect(pool.stats.restarts == 0)
        }
    }

    @Test func aRefusedDocumentNamesPathsAndClauses() async throws {
        try await WorkerTest.withPool(size: 1) { pool in
            // The Rivera record has no removal: no termination letter.
            let outcome = try await pool.render(
                RenderJob(
                    kind: "termination-letter",
                    languages: ["en"],
                    letterDate: WorkerTest.letterDate,
                    record: try WorkerTest.example("rivera-enrollment.json")
                )
            )
            guard case .refused(let problems) = outcome else {
                Issue.record("expected refused, got \(outcome)")
                return
            }
            #expect(problems.contains { $0.path == "removal.date" && $0.clause != nil }, "\(problems)")
        }
    }

    @Test func badJobsAreRefused() async throws {
        try await WorkerTest.withPool(size: 1) { pool in
            let record = try WorkerTest.example("rivera-enrollment.json")
            let jobs = [
                RenderJob(kind: "birthday-card", languages: ["en"], letterDate: WorkerTest.letterDate, record: record),
                RenderJob(
                    kind: "enrollment-letter",
                    languages: ["tlh"],
                    letterDate: WorkerTest.letterDate,
                    record: record
                ),
                RenderJob(
                    kind: "enrollment-letter",
                    languages: ["zh"],
                    letterDate: WorkerTest.letterDate,
                    record: record
                ),
                RenderJob(kind: "enrollment-letter", languages: [], letterDate: WorkerTest.letterDate, record: record),
                RenderJob(kind: "enrollment-letter", languages: ["en"], letterDate: "2026-02-30", record: record),
                RenderJob(kind: "enrollment-letter", languages: ["en"], letterDate: "tomorrow", record: record),
            ]
            for job in jobs {
                let outcome = try await pool.render(job)
                guard case .badJob(let why) = outcome else {
                    Issue.record("expected badJob for \(job.kind) \(job.languages) \(job.letterDate), got \(outcome)")
                    continue
                }
                #expect(!why.isEmpty)
            }
            #expect(pool.stats.restarts == 0)
        }
    }

    @Test func faultsAreRefusedWithoutTheEnvironmentVariable() async throws {
        try await WorkerTest.withPool(size: 1, faults: false) { pool in
            let pid = try #require(pool.workerPIDs.first)
            for fault in [RenderJob.Fault.abort, .hang] {
                let outcome = try await pool.render(try WorkerTest.letter(fault: fault))
                #expect(outcome == .badJob("faults are not enabled"))
            }
            #expect(pool.workerPIDs == [pid])
            #expect(pool.stats.restarts == 0)
            #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
        }
    }

    @Test func anAbortCrashesOnlyItsOwnJob() async throws {
        try await WorkerTest.withPool(size: 2) { pool in
            let before = Set(pool.workerPIDs)
            #expect(before.count == 2)
            // Both workers idle: the two jobs run at the same time, one on each.
            async let healthy = pool.render(try WorkerTest.letter(["en", "es"]))
            async let doomed = pool.render(try WorkerTest.letter(fault: .abort))
            do {
                let outcome = try await doomed
                Issue.record("the aborting job answered \(outcome)")
            } catch let error as RenderWorkerPoolError {
                guard case .workerCrashed(let how) = error else {
                    Issue.record("expected workerCrashed, got \(error)")
                    return
                }
                #expect(how.contains("SIGABRT"), "\(how)")
            }
            let copies = try WorkerTest.copies(try await healthy)
            #expect(copies.count == 2)
            #expect(copies.allSatisfy { $0.pdf.starts(with: Data("%PDF".utf8)) })

            let stats = pool.stats
            #expect(stats.restarts == 1)
            #expect(stats.crashes == 1)
            #expect(stats.jobs == 1)
            let after = Set(pool.workerPIDs)
            #expect(after.count == 2)
            #expect(before.subtracting(after).count == 1)
            for pid in before.subtracting(after) {
                #expect(!WorkerTest.exists(pid), "the aborted worker \(pid) was not reaped")
            }

            // The next jobs succeed, on either worker.
            for _ in 0..<3 {
                #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
            }
            #expect(pool.stats.restarts == 1)
            #expect(pool.stats.jobs == 4)
        }
    }

    @Test func aHangTimesOutAndTheWorkerIsReplaced() async throws {
        try await WorkerTest.withPool(size: 1, timeout: .seconds(2), maxQueue: 0) { pool in
            let pid = try #require(pool.workerPIDs.first)
            let started = ContinuousClock.now
            let hung = Task { try await pool.render(try WorkerTest.letter(fault: .hang)) }
            #expect(await WorkerTest.waitUntil { pool.stats.busy == 1 })
            // The only worker is busy and nobody may wait: refused at once.
            await #expect(throws: RenderWorkerPoolError.overloaded) { try await pool.render(try WorkerTest.letter()) }
            await #expect(throws: RenderWorkerPoolError.timedOut) { try await hung.value }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .seconds(2) && elapsed < .seconds(10), "\(elapsed)")
            #expect(!WorkerTest.exists(pid), "the hung worker \(pid) was not killed and reaped")
            #expect(pool.stats.timeouts == 1)
            #expect(pool.stats.restarts == 1)
            #expect(pool.workerPIDs.count == 1 && pool.workerPIDs != [pid])
            #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
        }
    }

    @Test func twoWorkersRenderTwentyJobsAtOnce() async throws {
        try await WorkerTest.withPool(size: 2) { pool in
            let job = try WorkerTest.letter(["en"])
            let spanish = try WorkerTest.letter(["es"])
            let results = try await withThrowingTaskGroup(of: (Int, RenderOutcome).self) { group in
                for i in 0..<20 {
                    group.addTask { (i, try await pool.render(i % 2 == 0 ? job : spanish)) }
                }
                var all: [Int: RenderOutcome] = [:]
                for try await (i, o) in group { all[i] = o }
                return all
            }
            #expect(results.count == 20)
            for (i, outcome) in results {
                let copies = try WorkerTest.copies(outcome)
                #expect(copies.map(\.language) == [i % 2 == 0 ? "en" : "es"])
                #expect(copies.first?.pdf.starts(with: Data("%PDF".utf8)) == true)
            }
            let stats = pool.stats
            #expect(stats.jobs == 20)
            #expect(stats.busy == 0 && stats.waiting == 0)
            #expect(stats.restarts == 0 && stats.crashes == 0 && stats.timeouts == 0)
        }
    }

    @Test func aWorkerThatDiesWhileIdleIsReplaced() async throws {
        try await WorkerTest.withPool(size: 1) { pool in
            let pid = try #require(pool.workerPIDs.first)
            #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
            kill(pid, SIGKILL)
            // The next job does not pay for the earlier death.
            #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
            #expect(pool.stats.crashes == 0)
            #expect(pool.stats.restarts == 1)
            #expect(!WorkerTest.exists(pid))

            // Killed while idle and left alone: replaced without a job asking.
            let second = try #require(pool.workerPIDs.first)
            kill(second, SIGKILL)
            #expect(await WorkerTest.waitUntil { pool.stats.restarts == 2 && !pool.workerPIDs.isEmpty })
            #expect(!WorkerTest.exists(second))
            #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
            #expect(pool.stats.crashes == 0)
        }
    }

    @Test func shutdownLeavesNoChildProcesses() async throws {
        let pool = RenderWorkerPool(
            executable: try WorkerTest.binary,
            size: 2,
            environment: WorkerTest.environment(faults: true)
        )
        try await pool.start()
        #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
        let pids = pool.workerPIDs
        #expect(pids.count == 2)
        let started = ContinuousClock.now
        await pool.shutdown()
        #expect(ContinuousClock.now - started < .seconds(4), "idle workers exit when their stdin closes")
        for pid in pids { #expect(!WorkerTest.exists(pid), "worker \(pid) is still there") }
        #expect(pool.workerPIDs.isEmpty)
        await #expect(throws: RenderWorkerPoolError.shutDown) { try await pool.render(try WorkerTest.letter()) }
        await pool.shutdown()  // twice: nothing happens
    }

    @Test func shutdownKillsAWorkerStillRenderingAfterFiveSeconds() async throws {
        let pool = RenderWorkerPool(
            executable: try WorkerTest.binary,
            size: 1,
            environment: WorkerTest.environment(faults: true),
            timeout: .seconds(60)
        )
        try await pool.start()
        let pid = try #require(pool.workerPIDs.first)
        let hung = Task { try await pool.render(try WorkerTest.letter(fault: .hang)) }
        #expect(await WorkerTest.waitUntil { pool.stats.busy == 1 })
        let waiting = Task { try await pool.render(try WorkerTest.letter()) }
        #expect(await WorkerTest.waitUntil { pool.stats.waiting == 1 })
        let started = ContinuousClock.now
        await pool.shutdown()
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(4.5) && elapsed < .seconds(8), "\(elapsed)")
        await #expect(throws: RenderWorkerPoolError.shutDown) { try await waiting.value }
        await #expect(throws: RenderWorkerPoolError.shutDown) { try await hung.value }
        #expect(!WorkerTest.exists(pid))
    }

    @Test func aWaitingJobCanBeCancelled() async throws {
        try await WorkerTest.withPool(size: 1, timeout: .seconds(3)) { pool async throws in
            let hung = Task { try await pool.render(try WorkerTest.letter(fault: .hang)) }
            #expect(await WorkerTest.waitUntil { pool.stats.busy == 1 })
            let waiting = Task { try await pool.render(try WorkerTest.letter()) }
            #expect(await WorkerTest.waitUntil { pool.stats.waiting == 1 })
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
            #expect(pool.stats.waiting == 0)
            await #expect(throws: RenderWorkerPoolError.timedOut) { try await hung.value }
            #expect(try WorkerTest.copies(try await pool.render(try WorkerTest.letter())).count == 1)
        }
    }

    @Test func aWorkerThatCannotStartFailsStart() async throws {
        let pool = RenderWorkerPool(executable: "/nonexistent/caredocs", size: 1)
        await #expect(throws: (any Error).self) { try await pool.start() }
        await #expect(throws: RenderWorkerPoolError.shutDown) { try await pool.render(try WorkerTest.letter()) }
    }

    /// A worker whose process exits at once (here `false`): each job fails as a crash, nothing
    /// spins, and shutdown still returns.
    @Test func aWorkerThatDiesAtOnceFailsJobsWithoutSpinning() async throws {
        let pool = RenderWorkerPool(executable: "/bin/false", arguments: [], size: 1)
        try await pool.start()
        await #expect(throws: RenderWorkerPoolError.self) { try await pool.render(try WorkerTest.letter()) }
        try await Task.sleep(for: .seconds(1))
        #expect(pool.stats.restarts < 10, "\(pool.stats)")
        await pool.shutdown()
    }
}

/// Time per job through the pool. Run with CAREDOCS_POOL_BENCH=200 (jobs) and, for numbers
/// that mean something, CAREDOCS_WORKER_BINARY=.build-workers/release/caredocs.
@Suite(.serialized) struct RenderWorkerPoolBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CAREDOCS_POOL_BENCH"] != nil))
    func enrollmentLetters() async throws {
        let n = Int(ProcessInfo.processInfo.environment["CAREDOCS_POOL_BENCH"] ?? "") ?? 200
        let job = try WorkerTest.letter(["en"])
        for size in [1, 2] {
            try await WorkerTest.withPool(size: size) { pool in
                _ = try await pool.render(job)  // warm up: fonts and templates loaded in every worker
                _ = try await pool.render(job)
                let started = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<n { group.addTask { _ = try WorkerTest.copies(try await pool.render(job)) } }
                    try await group.waitForAll()
                }
                let elapsed = ContinuousClock.now - started
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                print(
                    "pool of \(size): \(n) enrollment letters (en) in \(String(format: "%.2f", ms / 1000)) s: \(String(format: "%.1f", ms / Double(n))) ms per letter, \(String(format: "%.1f", Double(n) / (ms / 1000))) letters/s"
                )
            }
        }
    }
}
