import Foundation

/// One structure element as the renderer asked Cairo for it, in the order the tags were opened:
/// the layout's node (nil for the Document and Link elements the renderer opens itself), its
/// role, the attributes Cairo 1.16's tag API cannot carry, and the layout node it belongs to
/// (a `StructureContainer`; nil when it hangs from the Document element).
struct OpenedTag {
    var node: Int?
    var role: String
    var alt: String?
    var scope: String?
    var lang: String?
    var parent: Int?
}

/// A structure element the renderer does not open in Cairo (one that holds other elements, not
/// content: a table, a row, a cell, a list, an item, a section): written by `StructureRepair`.
struct StructureContainer {
    var role: String
    /// The layout node it belongs to; nil for one under the Document element.
    var parent: Int?
    var alt: String?
    var scope: String?
    var lang: String?
}

/// What the renderer tells the post-processor about the structure it drew.
struct RenderedStructure {
    /// Every `cairo_tag_begin`, in order.
    var tags: [OpenedTag] = []
    /// The elements above the opened ones, by layout node.
    var containers: [Int: StructureContainer] = [:]
    /// Pages whose running header and footer were drawn last (after every tag was closed).
    var paginationPages: [Bool] = []
    /// Pages that hold nothing but the running header and footer (a shared page's, before its
    /// content is joined in).
    var paginationOnlyPages: Set<Int> = []
    /// Whether the renderer tagged the content (a combined print file is not tagged).
    var tagged = true
    /// Pages whose content is a shared page's (`SharedPage`), joined in by the post-processor.
    var sharedPages: [SharedPageSlot] = []
    /// Per page, the drawing calls of content and the tags they belong to, when the renderer
    /// opened no Cairo tag (`PDFRenderer.cairoTags`): the post-processor writes their marked
    /// content (`ContentMarks`) and the structure tree (`StructureWriter`). Nil when Cairo did.
    var marks: [[ContentMark]]?

    struct SharedPageSlot {
        var page: Int
        var key: SharedPageKey
        /// How many of the Document element's children come before the shared page's.
        var kidIndex: Int
    }
}

/// Completes and repairs the structure tree Cairo 1.16 writes, so that it says what the layout
/// meant:
///
/// - **The elements above the content.** The renderer opens a Cairo tag only for the element
///   that holds the content drawn (a paragraph, a list label, a figure; links inside them), so
///   Cairo writes those under its Document element. The elements above them — a table, its rows
///   and cells, a list and its items, a section — are written here (`StructureContainer`, new
///   objects numbered from `next`), each in the order its first content was drawn, and every
///   element's `/P` points at its parent. Cairo's bookkeeping for a tag (on both of its passes
///   over a page) cost more than writing the element here.
/// - **One element per node.** The renderer closes its tag at the end of a page (the running
///   footer and the next page's decorations must not land inside a paragraph) and reopens it
///   on the next one; Cairo knows no node identity and makes a new element each time, so a
///   paragraph across a page break became two `P`s. Elements of the same node are merged into
///   the first: its `/K` gathers the others' kids in order (marked content of another page as an
///   `MCR` with its `/Pg`), their children and the parent tree point at it, and the duplicates
///   are replaced by `null`.
/// - **Attributes**: `/Alt` on figures, `/A << /O /Table /Scope … >>` on header cells, `/Lang`
///   on an element in another language than the document's.
///
/// Cairo's tree is the tree of the tag calls: walked depth first from the root, children in `/K`
/// order, its elements come in the order the tags were opened, so the n-th element of the walk
/// is the n-th tag opened. Each element's role is checked against the tag: on a mismatch (Cairo
/// dropped an element, as it does for content drawn off the page) nothing is repaired and
/// `Mismatch` says why — the caller then leaves the tree as Cairo wrote it and does not claim
/// PDF/UA.
enum StructureRepair {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    /// What the repair changes: objects replaced or added (numbered from `next`), and elements
    /// whose only change is their parent (`PDFObjectOverlay.parents`: written as Cairo wrote
    /// them with the reference changed, most of a document's elements).
    struct Repairs {
        var objects: [(Int, PDFValue)] = []
        var parents: [(Int, Int)] = []
    }

