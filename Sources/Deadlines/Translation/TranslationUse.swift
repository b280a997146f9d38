import CaresDocuments
import Foundation

/// What the memory gives a record, written once for the store's public reads and for its
/// transactions (import, saved segments, settings): the tables of a record's source texts, and
/// the queue's "waiting for translation" count.
enum TranslationUse {
    /// A source text's text in the target language and its status.
    typealias Found = (targetText: String, status: SegmentStatus)
    typealias Lookup = (SupportedLanguage, SupportedLanguage, [String]) async throws -> [String: Found]

    /// The tables of `record`'s untranslated passages into each of `languages` (other than its
    /// source language), from the segments of a usable status.
    static func tables(
        for record: CareRecord,
        languages: [SupportedLanguage],
        usable: Set<SegmentStatus>,
        lookup: Lookup
    ) async throws -> [TranslationTable] {
        let source = record.sourceLanguage
        var tables: [TranslationTable] = []
        for target in Set(languages) where target != source {
            let texts = Set(record.untranslatedPassages(in: target).compactMap(\.source))
            guard !texts.isEmpty else { continue }
            let found = try await lookup(source, target, texts.sorted())
            var table = TranslationTable(sourceLanguage: source, targetLanguage: target, texts: [:])
            for (text, segment) in found where usable.contains(segment.status) {
                table.texts[text] = segment.targetText
            }
            if !table.texts.isEmpty { tables.append(table) }
        }
        return tables.sorted { $0.targetLanguage.tag < $1.targetLanguage.tag }
    }

    /// The document pipeline's renderer, for counting what an official copy would refuse
    /// without rendering it; `nil` when the templates or locales cannot be found.
    static let renderer: DocumentRenderer? = try? DocumentRenderer()

    /// How many passages the official copy of `kind` in `language` would refuse as
    /// untranslated (the pipeline's own view model; every passage without a text in `language`
    /// when the renderer is unavailable).
    static func waiting(_ kind: DocumentKind, record: CareRecord, language: SupportedLanguage) -> Int {
        guard record.declaresTranslations else { return 0 }
        guard let renderer else { return record.untranslatedPassages(in: language).count }
        return renderer.untranslatedPassages(kind, record: record, language: language).count
    }
}
