// Cairo 1.16's TrueType and CFF subsetters read every table they copy — and, for `glyf`, every
// glyph — with `FT_Load_Sfnt_Table`: a call per table and per glyph of every subset of every document,
// each finding FreeType's "sfnt" module by name (a `strcmp` over the loaded modules) before
// reading the table directory. Our faces are memory faces (`FT_New_Memory_Face` over the bytes
// HarfBuzz maps), so the table can be read from those bytes directly.
//
// This file defines `FT_Load_Sfnt_Table` in the executable (ELF interposition, as
// ccairo_deflate.c does for zlib and ccairo_numbers.c for snprintf): for a memory-backed sfnt
// face whose table directory (of the face's font within a collection) is well formed, the
// table is found in that directory and copied exactly as FreeType does it (`tt_face_load_any`
// and `FT_Stream_ReadAt`: a zero `*length` asks for the size, a zero-length entry counts as
// missing, a read past the end copies what there is and fails with
// `FT_Err_Invalid_Stream_Operation`, `stream->pos` is moved the same way). Anything else — a
// face read from a file, a non-sfnt face, a directory entry beyond the end of the font —
// goes to FreeType's own function. A test compares the two on every table of every face the
// engine loads, at random offsets and lengths, out of range included. No library here does
// this (FreeType has no faster entry point; a patched Cairo is not a Debian package).
#define _GNU_SOURCE
#include "ccairo_font_tables.h"
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include FT_ERRORS_H

typedef FT_Error (*load_table_fn)(FT_Face, FT_ULong, FT_Long, FT_Byte *, FT_ULong *);

static _Atomic(load_table_fn) freetype_function = NULL;
static atomic_long table_reads = 0;

long cd_font_table_reads(void) { return atomic_load(&table_reads); }

FT_Error cd_freetype_load_sfnt_table(FT_Face face, FT_ULong tag, FT_Long offset, FT_Byte *buffer, FT_ULong *length) {
    load_table_fn function = atomic_load(&freetype_function);
    if (!function) {
        function = (load_table_fn)dlsym(RTLD_NEXT, "FT_Load_Sfnt_Table");
        if (!function) return FT_Err_Unimplemented_Feature;
        atomic_store(&freetype_function, function);
    }
    return function(face, tag, offset, buffer, length);
}

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
static uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

// 1: found at (*start, *size); 0: no such table (or only zero-length entries); -1: this file
// cannot tell (not a memory face, a directory it does not trust): FreeType answers.
static int find_table(FT_Face face, FT_ULong tag, FT_ULong *start, FT_ULong *size) {
    FT_Stream stream = face->stream;
    if (!stream || !stream->base || stream->read) return -1;
    const uint8_t *base = stream->base;
    FT_ULong length = stream->size;
    FT_ULong directory = 0;
    if (length < 12) return -1;
    if (be32(base) == 0x74746366) {  // 'ttcf'
        FT_ULong index = (FT_ULong)(face->face_index & 0xFFFF);
        FT_ULong fonts = be32(base + 8);
        if (index >= fonts || 12 + 4 * (index + 1) > length) return -1;
        directory = be32(base + 12 + 4 * index);
    }
    if (directory > length || length - directory < 12) return -1;
    uint32_t version = be32(base + directory);
    if (version != 0x00010000 && version != 0x4F54544F && version != 0x74727565) return -1;  // 1.0, 'OTTO', 'true'
    FT_ULong tables = be16(base + directory + 4);
    if (tables * 16 > length - directory - 12) return -1;
    for (FT_ULong i = 0; i < tables; i++) {
        const uint8_t *entry = base + directory + 12 + 16 * i;
        if (be32(entry) != tag) continue;
        FT_ULong offset = be32(entry + 8), size_of_table = be32(entry + 12);
        if (offset > length || size_of_table > length - offset) return -1;
        if (size_of_table == 0) continue;  // FreeType: a zero-length table is a missing one
        *start = offset;
        *size = size_of_table;
        return 1;
    }
    return 0;
}

FT_Error FT_Load_Sfnt_Table(FT_Face face, FT_ULong tag, FT_Long offset, FT_Byte *buffer, FT_ULong *length) {
    if (face && FT_IS_SFNT(face) && face->stream && face->stream->base && !face->stream->read) {
        FT_Stream stream = face->stream;
        FT_ULong start = 0, size = stream->size;
        int found = tag == 0 ? 1 : find_table(face, tag, &start, &size);
        if (found == 0) return FT_Err_Table_Missing;
        if (found == 1) {
            if (length && *length == 0) {
                *length = size;
                atomic_fetch_add_explicit(&table_reads, 1, memory_order_relaxed);
                return FT_Err_Ok;
            }
            FT_ULong count = length ? *length : size;
            if (buffer || count == 0) {
                FT_ULong position = (FT_ULong)(offset + (FT_Long)start);
                atomic_fetch_add_explicit(&table_reads, 1, memory_order_relaxed);
                if (position >= stream->size) return FT_Err_Invalid_Stream_Operation;
                FT_ULong available = stream->size - position;
                FT_ULong copied = available < count ? available : count;
                if (copied) memcpy(buffer, stream->base + position, copied);
                stream->pos = position + copied;
                return copied < count ? FT_Err_Invalid_Stream_Operation : FT_Err_Ok;
            }
        }
    }
    return cd_freetype_load_sfnt_table(face, tag, offset, buffer, length);
}
