import Foundation
import Templating

/// A record's translatable passages as XLIFF for translators, and the way back: which
/// translations of a returned file may go into the translation memory.
///
/// Each passage is one unit: id = its JSON path, a note saying where it is printed, the source
/// text, the target pre-filled (the record's own text in that language, else the memory's), and
/// a marker note `caredocs record=… path=… source=en target=km source-sha256=…` from
/// "developer". The marker is how a unit finds its way home: translate-toolkit keeps developer
/// notes through `xliff2po` (as `#.` comments) and `po2xliff`, which renumbers the units and
/// appends them to the template as a new `<file>`.
public enum RecordXLIFF {
    public static let markerPrefix = "caredocs "

    /// What the marker note says about a unit.
    public struct Marker: XLIFFUnitMarker {
        public var recordId: String
        public var path: String
        public var sourceLanguage: String
        public var targetLanguage: String
        public var sourceHash: String

        public init(recordId: String, path: String, sourceLanguage: String, targetLanguage: String, sourceHash: String)
        {
            self.recordId = recordId
            self.path = path
            self.sourceLanguage = sourceLanguage
            self.targetLanguage = targetLanguage
            self.sourceHash = sourceHash
        }

        public var note: String {
            "\(RecordXLIFF.markerPrefix)record=\(recordId) path=\(path) source=\(sourceLanguage) "
                + "target=\(targetLanguage) source-sha256=\(sourceHash)"
        }

        /// Units are the same passage when their paths are.
        public var unitKey: String { path }

        /// The marker in a unit's notes (any line of any note: PO tools join notes into one).
        public static func find(in notes: [XLIFFNote]) -> Marker? {
            for note in notes {
                for line in note.text.split(whereSeparator: { $0.isNewline }) {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    guard trimmed.hasPrefix(RecordXLIFF.markerPrefix) else { continue }
                    var fields: [String: String] = [:]
                    for pair in trimmed.dropFirst(RecordXLIFF.markerPrefix.count).split(separator: " ") {
                        guard let eq = pair.firstIndex(of: "=") else { continue }
                        fields[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
                    }
                    if let r = fields["record"], let p = fields["path"], let s = fields["source"],
                        let t = fields["target"], let h = fields["source-sha256"]
                    {
                        return Marker(recordId: r, path: p, sourceLanguage: s, targetLanguage: t, sourceHash: h)
                    }
                }
            }
            return nil
        }
    }

    public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
        case sameLanguage(SupportedLanguage)
        case notVersion2
        case noRecordId

        public var description: String {
            switch self {
            case .sameLanguage(let l):
                "the record's content is written in \(l.tag): there is nothing to translate into it"
            case .notVersion2: "only schema version 2 records have translatable passages"
            case .noRecordId: "the record has no recordId"
            }
        }
    }

    /// How many units of an export were pre-filled, and from where.
    public struct ExportSummary: Sendable, Hashable {
        public var units = 0
        public var fromRecord = 0
        public var fromMemory = 0
        public var empty = 0
    }

    /// The XLIFF for translating `record` into `language`. `memory`: the translation memory's
    /// segments into `language`, by source text (`TranslationStore.segments`).
    public static func export(
        record: CareRecord,
        language: SupportedLanguage,
        memory: [String: TranslationSegment]
    ) throws(ExportError) -> (document: XLIFFDocument, summary: ExportSummary) {
        guard record.schemaVersion == 2 else { throw .notVersion2 }
        guard let recordId = record.recordId else { throw .noRecordId }
        let sourceLanguage = record.sourceLanguage
        guard language != sourceLanguage else { throw .sameLanguage(language) }
        var summary = ExportSummary()
        var units: [XLIFFUnit] = []
        for passage in exportedPassages(record) {
            guard let source = passage.source else { continue }
            let marker = Marker(
                recordId: recordId,
                path: passage.path,
                sourceLanguage: sourceLanguage.tag,
                targetLanguage: language.tag,
                sourceHash: TranslationSegment.hash(source)
            )
            var unit = XLIFFUnit(
                id: passage.path,
                source: XLIFFText(source),
                notes: [XLIFFNote(passage.translatorNote, from: "developer")]
            )
            if let own = passage.text.text(in: language, contentLanguage: sourceLanguage) {
                // What official copies print already: final, approved.
                unit.target = XLIFFText(own)
                unit.state = .final
                unit.approved = true
                unit.notes.append(
                    XLIFFNote("Pre-filled with the record's own \(language.tag) text.", from: "developer")
                )
                summary.fromRecord += 1
            } else if let segment = memory[source] {
                unit.target = XLIFFText(segment.targetText)
                if segment.status == .reviewed {
                    unit.state = .final
                    unit.approved = true
                } else {
                    unit.state = .translated
                }
                unit.alternatives = [
                    XLIFFAlternative(
                        origin: "caredocs-translation-memory",
                        matchQuality: "100",
                        source: XLIFFText(source),
                        target: XLIFFText(segment.targetText)
                    )
                ]
                unit.notes.append(
                    XLIFFNote(
                        "Pre-filled from the translation memory (\(segment.status.rawValue)): a match of this exact source text.",
                        from: "developer"
                    )
                )
                summary.fromMemory += 1
            } else {
                unit.target = XLIFFText("")
                unit.state = .new
                summary.empty += 1
            }
            unit.notes.append(XLIFFNote(marker.note, from: "developer"))
            units.append(unit)
        }
        summary.units = units.count
        let file = XLIFFFile(
            original: recordId,
            sourceLanguage: sourceLanguage.tag,
            targetLanguage: language.tag,
            notes: [
                XLIFFNote(
                    "Care record \(recordId): translatable passages into \(language.tag). Keep placeholders like {name} as they are.",
                    from: "developer"
                )
            ],
            units: units
        )
        return (XLIFFDocument(files: [file]), summary)
    }

