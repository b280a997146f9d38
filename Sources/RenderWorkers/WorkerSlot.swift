// A worker slot (the thread that owns one worker process: mailbox, resend rule, spawning, polled
// I/O, timeouts, reaping), the worker process, and the glibc calls looked up with dlsym.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One worker slot: a dedicated thread that owns one worker process at a time and does all of
/// its blocking IO. The pool hands it jobs through a mailbox (lock + wake pipe) and gets answers
/// back through checked continuations.
final class WorkerSlot: @unchecked Sendable {
    struct Spec: Sendable {
        var executable: String
        var arguments: [String]
        var environment: [String: String]?
        var timeout: Duration
    }

    let index: Int
    let spec: Spec
    let counters: Counters

    // Mailbox, under `lock`.
    private let lock = NSLock()
    private var pending: (job: RenderJob, continuation: CheckedContinuation<RenderOutcome, Error>)?
    private var stopDeadline: ContinuousClock.Instant?
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    private var startContinuation: CheckedContinuation<Error?, Never>?
    private var publishedPID: pid_t?
    /// Written to (one byte) to wake the thread from `poll`.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    // Owned by the slot thread.
    private var worker: WorkerProcess?
    private var quickDeaths = 0
    private var respawnAt: ContinuousClock.Instant?

    init(index: Int, spec: Spec, counters: Counters) {
        self.index = index
        self.spec = spec
        self.counters = counters
        var fds: [Int32] = [-1, -1]
        guard LinuxCalls.pipe2(&fds, O_CLOEXEC | O_NONBLOCK) == 0 else {
            fatalError("render pool: cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    var currentPID: pid_t? { lock.withLock { publishedPID } }

    // MARK: Called from the pool (any thread or task)

    /// Starts the thread, which spawns the first worker; nil when it is running.
    func start() async -> Error? {
        await withCheckedContinuation { (c: CheckedContinuation<Error?, Never>) in
            lock.withLock { startContinuation = c }
            let thread = Thread { [self] in self.threadMain() }
            thread.name = "render-slot-\(index)"
            thread.start()
        }
    }

    /// Runs one job on this slot's worker (the slot must have been acquired from the pool).
    func perform(_ job: RenderJob) async throws -> RenderOutcome {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<RenderOutcome, Error>) in
            let accepted: Bool = lock.withLock {
                guard !stopped, stopDeadline == nil, pending == nil else { return false }
                pending = (job, c)
                return true
            }
            if accepted {
                wake()
            } else {
                c.resume(throwing: RenderWorkerPoolError.shutDown)
            }
        }
    }

    func requestStop(deadline: ContinuousClock.Instant) {
        lock.withLock { if stopDeadline == nil { stopDeadline = deadline } }
        wake()
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done: Bool = lock.withLock {
                if stopped { return true }
                stopWaiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }

    private func wake() {
        var b: UInt8 = 1
        _ = Glibc.write(wakeWrite, &b, 1)  // EAGAIN: the pipe is full, the thread will wake anyway
    }

    private func drainWake() {
        var buf = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buf, buf.count) > 0 {}
    }

    // MARK: The slot thread

    private func threadMain() {
        var startError: Error?
        do { try spawn() } catch { startError = error }
        let c = lock.withLock { () -> CheckedContinuation<Error?, Never>? in
            defer { startContinuation = nil }
            return startContinuation
        }
        c?.resume(returning: startError)

        LinuxCalls.nameThread("render-slot-\(index)")
        while true {
            // The mailbox first: a stop may have been noticed (and its wake byte drained) while
            // a job was running.
            let (job, stop) = lock.withLock { () -> ((RenderJob, CheckedContinuation<RenderOutcome, Error>)?, Bool) in
                defer { pending = nil }
                return (pending, stopDeadline != nil)
            }
            if let (job, continuation) = job {
                continuation.resume(with: run(job))
                continue
            }
            if stop { break }
            if worker == nil, let at = respawnAt, at <= .now {
                replace()
                continue
            }

            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if let w = worker { fds.append(pollfd(fd: w.stdout, events: Int16(POLLIN), revents: 0)) }
            var timeout: Int32 = -1
            if worker == nil, let at = respawnAt { timeout = Self.milliseconds(until: at) }
            _ = Self.poll(&fds, timeout: timeout)
            if fds[0].revents != 0 { drainWake() }
            if fds.count > 1 && fds[1].revents != 0 {
                // The worker's stdout is readable or closed while it has no job: it died, or
                // it wrote something it must not. Either way it is replaced.
                diedWhileIdle()
            }
        }

        stopWorker()
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            stopped = true
            defer { stopWaiters = [] }
            return stopWaiters
        }
        for w in waiters { w.resume() }
    }

