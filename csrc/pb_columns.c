/* Items stored by column and exported through the Arrow C data interface.
 * See pb_columns.h. Plain C99; no Python.h. */
#include "pb_columns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PB_MAX_ITEMS ((int64_t)INT32_MAX)
#define PB_MAX_DICT_BYTES ((size_t)INT32_MAX)

#define COL_NAME(id, name, type, nullable) name,
#define COL_TYPE(id, name, type, nullable) type,
#define COL_NULLABLE(id, name, type, nullable) nullable,
static const char *const col_names[] = {PB_ITEM_COLUMNS(COL_NAME)};
static const unsigned char col_types[] = {PB_ITEM_COLUMNS(COL_TYPE)};
static const unsigned char col_nullable[] = {PB_ITEM_COLUMNS(COL_NULLABLE)};
#undef COL_NAME
#undef COL_TYPE
#undef COL_NULLABLE

const char *pb_item_column_name(pb_item_column col) {
    return (unsigned)col < PB_ICOL__COUNT ? col_names[col] : "unknown";
}

#if defined(__GNUC__) || defined(__clang__)
#define ATOMIC_ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_ACQ_REL)
#else
#define ATOMIC_ADD(p, v) (*(p) += (v)) /* no atomics: release batches from one thread */
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* ---- memory ---------------------------------------------------------------- */

static void *a_malloc(const pb_allocator *a, size_t n) { return a->malloc(a->ctx, n ? n : 1); }
static void a_free(const pb_allocator *a, void *p) {
    if (p) a->free(a->ctx, p);
}

/* Grows *ptr (elements of elsize) to hold at least need, doubling; the new
 * elements are left as they come (column data: every row is written whole). */
static int grow_uninit(const pb_allocator *a, void **ptr, size_t *cap, size_t need, size_t elsize) {
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > (SIZE_MAX / 2) / elsize) return -1;
        ncap *= 2;
    }
    void *np = *ptr ? a->realloc(a->ctx, *ptr, ncap * elsize) : a->malloc(a->ctx, ncap * elsize);
    if (!np) return -1;
    *ptr = np;
    *cap = ncap;
    return 0;
}

/* The same with the new elements zeroed. */
static int grow(const pb_allocator *a, void **ptr, size_t *cap, size_t need, size_t elsize) {
    size_t old = *cap;
    if (need <= old) return 0;
    if (grow_uninit(a, ptr, cap, need, elsize) < 0) return -1;
    memset((char *)*ptr + old * elsize, 0, (*cap - old) * elsize);
    return 0;
}

typedef struct sbuf {
    char *data;
    size_t len, cap;
} sbuf;

static int sbuf_put(const pb_allocator *a, sbuf *b, const char *s, size_t n) {
    if (grow(a, (void **)&b->data, &b->cap, b->len + n + 1, 1) < 0) return -1;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* ---- UTF-8: Arrow strings must be valid; invalid bytes become U+FFFD ---------- */

/* Length of the valid sequence at s, or 0 with *skip = bytes of the maximal
 * invalid subpart (the same replacement rule as Python's "replace"). */
static size_t utf8_char(const unsigned char *s, size_t n, size_t *skip) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        else if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        else if (c == 0xF4) hi = 0x8F;
    } else {
        *skip = 1;
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        unsigned b = i < n ? s[i] : 0;
        int ok = i < n && (i == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF));
        if (!ok) {
            *skip = i;
            return 0;
        }
    }
    return need;
}

/* ASCII and the common 3-byte characters (all of CJK) are checked inline;
 * utf8_char has the rest. */
static int utf8_valid(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, skip = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* E1..EC and EE..EF take any two continuation bytes (E0 and ED narrow the first) */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        size_t k = utf8_char(u + i, n - i, &skip);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

static int utf8_repair(const pb_allocator *a, sbuf *out, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    out->len = 0;
    size_t i = 0, skip = 0;
    while (i < n) {
        size_t k = utf8_char(u + i, n - i, &skip);
        if (k) {
            if (sbuf_put(a, out, s + i, k) < 0) return -1;
            i += k;
        } else {
            if (sbuf_put(a, out, "\xEF\xBF\xBD", 3) < 0) return -1;
            i += skip;
        }
    }
    return 0;
}

/* ---- dictionaries ------------------------------------------------------------- */

/* A dictionary's memo has 1 << DICT_MEMO_BITS places (4 KB): enough for the
 * measures, levels, sides and roles, the parents of a stretch of rows, and
 * most of the codes and names a run of documents repeats (256 places missed
 * twice as often on the bench corpus). */
#define DICT_MEMO_BITS 10
#define DICT_MEMO (1u << DICT_MEMO_BITS)

typedef struct pb_dict {
    char *data; /* UTF-8 text of every entry, back to back */
    size_t len, cap;
    int32_t *offsets; /* count + 1 */
    size_t count, ocap;
    uint32_t *hashes; /* per entry */
    size_t hcap;
    uint32_t *slots; /* entry + 1; 0 = empty; power-of-two size */
    size_t nslots;
    uint32_t memo[DICT_MEMO]; /* entry + 1 found last for strings of each memo_key; 0 = none.
                                 Stale ones (past count, or replaced since) fail the comparison */
} pb_dict;

/* Entries are codes, names and labels of a few bytes to a few dozen: hashed
 * eight bytes at a time (a multiply and a shift each), the last bytes read by
 * overlapping loads. The hash only places entries in the table; their order is
 * the order they came in. *non_ascii tells whether a byte is past 0x7F (every
 * byte is read at least once), so that ASCII needs no UTF-8 check. */
static uint32_t hash_bytes(const char *s, size_t n, int *non_ascii) {
    const uint64_t mul = 0xff51afd7ed558ccdull;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, seen = 0, w;
    size_t left = n;
    for (; left > 8; s += 8, left -= 8) {
        memcpy(&w, s, 8);
        seen |= w;
        h = (h ^ w) * mul;
        h ^= h >> 32;
    }
    if (n >= 8) {
        memcpy(&w, s + left - 8, 8); /* the last eight */
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        w = (uint64_t)lo | (uint64_t)hi << 32;
    } else {
        const unsigned char *u = (const unsigned char *)s;
        w = n ? (uint64_t)u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16 : 0;
    }
    seen |= w;
    h = (h ^ w) * mul;
    h ^= h >> 32;
    h *= mul;
    *non_ascii = (seen & 0x8080808080808080ull) != 0;
    return (uint32_t)(h >> 32);
}

/* Whether a and b, n bytes each, are equal. Most strings here are a few bytes
 * to a few dozen: compared eight bytes at a time, the last eight by an
 * overlapping load, shorter ones by two overlapping four-byte loads, without
 * calling memcmp. */
static inline int same_bytes(const char *a, const char *b, size_t n) {
    uint64_t x, y;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y) return 0;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a, 4);
        memcpy(&a1, a + n - 4, 4);
        memcpy(&b0, b, 4);
        memcpy(&b1, b + n - 4, 4);
        return a0 == b0 && a1 == b1;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

