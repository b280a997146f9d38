// The process pool: `RenderWorkerPool` hands jobs to its worker slots (a free slot, or a place in
// the waiting line), starts them and shuts them down.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pre-forked render worker processes (`caredocs render-worker`), restarted when they die.
///
/// Each slot owns one worker process and one dedicated `Thread` that does every blocking
/// operation (spawn, write the job, wait for the answer with `poll`, reap): async callers only
/// suspend on continuations, so no Swift-concurrency or NIO thread ever blocks. A job waits for a
/// free slot (at most `maxQueue` jobs wait; more are refused with `.overloaded`).
///
/// - A worker that dies while rendering (EOF on its stdout, a signal, a broken answer): the job
///   fails with `.workerCrashed`, the process is reaped and replaced before the error is thrown.
///   Such a job is never retried.
/// - A worker that does not answer within `timeout`: SIGKILL, replaced, `.timedOut`.
/// - A worker that dies while idle is reaped and replaced by its slot's thread (with a backoff
///   when replacements keep dying at once); a job is written only to a live worker. When the
///   worker dies in the instant between that check and the job, before it has read the whole
///   job (part of it still in its stdin pipe, or the pipe closed before all of it went in), it
///   cannot have been rendering it: the job goes once more (once) to a fresh worker.
///
/// Jobs submitted before `start()` wait for it. `shutdown()` fails waiting jobs with `.shutDown`,
/// closes every worker's stdin (workers finish their job and exit), and kills what is still
/// running 5 seconds later.
public final class RenderWorkerPool: @unchecked Sendable {
    public let executable: String
    public let arguments: [String]
    public let size: Int
    /// The workers' whole environment (like `Process.environment`); nil: this process's. Unless it
    /// sets `SWIFT_BACKTRACE`, workers get one that keeps register and memory dumps (possible
    /// record content) out of crash reports.
    public let environment: [String: String]?
    public let timeout: Duration
    public let maxQueue: Int

    private let lock = NSLock()
    private var phase = Phase.created
    private var slots: [WorkerSlot] = []
    private var idle: [WorkerSlot] = []
    private var busy = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<WorkerSlot, Error>)] = []
    private var nextWaiterID: UInt64 = 0
    let counters = Counters()

    private enum Phase { case created, starting, running, stopping, stopped }

    public init(
        executable: String,
        arguments: [String] = ["render-worker"],
        size: Int,
        environment: [String: String]? = nil,
        timeout: Duration = .seconds(30),
        maxQueue: Int = 256
    ) {
        self.executable = executable
        self.arguments = arguments
        self.size = max(1, size)
        self.environment = environment
        self.timeout = timeout
        self.maxQueue = max(0, maxQueue)
    }

    /// A pool dropped without `shutdown()` still stops its workers (in the background: their
    /// slot threads close stdin, wait up to 5 s, then kill).
    deinit {
        let deadline = ContinuousClock.now + .seconds(5)
        for slot in slots { slot.requestStop(deadline: deadline) }
    }

    /// Starts `size` worker processes (each on its own slot thread). Throws when a worker cannot
    /// be spawned (the pool is then shut down). Calling it again does nothing.
    public func start() async throws {
        let created: [WorkerSlot]? = lock.withLock {
            guard phase == .created else { return nil }
            phase = .starting
            slots = (0..<size).map {
                WorkerSlot(
                    index: $0,
                    spec: .init(
                        executable: executable,
                        arguments: arguments,
                        environment: environment,
                        timeout: timeout
                    ),
                    counters: counters
                )
            }
            return slots
        }
        guard let created else { return }
        // A worker that went away shows up as EPIPE on write, not as a signal that kills us.
        signal(SIGPIPE, SIG_IGN)
        var failure: Error?
        for slot in created {
            if let error = await slot.start(), failure == nil { failure = error }
        }
        if let failure {
            await shutdown()
            throw failure
        }
        let handOut: [(CheckedContinuation<WorkerSlot, Error>, WorkerSlot)] = lock.withLock {
            guard phase == .starting else { return [] }
            phase = .running
            var out: [(CheckedContinuation<WorkerSlot, Error>, WorkerSlot)] = []
            for slot in created {
                if !waiters.isEmpty {
                    out.append((waiters.removeFirst().continuation, slot))
                    busy += 1
                } else {
                    idle.append(slot)
                }
            }
            return out
        }
        for (c, slot) in handOut { c.resume(returning: slot) }
    }

    /// Renders one job on a free worker. Throws `RenderWorkerPoolError` (`.overloaded`, `.workerCrashed`,
    /// `.timedOut`, `.shutDown`) or `CancellationError` when the task is cancelled while waiting
    /// for a worker (a job already written to a worker is not cancelled).
    public func render(_ job: RenderJob) async throws -> RenderOutcome {
        let slot = try await acquire()
        defer { release(slot) }
        return try await slot.perform(job)
    }

    /// Stops every worker: waiting jobs fail with `.shutDown`, stdins are closed, workers that
    /// have not exited 5 seconds later are killed (a job still rendering then fails with
    /// `.shutDown`). Returns once every worker process is reaped.
    public func shutdown() async {
        let (toStop, toFail): ([WorkerSlot], [CheckedContinuation<WorkerSlot, Error>]) = lock.withLock {
            switch phase {
            case .stopping, .stopped: return ([], [])
            default:
                phase = .stopping
                let w = waiters.map(\.continuation)
                waiters.removeAll()
                return (slots, w)
            }
        }
        for c in toFail { c.resume(throwing: RenderWorkerPoolError.shutDown) }
        let deadline = ContinuousClock.now + .seconds(5)
        for slot in toStop { slot.requestStop(deadline: deadline) }
        for slot in toStop { await slot.waitUntilStopped() }
        lock.withLock { if phase == .stopping { phase = .stopped } }
    }

    /// A snapshot of the counters.
    public var stats: RenderWorkerPoolStats {
        var s = counters.snapshot()
        lock.withLock {
            s.size = size
            s.busy = busy
            s.waiting = waiters.count
        }
        return s
    }

    /// The process ids of the live workers (for health checks and tests).
    public var workerPIDs: [Int32] {
        lock.withLock { slots }.compactMap(\.currentPID)
    }

    // MARK: Slots

    private func acquire() async throws -> WorkerSlot {
        let id: UInt64 = lock.withLock {
            nextWaiterID += 1
            return nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<WorkerSlot, Error>) in
                enum Decision {
                    case slot(WorkerSlot)
                    case error(Error)
                    case wait
                }
                let decision: Decision = lock.withLock {
                    switch phase {
                    case .stopping, .stopped: return .error(RenderWorkerPoolError.shutDown)
                    case .created, .starting, .running: break
                    }
                    if let slot = idle.popLast() {
                        busy += 1
                        return .slot(slot)
                    }
                    if Task.isCancelled { return .error(CancellationError()) }
                    if waiters.count >= maxQueue { return .error(RenderWorkerPoolError.overloaded) }
                    waiters.append((id, c))
                    return .wait
                }
                switch decision {
                case .slot(let s): c.resume(returning: s)
                case .error(let e): c.resume(throwing: e)
                case .wait: break
                }
            }
        } onCancel: {
            let waiter: CheckedContinuation<WorkerSlot, Error>? = lock.withLock {
                guard let i = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: i).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func release(_ slot: WorkerSlot) {
        let next: CheckedContinuation<WorkerSlot, Error>? = lock.withLock {
            if !waiters.isEmpty { return waiters.removeFirst().continuation }
            busy -= 1
            idle.append(slot)
            return nil
        }
        next?.resume(returning: slot)
    }
}
