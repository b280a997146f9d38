import ArgumentParser
import CaresDocuments
import Foundation
import Templating

struct LocalesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locales",
        abstract: "Locale catalogs.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Missing keys, extra keys and placeholder mismatches against English; a key for every value of every enum of the care record schema, in every language; punctuation after dates, Latin punctuation in Arabic and Khmer, Simplified vs Traditional Chinese. Exits 1 on any."
        )

        @Option(help: "The Locales folder (default: found from the working directory).")
        var directory: String?

        func run() throws {
            let dir: URL
            do { dir = try directory.map { URL(fileURLWithPath: $0) } ?? LocaleSet.locate() } catch { fail("\(error)") }
            let set: LocaleSet
            do { set = try LocaleSet(directory: dir) } catch { fail("\(error)") }
            for tag in set.catalogs.keys.sorted() {
                let c = set.catalogs[tag]!
                print(
                    "\(tag.padding(toLength: 8, withPad: " ", startingAt: 0)) \(c.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(c.messages.count) messages  \(c.englishName)"
                )
            }
            let problems =
                set.problems() + CatalogCoverage.problems(in: set)
                + set.catalogs.keys.sorted().flatMap { LocaleLint.problems(set.catalogs[$0]!) }
            for p in problems { print("problem: \(p)") }
            if !problems.isEmpty { throw ExitCode(1) }
            let enums = (try? CatalogCoverage.schemaEnums()) ?? []
            print(
                "all \(set.catalogs.count) catalogs complete, with every value of the schema's \(enums.count) enums (\(enums.reduce(0) { $0 + $1.values.count }) values)"
            )
        }
    }
}
