import Foundation

/// Renders on all cores: one `Engine` per worker, each confined to its worker (C handles are
/// never shared between threads).
public final class RenderPool: @unchecked Sendable {
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
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            locks[w].lock()
            defer { locks[w].unlock() }
            let engine = engines[w]
            var i = w
            while i < documents.count {
                let r: Result<RenderResult, Error> = Result { try engine.render(documents[i]) }
                results.set(i, r)
                i += workers
            }
        }
        return results.values.map { $0! }
    }

    private final class ResultBox: @unchecked Sendable {
        var values: [Result<RenderResult, Error>?]
        let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<RenderResult, Error>) {
            lock.lock()
            values[i] = r
            lock.unlock()
        }
    }
}
