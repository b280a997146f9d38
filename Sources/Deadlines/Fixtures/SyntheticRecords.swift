import CaresDocuments
import Foundation

/// Made-up care records for benchmarks: valid, with an enrollment letter that renders, and
/// (`full`) every kind of obligation, 10 obligations per record on average. Names and addresses are invented.
public enum SyntheticRecords {
    /// Record `i` (ids `BENCH-i`); dates spread around `today` so that some obligations are
    /// overdue, some at risk, most on track.
    public static func record(_ i: Int, today: CalendarDate, full: Bool) -> Data {
        let effective = today.adding(days: -(i % 100) + 10)
        let zip = String(format: "0%04d", 1000 + (i * 7919) % 9000)
        var r: [String: Any] = [
            "schemaVersion": 1, "recordId": "BENCH-\(i)",
            "provider": [
                "name": "Riverside Children's Health Center", "phone": "(978) 555-0142",
                "onCallPhone": "(978) 555-0199",
                "address": ["line1": "200 Harbor Street", "city": "Lowell", "state": "MA", "postalCode": "01852"],
            ],
            "member": [
                "id": String(format: "9%011d", i), "firstName": "Member\(i)", "lastName": "Example",
                "dateOfBirth": "2014-03-09",
                "primaryLanguage": i % 2 == 0 ? "es" : "en",
                "address": [
                    "line1": "\(i % 900 + 1) Pawtucket Blvd", "city": "Lowell", "state": "MA", "postalCode": zip,
                ],
                "enrolledInCCM": full && i % 2 == 0,
            ],
            "careTeam": [
                [
                    "id": "t1", "name": "Sarah Kim", "role": "senior-care-manager",
                    "contact": ["phone": "(978) 555-0142"],
                ]
            ],
            "enrollment": full
                ? [
                    "referralDate": effective.adding(days: -20).description, "effectiveDate": effective.description,
                    "designatedCareManagerId": "t1", "lastAssessmentDate": effective.adding(days: -5).description,
                    "lastCarePlanUpdate": effective.adding(days: 3).description,
                ]
                : ["effectiveDate": effective.description, "designatedCareManagerId": "t1"],
        ]
        if full {
            r["carePlanApproval"] = ["method": "verbal", "date": effective.adding(days: 30).description]
            r["removal"] = [
                "date": effective.adding(days: 60).description, "reason": "moved-out-of-state",
                "referrals": [
                    ["name": "Physical therapy", "startDate": effective.adding(days: 70).description],
                    ["name": "Speech therapy", "startDate": effective.adding(days: 75).description],
                    ["name": "Nutrition counseling", "startDate": effective.adding(days: 80).description],
                ],
            ]
        }
        return try! JSONSerialization.data(withJSONObject: r, options: [.sortedKeys])
    }
}
