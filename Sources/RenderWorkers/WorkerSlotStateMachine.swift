// A worker slot's protocol as a pure value: its states, the events its thread reports and the
// actions it answers with. No process, pipe, lock or clock in here (the time comes with each
// event), so every transition is tested without I/O (`WorkerSlotStateMachineTests`);
// `WorkerSlot` performs the actions and reports what happened.
//
// The rules it keeps:
// - A job is written only to a worker that looks alive; a worker that died while idle is reaped
//   and replaced (at once, or with a backoff when replacements keep dying within 2 s).
// - A job is sent once more, to a fresh worker, when its worker died before reading all of it
//   (the pipe closed while it was being written, or bytes of it were still unread in the pipe
//   when the worker's stdout closed): such a worker was not rendering it. Once only. A job read
//   whole is never resent: its worker's death is the job's crash.
// - A crash, a broken answer or a timeout fails the job; the worker is reaped (killed first
//   unless it died by itself) and a replacement spawned before the job's caller hears of it.
// - At the shutdown deadline a job still running fails with `.shutDown` and its worker is
//   killed, not replaced.

import Foundation

/// The states, events and actions of one worker slot. See the file header for the rules.
struct WorkerSlotStateMachine: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// A live worker process as the machine knows it.
    struct Worker: Equatable, Sendable {
        var pid: Int32
        var started: Instant
    }

    /// The job on the slot.
    struct Job: Equatable, Sendable {
        /// The whole frame (header + JSON).
        var frameBytes: Int
        /// Already sent once more to a fresh worker: losing it again is its failure.
        var resent: Bool
        var stage: Stage
    }

    enum Stage: Equatable, Sendable {
        /// A worker is being spawned for the job. `respawnAt` is the slot's restart schedule from
        /// before, kept if the spawn fails.
        case spawning(respawnAt: Instant?)
        /// `written` bytes of the frame are in the worker's stdin so far.
        case writing(Worker, written: Int, deadline: Instant)
        /// The whole frame went in; the answer is awaited.
        case reading(Worker, deadline: Instant)
    }

    /// Why a spawn with no job waiting for it is under way.
    enum Restart: Equatable, Sendable {
        /// Replacing the worker of a job that just failed: if it fails, the next job tries again.
        case afterFailedJob
        /// The scheduled replacement of a worker that died while idle: if it fails, it is tried
        /// again later, backing off.
        case scheduled
    }

    enum State: Equatable, Sendable {
        /// Created; not started.
        case idle
        /// The first worker is being spawned.
        case starting
        /// A live worker, no job.
        case ready(Worker)
        case busy(Job)
        /// A replacement worker is being spawned, with no job waiting for it.
        case restarting(Restart)
        /// No worker: it died, or could not be started. A replacement is due at `respawnAt`, or
        /// when the next job comes (nil).
        case crashed(respawnAt: Instant?)
        /// Shut down; no worker.
        case stopped
    }

    enum Counter: Equatable, Sendable { case restarts, jobs, crashes, timeouts }

    enum CrashMoment: Equatable, Sendable { case receivingJob, rendering }

    /// Why a worker is reaped (what the log says).
    enum ReapReason: Equatable, Sendable {
        case diedWhileIdle
        case crashed(CrashMoment)
        case brokeProtocol(String)
        case timedOut
        case shutdownDeadline
    }

    /// How a job ends without an answer.
    enum JobFailure: Equatable, Sendable {
        /// Its worker died; the reason is how the last reaped worker ended.
        case workerCrashed
        /// Its worker broke the protocol (what it did) and was killed.
        case brokeProtocol(String)
        /// No worker could be spawned for it (why).
        case cannotStart(String)
        case timedOut
        /// The shutdown deadline came, or the slot takes no jobs.
        case shutDown
    }

    enum Action: Equatable, Sendable {
        /// Spawn a worker; report `spawned` or `spawnFailed`.
        case spawn
        /// The first spawn is over: tell `start()` (with the spawn's error when it failed).
        case startFinished(succeeded: Bool)
        /// A scheduled replacement could not be spawned (why).
        case logSpawnFailure(String)
        /// Write the job's frame from byte `from` on; report `bytesWritten`, `stdinClosed`,
        /// `timedOut` or `shutdownDeadlinePassed`.
        case write(from: Int, deadline: Instant)
        /// Read the answer frame; report `answerRead`, `protocolBroken`, `workerExited`,
        /// `timedOut` or `shutdownDeadlinePassed`.
        case readAnswer(deadline: Instant)
        /// Close the worker's pipes, SIGKILL it first when `kill`, wait for it, log why.
        case reap(pid: Int32, kill: Bool, reason: ReapReason)
        case count(Counter)
        /// The job is answered with the outcome just read.
        case succeed
        case fail(JobFailure)
        /// Close the worker's stdin, wait for its exit until `deadline`, then SIGKILL.
        case stopWorker(pid: Int32, deadline: Instant)
    }

    /// How long a worker has to answer a job (from the moment the job is first written to it).
    let timeout: Duration
    private(set) var state: State = .idle
    /// Replacements in a row that died within 2 s (or could not be spawned); reset by an answer.
    private(set) var quickDeaths = 0

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// When a replacement is due, if one is scheduled.
    var respawnAt: Instant? {
        if case .crashed(let at) = state { return at }
        return nil
    }

    // MARK: Events: starting and spawning

    /// The slot's thread starts.
    mutating func start() -> [Action] {
        guard case .idle = state else { return [] }
        state = .starting
        return [.spawn]
    }

    mutating func spawned(pid: Int32, at now: Instant) -> [Action] {
        let worker = Worker(pid: pid, started: now)
        switch state {
        case .starting:
            state = .ready(worker)
            return [.startFinished(succeeded: true)]
        case .restarting:
            state = .ready(worker)
            return [.count(.restarts)]
        case .busy(var job):
            guard case .spawning = job.stage else { return [] }
            let deadline = now + timeout
            job.stage = .writing(worker, written: 0, deadline: deadline)
            state = .busy(job)
            return [.count(.restarts), .write(from: 0, deadline: deadline)]
        case .idle, .ready, .crashed, .stopped:
            return []
        }
    }

    mutating func spawnFailed(reason: String, at now: Instant) -> [Action] {
        switch state {
        case .starting:
            state = .crashed(respawnAt: nil)
            return [.startFinished(succeeded: false)]
        case .restarting(.afterFailedJob):
            state = .crashed(respawnAt: nil)
            return []
        case .restarting(.scheduled):
            quickDeaths += 1
            state = .crashed(respawnAt: now + .seconds(min(10, 1 << min(quickDeaths, 4))))
            return [.logSpawnFailure(reason)]
        case .busy(let job):
            guard case .spawning(let respawnAt) = job.stage else { return [] }
            state = .crashed(respawnAt: respawnAt)
            return [.fail(.cannotStart(reason))]
        case .idle, .ready, .crashed, .stopped:
            return []
        }
    }

    /// The thread found the scheduled replacement due.
    mutating func respawnDue(at now: Instant) -> [Action] {
        guard case .crashed(let at?) = state, at <= now else { return [] }
        state = .restarting(.scheduled)
        return [.spawn]
    }

    /// The idle worker's stdout became readable or closed: it died, or wrote something it must
    /// not. Either way it is replaced.
    mutating func idleWorkerExited(at now: Instant) -> [Action] {
        guard case .ready(let worker) = state else { return [] }
        let respawnAt = diedWhileIdle(worker, at: now)
        state = .crashed(respawnAt: respawnAt)
        return [.reap(pid: worker.pid, kill: true, reason: .diedWhileIdle)]
    }

    // MARK: Events: a job

    /// A job of `frameBytes` bytes comes (`workerAlive`: the current worker, if any, shows no
    /// sign of death; `shutdownDeadline`: the stop asked for, if any).
    mutating func jobSubmitted(
        frameBytes: Int,
        at now: Instant,
        shutdownDeadline: Instant?,
        workerAlive: Bool
    ) -> [Action] {
        if let shutdownDeadline, shutdownDeadline <= now { return [.fail(.shutDown)] }
        switch state {
        case .ready(let worker) where workerAlive:
            let deadline = now + timeout
            state = .busy(
                Job(frameBytes: frameBytes, resent: false, stage: .writing(worker, written: 0, deadline: deadline))
            )
            return [.write(from: 0, deadline: deadline)]
        case .ready(let worker):
            // It died since it last answered: reaped and replaced first.
            let respawnAt = diedWhileIdle(worker, at: now)
            state = .busy(Job(frameBytes: frameBytes, resent: false, stage: .spawning(respawnAt: respawnAt)))
            return [.reap(pid: worker.pid, kill: true, reason: .diedWhileIdle), .spawn]
        case .crashed(let respawnAt):
            state = .busy(Job(frameBytes: frameBytes, resent: false, stage: .spawning(respawnAt: respawnAt)))
            return [.spawn]
        case .idle, .starting, .busy, .restarting, .stopped:
            return [.fail(.shutDown)]
        }
    }

    mutating func bytesWritten(_ count: Int, at now: Instant) -> [Action] {
        guard case .busy(var job) = state, case .writing(let worker, let written, let deadline) = job.stage else {
            return []
        }
        let total = written + count
        if total >= job.frameBytes {
            job.stage = .reading(worker, deadline: deadline)
            state = .busy(job)
            return [.readAnswer(deadline: deadline)]
        }
        job.stage = .writing(worker, written: total, deadline: deadline)
        state = .busy(job)
        return [.write(from: total, deadline: deadline)]
    }

    /// The worker's stdin closed before the whole job went in.
    mutating func stdinClosed(at now: Instant) -> [Action] {
        guard case .busy(let job) = state, case .writing(let worker, _, _) = job.stage else { return [] }
        // The worker never had the whole job, so it was not rendering it.
        if !job.resent { return resend(job, from: worker, at: now) }
        return crash(worker, .receivingJob)
    }

    /// A whole answer was read and decoded.
    mutating func answerRead(at now: Instant) -> [Action] {
        guard case .busy(let job) = state, case .reading(let worker, _) = job.stage else { return [] }
        quickDeaths = 0
        state = .ready(worker)
        return [.count(.jobs), .succeed]
    }

    /// The worker answered something that is not an answer (`what` it did).
    mutating func protocolBroken(_ what: String, at now: Instant) -> [Action] {
        guard case .busy(let job) = state, let worker = job.stage.worker else { return [] }
        state = .restarting(.afterFailedJob)
        return [
            .reap(pid: worker.pid, kill: true, reason: .brokeProtocol(what)), .count(.crashes), .spawn,
            .fail(.brokeProtocol(what)),
        ]
    }

    /// The worker's stdout closed while its answer was awaited (`unreadInput`: bytes of the job
    /// still in its stdin pipe, nil when unknown).
    mutating func workerExited(unreadInput: Int?, at now: Instant) -> [Action] {
        guard case .busy(let job) = state, case .reading(let worker, _) = job.stage else { return [] }
        if !job.resent, let unreadInput, unreadInput > 0 {
            // It died before it had read the whole job, so it was not rendering it: it was dying
            // already (killed while idle, just before the job's liveness check could see it).
            return resend(job, from: worker, at: now)
        }
        return crash(worker, .rendering)
    }

    /// The job's deadline passed.
    mutating func timedOut(at now: Instant) -> [Action] {
        guard case .busy(let job) = state, let worker = job.stage.worker else { return [] }
        state = .restarting(.afterFailedJob)
        return [.reap(pid: worker.pid, kill: true, reason: .timedOut), .count(.timeouts), .spawn, .fail(.timedOut)]
    }

    // MARK: Events: shutdown

    /// The shutdown deadline passed while a job was running: its worker is killed, not replaced.
    mutating func shutdownDeadlinePassed(at now: Instant) -> [Action] {
        guard case .busy(let job) = state, let worker = job.stage.worker else { return [] }
        state = .crashed(respawnAt: nil)
        return [.reap(pid: worker.pid, kill: true, reason: .shutdownDeadline), .fail(.shutDown)]
    }

    /// The slot stops between jobs (a running job watches the deadline itself: ignored then).
    mutating func shutdownRequested(deadline: Instant) -> [Action] {
        switch state {
        case .ready(let worker):
            state = .stopped
            return [.stopWorker(pid: worker.pid, deadline: deadline)]
        case .idle, .crashed:
            state = .stopped
            return []
        case .starting, .busy, .restarting, .stopped:
            return []
        }
    }

    // MARK: Rules shared by several events

    /// Reaps the worker that died with no job (or before reading all of one) and returns when
    /// its replacement is due: at once, unless replacements keep dying right after they start.
    private mutating func diedWhileIdle(_ worker: Worker, at now: Instant) -> Instant {
        quickDeaths = now - worker.started < .seconds(2) ? quickDeaths + 1 : 0
        if quickDeaths == 0 { return now }
        let seconds = min(10.0, 0.1 * pow(2.0, Double(quickDeaths - 1)))
        return now + .milliseconds(Int(seconds * 1000))
    }

    private mutating func resend(_ job: Job, from worker: Worker, at now: Instant) -> [Action] {
        let respawnAt = diedWhileIdle(worker, at: now)
        state = .busy(Job(frameBytes: job.frameBytes, resent: true, stage: .spawning(respawnAt: respawnAt)))
        return [.reap(pid: worker.pid, kill: true, reason: .diedWhileIdle), .spawn]
    }

    private mutating func crash(_ worker: Worker, _ moment: CrashMoment) -> [Action] {
        state = .restarting(.afterFailedJob)
        return [
            .reap(pid: worker.pid, kill: false, reason: .crashed(moment)), .count(.crashes), .spawn,
            .fail(.workerCrashed),
        ]
    }
}

extension WorkerSlotStateMachine.Stage {
    /// The worker the job is on (none while one is spawned for it).
    var worker: WorkerSlotStateMachine.Worker? {
        switch self {
        case .spawning: nil
        case .writing(let w, _, _), .reading(let w, _): w
        }
    }
}
