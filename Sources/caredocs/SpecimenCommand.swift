import ArgumentParser
import Foundation
import Specimens
import Typesetting

struct SpecimenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "specimen",
        abstract: "Render the typesetting specimen: every script and block type."
    )

    @Option(name: .shortAndLong, help: "Where to write the PDF.")
    var output: String = "specimen.pdf"

    @Flag(help: "Print the render report as JSON.")
    var json = false

    func run() throws {
        let engine: Engine
        do { engine = try Engine() } catch { fail("\(error)") }
        let url = URL(fileURLWithPath: output)
        let report: RenderReport
        do { report = try engine.render(Specimen.document(), to: url) } catch { fail("\(error)") }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print("wrote \(url.path): \(report.pages) pages, \(report.bytes) bytes, \(report.fonts.count) fonts")
            for w in report.warnings { print("warning: \(w)") }
        }
    }
}
