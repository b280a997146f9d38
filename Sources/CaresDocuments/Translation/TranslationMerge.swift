import Foundation

/// Puts translations from the memory into a version 2 record's JSON, so that the one
/// record→PDF path (pipeline, render workers, caches) sees an ordinary record that holds them.
///
/// Every translatable passage (`CareRecord.translatablePassages`) with no text in a table's
/// target language whose source text is in the table gets that text: a plain string becomes
/// `{"<contentLanguage>": source, "<target>": text}`, an object gains the target's entry. Texts
/// the record already has win over the memory. Everything else keeps its meaning: field order
/// and numbers as written (the record's own JSON parser, `JSONValue`); when nothing is added the
/// bytes are returned as they came. Version 1 records, invalid records and tables of another
/// source language change nothing.
public enum TranslationMerge {
    /// The record's JSON with the tables' texts added (see the type's documentation).
    public static func merge(json: Data, tables: [TranslationTable]) -> Data {
        guard !tables.isEmpty, case .success(let record) = CareRecordLoader.load(data: json) else { return json }
        return merge(json: json, record: record, tables: tables)
    }

    /// As `merge(json:tables:)`, for bytes already loaded as `record`.
    public static func merge(json: Data, record: CareRecord, tables: [TranslationTable]) -> Data {
        guard record.declaresTranslations else { return json }
        let source = record.sourceLanguage
        var additions: [(path: [PathStep], target: SupportedLanguage, text: String)] = []
        let passages = record.translatablePassages
        for table in tables where table.sourceLanguage == source && table.targetLanguage != source {
            let resolver = ContentResolver(record: record, language: table.targetLanguage)
            for p in passages {
                guard let text = p.source, resolver.text(p.text) == nil,
                    let translated = table.texts[text], !translated.allSatisfy(\.isWhitespace),
                    let steps = PathStep.parse(p.path)
                else { continue }
                additions.append((steps, table.targetLanguage, translated))
            }
        }
        guard !additions.isEmpty, let parsed = try? JSONParser.parse(SourceText(json)) else { return json }
        var root = parsed.root
        var changed = false
        for a in additions {
            changed = add(&root, a.path[...], source: source, target: a.target, text: a.text) || changed
        }
        guard changed else { return json }
        var out = ""
        JSONWriter.write(root, indent: 0, into: &out)
        out.append("\n")
        return Data(out.utf8)
    }

    /// One step of a passage path: a field name or a list index.
    enum PathStep: Hashable {
        case key(String)
        case index(Int)

        /// `goals[0].actions[1].description` → key, index, key, index, key; `nil` when the path
        /// is not of that form.
        static func parse(_ path: String) -> [PathStep]? {
            var steps: [PathStep] = []
            for part in path.split(separator: ".", omittingEmptySubsequences: false) {
                var rest = Substring(part)
                let bracket = rest.firstIndex(of: "[") ?? rest.endIndex
                let name = rest[..<bracket]
                guard !name.isEmpty else { return nil }
                steps.append(.key(String(name)))
                rest = rest[bracket...]
                while rest.first == "[" {
                    guard let close = rest.firstIndex(of: "]"),
                        let i = Int(rest[rest.index(after: rest.startIndex)..<close])
                    else { return nil }
                    steps.append(.index(i))
                    rest = rest[rest.index(after: close)...]
                }
                guard rest.isEmpty else { return nil }
            }
            return steps
        }
    }

    /// Adds `text` in `target` at `path` (a plain string becomes an object); whether it did.
    private static func add(
        _ value: inout JSONValue,
        _ path: ArraySlice<PathStep>,
        source: SupportedLanguage,
        target: SupportedLanguage,
        text: String
    ) -> Bool {
        guard let step = path.first else {
            switch value {
            case .string(let s):
                var object = JSONObject()
                object.members = [
                    .init(key: source.tag, value: .string(s)), .init(key: target.tag, value: .string(text)),
                ]
                value = .object(object)
                return true
            case .object(var object):
                let present = object.members.contains { SupportedLanguage.normalize($0.key) == target }
                guard !present else { return false }
                object.members.append(.init(key: target.tag, value: .string(text)))
                value = .object(object)
                return true
            default:
                return false
            }
        }
        switch (step, value) {
        case (.key(let k), .object(var object)):
            guard let i = object.index(of: k) else { return false }
            let done = add(&object.members[i].value, path.dropFirst(), source: source, target: target, text: text)
            value = .object(object)
            return done
        case (.index(let i), .array(var items)):
            guard items.indices.contains(i) else { return false }
            let done = add(&items[i], path.dropFirst(), source: source, target: target, text: text)
            value = .array(items)
            return done
        default:
            return false
        }
    }
}

/// `JSONValue` as JSON text: two-space indentation, fields in their order, numbers as written,
/// strings escaped as RFC 8259 requires (other characters as they are).
enum JSONWriter {
    static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch value {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .number(let n): out.append(n)
        case .string(let s): string(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out.append("[]")
                return
            }
            out.append("[\n")
            for (i, item) in items.enumerated() {
                out.append(pad)
                write(item, indent: indent + 1, into: &out)
                out.append(i == items.count - 1 ? "\n" : ",\n")
            }
            out.append(close + "]")
        case .object(let object):
            if object.members.isEmpty {
                out.append("{}")
                return
            }
            out.append("{\n")
            for (i, m) in object.members.enumerated() {
                out.append(pad)
                string(m.key, into: &out)
                out.append(": ")
                write(m.value, indent: indent + 1, into: &out)
                out.append(i == object.members.count - 1 ? "\n" : ",\n")
            }
            out.append(close + "}")
        }
    }

    static func string(_ s: String, into out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            case let c where c.value < 0x20:
                out.append(String(format: "\\u%04x", c.value))
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}
