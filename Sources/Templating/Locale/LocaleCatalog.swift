import Crypto
import Foundation
import Typesetting

/// All the wording of one language (`Locales/<tag>.json`): messages with named placeholders,
/// month names and the date pattern, and, per message, whether a qualified translator reviewed it.
///
/// File layout of the review metadata. Each translated catalog has, after `messages`, a parallel
/// `review` map with one line per key, in the order of `messages`:
///
///     "review": {
///       "frame.about": {"status": "drafted", "reviewer": null, "englishSha256": "5e2b…"},
///       "frame.page": {"status": "reviewed", "reviewer": "Ana Ruiz (ATA-certified)", "englishSha256": "9f86…", "translationSha256": "c0a1…"},
///
/// - `status`: `drafted` (written by the developers or a tool) or `reviewed` (by a qualified
///   translator, Section 1557); `reviewer`: who reviewed it (null while drafted);
/// - `englishSha256`: SHA-256 (hex) of the English message this translation was made or reviewed
///   from (UTF-8 of its NFC form). When `en.json` changes that message, the hash no longer matches
///   and the key is **stale** in every language: the translation may now say something else.
/// - `translationSha256` (reviewed keys only): the same hash of the translation the reviewer
///   approved. A later edit of the translation makes the key **edited after review**: it counts
///   as drafted until it is reviewed again.
///
/// Why a parallel map in the same file rather than `{text, status, …}` objects inside `messages`
/// or a sidecar file: `messages` stays a plain key → sentence list that translators read and edit
/// as before (and any tool that reads `messages` keeps working); one line per key makes a review
/// show in `git diff` as exactly the lines of the keys reviewed, with who did it (the audit trail),
/// and keeps merges of reviews of different keys free of conflicts; and one file per language
/// means a message and its review are written, copied, hashed into the locale version (the render
/// cache key) and reverted together — a sidecar could drift from its catalog. The English catalog
/// (the source) has no `review` map and keeps its declared `status`. `caredocs locales
/// mark-reviewed` writes the map (`CatalogReviewWriter`): the rest of the file is left byte for
/// byte, so a review never reformats the messages.
///
/// The catalog-level `status` is derived: `reviewed` only when every message is reviewed and none
/// is stale or edited after review (such a key counts as drafted, so documents made with the
/// catalog keep their "translation: drafted" mark).
public struct LocaleCatalog: Sendable, Decodable {
    public enum Status: String, Sendable, Codable {
        /// Written by the developers; must be reviewed before families receive it.
        case drafted
        /// Reviewed by a qualified translator.
        case reviewed
    }

    /// The review metadata of one translated message (see the file layout above).
    public struct KeyReview: Sendable, Codable, Equatable {
        public var status: Status
        public var reviewer: String?
        /// SHA-256 (hex) of the English message this translation was made from.
        public var englishSha256: String
        /// SHA-256 (hex) of the translation as reviewed (nil for a draft).
        public var translationSha256: String?

        public init(status: Status, reviewer: String?, englishSha256: String, translationSha256: String? = nil) {
            self.status = status
            self.reviewer = reviewer
            self.englishSha256 = englishSha256
            self.translationSha256 = translationSha256
        }
    }

    /// BCP 47 tag (`es`, `pt-BR`, `zh-Hant`).
    public var locale: String
    /// The language's own name as a label or title (Español). Inside a sentence, use the
    /// catalog's `language.inSentence.<tag>` message ("en español", "на русском языке").
    public var name: String
    public var englishName: String
    public var direction: String
    /// The status the file declares at catalog level: only the English source has one (a translated
    /// catalog's status is derived from `review`).
    public var declaredStatus: Status?
    public var reviewer: String?
    /// Twelve month names, January first, as used in a date.
    public var months: [String]
    /// A date with `{day}`, `{month}`, `{monthNumber}`, `{year}` (e.g. `{day} de {month} de {year}`).
    public var datePattern: String
    /// How the first day of a month is written when it differs from "1" (French "1er").
    public var firstDayOfMonth: String?
    public var messages: [String: String]
    /// Review metadata per message key; nil when the file has no `review` map (the English source).
    public var review: [String: KeyReview]?
    /// Keys whose English message changed since they were translated (set by `LocaleSet`, which
    /// knows the English catalog).
    public var staleKeys: Set<String> = []
    /// Reviewed keys whose translation changed since the review (set by `LocaleSet`).
    public var editedKeys: Set<String> = []

    enum CodingKeys: String, CodingKey {
        case locale, name, englishName, direction, reviewer, months, datePattern, firstDayOfMonth, messages, review
        case declaredStatus = "status"
    }

    /// The catalog's status: the declared one for the English source; for a translation,
    /// `reviewed` only when every message is reviewed and not stale (a translation without a
    /// `review` map is drafted, whatever it declares).
    public var status: Status {
        guard let review else { return locale == LocaleSet.reference ? declaredStatus ?? .drafted : .drafted }
        for key in messages.keys {
            guard review[key]?.status == .reviewed, !staleKeys.contains(key), !editedKeys.contains(key) else {
                return .drafted
            }
        }
        return .reviewed
    }

