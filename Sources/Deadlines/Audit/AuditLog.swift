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
}

public enum AuditChain {
    /// The hash the first entry chains to.
    public static let genesis = String(repeating: "0", count: 64)

    /// Seals drafts after the current head (`nil`: empty log).
    public static func seal(
        _ drafts: [AuditDraft],
        after head: (seq: Int, hash: String)?,
        actor: String,
        at: Date
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
            e.hash = e.computedHash()
            prev = e.hash
            return e
        }
    }

    /// Checks the whole chain in order; the first broken entry, if any.
    public static func verify(_ entries: [AuditEntry]) -> AuditVerification {
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
            if e.computedHash() != e.hash {
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

    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}

public struct AuditVerification: Sendable, Hashable, Codable {
    public struct Problem: Sendable, Hashable, Codable {
        public var seq: Int
        public var problem: String
    }
    public var entries: Int
    public var firstProblem: Problem?
    public var isIntact: Bool { firstProblem == nil }
}
