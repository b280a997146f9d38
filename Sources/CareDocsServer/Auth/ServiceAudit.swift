import Deadlines
import Foundation
import HTTPTypes

/// The client address of a request: the connection's peer, or — only when the settings say a
/// reverse proxy in front sets it — the rightmost `X-Forwarded-For` entry (the address that proxy
/// saw; entries further left are whatever the client wrote). Only characters of IPv4 and IPv6
/// addresses are kept, at most 64, since it is written to the audit log.
enum ClientAddress {
    static func of(_ headers: HTTPFields, peer: String?, trustForwardedFor: Bool) -> String {
        if trustForwardedFor,
            let last = headers[values: .init("X-Forwarded-For")!].last?.split(separator: ",").last.map({
                $0.trimmingCharacters(in: .whitespaces)
            }),
            let clean = clean(last)
        {
            return clean
        }
        return peer.flatMap(clean) ?? "unknown"
    }

    static func clean(_ s: String) -> String? {
        let kept = String(
            s.unicodeScalars.filter { "0123456789abcdefABCDEF.:[]%".unicodeScalars.contains($0) }.prefix(64)
        )
        return kept.isEmpty || kept != s ? nil : kept
    }
}

extension ServiceEnvironment {
    /// Appends an audit entry for a request: who (the identity's audit name, or `actor`), what
    /// (ids, counts and kinds only — never PHI) and, at its end, the client address
    /// (`; client 203.0.113.7`). Every read of PHI over HTTP is recorded this way (HIPAA
    /// 164.312(b): who saw what).
    func audit(
        _ ctx: AppContext,
        _ action: String,
        recordId: String = "",
        version: Int? = nil,
        obligationId: String? = nil,
        _ what: String,
        actor: String? = nil
    ) async throws {
        try await store.appendAudit(
            action: action,
            recordId: recordId,
            recordVersion: version,
            obligationId: obligationId,
            what: "\(what); client \(ctx.clientAddress)",
            actor: try actor ?? ctx.who.auditName,
            now: now
        )
    }

    /// Ids as the audit log lists them: "none", or the ids joined with ", ".
    static func ids<S: Sequence>(_ ids: S) -> String where S.Element == String {
        let list = ids.joined(separator: ", ")
        return list.isEmpty ? "none" : list
    }
}
