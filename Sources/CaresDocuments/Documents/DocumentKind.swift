/// The documents the regulation requires (`REQUIREMENTS.md`), named as their templates.
public enum DocumentKind: String, Sendable, Hashable, CaseIterable, Codable {
    case enrollmentLetter = "enrollment-letter"
    case terminationLetter = "termination-letter"
    case carePlan = "care-plan"
    case emergencyPlan = "emergency-plan"
    case aftercarePlan = "aftercare-plan"
    case ccmNotice = "ccm-notice"

    /// Kinds this build can render (the others are refused with a clear message).
    public static let available: [DocumentKind] = DocumentKind.allCases
}

extension DocumentKind {
    /// Read by clinicians and professionals: English unless asked otherwise (the CLI and the
    /// service both default to it).
    public var englishByDefault: Bool { self == .emergencyPlan || self == .ccmNotice }
}
