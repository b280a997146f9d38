import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// Record data is data: markup, Mustache, CDATA ends, entities, quotes and bidi overrides in any
/// field print literally in every kind, and rendering never fails because of them.
@Suite struct InjectionTests {
    /// A hostile value, tagged so each field can be found in the PDF text.
    static func hostile(_ tag: String) -> String {
        "<b>\(tag)</b> & {{y}} ]]> \"q\" 'a' \u{202E}evil"
    }

    /// What must come back literally (the part before the override).
    static func literal(_ tag: String) -> String {
        "<b>\(tag)</b> & {{y}} ]]> \"q\" 'a'"
    }

    static let templateSyntax = "{memberName} {{memberName}} {{{memberName}}} {{#icp}}x{{/icp}} {{> letter-frame}}"
    static let markup = "</p></document><page-break/><p size=\"90\">BIG</p>"
    static let entities = "&amp; &lt; &#x41; &#0; <![CDATA[x]]>"

    static func hostileRecord() throws -> CareRecord {
        var r = try DocTest.complete()
        r.member.firstName = hostile("MEMBER")
        r.guardians?[0].name = hostile("GUARDIAN")
        r.provider?.name = hostile("PROVIDER")
        r.careTeam?[0].name = hostile("MANAGER")
        r.careTeam?[2].name = hostile("DOCTOR")
        r.careTeam?[6].name = hostile("CCM")
        r.goals?[0].description = hostile("GOAL")
        r.goals?[0].actions?[0].description = hostile("ACTION")
        r.emergency?.medications?[0].name = hostile("MED")
        r.emergency?.medications?[0].sideEffects = hostile("SIDE")
        r.emergency?.allergies?[0].substance = hostile("ALLERGY")
        r.emergency?.accommodations = [markup]
        r.removal?.reasonDetail = hostile("WHY")
        r.removal?.recommendations = hostile("RECOMMEND")
        r.healthSummary?.medicalHistory = templateSyntax
        r.provider?.appealInstructions = entities
        return r
    }

    /// The tags each kind prints (the fields it shows).
    static let tags: [DocumentKind: [String]] = [
        .enrollmentLetter: ["MEMBER", "GUARDIAN", "PROVIDER", "MANAGER"],
        .terminationLetter: ["MEMBER", "GUARDIAN", "PROVIDER", "WHY"],
        .carePlan: ["MEMBER", "GUARDIAN", "PROVIDER", "MANAGER", "DOCTOR", "CCM", "GOAL", "ACTION", "MED", "ALLERGY"],
        .emergencyPlan: ["MEMBER", "PROVIDER", "DOCTOR", "MED", "ALLERGY"],
        .aftercarePlan: ["MEMBER", "GUARDIAN", "PROVIDER", "WHY", "RECOMMEND", "MED", "SIDE"],
        .ccmNotice: ["MEMBER", "PROVIDER", "MANAGER", "CCM"],
    ]

