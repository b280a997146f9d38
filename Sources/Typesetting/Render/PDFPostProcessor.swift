import CLibDeflate
import Foundation

/// Fixes what Cairo 1.16 cannot write, writing its output anew: the
/// document language (`/Lang` in the catalog), a complete `CreationDate`/`ModDate` with time
/// zone, `DisplayDocTitle` so viewers show the title rather than the file name, an XMP
/// metadata stream (`XMPPacket`: title, language, dates, producer, and the conformance claims
/// asked for) referenced as the catalog's `/Metadata`, and what PDF/UA-1 and PDF/A-2u need
/// beyond that: each element's marked content written into the page content streams
/// (`ContentMarks`, when the renderer opened no Cairo tag) and untagged painting marked as
/// artifacts (`ContentArtifacts`), the structure tree with one element per layout node, `/Alt`
/// and `/Scope` (`StructureWriter`; `StructureRepair` completes Cairo's when Cairo tagged),
/// `/Tabs /S` on pages with annotations, and (with the PDF/A claim) an sRGB output intent.
///
/// Cairo writes a classic cross-reference table and plain dictionaries for the catalog and the
/// document information, so the post-processor reads those two objects (`PDFSyntax`), amends
/// them, and writes the file again: Cairo's objects in Cairo's order, each repaired one in its
/// place and each stream compressed once (Cairo writes them stored while the renderer runs, see
/// CCairoDeflate), then the added objects, one xref table and a trailer. `qpdf --check` stays
/// clean.
public enum PDFPostProcessor {
    static func finish(
        _ pdf: Data,
        language: String,
        metadata: Metadata,
        structure: RenderedStructure? = nil,
        claims: XMPPacket.Claims = []
    ) throws -> Data {
        try finishReporting([UInt8](pdf), language: language, metadata: metadata, structure: structure, claims: claims)
            .pdf
    }

