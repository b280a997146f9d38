import Foundation

/// Stage 1 of a paragraph (collect and clean up): the spans' text as one array of Unicode
/// scalars ready for layout, with the span each scalar came from.
struct CollectedText {
    /// The paragraph's scalars, sanitized (see `Sanitize.scalars(of:)`).
    var scalars: [UInt32]
    /// For each scalar, the index of its span in `styles` and `languages`.
    var spanOfScalar: [Int]
    /// The style of each span.
    var styles: [TextStyle]
    /// The language of each span: its own, or the paragraph's.
    var languages: [String]

    init(spans: [(text: String, style: TextStyle)], language: String) {
        var scalars: [UInt32] = []
        var spanOfScalar: [Int] = []
        for (spanIndex, span) in spans.enumerated() {
            let clean = Sanitize.scalars(of: span.text)
            scalars.append(contentsOf: clean)
            spanOfScalar.append(contentsOf: repeatElement(spanIndex, count: clean.count))
        }
        self.scalars = scalars
        self.spanOfScalar = spanOfScalar
        styles = spans.map { $0.style }
        languages = styles.map { $0.language ?? language }
    }

    var isEmpty: Bool { scalars.isEmpty }
}

/// Clean-up of text before layout.
enum Sanitize {
    /// Turns text into scalars: control characters dropped, tabs to spaces, CR LF, CR and the
    /// line and paragraph separators to forced breaks (LF), noncharacters to U+FFFD.
    static func scalars(of text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.unicodeScalars.count)
        var previousWasCR = false
        for unicodeScalar in text.unicodeScalars {
            let value = unicodeScalar.value
            switch value {
            case 0x0D:
                out.append(0x0A)
                previousWasCR = true
                continue
            case 0x0A:
                if !previousWasCR { out.append(0x0A) }
            case 0x2028, 0x2029, 0x0B, 0x0C, 0x85: out.append(0x0A)
            case 0x09: out.append(0x20)
            case 0x00...0x1F, 0x7F...0x9F: break
            // Noncharacters are not text (and Cairo rejects them as invalid UTF-8).
            case 0xFDD0...0xFDEF: out.append(0xFFFD)
            case _ where value & 0xFFFE == 0xFFFE: out.append(0xFFFD)
            default: out.append(value)
            }
            previousWasCR = false
        }
        return out
    }
}
