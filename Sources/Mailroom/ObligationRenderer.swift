import CaresDocuments
import Deadlines
import Foundation
import Templating
import Typesetting

/// Renders the document an obligation asks for, from a stored record version, and describes the
/// result for the audit: record version, template and locale versions, SHA-256 of the PDF bytes.
///
/// Template version: the first 16 hex digits of SHA-256 over every `Templates/*.mustache` file
/// (name and bytes, in name order); locale version: the same over `Locales/<language>.json` and
/// `Locales/taglines.json`. Any wording or layout change gives a new version.
public final class ObligationRenderer {
    let pipeline: DocumentPipeline
    let templatesDirectory: URL
    let localesDirectory: URL
    public let templateVersion: String

    public init() throws {
        let templates = try TemplateLibrary.locate()
        let locales = try LocaleSet.locate()
        templatesDirectory = templates
        localesDirectory = locales
        pipeline = try DocumentPipeline(renderer: DocumentRenderer(templates: templates, locales: locales))
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter {
            $0.hasSuffix(".mustache")
        }.sorted()
        templateVersion = try Self.version(names.map { templates.appendingPathComponent($0) })
    }

    public func localeVersion(_ language: String) throws -> String {
        try Self.version([
            localesDirectory.appendingPathComponent("\(language).json"),
            localesDirectory.appendingPathComponent("taglines.json"),
        ])
    }

    static func version(_ files: [URL]) throws -> String {
        var bytes = Data()
        for f in files {
            bytes.append(Data(f.lastPathComponent.utf8))
            bytes.append(0)
            bytes.append(try Data(contentsOf: f))
            bytes.append(0)
        }
        return String(sha256Hex(bytes).prefix(16))
    }

    /// The `Document` `render` lays out for `o` (the same inputs give the same pages: the
    /// mailroom's print file lays it out again beside the archive copy).
    public func document(
        _ o: Obligation,
        record: CareRecord,
        letterDate: CalendarDate
    ) throws -> (SupportedLanguage, Document) {
        guard let kind = o.kind.documentKind else {
            throw TransitionRefused("obligation \(o.id) is a \(o.kind.rawValue): there is no document to render")
        }
        let tag = o.language ?? "en"
        guard let language = SupportedLanguage.normalize(tag) else {
            throw TransitionRefused("obligation \(o.id): no locale for language \(tag)")
        }
        let request = DocumentRequest(kind: kind, languages: .exactly([language]), letterDate: letterDate)
        return try pipeline.documents(request, record: record)[0]
    }

    /// Lays out and draws `documents` as one print file (`Engine.renderCombined`: each font
    /// embedded once), with each document's page count.
    public func printFile(title: String, next: () throws -> Document?) throws -> Engine.CombinedResult {
        try pipeline.engine.renderCombined(metadata: Metadata(title: title, creator: "CareDocs"), next: next)
    }

    /// Renders `o` from `record` (its version `recordVersion`), dated `letterDate`, through the
    /// document pipeline. Throws `TransitionRefused` for an obligation with no document and
    /// `DocumentFailure` when the document cannot be made.
    public func render(
        _ o: Obligation,
        record: CareRecord,
        recordVersion: Int,
        letterDate: CalendarDate
    ) throws -> (pdf: Data, rendition: Rendition, report: RenderReport) {
        let (language, document) = try document(o, record: record, letterDate: letterDate)
        let copy = try pipeline.render([(language, document)])[0]
        let rendition = Rendition(
            obligationId: o.id,
            attempt: o.attempt,
            recordVersion: recordVersion,
            templateVersion: templateVersion,
            localeVersion: try localeVersion(language.tag),
            language: language.tag,
            pdfSHA256: sha256Hex(copy.pdf),
            pdfPath: nil
        )
        return (copy.pdf, rendition, copy.report)
    }
}
