import Foundation
import Typesetting

/// The document templates (`Templates/*.mustache`): Mustache, logic-less, with template
/// inheritance for the shared letter frame, read once into `TemplateProgram`s. Every template is
/// rendered as XML content: values are escaped one Unicode scalar at a time (`XMLEscape`), so no
/// data can add markup — not even a `<` followed by a combining mark, which a per-character
/// (grapheme) escaper would let through.
public struct TemplateLibrary: Sendable {
    let programs: [String: TemplateProgram]
    public let names: [String]

    /// Loads every `.mustache` file of `directory` (subfolders as `folder/name`). A template that
    /// does not parse, uses what `TemplateProgram` does not render, or names a partial or parent
    /// that is not there is refused here, with its file and line.
    public init(directory: URL) throws {
        var programs: [String: TemplateProgram] = [:]
        let base = directory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else {
            throw TemplateError("cannot read the templates folder \(base)")
        }
        for case let relative as String in walker where relative.hasSuffix(".mustache") {
            let name = String(relative.dropLast(".mustache".count))
            let text = try String(contentsOfFile: base + "/" + relative, encoding: .utf8)
            if let odd = text.unicodeScalars.first(where: {
                ["\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"].contains($0)
            }) {
                throw TemplateError(
                    "template \(relative): line ends must be LF alone (found U+\(String(odd.value, radix: 16, uppercase: true)))"
                )
            }
            do {
                // The pragma every template starts with (as when they were rendered by
                // swift-mustache): it is part of the first line, so it changes which lines are
                // standalone, and the output must stay byte for byte the same.
                programs[name] = try TemplateProgram(parsing: "{{% CONTENT_TYPE: XML}}" + text)
            } catch {
                throw TemplateError("template \(relative) does not parse: \(error)")
            }
        }
        for (name, program) in programs {
            for missing in program.references where programs[missing] == nil {
                throw TemplateError(
                    "template \(name).mustache names '\(missing)', which is not in the templates folder"
                )
            }
        }
        self.programs = programs
        names = programs.keys.sorted()
    }

    /// Renders the template to document markup (UTF-8).
    public func markupBytes(_ name: String, context: Any) throws -> [UInt8] {
        guard let program = programs[name] else {
            throw TemplateError("no template named '\(name)' (have: \(names.joined(separator: ", ")))")
        }
        return program.render(context, library: programs)
    }

    /// Renders the template to document markup.
    public func markup(_ name: String, context: Any) throws -> String {
        String(decoding: try markupBytes(name, context: context), as: UTF8.self)
    }

    /// Renders the template and parses the markup into a `Document`.
    public func document(_ name: String, context: Any, images: [String: Data] = [:]) throws -> Document {
        try MarkupParser(images: images).parse(utf8: markupBytes(name, context: context))
    }

    /// Finds `Templates/` like the fonts: `$CAREDOCS_TEMPLATES`, then the working directory and up.
    public static func locate() throws -> URL {
        guard
            let dir = ProjectResources.locate(
                folder: "Templates",
                containing: "letter-frame.mustache",
                environment: "CAREDOCS_TEMPLATES"
            )
        else {
            throw TemplateError("Templates/ not found; run from the project folder or set CAREDOCS_TEMPLATES")
        }
        return dir
    }
}

/// Escapes text for XML content and attributes, scalar by scalar, and drops the characters
/// XML 1.0 cannot carry (C0 controls other than tab and newline, U+FFFE, U+FFFF).
enum XMLEscape {
    /// The text as markup character data: `&<>"'` as entities, CR as LF, and the characters
    /// XML 1.0 does not allow (C0 controls but tab and LF, DEL, C1 controls, U+FFFE, U+FFFF)
    /// dropped. Works on the UTF-8 bytes (every character it changes is ASCII or a whole
    /// two- or three-byte sequence).
    static func append(_ text: String, to out: inout [UInt8]) {
        var bytesOf = text
        bytesOf.withUTF8 { bytes in
            var i = 0
            while i < bytes.count, !needsWork(bytes, i) { i += 1 }
            out.append(contentsOf: bytes[0..<i])
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&apos;".utf8)
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "\t"), UInt8(ascii: "\n"): out.append(b)
                case 0..<0x20, 0x7F: break
                case 0xC2 where i + 1 < bytes.count && (0x80...0x9F).contains(bytes[i + 1]):
                    i += 1  // a C1 control
                case 0xEF where i + 2 < bytes.count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE:
                    i += 2  // U+FFFE, U+FFFF
                default: out.append(b)
                }
                i += 1
            }
        }
    }

    /// `append` as a string (the text itself when nothing changes — most record values).
    static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        append(text, to: &out)
        return out.count == text.utf8.count && out.elementsEqual(text.utf8)
            ? text : String(decoding: out, as: UTF8.self)
    }

    /// The bytes `needsWork` looks at more closely (one table load for the rest).
    private static let special: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in 0..<0x20 { table[b] = true }
        for b: UInt8 in [0x7F, 0xC2, 0xEF] { table[Int(b)] = true }
        for b in "&<>\"'".utf8 { table[Int(b)] = true }
        return table
    }()

    @inline(__always)
    private static func needsWork(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        if !special[Int(b)] { return false }
        switch b {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"),
            UInt8(ascii: "\r"), 0x7F:
            return true
        case UInt8(ascii: "\t"), UInt8(ascii: "\n"): return false
        case 0..<0x20: return true
        case 0xC2: return i + 1 < bytes.count && (0x80...0x9F).contains(bytes[i + 1])
        case 0xEF: return i + 2 < bytes.count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE
        default: return false
        }
    }
}

public struct TemplateError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
