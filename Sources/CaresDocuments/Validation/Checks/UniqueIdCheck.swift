/// The entries of a list are told apart by their `id`: `careTeam[].id` and `goals[].id` must
/// each be unique.
struct UniqueIdCheck: RecordCheck {
    /// The top-level list, e.g. `careTeam`.
    var list: String
    /// What one entry is, for the message: "care team member".
    var entry: String

    func findings(in record: JSONObject) -> [Finding] {
        guard let items = record[list]?.arrayValue else { return [] }
        let listPath = JSONPath.root.appending(list)
        var firstUse: [String: JSONPath] = [:]
        var findings: [Finding] = []
        for (index, item) in items.enumerated() {
            guard let id = item["id"]?.stringValue else { continue }
            let itemPath = listPath.appending(index)
            if let first = firstUse[id] {
                findings.append(
                    Finding(itemPath.appending("id"), ProblemWording.duplicateId(id, firstUsedAt: first, what: entry))
                )
            } else {
                firstUse[id] = itemPath
            }
        }
        return findings
    }
}
