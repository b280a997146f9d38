import Foundation
import Typesetting

/// All the wording of one language (`Locales/<tag>.json`): messages with named placeholders,
/// month names and the date pattern, and whether a qualified translator reviewed it.
public struct LocaleCatalog: Sendable, Decodable {
    public enum Status: String, Sendable, Decodable {
        /// Written by the developers; must be reviewed before families receive it.
        case drafted
        /// Reviewed by a qualified translator.
        case reviewed
    }

    /// BCP 47 tag (`es`, `pt-BR`, `zh-Hant`).
    public var locale: String
    /// The language's own name (Español).
    public var name: String
    public var englishName: String
    public var direction: String
    public var status: Status
    public var reviewer: String?
    /// Twelve month names, January first, as used in a date.
    public var months: [String]
    /// A date with `{day}`, `{month}`, `{monthNumber}`, `{year}` (e.g. `{day} de {month} de {year}`).
    public var datePattern: String
    /// How the first day of a month is written when it differs from "1" (French "1er").
    public var firstDayOfMonth: String?
    public var messages: [String: String]

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
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let v = values[name] { out += v } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
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
        self.catalogs = catalogs
    }

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
