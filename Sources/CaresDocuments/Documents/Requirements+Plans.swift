/// Requirement rules of the plans (ICP, emergency plan, aftercare plan) and the CCM notice.
/// A required list may be empty only where an empty list is a statement ("no current
/// services"): the field must be there, so nobody mistakes a forgotten section for "none".
extension Requirements {
    static let icpClause = "The Individual Care Plan (ICP)"
    static let emergencyClause = "The Individual Care Plan (ICP), item 5: emergency plan"
    static let aftercareClause = "Member Removal of Assignment Procedures, B: aftercare/transition plan"

    static func blank(_ s: String?) -> Bool {
        (s ?? "").isBlank
    }

    static func carePlan(_ r: CareRecord) -> [RequirementProblem] {
        var out: [RequirementProblem] = []
        func need(_ path: String, _ what: String, problem: String = "required") {
            out.append(RequirementProblem(path: path, problem: problem, clause: "\(icpClause) — \(what)"))
        }
        if r.provider == nil { need("provider.name", "name of the CARES provider") }
        // 1. Care team with contact information.
        if let team = r.careTeam, !team.isEmpty {
            for (i, m) in team.enumerated() where m.contact?.phone == nil && m.contact?.email == nil {
                need(
                    "careTeam[\(i)].contact",
                    "1. name and contact information of each care team member (phone or email of \(m.id))"
                )
            }
            if !team.contains(where: {
                [.seniorCareManager, .careCoordinator].contains($0.role)
                    || $0.id == r.enrollment?.designatedCareManagerId
            }) {
                need(
                    "careTeam",
                    "1. name and contact information of the care manager(s): no senior care manager or care coordinator on the team"
                )
            }
        } else {
            need("careTeam", "1. name and contact information of the care manager(s) and other care team members")
        }
        // 2. Health summary and i–v (vi and vii are locale text, always present).
        if let h = r.healthSummary {
            for (field, value) in [
                ("medicalHistory", h.medicalHistory), ("behavioralHistory", h.behavioralHistory),
                ("personalCircumstances", h.personalCircumstances),
                ("educationalCircumstances", h.educationalCircumstances),
                ("socialCircumstances", h.socialCircumstances),
            ] where blank(value) {
                need(
                    "healthSummary.\(field)",
                    "2. health summary: medical history, behavioral history, personal, educational and social circumstances"
                )
            }
        } else {
            need(
                "healthSummary",
                "2. health summary: medical history, behavioral history, personal, educational and social circumstances"
            )
        }
        if r.currentServices == nil {
            need("currentServices", "2.i current services (an empty list states there are none)")
        }
        if (r.goals ?? []).isEmpty {
            need("goals", "2.ii clinical, functional, developmental, social and aspirational goals")
        }
        for (i, g) in (r.goals ?? []).enumerated() {
            for (j, a) in (g.actions ?? []).enumerated()
            where a.responsibleId != GoalAction.familyResponsibleId && r.teamMember(withId: a.responsibleId) == nil {
                need(
                    "goals[\(i)].actions[\(j)].responsibleId",
                    "3. action steps with the responsible team member",
                    problem: "no care team member has id \(Quote.value(a.responsibleId))"
                )
            }
        }
        if r.education == nil {
            need(
                "education",
                "2.iii educational needs: IEP, 504 plan, school-based services (an empty object states there are none)"
            )
        }
        if r.socialNeeds == nil {
            need("socialNeeds", "2.iv health-related social needs supports (an empty list states there are none)")
        }
        if r.strengths == nil { need("strengths", "2.v strengths, interests, preferences, cultural considerations") }
        if r.transitions == nil {
            need(
                "transitions",
                "4. upcoming medical and social service transitions (an empty list states there are none)"
            )
        }
        // 5. The emergency plan.
        out += emergencyPlan(r).map {
            RequirementProblem(
                path: $0.path,
                problem: $0.problem,
                clause: $0.clause.replacingOccurrences(of: emergencyClause, with: "\(icpClause), 5. emergency plan")
            )
        }
        // Approval.
        if let a = r.carePlanApproval {
            switch a.method {
            case .pending: break
            case .signature, .electronicSignature, .verbal:
                if a.date == nil {
                    need("carePlanApproval.date", "approval by the member or parent/guardian: the date of the approval")
                }
                if blank(a.approvedBy) {
                    need("carePlanApproval.approvedBy", "approval by the member or parent/guardian: who approved")
                }
            }
        } else {
            need(
                "carePlanApproval",
                "signed or otherwise approved by the member or parent/guardian (method 'pending' prints signature lines)"
            )
        }
        return out
    }

