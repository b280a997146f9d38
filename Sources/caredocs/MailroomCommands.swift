import ArgumentParser
import CaresDocuments
import Deadlines
import Foundation
import Mailroom

struct MailroomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailroom",
        abstract:
            "Record what happens to each piece: printed, mailed (Registered Mail article number), delivered, returned; electronic sent/failed.",
        subcommands: [
            MailroomBatchCommand.self, MailroomRenderReadyCommand.self, MailroomPrintedCommand.self,
            MailroomMailedCommand.self, MailroomDeliveredCommand.self, MailroomReturnedCommand.self,
            MailroomSendCommand.self, MailroomSentCommand.self, MailroomFailedCommand.self,
            MailroomImportTrackingCommand.self, MailroomPurgeCommand.self,
        ]
    )
}

/// Applies one event and prints the obligation's new state; refusals exit 1 with the reason.
func applyEvent(
    _ db: DatabaseOptions,
    _ target: String,
    _ event: @escaping @Sendable (Obligation) throws -> ObligationEvent
) {
    let actor = db.resolvedActor
    do {
        let o = try db.withStore { store in
            let id = try await resolveObligation(target, store)
            guard let current = try await store.detail(id)?.obligation else {
                throw DeadlineStoreError.unknownObligation(id)
            }
            return try await store.apply(try event(current), to: id, actor: actor, now: Date())
        }
        let state = o.isComplete ? "complete" : "not complete yet"
        print("\(o.id): paper \(o.paper.rawValue), electronic \(o.electronic.rawValue), attempt \(o.attempt); \(state)")
    } catch {
        reportRefusal(error)
    }
}

struct MailroomPrintedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printed",
        abstract: "Rendered documents were printed (one, or every piece of a batch's mailing book CSV)."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id.") var obligation: String?
    @Option(help: "A batch's mailing-book CSV: every obligation in it that is still rendered.") var batch: String?
    func run() throws {
        if let obligation {
            applyEvent(db, obligation) { _ in .printed }
            return
        }
        guard let batch, let text = try? String(contentsOfFile: batch, encoding: .utf8) else {
            fail("give an obligation id or --batch CSV", code: 1)
        }
        let ids = parseCSV(text).dropFirst().compactMap { $0.first?.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        let actor = db.resolvedActor
        let count = try db.withStore { store in
            var n = 0
            for id in ids where try await store.detail(id)?.obligation.paper == .rendered {
                try await store.apply(.printed, to: id, actor: actor, now: Date())
                n += 1
            }
            return n
        }
        print("\(count) of \(ids.count) pieces marked printed")
    }
}

struct MailroomMailedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailed",
        abstract: "A printed document was mailed with a Registered Mail article number (UPU S10, e.g. RE123456785US)."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id.") var obligation: String
    @Option(help: "The article number (S10: 2 letters, 8 digits, check digit, country).") var tracking: String
    @Option(help: "Mail date (YYYY-MM-DD; default today).") var date: String?
    func run() throws {
        let day = parseDay(date, option: "--date")
        let t: TrackingNumber
        do { t = try TrackingNumber(tracking) } catch { fail("refused: \(error.description)", code: 1) }
        applyEvent(db, obligation) { _ in .mailed(t, date: day) }
    }
}

struct MailroomDeliveredCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delivered", abstract: "A mailed piece was delivered.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id or tracking number.") var obligation: String
    @Option(help: "Delivery date (YYYY-MM-DD; default today).") var date: String?
    func run() throws {
        let day = parseDay(date, option: "--date")
        applyEvent(db, obligation) { _ in .delivered(date: day) }
    }
}

struct MailroomReturnedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "returned",
        abstract: "A mailed piece came back: the obligation reopens for a new attempt, with the address problem noted."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id or tracking number.") var obligation: String
    @Option(help: "What was wrong with the address (kept with the obligation, not in the audit log).") var reason:
        String
    @Option(help: "Return date (YYYY-MM-DD; default today).") var date: String?
    func run() throws {
        let day = parseDay(date, option: "--date")
        let reason = reason
        applyEvent(db, obligation) { _ in .returned(date: day, addressProblem: reason) }
    }
}

struct MailroomSentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sent",
        abstract: "A rendered document was delivered electronically."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id.") var obligation: String
    @Option(help: "The channel (e.g. outbox, webhook, portal).") var channel: String
    @Option(help: "Date sent (YYYY-MM-DD; default today).") var date: String?
    func run() throws {
        let day = parseDay(date, option: "--date")
        let channel = channel
        applyEvent(db, obligation) { _ in .electronicSent(channel: channel, date: day) }
    }
}

