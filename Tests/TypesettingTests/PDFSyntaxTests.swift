import Foundation
import Testing

@testable import Typesetting

/// The post-processor's PDF object reader (`PDFValueParser`): references, numbers kept as
/// written, and the tokens that look like a reference's start but are not one.
@Suite struct PDFSyntaxTests {
    static func parse(_ text: String) throws -> PDFValue {
        var parser = PDFValueParser(Array(text.utf8))
        return try parser.value()
    }

    @Test func referencesAndNumbers() throws {
        #expect(try Self.parse("12 0 R") == .ref(12))
        #expect(try Self.parse("12 3 R") == .ref(12))
        #expect(try Self.parse("12 -1 R") == .number("12"))
        #expect(try Self.parse("  7\n0\r\nR>>") == .ref(7))
        #expect(try Self.parse("12 0 obj") == .number("12"))
        #expect(try Self.parse("12") == .number("12"))
        #expect(try Self.parse("12 0") == .number("12"))
        #expect(try Self.parse("-3 0 R") == .number("-3"))
        #expect(try Self.parse("+4 0 R") == .number("+4"))
        #expect(try Self.parse("0.92") == .number("0.92"))
        #expect(try Self.parse("12.5 0 R") == .number("12.5"))
        #expect(try Self.parse("12 0 Rx") == .number("12"))
        // Longer than an Int: kept as written, never a reference.
        #expect(try Self.parse("123456789012345678901234 0 R") == .number("123456789012345678901234"))
        #expect(try Self.parse("[1 0 R 2 0 R 3]") == .array([.ref(1), .ref(2), .number("3")]))
        #expect(try Self.parse("[1 2 3 0 R]") == .array([.number("1"), .number("2"), .ref(3)]))
        #expect(
            try Self.parse("[5 0 R/Name(str)<AB>true null]")
                == .array([
                    .ref(5), .name("Name"), .string(Array("(str)".utf8)), .string(Array("<AB>".utf8)), .bool(true),
                    .null,
                ])
        )
    }

    @Test func dictionariesKeepTheirOrderAndWriteBack() throws {
        let text = "<< /Type /StructElem /S /P /P 4 0 R /K [ 0 1 << /Type /MCR /Pg 9 0 R /MCID 2 >> ] /Pg 9 0 R >>"
        let value = try Self.parse(text)
        guard case .dictionary(let dictionary) = value else {
            Issue.record("not a dictionary")
            return
        }
        #expect(dictionary.entries.map(\.key) == ["Type", "S", "P", "K", "Pg"])
        #expect(dictionary["P"] == .ref(4))
        #expect(dictionary["K"]?.elements.count == 3)
        // Written back and read again: the same value.
        #expect(try Self.parse(value.serialized) == value)
    }

    @Test func malformedObjectsAreErrors() {
        for text in ["", "[1 0 R", "<< /A 1", "(open", ")"] {
            #expect(throws: TypesettingError.self, "\(text)") { try Self.parse(text) }
        }
    }

    /// A structure element whose only change is its parent is written as Cairo wrote it with the
    /// `/P` reference changed: not `/Pg`, not a name `/P` (the role), not a key ending in P.
    @Test func aParentReferenceIsReplacedInPlace() throws {
        func replaced(_ text: String, _ parent: Int) -> String? {
            var out: [UInt8] = []
            let bytes = Array(text.utf8)
            guard PDFPostProcessor.appendReplacingParent(bytes[...], parent: parent, to: &out) else { return nil }
            return String(decoding: out, as: UTF8.self)
        }
        let written = "12 0 obj\n<< /Type /StructElem\n   /S /P\n   /Pg 5 0 R\n   /P 11 0 R\n   /K 3\n>>\nendobj\n"
        let expected = "12 0 obj\n<< /Type /StructElem\n   /S /P\n   /Pg 5 0 R\n   /P 1234 0 R\n   /K 3\n>>\nendobj\n"
        #expect(replaced(written, 1234) == expected)
        // The value parses back with only /P changed.
        var parser = PDFValueParser(Array(expected.utf8), from: 9)
        let dictionary = try #require(try parser.value().dictionaryValue)
        #expect(dictionary["P"] == .ref(1234) && dictionary["Pg"] == .ref(5) && dictionary["S"] == .name("P"))
        #expect(replaced("1 0 obj\n<< /S /P /Pg 5 0 R /K 3 >>\nendobj\n", 9) == nil)
        #expect(
            replaced("1 0 obj\n<< /XP 4 0 R /P 7 0 R >>\nendobj\n", 9) == "1 0 obj\n<< /XP 4 0 R /P 9 0 R >>\nendobj\n"
        )
        #expect(
            replaced("1 0 obj\n<< /P 7 1 R /P 8 0 R >>\nendobj\n", 2) == "1 0 obj\n<< /P 7 1 R /P 2 0 R >>\nendobj\n"
        )
        #expect(replaced("<< /P 7", 2) == nil)
    }
}
