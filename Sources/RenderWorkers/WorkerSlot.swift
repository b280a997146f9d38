// One worker slot: the dedicated thread that owns one worker process at a time and does all of
// its blocking work. It takes jobs from its `WorkerMailbox`, feeds what happens to its
// `WorkerSlotStateMachine` and performs the actions the machine answers with, using
// `WorkerProcess` (spawn, reap, stop) and `WorkerIO` (polled writes and reads with deadlines).

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A worker slot. The pool talks to it through `start`, `perform`, `requestStop` and
/// `waitUntilStopped` (any task); everything else runs on the slot's thread.
final class WorkerSlot: @unchecked Sendable {
    struct Spec: Sendable {
        var executable: String
        var arguments: [String]
        var environment: [String: String]?
        var timeout: Duration
    }

    let index: Int
    let spec: Spec
    let counters: Counters
    private let mailbox = WorkerMailbox()

    // Owned by the slot thread.
    private var machine: WorkerSlotStateMachine
    private var worker: WorkerProcess?
    /// The last spawn's error (for `start()` and the job that needed the worker).
    private var spawnError: Error?
    /// How the last reaped worker ended (for the job it crashed).
    private var lastExit = ""
    private var current: CurrentJob?

    /// The job on the slot thread: its frame, the answer read, how it ends.
    private struct CurrentJob {
        var frame: Data
        var outcome: RenderOutcome?
        var result: Result<RenderOutcome, Error>?
    }

    init(index: Int, spec: Spec, counters: Counters) {
        self.index = index
        self.spec = spec
        self.counters = counters
        machine = WorkerSlotStateMachine(timeout: spec.timeout)
    }

    var currentPID: pid_t? { mailbox.pid }

    // MARK: Called from the pool (any thread or task)

    /// Starts the thread, which spawns the first worker; nil when it is running.
    func start() async -> Error? {
        await withCheckedContinuation { (c: CheckedContinuation<Error?, Never>) in
            mailbox.expectStart(c)
            let thread = Thread { [self] in self.threadMain() }
            thread.name = "render-slot-\(index)"
            thread.start()
        }
    }

