import Crypto
import Foundation
import Templating

/// Whether a translation may go to a family: `drafted` (a machine or unreviewed draft) or
/// `reviewed` by a qualified translator (Section 1557 expects qualified translation of vital
/// documents). Official copies use reviewed segments only, unless the service's setting
/// `allowDraftedTranslations` says otherwise (off by default).
public enum SegmentStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case drafted
    case reviewed
}

/// One entry of the translation memory: a source text in one language and its translation into
/// another. A segment is found by its source text's hash, so the same "Twice a day" is
/// translated once for every record; when a record's source text changes, its hash changes and
/// the old translation no longer applies.
public struct TranslationSegment: Codable, Sendable, Hashable {
    public var sourceLanguage: SupportedLanguage
    /// The source text exactly as the record holds it.
    public var sourceText: String
    public var targetLanguage: SupportedLanguage
    public var targetText: String
    public var status: SegmentStatus
    /// Who wrote the translation (a user name or "machine"); `nil` when unknown.
    public var translator: String?
    /// Who reviewed it; set exactly when `status` is `reviewed`.
    public var reviewer: String?
    public var updatedAt: Date

    public init(
        sourceLanguage: SupportedLanguage,
        sourceText: String,
        targetLanguage: SupportedLanguage,
        targetText: String,
        status: SegmentStatus,
        translator: String? = nil,
        reviewer: String? = nil,
        updatedAt: Date
    ) {
        self.sourceLanguage = sourceLanguage
        self.sourceText = sourceText
        self.targetLanguage = targetLanguage
        self.targetText = targetText
        self.status = status
        self.translator = translator
        self.reviewer = reviewer
        self.updatedAt = updatedAt
    }

    /// The key a segment is stored and found under.
    public var sourceHash: String { Self.hash(sourceText) }

    /// Lowercase hex SHA-256 of the text's UTF-8 bytes, Unicode NFC first (a composed and a
    /// decomposed "é" are the same source text).
    public static func hash(_ text: String) -> String {
        let normalized = text.precomposedStringWithCanonicalMapping
        return SHA256.hash(data: Data(normalized.utf8)).lowercaseHex
    }
}

/// Translations a copy may use, found in the memory for one record: target text by source text
/// for one (source language, target language) pair. Built by the store
/// (`TranslationStore.table(...)`) and applied to a record's JSON before rendering
/// (`TranslationMerge`), so the one record→PDF path, the render workers and the caches see an
/// ordinary version 2 record.
public struct TranslationTable: Codable, Sendable, Hashable {
    public var sourceLanguage: SupportedLanguage
    public var targetLanguage: SupportedLanguage
    /// Target text by source text (as `TranslationSegment.sourceText`).
    public var texts: [String: String]

    public init(sourceLanguage: SupportedLanguage, targetLanguage: SupportedLanguage, texts: [String: String]) {
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.texts = texts
    }
}
