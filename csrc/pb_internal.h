/* Internal structures shared by the core's files. Not part of the API. */
#ifndef PB_INTERNAL_H
#define PB_INTERNAL_H

#include "pb.h"

#include <iconv.h>
#include <stdarg.h>
#include <string.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* 10^k for 0 <= k <= 18: the powers of ten an int64_t holds. */
static inline int64_t pb_pow10(int k) {
    static const int64_t powers[19] = {1,
                                       10,
                                       100,
                                       1000,
                                       10000,
                                       100000,
                                       1000000,
                                       10000000,
                                       100000000,
                                       1000000000,
                                       10000000000,
                                       100000000000,
                                       1000000000000,
                                       10000000000000,
                                       100000000000000,
                                       1000000000000000,
                                       10000000000000000,
                                       100000000000000000,
                                       1000000000000000000};
    return powers[k];
}

#define PB_MAX_SLOTS 64        /* columns one table can map */
#define PB_MAX_HEADER_ROWS 8   /* header rows kept per table */
#define PB_PROBE_BYTES 65536   /* bytes read before the encoding is chosen */
#define PB_MEASURE_MAX 40

/* ---- memory ------------------------------------------------------------ */

typedef struct pb_buf {
    char *data;
    size_t len;
    size_t cap;
} pb_buf;

struct pb_parser;
void *pb_alloc(struct pb_parser *p, size_t n);
void *pb_realloc(struct pb_parser *p, void *ptr, size_t n);
void pb_dealloc(struct pb_parser *p, void *ptr);
/* Grows b to hold extra more bytes and a NUL; the inline helpers below call
 * it only when the room is short (every line goes through them many times). */
int pb_buf_grow(struct pb_parser *p, pb_buf *b, size_t extra);

static inline int pb_buf_reserve(struct pb_parser *p, pb_buf *b, size_t extra) {
    return b->len + extra + 1 <= b->cap ? 0 : pb_buf_grow(p, b, extra);
}