static void dict_free(const pb_allocator *a, pb_dict *d) {
    a_free(a, d->data);
    a_free(a, d->offsets);
    a_free(a, d->hashes);
    a_free(a, d->slots);
    memset(d, 0, sizeof *d);
}

static int dict_rehash(const pb_allocator *a, pb_dict *d, size_t nslots) {
    uint32_t *slots = a_malloc(a, nslots * sizeof *slots);
    if (!slots) return -1;
    memset(slots, 0, nslots * sizeof *slots);
    size_t mask = nslots - 1;
    for (size_t e = 0; e < d->count; e++) {
        size_t i = d->hashes[e] & mask;
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = (uint32_t)(e + 1);
    }
    a_free(a, d->slots);
    d->slots = slots;
    d->nslots = nslots;
    return 0;
}

#define DICT_ABSENT (-3)

/* Index of s (hashed h) in d, adding it if new and add is set, else
 * DICT_ABSENT; -1 out of memory, -2 past the limits. */
static int64_t dict_intern(const pb_allocator *a, pb_dict *d, const char *s, size_t n, uint32_t h, int add) {
    if (!d->offsets) {
        if (grow(a, (void **)&d->offsets, &d->ocap, 2, sizeof *d->offsets) < 0) return -1;
        d->offsets[0] = 0;
    }
    if ((d->count + 1) * 2 > d->nslots && dict_rehash(a, d, d->nslots ? d->nslots * 2 : 64) < 0) return -1;
    size_t mask = d->nslots - 1, i = h & mask;
    while (d->slots[i]) {
        size_t e = d->slots[i] - 1;
        size_t off = (size_t)d->offsets[e], len = (size_t)d->offsets[e + 1] - off;
        if (d->hashes[e] == h && len == n && same_bytes(d->data + off, s, n)) return (int64_t)e;
        i = (i + 1) & mask;
    }
    if (!add) return DICT_ABSENT;
    if (d->len + n > PB_MAX_DICT_BYTES || d->count + 1 >= (size_t)INT32_MAX) return -2;
    if (grow(a, (void **)&d->data, &d->cap, d->len + n + 1, 1) < 0 ||
        grow(a, (void **)&d->offsets, &d->ocap, d->count + 2, sizeof *d->offsets) < 0 ||
        grow(a, (void **)&d->hashes, &d->hcap, d->count + 1, sizeof *d->hashes) < 0)
        return -1;
    if (n) memcpy(d->data + d->len, s, n);
    d->len += n;
    d->hashes[d->count] = h;
    d->offsets[d->count + 1] = (int32_t)d->len;
    d->slots[i] = (uint32_t)(d->count + 1);
    return (int64_t)d->count++;
}

/* Forgets every entry from index keep on. */
static int dict_truncate(const pb_allocator *a, pb_dict *d, size_t keep) {
    if (keep >= d->count) return 0;
    d->count = keep;
    d->len = (size_t)d->offsets[keep];
    return d->nslots ? dict_rehash(a, d, d->nslots) : 0;
}

/* ---- columns ------------------------------------------------------------------ */

typedef struct pb_col {
    unsigned char *data;
    size_t cap; /* elements */
    uint8_t *valid;
    size_t vcap; /* bytes; the nulls are counted from the bitmap when the batch is made */
} pb_col;

static size_t col_size(int col) {
    return col_types[col] == PB_COL_INT64 || col_types[col] == PB_COL_FLOAT64 ? 8 : 4;
}

typedef struct table_slot {
    int64_t kind_idx; /* dictionary index, -1 until the first item needs it */
    size_t kind_off, kind_len; /* in cur_text */
    int32_t rows;
    int known;
} table_slot;

typedef struct ospan {
    size_t off, n;
    int present;
} ospan;

typedef struct doc_rec {
    int64_t doc_id;
    int ok;
    ospan title, department, kind, table_kinds, message, encoding;
    int has_year;
    int32_t year;
    int gzip;
    uint64_t bytes, items, error_line, error_offset;
    uint32_t tables, projects, indicators, warnings;
    pb_error_code error;
} doc_rec;

struct pb_columns {
    pb_allocator alloc;
    int64_t len, rows_cap;
    pb_col cols[PB_ICOL__COUNT];
    pb_dict dicts[PB_ICOL__COUNT]; /* used by PB_COL_DICT columns */
    char error[160];

