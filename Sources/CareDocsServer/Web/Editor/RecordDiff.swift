import CaresDocuments
import Foundation

/// What changed between two versions of a record, field by field, with the editor's
/// plain-language labels ("Goal 2 · What will be done — in Goals and action steps").
struct RecordDiff {
    struct Change {
        var key: String
        var label: String
        var before: String?
        var after: String?
    }

    var changes: [Change]

    init(from before: RecordJSON?, to after: RecordJSON?, outline: SchemaOutline) {
        let old = Self.flatten(before, outline)
        let new = Self.flatten(after, outline)
        let oldMap = Dictionary(old, uniquingKeysWith: { a, _ in a })
        let newMap = Dictionary(new, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        var out: [Change] = []
        for (key, _) in new + old where !seen.contains(key) {
            seen.insert(key)
            guard oldMap[key] != newMap[key] else { continue }
            out.append(Change(key: key, label: Self.label(key), before: oldMap[key], after: newMap[key]))
        }
        changes = out
    }

    /// `goals.0.description~es` → "Goal 1 · The goal, in the family's words (Spanish) — in Goals…".
    static func label(_ key: String) -> String {
        let parts = key.split(separator: "~", maxSplits: 1).map(String.init)
        let base = EditorLabels.describeWithSection(parts[0])
        guard parts.count == 2 else { return base }
        let language = SupportedLanguage.normalize(parts[1]).map(LanguageWords.name) ?? parts[1]
        if let dash = base.range(of: " — in ") {
            return String(base[..<dash.lowerBound]) + " (\(language))" + String(base[dash.lowerBound...])
        }
        return base + " (\(language))"
    }

    /// Every value of a record by field key, in words: a choice's or yes/no's words, an empty
    /// list or section as "(none)".
    static func flatten(_ value: RecordJSON?, _ outline: SchemaOutline) -> [(String, String)] {
        leaves(value, outline).map { ($0.key, text($0.value, $0.node)) }
    }

    static func text(_ value: RecordJSON, _ node: SchemaOutline?) -> String {
        switch value {
        case .array, .object: return "(none)"
        case .bool(let b) where node?.kind == .boolean: return b ? "Yes" : "No"
        default:
            let text = value.scalarText ?? "null"
            if let node, node.kind == .choice { return EditorLabels.choice(text, node) }
            return text
        }
    }

    struct Leaf {
        var key: String
        var value: RecordJSON
        var node: SchemaOutline?
    }

    /// Every value of a record by field key, in the schema's order: a translation under
    /// `key~language` (the source language's text under `key`), an empty list or section as
    /// itself.
    static func leaves(_ value: RecordJSON?, _ outline: SchemaOutline) -> [Leaf] {
        var out: [Leaf] = []
        walk(value, outline, [], value?["contentLanguage"]?.scalarText ?? "en", &out)
        return out
    }

    static func walk(
        _ value: RecordJSON?,
        _ node: SchemaOutline?,
        _ parts: [String],
        _ source: String,
        _ out: inout [Leaf]
    ) {
        guard let value else { return }
        let key = parts.joined(separator: ".")
        switch value {
        case .object(let members):
            if node?.kind == .translatable {
                for m in members {
                    out.append(Leaf(key: m.key == source ? key : "\(key)~\(m.key)", value: m.value, node: node))
                }
                return
            }
            if members.isEmpty { out.append(Leaf(key: key, value: value, node: node)) }
            let order = node?.properties.map(\.name) ?? []
            let sorted = members.sorted {
                (order.firstIndex(of: $0.key) ?? .max) < (order.firstIndex(of: $1.key) ?? .max)
            }
            for m in sorted { walk(m.value, node?.property(m.key), parts + [m.key], source, &out) }
        case .array(let items):
            if items.isEmpty { out.append(Leaf(key: key, value: value, node: node)) }
            for (n, item) in items.enumerated() { walk(item, node?.items, parts + [String(n)], source, &out) }
        default:
            out.append(Leaf(key: key, value: value, node: node))
        }
    }

    /// A table of the changes (or a sentence saying there are none).
    func table(caption: String, beforeTitle: String, afterTitle: String) -> String {
        guard !changes.isEmpty else { return "<p>No differences.</p>" }
        var html =
            "<table class=\"diff\"><caption>\(h(caption))</caption><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">\(h(beforeTitle))</th><th scope=\"col\">\(h(afterTitle))</th></tr></thead><tbody>"
        for c in changes {
            html +=
                "<tr><th scope=\"row\">\(h(c.label))</th><td>\(c.before.map { "<span class=\"old-value\">\(h($0))</span>" } ?? "<span class=\"note\">(empty)</span>")</td><td>\(c.after.map { "<span class=\"new-value\">\(h($0))</span>" } ?? "<span class=\"note\">(empty)</span>")</td></tr>"
        }
        return html + "</tbody></table>"
    }
}
