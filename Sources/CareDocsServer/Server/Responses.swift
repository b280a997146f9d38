import Foundation
import Hummingbird

enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{\"error\":\"cannot encode the answer\",\"details\":[]}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

enum HTMLResponse {
    static func make(_ html: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer",
        ]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

enum BinaryResponse {
    static func make(_ data: Data, contentType: String, filename: String? = nil, inline: Bool = true) -> Response {
        var headers: HTTPFields = [
            .contentType: contentType, .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff",
        ]
        if let filename {
            headers[.contentDisposition] = ContentDisposition.value(filename: filename, inline: inline)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `Content-Disposition` by RFC 6266: an ASCII `filename="…"` for old clients (anything outside
/// printable ASCII, quotes, backslashes and `%` become `_`) and `filename*=UTF-8''…` with the
/// real name percent-encoded (RFC 8187 attr-chars only), which clients prefer.
public enum ContentDisposition {
    /// RFC 8187 `attr-char`: ASCII letters, digits and ``!#$&+-.^_`|~``.
    static let attrChars: CharacterSet = {
        var set = CharacterSet(charactersIn: "!#$&+-.^_`|~")
        set.insert(charactersIn: Unicode.Scalar("a")...Unicode.Scalar("z"))
        set.insert(charactersIn: Unicode.Scalar("A")...Unicode.Scalar("Z"))
        set.insert(charactersIn: Unicode.Scalar("0")...Unicode.Scalar("9"))
        return set
    }()

    public static func value(filename: String, inline: Bool) -> String {
        let fallback = String(
            String.UnicodeScalarView(
                filename.unicodeScalars.map { s in
                    (0x20...0x7E).contains(s.value) && s != "\"" && s != "\\" && s != "%" ? s : "_"
                }
            )
        )
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: attrChars) ?? fallback
        return "\(inline ? "inline" : "attachment"); filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
