/* pb_match.c - the name pairing of pb_match.h, as cross_rules.match_by_name
 * did it in Python: the same keys, character pairs, scores (doubles computed
 * as Python computes them) and order, so the same pairs come out. */
#include "pb_match.h"
#include "pb_internal.h"
#include "pb_unicode.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ keys */

/* A blank or one of the marks :：,，.。、()（）【】[]-—_· (pb_match.h). */
static int noise(uint32_t cp) {
    /* Nearly every character of a name is a CJK ideograph: past 【】 (U+3011, the last blank is U+3000)
     * and before （ (U+FF08), no character is either. */
    if (cp > 0x3011 && cp < 0xFF08) return 0;
    switch (cp) {
    case ':': case 0xFF1A: case ',': case 0xFF0C: case '.': case 0x3002: case 0x3001: case '(': case ')':
    case 0xFF08: case 0xFF09: case 0x3010: case 0x3011: case '[': case ']': case '-': case 0x2014: case '_':
    case 0x00B7:
        return 1;
    default:
        return pb_unicode_blank(cp);
    }
}

size_t pb_match_key(const char *utf8, size_t n, uint32_t *out) {
    size_t k = 0;
    for (size_t i = 0, len; i < n && k < n; i += len) {
        uint32_t cp = pb_unicode_char((const unsigned char *)utf8 + i, n - i, &len);
        if (cp == PB_NOT_A_CHAR) cp = 0xDC00 | (unsigned char)utf8[i]; /* no str holds one: kept apart all the same */
        if (!noise(cp)) out[k++] = cp;
    }
    return k;
}

/* ------------------------------------------------------------ the result */

void pb_match_result_init(pb_match_result *r, const pb_allocator *allocator) {
    memset(r, 0, sizeof *r);
    r->allocator = allocator ? *allocator : pb_default_allocator();
}

void pb_match_result_free(pb_match_result *r) {
    pb_allocator a = r->allocator;
    a.free(a.ctx, r->pairs);
    pb_match_result_init(r, &a);
}

/* ---------------------------------------------------------- pair sets */

/* A key's character pairs, sorted and unique; a one-character key is its own single
 * "pair" (the character with a second half no code point has). */
typedef struct pair_set {
    uint64_t *items;
    size_t n;
} pair_set;

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Keys of up to this many pairs are sorted in place by insertion (a name's few dozen, without a
 * call per comparison); longer ones by qsort, so no key costs quadratic time. */
#define INSERTION_SORT_MAX 64

static size_t make_pairs(const uint32_t *key, size_t len, uint64_t *out) {
    if (len == 0) return 0;
    if (len == 1) {
        out[0] = (uint64_t)key[0] << 21 | 0x1FFFFF;
        return 1;
    }
    for (size_t i = 0; i + 1 < len; i++) out[i] = (uint64_t)key[i] << 21 | key[i + 1];
    if (len - 1 <= INSERTION_SORT_MAX) {
        for (size_t i = 1; i + 1 < len; i++) {
            uint64_t item = out[i];
            size_t j = i;
            for (; j > 0 && out[j - 1] > item; j--) out[j] = out[j - 1];
            out[j] = item;
        }
    } else {
        qsort(out, len - 1, sizeof *out, cmp_u64);
    }
    size_t n = 1;
    for (size_t i = 1; i + 1 < len; i++)
        if (out[i] != out[n - 1]) out[n++] = out[i];
    return n;
}

static size_t common(const pair_set *a, const pair_set *b) {
    size_t i = 0, j = 0, n = 0;
    while (i < a->n && j < b->n) {
        if (a->items[i] < b->items[j]) i++;
        else if (a->items[i] > b->items[j]) j++;
        else n++, i++, j++;
    }
    return n;
}

static int same_set(const pair_set *a, const pair_set *b) {
    return a->n == b->n && (a->n == 0 || memcmp(a->items, b->items, a->n * sizeof *a->items) == 0);
}

/* Whether `needle` occurs in `hay`. */
static int contains(const uint32_t *hay, size_t n, const uint32_t *needle, size_t m) {
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m * sizeof *needle) == 0) return 1;
    return 0;
}

/* cross_rules._similarity: 1.0 for equal keys, else Dice's coefficient of the pairs, at
 * least 0.9 when one key of 4 or more characters holds the other. */
static double similarity(const pb_match_name *a, const pair_set *ga, const pb_match_name *b, const pair_set *gb) {
    if (!a->len || !b->len) return 0.0;
    if (a->len == b->len && memcmp(a->key, b->key, a->len * sizeof *a->key) == 0) return 1.0;
    size_t total = ga->n + gb->n;
    double ratio = total ? (double)(2 * common(ga, gb)) / (double)total : 0.0;
    if ((a->len < b->len ? a->len : b->len) >= 4 &&
        (contains(a->key, a->len, b->key, b->len) || contains(b->key, b->len, a->key, a->len)))
        ratio = ratio > 0.9 ? ratio : 0.9;
    return ratio;
}

