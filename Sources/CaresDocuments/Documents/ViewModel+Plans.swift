import Templating

/// View models of the emergency plan, the ICP, the aftercare plan and the CCM notice.
extension ViewModel {
    var isLargePrint: Bool { options.largePrint || record.member.accessibility?.largePrint == true }

    func nonBlank(_ s: String?) -> String? {
        guard let s, !s.isBlank else { return nil }
        return s
    }

    func role(_ r: TeamRole) throws -> String { try text("role.\(r.rawValue)") }

    /// The emergency plan's line spacing by locale: Arabic closer than in the letters
    /// (`ViewModel.lineSpacing`, 0.88), so a typical plan keeps to one page. Lines never come
    /// closer than their glyphs' ink allows (looked at as PNG at 100 dpi: no marks touch).
    static let planLineSpacing: [String: String] = ["ar": "0.7"]

    /// Spaces made no-break spaces: a phone number or a measurement stays on one line.
    static func unbroken(_ s: String) -> String { s.replacingOccurrences(of: " ", with: "\u{00A0}") }

    /// Who does an action step: a team member's name and role, or the family.
    func responsible(_ id: String) throws -> String {
        if id == GoalAction.familyResponsibleId { return try text("role.family") }
        guard let m = record.teamMember(withId: id) else { return id }
        return "\(m.name) (\(try role(m.role)))"
    }

    func teamRows(_ members: [TeamMember]) throws -> [[String: Any]] {
        try members.map { m -> [String: Any] in
            var row: [String: Any] = [
                "name": m.name, "role": try role(m.role), "contacts": try contactLines(m.contact),
            ]
            if let c = m.contact { row["contact"] = c }
            if let c = nonBlank(m.credentials) { row["credentials"] = c }
            let specialty = passage(m.specialtyText, "careTeam[\(teamIndex(m))].specialty")
            let org = Self.list([nonBlank(m.organization), specialty].compactMap { $0 })
            if !org.isEmpty { row["organization"] = org }
            return row
        }
    }

    /// Phone numbers alone (an emergency reader needs the number, not a label): "(978) 555-0142 x214".
    func phoneLines(_ c: Contact?) -> [String] {
        guard let phone = c?.phone else { return [] }
        return [Self.isolate(phone + (c?.phoneExtension.map { " x\($0)" } ?? ""))]
    }

    func serviceHeaders() throws -> [String] {
        try ["name", "provider", "frequency", "startDate", "notes"].map { try text("service.\($0)") }
    }

    /// A table of record data for the `data-table` partial. Columns after the first that no row
    /// fills are left out (no column of empty cells); `weights` are relative widths.
    func dataTable(
        summary: String,
        headers: [String],
        weights: [Int],
        rows: [[String?]],
        notes: [String?]? = nil,
        boldFirst: Bool = false
    ) -> [String: Any] {
        let keep = headers.indices.filter { c in c == 0 || rows.contains { c < $0.count && nonBlank($0[c]) != nil } }
        return [
            "summary": summary,
            "columns": keep.map { _ in "auto" }.joined(separator: " "),
            "headers": keep.map { headers[$0] },
            "boldFirst": boldFirst,
            "rows": rows.enumerated().map { i, row -> [String: Any] in
                var r: [String: Any] = [
                    "first": own(row.first.flatMap { $0 } ?? ""),
                    "rest": keep.dropFirst().map { c in own(c < row.count ? (row[c] ?? "") : "") },
                ]
                if let n = notes?[i].flatMap({ nonBlank($0) }) { r["note"] = n }
                return r
            },
        ]
    }

    /// Services at `path` (`currentServices`, `removal.referrals`, `removal.servicesInPlace`).
    func serviceTable(_ services: [Service], path: String, summary: String) throws -> [String: Any] {
        dataTable(
            summary: summary,
            headers: try serviceHeaders(),
            weights: [3, 3, 2, 2, 3],
            rows: services.enumerated().map { i, s in
                [
                    passage(s.nameText, "\(path)[\(i)].name") ?? "",
                    s.providerId.flatMap { record.teamMember(withId: $0)?.name } ?? nonBlank(s.providerName),
                    passage(s.frequencyText, "\(path)[\(i)].frequency"), s.startDate.map(date),
                    passage(s.notesText, "\(path)[\(i)].notes"),
                ]
            }
        )
    }

