import Foundation
import Templating
import Typesetting

/// The one path from a care record to PDF bytes, used by the CLI (`caredocs render`, `queue
/// render`), the render worker processes (and so the service) and the mailroom:
///
/// ```
/// JSON bytes ─ CareRecordLoader ─▶ CareRecord ─ DocumentRequest.languages(for:) ─▶ languages
///   ─ DocumentRenderer (requirement rules, view model, template, markup) ─▶ Document per language
///   ─ Engine (layout, PDF) ─▶ DocumentCopy per language
/// ```
///
/// Every copy's `Document` is built before any is rendered, so a refusal costs no layout; every
/// failure is a `DocumentFailure`. One pipeline owns an `Engine` (C handles, fonts loaded once):
/// use it from one thread at a time.
public final class DocumentPipeline {
    public let renderer: DocumentRenderer
    public let engine: Engine

    /// Loads templates, catalogs and fonts from the project's folders (or the ones given).
    public init(renderer: DocumentRenderer? = nil, engine: Engine? = nil) throws {
        self.renderer = try renderer ?? DocumentRenderer()
        self.engine = try engine ?? Engine()
    }

    /// Parses and validates `json`, then renders it (see `render(_:record:)`).
    public func render(_ request: DocumentRequest, json: Data) throws(DocumentFailure) -> [DocumentCopy] {
        try render(request, record: Self.load(json))
    }

    /// Every copy `request` asks for, in order, or the reason there is none.
    public func render(_ request: DocumentRequest, record: CareRecord) throws(DocumentFailure) -> [DocumentCopy] {
        try render(documents(request, record: record))
    }

    /// Lays out and writes documents made by `documents(_:record:)`, every one or none.
    public func render(_ documents: [(SupportedLanguage, Document)]) throws(DocumentFailure) -> [DocumentCopy] {
        var copies: [DocumentCopy] = []
        for (language, document) in documents {
            let result: RenderResult
            do {
                result = try engine.render(document)
            } catch {
                throw .renderFailed("\(error)")
            }
            copies.append(DocumentCopy(language: language, pdf: result.pdf, report: result.report))
        }
        return copies
    }

    /// The laid-out-ready `Document` of every copy (requirement rules first), without rendering.
    public func documents(
        _ request: DocumentRequest,
        record: CareRecord
    ) throws(DocumentFailure) -> [(SupportedLanguage, Document)] {
        guard DocumentKind.available.contains(request.kind) else { throw .unavailableKind(request.kind) }
        let languages = try request.languages(for: record)
        let largePrint = request.largePrint(for: record)
        var documents: [(SupportedLanguage, Document)] = []
        for language in languages {
            let options = DocumentRenderer.Options(
                language: language,
                largePrint: largePrint,
                letterDate: request.letterDate,
                proof: request.proof
            )
            do {
                documents.append((language, try renderer.document(request.kind, record: record, options: options)))
            } catch let refusal as DocumentRefusal {
                throw .refused(refusal.kind, refusal.problems)
            } catch let failure as DocumentFailure {
                throw failure
            } catch {
                throw .buildFailed("\(error)")
            }
        }
        return documents
    }

    /// A validated record from JSON bytes, or `.invalidRecord` with every problem.
    public static func load(_ json: Data) throws(DocumentFailure) -> CareRecord {
        switch CareRecordLoader.load(data: json) {
        case .success(let record): return record
        case .failure(let failure): throw .invalidRecord(failure.problems)
        }
    }

    /// `load` for bytes that passed `load` before (in the process that hands them over): decoded
    /// without checking the contract again.
    public static func decodeValidated(_ json: Data) throws(DocumentFailure) -> CareRecord {
        switch CareRecordLoader.decodeValidated(data: json) {
        case .success(let record): return record
        case .failure(let failure): throw .invalidRecord(failure.problems)
        }
    }
}

/// One rendered copy: its language, the PDF bytes and the engine's report (pages, fonts,
/// warnings such as characters no bundled font covers).
public struct DocumentCopy: Sendable {
    public var language: SupportedLanguage
    public var pdf: Data
    public var report: RenderReport

    public init(language: SupportedLanguage, pdf: Data, report: RenderReport) {
        self.language = language
        self.pdf = pdf
        self.report = report
    }
}
