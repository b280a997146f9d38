import Deadlines
import Foundation
import Hummingbird
import Logging
import RenderWorkers

/// Builds and runs the service: the router with its middleware and routes, the render pool, the
/// store; graceful shutdown on SIGTERM/SIGINT (in-flight requests finish, workers are stopped,
/// the store is closed).
public enum CareDocsApp {
    /// The router with every route, and the route list (for tests and the OpenAPI check).
    public static func router(_ env: ServiceEnvironment) -> (Router<AppContext>, [RouteSpec]) {
        let router = Router(context: AppContext.self)
        if env.settings.tlsEnabled {
            router.add(middleware: HSTSMiddleware(value: "max-age=\(env.settings.hstsMaxAge); includeSubDomains"))
        }
        router.add(middleware: RequestLogMiddleware(metrics: env.metrics))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(env: env))
        let table = RouteTable(router: router)
        APIRoutes(env: env).register(table)
        AuthPages(env: env).register(table)
        CoordinatorPages(env: env).register(table)
        EditorPages(env: env).register(table)
        VersionPages(env: env).register(table)
        MailroomPages(env: env).register(table)
        EDPages(env: env).register(table)
        TranslationRoutes(env: env).register(table)
        TranslatorPages(env: env).register(table)
        return (router, table.specs)
    }

    /// The application as `caredocs serve` runs it: HTTP/1.1 (over TLS when the settings name a
    /// certificate) with the idle and read timeouts and the connection cap of the settings.
    public static func application(_ env: ServiceEnvironment, logger: Logger) throws -> some ApplicationProtocol {
        let (router, _) = router(env)
        return Application(
            router: router,
            server: try ServerChannels.builder(env.settings, logger: logger),
            configuration: .init(
                address: .hostname(env.settings.host, port: env.settings.port),
                serverName: "CareDocs"
            ),
            logger: logger
        )
    }

    /// Opens the store, starts the render workers, serves until SIGTERM/SIGINT, then stops the
    /// workers and closes the store.
    public static func run(_ settings: ServerSettings, logger: Logger) async throws {
        let store = try await openServiceStore(settings.database)
        let pool = RenderWorkerPool(
            executable: settings.workerExecutable,
            size: settings.renderWorkers,
            environment: settings.workerEnvironment.isEmpty
                ? nil : ProcessInfo.processInfo.environment.merging(settings.workerEnvironment) { $1 },
            timeout: settings.renderTimeout
        )
        do {
            try await pool.start()
            let env = ServiceEnvironment(settings: settings, store: store, pool: pool)
            try await store.deleteExpiredSessions(now: Date())
            logger.info(
                "CareDocs serving",
                metadata: [
                    "address": "\(settings.host):\(settings.port)", "workers": "\(settings.renderWorkers)",
                    "database": "\(settings.database.hasPrefix("postgres") ? "postgresql" : "sqlite")",
                    "tls": "\(settings.tlsEnabled ? "on" : "off")", "maxConnections": "\(settings.maxConnections)",
                ]
            )
            try await application(env, logger: logger).runService()
        } catch {
            await pool.shutdown()
            try? await store.close()
            throw error
        }
        logger.info("CareDocs stopping: render workers and database")
        await pool.shutdown()
        try await store.close()
    }
}
