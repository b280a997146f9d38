import Foundation
import Templating
import Testing

@testable import CaresDocuments

/// A language named inside a sentence takes the sentence's form ("una copia en español", "en
/// français", "на русском языке"), never the label form ("Español").
@Suite struct LanguageNameTests {
    @Test func theEmergencyPlanCopyNoticeNamesTheLanguageAsASentenceNeedsIt() throws {
        let cases: [(SupportedLanguage, String, String)] = [
            (.spanish, "en español", "en Español"),
            (.french, "en français", "en Français"),
            (.brazilianPortuguese, "em português", "em Português"),
            (.russian, "на русском языке", "«Русский»"),
        ]
        for (language, want, unwanted) in cases {
            let doc = try DocTest.document(.emergencyPlan, DocTest.rivera(), language)
            let text = try DocTest.renderer().locales.catalogs[language.tag]!.text("emergency.copyNotice", [:])
            #expect(text.contains("{inLanguage}"))
            let rendered = try DocTest.render(doc)
            let flat = DocTest.normalized(rendered.text)
            #expect(flat.contains(want), "\(language.tag): \(flat.prefix(600))")
            #expect(!flat.contains(unwanted), "\(language.tag)")
        }
    }

    /// The bilingual render of the emergency plan (English and the family's Spanish): the Spanish
    /// copy says "en español"; the English copy has no copy notice.
    @Test func theBilingualSpanishCopySaysEnEspanol() throws {
        let pipeline = try DocumentPipeline(renderer: DocTest.renderer())
        let request = DocumentRequest(kind: .emergencyPlan, languages: .bilingual, letterDate: DocTest.letterDate)
        let copies = try pipeline.render(request, record: DocTest.rivera())
        #expect(copies.map(\.language) == [.english, .spanish])
        let english = DocTest.normalized(try DocTest.pdfText(copies[0].pdf))
        let spanish = DocTest.normalized(try DocTest.pdfText(copies[1].pdf))
        #expect(spanish.contains("Esta es una copia en español."), "\(spanish.prefix(600))")
        #expect(!spanish.contains("en Español"))
        #expect(!english.contains("This is a copy in"))
    }
}
