/// What kind of transition is coming (`transition.kind`).
public enum TransitionKind: String, Codable, Sendable, CaseIterable {
    case medical
    case socialService = "social-service"
    case school
    case adultCare = "adult-care"
    case discharge
    case other
}