    /// Runs one job on this slot's worker (the slot must have been acquired from the pool).
    func perform(_ job: RenderJob) async throws -> RenderOutcome {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<RenderOutcome, Error>) in
            if !mailbox.deliver((job, c)) { c.resume(throwing: RenderWorkerPoolError.shutDown) }
        }
    }

    func requestStop(deadline: ContinuousClock.Instant) {
        mailbox.requestStop(deadline: deadline)
    }

    func waitUntilStopped() async {
        await mailbox.waitUntilStopped()
    }

    // MARK: The slot thread

    private func threadMain() {
        perform(machine.start())
        LinuxCalls.nameThread("render-slot-\(index)")
        while true {
            // The mailbox first: a stop may have been noticed (and its wake byte drained) while
            // a job was running.
            let (delivery, stop) = mailbox.take()
            if let (job, continuation) = delivery {
                continuation.resume(with: run(job))
                continue
            }
            if let stop {
                perform(machine.shutdownRequested(deadline: stop))
                break
            }
            if let at = machine.respawnAt, at <= .now {
                perform(machine.respawnDue(at: .now))
                continue
            }

            var fds = [pollfd(fd: mailbox.wakeRead, events: Int16(POLLIN), revents: 0)]
            if let w = worker { fds.append(pollfd(fd: w.stdout, events: Int16(POLLIN), revents: 0)) }
            let timeout = machine.respawnAt.map(WorkerIO.milliseconds(until:)) ?? -1
            _ = WorkerIO.poll(&fds, timeout: timeout)
            if fds[0].revents != 0 { mailbox.drainWake() }
            if fds.count > 1 && fds[1].revents != 0 {
                // The worker's stdout is readable or closed while it has no job.
                perform(machine.idleWorkerExited(at: .now))
            }
        }
        mailbox.markStopped()
    }

    /// One job: the outcome, or a `RenderWorkerPoolError`. Leaves a live worker behind (or none
    /// when one cannot be spawned).
    private func run(_ job: RenderJob) -> Result<RenderOutcome, Error> {
        let frame: Data
        do {
            frame = try RenderFraming.frame(job)
        } catch RenderFraming.FrameError.tooLarge(let n) {
            return .success(.badJob("the job (\(n) bytes) is over the \(RenderFraming.maxFrameBytes >> 20) MiB limit"))
        } catch {
            return .success(.badJob("the job cannot be encoded: \(error)"))
        }
        current = CurrentJob(frame: frame)
        defer { current = nil }
        perform(
            machine.jobSubmitted(
                frameBytes: frame.count,
                at: .now,
                shutdownDeadline: mailbox.stopDeadline,
                workerAlive: worker?.looksAlive() ?? false
            )
        )
        return current?.result ?? .failure(RenderWorkerPoolError.workerCrashed("no render worker"))
    }

    // MARK: Performing actions

    /// Performs `actions` in order; the actions answering an event an action reported come
    /// right after that action (a loop, not recursion: a large job is many writes).
    private func perform(_ actions: [WorkerSlotStateMachine.Action]) {
        var stack = Array(actions.reversed())
        while let action = stack.popLast() {
            stack.append(contentsOf: perform(action).reversed())
        }
    }

    /// Performs one action; returns the machine's answer to what happened.
    private func perform(_ action: WorkerSlotStateMachine.Action) -> [WorkerSlotStateMachine.Action] {
        switch action {
        case .spawn:
            do {
                let w = try WorkerProcess.spawn(spec.executable, spec.arguments, environment: spec.environment)
                worker = w
                mailbox.publish(pid: w.pid)
                return machine.spawned(pid: w.pid, at: w.started)
            } catch {
                spawnError = error
                return machine.spawnFailed(reason: "\(error)", at: .now)
            }

        case .startFinished(let succeeded):
            mailbox.started(succeeded ? nil : spawnError)
            return []

        case .logSpawnFailure(let reason):
            Self.log("slot \(index): cannot start a render worker: \(reason)")
            return []

        case .write(let offset, let deadline):
            guard let w = worker, let frame = current?.frame else { return [] }
            switch WorkerIO.write(frame, from: offset, to: w.stdin, deadline: deadline, mailbox: mailbox) {
            case .wrote(let n): return machine.bytesWritten(n, at: .now)
            case .closed: return machine.stdinClosed(at: .now)
            case .timedOut: return machine.timedOut(at: .now)
            case .stopped: return machine.shutdownDeadlinePassed(at: .now)
            }

        case .readAnswer(let deadline):
            guard let w = worker else { return [] }
            return answerRead(WorkerIO.readAnswer(from: w.stdout, deadline: deadline, mailbox: mailbox), from: w)

        case .reap(let pid, let kill, let reason):
            guard let w = worker, w.pid == pid else { return [] }
            worker = nil
            mailbox.publish(pid: nil)
            lastExit = w.reap(kill: kill)
            log(reason, pid: pid)
            return []

        case .count(let counter):
            counters.add {
                switch counter {
                case .restarts: $0.restarts += 1
                case .jobs: $0.jobs += 1
                case .crashes: $0.crashes += 1
                case .timeouts: $0.timeouts += 1
                }
            }
            return []

        case .succeed:
            if let outcome = current?.outcome { current?.result = .success(outcome) }
            return []

        case .fail(let failure):
            current?.result = .failure(error(for: failure))
            return []

        case .stopWorker(let pid, let deadline):
            guard let w = worker, w.pid == pid else { return [] }
            worker = nil
            mailbox.publish(pid: nil)
            if w.stop(deadline: deadline) {
                Self.log("worker \(pid) (slot \(index)) did not exit 5 s after its stdin closed; killed")
            }
            return []
        }
    }

    /// What the machine hears of a read answer (a decoded outcome is kept for `.succeed`).
    private func answerRead(_ result: WorkerIO.ReadResult, from w: WorkerProcess) -> [WorkerSlotStateMachine.Action] {
        switch result {
        case .answer(let payload):
            guard let outcome = try? RenderFraming.decode(RenderOutcome.self, from: payload) else {
                return machine.protocolBroken("answered with something that is not a RenderOutcome", at: .now)
            }
            current?.outcome = outcome
            return machine.answerRead(at: .now)
        case .endOfFile:
            return machine.workerExited(unreadInput: w.unreadInput(), at: .now)
        case .tooLarge(let n):
            return machine.protocolBroken(
                "sent an answer of \(n) bytes (over the \(RenderFraming.maxFrameBytes >> 20) MiB limit)",
                at: .now
            )
        case .readError(let e):
            return machine.protocolBroken("its stdout failed: \(String(cString: strerror(e)))", at: .now)
        case .timedOut:
            return machine.timedOut(at: .now)
        case .stopped:
            return machine.shutdownDeadlinePassed(at: .now)
        }
    }

    private func error(for failure: WorkerSlotStateMachine.JobFailure) -> RenderWorkerPoolError {
        switch failure {
        case .workerCrashed: .workerCrashed(lastExit)
        case .brokeProtocol(let what): .workerCrashed("the worker \(what)")
        case .cannotStart(let why): .workerCrashed("a render worker cannot be started: \(why)")
        case .timedOut: .timedOut
        case .shutDown: .shutDown
        }
    }

    private func log(_ reason: WorkerSlotStateMachine.ReapReason, pid: pid_t) {
        let worker = "worker \(pid) (slot \(index))"
        switch reason {
        case .diedWhileIdle: Self.log("\(worker) stopped while idle: \(lastExit)")
        case .crashed(.receivingJob): Self.log("\(worker) stopped while receiving the job: \(lastExit)")
        case .crashed(.rendering): Self.log("\(worker) stopped while rendering: \(lastExit)")
        case .brokeProtocol(let what): Self.log("\(worker) \(what); killed")
        case .timedOut: Self.log("\(worker) did not answer within \(spec.timeout); killed")
        case .shutdownDeadline: Self.log("\(worker) still rendering at the shutdown deadline; killed")
        }
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("caredocs render pool: \(message)\n".utf8))
    }
}
