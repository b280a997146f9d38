import Dispatch
import Foundation
import HummingbirdBcrypt

/// bcrypt, off the request threads (a hash at cost 12 takes about a quarter of a second).
public enum Passwords {
    /// Passwords shorter than this are refused.
    public static let minimumLength = 10

    public static func hash(_ password: String, cost: UInt8) async -> String {
        await offThread { Bcrypt.hash(password, cost: cost) }
    }

    /// `hash` nil: the user does not exist; a decoy hash is checked so that the answer takes as long.
    public static func verify(_ password: String, hash: String?) async -> Bool {
        await offThread {
            guard let hash else {
                _ = Bcrypt.verify(password, hash: decoy)
                return false
            }
            return Bcrypt.verify(password, hash: hash)
        }
    }

    /// A hash to verify against when the user does not exist, so that the answer takes as long.
    static let decoy = Bcrypt.hash("decoy password that matches nothing", cost: 12)

    /// Why a new password is refused, if it is.
    public static func problem(_ password: String, username: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.lowercased().contains(username.lowercased()) { return "must not contain the username" }
        return nil
    }

    static func offThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in
            DispatchQueue.global(qos: .userInitiated).async { c.resume(returning: work()) }
        }
    }
}

/// Blocking work (bcrypt, qpdf, pdftoppm) on a Dispatch thread, never on the cooperative pool or
/// an event loop.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global(qos: .userInitiated).async { c.resume(with: Result { try work() }) }
        }
    }
}
