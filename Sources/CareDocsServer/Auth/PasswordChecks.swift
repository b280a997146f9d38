import Foundation
import NIOConcurrencyHelpers

/// At most `limit` password checks (bcrypt, ~0.25 s of a core each at cost 12) at once: a flood
/// of sign-ins waits for a turn instead of taking every core from the ED lookup and the other
/// routes; one that waits longer than `wait` is refused (503). Counts the checks it ran, against
/// a real hash and against the decoy (tests and metrics read them).
final class PasswordChecks: Sendable {
    let limit: Int
    let wait: Duration
    private struct State {
        var running = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextId: UInt64 = 0
        var verified = 0
        var decoys = 0
    }
    private let state = NIOLockedValueBox(State())

    init(limit: Int, wait: Duration) {
        self.limit = max(1, limit)
        self.wait = wait
    }

    /// Password checks run so far against users' hashes, and against the decoy.
    var counts: (verified: Int, decoys: Int) { state.withLockedValue { ($0.verified, $0.decoys) } }

    /// Runs `Passwords.verify` when a turn comes within `wait`; nil when none came.
    func verify(_ password: String, hash: String?) async -> Bool? {
        guard await acquire() else { return nil }
        defer { release() }
        state.withLockedValue { s in
            if hash == nil { s.decoys += 1 } else { s.verified += 1 }
        }
        return await Passwords.verify(password, hash: hash)
    }

    private func acquire() async -> Bool {
        let wait = wait
        return await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let queued: UInt64? = state.withLockedValue { s in
                if s.running < limit {
                    s.running += 1
                    return nil
                }
                s.nextId += 1
                s.waiters.append((s.nextId, c))
                return s.nextId
            }
            guard let id = queued else { return c.resume(returning: true) }
            Task {
                try? await Task.sleep(for: wait)
                self.timeOut(id)
            }
        }
    }

    /// A waiter whose time ran out leaves the queue with `false` (if it is still there).
    private func timeOut(_ id: UInt64) {
        let c: CheckedContinuation<Bool, Never>? = state.withLockedValue { s in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: i).continuation
        }
        c?.resume(returning: false)
    }

    /// Hands the turn to the first waiter, or frees it.
    private func release() {
        let next: CheckedContinuation<Bool, Never>? = state.withLockedValue { s in
            if s.waiters.isEmpty {
                s.running -= 1
                return nil
            }
            return s.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
