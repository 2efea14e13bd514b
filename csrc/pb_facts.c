/* Narrative facts: the figures the prose states about known subjects.
 *
 * Three passes over the prose lines: lines are cleaned (blanks, '#' and
 * quotation marks) and joined into paragraphs where a sentence runs on; each
 * paragraph worth reading is split into sentences; each sentence is scanned
 * for figures and for the words that give them meaning (reasons, thresholds,
 * 'no change', 其中), and these events are read in order by one state machine
 * (read_sentence) that makes facts, lists, changes and shares.
 *
 * Positions are byte offsets into UTF-8 text; where the rules count
 * characters (a heading is at most 40 of them) they are counted. Digits and
 * blanks are Unicode's (category Nd, and the blanks of str.isspace), as the
 * prose may keep any the line normaliser lets through. Figures are read by
 * the core's one number parser, pb_parse_number. */
#include "pb_facts.h"
#include "pb_internal.h"
#include "pb_unicode.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct subject_word {
    const char *text;
    uint8_t len;
    uint8_t rank;    /* the group (pattern) the word belongs to: ties go to the lower */
    uint8_t subject; /* index into subject_names */
    uint8_t whole;   /* the word must be the whole label */
} subject_word;

#include "pb_fact_words.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(s) (s), (sizeof(s) - 1)

/* ---------------------------------------------------------------- UTF-8 */

static size_t char_len(unsigned char c) {
    if (c < 0xC0) return 1; /* ASCII, or a stray continuation byte taken alone */
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    return 4;
}

/* The code point at s[i] (n bytes in all) and its length; a byte that starts no
 * well-formed sequence is one character, PB_NOT_A_CHAR. */
static inline uint32_t char_at(const char *s, size_t n, size_t i, size_t *len) {
    return pb_unicode_char((const unsigned char *)s + i, n - i, len);
}

/* Where the character before s[i] starts (i > 0). */
static size_t char_before(const char *s, size_t i) {
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80) j--;
    return j;
}

/* Whether byte c leads U+4000..U+9FFF (E4..E9: the CJK ideographs of prose), whatever
 * the bytes after it: no digit, blank, point or comma is there, nor any character that
 * fails to decode as one of these (pb_unicode_char of a sequence it leads is one of that
 * range or PB_NOT_A_CHAR). The hot loops ask it before decoding. */
static inline int leads_ideograph(unsigned char c) { return c >= 0xE4 && c <= 0xE9; }

/* Whether s[i] (n bytes in all) is a digit (pb_unicode_digit), and through *len its
 * length when it is. */
static inline int digit_at(const char *s, size_t n, size_t i, size_t *len) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return *len = 1, (unsigned)(c - '0') <= 9;
    if (leads_ideograph(c)) return 0;
    return pb_unicode_digit(char_at(s, n, i, len));
}

/* Whether byte c may start a digit (ASCII, or a lead byte of the blocks that hold
 * other digits: U+0660 on) or '∞' (E2). Scans for figures step over all other
 * byte one at a time: a byte that is no lead of such a character (a continuation
 * byte, ASCII, a CJK lead E3..E9) is never where a figure starts, however the
 * bytes around it decode. */
static inline int may_start_figure(unsigned char c) {
    return (unsigned)(c - '0') <= 9 || (c >= 0xD9 && c <= 0xE2) || (c >= 0xEA && c <= 0xF4);
}

/* ---------------------------------------------------------------- byte scans
 *
 * The reader looks for a few kinds of byte in long stretches of prose that
 * hold none of them: where a figure may start, where a sentence may end, a
 * quotation mark, a separator. These scans step over the other bytes sixteen
 * at a time (SSE2) and leave each byte found to the exact test that follows,
 * which would have rejected the bytes stepped over: results never depend on
 * whether the vector path ran. Loads stay inside u[0, n) (u[a, *b) for the
 * backward scan): the last block overlaps the one before it and ignores the
 * bytes already seen. */

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bytes of b in [lo, hi]: b - lo is at most hi - lo, unsigned. */
static inline __m128i bytes_in(__m128i b, unsigned char lo, unsigned char hi) {
    __m128i d = _mm_sub_epi8(b, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((char)(hi - lo))), d);
}

static inline __m128i bytes_eq(__m128i b, unsigned char c) { return _mm_cmpeq_epi8(b, _mm_set1_epi8((char)c)); }

/* may_start_figure on sixteen bytes. */
static inline unsigned figure_lead_bits(const unsigned char *p, const unsigned char *unused) {
    (void)unused;
    __m128i b = _mm_loadu_si128((const void *)p);
    __m128i m = _mm_or_si128(bytes_in(b, '0', '9'), _mm_or_si128(bytes_in(b, 0xD9, 0xE2), bytes_in(b, 0xEA, 0xF4)));
    return (unsigned)_mm_movemask_epi8(m);
}

/* Which of sixteen bytes are one of c0..c4 (a byte set of at most five). */
static inline unsigned byte_set_bits(const unsigned char *p, const unsigned char *set) {
    __m128i b = _mm_loadu_si128((const void *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(bytes_eq(b, set[0]), bytes_eq(b, set[1])),
                             _mm_or_si128(_mm_or_si128(bytes_eq(b, set[2]), bytes_eq(b, set[3])), bytes_eq(b, set[4])));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Whether u[i] (n bytes in all) starts one of the mark words' first characters
 * (主原与持无没保相其, see word_mark_at): all three bytes are tested, as their first two
 * also start many common characters (E4 B8: 上下不中为…). */
static inline int may_start_mark(const unsigned char *u, size_t i, size_t n) {
    if (i + 2 >= n) return 0;
    switch ((uint32_t)u[i] << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2]) {
    case 0xE4B8BB: case 0xE4B88E: case 0xE4BF9D: case 0xE58E9F: case 0xE585B6: /* 主 与 保 原 其 */
    case 0xE68C81: case 0xE697A0: case 0xE6B2A1: case 0xE79BB8: return 1;    /* 持 无 没 相 */
    default: return 0;
    }
}

#if defined(__SSE2__)
/* may_start_mark at p[0..16), reading p[0..18). */
static inline unsigned mark_lead_bits(const unsigned char *p, const unsigned char *unused) {
    (void)unused;
    __m128i a = _mm_loadu_si128((const void *)p), b = _mm_loadu_si128((const void *)(p + 1)),
            c = _mm_loadu_si128((const void *)(p + 2));
#define PB_PAIR(y, z) _mm_and_si128(bytes_eq(b, y), bytes_eq(c, z))
    __m128i e4 = _mm_and_si128(bytes_eq(a, 0xE4),
                               _mm_or_si128(_mm_or_si128(PB_PAIR(0xB8, 0xBB), PB_PAIR(0xB8, 0x8E)), PB_PAIR(0xBF, 0x9D)));
    __m128i e5 = _mm_and_si128(bytes_eq(a, 0xE5), _mm_or_si128(PB_PAIR(0x8E, 0x9F), PB_PAIR(0x85, 0xB6)));
    __m128i e6 = _mm_and_si128(bytes_eq(a, 0xE6),
                               _mm_or_si128(_mm_or_si128(PB_PAIR(0x8C, 0x81), PB_PAIR(0x97, 0xA0)), PB_PAIR(0xB2, 0xA1)));
    __m128i e7 = _mm_and_si128(bytes_eq(a, 0xE7), PB_PAIR(0x9B, 0xB8));
#undef PB_PAIR
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(e4, e5), _mm_or_si128(e6, e7)));
}
#endif

#if defined(__SSE2__)
/* The sixteen-place test of a forward scan: bit k for p[k] (`set`: the byte set, where the test has one). */
typedef unsigned (*block_bits)(const unsigned char *p, const unsigned char *set);

/* The SSE2 part of the forward scans below: from *at, blocks of 16 places each reading `width` bytes (17 or
 * 18 where a place looks at the bytes after it: no place among the last width - 16 is then ever set). Returns
 * 1 with *at the first place bits_of sets (n when there is none), or 0 with *at where fewer than `width`
 * bytes are left, for the caller to test one by one. */
static inline int scan_blocks(const unsigned char *u, size_t *at, size_t n, size_t width, block_bits bits_of,
                              const unsigned char *set) {
    size_t i = *at;
    for (; i + width <= n; i += 16) {
        unsigned bits = bits_of(u + i, set);
        if (bits) {
            *at = i + (size_t)__builtin_ctz(bits);
            return 1;
        }
    }
    if (i < n && n >= width) { /* the last block, overlapping the one before */
        unsigned bits = bits_of(u + n - width, set) >> (i - (n - width));
        *at = bits ? i + (size_t)__builtin_ctz(bits) : n;
        return 1;
    }
    *at = i;
    return 0;
}
#endif

/* Where the first place at or after `from` (before n) that may_start_mark is; n when there is none. */
static inline size_t next_mark_lead(const unsigned char *u, size_t from, size_t n) {
    size_t i = from;
#if defined(__SSE2__)
    if (scan_blocks(u, &i, n, 18, mark_lead_bits, NULL)) return i; /* u[n - 2], u[n - 1] start no mark */
#endif
    while (i < n && !may_start_mark(u, i, n)) i++;
    return i;
}

/* Where the first byte at or after `from` (before n) that may start a figure
 * is; n when there is none. */
static inline size_t next_figure_lead(const unsigned char *u, size_t from, size_t n) {
    size_t i = from;
#if defined(__SSE2__)
    if (scan_blocks(u, &i, n, 16, figure_lead_bits, NULL)) return i;
#endif
    while (i < n && !may_start_figure(u[i])) i++;
    return i;
}

static inline int in_byte_set(unsigned char c, const unsigned char set[5]) {
    return c == set[0] || c == set[1] || c == set[2] || c == set[3] || c == set[4];
}

/* Where the first byte of the set in u[from, n) is; n when there is none. */
static inline size_t next_in_set(const unsigned char *u, size_t from, size_t n, const unsigned char set[5]) {
    size_t i = from;
#if defined(__SSE2__)
    if (scan_blocks(u, &i, n, 16, byte_set_bits, set)) return i;
#endif
    while (i < n && !in_byte_set(u[i], set)) i++;
    return i;
}

/* The last place in u[a, *b) holding a byte of the set, through *b; 0 when there is none. */
static inline int last_in_set(const unsigned char *u, size_t a, size_t *b, const unsigned char set[5]) {
    size_t i = *b;
#if defined(__SSE2__)
    for (; i >= a + 16; i -= 16) {
        unsigned bits = byte_set_bits(u + i - 16, set);
        if (bits) return *b = i - 16 + (size_t)(31 - __builtin_clz(bits)), 1;
    }
    if (i > a && *b >= a + 16) { /* the block at a, of which the bytes before i are left */
        unsigned bits = byte_set_bits(u + a, set) & ((1u << (i - a)) - 1);
        if (bits) return *b = a + (size_t)(31 - __builtin_clz(bits)), 1;
        return 0;
    }
#endif
    while (i > a)
        if (in_byte_set(u[--i], set)) return *b = i, 1;
    return 0;
}

static int word_at(const char *s, size_t n, size_t i, const char *w, size_t wl) {
    return i + wl <= n && memcmp(s + i, w, wl) == 0;
}




/* Whether byte c may be the first (or last) byte of a blank: the blanks are
 * U+0009..000D, U+001C..0020, U+0085, U+00A0 (C2 85, C2 A0), U+1680 (E1 9A 80),
 * U+2000..200A, 2028, 2029, 202F, 205F (E2 80 80..8A, A8, A9, AF, E2 81 9F)
 * and U+3000 (E3 80 80). Most text starts and ends with neither. */
static int may_start_blank(unsigned char c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || (c >= 0xC2 && c <= 0xE3);
}

/* Whether u[a, b) (b > a) may end with a blank: by the bytes of its last blank's encoding
 * (C2 85, C2 A0, E1 9A 80, E2 80 80..8A, E2 80 A8, A9, AF, E2 81 9F, E3 80 80), as a
 * blank's last byte alone is also the last byte of much Chinese text ('。' is E3 80 82). */
static int may_end_blank(const unsigned char *u, size_t a, size_t b) {
    unsigned char c = u[b - 1];
    if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
    if (b - a >= 2 && u[b - 2] == 0xC2) return c == 0x85 || c == 0xA0;
    if (b - a < 3) return 0;
    unsigned char x = u[b - 3], y = u[b - 2];
    switch (x) { /* most text ends with an ideograph (E4..E9) or 。 (E3 80 82) */
    case 0xE1: return y == 0x9A && c == 0x80;
    case 0xE2: return y == 0x80 ? c <= 0x8A || c == 0xA8 || c == 0xA9 || c == 0xAF : y == 0x81 && c == 0x9F;
    case 0xE3: return y == 0x80 && c == 0x80;
    default: return 0;
    }
}

/* s[*a, *b) without the blanks at its ends. */
static void strip_blanks(const char *s, size_t *a, size_t *b) {
    const unsigned char *u = (const unsigned char *)s;
    if (*a < *b && !may_start_blank(u[*a]) && !may_end_blank(u, *a, *b)) return;
    size_t len;
    while (*a < *b && pb_unicode_blank(char_at(s, *b, *a, &len))) *a += len;
    while (*b > *a) {
        size_t k = char_before(s, *b);
        if (k < *a || !pb_unicode_blank(char_at(s, *b, k, &len)) || k + len != *b) break;
        *b = k;
    }
}

