import CaresDocuments
import Foundation
import Templating
import Typesetting

/// One letter of a batch: who it goes to and the rendered PDF.
public struct BatchLetter: Sendable {
    public var obligationId: String
    public var recordVersion: Int
    public var name: String
    public var address: Address
    public var sender: String
    public var senderAddress: Address?
    /// The archive copy (letters/RECORD_KIND.pdf in the batch folder).
    public var file: URL
    public var pages: Int
    public var rendition: Rendition
}

/// What a batch wrote.
public struct BatchResult: Sendable, Encodable {
    public var date: CalendarDate
    public var pieces: Int
    public var sheets: Int
    public var printFile: String?
    public var mailingBookPDF: String?
    public var mailingBookCSV: String?
    /// Letters left out, with the reason (missing requirements, no mailing address, not available).
    public var skipped: [Skipped]

    public struct Skipped: Sendable, Encodable {
        public var obligation: String
        public var reason: String
    }
}

/// `caredocs mailroom batch`: every letter ready to mail (a pending document whose paper copy is
/// open or rendered), rendered from the latest record version, in ZIP order, as one print-ready
/// PDF (each letter starts on a new sheet: a blank page follows a letter with an odd page count),
/// plus the firm mailing book for accountable mail (PS Form 3877 layout) as PDF and CSV.
///
/// Crash safety: the selection is the store's state, each obligation appears once, nothing is
/// numbered by the batch (article numbers come from the labels, recorded afterwards with
/// `mailroom import-tracking`, which skips lines already recorded), and every output file is
/// written to a temporary name and renamed. A batch killed at any point and run again writes
/// the same pieces once each.
public struct MailroomBatch {
    public var store: any DeadlineStore
    public var actor: String
    public var date: CalendarDate
    public var output: URL
    public var postage: String
    public var fee: String
    /// Claims are taken under this name; a rerun under the same name takes its claims back.
    public var worker: String
    /// Called after each letter: (done, total).
    public var progress: (Int, Int) -> Void = { _, _ in }
    /// Letters claimed at a time.
    public var claimSize = 8
    /// How long a claim holds before another worker may take the letter.
    public var lease: TimeInterval = 600

    public init(
        store: any DeadlineStore,
        actor: String,
        date: CalendarDate,
        output: URL,
        postage: String = "",
        fee: String = "",
        worker: String? = nil
    ) {
        self.store = store
        self.actor = actor
        self.date = date
        self.output = output
        self.postage = postage
        self.fee = fee
        self.worker = worker ?? "batch@" + ProcessInfo.processInfo.hostName
    }

    /// Document kinds this build renders.
    public static var renderableKinds: [ObligationKind] {
        ObligationKind.allCases.filter { k in
            ObligationRenderer.documentKind(k).map(DocumentKind.available.contains) ?? false
        }
    }

    var lettersFolder: URL { output.appendingPathComponent("letters") }

    /// A stored record version, parsed, cached per run.
    final class Records {
        var cache: [String: (Int, CareRecord)] = [:]
        func latest(_ recordId: String, _ store: any DeadlineStore) async throws -> (Int, CareRecord)? {
            if let hit = cache[recordId] { return hit }
            guard let latest = try await store.history(recordId: recordId).versions.last,
                let body = try await store.recordBody(recordId: recordId, version: latest.version),
                case .success(let record) = CareRecordLoader.load(data: body)
            else { return nil }
            cache[recordId] = (latest.version, record)
            return (latest.version, record)
        }
    }

    /// Why a letter cannot go out in this batch.
    struct Skip: Error { var reason: String }

    /// Who a record's letters go to, and where.
    static func recipient(_ record: CareRecord) throws -> (name: String, address: Address) {
        let recipient = record.letterRecipient
        guard let address = recipient.mailingAddress else {
            throw Skip(reason: "no mailing address (guardians[].contact.address or member.address)")
        }
        switch recipient {
        case .guardian(let g): return (g.name, address)
        case .member(let m): return ("\(m.firstName) \(m.lastName)", address)
        }
    }

    /// Renders `o` into the letters folder and records it (rendered, with its archive path).
    func render(_ o: Obligation, _ renderer: ObligationRenderer, _ records: Records) async throws -> BatchLetter {
        guard let (version, record) = try await records.latest(o.recordId, store) else {
            throw Skip(reason: "record \(o.recordId) is not stored or no longer valid")
        }
        let (name, address) = try Self.recipient(record)
        let rendered: (pdf: Data, rendition: Rendition, report: RenderReport)
        do {
            rendered = try renderer.render(o, record: record, recordVersion: version, letterDate: date)
        } catch let refusal as DocumentRefusal {
            throw Skip(reason: "missing: " + refusal.problems.map(\.path).joined(separator: ", "))
        } catch let e as TransitionRefused {
            throw Skip(reason: e.description)
        } catch let e as RenderFailure {
            throw Skip(reason: "cannot render: \(e)")
        } catch let e as LocaleError {
            throw Skip(reason: "cannot render: \(e)")
        } catch let e as TemplateError {
            throw Skip(reason: "cannot render: \(e)")
        } catch let e as MarkupError {
            throw Skip(reason: "cannot render: \(e)")
        }
        try FileManager.default.createDirectory(at: lettersFolder, withIntermediateDirectories: true)
        let file = lettersFolder.appendingPathComponent(Self.letterFileName(o.id))
        try Engine.writeAtomically(rendered.pdf, to: file)
        var rendition = rendered.rendition
        rendition.pdfPath = file.path
        rendition.pages = rendered.report.pages
        try await store.apply(.rendered(rendition), to: o.id, actor: actor, now: Date())
        return BatchLetter(
            obligationId: o.id,
            recordVersion: version,
            name: name,
            address: address,
            sender: record.provider?.name ?? "",
            senderAddress: record.provider?.address,
            file: file,
            pages: rendered.report.pages,
            rendition: rendition
        )
    }

