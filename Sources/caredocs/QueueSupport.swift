import ArgumentParser
import CaresDocuments
import Deadlines
import Dispatch
import Foundation

/// `--database` and `--actor`, shared by the queue, mailroom and audit commands.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "SQLite file, or postgres://user[:password]@host[:port]/db (default: $CAREDOCS_DATABASE, else caredocs.sqlite)."
    )
    var database: String?
    @Option(help: "Who is acting, for the audit log (default: $CAREDOCS_ACTOR, else $USER).")
    var actor: String?

    var resolvedDatabase: String {
        database ?? ProcessInfo.processInfo.environment["CAREDOCS_DATABASE"] ?? "caredocs.sqlite"
    }
    var resolvedActor: String {
        let env = ProcessInfo.processInfo.environment
        return actor ?? env["CAREDOCS_ACTOR"] ?? env["USER"] ?? env["LOGNAME"] ?? "unknown"
    }

    /// Opens the store, runs `body`, closes the store; store failures exit 2, refusals exit 1.
    func withStore<T: Sendable>(_ body: @escaping @Sendable (any DeadlineStore) async throws -> T) throws -> T {
        let database = resolvedDatabase
        return try runBlocking {
            let store: any DeadlineStore
            do { store = try await openDeadlineStore(database) } catch {
                fail("cannot open the queue database: \(error)")
            }
            do {
                let value = try await body(store)
                try? await store.close()
                return value
            } catch {
                try? await store.close()
                throw error
            }
        }
    }
}

final class ResultBox<T>: @unchecked Sendable { var result: Result<T, any Error>? }

/// Runs async work from a synchronous command (the root command stays a `ParsableCommand`).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// Refusals (state machine, tracking numbers, unknown obligations) exit 1 with their reason.
func reportRefusal(_ error: any Error) -> Never {
    switch error {
    case let e as TransitionRefused: fail(e.description, code: 1)
    case let e as TrackingNumberError: fail(e.description, code: 1)
    case let e as DeadlineStoreError: fail(e.description, code: 1)
    case let e as ExitCode: exit(e.rawValue)
    default: fail("\(error)")
    }
}

func parseDay(_ text: String?, option: String) -> CalendarDate {
    guard let text else { return ProgramCalendar.today() }
    guard let d = CalendarDate(text) else { fail("\(option) must be a real date YYYY-MM-DD", code: 1) }
    return d
}

func printJSON<T: Encodable>(_ value: T) {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? enc.encode(value)) ?? Data("null".utf8)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}
