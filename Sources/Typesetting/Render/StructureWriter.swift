import Foundation

/// Writes the structure tree of a document drawn without Cairo tags (`PDFRenderer.cairoTags`
/// off), from what the renderer recorded (`RenderedStructure`: the tags in the order opened,
/// the elements above them) and the marked content the post-processor wrote in each page
/// (`ContentMarks`: the tag of each MCID).
///
/// The tree is the one `StructureRepair` makes of Cairo's: a `Document` element under the
/// root; one element per layout node, however many pages and drawing calls its content spans
/// (marked content on a page other than its first as an `MCR` with its `/Pg`); the elements
/// above the content (a table, its rows and cells, a list and its items, a section) made when
/// their first content comes, each under its parent, children in drawing order (a node that
/// holds content and elements: its own content first); `/Alt`, `/Scope` and `/Lang` as
/// attributes; the parent tree keyed by page.
enum StructureWriter {
    struct Written {
        var root: Int
        /// The root, the Document element and the parent tree (which a shared page joined in
        /// amends through the overlay).
        var objects: [(Int, PDFValue)]
        /// The other elements, written out: each one's number and its bytes in `body`
        /// (`start..<end`). About five hundred in an ICP: written straight to bytes, without a
        /// `PDFDictionary` each.
        var body: [UInt8] = []
        var bodies: [(number: Int, start: Int, end: Int)] = []
        /// Each page with marked content (its object number) and its parent tree key.
        var pageKeys: [(page: Int, key: Int)]
    }

    /// `pages` are the page objects in order; `mcidTags[p][n]` is the tag (index in
    /// `structure.tags`) of MCID n on page p. New objects are numbered from `next`.
    static func write(_ structure: RenderedStructure, pages: [Int], mcidTags: [[Int]], next: inout Int) -> Written {
        let tags = structure.tags
        let rootNumber = next
        let documentNumber = next + 1
        let treeNumber = next + 2
        next += 3

        var nodeBound = 0
        for tag in tags { if let node = tag.node { nodeBound = max(nodeBound, node + 1) } }
        for node in structure.containers.keys { nodeBound = max(nodeBound, node + 1) }

        // One element per node that holds content, numbered in the order first opened.
        var elementOfNode = [Int](repeating: -1, count: nodeBound)
        var elementOfTag = [Int](repeating: -1, count: tags.count)
        var elementTags: [Int] = []  // each element's first tag
        var numbers: [Int] = []
        for (index, tag) in tags.enumerated() {
            if tag.node == nil && tag.role == "Document" { continue }
            if let node = tag.node, elementOfNode[node] >= 0 {
                elementOfTag[index] = elementOfNode[node]
                continue
            }
            let element = elementTags.count
            elementTags.append(index)
            numbers.append(next)
            next += 1
            elementOfTag[index] = element
            if let node = tag.node { elementOfNode[node] = element }
        }
        let elementCount = elementTags.count

        // The elements above, each made when its first content comes, and the Document's kids,
        // in drawing order (`ContainerTree`).
        var tree = ContainerTree(
            containers: structure.containers,
            own: elementOfNode.map { $0 >= 0 ? numbers[$0] : -1 },
            next: next
        )
        var parentNumber = [Int](repeating: documentNumber, count: elementCount)
        for index in 0..<elementCount {
            let tag = tags[elementTags[index]]
            tree.attach(numbers[index], to: tag.parent)
            if let parent = tag.parent, let number = tree.element(of: parent) { parentNumber[index] = number }
        }

        // Marked content: each element's, page by page (an MCID on a later page than the
        // element's first as an MCR: page, MCID); the parent tree.
        var kids = [[(page: Int, mcid: Int)]](repeating: [], count: elementCount)
        var firstPage = [Int](repeating: -1, count: elementCount)
        var nums: [PDFValue] = []
        var pageKeys: [(page: Int, key: Int)] = []
        for (pageIndex, pageTags) in mcidTags.enumerated() where !pageTags.isEmpty && pageIndex < pages.count {
            let page = pages[pageIndex]
            var parents: [PDFValue] = []
            parents.reserveCapacity(pageTags.count)
            for (mcid, tag) in pageTags.enumerated() {
                let element = tag >= 0 && tag < tags.count ? elementOfTag[tag] : -1
                guard element >= 0 else {
                    parents.append(.null)
                    continue
                }
                parents.append(.ref(numbers[element]))
                if firstPage[element] < 0 { firstPage[element] = page }
                kids[element].append((firstPage[element] == page ? -1 : page, mcid))
            }
            nums.append(.number(String(pageIndex)))
            nums.append(.array(parents))
            pageKeys.append((page, pageIndex))
        }

        var written = Written(root: rootNumber, objects: [], pageKeys: pageKeys)
        written.body.reserveCapacity((elementCount + tree.made.count) * 80)
        written.bodies.reserveCapacity(elementCount + tree.made.count)
        for element in 0..<elementCount {
            let tag = tags[elementTags[element]]
            let start = written.body.count
            let appended = tree.appended[numbers[element]] ?? []
            Self.writeElement(
                role: tag.role,
                parent: parentNumber[element],
                page: firstPage[element] >= 0 ? firstPage[element] : nil,
                content: kids[element],
                elements: appended,
                attributes: (tag.scope, tag.lang, tag.alt),
                to: &written.body
            )
            written.bodies.append((numbers[element], start, written.body.count))
        }
        for node in tree.made {
            guard let container = structure.containers[node], let number = tree.element(of: node) else { continue }
            let start = written.body.count
            Self.writeElement(
                role: container.role,
                parent: container.parent.flatMap { tree.element(of: $0) } ?? documentNumber,
                page: nil,
                content: [],
                elements: tree.kids[node],
                attributes: (container.scope, container.lang, container.alt),
                to: &written.body
            )
            written.bodies.append((number, start, written.body.count))
        }
        next = tree.next
        var objects: [(Int, PDFValue)] = []
        var document = PDFDictionary()
        document["Type"] = .name("StructElem")
        document["S"] = .name("Document")
        document["P"] = .ref(rootNumber)
        document["K"] = .array(tree.top.map { .ref($0) })
        objects.append((documentNumber, .dictionary(document)))
        var parentTree = PDFDictionary()
        parentTree["Nums"] = .array(nums)
        objects.append((treeNumber, .dictionary(parentTree)))
        var root = PDFDictionary()
        root["Type"] = .name("StructTreeRoot")
        root["K"] = .array([.ref(documentNumber)])
        root["ParentTree"] = .ref(treeNumber)
        root["ParentTreeNextKey"] = .number(String(pages.count))
        objects.append((rootNumber, .dictionary(root)))
        written.objects = objects
        return written
    }

