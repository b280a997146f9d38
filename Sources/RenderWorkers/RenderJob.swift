// The messages of the worker protocol: a `RenderJob` goes to a worker, a `RenderOutcome` (rendered
// copies, or the record's or job's problems) comes back.

import Foundation

/// One document to render in a worker process: a care record (JSON bytes, validated again by the
/// worker), a document kind, one or more languages (one PDF each), large print, the letter date.
public struct RenderJob: Codable, Sendable, Hashable {
    /// A `DocumentKind` raw value (`enrollment-letter`, `care-plan`, …).
    public var kind: String
    /// Language tags, already resolved (`en`, `es`, `zh-Hant`, …): one PDF per tag, in order.
    public var languages: [String]
    public var largePrint: Bool
    /// YYYY-MM-DD, the date printed on the document.
    public var letterDate: String
    /// The care record's JSON bytes.
    public var record: Data
    /// A proof for review (`DocumentRequest.proof`): untranslated passages marked, PROOF on every
    /// page. `nil` (absent) is an official copy.
    public var proof: Bool?
    /// `true` when the server checked these exact bytes against the record contract (it parsed
    /// the stored or posted record before asking): the worker then only decodes them, without
    /// checking them a second time. Absent for bytes the server changed (the translation memory's
    /// texts merged in): the worker checks those in full, as every record.
    public var validated: Bool?
    /// A fault to inject, for the crash-containment tests. Workers honour it only when they were
    /// started with `CAREDOCS_WORKER_FAULTS=1` in their environment; otherwise it is refused.
    public var fault: Fault?

    public enum Fault: String, Codable, Sendable, Hashable {
        /// The worker aborts (SIGABRT) inside rendering, as a failed Cairo assertion does.
        case abort
        /// The worker stops answering (for timeouts).
        case hang
    }

    public init(
        kind: String,
        languages: [String],
        largePrint: Bool = false,
        letterDate: String,
        record: Data,
        proof: Bool = false,
        validated: Bool = false,
        fault: Fault? = nil
    ) {
        self.kind = kind
        self.languages = languages
        self.largePrint = largePrint
        self.letterDate = letterDate
        self.record = record
        self.proof = proof ? true : nil
        self.validated = validated ? true : nil
        self.fault = fault
    }
}

/// One problem of a refused job: JSON path, what is wrong, and the clause that asks for it.
public struct RenderProblem: Codable, Sendable, Hashable {
    public var path: String
    public var problem: String
    public var clause: String?

    public init(path: String, problem: String, clause: String? = nil) {
        self.path = path
        self.problem = problem
        self.clause = clause
    }
}

/// One rendered copy.
public struct RenderedCopy: Codable, Sendable, Hashable {
    public var language: String
    public var pdf: Data
    public var pages: Int
    /// Render-report warnings (e.g. a character no bundled font covers).
    public var warnings: [String]

    public init(language: String, pdf: Data, pages: Int, warnings: [String] = []) {
        self.language = language
        self.pdf = pdf
        self.pages = pages
        self.warnings = warnings
    }
}

/// What a worker answers.
public enum RenderOutcome: Codable, Sendable, Hashable {
    /// Every copy, in the order of `RenderJob.languages`.
    case rendered([RenderedCopy])
    /// The record breaks the contract (schema problems with their JSON paths).
    case invalidRecord([RenderProblem])
    /// The document cannot be made: required content is missing (paths and clauses).
    case refused([RenderProblem])
    /// The job itself is wrong (unknown kind or language, bad date, fault not enabled).
    case badJob(String)
    /// The template, the markup or the engine failed: our fault, not the caller's. The text may
    /// quote record content: log its kind, never show it to a client.
    case failed(String)
}
