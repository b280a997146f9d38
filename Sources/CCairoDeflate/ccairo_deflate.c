// Cairo 1.16 compresses every PDF stream it writes (page content, font programs, ToUnicode maps)
// with `deflateInit(&stream, Z_DEFAULT_COMPRESSION)` and has no API to choose the level. In
// CareDocs each of those streams is read again by the post-processor, which rewrites the file:
// it inflates the content streams to mark artifacts and deflates them again, and it now
// compresses every stream once, at the level it chooses. Cairo's level-6 pass was therefore spent
// twice (about a fifth of a letter's time in `bench documents`).
//
// This file defines zlib's `deflateInit_` (the function the `deflateInit` macro calls) in the
// executable. The dynamic linker binds libcairo's reference to the executable's definition first
// (ELF symbol interposition; the linker exports the symbol because a shared library in the link,
// libcairo, refers to it). It forwards to zlib's `deflateInit2_` with the same defaults
// `deflateInit_` uses, changing only the level, and only when the caller asked for
// Z_DEFAULT_COMPRESSION on a thread that set a level (`cd_set_default_deflate_level`): any other
// caller, or any other thread, gets exactly what zlib would have done. No library here offers
// this (Cairo has no compression setting; a patched Cairo is not a Debian package).
#include <zlib.h>
#include <stdatomic.h>
#include "ccairo_deflate.h"

static _Thread_local int default_level = Z_DEFAULT_COMPRESSION;
static atomic_long overrides = 0;

void cd_set_default_deflate_level(int level) { default_level = level; }
int cd_default_deflate_level(void) { return default_level; }
long cd_default_deflate_overrides(void) { return atomic_load(&overrides); }

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size) {
    if (level == Z_DEFAULT_COMPRESSION && default_level != Z_DEFAULT_COMPRESSION) {
        level = default_level;
        atomic_fetch_add(&overrides, 1);
    }
    return deflateInit2_(strm, level, Z_DEFLATED, MAX_WBITS, 8 /* DEF_MEM_LEVEL */, Z_DEFAULT_STRATEGY, version,
                         stream_size);
}
