import CaresDocuments
import Foundation

// Importing care records: a new version when the bytes changed, the member index, and the
// record's obligations reconciled by `ImportPlanner`, all in one write transaction.

extension SQLStore {
    public func importRecords(
        _ items: [Data],
        actor: String,
        now: Date
    ) async throws -> [Result<ImportReport, ValidationFailure>] {
        let parsed = parseForImport(items)
        let valid = parsed.compactMap { try? $0.get() }
        guard !valid.isEmpty else { return importResults(parsed, []) }
        let today = ProgramCalendar.today(now: now)
        let stamp = AuditChain.timestamp(now)
        let reports = try await database.write { conn in
            var head = try await conn.auditHead()
            var reports: [ImportReport] = []
            for p in valid {
                let latest = try await conn.fetchOne(
                    "SELECT version, sha256 FROM records WHERE record_id = ? ORDER BY version DESC LIMIT 1",
                    [p.recordId]
                ) { row in (version: try row["version"] as Int, sha: try row["sha256"] as String) }
                let isNew = latest == nil || latest!.sha != p.sha
                let version = isNew ? (latest?.version ?? 0) + 1 : latest!.version
                if isNew {
                    try await conn.execute(
                        "INSERT INTO records (record_id, version, sha256, imported_at, imported_by, body) VALUES (?, ?, ?, ?, ?, ?)",
                        [p.recordId, version, p.sha, stamp, actor, p.data]
                    )
                    try await conn.execute(
                        Schema.upsertMember,
                        MemberIndex.row(recordId: p.recordId, record: p.record, version: version, updatedAt: stamp)
                    )
                }
                let existing = try await conn.obligations(" WHERE record_id = ?", [p.recordId])
                let plan = ImportPlanner.plan(record: p.record, version: version, existing: existing, today: today)
                for o in plan.upserts { try await conn.upsert(o) }
                try await conn.append(
                    [importAudit(recordId: p.recordId, version: version, sha: p.sha, isNew: isNew)] + plan.audit,
                    actor: actor,
                    now: now,
                    head: &head
                )
                reports.append(
                    ImportReport(recordId: p.recordId, version: version, newVersion: isNew, sha256: p.sha, plan: plan)
                )
            }
            return reports
        }
        return importResults(parsed, reports)
    }
}
