/// Where a translatable passage is printed and what it is, in words a translator understands
/// ("Printed in the care plan and the emergency plan: medication 2, frequency."). The
/// documents follow the view models (`ViewModel+*.swift`): which document prints which field.
extension TranslatablePassage {
    /// The documents that print this passage (when the record has what they need).
    public var documents: [DocumentKind] { PassagePlaces.documents(path) }

    /// The field in plain words: "goal 1, action 2: description".
    public var fieldDescription: String { PassagePlaces.describe(path) }

    /// One sentence for a translator: which documents print it and which field it is.
    public var translatorNote: String {
        let names = documents.map(PassagePlaces.name)
        let list: String
        switch names.count {
        case 0: list = "no document at present"
        case 1: list = names[0]
        default: list = names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
        return "Printed in \(list): \(fieldDescription)."
    }
}

enum PassagePlaces {
    static func name(_ kind: DocumentKind) -> String {
        switch kind {
        case .enrollmentLetter: "the enrollment letter"
        case .terminationLetter: "the termination letter"
        case .carePlan: "the care plan"
        case .emergencyPlan: "the emergency plan"
        case .aftercarePlan: "the aftercare plan"
        case .ccmNotice: "the CCM notice"
        }
    }

    static func documents(_ path: String) -> [DocumentKind] {
        let top = String(path.prefix { $0 != "." && $0 != "[" })
        switch top {
        case "provider", "healthSummary", "currentServices", "goals", "education", "socialNeeds", "strengths",
            "transitions", "carePlanApproval":
            if path.hasPrefix("healthSummary.conditions") { return [.carePlan, .emergencyPlan] }
            return [.carePlan]
        case "member": return [.emergencyPlan]
        case "careTeam": return [.carePlan, .emergencyPlan]
        case "emergency":
            if path.hasPrefix("emergency.medications") {
                return path.hasSuffix(".sideEffects") ? [.aftercarePlan] : [.carePlan, .emergencyPlan, .aftercarePlan]
            }
            return [.carePlan, .emergencyPlan]
        case "removal":
            return path == "removal.reasonDetail" ? [.terminationLetter, .aftercarePlan] : [.aftercarePlan]
        default: return []
        }
    }

    /// Singular words for list fields, so `goals[0]` reads "goal 1".
    static let singular: [String: String] = [
        "goals": "goal", "actions": "action", "careTeam": "care team member", "currentServices": "current service",
        "socialNeeds": "social need", "transitions": "transition", "medications": "medication",
        "allergies": "allergy", "emergencyContacts": "emergency contact", "referrals": "referral",
        "servicesInPlace": "service in place", "conditions": "condition", "schoolServices": "school service",
        "strengths": "strength", "interests": "interest", "preferences": "preference", "diagnoses": "diagnosis",
        "accommodations": "accommodation", "devices": "device", "ongoingTreatments": "ongoing treatment",
        "proceduresToAvoid": "procedure to avoid", "presentingProblems": "presenting problem",
    ]

    static let fieldWords: [String: String] = [
        "iep": "IEP", "plan504": "504 plan", "healthSummary": "health summary",
        "carePlanApproval": "care plan approval",
        "removal": "disenrollment", "provider": "provider", "member": "child",
        "baselineVitals": "baseline vital signs", "management": "suggested management",
    ]

    /// `goals[0].actions[1].description` → "goal 1, action 2: description".
    static func describe(_ path: String) -> String {
        var parts: [String] = []
        for component in path.split(separator: ".") {
            var name = String(component)
            var index: Int?
            if let open = name.firstIndex(of: "["), let close = name.firstIndex(of: "]"), open < close {
                index = Int(name[name.index(after: open)..<close])
                name = String(name[..<open])
            }
            if let index {
                parts.append("\(singular[name] ?? words(name)) \(index + 1)")
            } else {
                parts.append(fieldWords[name] ?? words(name))
            }
        }
        guard parts.count > 1 else { return parts.first ?? path }
        return parts.dropLast().joined(separator: ", ") + ": " + parts.last!
    }

    /// camelCase as lowercase words: "medicalHistory" → "medical history".
    static func words(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase {
                out += " " + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
