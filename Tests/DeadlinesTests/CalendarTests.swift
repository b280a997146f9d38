import CaresDocuments
import Foundation
import Testing

@testable import Deadlines

@Suite("Calendar days in America/New_York")
struct CalendarTests {
    @Test func dayNumbersRoundTripOverFourCenturies() {
        var d = day("1900-01-01")
        for _ in 0..<(365 * 400 / 7) {
            #expect(CalendarDate(dayNumber: d.dayNumber) == d)
            let next = d.adding(days: 7)
            #expect(d.days(until: next) == 7)
            d = next
        }
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("2000-03-01").dayNumber - day("2000-02-28").dayNumber == 2)  // 2000 is leap
        #expect(day("2100-03-01").dayNumber - day("2100-02-28").dayNumber == 1)  // 2100 is not
    }

    @Test(
        "+30 days across month ends and leap days",
        arguments: [
            ("2026-01-31", "2026-03-02"), ("2026-02-01", "2026-03-03"), ("2028-02-01", "2028-03-02"),
            ("2028-01-30", "2028-02-29"), ("2026-12-15", "2027-01-14"), ("2026-11-01", "2026-12-01"),
            ("2028-02-29", "2028-03-30"), ("2026-03-01", "2026-03-31"),
        ]
    )
    func thirtyDays(start: String, due: String) {
        #expect(ObligationKind.enrollmentLetter.rule.due(from: day(start)) == day(due))
    }

    @Test(
        "+60 days",
        arguments: [("2026-10-05", "2026-12-04"), ("2027-12-31", "2028-02-29"), ("2026-12-31", "2027-03-01")]
    )
    func sixtyDays(start: String, due: String) {
        #expect(ObligationKind.carePlan.rule.due(from: day(start)) == day(due))
    }

    @Test(
        "+3 months, +6 months and +1 year clamp to the end of a shorter month",
        arguments: [
            (ObligationKind.carePlanSignature, "2026-11-30", "2027-02-28"),
            (.carePlanSignature, "2027-11-30", "2028-02-29"),
            (.carePlanSignature, "2026-01-31", "2026-04-30"),
            (.carePlanSignature, "2026-10-31", "2027-01-31"),
            (.carePlanSignature, "2026-12-15", "2027-03-15"),
            (.monitoring, "2026-08-31", "2027-02-28"),
            (.monitoring, "2027-08-31", "2028-02-29"),
            (.reassessment, "2028-02-29", "2029-02-28"),
            (.reassessment, "2027-02-28", "2028-02-28"),
            (.reassessment, "2026-01-31", "2027-01-31"),
        ]
    )
    func calendarMonths(kind: ObligationKind, start: String, due: String) {
        #expect(kind.rule.due(from: day(start)) == day(due))
    }

    @Test func todayIsTheNewYorkCalendarDay() {
        // 2026-11-02 03:30 UTC is still November 1 in New York (EST, UTC-5).
        let utc = ISO8601DateFormatter().date(from: "2026-11-02T03:30:00Z")!
        #expect(ProgramCalendar.today(now: utc) == day("2026-11-01"))
        #expect(ProgramCalendar.today(now: utc.addingTimeInterval(2 * 3600)) == day("2026-11-02"))
        // Summer (EDT, UTC-4): 03:59Z is the previous day, 04:00Z the day itself.
        let summer = ISO8601DateFormatter().date(from: "2026-07-01T03:59:00Z")!
        #expect(ProgramCalendar.today(now: summer) == day("2026-06-30"))
        #expect(ProgramCalendar.today(now: summer.addingTimeInterval(60)) == day("2026-07-01"))
    }

    @Test("DST changes: a 23-hour and a 25-hour day are each one calendar day")
    func dstDays() {
        // Spring forward 2026-03-08, fall back 2026-11-01.
        for (before, after) in [("2026-03-07", "2026-03-09"), ("2026-10-31", "2026-11-02")] {
            let late = instant(before, hour: 23, minute: 59)
            let early = instant(after, hour: 0, minute: 1)
            #expect(ProgramCalendar.today(now: late) == day(before))
            #expect(ProgramCalendar.today(now: early) == day(after))
            #expect(ProgramCalendar.today(now: late).days(until: ProgramCalendar.today(now: early)) == 2)
        }
        // Enrollment effective the day before spring forward: due 30 calendar days later, on time
        // through 23:59 of the due day, late one minute after midnight.
        let o = Obligation(
            id: "x",
            recordId: "x",
            kind: .enrollmentLetter,
            qualifier: nil,
            startDate: day("2026-03-07"),
            dueDate: ObligationKind.enrollmentLetter.rule.due(from: day("2026-03-07")),
            recordVersion: 1,
            language: "en",
            electronicRequired: false
        )
        #expect(o.dueDate == day("2026-04-06"))
        #expect(
            o.status(today: ProgramCalendar.today(now: instant("2026-04-06", hour: 23, minute: 59))).state == .atRisk
        )
        #expect(
            o.status(today: ProgramCalendar.today(now: instant("2026-04-07", hour: 0, minute: 1))).state == .overdue
        )
    }

    @Test func dayThirtyOnTimeDayThirtyOneLate() {
        for start in ["2026-01-31", "2026-02-28", "2028-02-29", "2026-10-31", "2026-12-31"] {
            let o = Obligation(
                id: "x",
                recordId: "x",
                kind: .terminationLetter,
                qualifier: nil,
                startDate: day(start),
                dueDate: ObligationKind.terminationLetter.rule.due(from: day(start)),
                recordVersion: 1,
                language: "en",
                electronicRequired: false
            )
            let day30 = day(start).adding(days: 30)
            let day31 = day(start).adding(days: 31)
            #expect(o.status(today: day30) == DueStatus(state: .atRisk, daysLeft: 0, late: nil))
            #expect(o.status(today: day31) == DueStatus(state: .overdue, daysLeft: -1, late: nil))
            #expect(o.status(today: day(start).adding(days: 23)).state == .atRisk)
            #expect(o.status(today: day(start).adding(days: 22)) == DueStatus(state: .onTrack, daysLeft: 8, late: nil))
            var done = o
            done.completedOn = day30
            #expect(done.status(today: day31) == DueStatus(state: .complete, daysLeft: nil, late: false))
            done.completedOn = day31
            #expect(done.status(today: day31).late == true)
        }
    }
}

