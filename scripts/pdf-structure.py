#!/usr/bin/env python3
"""What a PDF/UA-1 and PDF/A-2u reader needs from a tagged PDF, read with pikepdf (qpdf):
the parts the `pdfua` checker does not cover, as JSON for the test suite.

    scripts/pdf-structure.py FILE.pdf [FILE.pdf ...]   # one JSON object per file, one per line
    scripts/pdf-structure.py --reading-order FILE.pdf  # the tagged text in structure order

`--reading-order` prints what a screen reader following the structure tree reads: for each
element holding marked content, its role and its text, in the order of the tree, one JSON array
`[role, text]` per line. The text of each marked-content sequence is decoded with the fonts'
ToUnicode maps, and a `/Span` with `/ActualText` (ligatures, multi-glyph clusters such as
Khmer's) reads as its ActualText — as assistive technology does (poppler's `pdfinfo
-struct-text` stops at the first nested span, which makes it unusable for Khmer or Arabic).

Per file:
- structure tree: elements by role; the /Lang of elements in another language; every table (TR/TH/TD counts, header cells without
  /Scope, the scopes used); elements reached twice or with a /P that is not their parent;
  null kids; MCIDs on each page that no element claims, or claimed twice;
- content streams: painting operators (text shown, paths painted, images, shadings) outside
  any marked content (must be 0: content is either tagged or an artifact), artifact sequences
  and pagination artifacts;
- XMP: the pdfuaid/pdfaid claims, dc:title and dc:language; the catalog's /Lang and
  DisplayDocTitle; the sRGB output intent;
- fonts: embedded, with ToUnicode, TrueType CIDFonts with an explicit CIDToGIDMap; annotations: print flag, /Contents; pages with
  annotations: /Tabs /S; encryption.

pikepdf is installed with the `pdfua` checker (its dependency) by scripts/setup.sh.
"""
import json
import sys
import xml.etree.ElementTree as ET

import pikepdf

PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "INLINE IMAGE"}
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def name(obj):
    return str(obj)[1:] if isinstance(obj, pikepdf.Name) else None


def structure(pdf, report):
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        report["tagged"] = False
        return
    report["tagged"] = True
    roles = {}
    languages = {}  # /Lang of elements in another language than the document's
    tables = []
    seen = set()
    reached_twice = 0
    wrong_parent = 0
    null_kids = 0
    claimed = {}  # (page objgen, mcid) -> count

    def page_of(elem, inherited):
        pg = elem.get("/Pg")
        return pg.objgen if pg is not None else inherited

    def walk(elem, parent, inherited_page, table):
        nonlocal reached_twice, wrong_parent, null_kids
        key = elem.objgen
        if key != (0, 0):
            if key in seen:
                reached_twice += 1
                return
            seen.add(key)
        role = name(elem.get("/S"))
        roles[role] = roles.get(role, 0) + 1
        if "/Lang" in elem:
            languages[str(elem.Lang)] = languages.get(str(elem.Lang), 0) + 1
        p = elem.get("/P")
        if parent is not None and (p is None or p.objgen != parent.objgen):
            wrong_parent += 1
        page = page_of(elem, inherited_page)
        if role == "Table":
            table = {"rows": 0, "th": 0, "td": 0, "thWithoutScope": 0, "scopes": []}
            tables.append(table)
        elif table is not None and role == "TR":
            table["rows"] += 1
        elif table is not None and role == "TD":
            table["td"] += 1
        elif table is not None and role == "TH":
            table["th"] += 1
            scope = None
            for attributes in ([elem.get("/A")] if not isinstance(elem.get("/A"), pikepdf.Array) else list(elem.get("/A"))):
                if attributes is not None and isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes:
                    scope = name(attributes.Scope)
            if scope is None:
                table["thWithoutScope"] += 1
            else:
                table["scopes"].append(scope)
        kids = elem.get("/K")
        if kids is None:
            return
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
            if kid is None or (isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.null):
                null_kids += 1
            elif isinstance(kid, int):
                claimed[(page, int(kid))] = claimed.get((page, int(kid)), 0) + 1
            elif isinstance(kid, pikepdf.Dictionary):
                kind = name(kid.get("/Type"))
                if kind == "MCR":
                    pg = kid.get("/Pg")
                    where = pg.objgen if pg is not None else page
                    claimed[(where, int(kid.MCID))] = claimed.get((where, int(kid.MCID)), 0) + 1
                elif kind == "OBJR":
                    pass
                else:
                    walk(kid, elem, page, table)

    for kid in (list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]):
        walk(kid, None, None, None)
    report["roles"] = roles
    report["elementLanguages"] = languages
    report["tables"] = tables
    report["reachedTwice"] = reached_twice
    report["wrongParent"] = wrong_parent
    report["nullKids"] = null_kids
    report["mcidsClaimedTwice"] = sum(1 for v in claimed.values() if v > 1)
    return claimed


