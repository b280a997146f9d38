import Foundation
import Templating
import Typesetting

/// Turns a validated care record into a `Document` of one kind, in one language: checks the
/// requirement rules, builds the view model from the locale catalog, fills the template.
public struct DocumentRenderer: Sendable {
    public let templates: TemplateLibrary
    public let locales: LocaleSet
    public let taglines: Taglines

    public init(templates: URL? = nil, locales: URL? = nil) throws {
        self.templates = try TemplateLibrary(directory: templates ?? TemplateLibrary.locate())
        let localesDir = try locales ?? LocaleSet.locate()
        self.locales = try LocaleSet(directory: localesDir)
        self.taglines = try Taglines.load(localesDir)
    }

    public struct Options: Sendable {
        public var language: SupportedLanguage
        public var largePrint: Bool
        /// The date printed on the letter (America/New_York calendar day).
        public var letterDate: CalendarDate
        /// A proof for review (`DocumentRequest.proof`): untranslated passages are printed in the
        /// source language and marked, every page says PROOF — NOT FOR MAILING.
        public var proof: Bool

        public init(
            language: SupportedLanguage,
            largePrint: Bool = false,
            letterDate: CalendarDate = ProgramCalendar.today(),
            proof: Bool = false
        ) {
            self.language = language
            self.largePrint = largePrint
            self.letterDate = letterDate
            self.proof = proof
        }
    }

    /// The document, or a `DocumentRefusal` listing every missing element — and, for an
    /// official copy of a record that declares translations (schema version 2), every passage the
    /// copy would print without a text in its language.
    public func document(_ kind: DocumentKind, record: CareRecord, options: Options) throws -> Document {
        guard DocumentKind.available.contains(kind) else { throw DocumentFailure.unavailableKind(kind) }
        let problems = Requirements.check(kind, record)
        guard problems.isEmpty else { throw DocumentRefusal(kind: kind, problems: problems) }
        let (context, untranslated, catalog) = try contextAndPassages(kind, record: record, options: options)
        if !untranslated.isEmpty, record.declaresTranslations, !options.proof {
            throw DocumentRefusal(
                kind: kind,
                problems: Requirements.untranslated(untranslated, kind: kind, language: catalog.englishName)
            )
        }
        var doc = try templates.document(kind.rawValue, context: context)
        doc.metadata.creationDate = nil
        return doc
    }

    /// The JSON paths of the passages an official copy of `kind` in `language` would refuse as
    /// untranslated (the same view model as `document`, without the template): empty for a
    /// version 1 record, and when the requirement rules or the view model refuse it for
    /// another reason. The deadline queue's "waiting for translation (N passages)" count.
    public func untranslatedPassages(
        _ kind: DocumentKind,
        record: CareRecord,
        language: SupportedLanguage
    ) -> [String] {
        guard record.declaresTranslations, DocumentKind.available.contains(kind),
            Requirements.check(kind, record).isEmpty,
            let (_, untranslated, _) = try? contextAndPassages(
                kind,
                record: record,
                options: Options(language: language)
            )
        else { return [] }
        return untranslated
    }

    /// The view model `document` fills the template with (the tests compare template renderers
    /// with it).
    func templateContext(_ kind: DocumentKind, record: CareRecord, options: Options) throws -> [String: Any] {
        try contextAndPassages(kind, record: record, options: options).0
    }

    private func contextAndPassages(
        _ kind: DocumentKind,
        record: CareRecord,
        options: Options
    ) throws -> ([String: Any], [String], LocaleCatalog) {
        guard let catalog = locales.catalogs[options.language.tag] else {
            throw DocumentFailure.noCatalog(options.language.tag)
        }
        let names = locales.catalogs.mapValues {
            $0.englishName == $0.name ? $0.name : "\($0.englishName) (\($0.name))"
        }
        let model = ViewModel(
            record: record,
            kind: kind,
            catalog: catalog,
            taglines: taglines,
            options: options,
            content: ContentResolver(record: record, language: options.language),
            languageNames: names
        )
        let context: [String: Any]
        switch kind {
        case .enrollmentLetter: context = try model.enrollmentLetter()
        case .terminationLetter: context = try model.terminationLetter()
        case .emergencyPlan: context = try model.emergencyPlan()
        case .carePlan: context = try model.carePlan()
        case .aftercarePlan: context = try model.aftercarePlan()
        case .ccmNotice: context = try model.ccmNotice()
        }
        return (context, model.passages.untranslated, catalog)
    }
}