static int close_amounts(int64_t a, int64_t b, uint64_t tolerance) {
    uint64_t d = a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
    return d <= tolerance;
}

typedef struct scored {
    double score, similarity;
    uint32_t left, right;
} scored;

/* Best first: score, similarity, then the later left and right name (Python's reverse sort of tuples). */
static int cmp_scored(const void *pa, const void *pb) {
    const scored *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->similarity != b->similarity) return a->similarity > b->similarity ? -1 : 1;
    if (a->left != b->left) return a->left > b->left ? -1 : 1;
    return a->right > b->right ? -1 : a->right < b->right;
}

pb_match_status pb_match_names(const pb_match_name *left, size_t n_left, const pb_match_name *right, size_t n_right,
                               uint64_t tolerance_fen, pb_match_result *out) {
    pb_allocator al = out->allocator;
    pb_match_result_free(out);
    if (n_left > UINT32_MAX || n_right > UINT32_MAX) return PB_MATCH_TOO_BIG;
    size_t n = n_left + n_right, chars = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = i < n_left ? left[i].len : right[i - n_left].len;
        if (len > SIZE_MAX / 2 - chars) return PB_MATCH_TOO_BIG;
        chars += len;
    }
    size_t most = n_left < n_right ? n_left : n_right;
    pair_set *sets = al.realloc(al.ctx, NULL, (n ? n : 1) * sizeof *sets);
    uint64_t *pairs = al.realloc(al.ctx, NULL, (chars ? chars : 1) * sizeof *pairs);
    uint8_t *used = al.realloc(al.ctx, NULL, n ? n : 1);
    size_t n_cand = 0, cand_cap = 64; /* grown as pairs alike enough are found: few are */
    scored *cand = al.realloc(al.ctx, NULL, cand_cap * sizeof *cand);
    pb_match_pair *found = al.realloc(al.ctx, NULL, (most ? most : 1) * sizeof *found);
    pb_match_status status = PB_MATCH_NO_MEMORY;
    if (!sets || !pairs || !used || !cand || !found) goto done;
    memset(used, 0, n ? n : 1);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const pb_match_name *name = i < n_left ? &left[i] : &right[i - n_left];
        sets[i].items = pairs + at;
        sets[i].n = make_pairs(name->key, name->len, pairs + at);
        at += sets[i].n;
    }
    uint8_t *used_left = used, *used_right = used + n_left;
    const pair_set *lsets = sets, *rsets = sets + n_left;
    size_t n_found = 0;
    /* the best there is: the same pairs, amounts close; the last left name first, with the last right one */
    for (size_t i = n_left; i-- > 0;) {
        if (!left[i].len) continue;
        for (size_t j = n_right; j-- > 0;) {
            if (!right[j].len || used_right[j] || !same_set(&lsets[i], &rsets[j]) ||
                !close_amounts(left[i].fen, right[j].fen, tolerance_fen))
                continue;
            used_left[i] = used_right[j] = 1;
            found[n_found++] = (pb_match_pair){(uint32_t)i, (uint32_t)j, 1.0};
            break;
        }
    }
    for (size_t i = 0; i < n_left; i++) {
        if (used_left[i]) continue;
        for (size_t j = 0; j < n_right; j++) {
            if (used_right[j]) continue;
            double sim = similarity(&left[i], &lsets[i], &right[j], &rsets[j]);
            if (sim < 0.3) continue;
            if (n_cand == cand_cap) {
                scored *more = cand_cap > SIZE_MAX / 2 / sizeof *cand
                                   ? NULL
                                   : al.realloc(al.ctx, cand, 2 * cand_cap * sizeof *cand);
                if (!more) goto done;
                cand = more;
                cand_cap *= 2;
            }
            cand[n_cand++] = (scored){sim + (close_amounts(left[i].fen, right[j].fen, tolerance_fen) ? 0.3 : 0), sim,
                                      (uint32_t)i, (uint32_t)j};
        }
    }
    qsort(cand, n_cand, sizeof *cand, cmp_scored);
    for (size_t k = 0; k < n_cand && n_found < most; k++) {
        if (used_left[cand[k].left] || used_right[cand[k].right]) continue;
        used_left[cand[k].left] = used_right[cand[k].right] = 1;
        found[n_found++] = (pb_match_pair){cand[k].left, cand[k].right, cand[k].similarity};
    }
    out->pairs = found;
    out->n_pairs = n_found;
    found = NULL;
    status = PB_MATCH_OK;
done:
    al.free(al.ctx, sets);
    al.free(al.ctx, pairs);
    al.free(al.ctx, used);
    al.free(al.ctx, cand);
    al.free(al.ctx, found);
    return status;
}
