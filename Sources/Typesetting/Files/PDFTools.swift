// PDF helpers that run the `qpdf` and `pdftoppm` tools (merging PDFs, page previews).

import Foundation

/// A PDF tool (`qpdf`, `pdftoppm`) failed or is missing.
public struct PDFToolError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One PDF made of every page of `pdfs`, in order. A single PDF is returned as it is.
///
/// Blocking (it waits for qpdf): call it from a thread that may block, not from a
/// Swift-concurrency or event-loop thread. The PDFs go through a private (0700) temporary
/// folder that is removed before returning.
public func joinPDFs(_ pdfs: [Data]) throws -> Data {
    guard !pdfs.isEmpty else { throw PDFToolError("no PDF to join") }
    if pdfs.count == 1 { return pdfs[0] }
    return try PDFTools.withPrivateDirectory { dir in
        var inputs: [URL] = []
        for (index, pdf) in pdfs.enumerated() {
            let url = dir.appending(path: "in-\(index).pdf")
            try pdf.write(to: url)
            inputs.append(url)
        }
        let out = dir.appending(path: "joined.pdf")
        try joinPDFFiles(inputs, into: out)
        return try Data(contentsOf: out)
    }
}

/// Joins the PDF files `inputs`, every page in order, into `output`, written atomically
/// (`qpdf --empty --pages … -- out.pdf` into a temporary name, then a rename; qpdf's exit status 3,
/// warnings only, is accepted). The one PDF joiner: bilingual copies in the service and the
/// mailroom's print file both use it. Blocking, like `joinPDFs`.
public func joinPDFFiles(_ inputs: [URL], into output: URL) throws {
    guard !inputs.isEmpty else { throw PDFToolError("no PDF to join") }
    let temporary = AtomicFile.temporaryURL(for: output)
    let status = try PDFTools.run(
        "qpdf",
        ["--empty", "--pages"] + inputs.map { $0.path(percentEncoded: false) } + [
            "--", temporary.path(percentEncoded: false),
        ]
    )
    guard status.code == 0 || status.code == 3 else {
        try? FileManager.default.removeItem(at: temporary)
        throw PDFToolError("qpdf could not join \(inputs.count) PDFs (exit \(status.code)): \(status.stderr)")
    }
    try AtomicFile.moveIntoPlace(temporary, output)
}

/// A PNG of one page (1-based) at `dpi` (`pdftoppm -png -f N -l N -r DPI -singlefile`).
///
/// Blocking, like `joinPDFs`.
public func previewPNG(pdf: Data, page: Int = 1, dpi: Int = 72) throws -> Data {
    guard page >= 1 else { throw PDFToolError("page numbers start at 1") }
    guard (1...1200).contains(dpi) else { throw PDFToolError("dpi must be between 1 and 1200") }
    return try PDFTools.withPrivateDirectory { dir in
        let input = dir.appending(path: "in.pdf")
        try pdf.write(to: input)
        let prefix = dir.appending(path: "page")
        let status = try PDFTools.run(
            "pdftoppm",
            [
                "-png", "-f", "\(page)", "-l", "\(page)", "-r", "\(dpi)", "-singlefile",
                input.path(percentEncoded: false), prefix.path(percentEncoded: false),
            ]
        )
        let png = dir.appending(path: "page.png")
        guard status.code == 0, FileManager.default.fileExists(atPath: png.path(percentEncoded: false)) else {
            throw PDFToolError("pdftoppm could not draw page \(page) (exit \(status.code)): \(status.stderr)")
        }
        return try Data(contentsOf: png)
    }
}

/// Running the external PDF tools (qpdf, pdftoppm), installed by scripts/setup.sh.
enum PDFTools {
    /// A fresh 0700 folder under the temporary directory, removed after `body`.
    static func withPrivateDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appending(path: "caredocs-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir,
            withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700]
        )
        defer { try? FileManager.default.removeItem(at: dir) }
        return try body(dir)
    }

    /// The tool's path: on PATH, else /usr/bin.
    static func locate(_ tool: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw PDFToolError("\(tool) is not installed (apt-get install \(tool == "qpdf" ? "qpdf" : "poppler-utils"))")
    }

    /// Runs a tool to completion; its exit status and stderr (stdout is discarded).
    static func run(_ tool: String, _ arguments: [String]) throws -> (code: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(filePath: try locate(tool))
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: stderr.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if p.terminationReason == .uncaughtSignal { return (128 + p.terminationStatus, text) }
        return (p.terminationStatus, text)
    }
}
