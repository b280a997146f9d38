import Foundation
import Testing

@testable import CaresDocuments
@testable import Templating

/// `TemplateProgram` renders the templates as swift-mustache did, byte for byte: every document
/// kind, in every language, for every test record, and the corners of Mustache's white-space
/// rules; what it does not render is refused when the templates load.
@Suite struct TemplateProgramTests {
    static func library(_ files: [String: String]) throws -> TemplateLibrary {
        let dir = FileManager.default.temporaryDirectory.appending(path: "templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, body) in files { try Data(body.utf8).write(to: dir.appending(path: "\(name).mustache")) }
        return try TemplateLibrary(directory: dir)
    }

    /// Renders `name` with both and expects the same bytes.
    static func same(
        _ files: [String: String],
        _ name: String,
        _ context: Any,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let ours = try library(files).markup(name, context: context)
        let reference = try #require(try MustacheReference(templates: files).render(name, context))
        #expect(ours == reference, sourceLocation: sourceLocation)
    }

    // MARK: The real templates and view models

    @Test func everyKindInEveryLanguageMatchesSwiftMustache() throws {
        let renderer = try DocTest.renderer()
        let reference = try MustacheReference(directory: DocTest.projectRoot.appending(path: "Templates"))
        var records: [(String, CareRecord)] = []
        for name in try Fixtures.recordNames(matching: { !$0.hasPrefix("invalid") && $0.hasSuffix(".json") }) {
            records.append((name, try DocTest.load(Fixtures.record(name))))
        }
        for name in Fixtures.exampleNames { records.append((name, try DocTest.load(Fixtures.example(name)))) }
        #expect(records.count >= 12)
        var compared = 0
        for (name, record) in records {
            for kind in DocumentKind.available where Requirements.check(kind, record).isEmpty {
                for language in SupportedLanguage.allCases {
                    for (largePrint, proof) in [(false, false), (true, false), (false, true)] {
                        let options = DocumentRenderer.Options(
                            language: language,
                            largePrint: largePrint,
                            letterDate: DocTest.letterDate,
                            proof: proof
                        )
                        guard let context = try? renderer.templateContext(kind, record: record, options: options)
                        else { continue }
                        let ours = try renderer.templates.markup(kind.rawValue, context: context)
                        let theirs = try #require(reference.render(kind.rawValue, context))
                        #expect(
                            ours == theirs,
                            "\(name) \(kind.rawValue) \(language.tag) large \(largePrint) proof \(proof)"
                        )
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 1_000, "only \(compared) documents compared")
    }

    // MARK: Mustache's corners

    @Test func standaloneLinesAndIndentation() throws {
        let files = [
            "page": """
            <a>
              {{#items}}
              <i>{{name}}</i>
              {{/items}}
              {{^items}}
              none
              {{/items}}
              {{! a comment
                  on two lines }}
                {{> part}}
              text {{> part}} after
            {{#flag}}  x  {{/flag}}
              {{#flag}}
            {{/flag}}trailing
            </a>
            """,
            "part": "<p>\n  {{title}}\n</p>\n",
        ]
        let context: [String: Any] = ["items": [["name": "A"], ["name": "B & C"]], "flag": true, "title": "T"]
        try Self.same(files, "page", context)
        try Self.same(files, "page", ["items": [Any](), "flag": false, "title": "<T>"])
    }

    @Test func parentsAndBlocks() throws {
        let files = [
            "frame":
                "<doc>\n  <h>{{title}}</h>\n{{$body}}<p>default</p>{{/body}}\n  {{$footer}}\n  <f/>\n  {{/footer}}\n</doc>\n",
            "letter": """
            {{<frame}}
            {{$body}}
              <p>{{greeting}}</p>
                <q>{{#list}}{{.}},{{/list}}</q>
              {{#list}}
              <li>{{.}}</li>
              {{/list}}
            {{/body}}
            {{/frame}}
            """,
            "nested": "{{<letter}}{{$footer}}<mine/>{{/footer}}{{/letter}}",
            "indented": "<x>\n    {{<frame}}{{$body}}\n      <b/>\n    {{/body}}{{/frame}}\n</x>\n",
        ]
        let context: [String: Any] = ["title": "Title", "greeting": "Hello", "list": ["a", "b"]]
        for name in ["frame", "letter", "nested", "indented"] { try Self.same(files, name, context) }
    }

    @Test func valuesOfEveryKind() throws {
        struct Person {
            var name: String
            var nickname: String?
            var age: Int
        }
        let files = [
            "t":
                "{{s}}|{{i}}|{{d}}|{{b}}|{{none}}|{{opt}}|{{optNil}}|{{nsnull}}|{{{raw}}}|{{& raw}}|{{a.b.c}}|{{a.missing.c}}|"
                + "{{#a}}{{b.c}}{{.x}}{{s}}{{/a}}|{{#list}}[{{.}}]{{/list}}|{{^empty}}empty{{/empty}}|{{#s}}{{s}}{{/s}}|"
                + "{{#person}}{{name}} {{nickname}} {{age}}{{/person}}|{{#zero}}zero is true{{/zero}}|{{#emptyString}}''{{/emptyString}}|"
                + "{{#set}}{{.}}{{/set}}|{{#nsnull}}no{{/nsnull}}{{^nsnull}}null{{/nsnull}}|{{#dicts}}{{k}}{{/dicts}}"
        ]
        let context: [String: Any] = [
            "s": "<Ana> & 'Bo' \"C\"\r\n\u{1}\u{85}x\u{FFFE}",
            "i": 42, "d": 10.5, "b": false,
            "opt": Optional("wrapped") as Any, "optNil": String?.none as Any,
            "nsnull": NSNull(), "raw": "<b>raw</b>",
            "a": ["b": ["c": "deep"], "x": "top"] as [String: Any],
            "list": ["1", "2", "3"], "empty": [String](),
            "person": Person(name: "Lina", nickname: nil, age: 7),
            "zero": 0, "emptyString": "", "set": Set(["only"]),
            "dicts": [["k": "v1"], ["k": "v2"]] as [[String: String]],
        ]
        try Self.same(files, "t", context)
    }

    // MARK: What is refused

    @Test func unsupportedSyntaxIsRefusedWithTheTemplateAndLine() throws {
        let cases: [(String, String)] = [
            ("<a>\n{{uppercased(name)}}</a>", "line 2"),
            ("{{=<% %>=}}", "delimiters"),
            ("{{> missing}}", "missing"),
            ("{{#open}}never closed", "never closed"),
            ("{{#a}}{{/b}}", "closes nothing"),
            ("{{> *dynamic}}", "dynamic"),
            ("<a>\r\n</a>", "LF"),
            ("{{name", "not closed"),
        ]
        for (text, expected) in cases {
            do {
                _ = try Self.library(["t": text])
                Issue.record("'\(text)' was accepted")
            } catch let error as TemplateError {
                #expect(error.description.contains("t.mustache"), "\(error)")
                #expect(error.description.contains(expected), "\(error)")
            }
        }
    }
}
