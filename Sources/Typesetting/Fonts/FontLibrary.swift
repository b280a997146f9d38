import CFreeType
import Foundation

/// The fonts of one engine (one worker): loads each file once, on first use, and resolves the
/// fallback chain for a script and language.
final class FontLibrary {
    let manifest: FontManifest
    private var ftLibrary: FT_Library
    private var faces: [String: FontFace] = [:]
    private var failed: Set<String> = []
    private(set) var allFaces: [FontFace] = []
    private var chainCache: [ChainKey: [FontFace]] = [:]

    struct ChainKey: Hashable {
        var script: String
        var language: String
        var bold: Bool
        var italic: Bool
    }

    /// Whether Cairo's faces keep their character map (`FontFace`; only for a test).
    let walkCharmap: Bool

    init(manifest: FontManifest, walkCharmap: Bool = false) throws {
        self.manifest = manifest
        self.walkCharmap = walkCharmap
        var lib: FT_Library?
        guard FT_Init_FreeType(&lib) == 0, let lib else {
            throw TypesettingError.fonts("FreeType failed to initialize")
        }
        ftLibrary = lib
    }

    // The FT_Library is not freed: Cairo may still hold faces created from it in its caches
    // (it frees them through their user data). One library per engine; engines live as long
    // as their worker.

    /// The face of `family` in the wanted style (the closest style the family has).
    func face(family: String, bold: Bool, italic: Bool) -> FontFace? {
        guard let fam = manifest.families[family] else { return nil }
        let candidates: [(String?, Bool, Bool)]
        switch (bold, italic) {
        case (true, true):
            candidates = [
                (fam.boldItalic, true, true), (fam.bold, true, false), (fam.italic, false, true),
                (fam.regular, false, false),
            ]
        case (true, false): candidates = [(fam.bold, true, false), (fam.regular, false, false)]
        case (false, true): candidates = [(fam.italic, false, true), (fam.regular, false, false)]
        case (false, false): candidates = [(fam.regular, false, false)]
        }
        for (file, b, i) in candidates {
            guard let file else { continue }
            if let f = faces[file] { return f }
            if failed.contains(file) { continue }
            let url = manifest.path(of: file)
            guard FileManager.default.fileExists(atPath: url.path),
                let f = try? FontFace(
                    id: allFaces.count,
                    url: url,
                    family: family,
                    bold: b,
                    italic: i,
                    library: ftLibrary,
                    walkCharmap: walkCharmap
                )
            else {
                failed.insert(file)
                continue
            }
            faces[file] = f
            allFaces.append(f)
            return f
        }
        return nil
    }

    /// Faces to try, in order, for text of `script` (ISO 15924) in `language` (BCP 47).
    func chain(script: String, language: String, bold: Bool, italic: Bool) -> [FontFace] {
        let key = ChainKey(script: script, language: language, bold: bold, italic: italic)
        if let c = chainCache[key] { return c }
        var names: [String] = []
        func add(_ list: [String]?) {
            for n in list ?? [] where !names.contains(n) { names.append(n) }
        }
        // The language decides between faces of a shared script (Han in zh-Hans vs ja).
        if ["Hani", "Hang", "Hira", "Kana", "Bopo"].contains(script) {
            add(languageFamilies(language))
        }
        add(manifest.scripts[script])
        add(manifest.fallback)
        let chain = names.compactMap { face(family: $0, bold: bold, italic: italic) }
        chainCache[key] = chain
        return chain
    }

    private func languageFamilies(_ language: String) -> [String]? {
        if let f = manifest.languages[language] { return f }
        // zh-Hant-TW → zh-Hant → zh
        var parts = language.split(separator: "-").map(String.init)
        while parts.count > 1 {
            parts.removeLast()
            if let f = manifest.languages[parts.joined(separator: "-")] { return f }
        }
        return nil
    }

    /// The face used for metrics when a line holds no text.
    func primary(bold: Bool, italic: Bool) -> FontFace? {
        if let first = manifest.fallback.first, let f = face(family: first, bold: bold, italic: italic) { return f }
        return allFaces.first
    }
}
