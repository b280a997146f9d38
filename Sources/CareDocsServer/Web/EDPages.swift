import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import Templating

/// Emergency staff: find a child by whole family name and date of birth, or member id, and read
/// the emergency plan as a clean page — ALLERGIES first — with the PDF one click away. An ED
/// user opens only plans a search of the same session matched (`requireLookup`). Read-only;
/// every search (with the record ids it found), view and refusal is audited.
struct EDPages {
    let env: ServiceEnvironment

    func register(_ t: RouteTable) {
        // The form is posted: names and dates of birth never appear in a URL.
        t.get("/ed", roles: Access.emergency) { _, ctx in try await search(SearchForm(), ctx) }
        t.post("/ed", roles: Access.emergency) { req, ctx in
            try await search(SearchForm(FormData(String(decoding: try await req.bytes(ctx), as: UTF8.self))), ctx)
        }
        t.get("/ed/members/{recordId}", roles: Access.emergency) { _, ctx in try await plan(ctx) }
    }

    func search(_ form: SearchForm, _ ctx: AppContext) async throws -> Response {
        let name = form.name
        let dob = form.birthDate
        let memberId = form.memberId
        var results = ""
        if !form.isEmpty {
            let search = MemberSearch(
                name: name.isEmpty ? nil : name,
                birthDate: dob.isEmpty ? nil : dob,
                memberId: memberId.isEmpty ? nil : memberId,
                limit: 20,
                wholeFamilyName: true
            )
            do {
                if !dob.isEmpty && CalendarDate(dob) == nil {
                    throw APIError(.badRequest, "The date of birth must be a real date.")
                }
                try APIRoutes.checkSearch(search, role: .ed)
                let found = try await env.lookup(search, ctx, label: "emergency lookup")
                if found.count == 1 {
                    return Response.redirect(to: "/ed/members/\(u(found[0].recordId))", type: .normal)
                }
                results =
                    found.isEmpty
                    ? "<p role=\"status\" id=\"results\">No child found. Check the whole family name and the date of birth, or use the member id.</p>"
                    : "<h2 id=\"results\">\(found.count) children found</h2><ul>"
                        + found.map {
                            "<li><a href=\"/ed/members/\(u($0.recordId))\">\(h($0.givenName)) \(h($0.familyName))</a>, born \(h($0.birthDate)), member id \(h($0.memberId))</li>"
                        }.joined() + "</ul>"
            } catch let e as APIError {
                results = "<div class=\"error\" role=\"alert\"><p>\(h(e.error))</p></div>"
            }
        }
        let body = """
            <p>Search by the child's whole family name <strong>and</strong> date of birth, or by member id.</p>
            <form method="post" action="/ed" class="inline" role="search" aria-label="Find a child">\(Layout.csrfField(ctx.identity))
            <div><label for="name">Name</label><input id="name" name="name" value="\(h(name))" autocomplete="off"></div>
            <div><label for="birthDate">Date of birth</label><input id="birthDate" name="birthDate" type="date" value="\(h(dob))"></div>
            <div><label for="memberId">or member id</label><input id="memberId" name="memberId" value="\(h(memberId))" autocomplete="off"></div>
            <div><input type="submit" value="Find"></div>
            </form>
            \(results)
            """
        return HTMLResponse.make(Layout.page("Emergency lookup", identity: ctx.identity, body: body))
    }