    func medicationTable(withSideEffects: Bool, summary: String) throws -> [String: Any] {
        let meds = record.emergency?.medications ?? []
        func text(_ i: Int, _ field: String, _ value: LocalizedText?) -> String? {
            passage(value, "emergency.medications[\(i)].\(field)")
        }
        if withSideEffects {
            return dataTable(
                summary: summary,
                headers: try ["name", "dose", "route", "frequency", "sideEffects"].map { try self.text("med.\($0)") },
                weights: [3, 2, 2, 2, 4],
                rows: meds.enumerated().map { i, m in
                    [
                        m.name, nonBlank(m.dose), text(i, "route", m.routeText), text(i, "frequency", m.frequencyText),
                        text(i, "sideEffects", m.sideEffectsText),
                    ]
                },
                notes: meds.enumerated().map { i, m in text(i, "purpose", m.purposeText) },
                boldFirst: true
            )
        }
        return dataTable(
            summary: summary,
            headers: try ["name", "dose", "route", "frequency", "purpose"].map { try self.text("med.\($0)") },
            weights: [3, 2, 2, 3, 2],
            rows: meds.enumerated().map { i, m in
                [
                    m.name, nonBlank(m.dose), text(i, "route", m.routeText), text(i, "frequency", m.frequencyText),
                    text(i, "purpose", m.purposeText),
                ]
            },
            boldFirst: true
        )
    }

    /// The emergency plan's content (`emergency-section` partial), headings at `heading`.
    func emergencySection(heading: String) throws -> [String: Any] {
        let e = record.emergency ?? Emergency()
        let allergies = try (e.allergies ?? []).enumerated().map { i, a -> String in
            var s = own(a.substance)
            if let r = passage(a.reactionText, "emergency.allergies[\(i)].reaction") {
                s = try text("emergency.allergy", ["substance": a.substance, "reaction": r])
            }
            if let sev = a.severity { s += " (\(try text("allergy.severity.\(sev.rawValue)")))" }
            return s
        }
        var m: [String: Any] = [
            "heading": heading,
            "allergiesTitle": try text("emergency.allergiesTitle"),
            "allergyTitleSize": isLargePrint ? "22" : "14",
            "allergies": allergies,
            "medicationsTitle": try text("emergency.medicationsTitle"),
            "medicationTable": try medicationTable(
                withSideEffects: false,
                summary: try text("emergency.medicationsTitle")
            ),
            "hasMedications": !(e.medications ?? []).isEmpty,
            "noMedications": try text("emergency.noMedications"),
            "accommodationsTitle": try text("emergency.accommodationsTitle"),
            "devicesTitle": try text("emergency.devicesTitle"),
            "baselineTitle": try text("emergency.baselineTitle"),
            "precautionsTitle": try text("emergency.precautionsTitle"),
            "providersTitle": try text("emergency.providersTitle"),
            "contactsTitle": try text("emergency.contactsTitle"),
            "nameHeader": try text("label.name"),
            "roleHeader": try text("label.role"),
            "phoneHeader": try text("emergency.phone"),
            "relationshipHeader": try text("emergency.relationship"),
            "providers": try teamRows((record.careTeam ?? []).filter { $0.involvedInEmergencyCare == true }).map {
                row in
                var row = row
                // A number never breaks across lines (no-break spaces).
                row["phones"] = phoneLines(row["contact"] as? Contact).map(Self.unbroken)
                row["ownName"] = own(row["name"] as? String ?? "")
                return row
            },
            "smallSize": isLargePrint ? "16" : "8.5",
            // Closer than the body's defaults (h3: 9 pt before, 3 after; cells 3 pt), so a
            // typical plan keeps to one page.
            "headingSpace": isLargePrint ? "9" : "4",
            "tablePadding": isLargePrint ? "3" : "1.5",
        ]
        if allergies.isEmpty {
            m["allergyStatement"] =
                e.noKnownAllergies == true
                ? try text("emergency.noKnownAllergies") : try text("emergency.allergiesNotRecorded")
        }
        // The emergency diagnoses, else the health summary's conditions.
        let stated = passages(e.diagnosesTexts, "emergency.diagnoses")
        let diagnoses =
            stated.isEmpty ? passages(record.healthSummary?.conditionsTexts, "healthSummary.conditions") : stated
        if !diagnoses.isEmpty {
            m["hasDiagnoses"] = true
            m["diagnosesTitle"] = try text("emergency.diagnosesTitle")
            m["diagnosesLine"] = Self.list(diagnoses)
        }
        // Required: an empty list is printed as an explicit "None".
        let accommodations = passages(e.accommodationsTexts, "emergency.accommodations")
        m["hasAccommodations"] = true
        m["accommodations"] = accommodations.isEmpty ? [try text("label.none")] : accommodations
        let devices = passages(e.devicesTexts, "emergency.devices")
        if !devices.isEmpty {
            m["hasDevices"] = true
            m["devices"] = devices
        }
        try addVitals(e, to: &m)
        try addGuidance(e, to: &m)
        if let b = passage(e.baselineText, "emergency.baseline") { m["baseline"] = b }
        if let p = passage(e.procedurePrecautionsText, "emergency.procedurePrecautions") { m["precautions"] = p }
        m["noteTables"] = try noteTables(m)
        let contacts = (e.emergencyContacts ?? []).enumerated().map { i, c -> [String: Any] in
            var row: [String: Any] = ["name": own(c.name), "phone": Self.unbroken(Self.isolate(c.phone))]
            if let r = passage(c.relationshipText, "emergency.emergencyContacts[\(i)].relationship") {
                row["relationship"] = r
            }
            return row
        }
        if !contacts.isEmpty {
            m["hasContacts"] = true
            m["contacts"] = contacts
        }
        if let onCall = record.provider?.onCallPhone {
            m["onCall"] = try text("emergency.onCall", ["phone": Self.unbroken(Self.isolate(onCall))])
        }
        if let d = e.lastReviewed { m["lastReviewed"] = try text("emergency.lastReviewed", ["date": date(d)]) }
        return m
    }

