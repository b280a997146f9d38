import Foundation

/// A shared page (`SharedPage`) made once: its content stream, the objects its resources need
/// (fonts with their programs and ToUnicode maps, graphics states, images), its structure
/// elements, and what the render report and the outline need. Taken from a one-page PDF that
/// went through the same renderer and post-processor as every document (artifacts marked,
/// structure repaired), so what is joined into a document is already what PDF/UA-1 and
/// PDF/A-2u ask for.
///
/// Object references inside `objects` and `resources` are local: `.ref(i)` is `objects[i]`.
struct SharedPageContent {
    enum Object {
        case plain(PDFValue)
        /// A stream: its dictionary (without `/Length`) and its encoded bytes.
        case stream(PDFDictionary, [UInt8])
    }

    /// One structure element: its dictionary without `/P`, `/Pg` and `/K`, and its kids.
    struct Element {
        enum Kid {
            case mcid(Int)
            case element(Int)
        }
        var dictionary: PDFDictionary
        var kids: [Kid]
    }

    /// The page's content, wrapped in `q … Q`, resource names renamed (`renamed`), deflated.
    var content: [UInt8]
    var objects: [Object]
    /// `objects` and then the content stream, written out once: each object's body with the
    /// places of its references (local indices), filled with numbers when joined.
    var templates: [Template] = []

    struct Template {
        var bytes: [UInt8]
        var refs: [(offset: Int, number: Int)]

        /// The body with each local reference `i` written as `base + i`.
        func filled(base: Int) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + refs.count * 8)
            var copied = 0
            for (offset, index) in refs {
                out.append(contentsOf: bytes[copied..<offset])
                PDFValue.writeReference(base + index, to: &out)
                copied = offset
            }
            out.append(contentsOf: bytes[copied...])
            return out
        }
    }
    /// Resource category (`Font`, `ExtGState`, …) → entries under their new names.
    var resources: [(category: String, entries: [(name: String, value: PDFValue)])]
    var elements: [Element]
    /// The elements under the document's `Document` element, in order.
    var topLevel: [Int]
    /// For each MCID of the content (0, 1, …), the element that holds it.
    var mcidParents: [Int?]
    /// What the render report and the outline need (filled in by the engine).
    var outline: [OutlineEntry] = []
    var fonts: [String] = []
    var missingCharacters: [String] = []
    var warnings: [String] = []

    /// The prefix of the shared page's resource names in a document (Cairo names its own
    /// `f-0-0`, `a0`, `x5`, `p5`, `s5`: a name with this prefix is never one of them).
    static let renamedPrefix = "CDs"

    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }
}

