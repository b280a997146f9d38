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
    /// Stored record versions already parsed and validated (`DocumentService.latest`).
    let parsedRecords = ParsedRecordCache(limit: 256)
    /// The password checks sign-ins run (at most `maxPasswordChecks` at once).
    let passwordChecks: PasswordChecks
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
        passwordChecks = PasswordChecks(limit: settings.maxPasswordChecks, wait: settings.passwordCheckWait)
    }

    var now: Date { clock() }

    /// Password checks run by sign-ins so far: against users' hashes, and against the decoy.
    public var passwordCheckCounts: (verified: Int, decoys: Int) { passwordChecks.counts }
}