    /// One job: the outcome, or a `RenderWorkerPoolError`. Leaves a live worker behind (or none when
    /// one cannot be spawned).
    private func run(_ job: RenderJob) -> Result<RenderOutcome, Error> {
        let frame: Data
        do {
            frame = try RenderFraming.frame(job)
        } catch RenderFraming.FrameError.tooLarge(let n) {
            return .success(.badJob("the job (\(n) bytes) is over the \(RenderFraming.maxFrameBytes >> 20) MiB limit"))
        } catch {
            return .success(.badJob("the job cannot be encoded: \(error)"))
        }
        if let stop = lock.withLock({ stopDeadline }), stop <= .now { return .failure(RenderWorkerPoolError.shutDown) }

        var resent = false
        while true {
            // Only a live worker gets the job: one that died since it last answered is reaped
            // and replaced first.
            if let w = worker, !w.looksAlive() { diedWhileIdle() }
            if worker == nil {
                do {
                    try spawnReplacement()
                } catch {
                    return .failure(RenderWorkerPoolError.workerCrashed("a render worker cannot be started: \(error)"))
                }
            }
            guard let w = worker else { return .failure(RenderWorkerPoolError.workerCrashed("no render worker")) }

            let deadline = ContinuousClock.now + spec.timeout
            switch write(frame, to: w, deadline: deadline) {
            case .written:
                break
            case .closed:
                if !resent {
                    // The pipe closed before the whole job went in: the worker never had the
                    // job, so it was not rendering it. Replace it and send the job once more.
                    resent = true
                    diedWhileIdle()
                    continue
                }
                return .failure(crashed(w, during: "while receiving the job"))
            case .timedOut:
                return .failure(timedOut(w))
            case .stopped:
                return .failure(killForShutdown(w))
            }

            switch readAnswer(from: w, deadline: deadline) {
            case .answer(let payload):
                guard let outcome = try? JSONDecoder().decode(RenderOutcome.self, from: payload) else {
                    return .failure(brokeProtocol(w, "answered with something that is not a RenderOutcome"))
                }
                counters.add { $0.jobs += 1 }
                quickDeaths = 0
                return .success(outcome)
            case .endOfFile:
                if !resent, let unread = w.unreadInput(), unread > 0 {
                    // The worker died before it had read the whole job (its last bytes are still
                    // in the pipe), so it was not rendering it: it was dying already (killed
                    // while idle, just before the dispatch check could see it). Replace it and
                    // send the job once more.
                    resent = true
                    diedWhileIdle()
                    continue
                }
                return .failure(crashed(w, during: nil))
            case .tooLarge(let n):
                return .failure(
                    brokeProtocol(
                        w,
                        "sent an answer of \(n) bytes (over the \(RenderFraming.maxFrameBytes >> 20) MiB limit)"
                    )
                )
            case .readError(let e):
                return .failure(brokeProtocol(w, "its stdout failed: \(String(cString: strerror(e)))"))
            case .timedOut:
                return .failure(timedOut(w))
            case .stopped:
                return .failure(killForShutdown(w))
            }
        }
    }

    // MARK: Failures

    private func crashed(_ w: WorkerProcess, during: String?) -> RenderWorkerPoolError {
        let how = reap(w, kill: false)
        counters.add { $0.crashes += 1 }
        Self.log("worker \(w.pid) (slot \(index)) stopped \(during ?? "while rendering"): \(how)")
        try? spawnReplacement()
        return .workerCrashed(how)
    }

