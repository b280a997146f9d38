import Foundation

/// Where one render's time goes, for `caredocs bench documents`: layout (collect, distribute,
/// decorate), drawing with Cairo (its PDF bytes), and the post-processor (artifacts in the
/// content streams, the structure repair, XMP, output intent — what PDF/UA-1 and PDF/A-2u add).
public struct RenderStageTimes: Sendable {
    public var layout: Duration
    public var draw: Duration
    public var postProcess: Duration
}

extension Engine {
    /// The stages of `render(_:)` timed (shared pages come from the engine's cache, made before
    /// the clock starts, as in any render after a process's first).
    public func renderStages(_ document: Document) throws -> RenderStageTimes {
        let shared = sharedPages(of: document)
        let clock = ContinuousClock()
        let start = clock.now
        let laidOut = layOut(document, sharedPages: shared)
        let laid = clock.now
        let renderer = PDFRenderer(
            width: document.page.width,
            height: document.page.height,
            metadata: document.metadata
        )
        var drawn = laid
        _ = try renderer.render(laidOut.pages) { raw, structure in
            drawn = clock.now
            return try PDFPostProcessor.finishReporting(
                raw,
                language: document.language,
                metadata: document.metadata,
                structure: structure,
                claims: Self.conformance,
                sharedPages: shared
            )
        }
        let finished = clock.now
        return RenderStageTimes(layout: laid - start, draw: drawn - laid, postProcess: finished - drawn)
    }
}
