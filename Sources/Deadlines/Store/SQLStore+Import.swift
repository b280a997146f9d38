import CaresDocuments
import Foundation

// Importing care records: a new version when the bytes changed, the member index, and the
// record's obligations reconciled by `ImportPlanner`, all in one write transaction. A version
// that changes who the record is about is refused unless confirmed (`RecordIdentity`).

extension SQLStore {
    public func importRecords(
        _ items: [Data],
        options: ImportOptions,
        actor: String,
        now: Date
    ) async throws -> [Result<ImportReport, ImportFailure>] {
        let parsed = parseForImport(items)
        let valid = parsed.compactMap { try? $0.get() }
        guard !valid.isEmpty else { return importResults(parsed, []) }
        let today = ProgramCalendar.today(now: now)
        let stamp = AuditChain.timestamp(now)
        let key = auditKey
        let outcomes = try await database.write { conn in
            var head = try await conn.auditHead(key: key)
            var outcomes: [Result<ImportReport, ImportRefusal>] = []
            for p in valid {
                let latest = try await conn.fetchOne(
                    "SELECT version, sha256 FROM records WHERE record_id = ? ORDER BY version DESC LIMIT 1",
                    [p.recordId]
                ) { row in (version: try row["version"] as Int, sha: try row["sha256"] as String) }
                if let basedOn = options.basedOnVersion, basedOn != (latest?.version ?? 0) {
                    // Thrown inside the transaction: nothing of this import is written.
                    throw ImportVersionConflict(recordId: p.recordId, basedOn: basedOn, latest: latest?.version ?? 0)
                }
                let isNew = latest == nil || latest!.sha != p.sha
                let version = isNew ? (latest?.version ?? 0) + 1 : latest!.version
                var drafts = [importAudit(recordId: p.recordId, version: version, sha: p.sha, isNew: isNew)]
                if isNew {
                    let check = try await conn.identityCheck(p)
                    if !check.isEmpty {
                        guard options.confirmIdentityChange && check.confirmable else {
                            outcomes.append(.failure(check))
                            continue
                        }
                        drafts.append(identityChangeAudit(check, version: version))
                    }
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
                let plan = ImportPlanner.plan(
                    record: p.record,
                    version: version,
                    existing: existing,
                    today: today,
                    completedBefore: options.completedBefore
                )
                for o in plan.upserts { try await conn.upsert(o) }
                try await conn.refreshTranslationWaits(
                    recordId: p.recordId,
                    body: p.data,
                    record: p.record,
                    indexPassages: isNew
                )
                try await conn.append(drafts + plan.audit, actor: actor, now: now, head: &head)
                outcomes.append(
                    .success(
                        ImportReport(
                            recordId: p.recordId,
                            version: version,
                            newVersion: isNew,
                            sha256: p.sha,
                            plan: plan
                        )
                    )
                )
            }
            return outcomes
        }
        return importResults(parsed, outcomes)
    }
}

extension SQLConnection {
    /// What a new version of `p` would change about who its record is about: identity fields
    /// that differ from the member index (the latest version), an id shared with a differently
    /// keyed record, and other records of the same member (checked when the member id is new to
    /// this record).
    func identityCheck(_ p: ParsedRecord) async throws -> ImportRefusal {
        let new = MemberIdentity(p.record)
        var check = ImportRefusal(recordId: p.recordId, changedFields: [], sameMemberAs: [], idCollision: false)
        let stored = try await fetchOne(
            "SELECT member_id, given_name, family_name, birth_date FROM members WHERE record_id = ?",
            [p.recordId]
        ) { row in
            MemberIdentity(
                memberId: try row["member_id"],
                firstName: try row["given_name"],
                lastName: try row["family_name"],
                dateOfBirth: try row["birth_date"]
            )
        }
        if let stored {
            check.changedFields = RecordIdentity.changedFields(stored: stored, new: new)
            if stored.memberId != new.memberId {
                // Keyed by its member id only if that is the record id; then its body tells.
                var storedHasRecordId = true
                if stored.memberId == p.recordId,
                    let body = try await fetchOne(
                        "SELECT body FROM records WHERE record_id = ? ORDER BY version DESC LIMIT 1",
                        [p.recordId],
                        { row in try row["body"] as Data }
                    ),
                    case .success(let record) = CareRecordLoader.load(data: body)
                {
                    storedHasRecordId = record.recordId != nil
                }
                check.idCollision = RecordIdentity.idsCollide(
                    stored: stored,
                    storedHasRecordId: storedHasRecordId,
                    new: p.record
                )
            }
        }
        if stored == nil || stored!.memberId != new.memberId {
            check.sameMemberAs = try await fetch(
                "SELECT record_id FROM members WHERE member_id = ? AND record_id <> ? ORDER BY record_id",
                [new.memberId, p.recordId]
            ) { row in try row["record_id"] as String }
        }
        return check
    }
}

extension ImportRefusal {
    /// Nothing to refuse or confirm.
    var isEmpty: Bool { changedFields.isEmpty && sameMemberAs.isEmpty && !idCollision }
}

/// The audit entry of a confirmed identity change: field paths and record ids only.
func identityChangeAudit(_ check: ImportRefusal, version: Int) -> AuditDraft {
    var parts: [String] = []
    if !check.changedFields.isEmpty { parts.append("changed \(check.changedFields.joined(separator: ", "))") }
    if !check.sameMemberAs.isEmpty {
        parts.append("member.id is also the member of record \(check.sameMemberAs.joined(separator: ", "))")
    }
    return AuditDraft(
        "identity-change",
        recordId: check.recordId,
        recordVersion: version,
        what: "identity change confirmed by the importer in record version \(version): " + parts.joined(separator: "; ")
    )
}
