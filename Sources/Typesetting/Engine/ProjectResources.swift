import Foundation

/// Finds the project's resource folders (`Fonts/`, `Locales/`, `Templates/`): an environment
/// variable first, then the working directory and its parents, then the folders above the
/// executable (so `.build/release/caredocs` finds them from anywhere in the checkout).
public enum ProjectResources {
    /// The folder named `folder` that contains `marker`, or nil.
    public static func locate(folder: String, containing marker: String, environment: String) -> URL? {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment[environment] {
            candidates.append(URL(fileURLWithPath: env))
        }
        var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent(folder))
            dir.deleteLastPathComponent()
        }
        var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(exe.appendingPathComponent(folder))
            exe.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(marker).path) }
    }
}
