/// How a guardian relates to the member (`guardian.relationship`).
public enum GuardianRelationship: String, Codable, Sendable, CaseIterable {
    case mother
    case father
    case parent
    case legalGuardian = "legal-guardian"
    case grandparent
    case fosterParent = "foster-parent"
    /// `"self"`: the member acts for themself (an adult member).
    case oneself = "self"
    case other
}