/* The length of the sentence end mark (。!?！？) at u[b] (n bytes in all), or 0: '!' '?', or the
 * bytes of 。 (E3 80 82), ！ (EF BC 81), ？ (EF BC 9F), told without decoding. */
static size_t sentence_mark_at(const unsigned char *u, size_t b, size_t n) {
    unsigned char c = u[b];
    if (c < 0x80) return c == '!' || c == '?';
    if (b + 2 >= n) return 0;
    if (c == 0xE3) return u[b + 1] == 0x80 && u[b + 2] == 0x82 ? 3 : 0;
    return c == 0xEF && u[b + 1] == 0xBC && (u[b + 2] == 0x81 || u[b + 2] == 0x9F) ? 3 : 0;
}

/* Whether s (n bytes) ends with a sentence end mark, told by its last three bytes (a
 * continuation byte never leads: those bytes are the last character whatever is before). */
static int ends_sentence(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) return 0;
    if (u[n - 1] < 0x80) return sentence_mark_at(u, n - 1, n) == 1;
    return n >= 3 && sentence_mark_at(u, n - 3, n) == 3;
}

/* ---------------------------------------------------------------- the store */

static void *store_realloc(pb_fact_store *st, void *ptr, size_t size) {
    return st->alloc.realloc(st->alloc.ctx, ptr, size);
}

/* Room for one more item of size `size` in *items (count used, *cap held), at
 * most `limit` items. */
static pb_facts_status grow(pb_fact_store *st, void **items, size_t *cap, size_t count, size_t size, size_t limit) {
    if (count >= limit) return PB_FACTS_TOO_BIG;
    if (count < *cap) return PB_FACTS_OK;
    size_t want = *cap ? *cap * 2 : 16;
    if (want > limit) want = limit;
    void *p = store_realloc(st, *items, want * size);
    if (!p) return PB_FACTS_NO_MEMORY;
    *items = p;
    *cap = want;
    return PB_FACTS_OK;
}

/* Room for `more` bytes of text. */
static pb_facts_status reserve_text(pb_fact_store *st, size_t more) {
    size_t limit = st->max_text < PB_FACTS_MAX_TEXT ? st->max_text : PB_FACTS_MAX_TEXT;
    if (st->text_len > limit || more > limit - st->text_len) return PB_FACTS_TOO_BIG;
    size_t need = st->text_len + more;
    if (need <= st->text_cap) return PB_FACTS_OK;
    size_t want = st->text_cap ? st->text_cap : 256;
    while (want < need) want = want > limit / 2 ? limit : want * 2;
    char *p = store_realloc(st, st->text, want);
    if (!p) return PB_FACTS_NO_MEMORY;
    st->text = p;
    st->text_cap = want;
    return PB_FACTS_OK;
}

/* Room for about `more` bytes of text, as far as the limit allows (what a pass will add,
 * reserved at once rather than doubled into). */
static pb_facts_status reserve_text_hint(pb_fact_store *st, size_t more) {
    size_t limit = st->max_text < PB_FACTS_MAX_TEXT ? st->max_text : PB_FACTS_MAX_TEXT;
    if (st->text_len >= limit) return PB_FACTS_OK;
    return reserve_text(st, more < limit - st->text_len ? more : limit - st->text_len);
}

/* Room for `want` items of size `size` in *items (*cap held), or fewer where `limit` is lower. */
static pb_facts_status reserve_items(pb_fact_store *st, void **items, size_t *cap, size_t want, size_t size,
                                     size_t limit) {
    if (want > limit) want = limit;
    if (want <= *cap) return PB_FACTS_OK;
    void *p = store_realloc(st, *items, want * size);
    if (!p) return PB_FACTS_NO_MEMORY;
    *items = p;
    *cap = want;
    return PB_FACTS_OK;
}

static pb_facts_status keep_text(pb_fact_store *st, const char *s, size_t n, pb_fact_span *out) {
    pb_facts_status rc = reserve_text(st, n);
    if (rc) return rc;
    if (n) memcpy(st->text + st->text_len, s, n);
    out->off = (uint32_t)st->text_len;
    out->len = (uint32_t)n;
    out->present = 1;
    st->text_len += n;
    return PB_FACTS_OK;
}

void pb_fact_store_init(pb_fact_store *st, const pb_allocator *allocator) {
    memset(st, 0, sizeof *st);
    st->max_text = PB_FACTS_MAX_TEXT;
    st->max_facts = PB_FACTS_MAX_FACTS;
    st->max_line = PB_FACTS_MAX_LINE;
    st->alloc = allocator ? *allocator : pb_default_allocator();
}

static void store_clear(pb_fact_store *st) {
    st->text_len = st->nfacts = st->nparas = st->nstarts = 0;
}

void pb_fact_store_free(pb_fact_store *st) {
    st->alloc.free(st->alloc.ctx, st->text);
    st->alloc.free(st->alloc.ctx, st->facts);
    st->alloc.free(st->alloc.ctx, st->paras);
    st->alloc.free(st->alloc.ctx, st->starts);
    pb_fact_store keep = *st;
    memset(st, 0, sizeof *st);
    st->alloc = keep.alloc;
    st->max_text = keep.max_text;
    st->max_facts = keep.max_facts;
    st->max_line = keep.max_line;
}

const char *pb_facts_status_message(pb_facts_status status) {
    switch (status) {
    case PB_FACTS_OK: return "ok";
    case PB_FACTS_NO_MEMORY: return "out of memory";
    case PB_FACTS_TOO_BIG: return "prose beyond the facts reader's limits (a line of 16 MiB, 256 MiB of text, 1,048,576 facts)";
    }
    return "unknown status";
}

size_t pb_fact_subject_count(void) { return PB_FACT_SUBJECTS; }

const char *pb_fact_subject_name(size_t subject) {
    return subject < COUNT_OF(subject_names) ? subject_names[subject] : NULL;
}

static const char *const unit_names[PB_FU__COUNT] = {"万元", "亿元", "元", "%", "辆", "平方米", "人", "个"};

const char *pb_fact_unit_name(unsigned unit) { return unit < PB_FU__COUNT ? unit_names[unit] : NULL; }

int pb_fact_function_class(size_t i, const char **code, const char **name) {
    if (i >= COUNT_OF(function_classes)) return 0;
    *code = function_classes[i].code;
    *name = function_classes[i].name;
    return 1;
}

const pb_fact_class *pb_fact_function_classes(size_t *count) {
    *count = COUNT_OF(function_classes);
    return function_classes;
}

const pb_fact_class *pb_fact_class_aliases(size_t *count) {
    *count = COUNT_OF(class_aliases);
    return class_aliases;
}

int pb_fact_class_alias(size_t i, const char **code, const char **stem) {
    if (i >= COUNT_OF(class_aliases)) return 0;
    *code = class_aliases[i].code;
    *stem = class_aliases[i].name;
    return 1;
}

/* ---------------------------------------------------------------- figures */

typedef struct figure_match {
    size_t start, number_end, end; /* the figure, its number, and the unit's end */
    uint8_t unit;
} figure_match;

static const struct {
    const char *text;
    uint8_t len;
    uint8_t unit;
} units[] = {
    {W("万元"), PB_FU_WAN_YUAN}, {W("亿元"), PB_FU_YI_YUAN}, {W("元"), PB_FU_YUAN},  {W("%"), PB_FU_PERCENT},
    {W("％"), PB_FU_PERCENT},    {W("辆"), PB_FU_VEHICLES},  {W("平方米"), PB_FU_SQUARE_METRES},
    {W("人"), PB_FU_PEOPLE},     {W("名"), PB_FU_PEOPLE},    {W("个"), PB_FU_COUNT},
};

static int is_money(unsigned unit) { return unit <= PB_FU_YUAN; }

static int unit_at(const char *s, size_t limit, size_t i, figure_match *m) {
    if (i >= limit || (s[i] != '%' && (unsigned char)s[i] < 0xE4)) return 0; /* no unit starts there */
    /* the first characters of the units (万 亿 元 ％ 辆 平 人 名 个): any other starts none */
    if (s[i] != '%') {
        if (i + 3 > limit) return 0;
        const unsigned char *u = (const unsigned char *)s + i;
        switch ((uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2]) {
        case 0xE4B887: case 0xE4BABF: case 0xE58583: case 0xEFBC85: case 0xE8BE86:
        case 0xE5B9B3: case 0xE4BABA: case 0xE5908D: case 0xE4B8AA: break;
        default: return 0;
        }
    }
    for (size_t k = 0; k < COUNT_OF(units); k++) {
        if (word_at(s, limit, i, units[k].text, units[k].len)) {
            m->unit = units[k].unit;
            m->end = i + units[k].len;
            return 1;
        }
    }
    return 0;
}

#define INFINITY_SIGN "\xE2\x88\x9E" /* ∞ */

/* A figure starting at s[i] and ending by `limit`: '∞' or digits (with commas,
 * a point and an OCR space after it, '733. 90'), not preceded by a digit or a
 * point, then at most one blank and a unit. The runs of digits are taken
 * whole: a shorter run is followed by a digit, a comma or a point, where no
 * unit can follow. */
static int figure_at(const char *s, size_t i, size_t limit, figure_match *m) {
    size_t len;
    const unsigned char *u = (const unsigned char *)s;
    /* the character before: ASCII is itself, an ideograph (its lead three bytes back) none of
     * these; anything else is decoded */
    if (i > 0 && u[i - 1] < 0x80) {
        if (s[i - 1] == '.' || (unsigned)(s[i - 1] - '0') <= 9) return 0;
    } else if (i > 0 &&
               !(i >= 3 && (u[i - 1] & 0xC0) == 0x80 && (u[i - 2] & 0xC0) == 0x80 && leads_ideograph(u[i - 3]))) {
        size_t k = char_before(s, i);
        uint32_t prev = char_at(s, limit, k, &len);
        if (prev == '.' || pb_unicode_digit(prev)) return 0;
    }
    size_t j;
    if (word_at(s, limit, i, LIT(INFINITY_SIGN))) {
        j = i + 3;
    } else {
        j = i + char_len(u[i]);
        while (j < limit && (s[j] == ',' || digit_at(s, limit, j, &len))) j += s[j] == ',' ? 1 : len;
        if (j < limit && s[j] == '.') {
            size_t k = j + 1;
            if (k < limit && s[k] == ' ') k++;
            size_t d = k;
            while (d < limit && digit_at(s, limit, d, &len)) d += len;
            if (d > k) j = d;
        }
    }
    m->start = i;
    m->number_end = j;
    if (j < limit && !leads_ideograph(u[j])) {
        uint32_t cp = char_at(s, limit, j, &len);
        if (pb_unicode_blank(cp)) return unit_at(s, limit, j + len, m);
    }
    return unit_at(s, limit, j, m);
}

/* Whether the character at s[i] (limit bytes in all) is a digit or '∞', and its
 * length through *len. Fullwidth punctuation (EF) and quotation marks (E2) are
 * common in prose and share lead bytes with '０'…'９' (EF BC 90..99) and '∞'
 * (E2 88 9E), the only digits or infinity of those leads: they are told apart
 * by their bytes before any decoding. A rejected character of these leads is
 * given length 1: the bytes after it are continuation bytes, which no scan
 * stops at. */
static inline int figure_char_at(const char *s, size_t limit, size_t i, size_t *len) {
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[i];
    *len = 1;
    if (c < 0x80) return (unsigned)(c - '0') <= 9;
    if (c == 0xEF || c == 0xE2) {
        int yes = i + 2 < limit && (c == 0xEF ? u[i + 1] == 0xBC && u[i + 2] >= 0x90 && u[i + 2] <= 0x99
                                              : u[i + 1] == 0x88 && u[i + 2] == 0x9E);
        if (yes) *len = 3;
        return yes;
    }
    uint32_t cp = char_at(s, limit, i, len);
    return cp == 0x221E || pb_unicode_digit(cp);
}

/* The first figure starting in s[from, limit) and ending by limit; what comes
 * before `from` still counts as what precedes it. Through *digit (when given),
 * whether a digit or '∞' was seen: when there is no figure, whether s[from,
 * limit) holds one. */
static int find_figure_noting(const char *s, size_t from, size_t limit, figure_match *m, int *digit) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = next_figure_lead(u, from, limit); i < limit; i = next_figure_lead(u, i, limit)) {
        size_t len;
        if (figure_char_at(s, limit, i, &len)) {
            if (digit) *digit = 1;
            if (figure_at(s, i, limit, m)) return 1;
        }
        i += len;
    }
    return 0;
}

static int find_figure(const char *s, size_t from, size_t limit, figure_match *m) {
    return find_figure_noting(s, from, limit, m, NULL);
}

/* The words that make prose without a figure worth reading (无, the 'no change' words) or
 * give a sentence a mark (word_mark_at, threshold_at: the 'no change' words and 原因 以上
 * 其中), found in one pass (whether each occurs anywhere, as pb_contains would say). */
enum { PW_NONE = 1, PW_NO_CHANGE = 2, PW_MARK = 4 };
static const struct {
    const char *text;
    uint8_t len, kind;
} prose_words_list[] = {
    {W("无"), PW_NONE},         {W("持平"), PW_NO_CHANGE}, {W("相同"), PW_NO_CHANGE}, {W("一致"), PW_NO_CHANGE},
    {W("变动"), PW_NO_CHANGE}, {W("变化"), PW_NO_CHANGE}, {W("原因"), PW_MARK},      {W("以上"), PW_MARK},
    {W("其中"), PW_MARK},
};

