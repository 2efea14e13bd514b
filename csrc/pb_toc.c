/* pb_toc.c - structure.toc's reading of the contents (pb_toc.h), as the
 * rule's patterns read them:
 *   names a table:  '表' in text and '部分' not in text and
 *                   ^(?:表[一-十\d]+|[一-十]+、)?.*表(?:\(.*\))?$|^表[一-十\d]+ and not
 *                   ^(?:第.部分|附件) and not 部门(?:预算|决算)(?:报)?表$|(?:预算|决算)报表$
 *   key:            re.sub(STRIP, '', re.sub(STRIP, '', text)), STRIP being
 *                   ^(?:表[一-十\d\-—_匹]+|[一-十]+、|-\s*)|\d{4}年度?|[\s"“”()（）:：\-_.·]
 *   pairs:          the set of each two neighbouring characters (the key itself when it is shorter)
 * ('一-十' is the ten numerals 一二三四五六七八九十, \d and \s as Python's re reads them in a str). */
#include "pb_toc.h"
#include "pb_unicode.h"

#include <stdlib.h>
#include <string.h>

enum {
    BIAO = 0x8868,     /* 表 */
    BU = 0x90E8,       /* 部 */
    FEN = 0x5206,      /* 分 */
    FU = 0x9644,       /* 附 */
    JIAN = 0x4EF6,     /* 件 */
    MEN = 0x95E8,      /* 门 */
    YU = 0x9884,       /* 预 */
    SUAN = 0x7B97,     /* 算 */
    JUE = 0x51B3,      /* 决 */
    BAO = 0x62A5,      /* 报 */
    NIAN = 0x5E74,     /* 年 */
    DU = 0x5EA6,       /* 度 */
    PI = 0x5339,       /* 匹 */
    DUN = 0x3001,      /* 、 */
    EM_DASH = 0x2014,  /* — */
};


static int contains(pb_toc_text t, uint32_t a, uint32_t b) {
    for (size_t i = 0; i + 1 < t.n; i++)
        if (t.s[i] == a && t.s[i + 1] == b) return 1;
    return 0;
}

/* t (as `$` reads it: before a final newline) ends with the n code points of w. */
static int ends_with(pb_toc_text t, const uint32_t *w, size_t n) {
    return t.n >= n && memcmp(t.s + t.n - n, w, n * sizeof *w) == 0;
}

int pb_toc_names_a_table(pb_toc_text entry) {
    int biao = 0;
    for (size_t i = 0; i < entry.n && !biao; i++) biao = entry.s[i] == BIAO;
    if (!biao || contains(entry, BU, FEN)) return 0;
    if (entry.n >= 2 && entry.s[0] == FU && entry.s[1] == JIAN) return 0; /* 附件 */
    pb_toc_text end = entry; /* what `$` stops at: the end, or a newline that ends the text */
    if (end.n && end.s[end.n - 1] == '\n') end.n--;
    static const uint32_t department_budget[] = {BU, MEN, YU, SUAN, BIAO}, department_accounts[] = {BU, MEN, JUE, SUAN, BIAO},
                          budget_report[] = {YU, SUAN, BAO, BIAO}, accounts_report[] = {JUE, SUAN, BAO, BIAO};
    if (ends_with(end, department_budget, 5) || ends_with(end, department_accounts, 5) || ends_with(end, budget_report, 4) ||
        ends_with(end, accounts_report, 4))
        return 0; /* all the tables, not one */
    /* ^表 and a number */
    if (entry.n >= 2 && entry.s[0] == BIAO && (pb_unicode_numeral(entry.s[1]) || pb_unicode_digit(entry.s[1]))) return 1;
    /* .*表(?:\(.*\))?$: no newline before the end; ends with 表, or with ')' after a '表(' */
    for (size_t i = 0; i < end.n; i++)
        if (end.s[i] == '\n') return 0;
    if (end.n && end.s[end.n - 1] == BIAO) return 1;
    if (!end.n || end.s[end.n - 1] != ')') return 0;
    for (size_t i = 0; i + 2 < end.n; i++)
        if (end.s[i] == BIAO && end.s[i + 1] == '(') return 1;
    return 0;
}

/* A character of the table number 表一, 表1, 表1-2, 表一—1, 表十匹 … */
static int number_char(uint32_t c) {
    return pb_unicode_numeral(c) || pb_unicode_digit(c) || c == '-' || c == EM_DASH || c == '_' || c == PI;
}

/* One of the blanks and marks the key drops: \s " “ ” ( ) （ ） : ： - _ . · */
static int mark(uint32_t c) {
    switch (c) {
    case '"': case 0x201C: case 0x201D: case '(': case ')': case 0xFF08: case 0xFF09: case ':': case 0xFF1A:
    case '-': case '_': case '.': case 0x00B7:
        return 1;
    default:
        return pb_unicode_blank(c);
    }
}

