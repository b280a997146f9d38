// The wire format between the pool and its workers (length-prefixed JSON frames) and the
// blocking frame reads and writes the worker process uses.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wire format between the pool and its workers: each message is a 4-byte big-endian length
/// followed by that many bytes of payload. A `RenderJob` goes down the worker's stdin, one
/// `RenderOutcome` comes back on its stdout, in order.
///
/// The payload is JSON with its `Data` values carried after it as raw bytes (a PDF of 170 KB
/// as base64 inside JSON cost the server more to decode than a letter costs to lay out):
/// `[4-byte JSON length][JSON][4-byte attachment count][4-byte length of each][bytes of each]`,
/// each `Data` in the JSON written as the index of its attachment.
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

    /// The `Data` values of one message, in the order the encoder met them.
    private final class Attachments: @unchecked Sendable {
        var items: [Data] = []
    }

    /// The payload is not a framed message (`decode`).
    public struct PayloadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The frame for one value: length prefix + payload (JSON, then its `Data` values).
    public static func frame<T: Encodable>(_ value: T) throws -> Data {
        let attachments = Attachments()
        let encoder = JSONEncoder()
        encoder.dataEncodingStrategy = .custom { data, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(attachments.items.count)
            attachments.items.append(data)
        }
        let json = try encoder.encode(value)
        let total = 4 + json.count + 4 + 4 * attachments.items.count + attachments.items.reduce(0) { $0 + $1.count }
        guard total <= maxFrameBytes else { throw FrameError.tooLarge(total) }
        var out = Data(capacity: 4 + total)
        func append(_ n: Int) {
            let n = UInt32(n)
            out.append(contentsOf: [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)])
        }
        append(total)
        append(json.count)
        out.append(json)
        append(attachments.items.count)
        for item in attachments.items { append(item.count) }
        for item in attachments.items { out.append(item) }
        return out
    }

    /// The value of a payload `frame` made (after `readFrame`).
    public static func decode<T: Decodable>(_ type: T.Type, from payload: Data) throws -> T {
        let bytes = [UInt8](payload)
        var position = 0
        func number() throws -> Int {
            guard position + 4 <= bytes.count else { throw PayloadError(description: "the payload ends early") }
            defer { position += 4 }
            return length(Array(bytes[position..<position + 4]))
        }
        let jsonCount = try number()
        guard position + jsonCount <= bytes.count else {
            throw PayloadError(description: "the JSON runs past the payload")
        }
        let json = payload.subdata(in: position..<position + jsonCount)
        position += jsonCount
        let count = try number()
        guard count <= (bytes.count - position) / 4 else { throw PayloadError(description: "too many attachments") }
        var lengths: [Int] = []
        for _ in 0..<count { lengths.append(try number()) }
        var attachments: [Data] = []
        for n in lengths {
            guard position + n <= bytes.count else {
                throw PayloadError(description: "an attachment runs past the payload")
            }
            attachments.append(payload.subdata(in: position..<position + n))
            position += n
        }
        guard position == bytes.count else { throw PayloadError(description: "bytes after the last attachment") }
        let decoder = JSONDecoder()
        decoder.dataDecodingStrategy = .custom { decoder in
            let index = try decoder.singleValueContainer().decode(Int.self)
            guard attachments.indices.contains(index) else {
                throw PayloadError(description: "no attachment \(index)")
            }
            return attachments[index]
        }
        return try decoder.decode(type, from: json)
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
