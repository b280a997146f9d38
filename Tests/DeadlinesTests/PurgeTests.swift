import CaresDocuments
import Foundation
import Testing

@testable import Deadlines
@testable import Mailroom

/// `caredocs mailroom purge --older-than DAYS`: old batch folders go, each removal audited.
@Suite("Mailroom purge")
struct PurgeTests {
    @Test func removesOnlyOldBatchFoldersAndAuditsEach() async throws {
        guard caredocsBinary != nil else {
            print("notice: caredocs executable not built next to the tests; purge test skipped")
            return
        }
        let parent = temporaryFolder()
        let database = parent.appendingPathComponent("queue.sqlite").path
        let manager = FileManager.default
        func batch(_ name: String, age days: Double) throws -> URL {
            let folder = parent.appendingPathComponent(name)
            let letters = folder.appendingPathComponent("letters")
            try manager.createDirectory(at: letters, withIntermediateDirectories: true)
            for file in [
                folder.appendingPathComponent("print-2026-11-01.pdf"), letters.appendingPathComponent("a.pdf"),
            ] {
                try Data("%PDF-".utf8).write(to: file)
            }
            let when = Date().addingTimeInterval(-days * 86_400)
            for path in [
                folder, letters, folder.appendingPathComponent("print-2026-11-01.pdf"),
                letters.appendingPathComponent("a.pdf"),
            ] {
                try manager.setAttributes([.modificationDate: when], ofItemAtPath: path.path)
            }
            return folder
        }
        let old = try batch("batch-old", age: 40)
        let recent = try batch("batch-recent", age: 2)
        let unrelated = parent.appendingPathComponent("notes")
        try manager.createDirectory(at: unrelated, withIntermediateDirectories: true)
        try manager.setAttributes([.modificationDate: Date.distantPast], ofItemAtPath: unrelated.path)

        #expect(
            try runCaredocs([
                "mailroom", "purge", "--older-than", "30", "--batches", parent.path, "--database", database,
            ]) == 0
        )
        #expect(!manager.fileExists(atPath: old.path))
        #expect(manager.fileExists(atPath: recent.path))
        #expect(manager.fileExists(atPath: unrelated.path), "only batch folders are removed")
        let store = try await openDeadlineStore(database)
        let log = try await store.auditLog()
        try await store.close()
        #expect(log.contains { $0.action == "purge" && $0.what.contains("batch-old") && $0.actor == "crash-test" })
        #expect(!log.contains { $0.what.contains("batch-recent") })
        #expect(AuditChain.verify(log).isIntact)
    }
}
