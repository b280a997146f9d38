#ifndef CICU_SHIM_H
#define CICU_SHIM_H
#include <stdint.h>

// Plain-C wrappers over the ICU calls CareDocs uses. Break iterators are opaque pointers.
typedef struct cd_break_iterator cd_break_iterator;

/// kind: 0 = line, 1 = character (grapheme). Returns NULL on failure.
cd_break_iterator *cd_break_open(int kind, const char *locale);
/// Sets the text (UTF-16); returns 0 on success.
int cd_break_set_text(cd_break_iterator *it, const uint16_t *text, int32_t length);
int32_t cd_break_first(cd_break_iterator *it);
/// The next boundary, or -1 when done.
int32_t cd_break_next(cd_break_iterator *it);
/// Non-zero when the last boundary returned is a mandatory (hard) line break.
int cd_break_is_hard(cd_break_iterator *it);
void cd_break_close(cd_break_iterator *it);

/// ISO 15924 short name of the script of c ("Latn", "Zyyy" common, "Zinh" inherited).
const char *cd_script_short_name(uint32_t c);
int32_t cd_script_code(uint32_t c);
const char *cd_script_name_for_code(int32_t code);
int cd_is_mark(uint32_t c);
#endif
