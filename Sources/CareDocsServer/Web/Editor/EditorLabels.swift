import CaresDocuments
import Foundation
import Templating

/// Plain-language labels and short help for the editor's fields, keyed by path pattern
/// (`goals.*.actions.*.description`: `*` stands for a row number), then by field name; a field
/// the table does not know falls back to the schema's `title` (its `description` as help), then
/// to its name in words. So fields the schema gains appear with a sensible label unchanged.
enum EditorLabels {
    struct Entry {
        var label: String
        var help: String?
        init(_ label: String, _ help: String? = nil) {
            self.label = label
            self.help = help
        }
    }

    /// The editor's sections, in the order of the Individual Care Plan, and the record's
    /// top-level fields each holds. A top-level field in none of them goes to "Other".
    static let sections: [(id: String, title: String, fields: [String])] = [
        ("member", "Member and guardians", ["member", "guardians"]),
        ("enrollment", "Enrollment", ["enrollment"]),
        ("care-team", "Care team", ["careTeam"]),
        ("health-summary", "Health summary", ["healthSummary"]),
        ("services", "Current services", ["currentServices"]),
        ("goals", "Goals and action steps", ["goals"]),
        ("education", "Education", ["education"]),
        ("social-needs", "Social needs", ["socialNeeds"]),
        ("strengths", "Strengths and preferences", ["strengths"]),
        ("transitions", "Transitions", ["transitions"]),
        ("emergency", "Emergency plan", ["emergency"]),
        ("approval", "Care plan approval", ["carePlanApproval"]),
        ("removal", "Removal from the program", ["removal"]),
        ("record", "About this record and the provider", ["schemaVersion", "contentLanguage", "recordId", "provider"]),
    ]

    /// The section a top-level field is in (its title), for "Termination date — in Removal".
    static func sectionTitle(of top: String) -> String {
        sections.first { $0.fields.contains(top) }?.title ?? "Other"
    }

