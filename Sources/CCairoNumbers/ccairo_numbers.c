// (Integers, below: the same interposition, for Cairo's `%d`, `%04x` and the like.)
//
// Cairo 1.16 writes every number of a PDF (glyph positions in TJ arrays and Td operators,
// matrices, widths) through `_cairo_dtostr`, which calls `snprintf(buffer, size, "%f", d)` (or
// "%.*f", "%.18f" for small values) and then trims the zeros. glibc formats `%f` through its
// multi-precision printf_fp: in an Arabic or Khmer letter, where every glyph cluster is
// positioned, that was about a twelfth of the render.
//
// This file defines `__snprintf_chk` (what `snprintf` compiles to in Debian's fortified builds)
// in the executable (ELF interposition, as ccairo_deflate.c does for zlib; the linker exports it
// because libcairo refers to it). A call whose format is exactly `%f`, `%.*f` or `%.Nf` (N ≤ 18)
// with a finite value below 10^15 in the "C" decimal point is formatted here, exactly as glibc
// does it: the double's exact binary value times 10^N, rounded to the nearest integer with ties
// to even (glibc's default rounding mode), in 128-bit integer arithmetic, then written as
// digits, with the sign of the double (glibc writes -0.000000 for negative zero). Every other
// call — any other format, any other value — goes to glibc's `__vsnprintf_chk` unchanged. A
// test compares this formatter with glibc's on a million values (random bit patterns, ties,
// the edges of each power of ten). No library here offers this (Cairo has no number-format
// hook; a patched Cairo is not a Debian package).
#define _GNU_SOURCE
#include "ccairo_numbers.h"
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static atomic_long fast_formats = 0;
long cd_fast_number_formats(void) { return atomic_load(&fast_formats); }

static const uint64_t powers_of_ten[19] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
    1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
    1000000000000000000ULL};

