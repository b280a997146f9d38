import Foundation
import Testing

@testable import Templating

/// The template's escaping of record values into markup works on UTF-8 bytes; it must give
/// what the scalar-by-scalar definition gives, for any text (every record value passes here).
@Suite struct MarkupEscapeTests {
    /// The definition: entities for `&<>"'`, CR as LF, tab and LF kept, the characters XML 1.0
    /// does not allow dropped.
    static func reference(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&apos;".unicodeScalars)
            case "\t", "\n": out.append(u)
            case "\r": out.append("\n")
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF || (0x7F...0x9F).contains(u.value) {
                    continue
                }
                out.append(u)
            }
        }
        return String(out)
    }

    @Test func examples() {
        #expect(
            XMLEscape.escape("Rivera & <Ortiz> \"Teo\" O'Brien")
                == "Rivera &amp; &lt;Ortiz&gt; &quot;Teo&quot; O&apos;Brien"
        )
        #expect(
            XMLEscape.escape("a\r\nb\tc\u{1}\u{7F}\u{85}\u{9F}\u{A0}\u{FFFE}\u{FFFF}\u{FFFD}")
                == "a\n\nb\tc\u{A0}\u{FFFD}"
        )
        #expect(XMLEscape.escape("محمد 日本 ក្រុម 😀") == "محمد 日本 ក្រុម 😀")
        #expect(XMLEscape.escape("") == "")
    }

    /// Random strings over the characters that matter (and their UTF-8 neighbours).
    @Test func agreesWithTheDefinitionOnRandomText() {
        let pool: [UInt32] = [
            0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x22, 0x26, 0x27, 0x3C, 0x3E, 0x41, 0x7E, 0x7F, 0x80, 0x85, 0x9F, 0xA0,
            0xBF, 0xC0, 0x627, 0x17A0, 0x200F, 0x2066, 0x4E2D, 0xFEFF, 0xFFBE, 0xFFBF, 0xFFFD, 0xFFFE, 0xFFFF, 0x1F600,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...24, using: &generator)
            var s = String.UnicodeScalarView()
            for _ in 0..<length { s.append(Unicode.Scalar(pool.randomElement(using: &generator)!)!) }
            let text = String(s)
            #expect(XMLEscape.escape(text) == Self.reference(text), "\(text.unicodeScalars.map(\.value))")
        }
    }
}
