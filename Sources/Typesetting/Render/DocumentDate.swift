import Foundation

/// A document's date as the PDF writes it, in America/New_York (the program's home): the
/// document information's `D:YYYYMMDDHHmmSS+HH'mm'` and XMP's `YYYY-MM-DDThh:mm:ss±hh:mm`, from
/// the same calendar fields. Formatted by hand: `String(format:)` goes through NSString and
/// `CVarArg` boxing, a few microseconds per field, on every render.
struct DocumentDate {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    /// Seconds east of UTC.
    var offset: Int

    static let zone = TimeZone(identifier: "America/New_York") ?? .current
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    init(_ date: Date) {
        let c = Self.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        year = c.year ?? 1970
        month = c.month ?? 1
        day = c.day ?? 1
        hour = c.hour ?? 0
        minute = c.minute ?? 0
        second = c.second ?? 0
        offset = Self.zone.secondsFromGMT(for: date)
    }

    /// `n` in decimal with at least `width` digits (zeros in front).
    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    var sign: String { offset >= 0 ? "+" : "-" }
    var offsetHours: String { Self.digits(abs(offset) / 3600, 2) }
    var offsetMinutes: String { Self.digits((abs(offset) % 3600) / 60, 2) }

    /// `D:YYYYMMDDHHmmSS+HH'mm'`.
    var pdf: String {
        "D:" + Self.digits(year, 4) + Self.digits(month, 2) + Self.digits(day, 2) + Self.digits(hour, 2)
            + Self.digits(minute, 2) + Self.digits(second, 2) + sign + offsetHours + "'" + offsetMinutes + "'"
    }

    /// `YYYY-MM-DDThh:mm:ss±hh:mm`.
    var iso: String {
        Self.digits(year, 4) + "-" + Self.digits(month, 2) + "-" + Self.digits(day, 2) + "T" + Self.digits(hour, 2)
            + ":" + Self.digits(minute, 2) + ":" + Self.digits(second, 2) + sign + offsetHours + ":" + offsetMinutes
    }
}