static inline int pb_buf_append(struct pb_parser *p, pb_buf *b, const char *s, size_t n) {
    if (pb_buf_reserve(p, b, n) < 0) return -1;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static inline int pb_buf_putc(struct pb_parser *p, pb_buf *b, char c) {
    if (pb_buf_reserve(p, b, 1) < 0) return -1;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}
void pb_buf_free(struct pb_parser *p, pb_buf *b);
/* Grows a full array of *cap items (doubling from first_cap). */
void *pb_grow_array(struct pb_parser *p, void *items, size_t *cap, size_t item_size, size_t first_cap);
/* Room for count + more items of `size` bytes in *items (capacity *cap), the
 * capacity doubled from first_cap with the allocator: for the results that
 * index their items with uint32_t (the audit's, the facts' comparisons).
 * PB_RESERVE_TOO_BIG when the items would pass UINT32_MAX or the bytes size_t. */
enum { PB_RESERVE_OK = 0, PB_RESERVE_NO_MEMORY = 1, PB_RESERVE_TOO_BIG = 2 };
static inline int pb_reserve_indexed(const pb_allocator *al, void **items, size_t *cap, size_t count, size_t more,
                                     size_t size, size_t first_cap) {
    if (more > UINT32_MAX - count) return PB_RESERVE_TOO_BIG;
    size_t need = count + more;
    if (need <= *cap) return PB_RESERVE_OK;
    size_t want = *cap ? *cap : first_cap;
    while (want < need) want = want > UINT32_MAX / 2 ? UINT32_MAX : want * 2;
    if (want > SIZE_MAX / size) return PB_RESERVE_TOO_BIG;
    void *p = al->realloc(al->ctx, *items, want * size);
    if (!p) return PB_RESERVE_NO_MEMORY;
    *items = p;
    *cap = want;
    return PB_RESERVE_OK;
}

/* Room for one more item in a growable array of count items: the array, moved
 * if it grew, or NULL when out of memory (the old array stays valid and *cap
 * unchanged). Inline: every cell and record asks. */
static inline void *pb_grow_items(struct pb_parser *p, void *items, size_t *cap, size_t count, size_t item_size,
                                  size_t first_cap) {
    return count < *cap ? items : pb_grow_array(p, items, cap, item_size, first_cap); /* room: the usual case */
}

/* ---- records ----------------------------------------------------------- */

typedef struct pb_store {
    pb_record *records;
    size_t count, cap;
    pb_value *values;
    size_t value_count, value_cap;
    pb_buf text;
} pb_store;

/* Begins a record; returns its index or -1 (error set). */
long pb_rec_new(struct pb_parser *p, pb_record_kind kind, uint64_t line, int32_t table);
int pb_rec_field(struct pb_parser *p, long rec, int field, const char *s, size_t n);
/* Inline: most strings are literals, whose strlen() folds to a constant. */
static inline int pb_rec_fieldz(struct pb_parser *p, long rec, int field, const char *s) {
    return pb_rec_field(p, rec, field, s, strlen(s));
}
int pb_rec_value(struct pb_parser *p, long rec, const char *measure, size_t mlen,
                 const char *text, size_t tlen, int64_t fen, int state, int decimals);
int pb_warn(struct pb_parser *p, uint64_t line, pb_warning_code code, const char *fmt, ...);

/* ---- text ---------------------------------------------------------------- */

typedef struct pb_cell {
    uint32_t off, len; /* in pb_line.text */
    int32_t x0, x1;    /* display columns (layout) or index (tabs) */
    int32_t c0, c1;    /* character columns (layout as pdftotext places glyphs) or index */
    int8_t number;     /* pb_num_kind + 1 once the cell was read as a number, 0 before */
} pb_cell;

/* A single space inside a cell: its offset in the line's text and the
 * positions before and after it (display columns, or characters). */
typedef struct pb_space {
    size_t off;
    int32_t x0, x1, c0, c1;
} pb_space;

typedef struct pb_line {
    uint64_t no;
    pb_buf text;     /* normalised line, cells separated by '\t' */
    pb_buf squeezed; /* no spaces at all: for matching words */
    pb_cell *cells;
    size_t ncells, cells_cap;
    int tab_mode; /* 1: cells by tabs; 0: by runs of >= 2 spaces */
    /* A one-cell space-aligned line whose figure follows its name after one
     * space ('…维护费 29945.00'): where, for a table that knows its columns to
     * cut (off 0: none). The normaliser cannot tell such a row from a line of
     * single-spaced words. */
    pb_space glued;
} pb_line;

/* HTML (pb_html.c): the length of a tag at s that converters leave behind, or 0;
 * whether s starts with <name ...> or </name ...> (ASCII case ignored); a cell
 * tag (<td>, <th>); whether a line holds one; a tag's colspan= or rowspan= (1
 * when absent, at most PB_MAX_SLOTS); the character of an entity at s
 * ('&nbsp;', '&amp;', '&#39;'), setting *len, or 0 (only entities for ASCII and
 * spaces: the text keeps the others). */
size_t pb_html_tag_len(const char *s, size_t n);
/* inline: called on every tag of a row with a literal name, whose length folds */
static inline int pb_html_tag_is(const char *s, size_t n, const char *name) {
    size_t i = n > 1 && s[1] == '/' ? 2 : 1, k = strlen(name);
    if (n < i + k + 1 || s[0] != '<') return 0;
    for (size_t j = 0; j < k; j++) {
        char c = s[i + j];
        if ((c >= 'A' && c <= 'Z' ? (char)(c + 32) : c) != name[j]) return 0;
    }
    char after = s[i + k];
    return after == '>' || after == ' ' || after == '\t' || after == '/';
}
int pb_html_cell_tag(const char *s, size_t n);
int pb_html_has_cells(const char *s, size_t n);

/* CSV (pb_csv.c). Bytes a quoted cell over several lines may hold, and lines
 * one record may span, before its quote is taken for a stray mark and the
 * lines are read one by one. */
#define PB_CSV_MAX_CELL 256
#define PB_CSV_MAX_JOIN 64
/* Points *s, *n at the line rewritten with tabs between its fields when it is
 * a CSV row (deciding, on a first line that shows it, that the document is
 * CSV): 1 rewritten, 0 left as it is, -1 out of memory. */
int pb_csv_rewrite(struct pb_parser *p, const char **s, size_t *n);
/* In a CSV document, whether the line ends inside a quoted cell. */
int pb_csv_opens_cell(struct pb_parser *p, const char *s, size_t n);
/* Holds a line of a cell that spans lines; *closed once its quote closes. */
int pb_csv_hold(struct pb_parser *p, const char *s, size_t n, int *closed);
/* Whether the held lines reached the limit of lines or bytes. */
int pb_csv_must_release(const struct pb_parser *p);
int pb_html_span(const char *s, size_t tl, const char *name);
uint32_t pb_html_entity(const char *s, size_t n, size_t *len);
/* Single spaces looked at, from the end of a cell, for the one before a figure:
 * a figure with OCR gaps ('1, 234. 56') and the space before it. */
enum { PB_INNER_SPACES = 4 };
/* The space at text[space] comes after a name (CJK or a closing bracket) and
 * before a figure that runs to end ('72.05', '733. 90', '100%', '≥122人次'). */
int pb_figure_after_name(const char *text, size_t space, size_t end);
/* Cuts cell i of l in two at the single space at. Returns 1, 0 at the cell limit, -1 on error. */
int pb_cut_cell(struct pb_parser *p, pb_line *l, size_t i, const pb_space *at);
/* Splits each cell of a space-aligned line that runs over one of the column
 * starts at a single space where its text after it begins at that start (give
 * or take one): pdftotext -layout leaves one space where a long name nearly
 * touches the next column ('…工作成效 明显提升'). Positions in display columns,
 * or in characters with char_columns. */
int pb_split_at_columns(struct pb_parser *p, pb_line *l, const int32_t *starts, int nstarts, int char_columns);
/* Cells with text, counted up to limit (a test of 'more than k' stops there):
 * a line padded with empty cells (a spreadsheet's row, as wide as its sheet)
 * reads as the words it holds. */
static inline size_t pb_text_cells(const pb_line *l, size_t limit) {
    size_t n = 0;
    for (size_t i = 0; i < l->ncells && n < limit; i++) n += l->cells[i].len > 0;
    return n;
}
/* Normalises one raw UTF-8 line into l (cells, squeezed); marks: what s holds
 * (PB_MARK_* of pb_scan.h, as the line splitter finds them). */
int pb_normalize_line(struct pb_parser *p, const char *s, size_t n, unsigned marks, pb_line *l);
/* Copies s without spaces that touch a non-ASCII character. */
int pb_squeeze(struct pb_parser *p, pb_buf *out, const char *s, size_t n);
/* Copies s with every space removed. */
int pb_strip_spaces(struct pb_parser *p, pb_buf *out, const char *s, size_t n);
/* Copies n bytes that are mostly few (a code, a figure, a word): two
 * overlapping loads and stores each, touching [0, n) only, where a call to
 * memcpy costs several times that; memcpy above 16 bytes. */
static inline void pb_copy_small(char *dst, const char *src, size_t n) {
    if (n > 16) {
        memcpy(dst, src, n);
    } else if (n >= 8) {
        uint64_t head, tail;
        memcpy(&head, src, 8);
        memcpy(&tail, src + n - 8, 8);
        memcpy(dst, &head, 8);
        memcpy(dst + n - 8, &tail, 8);
    } else if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, src, 4);
        memcpy(&tail, src + n - 4, 4);
        memcpy(dst, &head, 4);
        memcpy(dst + n - 4, &tail, 4);
    } else if (n) { /* 1 to 3 bytes: the first, the middle and the last */
        char a = src[0], b = src[n / 2], c = src[n - 1];
        dst[0] = a, dst[n / 2] = b, dst[n - 1] = c;
    }
}
/* The blanks (space, tab) among the eight bytes at s, as high bits of a word:
 * zero when there is none; where there are, the lowest set bit marks the first
 * exactly (bits above it may be false). */