    /// By whole path pattern.
    static let byPattern: [String: Entry] = [
        "schemaVersion": Entry("Record format version", "2 lets texts carry translations; keep 1 for an older record."),
        "contentLanguage": Entry(
            "Language the record is written in",
            "Usually en (English). Translations are made from this language."
        ),
        "recordId": Entry("Record id", "Your system's id for this record; the member id is used when it is empty."),
        "provider": Entry("CARES provider", "The clinic or practice that sends the documents."),
        "provider.name": Entry("Provider name"),
        "provider.department": Entry("Department"),
        "provider.phone": Entry("Provider phone", "For questions about letters."),
        "provider.onCallPhone": Entry("24/7 phone line", "The line that answers 24 hours a day, 365 days a year."),
        "provider.website": Entry("Website"),
        "provider.ombudsman": Entry("How to reach the ombudsman", "Leave empty to print the standard wording."),
        "provider.appealInstructions": Entry("How to appeal", "Leave empty to print the standard wording."),
        "member": Entry("Member (the child)"),
        "member.id": Entry("MassHealth member id"),
        "member.firstName": Entry("First name"),
        "member.lastName": Entry("Last name"),
        "member.preferredName": Entry("Name the child goes by"),
        "member.dateOfBirth": Entry("Date of birth"),
        "member.primaryLanguage": Entry(
            "Member's language",
            "Language code, e.g. en, es, pt-BR, ht, vi, zh-Hans, ar, km. Letters go out in this language."
        ),
        "member.pronouns": Entry("Pronouns"),
        "member.address": Entry("Home address"),
        "member.healthPlan": Entry("Health plan"),
        "member.enrolledInCCM": Entry("Also in Community Case Management (CCM)?"),
        "member.accessibility": Entry("Accessibility needs"),
        "member.accessibility.largePrint": Entry("Needs large print?"),
        "member.accessibility.screenReader": Entry("Uses a screen reader?"),
        "member.accessibility.notes": Entry("Other accessibility notes"),
        "guardians": Entry("Parents and guardians"),
        "guardians.*.relationship": Entry("Relationship to the child"),
        "guardians.*.preferredLanguage": Entry("Their language", "Language code, e.g. es."),
        "guardians.*.receivesMail": Entry("Letters go to this person?"),
        "guardians.*.electronicDelivery": Entry("Agreed to get documents by email?"),
        "enrollment.referralDate": Entry("Referral date", "The care plan is due 60 days after it."),
        "enrollment.consentDate": Entry("Consent date"),
        "enrollment.effectiveDate": Entry("Enrollment date", "The enrollment letter is due 30 days after it."),
        "enrollment.designatedCareManagerId": Entry(
            "Designated care manager",
            "The id of a care team member (see Care team)."
        ),
        "enrollment.lastAssessmentDate": Entry("Last assessment"),
        "enrollment.lastCarePlanUpdate": Entry("Last care plan update"),
        "careTeam": Entry("Care team members"),
        "careTeam.*.id": Entry("Short id", "Used to name this person elsewhere in the record, e.g. cm1."),
        "careTeam.*.role": Entry("Role"),
        "careTeam.*.credentials": Entry("Credentials", "e.g. RN, LICSW."),
        "careTeam.*.involvedInEmergencyCare": Entry("List on the emergency plan?"),
        "healthSummary.conditions": Entry("Conditions"),
        "healthSummary.conditions.*": Entry("Condition"),
        "healthSummary.medicalHistory": Entry("Medical history"),
        "healthSummary.behavioralHistory": Entry("Behavioral health history"),
        "healthSummary.personalCircumstances": Entry("Personal circumstances"),
        "healthSummary.educationalCircumstances": Entry("Educational circumstances"),
        "healthSummary.socialCircumstances": Entry("Social circumstances"),
        "healthSummary.advanceDirective": Entry("Advance directive"),
        "healthSummary.guardianshipStatus": Entry("Guardianship status"),
        "currentServices": Entry("Services the child gets now"),
        "currentServices.*.name": Entry("Service"),
        "goals": Entry("Goals"),
        "goals.*.id": Entry("Short id", "e.g. g1; unique in this record."),
        "goals.*.domain": Entry("Area"),
        "goals.*.term": Entry("Short or long term"),
        "goals.*.description": Entry("The goal, in the family's words"),
        "goals.*.targetDate": Entry("Target date"),
        "goals.*.status": Entry("Progress"),
        "goals.*.barriers": Entry("What makes it hard"),
        "goals.*.actions": Entry("Action steps"),
        "goals.*.actions.*.description": Entry("What will be done"),
        "goals.*.actions.*.responsibleId": Entry(
            "Who does it",
            "A care team member's short id, or family for the child and parents."
        ),
        "goals.*.actions.*.dueDate": Entry("By when"),
        "goals.*.actions.*.accessibility": Entry("Accessibility needs for this step"),
        "education.school": Entry("School"),
        "education.grade": Entry("Grade"),
        "education.iep": Entry("IEP (Individualized Education Program)"),
        "education.plan504": Entry("504 plan"),
        "education.schoolServices": Entry("Services at school"),
        "education.schoolServices.*": Entry("School service"),
        "education.supports": Entry("Other supports at school"),
        "socialNeeds": Entry("Social needs"),
        "socialNeeds.*.need": Entry("Need"),
        "socialNeeds.*.support": Entry("Support planned or in place"),
        "socialNeeds.*.program": Entry("Program", "e.g. SNAP, WIC, LIHEAP."),
        "strengths.strengths": Entry("Strengths"),
        "strengths.strengths.*": Entry("Strength"),
        "strengths.interests": Entry("Interests"),
        "strengths.interests.*": Entry("Interest"),
        "strengths.preferences": Entry("Preferences"),
        "strengths.preferences.*": Entry("Preference"),
        "strengths.culturalConsiderations": Entry("Cultural considerations"),
        "transitions": Entry("Transitions"),
        "transitions.*.kind": Entry("Kind of transition"),
        "transitions.*.expectedDate": Entry("Expected date"),
        "transitions.*.continuityStrategies": Entry("How care continues"),
        "emergency.diagnoses": Entry("Diagnoses"),
        "emergency.diagnoses.*": Entry("Diagnosis"),
        "emergency.medications": Entry("Medications"),
        "emergency.medications.*.name": Entry("Medication"),
        "emergency.medications.*.dose": Entry("Dose"),
        "emergency.medications.*.route": Entry("How it is given", "e.g. by mouth."),
        "emergency.medications.*.purpose": Entry("What it is for"),
        "emergency.medications.*.sideEffects": Entry("Side effects"),
        "emergency.allergies": Entry("Allergies"),
        "emergency.allergies.*.substance": Entry("Allergic to"),
        "emergency.allergies.*.reaction": Entry("Reaction"),
        "emergency.allergies.*.severity": Entry("How severe"),
        "emergency.noKnownAllergies": Entry(
            "No known allergies?",
            "Say Yes only when there are none: an empty list is never read as none."
        ),
        "emergency.accommodations": Entry("Accommodations in the emergency department"),
        "emergency.accommodations.*": Entry("Accommodation"),
        "emergency.devices": Entry("Devices and equipment", "e.g. g-tube, tracheostomy, shunt."),
        "emergency.devices.*": Entry("Device"),
        "emergency.baseline": Entry("Baseline vital signs and neurological status"),
        "emergency.procedurePrecautions": Entry("Procedure precautions"),
        "emergency.emergencyContacts": Entry("Emergency contacts"),
        "emergency.lastReviewed": Entry("Plan last reviewed"),
        "carePlanApproval": Entry("Approval of the care plan"),
        "carePlanApproval.method": Entry("How it was approved"),
        "carePlanApproval.date": Entry("Date approved"),
        "carePlanApproval.approvedBy": Entry("Approved by"),
        "carePlanApproval.accommodationNeed": Entry(
            "Why signing is not possible",
            "For a verbal approval: without a reason, a signature is due within three months."
        ),
        "removal": Entry("Removal from the program", "Fill in only when the child leaves CARES."),
        "removal.date": Entry("Termination date", "The termination letter is due 30 days after it."),
        "removal.reason": Entry("Reason"),
        "removal.reasonDetail": Entry("Reason in words"),
        "removal.consent": Entry("Signed consent to the removal"),
        "removal.consent.signedBy": Entry("Signed by"),
        "removal.consent.date": Entry("Date signed"),
        "removal.recommendations": Entry("Care recommendations"),
        "removal.ongoingStrategies": Entry("Ongoing strategies and resources"),
        "removal.referrals": Entry("Referrals to other providers"),
        "removal.servicesInPlace": Entry("Services in place after removal"),
        "removal.ongoingTreatments": Entry("Ongoing treatments", "Including equipment use and therapies."),
        "removal.ongoingTreatments.*": Entry("Treatment"),
    ]

