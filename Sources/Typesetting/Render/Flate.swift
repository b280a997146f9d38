import CLibDeflate
import CZlib
import Foundation

/// Inflating (zlib) and deflating (libdeflate) the streams of the PDFs the post-processor writes:
/// page content streams, font programs, the output intent's ICC profile.
enum Flate {
    /// Inflates a FlateDecode stream; throws on corrupt data or output beyond `limit` bytes.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int = 64 << 20) throws -> [UInt8] {
        if input.count <= limit, let stored = storedContents(input) { return stored }
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TypesettingError.pdf("zlib: cannot start inflating")
        }
        defer { inflateEnd(&stream) }
        // A stored stream inflates to about its own size; a compressed one, to several times it.
        var out = [UInt8](repeating: 0, count: max(4096, isStored(input) ? input.count : input.count * 6))
        var produced = 0
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            repeat {
                if produced == out.count {
                    guard out.count < limit else {
                        throw TypesettingError.pdf("zlib: stream inflates beyond \(limit) bytes")
                    }
                    out.append(contentsOf: repeatElement(0, count: out.count))
                }
                status = out.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress! + produced
                    stream.avail_out = UInt32(buffer.count - produced)
                    let result = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced = buffer.count - Int(stream.avail_out)
                    return result
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw TypesettingError.pdf("zlib: corrupt stream (\(status))")
                }
            } while status != Z_STREAM_END
        }
        out.removeSubrange(produced...)
        return out
    }

    /// Whether `data` is a zlib stream whose first deflate block is stored (not compressed): what
    /// Cairo writes while the renderer has it write level 0 (see CCairoDeflate).
    static func isStored(_ data: ArraySlice<UInt8>) -> Bool {
        guard data.count >= 3 else { return false }
        let start = data.startIndex
        let header = UInt16(data[start]) << 8 | UInt16(data[start + 1])
        return data[start] & 0x0F == 8 && header % 31 == 0 && data[start + 2] & 0x06 == 0
    }

    /// A stored zlib stream compressed at `level`; nil for a stream already compressed.
    static func recompressed(_ data: ArraySlice<UInt8>, level: Int32) throws -> [UInt8]? {
        guard isStored(data) else { return nil }
        let raw = try inflate(data)
        let key = Recent.key(raw, level: level)
        if let key, let known = Recent.compressed(raw, key) { return known }
        let compressed = try deflate(raw, level: level)
        if let key { Recent.remember(raw, compressed, key) }
        return compressed
    }

    /// Streams compressed before, by their bytes: most of a document's font programs are the
    /// same bytes in every document of its language (Cairo numbers a subset's glyphs in the
    /// order the text first uses them, and the template's text comes first: the Arabic, Khmer
    /// or Chinese faces' subsets, the bold face's, their ToUnicode maps), and compressing them
    /// again was most of the post-processing of a letter in those scripts. A stream is kept on
    /// its second sighting (a set of checksums remembers the first; a page's content, which
    /// names the child, is seen once and never kept), found by its length and CRC-32 and
    /// compared byte for byte before its compressed bytes are used: the output is exactly what
    /// compressing it again would give. At most `limit` bytes (originals and compressed) are
    /// kept; over it, everything is dropped. Process-wide, under a lock (compression itself runs
    /// outside it).
    enum Recent {
        struct Key: Hashable {
            var count: Int
            var crc: UInt32
            var level: Int32
        }
        /// Streams shorter than this are compressed every time (a look-up costs about as much).
        static let minimum = 1_024
        static let limit = 3 << 20
        static let lock = NSLock()
        nonisolated(unsafe) private static var kept: [Key: (original: [UInt8], compressed: [UInt8])] = [:]
        nonisolated(unsafe) private static var seen = Set<Key>()
        nonisolated(unsafe) private static var keptBytes = 0
        nonisolated(unsafe) private(set) static var hits = 0

        /// The stream's key (its CRC-32, computed once per stream), nil for one too short to keep.
        static func key(_ raw: [UInt8], level: Int32) -> Key? {
            guard raw.count >= minimum else { return nil }
            let crc = raw.withUnsafeBufferPointer { libdeflate_crc32(0, $0.baseAddress, $0.count) }
            return Key(count: raw.count, crc: crc, level: level)
        }

        static func compressed(_ raw: [UInt8], _ key: Key) -> [UInt8]? {
            lock.lock()
            let entry = kept[key]
            lock.unlock()
            guard let entry, entry.original.count == raw.count else { return nil }
            let same = entry.original.withUnsafeBytes { a in
                raw.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
            }
            guard same else { return nil }
            lock.withLock { hits += 1 }
            return entry.compressed
        }

        static func remember(_ raw: [UInt8], _ compressed: [UInt8], _ key: Key) {
            lock.lock()
            defer { lock.unlock() }
            guard seen.remove(key) != nil else {
                if seen.count >= 4_096 { seen.removeAll(keepingCapacity: true) }
                seen.insert(key)
                return
            }
            if keptBytes + raw.count + compressed.count > limit {
                kept.removeAll()
                keptBytes = 0
            }
            kept[key] = (raw, compressed)
            keptBytes += raw.count + compressed.count
        }
    }

    /// The bytes of a zlib stream made only of stored blocks (what zlib writes at level 0), read
    /// by copying the blocks and checking their lengths and the Adler-32 (libdeflate's, which is
    /// vectorized; zlib's inflate copies the same bytes through its window and sums them with
    /// a scalar loop). Nil for anything else (`inflate` then uses zlib).
    static func storedContents(_ data: ArraySlice<UInt8>) -> [UInt8]? {
        guard data.count >= 2 + 5 + 4, isStored(data), data[data.startIndex + 1] & 0x20 == 0 else { return nil }
        return data.withUnsafeBufferPointer { bytes -> [UInt8]? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var position = 2
            while true {
                guard position + 5 <= bytes.count else { return nil }
                let header = bytes[position]
                // BFINAL, BTYPE 00 (stored), the rest of the byte unused (zero).
                guard header & 0xFE == 0 else { return nil }
                let length = Int(bytes[position + 1]) | Int(bytes[position + 2]) << 8
                let complement = Int(bytes[position + 3]) | Int(bytes[position + 4]) << 8
                guard length ^ complement == 0xFFFF, position + 5 + length <= bytes.count else { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(position + 5)..<(position + 5 + length)]))
                position += 5 + length
                if header & 1 == 1 { break }
            }
            guard position + 4 == bytes.count else { return nil }
            let expected =
                UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8
                | UInt32(bytes[position + 3])
            let sum = out.withUnsafeBufferPointer { libdeflate_adler32(1, $0.baseAddress, $0.count) }
            return sum == expected ? out : nil
        }
    }

    /// Deflates into a zlib stream at libdeflate's `level` (1 fastest … 12 smallest).
    ///
    /// libdeflate, not zlib, because every stream of every document is compressed here once
    /// (Cairo stores them, see CCairoDeflate): on a letter's font programs its level 1 is 2.3
    /// times as fast as zlib's level 1 and as small as zlib's level 3; its level 6 is as small as
    /// zlib's 6 at under half the time. Compressors are kept for reuse (allocating one costs more
    /// than compressing a small stream).
    static func deflate(_ input: [UInt8], level: Int32) throws -> [UInt8] {
        let compressor = Compressors.take(level: level)
        defer { Compressors.give(compressor, level: level) }
        guard let compressor else { throw TypesettingError.pdf("libdeflate: cannot make a compressor") }
        let bound = libdeflate_zlib_compress_bound(compressor, input.count)
        var out = [UInt8](repeating: 0, count: bound)
        let length = out.withUnsafeMutableBufferPointer { buffer in
            input.withUnsafeBufferPointer { source in
                libdeflate_zlib_compress(compressor, source.baseAddress, source.count, buffer.baseAddress, buffer.count)
            }
        }
        guard length > 0 else { throw TypesettingError.pdf("libdeflate: cannot deflate") }
        out.removeSubrange(length...)
        return out
    }

    /// Idle libdeflate compressors by level, shared by the threads that render.
    private enum Compressors {
        nonisolated(unsafe) static var idle: [Int32: [OpaquePointer]] = [:]
        static let lock = NSLock()

        static func take(level: Int32) -> OpaquePointer? {
            lock.lock()
            let reused = idle[level]?.popLast()
            lock.unlock()
            return reused ?? libdeflate_alloc_compressor(level)
        }

        static func give(_ compressor: OpaquePointer?, level: Int32) {
            guard let compressor else { return }
            lock.lock()
            defer { lock.unlock() }
            // The slow levels are used once per process (shared pages, the ICC profile) and their
            // compressors are large (level 12: about 9 MB): not kept.
            if level <= 6, idle[level, default: []].count < 8 {
                idle[level, default: []].append(compressor)
            } else {
                libdeflate_free_compressor(compressor)
            }
        }
    }
}
