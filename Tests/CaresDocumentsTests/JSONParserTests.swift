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

    @Test func pathsPrintAsTheBriefShowsThem() {
        let path = JSONPath.root.appending("careTeam").appending(2).appending("contact").appending("email")
        #expect(path.description == "careTeam[2].contact.email")
        #expect(JSONPath.root.description == "")
        #expect(JSONPath.root.appending("a b").appending(0).description == #"["a b"][0]"#)
        #expect(JSONPath.root.appending("x").appending("\u{202E}q\"").description == #"x["\u202Eq\""]"#)
    }
}
