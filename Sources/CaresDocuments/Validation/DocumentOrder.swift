/// Orders findings as a reader meets them in the record: by the position of each path's
/// fields and items in the text. A missing field sorts after its object's written fields;
/// an object's own problems come before those of its members.
enum DocumentOrder {
    static func sorted(_ findings: [Finding], in root: JSONValue) -> [Finding] {
        findings.enumerated()
            .map { (key: position(of: $1.path, in: root), emitted: $0, finding: $1) }
            .sorted { lhs, rhs in
                lhs.key == rhs.key ? lhs.emitted < rhs.emitted : lhs.key.lexicographicallyPrecedes(rhs.key)
            }
            .map(\.finding)
    }

    private static func position(of path: JSONPath, in root: JSONValue) -> [Int] {
        var node: JSONValue? = root
        var position: [Int] = []
        for component in path.components {
            switch (component, node) {
            case (.key(let key), .object(let object)?):
                let index = object.index(of: key)
                position.append(index ?? object.members.count)
                node = index.map { object.members[$0].value }
            case (.index(let index), .array(let items)?):
                position.append(index)
                node = items.indices.contains(index) ? items[index] : nil
            default:
                position.append(0)
                node = nil
            }
        }
        return position
    }
}
