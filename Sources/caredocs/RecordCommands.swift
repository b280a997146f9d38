import ArgumentParser
import CaresDocuments
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
            plan.pdf becomes plan.en.pdf and plan.es.pdf (one file when the family reads English).
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

    func run() throws {
        guard let kind = DocumentKind(rawValue: kind) else {
            fail(
                "unknown document kind '\(kind)' (one of: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let r = loadRecord(record, json: json)
        guard let primary = r.letterLanguage else { fail("the record has no supported language") }
        var languages: [SupportedLanguage]
        if bilingual {
            if language != nil { fail("--bilingual and --language: choose one") }
            languages = primary == .english ? [.english] : [.english, primary]
        } else {
            switch language ?? (kind.englishByDefault ? "english" : "primary") {
            case "primary": languages = [primary]
            case "english": languages = [.english]
            case let tag:
                guard let l = SupportedLanguage.normalize(tag) else {
                    fail(
                        "unsupported language '\(tag)' (supported: \(SupportedLanguage.supportedTags.joined(separator: ", ")))"
                    )
                }
                languages = [l]
            }
        }
        var letterDate = CalendarDate.today()
        if let date {
            guard let d = CalendarDate(date) else { fail("--date must be a real date YYYY-MM-DD") }
            letterDate = d
        }
        let renderer: DocumentRenderer
        do { renderer = try DocumentRenderer() } catch { fail("\(error)") }
        var documents: [(SupportedLanguage, Document)] = []
        do {
            for l in languages {
                documents.append(
                    (
                        l,
                        try renderer.document(
                            kind,
                            record: r,
                            options: .init(language: l, largePrint: largePrint, letterDate: letterDate)
                        )
                    )
                )
            }
        } catch let refusal as DocumentRefusal {
            printProblems(
                refusal.problems.map { ProblemOutput(path: $0.path, problem: $0.problem, clause: $0.clause) },
                json: json
            )
            throw ExitCode(1)
        } catch {
            fail("\(error)")
        }
        // Render every copy first, then write: a failure leaves no file behind.
        var rendered: [(URL, RenderResult)] = []
        do {
            let engine = try Engine()
            for (l, doc) in documents {
                rendered.append((outputURL(for: l, copies: documents.count), try engine.render(doc)))
            }
            for (url, result) in rendered { try writeAtomically(result.pdf, to: url) }
        } catch {
            for (url, _) in rendered { try? FileManager.default.removeItem(at: url) }
            fail("\(error)")
        }
        for (url, result) in rendered {
            print("wrote \(url.path): \(result.report.pages) pages")
            for w in result.report.warnings { print("warning: \(w)") }
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

/// Writes through a temporary file in the same folder and renames: whole or not at all.
func writeAtomically(_ data: Data, to url: URL) throws {
    let tmp = url.deletingLastPathComponent().appending(path: ".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
        try data.write(to: tmp)
        guard rename(tmp.path, url.path) == 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey: "cannot write \(url.path): \(String(cString: strerror(errno)))",
                ]
            )
        }
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
}
