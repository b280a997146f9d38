import Foundation

/// "Today" for the whole product, in one place. The program's calendar is America/New_York, the
/// provider's time zone: deadlines count calendar days there, so DST never shifts one, and a
/// letter is dated with the New York calendar day wherever the server runs.
public enum ProgramCalendar {
    public static let timeZone = TimeZone(identifier: "America/New_York")!

    /// The calendar day it is in America/New_York at `now`.
    public static func today(now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
