/// The emergency plan: what EMTs and emergency-department staff need at once (`$defs/emergency`).
public struct Emergency: Codable, Sendable, Hashable {
    public var diagnosesTexts: [LocalizedText]?
    public var medications: [Medication]?
    public var allergies: [Allergy]?
    /// Stated explicitly, so that an empty or absent `allergies` list is never read as "none".
    public var noKnownAllergies: Bool?
    /// e.g. local anesthesia for intravenous access.
    public var accommodationsTexts: [LocalizedText]?
    /// Durable medical equipment and devices (g-tube, tracheostomy, shunt...).
    public var devicesTexts: [LocalizedText]?
    /// Baseline vital signs and neurological status.
    public var baselineText: LocalizedText?
    public var procedurePrecautionsText: LocalizedText?
    /// Weight with the day it was measured.
    public var weight: Weight?
    public var baselineVitals: BaselineVitals?
    public var proceduresToAvoid: [ProcedureToAvoid]?
    /// Common presenting problems with the suggested management.
    public var presentingProblems: [PresentingProblem]?
    public var advanceDirective: StatusNote<AdvanceDirectiveStatus>?
    public var guardianship: StatusNote<GuardianshipStatus>?
    public var immunizations: StatusNote<ImmunizationStatus>?
    public var emergencyContacts: [EmergencyContact]?
    public var lastReviewed: CalendarDate?

    /// `diagnosesTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var diagnoses: [String]? {
        get { diagnosesTexts.anyTexts }
        set { diagnosesTexts = newValue.localized }
    }
    /// `accommodationsTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var accommodations: [String]? {
        get { accommodationsTexts.anyTexts }
        set { accommodationsTexts = newValue.localized }
    }
    /// `devicesTexts` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var devices: [String]? {
        get { devicesTexts.anyTexts }
        set { devicesTexts = newValue.localized }
    }
    /// `baselineText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var baseline: String? {
        get { baselineText.anyText }
        set { baselineText = newValue.localized }
    }
    /// `procedurePrecautionsText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var procedurePrecautions: String? {
        get { procedurePrecautionsText.anyText }
        set { procedurePrecautionsText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case diagnosesTexts = "diagnoses"
        case medications
        case allergies
        case noKnownAllergies
        case accommodationsTexts = "accommodations"
        case devicesTexts = "devices"
        case baselineText = "baseline"
        case procedurePrecautionsText = "procedurePrecautions"
        case weight, baselineVitals, proceduresToAvoid, presentingProblems, advanceDirective, guardianship
        case immunizations
        case emergencyContacts
        case lastReviewed
    }

    public init(
        diagnoses: [LocalizedText]? = nil,
        medications: [Medication]? = nil,
        allergies: [Allergy]? = nil,
        noKnownAllergies: Bool? = nil,
        accommodations: [LocalizedText]? = nil,
        devices: [LocalizedText]? = nil,
        baseline: LocalizedText? = nil,
        procedurePrecautions: LocalizedText? = nil,
        weight: Weight? = nil,
        baselineVitals: BaselineVitals? = nil,
        proceduresToAvoid: [ProcedureToAvoid]? = nil,
        presentingProblems: [PresentingProblem]? = nil,
        advanceDirective: StatusNote<AdvanceDirectiveStatus>? = nil,
        guardianship: StatusNote<GuardianshipStatus>? = nil,
        immunizations: StatusNote<ImmunizationStatus>? = nil,
        emergencyContacts: [EmergencyContact]? = nil,
        lastReviewed: CalendarDate? = nil
    ) {
        self.diagnosesTexts = diagnoses
        self.medications = medications
        self.allergies = allergies
        self.noKnownAllergies = noKnownAllergies
        self.accommodationsTexts = accommodations
        self.devicesTexts = devices
        self.baselineText = baseline
        self.procedurePrecautionsText = procedurePrecautions
        self.weight = weight
        self.baselineVitals = baselineVitals
        self.proceduresToAvoid = proceduresToAvoid
        self.presentingProblems = presentingProblems
        self.advanceDirective = advanceDirective
        self.guardianship = guardianship
        self.immunizations = immunizations
        self.emergencyContacts = emergencyContacts
        self.lastReviewed = lastReviewed
    }
}
