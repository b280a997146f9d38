import CaresDocuments
import Foundation

/// Language names in English as a sentence uses them ("not yet translated into Spanish", "Ask for
/// an Arabic translation"), and whether a language is written right to left.
enum LanguageWords {
    static func name(_ l: SupportedLanguage) -> String {
        switch l {
        case .english: "English"
        case .spanish: "Spanish"
        case .brazilianPortuguese: "Brazilian Portuguese"
        case .haitianCreole: "Haitian Creole"
        case .vietnamese: "Vietnamese"
        case .capeVerdeanCreole: "Cape Verdean Creole"
        case .simplifiedChinese: "Simplified Chinese"
        case .traditionalChinese: "Traditional Chinese"
        case .arabic: "Arabic"
        case .khmer: "Khmer"
        case .french: "French"
        case .korean: "Korean"
        case .russian: "Russian"
        }
    }

    /// "a Spanish translation", "an Arabic translation".
    static func aTranslation(_ l: SupportedLanguage) -> String {
        let n = name(l)
        let article = n.first.map { "AEIOU".contains($0) } == true ? "an" : "a"
        return "\(article) \(n) translation"
    }

    static func isRightToLeft(_ l: SupportedLanguage) -> Bool { l == .arabic }

    /// `lang` and `dir` attributes for text in `l`.
    static func attributes(_ l: SupportedLanguage) -> String {
        "lang=\"\(l.tag)\" dir=\"\(isRightToLeft(l) ? "rtl" : "ltr")\""
    }

    /// The languages of the family: the letter language, the member's primary language and each
    /// guardian's preferred language, as the service supports them.
    static func familyLanguages(_ r: CareRecord) -> [SupportedLanguage] {
        var out: [SupportedLanguage] = []
        let candidates =
            [r.letterLanguage, SupportedLanguage.normalize(r.member.primaryLanguage)]
            + (r.guardians ?? []).map { $0.preferredLanguage.flatMap(SupportedLanguage.normalize) }
        for l in candidates.compactMap({ $0 }) where !out.contains(l) { out.append(l) }
        return out
    }
}

/// Where a passage sits, in plain words: `goals[1].actions[0].description` is "Goal 2 · step 1",
/// `healthSummary.conditions[2]` "Health summary · condition 3".
enum PassageLabel {
    /// Items of lists, by the list's name.
    static let items: [String: String] = [
        "goals": "goal", "actions": "step", "currentServices": "current service", "careTeam": "care team member",
        "socialNeeds": "social need", "transitions": "transition", "medications": "medication",
        "allergies": "allergy", "emergencyContacts": "emergency contact", "referrals": "referral",
        "servicesInPlace": "service in place", "conditions": "condition", "schoolServices": "school service",
        "strengths": "strength", "interests": "interest", "preferences": "preference", "diagnoses": "diagnosis",
        "accommodations": "accommodation", "devices": "device", "ongoingTreatments": "ongoing treatment",
    ]
    /// Sections and fields with a name of their own.
    static let names: [String: String] = [
        "healthSummary": "health summary", "emergency": "emergency plan", "carePlanApproval": "care plan approval",
        "removal": "removal from the program", "plan504": "504 plan", "iep": "IEP",
        "reasonDetail": "reason", "sideEffects": "side effects", "continuityStrategies": "continuity strategies",
    ]

    static func describe(_ path: String) -> String {
        var words: [String] = []
        let parts = path.split(separator: ".").map(String.init)
        for (n, part) in parts.enumerated() {
            var name = part
            var index: Int?
            if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
                name = String(part[..<open])
                index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)])
            }
            if let index {
                words.append("\(items[name] ?? plain(name)) \(index + 1)")
            } else if n == parts.count - 1, n > 0, name == "description" || name == "name",
                parts[n - 1].hasSuffix("]")
            {
                // The item's own text: "Goal 2 · step 1" rather than "… · description".
                if name == "name" { words.append("name") }
            } else {
                words.append(names[name] ?? plain(name))
            }
        }
        guard var label = words.first else { return path }
        label = label.prefix(1).uppercased() + label.dropFirst()
        return ([label] + words.dropFirst()).joined(separator: " · ")
    }

    /// camelCase to lower-case words: "appealInstructions" → "appeal instructions".
    static func plain(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase, !out.isEmpty { out.append(" ") }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }
}
