import CaresDocuments
import Foundation
import Typesetting

/// The "render stages" table of `caredocs bench documents`: the median time of layout, Cairo's
/// drawing and the post-processor (PDF/UA-1 and PDF/A-2u: artifacts, structure repair, XMP,
/// output intent) for every case, after the record's parsing and checking and the document's
/// making (rules, view model, template, markup), and the post-processor's share of the render.
enum BenchRenderStages {
    static func table(_ bytes: Data, pipeline: DocumentPipeline, iterations: Int, only: String? = nil) throws {
        let record = try DocumentPipeline.load(bytes)
        let engine = try Engine()
        print("")
        print(
            "| render stages (median ms) | record (JSON → checked record) | document (rules, view model, template, markup) | layout | Cairo drawing | post-processing | post-processing share |"
        )
        print("|---|---|---|---|---|---|---|")
        for c in BenchDocuments.cases where only.map({ c.name.contains($0) }) ?? true {
            let request = DocumentRequest(
                kind: c.kind,
                languages: .exactly([c.language]),
                letterDate: CalendarDate(year: 2026, month: 11, day: 23)!
            )
            guard let document = try pipeline.documents(request, record: record).first?.1 else { continue }
            _ = try engine.renderStages(document)
            var layout: [Double] = []
            var draw: [Double] = []
            var post: [Double] = []
            var load: [Double] = []
            var build: [Double] = []
            let clock = ContinuousClock()
            // A different child, guardian and address each time (`BenchRecordVariants`).
            let variants = try BenchRecordVariants.variants(bytes, start: 500_000, count: max(1, iterations))
            for variant in variants {
                let t0 = clock.now
                let loaded = try DocumentPipeline.load(variant)
                let t1 = clock.now
                let built = try pipeline.documents(request, record: loaded)
                let t2 = clock.now
                load.append(milliseconds(t1 - t0))
                build.append(milliseconds(t2 - t1))
                guard let document = built.first?.1 else { continue }
                let t = try engine.renderStages(document)
                layout.append(milliseconds(t.layout))
                draw.append(milliseconds(t.draw))
                post.append(milliseconds(t.postProcess))
            }
            let (l, d, p) = (median(layout), median(draw), median(post))
            print(
                "| \(c.name) | \(format(median(load))) | \(format(median(build))) | \(format(l)) | \(format(d)) | \(format(p)) | \(String(format: "%.0f %%", 100 * p / (l + d + p))) |"
            )
        }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
