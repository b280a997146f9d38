import CaresDocuments
import Deadlines
import Foundation
import NIOConcurrencyHelpers
import RenderWorkers

/// Recently rendered documents of stored records, by what determines their bytes: record id and
/// version, kind, languages, large print, letter date, and the SHA-256 of the bytes rendered
/// (translations from the memory change them without a new version; templates and locales are
/// fixed for the life of the process). A coordinator's preview, the PDF download and the print that follows
/// render once. Least recently used entries go first beyond `maxBytes`.
final class RenderCache: Sendable {
    struct Key: Hashable, Sendable {
        var recordId: String
        var version: Int
        var job: String
    }

    private struct State {
        var entries: [Key: (copies: [RenderedCopy], bytes: Int, tick: UInt64)] = [:]
        var bytes = 0
        var tick: UInt64 = 0
    }

    let maxBytes: Int
    private let state = NIOLockedValueBox(State())

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    static func key(recordId: String, version: Int, job: RenderJob) -> Key {
        Key(
            recordId: recordId,
            version: version,
            job:
                "\(job.kind)|\(job.languages.joined(separator: "+"))|\(job.largePrint)|\(job.letterDate)|\(job.proof == true)|\(sha256Hex(job.record))"
        )
    }

    func get(_ key: Key) -> [RenderedCopy]? {
        state.withLockedValue { s in
            guard let hit = s.entries[key] else { return nil }
            s.tick += 1
            s.entries[key] = (hit.copies, hit.bytes, s.tick)
            return hit.copies
        }
    }

    func put(_ key: Key, _ copies: [RenderedCopy]) {
        let size = copies.reduce(0) { $0 + $1.pdf.count }
        guard size <= maxBytes / 4 else { return }
        state.withLockedValue { s in
            s.tick += 1
            if let old = s.entries[key] { s.bytes -= old.bytes }
            s.entries[key] = (copies, size, s.tick)
            s.bytes += size
            while s.bytes > maxBytes, let oldest = s.entries.min(by: { $0.value.tick < $1.value.tick }) {
                s.entries[oldest.key] = nil
                s.bytes -= oldest.value.bytes
            }
        }
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}

/// Recently read stored records, parsed and validated, by record id and version: a stored
/// version never changes, so a coordinator's views of one record (its page, the checklist, a
/// preview, the PDF, the print) parse and validate it once. At most `limit` records, least
/// recently used first out; held in memory only, like the render cache.
final class ParsedRecordCache: Sendable {
    private struct State {
        var entries: [String: (version: Int, record: CareRecord, tick: UInt64)] = [:]
        var tick: UInt64 = 0
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) { self.limit = limit }

    func get(_ recordId: String, version: Int) -> CareRecord? {
        state.withLockedValue { s in
            guard let hit = s.entries[recordId], hit.version == version else { return nil }
            s.tick += 1
            s.entries[recordId] = (hit.version, hit.record, s.tick)
            return hit.record
        }
    }

    func put(_ recordId: String, version: Int, _ record: CareRecord) {
        guard limit > 0 else { return }
        state.withLockedValue { s in
            s.tick += 1
            s.entries[recordId] = (version, record, s.tick)
            while s.entries.count > limit, let oldest = s.entries.min(by: { $0.value.tick < $1.value.tick }) {
                s.entries[oldest.key] = nil
            }
        }
    }
}