/* Whether u[i] (n bytes in all) starts the first character of one of prose_words_list (无
 * E6 97 A0, 持 E6 8C 81, 相 E7 9B B8, 一 E4 B8 80, 变 E5 8F 98, 原 E5 8E 9F, 以 E4 BB A5,
 * 其 E5 85 B6): all three bytes are tested, as E4 B8 also starts 上下不与中为主…. */
static inline int may_start_prose_word(const unsigned char *u, size_t i, size_t n) {
    if (i + 2 >= n) return 0;
    switch ((uint32_t)u[i] << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2]) {
    case 0xE697A0: case 0xE68C81: case 0xE79BB8: case 0xE4B880:
    case 0xE58F98: case 0xE58E9F: case 0xE4BBA5: case 0xE585B6: return 1;
    default: return 0;
    }
}

#if defined(__SSE2__)
/* may_start_prose_word at p[0..16), reading p[0..18). */
static inline unsigned prose_lead_bits(const unsigned char *p, const unsigned char *unused) {
    (void)unused;
    __m128i a = _mm_loadu_si128((const void *)p), b = _mm_loadu_si128((const void *)(p + 1)),
            c = _mm_loadu_si128((const void *)(p + 2));
#define PB_PAIR(y, z) _mm_and_si128(bytes_eq(b, y), bytes_eq(c, z))
    __m128i e4 = _mm_and_si128(bytes_eq(a, 0xE4), _mm_or_si128(PB_PAIR(0xB8, 0x80), PB_PAIR(0xBB, 0xA5)));
    __m128i e5 = _mm_and_si128(bytes_eq(a, 0xE5),
                               _mm_or_si128(_mm_or_si128(PB_PAIR(0x8F, 0x98), PB_PAIR(0x8E, 0x9F)), PB_PAIR(0x85, 0xB6)));
    __m128i e6 = _mm_and_si128(bytes_eq(a, 0xE6), _mm_or_si128(PB_PAIR(0x97, 0xA0), PB_PAIR(0x8C, 0x81)));
    __m128i e7 = _mm_and_si128(bytes_eq(a, 0xE7), PB_PAIR(0x9B, 0xB8));
#undef PB_PAIR
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(e4, e5), _mm_or_si128(e6, e7)));
}
#endif

static inline size_t next_prose_lead(const unsigned char *u, size_t from, size_t n) {
    size_t i = from;
#if defined(__SSE2__)
    if (scan_blocks(u, &i, n, 18, prose_lead_bits, NULL)) return i; /* u[n - 2], u[n - 1] start no word */
#endif
    while (i < n && !may_start_prose_word(u, i, n)) i++;
    return i;
}

/* The kinds (PW_*) of prose_words_list that occur in s[0, n). */
static unsigned prose_words(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    unsigned found = 0;
    for (size_t i = next_prose_lead(u, 0, n); i < n && found != (PW_NONE | PW_NO_CHANGE | PW_MARK);
         i = next_prose_lead(u, i + 1, n))
        for (size_t k = 0; k < COUNT_OF(prose_words_list); k++)
            if (!(found & prose_words_list[k].kind) && s[i + 2] == prose_words_list[k].text[2] && /* i + 2 < n */
                word_at(s, n, i, prose_words_list[k].text, prose_words_list[k].len))
                found |= prose_words_list[k].kind;
    return found;
}

/* Whether prose may state a fact: it has a figure, 无 or a 'no change' word. */
static int worth_reading(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = next_figure_lead(u, 0, n); i < n; i = next_figure_lead(u, i, n)) {
        size_t len;
        if (figure_char_at(s, n, i, &len)) return 1;
        i += len;
    }
    return (prose_words(s, n) & (PW_NONE | PW_NO_CHANGE)) != 0;
}

/* ---------------------------------------------------------------- subjects */

enum { TABLE_MONEY, TABLE_COUNT, TABLE_VEHICLES, TABLE_STAFF, TABLE_AREA, TABLE_NONE };

static int table_of(unsigned unit) {
    if (is_money(unit)) return TABLE_MONEY;
    switch (unit) {
    case PB_FU_COUNT: return TABLE_COUNT;
    case PB_FU_VEHICLES: return TABLE_VEHICLES;
    case PB_FU_PEOPLE: return TABLE_STAFF;
    case PB_FU_SQUARE_METRES: return TABLE_AREA;
    default: return TABLE_NONE;
    }
}

static const subject_word *table_words(int table, size_t *count) {
    switch (table) {
    case TABLE_MONEY: *count = COUNT_OF(money_words); return money_words;
    case TABLE_COUNT: *count = COUNT_OF(count_words); return count_words;
    case TABLE_VEHICLES: *count = COUNT_OF(vehicle_words); return vehicle_words;
    case TABLE_STAFF: *count = COUNT_OF(staff_words); return staff_words;
    case TABLE_AREA: *count = COUNT_OF(area_words); return area_words;
    default: *count = 0; return NULL;
    }
}

/* The money words by the last bytes of their first three characters (256 buckets), and by
 * the last bytes of their last three (128): a label or clause is compared with the few
 * words of its bucket, not all of them (a hundred words end in 算, seventy in 支出; a
 * clause is tried at each of its characters, where most buckets are empty). A bucket is a
 * chain through next[]: by the first characters in the words' order in the table, by the
 * last the longest words first (label_subject takes the first that ends a label). The
 * chains depend on the table alone: csrc/gen_fact_index.py writes them into
 * pb_fact_index.h as static const arrays, where they cost a read nothing
 * (pb_facts_index_current checks them against the table, in make ctest). */
#define WORD_BUCKETS 256
#define TAIL_BUCKETS 128
#define NO_WORD 0xFFFF
#include "pb_fact_index.h"

typedef char money_words_fit_the_chains[COUNT_OF(money_words) < NO_WORD ? 1 : -1];
typedef char money_index_is_of_the_table[COUNT_OF(money_words) == PB_MONEY_WORDS ? 1 : -1];

/* The bucket of the word that would start at t (9 bytes at least there): the last bytes of
 * its first three characters, when Chinese (many words share their first two). */
static unsigned head_key(const char *t) {
    const unsigned char *u = (const unsigned char *)t;
    return (u[1] + 3u * u[2] + 7u * u[4] + 13u * u[5] + 31u * u[7] + 61u * u[8]) % WORD_BUCKETS;
}

/* The bucket of text t (len >= 7 bytes) that a word ending it is in: its last byte and
 * those three and six before (of its last three characters, when Chinese). */
static unsigned tail_key(const char *t, size_t len) {
    const unsigned char *u = (const unsigned char *)t + len;
    return (u[-1] + 5u * u[-4] + 25u * u[-7]) % TAIL_BUCKETS;
}

int pb_facts_index_current(void) {
    uint16_t first_head[WORD_BUCKETS], first_next[COUNT_OF(money_words)];
    uint16_t last_head[TAIL_BUCKETS], last_next[COUNT_OF(money_words)], by_length[COUNT_OF(money_words)];
    memset(first_head, 0xFF, sizeof first_head);
    memset(last_head, 0xFF, sizeof last_head);
    unsigned shortest = 255;
    for (size_t k = COUNT_OF(money_words); k-- > 0;) { /* each pushed in front: the chains run in table order */
        const subject_word *w = &money_words[k];
        unsigned first = w->len >= 9 ? head_key(w->text) : 0;
        first_next[k] = first_head[first];
        first_head[first] = (uint16_t)k;
        if (w->len < shortest) shortest = w->len;
    }
    /* the tail chains run the longest words first, then in table order: label_subject takes the
     * first that ends a label, the longest, as no word is there twice */
    for (size_t k = 0; k < COUNT_OF(money_words); k++) {
        size_t j = k;
        for (; j > 0 && money_words[by_length[j - 1]].len < money_words[k].len; j--) by_length[j] = by_length[j - 1];
        by_length[j] = (uint16_t)k;
        for (size_t i = 0; i < k; i++)
            if (money_words[i].len == money_words[k].len &&
                memcmp(money_words[i].text, money_words[k].text, money_words[k].len) == 0)
                return 0;
    }
    for (size_t o = COUNT_OF(money_words); o-- > 0;) {
        size_t k = by_length[o];
        const subject_word *w = &money_words[k];
        unsigned last = w->len >= 7 ? tail_key(w->text, w->len) : 0;
        last_next[k] = last_head[last];
        last_head[last] = (uint16_t)k;
    }
    return memcmp(first_head, money_first_head, sizeof first_head) == 0 &&
           memcmp(first_next, money_first_next, sizeof first_next) == 0 &&
           memcmp(last_head, money_last_head, sizeof last_head) == 0 &&
           memcmp(last_next, money_last_next, sizeof last_next) == 0 && (shortest < 9) == PB_MONEY_SHORT_FIRST &&
           (shortest < 7) == PB_MONEY_SHORT_WORD;
}

/* The label without a trailing linking word ('为', '共计', '总计为'). */
static size_t without_trailing(const char *s, size_t n) {
    if (pb_ends(s, n, "总计为")) return n - 9;
    if (pb_ends(s, n, "共计")) return n - 6;
    static const char *const one[] = {"为", "是", "共", "约", "达"};
    for (size_t k = 0; k < COUNT_OF(one); k++)
        if (pb_ends(s, n, one[k])) return n - 3;
    return n;
}

/* The subject a label names in one table: the subject of the longest word that
 * ends the label (the earlier group on a tie), or -1. */
static int label_subject(const char *s, size_t n, int table) {
    n = without_trailing(s, n);
    size_t count;
    const subject_word *words = table_words(table, &count);
    if (n < 2 || !words) return -1; /* every word has two characters or more */
    int best = -1;
    size_t best_len = 0;
    unsigned best_rank = 0;
    unsigned char last = (unsigned char)s[n - 1];
    size_t from = 0, to = count;
    int bucketed = table == TABLE_MONEY && !PB_MONEY_SHORT_WORD;
    if (bucketed) { /* the words of the bucket, the longest first: the first that ends the label is the best */
        if (n < 7) return -1; /* no money word is that short */
        from = money_last_head[tail_key(s, n)];
    }
    for (size_t j = from; bucketed ? j != NO_WORD : j < to; j = bucketed ? money_last_next[j] : j + 1) {
        const subject_word *w = &words[j];
        /* the last bytes, then the second where the word would start (of its first character,
         * which tells the words of a bucket apart), before all of it */
        if (w->len > n || (unsigned char)w->text[w->len - 1] != last || w->text[w->len - 2] != s[n - 2] ||
            w->text[1] != s[n - w->len + 1] || (w->whole && w->len != n))
            continue;
        if (memcmp(s + n - w->len, w->text, w->len) != 0) continue;
        if (bucketed) return w->subject; /* the chain runs the longest first: the first is the best */
        if (best < 0 || w->len > best_len || (w->len == best_len && w->rank < best_rank)) {
            best = w->subject;
            best_len = w->len;
            best_rank = w->rank;
        }
    }
    return best;
}

/* The subject of a figure's label: '退休2人' in a list of reasons is no head
 * count, unless the sentence speaks of 编制 (staffing). */
static int subject_of(const char *label, size_t n, unsigned unit, int staffing) {
    if (unit == PB_FU_PEOPLE && !staffing) return -1;
    return label_subject(label, n, table_of(unit));
}

/* The clause without the words that name nothing ('比上年', '2024年度', '预算数'). */
static size_t without_filler(const char *s, size_t n, char *out) {
    static const struct {
        const char *text;
        size_t len;
    } words[] = {{LIT("上年")}, {LIT("去年")}, {LIT("同期")}, {LIT("同口径")}, {LIT("相比")}, {LIT("预算数")},
                 {LIT("决算数")}, {LIT("预算")}, {LIT("决算")}, {LIT("年初")}, {LIT("比")}, {LIT("与")},
                 {LIT("和")}, {LIT("较")}, {LIT("的")}, {LIT("了")}, {LIT("数")}};
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t len, j = i, digits = 0;
        while (digits < 4 && j < n && digit_at(s, n, j, &len)) j += len, digits++;
        if (digits == 4 && word_at(s, n, j, LIT("年"))) {
            j += 3;
            if (word_at(s, n, j, LIT("度"))) j += 3;
            i = j;
            continue;
        }
        size_t skip = s[i] == ',' || s[i] == ';' || s[i] == ':';
        for (size_t k = 0; k < COUNT_OF(words) && !skip && (unsigned char)s[i] >= 0xE4 && i + 1 < n; k++)
            if (s[i + 1] == words[k].text[1] && word_at(s, n, i, words[k].text, words[k].len)) skip = words[k].len;
        if (skip) {
            i += skip;
            continue;
        }
        char_at(s, n, i, &len);
        memcpy(out + o, s + i, len);
        o += len;
        i += len;
    }
    return o;
}

static int is_named_skip(unsigned subject) {
    return subject == SUBJ_YEAR_SPENDING || subject == SUBJ_INCOME_TOTAL || subject == SUBJ_SPENDING_TOTAL ||
           subject == SUBJ_CARRYOVER;
}