    private func brokeProtocol(_ w: WorkerProcess, _ what: String) -> RenderWorkerPoolError {
        _ = reap(w, kill: true)
        counters.add { $0.crashes += 1 }
        Self.log("worker \(w.pid) (slot \(index)) \(what); killed")
        try? spawnReplacement()
        return .workerCrashed("the worker \(what)")
    }

    private func timedOut(_ w: WorkerProcess) -> RenderWorkerPoolError {
        _ = reap(w, kill: true)
        counters.add { $0.timeouts += 1 }
        Self.log("worker \(w.pid) (slot \(index)) did not answer within \(spec.timeout); killed")
        try? spawnReplacement()
        return .timedOut
    }

    private func killForShutdown(_ w: WorkerProcess) -> RenderWorkerPoolError {
        _ = reap(w, kill: true)
        Self.log("worker \(w.pid) (slot \(index)) still rendering at the shutdown deadline; killed")
        return .shutDown
    }

    /// The worker died (or misbehaved) with no job: reap it and schedule its replacement, at
    /// once unless replacements keep dying right after they start.
    private func diedWhileIdle() {
        guard let w = worker else { return }
        let how = reap(w, kill: true)
        let lived = ContinuousClock.now - w.started
        quickDeaths = lived < .seconds(2) ? quickDeaths + 1 : 0
        Self.log("worker \(w.pid) (slot \(index)) stopped while idle: \(how)")
        if quickDeaths == 0 {
            respawnAt = .now
        } else {
            let seconds = min(10.0, 0.1 * pow(2.0, Double(quickDeaths - 1)))
            respawnAt = .now + .milliseconds(Int(seconds * 1000))
        }
    }

    private func replace() {
        do {
            try spawnReplacement()
        } catch {
            quickDeaths += 1
            respawnAt = .now + .seconds(min(10, 1 << min(quickDeaths, 4)))
            Self.log("slot \(index): cannot start a render worker: \(error)")
        }
    }

    // MARK: Processes

    private func spawn() throws {
        let w = try WorkerProcess.spawn(spec.executable, spec.arguments, environment: spec.environment)
        worker = w
        respawnAt = nil
        lock.withLock { publishedPID = w.pid }
    }

    private func spawnReplacement() throws {
        if let w = worker { _ = reap(w, kill: true) }
        try spawn()
        counters.add { $0.restarts += 1 }
    }

    /// Closes the pipes and waits for the process (SIGKILL first when `kill`, or when it has not
    /// exited 2 s after its stdout closed). Returns how it ended.
    @discardableResult
    private func reap(_ w: WorkerProcess, kill force: Bool) -> String {
        if worker?.pid == w.pid {
            worker = nil
            lock.withLock { publishedPID = nil }
        }
        w.closePipes()
        if force { kill(w.pid, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            var status: Int32 = 0
            let r = waitpid(w.pid, &status, force ? 0 : WNOHANG)
            if r == w.pid { return Self.describe(status) }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { return "already reaped (\(String(cString: strerror(errno))))" }
            if ContinuousClock.now >= deadline {
                kill(w.pid, SIGKILL)
                while waitpid(w.pid, &status, 0) < 0 && errno == EINTR {}
                return "closed its stdout without exiting; killed"
            }
            usleep(2_000)
        }
    }

    /// At shutdown: close stdin, wait for the exit until the deadline, then SIGKILL.
    private func stopWorker() {
        guard let w = worker else { return }
        worker = nil
        lock.withLock { publishedPID = nil }
        w.closePipes()
        let deadline = lock.withLock { stopDeadline } ?? .now
        var status: Int32 = 0
        while true {
            let r = waitpid(w.pid, &status, WNOHANG)
            if r == w.pid { return }
            if r < 0 && errno != EINTR { return }
            if ContinuousClock.now >= deadline { break }
            usleep(5_000)
        }
        Self.log("worker \(w.pid) (slot \(index)) did not exit 5 s after its stdin closed; killed")
        kill(w.pid, SIGKILL)
        while waitpid(w.pid, &status, 0) < 0 && errno == EINTR {}
    }

    // MARK: IO with deadlines

    private enum WriteResult {
        case written
        case closed(written: Int)
        case timedOut, stopped
    }

    private func write(_ frame: Data, to w: WorkerProcess, deadline: ContinuousClock.Instant) -> WriteResult {
        frame.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> WriteResult in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(w.stdin, raw.baseAddress! + done, raw.count - done)
                if n > 0 {
                    done += n
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno != EAGAIN { return .closed(written: done) }
                switch waitFor(w.stdin, events: Int16(POLLOUT), deadline: deadline) {
                case .ready: continue
                case .timedOut: return .timedOut
                case .stopped: return .stopped
                }
            }
            return .written
        }
    }

