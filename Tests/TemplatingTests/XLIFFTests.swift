import Foundation
import Testing

@testable import Templating

/// The XLIFF 1.2 writer and reader: hostile text round trips, what translate-toolkit writes,
/// placeholders, and malformed files (an error naming the unit and the line, never a crash).
@Suite struct XLIFFTests {
    /// Texts that break naive XML: markup characters, quotes, bidi controls, Khmer, emoji, line
    /// breaks (LF, CRLF, lone CR), tabs, leading and trailing spaces.
    static let hostile: [String] = [
        "a < b && c > d; </source> <![CDATA[x]]> ]]> &amp; &#38;",
        "He said \"don't\" and 'won't'",
        "\u{200E}الجرعة: \u{2067}2 مل\u{2069} مرتين يوميًا\u{200F}",
        "\u{2068}Take {dose}\u{2069} \u{202B}نص\u{202C}",
        "ថ្នាំ​ពីរ​ដង​ក្នុង​មួយ​ថ្ងៃ ញ៉ាំ​បាយ",
        "👨‍👩‍👧‍👦 🇰🇭 🇻🇳 ✔︎ 𝄞",
        "line one\nline two\r\nline three\rline four",
        "\ttabbed\t",
        "  leading and trailing  ",
        " ",
        "Cà phê sữa đá — Tiếng Việt",
    ]

    func sampleDocument() -> XLIFFDocument {
        var units: [XLIFFUnit] = []
        for (i, text) in Self.hostile.enumerated() {
            units.append(
                XLIFFUnit(
                    id: "goals[\(i)].actions[0].description",
                    resname: i == 0 ? "name \"quoted\" <&>\n\ttab" : nil,
                    source: XLIFFText(text),
                    target: XLIFFText(String(text.reversed())),
                    state: i % 2 == 0 ? .translated : .final,
                    targetLanguage: i == 1 ? "km" : nil,
                    approved: i % 3 == 0 ? nil : i % 3 == 1,
                    notes: [XLIFFNote("note: " + text, from: "developer"), XLIFFNote("plain")],
                    locations: i == 2 ? [text] : []
                )
            )
        }
        units.append(XLIFFUnit(id: "empty", source: "Source", target: "", state: .new))
        units.append(XLIFFUnit(id: "no-target", source: "Source"))
        units.append(
            XLIFFUnit(
                id: "inline",
                source: XLIFFText(content: [
                    .text("Press "), .code(XLIFFInlineCode(name: "x", attributes: ["id": "1"])),
                    .text(" then "),
                    .code(
                        XLIFFInlineCode(
                            name: "g",
                            attributes: ["id": "2", "ctype": "bold"],
                            children: [.text("OK & go")]
                        )
                    ),
                    .code(XLIFFInlineCode(name: "ph", attributes: ["id": "3"], children: [.text("<br/>")])),
                ]),
                target: "x",
                alternatives: [XLIFFAlternative(origin: "memory", matchQuality: "100", source: "s", target: "t & u")]
            )
        )
        return XLIFFDocument(files: [
            XLIFFFile(
                original: "CR-2026-000321 \"&<>\"",
                sourceLanguage: "en",
                targetLanguage: "km",
                notes: [XLIFFNote("header note & <stuff>", from: "developer")],
                units: units
            ),
            XLIFFFile(original: "second", sourceLanguage: "km", targetLanguage: "en", datatype: "po"),
        ])
    }

    @Test func hostileTextRoundTrips() throws {
        let document = sampleDocument()
        let data = try XLIFFWriter.data(document)
        let xml = try #require(String(data: data, encoding: .utf8))
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(xml.contains("xml:space=\"preserve\""))
        #expect(xml.contains("&#13;"), "carriage returns are written as character references")
        let read = try XLIFFReader.read(data)
        #expect(read == document)
        for (unit, text) in zip(read.units, Self.hostile) {
            #expect(unit.source.plainText == text)
            #expect(unit.target?.plainText == String(text.reversed()))
            #expect(unit.source.plainText.unicodeScalars.elementsEqual(text.unicodeScalars))
        }
        let inline = try #require(read.units.first { $0.id == "inline" })
        #expect(inline.source.plainText == "Press  then OK & go")
        #expect(inline.source.inlineCodes.map(\.description) == ["<x id=\"1\"/>", "<g id=\"2\">", "<ph id=\"3\">"])
        #expect(inline.alternatives.first?.target.plainText == "t & u")
    }

