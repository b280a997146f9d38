#!/usr/bin/env python3
"""Build the CJK fonts CareDocs uses from Debian's fonts-noto-cjk.

Cairo 1.16 mishandles Noto Sans CJK's subroutinized CFF outlines (U+5982 comes out blank, some
Hangul pairs abort the process), and subsetting a 20 MB CFF font costs ~8 ms per PDF. Each face
we use is converted once to TrueType outlines (cu2qu, max error 1 unit of 1000): no CFF at all,
and Cairo's TrueType subsetter reads only the glyphs a document uses (~2 ms).

The glyphs are also renumbered in code point order (those the cmap maps, by their first code
point; then the others as they were). For every new glyph in a document Cairo 1.16 looks its
code point up backwards in the font's (3,1) format-4 cmap subtable, copying the subtable and
scanning it each time. In Noto's CID order the ideographs need a glyph-id array (46 KB scanned per
glyph, about 15 microseconds: 3-4 ms of a Chinese letter); in code point order they are a few
hundred idDelta segments. The outlines, metrics and layout tables are the same, renumbered by
fontTools (every table decompiled first, so each refers to glyphs by name).

The results go to OUTPUT_DIR (Fonts/generated/, not committed); the manifest points there.
Usage: build-cjk-fonts.py OUTPUT_DIR
"""
import multiprocessing
import os
import sys
import tempfile

VERSION = "3"  # bump when the build changes so caches are rebuilt
SOURCES = {
    "Regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "Bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
}
# Face index in the collection -> our file tag.
FACES = {0: "jp", 1: "kr", 2: "sc", 3: "tc"}


def convert(job):
    src, index, out_path = job
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(src, fontNumber=index)
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\000\001\000\000"

    # Code point order (see the module's documentation): decompile every table, then renumber.
    # fontTools then writes each renumbered layout coverage as ranges sorted by glyph id, each
    # keeping its coverage index, and warns that the glyphs were not in order: not a problem.
    import logging
    logging.getLogger("fontTools.ttLib.tables.otTables").setLevel(logging.ERROR)
    for tag in list(font.keys()):
        table = font[tag]
        if hasattr(table, "ensureDecompiled"):
            table.ensureDecompiled()
    first = {}
    for code, name in sorted(font.getBestCmap().items()):
        first.setdefault(name, code)
    mapped = sorted((g for g in order[1:] if g in first), key=first.__getitem__)
    renumbered = [order[0]] + mapped + [g for g in order[1:] if g not in first]
    font.setGlyphOrder(renumbered)
    glyf.glyphOrder = renumbered
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(out_path), suffix=".tmp")
    os.close(fd)
    font.save(tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, out_path)
    open(out_path + ".v" + VERSION, "w").close()
    return os.path.basename(out_path)


def main() -> int:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    jobs = []
    for weight, src in SOURCES.items():
        if not os.path.exists(src):
            print(f"missing {src}: install fonts-noto-cjk", file=sys.stderr)
            return 1
        for index, tag in FACES.items():
            path = os.path.join(out, f"NotoSansCJK{tag}-{weight}.ttf")
            if not (os.path.exists(path) and os.path.exists(path + ".v" + VERSION)):
                jobs.append((src, index, path))
    if not jobs:
        return 0
    print(f"building {len(jobs)} CJK font(s) (TrueType outlines, about a minute each per core)...", flush=True)
    with multiprocessing.Pool(min(len(jobs), os.cpu_count() or 1)) as pool:
        for name in pool.imap_unordered(convert, jobs):
            print(f"built {name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
