import CCairo
import Foundation

/// PNG images drawn with Cairo by code outside the engine (the specimen's logo). All Cairo work
/// in a process is serialized (see `PDFRenderer.cairoLock`), so such drawing goes through here.
public enum CairoImage {
    /// Draws on a `width` × `height` ARGB surface with `draw` (given the `cairo_t`) and returns
    /// the surface as PNG (empty when Cairo cannot make the surface).
    public static func png(width: Int32, height: Int32, draw: (OpaquePointer?) -> Void) -> Data {
        PDFRenderer.cairoLock.lock()
        defer { PDFRenderer.cairoLock.unlock() }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height) else { return Data() }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        draw(context)
        cairo_destroy(context)
        let sink = ByteSink()
        let closure = Unmanaged.passRetained(sink)
        defer { closure.release() }
        cairo_surface_write_to_png_stream(
            surface,
            { closure, bytes, length in
                guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().append(bytes, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            },
            closure.toOpaque()
        )
        return sink.data
    }
}
