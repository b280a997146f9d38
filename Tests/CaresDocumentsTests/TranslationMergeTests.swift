import Foundation
import Testing

@testable import CaresDocuments

/// `TranslationMerge`: the memory's texts put into a version 2 record's JSON.
@Suite struct TranslationMergeTests {
    /// `data` with every translation object reduced to its content-language text (the record as
    /// a coordinator wrote it, before any translation), as JSON bytes.
    static func stripped(_ data: Data) throws -> Data {
        let root = try JSONParser.parse(SourceText(data)).root
        let content = root["contentLanguage"]?.stringValue ?? "en"
        func strip(_ v: JSONValue) -> JSONValue {
            switch v {
            case .object(var o):
                let isText =
                    !o.members.isEmpty
                    && o.members.allSatisfy { m in
                        m.value.stringValue != nil && SupportedLanguage.normalize(m.key) != nil
                    } && o[content] != nil
                if isText { return o[content]! }
                for i in o.members.indices { o.members[i].value = strip(o.members[i].value) }
                return .object(o)
            case .array(let items): return .array(items.map(strip))
            default: return v
            }
        }
        var out: [UInt8] = []
        JSONWriter.write(strip(root), indent: 0, into: &out)
        return Data(out)
    }

    /// The table of `record`'s own translations into `target` (source text → text).
    static func table(from record: CareRecord, _ target: SupportedLanguage) -> TranslationTable {
        var table = TranslationTable(sourceLanguage: record.sourceLanguage, targetLanguage: target, texts: [:])
        for p in record.translatablePassages {
            if let s = p.source, let t = p.text.text(in: target, contentLanguage: record.sourceLanguage) {
                table.texts[s] = t
            }
        }
        return table
    }

    static let examples: [(String, SupportedLanguage)] = [
        ("rivera-v2-es.json", .spanish), ("haddad-v2-ar.json", .arabic), ("sok-v2-km.json", .english),
    ]

