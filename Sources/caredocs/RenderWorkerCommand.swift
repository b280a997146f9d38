import ArgumentParser
import RenderWorkers

/// `caredocs render-worker`: a render worker process for the service's `RenderWorkerPool`. Reads
/// framed jobs on stdin, answers framed outcomes on stdout, exits when stdin closes. Not for
/// people: hidden from help.
struct RenderWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-worker",
        abstract: "Internal: a render worker process (framed RenderJob on stdin, RenderOutcome on stdout).",
        shouldDisplay: false
    )

    func run() throws {
        RenderWorkerLoop.main()
    }
}