    /// The passages an export holds: those with a source text that has letters (numbers and
    /// times read the same in every language).
    public static func exportedPassages(_ record: CareRecord) -> [TranslatablePassage] {
        record.translatablePassages.filter { p in p.source.map(ContentResolver.hasLetters) ?? false }
    }

    // MARK: Import

    /// A unit refused, with why.
    public struct Refusal: Sendable, Hashable, CustomStringConvertible {
        /// The passage's path when known, else the unit's id.
        public var unit: String
        public var reason: String

        public var description: String { "\(unit): \(reason)" }
    }

    /// A file refused as a whole (not caredocs', or several exports mixed).
    public struct Refused: Error, Sendable, Hashable {
        public var refusals: [Refusal]
        public init(_ refusals: [Refusal]) { self.refusals = refusals }
    }

    /// What a returned file would change: segments to save, or the units refused.
    public struct ImportPlan: Sendable, Hashable {
        public var recordId: String
        public var sourceLanguage: SupportedLanguage
        public var targetLanguage: SupportedLanguage
        /// Segments new or changed (text, or drafted → reviewed).
        public var segments: [TranslationSegment] = []
        /// Translations the memory already holds as they are.
        public var unchanged = 0
        /// Units with no translation (nothing to import).
        public var untranslated = 0
        /// Saved as drafted although a reviewer was named: the file marks them unfinished
        /// (`needs-…` state, or fuzzy in PO, which po2xliff writes `approved="no"`).
        public var draftedAsMarked = 0
        public var refusals: [Refusal] = []
    }

    /// The record and languages a returned file is about (from its units' markers), before
    /// anything else is read; refusals when the file is not one caredocs exported, or mixes
    /// records or languages.
    public static func identify(
        _ document: XLIFFDocument
    ) throws(Refused) -> (recordId: String, source: SupportedLanguage, target: SupportedLanguage) {
        var seen = Set<[String]>()
        for unit in document.units where unit.restype != "x-gettext-domain-header" {
            if let m = Marker.find(in: unit.notes) { seen.insert([m.recordId, m.sourceLanguage, m.targetLanguage]) }
        }
        guard let only = seen.first else {
            throw Refused([
                Refusal(
                    unit: "(file)",
                    reason:
                        "no unit carries a caredocs marker note: this file was not exported by caredocs translations export, or its notes were removed"
                )
            ])
        }
        guard seen.count == 1 else {
            let list = seen.map { "record \($0[0]) \($0[1])→\($0[2])" }.sorted().joined(separator: ", ")
            throw Refused([Refusal(unit: "(file)", reason: "the units belong to several exports: \(list)")])
        }
        guard let source = SupportedLanguage.normalize(only[1]), let target = SupportedLanguage.normalize(only[2])
        else {
            throw Refused([Refusal(unit: "(file)", reason: "unsupported languages \(only[1])→\(only[2])")])
        }
        return (only[0], source, target)
    }

