import Foundation

/// The bundled fonts and their fallback chains (`Fonts/manifest.json`).
public struct FontManifest: Sendable, Decodable {
    public struct Family: Sendable, Decodable {
        public var regular: String
        public var bold: String?
        public var italic: String?
        public var boldItalic: String?
    }
    public var families: [String: Family]
    /// ISO 15924 script code → family names, in order of preference.
    public var scripts: [String: [String]]
    /// BCP 47 language tag → family names preferred for that language (e.g. the CJK face).
    public var languages: [String: [String]]
    /// Families tried, in order, for any character the script and language chains do not cover.
    public var fallback: [String]

    /// Folder of the manifest; font paths are relative to it.
    public var directory: URL = URL(fileURLWithPath: ".")

    enum CodingKeys: String, CodingKey { case families, scripts, languages, fallback }

    public static func load(from url: URL) throws -> FontManifest {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TypesettingError.fonts("cannot read font manifest \(url.path): \(error.localizedDescription)")
        }
        do {
            var manifest = try JSONDecoder().decode(FontManifest.self, from: data)
            manifest.directory = url.deletingLastPathComponent()
            return manifest
        } catch {
            throw TypesettingError.fonts("font manifest \(url.path) is not valid: \(error)")
        }
    }

    /// Finds `Fonts/manifest.json`: `$CAREDOCS_FONTS`, then the working directory and its
    /// parents, then the folders above the executable.
    public static func locate() throws -> URL {
        guard
            let dir = ProjectResources.locate(
                folder: "Fonts",
                containing: "manifest.json",
                environment: "CAREDOCS_FONTS"
            )
        else {
            throw TypesettingError.fonts(
                "Fonts/manifest.json not found; run scripts/setup.sh from the project folder or set CAREDOCS_FONTS"
            )
        }
        return dir.appendingPathComponent("manifest.json")
    }

    public func path(of file: String) -> URL { directory.appendingPathComponent(file) }

    /// Every file the manifest names, with whether it is present.
    public func files() -> [(family: String, file: String, present: Bool)] {
        var out: [(String, String, Bool)] = []
        for name in families.keys.sorted() {
            let f = families[name]!
            for file in [f.regular, f.bold, f.italic, f.boldItalic].compactMap({ $0 }) {
                out.append((name, file, FileManager.default.fileExists(atPath: path(of: file).path)))
            }
        }
        return out
    }
}

public enum TypesettingError: Error, CustomStringConvertible, Sendable {
    case fonts(String)
    case cairo(String)
    case pdf(String)
    case io(String)

    public var description: String {
        switch self {
        case .fonts(let m): return "fonts: \(m)"
        case .cairo(let m): return "cairo: \(m)"
        case .pdf(let m): return "pdf: \(m)"
        case .io(let m): return "output: \(m)"
        }
    }
}
