import CZlib
import Foundation
import Testing

@testable import Typesetting

/// Reading the stored streams Cairo writes at level 0 (`Flate.storedContents`), and zlib for
/// everything else.
@Suite struct FlateTests {
    static func zlib(_ bytes: [UInt8], level: Int32) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = compress2(&out, &length, bytes, uLong(bytes.count), level)
        precondition(status == Z_OK)
        return Array(out.prefix(Int(length)))
    }

    /// Empty, small, exactly one block, several blocks (zlib's stored blocks hold at most
    /// 65,535 bytes): the bytes come back, without zlib, and the same as zlib's inflate.
    @Test func storedStreamsAreReadBack() throws {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 100, 65_535, 65_536, 200_000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let stored = Self.zlib(bytes, level: 0)
            #expect(Flate.isStored(stored[...]))
            #expect(Flate.storedContents(stored[...]) == bytes, "\(size) bytes")
            #expect(try Flate.inflate(stored[...]) == bytes)
        }
    }

    /// A damaged stored stream is not read as stored (wrong checksum, wrong length, cut short,
    /// bytes after the end); zlib then refuses it, as before.
    @Test func damagedStoredStreamsAreRefused() throws {
        let bytes = Array("BT /F1 11 Tf (Hello) Tj ET".utf8)
        let stored = Self.zlib(bytes, level: 0)
        var checksum = stored
        checksum[checksum.count - 1] ^= 1
        var length = stored
        length[3] ^= 1
        for damaged in [checksum, length, Array(stored.dropLast(2)), stored + [0]] {
            #expect(Flate.storedContents(damaged[...]) == nil)
        }
        #expect(throws: (any Error).self) { try Flate.inflate(checksum[...]) }
        // A compressed stream is not stored, and inflates through zlib.
        let compressed = Self.zlib(bytes, level: 6)
        #expect(Flate.storedContents(compressed[...]) == nil)
        #expect(try Flate.inflate(compressed[...]) == bytes)
    }

    /// The file identifier is what zlib's checksums formatted with `String(format:)` gave.
    @Test func fileIdentifierIsZlibsChecksums() {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 7, 1_000, 123_457] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let half = size / 2
            let (crc, adler, crcHalf) = bytes.withUnsafeBufferPointer { b in
                (
                    UInt(crc32_z(0, b.baseAddress, b.count)), UInt(adler32_z(1, b.baseAddress, b.count)),
                    UInt(crc32_z(0, b.baseAddress.map { $0 + half }, b.count - half))
                )
            }
            let hex = String(format: "%08lX%08lX%08lX%08X", crc, adler, crcHalf, UInt32(size))
            #expect(PDFPostProcessor.fileIdentifier(bytes) == "[<\(hex)> <\(hex)>]")
        }
    }

    /// A stream compressed a second time is kept, and a third time comes from the kept bytes:
    /// the same bytes as compressing it again. A stream of the same length and other bytes is
    /// compressed on its own.
    @Test func streamsSeenBeforeAreNotCompressedAgain() throws {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<4_000).map { _ in ["BT", "ET", "Tj", "0 0 Td", "/F1 11 Tf"].randomElement(using: &generator)! }
        let bytes = Array(words.joined(separator: " ").utf8)
        let stored = Self.zlib(bytes, level: 0)
        let fresh = try Flate.deflate(bytes, level: 1)
        let before = Flate.Recent.hits
        for _ in 0..<3 { #expect(try Flate.recompressed(stored[...], level: 1) == fresh) }
        #expect(Flate.Recent.hits >= before + 1)
        var other = bytes
        other[other.count / 2] = UInt8(ascii: "#")
        #expect(try Flate.recompressed(Self.zlib(other, level: 0)[...], level: 1) == Flate.deflate(other, level: 1))
        #expect(try Flate.inflate(Flate.recompressed(stored[...], level: 1)![...]) == bytes)
    }
}