def contents(pdf, report, claimed):
    untagged = 0
    artifacts = 0
    pagination = 0
    unclaimed = 0
    for page in pdf.pages:
        depth = 0
        stack = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BMC", "BDC"):
                tag = name(operands[0])
                stack.append(tag)
                depth += 1
                if tag == "Artifact" and depth == 1:
                    artifacts += 1
                    if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and name(operands[1].get("/Type")) == "Pagination":
                        pagination += 1
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    if claimed is not None and (page.objgen, int(operands[1].MCID)) not in claimed:
                        unclaimed += 1
            elif op == "EMC":
                if stack:
                    stack.pop()
                depth = max(0, depth - 1)
            elif op in PAINT and depth == 0:
                untagged += 1
    report["untaggedPaint"] = untagged
    report["artifacts"] = artifacts
    report["paginationArtifacts"] = pagination
    report["mcidsUnclaimed"] = unclaimed


def metadata(pdf, report):
    root = pdf.Root
    report["lang"] = str(root.get("/Lang", ""))
    prefs = root.get("/ViewerPreferences")
    report["displayDocTitle"] = bool(prefs is not None and prefs.get("/DisplayDocTitle", False))
    xmp = {}
    if "/Metadata" in root:
        tree = ET.fromstring(root.Metadata.read_bytes())
        for desc in tree.iter("{%s}Description" % NS["rdf"]):
            for attr, key in (
                ("{%s}part" % NS["pdfuaid"], "pdfuaid:part"),
                ("{%s}part" % NS["pdfaid"], "pdfaid:part"),
                ("{%s}conformance" % NS["pdfaid"], "pdfaid:conformance"),
            ):
                if attr in desc.attrib:
                    xmp[key] = desc.attrib[attr]
            for child in desc:
                for key in ("pdfuaid:part", "pdfaid:part", "pdfaid:conformance"):
                    prefix, local = key.split(":")
                    if child.tag == "{%s}%s" % (NS[prefix], local):
                        xmp[key] = (child.text or "").strip()
        title = tree.find(".//dc:title//rdf:li", NS)
        language = tree.find(".//dc:language//rdf:li", NS)
        xmp["dc:title"] = title.text if title is not None else None
        xmp["dc:language"] = language.text if language is not None else None
    report["xmp"] = xmp
    intents = []
    for intent in root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        intents.append({
            "S": name(intent.get("/S")),
            "identifier": str(intent.get("/OutputConditionIdentifier", "")),
            "components": int(profile.get("/N", 0)) if profile is not None else 0,
            "profileBytes": len(profile.read_bytes()) if profile is not None else 0,
        })
    report["outputIntents"] = intents
    report["encrypted"] = pdf.is_encrypted
    report["trailerID"] = "/ID" in pdf.trailer


def fonts_and_annotations(pdf, report):
    fonts = {}
    annotations = []
    tabs_missing = 0
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        for _, font in resources.get("/Font", {}).items():
            descendants = font.get("/DescendantFonts")
            described = descendants[0] if descendants is not None else font
            descriptor = described.get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            explicit_map = name(described.get("/Subtype")) != "CIDFontType2" or "/CIDToGIDMap" in described
            fonts[str(font.get("/BaseFont"))] = {
                "embedded": embedded,
                "toUnicode": "/ToUnicode" in font,
                "cidToGIDMap": explicit_map,  # PDF/A-2 6.2.11.3.2
            }
        annots = page.obj.get("/Annots")
        if annots is not None and len(annots) > 0 and name(page.obj.get("/Tabs")) != "S":
            tabs_missing += 1
        for annot in annots or []:
            annotations.append({
                "subtype": name(annot.get("/Subtype")),
                "print": bool(int(annot.get("/F", 0)) & 4),
                "contents": "/Contents" in annot,
                "structParent": "/StructParent" in annot,
            })
    report["fonts"] = fonts
    report["annotations"] = annotations
    report["pagesWithAnnotationsWithoutTabs"] = tabs_missing


