import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation

/// `caredocs translations …`: the translation memory beside the queue.
struct TranslationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translations",
        abstract: "The translation memory: settings (official copies use reviewed translations only by default).",
        subcommands: [TranslationsSettingsCommand.self, TranslationsRefreshCommand.self]
    )
}

/// Shows or changes the memory's settings, stored in the database so every node agrees.
struct TranslationsSettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract:
            "Show the translation settings, or change whether official copies may use drafted (unreviewed) translations (audited; Section 1557 expects qualified translation: off by default)."
    )

    @OptionGroup var db: DatabaseOptions
    @Option(
        name: .customLong("allow-drafted"),
        help: "true: official copies may use drafted translations; false: reviewed ones only."
    )
    var allowDrafted: Bool?

    func run() throws {
        let actor = db.resolvedActor
        let allow = allowDrafted
        let settings: TranslationSettings = try db.withStore { store in
            if let allow {
                try await store.setTranslationSettings(
                    TranslationSettings(allowDraftedTranslations: allow),
                    actor: actor,
                    now: Date()
                )
            }
            return try await store.translationSettings()
        }
        print("allowDraftedTranslations: \(settings.allowDraftedTranslations)")
    }
}

/// Recounts every record's "waiting for translation" (after a deploy of templates or locales).
struct TranslationsRefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract:
            "Count every obligation's 'waiting for translation' again (after new templates or locales; audited)."
    )

    @OptionGroup var db: DatabaseOptions

    func run() throws {
        let actor = db.resolvedActor
        let n = try db.withStore { store in try await store.refreshTranslationWaits(actor: actor, now: Date()) }
        print("recounted the obligations of \(n) record(s)")
    }
}