/// Making a `SharedPageContent` from a PDF, and joining one into a document: written by hand
/// over `PDFSyntax` because no PDF library here can join at the object level without rewriting
/// the whole file (qpdf's `--pages` copies pages but drops the structure tree; pikepdf is
/// Python).
enum SharedPageGraft {
    /// The shared page of `pdf` (Cairo's output for a one-page document, before
    /// post-processing) with the post-processor's repairs applied.
    static func extract(_ bytes: [UInt8], structure: RenderedStructure) throws -> SharedPageContent {
        let file = try CairoFile(bytes)
        let reader = file.reader
        guard let catalog = try reader.value(file.root).dictionaryValue else {
            throw SharedPageContent.Unsupported(description: "the catalog is not a dictionary")
        }
        var overlay = PDFObjectOverlay(reader: reader)
        var next = file.size
        overlay.apply(try StructureRepair.repair(reader, catalog: catalog, structure: structure, next: &next))
        let pages = try PDFPostProcessor.pages(reader, catalog: catalog)
        for (number, value) in try PDFPostProcessor.pageRepairs(reader, pages: pages) {
            overlay.objects[number] = value
        }
        guard pages.count == 1, let (_, page) = pages.first else {
            throw SharedPageContent.Unsupported(description: "a shared page must be one page (\(pages.count))")
        }
        guard page["Annots"] == nil else {
            throw SharedPageContent.Unsupported(description: "a shared page cannot hold links")
        }

        // Resources: every object they reach, numbered locally; names prefixed.
        var local: [Int: Int] = [:]
        var objects: [SharedPageContent.Object] = []
        func copy(_ value: PDFValue, depth: Int) throws -> PDFValue {
            guard depth < 64 else { throw SharedPageContent.Unsupported(description: "resources nest too deep") }
            switch value {
            case .ref(let number):
                if let index = local[number] { return .ref(index) }
                let index = objects.count
                local[number] = index
                objects.append(.plain(.null))
                if let (dictionary, data) = try? reader.stream(number) {
                    var copied = try copy(.dictionary(dictionary), depth: depth + 1).dictionaryValue ?? PDFDictionary()
                    copied["Length"] = nil
                    if copied["Filter"] == .name("FlateDecode"),
                        let compressed = try Flate.recompressed(data, level: PDFPostProcessor.onceLevel)
                    {
                        objects[index] = .stream(copied, compressed)
                    } else {
                        objects[index] = .stream(copied, Array(data))
                    }
                } else {
                    objects[index] = .plain(try copy(try overlay.value(number), depth: depth + 1))
                }
                return .ref(index)
            case .array(let values):
                return .array(try values.map { try copy($0, depth: depth + 1) })
            case .dictionary(var dictionary):
                for index in dictionary.entries.indices {
                    dictionary.entries[index].value = try copy(dictionary.entries[index].value, depth: depth + 1)
                }
                return .dictionary(dictionary)
            default:
                return value
            }
        }
        let pageResources = try overlay.resolved(page["Resources"])?.dictionaryValue ?? PDFDictionary()
        var resources: [(category: String, entries: [(name: String, value: PDFValue)])] = []
        var renames: [String: String] = [:]
        for category in pageResources.entries where category.key != "ProcSet" {
            guard let entries = try overlay.resolved(category.value)?.dictionaryValue else { continue }
            var copied: [(name: String, value: PDFValue)] = []
            for entry in entries.entries {
                let name = SharedPageContent.renamedPrefix + entry.key
                renames[entry.key] = name
                copied.append((name, try copy(entry.value, depth: 0)))
            }
            resources.append((category.key, copied))
        }

        // The content: artifacts marked (as in every document), names renamed, in q … Q.
        var content: [UInt8] = Array("q\n".utf8)
        for stream in page["Contents"]?.elements ?? [] {
            guard let number = stream.reference else { continue }
            let decoded = try reader.decodedStream(number)
            let marked = try ContentArtifacts.markArtifacts(decoded, pagination: false) ?? decoded
            content += try renamed(marked, renames)
            content.append(0x0A)
        }
        content += Array("Q\n".utf8)

        // The structure: the Document element's subtree.
        var elements: [SharedPageContent.Element] = []
        var mcidParents: [Int: Int] = [:]
        var seen = Set<Int>()
        func element(_ number: Int, depth: Int) throws -> Int? {
            guard depth < 512, seen.insert(number).inserted,
                let dictionary = try overlay.value(number).dictionaryValue,
                dictionary["Type"] == .name("StructElem")
            else { return nil }
            let index = elements.count
            var own = dictionary
            for key in ["P", "Pg", "K"] { own[key] = nil }
            elements.append(.init(dictionary: own, kids: []))
            var kids: [SharedPageContent.Element.Kid] = []
            for kid in dictionary["K"]?.elements ?? [] {
                switch kid {
                case .number(let text):
                    guard let mcid = Int(text) else { continue }
                    kids.append(.mcid(mcid))
                    mcidParents[mcid] = index
                case .ref(let child):
                    if let childIndex = try element(child, depth: depth + 1) { kids.append(.element(childIndex)) }
                case .dictionary(let reference) where reference["Type"] == .name("MCR"):
                    guard let mcid = reference["MCID"]?.integer else { continue }
                    kids.append(.mcid(mcid))
                    mcidParents[mcid] = index
                default:
                    throw SharedPageContent.Unsupported(description: "a structure element holds an object reference")
                }
            }
            elements[index].kids = kids
            return index
        }
        var topLevel: [Int] = []
        if let rootNumber = catalog["StructTreeRoot"]?.reference,
            let root = try overlay.value(rootNumber).dictionaryValue
        {
            var children: [PDFValue] = root["K"]?.elements ?? []
            if let first = children.first?.reference, children.count == 1,
                try overlay.value(first).dictionaryValue?["S"] == .name("Document")
            {
                children = try overlay.value(first).dictionaryValue?["K"]?.elements ?? []
            }
            for child in children {
                if let number = child.reference, let index = try element(number, depth: 0) { topLevel.append(index) }
            }
        }
        let mcidCount = (mcidParents.keys.max() ?? -1) + 1
        var shared = SharedPageContent(
            content: try Flate.deflate(content, level: PDFPostProcessor.onceLevel),
            objects: objects,
            resources: resources,
            elements: elements,
            topLevel: topLevel,
            mcidParents: (0..<mcidCount).map { mcidParents[$0] }
        )
        var contentDictionary = PDFDictionary()
        contentDictionary["Filter"] = .name("FlateDecode")
        for object in objects + [.stream(contentDictionary, shared.content)] {
            var bytes: [UInt8] = []
            var refs: [(offset: Int, number: Int)]? = []
            switch object {
            case .plain(let value):
                value.write(to: &bytes, refs: &refs)
            case .stream(var dictionary, let data):
                dictionary["Length"] = .number(String(data.count))
                dictionary.write(to: &bytes, refs: &refs)
                bytes.append(contentsOf: "\nstream\n".utf8)
                bytes.append(contentsOf: data)
                bytes.append(contentsOf: "\nendstream".utf8)
            }
            shared.templates.append(.init(bytes: bytes, refs: refs ?? []))
        }
        return shared
    }