    private enum ReadResult {
        case answer(Data)
        case endOfFile
        case tooLarge(Int)
        case readError(Int32)
        case timedOut, stopped
    }

    private func readAnswer(from w: WorkerProcess, deadline: ContinuousClock.Instant) -> ReadResult {
        var header = [UInt8](repeating: 0, count: 4)
        switch readExactly(w, into: &header, deadline: deadline) {
        case .some(let failure): return failure
        case .none: break
        }
        let count = RenderFraming.length(header)
        guard count <= RenderFraming.maxFrameBytes else { return .tooLarge(count) }
        var payload = [UInt8](repeating: 0, count: count)
        if let failure = readExactly(w, into: &payload, deadline: deadline) { return failure }
        return .answer(Data(payload))
    }

    /// nil when `buffer` is full; otherwise why not.
    private func readExactly(
        _ w: WorkerProcess,
        into buffer: inout [UInt8],
        deadline: ContinuousClock.Instant
    ) -> ReadResult? {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(w.stdout, $0.baseAddress! + done, $0.count - done) }
            if n > 0 {
                done += n
                continue
            }
            if n == 0 { return .endOfFile }
            if errno == EINTR { continue }
            if errno != EAGAIN { return .readError(errno) }
            switch waitFor(w.stdout, events: Int16(POLLIN), deadline: deadline) {
            case .ready: continue
            case .timedOut: return .timedOut
            case .stopped: return .stopped
            }
        }
        return nil
    }

    private enum Wait { case ready, timedOut, stopped }

    /// Waits until `fd` is ready, the job's deadline passes, or the shutdown deadline passes.
    private func waitFor(_ fd: Int32, events: Int16, deadline: ContinuousClock.Instant) -> Wait {
        while true {
            let stop = lock.withLock { stopDeadline }
            if let stop, stop <= .now { return .stopped }
            if deadline <= .now { return .timedOut }
            let until = stop.map { min($0, deadline) } ?? deadline
            var fds = [
                pollfd(fd: fd, events: events, revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            _ = Self.poll(&fds, timeout: Self.milliseconds(until: until))
            if fds[1].revents != 0 { drainWake() }
            if fds[0].revents != 0 { return .ready }
        }
    }

    static func poll(_ fds: inout [pollfd], timeout: Int32) -> Int32 {
        while true {
            let r = fds.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), timeout) }
            if r >= 0 || errno != EINTR { return r }
        }
    }

    static func milliseconds(until instant: ContinuousClock.Instant) -> Int32 {
        let d = instant - .now
        if d <= .zero { return 0 }
        let (s, atto) = d.components
        return Int32(clamping: s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    static func describe(_ status: Int32) -> String {
        let low = status & 0x7f
        if low == 0 { return "exited with status \((status >> 8) & 0xff)" }
        if low != 0x7f {
            let names: [Int32: String] = [
                SIGABRT: "SIGABRT", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
                SIGFPE: "SIGFPE", SIGTRAP: "SIGTRAP", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGPIPE: "SIGPIPE",
            ]
            return "killed by signal \(low)" + (names[low].map { " (\($0))" } ?? "")
        }
        return "stopped (status \(status))"
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("caredocs render pool: \(message)\n".utf8))
    }
}

/// A spawned worker: its pid and the parent's ends of its stdin and stdout (non-blocking,
/// close-on-exec so no other child inherits them and EOF means this worker is gone).
final class WorkerProcess {
    let pid: pid_t
    let stdin: Int32
    let stdout: Int32
    let started = ContinuousClock.now
    private var closed = false

