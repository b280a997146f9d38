import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation

/// `caredocs translations …`: the translation memory beside the queue.
struct TranslationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translations",
        abstract: "The translation memory: settings (official copies use reviewed translations only by default).",
        subcommands: [TranslationsSettingsCommand.self]
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
