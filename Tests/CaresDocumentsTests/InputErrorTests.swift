import Foundation
import Testing

@testable import CaresDocuments

/// Problems with the input as a whole: one problem, for the whole record (empty path).
@Suite struct InputErrorTests {
    private func onlyProblem(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let problems = CareRecordLoader.validate(data: Data(bytes))
        #expect(problems.count == 1, "\(problems)", sourceLocation: sourceLocation)
        #expect(problems.first?.path == "", sourceLocation: sourceLocation)
        return problems.first?.problem ?? ""
    }

    private func onlyProblem(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        onlyProblem(Array(text.utf8), sourceLocation: sourceLocation)
    }

    // MARK: Empty

    @Test func emptyInput() {
        #expect(onlyProblem([]) == "the record is empty")
        #expect(onlyProblem([0xEF, 0xBB, 0xBF]) == "the record is empty")
        #expect(onlyProblem(" \r\n\t ") == "the record is empty: it holds only whitespace")
        guard case .failure(let failure) = CareRecordLoader.load(data: Data()) else {
            Issue.record("empty input loaded")
            return
        }
        #expect(failure.description == "record: the record is empty")
    }

    // MARK: Encoding

    @Test func nonUTF8BytesAreReportedWithTheirOffset() {
        let prefix = Array("{\"member\": \"".utf8)
        let cases: [(bytes: [UInt8], byte: String)] = [
            ([0xE9], "0xE9"),  // Latin-1 é
            ([0xC0, 0xAF], "0xC0"),  // overlong '/'
            ([0xED, 0xA0, 0x80], "0xED"),  // UTF-16 surrogate encoded in UTF-8
            ([0xF4, 0x90, 0x80, 0x80], "0xF4"),  // above U+10FFFF
            ([0xF5], "0xF5"),
            ([0x80], "0x80"),  // lone continuation byte
            ([0xE2, 0x82], "0xE2"),  // truncated € at the end
        ]
        for (bytes, byte) in cases {
            let problem = onlyProblem(prefix + bytes)
            #expect(
                problem.hasPrefix("the record is not UTF-8 text: byte \(byte) at byte offset 12 (line 1, column 13)"),
                "\(problem)"
            )
        }
    }

    @Test func offsetsCountBytesAndColumnsCountCharacters() {
        // "é" and "中" are 2 and 3 bytes; the bad byte is the 24th byte, on line 2, column 9.
        let bytes = Array("{\"a\": \"é中\",\n \"b\": \"x".utf8) + [0xFF] + Array("\"}".utf8)
        let problem = onlyProblem(bytes)
        #expect(problem.contains("byte 0xFF at byte offset 23 (line 2, column 9)"), "\(problem)")
        let sameLine = Array("{\"a\": \"é中".utf8) + [0xFF]
        #expect(onlyProblem(sameLine).contains("at byte offset 12 (line 1, column 10)"))
    }

    @Test func validMultibyteTextIsNotAnEncodingProblem() throws {
        let json = Fixtures.recordJSON(
            member: """
                {"id": "1", "firstName": "Ñandú 𝄞 中文 ខ្មែរ 🧒🏽", "lastName": "عربي", "dateOfBirth": "2016-02-29", "primaryLanguage": "es"}
                """
        )
        #expect(Fixtures.problems(json: json) == [])
    }

    @Test func utf16IsRecognized() throws {
        let withMark = Array(try #require("{}".data(using: .utf16)))  // starts with a byte order mark
        #expect(onlyProblem(withMark).contains("it starts with a UTF-16 byte order mark"))
        let withoutMark = Array(try #require("{}".data(using: .utf16LittleEndian)))
        #expect(
            onlyProblem(withoutMark).contains("NUL byte (0x00) at byte offset 1 (line 1, column 2), as in UTF-16 text")
        )
    }

    @Test func aUTF8ByteOrderMarkIsAllowed() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array(Fixtures.recordJSON().utf8))
        #expect(try Fixtures.load(data).member.firstName == "Ana")
        let broken = [0xEF, 0xBB, 0xBF] + Array("{\n  x".utf8)
        #expect(onlyProblem(broken).contains("line 2, column 3"), "columns start after the byte order mark")
    }

    // MARK: Malformed JSON

    @Test(arguments: [
        (
            "{\"schemaVersion\": 1 \"member\": {}}",
            "line 1, column 21: expected ',' or '}' after the value of 'schemaVersion': is a comma missing"
        ),
        (
            "{\n  'schemaVersion': 1\n}",
            "line 2, column 3: field names must be in double quotes (\"), not single quotes"
        ),
        ("{\"a\": 'x'}", "line 1, column 7: strings must be in double quotes"),
        ("{\n  // note\n  \"a\": 1\n}", "line 2, column 3: expected a field name in double quotes, found '/'"),
        ("{\"a\": /* note */ 1}", "line 1, column 7: comments are not allowed in JSON"),
        ("{\"a\": [1, 2,]}", "line 1, column 13: a comma before ']' is not allowed in JSON (trailing comma)"),
        ("{\"a\" 1}", "line 1, column 6: expected ':' after the field name 'a', found '1'"),
        ("{\"a\": True}", "line 1, column 7: 'True' must be written in lower case: true"),
        ("{\"a\": NaN}", "line 1, column 7: 'NaN' is not a JSON value"),
        ("{\"city\": Lowell}", "line 1, column 10: unexpected word 'Lowell': text must be in double quotes"),
        ("{\"a\": +1}", "line 1, column 7: a number must not start with '+'"),
        ("{\"a\": .5}", "line 1, column 7: a number must start with a digit"),
        ("{\"a\": 1.}", "line 1, column 9: a digit must follow the decimal point"),
        ("{\"a\": 1e}", "line 1, column 9: a digit must follow the exponent"),
        ("{\"a\": -}", "line 1, column 8: '-' must be followed by a digit"),
        (
            "{\"a\": \"tab\there\"}",
            "line 1, column 11: a control character (U+0009) inside a string must be written as an escape, \\u0009"
        ),
        ("{\"a\": \"back\\slash\"}", "line 1, column 12: '\\s' is not a JSON escape"),
        ("{\"a\": \"\\u12G4\"}", "line 1, column 12: \\u must be followed by four hexadecimal digits"),
        ("{\"a\": \"\\uD83D\"}", "line 1, column 8: \\uD83D is the first half of a surrogate pair"),
        ("{\"a\": \"\\uDE00\"}", "line 1, column 8: \\uDE00 is half of a surrogate pair without its first half"),
        ("{\"a\": \"open", "line 1, column 7: this string is never closed"),
        (
            "{\"a\": {\"b\": [1,\n",
            "line 2, column 1: the text ends before the list opened at line 1, column 13 is closed"
        ),
        ("{\"a\": 1", "line 1, column 8: the text ends before the object opened at line 1, column 1 is closed"),
        ("{\"a\":", "line 1, column 6: the text ends where a value was expected"),
        ("{} {}", "line 1, column 4: the record should end here, but '{' follows"),
        ("{}\u{00A0}", "line 1, column 3: the record should end here, but the invisible character U+00A0 follows"),
        ("{\r\n\"a\": 1\r\n\"b\": 2}", "line 3, column 1: expected ',' or '}'"),
        ("{\"name\": \"Zoë\", \"x\": ?}", "line 1, column 22: expected a value"),
    ])
    func malformedJSONSaysLineAndColumn(_ input: String, _ expected: String) {
        let problem = onlyProblem(input)
        #expect(problem.hasPrefix("the record is not valid JSON: " + expected), "\(problem)")
    }

    @Test func foundationAloneWouldNotSayLineAndColumn() {
        // Why the loader has its own parser: JSONSerialization fails too, but on Linux its
        // message gives a character offset, not a line and column.
        let input = Data("{\n \"a\": 1,\n \"b\" 2}".utf8)
        #expect((try? JSONSerialization.jsonObject(with: input)) == nil)
        #expect(onlyProblem(Array(input)).contains("line 3, column 6"))
    }

    @Test func deepNestingIsRefusedWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(onlyProblem("{\"a\": \(deep)").contains("nested more than 100 levels deep"))
        let allowed =
            "{\"schemaVersion\": 1, \"x\": " + String(repeating: "[", count: 99) + String(repeating: "]", count: 99)
            + "}"
        #expect(!Fixtures.problems(json: allowed).contains { $0.path.isEmpty })
    }

    // MARK: Top level

    @Test(arguments: [
        ("[]", "a list"), ("\"record\"", "a string"), ("42", "a number"), ("null", "null"), ("true", "true"),
    ])
    func topLevelMustBeAnObject(_ input: String, _ found: String) {
        #expect(onlyProblem(input) == "the record must be a JSON object ({ ... }), but is \(found)")
    }

    // MARK: Duplicate keys

    @Test func duplicateKeysAreAmbiguous() {
        let json = """
            {"schemaVersion": 1,
             "member": {"id": "1", "firstName": "Ana", "lastName": "Lima", "dateOfBirth": "2016-02-29", "primaryLanguage": "es", "lastName": "Souza"}}
            """
        #expect(
            Fixtures.problems(json: json) == [
                ValidationProblem(
                    path: "member.lastName",
                    problem:
                        "field 'lastName' appears twice in the same object (line 2, column 44 and line 2, column 118): the record is ambiguous, keep only one"
                )
            ]
        )
    }

    @Test func duplicateKeysDoNotHideOtherProblems() {
        let json = #"{"schemaVersion": 1, "member": {"id": 1, "id": "2"}}"#
        #expect(
            Fixtures.problems(json: json).map(\.path) == [
                "member.id", "member.id", "member.firstName", "member.lastName", "member.dateOfBirth",
                "member.primaryLanguage",
            ]
        )
    }

    // MARK: Robustness

    @Test func noInputCrashesTheLoader() throws {
        // Every 7th prefix of an example, and the example with a few bytes replaced, 2000 times.
        let example = Array(try Fixtures.example("haddad-removal.json"))
        for length in stride(from: 0, through: example.count, by: 7) {
            _ = CareRecordLoader.load(data: Data(example[..<length]))
        }
        var generator = SystemRandomNumberGenerator()
        let replacements: [UInt8] = [0x00, 0x22, 0x2C, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x5C, 0x80, 0xFF, 0x31, 0x61]
        for _ in 0..<2_000 {
            var bytes = example
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] =
                    replacements.randomElement(using: &generator) ?? 0
            }
            if case .failure(let failure) = CareRecordLoader.load(data: Data(bytes)) {
                #expect(!failure.problems.isEmpty)
            }
        }
    }
}
