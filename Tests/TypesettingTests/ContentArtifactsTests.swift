import Foundation
import Testing

@testable import Typesetting

/// The content-stream pass that marks untagged painting as artifacts (PDF/UA-1 §7.1): what it
/// wraps, what it leaves alone, and the operator table it reads from bytes.
@Suite struct ContentArtifactsTests {
    static func marked(_ stream: String, pagination: Bool = false) throws -> String? {
        try ContentArtifacts.markArtifacts(Array(stream.utf8), pagination: pagination).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    @Test func theByteTableAgreesWithTheNamedOne() {
        let operators = [
            "BMC", "BDC", "EMC", "BT", "ET", "m", "l", "c", "v", "y", "h", "re", "S", "s", "f", "F", "f*", "B", "B*",
            "b",
            "b*", "n", "W", "W*", "Tj", "TJ", "'", "\"", "Do", "sh", "BI", "q", "Q", "cm", "w", "J", "j", "M", "d",
            "ri",
            "i", "gs", "CS", "cs", "SC", "SCN", "sc", "scn", "G", "g", "RG", "rg", "K", "k", "Tc", "Tw", "Tz", "TL",
            "Tf",
            "Tr", "Ts", "Td", "TD", "Tm", "T*", "d0", "d1", "MP", "DP", "BX", "EX",
        ]
        for name in operators {
            let bytes = Array(name.utf8)
            #expect(ContentArtifacts.kind(bytes, 0, bytes.count) == ContentArtifacts.kind(name), "\(name)")
        }
    }

    @Test func decorationBeforeAndPaginationAfterTaggedContent() throws {
        let stream = """
            1 0 0 -1 0 792 cm
            q
            0.9 0.9 0.9 rg 72 600 468 44 re f
            0.2 0.2 0.2 RG 72.5 600.5 467 43 re S
            /P << /MCID 0 >> BDC
            BT
            11 0 0 -11 72 100 Tm
            /f-0-0 1 Tf
            (Hello \\(EMC\\) world)Tj
            ET
            EMC
            BT
            9 0 0 -9 72 774 Tm
            (Page 1 of 2)Tj
            ET
            0.5 w 72 760 m 540 760 l S
            Q
            """
        let out = try #require(try Self.marked(stream, pagination: true))
        // One artifact for the fill and the border (only colour between them), one pagination
        // artifact for the footer text and its rule.
        #expect(out.components(separatedBy: "/Artifact BMC").count == 2, "\(out)")
        #expect(out.components(separatedBy: "/Artifact <</Type /Pagination>> BDC").count == 2, "\(out)")
        #expect(
            out.contains("0.9 0.9 0.9 rg /Artifact BMC\n72 600 468 44 re f\n0.2 0.2 0.2 RG 72.5 600.5 467 43 re S\nEMC")
        )
        // The tagged paragraph, with "EMC" inside its string, is left byte for byte.
        #expect(
            out.contains(
                "/P << /MCID 0 >> BDC\nBT\n11 0 0 -11 72 100 Tm\n/f-0-0 1 Tf\n(Hello \\(EMC\\) world)Tj\nET\nEMC"
            )
        )
        // q/Q stay outside every artifact sequence.
        #expect(out.hasPrefix("1 0 0 -1 0 792 cm\nq\n"))
        #expect(out.hasSuffix("\nQ"))
    }

    @Test func withoutPaginationEverythingUntaggedIsAPlainArtifact() throws {
        let out = try #require(try Self.marked("/P <</MCID 0>> BDC BT (a)Tj ET EMC BT (b)Tj ET", pagination: false))
        #expect(out == "/P <</MCID 0>> BDC BT (a)Tj ET EMC /Artifact BMC\nBT (b)Tj ET\nEMC")
    }

    @Test func untaggedTextInsideATaggedTextObjectIsWrappedShowByShow() throws {
        let out = try #require(try Self.marked("BT /P <</MCID 0>> BDC (a)Tj EMC [(b) -20 (c)]TJ ET"))
        #expect(out == "BT /P <</MCID 0>> BDC (a)Tj EMC /Artifact BMC\n[(b) -20 (c)]TJ\nEMC ET")
    }

    @Test func imagesAndInlineImagesOutsideTagsAreArtifacts() throws {
        let out = try #require(try Self.marked("q 10 0 0 10 0 0 cm /Im1 Do Q BI /W 1 /H 1 /BPC 8 /CS /G ID \u{1} EI"))
        #expect(
            out
                == "q 10 0 0 10 0 0 cm /Artifact BMC\n/Im1 Do\nEMC Q /Artifact BMC\nBI /W 1 /H 1 /BPC 8 /CS /G ID \u{1} EI\nEMC"
        )
    }

    @Test func aFullyTaggedStreamIsNotRewritten() throws {
        #expect(try Self.marked("/P <</MCID 0>> BDC BT (a)Tj ET EMC /Artifact BMC 0 0 1 1 re f EMC") == nil)
    }

    @Test func malformedStreamsThrowRatherThanGuess() {
        #expect(throws: TypesettingError.self) { try Self.marked("BT (unterminated Tj ET") }
        #expect(throws: TypesettingError.self) { try Self.marked("BI /W 1 ID \u{1}\u{2}") }
    }
}
