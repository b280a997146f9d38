import CaresDocuments
import Deadlines
import Foundation

// Audit entries of reads that return PHI in bulk (HIPAA 164.312(b): who saw what): batch print
// files and mailing books, and the audit log itself. `what` holds ids, counts and kinds only.

extension APIRoutes {
    /// A download of a finished batch's print file or mailing book: the obligations whose letters
    /// it holds (the mailing book's `obligation` column lists every piece of the print file).
    func auditBatchDownload(_ ctx: AppContext, id: String, file: String) async throws {
        let ids = env.batches.file(id, "mailing-book.csv").map(Self.obligationIds) ?? []
        try await env.audit(
            ctx,
            "download",
            "batch \(id) \(file): \(ids.count) letter(s): \(ServiceEnvironment.ids(ids))"
        )
    }

    /// The `obligation` column of a mailing book CSV (the first; a cell neutralised against
    /// formulas with a leading `'` read back as it was).
    static func obligationIds(_ csv: URL) -> [String] {
        guard let text = try? String(contentsOf: csv, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line -> String? in
            var cell: String
            if line.hasPrefix("\"") {
                var out = ""
                var i = line.index(after: line.startIndex)
                while i < line.endIndex {
                    let c = line[i]
                    let next = line.index(after: i)
                    if c == "\"" {
                        if next < line.endIndex && line[next] == "\"" {
                            out.append("\"")
                            i = line.index(after: next)
                            continue
                        }
                        break
                    }
                    out.append(c)
                    i = next
                }
                cell = out
            } else {
                cell = String(line.prefix { $0 != "," })
            }
            if cell.hasPrefix("'"), let second = cell.dropFirst().first, "=+-@\t\r".contains(second) {
                cell.removeFirst()
            }
            return cell.isEmpty ? nil : cell
        }
    }

    /// A query of the audit log: which filters were given (their values are ids and user names)
    /// and which entries came back.
    func auditAuditQuery(_ ctx: AppContext, _ q: AuditQuery, _ entries: [AuditEntry]) async throws {
        let filters = [
            q.recordId.map { "record \(Quote.value($0))" }, q.actor.map { "actor \(Quote.value($0))" },
            q.action.map { "action \(Quote.value($0))" }, q.since.map { "since \(Quote.value($0))" },
        ].compactMap { $0 }
        try await env.audit(
            ctx,
            "audit-query",
            "audit query (\(filters.isEmpty ? "no filter" : filters.joined(separator: ", ")), limit \(q.limit)): "
                + "\(entries.count) entries: seq \(ServiceEnvironment.ids(entries.map { String($0.seq) }))"
        )
    }
}