    /* the document being read */
    int in_doc;
    int64_t doc_id, doc_start;
    size_t dict_start[PB_ICOL__COUNT];
    sbuf source, cur_text, scratch;
    ospan title, meta_dept, table_dept, kind;
    int has_year;
    int32_t year;
    uint32_t tables, projects, indicators, warnings;
    sbuf table_kinds;
    table_slot *slots;
    size_t nslots;

    /* finished documents */
    doc_rec *docs;
    size_t ndocs, docs_cap;
    sbuf arena;
};

struct pb_batch {
    pb_allocator alloc;
    long refs;
    int64_t length;
    void *data[PB_ICOL__COUNT];
    uint8_t *valid[PB_ICOL__COUNT]; /* NULL when the column has no nulls */
    int64_t nulls[PB_ICOL__COUNT];
    char *dict_data[PB_ICOL__COUNT];
    int32_t *dict_offsets[PB_ICOL__COUNT];
    int64_t dict_count[PB_ICOL__COUNT];
};

static pb_status fail(pb_columns *c, int rc, const char *what) {
    if (rc == -2)
        snprintf(c->error, sizeof c->error, "%s: past the column limits (%lld items, %lld bytes per dictionary)",
                 what, (long long)PB_MAX_ITEMS, (long long)PB_MAX_DICT_BYTES);
    else
        snprintf(c->error, sizeof c->error, "%s: out of memory", what);
    return PB_ERROR;
}

pb_columns *pb_columns_new(const pb_allocator *allocator) {
    pb_allocator a = allocator ? *allocator : pb_default_allocator();
    pb_columns *c = a.malloc(a.ctx, sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->alloc = a;
    return c;
}

static void free_cols(pb_columns *c) {
    for (int i = 0; i < PB_ICOL__COUNT; i++) {
        a_free(&c->alloc, c->cols[i].data);
        a_free(&c->alloc, c->cols[i].valid);
        dict_free(&c->alloc, &c->dicts[i]);
    }
    memset(c->cols, 0, sizeof c->cols);
    c->len = c->rows_cap = 0;
}

void pb_columns_free(pb_columns *c) {
    if (!c) return;
    const pb_allocator *a = &c->alloc;
    free_cols(c);
    a_free(a, c->source.data);
    a_free(a, c->cur_text.data);
    a_free(a, c->scratch.data);
    a_free(a, c->table_kinds.data);
    a_free(a, c->slots);
    a_free(a, c->docs);
    a_free(a, c->arena.data);
    pb_allocator copy = c->alloc;
    copy.free(copy.ctx, c);
}

const char *pb_columns_error(const pb_columns *c) { return c->error; }
int64_t pb_columns_length(const pb_columns *c) { return c->len; }
size_t pb_columns_doc_count(const pb_columns *c) { return c->ndocs; }

/* ---- building --------------------------------------------------------------------- */

pb_status pb_columns_begin(pb_columns *c, int64_t doc_id, const char *source, size_t source_len) {
    c->in_doc = 1;
    c->doc_id = doc_id;
    c->doc_start = c->len;
    for (int i = 0; i < PB_ICOL__COUNT; i++) c->dict_start[i] = c->dicts[i].count;
    c->source.len = 0;
    c->cur_text.len = 0;
    c->table_kinds.len = 0;
    memset(&c->title, 0, sizeof c->title);
    memset(&c->meta_dept, 0, sizeof c->meta_dept);
    memset(&c->table_dept, 0, sizeof c->table_dept);
    memset(&c->kind, 0, sizeof c->kind);
    c->has_year = 0;
    c->year = 0;
    c->tables = c->projects = c->indicators = c->warnings = 0;
    for (size_t i = 0; i < c->nslots; i++) c->slots[i].known = 0;
    if (sbuf_put(&c->alloc, &c->source, source ? source : "", source ? source_len : 0) < 0)
        return fail(c, -1, "begin");
    return PB_OK;
}

/* Keeps a copy of a record string for the rest of the document. */
static int keep_text(pb_columns *c, ospan *span, const pb_records *r, pb_str s) {
    span->off = c->cur_text.len;
    span->n = s.len;
    span->present = 1;
    return sbuf_put(&c->alloc, &c->cur_text, r->text + s.off, s.len);
}

static int span_is(const pb_records *r, pb_str s, const char *word) {
    size_t n = strlen(word);
    return s.len == n && memcmp(r->text + s.off, word, n) == 0;
}

/* Whether memo slot value m (entry + 1, 0 = none) names an entry holding s. */
static inline int dict_entry_is(const pb_dict *d, uint32_t m, const char *s, size_t n) {
    if (m == 0 || m > d->count) return 0;
    size_t off = (size_t)d->offsets[m - 1], len = (size_t)d->offsets[m] - off;
    return len == n && same_bytes(d->data + off, s, n);
}

/* Where s goes in a dictionary's memo: its length and its first and last
 * eight bytes (four when shorter), multiplied together. Far cheaper than
 * hash_bytes, which reads every byte; strings alike at both ends share a
 * place, and the one asked for last keeps it. */
static inline unsigned memo_key(const char *s, size_t n) {
    uint64_t w;
    if (n >= 8) {
        uint64_t head, tail;
        memcpy(&head, s, 8);
        memcpy(&tail, s + n - 8, 8);
        w = head ^ (tail >> 7) ^ (tail << 3); /* shifted: a string of eight has head == tail */
    } else if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, s, 4);
        memcpy(&tail, s + n - 4, 4);
        w = (uint64_t)head << 32 | tail;
    } else {
        const unsigned char *u = (const unsigned char *)s;
        w = n ? (uint64_t)u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16 : 0;
    }
    w = (w ^ n) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(w >> (64 - DICT_MEMO_BITS)); /* the top bits mix in every bit of w */
}

