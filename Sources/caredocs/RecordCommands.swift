import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation
import Typesetting

/// One problem of a record or a refused document, for `--json` output.
struct ProblemOutput: Encodable {
    var path: String
    var problem: String
    var clause: String?
}

func printProblems(_ problems: [ProblemOutput], json: Bool) {
    if json {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardError.write((try? enc.encode(problems)) ?? Data("[]".utf8))
        FileHandle.standardError.write(Data("\n".utf8))
    } else {
        for p in problems {
            let line = (p.path.isEmpty ? "" : "\(p.path): ") + p.problem + (p.clause.map { " (\($0))" } ?? "")
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}

/// Reads and validates a record; exits 1 with every problem when it is invalid.
func loadRecord(_ path: String, json: Bool) -> CareRecord {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
        fail("cannot read \(path): \(error.localizedDescription)")
    }
    switch CareRecordLoader.load(data: data) {
    case .success(let record): return record
    case .failure(let failure):
        printProblems(failure.problems.map { ProblemOutput(path: $0.path, problem: $0.problem) }, json: json)
        exit(1)
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a care record against the contract; every problem, one per line (exit 1)."
    )

    @Argument(help: "The care record (JSON).") var record: String
    @Flag(help: "Problems as a JSON array of {path, problem}.") var json = false

    func run() throws {
        let r = loadRecord(record, json: json)
        print("valid: record \(r.recordId ?? "(no recordId)") for member id \(r.member.id)")
    }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract:
            "Render a document from a care record. Exit 1: invalid record or refused document; 2: other failures.",
        discussion: """
            The language defaults to the letter language (the recipient's, else the member's) for \
            letters and plans, and to English for the emergency plan and the CCM notice. \
            --bilingual writes the English copy and the family's-language copy side by side: \
            plan.pdf becomes plan.en.pdf and plan.es.pdf (one file when the family reads English). \
            A schema version 2 record's copy that would print a passage without a text in the copy's \
            language is refused (exit 1, every untranslated field's path); --proof renders it anyway, \
            marked, for review.
            """
    )

    @Argument(help: "Document kind: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String
    @Argument(help: "The care record (JSON).") var record: String
    @Option(help: "A language tag, 'primary' (the letter language: recipient's, else member's) or 'english'.")
    var language: String?
    @Flag(help: "English and the primary language, one PDF each (FILE.en.pdf, FILE.<tag>.pdf).") var bilingual = false
    @Flag(help: "Body text at 18 pt.") var largePrint = false
    @Option(name: .shortAndLong, help: "The PDF to write (written whole or not at all).") var output: String
    @Option(help: "Date printed on the letter (YYYY-MM-DD; default today in America/New_York).") var date: String?
    @Flag(help: "Problems as a JSON array of {path, problem, clause}.") var json = false
    @Flag(
        help:
            "A proof for review, never for mailing: renders even when passages are not translated into the copy's language (printed in the source language, marked), with PROOF — NOT FOR MAILING on every page."
    )
    var proof = false
    @Option(
        name: .customLong("db"),
        help:
            "A queue database (SQLite file or postgres:// URL) whose translation memory the copy uses: reviewed translations (drafted ones too on a proof, or when the database's setting allows them)."
    )
    var db: String?

    func run() throws {
        let request: DocumentRequest
        do throws(DocumentFailure) {
            let kind = try DocumentKind.named(kind)
            var letterDate = ProgramCalendar.today()
            if let date {
                guard let day = CalendarDate(date) else { fail("--date must be a real date YYYY-MM-DD") }
                letterDate = day
            }
            request = DocumentRequest(
                kind: kind,
                languages: try LanguageSelection(language: language, bilingual: bilingual),
                largePrint: largePrint ? true : nil,
                letterDate: letterDate,
                proof: proof
            )
        } catch .conflictingOptions {
            fail("--bilingual and --language: choose one")
        } catch {
            fail(error.description)
        }
        var record = loadRecord(self.record, json: json)
        if let db, record.declaresTranslations {
            record = withTranslations(record, database: db, request: request)
        }
        let copies: [DocumentCopy]
        do {
            copies = try DocumentPipeline().render(request, record: record)
        } catch let failure as DocumentFailure {
            exitWith(failure, json: json)
        } catch {
            fail("\(error)")
        }
        // Every copy is rendered before any is written; then all are written or none.
        let files = copies.map { (data: $0.pdf, url: outputURL(for: $0.language, copies: copies.count)) }
        do { try AtomicFile.writeAll(files) } catch { fail("\(error)") }
        for (copy, file) in zip(copies, files) {
            print("wrote \(file.url.path): \(copy.report.pages) pages")
            for warning in copy.report.warnings { print("warning: \(warning)") }
        }
    }

    /// The record with the memory's translations for the copies `request` makes (`--db`).
    func withTranslations(_ record: CareRecord, database: String, request: DocumentRequest) -> CareRecord {
        let languages: [SupportedLanguage]
        do { languages = try request.languages(for: record) } catch { exitWith(error, json: json) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: self.record)) } catch {
            fail("cannot read \(self.record)")
        }
        let proof = request.proof
        do {
            return try runBlocking {
                let store = try await openDeadlineStore(database)
                do {
                    let merged = try await store.recordWithTranslations(
                        record: record,
                        json: data,
                        languages: languages,
                        proof: proof
                    )
                    try? await store.close()
                    return merged
                } catch {
                    try? await store.close()
                    throw error
                }
            }
        } catch {
            fail("cannot use the translation memory in \(database): \(error)")
        }
    }

    /// FILE.pdf, or FILE.<tag>.pdf for each copy of a bilingual render.
    func outputURL(for language: SupportedLanguage, copies: Int) -> URL {
        let url = URL(fileURLWithPath: output)
        guard bilingual && copies > 1 else { return url }
        let ext = url.pathExtension.isEmpty ? "pdf" : url.pathExtension
        return url.deletingPathExtension().appendingPathExtension(language.tag).appendingPathExtension(ext)
    }
}

/// Ends the command for a failure of the document pipeline: a record problem or a refusal lists
/// every problem (exit 1); anything else is one message (exit 2).
func exitWith(_ failure: DocumentFailure, json: Bool) -> Never {
    switch failure {
    case .invalidRecord(let problems):
        printProblems(problems.map { ProblemOutput(path: $0.path, problem: $0.problem) }, json: json)
        exit(1)
    case .refused(_, let problems):
        printProblems(problems.map { ProblemOutput(path: $0.path, problem: $0.problem, clause: $0.clause) }, json: json)
        exit(1)
    default:
        fail(failure.description)
    }
}
