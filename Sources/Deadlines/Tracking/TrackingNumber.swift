import CaresDocuments

/// A Registered Mail article number in UPU S10 form: two service letters, eight serial digits,
/// a check digit and a two-letter country code (`RE123456785US`).
///
/// The check digit: weights 8, 6, 4, 2, 3, 5, 9, 7 over the serial digits; `11 - sum % 11`,
/// where 10 becomes 0 and 11 becomes 5.
public struct TrackingNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Reads a tracking number (spaces ignored, letters upper-cased), or throws why not.
    public init(_ text: String) throws(TrackingNumberError) {
        let cleaned = String(text.filter { !$0.isWhitespace }.uppercased())
        let s = Array(cleaned.unicodeScalars)
        guard s.count == 13 else {
            throw TrackingNumberError(
                "\(Quote.value(text)) has \(s.count) characters; an S10 article number has 13 (2 letters, 8 digits, check digit, 2-letter country)"
            )
        }
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("A"..."Z").contains(c) }
        func digit(_ c: Unicode.Scalar) -> Int? { ("0"..."9").contains(c) ? Int(c.value) - 48 : nil }
        guard isLetter(s[0]), isLetter(s[1]) else {
            throw TrackingNumberError(
                "\(Quote.value(text)) must start with two letters (the service indicator, e.g. RE for Registered Mail)"
            )
        }
        let digits = s[2..<11].compactMap(digit)
        guard digits.count == 9 else {
            throw TrackingNumberError(
                "\(Quote.value(text)) must have 9 digits after the service letters (8 serial digits and the check digit)"
            )
        }
        guard isLetter(s[11]), isLetter(s[12]) else {
            throw TrackingNumberError("\(Quote.value(text)) must end with a two-letter country code (e.g. US)")
        }
        let expected = TrackingNumber.checkDigit(Array(digits[0..<8]))
        guard digits[8] == expected else {
            throw TrackingNumberError(
                "\(Quote.value(text)) has check digit \(digits[8]); the serial number \(digits[0..<8].map(String.init).joined()) needs \(expected)"
            )
        }
        value = cleaned
    }

    /// The S10 check digit of eight serial digits.
    public static func checkDigit(_ serial: [Int]) -> Int {
        let weights = [8, 6, 4, 2, 3, 5, 9, 7]
        let sum = zip(serial, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 11 - sum % 11
        return check == 10 ? 0 : check == 11 ? 5 : check
    }

    /// The service indicator (`RE` for Registered Mail).
    public var service: String { String(value.prefix(2)) }
    /// Registered Mail: service indicators starting with R.
    public var isRegistered: Bool { value.hasPrefix("R") }
    public var description: String { value }
}

public struct TrackingNumberError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