/* intern's way for a string the memo does not have: hashed, looked up, added
 * when new (repaired to valid UTF-8 when needed), and put in the memo under
 * key. Kept out of line so that the memo's hits, most calls, pay for no more
 * than the comparison. */
static NOINLINE int64_t intern_lookup(pb_columns *c, pb_dict *d, unsigned key, const char *s, size_t n) {
    int non_ascii;
    uint32_t h = hash_bytes(s, n, &non_ascii);
    /* Entries are valid UTF-8: a string found needs no check, and one past
     * ASCII is checked before it is added. */
    int64_t e = dict_intern(&c->alloc, d, s, n, h, !non_ascii);
    if (e == DICT_ABSENT) {
        if (!utf8_valid(s, n)) {
            if (utf8_repair(&c->alloc, &c->scratch, s, n) < 0) return -1;
            s = c->scratch.data;
            n = c->scratch.len;
            h = hash_bytes(s, n, &non_ascii);
        }
        e = dict_intern(&c->alloc, d, s, n, h, 1);
    }
    /* Under the key of the string asked for: the memo compares with the
     * entry's (repaired) text, so invalid bytes never match it and come back
     * here, as they must. */
    if (e >= 0) d->memo[key] = (uint32_t)e + 1;
    return e;
}

/* Dictionary index of a string (repaired to valid UTF-8 when needed). Rows
 * repeat their neighbours' measures, levels, sides, roles and parents: the
 * memo finds those with one comparison and no hashing. Entries are valid
 * UTF-8, so a string equal to one needs no check. */
static inline int64_t intern(pb_columns *c, int col, const char *s, size_t n) {
    pb_dict *d = &c->dicts[col];
    unsigned key = memo_key(s, n);
    uint32_t m = d->memo[key];
    if (dict_entry_is(d, m, s, n)) return (int64_t)m - 1;
    return intern_lookup(c, d, key, s, n);
}

/* Columns start at 1024 rows and grow fourfold up to 65536, then double:
 * small blocks are copied by realloc each time they grow (the copies were most
 * of the cost of growing), large ones are remapped in place by most
 * allocators, and fourfold growth of those would waste memory. */
static int reserve_rows(pb_columns *c, int64_t need) {
    if (need > PB_MAX_ITEMS) return -2;
    if (need <= c->rows_cap) return 0;
    int64_t ncap = c->rows_cap ? c->rows_cap : 1024;
    while (ncap < need) ncap *= ncap < 65536 ? 4 : 2;
    if (ncap > PB_MAX_ITEMS) ncap = PB_MAX_ITEMS;
    for (int i = 0; i < PB_ICOL__COUNT; i++) {
        pb_col *col = &c->cols[i];
        if (grow_uninit(&c->alloc, (void **)&col->data, &col->cap, (size_t)ncap, col_size(i)) < 0) return -1;
        if (col_nullable[i] && grow(&c->alloc, (void **)&col->valid, &col->vcap, (size_t)(ncap + 7) / 8, 1) < 0)
            return -1;
    }
    c->rows_cap = ncap;
    return 0;
}

/* Nullable columns only have a validity bitmap (reserve_rows); col is a
 * constant at every call, so the test folds away. Every row's bit is written,
 * whatever the bitmap held: rows dropped with a failed document leave theirs. */
static inline void set_valid(pb_columns *c, int col, int64_t row, int valid) {
    if (!col_nullable[col]) return;
    uint8_t *byte = &c->cols[col].valid[row >> 3];
    uint8_t bit = (uint8_t)(1u << (row & 7));
    if (valid) *byte |= bit;
    else *byte &= (uint8_t)~bit;
}

static inline void put_i64(pb_columns *c, int col, int64_t row, int64_t v) {
    memcpy(c->cols[col].data + (size_t)row * 8, &v, 8);
    set_valid(c, col, row, 1);
}
static inline void put_i32(pb_columns *c, int col, int64_t row, int32_t v) {
    memcpy(c->cols[col].data + (size_t)row * 4, &v, 4);
    set_valid(c, col, row, 1);
}
static inline void put_f64(pb_columns *c, int col, int64_t row, double v) {
    memcpy(c->cols[col].data + (size_t)row * 8, &v, 8);
    set_valid(c, col, row, 1);
}
static inline void put_null(pb_columns *c, int col, int64_t row) {
    static const unsigned char zero[8] = {0};
    if (col_size(col) == 8) memcpy(c->cols[col].data + (size_t)row * 8, zero, 8);
    else memcpy(c->cols[col].data + (size_t)row * 4, zero, 4);
    set_valid(c, col, row, 0);
}
/* A dictionary column's cell: entry e, or null for -1. */
static inline void put_entry(pb_columns *c, int col, int64_t row, int64_t e) {
    int32_t v = e < 0 ? 0 : (int32_t)e;
    memcpy(c->cols[col].data + (size_t)row * 4, &v, 4);
    set_valid(c, col, row, e >= 0);
}
static inline int32_t get_i32(const pb_columns *c, int col, int64_t row) {
    int32_t v;
    memcpy(&v, c->cols[col].data + (size_t)row * 4, 4);
    return v;
}

static inline void put_amount(pb_columns *c, int64_t row, const pb_value *v) {
    if (v->state == PB_V_NUMBER) {
        put_i64(c, PB_ICOL_AMOUNT_FEN, row, v->fen);
        put_f64(c, PB_ICOL_AMOUNT, row, (double)v->fen / 100.0);
    } else {
        put_null(c, PB_ICOL_AMOUNT_FEN, row);
        put_null(c, PB_ICOL_AMOUNT, row);
    }
}

