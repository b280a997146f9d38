import Foundation

// The audit chain's mode as the store records it (`meta` rows, written in the first keyed
// write transaction): `audit_keyed_from`, the first entry sealed with HMAC-SHA256, and
// `audit_key_check`, which tells a later key from another without revealing it.

/// Where the next audit entries go and how they are sealed, in one write transaction.
struct AuditHead {
    var last: (seq: Int, hash: String)?
    /// The store's key when its chain is keyed.
    var key: AuditKey?
    /// The entry that records the switch to keyed mode, appended before the first keyed entry.
    var pendingNotice: AuditDraft?
}

/// The store's audit mode: keyed from `keyedFrom` on, with the key's check value.
struct AuditKeying: Sendable, Hashable {
    var keyedFrom: Int
    var keyCheck: String

    /// The key to seal or verify with: refused when the store is keyed and `key` is missing or
    /// another key.
    func require(_ key: AuditKey?) throws -> AuditKey {
        guard let key else { throw AuditKeyError.keyRequired(keyedFrom: keyedFrom) }
        guard key.check == keyCheck else { throw AuditKeyError.wrongKey }
        return key
    }
}

extension SQLConnection {
    /// The store's keyed mode, if its chain is keyed.
    func auditKeying() async throws -> AuditKeying? {
        let rows = try await fetch(
            "SELECT name, value FROM meta WHERE name IN ('audit_keyed_from', 'audit_key_check')",
            []
        ) { row in (try row["name"] as String, try row["value"] as String) }
        let meta = Dictionary(rows, uniquingKeysWith: { a, _ in a })
        guard let from = meta["audit_keyed_from"] else { return nil }
        guard let seq = Int(from), seq >= 1, let check = meta["audit_key_check"] else {
            throw DeadlineStoreError.badDatabase("unreadable audit mode in the database's meta table")
        }
        return AuditKeying(keyedFrom: seq, keyCheck: check)
    }

    /// Records the switch to keyed mode when `head` has one pending and `drafts` are about to be
    /// appended: the `meta` rows, and the `audit-keyed` entry before `drafts`.
    func startKeying(_ head: inout AuditHead, before drafts: [AuditDraft]) async throws -> [AuditDraft] {
        guard let notice = head.pendingNotice, let key = head.key, !drafts.isEmpty else { return drafts }
        head.pendingNotice = nil
        let from = (head.last?.seq ?? 0) + 1
        try await execute("INSERT INTO meta (name, value) VALUES ('audit_keyed_from', ?)", [String(from)])
        try await execute("INSERT INTO meta (name, value) VALUES ('audit_key_check', ?)", [key.check])
        return [notice] + drafts
    }

    /// The head of the chain in a write transaction, and how to seal after it: a keyed store
    /// needs its key; an unkeyed store given a key becomes keyed from the next entry on (recorded
    /// in `meta`, and in the chain by an `audit-keyed` entry, the first keyed one), once
    /// something is appended (`startKeying`).
    func auditHead(key: AuditKey?) async throws -> AuditHead {
        let last = try await auditLast()
        if let keying = try await auditKeying() {
            return AuditHead(last: last, key: try keying.require(key))
        }
        guard let key else { return AuditHead(last: last) }
        let from = (last?.seq ?? 0) + 1
        return AuditHead(
            last: last,
            key: key,
            pendingNotice: AuditDraft(
                "audit-keyed",
                recordId: "",
                recordVersion: nil,
                what: "audit chain keyed: entries from \(from) on are sealed with HMAC-SHA256"
            )
        )
    }
}
