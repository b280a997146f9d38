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
    let renderer: DocumentRenderer
    let engine: Engine

    /// Loads templates, catalogs and fonts (the defaults locate the project's folders as the CLI
    /// does).
    public init(
        renderer: DocumentRenderer? = nil,
        engine: Engine? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.renderer = try renderer ?? DocumentRenderer()
        self.engine = try engine ?? Engine()
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
        let decoder = JSONDecoder()
        while true {
            let outcome: RenderOutcome
            do {
                guard let payload = try RenderFraming.readFrame(from: input) else { return 0 }
                if let job = try? decoder.decode(RenderJob.self, from: payload) {
                    outcome = handle(job)
                } else {
                    outcome = .badJob("the job is not a RenderJob (JSON)")
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

    /// One job, in this process. Never throws: every failure is an outcome.
    public func handle(_ job: RenderJob) -> RenderOutcome {
        guard let kind = DocumentKind(rawValue: job.kind) else {
            return .badJob(
                "unknown document kind '\(job.kind)' (one of: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard DocumentKind.available.contains(kind) else {
            return .badJob("\(kind.rawValue) is not available yet")
        }
        guard !job.languages.isEmpty else { return .badJob("no language asked for") }
        var languages: [SupportedLanguage] = []
        for tag in job.languages {
            guard let l = SupportedLanguage.normalize(tag) else {
                return .badJob(
                    "unsupported language '\(tag)' (supported: \(SupportedLanguage.supportedTags.joined(separator: ", ")))"
                )
            }
            languages.append(l)
        }
        guard let date = CalendarDate(job.letterDate) else {
            return .badJob("letterDate must be a real date YYYY-MM-DD, not '\(job.letterDate)'")
        }
        if job.fault != nil && !faultsEnabled {
            return .badJob("faults are not enabled")
        }

        let record: CareRecord
        switch CareRecordLoader.load(data: job.record) {
        case .success(let r): record = r
        case .failure(let failure):
            return .invalidRecord(failure.problems.map { RenderProblem(path: $0.path, problem: $0.problem) })
        }

        var documents: [(SupportedLanguage, Document)] = []
        do {
            for l in languages {
                documents.append(
                    (
                        l,
                        try renderer.document(
                            kind,
                            record: record,
                            options: .init(language: l, largePrint: job.largePrint, letterDate: date)
                        )
                    )
                )
            }
        } catch let refusal as DocumentRefusal {
            return .refused(
                refusal.problems.map { RenderProblem(path: $0.path, problem: $0.problem, clause: $0.clause) }
            )
        } catch let failure as RenderFailure {
            return .badJob(failure.description)
        } catch {
            Self.log(
                "\(kind.rawValue) for \(record.recordId ?? "a record without recordId"): the document could not be built (\(type(of: error)))"
            )
            return .badJob("the document could not be built: \(error)")
        }

        switch job.fault {
        case .abort?:
            Self.log("fault injection: aborting (\(kind.rawValue))")
            var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
            _ = withUnsafePointer(to: &noCore) { setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), $0) }
            abort()
        case .hang?:
            Self.log("fault injection: hanging (\(kind.rawValue))")
            while true { sleep(3600) }
        case nil:
            break
        }

        var copies: [RenderedCopy] = []
        for (l, doc) in documents {
            do {
                let result = try engine.render(doc)
                copies.append(
                    RenderedCopy(
                        language: l.tag,
                        pdf: result.pdf,
                        pages: result.report.pages,
                        warnings: result.report.warnings
                    )
                )
            } catch {
                Self.log(
                    "\(kind.rawValue) (\(l.tag)) for \(record.recordId ?? "a record without recordId"): rendering failed (\(type(of: error)))"
                )
                return .badJob("rendering failed: \(error)")
            }
        }
        return .rendered(copies)
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("caredocs render-worker[\(getpid())]: \(message)\n".utf8))
    }
}