    /// `content` with every name in `renames` replaced (a name token, wherever it is: Cairo's
    /// resource names never collide with a tag or key name). Inline images are not read.
    static func renamed(_ content: [UInt8], _ renames: [String: String]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.count + content.count / 16)
        var parser = PDFValueParser(content)
        var copied = 0
        while true {
            parser.skipWhitespace()
            guard parser.position < content.count else { break }
            let start = parser.position
            switch content[start] {
            case 0x2F:  // a name
                parser.position += 1
                let name = parser.regularToken()
                if let replacement = renames[name] {
                    out += content[copied..<start + 1]
                    out += Array(replacement.utf8)
                    copied = parser.position
                }
            case 0x28:
                parser.position = try PDFValueParser.literalStringEnd(content, from: start, to: content.count)
            case 0x3C:
                if start + 1 < content.count, content[start + 1] == 0x3C {
                    parser.position += 2
                } else {
                    guard let close = content[start...].firstIndex(of: 0x3E) else {
                        throw SharedPageContent.Unsupported(description: "content stream: unterminated hex string")
                    }
                    parser.position = close + 1
                }
            case 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x29:
                parser.position += 1
            default:
                let token = parser.regularToken()
                if token == "ID" || token == "BI" {
                    throw SharedPageContent.Unsupported(description: "a shared page cannot hold inline images")
                }
                if parser.position == start { parser.position += 1 }
            }
        }
        out += content[copied...]
        return out
    }

    /// Joins `shared` into page `pageNumber` of a document: its objects under new numbers
    /// (`next`, counted up), the page's content stream first and its resources merged, its
    /// structure elements under the `Document` element at `kidIndex`, its marked content in the
    /// parent tree under a new `/StructParents` key. Reads and writes through `overlay`; returns
    /// the shared page's objects written out (number, body).
    /// A shared page's objects already in the document (a print file shows one shared page on
    /// many pages: its content stream and resources are written once).
    struct Joined {
        var base: Int
        var content: Int
    }

    static func graft(
        _ shared: SharedPageContent,
        page pageNumber: Int,
        kidIndex: Int,
        catalog: PDFDictionary,
        tagged: Bool = true,
        joined: inout Joined?,
        overlay: inout PDFObjectOverlay,
        next: inout Int
    ) throws -> [(Int, [UInt8])] {
        if !tagged, let joined {
            // The objects are there: the page points at them.
            try joinPage(
                shared,
                page: pageNumber,
                base: joined.base,
                content: joined.content,
                key: nil,
                overlay: &overlay
            )
            return []
        }
        // The objects, then the content stream (the last template).
        let base = next
        next += shared.templates.count
        let contentNumber = base + shared.objects.count
        let streams = shared.templates.enumerated().map { (base + $0.offset, $0.element.filled(base: base)) }
        joined = Joined(base: base, content: contentNumber)
        guard tagged else {
            try joinPage(shared, page: pageNumber, base: base, content: contentNumber, key: nil, overlay: &overlay)
            return streams
        }

        // The structure tree: the parent tree and the Document element.
        guard let rootNumber = catalog["StructTreeRoot"]?.reference,
            var root = try overlay.value(rootNumber).dictionaryValue
        else { throw SharedPageContent.Unsupported(description: "the document has no structure tree") }
        guard let page = try overlay.value(pageNumber).dictionaryValue else {
            throw SharedPageContent.Unsupported(description: "the page is not a dictionary")
        }
        let treeValue = root["ParentTree"] ?? .dictionary(PDFDictionary())
        guard var tree = try overlay.resolved(treeValue)?.dictionaryValue, tree["Kids"] == nil else {
            throw SharedPageContent.Unsupported(description: "the parent tree has kids")
        }
        var nums = tree["Nums"]?.elements ?? []
        var keys: [Int] = []
        for index in stride(from: 0, to: nums.count - 1, by: 2) { keys.append(nums[index].integer ?? -1) }
        let key: Int
        if let existing = page["StructParents"]?.integer {
            if let at = keys.firstIndex(of: existing), !(try overlay.resolved(nums[2 * at + 1])?.elements ?? []).isEmpty
            {
                throw SharedPageContent.Unsupported(description: "the page already holds tagged content")
            }
            key = existing
        } else {
            key = max(root["ParentTreeNextKey"]?.integer ?? 0, (keys.max() ?? -1) + 1)
        }

        var parent: Int = rootNumber
        var documentKids = root["K"]?.elements ?? []
        var documentElement: PDFDictionary?
        for kid in documentKids {
            if let number = kid.reference, let element = try overlay.value(number).dictionaryValue,
                element["S"] == .name("Document")
            {
                parent = number
                documentElement = element
                documentKids = element["K"]?.elements ?? []
                break
            }
        }

        let first = next
        next += shared.elements.count
        for (index, element) in shared.elements.enumerated() {
            var dictionary = element.dictionary
            dictionary["P"] = .ref(parent)
            dictionary["Pg"] = .ref(pageNumber)
            let kids: [PDFValue] = element.kids.map {
                switch $0 {
                case .mcid(let mcid): return .number(String(mcid))
                case .element(let child): return .ref(first + child)
                }
            }
            if !kids.isEmpty { dictionary["K"] = kids.count == 1 ? kids[0] : .array(kids) }
            overlay.objects[first + index] = .dictionary(dictionary)
        }
        // Children's parents: their element, not the Document.
        for (index, element) in shared.elements.enumerated() {
            for case .element(let child) in element.kids {
                if var dictionary = overlay.objects[first + child]?.dictionaryValue {
                    dictionary["P"] = .ref(first + index)
                    overlay.objects[first + child] = .dictionary(dictionary)
                }
            }
        }
        let insertAt = min(max(0, kidIndex), documentKids.count)
        documentKids.insert(contentsOf: shared.topLevel.map { .ref(first + $0) }, at: insertAt)
        if var element = documentElement {
            element["K"] = .array(documentKids)
            overlay.objects[parent] = .dictionary(element)
        } else {
            root["K"] = .array(documentKids)
        }

        let parents = PDFValue.array(shared.mcidParents.map { $0.map { .ref(first + $0) } ?? .null })
        if let at = keys.firstIndex(of: key) {
            nums[2 * at + 1] = parents
        } else {
            let position = keys.firstIndex { $0 > key } ?? keys.count
            nums.insert(contentsOf: [.number(String(key)), parents], at: 2 * position)
        }
        tree["Nums"] = .array(nums)
        if let treeNumber = treeValue.reference {
            overlay.objects[treeNumber] = .dictionary(tree)
        } else {
            root["ParentTree"] = .dictionary(tree)
        }
        if root["ParentTreeNextKey"] != nil || root["ParentTree"] != nil {
            root["ParentTreeNextKey"] = .number(String(max(root["ParentTreeNextKey"]?.integer ?? 0, key + 1)))
        }
        overlay.objects[rootNumber] = .dictionary(root)

        try joinPage(shared, page: pageNumber, base: base, content: contentNumber, key: key, overlay: &overlay)
        return streams
    }

    /// The page: the shared content first (under the running header and footer), the resources
    /// merged, its parent tree key (when tagged).
    static func joinPage(
        _ shared: SharedPageContent,
        page pageNumber: Int,
        base: Int,
        content contentNumber: Int,
        key: Int?,
        overlay: inout PDFObjectOverlay
    ) throws {
        guard var page = try overlay.value(pageNumber).dictionaryValue else {
            throw SharedPageContent.Unsupported(description: "the page is not a dictionary")
        }
        var resources = try overlay.resolved(page["Resources"])?.dictionaryValue ?? PDFDictionary()
        for (category, entries) in shared.resources {
            var merged = try overlay.resolved(resources[category])?.dictionaryValue ?? PDFDictionary()
            for (name, value) in entries { merged[name] = remapped(value, base: base) }
            resources[category] = .dictionary(merged)
        }
        page["Resources"] = .dictionary(resources)
        page["Contents"] = .array([.ref(contentNumber)] + (page["Contents"]?.elements ?? []))
        if let key { page["StructParents"] = .number(String(key)) }
        overlay.objects[pageNumber] = .dictionary(page)
    }

    /// A shared page's value with its local references (`.ref(i)`) made `base + i`.
    static func remapped(_ value: PDFValue, base: Int) -> PDFValue {
        switch value {
        case .ref(let index): return .ref(base + index)
        case .array(let values): return .array(values.map { remapped($0, base: base) })
        case .dictionary(var dictionary):
            for index in dictionary.entries.indices {
                dictionary.entries[index].value = remapped(dictionary.entries[index].value, base: base)
            }
            return .dictionary(dictionary)
        default: return value
        }
    }
}

