import CaresDocuments
import Foundation

/// The translation memory's storage, beside the queue in the same database (SQLite or
/// PostgreSQL) so that saving translations, refreshing the queue's "waiting for translation"
/// counts and the audit entries are one transaction.
public protocol TranslationStore: Sendable {
    /// Inserts or replaces segments, keyed by (source language, source hash, target language);
    /// audited (`translation-save`, no text in the audit detail: hashes and languages only).
    func saveSegments(_ segments: [TranslationSegment], actor: String, now: Date) async throws
    /// The segments of these source texts into `targetLanguage`, by source text (texts without
    /// a segment are absent).
    func segments(
        sourceLanguage: SupportedLanguage,
        targetLanguage: SupportedLanguage,
        sourceTexts: [String]
    ) async throws -> [String: TranslationSegment]
}
