import Foundation

/// The `sslmode` of a PostgreSQL URL: the one it names, else `require` for a host that is not
/// this machine (a password and PHI must not cross a network in clear text) and `prefer` for a
/// loopback host (`localhost`, `127.0.0.0/8`, `::1`), as before.
public enum PostgresSSLMode {
    /// The mode of a `postgres://…` URL (`nil` when it names no host).
    public static func of(url: String) -> String? {
        guard let c = URLComponents(string: url), let host = c.host, !host.isEmpty else { return nil }
        return resolve(host: host, sslmode: c.queryItems?.first(where: { $0.name == "sslmode" })?.value)
    }

    public static func resolve(host: String, sslmode: String?) -> String {
        if let sslmode, !sslmode.isEmpty { return sslmode }
        return isLoopback(host) ? "prefer" : "require"
    }

    /// `localhost` (and names under it), `127.x.y.z`, `::1` (with or without brackets).
    public static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h.hasSuffix(".localhost") || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