    /// The status of one message: `drafted` when it has no review metadata or is stale.
    public func status(of key: String) -> Status {
        guard let review else { return locale == LocaleSet.reference ? declaredStatus ?? .drafted : .drafted }
        guard review[key]?.status == .reviewed, !staleKeys.contains(key), !editedKeys.contains(key) else {
            return .drafted
        }
        return .reviewed
    }

    /// The hash recorded with a translation: SHA-256 (lowercase hex) of the UTF-8 of the
    /// English message (or, for `translationSha256`, of the translation) in Unicode NFC.
    public static func messageHash(_ text: String) -> String {
        SHA256.hash(data: Data(text.precomposedStringWithCanonicalMapping.utf8)).lowercaseHex
    }

    public var isRightToLeft: Bool { direction == "rtl" }

    public static func load(_ url: URL) throws -> LocaleCatalog {
        do {
            return try JSONDecoder().decode(LocaleCatalog.self, from: Data(contentsOf: url))
        } catch {
            throw LocaleError("\(url.lastPathComponent): \(error)")
        }
    }

    /// The message for `key` with its placeholders filled; a missing key is an error, never
    /// an empty string in a letter.
    public func text(_ key: String, _ values: [String: String] = [:]) throws -> String {
        guard let template = messages[key] else { throw LocaleError("\(locale): no message '\(key)'") }
        return Self.fill(template, values)
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        // Braces are found in the UTF-8 view (ASCII, so its indices are valid for slicing):
        // searching the Character view broke the text into grapheme clusters on every call.
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        guard template.utf8.contains(open) else { return template }
        var out = ""
        var rest = Substring(template)
        while let start = rest.utf8.firstIndex(of: open) {
            out += rest[..<start]
            guard let end = rest.utf8[start...].firstIndex(of: close) else { break }
            let name = String(rest[rest.utf8.index(after: start)..<end])
            if let v = values[name] { out += v } else { out += rest[start...end] }
            rest = rest[rest.utf8.index(after: end)...]
        }
        out += rest
        return out
    }

    /// Placeholder names in a message (`{name}`).
    static func placeholders(_ message: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// A calendar date in this locale's convention.
    public func format(year: Int, month: Int, day: Int) -> String {
        let monthName = (1...12).contains(month) ? months[month - 1] : "\(month)"
        let dayText = day == 1 ? (firstDayOfMonth ?? "1") : "\(day)"
        return Self.fill(
            datePattern,
            ["day": dayText, "month": monthName, "monthNumber": "\(month)", "year": "\(year)"]
        )
    }
}

public struct LocaleError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Every catalog in `Locales/`, checked against the English reference.
public struct LocaleSet: Sendable {
    public var catalogs: [String: LocaleCatalog]
    public static let reference = "en"

    public init(directory: URL) throws {
        var catalogs: [String: LocaleCatalog] = [:]
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" && $0.lastPathComponent != "taglines.json" }
        for f in files {
            let c = try LocaleCatalog.load(f)
            guard f.deletingPathExtension().lastPathComponent == c.locale else {
                throw LocaleError("\(f.lastPathComponent) declares locale '\(c.locale)'")
            }
            catalogs[c.locale] = c
        }
        if let en = catalogs[Self.reference] {
            for (tag, c) in catalogs where tag != Self.reference {
                catalogs[tag]!.staleKeys = Self.staleKeys(c, english: en)
                catalogs[tag]!.editedKeys = Self.editedKeys(c)
            }
        }
        self.catalogs = catalogs
    }

    /// Keys of `catalog` whose recorded English hash differs from the current English message.
    static func staleKeys(_ catalog: LocaleCatalog, english: LocaleCatalog) -> Set<String> {
        guard let review = catalog.review else { return [] }
        var stale = Set<String>()
        for (key, r) in review {
            if let text = english.messages[key], LocaleCatalog.messageHash(text) != r.englishSha256 {
                stale.insert(key)
            }
        }
        return stale
    }

    /// Reviewed keys of `catalog` whose translation differs from the one the reviewer approved.
    static func editedKeys(_ catalog: LocaleCatalog) -> Set<String> {
        var edited = Set<String>()
        for (key, r) in catalog.review ?? [:] where r.status == .reviewed {
            if let text = catalog.messages[key], LocaleCatalog.messageHash(text) != r.translationSha256 {
                edited.insert(key)
            }
        }
        return edited
    }

