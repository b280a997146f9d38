import CaresDocuments
import Foundation
import Testing

@testable import CareDocsServer

/// The server's cache of parsed stored records: keyed by record id and version (a stored version
/// never changes), least recently used out beyond its limit.
@Suite("Parsed record cache")
struct ParsedRecordCacheTests {
    static let record: CareRecord = {
        let data = try! Data(contentsOf: examples.appendingPathComponent("rivera-enrollment.json"))
        return try! DocumentPipeline.load(data)
    }()

    @Test func aRecordIsFoundOnlyAtItsVersion() {
        let cache = ParsedRecordCache(limit: 4)
        cache.put("CR-1", version: 2, Self.record)
        #expect(cache.get("CR-1", version: 2) == Self.record)
        #expect(cache.get("CR-1", version: 3) == nil, "a newer version is read and parsed again")
        #expect(cache.get("CR-2", version: 2) == nil)
        cache.put("CR-1", version: 3, Self.record)
        #expect(cache.get("CR-1", version: 2) == nil, "the older version is replaced")
    }

    @Test func theLeastRecentlyUsedGoesFirst() {
        let cache = ParsedRecordCache(limit: 2)
        cache.put("A", version: 1, Self.record)
        cache.put("B", version: 1, Self.record)
        _ = cache.get("A", version: 1)
        cache.put("C", version: 1, Self.record)
        #expect(cache.get("A", version: 1) != nil)
        #expect(cache.get("B", version: 1) == nil)
        #expect(cache.get("C", version: 1) != nil)
    }
}
