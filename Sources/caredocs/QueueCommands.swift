import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation
import Mailroom
import Typesetting

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The deadline queue: import records, list what is due, at risk and overdue.",
        subcommands: [
            QueueImportCommand.self, QueueListCommand.self, QueueShowCommand.self, QueueHistoryCommand.self,
            QueueRenderCommand.self, QueueCompleteCommand.self, QueueBenchCommand.self,
        ]
    )
}

struct ImportJSON: Encodable {
    var file: String
    var report: ImportReport?
    var problems: [ProblemOutput]?
    /// A valid record refused because it would change who the record is about.
    var refused: Bool?
}

struct QueueImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import care records (a new version when the bytes changed) and derive their obligations. Exit 1 if any record is invalid."
    )

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Care records (JSON).") var records: [String]
    @Flag(
        help:
            "Import versions that change a record's member.id, first or last name or date of birth, or whose member is already another record's (audited as identity-change)."
    )
    var confirmIdentityChange = false
    @Option(
        help: ArgumentHelp(
            "Members already in the program: obligations first derived now and due before DATE are recorded as completed before import (dated on their due date, audited with --actor).",
            valueName: "DATE"
        )
    )
    var completedBefore: String?
    @Flag(help: "One JSON object per file: {file, report} or {file, problems[, refused: true]}.") var json = false

    func run() throws {
        let files = records
        let actor = db.resolvedActor
        var cutoff: CalendarDate?
        if let completedBefore {
            guard let d = CalendarDate(completedBefore), d <= ProgramCalendar.today() else {
                fail("--completed-before must be a real date YYYY-MM-DD, today or earlier", code: 1)
            }
            cutoff = d
        }
        let options = ImportOptions(confirmIdentityChange: confirmIdentityChange, completedBefore: cutoff)
        let results: [ImportJSON] = try db.withStore { store in
            var out: [ImportJSON] = []
            // 500 records per transaction.
            for start in stride(from: 0, to: files.count, by: 500) {
                let chunk = Array(files[start..<min(start + 500, files.count)])
                var readable: [(String, Data)] = []
                for file in chunk {
                    if let data = try? Data(contentsOf: URL(fileURLWithPath: file)) {
                        readable.append((file, data))
                    } else {
                        out.append(
                            ImportJSON(file: file, problems: [ProblemOutput(path: "", problem: "cannot read the file")])
                        )
                    }
                }
                let results = try await store.importRecords(
                    readable.map(\.1),
                    options: options,
                    actor: actor,
                    now: Date()
                )
                for ((file, _), result) in zip(readable, results) {
                    switch result {
                    case .success(let report): out.append(ImportJSON(file: file, report: report))
                    case .failure(let failure):
                        var refused: Bool?
                        if case .refused = failure { refused = true }
                        out.append(
                            ImportJSON(
                                file: file,
                                problems: failure.problems.map { ProblemOutput(path: $0.path, problem: $0.problem) },
                                refused: refused
                            )
                        )
                    }
                }
            }
            return out
        }
        if json {
            printJSON(results)
        } else {
            for r in results {
                if let rep = r.report {
                    let changes = [
                        ("created", rep.created), ("moved", rep.moved), ("cancelled", rep.cancelled),
                        ("reinstated", rep.reinstated),
                        ("completed", rep.completed), ("reopened", rep.reopened),
                    ].filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
                    print(
                        "\(r.file): record \(rep.recordId) version \(rep.version)\(rep.newVersion ? "" : " (unchanged)")"
                            + (changes.isEmpty ? "" : "; obligations: " + changes.joined(separator: ", "))
                    )
                } else if r.refused == true {
                    FileHandle.standardError.write(
                        Data(
                            "\(r.file): refused: it would change who the record is about (--confirm-identity-change imports it, audited)\n"
                                .utf8
                        )
                    )
                    printProblems(r.problems ?? [], json: false)
                } else {
                    FileHandle.standardError.write(Data("\(r.file): invalid record\n".utf8))
                    printProblems(r.problems ?? [], json: false)
                }
            }
        }
        if results.contains(where: { $0.problems != nil }) { throw ExitCode(1) }
    }
}

