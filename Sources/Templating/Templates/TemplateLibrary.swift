import Foundation
import Mustache
import Typesetting

/// The document templates (`Templates/*.mustache`): Mustache, logic-less, with template
/// inheritance for the shared letter frame. Every template is rendered as XML content: values
/// are escaped one Unicode scalar at a time, so no data can add markup — not even a `<`
/// followed by a combining mark, which a per-character (grapheme) escaper would let through.
public struct TemplateLibrary: Sendable {
    let library: MustacheLibrary
    public let names: [String]

    /// Loads every `.mustache` file of `directory` (subfolders as `folder/name`).
    public init(directory: URL) throws {
        MustacheContentTypes.register(XMLContentType(), named: "XML")
        var templates: [String: MustacheTemplate] = [:]
        let base = directory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else {
            throw TemplateError("cannot read the templates folder \(base)")
        }
        for case let relative as String in walker where relative.hasSuffix(".mustache") {
            let name = String(relative.dropLast(".mustache".count))
            let text = try String(contentsOfFile: base + "/" + relative, encoding: .utf8)
            do {
                templates[name] = try MustacheTemplate(string: "{{% CONTENT_TYPE: XML}}" + text)
            } catch {
                throw TemplateError("template \(relative) does not parse: \(error)")
            }
        }
        library = MustacheLibrary(templates: templates)
        names = templates.keys.sorted()
    }

    /// Renders the template to document markup.
    public func markup(_ name: String, context: Any) throws -> String {
        guard let out = library.render(context, withTemplate: name) else {
            throw TemplateError("no template named '\(name)' (have: \(names.joined(separator: ", ")))")
        }
        return out
    }

    /// Renders the template and parses the markup into a `Document`.
    public func document(_ name: String, context: Any, images: [String: Data] = [:]) throws -> Document {
        try MarkupParser(images: images).parse(markup(name, context: context))
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
struct XMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&apos;".unicodeScalars)
            case "\t", "\n": out.append(u)
            case "\r": out.append("\n")
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF || (0x7F...0x9F).contains(u.value) {
                    continue
                }
                out.append(u)
            }
        }
        return String(out)
    }
}

public struct TemplateError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