int cd_format_fixed(char *buffer, size_t size, int precision, double value) {
    if (precision < 0 || precision > 18 || !isfinite(value) || fabs(value) >= 1e15) return -1;
    const struct lconv *lc = localeconv();
    if (!lc || lc->decimal_point[0] != '.' || lc->decimal_point[1] != 0) return -1;
    int negative = signbit(value) != 0;
    double magnitude = fabs(value);
    // magnitude = mantissa * 2^exponent exactly.
    int exponent = 0;
    double fraction = frexp(magnitude, &exponent);  // magnitude = fraction * 2^exponent, 0.5 <= f < 1
    uint64_t mantissa = (uint64_t)ldexp(fraction, 53);
    exponent -= 53;
    unsigned __int128 scaled;
    if (magnitude == 0) {
        scaled = 0;
    } else if (exponent >= 0) {
        // magnitude < 1e15 < 2^50, so exponent < 0 here for every normal value; kept for clarity.
        scaled = ((unsigned __int128)mantissa << exponent) * powers_of_ten[precision];
    } else {
        unsigned __int128 product = (unsigned __int128)mantissa * powers_of_ten[precision];  // < 2^113
        int shift = -exponent;
        if (shift >= 120) {
            scaled = 0;  // below 2^-7 of a unit in the last place: rounds to zero
        } else {
            unsigned __int128 quotient = product >> shift;
            unsigned __int128 remainder = product - (quotient << shift);
            unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
            if (remainder > half || (remainder == half && (quotient & 1))) quotient += 1;
            scaled = quotient;
        }
    }
    uint64_t unit = powers_of_ten[precision];
    uint64_t whole = (uint64_t)(scaled / unit);
    uint64_t part = (uint64_t)(scaled % unit);
    char digits[64];
    int n = 0;
    if (negative) digits[n++] = '-';
    char reversed[24];
    int r = 0;
    do {
        reversed[r++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (r) digits[n++] = reversed[--r];
    if (precision > 0) {
        digits[n++] = '.';
        for (int k = precision - 1; k >= 0; k--) {
            digits[n + k] = (char)('0' + part % 10);
            part /= 10;
        }
        n += precision;
    }
    if (size > 0) {
        size_t copy = (size_t)n < size - 1 ? (size_t)n : size - 1;
        memcpy(buffer, digits, copy);
        buffer[copy] = 0;
    }
    return n;
}

extern int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, va_list ap);

// The precision a format asks for when it is one the fast path writes (`%f`, `%.*f` reading it
// from the arguments, `%.N f` with one or two digits), else -1.
static int fixed_precision(const char *format, va_list ap) {
    if (format[0] != '%') return -1;
    if (strcmp(format, "%f") == 0) return 6;
    if (strcmp(format, "%.*f") == 0) {
        va_list copy;
        va_copy(copy, ap);
        int precision = va_arg(copy, int);
        va_end(copy);
        return precision;
    }
    if (format[1] == '.' && format[2] >= '0' && format[2] <= '9') {
        const char *p = format + 2;
        int value = 0;
        while (*p >= '0' && *p <= '9' && value < 100) value = value * 10 + (*p++ - '0');
        if (p[0] == 'f' && p[1] == 0 && p - format <= 4) return value;
    }
    return -1;
}

// Integers: Cairo writes object numbers, offsets, string bytes and glyph ids with `%d`, `%ld`,
// `%u`, `%lu`, `%04x`, `%0*x`, `%02x`, `%010ld`, `%03o` (in an Arabic letter, about 9,000 calls
// per document, each through glibc's whole vfprintf). A format that is exactly one conversion
// `%[0][width|*][l](d|u|x|X|o)` is written here as glibc writes it (the sign before the zeros of
// a padded negative number, `*` read from the arguments); anything else is left to glibc.
int cd_format_integer(char *buffer, size_t size, const char *format, va_list ap) {
    const char *p = format;
    if (*p++ != '%') return -1;
    int zero = 0;
    if (*p == '0') {
        zero = 1;
        p++;
    }
    int width = 0, star = 0;
    if (*p == '*') {
        star = 1;
        p++;
    } else {
        while (*p >= '0' && *p <= '9') {
            width = width * 10 + (*p++ - '0');
            if (width > 64) return -1;
        }
    }
    int is_long = 0;
    if (*p == 'l') {
        is_long = 1;
        p++;
    }
    char conversion = *p++;
    if (*p != 0) return -1;
    unsigned base;
    switch (conversion) {
    case 'd': case 'u': base = 10; break;
    case 'x': case 'X': base = 16; break;
    case 'o': base = 8; break;
    default: return -1;
    }
    va_list copy;
    va_copy(copy, ap);
    if (star) width = va_arg(copy, int);
    unsigned long magnitude;
    int negative = 0;
    if (conversion == 'd') {
        long value = is_long ? va_arg(copy, long) : (long)va_arg(copy, int);
        negative = value < 0;
        magnitude = negative ? (unsigned long)(-(value + 1)) + 1 : (unsigned long)value;
    } else {
        magnitude = is_long ? va_arg(copy, unsigned long) : (unsigned long)va_arg(copy, unsigned int);
    }
    va_end(copy);
    // A negative `*` width means left-justified, a wide one is not Cairo's: both left to glibc.
    if (width < 0 || width > 64) return -1;
    const char *alphabet = conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char reversed[24];
    int count = 0;
    do {
        reversed[count++] = alphabet[magnitude % base];
        magnitude /= base;
    } while (magnitude);
    char out[96];
    int n = 0;
    int length = count + negative;
    int pad = width > length ? width - length : 0;
    if (!zero)
        while (pad-- > 0) out[n++] = ' ';
    if (negative) out[n++] = '-';
    if (zero)
        while (pad-- > 0) out[n++] = '0';
    while (count) out[n++] = reversed[--count];
    if (size > 0) {
        size_t keep = (size_t)n < size - 1 ? (size_t)n : size - 1;
        memcpy(buffer, out, keep);
        buffer[keep] = 0;
    }
    return n;
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int precision = maxlen <= slen ? fixed_precision(format, ap) : -1;
    if (precision >= 0) {
        va_list copy;
        va_copy(copy, ap);
        if (strcmp(format, "%.*f") == 0) (void)va_arg(copy, int);
        double value = va_arg(copy, double);
        va_end(copy);
        int written = cd_format_fixed(s, maxlen, precision, value);
        if (written >= 0) {
            atomic_fetch_add_explicit(&fast_formats, 1, memory_order_relaxed);
            va_end(ap);
            return written;
        }
    }
    if (maxlen <= slen) {
        int written = cd_format_integer(s, maxlen, format, ap);
        if (written >= 0) {
            atomic_fetch_add_explicit(&fast_formats, 1, memory_order_relaxed);
            va_end(ap);
            return written;
        }
    }
    int result = __vsnprintf_chk(s, maxlen, flag, slen, format, ap);
    va_end(ap);
    return result;
}
