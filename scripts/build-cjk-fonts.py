#!/usr/bin/env python3
"""Build the CJK fonts CareDocs uses from Debian's fonts-noto-cjk.

Cairo 1.16 writes broken outlines for some subroutinized CFF glyphs of
NotoSansCJK (U+5982 comes out blank) and aborts on some Hangul pairs. A
desubroutinized copy of each face fixes both. The result goes to
Fonts/generated/ (not committed); the manifest points there.

Usage: build-cjk-fonts.py OUTPUT_DIR
"""
import os
import sys
import tempfile

from fontTools.ttLib import TTCollection

SOURCES = {
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc": "Regular",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc": "Bold",
}
# Face index in the collection -> our file tag.
FACES = {0: "jp", 1: "kr", 2: "sc", 3: "tc"}
VERSION = "1"  # bump when the build changes so caches are rebuilt


def main() -> int:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for src, weight in SOURCES.items():
        if not os.path.exists(src):
            print(f"missing {src}: install fonts-noto-cjk", file=sys.stderr)
            return 1
        wanted = {i: os.path.join(out, f"NotoSansCJK{tag}-{weight}.otf") for i, tag in FACES.items()}
        stamp = {i: p + ".v" + VERSION for i, p in wanted.items()}
        todo = [i for i in wanted if not (os.path.exists(wanted[i]) and os.path.exists(stamp[i]))]
        if not todo:
            continue
        collection = TTCollection(src, lazy=True)
        for i in todo:
            font = collection.fonts[i]
            cff = font["CFF "].cff
            cff.desubroutinize()
            fd, tmp = tempfile.mkstemp(dir=out, suffix=".tmp")
            os.close(fd)
            font.save(tmp)
            os.replace(tmp, wanted[i])
            open(stamp[i], "w").close()
            print(f"built {os.path.basename(wanted[i])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
