import ArgumentParser
import CaresDocuments
import Foundation
import Templating
import Typesetting

struct LocalesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locales",
        abstract: "Locale catalogs.",
        subcommands: [Check.self, MarkReviewed.self, MarkDrafted.self, Export.self, Import.self]
    )

    static func directory(_ option: String?) -> URL {
        do { return try option.map { URL(fileURLWithPath: $0) } ?? LocaleSet.locate() } catch { fail("\(error)") }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Missing keys, extra keys and placeholder mismatches against English; a key for every value of every enum of the care record schema, in every language; the in-sentence name of every language in every catalog; punctuation after dates, Latin punctuation in Arabic and Khmer, Simplified vs Traditional Chinese. Exits 1 on any. Stale translations (English changed since) and keys without review metadata are warnings (they count as drafted on documents); --strict exits 1 on them too.",
            discussion:
                "A stale key is one whose English message changed after it was translated or reviewed: the translation may now say something else. It counts as drafted (documents using the catalog stay marked 'translation: drafted') until a translator updates it and runs `caredocs locales mark-reviewed`."
        )

        @Option(help: "The Locales folder (default: found from the working directory).")
        var directory: String?

        @Flag(help: "Also exit 1 on stale translations and keys without review metadata.")
        var strict = false

        func run() throws {
            let dir = LocalesCommand.directory(directory)
            let set: LocaleSet
            do { set = try LocaleSet(directory: dir) } catch { fail("\(error)") }
            let findings = set.reviewFindings()
            for tag in set.catalogs.keys.sorted() {
                let c = set.catalogs[tag]!
                var line =
                    "\(tag.padding(toLength: 8, withPad: " ", startingAt: 0)) \(c.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(c.messages.count) messages  \(c.englishName)"
                if tag != LocaleSet.reference {
                    let reviewed = c.messages.keys.filter { c.status(of: $0) == .reviewed }.count
                    let stale = c.staleKeys.intersection(c.messages.keys).count
                    line += "  (\(reviewed) reviewed, \(stale) stale, \(c.editedKeys.count) edited after review)"
                }
                print(line)
            }
            let problems =
                set.problems() + CatalogCoverage.problems(in: set)
                + set.catalogs.keys.sorted().flatMap { LocaleLint.problems(set.catalogs[$0]!) }
            for p in problems { print("problem: \(p)") }
            for f in findings {
                print("\(f.kind == .stale ? "stale" : f.kind == .editedAfterReview ? "edited" : "warning"): \(f)")
            }
            if !findings.isEmpty {
                let stale = findings.filter { $0.kind == .stale }.count
                let missing = findings.filter { $0.kind == .missingMetadata }.count
                let orphan = findings.filter { $0.kind == .orphanMetadata }.count
                let edited = findings.filter { $0.kind == .editedAfterReview }.count
                print(
                    "warnings: \(stale) stale translations (English changed since), \(edited) translations edited after review, \(missing) keys without review metadata, \(orphan) review entries without a message; stale, edited and unreviewed keys count as drafted\(strict ? "" : " (--strict fails on them)")"
                )
            }
            if !problems.isEmpty || (strict && !findings.isEmpty) { throw ExitCode(1) }
            let enums = (try? CatalogCoverage.schemaEnums()) ?? []
            print(
                "all \(set.catalogs.count) catalogs complete, with every value of the schema's \(enums.count) enums (\(enums.reduce(0) { $0 + $1.values.count }) values)"
            )
        }
    }

    /// The options shared by `mark-reviewed` and `mark-drafted`.
    struct KeySelection: ParsableArguments {
        @Option(help: "The catalog's language tag (es, pt-BR, zh-Hant …), several separated by commas, or all.")
        var locale: String

        @Option(help: "Comma-separated message keys.")
        var keys: String?

        @Flag(help: "Every message of the catalog.")
        var all = false

        @Option(help: "The Locales folder (default: found from the working directory).")
        var directory: String?

        func validate() throws {
            if all == (keys != nil) { throw ValidationError("give --keys k1,k2 or --all") }
        }

        var keyList: [String]? {
            keys.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }

        func mark(_ status: LocaleCatalog.Status, reviewer: String?) {
            let dir = LocalesCommand.directory(directory)
            let results: [(locale: String, keys: [String])]
            do {
                results = try CatalogReviewWriter.mark(
                    directory: dir,
                    locale: locale,
                    keys: keyList,
                    status: status,
                    reviewer: reviewer
                )
            } catch { fail("\(error)") }
            let who = reviewer.map { " by \($0)" } ?? ""
            for (tag, changed) in results {
                print("\(tag): \(changed.count) key\(changed.count == 1 ? "" : "s") marked \(status.rawValue)\(who)")
                for key in changed { print("  \(key)") }
            }
        }
    }

    struct MarkReviewed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mark-reviewed",
            abstract:
                "Records that a qualified translator reviewed keys of a catalog: status reviewed, the reviewer, and the hash of the current English message (which clears 'stale'). Written atomically into Locales/<tag>.json; commit the file so the review is in git."
        )

        @OptionGroup var selection: KeySelection

        @Option(help: "Who reviewed the translation (name and qualification).")
        var reviewer: String

        func run() throws { selection.mark(.reviewed, reviewer: reviewer) }
    }

    struct MarkDrafted: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mark-drafted",
            abstract:
                "Records that keys of a catalog are drafts (after a new key or an updated draft translation): status drafted, no reviewer, the hash of the current English message."
        )

        @OptionGroup var selection: KeySelection

        func run() throws { selection.mark(.drafted, reviewer: nil) }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a catalog's messages as XLIFF 1.2 for translators: one unit per message key.",
            discussion: """
                Each unit's id is the message key; the source is the English message, the target the \
                catalog's translation: state translated while drafted, final and approved when \
                reviewed, needs-review-translation when the English changed since (stale), empty \
                (new) when there is none. A note says in plain words where the message is printed \
                (and that the English changed, for a stale key); a marker note from "developer" \
                carries the key and the English message's SHA-256, which import checks \
                (translate-toolkit's xliff2po and po2xliff -t keep it). \
                --only: needs-work (the default: stale, drafted or untranslated), stale, \
                untranslated, drafted, or all.
                """
        )

        @Option(help: "The catalog's language tag (es, pt-BR, ar …).") var locale: String
        @Option(name: .shortAndLong, help: "The XLIFF file to write.") var output: String
        @Option(help: "Which keys: needs-work (default), stale, untranslated, drafted or all.") var only: String =
            "needs-work"
        @Option(help: "The Locales folder (default: found from the working directory).") var directory: String?

        func run() throws {
            guard let selection = CatalogXLIFF.Selection(rawValue: only) else {
                fail(
                    "--only \(only): expected one of \(CatalogXLIFF.Selection.allCases.map(\.rawValue).joined(separator: ", "))",
                    code: 1
                )
            }
            let dir = LocalesCommand.directory(directory)
            let exported: (document: XLIFFDocument, summary: CatalogXLIFF.ExportSummary)
            do {
                let set = try LocaleSet(directory: dir)
                let order = try CatalogXLIFF.keyOrder(dir.appendingPathComponent("\(LocaleSet.reference).json"))
                exported = try CatalogXLIFF.export(set: set, locale: locale, order: order, only: selection)
            } catch { fail("\(error)", code: 1) }
            let data: Data
            do { data = try XLIFFWriter.data(exported.document) } catch { fail("\(error)", code: 1) }
            do { try AtomicFile.write(data, to: URL(fileURLWithPath: output)) } catch { fail("\(error)") }
            let s = exported.summary
            print(
                "wrote \(output): \(locale) (\(selection.rawValue)), \(s.units) units (\(s.stale) stale, \(s.drafted) drafted, "
                    + "\(s.reviewed) reviewed, \(s.untranslated) untranslated)"
            )
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write an XLIFF file's translations into Locales/<tag>.json (messages and review map): all of them, or none (exit 1).",
            discussion: """
                Refused (exit 1, every unit with its reason, nothing written): a key not in en.json, \
                an English message changed since export (the hash in the marker note is not the \
                current English's: export again), an edited source, placeholders ({name}) other than \
                the English's, an empty translation of a translated key, a target language other \
                than the catalog's; a file caredocs locales export did not write. Keys are recorded \
                reviewed by --reviewer when it is given and the file does not mark the unit \
                unfinished (a needs-… state, or fuzzy in PO: approved="no"), else drafted, with the \
                hash of the current English. Only the changed message lines and their review lines \
                of the catalog change (written atomically); commit the catalog.
                """
        )

        @Argument(help: "The XLIFF file.") var file: String
        @Option(help: "Who reviewed (name and qualification): the translations are recorded as reviewed.")
        var reviewer: String?
        @Option(help: "The Locales folder (default: found from the working directory).") var directory: String?

        func run() throws {
            if let r = reviewer, r.trimmingCharacters(in: .whitespaces).isEmpty { fail("--reviewer is blank", code: 1) }
            let dir = LocalesCommand.directory(directory)
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                fail("cannot read \(file): \(error.localizedDescription)")
            }
            let document: XLIFFDocument
            do { document = try XLIFFReader.read(data) } catch { fail("\(file): \(error)", code: 1) }
            let plan: CatalogXLIFF.ImportPlan
            do { plan = try CatalogXLIFF.importFile(document, directory: dir, reviewer: reviewer) } catch {
                fail("\(error)")
            }
            if !plan.refusals.isEmpty {
                let n = plan.refusals.count
                var text = "\(file): refused, nothing written (\(n) problem\(n == 1 ? "" : "s")):\n"
                for r in plan.refusals { text += "  \(r.unit): \(r.reason)\n" }
                FileHandle.standardError.write(Data(text.utf8))
                throw ExitCode(1)
            }
            var line =
                "\(file): \(plan.locale).json: \(plan.updated.count) updated (\(plan.reviewed) reviewed, \(plan.drafted) drafted), "
                + "\(plan.unchanged) unchanged, \(plan.untranslated) untranslated"
            if plan.draftedAsMarked > 0 {
                line += "; \(plan.draftedAsMarked) kept drafted: the file marks them unfinished (fuzzy or needs-…)"
            }
            print(line)
            for key in plan.updated { print("  \(key)") }
        }
    }
}
