// The wire format between the pool and its workers (length-prefixed JSON frames) and the
// blocking frame reads and writes the worker process uses.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wire format between the pool and its workers: each message is a 4-byte big-endian length
/// followed by that many bytes of JSON (`JSONEncoder` defaults: `Data` as base64). A `RenderJob`
/// goes down the worker's stdin, one `RenderOutcome` comes back on its stdout, in order.
public enum RenderFraming {
    /// Frames larger than this are refused on both sides (64 MiB).
    public static let maxFrameBytes = 64 << 20

    public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The stream ended inside a frame (after `received` of `expected` bytes).
        case truncated(received: Int, expected: Int)
        /// The announced length is over `maxFrameBytes`.
        case tooLarge(Int)
        /// A read or write failed (errno).
        case io(operation: String, errno: Int32)

        public var description: String {
            switch self {
            case .truncated(let received, let expected):
                "the stream ended inside a frame (\(received) of \(expected) bytes)"
            case .tooLarge(let n): "a frame of \(n) bytes is over the \(RenderFraming.maxFrameBytes)-byte limit"
            case .io(let op, let e): "\(op) failed: \(String(cString: strerror(e)))"
            }
        }
    }

    /// The frame for one value: length prefix + JSON.
    public static func frame<T: Encodable>(_ value: T) throws -> Data {
        let json = try JSONEncoder().encode(value)
        guard json.count <= maxFrameBytes else { throw FrameError.tooLarge(json.count) }
        var out = Data(capacity: 4 + json.count)
        let n = UInt32(json.count)
        out.append(contentsOf: [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)])
        out.append(json)
        return out
    }

    /// The payload length announced by a 4-byte header.
    static func length(_ header: [UInt8]) -> Int {
        Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
    }

    // MARK: Blocking IO (worker side, and the pool's dedicated threads)

    /// Reads exactly `count` bytes; returns how many were read before end of file.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n > 0 {
                done += n
            } else if n == 0 {
                return done
            } else if errno == EINTR {
                continue
            } else {
                throw FrameError.io(operation: "read", errno: errno)
            }
        }
        return done
    }

    /// One frame's payload from a blocking descriptor; nil at end of file on a frame boundary.
    /// An oversized frame is skipped (its bytes read and dropped) and reported as `tooLarge`,
    /// so the stream stays in step.
    public static func readFrame(from fd: Int32) throws -> Data? {
        var header = [UInt8](repeating: 0, count: 4)
        let got = try header.withUnsafeMutableBytes { try readFully(fd, into: $0) }
        if got == 0 { return nil }
        guard got == 4 else { throw FrameError.truncated(received: got, expected: 4) }
        let count = length(header)
        guard count <= maxFrameBytes else {
            var left = count
            var scratch = [UInt8](repeating: 0, count: 1 << 16)
            while left > 0 {
                let n = try scratch.withUnsafeMutableBytes {
                    try readFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<min(left, $0.count)]))
                }
                if n == 0 { break }
                left -= n
            }
            throw FrameError.tooLarge(count)
        }
        var payload = Data(count: count)
        let n = try payload.withUnsafeMutableBytes { try readFully(fd, into: $0) }
        guard n == count else { throw FrameError.truncated(received: n, expected: count) }
        return payload
    }

    /// Writes every byte to a blocking descriptor (partial writes and EINTR handled; EPIPE
    /// thrown as `.io`).
    public static func writeAll(_ data: Data, to fd: Int32) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n >= 0 {
                    done += n
                } else if errno == EINTR {
                    continue
                } else {
                    throw FrameError.io(operation: "write", errno: errno)
                }
            }
        }
    }
}
