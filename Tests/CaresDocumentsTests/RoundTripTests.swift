import Foundation
import Testing

@testable import CaresDocuments

/// Decoding and encoding loses nothing: the encoded record is the same JSON (field order aside)
/// and loads again to an equal record.
@Suite struct RoundTripTests {
    static let inputs: [String] =
        Fixtures.exampleNames.map { "examples/\($0)" }
        + ((try? Fixtures.recordNames { $0.hasSuffix(".json") && !$0.hasPrefix("invalid-") }) ?? []).map {
            "Records/\($0)"
        }

    @Test(arguments: inputs)
    func encodingGivesBackTheSameRecord(_ input: String) throws {
        let name = String(input.split(separator: "/").last ?? "")
        let data = input.hasPrefix("examples/") ? try Fixtures.example(name) : try Fixtures.record(name)
        let record = try Fixtures.load(data)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encoded = try encoder.encode(record)

        #expect(CareRecordLoader.validate(data: encoded) == [])
        #expect(try Fixtures.load(encoded) == record)
        let original = try JSONParser.parse(SourceText(data)).root
        let reencoded = try JSONParser.parse(SourceText(encoded)).root
        #expect(original.schemaEquals(reencoded), "\(input): encoding changed the JSON")
    }

    @Test func calendarDatesEncodeAsISOStrings() throws {
        let encoded = try JSONEncoder().encode([try #require(CalendarDate(year: 7, month: 1, day: 2))])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["0007-01-02"]"#)
    }
}
