/// A child's age on a day, as an emergency plan gives it: whole years from 2 years, whole
/// months under 2 years, days under one month.
public struct Age: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable {
        case days, months, years
    }

    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// The age on `day` of a child born on `birth`; `nil` when `day` is before the birth.
    /// A month is complete on the same day of the month, or on the last day of a month too short
    /// to have it (born January 31: one month old on February 28).
    public init?(born birth: CalendarDate, on day: CalendarDate) {
        guard day >= birth else { return nil }
        var months = (day.year - birth.year) * 12 + (day.month - birth.month)
        let lastDay = CalendarDate.numberOfDays(inMonth: day.month, year: day.year)
        if day.day < birth.day && day.day < lastDay { months -= 1 }
        if months >= 24 {
            self.init(count: months / 12, unit: .years)
        } else if months >= 1 {
            self.init(count: months, unit: .months)
        } else if day.month == birth.month {
            self.init(count: day.day - birth.day, unit: .days)
        } else {
            // The next month, before the day of birth comes round.
            let rest = CalendarDate.numberOfDays(inMonth: birth.month, year: birth.year) - birth.day
            self.init(count: rest + day.day, unit: .days)
        }
    }

    /// English, for pages without a catalog (the ED web page): "7 years", "1 month", "12 days".
    public var description: String {
        let word: String
        switch unit {
        case .years: word = count == 1 ? "year" : "years"
        case .months: word = count == 1 ? "month" : "months"
        case .days: word = count == 1 ? "day" : "days"
        }
        return "\(count) \(word)"
    }
}
