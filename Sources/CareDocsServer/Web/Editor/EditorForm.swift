import CaresDocuments
import Foundation

/// The editor's form back into a record: every input is named by its JSON path (`member.firstName`,
/// `goals.0.actions.1.description`; a translation `goals.0.description~es`), so the schema walk
/// below rebuilds the JSON from the names. Rows are kept while the coordinator edits (an added
/// row is `null` until something is typed in it); `pruned` drops what is empty before a save.
enum EditorForm {
    /// Control fields (never record paths).
    static let actionField = "_action"
    static let baseField = "_base"
    static let jsonField = "_json"
    /// A list stated empty on purpose ("there are none").
    static let noneSuffix = ".#none"

    /// The care record schema's outline (500 when the build lacks it).
    static var outline: SchemaOutline {
        get throws {
            guard let o = SchemaOutline.careRecord else {
                throw APIError(.internalServerError, "the care record schema is missing from this build")
            }
            return o
        }
    }

    /// The typed values by input name (line ends as the record keeps them).
    struct Values {
        var fields: [String: String]
        /// Row numbers present under each list's path.
        var rows: [String: Set<Int>] = [:]

        init(_ fields: [String: String]) {
            self.fields = fields.mapValues { $0.replacingOccurrences(of: "\r\n", with: "\n") }
            for name in fields.keys where !name.hasPrefix("_") {
                let path = name.split(separator: "~", maxSplits: 1).first.map(String.init) ?? name
                let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                for (i, part) in parts.enumerated() where i > 0 {
                    if let n = Int(part), n >= 0, n < 10_000 {
                        rows[parts[..<i].joined(separator: "."), default: []].insert(n)
                    }
                }
            }
        }

        subscript(_ name: String) -> String? {
            guard let v = fields[name], !v.isEmpty else { return nil }
            return v
        }

        /// The translations typed for a field: language tag → text.
        func translations(_ key: String) -> [(String, String)] {
            fields.compactMap { name, value in
                guard name.hasPrefix(key + "~"), !value.isEmpty else { return nil }
                return (String(name.dropFirst(key.count + 1)), value)
            }.sorted { $0.0 < $1.0 }
        }
    }

    /// The record as typed.
    static func parse(_ values: Values, outline: SchemaOutline) -> RecordJSON {
        let source = values["contentLanguage"] ?? "en"
        return value(outline, [], values, source: source) ?? .object([])
    }

    static func value(_ node: SchemaOutline, _ parts: [String], _ v: Values, source: String) -> RecordJSON? {
        let key = parts.joined(separator: ".")
        switch node.kind {
        case .object:
            let members = node.properties.compactMap { p in
                value(p.node, parts + [p.name], v, source: source).map { RecordJSON.Member(p.name, $0) }
            }
            if members.isEmpty { return mayBeStatedEmpty(parts) && v[key + noneSuffix] != nil ? .object([]) : nil }
            return .object(members)
        case .array:
            let rows = (v.rows[key] ?? []).sorted()
            if rows.isEmpty { return v[key + noneSuffix] == nil ? nil : .array([]) }
            guard let items = node.items else { return nil }
            return .array(rows.map { value(items, parts + [String($0)], v, source: source) ?? .null })
        case .translatable:
            let translations = v.translations(key).filter { $0.0 != source }
            let text = v[key]
            if translations.isEmpty { return text.map(RecordJSON.string) }
            return .object(
                (text.map { [RecordJSON.Member(source, .string($0))] } ?? [])
                    + translations.map { RecordJSON.Member($0.0, .string($0.1)) }
            )
        case .choice:
            guard let text = v[key] else { return nil }
            return node.numericChoices && Double(text) != nil ? .number(text) : .string(text)
        case .boolean:
            switch v[key] {
            case "true"?: return .bool(true)
            case "false"?: return .bool(false)
            case let other?: return .string(other)
            case nil: return nil
            }
        case .number, .integer:
            guard let text = v[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return Double(text) != nil && !text.contains(where: { $0.isLetter }) ? .number(text) : .string(text)
        case .text, .date:
            return v[key].map(RecordJSON.string)
        }
    }

    /// Sections (top-level objects but the member) that may be saved empty on purpose: the
    /// documents read `"education": {}` as "no educational needs".
    static func mayBeStatedEmpty(_ parts: [String]) -> Bool {
        parts.count == 1 && parts[0] != "member"
    }

    /// Without the empty rows; a list left with no rows is dropped, one stated empty stays `[]`.
    static func pruned(_ value: RecordJSON) -> RecordJSON? {
        switch value {
        case .null: return nil
        case .object(let members):
            if members.isEmpty { return value }
            let kept = members.compactMap { m in pruned(m.value).map { RecordJSON.Member(m.key, $0) } }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let items):
            if items.isEmpty { return .array([]) }
            let kept = items.compactMap(pruned)
            return kept.isEmpty ? nil : .array(kept)
        case .string(let s): return s.isEmpty ? nil : value
        default: return value
        }
    }

