// The slot thread's I/O with its worker: writing a job frame and reading the answer frame on
// non-blocking pipes, each wait a `poll` bounded by the job's deadline and interrupted by the
// shutdown deadline (through the mailbox's wake pipe). Results are reported as they are; what
// they mean for the job is `WorkerSlotStateMachine`'s business.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum WorkerIO {
    enum WriteResult: Equatable {
        /// This many more bytes went in (at least one).
        case wrote(Int)
        /// The pipe is closed (the worker is gone).
        case closed
        case timedOut, stopped
    }

    /// Writes from `offset` on: returns after the first write that takes bytes, or why none could
    /// be written before the deadline.
    static func write(
        _ frame: Data,
        from offset: Int,
        to fd: Int32,
        deadline: ContinuousClock.Instant,
        mailbox: WorkerMailbox
    ) -> WriteResult {
        frame.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> WriteResult in
            while true {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { return .wrote(n) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno != EAGAIN { return .closed }
                switch waitFor(fd, events: Int16(POLLOUT), deadline: deadline, mailbox: mailbox) {
                case .ready: continue
                case .timedOut: return .timedOut
                case .stopped: return .stopped
                }
            }
        }
    }

    enum ReadResult: Equatable {
        case answer(Data)
        case endOfFile
        case tooLarge(Int)
        case readError(Int32)
        case timedOut, stopped
    }

    /// One whole answer frame's payload, or why not.
    static func readAnswer(
        from fd: Int32,
        deadline: ContinuousClock.Instant,
        mailbox: WorkerMailbox
    ) -> ReadResult {
        var header = [UInt8](repeating: 0, count: 4)
        if let failure = readExactly(fd, into: &header, deadline: deadline, mailbox: mailbox) { return failure }
        let count = RenderFraming.length(header)
        guard count <= RenderFraming.maxFrameBytes else { return .tooLarge(count) }
        var payload = [UInt8](repeating: 0, count: count)
        if let failure = readExactly(fd, into: &payload, deadline: deadline, mailbox: mailbox) { return failure }
        return .answer(Data(payload))
    }

    /// nil when `buffer` is full; otherwise why not.
    private static func readExactly(
        _ fd: Int32,
        into buffer: inout [UInt8],
        deadline: ContinuousClock.Instant,
        mailbox: WorkerMailbox
    ) -> ReadResult? {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 {
                done += n
                continue
            }
            if n == 0 { return .endOfFile }
            if errno == EINTR { continue }
            if errno != EAGAIN { return .readError(errno) }
            switch waitFor(fd, events: Int16(POLLIN), deadline: deadline, mailbox: mailbox) {
            case .ready: continue
            case .timedOut: return .timedOut
            case .stopped: return .stopped
            }
        }
        return nil
    }

    private enum Wait { case ready, timedOut, stopped }

    /// Waits until `fd` is ready, the job's deadline passes, or the shutdown deadline passes.
    private static func waitFor(
        _ fd: Int32,
        events: Int16,
        deadline: ContinuousClock.Instant,
        mailbox: WorkerMailbox
    ) -> Wait {
        while true {
            let stop = mailbox.stopDeadline
            if let stop, stop <= .now { return .stopped }
            if deadline <= .now { return .timedOut }
            let until = stop.map { min($0, deadline) } ?? deadline
            var fds = [
                pollfd(fd: fd, events: events, revents: 0),
                pollfd(fd: mailbox.wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, timeout: milliseconds(until: until))
            if fds[1].revents != 0 { mailbox.drainWake() }
            if fds[0].revents != 0 { return .ready }
        }
    }

    /// `poll(2)`, again after EINTR.
    static func poll(_ fds: inout [pollfd], timeout: Int32) -> Int32 {
        while true {
            let r = fds.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), timeout) }
            if r >= 0 || errno != EINTR { return r }
        }
    }

    /// A `poll` timeout: milliseconds until `instant`, rounded up, 0 when it has passed.
    static func milliseconds(until instant: ContinuousClock.Instant) -> Int32 {
        let d = instant - .now
        if d <= .zero { return 0 }
        let (s, atto) = d.components
        return Int32(clamping: s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
