/// Who a letter is addressed to: a guardian, or the member themself.
public enum LetterRecipient: Sendable, Hashable {
    case guardian(Guardian)
    case member(Member)

    /// Where the letter is mailed: the guardian's `contact.address`, or the member's `address`.
    public var mailingAddress: Address? {
        switch self {
        case .guardian(let guardian): guardian.contact?.address
        case .member(let member): member.address
        }
    }

    /// The language tag the recipient asked for, as written in the record: the guardian's
    /// `preferredLanguage`, or the member's `primaryLanguage`.
    public var preferredLanguage: String? {
        switch self {
        case .guardian(let guardian): guardian.preferredLanguage
        case .member(let member): member.primaryLanguage
        }
    }
}