static inline uint64_t pb_blanks_in(const char *s) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t sp = w ^ (ones * ' '), tab = w ^ (ones * '\t');
    return ((sp - ones) & ~sp & highs) | ((tab - ones) & ~tab & highs);
}
/* Whether s holds a space or a tab: where it does not, pb_strip_spaces and
 * pb_squeeze would copy it as it is, so it can be read in place (inline: every
 * cell of a table or target line is asked). */
static inline int pb_has_blank(const char *s, size_t n) {
    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8)
            if (pb_blanks_in(s + i)) return 1;
        return (n & 7) && pb_blanks_in(s + n - 8); /* the last bytes, in the word ending at s + n */
    }
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t') return 1;
    return 0;
}
/* Word tests, inline so that strlen() of a literal word folds to a constant. */
/* The first character of s (n bytes) as its three UTF-8 bytes in one integer
 * (E4 B8 80 for 一), 0 when s is shorter: one switch then tells a set of CJK
 * characters apart. */
static inline uint32_t pb_char3(const char *s, size_t n) {
    if (n < 3) return 0;
    const unsigned char *u = (const unsigned char *)s;
    return (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
}
/* The Chinese numeral s starts with: 零 0, 一 … 十 1 … 10, 百 100; -1 for none. */
int pb_cn_numeral(const char *s, size_t n);
static inline int pb_starts(const char *s, size_t n, const char *word) {
    size_t w = strlen(word);
    return w <= n && memcmp(s, word, w) == 0;
}

static inline int pb_ends(const char *s, size_t n, const char *word) {
    size_t w = strlen(word);
    return w <= n && memcmp(s + n - w, word, w) == 0;
}

/* Whether s (n bytes) holds word (w bytes). Haystacks are a few dozen bytes and
 * needles a few words: a test of the needle's first two bytes at sixteen places
 * at once, the rest compared where both match; loads stay inside s (the last
 * window ends at its last byte). */
static inline int pb_contains_n(const char *s, size_t n, const char *word, size_t w) {
    if (w == 0) return 1;
    if (w > n) return 0;
    if (w == 1) return memchr(s, word[0], n) != NULL;
    size_t last = n - w; /* the last place the needle fits */
    size_t i = 0;
#if defined(__SSE2__)
    if (n >= 17) {
        __m128i a = _mm_set1_epi8(word[0]), b = _mm_set1_epi8(word[1]);
        for (;;) {
            /* places i .. i + 15, whose second bytes run to i + 16 < n; the
             * last window may go back over places already found wanting */
            if (i + 17 > n) i = n - 17;
            __m128i at_a = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(s + i)), a);
            __m128i at_b = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(s + i + 1)), b);
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(at_a, at_b));
            for (; m; m &= m - 1) {
                size_t j = i + (size_t)__builtin_ctz(m);
                if (j <= last && memcmp(s + j + 2, word + 2, w - 2) == 0) return 1;
            }
            if (i + 17 >= n) return 0;
            i += 16;
        }
    }
