import Foundation
import Mustache

@testable import Templating

/// swift-mustache, the library the templates were written for, set up as the templates were
/// rendered with it: XML content type, every template starting with its pragma. The tests
/// compare `TemplateProgram`'s output with it byte for byte.
struct MustacheReference {
    let library: MustacheLibrary

    init(templates: [String: String]) throws {
        MustacheContentTypes.register(ReferenceXMLContentType(), named: "XML")
        var parsed: [String: MustacheTemplate] = [:]
        for (name, text) in templates { parsed[name] = try MustacheTemplate(string: "{{% CONTENT_TYPE: XML}}" + text) }
        library = MustacheLibrary(templates: parsed)
    }

    /// Every `.mustache` file of `directory`, by name.
    init(directory: URL) throws {
        var texts: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where file.hasSuffix(".mustache") {
            texts[String(file.dropLast(".mustache".count))] = try String(
                contentsOf: directory.appending(path: file),
                encoding: .utf8
            )
        }
        try self.init(templates: texts)
    }

    func render(_ name: String, _ context: Any) -> String? { library.render(context, withTemplate: name) }
}

struct ReferenceXMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { XMLEscape.escape(text) }
}
