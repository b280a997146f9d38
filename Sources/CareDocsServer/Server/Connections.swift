import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// How the service's connections are made: HTTP/1.1, over TLS when a certificate is given, with
/// the three limits that keep slow or idle clients from holding the server:
///
/// - **idle timeout** (`HTTP1Channel`'s own): a connection with no request in progress is closed
///   after `idleTimeout` without a complete request head — between keep-alive requests, and while
///   a client sends half a head and stalls (the head counts only once it is whole);
/// - **read timeout** (`RequestReadTimeoutHandler`): a request's body must have arrived within
///   `readTimeout` of its head, however slowly it trickles in;
/// - **connection cap** (`ConnectionCapChannel`): at most `maxConnections` open; connections
///   beyond are closed as they arrive.
enum ServerChannels {
    static func builder(_ settings: ServerSettings, logger: Logger) throws -> HTTPServerBuilder {
        let tls = try settings.tlsCertificate.map { try tlsConfiguration(certificate: $0, key: settings.tlsKey) }
        let counter = ConnectionCounter(limit: settings.maxConnections, logger: logger)
        let idle = TimeAmount(settings.idleTimeout)
        let read = TimeAmount(settings.readTimeout)
        return HTTPServerBuilder { responder in
            let http = HTTP1Channel(
                responder: responder,
                configuration: .init(
                    additionalChannelHandlers: [RequestReadTimeoutHandler(timeout: read)],
                    idleTimeout: idle
                )
            )
            if let tls {
                return ConnectionCapChannel(base: try TLSChannel(http, tlsConfiguration: tls), counter: counter)
            }
            return ConnectionCapChannel(base: http, counter: counter)
        }
    }

    /// The server's TLS configuration from PEM files (TLS 1.2 at least).
    static func tlsConfiguration(certificate: String, key: String?) throws -> TLSConfiguration {
        guard let key else { throw ServerSetupError("--tls-certificate needs --tls-key") }
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw ServerSetupError("cannot read the TLS certificate \(certificate): \(error)")
        }
        guard !chain.isEmpty else { throw ServerSetupError("no certificate in \(certificate)") }
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ServerSetupError("cannot read the TLS private key \(key): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}

/// A setting the server cannot start with.
public struct ServerSetupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Open connections, shared by every connection of one server.
final class ConnectionCounter: Sendable {
    let limit: Int
    let logger: Logger
    /// (open, refusing): `refusing` logs the first refusal of a run of them only.
    private let state = NIOLockedValueBox((open: 0, refusing: false))

    init(limit: Int, logger: Logger) {
        self.limit = max(1, limit)
        self.logger = logger
    }

    /// Counts a new connection if there is room.
    func open() -> Bool {
        let (admitted, firstRefusal) = state.withLockedValue { s -> (Bool, Bool) in
            if s.open < limit {
                s.open += 1
                s.refusing = false
                return (true, false)
            }
            defer { s.refusing = true }
            return (false, !s.refusing)
        }
        if firstRefusal {
            logger.warning("connection limit reached: new connections are closed", metadata: ["limit": "\(limit)"])
        }
        return admitted
    }

    func close() { state.withLockedValue { $0.open -= 1 } }

    var count: Int { state.withLockedValue { $0.open } }
}

/// Closes connections beyond the cap as they arrive (after setting them up as usual, so that the
/// server's accept loop sees nothing unusual); counted connections are uncounted when they close.
struct ConnectionCapChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let counter: ConnectionCounter

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let counter = counter
        guard counter.open() else {
            return base.setup(channel: channel, logger: logger).map { value in
                channel.close(promise: nil)
                return value
            }
        }
        channel.closeFuture.whenComplete { _ in counter.close() }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Closes the connection when a request's body has not fully arrived `timeout` after its head
/// (the idle timeout does not see a body that trickles in: every piece counts as activity).
final class RequestReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP1Channel.Value.InboundPart
    typealias InboundOut = HTTP1Channel.Value.InboundPart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                loopBound.value.close(promise: nil)
            }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension RequestReadTimeoutHandler: Sendable {}

/// Names what an async channel reads (for HTTP1Channel: a request head, body piece or end).
protocol AsyncChannelParts {
    associatedtype InboundPart
}

extension NIOAsyncChannel: AsyncChannelParts {
    typealias InboundPart = Inbound
}

/// `Strict-Transport-Security` on every answer (only added when the server speaks TLS).
struct HSTSMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let value: String

    func handle(
        _ request: Request,
        context: AppContext,
        next: (Request, AppContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.strictTransportSecurity] = value
        return response
    }
}