/* The subject a change clause names ('收入减少', '“三公”经费支出预算数与2024年相比支出
 * 减少'): the money word starting leftmost (the earliest group there, its longest
 * word), or the bare '收入'/'支出' left when the filler is taken out. scratch
 * holds n bytes. When it names none, *rest is how much the filler leaves (the
 * caller asks that next). */
static int named_subject(const char *s, size_t n, char *scratch, size_t *rest) {
    for (size_t i = 0; i + 1 < n;) {
        int best = -1;
        unsigned best_rank = 0;
        size_t best_len = 0;
        /* the words of the bucket (all of them while one is too short for the buckets) */
        size_t from = NO_WORD, to = 0;
        int chained = !PB_MONEY_SHORT_FIRST;
        if ((unsigned char)s[i] < 0x80) { /* no word starts in ASCII */
        } else if (!chained) {
            from = 0, to = COUNT_OF(money_words);
        } else if (n - i >= 9) { /* no word is shorter */
            from = money_first_head[head_key(s + i)];
        }
        for (size_t j = from; chained ? j != NO_WORD : j < to; j = chained ? money_first_next[j] : j + 1) {
            const subject_word *w = &money_words[j];
            if (w->text[0] != s[i] || w->text[1] != s[i + 1]) continue; /* most words, at a glance */
            /* many words share a first character (一般公共预算…): the last bytes of the first two tell them apart */
            if (w->len > n - i || (w->len >= 3 && w->text[2] != s[i + 2]) || (w->len >= 6 && w->text[5] != s[i + 5]))
                continue;
            if ((w->whole && i != 0) || is_named_skip(w->subject)) continue;
            if (!word_at(s, n, i, w->text, w->len)) continue;
            if (best < 0 || w->rank < best_rank || (w->rank == best_rank && w->len > best_len)) {
                best = w->subject;
                best_rank = w->rank;
                best_len = w->len;
            }
        }
        if (best >= 0) return best;
        i += char_len((unsigned char)s[i]);
    }
    size_t r = *rest = without_filler(s, n, scratch);
    if ((r == 6 && memcmp(scratch, "收入", 6) == 0)) return SUBJ_INCOME_TOTAL;
    if ((r == 6 && memcmp(scratch, "支出", 6) == 0) || (r == 6 && memcmp(scratch, "收支", 6) == 0) ||
        (r == 9 && memcmp(scratch, "收支总", 9) == 0))
        return SUBJ_SPENDING_TOTAL;
    return -1;
}

/* A change word ending the label ('增长', '减少了'): where it starts, and
 * through *negative whether it is a fall; -1 when there is none. */
static long change_word(const char *s, size_t n, int *negative) {
    static const char *const two[] = {"增长", "下降", "增加", "减少", "上升", "降低", "较少", "提高"};
    static const int two_negative[] = {0, 1, 0, 1, 0, 1, 1, 0};
    static const char *const one[] = {"减", "增"};
    static const int one_negative[] = {1, 0};
    if (n < 3) return -1;
    switch (char_at(s, n, char_before(s, n), &(size_t){0})) { /* the last character of a change word, or 了 */
    case 0x957F: case 0x964D: case 0x52A0: case 0x5C11: case 0x5347: case 0x4F4E: case 0x9AD8: /* 长 降 加 少 升 低 高 */
    case 0x51CF: case 0x589E: case 0x4E86: break;                                                 /* 减 增 了 */
    default: return -1;
    }
    int le = pb_ends(s, n, "了");
    if (le && n >= 9) /* a word of two characters and 了 */
        for (size_t k = 0; k < COUNT_OF(two); k++)
            if (memcmp(s + n - 9, two[k], 6) == 0) return *negative = two_negative[k], (long)(n - 9);
    if (n >= 6) {
        for (size_t k = 0; k < COUNT_OF(two); k++)
            if (memcmp(s + n - 6, two[k], 6) == 0) return *negative = two_negative[k], (long)(n - 6);
        if (le)
            for (size_t k = 0; k < COUNT_OF(one); k++)
                if (memcmp(s + n - 6, one[k], 3) == 0) return *negative = one_negative[k], (long)(n - 6);
    }
    if (n >= 3)
        for (size_t k = 0; k < COUNT_OF(one); k++)
            if (memcmp(s + n - 3, one[k], 3) == 0) return *negative = one_negative[k], (long)(n - 3);
    return -1;
}

/* '涉及金额/共计金额/涉及部门预算资金/支出总额': the amount of what the sentence is about. */
static int is_generic_amount(const char *s, size_t n) {
    return pb_starts(s, n, "涉及") || pb_ends(s, n, "共计金额") || pb_ends(s, n, "项目金额") ||
           pb_ends(s, n, "支出总额") || (n == 6 && (memcmp(s, "金额", 6) == 0 || memcmp(s, "总额", 6) == 0));
}

/* '占…总额的x%': the subject the share names, or -1. */
static int share_of(const char *s, size_t n) {
    size_t a = 3; /* after 占 */
    if (word_at(s, n, a, LIT("比"))) a += 3;
    size_t b = n;
    if (pb_ends(s + a, b - a, "的")) b -= 3;
    if (b == a) return -1;
    if (word_at(s, b, a, LIT("部门"))) {
        a += 6;
        if (word_at(s, b, a, LIT("(单位)"))) a += 8;
    }
    if (pb_ends(s + a, b - a, "总额")) b -= 6;
    return label_subject(s + a, b - a, TABLE_MONEY);
}

/* ---------------------------------------------------------------- paragraphs */

enum { HEADING_NONE, HEADING_PART, HEADING_LEVEL1, HEADING_LEVEL2 };

/* The bytes of the run of 一 … 十 at s[i] (the core's numerals but 零 and 百). */
static size_t cn_numerals(const char *s, size_t n, size_t i) {
    size_t j = i;
    for (int v; j < n && (v = pb_cn_numeral(s + j, n - j)) >= 1 && v <= 10;) j += 3;
    return j - i;
}

/* A heading's enumerator kind: '第一部分', '三、', '(一)' or '1、'; HEADING_NONE
 * when the line is no heading (it states a figure or ends a sentence). */
static int heading_kind(const char *s, size_t n) {
    size_t i = 0, len;
    if (i < n && s[i] == '#') {
        while (i < n && s[i] == '#') i++;
        while (i < n && pb_unicode_blank(char_at(s, n, i, &len))) i += len;
    }
    int kind = HEADING_NONE;
    size_t run;
    if (word_at(s, n, i, LIT("第")) && (run = cn_numerals(s, n, i + 3)) > 0 && word_at(s, n, i + 3 + run, LIT("部分"))) {
        kind = HEADING_PART;
    } else if ((run = cn_numerals(s, n, i)) > 0 && word_at(s, n, i + run, LIT("、"))) {
        kind = HEADING_LEVEL1;
    } else if (word_at(s, n, i, LIT("(")) || word_at(s, n, i, LIT("（"))) {
        size_t j = i + char_len((unsigned char)s[i]);
        if ((run = cn_numerals(s, n, j)) > 0 && (word_at(s, n, j + run, LIT(")")) || word_at(s, n, j + run, LIT("）"))))
            kind = HEADING_LEVEL2;
    } else {
        size_t j = i, digits = 0;
        while (digits < 3 && j < n && pb_unicode_digit(char_at(s, n, j, &len))) j += len, digits++;
        if (digits >= 1 && digits <= 2 && j < n) {
            size_t after = 0;
            if (s[j] == '.') after = j + 1;
            else if (word_at(s, n, j, LIT("、")) || word_at(s, n, j, LIT("．"))) after = j + 3;
            if (after && (after >= n || !pb_unicode_digit(char_at(s, n, after, &len)))) kind = HEADING_LEVEL2;
        }
    }
    if (kind == HEADING_NONE || ends_sentence(s, n)) return HEADING_NONE;
    figure_match m;
    return find_figure(s, 0, n, &m) ? HEADING_NONE : kind;
}

/* The characters of s (n bytes): the bytes that are no continuation byte (80..BF, which
 * are -128..-65 as signed bytes), sixteen at a time where a vector is there. */
static size_t count_chars(const char *s, size_t n) {
    size_t count = 0, i = 0;
#if defined(__SSE2__)
    const __m128i below = _mm_set1_epi8(-64), one = _mm_set1_epi8(1), zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) { /* 1 per continuation byte, summed by _mm_sad_epu8 into two halves */
        __m128i cont = _mm_and_si128(_mm_cmplt_epi8(_mm_loadu_si128((const void *)(s + i)), below), one);
        __m128i sums = _mm_sad_epu8(cont, zero);
        count += 16 - (size_t)(_mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    }
    if (i < n && n >= 16) { /* the last bytes: the end of the block at n - 16 */
        unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_loadu_si128((const void *)(s + n - 16)), below));
        return count + (n - i) - (size_t)__builtin_popcount(cont >> (16 - (n - i)));
    }
#endif
    for (; i < n; i++) count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

/* The length of the quotation mark (“ ” " ' ‘ ’ 「 」) at s[i] (n bytes), or 0. */
static size_t quote_at(const unsigned char *s, size_t n, size_t i) {
    unsigned char c = s[i];
    if (c == '"' || c == '\'') return 1;
    if ((c != 0xE2 && c != 0xE3) || i + 2 >= n || s[i + 1] != 0x80) return 0;
    unsigned char last = s[i + 2];
    if (c == 0xE2) return last == 0x9C || last == 0x9D || last == 0x98 || last == 0x99 ? 3 : 0;
    return last == 0x8C || last == 0x8D ? 3 : 0;
}

/* Cleans a line into out (room for n bytes): without the blanks and '#'s around
 * it, nor quotation marks ('“三公”经费' is 三公经费). A mark starts with a byte
 * no continuation byte has, so the bytes between the marks' first bytes are
 * copied as they are: sixteen at a time where a vector is there, each block
 * stored whole and kept up to the first such byte in it (o + 16 <= i - a + 16
 * <= b - a: the store stays inside out). */
static size_t clean_line(const char *s, size_t n, char *out) {
    size_t a = 0, b = n;
    strip_blanks(s, &a, &b);
    if (a < b && s[a] == '#') { /* text already stripped is stripped again only where '#'s went */
        while (a < b && s[a] == '#') a++;
        strip_blanks(s, &a, &b);
    }
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = a; i < b;) {
#if defined(__SSE2__)
        static const unsigned char leads[5] = {'"', '\'', 0xE2, 0xE3, 0xE3};
        if (b - i >= 16) {
            unsigned bits = byte_set_bits(u + i, leads);
            _mm_storeu_si128((void *)(out + o), _mm_loadu_si128((const void *)(u + i)));
            size_t run = bits ? (size_t)__builtin_ctz(bits) : 16;
            o += run;
            i += run;
            if (run == 16) continue;
        } else if (b - a >= 16) { /* the last bytes: the end of the block at b - 16, copied up to a mark */
            unsigned bits = byte_set_bits(u + b - 16, leads) >> (16 - (b - i));
            size_t run = bits ? (size_t)__builtin_ctz(bits) : b - i;
            memcpy(out + o, u + i, run);
            o += run;
            i += run;
            if (i == b) break;
        }
#endif
        unsigned char c = u[i];
        size_t quote = c == '"' || c == '\'' || c == 0xE2 || c == 0xE3 ? quote_at(u, b, i) : 0;
        if (quote) {
            i += quote;
            continue;
        }
        out[o++] = (char)c;
        i++;
    }
    return o;
}

static pb_facts_status add_start(pb_fact_store *st, size_t off, uint64_t line) {
    pb_facts_status rc = grow(st, (void **)&st->starts, &st->starts_cap, st->nstarts, sizeof *st->starts, (size_t)-1 / sizeof *st->starts);
    if (rc) return rc;
    st->starts[st->nstarts].off = (uint32_t)off;
    st->starts[st->nstarts].line = line;
    st->nstarts++;
    return PB_FACTS_OK;
}

static pb_facts_status add_paragraph(pb_fact_store *st, size_t off, size_t len, pb_fact_span section, int heading,
                                     uint64_t line) {
    pb_facts_status rc = grow(st, (void **)&st->paras, &st->paras_cap, st->nparas, sizeof *st->paras, (size_t)-1 / sizeof *st->paras);
    if (rc) return rc;
    pb_fact_paragraph *p = &st->paras[st->nparas++];
    p->text = (pb_fact_span){(uint32_t)off, (uint32_t)len, 1};
    p->section = section;
    p->first_start = (uint32_t)st->nstarts;
    p->nstarts = 1;
    p->heading = (uint8_t)heading;
    return add_start(st, 0, line);
}

#define MAX_GAP 3 /* a sentence never runs on across more than two blank lines (a table sits in bigger gaps) */

/* Joins wrapped prose lines into paragraphs and tracks the heading each sits
 * under ('三、支出预算情况说明 / (一)…'). Each line is cleaned straight into the
 * store's text: a paragraph being continued is always the last text there. */