    /// What `locales check` warns about in the review metadata: stale translations, keys without
    /// metadata (both count as drafted), metadata for keys that no longer exist.
    public struct ReviewFinding: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// The English message changed since this translation was made or reviewed.
            case stale
            /// The translation changed since its review.
            case editedAfterReview
            /// The key has no entry in the catalog's `review` map (or there is no map).
            case missingMetadata
            /// A `review` entry for a key that is not in `messages`.
            case orphanMetadata
        }
        public var locale: String
        public var key: String
        public var kind: Kind

        public var description: String {
            switch kind {
            case .stale: "\(locale): \(key): English changed since this translation"
            case .editedAfterReview: "\(locale): \(key): translation changed since its review"
            case .missingMetadata: "\(locale): \(key): no review metadata (counts as drafted)"
            case .orphanMetadata: "\(locale): \(key): review metadata for a key that is not in messages"
            }
        }
    }

    /// Review findings for every translated catalog, by locale and key.
    public func reviewFindings() -> [ReviewFinding] {
        var out: [ReviewFinding] = []
        for tag in catalogs.keys.sorted() where tag != Self.reference {
            let c = catalogs[tag]!
            let review = c.review ?? [:]
            for key in c.messages.keys.sorted() {
                if review[key] == nil {
                    out.append(ReviewFinding(locale: tag, key: key, kind: .missingMetadata))
                } else if c.staleKeys.contains(key) {
                    out.append(ReviewFinding(locale: tag, key: key, kind: .stale))
                } else if c.editedKeys.contains(key) {
                    out.append(ReviewFinding(locale: tag, key: key, kind: .editedAfterReview))
                }
            }
            for key in review.keys.sorted() where c.messages[key] == nil {
                out.append(ReviewFinding(locale: tag, key: key, kind: .orphanMetadata))
            }
        }
        return out
    }

    /// The message key holding the form of `tag`'s language name used inside a sentence, in each
    /// catalog's own words: the phrase "in <language>" with the preposition and case the catalog's
    /// sentences need ("in Spanish", "en español", "em português", "на русском языке").
    public static func inSentenceKey(_ tag: String) -> String { "language.inSentence.\(tag)" }

    /// Missing keys, extra keys and placeholder mismatches against English, and malformed
    /// month lists. Empty when every catalog is complete.
    public func problems() -> [String] {
        guard let en = catalogs[Self.reference] else { return ["no English catalog (en.json)"] }
        var out: [String] = []
        for tag in catalogs.keys.sorted() {
            let c = catalogs[tag]!
            if c.months.count != 12 { out.append("\(tag): \(c.months.count) month names, want 12") }
            for key in en.messages.keys.sorted() {
                guard let m = c.messages[key] else {
                    out.append("\(tag): missing key \(key)")
                    continue
                }
                let want = LocaleCatalog.placeholders(en.messages[key]!)
                let have = LocaleCatalog.placeholders(m)
                if want != have {
                    out.append("\(tag): \(key): placeholders \(have.sorted()) differ from English \(want.sorted())")
                }
                if m.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append("\(tag): \(key) is empty") }
            }
            for key in c.messages.keys.sorted() where en.messages[key] == nil {
                out.append("\(tag): extra key \(key) (not in English)")
            }
            for other in catalogs.keys.sorted() where c.messages[Self.inSentenceKey(other)] == nil {
                out.append("\(tag): no in-sentence name for \(other) (\(Self.inSentenceKey(other)))")
            }
            if tag != Self.reference, c.review != nil, c.declaredStatus != nil {
                out.append(
                    "\(tag): a catalog-level \"status\" beside \"review\"; the status is derived per key, remove it"
                )
            }
            for (key, r) in (c.review ?? [:]).sorted(by: { $0.key < $1.key }) where r.status == .reviewed {
                if r.reviewer?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
                    out.append("\(tag): \(key) is reviewed but names no reviewer")
                }
            }
        }
        return out
    }

    /// Finds `Locales/` like the fonts: `$CAREDOCS_LOCALES`, then the working directory and up.
    public static func locate() throws -> URL {
        guard
            let dir = ProjectResources.locate(folder: "Locales", containing: "en.json", environment: "CAREDOCS_LOCALES")
        else {
            throw LocaleError("Locales/en.json not found; run from the project folder or set CAREDOCS_LOCALES")
        }
        return dir
    }
}

/// The language-assistance taglines (`Locales/taglines.json`), each in its own language.
public struct Taglines: Sendable, Decodable {
    public struct Tagline: Sendable, Decodable {
        public var language: String
        public var name: String
        public var status: LocaleCatalog.Status
        public var text: String
    }
    public var taglines: [Tagline]

    public static func load(_ directory: URL) throws -> Taglines {
        let url = directory.appendingPathComponent("taglines.json")
        do {
            return try JSONDecoder().decode(Taglines.self, from: Data(contentsOf: url))
        } catch {
            throw LocaleError("taglines.json: \(error)")
        }
    }
}

/// Fills `{name}` placeholders (for texts outside a catalog, like taglines).
public enum LocaleCatalogFill {
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        LocaleCatalog.fill(template, values)
    }
}
