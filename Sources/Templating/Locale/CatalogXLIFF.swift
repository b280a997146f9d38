import Foundation
import Typesetting

/// A locale catalog's messages as XLIFF 1.2 for translators (`caredocs locales export`), and the
/// way back into `Locales/<tag>.json` (`caredocs locales import`).
///
/// Each message key is one unit: id = the key, source = the English message, target = the
/// catalog's translation (`translated` while drafted, `final` and approved when reviewed,
/// `needs-review-translation` when the English changed since; empty and `new` when the catalog
/// has none). Two notes from "developer" (translate-toolkit's `po2xliff -t` drops every other
/// note and attribute): one in plain words for the translator (which document the message is
/// printed in; that the English changed), and a marker `caredocs locale=es key=frame.page
/// english-sha256=…` carrying the key and the hash of the English exported, which `po2xliff`
/// keeps when it renumbers the units and appends them to the template as a second `<file>`.
public enum CatalogXLIFF {
    public static let markerPrefix = "caredocs "

    /// What the marker note says about a unit.
    public struct Marker: XLIFFUnitMarker {
        public var locale: String
        public var key: String
        public var englishHash: String

        public init(locale: String, key: String, englishHash: String) {
            self.locale = locale
            self.key = key
            self.englishHash = englishHash
        }

        public var note: String {
            "\(CatalogXLIFF.markerPrefix)locale=\(locale) key=\(key) english-sha256=\(englishHash)"
        }

        /// Units are the same message when their keys are.
        public var unitKey: String { key }

        /// The marker in a unit's notes (any line of any note: PO tools join notes into one). A
        /// record passage's marker (`caredocs record=…`) is not one.
        public static func find(in notes: [XLIFFNote]) -> Marker? {
            for note in notes {
                for line in note.text.split(whereSeparator: { $0.isNewline }) {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    guard trimmed.hasPrefix(CatalogXLIFF.markerPrefix) else { continue }
                    var fields: [String: String] = [:]
                    for pair in trimmed.dropFirst(CatalogXLIFF.markerPrefix.count).split(separator: " ") {
                        guard let eq = pair.firstIndex(of: "=") else { continue }
                        fields[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
                    }
                    if let l = fields["locale"], let k = fields["key"], let h = fields["english-sha256"] {
                        return Marker(locale: l, key: k, englishHash: h)
                    }
                }
            }
            return nil
        }
    }

    /// Which keys an export holds.
    public enum Selection: String, Sendable, CaseIterable {
        /// Stale, drafted (including edited after review) or untranslated: what needs work.
        case needsWork = "needs-work"
        /// The English changed since the translation.
        case stale
        /// No translation in the catalog.
        case untranslated
        /// A translation that is not reviewed (or whose review no longer holds: stale, edited).
        case drafted
        /// Every key of the English catalog.
        case all
    }

    /// How many units an export wrote, by what they are.
    public struct ExportSummary: Sendable, Hashable {
        public var units = 0
        public var stale = 0
        public var drafted = 0
        public var reviewed = 0
        public var untranslated = 0
    }

