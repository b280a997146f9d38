import CaresDocuments
import Foundation

/// Calendar-day arithmetic on `CalendarDate`, without times or time zones.
///
/// Deadlines count calendar days: "within 30 days of D" means on or before `D + 30 days`. Dates
/// become day numbers (days since 1970-01-01, proleptic Gregorian), so month ends, leap days and
/// DST changes need no special cases: a day is a day, whatever its length in hours.
///
/// Months and years are added on the calendar and clamped to the end of a shorter month:
/// January 31 + 1 month is February 28 (29 in a leap year); February 29 + 1 year is February 28.
/// Clamping never moves a deadline past the end of the month it lands in, so it is never later
/// than "the same day, N months later" where that day exists (the conservative reading of the
/// regulation's "within three months").
extension CalendarDate {
    /// Days since 1970-01-01 (negative before), Howard Hinnant's `days_from_civil`.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date of a day number (`civil_from_days`); `nil` outside the years 0...9999.
    public init?(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.init(year: y, month: m, day: d)
    }

    /// This date plus `days` calendar days (negative: earlier).
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days) ?? self
    }

    /// This date plus `months` calendar months, clamped to the last day of a shorter month.
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12
        let m = total % 12 + 1
        let d = Swift.min(day, CalendarDate.numberOfDays(inMonth: m, year: y))
        return CalendarDate(year: y, month: m, day: d) ?? self
    }

    /// This date plus `years`, clamped (February 29 + 1 year is February 28).
    public func adding(years: Int) -> CalendarDate { adding(months: years * 12) }

    /// Calendar days from this date to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int { other.dayNumber - dayNumber }
}

/// When an obligation falls due, relative to its start date.
public enum DueRule: Sendable, Hashable {
    case days(Int)
    case months(Int)
    case years(Int)

    public func due(from start: CalendarDate) -> CalendarDate {
        switch self {
        case .days(let n): start.adding(days: n)
        case .months(let n): start.adding(months: n)
        case .years(let n): start.adding(years: n)
        }
    }

    public var description: String {
        switch self {
        case .days(let n): "+\(n) days"
        case .months(let n): "+\(n) months"
        case .years(let n): "+\(n) year\(n == 1 ? "" : "s")"
        }
    }
}
