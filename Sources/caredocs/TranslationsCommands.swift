import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation
import Templating
import Typesetting

/// `caredocs translations …`: the translation memory beside the queue, and XLIFF for translators.
struct TranslationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translations",
        abstract:
            "The translation memory: XLIFF export and import of a record's passages, settings (official copies use reviewed translations only by default), refresh of the waiting counts.",
        subcommands: [
            TranslationsExportCommand.self, TranslationsImportCommand.self, TranslationsSettingsCommand.self,
            TranslationsRefreshCommand.self,
        ]
    )
}

/// Where a record comes from: a JSON file, or the latest version of a record in the store.
enum RecordSource {
    case file(String)
    case stored(String)

    init(_ argument: String) {
        let isFile =
            argument.hasSuffix(".json") || argument.contains("/")
            || FileManager.default.fileExists(atPath: argument)
        self = isFile ? .file(argument) : .stored(argument)
    }
}

/// Refused units, one line each on standard error, then exit 1.
func exitRefused(_ file: String, _ refusals: [RecordXLIFF.Refusal], what: String) -> Never {
    var text = "\(file): refused, \(what) (\(refusals.count) problem\(refusals.count == 1 ? "" : "s")):\n"
    for r in refusals { text += "  \(r.unit): \(r.reason)\n" }
    FileHandle.standardError.write(Data(text.utf8))
    exit(1)
}

extension DatabaseOptions {
    /// Whether a database was named (option or environment), or the default file exists: a
    /// record read from a file consults the memory only then, so that an export never creates
    /// a database as a side effect.
    var databaseIsAvailable: Bool {
        database != nil || ProcessInfo.processInfo.environment["CAREDOCS_DATABASE"] != nil
            || FileManager.default.fileExists(atPath: resolvedDatabase)
    }

    /// Opens the store with the record reads and the translation memory, runs `body`, closes it.
    func withTranslationStore<T: Sendable>(
        _ body: @escaping @Sendable (any DeadlineStore & AccessStore) async throws -> T
    ) throws -> T {
        let database = resolvedDatabase
        return try runBlocking {
            let store: any DeadlineStore & AccessStore
            do { store = try await openServiceStore(database) } catch {
                fail("cannot open the database: \(error)")
            }
            do {
                let value = try await body(store)
                try? await store.close()
                return value
            } catch {
                try? await store.close()
                throw error
            }
        }
    }
}

/// Reads and validates the latest version of a stored record (exit 1 when there is none).
func storedRecord(_ store: any AccessStore, _ recordId: String) async throws -> CareRecord {
    guard let latest = try await store.latestRecord(recordId: recordId) else {
        fail("no record \(recordId) in the database", code: 1)
    }
    switch CareRecordLoader.load(data: latest.body) {
    case .success(let record): return record
    case .failure(let failure):
        printProblems(failure.problems.map { ProblemOutput(path: $0.path, problem: $0.problem) }, json: false)
        fail("the stored record \(recordId) version \(latest.version) is not valid any more", code: 1)
    }
}

struct TranslationsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write a record's translatable passages as XLIFF 1.2: one unit per passage, pre-filled where possible.",
        discussion: """
            RECORD is a record id in the database (its latest version) or a record JSON file. \
            Each unit's id is the passage's JSON path; a note says which documents print it; the \
            target is pre-filled with the record's own text in the language, else the translation \
            memory's (state translated for drafted, final for reviewed), else left empty (state new). \
            A marker note carries the record, the languages and the source text's SHA-256, which \
            import checks; translate-toolkit's xliff2po and po2xliff keep it.
            """
    )

    @OptionGroup var databaseOptions: DatabaseOptions
    @Option(name: .customLong("db"), help: "Same as --database (as render --db).") var dbAlias: String?
    var db: DatabaseOptions {
        var options = databaseOptions
        if let dbAlias { options.database = dbAlias }
        return options
    }
    @Argument(help: "A record id in the database, or a record JSON file.") var record: String
    @Option(help: "The language to translate into (a tag: km, vi, ar …).") var language: String
    @Option(name: .shortAndLong, help: "The XLIFF file to write.") var output: String

    func run() throws {
        guard let language = SupportedLanguage.normalize(language) else {
            fail(
                "--language \(self.language) is not a supported language (\(SupportedLanguage.supportedTags.joined(separator: ", ")))",
                code: 1
            )
        }
        let source = RecordSource(record)
        let record: CareRecord
        var memory: [String: TranslationSegment] = [:]
        switch source {
        case .file(let path):
            record = loadRecord(path, json: false)
            if db.databaseIsAvailable {
                memory = try db.withTranslationStore { store in try await Self.memory(store, record, language) }
            }
        case .stored(let id):
            let loaded = try db.withTranslationStore { store in
                let r = try await storedRecord(store, id)
                return (r, try await Self.memory(store, r, language))
            }
            record = loaded.0
            memory = loaded.1
        }
        let exported: (document: XLIFFDocument, summary: RecordXLIFF.ExportSummary)
        do {
            exported = try RecordXLIFF.export(record: record, language: language, memory: memory)
        } catch {
            fail(error.description, code: 1)
        }
        let data: Data
        do { data = try XLIFFWriter.data(exported.document) } catch { fail("\(error)", code: 1) }
        do { try AtomicFile.write(data, to: URL(fileURLWithPath: output)) } catch { fail("\(error)") }
        let s = exported.summary
        print(
            "wrote \(output): record \(record.recordId ?? "") \(record.sourceLanguage.tag)→\(language.tag), "
                + "\(s.units) units (\(s.fromRecord) from the record, \(s.fromMemory) from the memory, \(s.empty) to translate)"
        )
    }

    static func memory(
        _ tm: any TranslationStore,
        _ record: CareRecord,
        _ language: SupportedLanguage
    ) async throws -> [String: TranslationSegment] {
        guard language != record.sourceLanguage else { return [:] }
        let sources = Array(Set(RecordXLIFF.exportedPassages(record).compactMap(\.source)))
        return try await tm.segments(
            sourceLanguage: record.sourceLanguage,
            targetLanguage: language,
            sourceTexts: sources
        )
    }
}

