import CaresDocuments
import Deadlines
import Foundation
import Typesetting

/// What an electronic channel delivers: the rendered PDF and who it is for.
public struct DeliveryEnvelope: Sendable, Codable, Hashable {
    public var obligationId: String
    public var recordId: String
    public var recordVersion: Int
    public var kind: String
    public var language: String
    public var attempt: Int
    public var recipients: [Recipient]
    public var pdfFile: String
    public var pdfSHA256: String
    public var createdAt: String

    public struct Recipient: Sendable, Codable, Hashable {
        public var name: String
        public var email: String
    }
}

/// An electronic delivery channel (secure messaging, portal, …).
public protocol DeliveryChannel: Sendable {
    /// Recorded in the audit log as the channel of the delivery.
    var name: String { get }
    func deliver(_ envelope: DeliveryEnvelope, pdf: Data) async throws
}

/// The outbox channel: a PDF and a JSON envelope per delivery in a folder, each written to a
/// temporary name and renamed (the envelope last), for a secure-messaging or portal integration
/// to pick up.
public struct OutboxChannel: DeliveryChannel {
    public var folder: URL
    public var name: String { "outbox" }

    public init(folder: URL) { self.folder = folder }

    public func deliver(_ envelope: DeliveryEnvelope, pdf: Data) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pdfURL = folder.appendingPathComponent(envelope.pdfFile)
        try AtomicFile.write(pdf, to: pdfURL)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try enc.encode(envelope)
        try AtomicFile.write(json, to: pdfURL.deletingPathExtension().appendingPathExtension("json"))
    }
}

public enum ElectronicDelivery {
    /// Sends the obligation's latest rendered PDF through `channel` to the guardians who consented
    /// (`guardians[].electronicDelivery` with `contact.email`), and records sent or failed.
    /// Refused when nothing is rendered, the archive copy changed, or nobody consented.
    @discardableResult
    public static func send(
        _ id: String,
        store: any DeadlineStore,
        channel: any DeliveryChannel,
        actor: String,
        date: CalendarDate,
        now: Date = Date()
    ) async throws -> Obligation {
        guard let detail = try await store.detail(id) else { throw DeadlineStoreError.unknownObligation(id) }
        let o = detail.obligation
        guard let rendition = detail.renditions.last, let path = rendition.pdfPath else {
            throw TransitionRefused(
                "obligation \(id) has no rendered document with an archive copy to send; render it first"
            )
        }
        guard let pdf = FileManager.default.contents(atPath: path), sha256Hex(pdf) == rendition.pdfSHA256 else {
            throw TransitionRefused(
                "the archive copy of obligation \(id) is missing or does not match its recorded SHA-256; render it again"
            )
        }
        guard let body = try await store.recordBody(recordId: o.recordId, version: rendition.recordVersion),
            case .success(let record) = CareRecordLoader.load(data: body)
        else { throw TransitionRefused("record \(o.recordId) version \(rendition.recordVersion) is not stored") }
        guard let kind = o.kind.documentKind else {
            throw TransitionRefused("obligation \(id) is a \(o.kind.rawValue): there is no document to send")
        }
        // Who receives it: the same decision as the paper copy's addressee (the CCM notice goes to
        // the CCM clinical manager, never to the family).
        let recipients = record.electronicRecipients(of: kind).map {
            DeliveryEnvelope.Recipient(name: $0.name, email: $0.email)
        }
        guard !recipients.isEmpty else { throw TransitionRefused(record.noElectronicRecipientReason(of: kind)) }
        let safe = id.map { $0.isLetter || $0.isNumber || $0 == "-" ? String($0) : "_" }.joined()
        let envelope = DeliveryEnvelope(
            obligationId: id,
            recordId: o.recordId,
            recordVersion: rendition.recordVersion,
            kind: o.kind.rawValue,
            language: rendition.language,
            attempt: o.attempt,
            recipients: recipients,
            pdfFile: "\(safe)-\(rendition.pdfSHA256.prefix(12)).pdf",
            pdfSHA256: rendition.pdfSHA256,
            createdAt: AuditChain.timestamp(now)
        )
        do {
            try await channel.deliver(envelope, pdf: pdf)
        } catch {
            try await store.apply(
                .electronicFailed(channel: channel.name, reason: "\(error)"),
                to: id,
                actor: actor,
                now: now
            )
            throw TransitionRefused("electronic delivery of \(id) through \(channel.name) failed: \(error)")
        }
        return try await store.apply(.electronicSent(channel: channel.name, date: date), to: id, actor: actor, now: now)
    }
}