/* The length of STRIP's first way at the start of s: 表 and its number, numerals and 、, or '-' and blanks. */
static size_t number_prefix(const uint32_t *s, size_t n) {
    size_t i;
    if (n >= 2 && s[0] == BIAO && number_char(s[1])) {
        for (i = 2; i < n && number_char(s[i]); i++) {
        }
        return i;
    }
    for (i = 0; i < n && pb_unicode_numeral(s[i]); i++) {
    }
    if (i > 0 && i < n && s[i] == DUN) return i + 1;
    if (n && s[0] == '-') {
        for (i = 1; i < n && pb_unicode_blank(s[i]); i++) {
        }
        return i;
    }
    return 0;
}

/* One pass of re.sub(STRIP, '', s): out may be s itself (it never runs ahead of its reading). */
static size_t strip(const uint32_t *s, size_t n, uint32_t *out) {
    size_t k = 0, i = number_prefix(s, n);
    while (i < n) {
        if (i + 4 < n && pb_unicode_digit(s[i]) && pb_unicode_digit(s[i + 1]) && pb_unicode_digit(s[i + 2]) &&
            pb_unicode_digit(s[i + 3]) && s[i + 4] == NIAN) {
            i += 5 + (i + 5 < n && s[i + 5] == DU); /* a year, 2025年 or 2025年度 */
        } else if (mark(s[i])) {
            i++;
        } else {
            out[k++] = s[i++];
        }
    }
    return k;
}

size_t pb_toc_key(pb_toc_text text, uint32_t *out) {
    size_t n = strip(text.s, text.n, out);
    return strip(out, n, out);
}

/* The character pairs of a key (a key shorter than two characters is its own single pair), written to
 * out; returns how many (repeats kept). */
static size_t pairs_of(const uint32_t *key, size_t n, uint64_t *out) {
    if (n < 2) {
        out[0] = n ? (uint64_t)key[0] << 32 | UINT32_MAX : UINT64_MAX; /* never a pair of two characters */
        return 1;
    }
    for (size_t i = 0; i + 1 < n; i++) out[i] = (uint64_t)key[i] << 32 | key[i + 1];
    return n - 1;
}

/* Every text's pairs numbered (an open-addressed table of the pairs met) and each text's set of them as a
 * bitset of those numbers: a set's size and two sets' common pairs are then counted a word at a time. */
typedef struct pair_sets {
    uint64_t *keys; /* the table: a pair, or 0 for an empty slot (no pair is 0: a key holds no NUL pair) */
    uint32_t *numbers;
    size_t slots, n_numbers;
    uint64_t *bits; /* text k's set: bits[k * words .. (k + 1) * words) */
    size_t words;
} pair_sets;

static uint32_t pair_number(pair_sets *p, uint64_t pair) {
    if (pair == 0) pair = UINT64_MAX - 1; /* the pair of two NULs: kept apart from an empty slot */
    size_t at = (size_t)((pair * 0x9E3779B97F4A7C15ull) >> 40) & (p->slots - 1);
    while (p->keys[at] && p->keys[at] != pair) at = (at + 1) & (p->slots - 1);
    if (!p->keys[at]) {
        p->keys[at] = pair;
        p->numbers[at] = (uint32_t)p->n_numbers++;
    }
    return p->numbers[at];
}

