import CaresDocuments
import Foundation

// The value types as rows: each read by column name from either database, and the statements
// that write obligations and audit entries (shared by every operation that needs them).

extension SQLConnection {
    /// Obligations of `SELECT <obligationColumns> FROM obligations` + `rest` (WHERE, ORDER BY, …).
    func obligations(_ rest: String, _ binds: [any SQLBindable]) async throws -> [Obligation] {
        try await fetch(Schema.selectObligations + rest, binds) { row in try Obligation(row) }
    }

    /// Inserts or updates one obligation.
    func upsert(_ o: Obligation) async throws {
        try await execute(Schema.upsertObligation, o.columnValues)
    }

    /// The last audit entry's sequence number and hash.
    func auditLast() async throws -> (seq: Int, hash: String)? {
        try await fetchOne("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", []) { row in
            (seq: try row["seq"] as Int, hash: try row["hash"] as String)
        }
    }

    /// Seals `drafts` after `head` and inserts them; `head` becomes the new last entry.
    func append(_ drafts: [AuditDraft], actor: String, now: Date, head: inout AuditHead) async throws {
        let drafts = try await startKeying(&head, before: drafts)
        for e in AuditChain.seal(drafts, after: head.last, actor: actor, at: now, key: head.key) {
            try await execute(
                """
                INSERT INTO audit (seq, at, actor, action, record_id, record_version, obligation_id, what, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    e.seq, e.at, e.actor, e.action, e.recordId, e.recordVersion, e.obligationId, e.what, e.prevHash,
                    e.hash,
                ]
            )
            head.last = (e.seq, e.hash)
        }
    }

    /// Appends one entry after the current head.
    func appendOne(_ draft: AuditDraft, key: AuditKey?, actor: String, now: Date) async throws {
        var head = try await auditHead(key: key)
        try await append([draft], actor: actor, now: now, head: &head)
    }

    func auditEntries(_ sql: String, _ binds: [any SQLBindable]) async throws -> [AuditEntry] {
        try await fetch(sql, binds) { row in try AuditEntry(row) }
    }

    func user(_ username: String) async throws -> UserAccount? {
        try await fetchOne("SELECT * FROM users WHERE username = ?", [username]) { row in try UserAccount(row) }
    }
}

extension Schema {
    static let selectObligations = "SELECT " + obligationColumns.joined(separator: ", ") + " FROM obligations"

    static let upsertObligation =
        "INSERT INTO obligations (\(obligationColumns.joined(separator: ", "))) VALUES ("
        + obligationColumns.map { _ in "?" }.joined(separator: ", ") + ") ON CONFLICT (id) DO UPDATE SET "
        + obligationColumns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    static func role(_ text: String) throws -> Role {
        guard let r = Role(rawValue: text) else {
            throw DeadlineStoreError.badDatabase("unknown role \(text) in the database")
        }
        return r
    }

    static func date(_ text: String) throws -> Date {
        guard let d = AuditChain.date(text) else {
            throw DeadlineStoreError.badDatabase("unreadable timestamp \(text) in the database")
        }
        return d
    }

    static func calendarDate(_ text: String?) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let d = CalendarDate(text) else {
            throw DeadlineStoreError.badDatabase("unreadable date \(text) in the database")
        }
        return d
    }

    static func value<T: RawRepresentable<String>>(_ text: String) throws -> T {
        guard let v = T(rawValue: text) else { throw DeadlineStoreError.badDatabase("unknown value \(text)") }
        return v
    }
}

extension Obligation {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        self.init(
            id: try row["id"],
            recordId: try row["record_id"],
            kind: try Schema.value(try row["kind"]),
            qualifier: try row["qualifier"],
            startDate: try Schema.calendarDate(try row["start_date"])!,
            dueDate: try Schema.calendarDate(try row["due_date"])!,
            recordVersion: try row["record_version"],
            language: try row["language"],
            electronicRequired: try row["electronic_required"] as Int != 0
        )
        paper = try Schema.value(try row["paper"])
        electronic = try Schema.value(try row["electronic"])
        attempt = try row["attempt"]
        trackingNumber = try row["tracking_number"]
        mailDate = try Schema.calendarDate(try row["mail_date"])
        deliveredDate = try Schema.calendarDate(try row["delivered_date"])
        addressProblem = try row["address_problem"]
        renderedVersion = try row["rendered_version"]
        completedOn = try Schema.calendarDate(try row["completed_on"])
        completionNote = try row["completion_note"]
        cancelledReason = try row["cancelled_reason"]
        completedBeforeImport = try row["completed_before_import"] as Int != 0
        waitingForTranslation = try row["translation_wait"]
    }

    /// In `Schema.obligationColumns` order.
    var columnValues: [any SQLBindable] {
        [
            id, recordId, kind.rawValue, qualifier, startDate.description, dueDate.description, recordVersion,
            language, paper.rawValue, electronic.rawValue, electronicRequired, attempt, trackingNumber,
            mailDate?.description, deliveredDate?.description, addressProblem, renderedVersion,
            completedOn?.description, completionNote, cancelledReason, completedBeforeImport, waitingForTranslation,
        ]
    }
}

extension AuditEntry {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        self.init(
            seq: try row["seq"],
            at: try row["at"],
            actor: try row["actor"],
            action: try row["action"],
            recordId: try row["record_id"],
            recordVersion: try row["record_version"],
            obligationId: try row["obligation_id"],
            what: try row["what"],
            prevHash: try row["prev_hash"],
            hash: try row["hash"]
        )
    }
}

extension Rendition {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        self.init(
            obligationId: try row["obligation_id"],
            attempt: try row["attempt"],
            recordVersion: try row["record_version"],
            templateVersion: try row["template_version"],
            localeVersion: try row["locale_version"],
            language: try row["language"],
            pdfSHA256: try row["pdf_sha256"],
            pdfPath: try row["pdf_path"],
            renderedAt: try row["rendered_at"],
            pages: try row["pages"]
        )
    }
}

extension MailPiece {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        self.init(
            trackingNumber: try row["tracking_number"],
            obligationId: try row["obligation_id"],
            attempt: try row["attempt"],
            mailDate: try Schema.calendarDate(try row["mail_date"])!,
            outcome: try row["outcome"],
            outcomeDate: try Schema.calendarDate(try row["outcome_date"])
        )
    }
}

extension UserAccount {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        self.init(
            username: try row["username"],
            role: try Schema.role(try row["role"]),
            passwordHash: try row["password_hash"],
            disabled: try row["disabled"] as Int != 0,
            failedLogins: try row["failed_logins"],
            lastFailedAt: try (try row["last_failed_at"] as String?).map(Schema.date),
            createdAt: try Schema.date(try row["created_at"])
        )
    }
}

extension MemberSummary {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        self.init(
            recordId: try row["record_id"],
            memberId: try row["member_id"],
            givenName: try row["given_name"],
            familyName: try row["family_name"],
            birthDate: try row["birth_date"],
            latestVersion: try row["latest_version"],
            updatedAt: try row["updated_at"]
        )
    }
}
