/// How the member needs documents made (`member.accessibility`).
public struct MemberAccessibility: Codable, Sendable, Hashable {
    public var largePrint: Bool?
    public var screenReader: Bool?
    public var notes: String?

    public init(largePrint: Bool? = nil, screenReader: Bool? = nil, notes: String? = nil) {
        self.largePrint = largePrint
        self.screenReader = screenReader
        self.notes = notes
    }
}
