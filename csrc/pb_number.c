/* The one exact number parser: every table cell, fund grid and prose figure
 * goes through here. OCR noise is tolerated where it cannot change the value:
 * '733. 90' (space after the point), '50, 000' (space after a separator). */
#include "pb_internal.h"

#include <string.h>

/* Kept out of line where it matters (the rare paths would otherwise cost
 * every call their register saves). */
#if defined(__GNUC__)
#define PB_NOINLINE __attribute__((noinline))
#else
#define PB_NOINLINE
#endif

static int is_dash_text(const char *s, size_t n) {
    static const char *const dashes[] = {"-", "--", "—", "——", "–", "－", "/", "―", NULL};
    return n <= 6 && pb_is_one_of(dashes, s, n);
}

/* Digits of s[0..n) from its first nonzero one on (rarely asked). */
PB_NOINLINE static int significant_digits(const char *s, size_t n) {
    int count = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9' && (count || s[i] != '0')) count++;
    return count;
}

/* The figure itself: s trimmed, starting with a digit, a sign or a point. A
 * function of its own so that the cells that are no figure (most of them)
 * leave pb_parse_number without its setup. */
PB_NOINLINE static pb_num_kind parse_figure(const char *s, size_t n, pb_number *out) {
    size_t i = 0;
    int negative = 0;
    if (s[0] == '-' || s[0] == '+') {
        negative = s[0] == '-';
        i = 1;
        while (i < n && s[i] == ' ') i++;
    }
    int digits = 0, decimals = 0, seen_point = 0;
    uint64_t m = 0;
    char prev = 0; /* last meaningful character: digit 'd', ',' or '.' */
    while (i < n) {
        char c = s[i];
        unsigned d = (unsigned char)c - '0';
        if (d <= 9) {
            size_t run = i;
            for (;;) { /* each byte loaded once; m wraps past 19 digits: see below */
                m = m * 10 + d;
                if (++i == n || (d = (unsigned char)s[i] - '0') > 9) break;
            }
            digits += (int)(i - run);
            if (seen_point) decimals += (int)(i - run);
            /* More than 18 significant digits do not fit; leading zeros are
             * not significant, so a long run is counted again (rare). */
            if (digits > 18 && significant_digits(s, i) > 18) return PB_NUM_NONE;
            prev = 'd';
            continue;
        }
        if (c == ',') {
            if (prev != 'd' || seen_point) return PB_NUM_NONE;
            prev = ',';
        } else if (c == '.') {
            if (seen_point || (prev != 'd' && prev != 0)) return PB_NUM_NONE;
            seen_point = 1;
            prev = '.';
        } else if (c == ' ') {
            /* only right after a separator, or between digits and the point
             * ('733 .90'); elsewhere ('150000 150000') the cell is two numbers
             * (s is trimmed: a space is never last) */
            if (prev != ',' && prev != '.') {
                size_t k = i;
                while (k < n && s[k] == ' ') k++;
                if (prev != 'd' || k == n || s[k] != '.') return PB_NUM_NONE;
                i = k;
                continue;
            }
        } else {
            return PB_NUM_NONE;
        }
        i++;
    }
    if (!digits || prev == ',') return PB_NUM_NONE;
    out->kind = PB_NUM_VALUE;
    out->negative = negative;
    out->mantissa = m;
    out->decimals = decimals;
    return PB_NUM_VALUE;
}

/* A cell that starts with '-', '/', '(', '+', '.' or the lead byte of a dash:
 * a dash, an accountant's negative or a signed figure (s trimmed). */
PB_NOINLINE static pb_num_kind parse_marked_start(const char *s, size_t n, pb_number *out) {
    unsigned char c0 = (unsigned char)s[0];
    if (c0 != '(' && c0 != '+' && c0 != '.' && is_dash_text(s, n)) return out->kind = PB_NUM_DASH;
    if (c0 == '(') {
        /* an accountant's negative, '(10.88)': with decimals, so that '(1)' numbering a column
         * stays a label; a digit after '(' keeps the inner call from recursing again */
        if (n < 4 || s[n - 1] != ')' || s[1] < '0' || s[1] > '9') return PB_NUM_NONE;
        pb_num_kind k = pb_parse_number(s + 1, n - 2, out);
        if (k == PB_NUM_VALUE && out->decimals > 0) {
            out->negative = 1;
            return k;
        }
        memset(out, 0, sizeof *out);
        return PB_NUM_NONE;
    }
    if (c0 == '-' || c0 == '+' || c0 == '.') return parse_figure(s, n, out);
    return PB_NUM_NONE;
}

/* out is all zero unless the cell is a figure or a dash. Most cells asked are
 * names or plain figures: both leave from here, the rest go on to
 * parse_marked_start. */