/// Cairo's output opened: the reader over its xref table and the trailer's `/Root`, `/Size`,
/// `/Info` and where the xref starts.
struct CairoFile {
    let reader: PDFObjectReader
    let root: Int
    let size: Int
    let info: Int?
    let xrefOffset: Int
    let trailer: String

    init(_ bytes: [UInt8]) throws {
        guard let startxrefPos = PDFPostProcessor.lastIndex(of: "startxref", in: bytes) else {
            throw TypesettingError.pdf("no startxref in Cairo's output")
        }
        let afterStart = String(decoding: bytes[(startxrefPos + 9)...].prefix(40), as: UTF8.self)
        guard
            let xrefOffset = Int(
                afterStart.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == " " }).first ?? ""
            )
        else {
            throw TypesettingError.pdf("cannot read startxref")
        }
        guard let trailerPos = PDFPostProcessor.lastIndex(of: "trailer", in: bytes) else {
            throw TypesettingError.pdf("no trailer in Cairo's output")
        }
        let trailer = String(decoding: bytes[trailerPos..<startxrefPos], as: UTF8.self)
        guard let root = PDFPostProcessor.reference(named: "Root", in: trailer),
            let size = PDFPostProcessor.integer(named: "Size", in: trailer)
        else {
            throw TypesettingError.pdf("trailer has no /Root or /Size")
        }
        self.root = root
        self.size = size
        self.info = PDFPostProcessor.reference(named: "Info", in: trailer)
        self.xrefOffset = xrefOffset
        self.trailer = trailer
        self.reader = PDFObjectReader(bytes: bytes, offsets: try PDFPostProcessor.xrefOffsets(bytes, at: xrefOffset))
    }
}

/// Objects read from Cairo's output, with the ones the post-processor replaced or added.
struct PDFObjectOverlay {
    let reader: PDFObjectReader
    var objects: [Int: PDFValue] = [:]
    /// Dictionaries whose only change is their `/P` (structure elements given their parent):
    /// the file writer copies Cairo's bytes with the reference changed.
    var parents: [Int: Int] = [:]

    func value(_ number: Int) throws -> PDFValue {
        if let value = objects[number] { return value }
        let value = try reader.value(number)
        if let parent = parents[number], var dictionary = value.dictionaryValue {
            dictionary["P"] = .ref(parent)
            return .dictionary(dictionary)
        }
        return value
    }

    mutating func apply(_ repairs: StructureRepair.Repairs) {
        for (number, value) in repairs.objects { objects[number] = value }
        for (number, parent) in repairs.parents where objects[number] == nil { parents[number] = parent }
    }

    /// The value, or the object it refers to.
    func resolved(_ value: PDFValue?) throws -> PDFValue? {
        guard let value else { return nil }
        if let number = value.reference { return try self.value(number) }
        return value
    }
}
