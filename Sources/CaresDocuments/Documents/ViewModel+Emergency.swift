import Foundation
import Templating

/// The emergency plan's parts an ED physician asks for first (AAP/ACEP Emergency Information
/// Form): the age beside the date of birth, weight with its date, usual vital signs, procedures
/// to avoid, common problems with what to do, advance directive, guardianship, immunizations.
extension ViewModel {
    /// "March 9, 2014 (age 12 years)": the age on the document's date (months under 2 years).
    func dateOfBirthWithAge() throws -> String {
        let born = date(record.member.dateOfBirth)
        guard let age = Age(born: record.member.dateOfBirth, on: options.letterDate) else { return born }
        return try text("emergency.age", ["date": born, "age": try ageText(age)])
    }

    func ageText(_ age: Age) throws -> String {
        try catalog.plural("age.\(age.unit.rawValue)", count: age.count)
    }

    static func number(_ value: Double) -> String { MeasurementText.number(value) }

    /// "32.5 kg (71.7 lb)" or "72 lb (32.7 kg)", the units in the copy's language.
    func weightText(_ w: Weight) throws -> String {
        w.text(kilogramsUnit: try text("unit.weight.kg"), poundsUnit: try text("unit.weight.lb"))
    }

    /// Weight and the usual vital signs: one header row and one row of values (columns nobody
    /// filled left out), and the note below.
    func addVitals(_ e: Emergency, to m: inout [String: Any]) throws {
        var cells: [(header: String, value: String)] = []
        if let w = e.weight {
            m["weightLine"] = try text(
                "emergency.weightLine",
                ["weight": try weightText(w), "date": date(w.measuredOn)]
            )
        }
        let v = e.baselineVitals ?? BaselineVitals()
        if let hr = v.heartRate {
            cells.append((try text("emergency.heartRate"), try text("emergency.perMinute", ["value": Self.number(hr)])))
        }
        if let rr = v.respiratoryRate {
            cells.append(
                (try text("emergency.respiratoryRate"), try text("emergency.perMinute", ["value": Self.number(rr)]))
            )
        }
        if let bp = v.bloodPressure {
            cells.append(
                (
                    try text("emergency.bloodPressure"),
                    try text(
                        "emergency.bloodPressureValue",
                        ["systolic": Self.number(bp.systolic), "diastolic": Self.number(bp.diastolic)]
                    )
                )
            )
        }
        if let o2 = v.oxygenSaturation {
            cells.append(
                (try text("emergency.oxygenSaturation"), try text("emergency.percent", ["value": Self.number(o2)]))
            )
        }
        if let t = v.temperature {
            cells.append(
                (
                    try text("emergency.temperature"),
                    "\(Self.number(t.value)) \(try text("unit.temperature.\(t.unit.rawValue)"))"
                )
            )
        }
        let note = passage(v.noteText, "emergency.baselineVitals.note")
        guard !cells.isEmpty || note != nil || m["weightLine"] != nil else { return }
        m["hasVitals"] = true
        m["vitalsTitle"] = try text("emergency.vitalsTitle")
        if !cells.isEmpty {
            m["vitals"] =
                [
                    "columns": cells.map { _ in "1*" }.joined(separator: " "),
                    "headers": cells.map(\.header),
                    // A measurement and its unit stay on one line.
                    "values": cells.map { Self.unbroken($0.value) },
                ] as [String: Any]
        }
        if let note { m["vitalsNote"] = note }
    }

    /// Procedures to avoid, common problems with what to do, and the status table (advance
    /// directive, guardianship, immunizations).
    func addGuidance(_ e: Emergency, to m: inout [String: Any]) throws {
        let avoid = e.proceduresToAvoid ?? []
        if !avoid.isEmpty {
            let title = try text("emergency.proceduresTitle")
            m["proceduresTitle"] = title
            m["procedureTable"] = dataTable(
                summary: title,
                headers: [try text("emergency.procedure"), try text("emergency.procedureReason")],
                weights: [2, 3],
                rows: avoid.enumerated().map { i, p in
                    [
                        passage(p.procedureText, "emergency.proceduresToAvoid[\(i)].procedure") ?? "",
                        passage(p.reasonText, "emergency.proceduresToAvoid[\(i)].reason"),
                    ]
                },
                boldFirst: true
            )
        }
        let problems = e.presentingProblems ?? []
        if !problems.isEmpty {
            let title = try text("emergency.problemsTitle")
            m["problemsTitle"] = title
            m["problemTable"] = dataTable(
                summary: title,
                headers: [try text("emergency.problem"), try text("emergency.management")],
                weights: [2, 3],
                rows: problems.enumerated().map { i, p in
                    [
                        passage(p.problemText, "emergency.presentingProblems[\(i)].problem") ?? "",
                        passage(p.managementText, "emergency.presentingProblems[\(i)].management"),
                    ]
                },
                boldFirst: true
            )
        }
        var headers: [String] = []
        var values: [[String: Any]] = []
        func status(_ label: String, _ key: String, _ note: LocalizedText?, _ path: String) throws {
            headers.append(try text(label))
            var cell: [String: Any] = ["status": try text(key)]
            if let n = passage(note, path) { cell["note"] = n }
            values.append(cell)
        }
        if let a = e.advanceDirective {
            try status(
                "emergency.advanceDirective",
                "advanceDirective.status.\(a.status.rawValue)",
                a.noteText,
                "emergency.advanceDirective.note"
            )
        }
        if let g = e.guardianship {
            try status(
                "emergency.guardianship",
                "guardianship.status.\(g.status.rawValue)",
                g.noteText,
                "emergency.guardianship.note"
            )
        }
        if let i = e.immunizations {
            try status(
                "emergency.immunizations",
                "immunizations.status.\(i.status.rawValue)",
                i.noteText,
                "emergency.immunizations.note"
            )
        }
        if !headers.isEmpty {
            m["statusTable"] =
                [
                    "summary": try text("emergency.statusTitle"),
                    "columns": headers.map { _ in "1*" }.joined(separator: " "),
                    "headers": headers,
                    "values": values,
                ] as [String: Any]
        }
    }
}