pb_num_kind pb_parse_number(const char *s, size_t n, pb_number *out) {
    memset(out, 0, sizeof *out);
    while (n > 0 && s[0] == ' ') s++, n--;
    while (n > 0 && s[n - 1] == ' ') n--;
    if (n == 0) return PB_NUM_NONE;
    unsigned char c0 = (unsigned char)s[0];
    if (c0 >= '0' && c0 <= '9') return parse_figure(s, n, out);
    /* dashes start '-', '/', E2 (— – ―) or EF (－) */
    if (c0 == '-' || c0 == '/' || c0 == 0xE2 || c0 == 0xEF || c0 == '(' || c0 == '+' || c0 == '.')
        return parse_marked_start(s, n, out);
    return PB_NUM_NONE;
}

/* Length of one unit or footnote mark ending s[0..n), 0 if none; a unit's power
 * of ten through pow10 (left alone for a footnote mark). */
static size_t trailing_mark(const char *s, size_t n, int *pow10) {
    const unsigned char *u = (const unsigned char *)s;
    unsigned char last = u[n - 1];
    if (last == '*') return 1;
    if (last == 0x83 && pb_ends(s, n, "元")) { /* 元 (E5 85 83), after 万 or 亿 or alone */
        *pow10 = pb_ends(s, n, "万元") ? 4 : pb_ends(s, n, "亿元") ? 8 : 0;
        return *pow10 ? 6 : 3;
    }
    if (last == ')') { /* '(注1)': a note's number in parentheses */
        size_t open = n - 1;
        while (open > 0 && n - open <= 16 && s[open - 1] != '(') open--;
        if (open > 0 && s[open - 1] == '(' && pb_starts(s + open, n - 1 - open, "注")) return n - open + 1;
        return 0;
    }
    if (last < 0x80) return 0;
    if (n >= 2 && u[n - 2] == 0xC2 && (last == 0xB9 || last == 0xB2 || last == 0xB3)) return 2; /* ¹²³ */
    if (n >= 3 && u[n - 3] == 0xE2) {
        if (u[n - 2] == 0x80 && last == 0xBB) return 3;                             /* ※ */
        if (u[n - 2] == 0x91 && last >= 0xA0 && last <= 0xB3) return 3;             /* ①–⑳ */
        if (u[n - 2] == 0x81 && (last == 0xB0 || (last >= 0xB4 && last <= 0xB9))) return 3; /* ⁰⁴–⁹ */
    }
    return 0;
}

pb_num_kind pb_parse_marked_number(const char *s, size_t n, pb_number *out, int *unit_pow10) {
    memset(out, 0, sizeof *out);
    *unit_pow10 = -1;
    size_t start = 0;
    while (start < n && s[start] == ' ') start++;
    /* most cells asked are names: they start with no figure */
    unsigned char c0 = start < n ? (unsigned char)s[start] : 0;
    if (!((c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.' || c0 == '(')) return PB_NUM_NONE;
    size_t end = n, marks = 0;
    for (;;) { /* footnote marks after a unit ('30.72万元*'), one unit at most */
        while (end > 0 && s[end - 1] == ' ') end--;
        if (end == 0 || marks == 4) break;
        int pow10 = -1;
        size_t len = trailing_mark(s, end, &pow10);
        if (!len || (pow10 >= 0 && *unit_pow10 >= 0)) break;
        if (pow10 >= 0) *unit_pow10 = pow10;
        end -= len;
        marks++;
    }
    if (!marks || pb_parse_number(s, end, out) != PB_NUM_VALUE) {
        memset(out, 0, sizeof *out);
        *unit_pow10 = -1;
        return PB_NUM_NONE;
    }
    return PB_NUM_VALUE;
}

/* Powers of ten that fit in 64 bits: 10^0 … 10^19. */
static const uint64_t pow10_u64[20] = {1ull,
                                       10ull,
                                       100ull,
                                       1000ull,
                                       10000ull,
                                       100000ull,
                                       1000000ull,
                                       10000000ull,
                                       100000000ull,
                                       1000000000ull,
                                       10000000000ull,
                                       100000000000ull,
                                       1000000000000ull,
                                       10000000000000ull,
                                       100000000000000ull,
                                       1000000000000000ull,
                                       10000000000000000ull,
                                       100000000000000000ull,
                                       1000000000000000000ull,
                                       10000000000000000000ull};

int pb_number_to_fen(const pb_number *num, int unit_pow10, int64_t *fen) {
    int shift = 2 + unit_pow10 - num->decimals; /* power of ten from mantissa to 分 */
    uint64_t v = num->mantissa;
    int inexact = 0;
    if (shift >= 0) {
        /* v * 10^shift must fit in int64 (10^19 does not: only 0 times it does) */
        if (shift >= 19) {
            if (v) return -1;
        } else {
            if (v > (uint64_t)INT64_MAX / pow10_u64[shift]) return -1;
            v *= pow10_u64[shift];
        }
    } else if (-shift >= 20) { /* a divisor past 64 bits: nothing left */
        v = 0;
        inexact = 1;
    } else {
        uint64_t div = pow10_u64[-shift];
        uint64_t q = v / div, r = v % div;
        /* round half to even */
        if (r * 2 > div || (r * 2 == div && (q & 1))) q++;
        inexact = r != 0;
        v = q;
    }
    if (v > (uint64_t)INT64_MAX) return -1;
    *fen = num->negative ? -(int64_t)v : (int64_t)v;
    return inexact;
}