    /// The XLIFF for translating the catalog `locale` of `set`, units in the English file's key
    /// order (`order`).
    public static func export(
        set: LocaleSet,
        locale: String,
        order: [String],
        only selection: Selection = .needsWork
    ) throws -> (document: XLIFFDocument, summary: ExportSummary) {
        guard locale != LocaleSet.reference else {
            throw LocaleError("\(locale) is the English source; export a translation (es, ar …)")
        }
        guard let english = set.catalogs[LocaleSet.reference] else { throw LocaleError("no English catalog (en.json)") }
        guard let catalog = set.catalogs[locale] else { throw LocaleError("no catalog \(locale).json") }
        let keys =
            order.filter { english.messages[$0] != nil }
            + english.messages.keys.filter { !order.contains($0) }.sorted()
        var summary = ExportSummary()
        var units: [XLIFFUnit] = []
        for key in keys {
            let source = english.messages[key]!
            let translation = catalog.messages[key].flatMap { $0.isEmpty ? nil : $0 }
            let stale = translation != nil && catalog.staleKeys.contains(key)
            let reviewed = translation != nil && catalog.status(of: key) == .reviewed
            let chosen: Bool
            switch selection {
            case .all: chosen = true
            case .stale: chosen = stale
            case .untranslated: chosen = translation == nil
            case .drafted: chosen = translation != nil && !reviewed
            case .needsWork: chosen = !reviewed
            }
            guard chosen else { continue }
            var unit = XLIFFUnit(id: key, source: XLIFFText(source))
            var note = description(of: key)
            let placeholders = XLIFFPlaceholders.braced(source)
            if !placeholders.isEmpty {
                note +=
                    " Keep \(placeholders.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: ", ")) as written: the document fills them in."
            }
            if let translation {
                unit.target = XLIFFText(translation)
                if stale {
                    unit.state = .needsReviewTranslation
                    note +=
                        " The English changed since this was translated: check the translation against the new English."
                    summary.stale += 1
                } else if reviewed {
                    unit.state = .final
                    unit.approved = true
                    let who = catalog.review?[key]?.reviewer.map { " by \($0)" } ?? ""
                    note += " Reviewed\(who)."
                    summary.reviewed += 1
                } else {
                    unit.state = .translated
                    note += " A draft: not yet reviewed by a qualified translator."
                    summary.drafted += 1
                }
            } else {
                unit.target = XLIFFText("")
                unit.state = .new
                note += " Not translated yet."
                summary.untranslated += 1
            }
            unit.notes = [
                XLIFFNote(note, from: "developer"),
                XLIFFNote(
                    Marker(locale: locale, key: key, englishHash: LocaleCatalog.messageHash(source)).note,
                    from: "developer"
                ),
            ]
            units.append(unit)
        }
        summary.units = units.count
        let file = XLIFFFile(
            original: "Locales/\(locale).json",
            sourceLanguage: LocaleSet.reference,
            targetLanguage: locale,
            notes: [
                XLIFFNote(
                    "CareDocs locale catalog \(locale) (\(catalog.englishName)): the wording of letters and care plans. Keep placeholders like {name} as they are.",
                    from: "developer"
                )
            ],
            units: units
        )
        return (XLIFFDocument(files: [file]), summary)
    }

    /// What a message key is for, in plain words, from its prefix.
    public static func description(of key: String) -> String {
        let parts = key.split(separator: ".").map(String.init)
        if parts.count == 3, parts[0] == "language", parts[1] == "inSentence" {
            return "The name of the language \"\(parts[2])\" as written inside a sentence (\"a copy in Spanish\")."
        }
        let table: [(String, String)] = [
            ("frame.", "Letter frame: printed on every letter (page numbers, greeting, sign-off, 24/7 line)."),
            ("enrollment.", "Enrollment letter (welcome to CARES for Kids)."),
            ("termination.", "Termination letter (CARES for Kids services ending)."),
            ("icp.", "Individual care plan."),
            ("emergency.", "Emergency plan (read by EMTs and emergency department staff)."),
            ("aftercare.", "Aftercare and transition plan."),
            ("ccm.", "Notice to the CCM clinical manager."),
            ("approval.method.", "Individual care plan: how the family approves the plan."),
            ("goal.", "Individual care plan: a goal's domain, status or term."),
            ("need.", "Individual care plan: a social need's kind or status."),
            ("transition.", "Individual care plan: a kind of transition."),
            ("med.", "Medication table (care plan, emergency plan, aftercare plan): a column heading."),
            ("service.", "Services table (care plan, aftercare plan): a column heading."),
            ("allergy.", "Emergency plan: how severe an allergy is."),
            ("role.", "A care team member's role (care team tables)."),
            ("relationship.", "A contact's relationship to the child (emergency contacts)."),
            ("label.", "A field label used in several documents."),
            ("contact.", "Contact details, in several documents."),
            ("proof.", "Proof copies for staff (never mailed to families)."),
        ]
        for (prefix, text) in table where key.hasPrefix(prefix) { return text }
        return "Wording used in the documents."
    }

    // MARK: Import

    /// A unit refused, with why.
    public struct Refusal: Sendable, Hashable, CustomStringConvertible {
        /// The message key when known, else the unit's id.
        public var unit: String
        public var reason: String

        public init(unit: String, reason: String) {
            self.unit = unit
            self.reason = reason
        }

        public var description: String { "\(unit): \(reason)" }
    }

