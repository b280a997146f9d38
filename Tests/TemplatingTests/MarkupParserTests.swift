import Foundation
import Testing
import Typesetting

@testable import Templating

@Suite struct MarkupParserTests {
    let sample = """
        <document lang="es" title="Carta" author="Clínica" keywords="a, b" ref="R-1" size="letter" first-page-margin-top="36">
          <header start="{title}" end="{ref}" rule="true"/>
          <first-header/>
          <footer center="Página {page} de {pages}"/>
          <frame x="72" y="144" width="288" height="72"><p>Ana Pérez</p><p>1 Main St</p></frame>
          <h1>Bienvenida</h1>
          <p align="justify">Hola <b>Ana</b>, su número es <ltr>(617) 555-0100</ltr>. <a href="https://mass.gov">Enlace</a><br/>Nueva línea</p>
          <ul><li>Uno</li><li><p>Dos</p><ol start="3"><li>Tres</li></ol></li></ul>
          <table columns="60 auto 2*" summary="Medicamentos">
            <thead><tr><th>Nombre</th><th>Dosis</th><th>Cuándo</th></tr></thead>
            <tbody><tr><td>Baclofeno</td><td>10 mg</td><td>Dos veces al día</td></tr></tbody>
          </table>
          <kv key-width="100"><row><key>Nombre</key><value>Ana</value></row></kv>
          <callout border="#cc0000" fill="#ffeeee"><p><b>ALERGIAS:</b> penicilina</p></callout>
          <rule/><spacer height="6"/><page-break/>
          <keep><h2>Juntos</h2><p>Texto</p></keep>
        </document>
        """

    @Test func recordContentTakesItsOwnDirection() throws {
        let doc = try MarkupParser().parse(
            """
            <document lang="ar" dir="rtl" line-spacing="0.88">
              <p dir="first-strong">Give 18 units before meals.</p>
              <p>نص</p>
              <ul item-space="1"><li dir="first-strong">Insulin pump</li><li>جهاز</li></ul>
              <table columns="* *"><tbody><tr><td dir="first-strong">18 units</td><td>نص</td></tr></tbody></table>
              <kv value-dir="first-strong"><row><key>الاسم</key><value>Layla</value></row></kv>
              <h2 space-before="8" space-after="3">عنوان</h2>
              <callout space-after="6"><p>x</p></callout>
            </document>
            """
        )
        #expect(doc.lineSpacing == 0.88)
        guard case .paragraph(let first) = doc.blocks[0], case .paragraph(let second) = doc.blocks[1],
            case .list(let list) = doc.blocks[2], case .table(let table) = doc.blocks[3],
            case .keyValue(let grid) = doc.blocks[4], case .heading(let heading) = doc.blocks[5],
            case .callout(let callout) = doc.blocks[6]
        else {
            Issue.record("unexpected blocks")
            return
        }
        #expect(first.direction == .firstStrong)
        #expect(second.direction == .auto)
        #expect(list.itemSpacing == 1)
        func direction(_ blocks: [Block]) -> Direction? {
            if case .paragraph(let p) = blocks.first { return p.direction } else { return nil }
        }
        #expect(list.items.map(direction) == [.firstStrong, .auto])
        #expect(table.direction == .auto)
        #expect(table.rows[0].map { direction($0.blocks) } == [.firstStrong, .auto])
        #expect(grid.valueDirection == .firstStrong)
        #expect(heading.spaceBefore == 8 && heading.spaceAfter == 3)
        #expect(callout.spaceAfter == 6)
    }

    @Test func parsesEveryElement() throws {
        let doc = try MarkupParser().parse(sample)
        #expect(doc.language == "es")
        #expect(doc.metadata.title == "Carta")
        #expect(doc.metadata.keywords == ["a", "b"])
        #expect(doc.referenceID == "R-1")
        #expect(doc.page.firstPageTopMargin == 36)
        #expect(doc.footer?.center == "Página {page} de {pages}")
        #expect(doc.firstPageHeader != nil)
        let kinds = doc.blocks.map { b -> String in
            switch b {
            case .paragraph: return "p"
            case .heading: return "h"
            case .list: return "list"
            case .table: return "table"
            case .keyValue: return "kv"
            case .callout: return "callout"
            case .rule: return "rule"
            case .spacer: return "spacer"
            case .image: return "image"
            case .frame: return "frame"
            case .pageBreak: return "break"
            case .keepTogether: return "keep"
            case .sharedPage: return "shared"
            }
        }
        #expect(kinds == ["frame", "h", "p", "list", "table", "kv", "callout", "rule", "spacer", "break", "keep"])
        guard case .paragraph(let p) = doc.blocks[2] else {
            Issue.record("no paragraph")
            return
        }
        #expect(p.alignment == .justify)
        let text = p.spans.map(\.text).joined()
        #expect(text == "Hola Ana, su número es \u{2066}(617) 555-0100\u{2069}. Enlace\nNueva línea")
        #expect(p.spans.contains { $0.bold == true && $0.text == "Ana" })
        #expect(p.spans.contains { $0.link == "https://mass.gov" })
        guard case .table(let t) = doc.blocks[4] else {
            Issue.record("no table")
            return
        }
        #expect(t.columns == [.fixed(60), .auto, .relative(2)])
        #expect(t.headerRows.count == 1 && t.rows.count == 1)
    }

    @Test func rendersToAValidPDF() throws {
        let doc = try MarkupParser().parse(sample)
        let result = try Engine().render(doc)
        #expect(result.report.pages == 2)
        #expect(result.report.warnings.isEmpty, "\(result.report.warnings)")
    }

    @Test func escapedValuesStayText() throws {
        // What Mustache produces for a name like <b>Ana</b> & {{x}}: entities, never elements.
        let doc = try MarkupParser().parse("<document><p>&lt;b&gt;Ana&lt;/b&gt; &amp; {{x}} ]]&gt;</p></document>")
        guard case .paragraph(let p) = doc.blocks[0] else {
            Issue.record("no paragraph")
            return
        }
        #expect(p.spans.map(\.text).joined() == "<b>Ana</b> & {{x}} ]]>")
    }

    @Test func referencesAndAttributeSpacesAreDecoded() throws {
        let doc = try MarkupParser().parse(
            "<document title=\"a\tb&#10;c\"><p>O&apos;Brien &quot;Teo&quot; &#x4E2D;&#25991; &#x1F600; Lucía&#233; ع</p></document>"
        )
        #expect(doc.metadata.title == "a b\nc")
        guard case .paragraph(let p) = doc.blocks[0] else {
            Issue.record("no paragraph")
            return
        }
        #expect(p.spans.map(\.text).joined() == "O'Brien \"Teo\" 中文 😀 Lucíaé ع")
        for bad in ["&bogus;", "&#1;", "&#xZZ;", "& no semicolon", "&#x110000;"] {
            #expect(throws: MarkupError.self) { try MarkupParser().parse("<document><p>\(bad)</p></document>") }
        }
    }

    @Test func malformedMarkupIsAClearError() {
        #expect(throws: MarkupError.self) { try MarkupParser().parse("<document><p>open</document>") }
        #expect(throws: MarkupError.self) { try MarkupParser().parse("<letter/>") }
        #expect(throws: MarkupError.self) { try MarkupParser().parse("<document><p><table/></p></document>") }
    }
}