struct TranslationsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Save an XLIFF file's translations into the translation memory: all of them, or none (exit 1).",
        discussion: """
            Refused (exit 1, every unit with its reason, nothing saved): a unit whose source text \
            changed since export (the record's current text no longer has the exported SHA-256) or \
            no longer exists, whose placeholders ({name}, inline codes) differ from the source's, \
            or whose target language is not the one exported; a file caredocs did not export. \
            Reads files from CAT tools and from translate-toolkit's po2xliff (with or without -t). \
            Segments are saved reviewed when --reviewer is given and the file does not mark the \
            unit unfinished (a needs-… state, or fuzzy in PO: approved="no"); else drafted.
            """
    )

    @OptionGroup var databaseOptions: DatabaseOptions
    @Option(name: .customLong("db"), help: "Same as --database (as render --db).") var dbAlias: String?
    var db: DatabaseOptions {
        var options = databaseOptions
        if let dbAlias { options.database = dbAlias }
        return options
    }
    @Argument(help: "The XLIFF file.") var file: String
    @Option(help: "Who translated (kept with each segment).") var translator: String?
    @Option(help: "Who reviewed: the segments are saved as reviewed, fit for official copies.") var reviewer: String?
    @Option(help: "Check the file against this record JSON instead of the record stored under its id.")
    var record: String?
    @Option(help: "Refuse the file unless it translates into this language.") var language: String?

    func run() throws {
        var expected: SupportedLanguage?
        if let language {
            guard let l = SupportedLanguage.normalize(language) else {
                fail("--language \(language) is not a supported language", code: 1)
            }
            expected = l
        }
        if let r = reviewer, r.trimmingCharacters(in: .whitespaces).isEmpty { fail("--reviewer is blank", code: 1) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            fail("cannot read \(file): \(error.localizedDescription)")
        }
        let document: XLIFFDocument
        do { document = try XLIFFReader.read(data) } catch {
            fail("\(file): \(error)", code: 1)
        }
        let identity: (recordId: String, source: SupportedLanguage, target: SupportedLanguage)
        do {
            identity = try RecordXLIFF.identify(document)
        } catch {
            exitRefused(file, error.refusals, what: "nothing saved")
        }
        let expectedLanguage = expected
        let fileRecord = record.map { loadRecord($0, json: false) }
        let translator = self.translator
        let reviewer = self.reviewer
        let actor = db.resolvedActor
        let file = self.file
        let plan: RecordXLIFF.ImportPlan = try db.withTranslationStore { store in
            let current: CareRecord
            if let fileRecord {
                current = fileRecord
            } else {
                current = try await storedRecord(store, identity.recordId)
            }
            let sources = Array(Set(current.translatablePassages.compactMap(\.source)))
            let memory = try await store.segments(
                sourceLanguage: current.sourceLanguage,
                targetLanguage: identity.target,
                sourceTexts: sources
            )
            let plan = RecordXLIFF.plan(
                document,
                record: current,
                memory: memory,
                translator: translator,
                reviewer: reviewer,
                expectedLanguage: expectedLanguage,
                now: Date()
            )
            if plan.refusals.isEmpty && !plan.segments.isEmpty {
                try await store.saveSegments(plan.segments, actor: actor, now: Date())
            }
            return plan
        }
        if !plan.refusals.isEmpty { exitRefused(file, plan.refusals, what: "nothing saved") }
        let reviewed = plan.segments.filter { $0.status == .reviewed }.count
        var line =
            "\(file): record \(plan.recordId) \(plan.sourceLanguage.tag)→\(plan.targetLanguage.tag): "
            + "\(plan.segments.count) saved (\(reviewed) reviewed, \(plan.segments.count - reviewed) drafted), "
            + "\(plan.unchanged) unchanged, \(plan.untranslated) untranslated"
        if plan.draftedAsMarked > 0 {
            line += "; \(plan.draftedAsMarked) kept drafted: the file marks them unfinished (fuzzy or needs-…)"
        }
        print(line)
    }
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