static int add_row(pb_columns *c, const pb_records *r, const pb_record *rec) {
    int32_t t = rec->table;
    if (t < 0 || (size_t)t >= c->nslots || !c->slots[t].known) return 0; /* no table: dropped, as in Document */
    table_slot *slot = &c->slots[t];
    int32_t row_no = slot->rows++;
    int64_t first = c->len;
    /* The row's strings, interned on its first item only (no unused entries). */
    static const int str_cols[6] = {PB_ICOL_CODE, PB_ICOL_LEVEL, PB_ICOL_PARENT,
                                    PB_ICOL_NAME, PB_ICOL_SIDE,  PB_ICOL_ROLE};
    int64_t idx[6];
    int have_idx = 0;
    for (uint32_t i = 0; i < rec->value_count; i++) {
        const pb_value *v = &r->values[rec->value_begin + i];
        if (v->state != PB_V_NUMBER && v->state != PB_V_DASH) continue;
        int64_t m = intern(c, PB_ICOL_MEASURE, r->text + v->measure.off, v->measure.len);
        if (m < 0) return (int)m;
        /* A measure printed twice in a row keeps its first place and its last value. */
        int64_t k = first;
        while (k < c->len && get_i32(c, PB_ICOL_MEASURE, k) != (int32_t)m) k++;
        if (k < c->len) {
            put_amount(c, k, v);
            continue;
        }
        int rc = c->len < c->rows_cap ? 0 : reserve_rows(c, c->len + 1);
        if (rc < 0) return rc;
        if (slot->kind_idx < 0) {
            slot->kind_idx = intern(c, PB_ICOL_TABLE_KIND, c->cur_text.data + slot->kind_off, slot->kind_len);
            if (slot->kind_idx < 0) return (int)slot->kind_idx;
        }
        if (!have_idx) {
            for (int f = 0; f < 6; f++) {
                pb_str s = rec->f[f];
                /* Empty optional fields are None, as in the record objects; the name is always a string. */
                if (!s.len && str_cols[f] != PB_ICOL_NAME) {
                    idx[f] = -1;
                    continue;
                }
                idx[f] = intern(c, str_cols[f], r->text + s.off, s.len);
                if (idx[f] < 0) return (int)idx[f];
            }
            have_idx = 1;
        }
        int64_t row = c->len;
        put_i64(c, PB_ICOL_DOC_ID, row, c->doc_id);
        put_i32(c, PB_ICOL_SOURCE, row, 0);     /* filled at the end of the document */
        put_i32(c, PB_ICOL_DEPARTMENT, row, 0); /* idem */
        put_i32(c, PB_ICOL_YEAR, row, 0);       /* idem */
        put_i32(c, PB_ICOL_TABLE_KIND, row, (int32_t)slot->kind_idx);
        put_i32(c, PB_ICOL_TABLE, row, t);
        put_i32(c, PB_ICOL_ROW, row, row_no);
        put_i32(c, PB_ICOL_LINE, row, (int32_t)rec->line);
        /* One call a column (not a loop over str_cols): the column is then a
         * constant and each cell's validity test folds away. */
        put_entry(c, PB_ICOL_CODE, row, idx[0]);
        put_entry(c, PB_ICOL_LEVEL, row, idx[1]);
        put_entry(c, PB_ICOL_PARENT, row, idx[2]);
        put_entry(c, PB_ICOL_NAME, row, idx[3]);
        put_entry(c, PB_ICOL_SIDE, row, idx[4]);
        put_entry(c, PB_ICOL_ROLE, row, idx[5]);
        put_i32(c, PB_ICOL_MEASURE, row, (int32_t)m);
        put_amount(c, row, v);
        c->len++;
    }
    return 0;
}

static int add_table(pb_columns *c, const pb_records *r, const pb_record *rec) {
    c->tables++;
    int32_t t = rec->table;
    if (t >= 0) {
        if (grow(&c->alloc, (void **)&c->slots, &c->nslots, (size_t)t + 1, sizeof *c->slots) < 0) return -1;
        table_slot *slot = &c->slots[t];
        slot->known = 1;
        slot->rows = 0;
        slot->kind_idx = -1;
        slot->kind_off = c->cur_text.len;
        slot->kind_len = rec->f[0].len;
        if (sbuf_put(&c->alloc, &c->cur_text, r->text + rec->f[0].off, rec->f[0].len) < 0) return -1;
    }
    if (c->tables > 1 && sbuf_put(&c->alloc, &c->table_kinds, "\n", 1) < 0) return -1;
    if (sbuf_put(&c->alloc, &c->table_kinds, r->text + rec->f[0].off, rec->f[0].len) < 0) return -1;
    if (!c->table_dept.present && rec->f[3].len && keep_text(c, &c->table_dept, r, rec->f[3]) < 0) return -1;
    return 0;
}

static int add_meta(pb_columns *c, const pb_records *r, const pb_record *rec) {
    pb_str key = rec->f[0], val = rec->f[1];
    if (span_is(r, key, "title")) return keep_text(c, &c->title, r, val);
    if (span_is(r, key, "department")) return keep_text(c, &c->meta_dept, r, val);
    if (span_is(r, key, "kind")) return keep_text(c, &c->kind, r, val);
    if (span_is(r, key, "year")) {
        const char *s = r->text + val.off;
        size_t n = val.len, i = 0;
        int64_t y = 0;
        while (i < n && s[i] == ' ') i++;
        size_t digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 9) {
            y = y * 10 + (s[i++] - '0');
            digits++;
        }
        while (i < n && s[i] == ' ') i++;
        c->has_year = digits > 0 && i == n;
        c->year = c->has_year ? (int32_t)y : 0;
    }
    return 0;
}

