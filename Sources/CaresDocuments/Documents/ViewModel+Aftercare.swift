import Templating

extension ViewModel {
    /// The aftercare/transition plan: the five parts of Member Removal of Assignment Procedures, B.
    func aftercarePlan() throws -> [String: Any] {
        let title = try text("aftercare.title")
        var m = try letterFrame(title: title, subject: "Aftercare and transition plan")
        let rm = record.removal!
        let provider = record.provider!
        m["providerContacts"] = try contactLines(Contact(phone: provider.phone, email: provider.email))
        var reason = try text("termination.reason.\(rm.reason.rawValue)")
        if let d = passage(rm.reasonDetailText, "removal.reasonDetail") { reason += " " + d }
        var rows: [[String: String]] = [
            ["label": try text("aftercare.removalDate"), "value": date(rm.date)],
            ["label": try text("aftercare.reason"), "value": reason],
        ]
        if let c = rm.consent {
            rows.append([
                "label": try text("aftercare.consent"),
                "value": try text("aftercare.consentSigned", ["name": c.signedBy, "date": date(c.date)]),
            ])
        }
        let medications = record.emergency?.medications ?? []
        let treatments = passages(rm.ongoingTreatmentsTexts, "removal.ongoingTreatments")
        m["after"] =
            [
                "title": title,
                "dear": m["dear"] ?? "",
                "intro": try text("aftercare.intro", ["memberName": memberName, "removalDate": date(rm.date)]),
                "keyWidth": isLargePrint ? "200" : "150",
                "part1": try text("aftercare.part1"),
                "part1Rows": rows,
                "part2": try text("aftercare.part2"),
                "recommendationsTitle": try text("aftercare.recommendations"),
                "recommendations": passage(rm.recommendationsText, "removal.recommendations") ?? "",
                "strategiesTitle": try text("aftercare.strategies"),
                "strategies": passage(rm.ongoingStrategiesText, "removal.ongoingStrategies") ?? "",
                "part3": try text("aftercare.part3"),
                "referralTable": try serviceTable(
                    rm.referrals ?? [],
                    path: "removal.referrals",
                    summary: try text("aftercare.part3")
                ),
                "hasReferrals": !(rm.referrals ?? []).isEmpty,
                "noReferrals": try text("aftercare.noReferrals"),
                "part4": try text("aftercare.part4"),
                "serviceTable": try serviceTable(
                    rm.servicesInPlace ?? [],
                    path: "removal.servicesInPlace",
                    summary: try text("aftercare.part4")
                ),
                "hasServices": !(rm.servicesInPlace ?? []).isEmpty,
                "noServices": try text("aftercare.noServices"),
                "part5": try text("aftercare.part5"),
                "medicationTable": try medicationTable(withSideEffects: true, summary: try text("aftercare.part5")),
                "hasMedications": !medications.isEmpty,
                "noMedications": try text("emergency.noMedications"),
                "treatmentsTitle": try text("aftercare.treatments"),
                "treatments": treatments,
                "hasTreatments": !treatments.isEmpty,
                "noTreatments": try text("aftercare.noTreatments"),
                "questions": try text("aftercare.questions", ["providerName": provider.name]),
            ] as [String: Any]
        return m
    }

    /// The notice to the CCM clinical manager: a professional letter, no family taglines.
    func ccmNotice() throws -> [String: Any] {
        let title = try text("ccm.title")
        var m = try letterFrame(title: title, subject: "CCM notice")
        let ccm = record.careTeam!.first { $0.role == .ccmClinicalManager }!
        let e = record.enrollment!
        let manager = record.careTeam!.first { $0.id == e.designatedCareManagerId }!
        m["hasTaglines"] = false
        m["signerName"] = manager.name
        m["ccm"] =
            [
                "title": title,
                "dear": try text("frame.dear", ["name": ccm.name]),
                "intro": try text(
                    "ccm.intro",
                    [
                        "memberName": memberName, "memberId": Self.isolate(record.member.id),
                        "providerName": record.provider!.name, "effectiveDate": date(e.effectiveDate!),
                    ]
                ),
                "careManager": try text("ccm.careManager", ["name": manager.name]),
                "careManagerContacts": try contactLines(manager.contact),
                "coordinate": try text("ccm.coordinate"),
            ] as [String: Any]
        return m
    }
}
