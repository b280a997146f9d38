/// The requirement rules of `REQUIREMENTS.md`: what each document must hold. A document whose
/// required elements are missing is refused with every one of them.
public enum Requirements {
    static let assignment = "Member Assignment Procedures"

    public static func check(_ kind: DocumentKind, _ record: CareRecord) -> [RequirementProblem] {
        switch kind {
        case .enrollmentLetter: return enrollmentLetter(record)
        case .terminationLetter: return terminationLetter(record)
        case .carePlan: return carePlan(record)
        case .emergencyPlan: return emergencyPlan(record)
        case .aftercarePlan: return aftercarePlan(record)
        case .ccmNotice: return ccmNotice(record)
        }
    }

    static func enrollmentLetter(_ r: CareRecord) -> [RequirementProblem] {
        var out: [RequirementProblem] = []
        func need(_ path: String, _ what: String, _ clause: String = assignment) {
            out.append(RequirementProblem(path: path, problem: "required", clause: "\(clause) — \(what)"))
        }
        if r.enrollment?.effectiveDate == nil { need("enrollment.effectiveDate", "enrollment effective date") }
        if r.provider == nil { need("provider.name", "name of the CARES provider") }
        if r.provider?.onCallPhone == nil {
            need("provider.onCallPhone", "overview of CARES services: the 24/7 phone line")
        }
        if let id = r.enrollment?.designatedCareManagerId {
            if let i = r.careTeam?.firstIndex(where: { $0.id == id }) {
                let c = r.careTeam![i].contact
                if c?.phone == nil && c?.email == nil {
                    need("careTeam[\(i)].contact", "designated care manager's contact information (phone or email)")
                }
            } else {
                need(
                    "careTeam",
                    "designated care manager's name and contact information (no team member has id \(Quote.value(id)))"
                )
            }
        } else {
            need("enrollment.designatedCareManagerId", "designated care manager's name and contact information")
        }
        out += mailing(r)
        return out
    }

    static let removalProcedures = "Member Removal of Assignment Procedures, C"

    static func terminationLetter(_ r: CareRecord) -> [RequirementProblem] {
        var out: [RequirementProblem] = []
        func need(_ path: String, _ what: String) {
            out.append(RequirementProblem(path: path, problem: "required", clause: "\(removalProcedures) — \(what)"))
        }
        if r.removal == nil {
            need("removal.date", "effective termination date")
            need("removal.reason", "reason for the termination")
        }
        if r.provider == nil { need("provider.name", "name of the CARES provider") }
        if r.provider?.phone == nil && r.provider?.email == nil {
            need("provider.phone", "contact information for questions (provider phone or email)")
        }
        if let removal = r.removal, removal.reason == .other,
            (removal.reasonDetail ?? "").isBlank
        {
            need("removal.reasonDetail", "reason for the termination (the reason is 'other': say what it is)")
        }
        for p in mailing(r) {
            out.append(
                RequirementProblem(
                    path: p.path,
                    problem: p.problem,
                    clause: "\(removalProcedures) — sent by registered mail: the recipient's mailing address"
                )
            )
        }
        return out
    }

    /// The clause that asks for a copy in the family's language.
    static func languageClause(_ kind: DocumentKind) -> String {
        switch kind {
        case .carePlan, .emergencyPlan:
            "\(icpClause) — a paper and an electronic copy of the ICP in English and in the member and their parent/guardian's primary language (or language of choice)"
        case .enrollmentLetter, .terminationLetter, .aftercarePlan, .ccmNotice:
            "CARES Program Performance Specifications — services delivered in a linguistically appropriate manner: the family's documents in the family's language"
        }
    }

    /// One problem per passage a copy would print untranslated (`JSON path`).
    static func untranslated(_ paths: [String], kind: DocumentKind, language: String) -> [RequirementProblem] {
        let clause = languageClause(kind)
        return paths.map { RequirementProblem(path: $0, problem: "not translated into \(language)", clause: clause) }
    }

    /// A letter goes by registered mail: the recipient needs a mailing address.
    static func mailing(_ r: CareRecord) -> [RequirementProblem] {
        guard let addressee = r.addressee(of: .enrollmentLetter), addressee.address == nil else { return [] }
        let path = addressee.addressPath
        return [
            RequirementProblem(
                path: path,
                problem: "required",
                clause: "\(assignment) — sent by registered mail: the recipient's mailing address"
            )
        ]
    }
}