@Suite("UPU S10 tracking numbers")
struct TrackingNumberTests {
    @Test func validNumbers() throws {
        #expect(try TrackingNumber("RE123456785US").value == "RE123456785US")
        #expect(try TrackingNumber("re 1234 5678 5 us").value == "RE123456785US")
        #expect(try TrackingNumber("RE123456785US").isRegistered)
        // Check digit 10 → 0 and 11 → 5.
        #expect(TrackingNumber.checkDigit([0, 0, 0, 0, 0, 0, 0, 0]) == 5)
        #expect(TrackingNumber.checkDigit([0, 0, 0, 0, 0, 0, 0, 1]) == 4)
        let ten = (0..<100_000_000).lazy.map { n in String(format: "%08d", n).map { Int(String($0))! } }.first { d in
            11 - zip(d, [8, 6, 4, 2, 3, 5, 9, 7]).reduce(0) { $0 + $1.0 * $1.1 } % 11 == 10
        }!
        #expect(TrackingNumber.checkDigit(ten) == 0)
    }

    @Test(
        "wrong numbers are refused with the reason",
        arguments: [
            ("RE123456784US", "check digit 4"),
            ("RE12345678US", "12 characters"),
            ("1E123456785US", "two letters"),
            ("RE12345A785US", "9 digits"),
            ("RE1234567851S", "country code"),
            ("", "0 characters"),
        ]
    )
    func refused(text: String, reason: String) {
        #expect(throws: TrackingNumberError.self) { try TrackingNumber(text) }
        do { _ = try TrackingNumber(text) } catch { #expect(error.description.contains(reason), "\(error)") }
    }
}
