import CaresDocuments
import Deadlines
import Foundation
import Typesetting

/// The "translation look-ups" table of `caredocs bench documents`: what the translation memory
/// adds to a render of a translated care plan. The Spanish ICP of the Rivera version 2 example is
/// rendered from the record with its Spanish texts (the render), and its Spanish texts are then
/// removed from the record, saved as reviewed segments in a throwaway SQLite queue, and looked up
/// and merged back the way every stored record's render does (`recordWithTranslations`: the
/// settings read, one segment query, the merge). The look-ups should stay under 5 % of a render.
enum BenchTranslationCost {
    static func table(pipeline: DocumentPipeline, iterations: Int) throws {
        guard
            let dir = ProjectResources.locate(
                folder: "Tests/CaresDocumentsTests/Records",
                containing: "rivera-v2-es.json",
                environment: "CAREDOCS_BENCH_V2_RECORDS"
            )
        else {
            print("(translation look-ups: Tests/CaresDocumentsTests/Records/rivera-v2-es.json not found; skipped)")
            return
        }
        let translated = try Data(contentsOf: dir.appending(path: "rivera-v2-es.json"))
        let record = try CareRecordLoader.load(data: translated).get()
        let source = record.sourceLanguage
        let resolver = ContentResolver(record: record, language: .spanish)
        let passages = record.translatablePassages
        let segments = passages.compactMap { p -> TranslationSegment? in
            guard let s = p.source, let t = resolver.text(p.text), s != t else { return nil }
            return TranslationSegment(
                sourceLanguage: source,
                sourceText: s,
                targetLanguage: .spanish,
                targetText: t,
                status: .reviewed,
                translator: "bench",
                reviewer: "bench",
                updatedAt: Date()
            )
        }
        let stripped = try strip(translated, language: .spanish)
        let request = DocumentRequest(
            kind: .carePlan,
            languages: .exactly([.spanish]),
            letterDate: CalendarDate(year: 2026, month: 11, day: 23)!
        )
        let folder = FileManager.default.temporaryDirectory.appending(path: "caredocs-bench-tm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteDeadlineStore(path: folder.appending(path: "queue.sqlite").path)
        let saved = segments
        try runBlocking { try await store.saveSegments(saved, actor: "bench", now: Date()) }

        // The merged bytes render without a refusal: the memory supplied every Spanish text.
        let merged = try runBlocking {
            try await store.recordWithTranslations(json: stripped, languages: [.spanish], proof: false)
        }
        _ = try pipeline.render(request, json: merged)

        var render: [Double] = []
        var lookup: [Double] = []
        var resolve: [Double] = []
        var parse: [Double] = []
        var query: [Double] = []
        var merge: [Double] = []
        let strippedRecord = try CareRecordLoader.load(data: stripped).get()
        let texts = Set(strippedRecord.untranslatedPassages(in: .spanish).compactMap(\.source)).sorted()
        let table = TranslationTable(
            sourceLanguage: source,
            targetLanguage: .spanish,
            texts: Dictionary(segments.map { ($0.sourceText, $0.targetText) }, uniquingKeysWith: { a, _ in a })
        )
        let n = max(10, iterations / 2)
        for _ in 0..<n {
            var t0 = DispatchTime.now().uptimeNanoseconds
            _ = try pipeline.render(request, json: translated)
            render.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            t0 = DispatchTime.now().uptimeNanoseconds
            _ = try runBlocking {
                try await store.recordWithTranslations(
                    json: stripped,
                    parsed: strippedRecord,
                    languages: [.spanish],
                    proof: false
                )
            }
            lookup.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            t0 = DispatchTime.now().uptimeNanoseconds
            var found = 0
            for p in passages where resolver.text(p.text) != nil { found += 1 }
            resolve.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            precondition(found == passages.count)
            t0 = DispatchTime.now().uptimeNanoseconds
            _ = try CareRecordLoader.load(data: stripped).get()
            parse.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            t0 = DispatchTime.now().uptimeNanoseconds
            _ = try runBlocking {
                try await store.segments(sourceLanguage: source, targetLanguage: .spanish, sourceTexts: texts)
            }
            query.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            t0 = DispatchTime.now().uptimeNanoseconds
            _ = TranslationMerge.merge(json: stripped, record: strippedRecord, tables: [table])
            merge.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        try runBlocking { try await store.close() }
        let r = median(render)
        print("")
        print(
            "| translation look-ups (Rivera ICP es, \(passages.count) passages, \(segments.count) segments) | median ms | of a render |"
        )
        print("|---|---|---|")
        print("| render of the translated record (JSON to PDF) | \(fmt(r)) | 100 % |")
        for (name, values) in [
            ("memory: settings, segment query, merge into the parsed record's JSON (SQLite)", lookup),
            ("(not part of it: parsing and validating the record, which every render does)", parse),
            ("· the whole segments' query (what the translator's pages read; a render reads three columns)", query),
            ("· of which the merge into the JSON", merge),
            ("resolving every passage in the copy's language", resolve),
        ] {
            let m = median(values)
            print("| \(name) | \(fmt(m)) | \(String(format: "%.1f", m / r * 100)) % |")
        }
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    static func fmt(_ v: Double) -> String { String(format: v < 1 ? "%.3f" : "%.2f", v) }

    /// The record with `language`'s texts removed from every translation object (objects whose
    /// keys are all language tags), so that only the memory can supply them.
    static func strip(_ json: Data, language: SupportedLanguage) throws -> Data {
        func walk(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                let isTranslations =
                    !object.isEmpty
                    && object.allSatisfy { SupportedLanguage.normalize($0.key) != nil && $0.value is String }
                if isTranslations {
                    return object.filter { SupportedLanguage.normalize($0.key) != language }
                }
                return object.mapValues(walk)
            }
            if let array = value as? [Any] { return array.map(walk) }
            return value
        }
        return try JSONSerialization.data(withJSONObject: walk(try JSONSerialization.jsonObject(with: json)))
    }
}