    /// What a returned file would change in the catalog, or the units refused.
    public struct ImportPlan: Sendable, Equatable {
        public var locale: String
        /// New message texts, by key.
        public var messages: [String: String] = [:]
        /// The catalog's review map after the import.
        public var review: [String: LocaleCatalog.KeyReview] = [:]
        /// Keys whose message or review changes.
        public var updated: [String] = []
        public var reviewed = 0
        public var drafted = 0
        /// Keys left as they were.
        public var unchanged = 0
        /// Units without a translation for a key the catalog does not translate yet.
        public var untranslated = 0
        /// Saved as drafted although a reviewer was named: the file marks them unfinished.
        public var draftedAsMarked = 0
        public var refusals: [Refusal] = []
    }

    /// The locale a returned file is about (from its units' markers); refusals when the file is
    /// not one `locales export` wrote, or mixes locales.
    public static func identify(_ document: XLIFFDocument) -> (locale: String?, refusals: [Refusal]) {
        var seen = Set<String>()
        for unit in document.units where unit.restype != "x-gettext-domain-header" {
            if let m = Marker.find(in: unit.notes) { seen.insert(m.locale) }
        }
        guard let only = seen.first else {
            return (
                nil,
                [
                    Refusal(
                        unit: "(file)",
                        reason:
                            "no unit carries a caredocs locale marker note: this file was not exported by caredocs locales export, or its notes were removed"
                    )
                ]
            )
        }
        guard seen.count == 1 else {
            return (nil, [Refusal(unit: "(file)", reason: "the units belong to several locales: \(seen.sorted())")])
        }
        return (only, [])
    }

    static func sameLanguage(_ a: String, _ b: String) -> Bool {
        a.replacingOccurrences(of: "_", with: "-").lowercased()
            == b.replacingOccurrences(of: "_", with: "-").lowercased()
    }