    /// Render step, for any number of workers on any node: claims letters ready to render
    /// (paper open) a few at a time, renders each into the letters folder and records it.
    /// Refused letters are released at the end for a later run.
    public func renderReady() async throws -> (rendered: [String], skipped: [BatchResult.Skipped]) {
        let renderer = try ObligationRenderer()
        let records = Records()
        var rendered: [String] = []
        var skipped: [BatchResult.Skipped] = []
        var refused: Set<String> = []
        while true {
            let claimed = try await store.claimReady(
                kinds: Self.renderableKinds,
                worker: worker,
                limit: claimSize + refused.count,
                lease: lease,
                now: Date()
            ).filter { !refused.contains($0.id) }
            if claimed.isEmpty { break }
            for o in claimed {
                do {
                    _ = try await render(o, renderer, records)
                    rendered.append(o.id)
                } catch let skip as Skip {
                    skipped.append(.init(obligation: o.id, reason: skip.reason))
                    refused.insert(o.id)
                }
            }
        }
        for id in refused { try await store.releaseClaim(id, worker: worker) }
        return (rendered, skipped)
    }

    /// The whole batch: the render step, then every rendered letter not yet printed (the
    /// archive copy reused when it is this folder's and from the latest record version) in ZIP
    /// order into the print file and the mailing book.
    public func run() async throws -> BatchResult {
        var skipped = try await renderReady().skipped
        let pending = try await store.obligations(ObligationQuery(today: date)).filter(\.kind.isDocument)
        let renderable = Set(Self.renderableKinds)
        for o in pending where o.paper == .open && !renderable.contains(o.kind) {
            skipped.append(.init(obligation: o.id, reason: "\(o.kind.rawValue) cannot be rendered by this build yet"))
        }
        let ready = pending.filter { $0.paper == .rendered }.sorted { $0.id < $1.id }
        var renderer: ObligationRenderer?
        let records = Records()
        var letters: [BatchLetter] = []
        for (i, o) in ready.enumerated() {
            defer { progress(i + 1, ready.count) }
            do {
                guard let (version, record) = try await records.latest(o.recordId, store) else {
                    throw Skip(reason: "record \(o.recordId) is not stored or no longer valid")
                }
                let file = lettersFolder.appendingPathComponent(Self.letterFileName(o.id))
                if let last = try await store.detail(o.id)?.renditions.last, last.pdfPath == file.path,
                    let pages = last.pages,
                    last.recordVersion == version, FileManager.default.fileExists(atPath: file.path)
                {
                    let (name, address) = try Self.recipient(record)
                    letters.append(
                        BatchLetter(
                            obligationId: o.id,
                            recordVersion: version,
                            name: name,
                            address: address,
                            sender: record.provider?.name ?? "",
                            senderAddress: record.provider?.address,
                            file: file,
                            pages: pages,
                            rendition: last
                        )
                    )
                } else {
                    if renderer == nil { renderer = try ObligationRenderer() }
                    letters.append(try await render(o, renderer!, records))
                }
            } catch let skip as Skip {
                skipped.append(.init(obligation: o.id, reason: skip.reason))
            }
        }
        letters.sort { ($0.address.postalCode, $0.obligationId) < ($1.address.postalCode, $1.obligationId) }
        guard !letters.isEmpty else {
            return BatchResult(date: date, pieces: 0, sheets: 0, skipped: skipped)
        }

        // The print file: letters in ZIP order, a blank page after each odd-length letter.
        let blank = lettersFolder.appendingPathComponent("blank.pdf")
        try Engine.writeAtomically(try Engine().render(try MarkupParser().parse(Self.blankPageMarkup)).pdf, to: blank)
        var inputs: [String] = []
        var sheets = 0
        for letter in letters {
            inputs.append(letter.file.path)
            if letter.pages % 2 == 1 { inputs.append(blank.path) }
            sheets += (letter.pages + 1) / 2
        }
        let printFile = output.appendingPathComponent("print-\(date).pdf")
        try Self.concatenate(inputs, to: printFile)

        // The firm mailing book.
        let book = MailingBook(date: date, letters: letters, postage: postage, fee: fee)
        let bookPDF = output.appendingPathComponent("mailing-book-\(date).pdf")
        let bookCSV = output.appendingPathComponent("mailing-book-\(date).csv")
        try Engine.writeAtomically(try Engine().render(try MarkupParser().parse(book.markup)).pdf, to: bookPDF)
        try Engine.writeAtomically(Data(book.csv.utf8), to: bookCSV)
        return BatchResult(
            date: date,
            pieces: letters.count,
            sheets: sheets,
            printFile: printFile.path,
            mailingBookPDF: bookPDF.path,
            mailingBookCSV: bookCSV.path,
            skipped: skipped
        )
    }