    func plan(_ ctx: AppContext) async throws -> Response {
        let recordId = try ctx.param("recordId")
        try await env.requireLookup(ctx, recordId: recordId, what: "emergency plan page")
        let stored = try await DocumentService(env: env).latest(recordId)
        try await env.audit(ctx, "view", recordId: stored.recordId, version: stored.version, "emergency plan page")
        let r = stored.record
        let m = r.member
        let e = r.emergency
        func list(_ items: [String]?) -> String {
            guard let items, !items.isEmpty else { return "<p>None recorded.</p>" }
            return "<ul>" + items.map { "<li>\(h($0))</li>" }.joined() + "</ul>"
        }
        var allergies: String
        if let a = e?.allergies, !a.isEmpty {
            allergies =
                "<ul>"
                + a.map { x in
                    "<li><strong>\(h(x.substance))</strong>" + (x.reaction.map { ": \(h($0))" } ?? "")
                        + (x.severity.map { " (\(h($0.rawValue)))" } ?? "") + "</li>"
                }.joined() + "</ul>"
        } else if e?.noKnownAllergies == true {
            allergies = "<p><strong>No known allergies.</strong></p>"
        } else {
            allergies = "<p><strong>Allergies are not recorded. Ask the family.</strong></p>"
        }
        let meds: String
        if let list = e?.medications, !list.isEmpty {
            meds =
                "<table aria-labelledby=\"meds\"><thead><tr><th scope=\"col\">Medicine</th><th scope=\"col\">Dose</th><th scope=\"col\">How</th><th scope=\"col\">When</th><th scope=\"col\">For</th></tr></thead><tbody>"
                + list.map {
                    "<tr><td>\(h($0.name))</td><td>\(h($0.dose ?? ""))</td><td>\(h($0.route ?? ""))</td><td>\(h($0.frequency ?? ""))</td><td>\(h($0.purpose ?? ""))</td></tr>"
                }.joined()
                + "</tbody></table>"
        } else {
            meds = "<p>None recorded.</p>"
        }
        let providers = (r.careTeam ?? []).filter { $0.involvedInEmergencyCare == true }
        let providerList =
            providers.isEmpty
            ? "<p>None recorded.</p>"
            : "<ul>"
                + providers.map { p in
                    "<li>\(h(p.name))" + (p.specialty.map { ", \(h($0))" } ?? "")
                        + (p.organization.map { ", \(h($0))" } ?? "")
                        + (p.contact?.phone.map { " — <a href=\"tel:\(h($0))\">\(h($0))</a>" } ?? "") + "</li>"
                }.joined() + "</ul>"
        let contacts =
            (e?.emergencyContacts ?? []).isEmpty
            ? "<p>None recorded.</p>"
            : "<ul>"
                + (e?.emergencyContacts ?? []).map { c in
                    "<li>\(h(c.name))" + (c.relationship.map { " (\(h($0)))" } ?? "")
                        + " — <a href=\"tel:\(h(c.phone))\">\(h(c.phone))</a></li>"
                }.joined() + "</ul>"
        let guidance = Self.guidance(e)
        let missing = Requirements.check(.emergencyPlan, r)
        let warning =
            missing.isEmpty
            ? ""
            : "<p class=\"missing\" role=\"status\">This plan is incomplete: \(missing.count) required item(s) are missing in the record. The PDF cannot be made until they are added.</p>"
        let pdf =
            missing.isEmpty
            ? "<p><a href=\"/v1/records/\(u(stored.recordId))/documents/emergency-plan\">Open the printable emergency plan (PDF)</a></p>"
            : ""
        let today = ProgramCalendar.today(now: env.now)
        let age = Age(born: m.dateOfBirth, on: today).map { " (age \($0))" } ?? ""
        let weight =
            e?.weight.map {
                "<p><strong>Weight \(h($0.text()))</strong>, measured \(h($0.measuredOn.description))</p>"
            } ?? "<p>Weight not recorded.</p>"
        let body = """
            <p><strong>Born \(h(m.dateOfBirth.description))\(h(age))</strong> · member id \(h(m.id))\(m.preferredName.map { " · goes by \(h($0))" } ?? "")\(m.pronouns.map { " · \(h($0))" } ?? "")</p>
            <section class="allergies" aria-labelledby="allergies"><h2 id="allergies">ALLERGIES</h2>\(allergies)</section>
            \(weight)
            \(warning)
            \(guidance.vitals)
            <h2 id="meds">Medications</h2>\(meds)
            \(guidance.problems)
            <h2>Diagnoses</h2>\(list(e?.diagnoses))
            <h2>Accommodations</h2>\(list(e?.accommodations))
            <h2>Devices</h2>\(list(e?.devices))
            <h2>Baseline</h2><p>\(h(e?.baseline ?? "Not recorded."))</p>
            \(guidance.procedures)
            \(e?.procedurePrecautions.map { "<h2>Precautions for procedures</h2><p>\(h($0))</p>" } ?? "")
            \(guidance.status)
            <h2>Key providers</h2>\(providerList)
            <h2>Emergency contacts</h2>\(contacts)
            \(r.provider?.onCallPhone.map { "<p>Care coordination on-call line (24/7): <a href=\"tel:\(h($0))\">\(h($0))</a></p>" } ?? "")
            <p class="note">Last reviewed: \(h(e?.lastReviewed?.description ?? "not recorded")) · record version \(stored.version)</p>
            \(pdf)
            """
        return HTMLResponse.make(
            Layout.page("Emergency plan: \(m.firstName) \(m.lastName)", identity: ctx.identity, body: body)
        )
    }

