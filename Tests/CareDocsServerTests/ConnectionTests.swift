import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The live server's connections: slow clients, the connection cap, TLS.
@Suite("Connections: timeouts, cap, TLS", .serialized)
struct ConnectionTests {
    @Test(
        "50 clients that send half a request and stall: the ED page still answers at once; they are closed after the idle timeout"
    )
    func slowHeads() async throws {
        let service = try await TestService(workers: 1) {
            $0.idleTimeout = .seconds(6)
            $0.readTimeout = .seconds(6)
            $0.maxConnections = 100
        }
        try await service.run(.live, served: true) { _, client in
            let port = try #require(client.port)
            var b = Browser(client: client)
            _ = try await b.signIn("ed1")
            let session = try #require(b.cookies["caredocs_session"])
            let stalledAt = ContinuousClock.now
            let stalled = try await offThread {
                try (0..<50).map { i in
                    let c = try RawConnection(port: port)
                    try c.send("GET /ed HTTP/1.1\r\nHost: localhost\r\nX-Slow-\(i): ")
                    return c
                }
            }
            // A new connection of an ED user is answered at once.
            let start = ContinuousClock.now
            let answer = try await offThread {
                let c = try RawConnection(port: port)
                try c.send(
                    "GET /ed HTTP/1.1\r\nHost: localhost\r\nCookie: caredocs_session=\(session)\r\nConnection: close\r\n\r\n"
                )
                return c.readUntilClosed(within: .seconds(10))
            }
            let elapsed = ContinuousClock.now - start
            let text = String(decoding: answer.data, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200"), "\(text.prefix(200))")
            #expect(text.contains("Emergency lookup"))
            #expect(elapsed < .seconds(4), "the ED page took \(elapsed)")
            // The stalled ones were still open then (the idle timeout had not run out) …
            if ContinuousClock.now - stalledAt < .seconds(5) {
                let open = stalled.filter(\.isOpen).count
                #expect(open == 50)
            }
            // … and are closed after it.
            let closed = try await offThread {
                stalled.map { $0.readUntilClosed(within: .seconds(20) - (ContinuousClock.now - stalledAt)).closed }
            }
            let waited = ContinuousClock.now - stalledAt
            #expect(closed.allSatisfy { $0 }, "\(closed.filter { !$0 }.count) of 50 still open after \(waited)")
            #expect(waited >= .seconds(5), "closed after \(waited), before the idle timeout")
        }
    }

    @Test("a request body that trickles in is cut off after the read timeout, though bytes keep coming")
    func slowBody() async throws {
        let service = try await TestService(workers: 1) {
            $0.idleTimeout = .seconds(3)
            $0.readTimeout = .seconds(3)
        }
        try await service.run(.live, served: true) { s, client in
            let port = try #require(client.port)
            let token = try #require(s.tokens[.ed])
            let (closed, after) = try await offThread {
                let c = try RawConnection(port: port)
                try c.send(
                    "POST /v1/members/search HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"
                )
                let start = ContinuousClock.now
                // A byte every half second: never idle, never done.
                while ContinuousClock.now - start < .seconds(15) {
                    if !c.isOpen || !c.trySend(" ") { return (true, ContinuousClock.now - start) }
                    Thread.sleep(forTimeInterval: 0.5)
                }
                return (!c.isOpen, ContinuousClock.now - start)
            }
            #expect(closed, "still open after \(after)")
            #expect(after >= .seconds(2) && after < .seconds(10), "closed after \(after)")
        }
    }

    @Test("connections beyond the cap are closed as they arrive; room again once one closes")
    func connectionCap() async throws {
        let service = try await TestService(workers: 1) {
            $0.maxConnections = 4
            $0.idleTimeout = .seconds(60)
        }
        try await service.run(.live, served: true) { _, client in
            let port = try #require(client.port)
            // The test client's connection is the first.
            try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
            let held = try await offThread {
                try (0..<3).map { _ in
                    let c = try RawConnection(port: port)
                    try c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    _ = c.readUntilClosed(within: .milliseconds(300))
                    return c
                }
            }
            let open = held.filter(\.isOpen).count
            #expect(open == 3)
            let refused = try await offThread {
                let c = try RawConnection(port: port)
                _ = c.trySend("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                return c.readUntilClosed(within: .seconds(5))
            }
            #expect(refused.closed)
            #expect(refused.data.isEmpty, "\(String(decoding: refused.data, as: UTF8.self).prefix(100))")
            held[0].shutdown()
            let served = try await offThread {
                let deadline = ContinuousClock.now + .seconds(5)
                while ContinuousClock.now < deadline {
                    let c = try RawConnection(port: port)
                    _ = c.trySend("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    let r = c.readUntilClosed(within: .seconds(3))
                    if !r.data.isEmpty { return String(decoding: r.data, as: UTF8.self) }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                return ""
            }
            #expect(served.hasPrefix("HTTP/1.1 200"))
        }
    }

    /// A throwaway self-signed certificate for localhost (openssl).
    static func certificate(in folder: URL) throws -> (certificate: String, key: String) {
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", "-keyout", key, "-out", cert,
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "openssl req failed")
        return (cert, key)
    }

    @Test("TLS: HTTPS with Strict-Transport-Security on every answer; plain HTTP on the TLS port gets nothing")
    func tls() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (cert, key) = try Self.certificate(in: folder)
        let service = try await TestService(workers: 1) {
            $0.tlsCertificate = cert
            $0.tlsKey = key
        }
        try await service.run(.ahc(.https), served: true) { s, client in
            let hsts = "max-age=31536000; includeSubDomains"
            for (uri, status) in [
                ("/healthz", HTTPResponse.Status.ok), ("/login", .ok), ("/v1/me", .unauthorized),
                ("/v1/records/\(TestService.rivera)", .unauthorized), ("/no/such/page", .notFound),
            ] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == status, "\(uri)")
                    #expect(r.headers[.strictTransportSecurity] == hsts, "\(uri)")
                }
            }
            try await client.execute(uri: "/v1/me", method: .get, headers: s.headers(.ed)) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.strictTransportSecurity] == hsts)
            }
            let port = try #require(client.port)
            let plain = try await offThread {
                let c = try RawConnection(port: port)
                _ = c.trySend("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                return c.readUntilClosed(within: .seconds(5))
            }
            #expect(!String(decoding: plain.data, as: UTF8.self).contains("HTTP/1.1 200"))
        }
        // Without TLS: no HSTS (it would pin browsers to an HTTPS that is not there).
        try await TestService.with { _, client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.headers[.strictTransportSecurity] == nil)
            }
        }
    }

    @Test("TLS: a certificate that cannot be read stops the server from starting, with the reason")
    func tlsBadFiles() async throws {
        let s = try await TestService(workers: 1) {
            $0.tlsCertificate = "/nonexistent/cert.pem"
            $0.tlsKey = "/nonexistent/key.pem"
        }
        do {
            _ = try s.served()
            Issue.record("the server was built with a certificate that does not exist")
        } catch {
            #expect("\(error)".contains("cannot read the TLS certificate /nonexistent/cert.pem"), "\(error)")
        }
        await s.close()
    }
}
