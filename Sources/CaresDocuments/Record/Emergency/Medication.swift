/// A prescribed medication (`$defs/medication`).
public struct Medication: Codable, Sendable, Hashable {
    public var name: String
    public var dose: String?
    public var route: String?
    public var frequency: String?
    public var purpose: String?
    public var sideEffects: String?

    public init(
        name: String,
        dose: String? = nil,
        route: String? = nil,
        frequency: String? = nil,
        purpose: String? = nil,
        sideEffects: String? = nil
    ) {
        self.name = name
        self.dose = dose
        self.route = route
        self.frequency = frequency
        self.purpose = purpose
        self.sideEffects = sideEffects
    }
}
