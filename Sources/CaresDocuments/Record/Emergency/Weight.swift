/// The child's weight and the day it was measured (`emergency.weight`): emergency doses are by
/// weight, and an old weight is a different number.
public struct Weight: Codable, Sendable, Hashable {
    public enum Unit: String, Codable, Sendable, CaseIterable {
        case kilograms = "kg"
        case pounds = "lb"
    }

    /// Greater than 0 (the schema refuses anything else).
    public var value: Double
    public var unit: Unit
    public var measuredOn: CalendarDate

    public init(value: Double, unit: Unit, measuredOn: CalendarDate) {
        self.value = value
        self.unit = unit
        self.measuredOn = measuredOn
    }

    /// One pound is 0.45359237 kg exactly.
    public static let kilogramsPerPound = 0.45359237

    /// The weight in kilograms.
    public var kilograms: Double { unit == .kilograms ? value : value * Self.kilogramsPerPound }

    /// Both units, the record's first: "32.5 kg (71.7 lb)", "72 lb (32.7 kg)"; the unit words
    /// are the caller's (a catalog's).
    public func text(kilogramsUnit kg: String = "kg", poundsUnit lb: String = "lb") -> String {
        switch unit {
        case .kilograms:
            "\(MeasurementText.number(value)) \(kg) (\(MeasurementText.rounded(value / Self.kilogramsPerPound)) \(lb))"
        case .pounds:
            "\(MeasurementText.number(value)) \(lb) (\(MeasurementText.rounded(kilograms)) \(kg))"
        }
    }
}

/// Measurements as printed: ASCII digits and a point in every language (the number the English
/// copy shows), whole numbers without ".0".
public enum MeasurementText {
    /// "32.5", "110".
    public static func number(_ value: Double) -> String {
        if value.rounded() == value && abs(value) < 1e9 { return String(Int(value)) }
        return String(value)
    }

    /// A converted value to one decimal: 71.65 → "71.7".
    public static func rounded(_ value: Double) -> String {
        number((value * 10).rounded() / 10)
    }
}
