// The one place a worker slot's thread and the pool's tasks meet: the job handed over (with the
// continuation that gets its answer), the shutdown deadline, the wake pipe that interrupts the
// thread's `poll`, and what the thread publishes back (its worker's pid, start and stop).

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything here is under `lock`, except the wake pipe (written and drained without it).
final class WorkerMailbox: @unchecked Sendable {
    typealias Delivery = (job: RenderJob, continuation: CheckedContinuation<RenderOutcome, Error>)

    private let lock = NSLock()
    private var pending: Delivery?
    private var stopDeadlineValue: ContinuousClock.Instant?
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    private var startContinuation: CheckedContinuation<Error?, Never>?
    private var publishedPID: pid_t?
    /// Written to (one byte) to wake the thread from `poll`.
    let wakeRead: Int32
    private let wakeWrite: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        guard LinuxCalls.pipe2(&fds, O_CLOEXEC | O_NONBLOCK) == 0 else {
            fatalError("render pool: cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    // MARK: From the pool

    /// Leaves a job for the thread; false when the slot is stopping or already has one.
    func deliver(_ delivery: Delivery) -> Bool {
        let accepted: Bool = lock.withLock {
            guard !stopped, stopDeadlineValue == nil, pending == nil else { return false }
            pending = delivery
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Asks the thread to stop (the first deadline asked for stays).
    func requestStop(deadline: ContinuousClock.Instant) {
        lock.withLock { if stopDeadlineValue == nil { stopDeadlineValue = deadline } }
        wake()
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done: Bool = lock.withLock {
                if stopped { return true }
                stopWaiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }

    func expectStart(_ continuation: CheckedContinuation<Error?, Never>) {
        lock.withLock { startContinuation = continuation }
    }

    var pid: pid_t? { lock.withLock { publishedPID } }

    // MARK: From the slot thread

    /// The job left for the thread (taken out of the mailbox) and whether a stop was asked for.
    func take() -> (delivery: Delivery?, stopDeadline: ContinuousClock.Instant?) {
        lock.withLock {
            defer { pending = nil }
            return (pending, stopDeadlineValue)
        }
    }

    var stopDeadline: ContinuousClock.Instant? { lock.withLock { stopDeadlineValue } }

    func publish(pid: pid_t?) { lock.withLock { publishedPID = pid } }

    func started(_ error: Error?) {
        let c = lock.withLock { () -> CheckedContinuation<Error?, Never>? in
            defer { startContinuation = nil }
            return startContinuation
        }
        c?.resume(returning: error)
    }

    func markStopped() {
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            stopped = true
            defer { stopWaiters = [] }
            return stopWaiters
        }
        for w in waiters { w.resume() }
    }

    // MARK: The wake pipe

    func wake() {
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)  // EAGAIN: the pipe is full, the thread will wake anyway
    }

    func drainWake() {
        var buf = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buf, buf.count) > 0 {}
    }
}
