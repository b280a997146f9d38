/// School, IEP, 504 plan and school-based services (`$defs/education`).
public struct Education: Codable, Sendable, Hashable {
    public var school: String?
    public var grade: String?
    /// Individualized Education Program summary.
    public var iep: String?
    public var plan504: String?
    public var schoolServices: [String]?
    public var supports: String?

    public init(
        school: String? = nil,
        grade: String? = nil,
        iep: String? = nil,
        plan504: String? = nil,
        schoolServices: [String]? = nil,
        supports: String? = nil
    ) {
        self.school = school
        self.grade = grade
        self.iep = iep
        self.plan504 = plan504
        self.schoolServices = schoolServices
        self.supports = supports
    }
}