    @Test(
        "merged from the memory, nothing is left untranslated, the texts are the translator's, and again changes nothing"
    )
    func mergeFillsEveryPassage() throws {
        for (name, target) in Self.examples {
            let original = try Fixtures.record(name)
            let translated = try DocTest.load(original)
            let bare = try Self.stripped(original)
            let bareRecord = try DocTest.load(bare)
            #expect(!bareRecord.untranslatedPassages(in: target).isEmpty, "\(name)")
            let table = Self.table(from: translated, target)
            let merged = TranslationMerge.merge(json: bare, tables: [table])
            let mergedRecord = try DocTest.load(merged)
            // Left untranslated: only what the memory has no text for (the example leaves some
            // passages untranslated on purpose).
            #expect(
                mergedRecord.untranslatedPassages(in: target).map(\.path)
                    == translated.untranslatedPassages(in: target).filter { table.texts[$0.source!] == nil }.map(\.path),
                "\(name)"
            )
            #expect(
                mergedRecord.untranslatedPassages(in: target).count < bareRecord.untranslatedPassages(in: target).count
            )
            // Each text is the record's own, else the memory's for the same source text.
            for p in mergedRecord.translatablePassages {
                let own = translated.translatablePassages.first { $0.path == p.path }?.text.text(
                    in: target,
                    contentLanguage: translated.sourceLanguage
                )
                let want = own ?? p.source.flatMap { table.texts[$0] }
                if let want {
                    #expect(p.text.text(in: target, contentLanguage: mergedRecord.sourceLanguage) == want, "\(p.path)")
                }
            }
            // Everything else unchanged: the same record apart from the added texts.
            #expect(mergedRecord.member == bareRecord.member)
            #expect(mergedRecord.translatablePassages.map(\.source) == bareRecord.translatablePassages.map(\.source))
            // Idempotent: nothing more to add, the bytes come back as they are.
            #expect(TranslationMerge.merge(json: merged, tables: [table]) == merged)
        }
    }

    @Test("an official copy of the merged record is not refused for translation")
    func mergedCopyRenders() throws {
        let original = try Fixtures.record("rivera-v2-es.json")
        let bare = try Self.stripped(original)
        #expect(throws: DocumentRefusal.self) { _ = try DocTest.document(.carePlan, DocTest.load(bare), .spanish) }
        let merged = TranslationMerge.merge(
            json: bare,
            tables: [Self.table(from: try DocTest.load(original), .spanish)]
        )
        _ = try DocTest.document(.carePlan, DocTest.load(merged), .spanish)
    }

    @Test("a text the record already has wins over the memory")
    func recordWins() throws {
        let original = try Fixtures.record("haddad-v2-ar.json")
        let translated = try DocTest.load(original)
        var table = Self.table(from: translated, .arabic)
        for key in table.texts.keys { table.texts[key] = "ترجمة أخرى" }
        let merged = TranslationMerge.merge(json: original, tables: [table])
        #expect(merged == original)
        // Partly stripped: the remaining Arabic texts are kept, the missing ones come from the table.
        let bare = try DocTest.load(Self.stripped(original))
        let first = try #require(
            translated.translatablePassages.first { $0.text.text(in: .arabic, contentLanguage: .english) != nil }
        )
        var memory = Self.table(from: translated, .arabic)
        memory.texts[first.source!] = "ترجمة أخرى"
        let merged2 = try DocTest.load(TranslationMerge.merge(json: Self.stripped(original), tables: [memory]))
        let p = try #require(merged2.translatablePassages.first { $0.path == first.path })
        #expect(p.text.text(in: .arabic, contentLanguage: .english) == "ترجمة أخرى")
        #expect(bare.untranslatedPassages(in: .arabic).count > merged2.untranslatedPassages(in: .arabic).count)
    }

    @Test("the same source text at several paths gets the one translation (Khmer source, English copy)")
    func collidingSources() throws {
        let json = """
            {"schemaVersion": 2, "contentLanguage": "km",
             "member": {"id": "100000000009", "firstName": "Dara", "lastName": "Sok", "dateOfBirth": "2016-02-29", "primaryLanguage": "km"},
             "emergency": {"diagnoses": ["ជំងឺហឺត", "ជំងឺហឺត", {"km": "ប្រកាច់", "en": "Seizures"}], "baseline": "ជំងឺហឺត"}}
            """
        let data = Data(json.utf8)
        let record = try DocTest.load(data)
        #expect(record.untranslatedPassages(in: .english).count == 3)
        let table = TranslationTable(
            sourceLanguage: .khmer,
            targetLanguage: .english,
            texts: ["ជំងឺហឺត": "Asthma", "ប្រកាច់": "Convulsions"]
        )
        let merged = try DocTest.load(TranslationMerge.merge(json: data, tables: [table]))
        #expect(merged.untranslatedPassages(in: .english).isEmpty)
        let texts = merged.translatablePassages.map { $0.text.text(in: .english, contentLanguage: .khmer) }
        #expect(texts == ["Asthma", "Asthma", "Seizures", "Asthma"])
        // The record's own plain strings became objects holding the source text and the new one.
        let root = try JSONParser.parse(SourceText(TranslationMerge.merge(json: data, tables: [table]))).root
        #expect(root["emergency"]?["baseline"]?["km"]?.stringValue == "ជំងឺហឺត")
        #expect(root["emergency"]?["baseline"]?["en"]?.stringValue == "Asthma")
        // A table of another source language, or a version 1 record, changes nothing.
        let wrong = TranslationTable(sourceLanguage: .english, targetLanguage: .spanish, texts: ["ជំងឺហឺត": "Asma"])
        #expect(TranslationMerge.merge(json: data, tables: [wrong]) == data)
        let v1 = try Fixtures.example("rivera-enrollment.json")
        let v1Table = TranslationTable(
            sourceLanguage: .english,
            targetLanguage: .spanish,
            texts: Dictionary(
                uniqueKeysWithValues: Set(try DocTest.load(v1).translatablePassages.compactMap(\.source)).map {
                    ($0, "x")
                }
            )
        )
        #expect(TranslationMerge.merge(json: v1, tables: [v1Table]) == v1)
    }
}
