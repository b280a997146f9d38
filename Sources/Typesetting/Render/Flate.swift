import CZlib
import Foundation

/// zlib's deflate/inflate for the post-processor's stream rewrites (page content streams, the
/// output intent's ICC profile). zlib is the library Cairo itself compresses with.
enum Flate {
    /// Inflates a FlateDecode stream; throws on corrupt data or output beyond `limit` bytes.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int = 64 << 20) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TypesettingError.pdf("zlib: cannot start inflating")
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: max(4096, input.count * 6))
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

    /// Deflates at `level` (6 is zlib's default, as Cairo's; 1, zlib's fastest, for content
    /// streams rewritten in every render: a few percent larger, several times faster).
    static func deflate(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { buffer in
            input.withUnsafeBufferPointer { source in
                compress2(buffer.baseAddress, &length, source.baseAddress, uLong(source.count), level)
            }
        }
        guard status == Z_OK else { throw TypesettingError.pdf("zlib: cannot deflate (\(status))") }
        out.removeSubrange(Int(length)...)
        return out
    }
}
