/// A health-related social need and its support (`$defs/socialNeed`).
public struct SocialNeed: Codable, Sendable, Hashable {
    public var need: SocialNeedKind
    public var support: String
    /// e.g. SNAP, WIC, LIHEAP.
    public var program: String?
    public var status: SocialNeedStatus?

    public init(
        need: SocialNeedKind,
        support: String,
        program: String? = nil,
        status: SocialNeedStatus? = nil
    ) {
        self.need = need
        self.support = support
        self.program = program
        self.status = status
    }
}
