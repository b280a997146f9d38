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
        var out: [UInt8] = []
        out.reserveCapacity(json.count + additions.reduce(0) { $0 + $1.text.utf8.count + 16 })
        JSONWriter.write(root, indent: 0, into: &out)
        out.append(0x0A)
        return Data(out)
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
        // The container is taken out of `value` (left `.null` meanwhile) so that it is the only
        // reference to its storage and changes in place: binding it from `value` and writing it
        // back copied every container on the path, once per text added.
        switch step {
        case .key(let k):
            guard case .object(var object) = value, let i = object.index(of: k) else { return false }
            value = .null
            let done = add(&object.members[i].value, path.dropFirst(), source: source, target: target, text: text)
            value = .object(object)
            return done
        case .index(let i):
            guard case .array(var items) = value, items.indices.contains(i) else { return false }
            value = .null
            let done = add(&items[i], path.dropFirst(), source: source, target: target, text: text)
            value = .array(items)
            return done
        }
    }
}

/// `JSONValue` as JSON text (UTF-8 bytes): two-space indentation, fields in their order,
/// numbers as written, strings escaped as RFC 8259 requires (other characters as they are).
enum JSONWriter {
    static func write(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): string(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(contentsOf: "[\n".utf8)
            for (i, item) in items.enumerated() {
                pad(indent + 1, into: &out)
                write(item, indent: indent + 1, into: &out)
                if i < items.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent, into: &out)
            out.append(0x5D)
        case .object(let object):
            if object.members.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(contentsOf: "{\n".utf8)
            for (i, m) in object.members.enumerated() {
                pad(indent + 1, into: &out)
                string(m.key, into: &out)
                out.append(contentsOf: ": ".utf8)
                write(m.value, indent: indent + 1, into: &out)
                if i < object.members.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent, into: &out)
            out.append(0x7D)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func pad(_ level: Int, into out: inout [UInt8]) {
        for _ in 0..<level { out.append(contentsOf: "  ".utf8) }
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default:
                // UTF-8 continuation and lead bytes are never below 0x80: copied as they are.
                out.append(byte)
            }
        }
        out.append(0x22)
    }
}
