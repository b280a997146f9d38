import Crypto
import Foundation

/// The secret that keys the audit chain: each new entry's hash is an HMAC-SHA256 under it, so
/// someone with access to the database alone cannot rewrite entries and recompute their hashes.
/// Read from `CAREDOCS_AUDIT_KEY` (the key itself) or `CAREDOCS_AUDIT_KEY_FILE` (a file only its
/// owner may read or write: mode 0600 or 0400), at least 32 characters.
public struct AuditKey: Sendable {
    /// The key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`; one is made per use).
    let secret: Data
    public static let minimumLength = 32

    public init(secret: String) throws {
        guard secret.utf8.count >= Self.minimumLength else { throw AuditKeyError.tooShort }
        self.secret = Data(secret.utf8)
    }

    /// The key the environment names, or `nil` when it names none.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AuditKey? {
        let inline = environment["CAREDOCS_AUDIT_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let file = environment["CAREDOCS_AUDIT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        switch (inline, file) {
        case (nil, nil): return nil
        case (let secret?, nil): return try AuditKey(secret: secret)
        case (nil, let path?): return try fromFile(path)
        case (.some, .some): throw AuditKeyError.bothSet
        }
    }

    /// The key in `path` (trailing newlines and spaces ignored); refused when the file's group or
    /// others may read or write it.
    public static func fromFile(_ path: String) throws -> AuditKey {
        var info = stat()
        guard stat(path, &info) == 0, let data = FileManager.default.contents(atPath: path) else {
            throw AuditKeyError.unreadableFile
        }
        guard info.st_mode & 0o077 == 0 else { throw AuditKeyError.fileNotPrivate }
        let secret = String(decoding: data, as: UTF8.self)
        return try AuditKey(secret: String(secret.reversed().drop { $0.isWhitespace }.reversed()))
    }

    /// HMAC-SHA256 of `text` under the key, in lowercase hex.
    func mac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: secret)).lowercaseHex
    }

    /// Recorded in the store when the chain is keyed: tells whether a later key is the same one,
    /// and reveals nothing of it.
    var check: String { mac("caredocs audit key check") }
}

/// How a store's audit chain is sealed: SHA-256, or HMAC-SHA256 from entry `keyedFrom` on (the
/// entries before it stay SHA-256, and the first keyed entry's HMAC covers the last of them).
public enum AuditMode: String, Sendable, Hashable, Codable {
    case sha256
    case hmacSHA256 = "hmac-sha256"
}

public enum AuditKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooShort
    case bothSet
    case unreadableFile
    case fileNotPrivate
    /// The store's chain is keyed from this entry on and no key was given.
    case keyRequired(keyedFrom: Int)
    /// The key given is not the one the store was keyed with (or the store's record of it was
    /// changed).
    case wrongKey

    public var description: String {
        switch self {
        case .tooShort: "the audit key must be at least \(AuditKey.minimumLength) characters"
        case .bothSet: "set CAREDOCS_AUDIT_KEY or CAREDOCS_AUDIT_KEY_FILE, not both"
        case .unreadableFile: "cannot read the audit key file (CAREDOCS_AUDIT_KEY_FILE)"
        case .fileNotPrivate:
            "the audit key file (CAREDOCS_AUDIT_KEY_FILE) may be read or written by others: make it mode 0600"
        case .keyRequired(let from):
            "this store's audit chain is keyed (HMAC-SHA256 from entry \(from) on): set CAREDOCS_AUDIT_KEY or CAREDOCS_AUDIT_KEY_FILE to append to it or verify it"
        case .wrongKey:
            "the audit key is not the one this store's audit chain is keyed with (or the store's key check was changed)"
        }
    }
}
