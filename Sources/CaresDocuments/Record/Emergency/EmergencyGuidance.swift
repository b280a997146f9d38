/// A procedure emergency staff should not do, and why (`emergency.proceduresToAvoid[]`).
public struct ProcedureToAvoid: Codable, Sendable, Hashable {
    public var procedureText: LocalizedText
    public var reasonText: LocalizedText?

    /// `procedureText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var procedure: String { procedureText.anyText }
    /// `reasonText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var reason: String? { reasonText.anyText }

    enum CodingKeys: String, CodingKey {
        case procedureText = "procedure"
        case reasonText = "reason"
    }

    public init(procedure: LocalizedText, reason: LocalizedText? = nil) {
        self.procedureText = procedure
        self.reasonText = reason
    }
}

/// A problem the child commonly comes in with and what to do (`emergency.presentingProblems[]`):
/// "seizure over 5 minutes" → "midazolam 5 mg nasal, call 911".
public struct PresentingProblem: Codable, Sendable, Hashable {
    public var problemText: LocalizedText
    public var managementText: LocalizedText

    /// `problemText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var problem: String { problemText.anyText }
    /// `managementText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var management: String { managementText.anyText }

    enum CodingKeys: String, CodingKey {
        case problemText = "problem"
        case managementText = "management"
    }

    public init(problem: LocalizedText, management: LocalizedText) {
        self.problemText = problem
        self.managementText = management
    }
}

/// A coded status with an optional translatable note: advance directive, guardianship,
/// immunizations (`emergency.advanceDirective`, …).
public struct StatusNote<Status: RawRepresentable & Codable & Sendable & Hashable & CaseIterable>: Codable, Sendable,
    Hashable
where Status.RawValue == String {
    public var status: Status
    public var noteText: LocalizedText?

    /// `noteText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var note: String? { noteText.anyText }

    enum CodingKeys: String, CodingKey {
        case status
        case noteText = "note"
    }

    public init(status: Status, note: LocalizedText? = nil) {
        self.status = status
        self.noteText = note
    }
}

/// Whether the child has an advance directive (`emergency.advanceDirective.status`).
public enum AdvanceDirectiveStatus: String, Codable, Sendable, CaseIterable {
    case none
    case dnr
    case polstMolst = "polst-molst"
    case other
}

/// Who may consent to treatment (`emergency.guardianship.status`).
public enum GuardianshipStatus: String, Codable, Sendable, CaseIterable {
    case parents
    case legalGuardian = "legal-guardian"
    case stateCustody = "state-custody"
    /// A young adult who makes their own decisions.
    case selfConsent = "self"
    case other
}

/// Whether the child's immunizations are up to date (`emergency.immunizations.status`).
public enum ImmunizationStatus: String, Codable, Sendable, CaseIterable {
    case upToDate = "up-to-date"
    case notUpToDate = "not-up-to-date"
    case unknown
}
