#ifndef CCAIRO_NUMBERS_H
#define CCAIRO_NUMBERS_H
#include <stdarg.h>
#include <stddef.h>

/// How many `%f`-style numbers this process formatted through the fast path (for a test that
/// the override is in effect in a binary; see ccairo_numbers.c).
long cd_fast_number_formats(void);
/// The fast path itself: `%.<precision>f` of `value` into `buffer` as glibc's `snprintf` writes
/// it, or -1 when it leaves the value to glibc (not finite, too large, precision over 18, a
/// locale whose decimal point is not '.'). For the test that compares it with glibc.
int cd_format_fixed(char *buffer, size_t size, int precision, double value);
/// The integer fast path: a format that is one `%[0][width|*][l](d|u|x|X|o)` conversion, written
/// as glibc writes it, or -1 (any other format: left to glibc). For the test against glibc.
int cd_format_integer(char *buffer, size_t size, const char *format, va_list ap);
#endif
