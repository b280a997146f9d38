import Templating

/// The record passages a copy prints (translatable texts, `LocalizedText`) and what could not be
/// printed in the copy's language.
///
/// Every translatable field a view model prints goes through `passage(_:_:)` with its JSON path:
/// the copy's text comes from the `ContentResolver`; an untranslated passage is logged (an
/// official copy of a version 2 record is then refused, one problem per path) and printed in
/// the source language — marked in the locale's words on a proof.
final class PassageLog {
    private(set) var untranslated: [String] = []
    private var seen: Set<String> = []

    func add(_ path: String) {
        if seen.insert(path).inserted { untranslated.append(path) }
    }
}

extension ViewModel {
    /// The passage in this copy's language, isolated for bidi (`own(_:)`); `nil` when absent or
    /// blank. Without a text in the copy's language: the source text, logged as untranslated,
    /// and marked on a proof.
    func passage(_ text: LocalizedText?, _ path: @autoclosure () -> String) -> String? {
        guard let text else { return nil }
        let source = content.source(text) ?? text.anyText
        guard nonBlank(source) != nil else { return nil }
        if let resolved = content.text(text) { return own(resolved) }
        passages.add(path())
        guard options.proof, let marked = try? self.text("proof.untranslated", ["text": source]) else {
            return own(source)
        }
        return own(marked)
    }

    /// Each non-blank passage of a list, with its index in the path.
    func passages(_ list: [LocalizedText]?, _ path: String) -> [String] {
        (list ?? []).enumerated().compactMap { i, text in passage(text, "\(path)[\(i)]") }
    }

    /// Record content that stands alone (a paragraph, list item or table cell) takes its
    /// direction from its own first strong character and is isolated from what surrounds it
    /// (HTML's `dir="auto"`), by a first-strong isolate: an English passage in an Arabic copy
    /// reads left to right with its period at its end, "18 units" keeps its order. Left as it
    /// is in a left-to-right copy when it holds nothing right-to-left (the output is unchanged).
    func own(_ s: String) -> String {
        guard catalog.isRightToLeft || s.unicodeScalars.contains(where: Self.isRightToLeft) else { return s }
        return Self.fsi(s)
    }

    /// Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation
    /// forms) and the right-to-left controls.
    static func isRightToLeft(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF,
            0x200F, 0x202B, 0x202E, 0x2067:
            true
        default: false
        }
    }

    /// The index of a team member in `careTeam` (ids are unique), for paths.
    func teamIndex(_ member: TeamMember) -> Int {
        record.careTeam?.firstIndex { $0.id == member.id } ?? 0
    }

    // MARK: Proof copies

    /// "PROOF — NOT FOR MAILING" in the copy's language and in English (once for English).
    func proofLine() throws -> String? {
        guard options.proof else { return nil }
        let english = ViewModel.englishProofLine
        let own = try text("proof.line")
        return own == english ? english : "\(own) · \(english)"
    }

    static let englishProofLine = "PROOF — NOT FOR MAILING"

    /// The frame values every template shares for a proof: the footer line, the PDF title and
    /// keywords that say so.
    func proofFrame(_ m: inout [String: Any], title: String, keywords: String) throws {
        m["docTitle"] = title
        m["keywords"] = keywords
        guard let line = try proofLine() else { return }
        m["proofLine"] = line
        m["docTitle"] = "\(Self.englishProofLine): \(title)"
        m["keywords"] = keywords + ", proof: true"
    }
}
