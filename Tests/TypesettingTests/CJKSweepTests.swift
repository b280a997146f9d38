// Over 400 lines on purpose: the sweep over every Han and Hangul code point of the eight CJK faces
// (documents, ink detection on pdftoppm pages, reporting) is one procedure.

import Foundation
import Testing

@testable import Typesetting

/// Cairo 1.16 draws some subroutinized CFF glyphs of Noto Sans CJK blank (U+5982) and aborts
/// on some Hangul pairs (똸똹); the CJK faces of the manifest are built to avoid that
/// (scripts/build-cjk-fonts.py). This sweep renders every Han and Hangul character those faces
/// map, regular and bold, each in its own cell of a grid at a known position, rasterizes the
/// PDFs with poppler and checks that every cell has ink. A Cairo assertion kills the test
/// process, which fails the run.
///
/// Documents are small on purpose (15 characters): Cairo subsets each font per document, and
/// what breaks in a small subset can come out right in a large one. With the subroutinized
/// fonts, U+5982 is blank in a 15- or 127-glyph document but drawn in a 4,096-glyph one, and
/// Hangul syllables abort Cairo in 15-glyph documents but not in 127-glyph ones.
///
/// `CJK_SWEEP_ONLY=<prefix>` runs only the jobs whose name starts with the prefix, e.g.
/// `CJK_SWEEP_ONLY="kr-regular Hangul"`; each job logs its name to stderr when it starts, so
/// after an abort the last names logged point at the culprit.
@Suite struct CJKSweepTests {
    /// The historical failures, in a small document of their own, rendered before any document
    /// of the sweep.
    @Test func smokeDocument() throws {
        let out = try CJKSweep.smoke.get()
        #expect(out.characters == 7)
        #expect(out.blank.isEmpty, "blank: \(out.blank)")
        #expect(out.inkedControls.isEmpty, "controls with ink: \(out.inkedControls)")
        #expect(out.missing.isEmpty && out.warnings.isEmpty, "\(out.missing) \(out.warnings)")
        #expect(out.rasterErrors.isEmpty, "\(out.rasterErrors)")
        #expect(out.fonts == ["NotoSansCJKkr-Regular", "NotoSansCJKsc-Regular"], "\(out.fonts)")
    }

    @Test(arguments: CJKSweep.jobs)
    func everyMappedCharacterHasInk(_ job: CJKSweep.Job) throws {
        let out = try CJKSweep.sweep(job)
        #expect(out.characters > 0, "\(job): nothing to render")
        #expect(
            out.blank.isEmpty,
            "\(job): \(out.blank.count) of \(out.characters) characters render blank: \(out.blank.joined(separator: " "))"
        )
        #expect(
            out.inkedControls.isEmpty,
            "\(job): cells that must stay empty have ink: \(out.inkedControls.prefix(20))"
        )
        #expect(out.missing.isEmpty, "\(job): no font for \(out.missing.sorted().prefix(40))")
        #expect(out.warnings.isEmpty, "\(job): \(out.warnings.prefix(10))")
        #expect(
            out.fonts == [job.face.postscript],
            "\(job): drawn with \(out.fonts.sorted()), expected only \(job.face.postscript)"
        )
        #expect(out.rasterErrors.isEmpty, "\(job): \(out.rasterErrors.prefix(10))")
    }
}

enum CJKSweep {
    // MARK: What to sweep

    struct Face: Sendable, Hashable {
        var tag: String
        var family: String
        var bold: Bool
        /// Document language that puts this face first in the Han and Hangul chains.
        var language: String
        var postscript: String
    }

    static func faces(bold: Bool) -> [Face] {
        [("sc", "zh-Hans"), ("tc", "zh-Hant"), ("jp", "ja"), ("kr", "ko")].map { tag, language in
            let weight = bold ? "Bold" : "Regular"
            return Face(
                tag: "\(tag)-\(weight.lowercased())",
                family: "cjk-\(tag)",
                bold: bold,
                language: language,
                postscript: "NotoSansCJK\(tag)-\(weight)"
            )
        }
    }

