import Foundation
import Testing
import Typesetting

@testable import Templating

@Suite struct TemplateLibraryTests {
    func library(_ files: [String: String]) throws -> TemplateLibrary {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, body) in files { try Data(body.utf8).write(to: dir.appendingPathComponent(name)) }
        return try TemplateLibrary(directory: dir)
    }

    @Test func inheritsTheFrameAndEscapesValues() throws {
        let lib = try library([
            "frame.mustache":
                "<document lang=\"{{lang}}\" title=\"{{title}}\"><h1>{{title}}</h1>{{$body}}<p>default</p>{{/body}}</document>",
            "letter.mustache": "{{<frame}}{{$body}}<p>Dear {{name}},</p>{{/body}}{{/frame}}",
        ])
        let hostile = "<b>Ana</b> & {{x}} ]]> \"q\" 'a' <\u{301}i> \u{202E}evil\u{202C}"
        let doc = try lib.document("letter", context: ["lang": "en", "title": "T \"1\"", "name": hostile])
        #expect(doc.metadata.title == "T \"1\"")
        guard case .paragraph(let p) = doc.blocks.last else {
            Issue.record("no paragraph")
            return
        }
        #expect(p.spans.map(\.text).joined() == "Dear \(hostile),")
        #expect(doc.blocks.count == 2, "the frame's default body was replaced")
    }

    @Test func controlCharactersInDataAreDropped() throws {
        let lib = try library(["t.mustache": "<document><p>{{v}}</p></document>"])
        let doc = try lib.document("t", context: ["v": "a\u{0}b\u{1B}c\u{FFFF}d"])
        guard case .paragraph(let p) = doc.blocks[0] else {
            Issue.record("no paragraph")
            return
        }
        #expect(p.spans.map(\.text).joined() == "abcd")
    }

    @Test func unknownTemplateIsAClearError() throws {
        let lib = try library(["t.mustache": "<document/>"])
        #expect(throws: TemplateError.self) { try lib.markup("nope", context: [String: String]()) }
    }
}