/* The set bits of a word (without the call a builtin makes on a target lacking the instruction). */
static size_t popcount(uint64_t w) {
    w -= (w >> 1) & 0x5555555555555555ull;
    w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
    w = (w + (w >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (size_t)((w * 0x0101010101010101ull) >> 56);
}

/* texts[index[k]] (index NULL: texts[k]) for k < n, their keys' pairs numbered and set. */
static int pair_sets_make(const pb_toc_text *texts, const uint32_t *index, size_t n, pair_sets *p, uint32_t *scratch,
                          uint64_t *pairs, const pb_allocator *a) {
    size_t total = 0;
    for (size_t k = 0; k < n; k++) total += texts[index ? index[k] : k].n + 1;
    for (p->slots = 16; p->slots < total + total / 4; p->slots *= 2) { /* a pair per character at most */
    }
    p->keys = a->realloc(a->ctx, NULL, p->slots * sizeof *p->keys);
    p->numbers = a->realloc(a->ctx, NULL, p->slots * sizeof *p->numbers);
    uint32_t *numbered = a->realloc(a->ctx, NULL, (total ? total : 1) * sizeof *numbered);
    size_t *first = a->realloc(a->ctx, NULL, (n + 1) * sizeof *first);
    int rc = -1;
    if (!p->keys || !p->numbers || !numbered || !first) goto done;
    memset(p->keys, 0, p->slots * sizeof *p->keys);
    p->n_numbers = 0;
    size_t at = 0;
    for (size_t k = 0; k < n; k++) { /* number every pair, text by text */
        size_t count = pairs_of(scratch, pb_toc_key(texts[index ? index[k] : k], scratch), pairs);
        first[k] = at;
        for (size_t i = 0; i < count; i++) numbered[at++] = pair_number(p, pairs[i]);
    }
    first[n] = at;
    p->words = (p->n_numbers + 63) / 64;
    if (n && p->words > SIZE_MAX / sizeof *p->bits / n) goto done;
    size_t n_bits = n * p->words;
    p->bits = a->realloc(a->ctx, NULL, (n_bits ? n_bits : 1) * sizeof *p->bits);
    if (!p->bits) goto done;
    memset(p->bits, 0, n_bits * sizeof *p->bits);
    for (size_t k = 0; k < n; k++)
        for (size_t i = first[k]; i < first[k + 1]; i++) p->bits[k * p->words + numbered[i] / 64] |= 1ull << (numbered[i] % 64);
    rc = 0;
done:
    a->free(a->ctx, numbered);
    a->free(a->ctx, first);
    return rc;
}

static void pair_sets_free(pair_sets *p, const pb_allocator *a) {
    a->free(a->ctx, p->keys);
    a->free(a->ctx, p->numbers);
    a->free(a->ctx, p->bits);
}

typedef struct scored {
    double ratio;
    uint32_t entry, title;
} scored;

/* Most alike first; ties: the later entry, then the later title. */
static int scored_order(const void *x, const void *y) {
    const scored *p = (const scored *)x, *q = (const scored *)y;
    if (p->ratio != q->ratio) return p->ratio > q->ratio ? -1 : 1;
    if (p->entry != q->entry) return p->entry > q->entry ? -1 : 1;
    return p->title > q->title ? -1 : p->title < q->title;
}

size_t pb_toc_unmatched(const pb_toc_text *entries, size_t n_entries, const pb_toc_text *titles, size_t n_titles,
                        uint32_t *out, const pb_allocator *allocator) {
    pb_allocator a = allocator ? *allocator : pb_default_allocator();
    size_t n_listed = 0, longest = 1;
    for (size_t i = 0; i < n_entries; i++)
        if (pb_toc_names_a_table(entries[i])) out[n_listed++] = (uint32_t)i;
    if (!n_listed || !n_titles) return 0; /* nothing to match, or nothing to match with: no finding */
    if (n_listed > SIZE_MAX / sizeof(scored) / n_titles || n_listed > SIZE_MAX - n_titles) return SIZE_MAX;
    /* the listed entries and the titles as one list of texts: entries first */
    size_t n = n_listed + n_titles;
    pb_toc_text *texts = a.realloc(a.ctx, NULL, n * sizeof *texts);
    if (!texts) return SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        texts[k] = k < n_listed ? entries[out[k]] : titles[k - n_listed];
        if (texts[k].n > longest) longest = texts[k].n;
    }
    uint32_t *scratch = a.realloc(a.ctx, NULL, longest * sizeof *scratch);
    uint64_t *pairs = a.realloc(a.ctx, NULL, longest * sizeof *pairs);
    scored *found = a.realloc(a.ctx, NULL, n_listed * n_titles * sizeof *found);
    uint8_t *used = a.realloc(a.ctx, NULL, n);
    size_t *sizes = a.realloc(a.ctx, NULL, n * sizeof *sizes);
    pair_sets p = {NULL, NULL, 0, 0, NULL, 0};
    size_t result = SIZE_MAX;
    if (!scratch || !pairs || !found || !used || !sizes || pair_sets_make(texts, NULL, n, &p, scratch, pairs, &a) < 0)
        goto done;
    for (size_t k = 0; k < n; k++) {
        sizes[k] = 0;
        for (size_t w = 0; w < p.words; w++) sizes[k] += popcount(p.bits[k * p.words + w]);
    }
    size_t m = 0;
    for (size_t i = 0; i < n_listed; i++)
        for (size_t j = 0; j < n_titles; j++) {
            const uint64_t *x = p.bits + i * p.words, *y = p.bits + (n_listed + j) * p.words;
            size_t common = 0;
            for (size_t w = 0; w < p.words; w++) common += popcount(x[w] & y[w]);
            if (!common) continue; /* Dice 0 */
            double ratio = (double)(2 * common) / (double)(sizes[i] + sizes[n_listed + j]); /* as Python's 2 * n / total */
            if (ratio >= 0.4) found[m++] = (scored){ratio, (uint32_t)i, (uint32_t)j};
        }
    qsort(found, m, sizeof *found, scored_order);
    memset(used, 0, n);
    for (size_t k = 0; k < m; k++) {
        if (used[found[k].entry] || used[n_listed + found[k].title]) continue;
        used[found[k].entry] = used[n_listed + found[k].title] = 1;
    }
    result = 0;
    for (size_t i = 0; i < n_listed; i++)
        if (!used[i]) out[result++] = out[i];
done:
    pair_sets_free(&p, &a);
    a.free(a.ctx, texts);
    a.free(a.ctx, scratch);
    a.free(a.ctx, pairs);
    a.free(a.ctx, found);
    a.free(a.ctx, used);
    a.free(a.ctx, sizes);
    return result;
}
