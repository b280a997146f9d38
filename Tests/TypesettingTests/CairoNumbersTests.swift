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

    /// Integers in every format Cairo writes (and a few more): the same characters and the same
    /// return value as glibc, truncated the same way into a short buffer; other formats are left
    /// to glibc.
    @Test func integersAsGlibcWritesThem() {
        func compare(_ format: String, _ arguments: [CVarArg], size: Int = 96) -> Bool {
            var ours = [CChar](repeating: 0x7F, count: 100)
            var theirs = [CChar](repeating: 0x7F, count: 100)
            let written = withVaList(arguments) { cd_format_integer(&ours, size, format, $0) }
            let expected = withVaList(arguments) { vsnprintf(&theirs, size, format, $0) }
            guard written >= 0 else {
                Issue.record("left to glibc: \(format) \(arguments)")
                return false
            }
            if written != expected || ours != theirs {
                Issue.record(
                    "\(format) \(arguments): \(String(cString: ours)) (\(written)) vs glibc \(String(cString: theirs)) (\(expected))"
                )
                return false
            }
            return true
        }
        var generator = SystemRandomNumberGenerator()
        var ints: [Int32] = [
            0, 1, -1, 9, 10, 15, 16, 255, 256, 4095, 65535, 65536, Int32.max, Int32.min, Int32.min + 1,
        ]
        var longs: [Int] = [0, 1, -1, 9_999_999_999, -9_999_999_999, Int.max, Int.min, Int.min + 1]
        for _ in 0..<20_000 {
            ints.append(Int32.random(in: Int32.min...Int32.max, using: &generator))
            ints.append(Int32.random(in: -70_000...70_000, using: &generator))
            longs.append(Int.random(in: Int.min...Int.max, using: &generator))
            longs.append(Int.random(in: -10_000_000_000...10_000_000_000, using: &generator))
        }
        var checked = 0
        for value in ints {
            for format in ["%d", "%u", "%x", "%X", "%o", "%02x", "%04x", "%04X", "%03o", "%5d", "%08d", "%1d"] {
                guard compare(format, [value]) else { return }
                checked += 1
            }
            for width in [0, 1, 2, 4, 8, 17] {
                guard compare("%0*x", [Int32(width), value]), compare("%*d", [Int32(width), value]) else { return }
                checked += 2
            }
        }
        for value in longs {
            for format in ["%ld", "%lu", "%010ld", "%lx", "%lX", "%lo", "%020ld"] {
                guard compare(format, [value]) else { return }
                checked += 1
            }
        }
        // Truncated into a short buffer: the characters that fit, and the full length returned.
        for size in [0, 1, 2, 3, 5] {
            guard compare("%010ld", [-123_456], size: size), compare("%04x", [Int32(0xBEEF)], size: size) else {
                return
            }
        }
        #expect(checked > 500_000)
        // Not integers, not one conversion, flags other than 0, a negative `*` width: glibc's.
        for (format, arguments) in [
            ("%f", [1.5] as [CVarArg]), ("%s", ["x"]), ("%d-%d", [Int32(1), Int32(2)]), ("CairoFont-%d", [Int32(1)]),
            ("%-5d", [Int32(1)]), ("%+d", [Int32(1)]), ("% d", [Int32(1)]), ("%#x", [Int32(1)]), ("%.3d", [Int32(1)]),
            ("%hd", [Int32(1)]), ("%lld", [1]), ("%*d", [Int32(-4), Int32(1)]), ("%c", [Int32(65)]),
        ] {
            var buffer = [CChar](repeating: 0, count: 64)
            #expect(withVaList(arguments) { cd_format_integer(&buffer, 64, format, $0) } == -1, "\(format)")
        }
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