    /// `finish`, with notes for the render report: when the structure tree Cairo wrote does not
    /// match the tags opened (see `StructureRepair`), the tree is left as written and the file
    /// does not claim PDF/UA.
    static func finishReporting(
        _ bytes: [UInt8],
        language: String,
        metadata: Metadata,
        structure: RenderedStructure? = nil,
        claims requested: XMPPacket.Claims = [],
        sharedPages: [SharedPageKey: SharedPageContent] = [:]
    ) throws -> (pdf: Data, notes: [String]) {
        var claims = requested
        var notes: [String] = []
        let file = try CairoFile(bytes)
        let (root, size, info, xrefOffset, trailer) = (file.root, file.size, file.info, file.xrefOffset, file.trailer)

        // Structure, annotations and content streams, repaired before the XMP packet says what
        // the file conforms to.
        var overlay = PDFObjectOverlay(reader: file.reader)
        let infoNumber = info ?? size
        let metadataNumber = max(size, infoNumber + 1)
        let profileNumber = metadataNumber + 1
        // Objects added (structure elements, shared pages' objects) are numbered after these.
        var next = profileNumber + 1
        var repairedStreams: [(Int, [UInt8])] = []
        var pageList: [(Int, PDFDictionary)] = []
        var catalogValue = PDFDictionary()
        var writtenRoot: Int?
        var structureBodies: (body: [UInt8], objects: [(number: Int, start: Int, end: Int)]) = ([], [])
        if let structure, !structure.tagged, !structure.sharedPages.isEmpty {
            // A print file: no structure to repair; the pages, for the shared pages.
            guard let catalog = try file.reader.value(root).dictionaryValue else {
                throw TypesettingError.pdf("the catalog is not a dictionary")
            }
            catalogValue = catalog
            pageList = try pages(file.reader, catalog: catalog)
        } else if let structure, structure.tagged {
            let reader = file.reader
            guard let catalog = try reader.value(root).dictionaryValue else {
                throw TypesettingError.pdf("the catalog is not a dictionary")
            }
            catalogValue = catalog
            if let marks = structure.marks {
                // Drawn without Cairo tags: the marked content and the tree written here.
                pageList = try pages(reader, catalog: catalog)
                for (number, value) in try pageRepairs(reader, pages: pageList) { overlay.objects[number] = value }
                let (streams, mcidTags) = try markedContent(reader, pages: pageList, structure: structure, marks: marks)
                repairedStreams = streams
                let written = StructureWriter.write(
                    structure,
                    pages: pageList.map(\.0),
                    mcidTags: mcidTags,
                    next: &next
                )
                for (number, value) in written.objects { overlay.objects[number] = value }
                structureBodies = (written.body, written.bodies)
                for (number, key) in written.pageKeys {
                    guard var page = try overlay.value(number).dictionaryValue else { continue }
                    page["StructParents"] = .number(String(key))
                    overlay.objects[number] = .dictionary(page)
                }
                catalogValue["StructTreeRoot"] = .ref(written.root)
                writtenRoot = written.root
            } else {
                do {
                    overlay.apply(
                        try StructureRepair.repair(reader, catalog: catalog, structure: structure, next: &next)
                    )
                } catch let mismatch as StructureRepair.Mismatch {
                    claims.remove(.pdfUA1)
                    notes.append(
                        "the structure tree could not be repaired (\(mismatch)); the PDF does not claim PDF/UA-1"
                    )
                }
                pageList = try pages(reader, catalog: catalog)
                for (number, value) in try pageRepairs(reader, pages: pageList) { overlay.objects[number] = value }
                repairedStreams = try contentRepairs(reader, pages: pageList, structure: structure)
            }
        }

        guard var newCatalog = try file.reader.value(root).dictionaryValue else {
            throw TypesettingError.pdf("the catalog is not a dictionary")
        }
        if let writtenRoot { newCatalog["StructTreeRoot"] = .ref(writtenRoot) }
        // A tagged PDF says so (Cairo 1.16 writes `/Marked false` when the first page holds no
        // tagged content).
        if newCatalog["StructTreeRoot"] != nil {
            var markInfo = PDFDictionary()
            markInfo["Marked"] = .bool(true)
            newCatalog["MarkInfo"] = .dictionary(markInfo)
        }
        // Shared pages joined in.
        var newStreams: [(Int, [UInt8])] = []
        var joined: [SharedPageKey: SharedPageGraft.Joined] = [:]
        for slot in structure?.sharedPages ?? [] {
            guard let shared = sharedPages[slot.key], slot.page < pageList.count else {
                throw SharedPageContent.Unsupported(description: "shared page \(slot.page + 1) has no content")
            }
            newStreams += try SharedPageGraft.graft(
                shared,
                page: pageList[slot.page].0,
                kidIndex: slot.kidIndex,
                catalog: catalogValue,
                tagged: structure?.tagged ?? true,
                joined: &joined[slot.key],
                overlay: &overlay,
                next: &next
            )
        }
        newCatalog["Lang"] = .string(Array(pdfString(language).utf8))
        var viewer = PDFDictionary()
        viewer["DisplayDocTitle"] = .bool(true)
        newCatalog["ViewerPreferences"] = .dictionary(viewer)
        newCatalog["Metadata"] = .ref(metadataNumber)
        if claims.contains(.pdfA2u) {
            var intent = PDFDictionary()
            intent["Type"] = .name("OutputIntent")
            intent["S"] = .name("GTS_PDFA1")
            intent["OutputConditionIdentifier"] = .string(Array("(sRGB IEC61966-2.1)".utf8))
            intent["RegistryName"] = .string(Array("(http://www.color.org)".utf8))
            intent["Info"] = .string(Array("(sRGB IEC61966-2.1)".utf8))
            intent["DestOutputProfile"] = .ref(profileNumber)
            newCatalog["OutputIntents"] = .array([.dictionary(intent)])
        }

        let creation = metadata.creationDate ?? Date()
        let date = Array(pdfString(pdfDate(creation)).utf8)
        var infoDictionary = PDFDictionary()
        infoDictionary["Producer"] = .string(Array("(CareDocs with cairo)".utf8))
        if let info, let written = try file.reader.value(info).dictionaryValue { infoDictionary = written }
        infoDictionary["CreationDate"] = .string(date)
        infoDictionary["ModDate"] = .string(date)
        var producer: String?
        if case .string(let raw)? = infoDictionary["Producer"] {
            producer = literalString(named: "Producer", in: "/Producer " + String(decoding: raw, as: UTF8.self))
        }
        overlay.objects[root] = .dictionary(newCatalog)
        overlay.objects[infoNumber] = .dictionary(infoDictionary)
        // The XMP packet repeats the document information (PDF/A requires the two to agree):
        // the producer as Cairo wrote it, the rest from the document's metadata as Cairo got it.
        let packet = XMPPacket(
            title: metadata.title.map(PDFRenderer.metadataText),
            language: language,
            author: metadata.author.map(PDFRenderer.metadataText),
            subject: metadata.subject.map(PDFRenderer.metadataText),
            keywords: metadata.keywords.isEmpty
                ? [] : [PDFRenderer.metadataText(metadata.keywords.joined(separator: ", "))],
            creatorTool: metadata.creator.map(PDFRenderer.metadataText),
            producer: producer,
            date: creation,
            claims: claims
        )
        let xmp = Array(packet.xml.utf8)

        // The file written anew: Cairo's objects in Cairo's order, each replaced when repaired
        // and each stream Cairo stored compressed (once, here), then the objects added.
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + xmp.count + 4096)
        var offsets: [Int: Int] = [:]
        offsets.reserveCapacity(next + 2)
        let repaired = Dictionary(repairedStreams, uniquingKeysWith: { a, _ in a })
        let cairoObjects = file.reader.offsets.sorted { $0.value < $1.value }
        out.append(contentsOf: bytes[0..<(cairoObjects.first?.value ?? xrefOffset)])
        for (index, (number, start)) in cairoObjects.enumerated() {
            let end = index + 1 < cairoObjects.count ? cairoObjects[index + 1].value : xrefOffset
            offsets[number] = out.count
            if let value = overlay.objects[number] {
                appendObject(number: number, value: value, to: &out)
            } else if let parent = overlay.parents[number] {
                if !appendReplacingParent(bytes[start..<end], parent: parent, to: &out) {
                    appendObject(number: number, value: try overlay.value(number), to: &out)
                }
            } else if let data = repaired[number] {
                appendStream(number: number, dictionary: "/Filter /FlateDecode", data: data, to: &out)
            } else if let (dictionary, data) = try flateStream(file.reader, number, start, end),
                let compressed = try Flate.recompressed(data, level: Self.streamLevel)
            {
                var amended = dictionary
                amended["Length"] = .number(String(compressed.count))
                appendObject(number: number, value: .dictionary(amended), stream: compressed, to: &out)
            } else {
                out.append(contentsOf: bytes[start..<end])
            }
        }
        for (number, value) in overlay.objects.sorted(by: { $0.key < $1.key }) where offsets[number] == nil {
            offsets[number] = out.count
            appendObject(number: number, value: value, to: &out)
        }
        for (number, start, end) in structureBodies.objects {
            offsets[number] = out.count
            PDFValue.writeDecimal(number, to: &out)
            out.append(contentsOf: " 0 obj\n".utf8)
            out.append(contentsOf: structureBodies.body[start..<end])
            out.append(contentsOf: "\nendobj\n".utf8)
        }
        for (number, body) in newStreams {
            offsets[number] = out.count
            out.append(contentsOf: "\(number) 0 obj\n".utf8)
            out.append(contentsOf: body)
            out.append(contentsOf: "\nendobj\n".utf8)
        }
        // Uncompressed, so the packet can be found by scanning the file (PDF/A recommends it).
        offsets[metadataNumber] = out.count
        out.append(
            contentsOf: "\(metadataNumber) 0 obj\n<< /Type /Metadata /Subtype /XML /Length \(xmp.count) >>\nstream\n"
                .utf8
        )
        out.append(contentsOf: xmp)
        out.append(contentsOf: "\nendstream\nendobj\n".utf8)
        if claims.contains(.pdfA2u) {
            offsets[profileNumber] = out.count
            appendStream(
                number: profileNumber,
                dictionary: "/N 3 /Filter /FlateDecode",
                data: Self.sRGBProfile,
                to: &out
            )
        }
        let newSize = (offsets.keys.max() ?? 0) + 1
        let xrefStart = out.count
        out.append(contentsOf: "xref\n0 \(newSize)\n".utf8)
        for number in 0..<newSize {
            if let offset = offsets[number] {
                appendXrefOffset(offset, to: &out)
                out.append(contentsOf: " 00000 n \n".utf8)
            } else {
                out.append(contentsOf: "0000000000 65535 f \n".utf8)
            }
        }
        // The file identifier (PDF/A wants /ID in the trailer): Cairo's if it wrote one (1.16
        // does not), else one made from the bytes Cairo wrote.
        let id = "\n   /ID " + (idArray(in: trailer) ?? fileIdentifier(bytes))
        out.append(
            contentsOf:
                "trailer\n<< /Size \(newSize)\n   /Root \(root) 0 R\n   /Info \(infoNumber) 0 R\(id)\n>>\nstartxref\n\(xrefStart)\n%%EOF\n"
                .utf8
        )
        return (Data(out), notes)
    }

    /// libdeflate's level for a document's own streams (font programs, content): its fastest,
    /// about as small as zlib's level 3. A letter's fonts and content are compressed in about
    /// 0.3 ms; zlib's level 6, as Cairo wrote them, took about 1.2 ms (`bench documents`).
    static let streamLevel: Int32 = 1
    /// For what is compressed once per process (a shared page's objects, the ICC profile) and
    /// then copied into every document: libdeflate's smallest.
    static let onceLevel: Int32 = 12

    /// Object `number` (Cairo's bytes `start..<end`) as a FlateDecode stream, or nil.
    static func flateStream(
        _ reader: PDFObjectReader,
        _ number: Int,
        _ start: Int,
        _ end: Int
    ) throws -> (PDFDictionary, ArraySlice<UInt8>)? {
        // Only an object ending in `endstream` (looked for in its last bytes) is read.
        let tail = Array("endstream".utf8)
        var found = false
        var i = end - tail.count
        while i >= max(start, end - 32) {
            if reader.bytes[i] == tail[0], reader.bytes[i..<i + tail.count].elementsEqual(tail) {
                found = true
                break
            }
            i -= 1
        }
        guard found else { return nil }
        let (dictionary, data) = try reader.stream(number)
        guard dictionary["Filter"] == .name("FlateDecode") else { return nil }
        return (dictionary, data)
    }

    static func appendObject(number: Int, value: PDFValue, stream: [UInt8]? = nil, to out: inout [UInt8]) {
        PDFValue.writeDecimal(number, to: &out)
        out.append(contentsOf: " 0 obj\n".utf8)
        value.write(to: &out)
        if let stream {
            out.append(contentsOf: "\nstream\n".utf8)
            out.append(contentsOf: stream)
            out.append(contentsOf: "\nendstream".utf8)
        }
        out.append(contentsOf: "\nendobj\n".utf8)
    }

    /// An object as Cairo wrote it with its dictionary's `/P` reference (the first `/P n 0 R`:
    /// Cairo writes a structure element's keys one per line, `/P` after `/S`) changed to
    /// `parent`; false, writing nothing, when there is none.
    static func appendReplacingParent(_ object: ArraySlice<UInt8>, parent: Int, to out: inout [UInt8]) -> Bool {
        let end = object.endIndex
        var index = object.startIndex
        while index + 3 < end {
            defer { index += 1 }
            guard object[index] == 0x2F, object[index + 1] == 0x50, object[index + 2] == 0x20 else { continue }
            if index > object.startIndex, !PDFValueParser.isWhitespace(object[index - 1]) { continue }
            var cursor = index + 3
            let digits = cursor
            while cursor < end, object[cursor] >= 0x30, object[cursor] <= 0x39 { cursor += 1 }
            guard cursor > digits, cursor + 4 <= end, object[cursor..<cursor + 4].elementsEqual(" 0 R".utf8) else {
                continue
            }
            out.append(contentsOf: object[object.startIndex..<digits])
            PDFValue.writeDecimal(parent, to: &out)
            out.append(contentsOf: object[cursor..<end])
            return true
        }
        return false
    }

    /// A cross-reference offset: ten digits, zero-padded.
    static func appendXrefOffset(_ offset: Int, to out: inout [UInt8]) {
        var digits = [UInt8](repeating: 0x30, count: 10)
        var rest = offset
        var index = 9
        while rest > 0, index >= 0 {
            digits[index] = 0x30 + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        out.append(contentsOf: digits)
    }

    static func appendStream(number: Int, dictionary: String, data: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: "\(number) 0 obj\n<< \(dictionary) /Length \(data.count) >>\nstream\n".utf8)
        out.append(contentsOf: data)
        out.append(contentsOf: "\nendstream\nendobj\n".utf8)
    }

    /// The sRGB IEC 61966-2.1 profile (`Resources/sRGB.icc`, zlib licence), deflated once.
    static let sRGBProfile: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "sRGB", withExtension: "icc"),
            let data = try? Data(contentsOf: url), let deflated = try? Flate.deflate([UInt8](data), level: onceLevel)
        else { return [] }
        return deflated
    }()

    /// The pages in order (the page tree's leaves).
    static func pages(_ reader: PDFObjectReader, catalog: PDFDictionary) throws -> [(Int, PDFDictionary)] {
        var result: [(Int, PDFDictionary)] = []
        func walk(_ number: Int, depth: Int) throws {
            guard depth < 32, let node = try reader.value(number).dictionaryValue else { return }
            if node["Type"] == .name("Pages") {
                for kid in node["Kids"]?.elements ?? [] {
                    if let kid = kid.reference { try walk(kid, depth: depth + 1) }
                }
            } else {
                result.append((number, node))
            }
        }
        guard let pagesNumber = catalog["Pages"]?.reference else {
            throw TypesettingError.pdf("the catalog has no /Pages")
        }
        try walk(pagesNumber, depth: 0)
        return result
    }

    /// Pages with annotations get `/Tabs /S` (PDF/UA-1 §7.18.3: tab order follows the
    /// structure); link annotations get the print flag (PDF/A-2 §6.3.2) and, when Cairo wrote
    /// none, `/Contents` naming the link (PDF/UA-1 §7.18.5). TrueType CIDFonts get the
    /// `/CIDToGIDMap /Identity` PDF/A-2 asks to be explicit (§6.2.11.3.2; Cairo's subsets number
    /// glyphs so that CID = GID, which is what the absent entry means).
    static func pageRepairs(_ reader: PDFObjectReader, pages: [(Int, PDFDictionary)]) throws -> [(Int, PDFValue)] {
        var objects: [(Int, PDFValue)] = []
        var fontsSeen = Set<Int>()
        for (_, page) in pages {
            let fonts = try fontResources(reader, page)
            for entry in fonts?.entries ?? [] {
                guard let fontNumber = entry.value.reference, fontsSeen.insert(fontNumber).inserted,
                    let font = try reader.value(fontNumber).dictionaryValue, font["Subtype"] == .name("Type0")
                else { continue }
                for descendant in try reader.resolved(font["DescendantFonts"])?.elements ?? [] {
                    guard let cidNumber = descendant.reference, fontsSeen.insert(cidNumber).inserted,
                        var cidFont = try reader.value(cidNumber).dictionaryValue,
                        cidFont["Subtype"] == .name("CIDFontType2"), cidFont["CIDToGIDMap"] == nil
                    else { continue }
                    cidFont["CIDToGIDMap"] = .name("Identity")
                    objects.append((cidNumber, .dictionary(cidFont)))
                }
            }
        }
        for (number, page) in pages {
            guard let annotations = page["Annots"] else { continue }
            var amended = page
            amended["Tabs"] = .name("S")
            if amended != page { objects.append((number, .dictionary(amended))) }
            let list = annotations.reference.map { try? reader.value($0) }.flatMap { $0 } ?? annotations
            for annotation in list.elements {
                guard let annotationNumber = annotation.reference,
                    let dictionary = try reader.value(annotationNumber).dictionaryValue
                else { continue }
                var fixed = dictionary
                fixed["F"] = .number("4")
                if fixed["Contents"] == nil, fixed["Subtype"] == .name("Link"),
                    case .string(let uri)? = fixed["A"]?.dictionaryValue?["URI"]
                {
                    fixed["Contents"] = .string(uri)
                }
                if fixed != dictionary { objects.append((annotationNumber, .dictionary(fixed))) }
            }
        }
        return objects
    }

    /// Every page's content stream with its untagged painting marked as artifacts (deflated).
    static func contentRepairs(
        _ reader: PDFObjectReader,
        pages: [(Int, PDFDictionary)],
        structure: RenderedStructure
    ) throws -> [(Int, [UInt8])] {
        var streams: [(Int, [UInt8])] = []
        for (index, (_, page)) in pages.enumerated() {
            for content in page["Contents"]?.elements ?? [] {
                guard let number = content.reference else { continue }
                let decoded = try reader.decodedStream(number)
                let pagination = index < structure.paginationPages.count && structure.paginationPages[index]
                if let marked = try ContentArtifacts.markArtifacts(
                    decoded,
                    pagination: pagination,
                    onlyPagination: structure.paginationOnlyPages.contains(index)
                ) {
                    streams.append((number, try Flate.deflate(marked, level: streamLevel)))
                }
            }
        }
        return streams
    }

    /// A page's font resources (`/Resources /Font`, through references).
    static func fontResources(_ reader: PDFObjectReader, _ page: PDFDictionary) throws -> PDFDictionary? {
        try reader.resolved(try reader.resolved(page["Resources"])?.dictionaryValue?["Font"])?.dictionaryValue
    }

    /// Every page's content stream with each drawing call's marked content written in
    /// (`ContentMarks`) and the rest marked as artifacts (deflated); and each page's MCIDs' tags.
    static func markedContent(
        _ reader: PDFObjectReader,
        pages: [(Int, PDFDictionary)],
        structure: RenderedStructure,
        marks: [[ContentMark]]
    ) throws -> (streams: [(Int, [UInt8])], mcidTags: [[Int]]) {
        var streams: [(Int, [UInt8])] = []
        var mcidTags: [[Int]] = []
        var widths: [Int: Int] = [:]
        for (index, (_, page)) in pages.enumerated() {
            let pageMarks = index < marks.count ? marks[index] : []
            let contents = page["Contents"]?.elements ?? []
            guard contents.count == 1 || (contents.isEmpty && pageMarks.isEmpty) else {
                throw ContentMarks.Mismatch(description: "page \(index + 1) has \(contents.count) content streams")
            }
            var pageTags: [Int] = []
            for content in contents {
                guard let number = content.reference else { continue }
                let decoded = try reader.decodedStream(number)
                var fonts: PDFDictionary?
                let marking: (bytes: [UInt8], mcidTags: [Int], operations: [ContentArtifacts.Operation]?)
                do {
                    marking = try ContentMarks.insert(
                        decoded,
                        marks: pageMarks,
                        role: { structure.tags[$0].role },
                        codeWidth: { name in
                            if fonts == nil { fonts = try fontResources(reader, page) ?? PDFDictionary() }
                            guard let font = fonts?[name]?.reference else {
                                throw ContentMarks.Mismatch(
                                    description: "the font /\(name) is not in the page's resources"
                                )
                            }
                            if let width = widths[font] { return width }
                            let width = try reader.value(font).dictionaryValue?["Subtype"] == .name("Type0") ? 2 : 1
                            widths[font] = width
                            return width
                        }
                    )
                } catch let mismatch as ContentMarks.Mismatch {
                    ContentMarks.countMismatch()
                    throw mismatch
                }
                let (marked, tags, operations) = marking
                pageTags = tags
                let pagination = index < structure.paginationPages.count && structure.paginationPages[index]
                let artifacts = try ContentArtifacts.markArtifacts(
                    marked,
                    pagination: pagination,
                    onlyPagination: structure.paginationOnlyPages.contains(index),
                    operations: operations
                )
                if artifacts != nil || !tags.isEmpty {
                    streams.append((number, try Flate.deflate(artifacts ?? marked, level: streamLevel)))
                }
            }
            mcidTags.append(pageTags)
        }
        return (streams, mcidTags)
    }

    // MARK: Reading Cairo's output

    static func lastIndex(of needle: String, in bytes: [UInt8]) -> Int? {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return nil }
        var i = bytes.count - n.count
        while i >= 0 {
            if bytes[i] == n[0] && Array(bytes[i..<i + n.count]) == n { return i }
            i -= 1
        }
        return nil
    }

    static func reference(named key: String, in dict: String) -> Int? {
        guard let r = dict.range(of: "/\(key) ") else { return nil }
        let rest = dict[r.upperBound...].trimmingCharacters(in: .whitespaces)
        return Int(rest.prefix { $0.isNumber })
    }

    static func integer(named key: String, in dict: String) -> Int? { reference(named: key, in: dict) }

    /// `[<h> <h>]` with a 128-bit digest of the file (the CRC-32 and Adler-32 of the bytes, of
    /// their second half, and the length): an identifier, not a security measure; the same bytes
    /// give the same ID. libdeflate's checksums (vectorized; the same values as zlib's, whose
    /// scalar loops were 2–3 % of a letter) and hex written by hand.
    static func fileIdentifier(_ bytes: [UInt8]) -> String {
        let (crc, adler, crcHalf) = bytes.withUnsafeBufferPointer { buffer -> (UInt32, UInt32, UInt32) in
            let base = buffer.baseAddress
            let half = buffer.count / 2
            return (
                libdeflate_crc32(0, base, buffer.count), libdeflate_adler32(1, base, buffer.count),
                libdeflate_crc32(0, base.map { $0 + half }, buffer.count - half)
            )
        }
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for word in [crc, adler, crcHalf, UInt32(truncatingIfNeeded: bytes.count)] {
            appendHex(UInt64(word), digits: 8, to: &hex)
        }
        let text = String(decoding: hex, as: UTF8.self)
        return "[<\(text)> <\(text)>]"
    }

    /// `value` as `digits` upper-case hex digits (what `%0NX` wrote, without `String(format:)`).
    static func appendHex(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
        let table: StaticString = "0123456789ABCDEF"
        for k in stride(from: digits - 1, through: 0, by: -1) {
            out.append(table.utf8Start[Int((value >> UInt64(4 * k)) & 0xF)])
        }
    }

    /// The trailer's `/ID [<…> <…>]`, as written.
    static func idArray(in trailer: String) -> String? {
        guard let r = trailer.range(of: "/ID"),
            let open = trailer[r.upperBound...].firstIndex(of: "["),
            let close = trailer[open...].firstIndex(of: "]")
        else { return nil }
        return String(trailer[open...close])
    }

    /// The value of a literal-string entry `/Key (…)` (escapes resolved; PDFDocEncoding read as
    /// Latin-1, which agrees for the ASCII Cairo writes), or of a UTF-16BE hex string `<FEFF…>`.
    static func literalString(named key: String, in dict: String) -> String? {
        guard let r = dict.range(of: "/\(key)") else { return nil }
        var rest = dict[r.upperBound...].drop { $0 == " " || $0 == "\n" || $0 == "\r" }
        if rest.first == "<" {
            let hex = rest.dropFirst().prefix { $0 != ">" }.filter { !$0.isWhitespace }
            var bytes: [UInt8] = []
            var i = hex.startIndex
            while i < hex.endIndex, hex.index(after: i) < hex.endIndex {
                guard let b = UInt8(hex[i...hex.index(after: i)], radix: 16) else { return nil }
                bytes.append(b)
                i = hex.index(i, offsetBy: 2)
            }
            guard bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF else { return nil }
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map {
                UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        }
        guard rest.first == "(" else { return nil }
        rest = rest.dropFirst()
        var out = ""
        var depth = 1
        var escaped = false
        for c in rest {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                default: out.append(c)
                }
                escaped = false
                continue
            }
            if c == "\\" {
                escaped = true
                continue
            }
            if c == "(" { depth += 1 }
            if c == ")" {
                depth -= 1
                if depth == 0 { return out }
            }
            out.append(c)
        }
        return nil
    }

    /// Object offsets from a classic xref table (Cairo writes one section).
    static func xrefOffsets(_ bytes: [UInt8], at offset: Int) throws -> [Int: Int] {
        guard offset >= 0, offset + 4 <= bytes.count,
            String(decoding: bytes[offset..<offset + 4], as: UTF8.self) == "xref"
        else {
            throw TypesettingError.pdf("startxref does not point at an xref table")
        }
        // Read from the bytes (no strings: a document has a line per object): subsection heads
        // `first count`, then entries `oooooooooo ggggg n|f`.
        let end = lastIndex(of: "trailer", in: bytes) ?? bytes.count
        var position = offset + 4
        func skipEOL() {
            while position < end, bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x20 {
                position += 1
            }
        }
        func number() -> Int? {
            var value = 0
            let start = position
            while position < end, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                value = value * 10 + Int(bytes[position] - 0x30)
                position += 1
            }
            return position > start ? value : nil
        }
        var result: [Int: Int] = [:]
        while true {
            skipEOL()
            guard let first = number() else { break }
            while position < end, bytes[position] == 0x20 { position += 1 }
            guard let count = number() else { break }
            result.reserveCapacity(result.count + count)
            for k in 0..<count {
                skipEOL()
                guard let objectOffset = number() else { break }
                while position < end, bytes[position] == 0x20 { position += 1 }
                _ = number()
                while position < end, bytes[position] == 0x20 { position += 1 }
                guard position < end else { break }
                if bytes[position] == UInt8(ascii: "n") { result[first + k] = objectOffset }
                position += 1
            }
        }
        return result
    }

    static func pdfString(_ s: String) -> String {
        if s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return "("
                + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)") + ")"
        }
        var hex: [UInt8] = Array("<FEFF".utf8)
        hex.reserveCapacity(6 + 4 * s.utf16.count)
        for u in s.utf16 { appendHex(UInt64(u), digits: 4, to: &hex) }
        hex.append(UInt8(ascii: ">"))
        return String(decoding: hex, as: UTF8.self)
    }

    /// `D:YYYYMMDDHHmmSS+HH'mm'` in America/New_York (the program's home).
    static func pdfDate(_ date: Date) -> String { DocumentDate(date).pdf }
}
