import Foundation

/// One structure element as the renderer asked Cairo for it, in the order the tags were opened:
/// the layout's node (nil for the Document and Link elements the renderer opens itself), its
/// role, and the attributes Cairo 1.16's tag API cannot carry.
struct OpenedTag {
    var node: Int?
    var role: String
    var alt: String?
    var scope: String?
    var lang: String?
}

/// What the renderer tells the post-processor about the structure it drew.
struct RenderedStructure {
    /// Every `cairo_tag_begin`, in order.
    var tags: [OpenedTag] = []
    /// Pages whose running header and footer were drawn last (after every tag was closed).
    var paginationPages: [Bool] = []
    /// Pages that hold nothing but the running header and footer (a shared page's, before its
    /// content is joined in).
    var paginationOnlyPages: Set<Int> = []
    /// Whether the renderer tagged the content (a combined print file is not tagged).
    var tagged = true
    /// Pages whose content is a shared page's (`SharedPage`), joined in by the post-processor.
    var sharedPages: [SharedPageSlot] = []

    struct SharedPageSlot {
        var page: Int
        var key: SharedPageKey
        /// How many of the Document element's children come before the shared page's.
        var kidIndex: Int
    }
}

/// Repairs the structure tree Cairo 1.16 writes, so that it says what the layout meant:
///
/// - **One element per node.** The renderer closes every tag at the end of a page (the running
///   footer and the next page's decorations must not land inside a paragraph or a table) and
///   reopens the still-running ones on the next page; Cairo knows no node identity and makes a
///   new element each time, so a table across three pages became three `Table` siblings and a
///   paragraph across a page break two `P`s. Elements of the same node are merged into the
///   first: its `/K` gathers the others' kids in order (marked content of another page as an
///   `MCR` with its `/Pg`), their children and the parent tree point at it, and the duplicates
///   are replaced by `null`.
/// - **Attributes**: `/Alt` on figures, `/A << /O /Table /Scope … >>` on header cells.
///
/// Cairo's tree is the tree of the tag calls: walked depth first from the root, children in `/K`
/// order, its elements come in the order the tags were opened, so the n-th element of the walk
/// is the n-th tag opened. Each element's role is checked against the tag: on a mismatch (Cairo dropped an element, as it does for
/// content drawn off the page) nothing is repaired and `Mismatch` says why — the caller then
/// leaves the tree as Cairo wrote it and does not claim PDF/UA.
enum StructureRepair {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    static func repair(
        _ reader: PDFObjectReader,
        catalog: PDFDictionary,
        structure: RenderedStructure
    ) throws -> [(Int, PDFValue)] {
        guard let rootNumber = catalog["StructTreeRoot"]?.reference,
            let root = try reader.value(rootNumber).dictionaryValue
        else { return [] }
        // The elements in a depth-first walk from the root, children in /K order.
        var elements: [(number: Int, dictionary: PDFDictionary)] = []
        var visited = Set<Int>()
        func walk(_ kids: PDFValue?, depth: Int) throws {
            guard let kids, depth < 512 else { return }
            for kid in kids.elements {
                guard let number = kid.reference, visited.insert(number).inserted,
                    let dictionary = try reader.value(number).dictionaryValue, dictionary["Type"] == .name("StructElem")
                else { continue }
                elements.append((number, dictionary))
                try walk(dictionary["K"], depth: depth + 1)
            }
        }
        try walk(root["K"], depth: 0)
        // Cairo 1.16 leaves out the Document element when the first page has no tagged content
        // (a page of decoration only): its children hang from the root. The rest still matches.
        var tags = structure.tags
        if tags.first?.role == "Document", elements.first?.dictionary["S"] != .name("Document") {
            tags.removeFirst()
        }
        guard elements.count == tags.count else {
            let written = elements.map { $0.dictionary["S"]?.nameValue ?? "?" }
            let opened = tags.map(\.role)
            let first =
                zip(written, opened).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(written.count, opened.count)
            throw Mismatch(
                description:
                    "the structure tree has \(elements.count) elements where \(tags.count) tags were opened"
                    + " (from element \(first + 1): written \(written[first...].prefix(4)), opened \(opened[first...].prefix(4)))"
            )
        }
        for (element, tag) in zip(elements, tags) where element.dictionary["S"]?.nameValue != tag.role {
            throw Mismatch(
                description:
                    "structure element \(element.number) is /\(element.dictionary["S"]?.nameValue ?? "?") where /\(tag.role) was opened"
            )
        }
        // The first element of each node stands for all of them. Elements are found by their
        // place in the walk; `canonical` maps an object number to its node's first element's.
        var canonical: [Int: Int] = [:]
        canonical.reserveCapacity(elements.count)
        var members = [[Int]](repeating: [], count: elements.count)
        var firstOfNode: [Int: Int] = [:]
        var headIndex = [Int](repeating: 0, count: elements.count)
        for (index, (element, tag)) in zip(elements, tags).enumerated() {
            var head = index
            if let node = tag.node {
                if let first = firstOfNode[node] { head = first } else { firstOfNode[node] = index }
            }
            headIndex[index] = head
            canonical[element.number] = elements[head].number
            members[head].append(index)
        }
        func mapped(_ value: PDFValue) -> PDFValue {
            if case .ref(let number) = value, let head = canonical[number] { return .ref(head) }
            return value
        }

        var replacements: [(Int, PDFValue)] = []
        var merged = false
        for (index, (element, tag)) in zip(elements, tags).enumerated() {
            let number = element.number
            guard headIndex[index] == index else {
                replacements.append((number, .null))
                merged = true
                continue
            }
            var dictionary = element.dictionary
            var changed = false
            var kids: [PDFValue] = []
            var seen = Set<Int>()
            var basePage = dictionary["Pg"]
            // A node drawn once whose kids are all its own marked content or elements that stand
            // for themselves keeps its /K as written.
            let group = members[index]
            let keepKids =
                group.count == 1
                && (dictionary["K"]?.elements ?? []).allSatisfy {
                    guard case .ref(let child) = $0 else { return true }
                    return canonical[child] == nil || canonical[child] == child
                }
            for member in keepKids ? [] : group {
                let memberDictionary = elements[member].dictionary
                let page = memberDictionary["Pg"]
                for kid in memberDictionary["K"]?.elements ?? [] {
                    switch kid {
                    case .ref(let child) where canonical[child] != nil:
                        let head = canonical[child]!
                        if seen.insert(head).inserted { kids.append(.ref(head)) }
                    case .number:
                        if basePage == nil {
                            basePage = page
                            dictionary["Pg"] = page
                        }
                        if page == basePage {
                            kids.append(kid)
                        } else {
                            var reference = PDFDictionary()
                            reference["Type"] = .name("MCR")
                            reference["Pg"] = page
                            reference["MCID"] = kid
                            kids.append(.dictionary(reference))
                        }
                    case .dictionary(var reference) where reference["Pg"] == nil && page != basePage && page != nil:
                        reference["Pg"] = page
                        kids.append(.dictionary(reference))
                    default:
                        kids.append(kid)
                    }
                }
            }
            if !keepKids && !kids.isEmpty {
                dictionary["K"] = kids.count == 1 ? kids[0] : .array(kids)
                changed = true
            }
            if let parent = dictionary["P"] {
                let head = mapped(parent)
                if head != parent {
                    dictionary["P"] = head
                    changed = true
                }
            }
            if let scope = tag.scope {
                var attributes = PDFDictionary()
                attributes["O"] = .name("Table")
                attributes["Scope"] = .name(scope)
                dictionary["A"] = .dictionary(attributes)
                changed = true
            }
            if let lang = tag.lang, !lang.isEmpty {
                dictionary["Lang"] = .string(Array(PDFPostProcessor.pdfString(lang).utf8))
                changed = true
            }
            if let alt = tag.alt, !alt.isEmpty {
                dictionary["Alt"] = .string(Array(PDFPostProcessor.pdfString(alt).utf8))
                changed = true
            }
            if changed && dictionary != element.dictionary { replacements.append((number, .dictionary(dictionary))) }
        }
        guard merged else { return replacements }

        // The parent tree: marked content and annotations now belong to the kept elements.
        guard let parentTree = root["ParentTree"] else { return replacements }
        func repairNumberTree(_ node: PDFValue, number: Int?) throws -> PDFValue {
            guard var dictionary = node.dictionaryValue else { return node }
            if let kids = dictionary["Kids"]?.elements {
                for kid in kids {
                    guard let kidNumber = kid.reference else { continue }
                    let repaired = try repairNumberTree(try reader.value(kidNumber), number: kidNumber)
                    if repaired != (try reader.value(kidNumber)) { replacements.append((kidNumber, repaired)) }
                }
            }
            guard case .array(var nums)? = dictionary["Nums"] else { return node }
            for index in stride(from: 1, to: nums.count, by: 2) {
                let entry = nums[index]
                if let arrayNumber = entry.reference, canonical[arrayNumber] == nil {
                    let array = try reader.value(arrayNumber)
                    if case .array(let values) = array {
                        let repaired = PDFValue.array(values.map(mapped))
                        if repaired != array { replacements.append((arrayNumber, repaired)) }
                    }
                } else if case .array(let values) = entry {
                    nums[index] = .array(values.map(mapped))
                } else {
                    nums[index] = mapped(entry)
                }
            }
            dictionary["Nums"] = .array(nums)
            return .dictionary(dictionary)
        }
        if let treeNumber = parentTree.reference {
            let tree = try reader.value(treeNumber)
            let repaired = try repairNumberTree(tree, number: treeNumber)
            if repaired != tree { replacements.append((treeNumber, repaired)) }
        } else {
            let repaired = try repairNumberTree(parentTree, number: nil)
            if repaired != parentTree {
                var newRoot = root
                newRoot["ParentTree"] = repaired
                replacements.append((rootNumber, .dictionary(newRoot)))
            }
        }
        return replacements
    }
}