    @Test func writerRefusesControlCharacters() {
        let document = XLIFFDocument(files: [
            XLIFFFile(
                original: "r",
                sourceLanguage: "en",
                units: [XLIFFUnit(id: "goals[0].description", source: "a\u{1}b")]
            )
        ])
        #expect(throws: XLIFFError.self) { try XLIFFWriter.data(document) }
        do {
            _ = try XLIFFWriter.data(document)
        } catch {
            #expect("\(error)".contains("goals[0].description"))
            #expect("\(error)".contains("U+0001"))
        }
    }

    /// Written by translate-toolkit 3.8.4: `xliff2po` of a caredocs-style file, msgstr filled,
    /// then `po2xliff -t` with the original as template — which keeps the template's units and
    /// appends the PO's as a second <file>, in the XLIFF 1.1 namespace, renumbered, with the
    /// JSON path in a po-reference context and the developer notes joined in one note.
    static let po2xliffOutput = #"""
        <?xml version="1.0" encoding="UTF-8"?>
        <xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
          <file original="CR-1" source-language="en" target-language="ar" datatype="plaintext">
            <header>
              <note from="developer">Care record CR-1.</note>
            </header>
            <body>
              <trans-unit id="goals[0].description" xml:space="preserve">
                <source>Give {dose} &amp; check &lt;breathing&gt;
        twice a day </source>
                <target state="new"/>
                <note from="developer">Printed in the care plan: goal 1: description.</note>
                <note from="developer">caredocs record=CR-1 path=goals[0].description source=en target=ar source-sha256=00</note>
              </trans-unit>
              <trans-unit id="member.pronouns" xml:space="preserve" approved="yes">
                <source>she/her</source>
                <target state="final">هي</target>
                <note from="developer">caredocs record=CR-1 path=member.pronouns source=en target=ar source-sha256=11</note>
              </trans-unit>
            </body>
          </file>
          <file original="t2.po" source-language="en" target-language="ar" datatype="po">
            <body>
              <ns0:trans-unit xmlns:ns0="urn:oasis:names:tc:xliff:document:1.1" xml:space="preserve" id="4" approved="no" restype="x-gettext-domain-header"><ns0:source>Project-Id-Version: PACKAGE VERSION
        Report-Msgid-Bugs-To: 
        POT-Creation-Date: 2026-12-05 02:46+0000
        PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE
        Last-Translator: FULL NAME &lt;EMAIL@ADDRESS&gt;
        Language-Team: LANGUAGE &lt;LL@li.org&gt;
        MIME-Version: 1.0
        Content-Type: text/plain; charset=UTF-8
        Content-Transfer-Encoding: 8bit
        X-Generator: Translate Toolkit 3.8.4
        </ns0:source>
                <target>Project-Id-Version: PACKAGE VERSION
        Report-Msgid-Bugs-To: 
        POT-Creation-Date: 2026-12-05 02:46+0000
        PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE
        Last-Translator: FULL NAME &lt;EMAIL@ADDRESS&gt;
        Language-Team: LANGUAGE &lt;LL@li.org&gt;
        MIME-Version: 1.0
        Content-Type: text/plain; charset=UTF-8
        Content-Transfer-Encoding: 8bit
        X-Generator: Translate Toolkit 3.8.4
        </target>
              </ns0:trans-unit>
              <ns0:trans-unit xmlns:ns0="urn:oasis:names:tc:xliff:document:1.1" xml:space="preserve" id="5" approved="yes"><ns0:source>Give {dose} &amp; check &lt;breathing&gt;
        twice a day </ns0:source>
                <target>أعط {dose} وتحقق
        مرتين </target>
                <context-group name="po-reference" purpose="location"><context context-type="sourcefile">goals[0].description</context></context-group>
                <context-group name="po-entry" purpose="information"><context context-type="x-po-autocomment">Printed in the care plan: goal 1: description.
        caredocs record=CR-1 path=goals[0].description source=en target=ar source-sha256=00</context></context-group>
                <note from="developer">Printed in the care plan: goal 1: description.
        caredocs record=CR-1 path=goals[0].description source=en target=ar source-sha256=00</note>
              </ns0:trans-unit>
              <ns0:trans-unit xmlns:ns0="urn:oasis:names:tc:xliff:document:1.1" xml:space="preserve" id="6" approved="yes"><ns0:source>she/her</ns0:source>
                <target>هي</target>
                <context-group name="po-reference" purpose="location"><context context-type="sourcefile">member.pronouns</context></context-group>
                <context-group name="po-entry" purpose="information"><context context-type="x-po-autocomment">caredocs record=CR-1 path=member.pronouns source=en target=ar source-sha256=11</context></context-group>
                <note from="developer">caredocs record=CR-1 path=member.pronouns source=en target=ar source-sha256=11</note>
              </ns0:trans-unit>
            </body>
          </file>
        </xliff>
        """#

    @Test func readsWhatPo2xliffWrites() throws {
        let document = try XLIFFReader.read(Data(Self.po2xliffOutput.utf8))
        #expect(document.files.count == 2)
        #expect(document.files[0].original == "CR-1")
        #expect(document.files[0].targetLanguage == "ar")
        #expect(document.files[0].notes == [XLIFFNote("Care record CR-1.", from: "developer")])
        #expect(document.files[0].units.map(\.id) == ["goals[0].description", "member.pronouns"])
        #expect(document.files[0].units[0].target == XLIFFText(""))
        #expect(document.files[0].units[0].state == .new)
        #expect(document.files[0].units[1].approved == true)
        let po = document.files[1]
        #expect(po.datatype == "po")
        #expect(po.units.map(\.id) == ["4", "5", "6"])
        #expect(po.units[0].restype == "x-gettext-domain-header")
        let unit = po.units[1]
        #expect(unit.locations == ["goals[0].description"])
        #expect(unit.source.plainText == "Give {dose} & check <breathing>\ntwice a day ")
        #expect(unit.target?.plainText == "أعط {dose} وتحقق\nمرتين ")
        #expect(unit.approved == true)
        #expect(unit.state == nil)
        #expect(unit.notes.count == 1)
        #expect(unit.notes[0].from == "developer")
        #expect(unit.notes[0].text.contains("\ncaredocs record=CR-1 path=goals[0].description"))
        #expect(XLIFFPlaceholders.problems(source: unit.source, target: unit.target!).isEmpty)
    }

    @Test func placeholdersMustBeKept() {
        #expect(
            XLIFFPlaceholders.braced("Hi {name}, {count} items; {not one} {} {a{b}") == ["{name}", "{count}", "{b}"]
        )
        #expect(XLIFFPlaceholders.problems(source: "Take {dose} at {time}", target: "Prendre {time} à {dose}").isEmpty)
        #expect(
            XLIFFPlaceholders.problems(source: "Take {dose} at {time}", target: "Prendre {dose}")
                == ["placeholder {time} of the source is missing from the target"]
        )
        #expect(
            XLIFFPlaceholders.problems(source: "Take {dose}", target: "Prendre {dosis}")
                == [
                    "placeholder {dose} of the source is missing from the target",
                    "placeholder {dosis} in the target is not in the source",
                ]
        )
        #expect(
            XLIFFPlaceholders.problems(source: "{a} and {a}", target: "{a}")
                == ["placeholder {a} appears 2 times in the source but 1 in the target"]
        )
        let source = XLIFFText(content: [.text("Press "), .code(XLIFFInlineCode(name: "x", attributes: ["id": "1"]))])
        #expect(
            XLIFFPlaceholders.problems(source: source, target: "Appuyez")
                == ["placeholder <x id=\"1\"/> of the source is missing from the target"]
        )
    }

    @Test func placeholdersReadFromAFile() throws {
        let xml = """
            <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="f" source-language="en" target-language="vi"><body>
            <trans-unit id="u1"><source>Hello <g id="1">{name}</g><x id="2"/></source><target>Xin chào <g id="1">{name}</g></target></trans-unit>
            </body></file></xliff>
            """
        let unit = try #require(try XLIFFReader.read(Data(xml.utf8)).units.first)
        #expect(unit.source.plainText == "Hello {name}")
        #expect(
            XLIFFPlaceholders.problems(source: unit.source, target: unit.target!)
                == ["placeholder <x id=\"2\"/> of the source is missing from the target"]
        )
    }

    @Test func readsCATToolExtras() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0">
             <file original="CR-1" source-language="en-US" target-language="vi-VN" datatype="x-caredocs" tool-id="t">
              <header><tool tool-id="t" tool-name="CAT"/><sdl:seg-defs><sdl:seg id="1" conf="Translated"/></sdl:seg-defs><note>file note</note></header>
              <body>
               <group id="g1"><note>group note, not kept</note>
                <trans-unit id="goals[0].description" approved="yes" sdl:x="1">
                 <source>Twice a day</source>
                 <seg-source><mrk mtype="seg" mid="1">Twice a day</mrk></seg-source>
                 <target state="signed-off" xml:lang="vi-VN"><mrk mtype="seg" mid="1">Hai lần <![CDATA[mỗi <ngày>]]></mrk></target>
                 <alt-trans origin="tm" match-quality="85"><source>Twice daily</source><target>Ngày hai lần</target></alt-trans>
                 <sdl:ext><note>foreign</note></sdl:ext>
                 <note from="translator">checked</note>
                </trans-unit>
               </group>
               <bin-unit id="b1" mime-type="image/png"><bin-source><external-file href="x.png"/></bin-source></bin-unit>
              </body>
             </file>
            </xliff>
            """
        let document = try XLIFFReader.read(Data(xml.utf8))
        let unit = try #require(document.units.first)
        #expect(document.units.count == 1)
        #expect(document.files[0].notes == [XLIFFNote("file note")])
        #expect(unit.target?.plainText == "Hai lần mỗi <ngày>")
        #expect(unit.state == .signedOff)
        #expect(unit.state?.isFinal == true)
        #expect(unit.targetLanguage == "vi-VN")
        #expect(unit.notes == [XLIFFNote("checked", from: "translator")])
        #expect(unit.alternatives.map(\.target.plainText) == ["Ngày hai lần"])
        #expect(unit.target?.inlineCodes.isEmpty == true, "<mrk> marks text; it is not a placeholder")
    }

    /// Each malformed or unacceptable input gives an error whose text says what and where.
    @Test(arguments: [
        ("", "empty"),
        ("not xml at all", "line 1"),
        ("<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body>", "line 1"),
        (
            "<xliff version=\"1.2\">\n<file original=\"f\" source-language=\"en\"><body>\n<trans-unit id=\"u1\"><source>a & b</source></trans-unit></body></file></xliff>",
            "line 3"
        ),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><trans-unit id=\"u1\"><source>a</target></trans-unit></body></file></xliff>",
            "closing tag"
        ),
        ("<html><body/></html>", "root element is <html>"),
        ("<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\"/>", "XLIFF 2"),
        ("<xliff version=\"3.1\"/>", "version 3.1"),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><trans-unit><source>a</source></trans-unit></body></file></xliff>",
            "no id"
        ),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><trans-unit id=\"goals[3].barriers\"><target>a</target></trans-unit></body></file></xliff>",
            "unit \"goals[3].barriers\""
        ),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><trans-unit id=\"u7\"><source>a</source><source>b</source></trans-unit></body></file></xliff>",
            "unit \"u7\""
        ),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><trans-unit id=\"u8\"><source>a<note>n</note></source></trans-unit></body></file></xliff>",
            "<note> is not allowed"
        ),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><trans-unit id=\"u9\" approved=\"maybe\"><source>a</source></trans-unit></body></file></xliff>",
            "unit \"u9\""
        ),
        ("<xliff version=\"1.2\"><file original=\"f\"><body/></file></xliff>", "source-language"),
        (
            "<?xml version=\"1.0\"?>\n<!DOCTYPE xliff [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>\n<xliff version=\"1.2\"/>",
            "<!DOCTYPE>"
        ),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><x id=\"1\"/></body></file></xliff>",
            "<x>"
        ),
        (
            "<xliff version=\"1.2\"><file original=\"f\" source-language=\"en\"><body><trans-unit id=\"u\"><source>&foo;</source></trans-unit></body></file></xliff>",
            "&foo;"
        ),
        (
            "<xliff version=\"1.2\"><!-- & --><file original=\"f\" source-language=\"en\">\n<body><trans-unit id=\"u\"><source>a & b</source></trans-unit></body></file></xliff>",
            "line 2, column 36"
        ),
        ("<xliff version=\"1.2\"><undeclared:x/></xliff>", "line 1"),
    ])
    func malformedFilesAreReported(input: String, expected: String) {
        do {
            let document = try XLIFFReader.read(Data(input.utf8))
            Issue.record("read without error: \(document)")
        } catch let error as XLIFFError {
            #expect("\(error)".contains(expected), "\(error)")
        } catch {
            Issue.record("not an XLIFFError: \(error)")
        }
    }

    /// SplitMix64: the mutations are the same on every run (a failure can be replayed).
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Thousands of broken files, each read to an error or a document, never a crash: random
    /// bytes (caught before the parser), and XML-ish tokens cut, repeated and inserted, which do
    /// reach the parser.
    @Test func brokenFilesNeverCrash() throws {
        var generator = SeededGenerator(state: 15)
        let valid = Array(try XLIFFWriter.data(sampleDocument()))
        let tokens = [
            "<", ">", "/", "\"", "=", "'", "a", "<x id=\"1\"/>", "<g id=\"9\">", "</g>", "</source>", "<source>",
            "<target state=\"final\">", "</target>", "<trans-unit id=\"z\">", "</trans-unit>", "</file>", "</body>",
            "<file original=\"o\" source-language=\"en\">", "]]>", "<![CDATA[", "<!--", "-->", "&amp;", "&#0;",
            "&#x110000;", "&#xD800;", "xml:space=\"x\"", "<mrk mtype=\"seg\">", "<?pi x?>", "\u{0}", "\u{1}",
            "\u{FFFE}",
            "<ns:a xmlns:ns=\"urn:oasis:names:tc:xliff:document:1.1\">", "<b:x>", "\u{202E}", "𝄞",
        ].map { Array($0.utf8) }
        var parsed = 0
        for round in 0..<2000 {
            var bytes = valid
            for _ in 0..<(1 + round % 6) {
                let i = Int.random(in: 0..<max(bytes.count, 1), using: &generator)
                switch Int.random(in: 0..<5, using: &generator) {
                case 0 where round % 10 == 0: bytes[i] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...40, using: &generator)))
                case 2:
                    let n = Int.random(in: 1...60, using: &generator)
                    bytes.insert(contentsOf: bytes[i..<min(bytes.count, i + n)], at: i)
                default: bytes.insert(contentsOf: tokens.randomElement(using: &generator)!, at: i)
                }
            }
            if (try? XLIFFReader.read(Data(bytes))) != nil { parsed += 1 }
        }
        #expect(parsed < 2000)
        _ = try? XLIFFReader.read(Data([0xFF, 0xFE, 0x00, 0x3C]))
        _ = try? XLIFFReader.read(Data(repeating: 0x3C, count: 10_000))
        _ = try? XLIFFReader.read(Data(String(repeating: "<g>", count: 5_000).utf8))
    }
}