    /// Checks every unit of a returned file against the catalogs as they are now and says what
    /// to write. All or nothing is the caller's rule: write only when `refusals` is empty.
    ///
    /// A unit is refused when: it has no marker; its key is not in the English catalog; the
    /// English message changed since export (the hash in the marker is not the current
    /// English's) or the source was edited in the file; its target language is not the
    /// catalog's; its placeholders differ from the English's; its translation is blank where the
    /// catalog has one; the file gives two different translations of it.
    ///
    /// A translated unit is recorded `reviewed` by `reviewer` when one is named and the file does
    /// not mark it unfinished (a `needs-…` state, or fuzzy in PO: `approved="no"`), else
    /// `drafted`; either way with the hash of the current English. A unit still marked
    /// unfinished whose text is the catalog's is left as it was (nobody looked at it), as is a
    /// reviewed key returned unchanged.
    public static func plan(
        _ document: XLIFFDocument,
        set: LocaleSet,
        reviewer: String?
    ) -> ImportPlan {
        let (identified, fileRefusals) = identify(document)
        guard let locale = identified else {
            var p = ImportPlan(locale: "")
            p.refusals = fileRefusals
            return p
        }
        var plan = ImportPlan(locale: locale)
        guard let english = set.catalogs[LocaleSet.reference] else {
            plan.refusals = [Refusal(unit: "(file)", reason: "no English catalog (en.json)")]
            return plan
        }
        guard locale != LocaleSet.reference, let catalog = set.catalogs[locale] else {
            plan.refusals = [Refusal(unit: "(file)", reason: "no translated catalog \(locale).json")]
            return plan
        }
        plan.review = catalog.review ?? [:]

        let (chosen, refused) = document.latestUnits(marker: Marker.self)
        plan.refusals += refused.map {
            let r = $0.explained(
                unmarkedReason: "the unit has no caredocs marker note (key and English hash): it cannot be checked"
            )
            return Refusal(unit: r.unit, reason: r.reason)
        }

        for c in chosen {
            let key = c.marker.key
            let unit = c.unit
            guard let englishText = english.messages[key] else {
                plan.refusals.append(Refusal(unit: key, reason: "no such message key in en.json"))
                continue
            }
            var reasons: [String] = []
            let declared = unit.targetLanguage ?? c.fileTargetLanguage
            if let declared, !sameLanguage(declared, locale) {
                reasons.append("the target language is \(declared), but the unit was exported for \(locale)")
            }
            let currentHash = LocaleCatalog.messageHash(englishText)
            if currentHash != c.marker.englishHash {
                reasons.append("the English message changed since export: translate the new English (export again)")
            } else if LocaleCatalog.messageHash(unit.source.plainText) != c.marker.englishHash {
                reasons.append("the English source in the file was edited: it must stay as exported")
            }
            let current = catalog.messages[key]
            guard let target = unit.target, let targetText = unit.translatedText,
                !targetText.allSatisfy(\.isWhitespace)
            else {
                if current == nil || current?.isEmpty == true {
                    if reasons.isEmpty {
                        plan.untranslated += 1
                    } else {
                        plan.refusals += reasons.map { Refusal(unit: key, reason: $0) }
                    }
                } else {
                    reasons.append("the translation is empty: it would blank the catalog's message")
                    plan.refusals += reasons.map { Refusal(unit: key, reason: $0) }
                }
                continue
            }
            if LocaleCatalog.isPluralMessage(englishText) {
                // Forms by plural category: each language has its own number of forms.
                reasons += LocaleCatalog.pluralProblems(source: englishText, target: target.plainText)
            } else {
                reasons += XLIFFPlaceholders.problems(source: XLIFFText(englishText), target: target)
            }
            if !reasons.isEmpty {
                plan.refusals += reasons.map { Refusal(unit: key, reason: $0) }
                continue
            }
            let markedUnfinished = (unit.state?.needsWork ?? false) || unit.approved == false
            if markedUnfinished && targetText == current {
                plan.unchanged += 1
                continue
            }
            let status: LocaleCatalog.Status = reviewer != nil && !markedUnfinished ? .reviewed : .drafted
            if reviewer != nil && markedUnfinished { plan.draftedAsMarked += 1 }
            let existing = plan.review[key]
            let stillReviewed =
                existing?.status == .reviewed && existing?.englishSha256 == currentHash
                && existing?.translationSha256 == LocaleCatalog.messageHash(targetText)
            if targetText == current, stillReviewed && (status == .drafted || existing?.reviewer == reviewer) {
                plan.unchanged += 1
                continue
            }
            let entry = LocaleCatalog.KeyReview(
                status: status,
                reviewer: status == .reviewed ? reviewer : nil,
                englishSha256: currentHash,
                translationSha256: status == .reviewed ? LocaleCatalog.messageHash(targetText) : nil
            )
            if targetText == current && existing == entry {
                plan.unchanged += 1
                continue
            }
            if targetText != current { plan.messages[key] = targetText }
            plan.review[key] = entry
            plan.updated.append(key)
            if status == .reviewed { plan.reviewed += 1 } else { plan.drafted += 1 }
        }
        return plan
    }

    /// Plans the import of `document` into the catalogs of `directory` and, when nothing is
    /// refused and something changes, writes the catalog (messages and review map) atomically,
    /// every other byte as it was.
    public static func importFile(
        _ document: XLIFFDocument,
        directory: URL,
        reviewer: String?
    ) throws -> ImportPlan {
        let set = try LocaleSet(directory: directory)
        let plan = plan(document, set: set, reviewer: reviewer)
        guard plan.refusals.isEmpty, !plan.updated.isEmpty else { return plan }
        let url = directory.appendingPathComponent("\(plan.locale).json")
        let data = try Data(contentsOf: url)
        let updated = try CatalogReviewWriter.rewrite(
            data,
            messages: plan.messages,
            order: try keyOrder(directory.appendingPathComponent("\(LocaleSet.reference).json")),
            review: plan.review
        )
        try AtomicFile.write(updated, to: url)
        return plan
    }

    /// The message keys of a catalog file in the order the file lists them.
    public static func keyOrder(_ url: URL) throws -> [String] {
        let bytes = [UInt8](try Data(contentsOf: url))
        let scanner = JSONScanner(bytes: bytes)
        let top = try scanner.members(ofObjectAt: scanner.skipWhitespace(0))
        guard let messages = top.first(where: { $0.key == "messages" }) else {
            throw LocaleError("\(url.lastPathComponent) has no messages")
        }
        return try scanner.members(ofObjectAt: messages.value.lowerBound).map(\.key)
    }
}
