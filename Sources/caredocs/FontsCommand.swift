import ArgumentParser
import Foundation
import Typesetting

struct FontsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fonts",
        abstract: "Bundled fonts.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Which manifest fonts are present and which scripts are covered. Exits 1 when any is missing."
        )

        func run() throws {
            let manifest: FontManifest
            do { manifest = try FontManifest.load(from: FontManifest.locate()) } catch { fail("\(error)") }
            var missing = 0
            print("Fonts (\(manifest.directory.path)):")
            for f in manifest.files() {
                print(
                    "  \(f.present ? "ok     " : "MISSING") \(f.family.padding(toLength: 11, withPad: " ", startingAt: 0)) \(f.file)"
                )
                if !f.present { missing += 1 }
            }
            let coverage = FontCoverage.check(manifest: manifest)
            print("Scripts:")
            for c in coverage {
                print(
                    "  \(c.covered ? "ok     " : "MISSING") \(c.script) \(c.sample) → \(c.fonts.joined(separator: ", "))"
                )
                if !c.covered { missing += 1 }
            }
            if missing > 0 {
                print("\(missing) problem(s): run scripts/setup.sh")
                throw ExitCode(1)
            }
        }
    }
}
