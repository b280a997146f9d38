import Testing

@testable import CaresDocuments

/// The byte-level check of plain ASCII addresses agrees with the worded rules on every ASCII
/// text: it accepts exactly the addresses `reason` finds nothing wrong with.
@Suite struct EmailFormatTests {
    @Test func theASCIIFastPathAgreesWithTheRules() {
        let pieces = [
            "a", "Z", "9", "12", ".", "..", "-", "_", "+", "'", "@", "@@", "example", "org", "c", "com", "x-y",
            "-x", "x-", " ", "\t", "\u{7F}", "(", ",", "%", "~", "a.b", String(repeating: "k", count: 64),
            String(repeating: "d", count: 63), "1.2",
        ]
        var generator = SeededGenerator(seed: 20_261_205)
        var checked = 0
        var accepted = 0
        for _ in 0..<40_000 {
            func some(_ range: ClosedRange<Int>) -> String {
                (0..<Int.random(in: range, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                    .joined()
            }
            // Half shaped like an address (some of them valid), half anything.
            let text =
                Bool.random(using: &generator)
                ? ["a", "x.y", "k", "9"].randomElement(using: &generator)! + some(0...1) + "@"
                    + ["example", "x-y", "a", "mail.example"].randomElement(using: &generator)! + some(0...1) + "."
                    + ["org", "com", "c", "12", "x-"].randomElement(using: &generator)!
                : some(1...7)
            let fast = EmailFormat.isPlainASCIIAddress(text.utf8)
            #expect(fast == (EmailFormat.reason(text) == nil), "\(text.debugDescription)")
            checked += 1
            if fast { accepted += 1 }
        }
        for text in [
            "family@example.org", "a.b+c@mail.example.com", "x@y.co", "x@y.c", "x@1.23", "x@y.23", ".x@y.org",
            "x.@y.org", "x..y@y.org", "x@-y.org", "x@y-.org", "x@y..org", "x@.org", "@y.org", "x@", "x@y",
            "x y@z.org", "x@y.org.", String(repeating: "k", count: 65) + "@y.org",
            "x@" + String(repeating: "d", count: 64) + ".org", "x@y.o-g", "x@y.-og",
        ] {
            #expect(EmailFormat.isPlainASCIIAddress(text.utf8) == (EmailFormat.reason(text) == nil), "\(text)")
        }
        // Non-ASCII addresses are left to the rules.
        #expect(!EmailFormat.isPlainASCIIAddress("josé@example.org".utf8))
        #expect(EmailFormat.problem(in: "josé@example.org") == nil)
        #expect(checked == 40_000 && accepted > 2_000)
    }
}

/// xorshift64*: the same texts on every run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 1 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}
