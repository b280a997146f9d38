import Foundation

// Runs an async body to completion on the calling thread. GRDB hands out its connection only to
// a synchronous closure on its own queue; the store operations are async (they are written once
// for PostgreSQL too), so the SQLite seam runs them inside that closure with this executor.

/// A task executor whose jobs run on the thread that called `run`, until the body finishes.
/// SQLite statements never suspend, so a body usually runs as one job; were it to await
/// something elsewhere, it comes back to this thread to go on.
final class InlineExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on this thread and answers its result (or throws its error).
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let executor = InlineExecutor()
        let result = ResultBox<T>()
        Task(executorPreference: executor) {
            do { result.value = .success(try await body()) } catch { result.value = .failure(error) }
            executor.finish()
        }
        executor.drain()
        return try result.value!.get()
    }

    private func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs as they come until `finish`.
    private func drain() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// The result of a body run by `InlineExecutor` (written before `finish`, read after `drain`,
/// both under the executor's lock).
private final class ResultBox<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}
