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

    /// A two-column table of record passages, `emergency.<field>[i].<first|second>` (procedure and
    /// why, problem and what to do): `m[<field>Title]` and `m[<field>Table]`, nothing when empty.
    private func pairTable(
        _ rows: [(LocalizedText, LocalizedText?)],
        _ field: String,
        _ names: (first: String, second: String),
        title titleKey: String,
        into m: inout [String: Any]
    ) throws {
        guard !rows.isEmpty else { return }
        let title = try text("emergency.\(titleKey)")
        // The catalog's column headers: emergency.procedure / procedureReason, problem / management.
        let second = names.second == "reason" ? "procedureReason" : names.second
        m["\(field)Title"] = title
        m["\(field)Table"] = dataTable(
            summary: title,
            headers: [try text("emergency.\(names.first)"), try text("emergency.\(second)")],
            weights: [2, 3],
            rows: rows.enumerated().map { i, row in
                [
                    passage(row.0, "emergency.\(field)[\(i)].\(names.first)") ?? "",
                    passage(row.1, "emergency.\(field)[\(i)].\(names.second)"),
                ]
            },
            boldFirst: true
        )
    }

    /// Accommodations beside devices, the usual condition beside precautions: tables of one row
    /// whose columns are the parts the record has (side by side, so the plan keeps to one page).
    func noteTables(_ m: [String: Any]) throws -> [[String: Any]] {
        func items(_ key: String, bold: Bool) throws -> [String: Any]? {
            guard let list = m[key] as? [String], !list.isEmpty else { return nil }
            return [
                "title": try text("emergency.\(key)Title"), "isList": true,
                "items": list.map { ["text": $0, "bold": bold] as [String: Any] },
            ]
        }
        func paragraph(_ key: String, _ titleKey: String) throws -> [String: Any]? {
            guard let value = m[key] as? String else { return nil }
            return ["title": try text("emergency.\(titleKey)"), "text": value]
        }
        let rows = [
            [try items("accommodations", bold: true), try items("devices", bold: false)].compactMap { $0 },
            [try paragraph("baseline", "baselineTitle"), try paragraph("precautions", "precautionsTitle")].compactMap {
                $0
            },
        ]
        return rows.filter { !$0.isEmpty }.map { cells in
            [
                "columns": cells.map { _ in "1*" }.joined(separator: " "),
                "summary": cells.compactMap { $0["title"] as? String }.joined(separator: ", "),
                "cells": cells,
            ]
        }
    }

    /// Procedures to avoid, common problems with what to do, and the status table (advance
    /// directive, guardianship, immunizations).
    func addGuidance(_ e: Emergency, to m: inout [String: Any]) throws {
        let avoid = (e.proceduresToAvoid ?? []).map { ($0.procedureText, $0.reasonText) }
        try pairTable(avoid, "proceduresToAvoid", ("procedure", "reason"), title: "proceduresTitle", into: &m)
        let problems = (e.presentingProblems ?? []).map { ($0.problemText, Optional($0.managementText)) }
        try pairTable(problems, "presentingProblems", ("problem", "management"), title: "problemsTitle", into: &m)
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