#endif
    for (; i <= last; i++)
        if (s[i] == word[0] && s[i + 1] == word[1] && memcmp(s + i + 2, word + 2, w - 2) == 0) return 1;
    return 0;
}
static inline int pb_contains(const char *s, size_t n, const char *word) {
    return pb_contains_n(s, n, word, strlen(word));
}
/* Whether s (n bytes, no NUL) is one of a NULL-ended list of words; the
 * first differing byte rejects, so no strlen per word. */
static inline int pb_is_one_of(const char *const *words, const char *s, size_t n) {
    for (int k = 0; words[k]; k++)
        if (words[k][0] == (n ? s[0] : '\0') && strncmp(words[k], s, n) == 0 && words[k][n] == '\0') return 1;
    return 0;
}
size_t pb_utf8_len(unsigned char lead);
/* Display columns and characters of normalised text, counted as line positions are. */
void pb_text_extent(const char *s, size_t n, int32_t *width, int32_t *chars);
/* Leading ordinal marker (一、 （一） ① 1、 1.) length, or 0. */
size_t pb_ordinal_prefix(const char *s, size_t n);
/* Finds a year 19xx/20xx followed by 年 or 年度; returns year or 0. */
int pb_find_year(const char *s, size_t n);

/* ---- lexicon ------------------------------------------------------------- */

const char *pb_table_kind_from_title(const char *s, size_t n); /* squeezed */
typedef enum pb_role {
    PB_COL_NONE = 0,
    PB_COL_CODE,
    PB_COL_CODE_CLASS,
    PB_COL_CODE_SECTION,
    PB_COL_CODE_ITEM,
    PB_COL_NAME,
    PB_COL_AMOUNT,
    PB_COL_TEXT
} pb_role;
/* Classifies a column from its leaf header and group headers: a function of
 * its arguments alone (pb_table.c remembers its answers). */
pb_role pb_classify_column(const char *leaf, size_t leaf_n, const char *near, size_t near_n,
                           const char *group, size_t group_n, char *measure, size_t measure_cap);
int pb_is_total_label(const char *s, size_t n);
int pb_header_mentions_current(const char *s, size_t n);
int pb_is_row_label(const char *s, size_t n);

/* Column classifications a parser remembers: documents of one template print the
 * same headers, and classifying one costs a few thousand instructions. */
#define PB_CLASSIFY_WAYS 4 /* slots one header may take: a few hundred headers share sets without evicting each other */
#define PB_CLASSIFY_SETS 128
#define PB_CLASSIFY_SLOTS (PB_CLASSIFY_WAYS * PB_CLASSIFY_SETS)
#define PB_CLASSIFY_KEY 200 /* header bytes of one remembered classification */
typedef struct pb_classified {
    uint64_t hash;
    uint16_t leaf_n, near_n, group_n;
    uint8_t used, role;
    char measure[PB_MEASURE_MAX];
    char key[PB_CLASSIFY_KEY];
} pb_classified;

