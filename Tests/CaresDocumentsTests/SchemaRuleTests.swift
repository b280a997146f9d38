import Foundation
import Testing

@testable import CaresDocuments

/// One test per kind of schema rule, with the exact text the caller sees.
@Suite struct SchemaRuleTests {
    private let address = #"{"line1": "1 Main St", "city": "Lynn", "state": "MA", "postalCode": "01902"}"#

    private func member(_ replacing: String, with value: String) -> String {
        Fixtures.member.replacingOccurrences(of: replacing, with: value)
    }

    @Test func minimalRecordIsValid() throws {
        let record = try Fixtures.load(Fixtures.record("minimal.json"))
        #expect(record.member.lastName == "Lima")
        #expect(record.provider == nil && record.guardians == nil && record.careTeam == nil)
    }

    @Test func wrongTypes() {
        #expect(
            Fixtures.problems(#""recordId": 42, "guardians": {}, "careTeam": [null]"#) == [
                ValidationProblem(
                    path: "recordId",
                    problem: "must be a string (text in double quotes), but is a number; write it in double quotes"
                ),
                ValidationProblem(
                    path: "guardians",
                    problem: "must be a list ([ ... ]), but is an object; put it inside [ ] for a list of one"
                ),
                ValidationProblem(
                    path: "careTeam[0]",
                    problem: "must be an object ({ ... }), but is null; leave the field out when it has no value"
                ),
            ]
        )
        #expect(
            Fixtures.problems(json: #"{"schemaVersion": 1, "member": "Ana Lima"}"#) == [
                ValidationProblem(path: "member", problem: "must be an object ({ ... }), but is a string")
            ]
        )
    }

    @Test func missingRequiredFields() {
        #expect(
            Fixtures.problems(json: #"{"member": {"id": "1", "lastName": "Lima"}}"#) == [
                ValidationProblem(path: "member.firstName", problem: "required field 'firstName' is missing"),
                ValidationProblem(path: "member.dateOfBirth", problem: "required field 'dateOfBirth' is missing"),
                ValidationProblem(
                    path: "member.primaryLanguage",
                    problem: "required field 'primaryLanguage' is missing"
                ),
                ValidationProblem(path: "schemaVersion", problem: "required field 'schemaVersion' is missing"),
            ]
        )
        #expect(
            Fixtures.problems(json: #"{"schemaVersion": 1}"#) == [
                ValidationProblem(path: "member", problem: "required field 'member' is missing")
            ]
        )
    }

    @Test func unknownFieldsSuggestTheNearestName() {
        #expect(
            Fixtures.problems(member: member("\"firstName\"", with: "\"fristName\"")) == [
                ValidationProblem(
                    path: "member.fristName",
                    problem: "unknown field 'fristName': did you mean 'firstName'?"
                ),
                ValidationProblem(path: "member.firstName", problem: "required field 'firstName' is missing"),
            ]
        )
        #expect(
            Fixtures.problems(
                #""guardians": [{"name": "A", "relationship": "mother", "contact": {"e_mail": "a@b.org", "zzz": 1}}]"#
            ) == [
                ValidationProblem(
                    path: "guardians[0].contact.e_mail",
                    problem: "unknown field 'e_mail': did you mean 'email'?"
                ),
                ValidationProblem(
                    path: "guardians[0].contact.zzz",
                    problem:
                        "unknown field 'zzz'; the fields allowed here are phone, phoneExtension, email, fax, address"
                ),
            ]
        )
        #expect(Fixtures.problems(#""e-mail": "x""#).first?.path == #"["e-mail"]"#)
    }

    @Test func nameSuggestions() {
        #expect(NameSuggestion.closest(to: "fristName", among: ["firstName", "lastName"]) == "firstName")
        #expect(NameSuggestion.closest(to: "DateOfBirth", among: ["dateOfBirth"]) == "dateOfBirth")
        #expect(NameSuggestion.closest(to: "postal_code", among: ["postalCode"]) == "postalCode")
        #expect(NameSuggestion.closest(to: "zip", among: ["postalCode", "city"]) == nil)
        #expect(NameSuggestion.closest(to: "", among: ["a"]) == nil)
    }

    @Test func enumValuesAreListed() {
        #expect(
            Fixtures.problems(
                #""guardians": [{"name": "A", "relationship": "aunt"}, {"name": "B", "relationship": "Foster Parent"}]"#
            ) == [
                ValidationProblem(
                    path: "guardians[0].relationship",
                    problem:
                        "'aunt' is not an allowed value; allowed: mother, father, parent, legal-guardian, grandparent, foster-parent, self, other"
                ),
                ValidationProblem(
                    path: "guardians[1].relationship",
                    problem:
                        "'Foster Parent' is not an allowed value: did you mean 'foster-parent'? Allowed: mother, father, parent, legal-guardian, grandparent, foster-parent, self, other"
                ),
            ]
        )
    }

    @Test(arguments: [
        ("01902", true), ("01902-1234", true), ("1902", false), ("019021", false), ("01902-123", false),
        ("01902 1234", false), ("019021234", false), ("01902\n", false), ("０１９０２", false), ("", false),
    ])
    func zipCodes(_ zip: String, _ valid: Bool) throws {
        let addressJSON = address.replacingOccurrences(of: "\"01902\"", with: try jsonEscaped(zip))
        let problems = Fixtures.problems(
            member: member("\"primaryLanguage\"", with: "\"address\": \(addressJSON), \"primaryLanguage\"")
        )
        #expect(
            problems
                == (valid
                    ? []
                    : [
                        ValidationProblem(
                            path: "member.address.postalCode",
                            problem:
                                "must be a ZIP code: 5 digits, or 5 digits, a hyphen and 4 digits (12345 or 12345-6789)"
                        )
                    ])
        )
    }

    @Test(arguments: [
        ("MA", true), ("NH", true), ("ma", false), ("Ma", false), ("MAS", false), ("M", false), ("M1", false),
    ])
    func stateCodes(_ state: String, _ valid: Bool) {
        let addressJSON = address.replacingOccurrences(of: "\"MA\"", with: "\"\(state)\"")
        let problems = Fixtures.problems(#""provider": {"name": "Clinic", "address": \#(addressJSON)}"#)
        #expect(
            problems
                == (valid
                    ? []
                    : [
                        ValidationProblem(
                            path: "provider.address.state",
                            problem: "must be a state code of two capital letters, like MA"
                        )
                    ])
        )
    }

    @Test(arguments: ["english", "pt_BR", "es-", "e", "-es", "es--US", "zh-Hans-CN-x-1"])
    func malformedLanguageTags(_ tag: String) {
        #expect(
            Fixtures.problems(member: member("\"es\"", with: "\"\(tag)\"")) == [
                ValidationProblem(
                    path: "member.primaryLanguage",
                    problem: "must be a BCP 47 language tag, like en, es, pt-BR or zh-Hant"
                )
            ]
        )
    }

    @Test func unsupportedLanguagesNameTheSupportedOnes() {
        let supported = "en, es, pt-BR, ht, vi, kea, zh-Hans, zh-Hant, ar, km, fr, ko, ru"
        #expect(
            Fixtures.problems(
                member: member("\"es\"", with: "\"it\""),
                #""guardians": [{"name": "A", "relationship": "mother", "preferredLanguage": "zh"}]"#
            ) == [
                ValidationProblem(
                    path: "member.primaryLanguage",
                    problem:
                        "language 'it' is not supported (the service has no letters in it); supported languages: \(supported)"
                ),
                ValidationProblem(
                    path: "guardians[0].preferredLanguage",
                    problem:
                        "language 'zh' does not say which Chinese script the family reads: use zh-Hans (Simplified) or zh-Hant (Traditional)"
                ),
            ]
        )
    }

    @Test(
        arguments: SupportedLanguage.allCases.map(\.tag) + [
            "EN", "pt", "pt-br", "zh-CN", "zh-SG", "zh-TW", "zh-HK", "es-US", "ar-EG", "ko-KR", "km-KH", "ht-HT",
            "kea-CV", "zh-Hant-TW",
        ]
    )
    func everySupportedLanguageAndAliasIsValid(_ tag: String) throws {
        let data = Data(
            Fixtures.recordJSON(
                member: member("\"es\"", with: "\"\(tag)\""),
                #""guardians": [{"name": "A", "relationship": "mother", "preferredLanguage": "\#(tag)"}]"#
            ).utf8
        )
        let record = try Fixtures.load(data)
        #expect(record.member.primaryLanguage == tag, "the record keeps the tag as written")
        #expect(record.letterLanguage != nil)
    }

    @Test func lengthsCountCharactersNotBytes() {
        let atLimit = String(repeating: "ü", count: 300)
        let overLimit = String(repeating: "😀", count: 301)
        #expect(Fixtures.problems(member: member("\"Ana\"", with: "\"\(atLimit)\"")) == [])
        #expect(
            Fixtures.problems(member: member("\"Ana\"", with: "\"\(overLimit)\"")) == [
                ValidationProblem(path: "member.firstName", problem: "is too long: 301 characters, at most 300")
            ]
        )
        #expect(
            Fixtures.problems(member: member("\"Ana\"", with: "\"\"")) == [
                ValidationProblem(path: "member.firstName", problem: "must not be empty")
            ]
        )
        #expect(
            Fixtures.problems(#""provider": {"name": "C", "phone": "12345"}"#) == [
                ValidationProblem(path: "provider.phone", problem: "is too short: 5 characters, at least 7")
            ]
        )
    }

    @Test func listLengths() {
        let guardians = (0..<11).map { #"{"name": "G\#($0)", "relationship": "other"}"# }.joined(separator: ",")
        #expect(
            Fixtures.problems("\"guardians\": [\(guardians)]") == [
                ValidationProblem(path: "guardians", problem: "has too many entries: 11, at most 10")
            ]
        )
        let team = (0..<101).map { #"{"id": "t\#($0)", "name": "N", "role": "pcp"}"# }.joined(separator: ",")
        #expect(
            Fixtures.problems("\"careTeam\": [\(team)]") == [
                ValidationProblem(path: "careTeam", problem: "has too many entries: 101, at most 100")
            ]
        )
    }

    @Test(
        arguments: [
            ("2024-02-29", nil), ("2000-02-29", nil), ("2026-12-31", nil), ("0001-01-01", nil),
            ("2025-02-29", "is not a real date: 2025 is not a leap year, so February 2025 has 28 days"),
            ("1900-02-29", "is not a real date: 1900 is not a leap year, so February 1900 has 28 days"),
            ("2026-02-30", "is not a real date: February 2026 has 28 days, not 30"),
            ("2024-02-30", "is not a real date: February 2024 has 29 days, not 30"),
            ("2026-11-31", "is not a real date: November has 30 days, not 31"),
            ("2026-01-32", "is not a real date: January has 31 days, not 32"),
            ("2026-13-01", "is not a real date: there is no month 13 (months are 01 to 12)"),
            ("2026-00-01", "is not a real date: there is no month 0 (months are 01 to 12)"),
            ("2026-01-00", "is not a real date: there is no day 0 (days start at 01)"),
            ("2026-1-01", "must be a date written YYYY-MM-DD, like 2026-03-09"),
            ("20260101", "must be a date written YYYY-MM-DD, like 2026-03-09"),
            ("2026-01-01T10:00", "must be a date written YYYY-MM-DD, like 2026-03-09"),
            ("２０２６-01-01", "must be a date written YYYY-MM-DD, like 2026-03-09"),
        ] as [(String, String?)]
    )
    func dates(_ date: String, _ expected: String?) {
        let problems = Fixtures.problems(member: member("2016-02-29", with: date))
        #expect(problems == (expected.map { [ValidationProblem(path: "member.dateOfBirth", problem: $0)] } ?? []))
    }

    @Test(arguments: [
        ("a@example.org", true), ("first.last+tag@sub.example.co.uk", true), ("o'brien@example.ie", true),
        ("josé@correo.example.es", true), ("user@xn--bcher-kva.example", true),
        ("plainaddress", false), ("a@b", false), ("a@@b.org", false), ("a b@c.org", false), ("a@b.c", false),
        (".a@b.org", false), ("a..b@c.org", false), ("a@b..org", false), ("a@-b.org", false), ("a@b.org.", false),
        ("a@[192.168.0.1]", false), ("\"a b\"@c.org", false), ("a@b.123", false), ("@b.org", false), ("a@", false),
    ])
    func emailAddresses(_ email: String, _ valid: Bool) throws {
        let problems = Fixtures.problems(#""provider": {"name": "C", "email": \#(try jsonEscaped(email))}"#)
        #expect(problems.isEmpty == valid, "\(email): \(problems)")
        if !valid {
            #expect(problems.first?.problem.hasPrefix("is not a valid email address: ") == true, "\(problems)")
        }
    }

    @Test func unsupportedSchemaVersionIsTheOnlyProblem() {
        #expect(
            Fixtures.problems(json: #"{"schemaVersion": 3, "member": {"name": "x"}, "extra": true}"#) == [
                ValidationProblem(
                    path: "schemaVersion",
                    problem: "schema version 3 is not supported: this service reads schema versions 1 and 2"
                )
            ]
        )
        #expect(
            Fixtures.problems(json: #"{"schemaVersion": 0.5, "member": {}}"#).first?.problem
                == "schema version 0.5 is not supported: this service reads schema versions 1 and 2"
        )
        #expect(
            Fixtures.problems(json: #"{"schemaVersion": 1.0, "member": \#(Fixtures.member)}"#) == [],
            "1.0 is the number 1"
        )
    }

    @Test func schemaVersionOfTheWrongTypeIsCheckedWithTheRest() {
        #expect(
            Fixtures.problems(json: #"{"schemaVersion": null, "member": {}}"#).map(\.path) == [
                "schemaVersion", "member.id", "member.firstName", "member.lastName", "member.dateOfBirth",
                "member.primaryLanguage",
            ]
        )
    }

    @Test func dataThatLooksLikeMarkupIsValidData() throws {
        let record = try Fixtures.load(Fixtures.record("tricky-text.json"))
        #expect(record.member.firstName == "{{firstName}}")
        #expect(record.member.lastName == "<b>O'Brien</b> & \"Co\"")
        #expect(record.member.preferredName?.unicodeScalars.first == "\u{202E}")
        #expect(record.goals?.first?.description.contains("\u{0000}") == true)
        #expect(record.careTeam?.first?.id == "<id & 1>")
        #expect(record.goals?.first?.actions?.first?.responsibleId == "<id & 1>")
    }

    private func jsonEscaped(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }
}
