import CaresDocuments
import Foundation

/// A refused save (another version was saved since the form was opened), merged field by field:
/// what the other save changed and the coordinator left as it was is taken into the form; where
/// both changed a field, what the coordinator typed is kept and the field is named. Saving the
/// merged form then loses neither side's work silently.
struct RecordMerge {
    enum Outcome: Equatable {
        /// Only they changed it: their value is now in the form.
        case taken
        /// Both changed it, differently: the typed value is kept.
        case kept
        /// Both changed it the same way.
        case same
    }

    var record: RecordJSON
    /// Every field the other save changed (base → latest), and what became of it.
    var outcomes: [(key: String, outcome: Outcome)]

    init(typed: RecordJSON, base: RecordJSON?, latest: RecordJSON?, outline: SchemaOutline) {
        var result = EditorForm.pruned(typed) ?? .object([])
        let mine = Dictionary(
            RecordDiff.leaves(result, outline).map { ($0.key, $0.value) },
            uniquingKeysWith: { a, _ in a }
        )
        let before = RecordDiff.leaves(base, outline)
        let after = RecordDiff.leaves(latest, outline)
        let old = Dictionary(before.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(after.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let source = result["contentLanguage"]?.scalarText ?? "en"
        var seen = Set<String>()
        var outcomes: [(key: String, outcome: Outcome)] = []
        for key in (after + before).map(\.key) where !seen.contains(key) {
            seen.insert(key)
            guard old[key] != new[key] else { continue }
            if mine[key] == new[key] {
                outcomes.append((key, .same))
            } else if mine[key] == old[key] {
                result = Self.setting(result, key: key, to: new[key], source: source, outline: outline) ?? .object([])
                outcomes.append((key, .taken))
            } else {
                outcomes.append((key, .kept))
            }
        }
        record = result
        self.outcomes = outcomes
    }

    /// `record` with the leaf at `key` (`goals.0.description`, `goals.0.description~es`) set to
    /// `value`, or removed when `nil`.
    static func setting(
        _ record: RecordJSON,
        key: String,
        to value: RecordJSON?,
        source: String,
        outline: SchemaOutline
    ) -> RecordJSON? {
        let split = key.split(separator: "~", maxSplits: 1).map(String.init)
        let parts = split[0].split(separator: ".").map(String.init)
        let language = split.count == 2 ? split[1] : nil
        let translatable = outline.node(at: parts)?.kind == .translatable
        return updating(record, parts[...]) { current in
            guard translatable, language != nil || current?.members != nil else { return value }
            // One language of a translatable text.
            let lang = language ?? source
            var members: [RecordJSON.Member]
            switch current {
            case .object(let m)?: members = m
            case .string(let s)?: members = [.init(source, .string(s))]
            default: members = []
            }
            if let i = members.firstIndex(where: { $0.key == lang }) {
                if let value { members[i].value = value } else { members.remove(at: i) }
            } else if let value {
                members.append(.init(lang, value))
            }
            return members.isEmpty ? nil : .object(members)
        }
    }

    static func updating(
        _ current: RecordJSON?,
        _ parts: ArraySlice<String>,
        _ change: (RecordJSON?) -> RecordJSON?
    ) -> RecordJSON? {
        guard let first = parts.first else { return change(current) }
        let rest = parts.dropFirst()
        if let n = Int(first), current == nil || current?.items != nil {
            var items = current?.items ?? []
            while items.count <= n { items.append(.null) }
            items[n] = updating(items[n] == .null ? nil : items[n], rest, change) ?? .null
            return .array(items)
        }
        var members = current?.members ?? []
        let index = members.firstIndex { $0.key == first }
        let updated = updating(index.map { members[$0].value }, rest, change)
        switch (index, updated) {
        case (let i?, let v?): members[i].value = v
        case (let i?, nil): members.remove(at: i)
        case (nil, let v?): members.append(.init(first, v))
        case (nil, nil): break
        }
        return members.isEmpty ? nil : .object(members)
    }

    /// The other save's changes, with the form's value and what became of each.
    func table(_ diff: RecordDiff, base: Int, latest: Int, outline: SchemaOutline) -> String {
        let mine = Dictionary(RecordDiff.flatten(record, outline), uniquingKeysWith: { a, _ in a })
        let outcome = Dictionary(outcomes.map { ($0.key, $0.outcome) }, uniquingKeysWith: { a, _ in a })
        var html =
            "<table class=\"diff\"><caption>Changes saved since you opened the form (version \(base) → version \(latest))</caption><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Version \(base)</th><th scope=\"col\">Version \(latest)</th><th scope=\"col\">In your form now</th></tr></thead><tbody>"
        func cell(_ text: String?, _ cls: String) -> String {
            text.map { "<span class=\"\(cls)\">\(h($0))</span>" } ?? "<span class=\"note\">(empty)</span>"
        }
        for c in diff.changes {
            let note =
                switch outcome[c.key] {
                case .taken?: " <span class=\"ok\">(their change, taken into your form)</span>"
                case .kept?: " <strong class=\"missing\">(you changed it too: yours is kept — check it)</strong>"
                default: ""
                }
            html +=
                "<tr><th scope=\"row\">\(h(c.label))</th><td>\(cell(c.before, "old-value"))</td><td>\(cell(c.after, "new-value"))</td><td>\(cell(mine[c.key], ""))\(note)</td></tr>"
        }
        return html + "</tbody></table>"
    }
}
