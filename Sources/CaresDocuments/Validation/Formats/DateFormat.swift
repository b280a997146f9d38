/// JSON Schema `format: date` (RFC 3339 `full-date`): the date must exist on the calendar.
enum DateFormat {
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    /// Why `text` is not a real date, or `nil` when it is. Text that is not `YYYY-MM-DD` at
    /// all is the `pattern`'s to report.
    static func problem(in text: String) -> String? {
        guard let (year, month, day) = CalendarDate.fields(of: text) else {
            return "must be a date written YYYY-MM-DD, like 2026-03-09"
        }
        guard (1...12).contains(month) else {
            return "is not a real date: there is no month \(month) (months are 01 to 12)"
        }
        let days = CalendarDate.numberOfDays(inMonth: month, year: year)
        let name = monthNames[month - 1]
        if day == 0 {
            return "is not a real date: there is no day 0 (days start at 01)"
        }
        if day > days {
            if month == 2 && day == 29 {
                return "is not a real date: \(year) is not a leap year, so February \(year) has 28 days"
            }
            let which = month == 2 ? "February \(year)" : name
            return "is not a real date: \(which) has \(days) days, not \(day)"
        }
        return nil
    }
}
