import Foundation

/// What a prepared paragraph depends on besides the engine's fonts: its spans as resolved, the
/// base style, the requested and surrounding directions and the language. Its hash is computed
/// once (a paragraph's text is hashed once per look-up, not once per table probed).
struct ParagraphKey: Hashable {
    /// A span's text is hashed and compared by its UTF-8 bytes. `String`'s own hashing and
    /// equality go by canonical equivalence: they normalize any text not known to be NFC (any
    /// non-ASCII text), which was a twentieth of layout. Bytes are also the exact key: two
    /// canonically equivalent texts in different code points can shape differently.
    struct SpanKey: Hashable {
        var text: String
        var style: TextStyle

        static func == (a: Self, b: Self) -> Bool {
            ParagraphKey.sameBytes(a.text, b.text) && a.style == b.style
        }

        func hash(into hasher: inout Hasher) {
            ParagraphKey.hashBytes(text, into: &hasher)
            hasher.combine(style)
        }
    }

    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        guard count > 0 else { return true }
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in memcmp(x.baseAddress!, y.baseAddress!, count) == 0 } }
    }

    static func hashBytes(_ text: String, into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(text.utf8.count)
    }
    let spans: [SpanKey]
    let base: TextStyle
    let direction: Direction
    let language: String
    let surrounding: Direction
    let hash: Int

    init(spans: [SpanKey], base: TextStyle, direction: Direction, language: String, surrounding: Direction) {
        self.spans = spans
        self.base = base
        self.direction = direction
        self.language = language
        self.surrounding = surrounding
        var hasher = Hasher()
        hasher.combine(spans)
        hasher.combine(base)
        hasher.combine(direction)
        hasher.combine(language)
        hasher.combine(surrounding)
        hash = hasher.finalize()
    }

    static func == (a: Self, b: Self) -> Bool {
        a.hash == b.hash && a.spans == b.spans && a.base == b.base && a.direction == b.direction
            && a.language == b.language && a.surrounding == b.surrounding
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

/// How a prepared paragraph was fitted into lines.
struct LineParameters: Hashable {
    var width: Double
    var alignment: Alignment
    var firstLineIndent: Double
    var lineSpacing: Double
}

/// Paragraphs prepared (itemized, shaped, with break opportunities) and the lines fitted from
/// them, remembered per engine. Most of a letter or a plan is the template's own wording in
/// the copy's language (headings, the rights paragraphs, the list of services, table headers,
/// the footer), identical in every document of that kind and language; only the paragraphs
/// that carry the record's content differ. Typst memoizes layout across compilations the same
/// way (comemo); no library here does this for our layout, hence by hand.
///
/// - **Admission on the second sighting.** A paragraph is kept only when its key has been seen
///   before (a set of key hashes remembers the first sighting, like TinyLFU's doorkeeper): the
///   template's paragraphs are kept after their first repetition, a paragraph naming one child
///   is seen once and never kept. This keeps the cache small, its hit rate high and record
///   content (health information) out of it as far as possible; it is never written anywhere.
/// - **Bounded.** Two generations: entries go to the current one; when its cost (scalars of the
///   paragraphs and of their lines) passes `generationLimit`, it becomes the previous one and
///   the older is dropped; a hit in the previous generation moves back to the current one.
/// - **Exact.** A hit returns the value computed before from an equal key (the engine's fonts
///   never change), so the output is the same with or without the cache (tested).
///
/// Used by one thread at a time, like the engine that owns it.
final class ParagraphCache {
    struct Entry {
        var prepared: PreparedParagraph
        var lines: [LineParameters: [LineBox]] = [:]
    }

    /// Scalars per generation (a scalar with its shaping, breaks and lines is ~150 bytes: two
    /// generations stay under ~15 MB).
    let generationLimit: Int
    /// First sightings remembered (hashes only); cleared when it reaches this size.
    let doorkeeperLimit: Int
    private var current: [ParagraphKey: Entry] = [:]
    private var previous: [ParagraphKey: Entry] = [:]
    private var currentCost = 0
    private var seen = Set<Int>()
    /// Counters for the benchmarks and tests.
    private(set) var hits = 0
    private(set) var misses = 0

    init(generationLimit: Int = 50_000, doorkeeperLimit: Int = 20_000) {
        self.generationLimit = generationLimit
        self.doorkeeperLimit = doorkeeperLimit
    }

    var count: Int { current.count + previous.count }

    /// The prepared paragraph of `key`, from the cache or made by `make` (and kept when the key
    /// was seen before). The result carries its key when it is kept, so its lines are kept too.
    func prepared(_ key: ParagraphKey, make: () -> PreparedParagraph) -> PreparedParagraph {
        if let entry = current[key] {
            hits += 1
            return entry.prepared
        }
        if let entry = previous.removeValue(forKey: key) {
            hits += 1
            insert(key, entry)
            return entry.prepared
        }
        misses += 1
        var made = make()
        guard seen.remove(key.hash) != nil else {
            if seen.count >= doorkeeperLimit { seen.removeAll(keepingCapacity: true) }
            seen.insert(key.hash)
            return made
        }
        made.cacheKey = key
        insert(key, Entry(prepared: made))
        return made
    }

    /// The lines of a kept paragraph fitted with `parameters`, from the cache or made by `make`.
    func lines(_ key: ParagraphKey, _ parameters: LineParameters, make: () -> [LineBox]) -> [LineBox] {
        if let lines = current[key]?.lines[parameters] { return lines }
        let made = make()
        if current[key] != nil {
            current[key]!.lines[parameters] = made
            currentCost += current[key]!.prepared.scalars.count
            rollIfFull()
        }
        return made
    }

    private func insert(_ key: ParagraphKey, _ entry: Entry) {
        current[key] = entry
        currentCost += entry.prepared.scalars.count * (1 + entry.lines.count)
        rollIfFull()
    }

    private func rollIfFull() {
        guard currentCost > generationLimit else { return }
        previous = current
        current = [:]
        currentCost = 0
    }
}
