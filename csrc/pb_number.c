/* The one exact number parser: every table cell, fund grid and prose figure
 * goes through here. OCR noise is tolerated where it cannot change the value:
 * '733. 90' (space after the point), '50, 000' (space after a separator). */
#include "pb_internal.h"

#include <string.h>

static int is_dash_text(const char *s, size_t n) {
    static const char *const dashes[] = {"-", "--", "—", "——", "–", "－", "/", "―", NULL};
    return n <= 6 && pb_is_one_of(dashes, s, n);
}

pb_num_kind pb_parse_number(const char *s, size_t n, pb_number *out) {
    memset(out, 0, sizeof *out);
    while (n > 0 && s[0] == ' ') s++, n--;
    while (n > 0 && s[n - 1] == ' ') n--;
    if (n == 0) return PB_NUM_NONE;
    unsigned char c0 = (unsigned char)s[0];
    /* dashes start '-', '/', E2 (— – ―) or EF (－); most cells are words */
    if ((c0 == '-' || c0 == '/' || c0 == 0xE2 || c0 == 0xEF) && is_dash_text(s, n)) return out->kind = PB_NUM_DASH;
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
    if (!((c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.')) return PB_NUM_NONE;
    size_t i = 0;
    if (s[0] == '-' || s[0] == '+') {
        out->negative = s[0] == '-';
        i = 1;
        while (i < n && s[i] == ' ') i++;
    }
    int digits = 0, seen_point = 0, significant = 0;
    uint64_t m = 0;
    char prev = 0; /* last meaningful character: digit 'd', ',' or '.' */
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (prev == ' ') return PB_NUM_NONE; /* '150000 150000' is two numbers */
            if (significant || c != '0') significant++;
            if (significant > 18) return PB_NUM_NONE;
            m = m * 10 + (uint64_t)(c - '0');
            digits++;
            if (seen_point) out->decimals++;
            prev = 'd';
        } else if (c == ',') {
            if (prev != 'd' || seen_point) return PB_NUM_NONE;
            prev = ',';
        } else if (c == '.') {
            if (seen_point || (prev != 'd' && prev != 0)) return PB_NUM_NONE;
            seen_point = 1;
            prev = '.';
        } else if (c == ' ') {
            /* only right after a separator, or right before the point */
            if (prev == ',' || prev == '.') continue;
            size_t k = i;
            while (k < n && s[k] == ' ') k++;
            if (prev == 'd' && k < n && s[k] == '.') {
                i = k - 1;
                continue;
            }
            prev = ' ';
        } else {
            return PB_NUM_NONE;
        }
    }
    if (!digits || prev == ',' || prev == ' ') return PB_NUM_NONE;
    out->mantissa = m;
    return out->kind = PB_NUM_VALUE;
}

int pb_number_to_fen(const pb_number *num, int unit_pow10, int64_t *fen) {
    int shift = 2 + unit_pow10 - num->decimals; /* power of ten from mantissa to 分 */
    uint64_t v = num->mantissa;
    int inexact = 0;
    if (shift >= 0) {
        for (int k = 0; k < shift; k++) {
            if (v > (uint64_t)INT64_MAX / 10) return -1;
            v *= 10;
        }
    } else {
        uint64_t div = 1;
        for (int k = 0; k < -shift; k++) {
            if (div > UINT64_MAX / 10) { div = 0; break; }
            div *= 10;
        }
        if (div == 0) {
            v = 0;
            inexact = 1;
        } else {
            uint64_t q = v / div, r = v % div;
            /* round half to even */
            if (r * 2 > div || (r * 2 == div && (q & 1))) q++;
            inexact = r != 0;
            v = q;
        }
    }
    if (v > (uint64_t)INT64_MAX) return -1;
    *fen = num->negative ? -(int64_t)v : (int64_t)v;
    return inexact;
}
