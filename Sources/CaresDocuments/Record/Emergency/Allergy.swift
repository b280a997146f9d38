/// An allergy on the emergency plan (`emergency.allergies[]`).
public struct Allergy: Codable, Sendable, Hashable {
    public var substance: String
    public var reaction: String?
    public var severity: AllergySeverity?

    public init(substance: String, reaction: String? = nil, severity: AllergySeverity? = nil) {
        self.substance = substance
        self.reaction = reaction
        self.severity = severity
    }
}
