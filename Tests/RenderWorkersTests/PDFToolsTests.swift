// Tests of the qpdf / pdftoppm helpers.

import Foundation
import Testing
import Typesetting

@testable import RenderWorkers

@Suite(.serialized) struct PDFToolsTests {
    @Test func joinsAndPreviews() async throws {
        let copies = try await WorkerTest.withPool(size: 1) { pool in
            try WorkerTest.copies(try await pool.render(try WorkerTest.letter(["en", "es"])))
        }
        let joined = try joinPDFs(copies.map(\.pdf))
        #expect(joined.starts(with: Data("%PDF".utf8)))
        #expect(try WorkerTest.pageCount(joined) == copies.map(\.pages).reduce(0, +))
        #expect(try joinPDFs([copies[0].pdf]) == copies[0].pdf)
        #expect(throws: PDFToolError.self) { try joinPDFs([]) }
        #expect(throws: PDFToolError.self) { try joinPDFs([copies[0].pdf, Data("not a pdf".utf8)]) }

        let png = try previewPNG(pdf: copies[0].pdf)
        #expect(png.starts(with: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])))
        let last = try previewPNG(pdf: joined, page: copies.map(\.pages).reduce(0, +), dpi: 36)
        #expect(last.starts(with: Data([0x89, 0x50, 0x4E, 0x47])))
        #expect(throws: PDFToolError.self) { try previewPNG(pdf: copies[0].pdf, page: 99) }
        #expect(throws: PDFToolError.self) { try previewPNG(pdf: copies[0].pdf, page: 0) }

        // Nothing left behind in the temporary folder.
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: FileManager.default.temporaryDirectory.path(percentEncoded: false)
        )
        .filter { $0.hasPrefix("caredocs-pdf-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}

@Suite struct FramingTests {
    @Test func framesRoundTripThroughAPipe() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let job = RenderJob(
            kind: "care-plan",
            languages: ["en", "zh-Hant"],
            largePrint: true,
            letterDate: "2026-11-23",
            record: Data([0, 1, 2, 255]),
            fault: .hang
        )
        let frame = try RenderFraming.frame(job)
        #expect(frame.count > 4)
        #expect(RenderFraming.length(Array(frame.prefix(4))) == frame.count - 4)
        try RenderFraming.writeAll(frame + frame, to: fds[1])
        close(fds[1])
        for _ in 0..<2 {
            let payload = try #require(try RenderFraming.readFrame(from: fds[0]))
            #expect(try RenderFraming.decode(RenderJob.self, from: payload) == job)
        }
        #expect(try RenderFraming.readFrame(from: fds[0]) == nil)
    }

    @Test func truncatedAndOversizedFramesAreRefused() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        try RenderFraming.writeAll(Data([0, 0, 0, 10, 1, 2]), to: fds[1])
        close(fds[1])
        #expect(throws: RenderFraming.FrameError.truncated(received: 2, expected: 10)) {
            try RenderFraming.readFrame(from: fds[0])
        }

        var big: [Int32] = [-1, -1]
        #expect(pipe(&big) == 0)
        defer { close(big[0]) }
        let n = RenderFraming.maxFrameBytes + 1
        try RenderFraming.writeAll(
            Data([UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]),
            to: big[1]
        )
        close(big[1])
        #expect(throws: RenderFraming.FrameError.tooLarge(n)) { try RenderFraming.readFrame(from: big[0]) }
    }

    @Test func outcomesRoundTrip() throws {
        let outcomes: [RenderOutcome] = [
            .rendered([RenderedCopy(language: "ar", pdf: Data("%PDF-1.7".utf8), pages: 2, warnings: ["w"])]),
            .invalidRecord([RenderProblem(path: "member.id", problem: "required")]),
            .refused([RenderProblem(path: "removal.date", problem: "required", clause: "C")]),
            .badJob("no"),
        ]
        for o in outcomes {
            let frame = try RenderFraming.frame(o)
            #expect(try RenderFraming.decode(RenderOutcome.self, from: Data(frame.dropFirst(4))) == o)
        }
        // The PDF travels as raw bytes after the JSON, not as base64 inside it.
        let pdf = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let frame = try RenderFraming.frame(RenderOutcome.rendered([RenderedCopy(language: "en", pdf: pdf, pages: 1)]))
        #expect(frame.count < pdf.count + 400)
        #expect(
            try RenderFraming.decode(RenderOutcome.self, from: Data(frame.dropFirst(4)))
                == .rendered([RenderedCopy(language: "en", pdf: pdf, pages: 1)])
        )
    }

    /// A payload that lies about its parts is refused, never read out of bounds.
    @Test func malformedPayloadsAreRefused() throws {
        let good = Data(try RenderFraming.frame(RenderOutcome.badJob("x")).dropFirst(4))
        for bad in [Data(), good.prefix(3), good.prefix(good.count - 1), good + Data([0]), Data([0, 0, 0, 9, 0x7B])] {
            #expect(throws: (any Error).self) { try RenderFraming.decode(RenderOutcome.self, from: bad) }
        }
        var wrongIndex = Data(
            try RenderFraming.frame(RenderedCopy(language: "en", pdf: Data([1]), pages: 1)).dropFirst(4)
        )
        // Point the PDF at attachment 7.
        if let at = wrongIndex.range(of: Data("\"pdf\":0".utf8)) {
            wrongIndex.replaceSubrange(at, with: Data("\"pdf\":7".utf8))
            #expect(throws: (any Error).self) { try RenderFraming.decode(RenderedCopy.self, from: wrongIndex) }
        }
    }
}
