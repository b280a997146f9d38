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

        public init(language: SupportedLanguage, largePrint: Bool = false, letterDate: CalendarDate = .today()) {
            self.language = language
            self.largePrint = largePrint
            self.letterDate = letterDate
        }
    }

    /// The document, or a `DocumentRefusal` listing every missing element.
    public func document(_ kind: DocumentKind, record: CareRecord, options: Options) throws -> Document {
        guard DocumentKind.available.contains(kind) else {
            throw RenderFailure(
                "\(kind.rawValue) is not available yet (available: \(DocumentKind.available.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let problems = Requirements.check(kind, record)
        guard problems.isEmpty else { throw DocumentRefusal(kind: kind, problems: problems) }
        guard let catalog = locales.catalogs[options.language.tag] else {
            throw RenderFailure(
                "no locale catalog for \(options.language.tag) yet (have: \(locales.catalogs.keys.sorted().joined(separator: ", ")))"
            )
        }
        let names = locales.catalogs.mapValues {
            $0.englishName == $0.name ? $0.name : "\($0.englishName) (\($0.name))"
        }
        let model = ViewModel(
            record: record,
            catalog: catalog,
            taglines: taglines,
            options: options,
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
        var doc = try templates.document(kind.rawValue, context: context)
        doc.metadata.creationDate = nil
        return doc
    }
}

public struct RenderFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

extension CalendarDate {
    /// Today in America/New_York, the program's calendar.
    public static func today(now: Date = Date()) -> CalendarDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "America/New_York")!
        let c = cal.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
