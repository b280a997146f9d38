/// How a care plan was approved (`approval.method`).
public enum ApprovalMethod: String, Codable, Sendable, CaseIterable {
    case pending
    case signature
    case electronicSignature = "electronic-signature"
    case verbal
}
