import CaresDocuments
import Foundation

// Translation requests (schema v7): who asked for which record to be translated into which
// language, and whether it was withdrawn. Each change appends its audit entry in the same
// transaction.

extension SQLStore {
    public func requestTranslation(
        recordId: String,
        language: SupportedLanguage,
        actor: String,
        now: Date
    ) async throws -> (request: TranslationRequest, created: Bool) {
        let key = auditKey
        return try await database.write { conn in
            if let open = try await conn.fetchOne(
                Schema.selectTranslationRequests + " WHERE record_id = ? AND language = ? AND withdrawn_at IS NULL",
                [recordId, language.tag],
                { row in try TranslationRequest(row) }
            ) {
                return (open, false)
            }
            let version =
                try await conn.fetchOne(
                    "SELECT MAX(version) AS version FROM records WHERE record_id = ?",
                    [recordId]
                ) { row in try row["version"] as Int? } ?? nil
            guard let version else { throw TranslationRequestError.noRecord(recordId) }
            try await conn.execute(
                """
                INSERT INTO translation_requests (record_id, language, requested_by, requested_at)
                VALUES (?, ?, ?, ?)
                """,
                [recordId, language.tag, actor, AuditChain.timestamp(now)]
            )
            let created = try await conn.fetchOne(
                Schema.selectTranslationRequests + " WHERE record_id = ? AND language = ? AND withdrawn_at IS NULL",
                [recordId, language.tag],
                { row in try TranslationRequest(row) }
            )
            guard let created else { throw TranslationRequestError.noRecord(recordId) }
            try await conn.appendOne(
                AuditDraft(
                    "translation-request",
                    recordId: recordId,
                    recordVersion: version,
                    what: "translation into \(language.tag) requested (request \(created.id))"
                ),
                key: key,
                actor: actor,
                now: now
            )
            return (created, true)
        }
    }

    public func withdrawTranslationRequest(
        recordId: String,
        language: SupportedLanguage,
        actor: String,
        now: Date
    ) async throws -> TranslationRequest? {
        let key = auditKey
        return try await database.write { conn in
            guard
                var open = try await conn.fetchOne(
                    Schema.selectTranslationRequests
                        + " WHERE record_id = ? AND language = ? AND withdrawn_at IS NULL",
                    [recordId, language.tag],
                    { row in try TranslationRequest(row) }
                )
            else { return nil }
            let stamp = AuditChain.timestamp(now)
            try await conn.execute(
                "UPDATE translation_requests SET withdrawn_by = ?, withdrawn_at = ? WHERE id = ?",
                [actor, stamp, open.id]
            )
            open.withdrawnBy = actor
            open.withdrawnAt = stamp
            try await conn.appendOne(
                AuditDraft(
                    "translation-withdraw",
                    recordId: recordId,
                    recordVersion: nil,
                    what: "translation into \(language.tag) withdrawn (request \(open.id))"
                ),
                key: key,
                actor: actor,
                now: now
            )
            return open
        }
    }

    public func translationRequests(recordId: String?, includeWithdrawn: Bool) async throws -> [TranslationRequest] {
        var conditions: [String] = []
        var binds: [String] = []
        if let recordId {
            conditions.append("record_id = ?")
            binds.append(recordId)
        }
        if !includeWithdrawn { conditions.append("withdrawn_at IS NULL") }
        let sql =
            Schema.selectTranslationRequests
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY requested_at, id"
        let values = binds
        return try await database.read { conn in
            try await conn.fetch(sql, values) { row in try TranslationRequest(row) }
        }
    }

    public func activeTranslationRequest(
        recordId: String,
        language: SupportedLanguage
    ) async throws
        -> TranslationRequest?
    {
        try await database.read { conn in
            try await conn.fetchOne(
                Schema.selectTranslationRequests + " WHERE record_id = ? AND language = ? AND withdrawn_at IS NULL",
                [recordId, language.tag],
                { row in try TranslationRequest(row) }
            )
        }
    }
}

/// Why a translation request could not be made.
public enum TranslationRequestError: Error, CustomStringConvertible, Sendable, Hashable {
    case noRecord(String)

    public var description: String {
        switch self {
        case .noRecord(let id): "no record \(id)"
        }
    }
}

extension Schema {
    /// Version 7 (issue 15, translators): translation requests, one open (not withdrawn) per
    /// record and language. (v6 is the translation memory's; this one depends on nothing of it.)
    static func v7TranslationRequests(serial: String) -> [String] {
        [
            """
            CREATE TABLE translation_requests (
              id \(serial), record_id TEXT NOT NULL, language TEXT NOT NULL,
              requested_by TEXT NOT NULL, requested_at TEXT NOT NULL,
              withdrawn_by TEXT, withdrawn_at TEXT)
            """,
            """
            CREATE UNIQUE INDEX translation_requests_open ON translation_requests (record_id, language)
            WHERE withdrawn_at IS NULL
            """,
        ]
    }

    static let selectTranslationRequests = """
        SELECT id, record_id, language, requested_by, requested_at, withdrawn_by, withdrawn_at
        FROM translation_requests
        """
}

extension TranslationRequest {
    init(_ row: ColumnReader<some SQLRowBase>) throws {
        let tag: String = try row["language"]
        guard let language = SupportedLanguage(rawValue: tag) else {
            throw TranslationRequestError.noRecord("(language \(tag))")
        }
        self.init(
            id: try row["id"],
            recordId: try row["record_id"],
            language: language,
            requestedBy: try row["requested_by"],
            requestedAt: try row["requested_at"],
            withdrawnBy: try row["withdrawn_by"],
            withdrawnAt: try row["withdrawn_at"]
        )
    }
}
