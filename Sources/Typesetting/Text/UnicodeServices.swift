import CFriBidi
import CICUShim
import Foundation

/// Unicode properties, bidi levels and break opportunities for a paragraph, from ICU and
/// FriBidi. One instance per engine: the ICU break iterators are cached per locale.
final class UnicodeServices {
    private var lineIterators: [String: OpaquePointer] = [:]
    private var charIterator: OpaquePointer?
    private var scriptNames: [Int32: String] = [:]

    deinit {
        for (_, it) in lineIterators { cd_break_close(it) }
        if let charIterator { cd_break_close(charIterator) }
    }

    // MARK: Script

    /// ISO 15924 code of the scalar's script ("Latn", "Arab", "Zyyy" common, "Zinh" inherited).
    func script(of scalar: UInt32) -> String {
        let code = cd_script_code(scalar)
        if let n = scriptNames[code] { return n }
        let name = String(cString: cd_script_name_for_code(code))
        scriptNames[code] = name
        return name
    }

    static let common: Int32 = 0, inherited: Int32 = 1, latin: Int32 = 25, unknown: Int32 = 103

    /// ICU script code of a scalar (ASCII without a call into ICU).
    func scriptCode(of scalar: UInt32) -> Int32 {
        if scalar < 0x80 {
            let isLetter = (scalar >= 0x41 && scalar <= 0x5A) || (scalar >= 0x61 && scalar <= 0x7A)
            return isLetter ? Self.latin : Self.common
        }
        return cd_script_code(scalar)
    }

    /// ISO 15924 name of an ICU script code.
    func scriptName(_ code: Int32) -> String {
        if let n = scriptNames[code] { return n }
        let name = String(cString: cd_script_name_for_code(code))
        scriptNames[code] = name
        return name
    }

    /// Script per scalar with Common and Inherited characters resolved to their neighbours', so
    /// spaces and punctuation stay in the run of the text around them.
    func resolvedScripts(_ scalars: [UInt32]) -> [Int32] {
        var out = scalars.map { scriptCode(of: $0) }
        func isReal(_ c: Int32) -> Bool { c != Self.common && c != Self.inherited && c != Self.unknown }
        var last: Int32? = nil
        for i in out.indices {
            if isReal(out[i]) { last = out[i] } else if let last { out[i] = last }
        }
        // Leading common characters take the first real script.
        if let firstReal = out.firstIndex(where: isReal) {
            for i in 0..<firstReal { out[i] = out[firstReal] }
        } else {
            for i in out.indices { out[i] = Self.latin }
        }
        return out
    }

    static func isMark(_ s: UInt32) -> Bool { cd_is_mark(s) != 0 }

    /// Characters that belong to the cluster before them: marks, joiners, variation selectors.
    static func joinsPrevious(_ s: UInt32) -> Bool {
        if s == 0x200D || s == 0x200C { return true }
        if (0xFE00...0xFE0F).contains(s) || (0xE0100...0xE01EF).contains(s) { return true }
        if (0x1F3FB...0x1F3FF).contains(s) { return true }
        return isMark(s)
    }