/* Column sets a parser remembers (pb_table.c): documents of one template print
 * the same header over and over, and building its columns costs ~10,000
 * instructions. One slot holds what name_columns read and what it made.
 * Direct-mapped by a hash of the key: a clash just builds the columns again. */
#define PB_COLSET_SLOTS 1024
#define PB_COLSET_MAX 4096 /* bytes of one remembered column set, key and answer: 4 MB at most in all */
typedef struct pb_colset {
    uint64_t hash;
    size_t key_len; /* 0: slot unused */
    pb_buf entry;   /* the key, then the answer */
} pb_colset;

/* ---- tables -------------------------------------------------------------- */

typedef struct pb_column {
    int32_t x;
    uint8_t role;
    uint8_t side; /* 0 none, 1 income, 2 expenditure */
    char measure[PB_MEASURE_MAX];
    uint8_t measure_len; /* strlen(measure), set once the columns are final: every value of a row names it */
    uint32_t header_off, header_len; /* in table hdr text */
} pb_column;

typedef struct pb_hrow {
    size_t first_cell, ncells; /* in table hcells */
} pb_hrow;

typedef enum pb_table_state { PB_T_HEAD = 0, PB_T_ROWS, PB_T_PERF } pb_table_state;

/* A figure pb_parse_number read, held with the text it read: a later reader
 * of the same text (compared byte for byte) takes it instead of reading again. */
#define PB_FIGURE_TEXT 32
typedef struct pb_figure {
    uint8_t len; /* bytes of text; 0: nothing held */
    char text[PB_FIGURE_TEXT];
    pb_number num; /* num.kind: what pb_parse_number returned */
} pb_figure;

typedef struct pb_perf_state {
    int in_indicators;
    int annual_slot; /* slot where the 年度 side starts, or -1 */
    int offset; /* carried slot offset for overall tables */
    int overall;
    int slot_l1, slot_l2, slot_name, slot_value, slot_note; /* header ordinals */
    int32_t hx[16]; /* positions of the indicator header's cells */
    int nhx;
    int hx_layout;
    pb_buf l1, l2[2];
    int project_open;
    long project_index;
    uint64_t project_line;
    pb_buf fields; /* key\0value\0line\0 ... for the open project (line in decimal) */
    int budget_pow10; /* unit of an overall target's budget grid (4 for 万元), -1 before one */
} pb_perf_state;

typedef struct pb_table {
    int open;
    int32_t id;
    pb_table_state state;
    char kind[32];
    uint64_t line;
    pb_buf title;
    pb_buf department;
    int unit_pow10; /* 4 for 万元, 0 for 元, 8 for 亿元 */
    int unit_known;
    int unit_pending_next; /* "单位：" seen, unit on next line */
    int emitted_header;
    int empty;
    pb_buf note;
    int max_decimals;
    size_t rows;
    int tab_mode;
    int char_columns; /* layout positions counted in characters, not display columns */
    /* header */
    pb_buf hdr_text;
    pb_cell *hcells;
    size_t nhcells, hcells_cap;
    uint64_t hcell_keys[4]; /* bit header_key() of each header cell: a line cell whose bit is clear repeats none */
    pb_hrow hrows[PB_MAX_HEADER_ROWS];
    int nhrows;
    int subleaf_row; /* header row index of a 类/款/项 row, or -1 */
    pb_column cols[PB_MAX_SLOTS];
    int ncols;
    int two_sided;
    /* pending row (may still grow by continuation lines) */
    int pending;
    uint64_t pending_line;
    pb_buf slot_text[PB_MAX_SLOTS];
    /* Figures read from the current line's cells (by index), and the one each
     * slot of the pending row took with its first cell: the row is emitted
     * without reading its amounts a second time. */
    pb_figure cell_figure[PB_MAX_SLOTS], slot_figure[PB_MAX_SLOTS];
    int pending_has_values;
    int pending_ordinal;
    /* A line that repeats the first header row right after a row may be that
     * row's wrapped name ('…拨款' + '收入'): read as its continuation, undone
     * if the next line repeats a header row too (then it was a page's header). */
    int after_row;              /* the last non-blank line was a row or its continuation */
    int undo_armed;
    size_t undo_len[PB_MAX_SLOTS];
    pb_perf_state perf;
} pb_table;

/* ---- parser -------------------------------------------------------------- */

typedef enum pb_doc_state { PB_D_PREAMBLE = 0, PB_D_TOC, PB_D_BODY } pb_doc_state;