def to_unicode(font):
    """code width and code -> text from a font's ToUnicode CMap (bfchar and bfrange)."""
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return 1, {}
    data = cmap.read_bytes().decode("latin-1")
    table = {}
    width = 1

    def utf16(hexdigits):
        raw = bytes.fromhex(hexdigits)
        return raw.decode("utf-16-be", errors="replace")

    import re
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            width = len(src) // 2
            table[int(src, 16)] = utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)", block):
            width = len(lo) // 2
            a, b = int(lo, 16), int(hi, 16)
            if rest.startswith("["):
                for i, dst in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    table[a + i] = utf16(dst)
            else:
                start = bytes.fromhex(rest[1:-1])
                for i in range(b - a + 1):
                    value = int.from_bytes(start, "big") + i
                    table[a + i] = value.to_bytes(len(start), "big").decode("utf-16-be", errors="replace")
    return width, table


def marked_text(pdf):
    """(page objgen, mcid) -> text of that marked-content sequence."""
    texts = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        cache = {}
        font = None
        stack = []  # [tag, mcid, actual_text, collected]

        def current_mcid():
            for entry in reversed(stack):
                if entry[1] is not None:
                    return entry[1]
            return None

        def suppressed():
            return any(entry[2] is not None for entry in stack)

        def emit(text):
            mcid = current_mcid()
            if mcid is not None:
                key = (page.objgen, mcid)
                texts[key] = texts.get(key, "") + text

        def decode(raw):
            if font is None:
                return ""
            width, table = font
            out = []
            for i in range(0, len(raw) - width + 1, width):
                code = int.from_bytes(raw[i:i + width], "big")
                out.append(table.get(code, ""))
            return "".join(out)

        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                key = str(operands[0])
                if key not in cache:
                    cache[key] = to_unicode(fonts[key]) if key in fonts else (1, {})
                font = cache[key]
            elif op in ("BMC", "BDC"):
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                actual = None
                if isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                    actual = str(props.ActualText)
                stack.append([name(operands[0]), mcid, actual])
            elif op == "EMC":
                if stack:
                    entry = stack.pop()
                    if entry[2] is not None and not suppressed():
                        emit(entry[2])
            elif op in ("Tj", "'", '"') and not suppressed():
                emit(decode(bytes(operands[-1])))
            elif op == "TJ" and not suppressed():
                emit("".join(decode(bytes(item)) for item in operands[0] if isinstance(item, pikepdf.String)))
    return texts


def reading_order(path):
    with pikepdf.open(path) as pdf:
        texts = marked_text(pdf)
        root = pdf.Root.get("/StructTreeRoot")
        out = []

        def walk(elem, page):
            role = name(elem.get("/S"))
            pg = elem.get("/Pg")
            page = pg.objgen if pg is not None else page
            kids = elem.get("/K")
            parts = []
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, int):
                    parts.append(texts.get((page, int(kid)), ""))
                elif isinstance(kid, pikepdf.Dictionary) and name(kid.get("/Type")) == "MCR":
                    where = kid.Pg.objgen if "/Pg" in kid else page
                    parts.append(texts.get((where, int(kid.MCID)), ""))
                elif isinstance(kid, pikepdf.Dictionary) and name(kid.get("/Type")) == "OBJR":
                    continue
                elif isinstance(kid, pikepdf.Dictionary):
                    if parts:
                        out.append([role, "".join(parts)])
                        parts = []
                    walk(kid, page)
            if parts:
                out.append([role, "".join(parts)])

        if root is not None:
            for kid in (list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]):
                walk(kid, None)
        for role, text in out:
            print(json.dumps([role, text], ensure_ascii=False))


def main(paths):
    status = 0
    for path in paths:
        report = {"file": path}
        try:
            with pikepdf.open(path) as pdf:
                report["pages"] = len(pdf.pages)
                claimed = structure(pdf, report)
                contents(pdf, report, claimed)
                metadata(pdf, report)
                fonts_and_annotations(pdf, report)
        except Exception as error:  # a file that cannot be read is a finding, not a crash
            report["error"] = f"{type(error).__name__}: {error}"
            status = 1
        print(json.dumps(report, ensure_ascii=False))
    return status


if __name__ == "__main__":
    if sys.argv[1:2] == ["--reading-order"]:
        for path in sys.argv[2:]:
            reading_order(path)
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