    static func letterFileName(_ id: String) -> String {
        id.map { $0.isLetter || $0.isNumber || $0 == "-" ? String($0) : "_" }.joined() + ".pdf"
    }

    static let blankPageMarkup = """
        <document size="letter" lang="en" title="Blank page"><spacer height="300"/><p align="center" size="9" color="#808080">This page is intentionally blank.</p></document>
        """

    /// Joins PDFs with qpdf (installed by scripts/setup.sh), written atomically.
    static func concatenate(_ inputs: [String], to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["qpdf", "--empty", "--pages"] + inputs + ["--", tmp.path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        // qpdf exits 3 for warnings with a usable file.
        guard p.terminationStatus == 0 || p.terminationStatus == 3 else {
            try? FileManager.default.removeItem(at: tmp)
            throw TransitionRefused("qpdf could not join the letters: \(String(decoding: message, as: UTF8.self))")
        }
        guard rename(tmp.path, url.path) == 0 else {
            throw TransitionRefused("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}

/// The firm mailing book for accountable mail in the PS Form 3877 layout: sender at the top,
/// pieces numbered in order, article number, addressee name and address, postage and fee
/// columns, total pieces.
public struct MailingBook {
    public var date: CalendarDate
    public var letters: [BatchLetter]
    public var postage: String
    public var fee: String

    /// CSV that `mailroom import-tracking` reads back once the article numbers are filled in:
    /// `obligation,tracking,date,piece,addressee,address,city,state,zip,postage,fee`.
    public var csv: String {
        func q(_ s: String) -> String {
            s.contains(where: { ",\"\n\r".contains($0) })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = ["obligation,tracking,date,piece,addressee,address,city,state,zip,postage,fee"]
        for (n, l) in letters.enumerated() {
            let street = [l.address.line1, l.address.line2].compactMap { $0 }.joined(separator: ", ")
            lines.append(
                [
                    l.obligationId, "", date.description, String(n + 1), l.name, street, l.address.city,
                    l.address.state,
                    l.address.postalCode, postage, fee,
                ].map(q).joined(separator: ",")
            )
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public var markup: String {
        func x(_ s: String) -> String {
            var out = ""
            for c in s.unicodeScalars {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&apos;"
                default: if c.value >= 0x20 || c == "\t" || c == "\n" { out.unicodeScalars.append(c) }
                }
            }
            return out
        }
        let sender = letters.first?.sender ?? ""
        let senderAddress =
            letters.first?.senderAddress.map { a in
                [a.line1, a.line2, "\(a.city), \(a.state) \(a.postalCode)"].compactMap { $0 }.joined(separator: ", ")
            } ?? ""
        var rows = ""
        for (n, l) in letters.enumerated() {
            let street = [l.address.line1, l.address.line2].compactMap { $0 }.joined(separator: ", ")
            rows +=
                "<tr><td>\(n + 1)</td><td> </td><td><b>\(x(l.name))</b><br/>\(x(street))<br/>\(x(l.address.city)), \(x(l.address.state)) \(x(l.address.postalCode))</td><td>\(x(postage))</td><td>\(x(fee))</td><td> </td><td><ltr>\(x(l.obligationId))</ltr></td></tr>\n"
        }
        return """
            <document size="letter" lang="en" margin="36" base-size="9" title="Firm Mailing Book for Accountable Mail \(date)" ref="PS Form 3877">
            <footer start="PS Form 3877 layout — Registered Mail" end="Page {page} of {pages}" size="8"/>
            <h1>Firm Mailing Book for Accountable Mail</h1>
            <kv key-width="140">
            <row><key>Name and address of sender</key><value><b>\(x(sender))</b><br/>\(x(senderAddress))</value></row>
            <row><key>Type of mail</key><value>Registered Mail</value></row>
            <row><key>Date</key><value>\(date)</value></row>
            </kv>
            <spacer height="8"/>
            <table columns="30 100 2* 58 50 62 1*" border="0.5" padding="3">
            <thead><tr><th>No.</th><th>Article number</th><th>Addressee (name, street, city, state, ZIP)</th><th>Postage</th><th>Fee</th><th>Handling</th><th>Reference</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <spacer height="10"/>
            <kv key-width="220">
            <row><key>Total number of pieces listed by sender</key><value>\(letters.count)</value></row>
            <row><key>Total number of pieces received at post office</key><value> </value></row>
            <row><key>Postmaster, per (name of receiving employee)</key><value> </value></row>
            </kv>
            </document>
            """
    }
}
