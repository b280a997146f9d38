import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import RenderWorkers
import Typesetting

/// Records and documents as the routes need them: the latest stored record, its requirement
/// checklist, and rendering through the worker pool with the answers mapped to HTTP errors.
struct DocumentService: Sendable {
    let env: ServiceEnvironment

    struct StoredRecord: Sendable {
        var recordId: String
        var version: Int
        var body: Data
        var record: CareRecord
    }

    func latest(_ recordId: String) async throws -> StoredRecord {
        guard let (version, body) = try await env.store.latestRecord(recordId: recordId) else {
            throw APIError.notFound("no record \(recordId)")
        }
        if let record = env.parsedRecords.get(recordId, version: version) {
            return StoredRecord(recordId: recordId, version: version, body: body, record: record)
        }
        guard case .success(let record) = CareRecordLoader.load(data: body) else {
            throw APIError(.conflict, "the stored record \(recordId) version \(version) no longer passes validation")
        }
        env.parsedRecords.put(recordId, version: version, record)
        return StoredRecord(recordId: recordId, version: version, body: body, record: record)
    }

    /// Parses a request body as a care record: 422 with every problem when it is invalid.
    static func parse(_ body: Data) throws -> CareRecord {
        do {
            return try DocumentPipeline.load(body)
        } catch {
            throw APIError(error)
        }
    }

    static func kind(_ raw: String) throws -> DocumentKind {
        do {
            return try DocumentKind.named(raw)
        } catch {
            throw APIError(error)
        }
    }

    struct RenderOptions: Sendable {
        var language: String?
        var bilingual = false
        var largePrint: Bool?
        var date: CalendarDate?
        /// A proof for review: renders even with untranslated passages, marked PROOF on every page.
        var proof = false
        /// Fault injection for the crash-containment tests: only when the server's workers run
        /// with CAREDOCS_WORKER_FAULTS=1 (never in production).
        var fault: RenderJob.Fault?

        init(query request: Request) throws {
            let q = request.uri.queryParameters
            language = q.get("language")
            bilingual = try Self.flag(q.get("bilingual"), "bilingual") ?? false
            largePrint = try Self.flag(q.get("largePrint"), "largePrint")
            proof = try Self.flag(q.get("proof"), "proof") ?? false
            if let d = q.get("date") {
                guard let day = CalendarDate(d) else {
                    throw APIError(
                        .badRequest,
                        "bad date",
                        details: [.init(path: "date", problem: "must be a real date YYYY-MM-DD")]
                    )
                }
                date = day
            }
        }

        static func flag(_ v: String?, _ name: String) throws -> Bool? {
            switch v {
            case nil: nil
            case "true", "1", "yes", "on": true
            case "false", "0", "no", "off": false
            default:
                throw APIError(.badRequest, "bad flag", details: [.init(path: name, problem: "must be true or false")])
            }
        }
    }

    /// Renders `kind` of `body` (the record's bytes) through the pool; one PDF per language. A
    /// stored record (`stored`: its id and version) is served from the render cache when the same
    /// document was rendered before.
    func render(
        kind: DocumentKind,
        body: Data,
        record: CareRecord,
        options: RenderOptions,
        stored: (String, Int)? = nil
    ) async throws -> [RenderedCopy] {
        let request: DocumentRequest
        let languages: [SupportedLanguage]
        do {
            request = DocumentRequest(
                kind: kind,
                languages: try LanguageSelection(language: options.language, bilingual: options.bilingual),
                largePrint: options.largePrint,
                letterDate: options.date ?? ProgramCalendar.today(now: env.now),
                proof: options.proof
            )
            languages = try request.languages(for: record)
        } catch {
            throw APIError(error)
        }
        // A stored record prints the translation memory's texts (reviewed ones, or drafted ones
        // too on a proof or when the setting allows them), merged into the bytes the worker gets.
        let checked = body
        let body =
            stored == nil
            ? body
            : try await env.store.recordWithTranslations(
                json: body,
                parsed: record,
                languages: languages,
                proof: request.proof
            )
        let job = RenderJob(
            kind: kind.rawValue,
            languages: languages.map(\.tag),
            largePrint: request.largePrint(for: record),
            letterDate: request.letterDate.description,
            record: body,
            proof: request.proof,
            // `record` was parsed from `checked` (the stored or posted bytes, through the record
            // loader): unchanged bytes need no second check in the worker.
            validated: body == checked,
            fault: env.settings.workerEnvironment["CAREDOCS_WORKER_FAULTS"] == "1" ? options.fault : nil
        )
        guard let (recordId, version) = stored, job.fault == nil else { return try await render(job, kind: kind) }
        let key = RenderCache.key(recordId: recordId, version: version, job: job)
        if let hit = env.renderCache.get(key) {
            env.metrics.render(kind: kind.rawValue, outcome: "cached", duration: .zero)
            return hit
        }
        let copies = try await render(job, kind: kind)
        env.renderCache.put(key, copies)
        return copies
    }

    func render(_ job: RenderJob, kind: DocumentKind) async throws -> [RenderedCopy] {
        let start = ContinuousClock.now
        let outcome: RenderOutcome
        do {
            outcome = try await env.pool.render(job)
        } catch let e as RenderWorkerPoolError {
            let crashed = if case .workerCrashed = e { true } else { false }
            env.metrics.render(
                kind: kind.rawValue,
                outcome: crashed ? "crashed" : "failed",
                duration: ContinuousClock.now - start
            )
            throw e
        }
        let elapsed = ContinuousClock.now - start
        let label: String
        defer { env.metrics.render(kind: kind.rawValue, outcome: label, duration: elapsed) }
        switch outcome {
        case .rendered(let copies):
            label = "rendered"
            return copies
        case .invalidRecord(let problems):
            label = "invalid"
            throw APIError(
                .unprocessableContent,
                "the care record is not valid",
                details: problems.map { .init(path: $0.path, problem: $0.problem) }
            )
        case .refused(let problems):
            label = "refused"
            throw APIError(
                .unprocessableContent,
                "the \(kind.rawValue) cannot be made: required content is missing",
                details: problems.map { .init(path: $0.path, problem: $0.problem, clause: $0.clause) }
            )
        case .failed:
            // A template or engine failure: the server's fault, and its text may quote the record.
            label = "failed"
            throw APIError(
                .internalServerError,
                "the document could not be rendered; the request id is in X-Request-Id"
            )
        case .badJob(let why):
            label = "bad-job"
            throw APIError(.badRequest, why)
        }
    }

    /// One PDF: the single copy, or the copies joined (English first) for a bilingual render.
    static func onePDF(_ copies: [RenderedCopy]) async throws -> Data {
        if copies.count == 1 { return copies[0].pdf }
        let pdfs = copies.map(\.pdf)
        return try await Blocking.run { try joinPDFs(pdfs) }
    }

    /// Every document kind's missing required content for `record` (empty: can be made).
    static func checklist(_ record: CareRecord) -> [(DocumentKind, [RequirementProblem])] {
        DocumentKind.allCases.map { ($0, Requirements.check($0, record)) }
    }
}
