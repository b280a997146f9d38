/// The text of a record's translatable passages (`LocalizedText`) in the language of one copy.
///
/// For a copy in language L a passage resolves to: the plain string when L is the record's
/// content language; the object's L entry; a source text without any letter (`"6"`, `"1:12"`),
/// which reads the same in every language; else nothing — the passage is untranslated.
/// Look-ups are a comparison or one dictionary read: no allocation, no normalization.
public struct ContentResolver: Sendable, Hashable {
    /// The copy's language.
    public let language: SupportedLanguage
    /// The record's content language (`CareRecord.sourceLanguage`).
    public let contentLanguage: SupportedLanguage

    public init(language: SupportedLanguage, contentLanguage: SupportedLanguage) {
        self.language = language
        self.contentLanguage = contentLanguage
    }

    /// The resolver of `record`'s copy in `language`.
    public init(record: CareRecord, language: SupportedLanguage) {
        self.init(language: language, contentLanguage: record.sourceLanguage)
    }

    /// The passage in the copy's language, or `nil` when it is not translated into it.
    public func text(_ passage: LocalizedText) -> String? {
        if let text = passage.text(in: language, contentLanguage: contentLanguage) { return text }
        if let source = passage.source(contentLanguage: contentLanguage), !Self.hasLetters(source) { return source }
        return nil
    }

    /// The passage in the content language (what a proof prints when it is untranslated).
    public func source(_ passage: LocalizedText) -> String? {
        passage.source(contentLanguage: contentLanguage)
    }

    /// Whether `text` holds a letter of any script: text without one (numbers, times, codes)
    /// needs no translation.
    static func hasLetters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic }
    }
}
