import Foundation

/// Renders on all cores in one process: a thread per worker, each with its own `Engine` (C
/// handles are never shared between threads). Cairo itself is serialized in a process; for
/// real parallel rendering the service uses worker processes (`RenderWorkers`).
public final class EnginePool: @unchecked Sendable {
    public let workers: Int
    private let engines: [Engine]
    private let locks: [NSLock]

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, manifest: FontManifest) throws {
        self.workers = max(1, workers)
        engines = try (0..<max(1, workers)).map { _ in try Engine(manifest: manifest) }
        locks = (0..<max(1, workers)).map { _ in NSLock() }
    }

    /// Renders every document; results in input order.
    public func render(_ documents: [Document]) -> [Result<RenderResult, Error>] {
        let results = ResultBox(count: documents.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            locks[worker].lock()
            defer { locks[worker].unlock() }
            let engine = engines[worker]
            var documentIndex = worker
            while documentIndex < documents.count {
                let result: Result<RenderResult, Error> = Result { try engine.render(documents[documentIndex]) }
                results.set(documentIndex, result)
                documentIndex += workers
            }
        }
        return results.values.map { $0! }
    }

    private final class ResultBox: @unchecked Sendable {
        var values: [Result<RenderResult, Error>?]
        let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<RenderResult, Error>) {
            lock.lock()
            values[index] = result
            lock.unlock()
        }
    }
}
