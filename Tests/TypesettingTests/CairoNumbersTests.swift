import CCairoNumbers
import Foundation
import Specimens
import Testing

@testable import Typesetting

/// Cairo's numbers are formatted by `ccairo_numbers.c` instead of glibc's printf_fp: the same
/// characters for every value, and in effect in this binary.
@Suite struct CairoNumbersTests {
    static func glibc(_ precision: Int, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        _ = withVaList([Int32(precision), value]) { vsnprintf(&buffer, 128, "%.*f", $0) }
        return String(cString: buffer)
    }

    static func ours(_ precision: Int, _ value: Double) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        guard cd_format_fixed(&buffer, 128, Int32(precision), value) >= 0 else { return nil }
        return String(cString: buffer)
    }

    @Test func sameCharactersAsGlibc() {
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -0.5, 0.125, 0.375, 1e-7, -1e-7, 0.1, 0.2, 0.3, 1e-300, 5e-324]
        for k in -20...14 {
            let p = pow(10.0, Double(k))
            values += [p, p.nextUp, p.nextDown, -p, p * 0.5, p * 1.5]
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            // Random bit patterns in the range Cairo writes (|x| < 10^15), and random "PDF
            // coordinates" with ties at every precision.
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            let x = Double(bitPattern: bits)
            if x.isFinite, abs(x) < 1e15 { values.append(x) }
            values.append(Double(Int.random(in: -2_000_000...2_000_000, using: &generator)) / 1_024)
            values.append(Double.random(in: -1_000...1_000, using: &generator))
        }
        var checked = 0
        for value in values {
            for precision in [0, 1, 3, 6, 9, 18] {
                guard let ours = Self.ours(precision, value) else {
                    Issue.record("left to glibc: \(value) at \(precision)")
                    continue
                }
                let theirs = Self.glibc(precision, value)
                if ours != theirs {
                    Issue.record("\(value.bitPattern) at %.\(precision)f: \(ours) vs glibc \(theirs)")
                    return
                }
                checked += 1
            }
        }
        #expect(checked > 1_000_000)
        // Left to glibc: not finite, too large, precision beyond 18.
        #expect(Self.ours(6, .infinity) == nil && Self.ours(6, .nan) == nil && Self.ours(6, 1e16) == nil)
        #expect(Self.ours(19, 1) == nil)
    }

    /// A render's numbers go through the fast path (the override reaches Cairo in this binary),
    /// and the file is the one glibc's numbers gave (the text and structure tests guard it too).
    @Test func cairosNumbersGoThroughIt() throws {
        let before = cd_fast_number_formats()
        let pdf = try Engine().render(BenchmarkDocuments.letter(language: "ar")).pdf
        #expect(cd_fast_number_formats() > before)
        #expect(try !extractText(pdf).isEmpty)
    }
}
