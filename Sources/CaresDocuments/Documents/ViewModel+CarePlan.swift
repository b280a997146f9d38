import Templating

extension ViewModel {
    /// The signature due date after a verbal approval: three calendar months later, clamped to
    /// the end of a shorter month (the same rule as the deadline queue).
    static func threeMonthsAfter(_ d: CalendarDate) -> CalendarDate {
        let total = d.year * 12 + (d.month - 1) + 3
        let y = total / 12
        let m = total % 12 + 1
        return CalendarDate(year: y, month: m, day: min(d.day, CalendarDate.numberOfDays(inMonth: m, year: y))) ?? d
    }

    func kv(_ pairs: [(String, String?)]) throws -> [[String: String]] {
        try pairs.compactMap { key, value in
            guard let v = nonBlank(value) else { return nil }
            return ["label": try text(key), "value": v]
        }
    }

    /// The Individual Care Plan: five parts, health summary i–vii, approval.
    func carePlan() throws -> [String: Any] {
        let title = try text("icp.title")
        var m = try letterFrame(title: title, subject: "Individual Care Plan")
        let team = record.careTeam ?? []
        let managerId = record.enrollment?.designatedCareManagerId
        let manager =
            managerId.flatMap { record.teamMember(withId: $0) }
            ?? team.first { [.seniorCareManager, .careCoordinator].contains($0.role) }
        m["signerName"] = manager?.name

        var identity = try kv([
            ("label.name", memberName), ("label.preferredName", record.member.preferredName),
            ("label.dateOfBirth", date(record.member.dateOfBirth)), ("label.memberId", Self.isolate(record.member.id)),
            ("label.healthPlan", record.member.healthPlan),
            ("label.language", SupportedLanguage.normalize(record.member.primaryLanguage).flatMap(languageName)),
            ("label.careManager", manager?.name),
            ("icp.referralDate", record.enrollment?.referralDate.map(date)),
            ("icp.lastUpdated", record.enrollment?.lastCarePlanUpdate.map(date)),
        ])
        identity.append(["label": try text("icp.planDate"), "value": date(options.letterDate)])

        var icp: [String: Any] = [
            "title": title,
            "intro": try text("icp.intro", ["memberName": memberName]),
            "keyWidth": isLargePrint ? "200" : "130",
            "smallSize": isLargePrint ? "16" : "8.5",
            "identity": identity,
            "part1": try text("icp.part1"), "part1Intro": try text("icp.part1.intro"),
            "teamHeaders": try ["label.name", "label.role", "label.organization", "label.contact"].map { try text($0) },
            "team": try teamRows(team),
            "part2": try text("icp.part2"),
        ]

        // 2. Health summary.
        let h = record.healthSummary
        var summary: [[String: Any]] = []
        let conditions = passages(h?.conditionsTexts, "healthSummary.conditions")
        if !conditions.isEmpty {
            summary.append(["title": try text("icp.conditions"), "hasItems": true, "items": conditions])
        }
        for (field, value) in [
            ("medicalHistory", h?.medicalHistoryText), ("behavioralHistory", h?.behavioralHistoryText),
            ("personalCircumstances", h?.personalCircumstancesText),
            ("educationalCircumstances", h?.educationalCircumstancesText),
            ("socialCircumstances", h?.socialCircumstancesText), ("advanceDirective", h?.advanceDirectiveText),
            ("guardianshipStatus", h?.guardianshipStatusText),
        ] {
            if let v = passage(value, "healthSummary.\(field)") {
                summary.append(["title": try text("icp.\(field)"), "text": v])
            }
        }
        icp["summary"] = summary

        // i. Current services.
        icp["servicesTitle"] = try text("icp.services")
        icp["serviceTable"] = try serviceTable(
            record.currentServices ?? [],
            path: "currentServices",
            summary: try text("icp.services")
        )
        icp["hasServices"] = !(record.currentServices ?? []).isEmpty
        icp["noServices"] = try text("icp.noServices")

        // ii. Goals; 3. action steps.
        icp["goalsTitle"] = try text("icp.goals")
        icp["goalHeaders"] = try ["icp.goal.description", "icp.goal.kind", "icp.goal.targetDate", "icp.goal.status"].map
        { try text($0) }
        let actionHeaders = try [
            "icp.action.step", "icp.action.responsible", "icp.action.dueDate", "icp.action.accessibility",
        ].map { try text($0) }
        icp["goals"] = try (record.goals ?? []).enumerated().map { i, g -> [String: Any] in
            let description = passage(g.descriptionText, "goals[\(i)].description") ?? ""
            var row: [String: Any] = [
                "number": "\(i + 1)",
                "description": description,
                "kind": try text(
                    "icp.goal.kindValue",
                    [
                        "domain": try text("goal.domain.\(g.domain.rawValue)"),
                        "term": try text("goal.term.\(g.term.rawValue)"),
                    ]
                ),
                "heading": try text("icp.goalHeading", ["number": "\(i + 1)", "description": description]),
                "actionHeaders": actionHeaders,
                "noActions": try text("icp.goal.noActions"),
            ]
            if let d = g.targetDate { row["targetDate"] = date(d) }
            if let s = g.status { row["status"] = try text("goal.status.\(s.rawValue)") }
            if let b = passage(g.barriersText, "goals[\(i)].barriers") {
                row["barriers"] = try text("icp.goal.barriers", ["barriers": b])
            }
            let actions = try (g.actions ?? []).enumerated().map { j, a -> [String: Any] in
                var r: [String: Any] = [
                    "description": passage(a.descriptionText, "goals[\(i)].actions[\(j)].description") ?? "",
                    "responsible": own(try responsible(a.responsibleId)),
                ]
                if let d = a.dueDate { r["dueDate"] = date(d) }
                if let acc = passage(a.accessibilityText, "goals[\(i)].actions[\(j)].accessibility") {
                    r["accessibility"] = acc
                }
                return r
            }
            row["hasActions"] = !actions.isEmpty
            row["actions"] = actions
            return row
        }
        icp["part3"] = try text("icp.part3")

        // iii. Education.
        icp["educationTitle"] = try text("icp.education")
        let e = record.education
        let schoolServices = passages(e?.schoolServicesTexts, "education.schoolServices")
        let education = try kv([
            ("icp.education.school", e?.school.map(own)),
            ("icp.education.grade", passage(e?.gradeText, "education.grade")),
            ("icp.education.iep", passage(e?.iepText, "education.iep")),
            ("icp.education.plan504", passage(e?.plan504Text, "education.plan504")),
            ("icp.education.services", schoolServices.isEmpty ? nil : Self.list(schoolServices)),
            ("icp.education.supports", passage(e?.supportsText, "education.supports")),
        ])
        icp["education"] = education
        icp["hasEducation"] = !education.isEmpty
        icp["noEducation"] = try text("icp.education.none")

        // iv. Social needs.
        icp["socialTitle"] = try text("icp.socialNeeds")
        icp["socialHeaders"] = try ["need", "support", "program", "status"].map { try text("icp.socialNeeds.\($0)") }
        icp["social"] = try (record.socialNeeds ?? []).enumerated().map { i, n -> [String: Any] in
            var r: [String: Any] = [
                "need": try text("need.kind.\(n.need.rawValue)"),
                "support": passage(n.supportText, "socialNeeds[\(i)].support") ?? "",
            ]
            if let p = nonBlank(n.program) { r["program"] = own(p) }
            if let s = n.status { r["status"] = try text("need.status.\(s.rawValue)") }
            return r
        }
        icp["hasSocial"] = !(record.socialNeeds ?? []).isEmpty
        icp["noSocial"] = try text("icp.socialNeeds.none")

        // v. Strengths.
        icp["strengthsTitle"] = try text("icp.strengths")
        let st = record.strengths
        func joined(_ a: [LocalizedText]?, _ field: String) -> String? {
            let x = passages(a, "strengths.\(field)")
            return x.isEmpty ? nil : Self.list(x)
        }
        let strengths = try kv([
            ("icp.strengths.strengths", joined(st?.strengthsTexts, "strengths")),
            ("icp.strengths.interests", joined(st?.interestsTexts, "interests")),
            ("icp.strengths.preferences", joined(st?.preferencesTexts, "preferences")),
            ("icp.strengths.culture", passage(st?.culturalConsiderationsText, "strengths.culturalConsiderations")),
        ])
        icp["strengths"] = strengths
        icp["hasStrengths"] = !strengths.isEmpty
        icp["noStrengths"] = try text("icp.strengths.none")

        // vi. Appeal; vii. ombudsman.
        icp["appealTitle"] = try text("icp.appeal")
        icp["appeal"] = try text("icp.appeal.default")
        if let a = passage(record.provider?.appealInstructionsText, "provider.appealInstructions") {
            icp["providerAppeal"] = a
            icp["providerAppealIntro"] = try text("icp.appeal.provider", ["providerName": record.provider?.name ?? ""])
        }
        icp["ombudsmanTitle"] = try text("icp.ombudsman")
        icp["ombudsman"] = try text("icp.ombudsman.default")
        if let o = passage(record.provider?.ombudsmanText, "provider.ombudsman") { icp["providerOmbudsman"] = o }

        // 4. Transitions.
        icp["part4"] = try text("icp.part4")
        icp["transitionHeaders"] = try ["what", "kind", "date", "strategies"].map { try text("icp.transition.\($0)") }
        icp["transitions"] = try (record.transitions ?? []).enumerated().map { i, t -> [String: Any] in
            var r: [String: Any] = ["description": passage(t.descriptionText, "transitions[\(i)].description") ?? ""]
            if let k = t.kind { r["kind"] = try text("transition.kind.\(k.rawValue)") }
            if let d = t.expectedDate { r["expectedDate"] = date(d) }
            if let s = passage(t.continuityStrategiesText, "transitions[\(i)].continuityStrategies") {
                r["strategies"] = s
            }
            return r
        }
        icp["hasTransitions"] = !(record.transitions ?? []).isEmpty
        icp["noTransitions"] = try text("icp.transitions.none")

        // 5. Emergency plan.
        icp["part5"] = try text("icp.part5")
        icp["e"] = try emergencySection(heading: "h3")

        // Approval.
        icp["approvalTitle"] = try text("icp.approval")
        let approval = record.carePlanApproval ?? Approval(method: .pending)
        let who = try nonBlank(approval.approvedBy) ?? text("icp.approval.someone")
        var lines: [String] = []
        var needsSignature = false
        switch approval.method {
        case .pending:
            lines.append(try text("approval.method.pending"))
            needsSignature = true
        case .signature:
            lines.append(try text("approval.method.signature", ["name": who, "date": approval.date.map(date) ?? ""]))
        case .electronicSignature:
            lines.append(
                try text("approval.method.electronic-signature", ["name": who, "date": approval.date.map(date) ?? ""])
            )
        case .verbal:
            lines.append(try text("approval.method.verbal", ["name": who, "date": approval.date.map(date) ?? ""]))
            if let need = passage(approval.accommodationNeedText, "carePlanApproval.accommodationNeed") {
                lines.append(try text("icp.approval.verbalAccommodation", ["need": need]))
            } else {
                if let d = approval.date {
                    lines.append(try text("icp.approval.signatureDue", ["date": date(Self.threeMonthsAfter(d))]))
                }
                needsSignature = true
            }
        }
        icp["approvalLines"] = lines
        if needsSignature {
            let dateLabel = try text("icp.sign.date")
            let printed = try text("icp.sign.printedName")
            icp["signatureLines"] = true
            icp["signers"] = try ["icp.sign.guardian", "icp.sign.member", "icp.sign.careManager"].map {
                ["label": try text($0), "dateLabel": dateLabel, "printedNameLabel": printed]
            }
        }
        m["icp"] = icp
        return m
    }
}
