import ArgumentParser
import Deadlines
import Foundation

/// `caredocs mailroom purge --older-than DAYS`: removes old batch folders (print files, mailing
/// books and archive copies hold names and addresses), each removal in the audit log.
struct MailroomPurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract:
            "Remove batch folders (print file, mailing book, letters) not changed for DAYS days; each removal is audited."
    )

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Remove batches whose newest file is older than this many days.") var olderThan: Int
    @Option(
        help:
            "The folder holding batch folders (default: caredocs-data/batches, the service's; for CLI batches the parent of their --output)."
    )
    var batches = "caredocs-data/batches"
    @Flag(help: "List what would be removed, remove nothing.") var dryRun = false

    func run() throws {
        guard olderThan >= 0 else { fail("--older-than must be 0 or more days", code: 1) }
        let parent = URL(fileURLWithPath: batches).standardizedFileURL
        let cutoff = Date().addingTimeInterval(-Double(olderThan) * 86_400)
        let old = try BatchFolders.list(in: parent).filter { $0.newest < cutoff }
        if dryRun || old.isEmpty {
            for folder in old { print("would remove \(folder.url.path) (\(folder.files) files)") }
            if old.isEmpty { print("no batch folder under \(parent.path) is older than \(olderThan) days") }
            return
        }
        let actor = db.resolvedActor
        let database = db.resolvedDatabase
        try runBlocking {
            let store: any DeadlineStore & AccessStore
            do { store = try await openServiceStore(database) } catch {
                fail("cannot open the queue database: \(error)")
            }
            do {
                try await purge(old, store: store, actor: actor)
                try? await store.close()
            } catch {
                try? await store.close()
                throw error
            }
        }
    }

    func purge(_ old: [BatchFolders.Folder], store: any AccessStore, actor: String) async throws {
        for folder in old {
            // Audited first: a removal that fails halfway is still on record.
            try await store.appendAudit(
                action: "purge",
                recordId: "",
                recordVersion: nil,
                obligationId: nil,
                what:
                    "batch folder \(folder.url.lastPathComponent) removed (\(folder.files) files, older than \(olderThan) days)",
                actor: actor,
                now: Date()
            )
            try FileManager.default.removeItem(at: folder.url)
            print("removed \(folder.url.path) (\(folder.files) files)")
        }
    }
}

/// Batch folders under a parent: folders holding a print file, a mailing book or `letters/`.
enum BatchFolders {
    struct Folder {
        var url: URL
        var newest: Date
        var files: Int
    }

    static func list(in parent: URL) throws -> [Folder] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: parent.path) else { return [] }
        var out: [Folder] = []
        for url in try manager.contentsOfDirectory(at: parent, includingPropertiesForKeys: nil).sorted(by: {
            $0.path < $1.path
        }) {
            let names = (try? manager.contentsOfDirectory(atPath: url.path)) ?? []
            let isBatch =
                names.contains("letters")
                || names.contains { $0.hasPrefix("print-") || $0.hasPrefix("mailing-book-") }
            guard isBatch else { continue }
            var newest = Date.distantPast
            var files = 0
            let walker = manager.enumerator(at: url, includingPropertiesForKeys: [.contentModificationDateKey])
            while let file = walker?.nextObject() as? URL {
                let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]))?
                    .contentModificationDate
                if let modified, modified > newest { newest = modified }
                files += 1
            }
            out.append(Folder(url: url, newest: newest, files: files))
        }
        return out
    }
}