    /// A structure element's dictionary: `content` (MCIDs, on `page` or, with a page, as an
    /// MCR) then the `elements` under it as its `/K`, and its attributes.
    static func writeElement(
        role: String,
        parent: Int,
        page: Int?,
        content: [(page: Int, mcid: Int)],
        elements: [Int],
        attributes: (scope: String?, lang: String?, alt: String?),
        to out: inout [UInt8]
    ) {
        out.append(contentsOf: "<< /Type /StructElem /S /".utf8)
        out.append(contentsOf: role.utf8)
        out.append(contentsOf: " /P ".utf8)
        PDFValue.writeReference(parent, to: &out)
        if let page {
            out.append(contentsOf: " /Pg ".utf8)
            PDFValue.writeReference(page, to: &out)
        }
        let count = content.count + elements.count
        if count > 0 {
            out.append(contentsOf: " /K ".utf8)
            if count > 1 { out.append(0x5B) }
            var first = true
            for kid in content {
                if !first { out.append(0x20) }
                first = false
                if kid.page < 0 {
                    PDFValue.writeDecimal(kid.mcid, to: &out)
                } else {
                    out.append(contentsOf: "<< /Type /MCR /Pg ".utf8)
                    PDFValue.writeReference(kid.page, to: &out)
                    out.append(contentsOf: " /MCID ".utf8)
                    PDFValue.writeDecimal(kid.mcid, to: &out)
                    out.append(contentsOf: " >>".utf8)
                }
            }
            for element in elements {
                if !first { out.append(0x20) }
                first = false
                PDFValue.writeReference(element, to: &out)
            }
            if count > 1 { out.append(0x5D) }
        }
        if attributes.scope != nil || !(attributes.lang ?? "").isEmpty || !(attributes.alt ?? "").isEmpty {
            var dictionary = PDFDictionary()
            StructureRepair.attributes(of: attributes.scope, attributes.lang, attributes.alt, into: &dictionary)
            for entry in dictionary.entries {
                out.append(contentsOf: " /".utf8)
                out.append(contentsOf: entry.key.utf8)
                out.append(0x20)
                entry.value.write(to: &out)
            }
        }
        out.append(contentsOf: " >>".utf8)
    }
}

