/// `emergency.noKnownAllergies: true` next to a non-empty `emergency.allergies` contradicts
/// itself, on the one page emergency staff read in a hurry.
struct AllergyStatementCheck: RecordCheck {
    func findings(in record: JSONObject) -> [Finding] {
        guard let emergency = record["emergency"], emergency["noKnownAllergies"] == .bool(true),
            let allergies = emergency["allergies"]?.arrayValue, !allergies.isEmpty
        else { return [] }
        return [
            Finding(
                JSONPath.root.appending("emergency").appending("noKnownAllergies"),
                ProblemWording.allergiesContradicted(count: allergies.count)
            )
        ]
    }
}