struct QueueListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Pending obligations by due date, with days left, at risk (≤ 7 days) and overdue."
    )

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Only those due within DAYS days (overdue included).") var dueWithin: Int?
    @Flag(help: "Only overdue ones.") var overdue = false
    @Option(help: "Only this kind: \(ObligationKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind:
        String?
    @Option(help: "Only this record.") var record: String?
    @Flag(help: "Include complete and cancelled obligations.") var all = false
    @Option(help: "Count days from this date (YYYY-MM-DD; default today in America/New_York).") var today: String?
    @Flag(help: "JSON: {today, count, obligations: [...]}.") var json = false

    func run() throws {
        var kindFilter: ObligationKind?
        if let kind {
            guard let k = ObligationKind(rawValue: kind) else {
                fail(
                    "unknown kind \(Quote.value(kind)) (one of: \(ObligationKind.allCases.map(\.rawValue).joined(separator: ", ")))",
                    code: 1
                )
            }
            kindFilter = k
        }
        if let d = dueWithin, d < 0 { fail("--due-within must be 0 or more", code: 1) }
        let day = parseDay(today, option: "--today")
        let query = ObligationQuery(
            today: day,
            dueWithin: dueWithin,
            overdueOnly: overdue,
            kind: kindFilter,
            recordId: record,
            includeClosed: all
        )
        let list = try db.withStore { store in try await store.obligations(query) }
        if json {
            printJSON(
                ListJSON(today: day, count: list.count, obligations: list.map { ObligationJSON(o: $0, today: day) })
            )
        } else {
            print(obligationHeader)
            for o in list { print(obligationLine(o, today: day)) }
            let overdue = list.filter { $0.status(today: day).state == .overdue }.count
            let atRisk = list.filter { $0.status(today: day).state == .atRisk }.count
            print(
                "\(list.count) obligation\(list.count == 1 ? "" : "s"): \(overdue) overdue, \(atRisk) at risk (today \(day), America/New_York)"
            )
        }
    }
}

struct QueueShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One obligation: dates, status, paper and electronic state, renditions, mail pieces."
    )

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id (RECORD_ID/KIND[/QUALIFIER]) or a tracking number.") var obligation: String
    @Option(help: "Count days from this date (YYYY-MM-DD).") var today: String?
    @Flag(help: "JSON: {today, obligation, renditions, pieces}.") var json = false

    func run() throws {
        let day = parseDay(today, option: "--today")
        let id = obligation
        let detail: ObligationDetail? = try db.withStore { store in
            let resolved = try await resolveObligation(id, store)
            return try await store.detail(resolved)
        }
        guard let detail else { fail("no obligation \(id)", code: 1) }
        if json {
            printJSON(
                ShowJSON(
                    today: day,
                    obligation: ObligationJSON(o: detail.obligation, today: day),
                    renditions: detail.renditions,
                    pieces: detail.pieces
                )
            )
            return
        }
        let o = detail.obligation
        let s = o.status(today: day)
        print("\(o.id)  (\(o.kind.rawValue), record \(o.recordId) version \(o.recordVersion))")
        print(
            "  start \(o.startDate), due \(o.dueDate) (\(o.kind.rule.description)): \(s.state.rawValue)"
                + (s.daysLeft.map { ", \($0) day\(abs($0) == 1 ? "" : "s") left" } ?? "")
                + (s.late == true ? ", late" : "")
        )
        if o.kind.isDocument {
            print(
                "  language \(o.language ?? "-"); paper \(o.paper.rawValue), attempt \(o.attempt)"
                    + (o.trackingNumber.map { ", tracking \($0)" } ?? "") + (o.mailDate.map { ", mailed \($0)" } ?? "")
                    + (o.deliveredDate.map { ", delivered \($0)" } ?? "")
            )
            print("  electronic \(o.electronic.rawValue)\(o.electronicRequired ? " (required)" : "")")
        }
        if let p = o.addressProblem { print("  address problem (last return): \(p)") }
        if let c = o.completedOn { print("  complete on \(c)" + (o.completionNote.map { ": \($0)" } ?? "")) }
        if let r = o.cancelledReason { print("  cancelled: \(r)") }
        for r in detail.renditions {
            print(
                "  rendered \(r.renderedAt): record version \(r.recordVersion), template \(r.templateVersion), locale \(r.language) \(r.localeVersion), pdf sha256 \(r.pdfSHA256)"
                    + (r.pdfPath.map { " at \($0)" } ?? "")
            )
        }
        for p in detail.pieces {
            print(
                "  piece \(p.trackingNumber): attempt \(p.attempt), mailed \(p.mailDate), \(p.outcome)"
                    + (p.outcomeDate.map { " \($0)" } ?? "")
            )
        }
    }
}