static pb_facts_status join_paragraphs(pb_fact_store *st, const pb_fact_line *lines, size_t n, int reading) {
    pb_fact_span level1 = {0, 0, 1}, level2 = {0, 0, 1}, section = {0, 0, 1};
    long current = -1;
    int64_t last_line = -10;
    /* the lines' bytes (each cleaned to at most its length) and a paragraph and a start per line at most */
    size_t total = 0;
    for (size_t k = 0; k < n; k++) {
        if (lines[k].len > st->max_line || lines[k].len > PB_FACTS_MAX_LINE) return PB_FACTS_TOO_BIG;
        if (total < PB_FACTS_MAX_TEXT) total += lines[k].len + 1;
    }
    /* reading: and as much again, with room to spare, for the copies the reading keeps (pb_facts_read),
     * reserved now rather than grown into by a realloc that copies the paragraphs */
    pb_facts_status rc0 = reserve_text_hint(st, reading && total < PB_FACTS_MAX_TEXT ? 2 * total + 256 : total);
    if (!rc0) rc0 = reserve_items(st, (void **)&st->paras, &st->paras_cap, n, sizeof *st->paras, (size_t)-1 / sizeof *st->paras);
    if (!rc0) rc0 = reserve_items(st, (void **)&st->starts, &st->starts_cap, n, sizeof *st->starts, (size_t)-1 / sizeof *st->starts);
    if (rc0) return rc0;
    for (size_t k = 0; k < n; k++) {
        if (lines[k].len > st->max_line || lines[k].len > PB_FACTS_MAX_LINE) return PB_FACTS_TOO_BIG;
        pb_facts_status rc = reserve_text(st, lines[k].len + 1);
        if (rc) return rc;
        size_t at = st->text_len;
        size_t len = clean_line(lines[k].text, lines[k].len, st->text + at);
        if (len == 0) continue;
        const char *text = st->text + at;
        int64_t line = (int64_t)lines[k].line;
        /* a heading has at most 40 characters (each of 1 to 4 bytes) */
        int kind = len <= 160 && (len <= 40 || count_chars(text, len) <= 40) ? heading_kind(text, len) : HEADING_NONE;
        if (kind != HEADING_NONE) {
            current = -1;
            st->text_len += len;
            pb_fact_span heading = {(uint32_t)at, (uint32_t)len, 1};
            if (kind == HEADING_PART) {
                level1 = level2 = (pb_fact_span){0, 0, 1};
            } else if (kind == HEADING_LEVEL1) {
                level1 = heading;
                level2 = (pb_fact_span){0, 0, 1};
            } else {
                level2 = heading;
            }
            if ((rc = add_paragraph(st, at, len, level1, 1, lines[k].line))) return rc;
            if (level2.len == 0) {
                section = level1;
            } else { /* 'level1/level2', kept after the heading's text */
                if ((rc = reserve_text(st, level1.len + 1 + level2.len))) return rc;
                char *out = st->text + st->text_len;
                memcpy(out, st->text + level1.off, level1.len);
                out[level1.len] = '/';
                memcpy(out + level1.len + 1, st->text + level2.off, level2.len);
                section = (pb_fact_span){(uint32_t)st->text_len, level1.len + 1 + level2.len, 1};
                st->text_len += section.len;
            }
        } else if (current >= 0 && line - last_line <= MAX_GAP &&
                   !ends_sentence(st->text + st->paras[current].text.off, st->paras[current].text.len) &&
                   !pb_starts(text, len, "其中")) {
            pb_fact_paragraph *p = &st->paras[current];
            if ((rc = add_start(st, p->text.len, lines[k].line))) return rc;
            p->nstarts++;
            p->text.len += (uint32_t)len;
            st->text_len += len;
        } else {
            st->text_len += len;
            if ((rc = add_paragraph(st, at, len, section, 0, lines[k].line))) return rc;
            current = (long)st->nparas - 1;
        }
        last_line = line;
    }
    return PB_FACTS_OK;
}

/* ---------------------------------------------------------------- reading */

enum { EV_FIGURE, EV_LIST, EV_ZERO, EV_NONE_THREE_PUBLIC, EV_NONE_SPENDING };

/* A figure or a mark word of a sentence, in reading order (position, then 其中
 * before what it splits, then the order found). */
typedef struct event {
    size_t pos, end;
    uint8_t order, kind;
    uint32_t seq;
    figure_match figure;
} event;

typedef struct reason {
    size_t start, end;      /* the mark and the reason after it */
    size_t text_a, text_b;  /* the reason as facts quote it */
    pb_fact_span kept;      /* its copy in the store, once a fact has it */
} reason;

typedef struct threshold {
    size_t start, end, amount_a, amount_b;
} threshold;

#define KINDS 5 /* money, 个, 辆, 人, 平方米 */

typedef struct kind_fact {
    uint8_t kind;
    int32_t fact;
} kind_fact;

/* An open 其中 list: its wholes (one per kind, in the order found), and the
 * separator its items are split by. */
typedef struct list_scope {
    int open;
    int mid_sentence;
    int closed;
    int sep; /* 0 not yet known, else 1 + rank: '、' 1, ',' 2, ';' 3 */
    int32_t ident;
    kind_fact wholes[KINDS];
    int nwholes;
    /* by kind (unit), 1 + the list's latest item, and 1 + its latest 公务用车购置及运行费 item */
    int32_t last_item[PB_FU__COUNT], last_vehicles[PB_FU__COUNT];
} list_scope;

/* A stretch of a sentence: reasons and thresholds cover figures that are no facts. */
typedef struct span {
    size_t start, end;
} span;

enum { LAST_NONE = -2, LAST_OTHER = -1 };

typedef struct reader {
    pb_fact_store *st;
    /* the paragraph */
    size_t para;       /* its index among all paragraphs */
    size_t para_first; /* its first fact */
    /* the sentence: t[0, n) at offset in the paragraph's text */
    const char *t;
    size_t n, offset;
    int32_t sid, lid;
    size_t first_fact;
    size_t first_figure; /* where the sentence's first figure starts (n: none) */
    int32_t last;
    size_t last_end;
    int32_t changed;
    list_scope scope;
    int has_topic;
    size_t topic_pos;
    int topic_subject;
    pb_fact_span stripped;
    kind_fact prev_heads[KINDS];
    int nprev_heads;
    /* scratch of the sentence, kept between sentences */
    event *events, *sorted;
    size_t nevents, events_cap, sorted_cap;
    reason *reasons;
    size_t nreasons, reasons_cap;
    threshold *thresholds;
    size_t nthresholds, thresholds_cap;
    /* by kind (unit), 1 + the latest fact since the sentence began or a figure of no
     * known subject was read: what a 其中 in mid-sentence splits */
    int32_t seen_since_other[PB_FU__COUNT];
    char *scratch;
    size_t scratch_cap;
    /* indexes of the sentence, so that each lookup while reading it is logarithmic
     * (or constant) in its length: a sentence may be a whole page run together */
    figure_match *ok_figures; /* figures whose clause (after the last comma) names a subject */
    size_t nok_figures, ok_figures_cap;
    size_t *commas; /* ',' and '，' */
    size_t ncommas, commas_cap;
    size_t *stops;  /* ';' '；' '。' */
    size_t nstops, stops_cap;
    span *spans;    /* reasons and thresholds, merged where they overlap */
    size_t nspans, spans_cap;
    size_t *event_figures; /* where the figure events are, in reading order */
    size_t nevent_figures, event_figures_cap;
    span *topics; /* 整体绩效目标 not after 无 */
    size_t ntopics, topics_cap;
    int figures_known, topics_known, staffing; /* staffing: -1 until worked out */
    /* the sentence's figures, found once (from first_match, which read_paragraph found) */
    figure_match first_match;
    figure_match *figs;
    size_t nfigs, figs_cap;
    int figs_known;
    /* by subject, the latest fact (-1: none), and the latest when the paragraph began: kept
     * as the subject's first fact of the paragraph replaces it (facts only get higher
     * indexes), read only where last_of_subject is of the paragraph */
    int32_t last_of_subject[COUNT_OF(subject_names)], para_last_of_subject[COUNT_OF(subject_names)];
    int32_t last_total, para_last_total;
} reader;

static int kind_of(unsigned unit) { return is_money(unit) ? PB_FU_WAN_YUAN : (int)unit; }

static pb_fact *fact_at(reader *r, int32_t index) { return &r->st->facts[index]; }

static const char *para_text(reader *r) { return r->st->text + r->st->paras[r->para].text.off; }

static uint64_t line_at(reader *r, size_t pos) {
    const pb_fact_paragraph *p = &r->st->paras[r->para];
    const pb_fact_start *s = r->st->starts + p->first_start;
    size_t off = r->offset + pos, lo = 0, hi = p->nstarts;
    while (hi - lo > 1) { /* the last start at or before off */
        size_t mid = (lo + hi) / 2;
        if (s[mid].off <= off) lo = mid;
        else hi = mid;
    }
    return s[lo].line;
}

static void add_line(pb_fact *d, uint64_t line) {
    for (unsigned k = 0; k < d->nlines; k++)
        if (d->lines[k] == line) return;
    if (d->nlines < COUNT_OF(d->lines)) d->lines[d->nlines++] = line;
}

/* The separator at s[i] (n bytes): 1 + its rank ('、' 1, ',' '，' 2, ';' '；' 3),
 * or 4 for ':' '：', which introduces a list but does not split one; 0 when
 * there is none. Through *len its length. A separator starts with a byte no
 * continuation byte has, so any byte may be asked. */
static const unsigned char separator_leads[5] = {',', ';', ':', 0xE3, 0xEF}; /* the first bytes of the separators */

static int separator_at(const unsigned char *s, size_t n, size_t i, size_t *len) {
    unsigned char c = s[i];
    *len = 1;
    if (c == ',') return 2;
    if (c == ';') return 3;
    if (c == ':') return 4;
    if ((c != 0xE3 && c != 0xEF) || i + 2 >= n) return 0;
    *len = 3;
    if (c == 0xE3) return s[i + 1] == 0x80 && s[i + 2] == 0x81 ? 1 : 0; /* 、 */
    if (s[i + 1] != 0xBC) return 0;
    return s[i + 2] == 0x8C ? 2 : s[i + 2] == 0x9B ? 3 : s[i + 2] == 0x9A ? 4 : 0; /* ， ； ： */
}

/* Where the last separator in t[a, b) ends (list_only: the separators that split a
 * list, not ':'), and through *at where it starts and *rank its rank; 0 when there
 * is none. */
static size_t after_last_separator(const reader *r, size_t a, size_t b, int list_only, size_t *at, int *rank) {
    const unsigned char *u = (const unsigned char *)r->t;
    for (size_t i = b; last_in_set(u, a, &i, separator_leads);) {
        size_t len;
        int sep = separator_at(u, b, i, &len);
        if (sep && !(list_only && sep == 4)) {
            *at = i;
            *rank = sep;
            return i + len;
        }
    }
    return 0;
}

/* Where the label of the figure at pos starts: after the previous figure or separator. */
static size_t boundary(const reader *r, size_t pos) {
    size_t at;
    int rank;
    size_t end = pos > r->last_end ? after_last_separator(r, r->last_end, pos, 0, &at, &rank) : 0;
    return end ? end : r->last_end;
}

/* Room for one more item in a scratch array of the reader. */
static pb_facts_status more(reader *r, void **items, size_t *cap, size_t count, size_t size) {
    return grow(r->st, items, cap, count, size, (size_t)-1 / size / 2);
}

/* How many of the n items (size bytes each) are at most x by their position at
 * offset (a size_t), the items being in order of it. */
