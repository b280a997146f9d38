// The errors `RenderWorkerPool.render` throws when no worker answered a job (the worker
// crashed, hung, every worker was busy, or the pool is shutting down).

/// Why the pool could not get an answer from a worker. The server answers these with 500/503
/// and keeps serving: the worker is replaced.
public enum RenderWorkerPoolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The worker process died while rendering this job (signal or exit status given).
    case workerCrashed(String)
    /// The worker did not answer within the job timeout; it was killed and replaced.
    case timedOut
    /// Every worker is busy and the waiting line is full.
    case overloaded
    /// The pool is shutting down.
    case shutDown

    public var description: String {
        switch self {
        case .workerCrashed(let how): "the render worker stopped while rendering (\(how)); it has been restarted"
        case .timedOut: "the render worker did not answer in time; it has been restarted"
        case .overloaded: "every render worker is busy; try again shortly"
        case .shutDown: "the service is shutting down"
        }
    }
}
