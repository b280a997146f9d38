// One worker process: spawning it (posix_spawn with its stdin and stdout on pipes, nothing else
// inherited), the checks the slot makes on it, reaping it (SIGKILL, waitpid) and stopping it at
// shutdown.
//
// Why posix_spawn and not swift-subprocess (1.0.2, looked at for this file): its `Execution` only
// lives inside a `run { execution in … }` closure, so a worker that serves many jobs would be a
// task parked in that closure for its whole life, bridged to the slot's blocking thread; its
// stdin writer and stdout sequence hide the descriptors, and the resend-once rule needs them
// (FIONREAD on our end of the worker's stdin tells whether the worker read all of the job; a
// zero-timeout poll on its stdout tells whether an idle worker died), as does the slot's one
// `poll` over the worker and its wake pipe. Handing it our own pipes (`.fileDescriptor`) would
// leave it only the spawn and the wait, which it does with a monitor thread of its own (pidfd,
// or a SIGCHLD handler on kernels before 5.4), while the slot must reap a dead worker at once,
// synchronously, before it spawns the replacement and answers the job. What it would save is
// the spawn function below; what crash containment needs is all here: close-on-exec pipes,
// descriptors above 2 closed in the child (glibc 2.34's addclosefrom, looked up in LinuxCalls),
// SIGPIPE back to its default in the child, a bounded wait then SIGKILL. (It would also need
// swift-tools-version 6.2 in its own manifest; this toolchain could build it, Package.swift is
// unchanged.)

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        return !(WorkerIO.poll(&fds, timeout: 0) > 0 && fds[0].revents != 0)
    }

    // MARK: Ending it

    /// Closes the pipes and waits for the process (SIGKILL first when `kill`, or when it has not
    /// exited 2 s after its stdout closed). Returns how it ended.
    func reap(kill force: Bool) -> String {
        closePipes()
        if force { kill(pid, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            var status: Int32 = 0
            let r = waitpid(pid, &status, force ? 0 : WNOHANG)
            if r == pid { return Self.describe(status) }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { return "already reaped (\(String(cString: strerror(errno))))" }
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return "closed its stdout without exiting; killed"
            }
            usleep(2_000)
        }
    }

    /// At shutdown: closes stdin (an idle worker exits), waits for the exit until `deadline`,
    /// then SIGKILL. Returns whether it had to be killed.
    func stop(deadline: ContinuousClock.Instant) -> Bool {
        closePipes()
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return false }
            if r < 0 && errno != EINTR { return false }
            if ContinuousClock.now >= deadline { break }
            usleep(5_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return true
    }

    /// A `waitpid` status in words ("killed by signal 6 (SIGABRT)").
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

    // MARK: Spawning

    static let backtraceSettings =
        "enable=yes,interactive=no,color=no,sanitize=yes,registers=none,images=none,threads=crashed,output-to=stderr"

    /// The workers' scheduling priority (nice value): below the server's.
    static let workerNice: Int32 = 5

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
        // Renders yield to the server's own work: when letters fill the cores, the page an
        // emergency department opens still answers at once (best effort; a failure changes
        // nothing else).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), Self.workerNice)
        return WorkerProcess(pid: pid, stdin: toChild[1], stdout: fromChild[0])
    }
}

struct SpawnError: Error, CustomStringConvertible {
    var what: String
    var code: Int32
    var description: String { "\(what): \(String(cString: strerror(code)))" }
}
