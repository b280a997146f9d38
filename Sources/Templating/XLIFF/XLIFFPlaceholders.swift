/// The placeholders a translation must keep: `{name}` in the text and the inline codes
/// (`<x id="1"/>`, `<g id="2">` …) of the source, each as often as the source has it.
public enum XLIFFPlaceholders {
    /// `{name}` placeholders of a text, in order (a name: letters, digits, `_`, `.`, `-`; `{ }`
    /// around anything else, like "{ }" or "{1 2}", is not one).
    public static func braced(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(where: { $0 == "}" || $0 == "{" }) else { break }
            if rest[close] == "{" {
                rest = rest[close...]
                continue
            }
            let name = rest[after..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) {
                out.append("{\(name)}")
            }
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// Every placeholder of a source or target: `{name}`s and inline codes by element and id.
    public static func all(_ text: XLIFFText) -> [String] {
        braced(text.plainText) + text.inlineCodes.map(\.description)
    }

    /// What is wrong with a target's placeholders against its source, in plain words; empty
    /// when they match (order may differ: languages order words differently).
    public static func problems(source: XLIFFText, target: XLIFFText) -> [String] {
        var want: [String: Int] = [:]
        for p in all(source) { want[p, default: 0] += 1 }
        var have: [String: Int] = [:]
        for p in all(target) { have[p, default: 0] += 1 }
        var out: [String] = []
        for (p, n) in want.sorted(by: { $0.key < $1.key }) where have[p, default: 0] < n {
            let count = have[p, default: 0]
            out.append(
                count == 0
                    ? "placeholder \(p) of the source is missing from the target"
                    : "placeholder \(p) appears \(n) times in the source but \(count) in the target"
            )
        }
        for (p, n) in have.sorted(by: { $0.key < $1.key }) where want[p, default: 0] < n {
            let count = want[p, default: 0]
            out.append(
                count == 0
                    ? "placeholder \(p) in the target is not in the source"
                    : "placeholder \(p) appears \(n) times in the target but \(count) in the source"
            )
        }
        return out
    }
}
