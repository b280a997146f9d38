import ArgumentParser
import Foundation

@main
struct CareDocs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caredocs",
        abstract: "Letters and plans for MassHealth's CARES for Kids program, typeset in the family's language.",
        subcommands: [
            ValidateCommand.self, RenderCommand.self, SpecimenCommand.self, FontsCommand.self, LocalesCommand.self,
            BenchCommand.self,
            QueueCommand.self, MailroomCommand.self, AuditCommand.self, RenderWorkerCommand.self, ServeCommand.self,
            UsersCommand.self, TranslationsCommand.self,
        ]
    )

    /// Everything any command creates — the database and its WAL, batch folders, letters, the
    /// outbox, CSVs — is the running user's alone (files 0600, folders 0700): they hold PHI.
    static func main() {
        umask(0o077)
        main(nil)
    }
}

/// Errors the CLI reports with exit code 2 (failures other than invalid input).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data(("caredocs: " + message + "\n").utf8))
    exit(code)
}
