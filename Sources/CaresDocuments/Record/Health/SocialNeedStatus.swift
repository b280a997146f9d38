/// Where the support for a social need stands (`socialNeed.status`).
public enum SocialNeedStatus: String, Codable, Sendable, CaseIterable {
    case identified
    case referred
    case inPlace = "in-place"
    case resolved
}