typedef enum pb_source_mode {
    PB_SRC_SNIFF = 0, /* deciding between gzip, binary and text */
    PB_SRC_PLAIN,
    PB_SRC_GZIP
} pb_source_mode;

typedef enum pb_encoding_mode {
    PB_ENC_PROBE = 0,
    PB_ENC_UTF8,
    PB_ENC_ICONV,   /* UTF-16 */
    PB_ENC_GB18030  /* table, iconv for the rest (pb_decode.c) */
} pb_encoding_mode;

struct pb_parser {
    pb_allocator alloc;
    pb_options opt;
    pb_store store;

    pb_error_code error;
    char error_message[512];
    uint64_t error_line, error_column, error_offset;
    int finished;
    int warnings;
    uint64_t cells_seen; /* cells of every line, for pb_get_token_counts */

    /* source */
    pb_source_mode source;
    unsigned char sniff[8];
    size_t nsniff;
    uint64_t bytes_in;
    z_stream zs;
    int zs_open;
    int zs_member_done;
    uint64_t inflated;
    char *zout;

    /* decoding */
    pb_encoding_mode enc;
    char encoding_name[16];
    pb_buf probe;
    unsigned char utf8_pending[4];
    size_t utf8_npending;
    iconv_t cd;
    int cd_open;
    char iconv_pending[8];
    size_t iconv_npending;
    uint64_t text_bytes; /* decoded bytes, for offsets */
    int nul_warned, invalid_warned;

    /* lines */
    pb_buf raw_line;
    int skip_lf;
    int discarding_line;
    uint64_t line_no;
    uint64_t line_start_offset;
    pb_line line;
    /* HTML tables: rows still covered by a rowspan cell above, per column */
    uint8_t html_rowspan[PB_MAX_SLOTS];
    int html_rowspan_live;
    /* CSV (pb_csv.c): whether the document is read as CSV, the line rewritten
     * with tabs, and the lines held while a quoted cell goes on over line ends */
    int csv_mode;
    pb_buf csv_line;
    pb_buf csv_held;
    int csv_held_lines;
    uint64_t csv_held_first;
    size_t csv_open_cell; /* bytes of the held record's open quoted field */
    int csv_quote_is_mark; /* the line read next opened a quote that never closed */

    /* document */
    pb_doc_state doc;
    int title_found;
    int year;
    pb_buf prev_text; /* last non-blank line before the title */
    unsigned toc_parts_seen;
    pb_buf toc_first; /* first TOC entry: where it comes again, the body starts */
    unsigned parts_seen;
    int tables_seen;
    int32_t next_table_id;
    long next_project;
    int last_unit_pow10; /* unit of the previous table */
    int unit_line_pow10;  /* unit line seen just before a title */
    uint64_t unit_line_no;
    pb_table table;
    pb_classified classified[PB_CLASSIFY_SLOTS]; /* kept across documents: a pure function's results */
    pb_colset colsets[PB_COLSET_SLOTS]; /* kept across documents, like classified */
    pb_buf scratch, scratch2;
};

int pb_set_error(pb_parser *p, pb_error_code code, uint64_t line, const char *fmt, ...);

/* Stage entry points. */
int pb_source_feed(pb_parser *p, const unsigned char *s, size_t n);
int pb_source_finish(pb_parser *p);
void pb_source_free(pb_parser *p);
int pb_decode_feed(pb_parser *p, const unsigned char *s, size_t n);
int pb_decode_finish(pb_parser *p);
void pb_decode_free(pb_parser *p);
int pb_lines_feed(pb_parser *p, const char *s, size_t n);
int pb_lines_finish(pb_parser *p);
int pb_document_line(pb_parser *p, pb_line *l);
int pb_document_finish(pb_parser *p);
void pb_document_free(pb_parser *p);

/* Tables. */
int pb_table_begin(pb_parser *p, const char *kind, const char *title, size_t title_n,
                   uint64_t line);
int pb_table_line(pb_parser *p, pb_line *l); /* returns 1 if consumed, 0 if not, -1 error */
int pb_table_end(pb_parser *p);
void pb_table_free(pb_parser *p, pb_table *t);
int pb_unit_from_line(const char *sq, size_t n, int *pow10, int *pending_next);
int pb_perf_line(pb_parser *p, pb_line *l);
int pb_perf_label_rows_sound(void); /* for the C tests */
int pb_perf_end(pb_parser *p);
int pb_emit_indicator_value(pb_parser *p, long rec, const char *v, size_t n);

#endif
