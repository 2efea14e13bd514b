/* Unicode character classes as Python reads them, for the readers that must
 * agree with Python to the character: the prose facts (pb_facts.c) and row
 * names (pb_names.c) and the glue. Header-only and inline: each asks once per
 * character.
 * The digit table lives inside its function, so a file that includes this
 * header without asking has no unused table. */
#ifndef PB_UNICODE_H
#define PB_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* What pb_unicode_char gives for a byte that starts no well-formed sequence: no
 * code point, so no class (blank, digit, bracket) takes it. */
#define PB_NOT_A_CHAR 0xFFFFFFFFu

/* The character at s (n >= 1 bytes): its code point, and its length in *len
 * (1 for a byte that starts no well-formed sequence within n). An encoded
 * surrogate (ED A0..BF 80..BF) is one character: that is how Python's
 * "surrogatepass" writes the lone surrogates a str may hold, so characters
 * are counted as Python counts them. */
static inline uint32_t pb_unicode_char(const unsigned char *s, size_t n, size_t *len) {
    unsigned c = s[0];
    *len = 1;
    if (c < 0x80) return c;
    if (c >= 0xE1 && c <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *len = 3; /* the common case: a CJK character */
        return (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    }
    size_t need;
    unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c == 0xE0) {
        need = 3;
        lo = 0xA0; /* no overlong forms */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        else if (c == 0xF4) hi = 0x8F;
    } else {
        return PB_NOT_A_CHAR; /* a continuation byte, C0/C1, F5..FF, or E1..EF cut short */
    }
    if (need > n) return PB_NOT_A_CHAR;
    for (size_t i = 1; i < need; i++) {
        unsigned b = s[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return PB_NOT_A_CHAR;
    }
    *len = need;
    if (need == 2) return (uint32_t)(c & 0x1F) << 6 | (s[1] & 0x3F);
    if (need == 3) return (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* One of the numerals 一二三四五六七八九十 that number tables and list items (表三, 十二、). */
static inline int pb_unicode_numeral(uint32_t cp) {
    switch (cp) {
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94:
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341:
        return 1;
    default:
        return 0;
    }
}

/* Python's str.isspace: what re's \s and str.strip() take as blank; made on
 * Python 3.11 by [hex(c) for c in range(0x110000) if chr(c).isspace()]. */
static inline int pb_unicode_blank(uint32_t cp) {
    if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* A decimal digit (Unicode category Nd), as Python's re reads \d in a str
 * pattern. The ranges beyond ASCII, first and last, are those of Python 3.11
 * (Unicode 14.0), made by
 *   d = [c for c in range(0x110000) if re.match(r"\d", chr(c))]
 * and joining runs; Python 3.12 on (Unicode 15) also takes U+11F50–11F59
 * (Kawi) and U+1E4F0–1E4F9 (Nag Mundari), which are not here. */
static inline int pb_unicode_digit(uint32_t cp) {
    static const uint32_t other_digits[][2] = {
        {0x660, 0x669}, {0x6F0, 0x6F9}, {0x7C0, 0x7C9}, {0x966, 0x96F},
        {0x9E6, 0x9EF}, {0xA66, 0xA6F}, {0xAE6, 0xAEF}, {0xB66, 0xB6F},
        {0xBE6, 0xBEF}, {0xC66, 0xC6F}, {0xCE6, 0xCEF}, {0xD66, 0xD6F},
        {0xDE6, 0xDEF}, {0xE50, 0xE59}, {0xED0, 0xED9}, {0xF20, 0xF29},
        {0x1040, 0x1049}, {0x1090, 0x1099}, {0x17E0, 0x17E9}, {0x1810, 0x1819},
        {0x1946, 0x194F}, {0x19D0, 0x19D9}, {0x1A80, 0x1A89}, {0x1A90, 0x1A99},
        {0x1B50, 0x1B59}, {0x1BB0, 0x1BB9}, {0x1C40, 0x1C49}, {0x1C50, 0x1C59},
        {0xA620, 0xA629}, {0xA8D0, 0xA8D9}, {0xA900, 0xA909}, {0xA9D0, 0xA9D9},
        {0xA9F0, 0xA9F9}, {0xAA50, 0xAA59}, {0xABF0, 0xABF9}, {0xFF10, 0xFF19},
        {0x104A0, 0x104A9}, {0x10D30, 0x10D39}, {0x11066, 0x1106F}, {0x110F0, 0x110F9},
        {0x11136, 0x1113F}, {0x111D0, 0x111D9}, {0x112F0, 0x112F9}, {0x11450, 0x11459},
        {0x114D0, 0x114D9}, {0x11650, 0x11659}, {0x116C0, 0x116C9}, {0x11730, 0x11739},
        {0x118E0, 0x118E9}, {0x11950, 0x11959}, {0x11C50, 0x11C59}, {0x11D50, 0x11D59},
        {0x11DA0, 0x11DA9}, {0x16A60, 0x16A69}, {0x16AC0, 0x16AC9}, {0x16B50, 0x16B59},
        {0x1D7CE, 0x1D7FF}, {0x1E140, 0x1E149}, {0x1E2F0, 0x1E2F9}, {0x1E950, 0x1E959},
        {0x1FBF0, 0x1FBF9},
    };
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    if (cp < 0x660 || (cp >= 0x3000 && cp < 0xA620)) return 0; /* no digits there (CJK text) */
    size_t lo = 0, hi = sizeof other_digits / sizeof other_digits[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < other_digits[mid][0]) hi = mid;
        else if (cp > other_digits[mid][1]) lo = mid + 1;
        else return 1;
    }
    return 0;
}

#endif