    /// The English catalog's word for a coded value (`advanceDirective.status.dnr`), as the
    /// English plan prints it; the coded value itself when there is no catalog.
    static func word(_ key: String, _ fallback: String) -> String {
        TranslatorPages.locales?.catalogs[LocaleSet.reference]?.messages[key] ?? fallback
    }

    /// Usual vital signs, common problems with what to do, procedures to avoid, and advance
    /// directive, guardianship and immunizations: the HTML of each part ("" when not recorded).
    static func guidance(_ e: Emergency?) -> (vitals: String, problems: String, procedures: String, status: String) {
        var cells: [(String, String)] = []
        let v = e?.baselineVitals
        if let x = v?.heartRate { cells.append(("Heart rate", "\(MeasurementText.number(x))/min")) }
        if let x = v?.respiratoryRate { cells.append(("Breathing rate", "\(MeasurementText.number(x))/min")) }
        if let x = v?.bloodPressure {
            cells.append(
                ("Blood pressure", "\(MeasurementText.number(x.systolic))/\(MeasurementText.number(x.diastolic)) mmHg")
            )
        }
        if let x = v?.oxygenSaturation { cells.append(("SpO2", "\(MeasurementText.number(x))%")) }
        if let x = v?.temperature {
            cells.append(("Temperature", "\(MeasurementText.number(x.value)) °\(x.unit.rawValue)"))
        }
        var vitals = ""
        if !cells.isEmpty || v?.note != nil {
            vitals = "<h2 id=\"vitals\">Usual (baseline) vital signs</h2>"
            if !cells.isEmpty {
                vitals +=
                    "<table aria-labelledby=\"vitals\"><thead><tr>"
                    + cells.map { "<th scope=\"col\">\(h($0.0))</th>" }.joined() + "</tr></thead><tbody><tr>"
                    + cells.map { "<td>\(h($0.1))</td>" }.joined() + "</tr></tbody></table>"
            }
            if let note = v?.note { vitals += "<p>\(h(note))</p>" }
        }
        func table(_ id: String, _ title: String, _ headers: [String], _ rows: [[String]]) -> String {
            guard !rows.isEmpty else { return "" }
            return "<h2 id=\"\(id)\">\(h(title))</h2><table aria-labelledby=\"\(id)\"><thead><tr>"
                + headers.map { "<th scope=\"col\">\(h($0))</th>" }.joined() + "</tr></thead><tbody>"
                + rows.map { row in "<tr>" + row.map { "<td>\(h($0))</td>" }.joined() + "</tr>" }.joined()
                + "</tbody></table>"
        }
        let problems = table(
            "problems",
            "Common problems and what to do",
            ["Problem", "What to do"],
            (e?.presentingProblems ?? []).map { [$0.problem, $0.management] }
        )
        let procedures = table(
            "avoid",
            "Procedures to avoid",
            ["Procedure", "Why"],
            (e?.proceduresToAvoid ?? []).map { [$0.procedure, $0.reason ?? ""] }
        )
        var items: [String] = []
        func item(_ label: String, _ prefix: String, _ status: String?, _ note: String?) {
            guard let status else { return }
            items.append(
                "<li><strong>\(h(label)): \(h(word("\(prefix).\(status)", status)))</strong>"
                    + (note.map { " — \(h($0))" } ?? "") + "</li>"
            )
        }
        item(
            "Advance directive",
            "advanceDirective.status",
            e?.advanceDirective?.status.rawValue,
            e?.advanceDirective?.note
        )
        item("Guardianship", "guardianship.status", e?.guardianship?.status.rawValue, e?.guardianship?.note)
        item("Immunizations", "immunizations.status", e?.immunizations?.status.rawValue, e?.immunizations?.note)
        let status =
            items.isEmpty
            ? "" : "<h2>Advance directive, guardianship and immunizations</h2><ul>" + items.joined() + "</ul>"
        return (vitals, problems, procedures, status)
    }
}
