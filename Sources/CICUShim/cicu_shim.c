#include "cicu_shim.h"
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

static const UChar empty_text[1] = {0};

cd_break_iterator *cd_break_open(int kind, const char *locale) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(kind == 0 ? UBRK_LINE : UBRK_CHARACTER, locale, empty_text, 0, &status);
    if (U_FAILURE(status)) return NULL;
    return (cd_break_iterator *)bi;
}

int cd_break_set_text(cd_break_iterator *it, const uint16_t *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText((UBreakIterator *)it, length > 0 ? (const UChar *)text : empty_text, length, &status);
    return U_FAILURE(status) ? -1 : 0;
}

int32_t cd_break_first(cd_break_iterator *it) { return ubrk_first((UBreakIterator *)it); }

int32_t cd_break_next(cd_break_iterator *it) {
    int32_t p = ubrk_next((UBreakIterator *)it);
    return p == UBRK_DONE ? -1 : p;
}

int cd_break_is_hard(cd_break_iterator *it) {
    int32_t s = ubrk_getRuleStatus((UBreakIterator *)it);
    return s >= UBRK_LINE_HARD && s < UBRK_LINE_HARD_LIMIT;
}

void cd_break_close(cd_break_iterator *it) { ubrk_close((UBreakIterator *)it); }

int32_t cd_script_code(uint32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode code = uscript_getScript((UChar32)c, &status);
    return U_FAILURE(status) ? (int32_t)USCRIPT_UNKNOWN : (int32_t)code;
}

const char *cd_script_name_for_code(int32_t code) {
    const char *n = uscript_getShortName((UScriptCode)code);
    return n ? n : "Zzzz";
}

const char *cd_script_short_name(uint32_t c) { return cd_script_name_for_code(cd_script_code(c)); }

int cd_is_mark(uint32_t c) {
    int8_t t = u_charType((UChar32)c);
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}