pb_status pb_columns_add(pb_columns *c, const pb_records *r) {
    if (!c->in_doc) {
        snprintf(c->error, sizeof c->error, "pb_columns_add outside a document (call pb_columns_begin)");
        return PB_ERROR;
    }
    for (size_t i = 0; i < r->count; i++) {
        const pb_record *rec = &r->records[i];
        int rc = 0;
        switch ((pb_record_kind)rec->kind) {
        case PB_R_ROW:
            rc = add_row(c, r, rec);
            break;
        case PB_R_TABLE:
            rc = add_table(c, r, rec);
            break;
        case PB_R_META:
            rc = add_meta(c, r, rec);
            break;
        case PB_R_PROJECT:
            c->projects++;
            break;
        case PB_R_INDICATOR:
            c->indicators++;
            break;
        case PB_R_WARNING:
            c->warnings++;
            break;
        default:
            break;
        }
        if (rc < 0) return fail(c, rc, "adding items");
    }
    return PB_OK;
}

static int arena_span(pb_columns *c, ospan *dst, const char *s, size_t n, int present) {
    dst->off = c->arena.len;
    dst->n = n;
    dst->present = present;
    return present ? sbuf_put(&c->alloc, &c->arena, s, n) : 0;
}

pb_status pb_columns_end(pb_columns *c, int keep, const pb_parser *p, uint64_t bytes) {
    if (!c->in_doc) {
        snprintf(c->error, sizeof c->error, "pb_columns_end outside a document (call pb_columns_begin)");
        return PB_ERROR;
    }
    c->in_doc = 0;
    int64_t start = c->doc_start, end = c->len;
    /* The department, as Document has it: META when not empty, else the first table's. */
    const ospan *dept = c->meta_dept.present && c->meta_dept.n ? &c->meta_dept
                        : c->table_dept.present                ? &c->table_dept
                                                               : NULL;
    if (keep && end > start) {
        int64_t src = intern(c, PB_ICOL_SOURCE, c->source.data, c->source.len);
        int64_t dep = dept ? intern(c, PB_ICOL_DEPARTMENT, c->cur_text.data + dept->off, dept->n) : 0;
        if (src < 0 || dep < 0) return fail(c, src < 0 ? (int)src : (int)dep, "ending a document");
        for (int64_t k = start; k < end; k++) {
            put_i32(c, PB_ICOL_SOURCE, k, (int32_t)src);
            if (dept) put_i32(c, PB_ICOL_DEPARTMENT, k, (int32_t)dep);
            else put_null(c, PB_ICOL_DEPARTMENT, k);
            if (c->has_year) put_i32(c, PB_ICOL_YEAR, k, c->year);
            else put_null(c, PB_ICOL_YEAR, k);
        }
    } else if (end > start) {
        c->len = start;
        for (int i = 0; i < PB_ICOL__COUNT; i++)
            if (dict_truncate(&c->alloc, &c->dicts[i], c->dict_start[i]) < 0) return fail(c, -1, "dropping rows");
    }
    if (grow(&c->alloc, (void **)&c->docs, &c->docs_cap, c->ndocs + 1, sizeof *c->docs) < 0)
        return fail(c, -1, "ending a document");
    doc_rec *d = &c->docs[c->ndocs];
    memset(d, 0, sizeof *d);
    d->doc_id = c->doc_id;
    d->ok = keep;
    const char *t = c->cur_text.data;
    int rc = 0;
    rc |= arena_span(c, &d->title, t + c->title.off, c->title.n, c->title.present);
    rc |= arena_span(c, &d->department, dept ? t + dept->off : "", dept ? dept->n : 0, dept != NULL);
    rc |= arena_span(c, &d->kind, t + c->kind.off, c->kind.n, c->kind.present);
    rc |= arena_span(c, &d->table_kinds, c->table_kinds.data ? c->table_kinds.data : "", c->table_kinds.len, 1);
    d->has_year = c->has_year;
    d->year = c->year;
    const char *enc = p && pb_encoding(p) ? pb_encoding(p) : ""; /* lives in the parser: copied */
    rc |= arena_span(c, &d->encoding, enc, strlen(enc) + 1, 1);  /* with its NUL */
    d->encoding.n--;
    d->gzip = p ? pb_is_gzip(p) : 0;
    d->bytes = bytes;
    d->items = keep ? (uint64_t)(end - start) : 0;
    d->tables = c->tables;
    d->projects = c->projects;
    d->indicators = c->indicators;
    d->warnings = c->warnings;
    d->error = p ? pb_error(p) : PB_E_NONE;
    if (p && d->error != PB_E_NONE) {
        const char *msg = pb_error_message(p);
        rc |= arena_span(c, &d->message, msg ? msg : "", msg ? strlen(msg) : 0, 1);
        d->error_line = pb_error_line(p);
        d->error_offset = pb_error_offset(p);
    }
    if (rc) return fail(c, -1, "ending a document");
    c->ndocs++;
    return PB_OK;
}

pb_status pb_columns_parse(pb_columns *c, pb_parser *p, int64_t doc_id, const char *source, size_t source_len,
                           const void *data, size_t len) {
    pb_parser_reset(p);
    if (pb_columns_begin(c, doc_id, source, source_len) != PB_OK) return PB_ERROR;
    const char *s = data;
    size_t left = len;
    pb_status st = PB_OK;
    /* Records pile up per feed: slices keep the record table small. */
    while (left > 0 && st == PB_OK) {
        size_t take = left > (1u << 20) ? (1u << 20) : left;
        st = pb_feed(p, s, take);
        s += take;
        left -= take;
        pb_records r = pb_get_records(p);
        if (pb_columns_add(c, &r) != PB_OK) return PB_ERROR;
        pb_records_clear(p);
    }
    if (st == PB_OK) {
        st = pb_finish(p);
        pb_records r = pb_get_records(p);
        if (pb_columns_add(c, &r) != PB_OK) return PB_ERROR;
        pb_records_clear(p);
    }
    return pb_columns_end(c, st == PB_OK, p, len);
}