struct MailroomFailedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-failed",
        abstract: "Electronic delivery failed (it can be sent again later)."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id.") var obligation: String
    @Option(help: "The channel.") var channel: String
    @Option(help: "Why (kept out of the audit log).") var reason: String
    func run() throws {
        let channel = channel
        let reason = reason
        applyEvent(db, obligation) { _ in .electronicFailed(channel: channel, reason: reason) }
    }
}

struct TrackingImportLine: Encodable {
    var line: Int
    var obligation: String
    var tracking: String
    /// mailed, already-recorded, or refused.
    var outcome: String
    var reason: String?
}

struct MailroomImportTrackingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-tracking",
        abstract:
            "Record a whole batch as mailed from a CSV: obligation,tracking[,date] (a header line is skipped). Rerunning is safe: lines already recorded are skipped. Exit 1 if any line is refused."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "Mail date for lines without one (YYYY-MM-DD; default today).") var date: String?
    @Flag(help: "JSON: one {line, obligation, tracking, outcome, reason} per line.") var json = false

    func run() throws {
        let defaultDay = parseDay(date, option: "--date")
        let actor = db.resolvedActor
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            fail("cannot read \(file) as UTF-8")
        }
        let rows = parseCSV(text)
        let results: [TrackingImportLine] = try db.withStore { store in
            var out: [TrackingImportLine] = []
            for (n, fields) in rows.enumerated() {
                let line = n + 1
                let f = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                if f.allSatisfy(\.isEmpty) { continue }
                if line == 1, f.first?.lowercased() == "obligation" { continue }
                guard f.count >= 2 else {
                    out.append(
                        .init(
                            line: line,
                            obligation: f.first ?? "",
                            tracking: "",
                            outcome: "refused",
                            reason: "expected obligation,tracking[,date]"
                        )
                    )
                    continue
                }
                let id = f[0]
                var day = defaultDay
                if f.count >= 3, !f[2].isEmpty {
                    guard let d = CalendarDate(f[2]) else {
                        out.append(
                            .init(
                                line: line,
                                obligation: id,
                                tracking: f[1],
                                outcome: "refused",
                                reason: "date must be YYYY-MM-DD"
                            )
                        )
                        continue
                    }
                    day = d
                }
                do {
                    let t = try TrackingNumber(f[1])
                    if try await store.obligationId(forTracking: t.value) == id {
                        out.append(.init(line: line, obligation: id, tracking: t.value, outcome: "already-recorded"))
                        continue
                    }
                    try await store.apply(.mailed(t, date: day), to: id, actor: actor, now: Date())
                    out.append(.init(line: line, obligation: id, tracking: t.value, outcome: "mailed"))
                } catch {
                    out.append(
                        .init(line: line, obligation: id, tracking: f[1], outcome: "refused", reason: "\(error)")
                    )
                }
            }
            return out
        }
        if json {
            printJSON(results)
        } else {
            for r in results {
                print(
                    "line \(r.line): \(r.obligation) \(r.tracking): \(r.outcome)" + (r.reason.map { " — \($0)" } ?? "")
                )
            }
            let mailed = results.filter { $0.outcome == "mailed" }.count
            let refused = results.filter { $0.outcome == "refused" }.count
            print("\(mailed) mailed, \(results.count - mailed - refused) already recorded, \(refused) refused")
        }
        if results.contains(where: { $0.outcome == "refused" }) { throw ExitCode(1) }
    }
}

struct MailroomSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract:
            "Deliver the latest rendered PDF electronically to the guardians who consented, through the outbox folder (PDF + JSON envelope, written atomically) or a webhook, and record sent or failed."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Obligation id.") var obligation: String
    @Option(help: "The outbox folder a secure-messaging or portal integration picks up from.") var outbox: String?
    @Option(
        help:
            "A webhook URL to POST the envelope and PDF to (retried with backoff); Authorization from $CAREDOCS_WEBHOOK_AUTHORIZATION."
    ) var webhook: String?
    @Option(help: "Date sent (YYYY-MM-DD; default today).") var date: String?
    func run() throws {
        let id = obligation
        let actor = db.resolvedActor
        let day = parseDay(date, option: "--date")
        let channel: any DeliveryChannel
        switch (outbox, webhook) {
        case (let folder?, nil): channel = OutboxChannel(folder: URL(fileURLWithPath: folder).standardizedFileURL)
        case (nil, let url?):
            channel = WebhookChannel(
                url: url,
                authorization: ProcessInfo.processInfo.environment["CAREDOCS_WEBHOOK_AUTHORIZATION"]
            )
        default: fail("give exactly one of --outbox DIR or --webhook URL", code: 1)
        }
        do {
            let o = try db.withStore { store in
                try await ElectronicDelivery.send(id, store: store, channel: channel, actor: actor, date: day)
            }
            print(
                "\(o.id): sent via \(channel.name); electronic \(o.electronic.rawValue); \(o.isComplete ? "complete" : "not complete yet")"
            )
        } catch { reportRefusal(error) }
    }
}