    private init(pid: pid_t, stdin: Int32, stdout: Int32) {
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
    }

    deinit { closePipes() }

    func closePipes() {
        guard !closed else { return }
        closed = true
        close(stdin)
        close(stdout)
    }

    /// Bytes written to the worker's stdin it has not read yet (nil if unknown).
    func unreadInput() -> Int? {
        var n: Int32 = 0
        guard ioctl(stdin, UInt(FIONREAD), &n) == 0 else { return nil }
        return Int(n)
    }

    /// No sign of death: its stdout is neither closed (the kernel closes it when the process
    /// dies; no other process holds it, thanks to close-on-exec) nor holding bytes nobody asked
    /// for.
    func looksAlive() -> Bool {
        var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)]
        return !(WorkerSlot.poll(&fds, timeout: 0) > 0 && fds[0].revents != 0)
    }

    static let backtraceSettings =
        "enable=yes,interactive=no,color=no,sanitize=yes,registers=none,images=none,threads=crashed,output-to=stderr"

    static func spawn(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]?
    ) throws -> WorkerProcess {
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard LinuxCalls.pipe2(&toChild, O_CLOEXEC) == 0 else { throw SpawnError(what: "pipe", code: errno) }
        guard LinuxCalls.pipe2(&fromChild, O_CLOEXEC) == 0 else {
            let e = errno
            close(toChild[0])
            close(toChild[1])
            throw SpawnError(what: "pipe", code: e)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO)
        // Nothing else of ours reaches the worker (listening sockets, other workers' pipes).
        if let closeFrom = LinuxCalls.closeFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)  // we ignore SIGPIPE; the worker gets the default back
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var env = environment ?? ProcessInfo.processInfo.environment
        // A crashing worker's Swift backtrace goes to stderr without register and memory
        // dumps, which could hold pieces of a record (unless the caller chose otherwise).
        if env["SWIFT_BACKTRACE"] == nil { env["SWIFT_BACKTRACE"] = Self.backtraceSettings }
        let envp: [UnsafeMutablePointer<CChar>?] =
            env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in envp { free(p) } }

        var pid: pid_t = 0
        let rc: Int32 = argv.withUnsafeBufferPointer { args in
            func go(_ env: UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
                executable.contains("/")
                    ? posix_spawn(&pid, executable, &actions, &attributes, args.baseAddress!, env!)
                    : posix_spawnp(&pid, executable, &actions, &attributes, args.baseAddress!, env!)
            }
            return envp.withUnsafeBufferPointer { go($0.baseAddress) }
        }
        close(toChild[0])
        close(fromChild[1])
        guard rc == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw SpawnError(what: "spawning \(executable)", code: rc)
        }
        _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fromChild[0], F_SETFL, fcntl(fromChild[0], F_GETFL) | O_NONBLOCK)
        return WorkerProcess(pid: pid, stdin: toChild[1], stdout: fromChild[0])
    }
}

struct SpawnError: Error, CustomStringConvertible {
    var what: String
    var code: Int32
    var description: String { "\(what): \(String(cString: strerror(code)))" }
}

/// glibc calls the Swift Glibc module does not declare (they need _GNU_SOURCE), looked up once.
enum LinuxCalls {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// `pipe2(2)`: both descriptors created close-on-exec atomically, so a child another thread
    /// spawns at that moment cannot inherit them.
    static let pipe2Function: Pipe2? = symbol("pipe2")
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34).
    static let closeFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32
    static let setName: SetName? = symbol("pthread_setname_np")

    /// Names the calling thread (15 bytes at most), for `top -H` and debuggers.
    static func nameThread(_ name: String) {
        _ = setName?(pthread_self(), String(name.prefix(15)))
    }

    static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let f = pipe2Function { return f(fds, flags) }
        // Not atomic, but close-on-exec all the same.
        guard pipe(fds) == 0 else { return -1 }
        for i in 0..<2 {
            _ = fcntl(fds[i], F_SETFD, FD_CLOEXEC)
            if flags & O_NONBLOCK != 0 { _ = fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) }
        }
        return 0
    }

    private static func symbol<T>(_ name: String) -> T? {
        guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(p, to: T.self)
    }
}
