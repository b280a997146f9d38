/// Every id that names a care team member must be a `careTeam[].id`:
/// `enrollment.designatedCareManagerId`, `currentServices[].providerId`,
/// `removal.referrals[].providerId`, `removal.servicesInPlace[].providerId`, and
/// `goals[].actions[].responsibleId`, which may also be `family`. Because `family` has that
/// meaning, no team member may have it as id.
struct TeamReferenceCheck: RecordCheck {
    func findings(in record: JSONObject) -> [Finding] {
        var teamIds: [String] = []
        var findings: [Finding] = []
        switch record["careTeam"] {
        case nil: break
        case .array(let team)?:
            for (index, member) in team.enumerated() {
                guard let id = member["id"]?.stringValue else { continue }
                if !teamIds.contains(id) { teamIds.append(id) }
                if id == GoalAction.familyResponsibleId {
                    findings.append(
                        Finding(
                            JSONPath.root.appending("careTeam").appending(index).appending("id"),
                            ProblemWording.reservedFamilyId
                        )
                    )
                }
            }
        default:
            return []  // careTeam itself is malformed: the schema reports it.
        }

        for reference in references(in: record) {
            let id = reference.id
            let resolves = teamIds.contains(id) || (reference.allowsFamily && id == GoalAction.familyResponsibleId)
            if !resolves {
                findings.append(
                    Finding(
                        reference.path,
                        ProblemWording.unknownTeamMember(id, knownIds: teamIds, allowsFamily: reference.allowsFamily)
                    )
                )
            }
        }
        return findings
    }

    private struct Reference {
        var path: JSONPath
        var id: String
        var allowsFamily: Bool
    }

    private func references(in record: JSONObject) -> [Reference] {
        let root = JSONValue.object(record)
        var references: [Reference] = []
        func add(_ value: JSONValue?, _ path: JSONPath, allowsFamily: Bool = false) {
            if let id = value?.stringValue {
                references.append(Reference(path: path, id: id, allowsFamily: allowsFamily))
            }
        }
        func eachItem(of value: JSONValue?, at path: JSONPath, _ body: (JSONValue, JSONPath) -> Void) {
            for (index, item) in (value?.arrayValue ?? []).enumerated() {
                body(item, path.appending(index))
            }
        }

        let enrollment = JSONPath.root.appending("enrollment")
        add(root["enrollment"]?["designatedCareManagerId"], enrollment.appending("designatedCareManagerId"))
        eachItem(of: root["currentServices"], at: JSONPath.root.appending("currentServices")) { service, path in
            add(service["providerId"], path.appending("providerId"))
        }
        eachItem(of: root["goals"], at: JSONPath.root.appending("goals")) { goal, goalPath in
            eachItem(of: goal["actions"], at: goalPath.appending("actions")) { action, path in
                add(action["responsibleId"], path.appending("responsibleId"), allowsFamily: true)
            }
        }
        let removal = JSONPath.root.appending("removal")
        for list in ["referrals", "servicesInPlace"] {
            eachItem(of: root["removal"]?[list], at: removal.appending(list)) { service, path in
                add(service["providerId"], path.appending("providerId"))
            }
        }
        return references
    }
}
