import Foundation

/// Messages that depend on a count ("1 year", "2 years"; Russian "1 год", "3 года", "5 лет"). The
/// message lists its forms by CLDR plural category, separated by `|`:
///
///     "age.years": "one: {count} year | other: {count} years"
///     "age.years": "one: {count} год | few: {count} года | many: {count} лет | other: {count} года"
///
/// Every message has an `other` form; a language without plural forms (Khmer, Chinese) writes
/// only `other:` (or the bare text). The categories are CLDR's integer rules for our languages.
public enum PluralCategory: String, Sendable, CaseIterable {
    case zero, one, two, few, many, other

    /// The CLDR plural category of the whole number `n` in `locale`.
    public static func of(_ n: Int, locale: String) -> PluralCategory {
        let n = abs(n)
        let mod10 = n % 10
        let mod100 = n % 100
        switch locale {
        case "en", "es":
            return n == 1 ? .one : .other
        case "fr", "pt-BR":
            // i = 0..1 (French "0 an", Brazilian Portuguese "0 ano").
            return n <= 1 ? .one : .other
        case "ru":
            if mod10 == 1 && mod100 != 11 { return .one }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return .few }
            return .many
        case "ar":
            switch n {
            case 0: return .zero
            case 1: return .one
            case 2: return .two
            default:
                if (3...10).contains(mod100) { return .few }
                if (11...99).contains(mod100) { return .many }
                return .other
            }
        default:
            // km, ko, vi, zh-Hans, zh-Hant, ht, kea: one form.
            return .other
        }
    }
}

extension LocaleCatalog {
    /// The message `key` in the form for `count` (its `{count}` filled, with the other `values`).
    public func plural(_ key: String, count: Int, _ values: [String: String] = [:]) throws -> String {
        guard let message = messages[key] else { throw LocaleError("\(locale): no message '\(key)'") }
        let forms = Self.pluralForms(message)
        let category = PluralCategory.of(count, locale: locale)
        guard let form = forms[category] ?? forms[.other] else {
            throw LocaleError("\(locale): message '\(key)' has no 'other:' form")
        }
        var filled = values
        filled["count"] = "\(count)"
        return Self.fill(form, filled)
    }

    /// The forms of a plural message by category; a message without `category:` prefixes is its
    /// own `other` form.
    public static func pluralForms(_ message: String) -> [PluralCategory: String] {
        var forms: [PluralCategory: String] = [:]
        for part in message.split(separator: "|") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if let colon = trimmed.firstIndex(of: ":"),
                let category = PluralCategory(rawValue: String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces))
            {
                forms[category] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            } else if !message.contains("|") {
                forms[.other] = trimmed
            }
        }
        return forms
    }

    /// A message written as plural forms (`one: … | other: …`).
    public static func isPluralMessage(_ message: String) -> Bool {
        message.contains("|") && pluralForms(message)[.other] != nil
    }

    /// What is wrong with a translation of a plural message, in plain words: it needs an
    /// `other:` form holding the source's placeholders, and no form may add a placeholder. (The
    /// forms' number differs by language, so placeholders are not counted across forms.)
    public static func pluralProblems(source: String, target: String) -> [String] {
        let want = Set(XLIFFPlaceholders.braced(source))
        let forms = pluralForms(target)
        guard let other = forms[.other] else {
            return ["a count message needs an 'other:' form (for example 'one: {count} year | other: {count} years')"]
        }
        var out: [String] = []
        for p in want.sorted() where !XLIFFPlaceholders.braced(other).contains(p) {
            out.append("placeholder \(p) of the source is missing from the target's 'other:' form")
        }
        let extra = Set(forms.values.flatMap(XLIFFPlaceholders.braced)).subtracting(want)
        for p in extra.sorted() { out.append("placeholder \(p) in the target is not in the source") }
        return out
    }
}
