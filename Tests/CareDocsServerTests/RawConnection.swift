import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the live test server (loopback), for clients that misbehave: half a
/// request and a stall, a body one byte at a time. Blocking calls; run them with `offThread`.
final class RawConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32

    /// Connects to 127.0.0.1, else ::1 ("localhost" may be either).
    init(port: Int) throws {
        var v4 = sockaddr_in()
        v4.sin_family = sa_family_t(AF_INET)
        v4.sin_port = in_port_t(UInt16(port).bigEndian)
        v4.sin_addr.s_addr = inet_addr("127.0.0.1")
        if let fd = Self.connect(family: AF_INET, address: v4) {
            self.fd = fd
            return
        }
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = in_port_t(UInt16(port).bigEndian)
        v6.sin6_addr = in6addr_loopback
        guard let fd = Self.connect(family: AF_INET6, address: v6) else {
            throw Failure(description: "cannot connect to port \(port): errno \(errno)")
        }
        self.fd = fd
    }

    private static func connect<A>(family: Int32, address: A) -> Int32? {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = address
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<A>.size))
            }
        }
        if r != 0 {
            Glibc.close(fd)
            return nil
        }
        return fd
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n == bytes.count else { throw Failure(description: "send failed: errno \(errno)") }
    }

    /// Sends without complaint when the server has closed the connection; false then.
    func trySend(_ text: String) -> Bool { (try? send(text)) != nil }

    /// Closes our side.
    func shutdown() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    /// Whatever the server sends until it closes the connection (EOF or reset) or `within` runs
    /// out; `closed` says which.
    func readUntilClosed(within: Duration) -> (data: Data, closed: Bool) {
        let deadline = ContinuousClock.now + within
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16384)
        while ContinuousClock.now < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            let ms = Int32(
                max(1, min(200, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            )
            guard poll(&p, 1, ms) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return (data, true) }
            data.append(contentsOf: buffer[0..<n])
        }
        return (data, false)
    }

    /// Still open: nothing to read, or data but no end (looked at without waiting).
    var isOpen: Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return true }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0
    }
}
