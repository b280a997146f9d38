import CaresDocuments
import Foundation

/// A coordinator's request that a record be translated into a language: the assignment that lets
/// translators see that record's passages (minimum necessary: a translator sees the text segments
/// of assigned records only). One open request per record and language; it stays until it is
/// withdrawn (the translation is then no longer wanted, and translators lose access). Whether it
/// is done (every passage translated and reviewed) is worked out from the record and the
/// translation memory when it is shown, so a request opens again by itself when the English of a
/// passage changes.
public struct TranslationRequest: Sendable, Hashable, Codable {
    public var id: Int
    public var recordId: String
    public var language: SupportedLanguage
    public var requestedBy: String
    /// ISO 8601 UTC, as in the audit log.
    public var requestedAt: String
    public var withdrawnBy: String?
    public var withdrawnAt: String?

    public init(
        id: Int,
        recordId: String,
        language: SupportedLanguage,
        requestedBy: String,
        requestedAt: String,
        withdrawnBy: String? = nil,
        withdrawnAt: String? = nil
    ) {
        self.id = id
        self.recordId = recordId
        self.language = language
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.withdrawnBy = withdrawnBy
        self.withdrawnAt = withdrawnAt
    }

    /// Not withdrawn: translators may work on it.
    public var isActive: Bool { withdrawnAt == nil }
}
