import ArgumentParser
import CaresDocuments
import Foundation
import Templating
import Typesetting

/// `caredocs bench documents`: JSON bytes in, PDF bytes out, for real records.
struct BenchDocuments: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents",
        abstract:
            "Median and p90 ms from record JSON to PDF bytes (enrollment letter en/es/ar/km/zh-Hant, Rivera ICP, emergency plan); records/s on 2 workers; peak RSS over a 10,000-letter run."
    )

    @Option(help: "Renders per case (after warm-up).") var iterations = 100
    @Option(help: "Letters in the memory run.") var letters = 10_000
    @Option(help: "The record to use (default: the Rivera example).") var record: String?
    @Flag(help: "Only the enrollment letters' table (for scripts/bench-peers.sh).") var lettersOnly = false
    @Option(help: "Only the cases whose name contains this (\"letter km\", \"ICP\"): for profiling.")
    var only: String?
    @Flag(help: "Only the render stages' table (with --only, of those cases): for profiling.")
    var stages = false
    @Option(help: "Internal: run as a worker process rendering this many letters, print the seconds.")
    var workerLetters: Int?

    struct Case {
        var name: String
        var kind: DocumentKind
        var language: SupportedLanguage
    }

    static let cases: [Case] = [
        Case(name: "enrollment letter en", kind: .enrollmentLetter, language: .english),
        Case(name: "enrollment letter es", kind: .enrollmentLetter, language: .spanish),
        Case(name: "enrollment letter ar", kind: .enrollmentLetter, language: .arabic),
        Case(name: "enrollment letter km", kind: .enrollmentLetter, language: .khmer),
        Case(name: "enrollment letter zh-Hant", kind: .enrollmentLetter, language: .traditionalChinese),
        Case(name: "ICP (Rivera) en", kind: .carePlan, language: .english),
        Case(name: "ICP (Rivera) es", kind: .carePlan, language: .spanish),
        Case(name: "emergency plan en", kind: .emergencyPlan, language: .english),
    ]

    func recordBytes() throws -> Data { try Self.recordBytes(record) }

    /// The record at `record`, or the Rivera example.
    static func recordBytes(_ record: String?) throws -> Data {
        if let record { return try Data(contentsOf: URL(fileURLWithPath: record)) }
        guard
            let dir = ProjectResources.locate(
                folder: "Tests/CaresDocumentsTests/Records/shared-examples",
                containing: "rivera-enrollment.json",
                environment: "CAREDOCS_BENCH_RECORDS"
            )
        else {
            throw CLIError("the Rivera example was not found: run from the project folder or pass --record")
        }
        return try Data(contentsOf: dir.appending(path: "rivera-enrollment.json"))
    }

    /// The whole path, through the document pipeline every caller uses: parse and validate the
    /// JSON, check the rules, fill the template, lay out, write the PDF.
    static func render(_ bytes: Data, _ c: Case, pipeline: DocumentPipeline) throws -> DocumentCopy {
        let request = DocumentRequest(
            kind: c.kind,
            languages: .exactly([c.language]),
            letterDate: CalendarDate(year: 2026, month: 11, day: 23)!
        )
        return try pipeline.render(request, json: bytes)[0]
    }

    func run() throws {
        let bytes = try recordBytes()
        let pipeline = try DocumentPipeline()
        let renderer = pipeline.renderer
        let engine = pipeline.engine
        if let n = workerLetters {
            // Each letter's record made just before it (10,000 made up front would be most of
            // the resident set this run is there to measure); only the renders are timed.
            var nanoseconds: UInt64 = 0
            for i in 0..<n {
                let variant = try BenchRecordVariants.variant(bytes, 700_000 + i)
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try Self.render(variant, Self.cases[i % 5], pipeline: pipeline)
                nanoseconds += DispatchTime.now().uptimeNanoseconds - t0
            }
            print(Double(nanoseconds) / 1e9)
            return
        }
        if ProcessInfo.processInfo.environment["CAREDOCS_BENCH_STAGES"] != nil {
            var t = [0.0, 0.0, 0.0]
            if let only = ProcessInfo.processInfo.environment["CAREDOCS_BENCH_ONLY"] {
                let language =
                    ProcessInfo.processInfo.environment["CAREDOCS_BENCH_LANGUAGE"].flatMap(
                        SupportedLanguage.init(rawValue:)
                    )
                    ?? .english
                let record = try CareRecordLoader.load(data: bytes).get()
                let kind =
                    DocumentKind(rawValue: ProcessInfo.processInfo.environment["CAREDOCS_BENCH_STAGES"]!)
                    ?? .enrollmentLetter
                let doc = try renderer.document(kind, record: record, options: .init(language: language))
                let markup = try renderer.templates.markup(kind.rawValue, context: ["x": 1])
                let r0 = peakRSSMegabytes()
                for _ in 0..<iterations {
                    switch only {
                    case "load": _ = try CareRecordLoader.load(data: bytes).get()
                    case "document": _ = try renderer.document(kind, record: record, options: .init(language: language))
                    case "markup": _ = try MarkupParser().parse(markup)
                    case "layout": _ = engine.pageCount(doc)
                    default: _ = try engine.render(doc)
                    }
                }
                print("\(only): RSS \(r0) -> \(peakRSSMegabytes()) MB")
                return
            }
            for _ in 0..<iterations {
                let a = DispatchTime.now().uptimeNanoseconds
                let record = try CareRecordLoader.load(data: bytes).get()
                let b = DispatchTime.now().uptimeNanoseconds
                let doc = try renderer.document(
                    DocumentKind(rawValue: ProcessInfo.processInfo.environment["CAREDOCS_BENCH_STAGES"]!)
                        ?? .enrollmentLetter,
                    record: record,
                    options: .init(language: .english)
                )
                let c = DispatchTime.now().uptimeNanoseconds
                _ = try engine.render(doc)
                let d = DispatchTime.now().uptimeNanoseconds
                t[0] += Double(b - a)
                t[1] += Double(c - b)
                t[2] += Double(d - c)
            }
            print(
                "RSS \(peakRSSMegabytes()) MB; load \(t[0] / Double(iterations) / 1e6) ms, document \(t[1] / Double(iterations) / 1e6) ms, render \(t[2] / Double(iterations) / 1e6) ms"
            )
            return
        }
        if stages {
            try BenchRenderStages.table(bytes, pipeline: pipeline, iterations: iterations, only: only)
            return
        }
        print("| document | pages | median ms | p90 ms |")
        print("|---|---|---|---|")
        // Every render is of a different child, guardian, address and care manager
        // (`BenchRecordVariants`), as Typst's letters in ../shared/bench/peers are.
        var next = 0
        for c in Self.cases
        where (!lettersOnly || c.kind == .enrollmentLetter) && (only.map { c.name.contains($0) } ?? true) {
            var pages = 0
            let variants = try BenchRecordVariants.variants(bytes, start: next, count: 5 + iterations)
            next += variants.count
            for variant in variants.prefix(5) { pages = try Self.render(variant, c, pipeline: pipeline).report.pages }
            var times: [Double] = []
            for variant in variants.dropFirst(5) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try Self.render(variant, c, pipeline: pipeline)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            times.sort()
            print(
                "| \(c.name) | \(pages) | \(String(format: "%.2f", times[times.count / 2])) | \(String(format: "%.2f", times[min(times.count - 1, times.count * 9 / 10)])) |"
            )
        }

        if lettersOnly || only != nil { return }
        try BenchTranslationCost.table(pipeline: pipeline, iterations: iterations)

        // Memory: peak RSS must stay flat over a long run.
        print("")
        print("| letters rendered | peak RSS MB |")
        print("|---|---|")
        var done = 0
        for checkpoint in [100, 1_000, letters] where checkpoint > done {
            for i in done..<checkpoint {
                _ = try Self.render(
                    try BenchRecordVariants.variant(bytes, 100_000 + i),
                    Self.cases[i % 5],
                    pipeline: pipeline
                )
            }
            done = checkpoint
            print("| \(done) | \(peakRSSMegabytes()) |")
        }
        // After the memory run: it loads an engine of its own.
        try BenchRenderStages.table(bytes, pipeline: pipeline, iterations: iterations)

        // Throughput: mixed-language enrollment letters, 1 and 2 threads in this process (Cairo
        // work is serialized per process), and 2 worker processes (what the service runs).
        print("")
        print("| workers | letters/s (en, es, ar, km, zh-Hant) |")
        print("|---|---|")
        let batch = max(50, iterations * 2)
        for threads in [1, 2] {
            let variants = try BenchRecordVariants.variants(bytes, start: 300_000 + threads * batch, count: batch)
            let pipelines = PipelineBox(try (0..<threads).map { _ in try DocumentPipeline(renderer: renderer) })
            let t0 = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: threads) { w in
                var i = w
                while i < batch {
                    _ = try? Self.render(variants[i], Self.cases[i % 5], pipeline: pipelines.pipelines[w])
                    i += threads
                }
            }
            let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            print(
                "| \(threads) thread\(threads == 1 ? "" : "s"), 1 process | \(String(format: "%.0f", Double(batch) / secs)) |"
            )
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let children = try (0..<2).map { _ -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            if !FileManager.default.isExecutableFile(atPath: p.executableURL!.path), let exe = Bundle.main.executableURL
            {
                p.executableURL = exe
            }
            p.arguments =
                ["bench", "documents", "--worker-letters", "\(batch)"] + (record.map { ["--record", $0] } ?? [])
            p.standardOutput = Pipe()
            try p.run()
            return p
        }
        for p in children { p.waitUntilExit() }
        let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        if children.allSatisfy({ $0.terminationStatus == 0 }) {
            print("| 2 processes (incl. start-up) | \(String(format: "%.0f", Double(2 * batch) / secs)) |")
        }
    }
}

/// Pipelines handed to worker threads, each used by exactly one thread.
final class PipelineBox: @unchecked Sendable {
    let pipelines: [DocumentPipeline]
    init(_ pipelines: [DocumentPipeline]) { self.pipelines = pipelines }
}
