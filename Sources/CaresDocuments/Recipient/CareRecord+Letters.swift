extension CareRecord {
    /// Who letters go to: the first guardian with `receivesMail`, else the first guardian with a
    /// mailing address (`contact.address`), else the member.
    public var letterRecipient: LetterRecipient {
        let guardians = guardians ?? []
        if let guardian = guardians.first(where: { $0.receivesMail == true })
            ?? guardians.first(where: { $0.contact?.address != nil })
        {
            return .guardian(guardian)
        }
        return .member(member)
    }

    /// The language letters are written in: the recipient's preferred language, else the
    /// member's primary language, normalized (`SupportedLanguage.normalize(_:)`).
    ///
    /// `nil` only for a record that did not come through `CareRecordLoader`, which refuses
    /// languages the service has no locale for.
    public var letterLanguage: SupportedLanguage? {
        letterRecipient.preferredLanguage.flatMap(SupportedLanguage.normalize)
            ?? SupportedLanguage.normalize(member.primaryLanguage)
    }
}
