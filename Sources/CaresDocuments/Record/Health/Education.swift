/// School, IEP, 504 plan and school-based services (`$defs/education`).
public struct Education: Codable, Sendable, Hashable {
    public var school: String?
    public var gradeText: LocalizedText?
    /// Individualized Education Program summary.
    public var iepText: LocalizedText?
    public var plan504Text: LocalizedText?
    public var schoolServicesTexts: [LocalizedText]?
    public var supportsText: LocalizedText?

    /// `gradeText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var grade: String? {
        get { gradeText.anyText }
        set { gradeText = newValue.localized }
    }
    /// `iepText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var iep: String? {
        get { iepText.anyText }
        set { iepText = newValue.localized }
    }
    /// `plan504Text` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var plan504: String? {
        get { plan504Text.anyText }
        set { plan504Text = newValue.localized }
    }
    /// `schoolServicesTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var schoolServices: [String]? {
        get { schoolServicesTexts.anyTexts }
        set { schoolServicesTexts = newValue.localized }
    }
    /// `supportsText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var supports: String? {
        get { supportsText.anyText }
        set { supportsText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case school
        case gradeText = "grade"
        case iepText = "iep"
        case plan504Text = "plan504"
        case schoolServicesTexts = "schoolServices"
        case supportsText = "supports"
    }

    public init(
        school: String? = nil,
        grade: LocalizedText? = nil,
        iep: LocalizedText? = nil,
        plan504: LocalizedText? = nil,
        schoolServices: [LocalizedText]? = nil,
        supports: LocalizedText? = nil
    ) {
        self.school = school
        self.gradeText = grade
        self.iepText = iep
        self.plan504Text = plan504
        self.schoolServicesTexts = schoolServices
        self.supportsText = supports
    }
}
