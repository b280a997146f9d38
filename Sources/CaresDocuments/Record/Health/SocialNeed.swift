/// A health-related social need and its support (`$defs/socialNeed`).
public struct SocialNeed: Codable, Sendable, Hashable {
    public var need: SocialNeedKind
    public var supportText: LocalizedText
    /// e.g. SNAP, WIC, LIHEAP.
    public var program: String?
    public var status: SocialNeedStatus?

    /// `supportText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var support: String {
        get { supportText.anyText }
        set { supportText = .plain(newValue) }
    }

    enum CodingKeys: String, CodingKey {
        case need
        case supportText = "support"
        case program
        case status
    }

    public init(
        need: SocialNeedKind,
        support: LocalizedText,
        program: String? = nil,
        status: SocialNeedStatus? = nil
    ) {
        self.need = need
        self.supportText = support
        self.program = program
        self.status = status
    }
}
