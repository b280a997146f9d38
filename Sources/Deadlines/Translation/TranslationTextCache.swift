import CaresDocuments
import Foundation

/// The translation memory's texts as this process last read them, for the look-up every render
/// of a stored record makes (`translationTables`): valid while the database's translation
/// generation — a token in `meta` changed in the same transaction as every segment or settings
/// write (`SQLConnection.bumpTranslationGeneration`) — is the one they were read under. Each
/// render reads the generation and the settings (one small query); texts not yet known under
/// that generation are read from the segments and remembered, found or not. Another node's
/// write changes the generation, so every process sees it at its next render.
final class TranslationTextCache: @unchecked Sendable {
    struct Key: Hashable {
        var source: SupportedLanguage
        var target: SupportedLanguage
        var text: String
    }

    /// Entries kept before the cache starts again (a memory of a few thousand segments in a
    /// handful of languages fits many times over).
    static let limit = 50_000

    private let lock = NSLock()
    private var generation: String?
    private var texts: [Key: TranslationUse.Found?] = [:]

    /// What is known of `texts` under `generation`: the texts found, and the texts not yet known.
    func lookup(
        generation: String,
        _ source: SupportedLanguage,
        _ target: SupportedLanguage,
        _ texts: [String]
    ) -> (found: [String: TranslationUse.Found], unknown: [String]) {
        lock.lock()
        defer { lock.unlock() }
        guard self.generation == generation else { return ([:], texts) }
        var found: [String: TranslationUse.Found] = [:]
        var unknown: [String] = []
        for text in texts {
            switch self.texts[Key(source: source, target: target, text: text)] {
            case .some(.some(let value)): found[text] = value
            case .some(.none): break
            case .none: unknown.append(text)
            }
        }
        return (found, unknown)
    }

    /// Remembers what the segments held for `texts` under `generation` (absent ones too).
    func store(
        generation: String,
        _ source: SupportedLanguage,
        _ target: SupportedLanguage,
        _ texts: [String],
        _ found: [String: TranslationUse.Found]
    ) {
        lock.lock()
        defer { lock.unlock() }
        if self.generation != generation || self.texts.count + texts.count > Self.limit {
            self.generation = generation
            self.texts.removeAll(keepingCapacity: true)
        }
        for text in texts { self.texts[Key(source: source, target: target, text: text)] = .some(found[text]) }
    }
}
