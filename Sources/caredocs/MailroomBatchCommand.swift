import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation

struct MailroomBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Render every letter ready to mail into one print-ready PDF (ZIP order, each letter on a new sheet) and the firm mailing book (PS Form 3877 layout) as PDF and CSV.")

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Batch date, printed on the letters and the mailing book (YYYY-MM-DD; default today).") var date: String?
    @Option(name: .shortAndLong, help: "Folder for print-DATE.pdf, mailing-book-DATE.pdf/.csv and letters/.") var output: String
    @Option(help: "Postage per piece for the mailing book (e.g. 0.73); blank to fill by hand.") var postage = ""
    @Option(help: "Registered Mail fee per piece; blank to fill by hand.") var fee = ""
    @Flag(help: "JSON: {date, pieces, sheets, printFile, mailingBookPDF, mailingBookCSV, skipped: [{obligation, reason}]}.") var json = false

    func run() throws {
        let day = parseDay(date, option: "--date"), actor = db.resolvedActor
        let out = URL(fileURLWithPath: output).standardizedFileURL
        let postage = postage, fee = fee
        let showProgress = isatty(STDERR_FILENO) == 1 && !json
        do {
            let result = try db.withStore { store in
                var batch = MailroomBatch(store: store, actor: actor, date: day, output: out, postage: postage, fee: fee)
                if showProgress {
                    batch.progress = { done, total in
                        let width = 30, filled = total == 0 ? width : done * width / total
                        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total) letters\(done == total ? "\n" : "")".utf8))
                    }
                }
                return try await batch.run()
            }
            if json { printJSON(result); return }
            for s in result.skipped { print("skipped \(s.obligation): \(s.reason)") }
            if result.pieces == 0 {
                print("no letters ready to mail")
            } else {
                print("\(result.pieces) letters on \(result.sheets) sheets (duplex): \(result.printFile!)")
                print("mailing book: \(result.mailingBookPDF!), \(result.mailingBookCSV!)")
                print("next: print, attach the Registered Mail labels, fill the article numbers into the CSV, then `caredocs mailroom printed --batch \(result.mailingBookCSV!)` and `caredocs mailroom import-tracking \(result.mailingBookCSV!)`")
            }
        } catch { reportRefusal(error) }
    }
}
