import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// Schema version 2: record passages in the family's language, official copies refused when a
/// passage is not translated, proofs, direction per passage; version 1 records unchanged.
@Suite struct TranslatedContentTests {
    static func record(_ name: String) throws -> CareRecord { try DocTest.load(Fixtures.record(name)) }

    /// The Rivera example as version 2 with no translation: the Spanish copies have nothing.
    static func riveraUntranslated() throws -> CareRecord {
        let text = String(decoding: try Fixtures.example("rivera-enrollment.json"), as: UTF8.self)
            .replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 2")
        return try DocTest.load(Data(text.utf8))
    }

    /// The refusal of the copy, or `nil` (and an issue) when it renders.
    static func refusal(
        _ kind: DocumentKind,
        _ record: CareRecord,
        _ language: SupportedLanguage,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> DocumentRefusal? {
        do {
            _ = try DocTest.document(kind, record, language)
            Issue.record("\(kind.rawValue) in \(language.tag) rendered", sourceLocation: sourceLocation)
            return nil
        } catch let refusal as DocumentRefusal {
            return refusal
        }
    }

    static func pipeline() throws -> DocumentPipeline {
        try DocumentPipeline(renderer: DocTest.renderer())
    }

    static func request(
        _ kind: DocumentKind,
        _ language: SupportedLanguage,
        proof: Bool = false
    ) -> DocumentRequest {
        DocumentRequest(kind: kind, languages: .exactly([language]), letterDate: DocTest.letterDate, proof: proof)
    }

    // MARK: The model

    @Test func passagesListEveryTranslatableFieldWithItsSource() throws {
        let record = try Self.record("rivera-v2-es.json")
        let passages = record.translatablePassages
        let paths = Set(passages.map(\.path))
        for path in [
            "healthSummary.conditions[0]", "healthSummary.medicalHistory", "currentServices[2].frequency",
            "goals[1].actions[1].accessibility", "education.schoolServices[3]", "strengths.interests[1]",
            "transitions[0].continuityStrategies", "emergency.medications[1].sideEffects",
            "emergency.allergies[0].reaction", "emergency.emergencyContacts[1].relationship", "careTeam[3].specialty",
        ] {
            #expect(paths.contains(path), "no passage at \(path)")
        }
        let frequency = try #require(passages.first { $0.path == "emergency.medications[0].frequency" })
        #expect(frequency.source == "Twice a day")
        #expect(ContentResolver(record: record, language: .spanish).text(frequency.text) == "Dos veces al día")
        #expect(ContentResolver(record: record, language: .french).text(frequency.text) == nil)
        // "6" has no letter: it reads the same in every language.
        #expect(ContentResolver(record: record, language: .french).text(record.education!.gradeText!) == "6")
        #expect(record.untranslatedPassages(in: .spanish).isEmpty)
        #expect(record.untranslatedPassages(in: .english).isEmpty)
    }

    @Test(arguments: ["rivera-v2-es.json", "emergency-v2-full.json"])
    func passagesMatchTheFieldsTheSchemaMarksTranslatable(name: String) throws {
        // Every x-translatable value of the full record (found by walking the JSON with the
        // schema) is a passage of the model, and the reverse.
        let data = try Fixtures.record(name)
        let record = try DocTest.load(data)
        let schema = try JSONSchema.careRecord.get()
        let root = try JSONParser.parse(SourceText(data)).root
        var found: Set<String> = []
        func walk(_ value: JSONValue, _ node: SchemaNode, _ path: JSONPath) {
            var node = node
            if let ref = node.reference, let definition = schema.definitions[ref] {
                if definition.translatable {
                    found.insert(path.description)
                    return
                }
                node = definition
            }
            if case .object(let object) = value {
                for member in object.members {
                    if let child = node.property(named: member.key) {
                        walk(member.value, child, path.appending(member.key))
                    }
                }
            }
            if case .array(let items) = value, let itemNode = node.items {
                for (i, item) in items.enumerated() { walk(item, itemNode, path.appending(i)) }
            }
        }
        walk(root, schema.root, .root)
        #expect(found == Set(record.translatablePassages.map(\.path)))
    }

    @Test func v1RecordsReadAsBeforeAndRoundTrip() throws {
        let record = try DocTest.rivera()
        #expect(record.schemaVersion == 1)
        #expect(!record.declaresTranslations)
        #expect(record.emergency?.medications?[0].frequencyText == .plain("Twice a day"))
        #expect(record.emergency?.medications?[0].frequency == "Twice a day")
        let v2 = try Self.record("rivera-v2-es.json")
        let again = try JSONDecoder().decode(CareRecord.self, from: JSONEncoder().encode(v2))
        #expect(again == v2)
    }

    // MARK: Official copies

    @Test func spanishICPOfTheTranslatedRecordHasNoEnglishPassage() throws {
        let record = try Self.record("rivera-v2-es.json")
        let rendered = try DocTest.render(.carePlan, record, .spanish)
        let text = DocTest.squashed(rendered.text)
        var checked = 0
        for passage in record.translatablePassages {
            guard case .translations(let texts) = passage.text, let english = texts["en"], let spanish = texts["es"],
                english != spanish
            else { continue }
            // The ICP's medication table has no side effects (the aftercare plan's has).
            if passage.path.hasSuffix(".sideEffects") { continue }
            #expect(DocTest.containsData(rendered.text, spanish), "Spanish text missing: \(passage.path)")
            #expect(!text.contains(DocTest.squashed(english)), "English passage printed: \(passage.path)")
            checked += 1
        }
        #expect(checked > 50)
        // The enumerations come from the catalog too.
        #expect(DocTest.contains(rendered.text, "Madre"))
        #expect(!DocTest.contains(rendered.text, "[sin traducir"))
    }

    @Test func untranslatedOfficialCopiesAreRefusedWithEveryPath() throws {
        let record = try Self.riveraUntranslated()
        let refusal = try #require(try Self.refusal(.carePlan, record, .spanish))
        let paths = refusal.problems.map(\.path)
        let untranslated = Set(record.untranslatedPassages(in: .spanish).map(\.path))
        #expect(Set(paths).isSubset(of: untranslated))
        for path in [
            "healthSummary.medicalHistory", "goals[0].description", "goals[1].actions[1].accessibility",
            "emergency.medications[0].frequency", "emergency.emergencyContacts[0].relationship",
            "strengths.culturalConsiderations", "transitions[0].continuityStrategies",
        ] {
            #expect(paths.contains(path), "\(path) not listed")
        }
        #expect(!paths.contains("education.grade"))  // "6"
        #expect(refusal.problems.allSatisfy { $0.problem == "not translated into Spanish" })
        #expect(
            refusal.problems.allSatisfy { $0.clause.contains("in English and in the member and their parent/guardian") }
        )
        // The English copy is the content language: it renders.
        _ = try DocTest.document(.carePlan, record, .english)
        // The pipeline reports the same refusal as a DocumentFailure.
        #expect(throws: DocumentFailure.self) {
            _ = try Self.pipeline().render(Self.request(.carePlan, .spanish), record: record)
        }
    }

    @Test func lettersAreRefusedOnlyForWhatTheyPrint() throws {
        let record = try Self.record("haddad-v2-ar.json")
        var untranslated = record
        untranslated.removal?.reasonDetailText = .plain("Moved to live with her aunt.")
        do {
            _ = try DocTest.document(.terminationLetter, untranslated, .arabic)
            Issue.record("the termination letter rendered an untranslated reason")
        } catch let refusal as DocumentRefusal {
            #expect(refusal.problems.map(\.path) == ["removal.reasonDetail"])
            #expect(refusal.problems[0].clause.contains("linguistically appropriate"))
        }
        // The enrollment letter prints no record passage.
        _ = try DocTest.document(.enrollmentLetter, untranslated, .arabic)
    }

    @Test func aContentLanguageOtherThanEnglish() throws {
        let record = try Self.record("sok-v2-km.json")
        #expect(record.sourceLanguage == .khmer)
        _ = try DocTest.render(.emergencyPlan, record, .khmer)
        do {
            _ = try DocTest.document(.emergencyPlan, record, .english)
            Issue.record("the English emergency plan rendered Khmer-only passages")
        } catch let refusal as DocumentRefusal {
            #expect(
                refusal.problems.map(\.path) == [
                    "emergency.medications[1].route", "emergency.medications[1].frequency", "emergency.diagnoses[1]",
                    "emergency.devices[0]",
                ]
            )
            #expect(refusal.problems.allSatisfy { $0.problem == "not translated into English" })
        }
    }

    // MARK: Proofs

    @Test func proofsRenderMarkedWithTheProofLineOnEveryPage() throws {
        let record = try Self.riveraUntranslated()
        let copies = try Self.pipeline().render(Self.request(.carePlan, .spanish, proof: true), record: record)
        let pdf = try #require(copies.first).pdf
        let rendered = DocTest.Rendered(
            document: try DocTest.document(.carePlan, record, .english),
            pdf: pdf,
            report: copies[0].report,
            text: try DocTest.pdfText(pdf)
        )
        #expect(rendered.pages.count > 2)
        for (i, page) in rendered.pages.enumerated() {
            #expect(DocTest.contains(page, "PROOF — NOT FOR MAILING"), "page \(i + 1) has no proof line")
            #expect(DocTest.contains(page, "PRUEBA — NO ES PARA ENVIAR POR CORREO"), "page \(i + 1)")
        }
        #expect(DocTest.contains(rendered.text, "[sin traducir: Born at 28 weeks."))
        #expect(DocTest.contains(rendered.text, "[sin traducir: Twice a day]"))
        let info = try DocTest.run("/usr/bin/pdfinfo", [try Self.write(pdf)])
        #expect(info.stdout.contains("proof: true"))
        #expect(info.stdout.contains("PROOF — NOT FOR MAILING: Plan de Atención Individual"))
        // An official copy of the same request is refused.
        #expect(throws: DocumentFailure.self) {
            _ = try Self.pipeline().render(Self.request(.carePlan, .spanish), record: record)
        }
    }

    static func write(_ pdf: Data) throws -> String {
        let url = DocTest.temporaryFile("proof.pdf")
        try pdf.write(to: url)
        return url.path(percentEncoded: false)
    }

    // MARK: Direction per passage

    @Test func englishAndMixedPassagesKeepTheirOrderInArabicCopies() throws {
        let record = try Self.record("haddad-v2-ar.json")
        let rendered = try DocTest.render(.aftercarePlan, record, .arabic)
        let text = DocTest.withoutFormatCharacters(rendered.text)
        // Doses are not translated: in a right-to-left table they keep their reading order.
        #expect(text.contains("18 units"))
        #expect(text.contains("1:12"))
        #expect(text.contains("3 mg"))
        #expect(!text.contains("units 18"))
        #expect(!text.contains("mg 3"))
        // Arabic passages are there.
        #expect(DocTest.containsData(rendered.text, "مع الوجبات"))
        // An English passage in the Arabic copy reads left to right, its parenthesis at its end.
        let plan = try DocTest.render(.emergencyPlan, record, .arabic)
        // (pdftotext moves the closing parenthesis of a Latin run at the end of a right-to-left
        // line to its start; the page itself reads "Insulin pump (Omnipod 5)".)
        #expect(DocTest.containsData(plan.text, "Insulin pump (Omnipod 5)"))
        #expect(DocTest.withoutFormatCharacters(plan.text).contains("Insulin pump (Omnipod 5"))
    }

    // MARK: Enumerations

    @Test func everySchemaEnumValueHasAKeyInEveryCatalog() throws {
        let enums = try CatalogCoverage.schemaEnums()
        #expect(enums.count == 16)
        #expect(enums.allSatisfy { $0.keyPrefix != nil })
        #expect(CatalogCoverage.problems(in: try DocTest.renderer().locales) == [])
        // Spanish prints the guardian's relationship from its catalog.
        #expect(try DocTest.catalog(.spanish).text("relationship.mother") == "Madre")
    }

    // MARK: Version 1 output unchanged

    /// `pdftotext` of main's output for these records (before schema version 2), rendered with
    /// the same date: the English copies must be the same text. (The family-language copies
    /// change where an enumeration now comes from the catalog.)
    @Test(arguments: [
        ("shared:rivera-enrollment.json", DocumentKind.carePlan), ("shared:rivera-enrollment.json", .emergencyPlan),
        ("shared:rivera-enrollment.json", .enrollmentLetter), ("shared:haddad-removal.json", .aftercarePlan),
        ("shared:haddad-removal.json", .terminationLetter), ("complete-all-kinds.json", .carePlan),
        ("complete-all-kinds.json", .aftercarePlan), ("complete-all-kinds.json", .ccmNotice),
    ])
    func v1EnglishCopiesAreUnchanged(_ name: String, _ kind: DocumentKind) throws {
        let data =
            name.hasPrefix("shared:") ? try Fixtures.example(String(name.dropFirst(7))) : try Fixtures.record(name)
        let record = try DocTest.load(data)
        let base = (name.hasPrefix("shared:") ? String(name.dropFirst(7)) : name).replacingOccurrences(
            of: ".json",
            with: ""
        )
        let reference = DocTest.projectRoot.appending(
            path: "Tests/CaresDocumentsTests/Records/v1-reference/\(base)-\(kind.rawValue)-english.txt"
        )
        let expected = try String(contentsOf: reference, encoding: .utf8)
        let rendered = try DocTest.render(kind, record, .english)
        #expect(rendered.text == expected)
    }
}