    @Test(arguments: DocumentKind.allCases)
    func hostileValuesPrintLiterally(_ kind: DocumentKind) throws {
        let record = try Self.hostileRecord()
        let rendered = try DocTest.render(kind, record)
        let flat = DocTest.normalized(rendered.text)
        for tag in Self.tags[kind] ?? [] {
            #expect(DocTest.containsData(flat, Self.literal(tag)), "\(kind.rawValue): \(tag) not printed literally")
        }
        if kind == .carePlan || kind == .emergencyPlan {
            #expect(flat.contains(DocTest.normalized(Self.markup)), "\(kind.rawValue): markup in an accommodation")
            #expect(!rendered.report.warnings.contains { $0.contains("90") })
        }
        if kind == .carePlan {
            #expect(flat.contains(Self.templateSyntax), "Mustache and catalog placeholders in a value stay as they are")
            #expect(flat.contains(Self.entities), "entities in a value are not decoded")
        }
        // The markup did not become structure: no extra heading, no page break, no bold span
        // holding the tag alone.
        let headings = DocTest.headings(rendered.document.blocks).map(DocTest.headingText)
        #expect(!headings.contains("BIG"))
        #expect(
            rendered.document.metadata.author == record.provider?.name,
            "the author attribute keeps its quotes and markup"
        )
        #expect(rendered.report.missingCharacters.isEmpty, "\(rendered.report.missingCharacters)")
    }

    /// The same in a right-to-left and a complex-script language.
    @Test(arguments: DocumentKind.allCases, [SupportedLanguage.arabic, .khmer])
    func hostileValuesRenderInEveryScript(_ kind: DocumentKind, _ language: SupportedLanguage) throws {
        let rendered = try DocTest.render(kind, try Self.hostileRecord(), language)
        #expect(rendered.report.pages >= 1)
        // Right to left, the neutral "<" at the start of a Latin run may be extracted elsewhere.
        let tag = kind == .emergencyPlan || kind == .ccmNotice ? "MEMBER" : "PROVIDER"
        #expect(DocTest.contains(rendered.text, "\(tag)</b> & {{y}} ]]>"), "\(kind.rawValue) \(language.tag)")
    }

    /// A right-to-left override in a name reverses only the name, never the sentence around it
    /// (the member id and the words after it).
    @Test(arguments: [DocumentKind.enrollmentLetter, .terminationLetter, .carePlan, .aftercarePlan, .ccmNotice])
    func bidiOverrideInANameStaysInTheName(_ kind: DocumentKind) throws {
        var record = try DocTest.complete()
        record.member.firstName = "Nadia\u{202E}"
        let flat = DocTest.normalized(try DocTest.render(kind, record).text)
        #expect(flat.contains("MassHealth ID 100555666777"), "\(kind.rawValue): the About line was reversed")
    }

    /// Values joined on one line (diagnoses, strengths, school services) are isolated one by one,
    /// so an override in one cannot reverse the ones after it.
    @Test func bidiOverrideInADiagnosisStaysInThatDiagnosis() throws {
        var record = try DocTest.complete()
        record.emergency?.diagnoses = ["Cystic fibrosis\u{202E}", "Asthma", "Diabetes"]
        let flat = DocTest.normalized(try DocTest.render(.emergencyPlan, record).text)
        #expect(flat.contains("Asthma · Diabetes"), "\(flat.prefix(400))")
    }

    /// The window address line "city, state ZIP" is built without isolating the
    /// city (ViewModel.swift recipientLines, ViewModel+Aftercare.swift ccmNotice): an override
    /// in the city prints the ZIP code reversed ("Lawrence14810 AM ,"). Schema validation lets
    /// bidi controls through.
    @Test func bidiOverrideInACityDoesNotReverseTheZIPCode() throws {
        var record = try DocTest.complete()
        record.guardians?[0].contact?.address?.city = "Lawrence\u{202E}"
        let rendered = try DocTest.render(.enrollmentLetter, record)
        #expect(rendered.text.contains("MA 01841"), "\(rendered.text.prefix(300))")
    }

    /// Control characters, noncharacters and huge values do not break a render.
    @Test(arguments: DocumentKind.allCases)
    func oddCharactersDoNotBreakARender(_ kind: DocumentKind) throws {
        var record = try DocTest.complete()
        record.member.lastName = "Be\u{0}li\u{7}zaire\u{FFFE}\u{FFFF}\u{1F}"
        record.removal?.reasonDetail = String(repeating: "Verylongwordwithoutspaces", count: 200)
        record.goals?[0].description = "\u{200D}\u{0301}\u{202B}\u{2067}x\u{2069}"
        record.guardians?[0].name = ""
        let rendered = try DocTest.render(kind, record)
        #expect(rendered.report.pages >= 1)
        #expect(DocTest.contains(rendered.text, "Belizaire"), "\(kind.rawValue): controls were dropped, the name kept")
    }
}
