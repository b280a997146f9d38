import Foundation
import Testing

/// Debian's translate-toolkit as a translator uses it between `caredocs … export` and
/// `… import`: `xliff2po`, the PO edited with the toolkit's own PO library (what a translator's
/// editor does), then `po2xliff -t original.xlf`, which appends the PO's units to the template
/// as a second `<file>`.
enum TranslateToolkit {
    static var available: Bool {
        ["/usr/bin/xliff2po", "/usr/bin/po2xliff"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let notInstalled: Comment = "translate-toolkit is not installed (scripts/setup.sh installs it)"

    /// How the PO is edited; `translations` is the mapping the edit reads.
    enum Edit {
        /// Fills every empty msgstr from msgid → msgstr; fails when a unit has none.
        case fillEmpty
        /// Sets the msgstr of the units whose `#:` location is a key (location → msgstr) and
        /// clears their fuzzy flag; fails when a key is not found.
        case setByLocation

        var loop: String {
            switch self {
            case .fillEmpty:
                """
                missing = []
                for unit in store.units:
                    if unit.isheader() or unit.target:
                        continue
                    if unit.source in mapping:
                        unit.target = mapping[unit.source]
                    else:
                        missing.append(unit.source)
                store.save()
                if missing:
                    print("no translation for", len(missing), "units", file=sys.stderr)
                    sys.exit(3)
                """
            case .setByLocation:
                """
                done = set()
                for unit in store.units:
                    for key in unit.getlocations():
                        if key in mapping:
                            unit.target = mapping[key]
                            unit.markfuzzy(False)
                            done.add(key)
                store.save()
                if done != set(mapping):
                    print("not found:", sorted(set(mapping) - done), file=sys.stderr)
                    sys.exit(3)
                """
            }
        }
    }

    /// Edits the PO file `po` in place; the mapping is written to `mapping.json` beside it.
    static func edit(_ po: String, _ edit: Edit, _ translations: [String: String]) throws {
        let mapping = URL(filePath: po).deletingLastPathComponent().appending(path: "mapping.json")
            .path(percentEncoded: false)
        try JSONSerialization.data(withJSONObject: translations).write(to: URL(filePath: mapping))
        let script = """
            import json, sys
            from translate.storage import po
            mapping = json.load(open(sys.argv[2], encoding="utf-8"))
            store = po.pofile.parsefile(sys.argv[1])

            """ + edit.loop
        let result = try DocTest.run("/usr/bin/python3", ["-c", script, po, mapping])
        try #require(result.status == 0, "editing the PO failed: \(result.stderr)")
    }

    /// `name.xlf` → xliff2po → `name.po`, edited → po2xliff -t → `name.back.xlf` (beside the
    /// exported file); returns the path of the file to import.
    static func throughPO(_ xlf: String, _ edit: Edit, _ translations: [String: String]) throws -> String {
        let base = String(xlf.dropLast(".xlf".count))
        let po = base + ".po"
        let toPO = try DocTest.run("/usr/bin/xliff2po", ["--progress=none", xlf, po])
        try #require(toPO.status == 0, "xliff2po: \(toPO.stderr)")
        try Self.edit(po, edit, translations)
        let back = base + ".back.xlf"
        let toXLIFF = try DocTest.run("/usr/bin/po2xliff", ["--progress=none", "-t", xlf, po, back])
        try #require(toXLIFF.status == 0, "po2xliff: \(toXLIFF.stderr)")
        return back
    }
}
