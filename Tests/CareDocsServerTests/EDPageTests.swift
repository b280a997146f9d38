import CaresDocuments
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CareDocsServer

/// The emergency department's page shows what the emergency plan prints: allergies first, the
/// age beside the date of birth, weight with its date, usual vital signs, common problems with
/// what to do, procedures to avoid, advance directive, guardianship and immunizations.
@Suite("ED page")
struct EDPageTests {
    @Test("the ED page of a record with every emergency field: allergies first, age, weight with its date")
    func edPageShowsTheEmergencyInformation() async throws {
        try await TestService.with { s, client in
            try await client.execute(
                uri: "/v1/records",
                method: .post,
                headers: s.headers(.coordinator, json: true),
                body: try fileBuffer(recordsDir.appendingPathComponent("emergency-v2-full.json"))
            ) { r in #expect(r.status == .created) }
            try await client.execute(
                uri: "/v1/members?name=Costa%20Barros&birthDate=2017-06-20",
                method: .get,
                headers: s.headers(.ed)
            ) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/ed/members/CR-2026-0917", method: .get, headers: s.headers(.ed)) { r in
                #expect(r.status == .ok)
                let page = r.text
                let age = try #require(
                    Age(born: CalendarDate("2017-06-20")!, on: ProgramCalendar.today(now: s.env.now))
                )
                for phrase in [
                    "Born 2017-06-20 (age \(age))", "Weight 27.4 kg (60.4 lb)</strong>, measured 2026-10-01",
                    "<td>96/min</td>", "<td>102/64 mmHg</td>", "<td>97%</td>", "<td>36.8 °C</td>",
                    "Baseline SpO2 95-97% on room air.", "Common problems and what to do",
                    "<td>Seizure over 5 minutes</td><td>Midazolam 5 mg nasal, call 911.</td>",
                    "Procedures to avoid", "<td>Latex gloves and catheters</td><td>Severe latex allergy.</td>",
                    "Advance directive: None",
                    "Guardianship: Parents decide</strong> — Both parents share legal custody.",
                    "Immunizations: Up to date",
                ] {
                    #expect(page.contains(phrase), "no '\(phrase)'")
                }
                let order = [
                    "ALLERGIES", "Weight 27.4", "Usual (baseline) vital signs", "Medications",
                    "Common problems", "Procedures to avoid", "Advance directive",
                ]
                let positions = order.compactMap { page.range(of: $0)?.lowerBound }
                #expect(positions.count == order.count && positions == positions.sorted())
            }
        }
    }

    @Test("a record without the new fields says the weight is not recorded and shows no empty sections")
    func edPageOfAnOlderRecord() {
        let parts = EDPages.guidance(Emergency(noKnownAllergies: true))
        #expect(parts.vitals.isEmpty && parts.problems.isEmpty && parts.procedures.isEmpty && parts.status.isEmpty)
        let vitals = EDPages.guidance(
            Emergency(baselineVitals: BaselineVitals(oxygenSaturation: 92, note: "On room air <always>"))
        ).vitals
        #expect(vitals.contains("<th scope=\"col\">SpO2</th>"))
        #expect(vitals.contains("<td>92%</td>"))
        #expect(vitals.contains("On room air &lt;always&gt;"))
        #expect(!vitals.contains("Heart rate"))
    }
}
