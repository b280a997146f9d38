import Foundation

@testable import Typesetting

/// One engine per test process thread group; tests create their own where they need isolation.
func makeEngine() throws -> Engine { try Engine() }

/// Runs a command-line tool and returns its standard output.
@discardableResult
func run(_ tool: String, _ args: [String], input: Data? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func tempFile(_ name: String) -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name)
}

/// Writes the PDF and extracts its text with pdftotext (raw order = content order).
func extractText(_ pdf: Data, name: String = UUID().uuidString + ".pdf", layout: Bool = false) throws -> String {
    let url = tempFile(name)
    try pdf.write(to: url)
    return try run("pdftotext", (layout ? ["-layout"] : []) + ["-enc", "UTF-8", url.path, "-"]).out
}

/// Share of the character trigrams of `expected` found in `actual` (whitespace ignored).
func trigramRecall(expected: String, actual: String) -> Double {
    func grams(_ s: String) -> [String] {
        let chars = Array(s.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
        guard chars.count >= 3 else { return [String(chars)] }
        return (0...(chars.count - 3)).map { String(chars[$0..<$0 + 3]) }
    }
    let haystack = Set(grams(actual))
    let want = grams(expected)
    guard !want.isEmpty else { return 1 }
    return Double(want.filter { haystack.contains($0) }.count) / Double(want.count)
}

/// Renders `document` the way the engine does (`PDFRenderer.render(_:finishing:)`, then the
/// post-processor with the engine's claims); `before` sees each drawing's structure first and
/// may throw, as a mismatch would. Returns the PDF and, per drawing, whether it was marked by
/// the post-processor (no Cairo tags).
func renderRecordingDrawings(
    _ document: Document,
    before: (RenderedStructure) throws -> Void = { _ in }
) throws -> (pdf: Data, marked: [Bool]) {
    let renderer = PDFRenderer(width: document.page.width, height: document.page.height, metadata: document.metadata)
    var marked: [Bool] = []
    let pdf = try renderer.render(try Engine().layOut(document).pages) { raw, structure in
        marked.append(structure.marks != nil)
        try before(structure)
        return try PDFPostProcessor.finish(
            Data(raw),
            language: document.language,
            metadata: document.metadata,
            structure: structure,
            claims: Engine.conformance
        )
    }
    return (pdf, marked)
}
