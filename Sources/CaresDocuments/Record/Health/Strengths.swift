/// Strengths, interests, preferences and cultural considerations (`$defs/strengths`).
public struct Strengths: Codable, Sendable, Hashable {
    public var strengths: [String]?
    public var interests: [String]?
    public var preferences: [String]?
    public var culturalConsiderations: String?

    public init(
        strengths: [String]? = nil,
        interests: [String]? = nil,
        preferences: [String]? = nil,
        culturalConsiderations: String? = nil
    ) {
        self.strengths = strengths
        self.interests = interests
        self.preferences = preferences
        self.culturalConsiderations = culturalConsiderations
    }
}