static pb_span to_span(const pb_columns *c, ospan s) {
    pb_span out;
    out.present = s.present;
    out.n = s.n;
    out.s = s.present && c->arena.data ? c->arena.data + s.off : "";
    return out;
}

int pb_columns_doc(const pb_columns *c, size_t i, pb_doc_summary *out) {
    if (i >= c->ndocs) return -1;
    const doc_rec *d = &c->docs[i];
    memset(out, 0, sizeof *out);
    out->doc_id = d->doc_id;
    out->ok = d->ok;
    out->title = to_span(c, d->title);
    out->department = to_span(c, d->department);
    out->kind = to_span(c, d->kind);
    out->has_year = d->has_year;
    out->year = d->year;
    out->encoding = to_span(c, d->encoding).s;
    out->gzip = d->gzip;
    out->bytes = d->bytes;
    out->tables = d->tables;
    out->projects = d->projects;
    out->indicators = d->indicators;
    out->warnings = d->warnings;
    out->items = d->items;
    out->table_kinds = to_span(c, d->table_kinds);
    out->error = d->error;
    out->error_message = to_span(c, d->message);
    out->error_line = d->error_line;
    out->error_offset = d->error_offset;
    return 0;
}

/* Bits set in w (the usual halving sums: C99 has no popcount). */
static unsigned bits_set(uint64_t w) {
    w -= (w >> 1) & 0x5555555555555555ull;
    w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
    w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((w * 0x0101010101010101ull) >> 56);
}

/* Nulls among the first len rows of a validity bitmap. Counted once here,
 * not kept as cells are written: a measure printed twice rewrites its amount
 * and a failed document's rows are dropped, and neither need recount. */
static int64_t count_nulls(const uint8_t *valid, int64_t len) {
    int64_t set = 0, k = 0;
    for (; k + 64 <= len; k += 64) {
        uint64_t w;
        memcpy(&w, valid + (k >> 3), 8); /* byte order does not change the count */
        set += bits_set(w);
    }
    for (; k < len; k++) set += (valid[k >> 3] >> (k & 7)) & 1;
    return len - set;
}

/* ---- batches ------------------------------------------------------------------------ */

pb_batch *pb_columns_finish(pb_columns *c) {
    const pb_allocator *a = &c->alloc;
    pb_batch *b = a_malloc(a, sizeof *b);
    if (!b) {
        fail(c, -1, "finishing");
        return NULL;
    }
    memset(b, 0, sizeof *b);
    b->alloc = c->alloc;
    b->refs = 1;
    b->length = c->len;
    /* Every buffer exists, even for zero rows: Arrow wants non-NULL offsets. */
    if (reserve_rows(c, 1) < 0) {
        a_free(a, b);
        fail(c, -1, "finishing");
        return NULL;
    }
    for (int i = 0; i < PB_ICOL__COUNT; i++) {
        pb_dict *d = &c->dicts[i];
        if (col_types[i] == PB_COL_DICT && !d->offsets) {
            if (grow(a, (void **)&d->offsets, &d->ocap, 2, sizeof *d->offsets) < 0) {
                a_free(a, b);
                fail(c, -1, "finishing");
                return NULL;
            }
            d->offsets[0] = 0;
        }
        if (col_types[i] == PB_COL_DICT && !d->data && grow(a, (void **)&d->data, &d->cap, 8, 1) < 0) {
            a_free(a, b);
            fail(c, -1, "finishing");
            return NULL;
        }
    }
    for (int i = 0; i < PB_ICOL__COUNT; i++) {
        pb_col *col = &c->cols[i];
        b->data[i] = col->data;
        b->nulls[i] = col->valid ? count_nulls(col->valid, c->len) : 0;
        if (b->nulls[i]) b->valid[i] = col->valid;
        else a_free(a, col->valid);
        if (col_types[i] == PB_COL_DICT) {
            pb_dict *d = &c->dicts[i];
            b->dict_data[i] = d->data;
            b->dict_offsets[i] = d->offsets;
            b->dict_count[i] = (int64_t)d->count;
            a_free(a, d->hashes);
            a_free(a, d->slots);
            memset(d, 0, sizeof *d);
        }
        memset(col, 0, sizeof *col);
    }
    c->len = c->rows_cap = 0;
    return b;
}

int64_t pb_batch_length(const pb_batch *b) { return b->length; }

void pb_batch_ref(pb_batch *b) { ATOMIC_ADD(&b->refs, 1); }

void pb_batch_unref(pb_batch *b) {
    if (!b || ATOMIC_ADD(&b->refs, -1) != 0) return;
    pb_allocator a = b->alloc;
    for (int i = 0; i < PB_ICOL__COUNT; i++) {
        a_free(&a, b->data[i]);
        a_free(&a, b->valid[i]);
        a_free(&a, b->dict_data[i]);
        a_free(&a, b->dict_offsets[i]);
    }
    a.free(a.ctx, b);
}

/* ---- Arrow export --------------------------------------------------------------------
 * Every exported structure owns a node (private_data) allocated with malloc,
 * so a consumer may move children out and release them in any order. Array
 * nodes hold a reference on the batch. */

static const char *col_format(int i) {
    switch (col_types[i]) {
    case PB_COL_INT64:
        return "l";
    case PB_COL_FLOAT64:
        return "g";
    default:
        return "i";
    }
}

typedef struct schema_node {
    struct ArrowSchema *child_ptrs[PB_ICOL__COUNT];
    struct ArrowSchema children[PB_ICOL__COUNT];
    struct ArrowSchema dictionary;
} schema_node;