/// An obligation id, or the obligation a tracking number was used for.
func resolveObligation(_ text: String, _ store: any DeadlineStore) async throws -> String {
    if !text.contains("/"), let t = try? TrackingNumber(text),
        let id = try await store.obligationId(forTracking: t.value)
    {
        return id
    }
    return text
}

struct QueueHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A record's versions, obligations and audit entries."
    )

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Record id (recordId, else member.id).") var recordId: String
    @Flag(help: "JSON: {recordId, today, versions, obligations, audit}.") var json = false

    func run() throws {
        let id = recordId
        let h = try db.withStore { store in try await store.history(recordId: id) }
        guard !h.versions.isEmpty else { fail("no record \(id)", code: 1) }
        let day = ProgramCalendar.today()
        if json {
            printJSON(
                HistoryJSON(
                    recordId: id,
                    today: day,
                    versions: h.versions,
                    obligations: h.obligations.map { ObligationJSON(o: $0, today: day) },
                    audit: h.audit
                )
            )
            return
        }
        print("record \(id)")
        for v in h.versions {
            print("  version \(v.version): imported \(v.importedAt) by \(v.importedBy), sha256 \(v.sha256)")
        }
        print("obligations")
        for o in h.obligations { print("  " + obligationLine(o, today: day)) }
        print("audit")
        for e in h.audit {
            print(
                "  #\(e.seq) \(e.at) \(e.actor) \(e.action)\(e.recordVersion.map { " v\($0)" } ?? "")\(e.obligationId.map { " \($0)" } ?? ""): \(e.what)"
            )
        }
    }
}

struct QueueRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract:
            "Render an obligation's document from the latest record version and record it (open/rendered → rendered)."
    )

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id.") var obligation: String
    @Option(name: .shortAndLong, help: "The PDF to write (kept as the archive copy; its path is recorded).") var output:
        String
    @Option(help: "Date printed on the letter (YYYY-MM-DD; default today).") var date: String?

    func run() throws {
        let id = obligation
        let actor = db.resolvedActor
        let letterDate = parseDay(date, option: "--date")
        let path = URL(fileURLWithPath: output).standardizedFileURL
        do {
            let r: Rendition = try db.withStore { store in
                guard let o = try await store.detail(id)?.obligation else {
                    throw DeadlineStoreError.unknownObligation(id)
                }
                if let waiting = o.waitingForTranslationText {
                    throw TransitionRefused("\(id) is \(waiting): its official copy needs reviewed translations first")
                }
                let languages = [SupportedLanguage.normalize(o.language ?? "en")].compactMap { $0 }
                guard
                    let latest = try await store.recordForCopies(
                        recordId: o.recordId,
                        languages: languages,
                        proof: false
                    )
                else { throw CLIError("record \(o.recordId) is not stored") }
                let renderer = try ObligationRenderer()
                let (pdf, rendered, _) = try renderer.render(
                    o,
                    record: latest.record,
                    recordVersion: latest.version,
                    letterDate: letterDate
                )
                try AtomicFile.write(pdf, to: path)
                var rendition = rendered
                rendition.pdfPath = path.path
                try await store.apply(.rendered(rendition), to: id, actor: actor, now: Date())
                return rendition
            }
            print("wrote \(path.path): \(id) from record version \(r.recordVersion), pdf sha256 \(r.pdfSHA256)")
        } catch let failure as DocumentFailure {
            exitWith(failure, json: false)
        } catch {
            reportRefusal(error)
        }
    }
}

struct QueueCompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract:
            "Record a follow-up, review, assessment or signature (by-hand kinds only), or the documented reason why not."
    )

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id.") var obligation: String
    @Option(help: "What was recorded (kept with the obligation, not in the audit log).") var note: String
    @Option(help: "When (YYYY-MM-DD; default today).") var date: String?

    func run() throws {
        let id = obligation
        let actor = db.resolvedActor
        let day = parseDay(date, option: "--date")
        let note = note
        do {
            let o = try db.withStore { store in
                try await store.apply(.completed(note: note, date: day), to: id, actor: actor, now: Date())
            }
            print("\(o.id): complete on \(o.completedOn!)\(o.status(today: day).late == true ? " (late)" : "")")
        } catch { reportRefusal(error) }
    }
}
