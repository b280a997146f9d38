import Foundation
import Testing

@testable import CaresDocuments

@Suite struct CalendarDateTests {
    @Test func onlyRealDatesExist() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2026, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2026, month: 13, day: 1) == nil)
        #expect(CalendarDate(year: 2026, month: 0, day: 1) == nil)
        #expect(CalendarDate(year: 2026, month: 1, day: 0) == nil)
        #expect(CalendarDate(year: 10_000, month: 1, day: 1) == nil)
        #expect(CalendarDate(year: -1, month: 1, day: 1) == nil)
    }

    @Test func leapYears() {
        #expect([1996, 2000, 2004, 2024, 2400].allSatisfy(CalendarDate.isLeapYear))
        #expect(![1900, 2023, 2025, 2100, 2200].contains(where: CalendarDate.isLeapYear))
        #expect(
            (1...12).map { CalendarDate.numberOfDays(inMonth: $0, year: 2024) } == [
                31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
            ]
        )
        #expect(CalendarDate.numberOfDays(inMonth: 2, year: 2026) == 28)
    }

    @Test func isoStringRoundTrip() {
        for text in ["2026-03-09", "0001-01-01", "9999-12-31", "2024-02-29"] {
            #expect(CalendarDate(text)?.description == text)
        }
        #expect(CalendarDate(year: 5, month: 1, day: 2)?.description == "0005-01-02")
        #expect(CalendarDate(year: 2026, month: 3, day: 9).map { "\($0)" } == "2026-03-09")
        for text in [
            "2026-3-09", "2026-03-9", "26-03-09", "2026/03/09", "2026-03-09T00:00:00Z", " 2026-03-09", "+026-03-09",
            "２０２６-03-09", "2025-02-29", "",
        ] {
            #expect(CalendarDate(text) == nil, "\(text)")
        }
    }

    @Test func ordering() throws {
        let dates = try ["2026-01-02", "2025-12-31", "2026-01-01", "2024-02-29"].map { try #require(CalendarDate($0)) }
        #expect(dates.sorted().map(\.description) == ["2024-02-29", "2025-12-31", "2026-01-01", "2026-01-02"])
        #expect(try #require(CalendarDate("2026-01-01")) < (try #require(CalendarDate("2026-01-02"))))
        #expect(CalendarDate("2026-01-01") == CalendarDate(year: 2026, month: 1, day: 1))
    }

    @Test func codableAsAString() throws {
        let date = try #require(CalendarDate("2026-11-15"))
        #expect(String(decoding: try JSONEncoder().encode(date), as: UTF8.self) == #""2026-11-15""#)
        #expect(try JSONDecoder().decode(CalendarDate.self, from: Data(#""2026-11-15""#.utf8)) == date)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CalendarDate.self, from: Data(#""2026-02-30""#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CalendarDate.self, from: Data("20261115".utf8)) }
    }
}
