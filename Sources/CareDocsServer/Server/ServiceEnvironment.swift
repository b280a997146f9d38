import Deadlines
import Foundation
import Logging
import RenderWorkers

/// Everything the routes share: settings, the store, the render pool, metrics, throttling and
/// the mailroom batches this node is making.
public final class ServiceEnvironment: Sendable {
    public let settings: ServerSettings
    public let store: any DeadlineStore & AccessStore
    public let pool: RenderWorkerPool
    public let metrics: ServiceMetrics
    public let batches: BatchRunner
    let renderCache: RenderCache
    let clock: @Sendable () -> Date

    public init(
        settings: ServerSettings,
        store: any DeadlineStore & AccessStore,
        pool: RenderWorkerPool,
        metrics: ServiceMetrics = ServiceMetrics(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.store = store
        self.pool = pool
        self.metrics = metrics
        self.clock = clock
        batches = BatchRunner(settings: settings)
        renderCache = RenderCache(maxBytes: settings.renderCacheBytes)
    }

    var now: Date { clock() }
}
