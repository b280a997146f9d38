import Foundation

/// Checks of a catalog's writing that can be made by machine (`caredocs locales check`):
/// - a sentence that ends right after a date whose pattern already ends in a full stop ("… г..");
/// - Latin punctuation after Arabic letters (`,` `;` `?` where Arabic writes `،` `؛` `؟`) and a Latin
///   full stop or semicolon after Khmer letters (Khmer ends a sentence with `។`);
/// - in Chinese, a Simplified character in the Traditional catalog or the reverse (by ICU's
///   `Hans-Hant` and `Hant-Hans` transliterators, through Foundation).
/// Meaning, register and gender need a qualified translator; these catch the mechanical slips.
public enum LocaleLint {
    public static func problems(_ catalog: LocaleCatalog) -> [String] {
        var out: [String] = []
        let tag = catalog.locale
        let dateEndsInStop = catalog.datePattern.trimmingCharacters(in: .whitespaces).hasSuffix(".")
        for key in catalog.messages.keys.sorted() {
            let text = catalog.messages[key]!
            if dateEndsInStop, let placeholder = dateFollowedByStop(text) {
                out.append(
                    "\(tag): \(key): {\(placeholder)} is followed by '.', but dates already end in '.' (\(catalog.datePattern))"
                )
            }
            if let slip = latinPunctuation(text, language: tag) {
                out.append("\(tag): \(key): Latin '\(slip.latin)' after \(slip.script) text; write '\(slip.native)'")
            }
            if let wrong = wrongChineseScript(text, language: tag) {
                out.append("\(tag): \(key): '\(wrong.found)' is \(wrong.script); write '\(wrong.expected)'")
            }
        }
        return out
    }

    /// The name of a date placeholder (`{date}`, `{effectiveDate}` …) directly followed by '.'.
    static func dateFollowedByStop(_ text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            let after = rest[rest.index(after: close)...]
            if name.lowercased().hasSuffix("date"), after.first == "." { return String(name) }
            rest = after
        }
        return nil
    }

    static func latinPunctuation(
        _ text: String,
        language: String
    ) -> (latin: Character, native: String, script: String)? {
        let rules: [Character: String]
        let range: ClosedRange<UInt32>
        let script: String
        switch language {
        case "ar":
            (rules, range, script) = ([",": "،", ";": "؛", "?": "؟"], 0x0600...0x06FF, "Arabic")
        case "km":
            (rules, range, script) = ([".": "។", ";": "៖"], 0x1780...0x17FF, "Khmer")
        default:
            return nil
        }
        var previous: Character?
        for character in text {
            if let native = rules[character], let before = previous,
                let scalar = before.unicodeScalars.first, range.contains(scalar.value)
            {
                return (character, native, script)
            }
            if !character.isWhitespace { previous = character }
        }
        return nil
    }

    static func wrongChineseScript(
        _ text: String,
        language: String
    ) -> (found: String, expected: String, script: String)? {
        let transform: String
        let script: String
        switch language {
        case "zh-Hant": (transform, script) = ("Hans-Hant", "Simplified")
        case "zh-Hans": (transform, script) = ("Hant-Hans", "Traditional")
        default: return nil
        }
        for character in text where character.unicodeScalars.first?.properties.isIdeographic == true {
            let one = String(character)
            if let converted = one.applyingTransform(StringTransform(rawValue: transform), reverse: false),
                converted != one
            {
                return (one, converted, script)
            }
        }
        return nil
    }
}
