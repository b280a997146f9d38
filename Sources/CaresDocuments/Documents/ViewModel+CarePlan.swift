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
        let conditions = nonEmpty(h?.conditions)
        if !conditions.isEmpty {
            summary.append(["title": try text("icp.conditions"), "hasItems": true, "items": conditions])
        }
        for (key, value) in [
            ("icp.medicalHistory", h?.medicalHistory), ("icp.behavioralHistory", h?.behavioralHistory),
            ("icp.personalCircumstances", h?.personalCircumstances),
            ("icp.educationalCircumstances", h?.educationalCircumstances),
            ("icp.socialCircumstances", h?.socialCircumstances), ("icp.advanceDirective", h?.advanceDirective),
            ("icp.guardianshipStatus", h?.guardianshipStatus),
        ] {
            if let v = nonBlank(value) { summary.append(["title": try text(key), "text": v]) }
        }
        icp["summary"] = summary

        // i. Current services.
        icp["servicesTitle"] = try text("icp.services")
        icp["serviceTable"] = try serviceTable(record.currentServices ?? [], summary: try text("icp.services"))
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
            var row: [String: Any] = [
                "number": "\(i + 1)",
                "description": g.description,
                "kind": try text(
                    "icp.goal.kindValue",
                    [
                        "domain": try text("goal.domain.\(g.domain.rawValue)"),
                        "term": try text("goal.term.\(g.term.rawValue)"),
                    ]
                ),
                "heading": try text("icp.goalHeading", ["number": "\(i + 1)", "description": g.description]),
                "actionHeaders": actionHeaders,
                "noActions": try text("icp.goal.noActions"),
            ]
            if let d = g.targetDate { row["targetDate"] = date(d) }
            if let s = g.status { row["status"] = try text("goal.status.\(s.rawValue)") }
            if let b = nonBlank(g.barriers) { row["barriers"] = try text("icp.goal.barriers", ["barriers": b]) }
            let actions = try (g.actions ?? []).map { a -> [String: Any] in
                var r: [String: Any] = ["description": a.description, "responsible": try responsible(a.responsibleId)]
                if let d = a.dueDate { r["dueDate"] = date(d) }
                if let acc = nonBlank(a.accessibility) { r["accessibility"] = acc }
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
        let schoolServices = nonEmpty(e?.schoolServices)
        let education = try kv([
            ("icp.education.school", e?.school), ("icp.education.grade", e?.grade), ("icp.education.iep", e?.iep),
            ("icp.education.plan504", e?.plan504),
            ("icp.education.services", schoolServices.isEmpty ? nil : Self.list(schoolServices)),
            ("icp.education.supports", e?.supports),
        ])
        icp["education"] = education
        icp["hasEducation"] = !education.isEmpty
        icp["noEducation"] = try text("icp.education.none")

        // iv. Social needs.
        icp["socialTitle"] = try text("icp.socialNeeds")
        icp["socialHeaders"] = try ["need", "support", "program", "status"].map { try text("icp.socialNeeds.\($0)") }
        icp["social"] = try (record.socialNeeds ?? []).map { n -> [String: Any] in
            var r: [String: Any] = ["need": try text("need.kind.\(n.need.rawValue)"), "support": n.support]
            if let p = nonBlank(n.program) { r["program"] = p }
            if let s = n.status { r["status"] = try text("need.status.\(s.rawValue)") }
            return r
        }
        icp["hasSocial"] = !(record.socialNeeds ?? []).isEmpty
        icp["noSocial"] = try text("icp.socialNeeds.none")

        // v. Strengths.
        icp["strengthsTitle"] = try text("icp.strengths")
        let st = record.strengths
        func joined(_ a: [String]?) -> String? {
            let x = nonEmpty(a)
            return x.isEmpty ? nil : Self.list(x)
        }
        let strengths = try kv([
            ("icp.strengths.strengths", joined(st?.strengths)), ("icp.strengths.interests", joined(st?.interests)),
            ("icp.strengths.preferences", joined(st?.preferences)),
            ("icp.strengths.culture", st?.culturalConsiderations),
        ])
        icp["strengths"] = strengths
        icp["hasStrengths"] = !strengths.isEmpty
        icp["noStrengths"] = try text("icp.strengths.none")

        // vi. Appeal; vii. ombudsman.
        icp["appealTitle"] = try text("icp.appeal")
        icp["appeal"] = try text("icp.appeal.default")
        if let a = nonBlank(record.provider?.appealInstructions) {
            icp["providerAppeal"] = a
            icp["providerAppealIntro"] = try text("icp.appeal.provider", ["providerName": record.provider?.name ?? ""])
        }
        icp["ombudsmanTitle"] = try text("icp.ombudsman")
        icp["ombudsman"] = try text("icp.ombudsman.default")
        if let o = nonBlank(record.provider?.ombudsman) { icp["providerOmbudsman"] = o }

        // 4. Transitions.
        icp["part4"] = try text("icp.part4")
        icp["transitionHeaders"] = try ["what", "kind", "date", "strategies"].map { try text("icp.transition.\($0)") }
        icp["transitions"] = try (record.transitions ?? []).map { t -> [String: Any] in
            var r: [String: Any] = ["description": t.description]
            if let k = t.kind { r["kind"] = try text("transition.kind.\(k.rawValue)") }
            if let d = t.expectedDate { r["expectedDate"] = date(d) }
            if let s = nonBlank(t.continuityStrategies) { r["strategies"] = s }
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
            lines.append(try text("icp.approval.pending"))
            needsSignature = true
        case .signature:
            lines.append(try text("icp.approval.signed", ["name": who, "date": approval.date.map(date) ?? ""]))
        case .electronicSignature:
            lines.append(try text("icp.approval.electronic", ["name": who, "date": approval.date.map(date) ?? ""]))
        case .verbal:
            lines.append(try text("icp.approval.verbal", ["name": who, "date": approval.date.map(date) ?? ""]))
            if let need = nonBlank(approval.accommodationNeed) {
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