    /// By the field's own name, wherever it is.
    static let byName: [String: Entry] = [
        "name": Entry("Name"), "phone": Entry("Phone"), "phoneExtension": Entry("Extension"),
        "email": Entry("Email"), "fax": Entry("Fax"), "contact": Entry("Contact"),
        "address": Entry("Address"), "line1": Entry("Street address"), "line2": Entry("Apartment, suite, unit"),
        "city": Entry("City"), "state": Entry("State", "Two letters, e.g. MA."),
        "postalCode": Entry("ZIP code"), "organization": Entry("Organization"), "specialty": Entry("Specialty"),
        "description": Entry("Description"), "frequency": Entry("How often"), "notes": Entry("Notes"),
        "startDate": Entry("Start date"), "providerId": Entry("Provider on the team", "A care team member's short id."),
        "providerName": Entry("Provider"), "relationship": Entry("Relationship"), "status": Entry("Status"),
        "date": Entry("Date"), "kind": Entry("Kind"),
    ]

    /// What one row of a list is called ("goal", "step").
    static func itemName(_ list: String) -> String {
        PassageLabel.items[list] ?? (list == "guardians" ? "guardian" : PassageLabel.plain(list))
    }

    static func pattern(_ parts: [String]) -> String {
        parts.map { Int($0) == nil ? $0 : "*" }.joined(separator: ".")
    }

    static func entry(_ parts: [String], _ node: SchemaOutline?) -> Entry {
        if let e = byPattern[pattern(parts)] { return e }
        guard let last = parts.last else { return Entry("Record") }
        if Int(last) != nil, parts.count > 1 {
            // A row: "Goal 2".
            let name = itemName(parts[parts.count - 2])
            return Entry(name.prefix(1).uppercased() + name.dropFirst() + " \(Int(last)! + 1)")
        }
        let named = byName[last]
        if let title = node?.title { return Entry(title, node?.description ?? named?.help) }
        if let named { return Entry(named.label, named.help ?? node?.description) }
        let words = PassageLabel.plain(last)
        return Entry(words.prefix(1).uppercased() + words.dropFirst(), node?.description)
    }

    /// The field's label; a row keeps its number ("Goal 2").
    static func label(_ parts: [String], _ node: SchemaOutline?) -> String {
        if let last = parts.last, Int(last) != nil, byPattern[pattern(parts)] != nil, parts.count > 1 {
            return "\(byPattern[pattern(parts)]!.label) \(Int(last)! + 1)"
        }
        return entry(parts, node).label
    }

    /// Where a field is, in words: "Goal 2 · Action step 1 · What will be done" (rows and the
    /// field; sections and containers are left out unless they say which one).
    static func describe(_ key: String) -> String {
        let parts = key.split(separator: ".").map(String.init)
        guard !parts.isEmpty else { return "The record as a whole" }
        let outline = SchemaOutline.careRecord
        var words: [String] = []
        for n in parts.indices {
            let prefix = Array(parts[...n])
            let isRow = Int(parts[n]) != nil
            let nextIsRow = n + 1 < parts.count && Int(parts[n + 1]) != nil
            // Rows and the field itself; an object in between ("Home address"), not the top
            // level (the section says it) nor a list's name (its row says it).
            if isRow || n == parts.count - 1 || (n > 0 && !nextIsRow) {
                words.append(label(prefix, outline?.node(at: prefix)))
            }
        }
        return words.joined(separator: " · ")
    }

    /// "Termination date — in Removal from the program".
    static func describeWithSection(_ key: String) -> String {
        let top = key.split(separator: ".").first.map(String.init) ?? ""
        return top.isEmpty ? describe(key) : "\(describe(key)) — in \(sectionTitle(of: top))"
    }

    /// A choice's value in words: the English catalog's text for `x-catalogKey`, else the value.
    static func choice(_ value: String, _ node: SchemaOutline) -> String {
        if let key = node.catalogKey, let text = englishCatalog?.messages["\(key).\(value)"] { return text }
        return value.replacingOccurrences(of: "-", with: " ")
    }

    static let englishCatalog: LocaleCatalog? = {
        guard let dir = try? LocaleSet.locate() else { return nil }
        return try? LocaleCatalog.load(dir.appendingPathComponent("en.json"))
    }()
}