    /// Invisible format characters that need no glyph (bidi controls, joiners, soft hyphen).
    static func isDefaultIgnorable(_ s: UInt32) -> Bool {
        switch s {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x200B...0x200F,
            0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
            0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    static func isWhitespace(_ s: UInt32) -> Bool {
        s == 0x20 || s == 0x09 || s == 0x3000 || (0x2000...0x200A).contains(s) || s == 0x1680 || s == 0x205F
    }

    // MARK: Bidi

    /// Embedding levels (FriBidi, UAX #9) and the resolved paragraph level.
    func bidiLevels(_ scalars: [UInt32], base: Direction) -> (levels: [UInt8], rtl: Bool) {
        let n = scalars.count
        var parType: FriBidiParType
        switch base {
        case .ltr: parType = cd_fribidi_par_ltr()
        case .rtl: parType = cd_fribidi_par_rtl()
        case .auto: parType = cd_fribidi_par_on()
        }
        guard n > 0 else { return ([], base == .rtl) }
        // A paragraph with nothing right-to-left in it and an LTR base is all level 0.
        if base != .rtl && !scalars.contains(where: { Self.mayBeRTL($0) }) {
            return ([UInt8](repeating: 0, count: n), false)
        }
        var types = [FriBidiCharType](repeating: FriBidiCharType(0), count: n)
        var brackets = [FriBidiBracketType](repeating: 0, count: n)
        var levels = [FriBidiLevel](repeating: 0, count: n)
        let maxLevel: FriBidiLevel = scalars.withUnsafeBufferPointer { str in
            fribidi_get_bidi_types(str.baseAddress, FriBidiStrIndex(n), &types)
            fribidi_get_bracket_types(str.baseAddress, FriBidiStrIndex(n), types, &brackets)
            return fribidi_get_par_embedding_levels_ex(types, brackets, FriBidiStrIndex(n), &parType, &levels)
        }
        let rtl = parType == cd_fribidi_par_rtl()
        if maxLevel == 0 {
            return ([UInt8](repeating: rtl ? 1 : 0, count: n), rtl)
        }
        return (levels.map { UInt8(bitPattern: $0) }, rtl)
    }

    private static func mayBeRTL(_ s: UInt32) -> Bool {
        (0x0590...0x08FF).contains(s) || (0xFB1D...0xFDFF).contains(s) || (0xFE70...0xFEFF).contains(s)
            || (0x10800...0x10FFF).contains(s) || (0x1E800...0x1EFFF).contains(s)
            || (0x202A...0x202E).contains(s) || (0x2066...0x2069).contains(s) || s == 0x200F || s == 0x061C
    }

    // MARK: Breaks

    /// Line break opportunities (UAX #14 with dictionaries for Khmer, Lao, Thai, Myanmar) as
    /// scalar offsets: `allowed[i]` = a line may start at scalar i; `mandatory[i]` = it must.
    func lineBreaks(
        _ scalars: [UInt32],
        utf16: [UInt16],
        utf16ToScalar: [Int],
        locale: String
    ) -> (allowed: [Bool], mandatory: [Bool]) {
        let n = scalars.count
        var allowed = [Bool](repeating: false, count: n + 1)
        var mandatory = [Bool](repeating: false, count: n + 1)
        guard n > 0 else { return (allowed, mandatory) }
        let icuLocale = locale.replacingOccurrences(of: "-", with: "_")
        var iterator = lineIterators[icuLocale]
        if iterator == nil {
            iterator = cd_break_open(0, icuLocale)
            if let iterator { lineIterators[icuLocale] = iterator }
        }
        guard let it = iterator else {
            // No iterator: break at spaces only.
            for i in 1...n where UnicodeServices.isWhitespace(scalars[i - 1]) { allowed[i] = true }
            allowed[n] = true
            return (allowed, mandatory)
        }
        let ok = utf16.withUnsafeBufferPointer { cd_break_set_text(it, $0.baseAddress, Int32(utf16.count)) }
        guard ok == 0 else {
            allowed[n] = true
            return (allowed, mandatory)
        }
        _ = cd_break_first(it)
        while true {
            let pos = cd_break_next(it)
            if pos < 0 { break }
            let s = Int(pos) < utf16ToScalar.count ? utf16ToScalar[Int(pos)] : n
            allowed[s] = true
            if cd_break_is_hard(it) != 0 { mandatory[s] = true }
        }
        _ = cd_break_set_text(it, nil, 0)
        allowed[n] = true
        return (allowed, mandatory)
    }

    /// Grapheme cluster boundaries as scalar offsets (for breaking a word longer than a line).
    func graphemeBoundaries(utf16: [UInt16], utf16ToScalar: [Int], count n: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: n + 1)
        out[0] = true
        out[n] = true
        if charIterator == nil { charIterator = cd_break_open(1, "") }
        guard let it = charIterator,
            utf16.withUnsafeBufferPointer({ cd_break_set_text(it, $0.baseAddress, Int32(utf16.count)) }) == 0
        else {
            for i in 0...n { out[i] = true }
            return out
        }
        _ = cd_break_first(it)
        while true {
            let pos = cd_break_next(it)
            if pos < 0 { break }
            let s = Int(pos) < utf16ToScalar.count ? utf16ToScalar[Int(pos)] : n
            out[s] = true
        }
        _ = cd_break_set_text(it, nil, 0)
        return out
    }
}
