import CaresDocuments
import Deadlines
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
            k.documentKind.map(DocumentKind.available.contains) ?? false
        }
    }

    var lettersFolder: URL { output.appendingPathComponent("letters") }

    /// A stored record's latest version as the copy in `language` prints it (the translation
    /// memory merged in, `DeadlineStore.recordForCopies`), parsed, cached per run.
    final class Records {
        var cache: [String: (Int, CareRecord)] = [:]
        func latest(
            _ recordId: String,
            language: String?,
            _ store: any DeadlineStore
        ) async throws -> (Int, CareRecord)? {
            let key = recordId + "\u{0}" + (language ?? "")
            if let hit = cache[key] { return hit }
            let languages = [SupportedLanguage.normalize(language ?? "en")].compactMap { $0 }
            guard let stored = try await store.recordForCopies(recordId: recordId, languages: languages, proof: false)
            else { return nil }
            cache[key] = (stored.version, stored.record)
            return (stored.version, stored.record)
        }
    }

    /// Why a letter cannot go out in this batch.
    struct Skip: Error { var reason: String }

    /// Who `o`'s document goes to, and where (`CareRecord.addressee(of:)`, the same decision as
    /// the letter's window); a letter with no postal address cannot go in a paper batch.
    static func recipient(_ o: Obligation, _ record: CareRecord) throws -> (name: String, address: Address) {
        guard let kind = o.kind.documentKind, let addressee = record.addressee(of: kind) else {
            throw Skip(reason: "no addressee for \(o.kind.rawValue)")
        }
        guard let address = addressee.address else {
            throw Skip(reason: addressee.missingAddressReason ?? "no mailing address")
        }
        return (addressee.name, address)
    }

    /// Renders `o` into the letters folder and records it (rendered, with its archive path).
    func render(_ o: Obligation, _ renderer: ObligationRenderer, _ records: Records) async throws -> BatchLetter {
        let letter = try await renderFile(o, renderer, records)
        try await store.apply(.rendered(letter.rendition), to: o.id, actor: actor, now: Date())
        return letter
    }

    /// Renders `o` into the letters folder, not yet recorded (the caller records it).
    func renderFile(_ o: Obligation, _ renderer: ObligationRenderer, _ records: Records) async throws -> BatchLetter {
        guard let (version, record) = try await records.latest(o.recordId, language: o.language, store) else {
            throw Skip(reason: "record \(o.recordId) is not stored or no longer valid")
        }
        let (name, address) = try Self.recipient(o, record)
        let rendered: (pdf: Data, rendition: Rendition, report: RenderReport)
        do {
            rendered = try renderer.render(o, record: record, recordVersion: version, letterDate: date)
        } catch DocumentFailure.refused(_, let problems) {
            throw Skip(reason: "missing: " + problems.map(\.path).joined(separator: ", "))
        } catch let e as TransitionRefused {
            throw Skip(reason: e.description)
        } catch let e as DocumentFailure {
            throw Skip(reason: "cannot render: \(e)")
        }
        try FileManager.default.createDirectory(at: lettersFolder, withIntermediateDirectories: true)
        let file = lettersFolder.appendingPathComponent(Self.letterFileName(o.id))
        try AtomicFile.write(rendered.pdf, to: file)
        var rendition = rendered.rendition
        rendition.pdfPath = file.path
        rendition.pages = rendered.report.pages
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
        try await renderReady(records: Records())
    }

    /// `renderReady()` with the run's record cache (the letters it renders are assembled next).
    func renderReady(records: Records) async throws -> (rendered: [String], skipped: [BatchResult.Skipped]) {
        let renderer = try ObligationRenderer()
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
            // The claim's letters are rendered, then recorded in one transaction.
            var done: [BatchLetter] = []
            for o in claimed {
                do {
                    done.append(try await renderFile(o, renderer, records))
                } catch let skip as Skip {
                    skipped.append(.init(obligation: o.id, reason: skip.reason))
                    refused.insert(o.id)
                }
            }
            try await store.applyAll(done.map { (.rendered($0.rendition), $0.obligationId) }, actor: actor, now: Date())
            rendered += done.map(\.obligationId)
        }
        for id in refused { try await store.releaseClaim(id, worker: worker) }
        return (rendered, skipped)
    }

    /// The whole batch: the render step, then every rendered letter not yet printed (the
    /// archive copy reused when it is this folder's and from the latest record version) in ZIP
    /// order into the print file and the mailing book.
    public func run() async throws -> BatchResult {
        let records = Records()
        var skipped = try await renderReady(records: records).skipped
        let pending = try await store.obligations(ObligationQuery(today: date)).filter(\.kind.isDocument)
        let renderable = Set(Self.renderableKinds)
        for o in pending where o.paper == .open && !renderable.contains(o.kind) {
            skipped.append(.init(obligation: o.id, reason: "\(o.kind.rawValue) cannot be rendered by this build yet"))
        }
        // Not claimed by the render step, and not put in a batch until translated.
        for o in pending where renderable.contains(o.kind) && (o.paper == .open || o.paper == .rendered) {
            if let waiting = o.waitingForTranslationText { skipped.append(.init(obligation: o.id, reason: waiting)) }
        }
        let ready = pending.filter { $0.paper == .rendered && $0.waitingForTranslation == 0 }.sorted { $0.id < $1.id }
        let renderer = try ObligationRenderer()
        var letters: [BatchLetter] = []
        // What each letter's print pages are laid out from: the archive copy's inputs.
        var sources: [String: (Obligation, CareRecord)] = [:]
        for (i, o) in ready.enumerated() {
            defer { progress(i + 1, ready.count) }
            do {
                guard let (version, record) = try await records.latest(o.recordId, language: o.language, store) else {
                    throw Skip(reason: "record \(o.recordId) is not stored or no longer valid")
                }
                sources[o.id] = (o, record)
                let file = lettersFolder.appendingPathComponent(Self.letterFileName(o.id))
                // Reused only when it is this folder's copy of the latest version, byte for byte,
                // from the templates and wording of this build and dated this batch's date (the
                // print file lays the letter out again from the same inputs).
                if let last = try await store.detail(o.id)?.renditions.last, last.pdfPath == file.path,
                    let pages = last.pages,
                    last.recordVersion == version, last.templateVersion == renderer.templateVersion,
                    last.localeVersion == (try? renderer.localeVersion(last.language)),
                    Self.holdsRendition(file, last, letterDate: date)
                {
                    let (name, address) = try Self.recipient(o, record)
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
                    letters.append(try await render(o, renderer, records))
                }
            } catch let skip as Skip {
                skipped.append(.init(obligation: o.id, reason: skip.reason))
            }
        }
        letters.sort { ($0.address.postalCode, $0.obligationId) < ($1.address.postalCode, $1.obligationId) }
        guard !letters.isEmpty else {
            return BatchResult(date: date, pieces: 0, sheets: 0, skipped: skipped)
        }

        // The print file: letters in ZIP order, a blank page after each odd-length letter, laid
        // out again from each archive copy's inputs and drawn as one document (each font
        // embedded once). A letter whose pages differ from its archive copy's stops the batch.
        let blank = try MarkupParser().parse(Self.blankPageMarkup)
        // Each document is made when the print file reaches it (a batch is never held whole).
        var documents: [(id: String, pages: Int, source: (Obligation, CareRecord)?)] = []
        var sheets = 0
        for letter in letters {
            guard let source = sources[letter.obligationId] else { continue }
            documents.append((letter.obligationId, letter.pages, source))
            if letter.pages % 2 == 1 { documents.append(("blank page", 1, nil)) }
            sheets += (letter.pages + 1) / 2
        }
        // Made ahead on a thread of their own while the ones before are laid out and drawn.
        let inputs = Unchecked(value: (documents.map(\.source), renderer, date, blank))
        let prefetch = DocumentPrefetch(count: documents.count) { index in
            let (sources, renderer, date, blank) = inputs.value
            guard let (o, record) = sources[index] else { return blank }
            return try renderer.document(o, record: record, letterDate: date).1
        }
        defer { prefetch.cancel() }
        var nextDocument = 0
        let combined = try renderer.printFile(title: "Print file \(date)") {
            guard nextDocument < documents.count else { return nil }
            defer { nextDocument += 1 }
            return try prefetch.document(nextDocument)
        }
        for (part, pages) in zip(documents, combined.pageCounts) where part.pages != pages {
            throw BatchError(
                "the print file's copy of \(part.id) has \(pages) page(s) where its archive copy has \(part.pages): nothing was printed"
            )
        }
        let printFile = output.appendingPathComponent("print-\(date).pdf")
        try AtomicFile.write(combined.pdf, to: printFile)

        // The firm mailing book.
        let book = MailingBook(date: date, letters: letters, postage: postage, fee: fee)
        let bookPDF = output.appendingPathComponent("mailing-book-\(date).pdf")
        let bookCSV = output.appendingPathComponent("mailing-book-\(date).csv")
        try AtomicFile.write(try Engine().render(try MarkupParser().parse(book.markup)).pdf, to: bookPDF)
        try AtomicFile.write(Data(book.csv.utf8), to: bookCSV)
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

    /// The archive file name of an obligation's letter: a readable part (letters, digits and '-'
    /// of the id, others as '_', at most 48 characters) and 16 hex digits of SHA-256 of the whole
    /// id, so two ids never share a file (`R.1` and `R_1` read alike but hash apart).
    static func letterFileName(_ id: String) -> String {
        let readable = id.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? String($0) : "_" }
            .joined().prefix(48)
        return "\(readable)_\(sha256Hex(Data(id.utf8)).prefix(16)).pdf"
    }

    /// Whether `file` holds exactly the archive copy `rendition` recorded (its SHA-256), dated
    /// `letterDate` (its keywords say `letter date: YYYY-MM-DD`).
    static func holdsRendition(_ file: URL, _ rendition: Rendition, letterDate: CalendarDate) -> Bool {
        guard let bytes = try? Data(contentsOf: file) else { return false }
        return sha256Hex(bytes) == rendition.pdfSHA256
            && bytes.range(of: Data("letter date: \(letterDate)".utf8)) != nil
    }

    /// The batch cannot be completed (the print file would not match the archive copies).
    struct BatchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let blankPageMarkup = """
        <document size="letter" lang="en" title="Blank page"><spacer height="300"/><p align="center" size="9" color="#808080">This page is intentionally blank.</p></document>
        """
}
