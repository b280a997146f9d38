// The worker side: what a `caredocs render-worker` process runs (read a job, render it, answer).

import CaresDocuments
import Foundation
import Typesetting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a render worker process runs (`caredocs render-worker`): reads framed `RenderJob`s from
/// stdin, answers each with one framed `RenderOutcome` on stdout, until stdin closes.
///
/// One `DocumentRenderer` and one `Engine` live as long as the process (templates, catalogs and
/// fonts are loaded once). Nothing but frames is written to the protocol stream: `main()` moves
/// the real stdout aside and points descriptor 1 at stderr, so a stray `print` (ours or a
/// library's) cannot corrupt the stream. Diagnostics go to stderr and name only record ids and
/// document kinds, never record content.
public final class RenderWorkerLoop {
    /// The environment variable that enables `RenderJob.fault` (value `1`).
    public static let faultsVariable = "CAREDOCS_WORKER_FAULTS"

    public let faultsEnabled: Bool
    let pipeline: DocumentPipeline

    /// Loads templates, catalogs and fonts (the defaults locate the project's folders as the CLI
    /// does).
    public init(
        renderer: DocumentRenderer? = nil,
        engine: Engine? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        pipeline = try DocumentPipeline(renderer: renderer, engine: engine)
        faultsEnabled = environment[Self.faultsVariable] == "1"
    }

    /// The worker process: protects stdout, loads everything, serves until stdin closes, exits
    /// 0 (1 when the stream broke, 2 when the renderer or fonts cannot be loaded).
    public static func main() -> Never {
        // Ignore SIGPIPE: a parent that went away shows up as EPIPE on write, and we exit.
        signal(SIGPIPE, SIG_IGN)
        let protocolFD = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        guard protocolFD >= 0 else {
            log("cannot duplicate stdout: \(String(cString: strerror(errno)))")
            exit(2)
        }
        fflush(nil)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        let loop: RenderWorkerLoop
        do {
            loop = try RenderWorkerLoop()
        } catch {
            log("cannot start: \(error)")
            exit(2)
        }
        exit(loop.run(input: STDIN_FILENO, output: protocolFD))
    }

    /// Serves framed jobs from `input`, answering on `output`, until `input` ends. Returns the
    /// exit status: 0 at a clean end of input, 1 when the stream broke.
    public func run(input: Int32, output: Int32) -> Int32 {
        while true {
            let outcome: RenderOutcome
            do {
                guard let payload = try RenderFraming.readFrame(from: input) else { return 0 }
                if let job = try? RenderFraming.decode(RenderJob.self, from: payload) {
                    outcome = handle(job)
                } else {
                    outcome = .badJob("the job is not a framed RenderJob")
                }
            } catch RenderFraming.FrameError.tooLarge(let n) {
                outcome = .badJob("the job (\(n) bytes) is over the \(RenderFraming.maxFrameBytes)-byte limit")
            } catch {
                Self.log("reading the job failed: \(error)")
                return 1
            }
            do {
                try RenderFraming.writeAll(Self.frame(outcome), to: output)
            } catch {
                Self.log("writing the answer failed: \(error)")
                return 1
            }
        }
    }

    /// The frame for an outcome; an answer over the frame limit becomes a `.badJob` saying so.
    static func frame(_ outcome: RenderOutcome) throws -> Data {
        do {
            return try RenderFraming.frame(outcome)
        } catch RenderFraming.FrameError.tooLarge(let n) {
            return try RenderFraming.frame(
                RenderOutcome.badJob(
                    "the rendered documents (\(n / (1 << 20)) MiB encoded) are over the \(RenderFraming.maxFrameBytes >> 20) MiB answer limit"
                )
            )
        }
    }

    /// One job, in this process, through the document pipeline. Never throws: every failure is
    /// an outcome.
    public func handle(_ job: RenderJob) -> RenderOutcome {
        let request: DocumentRequest
        do throws(DocumentFailure) {
            let kind = try DocumentKind.named(job.kind)
            let languages = try LanguageSelection(tags: job.languages)
            guard let date = CalendarDate(job.letterDate) else {
                return .badJob("letterDate must be a real date YYYY-MM-DD, not \(Quote.value(job.letterDate))")
            }
            request = DocumentRequest(
                kind: kind,
                languages: languages,
                largePrint: job.largePrint,
                letterDate: date,
                proof: job.proof == true
            )
        } catch {
            return .badJob(error.description)
        }
        if job.fault != nil && !faultsEnabled {
            return .badJob("faults are not enabled")
        }
        var record: CareRecord?
        do throws(DocumentFailure) {
            let loaded =
                try job.validated == true
                ? DocumentPipeline.decodeValidated(job.record) : DocumentPipeline.load(job.record)
            record = loaded
            let documents = try pipeline.documents(request, record: loaded)
            if let fault = job.fault { Self.inject(fault, kind: request.kind) }
            return .rendered(
                try pipeline.render(documents).map {
                    RenderedCopy(
                        language: $0.language.tag,
                        pdf: $0.pdf,
                        pages: $0.report.pages,
                        warnings: $0.report.warnings
                    )
                }
            )
        } catch {
            return outcome(error, kind: request.kind, recordId: record?.recordId)
        }
    }

    /// A pipeline failure as the worker's answer (our own faults logged by kind and record id).
    func outcome(_ failure: DocumentFailure, kind: DocumentKind, recordId: String?) -> RenderOutcome {
        switch failure {
        case .invalidRecord(let problems):
            return .invalidRecord(problems.map { RenderProblem(path: $0.path, problem: $0.problem) })
        case .refused(_, let problems):
            return .refused(problems.map { RenderProblem(path: $0.path, problem: $0.problem, clause: $0.clause) })
        case .buildFailed, .renderFailed:
            let stage = if case .buildFailed = failure { "the document could not be built" } else { "rendering failed" }
            Self.log("\(kind.rawValue) for \(recordId ?? "a record without recordId"): \(stage)")
            return .failed(failure.description)
        default:
            return .badJob(failure.description)
        }
    }

    /// Fault injection for the crash-containment tests (only when `faultsEnabled`).
    static func inject(_ fault: RenderJob.Fault, kind: DocumentKind) {
        switch fault {
        case .abort:
            log("fault injection: aborting (\(kind.rawValue))")
            var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
            _ = withUnsafePointer(to: &noCore) { setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), $0) }
            abort()
        case .hang:
            log("fault injection: hanging (\(kind.rawValue))")
            while true { sleep(3600) }
        }
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("caredocs render-worker[\(getpid())]: \(message)\n".utf8))
    }
}
