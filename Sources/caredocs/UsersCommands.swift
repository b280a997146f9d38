import ArgumentParser
import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract:
            "Manage the people who sign in (roles: admin, coordinator, mailroom, ed, translator) and API tokens for integrations.",
        subcommands: [
            UsersAddCommand.self, UsersPasswdCommand.self, UsersDisableCommand.self, UsersEnableCommand.self,
            UsersListCommand.self,
            UsersTokenCommand.self, UsersRevokeCommand.self,
        ]
    )
}

/// The password: from standard input with --password-stdin (one line), else asked twice at the terminal.
func readPassword(stdin: Bool, username: String) -> String {
    let password: String
    if stdin {
        guard let line = readLine(strippingNewline: true) else { fail("no password on standard input", code: 1) }
        password = line
    } else {
        guard let first = getpass("New password for \(username): ").map({ String(cString: $0) }) else {
            fail("cannot read a password", code: 1)
        }
        guard let second = getpass("Again: ").map({ String(cString: $0) }), second == first else {
            fail("the passwords differ", code: 1)
        }
        password = first
    }
    if let problem = Passwords.problem(password, username: username) { fail("the password \(problem)", code: 1) }
    return password
}

func parseRole(_ text: String) -> Role {
    guard let r = Role(rawValue: text) else {
        fail(
            "unknown role \(Quote.value(text)) (one of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))",
            code: 1
        )
    }
    return r
}

func withAccessStore<T: Sendable>(
    _ db: DatabaseOptions,
    _ body: @escaping @Sendable (any DeadlineStore & AccessStore) async throws -> T
) throws -> T {
    let database = db.resolvedDatabase
    return try runBlocking {
        let store: any DeadlineStore & AccessStore
        do { store = try await openServiceStore(database) } catch { fail("cannot open the database: \(error)") }
        do {
            let v = try await body(store)
            try? await store.close()
            return v
        } catch {
            try? await store.close()
            throw error
        }
    }
}

func accessRefusal(_ error: any Error) -> Never {
    if let e = error as? AccessStoreError { fail(e.description, code: 1) }
    fail("\(error)")
}

struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user with a role.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Username.") var username: String
    @Option(help: "admin, coordinator, mailroom, ed or translator.") var role: String
    @Flag(help: "Read the password from standard input.") var passwordStdin = false
    @Option(help: "bcrypt cost (default 12).") var cost: UInt8 = 12

    func run() throws {
        guard username.range(of: "^[A-Za-z0-9._@-]{1,64}$", options: .regularExpression) != nil else {
            fail("usernames are 1–64 letters, digits, '.', '_', '@' or '-'", code: 1)
        }
        let role = parseRole(role)
        let password = readPassword(stdin: passwordStdin, username: username)
        let actor = db.resolvedActor
        let username = username
        let cost = cost
        do {
            try withAccessStore(db) { store in
                let hash = await Passwords.hash(password, cost: cost)
                try await store.createUser(
                    UserAccount(username: username, role: role, passwordHash: hash, createdAt: Date()),
                    actor: actor,
                    now: Date()
                )
            }
        } catch { accessRefusal(error) }
        print("added \(username) (\(role.rawValue))")
    }
}

struct UsersPasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Set a user's password (signs them out everywhere)."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Username.") var username: String
    @Flag(help: "Read the password from standard input.") var passwordStdin = false
    @Option(help: "bcrypt cost (default 12).") var cost: UInt8 = 12

    func run() throws {
        let password = readPassword(stdin: passwordStdin, username: username)
        let actor = db.resolvedActor
        let username = username
        let cost = cost
        do {
            try withAccessStore(db) { store in
                let hash = await Passwords.hash(password, cost: cost)
                try await store.setPasswordHash(hash, for: username, actor: actor, now: Date())
                try await store.deleteSessions(of: username)
            }
        } catch { accessRefusal(error) }
        print("password changed for \(username); their sessions are ended")
    }
}

struct UsersDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Stop a user from signing in (ends their sessions)."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Username.") var username: String

    func run() throws {
        let actor = db.resolvedActor
        let username = username
        do {
            try withAccessStore(db) { store in
                try await store.setDisabled(true, for: username, actor: actor, now: Date())
                try await store.deleteSessions(of: username)
            }
        } catch { accessRefusal(error) }
        print("disabled \(username)")
    }
}

struct UsersEnableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Let a disabled user sign in again."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Username.") var username: String

    func run() throws {
        let actor = db.resolvedActor
        let username = username
        do {
            try withAccessStore(db) { store in
                try await store.setDisabled(false, for: username, actor: actor, now: Date())
            }
        } catch { accessRefusal(error) }
        print("enabled \(username)")
    }
}

struct UsersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users: name, role, state.")
    @OptionGroup var db: DatabaseOptions

    func run() throws {
        let users = try withAccessStore(db) { store in try await store.users() }
        for u in users.sorted(by: { $0.username < $1.username }) {
            print("\(u.username)\t\(u.role.rawValue)\t\(u.disabled ? "disabled" : "active")")
        }
    }
}

struct UsersTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make an API token for an integration, scoped to a role; printed once."
    )
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "A name for the integration (e.g. ehr-sync).") var name: String
    @Option(help: "admin, coordinator, mailroom, ed or translator.") var role: String

    func run() throws {
        let role = parseRole(role)
        let actor = db.resolvedActor
        let name = name
        let token = Tokens.random(prefix: "cdk_")
        do {
            try withAccessStore(db) { store in
                try await store.createAPIToken(
                    APITokenRecord(name: name, role: role, tokenHash: Tokens.hash(token), createdAt: Date()),
                    actor: actor,
                    now: Date()
                )
            }
        } catch { accessRefusal(error) }
        print(token)
    }
}

struct UsersRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API token by its name.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The token's name.") var name: String

    func run() throws {
        let actor = db.resolvedActor
        let name = name
        do {
            try withAccessStore(db) { store in try await store.revokeAPIToken(name: name, actor: actor, now: Date()) }
        } catch { accessRefusal(error) }
        print("revoked \(name)")
    }
}