    /// Checks every unit of a returned file against the record as it is now and the memory, and
    /// says what to save. All or nothing is the caller's rule: save `segments` only when
    /// `refusals` is empty.
    ///
    /// A unit is refused when: it has no marker; its passage no longer exists; its source changed
    /// since export (the record's current text hashes differently) or was edited in the file;
    /// its target language is not the one it was exported for; its placeholders differ from the
    /// source's; the file gives two different translations of it.
    public static func plan(
        _ document: XLIFFDocument,
        record: CareRecord,
        memory: [String: TranslationSegment],
        translator: String?,
        reviewer: String?,
        expectedLanguage: SupportedLanguage? = nil,
        now: Date
    ) -> ImportPlan {
        let recordSource = record.sourceLanguage
        let id: (recordId: String, source: SupportedLanguage, target: SupportedLanguage)
        do {
            id = try identify(document)
        } catch {
            var p = ImportPlan(recordId: record.recordId ?? "", sourceLanguage: recordSource, targetLanguage: .english)
            p.refusals = error.refusals
            return p
        }
        var plan = ImportPlan(recordId: id.recordId, sourceLanguage: recordSource, targetLanguage: id.target)
        if id.recordId != record.recordId {
            plan.refusals.append(
                Refusal(
                    unit: "(file)",
                    reason: "exported from record \(id.recordId), not \(record.recordId ?? "(no id)")"
                )
            )
        }
        if id.source != recordSource {
            plan.refusals.append(
                Refusal(
                    unit: "(file)",
                    reason:
                        "exported from \(id.source.tag) text, but the record's content language is now \(recordSource.tag)"
                )
            )
        }
        if let expectedLanguage, expectedLanguage != id.target {
            plan.refusals.append(
                Refusal(
                    unit: "(file)",
                    reason: "the file translates into \(id.target.tag), not \(expectedLanguage.tag) as asked"
                )
            )
        }
        if !plan.refusals.isEmpty { return plan }
        let passages = Dictionary(
            record.translatablePassages.map { ($0.path, $0) },
            uniquingKeysWith: { first, _ in first }
        )

        // The unit kept for each path: a later <file> replaces an earlier one (po2xliff appends
        // the translated units after the template's untouched ones).
        let (chosen, refused) = document.latestUnits(marker: Marker.self)
        plan.refusals += refused.map {
            let r = $0.explained(
                unmarkedReason: "the unit has no caredocs marker note (source hash): it cannot be checked"
            )
            return Refusal(unit: r.unit, reason: r.reason)
        }

        var saved = Set<String>()
        for c in chosen {
            let path = c.marker.path
            let unit = c.unit
            guard let target = unit.target, let targetText = unit.translatedText else {
                plan.untranslated += 1
                continue
            }
            var reasons: [String] = []
            let declared = unit.targetLanguage ?? c.fileTargetLanguage
            if let declared, SupportedLanguage.normalize(declared) != plan.targetLanguage {
                reasons.append(
                    "the target language is \(declared), but the unit was exported for \(plan.targetLanguage.tag)"
                )
            }
            guard let passage = passages[path], let current = passage.source else {
                plan.refusals.append(Refusal(unit: path, reason: "the passage no longer exists in the record"))
                continue
            }
            if TranslationSegment.hash(current) != c.marker.sourceHash {
                reasons.append("the source text changed since export: translate the new text (export again)")
            } else if TranslationSegment.hash(unit.source.plainText) != c.marker.sourceHash {
                reasons.append("the source text in the file was edited: it must stay as exported")
            }
            reasons += XLIFFPlaceholders.problems(source: unit.source, target: target)
            if targetText.allSatisfy(\.isWhitespace) {
                reasons.append("the translation is blank")
            }
            if !reasons.isEmpty {
                plan.refusals += reasons.map { Refusal(unit: path, reason: $0) }
                continue
            }
            let markedUnfinished = (unit.state?.needsWork ?? false) || unit.approved == false
            let status: SegmentStatus = reviewer != nil && !markedUnfinished ? .reviewed : .drafted
            if reviewer != nil && markedUnfinished { plan.draftedAsMarked += 1 }
            // The same source text in two passages is one segment.
            guard !saved.contains(current) else { continue }
            saved.insert(current)
            if let existing = memory[current], existing.targetText == targetText,
                existing.status == status || existing.status == .reviewed
            {
                plan.unchanged += 1
                continue
            }
            plan.segments.append(
                TranslationSegment(
                    sourceLanguage: recordSource,
                    sourceText: current,
                    targetLanguage: plan.targetLanguage,
                    targetText: targetText,
                    status: status,
                    translator: translator,
                    reviewer: status == .reviewed ? reviewer : nil,
                    updatedAt: now
                )
            )
        }
        return plan
    }
}
