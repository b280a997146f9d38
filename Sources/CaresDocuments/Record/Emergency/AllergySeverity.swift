/// How severe an allergic reaction is (`emergency.allergies[].severity`).
public enum AllergySeverity: String, Codable, Sendable, CaseIterable {
    case mild
    case moderate
    case severe
    case lifeThreatening = "life-threatening"
    case unknown
}
