import AsyncHTTPClient
import Deadlines
import Foundation
import NIOCore

/// The webhook channel: an HTTP POST of the envelope and the PDF (base64) as JSON, retried with
/// exponential backoff on connection errors, 408, 429 and 5xx; other 4xx answers fail at once.
/// `Idempotency-Key` (obligation id and PDF hash) lets the receiver drop a repeat.
public struct WebhookChannel: DeliveryChannel {
    public var url: String
    public var attempts: Int
    public var initialDelay: Duration
    /// Sent as `Authorization` when set (e.g. `Bearer …`).
    public var authorization: String?
    public var timeout: TimeAmount
    public var name: String { "webhook" }

    public init(
        url: String,
        attempts: Int = 5,
        initialDelay: Duration = .milliseconds(500),
        authorization: String? = nil,
        timeout: TimeAmount = .seconds(30)
    ) {
        self.url = url
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.authorization = authorization
        self.timeout = timeout
    }

    struct Payload: Encodable {
        var envelope: DeliveryEnvelope
        var pdfBase64: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func deliver(_ envelope: DeliveryEnvelope, pdf: Data) async throws {
        let body = try JSONEncoder().encode(Payload(envelope: envelope, pdfBase64: pdf.base64EncodedString()))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: "\(envelope.obligationId)/\(envelope.pdfSHA256)")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(bytes: body))
        var delay = initialDelay
        var last = "no attempt"
        for attempt in 1...attempts {
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: timeout)
                _ = try? await response.body.collect(upTo: 64 * 1024)
                let code = Int(response.status.code)
                if (200..<300).contains(code) { return }
                last = "HTTP \(code)"
                if (400..<500).contains(code) && code != 408 && code != 429 {
                    throw Failure(description: "the webhook refused the delivery (\(last))")
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                last = "\(error)"
            }
            if attempt < attempts {
                try await Task.sleep(for: delay)
                delay *= 2
            }
        }
        throw Failure(description: "no success after \(attempts) attempts (last: \(last))")
    }
}