    static func repair(
        _ reader: PDFObjectReader,
        catalog: PDFDictionary,
        structure: RenderedStructure,
        next: inout Int
    ) throws -> Repairs {
        guard let rootNumber = catalog["StructTreeRoot"]?.reference,
            var root = try reader.value(rootNumber).dictionaryValue
        else { return Repairs() }
        let writtenRoot = root
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
        for index in elements.indices where elements[index].dictionary["S"]?.nameValue != tags[index].role {
            throw Mismatch(
                description:
                    "structure element \(elements[index].number) is /\(elements[index].dictionary["S"]?.nameValue ?? "?") where /\(tags[index].role) was opened"
            )
        }
        let documentNumber: Int? =
            tags.first?.role == "Document" && tags.first?.node == nil ? elements.first?.number : nil
        let top = documentNumber ?? rootNumber

        // Layout nodes and Cairo's object numbers are small dense integers: tables indexed by
        // them (a hashed look-up per element and per kid cost more than the rest of the repair).
        let count = elements.count
        var nodeBound = 0
        for tag in tags { if let node = tag.node { nodeBound = max(nodeBound, node + 1) } }
        for node in structure.containers.keys { nodeBound = max(nodeBound, node + 1) }
        var objectBound = rootNumber + 1
        for element in elements { objectBound = max(objectBound, element.number + 1) }

        // The first element of each node stands for all of them. Elements are found by their
        // place in the walk; `canonical` maps an object number to its node's first element's.
        var canonical = [Int](repeating: -1, count: objectBound)
        var firstOfNode = [Int](repeating: -1, count: nodeBound)
        var headIndex = [Int](repeating: 0, count: count)
        // The other elements of a node, after its first: a list through `nextMember`.
        var nextMember = [Int](repeating: -1, count: count)
        var lastMember = [Int](repeating: -1, count: count)
        var merged = false
        for index in 0..<count {
            var head = index
            if let node = tags[index].node {
                let first = firstOfNode[node]
                if first >= 0 {
                    head = first
                    merged = true
                    nextMember[lastMember[first] >= 0 ? lastMember[first] : first] = index
                    lastMember[first] = index
                } else {
                    firstOfNode[node] = index
                }
            }
            headIndex[index] = head
            canonical[elements[index].number] = elements[head].number
        }
        func mapped(_ value: PDFValue) -> PDFValue {
            if case .ref(let number) = value, number >= 0, number < objectBound, canonical[number] >= 0 {
                return .ref(canonical[number])
            }
            return value
        }

        // The elements above the opened ones, each made when its first content comes, and the
        // Document's kids, in drawing order (`ContainerTree`).
        var tree = ContainerTree(
            containers: structure.containers,
            own: (0..<nodeBound).map { firstOfNode[$0] >= 0 ? elements[firstOfNode[$0]].number : -1 },
            next: next
        )
        defer { next = tree.next }
        var parentOf = [Int](repeating: -1, count: count)
        for index in 0..<count where headIndex[index] == index {
            let number = elements[index].number
            if tags[index].node != nil {
                let parent = tags[index].parent
                tree.attach(number, to: parent)
                parentOf[index] = parent.flatMap { tree.element(of: $0) } ?? top
            } else if number != documentNumber, let parent = elements[index].dictionary["P"],
                mapped(parent) == .ref(top)
            {
                tree.attach(number, to: nil)
            }
        }

        var repairs = Repairs()
        for index in 0..<count {
            let number = elements[index].number
            guard headIndex[index] == index else {
                repairs.objects.append((number, .null))
                continue
            }
            var dictionary = elements[index].dictionary
            if number == documentNumber {
                dictionary["K"] = .array(tree.top.map { .ref($0) })
                repairs.objects.append((number, .dictionary(dictionary)))
                continue
            }
            let tag = tags[index]
            let extra = (tree.appended[number] ?? []).map { PDFValue.ref($0) }
            let written = dictionary["K"]
            // A node drawn once whose kids are all its own marked content or elements that stand
            // for themselves keeps its /K as written.
            let keepKids =
                nextMember[index] < 0 && extra.isEmpty
                && (written?.elements ?? []).allSatisfy {
                    guard case .ref(let child) = $0 else { return true }
                    return child < 0 || child >= objectBound || canonical[child] < 0 || canonical[child] == child
                }
            let writtenParent = dictionary["P"]
            let parent = parentOf[index] >= 0 ? PDFValue.ref(parentOf[index]) : writtenParent.map(mapped)
            let hasAttributes =
                tag.scope != nil || !(tag.lang ?? "").isEmpty || !(tag.alt ?? "").isEmpty
            if keepKids && !hasAttributes {
                if let parent, let writtenParent, parent != writtenParent, case .ref(let parentNumber) = parent {
                    repairs.parents.append((number, parentNumber))
                }
                continue
            }
            var changed = false
            if !keepKids {
                var kids: [PDFValue] = []
                var seen = Set<Int>()
                var basePage = dictionary["Pg"]
                var member = index
                while member >= 0 {
                    let memberDictionary = elements[member].dictionary
                    let page = memberDictionary["Pg"]
                    for kid in memberDictionary["K"]?.elements ?? [] {
                        switch kid {
                        case .ref(let child) where child >= 0 && child < objectBound && canonical[child] >= 0:
                            let head = canonical[child]
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
                        case .dictionary(var reference)
                        where reference["Pg"] == nil && page != basePage && page != nil:
                            reference["Pg"] = page
                            kids.append(.dictionary(reference))
                        default:
                            kids.append(kid)
                        }
                    }
                    member = nextMember[member]
                }
                kids += extra
                if !kids.isEmpty {
                    dictionary["K"] = kids.count == 1 ? kids[0] : .array(kids)
                    changed = true
                }
            }
            if let parent, let writtenParent, parent != writtenParent {
                dictionary["P"] = parent
                changed = true
            }
            if hasAttributes {
                attributes(of: tag.scope, tag.lang, tag.alt, into: &dictionary)
                changed = true
            }
            if changed && dictionary != elements[index].dictionary {
                repairs.objects.append((number, .dictionary(dictionary)))
            }
        }
        repairs.objects += try tree.madeElements(top: top)
        if documentNumber == nil {
            root["K"] = .array(tree.top.map { .ref($0) })
        }

        // The parent tree: marked content and annotations now belong to the kept elements.
        if merged, let parentTree = root["ParentTree"] {
            func repairNumberTree(_ node: PDFValue) throws -> PDFValue {
                guard var dictionary = node.dictionaryValue else { return node }
                if let kids = dictionary["Kids"]?.elements {
                    for kid in kids {
                        guard let kidNumber = kid.reference else { continue }
                        let written = try reader.value(kidNumber)
                        let repaired = try repairNumberTree(written)
                        if repaired != written { repairs.objects.append((kidNumber, repaired)) }
                    }
                }
                guard case .array(var nums)? = dictionary["Nums"] else { return node }
                for index in stride(from: 1, to: nums.count, by: 2) {
                    let entry = nums[index]
                    if let arrayNumber = entry.reference,
                        arrayNumber >= objectBound || canonical[arrayNumber] < 0
                    {
                        let array = try reader.value(arrayNumber)
                        if case .array(let values) = array {
                            let repaired = PDFValue.array(values.map(mapped))
                            if repaired != array { repairs.objects.append((arrayNumber, repaired)) }
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
                let repaired = try repairNumberTree(tree)
                if repaired != tree { repairs.objects.append((treeNumber, repaired)) }
            } else {
                root["ParentTree"] = try repairNumberTree(parentTree)
            }
        }
        if root != writtenRoot {
            repairs.objects.append((rootNumber, .dictionary(root)))
        }
        return repairs
    }

    /// A header cell's scope, an element's language and a figure's alternative text.
    static func attributes(
        of scope: String?,
        _ lang: String?,
        _ alt: String?,
        into dictionary: inout PDFDictionary
    ) {
        if let scope {
            var attributes = PDFDictionary()
            attributes["O"] = .name("Table")
            attributes["Scope"] = .name(scope)
            dictionary["A"] = .dictionary(attributes)
        }
        if let lang, !lang.isEmpty {
            dictionary["Lang"] = .string(Array(PDFPostProcessor.pdfString(lang).utf8))
        }
        if let alt, !alt.isEmpty {
            dictionary["Alt"] = .string(Array(PDFPostProcessor.pdfString(alt).utf8))
        }
    }
}
