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
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { fail("cannot read \(path): \(error.localizedDescription)") }
    switch CareRecordLoader.load(data: data) {
    case .success(let record): return record
    case .failure(let failure):
        printProblems(failure.problems.map { ProblemOutput(path: $0.path, problem: $0.problem) }, json: json)
        exit(1)
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a care record against the contract; every problem, one per line (exit 1).")

    @Argument(help: "The care record (JSON).") var record: String
    @Flag(help: "Problems as a JSON array of {path, problem}.") var json = false

    func run() throws {
        let r = loadRecord(record, json: json)
        print("valid: record \(r.recordId ?? "(no recordId)") for member id \(r.member.id)")
    }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a document from a care record. Exit 1: invalid record or refused document; 2: other failures.")

    @Argument(help: "Document kind: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String
    @Argument(help: "The care record (JSON).") var record: String
    @Option(help: "A language tag, 'primary' (the letter language: recipient's, else member's) or 'english'.") var language = "primary"
    @Flag(help: "Body text at 18 pt.") var largePrint = false
    @Option(name: .shortAndLong, help: "The PDF to write (written whole or not at all).") var output: String
    @Option(help: "Date printed on the letter (YYYY-MM-DD; default today in America/New_York).") var date: String?
    @Flag(help: "Problems as a JSON array of {path, problem, clause}.") var json = false

    func run() throws {
        guard let kind = DocumentKind(rawValue: kind) else {
            fail("unknown document kind '\(kind)' (one of: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let r = loadRecord(record, json: json)
        let lang: SupportedLanguage
        switch language {
        case "primary":
            guard let l = r.letterLanguage else { fail("the record has no supported language") }
            lang = l
        case "english": lang = .english
        default:
            guard let l = SupportedLanguage.normalize(language) else {
                fail("unsupported language '\(language)' (supported: \(SupportedLanguage.supportedTags.joined(separator: ", ")))")
            }
            lang = l
        }
        var letterDate = CalendarDate.today()
        if let date {
            guard let d = CalendarDate(date) else { fail("--date must be a real date YYYY-MM-DD") }
            letterDate = d
        }
        let renderer: DocumentRenderer
        do { renderer = try DocumentRenderer() } catch { fail("\(error)") }
        let document: Document
        do {
            document = try renderer.document(kind, record: r, options: .init(language: lang, largePrint: largePrint, letterDate: letterDate))
        } catch let refusal as DocumentRefusal {
            printProblems(refusal.problems.map { ProblemOutput(path: $0.path, problem: $0.problem, clause: $0.clause) }, json: json)
            throw ExitCode(1)
        } catch {
            fail("\(error)")
        }
        do {
            let report = try Engine().render(document, to: URL(fileURLWithPath: output))
            print("wrote \(output): \(report.pages) pages")
            for w in report.warnings { print("warning: \(w)") }
        } catch {
            fail("\(error)")
        }
    }
}