    static func emergencyPlan(_ r: CareRecord) -> [RequirementProblem] {
        var out: [RequirementProblem] = []
        func need(_ path: String, _ what: String, problem: String = "required") {
            out.append(RequirementProblem(path: path, problem: problem, clause: "\(emergencyClause) — \(what)"))
        }
        guard let e = r.emergency else {
            need("emergency", "medications, needed accommodations, allergies, providers most involved in care")
            return out + emergencyProviders(r)
        }
        if e.medications == nil { need("emergency.medications", "medications (an empty list states there are none)") }
        if e.accommodations == nil {
            need(
                "emergency.accommodations",
                "needed accommodations, e.g. local anesthesia for IV access (an empty list states there are none)"
            )
        }
        let allergies = e.allergies ?? []
        if allergies.isEmpty && e.noKnownAllergies != true {
            need(
                "emergency.allergies",
                "allergies, or noKnownAllergies: true (an empty list is never printed as 'none')"
            )
        }
        if !allergies.isEmpty && e.noKnownAllergies == true {
            need(
                "emergency.noKnownAllergies",
                "allergies",
                problem: "contradicts emergency.allergies (\(allergies.count) listed): remove one"
            )
        }
        return out + emergencyProviders(r)
    }

    static func emergencyProviders(_ r: CareRecord) -> [RequirementProblem] {
        var out: [RequirementProblem] = []
        let involved = (r.careTeam ?? []).enumerated().filter { $0.element.involvedInEmergencyCare == true }
        if involved.isEmpty {
            out.append(
                RequirementProblem(
                    path: "careTeam",
                    problem: "required",
                    clause:
                        "\(emergencyClause) — providers most involved in care (involvedInEmergencyCare: true on at least one team member)"
                )
            )
        }
        for (i, m) in involved where m.contact?.phone == nil {
            out.append(
                RequirementProblem(
                    path: "careTeam[\(i)].contact.phone",
                    problem: "required",
                    clause:
                        "\(emergencyClause) — providers most involved in care with contact information (a phone for \(m.id))"
                )
            )
        }
        return out
    }

    static func aftercarePlan(_ r: CareRecord) -> [RequirementProblem] {
        var out: [RequirementProblem] = []
        func need(_ path: String, _ what: String, problem: String = "required") {
            out.append(RequirementProblem(path: path, problem: problem, clause: "\(aftercareClause) — \(what)"))
        }
        if r.provider == nil { need("provider.name", "name of the CARES provider") }
        guard let rm = r.removal else {
            need("removal", "1. date and reason for the removal, and the signed consent")
            return out
        }
        if rm.reason == .other && blank(rm.reasonDetail) {
            need("removal.reasonDetail", "1. reason for the removal (the reason is 'other': say what it is)")
        }
        if rm.consent == nil { need("removal.consent", "1. the signed consent") }
        if blank(rm.recommendations) { need("removal.recommendations", "2. summary of treatment/care recommendations") }
        if blank(rm.ongoingStrategies) { need("removal.ongoingStrategies", "2. ongoing strategies and resources") }
        if rm.referrals == nil {
            need("removal.referrals", "3. referrals to other providers (an empty list states there are none)")
        }
        if let services = rm.servicesInPlace {
            for (i, s) in services.enumerated() where s.providerId == nil && blank(s.providerName) {
                need("removal.servicesInPlace[\(i)].providerName", "4. the provider arranged for each service in place")
            }
        } else {
            need("removal.servicesInPlace", "4. services in place after removal and the provider arranged for each")
        }
        if r.emergency?.medications == nil {
            need(
                "emergency.medications",
                "5. prescribed medications, dosages and possible side effects (an empty list states there are none)"
            )
        }
        if rm.ongoingTreatments == nil {
            need(
                "removal.ongoingTreatments",
                "5. ongoing treatments including DME usage and therapies (an empty list states there are none)"
            )
        }
        return out
    }

    static func ccmNotice(_ r: CareRecord) -> [RequirementProblem] {
        var out: [RequirementProblem] = []
        func need(_ path: String, _ what: String, problem: String = "required") {
            out.append(RequirementProblem(path: path, problem: problem, clause: "\(assignment) — CCM notice: \(what)"))
        }
        if r.member.enrolledInCCM != true {
            need(
                "member.enrolledInCCM",
                "sent only for a member enrolled in CCM",
                problem: "the member is not enrolled in CCM: no notice is due"
            )
        }
        if r.provider == nil { need("provider.name", "name of the CARES provider") }
        if r.enrollment?.effectiveDate == nil { need("enrollment.effectiveDate", "enrollment effective date") }
        if !(r.careTeam ?? []).contains(where: { $0.role == .ccmClinicalManager }) {
            need("careTeam", "addressed to the CCM clinical manager (a team member with role ccm-clinical-manager)")
        }
        if let id = r.enrollment?.designatedCareManagerId {
            if let i = r.careTeam?.firstIndex(where: { $0.id == id }) {
                let c = r.careTeam![i].contact
                if c?.phone == nil && c?.email == nil {
                    need("careTeam[\(i)].contact", "the care manager's contact information (phone or email)")
                }
            } else {
                need("careTeam", "the care manager's name and contact (no team member has id \(Quote.value(id)))")
            }
        } else {
            need("enrollment.designatedCareManagerId", "the care manager's name and contact")
        }
        return out
    }
}