static void release_schema(struct ArrowSchema *s) {
    schema_node *n = s->private_data;
    if (n) {
        for (int64_t i = 0; i < s->n_children; i++)
            if (n->children[i].release) n->children[i].release(&n->children[i]);
        if (n->dictionary.release) n->dictionary.release(&n->dictionary);
        free(n);
    }
    s->release = NULL;
}

static int init_schema(struct ArrowSchema *s, const char *format, const char *name, int64_t flags) {
    memset(s, 0, sizeof *s);
    schema_node *n = malloc(sizeof *n);
    if (!n) return ENOMEM;
    memset(n, 0, sizeof *n);
    s->format = format;
    s->name = name;
    s->flags = flags;
    s->private_data = n;
    s->release = release_schema;
    return 0;
}

int pb_batch_export_schema(const pb_batch *b, struct ArrowSchema *out) {
    (void)b;
    if (init_schema(out, "+s", "", 0)) return ENOMEM;
    schema_node *top = out->private_data;
    out->n_children = PB_ICOL__COUNT;
    out->children = top->child_ptrs;
    for (int i = 0; i < PB_ICOL__COUNT; i++) {
        struct ArrowSchema *ch = &top->children[i];
        top->child_ptrs[i] = ch;
        if (init_schema(ch, col_format(i), col_names[i], col_nullable[i] ? ARROW_FLAG_NULLABLE : 0)) goto nomem;
        if (col_types[i] == PB_COL_DICT) {
            schema_node *cn = ch->private_data;
            if (init_schema(&cn->dictionary, "u", "", 0)) goto nomem;
            ch->dictionary = &cn->dictionary;
        }
    }
    return 0;
nomem:
    release_schema(out);
    return ENOMEM;
}

typedef struct array_node {
    pb_batch *batch;
    const void *buffers[3];
    struct ArrowArray *child_ptrs[PB_ICOL__COUNT];
    struct ArrowArray children[PB_ICOL__COUNT];
    struct ArrowArray dictionary;
} array_node;

static void release_array(struct ArrowArray *a) {
    array_node *n = a->private_data;
    if (n) {
        for (int64_t i = 0; i < a->n_children; i++)
            if (n->children[i].release) n->children[i].release(&n->children[i]);
        if (n->dictionary.release) n->dictionary.release(&n->dictionary);
        pb_batch *b = n->batch;
        free(n);
        pb_batch_unref(b);
    }
    a->release = NULL;
}

static int init_array(struct ArrowArray *a, pb_batch *b, int64_t length, int64_t nulls, int64_t nbuffers) {
    memset(a, 0, sizeof *a);
    array_node *n = malloc(sizeof *n);
    if (!n) return ENOMEM;
    memset(n, 0, sizeof *n);
    pb_batch_ref(b);
    n->batch = b;
    a->length = length;
    a->null_count = nulls;
    a->n_buffers = nbuffers;
    a->buffers = n->buffers;
    a->private_data = n;
    a->release = release_array;
    return 0;
}

static int export_array(pb_batch *b, struct ArrowArray *out) {
    if (init_array(out, b, b->length, 0, 1)) return ENOMEM;
    array_node *top = out->private_data;
    out->n_children = PB_ICOL__COUNT;
    out->children = top->child_ptrs;
    for (int i = 0; i < PB_ICOL__COUNT; i++) {
        struct ArrowArray *ch = &top->children[i];
        top->child_ptrs[i] = ch;
        if (init_array(ch, b, b->length, b->nulls[i], 2)) goto nomem;
        array_node *cn = ch->private_data;
        cn->buffers[0] = b->valid[i];
        cn->buffers[1] = b->data[i];
        if (col_types[i] == PB_COL_DICT) {
            if (init_array(&cn->dictionary, b, b->dict_count[i], 0, 3)) goto nomem;
            array_node *dn = cn->dictionary.private_data;
            dn->buffers[0] = NULL;
            dn->buffers[1] = b->dict_offsets[i];
            dn->buffers[2] = b->dict_data[i];
            ch->dictionary = &cn->dictionary;
        }
    }
    return 0;
nomem:
    release_array(out);
    return ENOMEM;
}

typedef struct stream_priv {
    pb_batch *batch;
    int done;
    char error[128];
} stream_priv;

static int stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
    stream_priv *sp = s->private_data;
    if (pb_batch_export_schema(sp->batch, out)) {
        snprintf(sp->error, sizeof sp->error, "pybudget items: out of memory exporting the schema");
        return ENOMEM;
    }
    return 0;
}

static int stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
    stream_priv *sp = s->private_data;
    if (sp->done) {
        memset(out, 0, sizeof *out);
        out->release = NULL; /* end of stream */
        return 0;
    }
    if (export_array(sp->batch, out)) {
        snprintf(sp->error, sizeof sp->error, "pybudget items: out of memory exporting the columns");
        return ENOMEM;
    }
    sp->done = 1;
    return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *s) {
    stream_priv *sp = s->private_data;
    return sp && sp->error[0] ? sp->error : NULL;
}

static void stream_release(struct ArrowArrayStream *s) {
    stream_priv *sp = s->private_data;
    if (sp) {
        pb_batch_unref(sp->batch);
        free(sp);
    }
    s->private_data = NULL;
    s->release = NULL;
}

int pb_batch_export_stream(pb_batch *b, struct ArrowArrayStream *out) {
    memset(out, 0, sizeof *out);
    stream_priv *sp = malloc(sizeof *sp);
    if (!sp) return ENOMEM;
    memset(sp, 0, sizeof *sp);
    pb_batch_ref(b);
    sp->batch = b;
    out->get_schema = stream_get_schema;
    out->get_next = stream_get_next;
    out->get_last_error = stream_last_error;
    out->release = stream_release;
    out->private_data = sp;
    return 0;
}
