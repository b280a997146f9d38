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
        for (_, iterator) in lineIterators { cd_break_close(iterator) }
        if let charIterator { cd_break_close(charIterator) }
    }

    // MARK: Script

    static let common: Int32 = 0, inherited: Int32 = 1, latin: Int32 = 25, unknown: Int32 = 103

    /// ICU script code of a scalar (ASCII without a call into ICU).
    func scriptCode(of scalar: UInt32) -> Int32 {
        if scalar < 0x80 {
            let isLetter = (scalar >= 0x41 && scalar <= 0x5A) || (scalar >= 0x61 && scalar <= 0x7A)
            return isLetter ? Self.latin : Self.common
        }
        return cd_script_code(scalar)
    }

    /// ISO 15924 name of an ICU script code ("Latn", "Arab", "Zyyy" common, "Zinh" inherited).
    func scriptName(_ code: Int32) -> String {
        if let known = scriptNames[code] { return known }
        let name = String(cString: cd_script_name_for_code(code))
        scriptNames[code] = name
        return name
    }

    /// Script per scalar with Common and Inherited characters resolved to their neighbours', so
    /// spaces and punctuation stay in the run of the text around them.
    func resolvedScripts(_ scalars: [UInt32]) -> [Int32] {
        var out = scalars.map { scriptCode(of: $0) }
        func isReal(_ code: Int32) -> Bool { code != Self.common && code != Self.inherited && code != Self.unknown }
        var lastReal: Int32? = nil
        for i in out.indices {
            if isReal(out[i]) { lastReal = out[i] } else if let lastReal { out[i] = lastReal }
        }
        // Leading common characters take the first real script.
        if let firstReal = out.firstIndex(where: isReal) {
            for i in 0..<firstReal { out[i] = out[firstReal] }
        } else {
            for i in out.indices { out[i] = Self.latin }
        }
        return out
    }

    static func isMark(_ scalar: UInt32) -> Bool { cd_is_mark(scalar) != 0 }

    /// Characters that belong to the cluster before them: marks, joiners, variation selectors.
    static func joinsPrevious(_ scalar: UInt32) -> Bool {
        if scalar == 0x200D || scalar == 0x200C { return true }
        if (0xFE00...0xFE0F).contains(scalar) || (0xE0100...0xE01EF).contains(scalar) { return true }
        if (0x1F3FB...0x1F3FF).contains(scalar) { return true }
        return isMark(scalar)
    }

    /// Invisible format characters that need no glyph (bidi controls, joiners, soft hyphen).
    static func isDefaultIgnorable(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x200B...0x200F,
            0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
            0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    static func isWhitespace(_ scalar: UInt32) -> Bool {
        scalar == 0x20 || scalar == 0x09 || scalar == 0x3000 || (0x2000...0x200A).contains(scalar) || scalar == 0x1680
            || scalar == 0x205F
    }

    // MARK: Bidi

    /// Embedding levels (FriBidi, UAX #9) and the resolved paragraph level.
    func bidiLevels(_ scalars: [UInt32], base: Direction) -> (levels: [UInt8], rtl: Bool) {
        let count = scalars.count
        var parType: FriBidiParType
        switch base {
        case .ltr: parType = cd_fribidi_par_ltr()
        case .rtl: parType = cd_fribidi_par_rtl()
        case .auto, .firstStrong: parType = cd_fribidi_par_on()
        }
        guard count > 0 else { return ([], base == .rtl) }
        // A paragraph with nothing right-to-left in it and an LTR base is all level 0.
        if base != .rtl && !scalars.contains(where: { Self.mayBeRTL($0) }) {
            return ([UInt8](repeating: 0, count: count), false)
        }
        var types = [FriBidiCharType](repeating: FriBidiCharType(0), count: count)
        var brackets = [FriBidiBracketType](repeating: 0, count: count)
        var levels = [FriBidiLevel](repeating: 0, count: count)
        let length = FriBidiStrIndex(count)
        let maxLevel: FriBidiLevel = scalars.withUnsafeBufferPointer { text in
            fribidi_get_bidi_types(text.baseAddress, length, &types)
            fribidi_get_bracket_types(text.baseAddress, length, types, &brackets)
            return fribidi_get_par_embedding_levels_ex(types, brackets, length, &parType, &levels)
        }
        let rtl = parType == cd_fribidi_par_rtl()
        if maxLevel == 0 {
            return ([UInt8](repeating: rtl ? 1 : 0, count: count), rtl)
        }
        return (levels.map { UInt8(bitPattern: $0) }, rtl)
    }

    /// The direction of a first-strong paragraph (`Direction.firstStrong`): FriBidi's paragraph
    /// level with a weak paragraph type (P2–P3: the first strong character outside isolates,
    /// else `fallback`). A first-strong isolate at the paragraph's own level (a passage the view
    /// model isolated) stands for its content, so its first strong character counts: the
    /// paragraph is the isolate. Left-to-right and right-to-left isolates (phone numbers, ids)
    /// stay opaque.
    func firstStrongDirection(_ scalars: [UInt32], fallback: Direction) -> Direction {
        let fallbackRTL = fallback == .rtl
        guard !scalars.isEmpty else { return fallbackRTL ? .rtl : .ltr }
        // Drop first-strong isolates at depth 0 with their matching PDI, so what they hold is
        // at the paragraph's level.
        var unwrapped: [UInt32] = []
        unwrapped.reserveCapacity(scalars.count)
        var stack: [Bool] = []  // for each open isolate: is it kept (not a dropped FSI)?
        for scalar in scalars {
            switch scalar {
            case 0x2066, 0x2067, 0x2068:
                let drop = scalar == 0x2068 && !stack.contains(true)
                stack.append(!drop)
                if !drop { unwrapped.append(scalar) }
            case 0x2069:
                if let kept = stack.popLast() {
                    if kept { unwrapped.append(scalar) }
                } else {
                    unwrapped.append(scalar)
                }
            default:
                unwrapped.append(scalar)
            }
        }
        let count = unwrapped.count
        guard count > 0 else { return fallbackRTL ? .rtl : .ltr }
        var parType = fallbackRTL ? cd_fribidi_par_wrtl() : cd_fribidi_par_wltr()
        var types = [FriBidiCharType](repeating: FriBidiCharType(0), count: count)
        var brackets = [FriBidiBracketType](repeating: 0, count: count)
        var levels = [FriBidiLevel](repeating: 0, count: count)
        let length = FriBidiStrIndex(count)
        unwrapped.withUnsafeBufferPointer { text in
            fribidi_get_bidi_types(text.baseAddress, length, &types)
            fribidi_get_bracket_types(text.baseAddress, length, types, &brackets)
            _ = fribidi_get_par_embedding_levels_ex(types, brackets, length, &parType, &levels)
        }
        // With no strong character FriBidi leaves the weak type as it was.
        return parType == cd_fribidi_par_rtl() || parType == cd_fribidi_par_wrtl() ? .rtl : .ltr
    }

    private static func mayBeRTL(_ scalar: UInt32) -> Bool {
        (0x0590...0x08FF).contains(scalar) || (0xFB1D...0xFDFF).contains(scalar) || (0xFE70...0xFEFF).contains(scalar)
            || (0x10800...0x10FFF).contains(scalar) || (0x1E800...0x1EFFF).contains(scalar)
            || (0x202A...0x202E).contains(scalar) || (0x2066...0x2069).contains(scalar) || scalar == 0x200F
            || scalar == 0x061C
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
        let count = scalars.count
        var allowed = [Bool](repeating: false, count: count + 1)
        var mandatory = [Bool](repeating: false, count: count + 1)
        guard count > 0 else { return (allowed, mandatory) }
        guard let iterator = lineIterator(locale: locale) else {
            // No iterator: break at spaces only.
            for i in 1...count where UnicodeServices.isWhitespace(scalars[i - 1]) { allowed[i] = true }
            allowed[count] = true
            return (allowed, mandatory)
        }
        let status = utf16.withUnsafeBufferPointer {
            cd_break_set_text(iterator, $0.baseAddress, Int32(utf16.count))
        }
        guard status == 0 else {
            allowed[count] = true
            return (allowed, mandatory)
        }
        forEachBoundary(iterator, utf16ToScalar: utf16ToScalar, count: count) { scalarOffset in
            allowed[scalarOffset] = true
            if cd_break_is_hard(iterator) != 0 { mandatory[scalarOffset] = true }
        }
        allowed[count] = true
        return (allowed, mandatory)
    }

    /// ICU's line break iterator for a locale, opened once.
    /// Kept by the tag as asked ("km-KH"), so a look-up makes no string.
    private func lineIterator(locale: String) -> OpaquePointer? {
        if let cached = lineIterators[locale] { return cached }
        let iterator = cd_break_open(0, locale.replacingOccurrences(of: "-", with: "_"))
        if let iterator { lineIterators[locale] = iterator }
        return iterator
    }

    /// Calls `body` with the scalar offset of each boundary after the first, then detaches the
    /// iterator from the text.
    private func forEachBoundary(
        _ iterator: OpaquePointer,
        utf16ToScalar: [Int],
        count: Int,
        _ body: (Int) -> Void
    ) {
        _ = cd_break_first(iterator)
        while true {
            let position = cd_break_next(iterator)
            if position < 0 { break }
            body(Int(position) < utf16ToScalar.count ? utf16ToScalar[Int(position)] : count)
        }
        _ = cd_break_set_text(iterator, nil, 0)
    }

    /// Grapheme cluster boundaries as scalar offsets (for breaking a word longer than a line).
    func graphemeBoundaries(utf16: [UInt16], utf16ToScalar: [Int], count: Int) -> [Bool] {
        var boundaries = [Bool](repeating: false, count: count + 1)
        boundaries[0] = true
        boundaries[count] = true
        if charIterator == nil { charIterator = cd_break_open(1, "") }
        guard let iterator = charIterator,
            utf16.withUnsafeBufferPointer({ cd_break_set_text(iterator, $0.baseAddress, Int32(utf16.count)) }) == 0
        else {
            for i in 0...count { boundaries[i] = true }
            return boundaries
        }
        forEachBoundary(iterator, utf16ToScalar: utf16ToScalar, count: count) { boundaries[$0] = true }
        return boundaries
    }
}