    func emergencyPlan() throws -> [String: Any] {
        let title = try text("emergency.title")
        var m: [String: Any] = [
            "lang": catalog.locale,
            "dir": catalog.isRightToLeft ? "rtl" : "ltr",
            "baseSize": isLargePrint ? "18" : "9",
            "lineSpacing": Self.planLineSpacing[catalog.locale] ?? "1",
            "titleSize": isLargePrint ? "24" : "15",
            "keyWidth": isLargePrint ? "190" : "110",
            "title": title,
            "memberName": memberName,
            "memberIdIsolated": Self.isolate(record.member.id),
            "subject": "Emergency plan",
            "reference": record.recordId ?? record.member.id,
            "pageLabel": try text("frame.page"),
            "providerName": record.provider?.name ?? "",
            "subtitle": try text("emergency.subtitle"),
        ]
        // The date of the last review goes beside the subtitle, at the top: staff see at once
        // how current the plan is (and the page keeps its one-page length).
        var section = try emergencySection(heading: "h3")
        m["reviewedLine"] = section.removeValue(forKey: "lastReviewed")
        m["e"] = section
        try proofFrame(
            &m,
            title: title,
            keywords:
                "CARES for Kids, Emergency plan, language: \(catalog.locale), translation: \(catalog.status.rawValue)"
        )
        if catalog.locale != "en" {
            // The language as a sentence needs it ("una copia en español", "копия на русском
            // языке"), never the label form ("Español"). Catalog text, so not isolated.
            m["copyNotice"] = try catalog.text(
                "emergency.copyNotice",
                ["inLanguage": try catalog.text(LocaleSet.inSentenceKey(catalog.locale))]
            )
        }
        var identity: [[String: String]] = [
            ["label": try text("label.name"), "value": memberName]
        ]
        if let p = nonBlank(record.member.preferredName) {
            identity.append(["label": try text("label.preferredName"), "value": p])
        }
        identity.append(["label": try text("label.dateOfBirth"), "value": try dateOfBirthWithAge()])
        identity.append(["label": try text("label.memberId"), "value": Self.isolate(record.member.id)])
        if let l = SupportedLanguage.normalize(record.member.primaryLanguage), let c = languageName(l) {
            identity.append(["label": try text("label.language"), "value": c])
        }
        if let p = passage(record.member.pronounsText, "member.pronouns") {
            identity.append(["label": try text("label.pronouns"), "value": p])
        }
        m["identity"] = identity
        // The name and the date of birth with the age are the widest values.
        let dateLabel = try text("label.dateOfBirth")
        m["identityColumns"] = identity.enumerated().map { i, field in
            field["label"] == dateLabel ? "4*" : i == 0 ? "3*" : "2*"
        }.joined(separator: " ")
        return m
    }

    /// A language's own name ("Español"), from its catalog.
    func languageName(_ l: SupportedLanguage) -> String? {
        languageNames[l.tag]
    }
}
