import Foundation

/// What the queue appends to the audit log, before it is sealed into the chain.
public struct AuditDraft: Sendable, Hashable {
    public var action: String
    public var recordId: String
    public var recordVersion: Int?
    public var obligationId: String?
    /// Ids, states and field paths only: never names, addresses, dates of the record or notes.
    public var what: String

    public init(_ action: String, recordId: String, recordVersion: Int?, obligationId: String? = nil, what: String) {
        self.action = action
        self.recordId = recordId
        self.recordVersion = recordVersion
        self.obligationId = obligationId
        self.what = what
    }
}

/// One entry of the append-only audit log. Each entry's hash covers its fields and the previous
/// entry's hash, so changing, removing or reordering an entry breaks the chain from there on.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var seq: Int
    /// UTC, ISO 8601 with milliseconds.
    public var at: String
    public var actor: String
    public var action: String
    public var recordId: String
    public var recordVersion: Int?
    public var obligationId: String?
    public var what: String
    public var prevHash: String
    public var hash: String

    /// The bytes the hash covers: every field, length-prefixed so no two entries share them.
    public var canonicalText: String {
        let fields = [
            String(seq), at, actor, action, recordId, recordVersion.map(String.init) ?? "",
            obligationId ?? "", what, prevHash,
        ]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    public func computedHash() -> String { sha256Hex(Data(canonicalText.utf8)) }

    /// The hash of a keyed chain's entry: HMAC-SHA256 under `key`.
    func computedHash(key: AuditKey?) -> String { key.map { $0.mac(canonicalText) } ?? computedHash() }
}

public enum AuditChain {
    /// The hash the first entry chains to.
    public static let genesis = String(repeating: "0", count: 64)

    /// Seals drafts after the current head (`nil`: empty log); with `key`, each hash is an
    /// HMAC-SHA256 under it.
    public static func seal(
        _ drafts: [AuditDraft],
        after head: (seq: Int, hash: String)?,
        actor: String,
        at: Date,
        key: AuditKey? = nil
    ) -> [AuditEntry] {
        var seq = head?.seq ?? 0
        var prev = head?.hash ?? genesis
        let stamp = timestamp(at)
        return drafts.map { d in
            seq += 1
            var e = AuditEntry(
                seq: seq,
                at: stamp,
                actor: actor,
                action: d.action,
                recordId: d.recordId,
                recordVersion: d.recordVersion,
                obligationId: d.obligationId,
                what: d.what,
                prevHash: prev,
                hash: ""
            )
            e.hash = e.computedHash(key: key)
            prev = e.hash
            return e
        }
    }

    /// Checks the whole chain in order; the first broken entry, if any. A keyed chain
    /// (`keyedFrom` and its `key`) checks entries from `keyedFrom` on as HMAC-SHA256, so an entry
    /// rewritten there with a recomputed plain SHA-256 hash is found.
    public static func verify(_ entries: [AuditEntry], keyedFrom: Int? = nil, key: AuditKey? = nil) -> AuditVerification
    {
        let keyed = keyedFrom.flatMap { from in key.map { (from, $0) } }
        var result = verifyChain(entries, keyed: keyed)
        if let keyed, result.isIntact, entries.count < keyed.0 {
            result.firstProblem = .init(
                seq: keyed.0,
                problem: "the chain is keyed from entry \(keyed.0) on, but that entry is missing (entries were removed)"
            )
        }
        if let keyed {
            result.mode = .hmacSHA256
            result.keyedFrom = keyed.0
        }
        return result
    }

    static func verifyChain(_ entries: [AuditEntry], keyed: (from: Int, key: AuditKey)?) -> AuditVerification {
        var prev = genesis
        var expectedSeq = 1
        for e in entries {
            if e.seq != expectedSeq {
                return .init(
                    entries: entries.count,
                    firstProblem: .init(
                        seq: e.seq,
                        problem: "sequence gap: expected entry \(expectedSeq), found \(e.seq) (an entry was removed)"
                    )
                )
            }
            if e.prevHash != prev {
                return .init(
                    entries: entries.count,
                    firstProblem: .init(
                        seq: e.seq,
                        problem:
                            "does not chain to the previous entry (an entry before it was changed, removed or reordered)"
                    )
                )
            }
            if let keyed, e.seq >= keyed.from {
                if e.computedHash(key: keyed.key) != e.hash {
                    return .init(
                        entries: entries.count,
                        firstProblem: .init(
                            seq: e.seq,
                            problem:
                                "its content does not match its HMAC (the entry was modified, or its hash recomputed without the key)"
                        )
                    )
                }
            } else if e.computedHash() != e.hash {
                return .init(
                    entries: entries.count,
                    firstProblem: .init(
                        seq: e.seq,
                        problem: "its content does not match its hash (the entry was modified)"
                    )
                )
            }
            prev = e.hash
            expectedSeq += 1
        }
        return .init(entries: entries.count, firstProblem: nil)
    }

    /// An instant as the chain and the store write it: `2026-12-05T12:01:40.194Z` (UTC,
    /// milliseconds rounded as `ISO8601DateFormatter` rounds them).
    ///
    /// One formatter for the process, used under a lock (an ICU formatter must not format on two
    /// threads at once): creating one per call cost about 0.2 ms, paid by every audited request.
    /// Not a value-type format style: it truncates the milliseconds where this rounds, and the
    /// timestamps written must not change form.
    public static func timestamp(_ date: Date) -> String {
        timestampLock.lock()
        defer { timestampLock.unlock() }
        return timestampFormatter.string(from: date)
    }

    private static let timestampLock = NSLock()
    nonisolated(unsafe) private static let timestampFormatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }()
}

public struct AuditVerification: Sendable, Hashable, Codable {
    public struct Problem: Sendable, Hashable, Codable {
        public var seq: Int
        public var problem: String
    }
    public var entries: Int
    public var firstProblem: Problem?
    /// How the chain is sealed; `keyedFrom`: the first HMAC-SHA256 entry of a keyed chain.
    public var mode: AuditMode = .sha256
    public var keyedFrom: Int? = nil
    public var isIntact: Bool { firstProblem == nil }
}
