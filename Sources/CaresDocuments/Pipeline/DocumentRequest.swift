/// What a caller asks of the document pipeline: one kind, which language copies, large print,
/// the date printed on the document, and whether it is an official copy or a proof. The CLI, the render worker, the mailroom and the service all
/// describe a render with this value; `languages(for:)` is the one place the copies' languages
/// are decided.
public struct DocumentRequest: Sendable, Hashable {
    public var kind: DocumentKind
    public var languages: LanguageSelection
    /// `nil`: as the record says (`member.accessibility.largePrint`).
    public var largePrint: Bool?
    /// The date printed on the document (a calendar day in America/New_York).
    public var letterDate: CalendarDate
    /// `false`: an official copy, refused when it would print a passage of a version 2 record
    /// without a text in its language. `true`: a proof for review — it renders anyway, with the
    /// untranslated passages in the source language and marked, "PROOF — NOT FOR MAILING" on
    /// every page and `proof: true` in the PDF's keywords. Never mailed or sent.
    public var proof: Bool

    public init(
        kind: DocumentKind,
        languages: LanguageSelection = .kindDefault,
        largePrint: Bool? = nil,
        letterDate: CalendarDate = ProgramCalendar.today(),
        proof: Bool = false
    ) {
        self.kind = kind
        self.languages = languages
        self.largePrint = largePrint
        self.letterDate = letterDate
        self.proof = proof
    }

    /// Large print for this record: asked for, else the record's accessibility need.
    public func largePrint(for record: CareRecord) -> Bool {
        largePrint ?? (record.member.accessibility?.largePrint == true)
    }

    /// The languages of the copies, in order (English first for a bilingual render).
    public func languages(for record: CareRecord) throws(DocumentFailure) -> [SupportedLanguage] {
        try languages.resolve(kind: kind, record: record)
    }
}

/// Which language copies to make.
public enum LanguageSelection: Sendable, Hashable {
    /// English for documents read by clinicians (`DocumentKind.englishByDefault`), else the
    /// primary language.
    case kindDefault
    /// The letter language: the recipient's preferred language, else the member's.
    case primary
    case english
    /// English and the primary language, one copy each (one copy when the family reads English).
    case bilingual
    /// Exactly these copies, in order (already resolved, e.g. by the service for a worker).
    case exactly([SupportedLanguage])

    /// Reads a caller's words: `nil` → the kind's default, `primary`, `english` or a language tag;
    /// `bilingual` together with a language is refused.
    public init(language: String?, bilingual: Bool = false) throws(DocumentFailure) {
        if bilingual {
            guard language == nil else { throw .conflictingOptions("bilingual and a language: choose one") }
            self = .bilingual
            return
        }
        switch language {
        case nil: self = .kindDefault
        case "primary": self = .primary
        case "english": self = .english
        case let tag?:
            guard let supported = SupportedLanguage.normalize(tag) else { throw .unsupportedLanguage(tag) }
            self = .exactly([supported])
        }
    }

    /// Reads resolved language tags (a worker's job): each must be supported.
    public init(tags: [String]) throws(DocumentFailure) {
        guard !tags.isEmpty else { throw .conflictingOptions("no language asked for") }
        var languages: [SupportedLanguage] = []
        for tag in tags {
            guard let supported = SupportedLanguage.normalize(tag) else { throw .unsupportedLanguage(tag) }
            languages.append(supported)
        }
        self = .exactly(languages)
    }

    public func resolve(kind: DocumentKind, record: CareRecord) throws(DocumentFailure) -> [SupportedLanguage] {
        if case .exactly(let languages) = self { return languages }
        if case .english = self { return [.english] }
        if case .kindDefault = self, kind.englishByDefault { return [.english] }
        guard let primary = record.letterLanguage else { throw .noRecordLanguage }
        switch self {
        case .bilingual: return primary == .english ? [.english] : [.english, primary]
        default: return [primary]
        }
    }
}
