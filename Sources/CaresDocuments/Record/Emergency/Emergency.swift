/// The emergency plan: what EMTs and emergency-department staff need at once (`$defs/emergency`).
public struct Emergency: Codable, Sendable, Hashable {
    public var diagnoses: [String]?
    public var medications: [Medication]?
    public var allergies: [Allergy]?
    /// Stated explicitly, so that an empty or absent `allergies` list is never read as "none".
    public var noKnownAllergies: Bool?
    /// e.g. local anesthesia for intravenous access.
    public var accommodations: [String]?
    /// Durable medical equipment and devices (g-tube, tracheostomy, shunt...).
    public var devices: [String]?
    /// Baseline vital signs and neurological status.
    public var baseline: String?
    public var procedurePrecautions: String?
    public var emergencyContacts: [EmergencyContact]?
    public var lastReviewed: CalendarDate?

    public init(
        diagnoses: [String]? = nil,
        medications: [Medication]? = nil,
        allergies: [Allergy]? = nil,
        noKnownAllergies: Bool? = nil,
        accommodations: [String]? = nil,
        devices: [String]? = nil,
        baseline: String? = nil,
        procedurePrecautions: String? = nil,
        emergencyContacts: [EmergencyContact]? = nil,
        lastReviewed: CalendarDate? = nil
    ) {
        self.diagnoses = diagnoses
        self.medications = medications
        self.allergies = allergies
        self.noKnownAllergies = noKnownAllergies
        self.accommodations = accommodations
        self.devices = devices
        self.baseline = baseline
        self.procedurePrecautions = procedurePrecautions
        self.emergencyContacts = emergencyContacts
        self.lastReviewed = lastReviewed
    }
}
