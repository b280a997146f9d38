import Foundation
import Testing

@testable import CaresDocuments

/// The loader decodes records from the tree validation parsed (`JSONValueDecoder`): the same
/// record `JSONDecoder` gives for every record we have, and `JSONDecoder`'s answers on the
/// values and errors that differ between decoders.
@Suite struct JSONValueDecoderTests {
    @Test(arguments: RoundTripTests.inputs)
    func theSameRecordAsJSONDecoder(_ input: String) throws {
        let name = String(input.split(separator: "/").last ?? "")
        let data = input.hasPrefix("examples/") ? try Fixtures.example(name) : try Fixtures.record(name)
        let loaded = try CareRecordLoader.load(data: data).get()
        #expect(loaded == (try JSONDecoder().decode(CareRecord.self, from: data)), "\(input)")
        #expect(try CareRecordLoader.decodeValidated(data: data).get() == loaded, "\(input)")
    }

    struct Sample: Codable, Equatable {
        enum Kind: String, Codable { case a, b }
        struct Inner: Codable, Equatable {
            var n: Int
            var tags: [String]?
        }
        var count: Int
        var ratio: Double
        var flag: Bool?
        var name: String?
        var kind: Kind
        var inner: [Inner]
        var table: [String: String]?
        var small: UInt8?
        var nested: [[Int]]?
    }

    static func both(_ json: String) -> (ours: Result<Sample, any Error>, foundation: Result<Sample, any Error>) {
        let ours = Result { () throws -> Sample in
            let root = try JSONParser.parse(SourceText(Data(json.utf8))).root
            return try JSONValueDecoder.decode(Sample.self, from: root)
        }
        let foundation = Result { try JSONDecoder().decode(Sample.self, from: Data(json.utf8)) }
        return (ours, foundation)
    }

    static func path(_ error: any Error) -> String? {
        guard let error = error as? DecodingError else { return nil }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            return c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        @unknown default: return nil
        }
    }

    static func kind(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "other" }
        switch error {
        case .typeMismatch: return "typeMismatch"
        case .valueNotFound: return "valueNotFound"
        case .keyNotFound: return "keyNotFound"
        case .dataCorrupted: return "dataCorrupted"
        @unknown default: return "unknown"
        }
    }

    @Test func valuesDecodeAsJSONDecoderDecodesThem() throws {
        let cases = [
            #"{"count": 2, "ratio": 1, "kind": "a", "inner": []}"#,
            #"{"count": 2.0, "ratio": -0, "kind": "b", "inner": [{"n": 20E-1, "tags": ["x", "y"]}]}"#,
            #"{"count": -0.0, "ratio": 1.5e3, "flag": true, "name": null, "kind": "a", "inner": [], "table": {"en": "Hi", "es": "Hola"}}"#,
            #"{"count": 9007199254740993, "ratio": 0.1, "kind": "a", "inner": [], "small": 255, "nested": [[1, 2], [], [3]]}"#,
            #"{"count": 1, "ratio": 2, "kind": "a", "inner": [{"n": 1, "tags": null}], "flag": null}"#,
        ]
        for json in cases {
            let (ours, foundation) = Self.both(json)
            #expect(try ours.get() == foundation.get(), "\(json)")
        }
    }

    /// Wrong types, fractions and overflows for integers, missing keys, `null` where a value is
    /// needed, an unknown enum value: both refuse, with the same kind of error at the same path
    /// (for a number that does not fit, JSONDecoder gives no path; ours names the field).
    @Test func errorsAsJSONDecoderReportsThem() throws {
        let cases = [
            #"{"count": 2.5, "ratio": 1, "kind": "a", "inner": []}"#,
            #"{"count": 1e30, "ratio": 1, "kind": "a", "inner": []}"#,
            #"{"count": "2", "ratio": 1, "kind": "a", "inner": []}"#,
            #"{"count": 2, "ratio": "1", "kind": "a", "inner": []}"#,
            #"{"count": 2, "ratio": 1, "kind": "c", "inner": []}"#,
            #"{"count": 2, "ratio": 1, "inner": []}"#,
            #"{"count": null, "ratio": 1, "kind": "a", "inner": []}"#,
            #"{"count": 2, "ratio": 1, "kind": "a", "inner": [{"n": 1}, {"tags": []}]}"#,
            #"{"count": 2, "ratio": 1, "kind": "a", "inner": [{"n": 1, "tags": [1]}]}"#,
            #"{"count": 2, "ratio": 1, "kind": "a", "inner": [], "small": 256}"#,
            #"{"count": 2, "ratio": 1, "kind": "a", "inner": [], "flag": 1}"#,
            #"{"count": 2, "ratio": 1, "kind": "a", "inner": {}}"#,
            #"{"count": 2, "ratio": 1, "kind": "a", "inner": [], "table": {"en": 1}}"#,
            #"[1, 2]"#,
        ]
        for json in cases {
            let (ours, foundation) = Self.both(json)
            guard case .failure(let ourError) = ours, case .failure(let theirError) = foundation else {
                Issue.record("\(json): decoded (ours \(ours), JSONDecoder \(foundation))")
                continue
            }
            #expect(Self.kind(ourError) == Self.kind(theirError), "\(json): \(ourError) vs \(theirError)")
            if Self.kind(theirError) == "dataCorrupted", Self.path(theirError) == "" {
                // A number that does not fit: JSONDecoder reports it at the root ("not valid
                // JSON"), ours names the field.
                #expect(Self.path(ourError).map { !$0.isEmpty } == true, "\(json): \(ourError)")
            } else {
                #expect(Self.path(ourError) == Self.path(theirError), "\(json): \(ourError) vs \(theirError)")
            }
        }
    }
}
