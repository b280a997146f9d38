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
        var objects: [(Int, PDFValue)]
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

        // The elements above, each made when its first content comes (or, a node that also
        // holds content, its own element), and the Document's kids, in drawing order.
        var containerNumber = [Int](repeating: -1, count: nodeBound)
        var containers: [Int] = []
        var containerKids = [[PDFValue]](repeating: [], count: nodeBound)
        var appendedKids = [[PDFValue]](repeating: [], count: elementCount)
        var topKids: [PDFValue] = []
        func element(ofContainer node: Int, depth: Int) -> Int? {
            guard node >= 0, node < nodeBound else { return nil }
            if containerNumber[node] >= 0 { return containerNumber[node] }
            guard depth < 512, let container = structure.containers[node] else { return nil }
            let number: Int
            if elementOfNode[node] >= 0 {
                number = numbers[elementOfNode[node]]
            } else {
                number = next
                next += 1
                containers.append(node)
            }
            containerNumber[node] = number
            attach(number, to: container.parent, depth: depth + 1)
            return number
        }
        func attach(_ number: Int, to parent: Int?, depth: Int) {
            if let parent, element(ofContainer: parent, depth: depth) != nil {
                if elementOfNode[parent] >= 0 {
                    appendedKids[elementOfNode[parent]].append(.ref(number))
                } else {
                    containerKids[parent].append(.ref(number))
                }
            } else {
                topKids.append(.ref(number))
            }
        }
        var parentNumber = [Int](repeating: documentNumber, count: elementCount)
        for index in 0..<elementCount {
            let tag = tags[elementTags[index]]
            attach(numbers[index], to: tag.parent, depth: 0)
            if let parent = tag.parent, let number = element(ofContainer: parent, depth: 0) {
                parentNumber[index] = number
            }
        }

        // Marked content: each element's, page by page; the parent tree.
        var kids = [[PDFValue]](repeating: [], count: elementCount)
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
                if firstPage[element] == page {
                    kids[element].append(.number(String(mcid)))
                } else {
                    var reference = PDFDictionary()
                    reference["Type"] = .name("MCR")
                    reference["Pg"] = .ref(page)
                    reference["MCID"] = .number(String(mcid))
                    kids[element].append(.dictionary(reference))
                }
            }
            nums.append(.number(String(pageIndex)))
            nums.append(.array(parents))
            pageKeys.append((page, pageIndex))
        }

        var objects: [(Int, PDFValue)] = []
        objects.reserveCapacity(elementCount + containers.count + 3)
        for element in 0..<elementCount {
            let tag = tags[elementTags[element]]
            var dictionary = PDFDictionary()
            dictionary.entries.reserveCapacity(7)
            dictionary["Type"] = .name("StructElem")
            dictionary["S"] = .name(tag.role)
            dictionary["P"] = .ref(parentNumber[element])
            if firstPage[element] >= 0 { dictionary["Pg"] = .ref(firstPage[element]) }
            let all = kids[element] + appendedKids[element]
            if !all.isEmpty { dictionary["K"] = all.count == 1 ? all[0] : .array(all) }
            StructureRepair.attributes(of: tag.scope, tag.lang, tag.alt, into: &dictionary)
            objects.append((numbers[element], .dictionary(dictionary)))
        }
        for node in containers {
            guard let container = structure.containers[node] else { continue }
            var dictionary = PDFDictionary()
            dictionary.entries.reserveCapacity(6)
            dictionary["Type"] = .name("StructElem")
            dictionary["S"] = .name(container.role)
            dictionary["P"] = .ref(container.parent.flatMap { element(ofContainer: $0, depth: 0) } ?? documentNumber)
            let kids = containerKids[node]
            if !kids.isEmpty { dictionary["K"] = kids.count == 1 ? kids[0] : .array(kids) }
            StructureRepair.attributes(of: container.scope, container.lang, container.alt, into: &dictionary)
            objects.append((containerNumber[node], .dictionary(dictionary)))
        }
        var document = PDFDictionary()
        document["Type"] = .name("StructElem")
        document["S"] = .name("Document")
        document["P"] = .ref(rootNumber)
        document["K"] = .array(topKids)
        objects.append((documentNumber, .dictionary(document)))
        var tree = PDFDictionary()
        tree["Nums"] = .array(nums)
        objects.append((treeNumber, .dictionary(tree)))
        var root = PDFDictionary()
        root["Type"] = .name("StructTreeRoot")
        root["K"] = .array([.ref(documentNumber)])
        root["ParentTree"] = .ref(treeNumber)
        root["ParentTreeNextKey"] = .number(String(pages.count))
        objects.append((rootNumber, .dictionary(root)))
        return Written(root: rootNumber, objects: objects, pageKeys: pageKeys)
    }
}
