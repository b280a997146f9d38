#ifndef CCAIRO_FONT_TABLES_H
#define CCAIRO_FONT_TABLES_H
#include <ft2build.h>
#include FT_FREETYPE_H

/// FreeType's own `FT_Load_Sfnt_Table` (the one this target's definition stands in front of),
/// for the test that compares the two.
FT_Error cd_freetype_load_sfnt_table(FT_Face face, FT_ULong tag, FT_Long offset, FT_Byte *buffer, FT_ULong *length);
/// How many calls this process answered from the font's bytes (for a test that the definition
/// is in effect).
long cd_font_table_reads(void);
#endif