/// The elements above the content — a table, its rows and cells, a list and its items, a
/// section (`StructureContainer`) — as `StructureWriter` and `StructureRepair` make them: each
/// when its first content comes, attached to its parent (made the same way) or to the top, its
/// kids in drawing order. A node that also holds content is one element, its own
/// (`own[node]`): the elements under it are appended after its content (`appended`).
struct ContainerTree {
    let containers: [Int: StructureContainer]
    /// For each node that holds content, its element's number; -1 for the others.
    let own: [Int]
    /// Each node's element once made (or its own once attached); -1 before.
    private(set) var number: [Int]
    /// The nodes whose element is made here, in the order made.
    private(set) var made: [Int] = []
    /// The kids of each node made here.
    private(set) var kids: [[Int]]
    /// The elements under a node's own element, by that element's number.
    private(set) var appended: [Int: [Int]] = [:]
    /// The elements under the top (the Document element), in order.
    private(set) var top: [Int] = []
    /// Numbers for the elements made.
    var next: Int
    private var ownAttached = Set<Int>()
    private let ownNumbers: Set<Int>

    init(containers: [Int: StructureContainer], own: [Int], next: Int) {
        self.containers = containers
        self.own = own
        self.next = next
        number = [Int](repeating: -1, count: own.count)
        kids = [[Int]](repeating: [], count: own.count)
        ownNumbers = Set(own.filter { $0 >= 0 })
    }

    /// The element of `node`, made (and attached) when first asked for; nil for a node that is
    /// not a container.
    mutating func element(of node: Int, depth: Int = 0) -> Int? {
        guard node >= 0, node < number.count else { return nil }
        if number[node] >= 0 { return number[node] }
        guard depth < 512, let container = containers[node] else { return nil }
        let element: Int
        if own[node] >= 0 {
            element = own[node]
        } else {
            element = next
            next += 1
            made.append(node)
        }
        number[node] = element
        attach(element, to: container.parent, depth: depth + 1)
        return element
    }

    /// Puts element `element` under the element of node `parent` (the top when nil); a node's own
    /// element only once.
    mutating func attach(_ element: Int, to parent: Int?, depth: Int = 0) {
        if ownNumbers.contains(element) {
            guard ownAttached.insert(element).inserted else { return }
        }
        if let parent, let parentElement = self.element(of: parent, depth: depth) {
            if own[parent] >= 0 {
                appended[parentElement, default: []].append(element)
            } else {
                kids[parent].append(element)
            }
        } else {
            top.append(element)
        }
    }

    /// The elements made here: `(number, dictionary)`, their parent the element of theirs or
    /// `topNumber` (written as `StructureWriter` writes them, and read back: for
    /// `StructureRepair`, whose objects stay readable through the overlay).
    mutating func madeElements(top topNumber: Int) throws -> [(Int, PDFValue)] {
        var objects: [(Int, PDFValue)] = []
        objects.reserveCapacity(made.count)
        var body: [UInt8] = []
        for node in made {
            guard let container = containers[node] else { continue }
            body.removeAll(keepingCapacity: true)
            StructureWriter.writeElement(
                role: container.role,
                parent: container.parent.flatMap { element(of: $0) } ?? topNumber,
                page: nil,
                content: [],
                elements: kids[node],
                attributes: (container.scope, container.lang, container.alt),
                to: &body
            )
            var parser = PDFValueParser(body)
            objects.append((number[node], try parser.value()))
        }
        return objects
    }
}
