import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files written whole or not at all: the bytes go to a temporary file in the same folder, which
/// is then renamed over the target. rename(2) replaces the target atomically, so a reader (or a
/// rerun after `kill -9`) sees the old file or the new one, never half of either. The one
/// implementation for the engine, the CLI, the mailroom and electronic delivery.
public enum AtomicFile {
    /// Writes `data` to `url` atomically. A failure removes the temporary file and leaves any
    /// earlier file at `url` as it was.
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = temporaryURL(for: url)
        do {
            try data.write(to: temporary)
            try moveIntoPlace(temporary, url)
        } catch let error as AtomicFileError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw AtomicFileError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Writes every file or none: all are written to temporary names first, then renamed one by
    /// one; if a write fails, the temporary files are removed and no target is touched.
    public static func writeAll(_ files: [(data: Data, url: URL)]) throws {
        var written: [(URL, URL)] = []
        do {
            for file in files {
                let temporary = temporaryURL(for: file.url)
                written.append((temporary, file.url))
                try file.data.write(to: temporary)
            }
            for (temporary, url) in written { try moveIntoPlace(temporary, url) }
        } catch {
            for (temporary, _) in written { try? FileManager.default.removeItem(at: temporary) }
            if let error = error as? AtomicFileError { throw error }
            throw AtomicFileError(
                "cannot write \(files.map(\.url.path).joined(separator: ", ")): \(error.localizedDescription)"
            )
        }
    }

    /// A hidden temporary name beside `url` (same folder, so the rename stays on one file system).
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    }

    /// Renames a finished temporary file over `url`.
    public static func moveIntoPlace(_ temporary: URL, _ url: URL) throws {
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw AtomicFileError("cannot move the finished file into place at \(url.path) (\(reason))")
        }
    }
}

/// Writing a file failed (the message names the file and the reason).
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
