import CaresDocuments
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

@testable import Deadlines
@testable import Mailroom

/// A local HTTP server answering each POST with the next status of `script` (then 200),
/// keeping the bodies it received.
final class ScriptedServer: Sendable {
    let received = Mutex<[(status: Int, body: Data, idempotencyKey: String?)]>([])
    let script: [Int]
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channel: Mutex<Channel?> = Mutex(nil)

    init(script: [Int]) { self.script = script }

    var port: Int { channel.withLock { $0!.localAddress!.port! } }

    func start() async throws {
        let ch = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(server: self))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channel.withLock { $0 = ch }
    }

    func stop() async throws {
        try await channel.withLock { $0 }?.close()
        try await group.shutdownGracefully()
    }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: ScriptedServer
        var body = Data()
        var key: String?
        init(server: ScriptedServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                body = Data()
                key = head.headers.first(name: "Idempotency-Key")
            case .body(var buffer):
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
                let status = server.received.withLock { r -> Int in
                    let s = r.count < server.script.count ? server.script[r.count] : 200
                    r.append((s, body, key))
                    return s
                }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "0")
                context.write(
                    wrapOutboundOut(
                        .head(
                            HTTPResponseHead(
                                version: .http1_1,
                                status: HTTPResponseStatus(statusCode: status),
                                headers: headers
                            )
                        )
                    ),
                    promise: nil
                )
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

@Suite("Webhook channel")
struct WebhookTests {
    func envelope() -> DeliveryEnvelope {
        DeliveryEnvelope(
            obligationId: "R-1/enrollment-letter",
            recordId: "R-1",
            recordVersion: 1,
            kind: "enrollment-letter",
            language: "es",
            attempt: 1,
            recipients: [.init(name: "A", email: "a@example.com")],
            pdfFile: "x.pdf",
            pdfSHA256: "abc",
            createdAt: "t"
        )
    }

    @Test func retriesWithBackoffUntilSuccess() async throws {
        let server = ScriptedServer(script: [503, 500, 429])
        try await server.start()
        let channel = WebhookChannel(
            url: "http://127.0.0.1:\(server.port)/deliveries",
            attempts: 5,
            initialDelay: .milliseconds(10)
        )
        try await channel.deliver(envelope(), pdf: Data("%PDF".utf8))
        let received = server.received.withLock { $0 }
        #expect(received.map(\.status) == [503, 500, 429, 200])
        #expect(received.allSatisfy { $0.idempotencyKey == "R-1/enrollment-letter/abc" })
        let json = try JSONSerialization.jsonObject(with: received.last!.body) as! [String: Any]
        #expect(json["pdfBase64"] as? String == Data("%PDF".utf8).base64EncodedString())
        #expect((json["envelope"] as? [String: Any])?["obligationId"] as? String == "R-1/enrollment-letter")
        try await server.stop()
    }

    @Test func givesUpAndAClientErrorIsFinal() async throws {
        let server = ScriptedServer(script: [500, 500, 500, 400])
        try await server.start()
        let retried = WebhookChannel(
            url: "http://127.0.0.1:\(server.port)/",
            attempts: 3,
            initialDelay: .milliseconds(5)
        )
        await #expect(throws: WebhookChannel.Failure.self) { try await retried.deliver(envelope(), pdf: Data()) }
        #expect(server.received.withLock { $0.count } == 3)
        await #expect(throws: WebhookChannel.Failure.self) { try await retried.deliver(envelope(), pdf: Data()) }
        #expect(server.received.withLock { $0.count } == 4)  // 400: not retried
        try await server.stop()
    }

    @Test("sent through the webhook and recorded; a dead endpoint is recorded as failed", arguments: StoreKind.allCases)
    func recorded(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.importRecord(fullRecord().data, actor: actor, now: noon("2026-11-20"))
            let folder = temporaryFolder()
            let pdf = Data("%PDF-1.7".utf8)
            try pdf.write(to: folder.appendingPathComponent("a.pdf"))
            var r = rendition()
            r.pdfSHA256 = sha256Hex(pdf)
            r.pdfPath = folder.appendingPathComponent("a.pdf").path
            try await store.apply(.rendered(r), to: "R-1/enrollment-letter", actor: actor, now: noon("2026-11-21"))
            let dead = WebhookChannel(
                url: "http://127.0.0.1:9/",
                attempts: 2,
                initialDelay: .milliseconds(5),
                timeout: .milliseconds(300)
            )
            #expect(
                await refusal {
                    try await ElectronicDelivery.send(
                        "R-1/enrollment-letter",
                        store: store,
                        channel: dead,
                        actor: actor,
                        date: day("2026-11-21")
                    )
                } != nil
            )
            #expect(try #require(try await store.detail("R-1/enrollment-letter")).obligation.electronic == .failed)
            let server = ScriptedServer(script: [502])
            try await server.start()
            let live = WebhookChannel(
                url: "http://127.0.0.1:\(server.port)/",
                attempts: 3,
                initialDelay: .milliseconds(5)
            )
            let o = try await ElectronicDelivery.send(
                "R-1/enrollment-letter",
                store: store,
                channel: live,
                actor: actor,
                date: day("2026-11-22")
            )
            #expect(o.electronic == .sent)
            try await server.stop()
        }
    }
}
