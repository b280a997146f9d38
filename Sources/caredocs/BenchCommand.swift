import ArgumentParser
import Foundation
import Specimens
import Typesetting

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print a table.",
        subcommands: [Typesetting.self, BenchDocuments.self, BenchQueue.self, BenchRecords.self]
    )

    /// `caredocs bench queue`: the same as `caredocs queue bench`.
    struct BenchQueue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queue",
            abstract: QueueBenchCommand.configuration.abstract,
            subcommands: [QueueBenchCommand.self],
            defaultSubcommand: QueueBenchCommand.self
        )
    }

    /// `caredocs bench records`: the records the HTTP benchmark imports, one child each.
    struct BenchRecords: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records",
            abstract:
                "Write COUNT copies of a record, each with its own child, guardian, address, care manager, plan text and record id (CR-2026-100000 on), for load runs."
        )

        @Option(help: "How many records.") var count = 500
        @Option(help: "The folder to write them to (made if missing).") var output: String
        @Option(help: "The record to copy (default: the Rivera example).") var record: String?

        func run() throws {
            let bytes = try BenchDocuments.recordBytes(record)
            let folder = URL(fileURLWithPath: output)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<count {
                let variant = try BenchRecordVariants.variant(bytes, index)
                try variant.write(to: folder.appending(path: String(format: "bench-%06d.json", index)))
            }
            print("wrote \(count) records to \(folder.path)")
        }
    }

    struct Typesetting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "typesetting",
            abstract:
                "Median and p90 ms per one-page letter (en, ar, zh-Hans, km), pages/s on 1 and 2 workers, peak RSS."
        )

        @Option(help: "Renders per language (after warm-up).")
        var iterations = 200

        @Option(name: .customLong("language"), help: "Only these languages (repeatable): en, ar, zh-Hans, km.")
        var languages: [String] = []

        func run() throws {
            let manifest: FontManifest
            do { manifest = try FontManifest.load(from: FontManifest.locate()) } catch { fail("\(error)") }
            let engine = try Engine(manifest: manifest)
            print("| language | pages | median ms | p90 ms |")
            print("|---|---|---|---|")
            var docs: [Document] = []
            for lang in languages.isEmpty ? BenchmarkDocuments.languages : languages {
                let doc = BenchmarkDocuments.letter(language: lang)
                docs.append(doc)
                var pages = 0
                for _ in 0..<10 { pages = try engine.render(doc).report.pages }
                var times: [Double] = []
                for _ in 0..<iterations {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = try engine.render(doc)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                }
                times.sort()
                let median = times[times.count / 2]
                let p90 = times[min(times.count - 1, Int(Double(times.count) * 0.9))]
                print("| \(lang) | \(pages) | \(String(format: "%.2f", median)) | \(String(format: "%.2f", p90)) |")
            }
            let singleEngineRSS = peakRSSMegabytes()
            print("")
            print("| workers | pages/s (mixed en, ar, zh-Hans, km) |")
            print("|---|---|")
            let batch = (0..<(iterations * 2)).map { docs[$0 % docs.count] }
            for workers in [1, 2] {
                let pool = try EnginePool(workers: workers, manifest: manifest)
                _ = pool.render(Array(batch.prefix(workers * 8)))
                let t0 = DispatchTime.now().uptimeNanoseconds
                var pages = 0
                // In chunks, so the PDFs do not pile up in memory.
                for chunk in stride(from: 0, to: batch.count, by: 16) {
                    let results = pool.render(Array(batch[chunk..<min(batch.count, chunk + 16)]))
                    pages += results.reduce(0) { acc, r in acc + ((try? r.get().report.pages) ?? 0) }
                }
                let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                print("| \(workers) | \(String(format: "%.0f", Double(pages) / secs)) |")
            }
            print("")
            print("peak RSS: \(peakRSSMegabytes()) MB (one engine: \(singleEngineRSS) MB)")
        }
    }
}

func peakRSSMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}
