import Foundation

/// Whether the bundled fonts cover each script the manifest names (`caredocs fonts check`).
public enum FontCoverage {
    public struct Result: Sendable {
        public var script: String
        public var sample: String
        public var covered: Bool
        public var fonts: [String]
    }

    /// A few characters of each script (letters, and marks where the script has them).
    static let samples: [String: String] = [
        "Latn": "AaẞễơƯ", "Cyrl": "ЖжЁ", "Grek": "ΩωΆ", "Arab": "عربي\u{064E}", "Hebr": "שלום",
        "Khmr": "ខ្មែរ", "Laoo": "ລາວ", "Thai": "ไทย", "Deva": "हिन्दी", "Gujr": "ગુજરાતી",
        "Ethi": "አማርኛ", "Hani": "如中文國", "Hang": "한국어똸", "Hira": "ひらがな", "Kana": "カタカナ", "Bopo": "ㄅㄆ",
    ]

    public static func check(manifest: FontManifest) -> [Result] {
        guard let library = try? FontLibrary(manifest: manifest) else { return [] }
        var out: [Result] = []
        for script in manifest.scripts.keys.sorted() {
            let sample = samples[script] ?? ""
            let language = script == "Hani" ? "zh-Hans" : (script == "Hang" ? "ko" : "und")
            let chain = library.chain(script: script, language: language, bold: false, italic: false)
            var used: [String] = []
            var covered = !chain.isEmpty
            for u in sample.unicodeScalars {
                if UnicodeServices.isMark(u.value) || u.value == 0x200D { continue }
                if let f = chain.first(where: { $0.covers(u.value) }) {
                    if !used.contains(f.file) { used.append(f.file) }
                } else {
                    covered = false
                }
            }
            out.append(Result(script: script, sample: sample, covered: covered, fonts: used))
        }
        return out
    }
}
