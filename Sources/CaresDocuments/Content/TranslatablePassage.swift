/// One translatable text of a record (`$defs/translatableText`), where it is and what it says:
/// the unit of translation the translation memory and XLIFF export work on.
public struct TranslatablePassage: Sendable, Hashable {
    /// The JSON path of the field (`goals[0].actions[1].description`), as in validation problems
    /// and refusals.
    public var path: String
    /// The text as the record holds it (a plain string or translations).
    public var text: LocalizedText
    /// The text in the record's content language: the source of its translations. (`nil` only
    /// for a record built in code whose object lacks it; the loader refuses such a record.)
    public var source: String?

    public init(path: String, text: LocalizedText, source: String?) {
        self.path = path
        self.text = text
        self.source = source
    }

    /// The languages the passage is written in.
    public func languages(contentLanguage: SupportedLanguage) -> [SupportedLanguage] {
        text.languages(contentLanguage: contentLanguage)
    }
}

extension CareRecord {
    /// Every translatable passage of the record, in document order, with its JSON path and its
    /// source text (in `sourceLanguage`). Blank texts are left out: there is nothing to translate.
    ///
    /// This is the one list of where translatable text sits in the model; a test checks it
    /// against the fields the schema marks `x-translatable`.
    public var translatablePassages: [TranslatablePassage] {
        var walker = PassageWalker(contentLanguage: sourceLanguage)
        walker.walk(self)
        return walker.passages
    }

    /// The passages with no text in `language` (what an official copy in it would refuse, if it
    /// printed them all).
    public func untranslatedPassages(in language: SupportedLanguage) -> [TranslatablePassage] {
        let resolver = ContentResolver(record: self, language: language)
        return translatablePassages.filter { resolver.text($0.text) == nil }
    }
}

/// Visits every translatable field of a record with its path.
private struct PassageWalker {
    let contentLanguage: SupportedLanguage
    var passages: [TranslatablePassage] = []

    mutating func add(_ text: LocalizedText?, _ path: String) {
        guard let text else { return }
        let source = text.source(contentLanguage: contentLanguage)
        if let source, source.allSatisfy(\.isWhitespace) { return }
        passages.append(TranslatablePassage(path: path, text: text, source: source))
    }

    mutating func add(_ list: [LocalizedText]?, _ path: String) {
        for (i, text) in (list ?? []).enumerated() { add(text, "\(path)[\(i)]") }
    }

    mutating func service(_ s: Service, _ path: String) {
        add(s.nameText, "\(path).name")
        add(s.frequencyText, "\(path).frequency")
        add(s.notesText, "\(path).notes")
    }

    mutating func walk(_ r: CareRecord) {
        add(r.provider?.ombudsmanText, "provider.ombudsman")
        add(r.provider?.appealInstructionsText, "provider.appealInstructions")
        add(r.member.pronounsText, "member.pronouns")
        for (i, m) in (r.careTeam ?? []).enumerated() { add(m.specialtyText, "careTeam[\(i)].specialty") }
        if let h = r.healthSummary {
            add(h.conditionsTexts, "healthSummary.conditions")
            add(h.medicalHistoryText, "healthSummary.medicalHistory")
            add(h.behavioralHistoryText, "healthSummary.behavioralHistory")
            add(h.personalCircumstancesText, "healthSummary.personalCircumstances")
            add(h.educationalCircumstancesText, "healthSummary.educationalCircumstances")
            add(h.socialCircumstancesText, "healthSummary.socialCircumstances")
            add(h.advanceDirectiveText, "healthSummary.advanceDirective")
            add(h.guardianshipStatusText, "healthSummary.guardianshipStatus")
        }
        for (i, s) in (r.currentServices ?? []).enumerated() { service(s, "currentServices[\(i)]") }
        for (i, g) in (r.goals ?? []).enumerated() {
            add(g.descriptionText, "goals[\(i)].description")
            add(g.barriersText, "goals[\(i)].barriers")
            for (j, a) in (g.actions ?? []).enumerated() {
                add(a.descriptionText, "goals[\(i)].actions[\(j)].description")
                add(a.accessibilityText, "goals[\(i)].actions[\(j)].accessibility")
            }
        }
        if let e = r.education {
            add(e.gradeText, "education.grade")
            add(e.iepText, "education.iep")
            add(e.plan504Text, "education.plan504")
            add(e.schoolServicesTexts, "education.schoolServices")
            add(e.supportsText, "education.supports")
        }
        for (i, n) in (r.socialNeeds ?? []).enumerated() { add(n.supportText, "socialNeeds[\(i)].support") }
        if let s = r.strengths {
            add(s.strengthsTexts, "strengths.strengths")
            add(s.interestsTexts, "strengths.interests")
            add(s.preferencesTexts, "strengths.preferences")
            add(s.culturalConsiderationsText, "strengths.culturalConsiderations")
        }
        for (i, t) in (r.transitions ?? []).enumerated() {
            add(t.descriptionText, "transitions[\(i)].description")
            add(t.continuityStrategiesText, "transitions[\(i)].continuityStrategies")
        }
        if let e = r.emergency {
            add(e.diagnosesTexts, "emergency.diagnoses")
            for (i, m) in (e.medications ?? []).enumerated() {
                add(m.routeText, "emergency.medications[\(i)].route")
                add(m.frequencyText, "emergency.medications[\(i)].frequency")
                add(m.purposeText, "emergency.medications[\(i)].purpose")
                add(m.sideEffectsText, "emergency.medications[\(i)].sideEffects")
            }
            for (i, a) in (e.allergies ?? []).enumerated() { add(a.reactionText, "emergency.allergies[\(i)].reaction") }
            add(e.accommodationsTexts, "emergency.accommodations")
            add(e.devicesTexts, "emergency.devices")
            add(e.baselineText, "emergency.baseline")
            add(e.procedurePrecautionsText, "emergency.procedurePrecautions")
            add(e.baselineVitals?.noteText, "emergency.baselineVitals.note")
            for (i, p) in (e.proceduresToAvoid ?? []).enumerated() {
                add(p.procedureText, "emergency.proceduresToAvoid[\(i)].procedure")
                add(p.reasonText, "emergency.proceduresToAvoid[\(i)].reason")
            }
            for (i, p) in (e.presentingProblems ?? []).enumerated() {
                add(p.problemText, "emergency.presentingProblems[\(i)].problem")
                add(p.managementText, "emergency.presentingProblems[\(i)].management")
            }
            add(e.advanceDirective?.noteText, "emergency.advanceDirective.note")
            add(e.guardianship?.noteText, "emergency.guardianship.note")
            add(e.immunizations?.noteText, "emergency.immunizations.note")
            for (i, c) in (e.emergencyContacts ?? []).enumerated() {
                add(c.relationshipText, "emergency.emergencyContacts[\(i)].relationship")
            }
        }
        add(r.carePlanApproval?.accommodationNeedText, "carePlanApproval.accommodationNeed")
        if let rm = r.removal {
            add(rm.reasonDetailText, "removal.reasonDetail")
            add(rm.recommendationsText, "removal.recommendations")
            add(rm.ongoingStrategiesText, "removal.ongoingStrategies")
            for (i, s) in (rm.referrals ?? []).enumerated() { service(s, "removal.referrals[\(i)]") }
            for (i, s) in (rm.servicesInPlace ?? []).enumerated() { service(s, "removal.servicesInPlace[\(i)]") }
            add(rm.ongoingTreatmentsTexts, "removal.ongoingTreatments")
        }
    }
}
