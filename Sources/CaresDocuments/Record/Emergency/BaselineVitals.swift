/// The child's usual vital signs (`emergency.baselineVitals`), each optional: what "normal" is
/// for this child, so staff can tell a change from the baseline.
public struct BaselineVitals: Codable, Sendable, Hashable {
    public struct BloodPressure: Codable, Sendable, Hashable {
        /// mmHg.
        public var systolic: Double
        /// mmHg.
        public var diastolic: Double

        public init(systolic: Double, diastolic: Double) {
            self.systolic = systolic
            self.diastolic = diastolic
        }
    }

    public struct Temperature: Codable, Sendable, Hashable {
        public enum Unit: String, Codable, Sendable, CaseIterable {
            case celsius = "C"
            case fahrenheit = "F"
        }

        public var value: Double
        public var unit: Unit

        public init(value: Double, unit: Unit) {
            self.value = value
            self.unit = unit
        }
    }

    /// Beats per minute.
    public var heartRate: Double?
    /// Breaths per minute.
    public var respiratoryRate: Double?
    public var bloodPressure: BloodPressure?
    /// SpO2, percent.
    public var oxygenSaturation: Double?
    public var temperature: Temperature?
    /// e.g. "baseline SpO2 92% on room air".
    public var noteText: LocalizedText?

    /// `noteText` as one string (`LocalizedText.anyText`), for readers that choose no language.
    public var note: String? {
        get { noteText.anyText }
        set { noteText = newValue.localized }
    }

    enum CodingKeys: String, CodingKey {
        case heartRate, respiratoryRate, bloodPressure, oxygenSaturation, temperature
        case noteText = "note"
    }

    public init(
        heartRate: Double? = nil,
        respiratoryRate: Double? = nil,
        bloodPressure: BloodPressure? = nil,
        oxygenSaturation: Double? = nil,
        temperature: Temperature? = nil,
        note: LocalizedText? = nil
    ) {
        self.heartRate = heartRate
        self.respiratoryRate = respiratoryRate
        self.bloodPressure = bloodPressure
        self.oxygenSaturation = oxygenSaturation
        self.temperature = temperature
        self.noteText = note
    }

    /// No measurement and no note.
    public var isEmpty: Bool {
        heartRate == nil && respiratoryRate == nil && bloodPressure == nil && oxygenSaturation == nil
            && temperature == nil && noteText == nil
    }
}