    /// CJK Unified Ideographs Extension A, CJK Unified Ideographs, CJK Compatibility Ideographs
    /// and their supplement.
    static let han: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x2F800...0x2FA1F]
    /// Hangul Syllables, Hangul Jamo, Compatibility Jamo, Jamo Extended-A and -B.
    static let hangul: [ClosedRange<UInt32>] = [
        0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xD7B0...0xD7FF,
    ]

    struct Job: Sendable, CustomTestStringConvertible {
        var name: String
        var face: Face
        var range: ClosedRange<UInt32>
        var testDescription: String { name }
    }

    /// Code points per test case (the unit of parallelism).
    static let codePointsPerJob: UInt32 = 4096

    /// Every face, every block, in slices of `codePointsPerJob` code points.
    static let jobs: [Job] = {
        var jobs: [Job] = []
        for face in faces(bold: false) + faces(bold: true) {
            for (what, ranges) in [("Han", han), ("Hangul", hangul)] {
                for r in ranges {
                    var lo = r.lowerBound
                    while lo <= r.upperBound {
                        let hi = min(r.upperBound, lo + codePointsPerJob - 1)
                        jobs.append(
                            Job(name: "\(face.tag) \(what) \(label(lo))–\(label(hi))", face: face, range: lo...hi)
                        )
                        lo = hi + 1
                    }
                }
            }
        }
        if let only = ProcessInfo.processInfo.environment["CJK_SWEEP_ONLY"] {
            jobs = jobs.filter { $0.name.hasPrefix(only) }
        }
        return jobs
    }()

    /// 如 (blank with the subroutinized faces) and 똸똹 (Cairo aborted), alone in one document,
    /// as separate cells and as one glyph run. Rendered once, before the sweep's first document.
    static let smoke: Result<Outcome, any Error> = Result {
        let cells = [
            Cell(text: "如", language: "zh-Hans", label: "U+5982 (zh-Hans)"),
            Cell(text: "如", language: "ko", label: "U+5982 (ko)"),
            Cell(text: "똸", language: "ko", label: "U+B638"),
            Cell(text: "똹", language: "ko", label: "U+B639"),
            Cell(text: "똸똹如", language: "ko", label: "똸똹如", span: 3),
            Cell(text: "\u{3000}", language: "ko", label: "U+3000 (control)", control: true),
            Cell(text: "", language: "ko", label: "empty (control)", control: true),
        ]
        FileHandle.standardError.write(Data("CJKSweep: smoke document 如 똸똹\n".utf8))
        return try check([render(cells, name: "smoke", language: "ko", engine: Engine())])
    }

    // MARK: The grid

    /// 12 pt glyphs (1 em advance) in 16 × 20 pt cells: the ink of a neighbour never reaches
    /// into a cell. A document is one page of one row: 15 characters and an empty control cell.
    static let cellWidth = 16.0, cellHeight = 20.0, fontSize = 12.0, margin = 8.0
    static let columns = 16, rows = 1
    static let page = PageSetup(
        width: 2 * margin + Double(columns) * cellWidth,
        height: 2 * margin + Double(rows) * cellHeight,
        margins: Insets(all: margin)
    )
    /// Rasterized at 1 px per point; a gray level below `inkLevel` is ink (a vertical hairline
    /// like U+4E28 丨 comes out at 128 to 141).
    static let dpi = 72.0
    static let inkLevel: UInt8 = 200

    struct Cell {
        var text: String
        var language: String
        var label: String
        var bold = false
        /// Cells the text spans (an em box each is checked).
        var span = 1
        /// Must come out blank: checks that the detector does not see a neighbour's ink.
        var control = false
    }

    struct Outcome: Sendable {
        var characters = 0
        var blank: [String] = []
        var inkedControls: [String] = []
        var missing: Set<String> = []
        var warnings: [String] = []
        var fonts: Set<String> = []
        var rasterErrors: [String] = []
        var documents = 0

        mutating func add(_ o: Outcome) {
            characters += o.characters
            blank += o.blank
            inkedControls += o.inkedControls
            missing.formUnion(o.missing)
            warnings += o.warnings
            fonts.formUnion(o.fonts)
            rasterErrors += o.rasterErrors
            documents += o.documents
        }
    }

    /// Code points of `range` the face maps (FreeType cmap), without default ignorables (the
    /// Hangul fillers U+115F, U+1160, U+3164 are invisible by design).
    static func mapped(_ face: FontFace, _ range: ClosedRange<UInt32>) -> [UInt32] {
        range.filter { v in
            guard face.covers(v), let u = Unicode.Scalar(v) else { return false }
            return !u.properties.isDefaultIgnorableCodePoint
        }
    }

    static func label(_ v: UInt32) -> String { String(format: "U+%04X", v) }

    static func sweep(_ job: Job) throws -> Outcome {
        _ = smoke
        let engine = try Engine()
        guard let face = engine.fonts.face(family: job.face.family, bold: job.face.bold, italic: false),
            face.bold == job.face.bold
        else {
            throw TypesettingError.fonts("no \(job.face.postscript) for \(job.face.family)")
        }
        let cells = mapped(face, job.range).map {
            Cell(text: String(Unicode.Scalar($0)!), language: job.face.language, label: label($0), bold: job.face.bold)
        }
        // The last cell of every document stays empty (a control).
        let perDocument = columns * rows - 1
        let documents = (cells.count + perDocument - 1) / perDocument
        FileHandle.standardError.write(
            Data("CJKSweep: \(job.name): \(cells.count) characters in \(documents) documents\n".utf8)
        )
        let start = Date()
        var total = Outcome()
        var batch: [Sheet] = []
        for first in Swift.stride(from: 0, to: cells.count, by: perDocument) {
            let part = Array(cells[first..<min(cells.count, first + perDocument)])
            let control = Cell(text: "", language: job.face.language, label: "empty cell", control: true)
            batch.append(
                try render(
                    part + [control],
                    name: "\(job.name) #\(first / perDocument)",
                    language: job.face.language,
                    engine: engine
                )
            )
            if batch.count == sheetsPerRaster {
                total.add(try check(batch))
                batch.removeAll()
            }
        }
        if !batch.isEmpty { total.add(try check(batch)) }
        let seconds = Date().timeIntervalSince(start)
        FileHandle.standardError.write(
            Data(
                "CJKSweep: \(job.name): done in \(String(format: "%.1f", seconds)) s, \(total.blank.count) blank\n".utf8
            )
        )
        return total
    }

    /// One rendered document: a page of cells.
    struct Sheet {
        var name: String
        var cells: [Cell]
        var positions: [(x: Double, y: Double)]
        var pdf: Data
        var report: RenderReport
    }

    /// Documents merged (qpdf) into one file per pdftoppm run: starting poppler once per
    /// document would cost more than the rendering.
    static let sheetsPerRaster = 128

    /// Renders the cells, row by row, on one page.
    static func render(_ cells: [Cell], name: String, language: String, engine: Engine) throws -> Sheet {
        precondition(cells.map(\.span).reduce(0, +) <= columns * rows)
        var positions: [(x: Double, y: Double)] = []
        var blocks: [Block] = []
        var slot = 0
        for cell in cells {
            if slot % columns + cell.span > columns { slot += columns - slot % columns }
            let x = margin + Double(slot % columns) * cellWidth
            let y = margin + Double(slot / columns) * cellHeight
            positions.append((x, y))
            slot += cell.span
            blocks.append(
                .frame(
                    Frame(
                        x: x,
                        y: y,
                        width: Double(cell.span) * cellWidth,
                        height: cellHeight,
                        blocks: [
                            .paragraph(
                                Paragraph(
                                    [Span(cell.text, bold: cell.bold)],
                                    style: TextStyle(size: fontSize),
                                    language: cell.language,
                                    spaceAfter: 0
                                )
                            )
                        ],
                        flowBelow: false
                    )
                )
            )
        }
        let result = try engine.render(
            Document(page: page, language: language, metadata: Metadata(title: name), blocks: blocks)
        )
        return Sheet(name: name, cells: cells, positions: positions, pdf: result.pdf, report: result.report)
    }

    /// Rasterizes the sheets (one page each) and looks for ink in each cell.
    static func check(_ sheets: [Sheet]) throws -> Outcome {
        var out = Outcome(documents: sheets.count)
        for s in sheets {
            out.missing.formUnion(s.report.missingCharacters)
            out.warnings += s.report.warnings.map { "\(s.name): \($0)" }
            out.fonts.formUnion(s.report.fonts)
            if s.report.pages != 1 { out.warnings.append("\(s.name): \(s.report.pages) pages") }
        }
        let stem = "cjk-sweep-" + UUID().uuidString
        let dir = tempFile(stem).deletingLastPathComponent()
        var files = try sheets.enumerated().map { k, s in
            let url = tempFile("\(stem)-sheet\(k).pdf")
            try s.pdf.write(to: url)
            return url
        }
        defer {
            for f in files { try? FileManager.default.removeItem(at: f) }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for f in left where f.hasPrefix(stem) {
                try? FileManager.default.removeItem(at: dir.appendingPathComponent(f))
            }
        }
        var input = files[0]
        if files.count > 1 {
            input = tempFile(stem + ".pdf")
            let merge = try run("qpdf", ["--empty", "--pages"] + files.map(\.path) + ["--", input.path])
            if merge.status != 0 { out.rasterErrors.append("qpdf: exit \(merge.status) \(merge.err)") }
            files.append(input)
        }
        let raster = try run(
            "pdftoppm",
            ["-r", String(Int(dpi)), "-gray", input.path, dir.appendingPathComponent(stem + "-page").path]
        )
        let err = raster.err.trimmingCharacters(in: .whitespacesAndNewlines)
        if raster.status != 0 || !err.isEmpty {
            out.rasterErrors.append("pdftoppm \(sheets.first!.name)…: exit \(raster.status) \(err)")
        }
        // stem-page-007.pgm → 7
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix(stem + "-page-") && $0.hasSuffix(".pgm") }
            .map { (Int($0.dropFirst(stem.count + 6).dropLast(4)) ?? 0, dir.appendingPathComponent($0)) }
            .sorted { $0.0 < $1.0 }
        if pages.count != sheets.count {
            out.rasterErrors.append("\(pages.count) page images for \(sheets.count) documents")
        }

        for (n, s) in sheets.enumerated() {
            // A page poppler did not produce counts as blank.
            let image = n < pages.count ? try PGM(Data(contentsOf: pages[n].1)) : nil
            for (cell, at) in zip(s.cells, s.positions) {
                if cell.control {
                    let ink =
                        image?.ink(x: at.x, y: at.y, w: cellWidth, h: cellHeight, scale: dpi / 72, below: inkLevel) ?? 0
                    if ink > 0 { out.inkedControls.append("\(s.name) \(cell.label) at \(at): \(ink) px") }
                    continue
                }
                // One em box per character of the cell.
                for (k, u) in cell.text.unicodeScalars.enumerated() {
                    out.characters += 1
                    let w = cell.span == 1 ? cellWidth : fontSize
                    let ink =
                        image?.ink(
                            x: at.x + Double(k) * fontSize,
                            y: at.y,
                            w: w,
                            h: cellHeight,
                            scale: dpi / 72,
                            below: inkLevel
                        ) ?? 0
                    if ink == 0 { out.blank.append(cell.span == 1 ? cell.label : "\(label(u.value)) in \(cell.label)") }
                }
            }
        }
        return out
    }

    /// A binary gray map (P5, 8 bit) as pdftoppm writes it.
    struct PGM {
        var width: Int, height: Int
        var pixels: [UInt8]

        init(_ data: Data) throws {
            let bytes = [UInt8](data)
            guard bytes.count > 2, bytes[0] == 0x50, bytes[1] == 0x35 else {
                throw TypesettingError.io("not a binary PGM")
            }
            var fields: [Int] = []
            var i = 2
            while fields.count < 3 && i < bytes.count {
                while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
                if i < bytes.count, bytes[i] == 0x23 {  // comment
                    while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                    continue
                }
                var v = 0
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                    v = v * 10 + Int(bytes[i] - 0x30)
                    i += 1
                }
                fields.append(v)
            }
            i += 1  // the one whitespace after maxval
            guard fields.count == 3, fields[2] == 255, bytes.count - i >= fields[0] * fields[1] else {
                throw TypesettingError.io("unexpected PGM header \(fields)")
            }
            width = fields[0]
            height = fields[1]
            pixels = Array(bytes[i..<(i + width * height)])
        }

        /// Pixels darker than `below` inside the rectangle (points), one pixel in from its edges.
        func ink(x: Double, y: Double, w: Double, h: Double, scale: Double, below: UInt8) -> Int {
            let x0 = max(0, Int((x * scale).rounded(.down)) + 1)
            let x1 = min(width, Int(((x + w) * scale).rounded(.up)) - 1)
            let y0 = max(0, Int((y * scale).rounded(.down)) + 1)
            let y1 = min(height, Int(((y + h) * scale).rounded(.up)) - 1)
            guard x0 < x1, y0 < y1 else { return 0 }
            var n = 0
            for row in y0..<y1 {
                let base = row * width
                for col in x0..<x1 where pixels[base + col] < below { n += 1 }
            }
            return n
        }
    }
}
