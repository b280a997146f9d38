/// A text a family document prints, as the record writes it (`$defs/translatableText`): a plain
/// string, in the record's `contentLanguage`, or (schema version 2) translations by language,
/// `{"en": "Twice a day", "es": "Dos veces al día"}`.
///
/// It does not know the record's content language: ask `ContentResolver` for the text of a copy.
/// Translation keys are kept as normalized tags (`pt-br` → `pt-BR`); the loader has already
/// refused unknown tags, empty objects and non-string values.
public enum LocalizedText: Sendable, Hashable, Codable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// A plain string, in the record's content language.
    case plain(String)
    /// Text by normalized language tag (`SupportedLanguage.tag`).
    case translations([String: String])

    public init(stringLiteral value: String) { self = .plain(value) }

    /// Translations by language; the tags are normalized.
    public init(_ translations: [SupportedLanguage: String]) {
        self = .translations(Dictionary(uniqueKeysWithValues: translations.map { ($0.key.tag, $0.value) }))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .plain(text)
            return
        }
        let object = try container.decode([String: String].self)
        var texts: [String: String] = [:]
        for (tag, text) in object {
            texts[SupportedLanguage.normalize(tag)?.tag ?? tag] = text
        }
        self = .translations(texts)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .plain(let text): try container.encode(text)
        case .translations(let texts): try container.encode(texts)
        }
    }

    /// The text in `language`, given the record's content language: the plain string when the
    /// languages are the same, the translation otherwise; `nil` when there is none.
    public func text(in language: SupportedLanguage, contentLanguage: SupportedLanguage) -> String? {
        switch self {
        case .plain(let text): language == contentLanguage ? text : nil
        case .translations(let texts): texts[language.tag]
        }
    }

    /// The source text: the text in the record's content language.
    public func source(contentLanguage: SupportedLanguage) -> String? {
        text(in: contentLanguage, contentLanguage: contentLanguage)
    }

    /// The languages this text is written in (the content language for a plain string).
    public func languages(contentLanguage: SupportedLanguage) -> [SupportedLanguage] {
        switch self {
        case .plain: [contentLanguage]
        case .translations(let texts):
            texts.keys.compactMap(SupportedLanguage.init(rawValue:)).sorted { $0.tag < $1.tag }
        }
    }

    /// One text for readers that do not choose a language (the emergency department's web
    /// page, the queue's checks of blankness): the plain string, else the English text, else
    /// the first text by tag. Documents resolve through `ContentResolver` instead.
    public var anyText: String {
        switch self {
        case .plain(let text): return text
        case .translations(let texts):
            if let english = texts[SupportedLanguage.english.tag] { return english }
            return texts.keys.min().flatMap { texts[$0] } ?? ""
        }
    }

    public var description: String { anyText }
}

extension Optional where Wrapped == LocalizedText {
    /// `anyText` of a text that may be absent (the `String` accessors of the record types).
    var anyText: String? { self?.anyText }
}

extension Optional where Wrapped == [LocalizedText] {
    var anyTexts: [String]? { self?.map(\.anyText) }
}

extension Optional where Wrapped == String {
    var localized: LocalizedText? { self.map(LocalizedText.plain) }
}

extension Optional where Wrapped == [String] {
    var localized: [LocalizedText]? { self?.map(LocalizedText.plain) }
}
