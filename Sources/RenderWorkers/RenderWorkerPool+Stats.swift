// What the render worker pool has done so far: the public snapshot (`RenderWorkerPoolStats`)
// and the counters the slot threads add to.

import Foundation

/// What the pool has done so far (a snapshot).
public struct RenderWorkerPoolStats: Sendable, Hashable, Codable {
    /// Worker slots (each runs one process at a time).
    public var size: Int
    /// Slots handed to a job right now.
    public var busy: Int
    /// Jobs waiting for a free slot.
    public var waiting: Int
    /// Replacement processes started (after a crash, a timeout, or a death while idle).
    public var restarts: Int
    /// Jobs a worker answered (any `RenderOutcome`).
    public var jobs: Int
    /// Jobs lost because their worker died (or broke the protocol) while rendering them.
    public var crashes: Int
    /// Jobs whose worker was killed for not answering in time.
    public var timeouts: Int

    public init(
        size: Int = 0,
        busy: Int = 0,
        waiting: Int = 0,
        restarts: Int = 0,
        jobs: Int = 0,
        crashes: Int = 0,
        timeouts: Int = 0
    ) {
        self.size = size
        self.busy = busy
        self.waiting = waiting
        self.restarts = restarts
        self.jobs = jobs
        self.crashes = crashes
        self.timeouts = timeouts
    }
}

/// Counters shared by the pool and its slot threads.
final class Counters: @unchecked Sendable {
    private let lock = NSLock()
    private var value = RenderWorkerPoolStats()

    func add(_ change: (inout RenderWorkerPoolStats) -> Void) { lock.withLock { change(&value) } }
    func snapshot() -> RenderWorkerPoolStats { lock.withLock { value } }
}
