import Foundation
import Testing

@testable import CaresDocuments

/// The parser behind line/column messages keeps what JSONSerialization loses.
@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONParser.Output {
        try JSONParser.parse(SourceText(Data(text.utf8)))
    }

    @Test func fieldOrderIsKept() throws {
        let root = try parse(#"{"z": 1, "a": 2, "m": 3}"#).root
        #expect(root.objectValue?.members.map(\.key) == ["z", "a", "m"])
    }

    @Test func valuesAndEscapes() throws {
        let root = try parse(
            #"{"s": "a\"b\\c\/d\b\f\n\r\t\u00e9\u4E2D\uD83D\uDE00", "n": -1.5e+3, "t": true, "f": false, "z": null, "l": [1, [], {}]}"#
        ).root
        #expect(root["s"] == .string("a\"b\\c/d\u{8}\u{C}\n\r\té中😀"))
        #expect(root["n"] == .number("-1.5e+3"))
        #expect(root["n"]?.numberValue == -1500)
        #expect(root["t"] == .bool(true) && root["f"] == .bool(false) && root["z"] == .null)
        #expect(root["l"] == .array([.number("1"), .array([]), .object(JSONObject())]))
    }

    @Test func numbersCompareByValueInTheSchema() {
        #expect(JSONValue.number("1").schemaEquals(.number("1.0")))
        #expect(JSONValue.number("1").schemaEquals(.number("1e0")))
        #expect(!JSONValue.number("1").schemaEquals(.string("1")))
    }

    @Test func duplicateKeysKeepTheFirstValueAndTheirPlaces() throws {
        let output = try parse("{\"a\": {\"b\": 1,\n  \"b\": 2}}")
        #expect(output.root["a"]?["b"] == .number("1"))
        #expect(
            output.duplicateKeys == [
                DuplicateKey(
                    path: JSONPath.root.appending("a").appending("b"),
                    key: "b",
                    first: TextPosition(line: 1, column: 8),
                    repeated: TextPosition(line: 2, column: 3)
                )
            ]
        )
    }

    /// Repeated keys are found the same way in a small object (scanned) and a large one (a
    /// table from its 32nd key on), inside lists, with the first value kept.
    @Test func duplicateKeysInSmallAndLargeObjectsInsideLists() throws {
        var fields = (0..<40).map { "\"k\($0)\": \($0)" }
        fields.insert("\"k3\": \"again\"", at: 35)
        fields.insert("\"k37\": \"again\"", at: 39)
        fields.insert("\"k1\": \"early\"", at: 5)
        let text = "[0, {\"big\": {" + fields.joined(separator: ", ") + "}}]"
        let output = try parse(text)
        let big = try #require(output.root.arrayValue?[1]["big"]?.objectValue)
        #expect(big.members.count == 40)
        #expect(big["k3"] == .number("3") && big["k37"] == .number("37") && big["k1"] == .number("1"))
        #expect(output.duplicateKeys.map(\.key) == ["k1", "k3", "k37"])
        #expect(output.duplicateKeys.allSatisfy { $0.path.description == "[1].big.\($0.key)" })
        let bytes = Array(text.utf8)
        for duplicate in output.duplicateKeys {
            // The first sighting is where the key was first written, the repeat after it.
            let key = Array("\"\(duplicate.key)\"".utf8)
            let first = (0...(bytes.count - key.count)).first { bytes[$0..<$0 + key.count].elementsEqual(key) }!
            #expect(duplicate.first == TextPosition(line: 1, column: first + 1))
            #expect(duplicate.repeated.column > duplicate.first.column)
        }
        let strings = try parse(#"["plain", "esc\"aped", "", "\u00e9t\u00e9", "tab\there"]"#).root
        #expect(
            strings
                == .array([.string("plain"), .string("esc\"aped"), .string(""), .string("été"), .string("tab\there")])
        )
        #expect(throws: JSONSyntaxError.self) { try parse("[\"a\u{1}b\"]") }
        #expect(throws: JSONSyntaxError.self) { try parse(#"["never closed]"#) }
    }

    @Test func pathsPrintAsTheBriefShowsThem() {
        let path = JSONPath.root.appending("careTeam").appending(2).appending("contact").appending("email")
        #expect(path.description == "careTeam[2].contact.email")
        #expect(JSONPath.root.description == "")
        #expect(JSONPath.root.appending("a b").appending(0).description == #"["a b"][0]"#)
        #expect(JSONPath.root.appending("x").appending("\u{202E}q\"").description == #"x["\u202Eq\""]"#)
    }
}
