/// A language the service has a locale for: letters and plans are written in these.
///
/// The record writes languages as BCP 47 tags; `normalize(_:)` maps a tag to one of these,
/// case-insensitively and with sensible aliases (`pt` → `pt-BR`, `zh-CN` → `zh-Hans`,
/// `zh-TW` → `zh-Hant`, `es-US` → `es`).
public enum SupportedLanguage: String, Sendable, Hashable, CaseIterable, Codable {
    case english = "en"
    case spanish = "es"
    case brazilianPortuguese = "pt-BR"
    case haitianCreole = "ht"
    case vietnamese = "vi"
    case capeVerdeanCreole = "kea"
    case simplifiedChinese = "zh-Hans"
    case traditionalChinese = "zh-Hant"
    case arabic = "ar"
    case khmer = "km"
    case french = "fr"
    case korean = "ko"
    case russian = "ru"

    /// The canonical BCP 47 tag, e.g. `pt-BR`, `zh-Hant`.
    public var tag: String { rawValue }

    /// The supported language a BCP 47 tag asks for, or `nil` when the service has no locale
    /// for it (or the tag is not well formed).
    ///
    /// - Case does not matter: `PT-br`, `ZH-hant` are read as `pt-BR`, `zh-Hant`.
    /// - A region narrows nothing else: `en-US`, `es-419`, `fr-CA`, `ar-EG` are `en`, `es`,
    ///   `fr`, `ar`; every Portuguese (`pt`, `pt-PT`) is `pt-BR`, the only Portuguese locale.
    /// - Chinese needs its script: `zh-Hans`/`zh-Hant` (with any region), or a region that
    ///   implies it: `zh-CN`, `zh-SG`, `zh-MY` → `zh-Hans`; `zh-TW`, `zh-HK`, `zh-MO` → `zh-Hant`.
    ///   Bare `zh` is `nil`: it does not say which script the family reads.
    /// - Variants after the region change nothing (`en-US-posix` is `en`); a script other than
    ///   the language's usual one (`ru-Latn`) is `nil`.
    public static func normalize(_ tag: String) -> SupportedLanguage? {
        let subtags = tag.lowercased().split(separator: "-", omittingEmptySubsequences: false)
            .map(String.init)
        guard let language = subtags.first, isAlphabetic(language, count: 2...3) else { return nil }
        var rest = subtags.dropFirst()
        var script: String?
        var region: String?
        if let next = rest.first, isAlphabetic(next, count: 4...4) {
            script = next
            rest = rest.dropFirst()
        }
        if let next = rest.first, isAlphabetic(next, count: 2...2) || isNumeric(next, count: 3) {
            region = next
            rest = rest.dropFirst()
        }
        guard rest.allSatisfy(isVariant) else { return nil }

        if language == "zh" {
            switch script ?? chineseScript(ofRegion: region) {
            case "hans": return .simplifiedChinese
            case "hant": return .traditionalChinese
            default: return nil
            }
        }
        guard let supported = byLanguage[language] else { return nil }
        if let script, !(usualScripts[language] ?? []).contains(script) { return nil }
        return supported
    }

    /// The tags, in the order of `allCases`, for messages: "en, es, pt-BR, …".
    public static var supportedTags: [String] { allCases.map(\.tag) }

    private static let byLanguage: [String: SupportedLanguage] = [
        "en": .english, "es": .spanish, "pt": .brazilianPortuguese, "ht": .haitianCreole,
        "vi": .vietnamese, "kea": .capeVerdeanCreole, "ar": .arabic, "km": .khmer,
        "fr": .french, "ko": .korean, "ru": .russian,
    ]

    private static let usualScripts: [String: Set<String>] = [
        "en": ["latn"], "es": ["latn"], "pt": ["latn"], "ht": ["latn"], "vi": ["latn"],
        "kea": ["latn"], "fr": ["latn"], "ar": ["arab"], "km": ["khmr"],
        "ko": ["kore", "hang"], "ru": ["cyrl"],
    ]

    private static func chineseScript(ofRegion region: String?) -> String? {
        switch region {
        case "cn", "sg", "my": return "hans"
        case "tw", "hk", "mo": return "hant"
        default: return nil
        }
    }

    private static func isAlphabetic(_ text: String, count: ClosedRange<Int>) -> Bool {
        count.contains(text.utf8.count)
            && text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }

    /// BCP 47 variant: 5–8 letters or digits, or a digit and 3 letters or digits (`1996`).
    private static func isVariant(_ text: String) -> Bool {
        let alphanumeric = text.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
        let startsWithDigit = text.utf8.first.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false
        return alphanumeric && ((5...8).contains(text.utf8.count) || (text.utf8.count == 4 && startsWithDigit))
    }

    private static func isNumeric(_ text: String, count: Int) -> Bool {
        text.utf8.count == count
            && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
