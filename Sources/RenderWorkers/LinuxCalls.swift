// glibc functions the Swift `Glibc` module does not declare, looked up once with `dlsym`.
//
// Why `dlsym` and not a direct call: Swift's Glibc module is built without `_GNU_SOURCE`, so
// `pipe2`, `pthread_setname_np` and `posix_spawn_file_actions_addclosefrom_np` are not visible to
// Swift at all (checked with Swift 6.3.1: "cannot find 'pipe2' in scope"). Declaring them needs a
// C target (a Package.swift change outside this module), and `addclosefrom_np` only exists from
// glibc 2.34: looking it up at run time lets the binary still start on an older glibc, where the
// workers then rely on close-on-exec alone. swift-subprocess does the same look-up for the same
// reason (`_subprocess_addclosefrom_impl` in its process_shims.c).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
