import Foundation

/// A different child, guardian, address, care manager and record id for each letter the
/// benchmarks render, like `../shared/bench/peers` gives Typst a different member, guardian,
/// address and care manager for each letter. Without it a cache of laid-out paragraphs would
/// see the same letter over and over and the figures would be better than a mailroom's. Every
/// free text of the plan (health summary, services, goals, school, needs, strengths,
/// transitions, emergency plan) is made different too: each child's plan is its own, so only
/// the template's wording can be shared between two plans.
enum BenchRecordVariants {
    /// The parts of a record whose free text is the child's own.
    private static let childsOwnText = [
        "healthSummary", "currentServices", "goals", "education", "socialNeeds", "strengths", "transitions",
        "emergency", "carePlanApproval",
    ]

    /// Every string with a space and a few letters (free text, not a code, date or id) gets a
    /// mark of its own (a number: the same in every language).
    private static func vary(_ value: Any, _ index: Int) -> Any {
        switch value {
        case let s as String:
            guard s.contains(" "), s.unicodeScalars.filter({ $0.properties.isAlphabetic }).count >= 3 else { return s }
            return "\(s) (\(index))"
        case let array as [Any]: return array.map { vary($0, index) }
        case let object as [String: Any]: return object.mapValues { vary($0, index) }
        default: return value
        }
    }

    private static let first = [
        "Sofia", "Mateo", "Ana Beatriz", "Nguyen Minh", "Layla", "Wei", "Sokha", "Olivia", "Liam", "Isabela",
        "Joao Pedro", "Tran Bao", "Omar", "Mei", "Dara", "Emma", "Noah", "Valentina", "Lucas", "Pham Thu",
        "Yusuf", "Xiaoling", "Chanthou", "Ava", "Elijah",
    ]
    private static let last = [
        "Rodriguez", "Silva", "Nguyen", "Haddad", "Chen", "Chea", "Johnson", "Oliveira", "Tran", "Mansour",
        "Zhang", "Sok", "Williams", "Pereira", "Le", "Khoury", "Wang", "Kim", "Brown", "Santos", "Pham",
        "Saleh", "Liu", "Meas", "Garcia", "O'Connor",
    ]
    private static let guardianFirst = [
        "Maria", "Carlos", "Fernanda", "Hoa", "Fatima", "Jun", "Sreymom", "Jennifer", "Michael", "Luciana",
        "Paulo", "Lan", "Ahmad", "Li", "Vanna", "Sarah",
    ]
    private static let streets = [
        "Dorchester Avenue", "Blue Hill Avenue", "Washington Street", "Hancock Street", "Broadway",
        "Main Street", "Centre Street", "Columbia Road", "Elm Street",
    ]
    private static let towns = [
        ("Boston", "02125"), ("Lowell", "01852"), ("Lynn", "01902"), ("Quincy", "02169"),
        ("Brockton", "02301"), ("Worcester", "01604"), ("Malden", "02148"), ("Revere", "02151"),
    ]
    private static let careManagers = ["Rosa Delgado", "Kevin Tran", "Amira Nasser", "Sophea Keo"]

    /// The record with the people and places of letter `index` (distinct for every index below
    /// 25 × 26 × 16 × 9 = 93,600; the record id and street number are distinct for every index).
    static func variant(_ bytes: Data, _ index: Int) throws -> Data {
        guard var record = try JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
            throw CLIError("the benchmark record is not a JSON object")
        }
        let town = towns[index % towns.count]
        func address(_ old: Any?) -> [String: Any] {
            var address = old as? [String: Any] ?? [:]
            address["line1"] = "\(10 + index) \(streets[(index / 7) % streets.count])"
            address["city"] = town.0
            address["state"] = "MA"
            address["postalCode"] = town.1
            return address
        }
        for key in childsOwnText where record[key] != nil { record[key] = vary(record[key]!, index) }
        let lastName = last[(index / first.count) % last.count]
        record["recordId"] = String(format: "CR-2026-%06d", 100_000 + index % 900_000)
        if var member = record["member"] as? [String: Any] {
            member["firstName"] = first[index % first.count]
            member["lastName"] = lastName
            member.removeValue(forKey: "preferredName")
            member["id"] = String(format: "1%011d", index)
            member["address"] = address(member["address"])
            record["member"] = member
        }
        if var guardians = record["guardians"] as? [[String: Any]] {
            for g in guardians.indices {
                let name = guardianFirst[(index / (first.count * last.count) + g) % guardianFirst.count]
                guardians[g]["name"] = "\(name) \(lastName)"
                if var contact = guardians[g]["contact"] as? [String: Any] {
                    if contact["address"] != nil { contact["address"] = address(contact["address"]) }
                    guardians[g]["contact"] = contact
                }
            }
            record["guardians"] = guardians
        }
        let managerId = (record["enrollment"] as? [String: Any])?["designatedCareManagerId"] as? String
        if var team = record["careTeam"] as? [[String: Any]] {
            for t in team.indices where team[t]["id"] as? String == managerId {
                let name = careManagers[index % careManagers.count]
                team[t]["name"] = name
                if var contact = team[t]["contact"] as? [String: Any] {
                    contact["phone"] = String(format: "(617) 555-%04d", 100 + index % 9_000)
                    if contact["email"] != nil {
                        contact["email"] =
                            name.lowercased().replacingOccurrences(of: " ", with: ".")
                            + "@riverside-chc.example.org"
                    }
                    team[t]["contact"] = contact
                }
            }
            record["careTeam"] = team
        }
        return try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
    }

    /// `count` variants starting at `start`.
    static func variants(_ bytes: Data, start: Int, count: Int) throws -> [Data] {
        try (start..<start + count).map { try variant(bytes, $0) }
    }
}
