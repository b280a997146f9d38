/// Finds the name a typo most likely meant: `fristName` → `firstName`, `e_mail` → `email`,
/// `legal guardian` → `legal-guardian`.
enum NameSuggestion {
    /// The closest candidate, when it is close enough to be worth suggesting: the same letters
    /// ignoring case and separators (`-`, `_`, spaces), or an edit distance (insertions,
    /// deletions, substitutions, swaps of neighbours) of at most a third of the name, and 2.
    static func closest(to name: String, among candidates: [String]) -> String? {
        // Names are short: a long value is no typo of one (and an edit distance over megabytes
        // would cost seconds of CPU per request).
        guard name.utf8.count <= 128 else { return nil }
        let target = simplified(name)
        guard !target.isEmpty else { return nil }
        let limit = min(2, max(1, target.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let simple = simplified(candidate)
            guard abs(simple.count - target.count) <= limit else { continue }
            let distance = editDistance(target, simple)
            if distance <= limit, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    private static func simplified(_ name: String) -> [Character] {
        Array(name.lowercased().filter { !"-_ ".contains($0) })
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            previousPrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