static size_t count_at_most(const void *items, size_t n, size_t size, size_t offset, size_t x) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, at;
        memcpy(&at, (const char *)items + mid * size + offset, sizeof at);
        if (at <= x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* How many of the ascending positions a[0, n) are below x. */
static size_t count_below(const size_t *a, size_t n, size_t x) {
    return x ? count_at_most(a, n, sizeof *a, 0, x - 1) : 0;
}

/* Appends x to an array of positions of the reader. */
static pb_facts_status push_position(reader *r, size_t **a, size_t *n, size_t *cap, size_t x) {
    pb_facts_status rc = more(r, (void **)a, cap, *n, sizeof **a);
    if (rc) return rc;
    (*a)[(*n)++] = x;
    return PB_FACTS_OK;
}

/* Whether the sentence speaks of 编制 (staffing), worked out once. */
static int staffing(reader *r) {
    if (r->staffing < 0) r->staffing = pb_contains(r->t, r->n, "编制");
    return r->staffing;
}

static pb_facts_status keep_stripped(reader *r) {
    if (r->stripped.present) return PB_FACTS_OK;
    size_t a = 0, b = r->n;
    strip_blanks(r->t, &a, &b);
    /* r->t lies in the store's text, which keep_text may move */
    size_t t_off = (size_t)(r->t - r->st->text);
    pb_facts_status rc = reserve_text(r->st, b - a);
    if (rc) return rc;
    r->t = r->st->text + t_off;
    return keep_text(r->st, r->t + a, b - a, &r->stripped);
}

/* Keeps text[a, b) of the sentence in the store (the sentence may move with it). */
static pb_facts_status keep_sentence_text(reader *r, size_t a, size_t b, pb_fact_span *out) {
    size_t t_off = (size_t)(r->t - r->st->text);
    pb_facts_status rc = reserve_text(r->st, b - a);
    if (rc) return rc;
    r->t = r->st->text + t_off;
    return keep_text(r->st, r->t + a, b - a, out);
}

static int32_t scope_whole(const list_scope *s, int kind) {
    for (int k = 0; k < s->nwholes; k++)
        if (s->wholes[k].kind == kind) return s->wholes[k].fact;
    return -1;
}

static void scope_set_default(list_scope *s, int kind, int32_t fact) {
    if (scope_whole(s, kind) >= 0 || s->nwholes == KINDS) return;
    s->wholes[s->nwholes++] = (kind_fact){(uint8_t)kind, fact};
}

static int is_not_part(int whole, int item) {
    return (whole == SUBJ_YEAR_INCOME && item == SUBJ_CARRYOVER) || (whole == SUBJ_YEAR_SPENDING && item == SUBJ_CARRYOVER) ||
           (whole == SUBJ_CURRENT_GRANTS && item == SUBJ_CARRYOVER_INCOME);
}

/* Makes fact d an item of the open 其中 list when it is one. */
static void join_list(reader *r, int32_t d_index, size_t pos) {
    list_scope *scope = &r->scope;
    pb_fact *d = fact_at(r, d_index);
    int kind = kind_of(d->unit);
    int32_t whole = scope->closed ? -1 : scope_whole(scope, kind);
    if (whole < 0) return;
    int32_t last_item = scope->last_item[kind] - 1;
    if (scope->mid_sentence && scope->sep == 0 && last_item >= 0) {
        size_t from = fact_at(r, last_item)->end, to = boundary(r, pos), at = 0;
        int rank = 2; /* ',' when no separator is seen */
        if (from < to) after_last_separator(r, from, to, 1, &at, &rank);
        scope->sep = rank;
    }
    if (is_not_part(fact_at(r, whole)->subject, d->subject)) return;
    /* 公务用车购置费 and 运行维护费 are listed under 公务用车购置及运行费 when it is an item too */
    int vehicle_cost = d->subject == SUBJ_VEHICLE_PURCHASE || d->subject == SUBJ_VEHICLE_RUNNING;
    int32_t owner = vehicle_cost ? scope->last_vehicles[kind] - 1 : -1;
    d->part_of = owner >= 0 ? owner : whole;
    d->part_list = scope->ident;
    scope->last_item[kind] = d_index + 1;
    if (d->subject == SUBJ_VEHICLES_BOTH) scope->last_vehicles[kind] = d_index + 1;
}

/* A mid-sentence list ends at a separator stronger than the one between its items. */
static void close_scope_at(reader *r, size_t pos) {
    list_scope *scope = &r->scope;
    if (!scope->open || scope->closed || !scope->mid_sentence || scope->sep == 0 || pos <= r->last_end) return;
    const unsigned char *u = (const unsigned char *)r->t;
    for (size_t i = r->last_end; (i = next_in_set(u, i, pos, separator_leads)) < pos; i++) {
        size_t len;
        int sep = separator_at(u, pos, i, &len);
        if (sep > scope->sep && sep != 4) {
            scope->closed = 1;
            return;
        }
    }
}

/* The totals a paragraph's shares may be of when it names none. */
static int is_total(int subject) {
    return subject == SUBJ_SPENDING_TOTAL || subject == SUBJ_INCOME_TOTAL || subject == SUBJ_YEAR_INCOME ||
           subject == SUBJ_GENERAL_CURRENT;
}

static pb_facts_status add_fact(reader *r, int subject, pb_fact_number value, unsigned unit, int decimals, size_t pos,
                                size_t end, const threshold *qualifier, int32_t *out) {
    pb_fact_store *st = r->st;
    pb_facts_status rc = keep_stripped(r);
    if (rc) return rc;
    pb_fact_span q = {0, 0, 0};
    if (qualifier) {
        static const char ge[] = "\xE2\x89\xA5"; /* ≥ */
        size_t t_off = (size_t)(r->t - st->text), alen = qualifier->amount_b - qualifier->amount_a;
        if ((rc = reserve_text(st, 3 + alen))) return rc;
        r->t = st->text + t_off;
        memcpy(st->text + st->text_len, ge, 3);
        memcpy(st->text + st->text_len + 3, r->t + qualifier->amount_a, alen);
        q = (pb_fact_span){(uint32_t)st->text_len, (uint32_t)(3 + alen), 1};
        st->text_len += 3 + alen;
    }
    size_t max_facts = st->max_facts < PB_FACTS_MAX_FACTS ? st->max_facts : PB_FACTS_MAX_FACTS;
    if ((rc = grow(st, (void **)&st->facts, &st->facts_cap, st->nfacts, sizeof *st->facts, max_facts))) return rc;
    int32_t index = (int32_t)st->nfacts++;
    pb_fact *d = &st->facts[index];
    memset(d, 0, sizeof *d);
    d->subject = (uint16_t)subject;
    d->unit = (uint8_t)unit;
    d->value = value;
    d->decimals = decimals;
    d->line = line_at(r, pos);
    d->lines[0] = d->line;
    d->nlines = 1;
    d->sentence = r->stripped;
    d->section = st->paras[r->para].section;
    d->qualifier = q;
    d->index = index;
    d->paragraph = (int32_t)r->para;
    d->sentence_id = r->sid;
    d->part_of = d->part_list = d->share_base = d->share_base_subject = -1;
    d->end = (uint32_t)end;
    if (r->scope.open) join_list(r, index, pos);
    r->seen_since_other[kind_of(unit)] = index + 1;
    if (r->last_of_subject[subject] < (int32_t)r->para_first) /* the paragraph's first of the subject */
        r->para_last_of_subject[subject] = r->last_of_subject[subject];
    r->last_of_subject[subject] = index;
    if (is_total(subject)) r->last_total = index;
    r->last = index;
    *out = index;
    return PB_FACTS_OK;
}

/* '…,主要原因是…': the reason right after a change belongs to that change's fact. */
static pb_facts_status attach_reason(reader *r, int32_t target, size_t pos) {
    /* the first reason after pos (reasons are in order) */
    size_t lo = count_at_most(r->reasons, r->nreasons, sizeof *r->reasons, offsetof(reason, start), pos);
    if (lo == r->nreasons || fact_at(r, target)->reason.present) return PB_FACTS_OK;
    reason *rs = &r->reasons[lo];
    size_t next = count_below(r->event_figures, r->nevent_figures, pos + 1); /* the first figure after pos */
    if (next < r->nevent_figures && r->event_figures[next] < rs->start) return PB_FACTS_OK;
    if (!rs->kept.present) {
        pb_facts_status rc = keep_sentence_text(r, rs->text_a, rs->text_b, &rs->kept);
        if (rc) return rc;
    }
    fact_at(r, target)->reason = rs->kept;
    return PB_FACTS_OK;
}

/* The fact a change clause t[a, b) is about, or -1 when it is about something unstated. */
static int32_t change_target(reader *r, size_t a, size_t b) {
    const char *clause = r->t + a;
    size_t n = b > a ? b - a : 0;
    size_t rest = 0;
    int named = named_subject(clause, n, r->scratch, &rest);
    if (named >= 0) {
        int32_t k = r->last_of_subject[named];
        return k >= 0 && (size_t)k >= r->para_first ? k : -1;
    }
    if (rest != 0) return -1; /* '事业运行由于退休了2人比上年减少了…' */
    const list_scope *scope = &r->scope;
    if (scope->open && scope->mid_sentence && !scope->closed && scope->nwholes > 0)
        return scope->wholes[0].fact; /* '总计X,其中:A,B,比上年减少…' is the change of X */
    if (r->last >= 0) return r->last;
    if (r->last == LAST_NONE && r->st->nfacts == r->first_fact && r->st->nfacts > r->para_first)
        return (int32_t)r->st->nfacts - 1; /* '…0万元。预算数与2024年保持一致' */
    return -1;
}

/* What '涉及金额/共计金额/涉及资金' at pos is the amount of, through *subject: the
 * latest 整体绩效目标 before it, or the projects the sentence counted (-1: neither). */
static pb_facts_status topic_at(reader *r, size_t pos, int *subject) {
    if (!r->topics_known) { /* the sentence's 整体绩效目标 not after 无, in order */
        r->topics_known = 1;
        r->ntopics = 0;
        for (size_t i = 0; i < r->n;) {
            size_t end = 0;
            if (word_at(r->t, r->n, i, LIT("整体绩效目标"))) end = i + 18;
            else if (word_at(r->t, r->n, i, LIT("整体支出绩效目标"))) end = i + 24;
            if (end && !(i > 0 && word_at(r->t, r->n, char_before(r->t, i), LIT("无")))) {
                pb_facts_status rc = more(r, (void **)&r->topics, &r->topics_cap, r->ntopics, sizeof *r->topics);
                if (rc) return rc;
                r->topics[r->ntopics++] = (span){i, end};
                i = end;
                continue;
            }
            i += char_len((unsigned char)r->t[i]);
        }
    }
    size_t lo = count_at_most(r->topics, r->ntopics, sizeof *r->topics, offsetof(span, end), pos); /* in order */
    *subject = r->has_topic ? r->topic_subject : -1;
    if (lo > 0 && (*subject < 0 || r->topics[lo - 1].start > r->topic_pos)) *subject = SUBJ_OVERALL_TARGETS;
    return PB_FACTS_OK;
}

/* The whole a '其中' at pos splits: the figures right before it ('总计761.35万元,
 * 其中:'), or, when the sentence starts with 其中, the previous sentence's first
 * figures ('…经费预算1.50万元…。' + '其中:因公出国(境)费0万元'). */
static void open_list(reader *r, size_t pos) {
    list_scope *scope = &r->scope;
    memset(scope, 0, sizeof *scope);
    scope->open = 1;
    scope->mid_sentence = r->nevent_figures > 0 && r->event_figures[0] < pos;
    if (scope->mid_sentence) {
        /* back to the first unknown figure: the latest fact of each kind, the latest kind first */
        for (;;) {
            int32_t latest = 0;
            int kind = -1;
            for (int k = 0; k < PB_FU__COUNT; k++)
                if (r->seen_since_other[k] > latest && scope_whole(scope, k) < 0) latest = r->seen_since_other[k], kind = k;
            if (kind < 0 || scope->nwholes == KINDS) break;
            scope_set_default(scope, kind, latest - 1);
        }
    } else if (r->st->nfacts == r->first_fact) {
        for (int k = 0; k < r->nprev_heads; k++) {
            const pb_fact *d = fact_at(r, r->prev_heads[k].fact);
            if ((int64_t)r->para - d->paragraph > 1) continue;
            /* '其中:A,B。其中:C,D。': the second list splits the same whole as the first */
            scope->wholes[scope->nwholes++] = (kind_fact){r->prev_heads[k].kind, d->part_of >= 0 ? d->part_of : d->index};
        }
    }
    scope->ident = ++r->lid;
}

static pb_fact_number figure_number(const pb_number *num, int infinite) {
    pb_fact_number v = {0, 0, PB_FN_INFINITY, 0, 0};
    if (!infinite) v = (pb_fact_number){num->mantissa, -num->decimals, PB_FN_FIGURE, 0, 0};
    return v;
}

/* Reads the figure of event e. */
static pb_facts_status read_figure(reader *r, const event *e) {
    const figure_match *m = &e->figure;
    size_t pos = e->pos;
    unsigned unit = m->unit;
    size_t start = boundary(r, pos);
    const char *label = r->t + start;
    size_t label_len = pos > start ? pos - start : 0;
    int infinite = word_at(r->t, m->number_end, m->start, LIT(INFINITY_SIGN));
    pb_number num;
    int64_t fen;
    int parsed = infinite || (pb_parse_number(r->t + m->start, m->number_end - m->start, &num) == PB_NUM_VALUE &&
                              pb_number_to_fen(&num, 0, &fen) >= 0);
    size_t end = r->last_end = m->end;
    if (!parsed) {
        r->last = LAST_OTHER;
        return PB_FACTS_OK;
    }
    int decimals = infinite ? 0 : num.decimals;
    pb_fact_number value = figure_number(&num, infinite);
    value.unit = (uint8_t)unit;
    if (unit == PB_FU_PERCENT && pb_starts(label, label_len, "占")) {
        if (r->last >= 0 && fact_at(r, r->last)->share.state == PB_FN_ABSENT) {
            pb_fact *d = fact_at(r, r->last);
            d->share = value;
            d->share_decimals = decimals;
            add_line(d, line_at(r, pos));
            d->share_base_subject = share_of(label, label_len);
        }
        return PB_FACTS_OK;
    }
    int negative = 0;
    long word = change_word(label, label_len, &negative);
    if (unit == PB_FU_PERCENT) {
        int32_t target = word >= 0 ? r->changed : -1;
        if (target >= 0 && fact_at(r, target)->change_pct.state == PB_FN_ABSENT) {
            pb_fact *d = fact_at(r, target);
            d->change_pct = value;
            d->change_pct.negative = (uint8_t)(negative && !infinite);
            d->change_pct_decimals = decimals;
            add_line(d, line_at(r, pos));
            return attach_reason(r, target, pos);
        }
        return PB_FACTS_OK;
    }
    if (word >= 0) {
        int32_t target = change_target(r, start, start + (size_t)word);
        r->changed = -1;
        if (target >= 0 && fact_at(r, target)->change.state == PB_FN_ABSENT && !infinite &&
            is_money(fact_at(r, target)->unit) == is_money(unit)) {
            pb_fact *d = fact_at(r, target);
            d->change = value;
            d->change.negative = (uint8_t)negative;
            d->change_decimals = decimals;
            add_line(d, line_at(r, pos));
            r->changed = target;
            return attach_reason(r, target, pos);
        }
        return PB_FACTS_OK;
    }
    if (infinite) {
        r->last = LAST_OTHER;
        return PB_FACTS_OK;
    }
    int subject = -1;
    pb_facts_status rc;
    if (is_money(unit) && (pb_contains(label, label_len, "额") || pb_starts(label, label_len, "涉及")) &&
        is_generic_amount(label, label_len) && (rc = topic_at(r, pos, &subject)))
        return rc;
    if (subject < 0) subject = subject_of(label, label_len, unit, staffing(r));
    if (subject < 0) {
        r->last = LAST_OTHER;
        memset(r->seen_since_other, 0, sizeof r->seen_since_other);
        return PB_FACTS_OK;
    }
    const threshold *qualifier = NULL;
    if (subject == SUBJ_LARGE_PROJECTS) { /* the last threshold before the figure (they come in order) */
        size_t before = count_at_most(r->thresholds, r->nthresholds, sizeof *r->thresholds, offsetof(threshold, end), pos);
        if (before > 0) qualifier = &r->thresholds[before - 1];
    }
    int32_t index;
    rc = add_fact(r, subject, value, unit, decimals, pos, end, qualifier, &index);
    if (rc) return rc;
    if (unit == PB_FU_COUNT &&
        (subject == SUBJ_MANAGED_PROJECTS || subject == SUBJ_PUBLISHED_TARGETS || subject == SUBJ_OTHER_RUNNING ||
         subject == SUBJ_SPECIFIC_PURPOSE || subject == SUBJ_LARGE_PROJECTS || subject == SUBJ_PROJECTS)) {
        r->has_topic = 1;
        r->topic_pos = pos;
        r->topic_subject = subject;
    }
    return PB_FACTS_OK;
}

/* ---------------------------------------------------------------- scanning */

enum { MARK_NONE, MARK_REASON, MARK_ZERO, MARK_LIST, MARK_THRESHOLD };

/* A reason, 'no change' or 其中 mark at t[i]: its kind, and its end through *end. */
static int word_mark_at(const char *t, size_t n, size_t i, size_t *end) {
    static const char *const zero[] = {"与上年预算数相同", "与上年相同", "与上年持平", "持平",    "无变动",
                                       "无变化",           "没有变化",   "保持一致",   "相比无变动"};
    size_t len;
    switch (char_at(t, n, i, &len)) { /* the first characters of the marks */
    case 0x4E3B: case 0x539F: case 0x4E0E: case 0x6301: case 0x65E0: /* 主 原 与 持 无 */
    case 0x6CA1: case 0x4FDD: case 0x76F8: case 0x5176: break;       /* 没 保 相 其 */
    default: return MARK_NONE;
    }
    if (word_at(t, n, i, LIT("主要原因"))) {
        size_t j = i + 12;
        if (word_at(t, n, j, LIT("是")) || word_at(t, n, j, LIT("为"))) j += 3;
        else if (j < n && t[j] == ':') j += 1;
        *end = j;
        return MARK_REASON;
    }
    if (word_at(t, n, i, LIT("原因是"))) return *end = i + 9, MARK_REASON;
    if (word_at(t, n, i, LIT("原因:"))) return *end = i + 7, MARK_REASON;
    for (size_t k = 0; k < COUNT_OF(zero); k++) {
        if (t[i + 1] != zero[k][1] || t[i + 2] != zero[k][2]) continue; /* len is 3: the first character */
        size_t wl = strlen(zero[k]);
        if (word_at(t, n, i, zero[k], wl)) return *end = i + wl, MARK_ZERO;
    }
    if (word_at(t, n, i, LIT("其中"))) return *end = i + 6, MARK_LIST;
    return MARK_NONE;
}

static size_t digits_at(const char *t, size_t n, size_t i) {
    size_t j = i, len;
    while (j < n && digit_at(t, n, j, &len)) j += len;
    return j;
}

/* An amount in 万元: digits, maybe a point and decimals, then 万元; its end or 0. */
static size_t wan_amount_at(const char *t, size_t n, size_t i) {
    size_t j = digits_at(t, n, i);
    if (j == i) return 0;
    if (j < n && t[j] == '.') {
        size_t d = digits_at(t, n, j + 1);
        if (d > j + 1) j = d;
    }
    return word_at(t, n, j, LIT("万元")) ? j + 6 : 0;
}

/* A threshold ('100万元及100万元以上', '价值50万元(原值)以上') at t[i]: its end and amount. */
static int threshold_at(const char *t, size_t n, size_t i, threshold *out) {
    size_t j = i;
    if (word_at(t, n, j, LIT("单价")) || word_at(t, n, j, LIT("价值"))) j += 6;
    else if (word_at(t, n, j, LIT("预算支出"))) j += 12;
    size_t amount_end = wan_amount_at(t, n, j);
    if (!amount_end) return 0;
    size_t k = amount_end;
    if (word_at(t, n, k, LIT("(原值)"))) k += 8;
    if (word_at(t, n, k, LIT("及"))) {
        size_t also = wan_amount_at(t, n, k + 3);
        if (also && word_at(t, n, also, LIT("以上"))) k = also;
    }
    if (!word_at(t, n, k, LIT("以上"))) return 0;
    *out = (threshold){i, k + 6, j, amount_end};
    return 1;
}

/* The sentence's figures in order, found once: the first is the one read_paragraph found. */
static pb_facts_status sentence_figures(reader *r) {
    if (r->figs_known) return PB_FACTS_OK;
    r->figs_known = 1;
    r->nfigs = 0;
    figure_match f = r->first_match;
    for (size_t i = r->first_figure; i < r->n && (i == r->first_figure || find_figure(r->t, i, r->n, &f)); i = f.end) {
        pb_facts_status rc = more(r, (void **)&r->figs, &r->figs_cap, r->nfigs, sizeof *r->figs);
        if (rc) return rc;
        r->figs[r->nfigs++] = f;
    }
    return PB_FACTS_OK;
}

/* The sentence's figures, its commas and its stops (';' '；' '。'), found once for
 * the ends of its reasons; of the figures, those after a comma whose clause names
 * a subject ('…,公务用车运行维护费1.50万元'). */
static pb_facts_status index_figures(reader *r) {
    if (r->figures_known) return PB_FACTS_OK;
    r->figures_known = 1;
    r->nok_figures = r->ncommas = r->nstops = 0;
    const char *t = r->t;
    size_t n = r->n;
    pb_facts_status rc;
    const unsigned char *u = (const unsigned char *)t;
    for (size_t k = 0; k < n; k += char_len(u[k])) {
        /* ',' '，' (EF BC 8C) a comma; ';' '；' (EF BC 9B) '。' (E3 80 82) a stop: told by their first byte */
        unsigned char c = u[k];
        int comma = 0, stop = 0;
        if (c == ',') comma = 1;
        else if (c == ';') stop = 1;
        else if (c == 0xEF && k + 3 <= n && u[k + 1] == 0xBC) comma = u[k + 2] == 0x8C, stop = u[k + 2] == 0x9B;
        else if (c == 0xE3 && k + 3 <= n) stop = u[k + 1] == 0x80 && u[k + 2] == 0x82;
        if (comma && (rc = push_position(r, &r->commas, &r->ncommas, &r->commas_cap, k))) return rc;
        if (stop && (rc = push_position(r, &r->stops, &r->nstops, &r->stops_cap, k))) return rc;
    }
    if ((rc = sentence_figures(r))) return rc;
    for (size_t k = 0, c = 0; k < r->nfigs; k++) {
        const figure_match *g = &r->figs[k];
        while (c < r->ncommas && r->commas[c] < g->start) c++; /* commas[c - 1]: the last before the figure */
        if (!c) continue;
        size_t cut = r->commas[c - 1], cut_end = cut + (t[cut] == ',' ? 1 : 3);
        if (subject_of(t + cut_end, g->start - cut_end, g->unit, staffing(r)) < 0) continue;
        if ((rc = more(r, (void **)&r->ok_figures, &r->ok_figures_cap, r->nok_figures, sizeof *r->ok_figures))) return rc;
        r->ok_figures[r->nok_figures++] = *g;
    }
    return PB_FACTS_OK;
}

/* A reason runs to the next ';' or '。', or up to a clause that states a figure of
 * a known subject ('…压减经费,公务用车运行维护费1.50万元,…'): the comma before the
 * first such figure after a comma of the reason. Through *end. */
static pb_facts_status reason_end(reader *r, size_t start, size_t *end) {
    pb_facts_status rc = index_figures(r);
    if (rc) return rc;
    size_t k = count_below(r->stops, r->nstops, start);
    *end = k < r->nstops ? r->stops[k] : r->n;
    size_t c = count_below(r->commas, r->ncommas, start);
    if (c == r->ncommas) return PB_FACTS_OK;
    /* the first such figure after the reason's first comma */
    size_t lo = count_at_most(r->ok_figures, r->nok_figures, sizeof *r->ok_figures, offsetof(figure_match, start),
                              r->commas[c]);
    if (lo == r->nok_figures) return PB_FACTS_OK;
    const figure_match *g = &r->ok_figures[lo];
    if (g->end <= *end) *end = r->commas[count_below(r->commas, r->ncommas, g->start) - 1];
    return PB_FACTS_OK;
}

static pb_facts_status push_event(reader *r, size_t pos, size_t end, int order, int kind, const figure_match *f) {
    pb_facts_status rc = more(r, (void **)&r->events, &r->events_cap, r->nevents, sizeof *r->events);
    if (rc) return rc;
    static const figure_match no_figure = {0, 0, 0, 0};
    r->events[r->nevents] = (event){pos, end, (uint8_t)order, (uint8_t)kind, (uint32_t)r->nevents, f ? *f : no_figure};
    r->nevents++;
    return PB_FACTS_OK;
}

/* The stretches of the reasons and thresholds (each found in order), merged where they meet. */
static pb_facts_status merge_spans(reader *r) {
    r->nspans = 0;
    size_t a = 0, b = 0;
    while (a < r->nreasons || b < r->nthresholds) {
        span next;
        if (b == r->nthresholds || (a < r->nreasons && r->reasons[a].start <= r->thresholds[b].start))
            next = (span){r->reasons[a].start, r->reasons[a].end}, a++;
        else
            next = (span){r->thresholds[b].start, r->thresholds[b].end}, b++;
        if (r->nspans && next.start <= r->spans[r->nspans - 1].end) {
            if (next.end > r->spans[r->nspans - 1].end) r->spans[r->nspans - 1].end = next.end;
            continue;
        }
        pb_facts_status rc = more(r, (void **)&r->spans, &r->spans_cap, r->nspans, sizeof *r->spans);
        if (rc) return rc;
        r->spans[r->nspans++] = next;
    }
    return PB_FACTS_OK;
}

/* Whether pos lies in a reason or a threshold. */
static int in_spans(const reader *r, size_t pos) {
    size_t lo = count_at_most(r->spans, r->nspans, sizeof *r->spans, offsetof(span, start), pos); /* starting by pos */
    return lo > 0 && pos < r->spans[lo - 1].end;
}

static int event_order(const void *a, const void *b) {
    const event *x = a, *y = b;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Finds the sentence's figures and the words that give them meaning, in order
 * (r->sorted). Figures inside a reason or a threshold are no facts. */
static pb_facts_status scan(reader *r) {
    const char *t = r->t;
    size_t n = r->n, skip_to = 0;
    pb_facts_status rc;
    r->nevents = r->nreasons = r->nthresholds = 0;
    int thresholds = pb_contains(t, n, "以上");
    const unsigned char *u = (const unsigned char *)t;
    for (size_t i = 0; i < n;) {
        /* byte by byte: every mark starts with a lead byte, E4..E7 for the words (主原与持无没
         * 保相其), a digit's (see may_start_figure) or E4, E5, E9 (价单预) for a threshold;
         * without thresholds, straight to the next place a word may start */
        if (!thresholds && (i = next_mark_lead(u, i, n)) >= n) break;
        size_t end = 0;
        threshold th;
        int kind = u[i] >= 0xE4 && u[i] <= 0xE7 ? word_mark_at(t, n, i, &end) : MARK_NONE;
        if (kind == MARK_NONE && thresholds && (may_start_figure(u[i]) || u[i] == 0xE4 || u[i] == 0xE5 || u[i] == 0xE9) &&
            threshold_at(t, n, i, &th))
            kind = MARK_THRESHOLD, end = th.end;
        if (kind == MARK_NONE) {
            i++;
            continue;
        }
        if (kind == MARK_REASON) {
            if ((rc = more(r, (void **)&r->reasons, &r->reasons_cap, r->nreasons, sizeof *r->reasons))) return rc;
            size_t stop;
            if ((rc = reason_end(r, end, &stop))) return rc;
            size_t a = end, b = stop;
            /* the reason as quoted: without ' ,:，：' at its ends */
            for (;;) {
                if (a < b && (t[a] == ' ' || t[a] == ',' || t[a] == ':')) a++;
                else if (word_at(t, b, a, LIT("，")) || word_at(t, b, a, LIT("："))) a += 3;
                else break;
            }
            for (;;) {
                if (b > a && (t[b - 1] == ' ' || t[b - 1] == ',' || t[b - 1] == ':')) b--;
                else if (b >= a + 3 && (pb_ends(t + a, b - a, "，") || pb_ends(t + a, b - a, "："))) b -= 3;
                else break;
            }
            r->reasons[r->nreasons++] = (reason){i, stop, a, b, {0, 0, 0}};
            if (stop > skip_to) skip_to = stop;
        } else if (kind == MARK_THRESHOLD) {
            if ((rc = more(r, (void **)&r->thresholds, &r->thresholds_cap, r->nthresholds, sizeof *r->thresholds)))
                return rc;
            r->thresholds[r->nthresholds++] = th;
            if (th.end > skip_to) skip_to = th.end;
        } else if (i >= skip_to) {
            if ((rc = push_event(r, i, end, kind == MARK_LIST ? 0 : 1, kind == MARK_LIST ? EV_LIST : EV_ZERO, NULL)))
                return rc;
        }
        i = end;
    }
    int spans = r->nthresholds || r->nreasons;
    if (spans && (rc = merge_spans(r))) return rc;
    if (spans) { /* a mark inside a later reason or threshold is none either */
        size_t kept = 0;
        for (size_t k = 0; k < r->nevents; k++)
            if (!in_spans(r, r->events[k].pos)) r->events[kept++] = r->events[k];
        r->nevents = kept;
    }
    size_t nmarks = r->nevents;
    if ((rc = sentence_figures(r))) return rc;
    for (size_t k = 0; k < r->nfigs; k++) {
        const figure_match *f = &r->figs[k];
        if (!spans || !in_spans(r, f->start))
            if ((rc = push_event(r, f->start, f->end, 1, EV_FIGURE, f))) return rc;
    }
    size_t nfigures = r->nevents - nmarks;
    if (pb_contains(t, n, "无")) {
        if (pb_contains(t, n, "无三公经费") && (rc = push_event(r, 0, 0, 1, EV_NONE_THREE_PUBLIC, NULL))) return rc;
        static const char none_spent[] = "支出包括:无";
        const char *p = memmem(t, n, none_spent, sizeof none_spent - 1);
        if (p && (rc = push_event(r, (size_t)(p - t), (size_t)(p - t) + sizeof none_spent - 1, 1, EV_NONE_SPENDING, NULL)))
            return rc;
    }
    for (size_t k = 0; k < r->nevents; k++) r->events[k].seq = (uint32_t)k; /* the order found, after the filter */
    /* read in order from r->sorted (the reading appends nothing to events): the marks, the
     * figures and the 无 events are each found in order, so a merge of the three runs sorts
     * them (event_order is a total order: any sort gives this one) */
    if (r->sorted_cap < r->nevents) {
        event *p = store_realloc(r->st, r->sorted, r->events_cap * sizeof *r->sorted);
        if (!p) return PB_FACTS_NO_MEMORY;
        r->sorted = p;
        r->sorted_cap = r->events_cap;
    }
    size_t run[3] = {0, nmarks, nmarks + nfigures}, run_end[3] = {nmarks, nmarks + nfigures, r->nevents};
    for (size_t k = 0; k < r->nevents; k++) {
        int pick = -1;
        for (int q = 0; q < 3; q++)
            if (run[q] < run_end[q] && (pick < 0 || event_order(&r->events[run[q]], &r->events[run[pick]]) < 0)) pick = q;
        r->sorted[k] = r->events[run[pick]++];
    }
    r->nevent_figures = 0;
    for (size_t k = 0; k < r->nevents; k++)
        if (r->sorted[k].kind == EV_FIGURE &&
            (rc = push_position(r, &r->event_figures, &r->nevent_figures, &r->event_figures_cap, r->sorted[k].pos)))
            return rc;
    return PB_FACTS_OK;
}

/* Reads one sentence: figures, shares, changes, reasons and 其中 lists. */
static pb_facts_status read_sentence(reader *r) {
    r->sid++;
    r->first_fact = r->st->nfacts;
    r->last = LAST_NONE;
    r->last_end = 0;
    r->changed = -1;
    memset(&r->scope, 0, sizeof r->scope);
    r->has_topic = 0;
    r->topic_pos = 0;
    r->stripped.present = 0;
    memset(r->seen_since_other, 0, sizeof r->seen_since_other);
    r->figures_known = r->topics_known = r->figs_known = 0;
    r->staffing = -1;
    if ((size_t)r->n > r->scratch_cap) {
        char *p = store_realloc(r->st, r->scratch, r->n);
        if (!p) return PB_FACTS_NO_MEMORY;
        r->scratch = p;
        r->scratch_cap = r->n;
    }
    pb_facts_status rc = scan(r);
    if (rc) return rc;
    size_t nevents = r->nevents;
    for (size_t k = 0; k < nevents; k++) {
        const event *e = &r->sorted[k]; /* sorted stays as it is while the sentence is read */
        if (r->scope.open) close_scope_at(r, e->pos);
        switch (e->kind) {
        case EV_FIGURE:
            rc = read_figure(r, e);
            break;
        case EV_LIST:
            open_list(r, e->pos);
            break;
        case EV_NONE_THREE_PUBLIC:
        case EV_NONE_SPENDING: { /* '本部门无“三公”经费预算', '支出包括:无' state 0 */
            int32_t index;
            pb_fact_number zero = {0, 0, PB_FN_FIGURE, 0, PB_FU_WAN_YUAN};
            int subject = e->kind == EV_NONE_THREE_PUBLIC ? SUBJ_THREE_PUBLIC : SUBJ_GRANT_SPENDING;
            rc = add_fact(r, subject, zero, PB_FU_WAN_YUAN, 2, e->pos, e->end, NULL, &index);
            if (e->kind == EV_NONE_SPENDING) r->last_end = e->end;
            break;
        }
        case EV_ZERO: {
            int32_t target = change_target(r, boundary(r, e->pos), e->pos);
            if (target >= 0 && fact_at(r, target)->change.state == PB_FN_ABSENT) {
                pb_fact *d = fact_at(r, target);
                d->change.state = d->change_pct.state = PB_FN_ZERO;
                add_line(d, line_at(r, e->pos));
                rc = attach_reason(r, target, e->pos);
            }
            r->last_end = e->end;
            break;
        }
        default:
            break;
        }
        if (rc) return rc;
    }
    /* the first fact of each kind: what a 其中 opening the next sentence splits */
    if (r->st->nfacts > r->first_fact) {
        r->nprev_heads = 0;
        for (size_t k = r->first_fact; k < r->st->nfacts; k++) {
            int kind = kind_of(r->st->facts[k].unit), known = 0;
            for (int h = 0; h < r->nprev_heads; h++) known |= r->prev_heads[h].kind == kind;
            if (!known) r->prev_heads[r->nprev_heads++] = (kind_fact){(uint8_t)kind, (int32_t)k};
        }
    }
    return PB_FACTS_OK;
}

/* '本年收入中,…' / '支出总计中,…': the subject the paragraph's shares are of, or -1. */
static int lead_subject(const char *s, size_t n) {
    size_t i = 0, chars = 0, len;
    while (i < n && chars < 12) {
        uint32_t cp = char_at(s, n, i, &len);
        if (cp == '\n') return -1;
        i += len;
        chars++;
        if (chars >= 2 && word_at(s, n, i, LIT("中")) &&
            ((i + 3 < n && s[i + 3] == ',') || word_at(s, n, i + 3, LIT("，"))))
            return label_subject(s, i, TABLE_MONEY);
    }
    return -1;
}

/* Ties each stated share of the paragraph to the figure it is a share of: the
 * total the paragraph leads with, its first amount ('收入761.35万元,主要包括…占
 * 96.39%'), or the total stated before a paragraph that only lists shares. */
static void tie_shares(reader *r) {
    pb_fact_store *st = r->st;
    int worked_out = 0;
    int32_t lead = -1, head = -1;
    for (size_t k = r->para_first; k < st->nfacts; k++) {
        pb_fact *d = &st->facts[k];
        if (d->share.state == PB_FN_ABSENT || d->share_base_subject >= 0) continue;
        if (!worked_out) {
            worked_out = 1;
            for (size_t j = r->para_first; j < st->nfacts && head < 0; j++)
                if (is_money(st->facts[j].unit) && st->facts[j].share.state == PB_FN_ABSENT) head = (int32_t)j;
            const pb_fact_paragraph *p = &st->paras[r->para];
            int subject = lead_subject(st->text + p->text.off, p->text.len);
            if (subject >= 0) {
                int32_t last = r->last_of_subject[subject];
                lead = last < (int32_t)r->para_first ? last : r->para_last_of_subject[subject];
            }
        }
        int32_t base = lead;
        if (base < 0 && head >= 0 && head < d->index) base = head;
        if (base < 0) base = r->para_last_total;
        if (base >= 0) d->share_base = base;
    }
}

/* Where the sentence starting at s[a] ends: after its end mark, or at n. */
static size_t sentence_end(const char *s, size_t n, size_t a) {
    const unsigned char *u = (const unsigned char *)s;
    static const unsigned char leads[5] = {'!', '?', 0xE3, 0xEF, 0xEF}; /* of 。！？ */
    size_t b = a;
    /* each lead found is told by its bytes; past one that ends nothing, the next lead is no
     * byte of its character */
    while ((b = next_in_set(u, b, n, leads)) < n) {
        size_t mark = sentence_mark_at(u, b, n);
        if (mark) return b + mark;
        b++;
    }
    return b;
}

/* The sentences of paragraph r->para: each runs to and keeps its end mark, or to the paragraph's end. */
static pb_facts_status read_paragraph(reader *r) {
    const pb_fact_paragraph *p = &r->st->paras[r->para];
    size_t n = p->text.len;
    r->para_first = r->st->nfacts;
    r->para_last_total = r->last_total;
    for (size_t a = 0; a < n;) {
        const char *s = para_text(r);
        size_t b = sentence_end(s, n, a);
        r->t = s + a;
        r->n = b - a;
        r->offset = a;
        figure_match f;
        r->first_figure = r->n;
        int digit = 0;
        if (find_figure_noting(r->t, 0, r->n, &f, &digit)) {
            r->first_figure = f.start;
            r->first_match = f;
        } else {
            /* not worth reading (worth_reading, knowing whether there is a digit): no digit, 无
             * or 'no change' word. With one of these words it is worth reading and has a mark. */
            unsigned words = prose_words(r->t, r->n);
            if (!digit && !(words & (PW_NONE | PW_NO_CHANGE))) {
                a = b;
                continue;
            }
            if (!(words & (PW_NONE | PW_NO_CHANGE | PW_MARK))) {
                r->sid++; /* nothing to read (a year, a date), but it is still a sentence */
                a = b;
                continue;
            }
        }
        pb_facts_status rc = read_sentence(r);
        if (rc) return rc;
        a = b;
    }
    if (r->st->nfacts > r->para_first) tie_shares(r);
    return PB_FACTS_OK;
}

static void reader_free(reader *r) {
    pb_fact_store *st = r->st;
    st->alloc.free(st->alloc.ctx, r->events);
    st->alloc.free(st->alloc.ctx, r->sorted);
    st->alloc.free(st->alloc.ctx, r->reasons);
    st->alloc.free(st->alloc.ctx, r->thresholds);
    st->alloc.free(st->alloc.ctx, r->scratch);
    st->alloc.free(st->alloc.ctx, r->ok_figures);
    st->alloc.free(st->alloc.ctx, r->commas);
    st->alloc.free(st->alloc.ctx, r->stops);
    st->alloc.free(st->alloc.ctx, r->spans);
    st->alloc.free(st->alloc.ctx, r->event_figures);
    st->alloc.free(st->alloc.ctx, r->topics);
    st->alloc.free(st->alloc.ctx, r->figs);
}

static pb_facts_status paragraphs(pb_fact_store *st, const pb_fact_line *lines, size_t n, int reading) {
    store_clear(st);
    pb_facts_status rc = join_paragraphs(st, lines, n, reading);
    if (rc) store_clear(st);
    return rc;
}

pb_facts_status pb_facts_paragraphs(pb_fact_store *st, const pb_fact_line *lines, size_t n) {
    return paragraphs(st, lines, n, 0);
}

pb_facts_status pb_facts_read(pb_fact_store *st, const pb_fact_line *lines, size_t n) {
    pb_facts_status rc = paragraphs(st, lines, n, 1);
    if (rc) return rc;
    /* the reading keeps copies of sentences and reasons (the paragraphs' text at most, mostly)
     * and a fact or two for a sentence: room for 64 facts and one per 256 bytes of paragraphs
     * (the seeds state one per 140 to 360 bytes), reserved rather than doubled into by
     * reallocs that copy the facts */
    size_t max_facts = st->max_facts < PB_FACTS_MAX_FACTS ? st->max_facts : PB_FACTS_MAX_FACTS, para_bytes = 0;
    for (size_t k = 0; k < st->nparas; k++) para_bytes += st->paras[k].text.len;
    if ((rc = reserve_text_hint(st, para_bytes + 256)) ||
        (rc = reserve_items(st, (void **)&st->facts, &st->facts_cap, 64 + para_bytes / 256, sizeof *st->facts,
                            max_facts))) {
        store_clear(st);
        return rc;
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.st = st;
    for (size_t k = 0; k < COUNT_OF(r.last_of_subject); k++) r.last_of_subject[k] = -1;
    r.last_total = -1;
    for (r.para = 0; r.para < st->nparas && !rc; r.para++) {
        const pb_fact_paragraph *p = &st->paras[r.para];
        if (!p->heading && worth_reading(st->text + p->text.off, p->text.len)) rc = read_paragraph(&r);
    }
    reader_free(&r);
    if (rc) store_clear(st);
    return rc;
}
