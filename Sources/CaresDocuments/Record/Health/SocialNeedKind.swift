/// The kind of a health-related social need (`socialNeed.need`).
public enum SocialNeedKind: String, Codable, Sendable, CaseIterable {
    case housing
    case nutrition
    case utilities
    case transportation
    case childcare
    case financial
    case legal
    case other
}