    // MARK: Row buttons

    enum RowAction: Equatable {
        case add(String)
        case remove(String, Int)
        case up(String, Int)
        case down(String, Int)

        /// `add goals.0.actions`, `remove goals.1`, `up goals.1`, `down goals.1`.
        init?(_ text: String) {
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            if parts[0] == "add" {
                self = .add(parts[1])
                return
            }
            guard let dot = parts[1].lastIndex(of: "."), let n = Int(parts[1][parts[1].index(after: dot)...]) else {
                return nil
            }
            let list = String(parts[1][..<dot])
            switch parts[0] {
            case "remove": self = .remove(list, n)
            case "up": self = .up(list, n)
            case "down": self = .down(list, n)
            default: return nil
            }
        }
    }

    /// The record with one row added, removed or moved.
    static func apply(_ action: RowAction, to record: RecordJSON) -> RecordJSON {
        let list: String
        switch action {
        case .add(let l), .remove(let l, _), .up(let l, _), .down(let l, _): list = l
        }
        let parts = list.split(separator: ".").map(String.init)
        return modify(record, parts[...]) { current in
            var items = current?.items ?? []
            switch action {
            case .add: items.append(.null)
            case .remove(_, let n) where items.indices.contains(n): items.remove(at: n)
            case .up(_, let n) where n > 0 && items.indices.contains(n): items.swapAt(n, n - 1)
            case .down(_, let n) where items.indices.contains(n + 1): items.swapAt(n, n + 1)
            default: break
            }
            return .array(items)
        }
    }

    static func modify(
        _ value: RecordJSON?,
        _ parts: ArraySlice<String>,
        _ change: (RecordJSON?) -> RecordJSON
    ) -> RecordJSON {
        guard let first = parts.first else { return change(value) }
        let rest = parts.dropFirst()
        if let n = Int(first), case .array(var items)? = value, items.indices.contains(n) {
            items[n] = modify(items[n], rest, change)
            return .array(items)
        }
        var members = value?.members ?? []
        if let i = members.firstIndex(where: { $0.key == first }) {
            members[i].value = modify(members[i].value, rest, change)
        } else {
            members.append(.init(first, modify(nil, rest, change)))
        }
        return .object(members)
    }

    // MARK: Problems next to fields

    /// `goals[1].actions[0].description` → `["goals", "1", "actions", "0", "description"]`.
    static func parts(ofProblemPath path: String) -> [String] {
        var out: [String] = []
        var current = ""
        var i = path.startIndex
        while i < path.endIndex {
            let c = path[i]
            if c == "." {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else if c == "[" {
                if !current.isEmpty { out.append(current) }
                current = ""
                let close = path[i...].firstIndex(of: "]") ?? path.endIndex
                var inner = String(path[path.index(after: i)..<close])
                if inner.hasPrefix("\"") { inner = String(inner.dropFirst().dropLast()) }
                out.append(inner)
                i = close
                if i == path.endIndex { break }
            } else {
                current.append(c)
            }
            i = path.index(after: i)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The field or group a problem belongs to: the longest part of its path the schema knows
    /// (a translation's language, an unknown field: the field or group around it).
    static func fieldKey(forProblemPath path: String, outline: SchemaOutline) -> String {
        let parts = parts(ofProblemPath: path)
        var known = 0
        var node: SchemaOutline? = outline
        for (i, part) in parts.enumerated() {
            guard let current = node else { break }
            let next = current.kind == .array ? (Int(part) == nil ? nil : current.items) : current.property(part)
            guard let next else { break }
            node = next
            known = i + 1
            if next.kind == .translatable { break }
        }
        return parts.prefix(known).joined(separator: ".")
    }
}
