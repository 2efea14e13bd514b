/* Helpers shared by the C test program (test_core.c) and the libFuzzer target
 * (tests/fuzz/fuzz_feed.c): a record log (text like pb_dump's, or a hash of
 * the same information), chunked parsing, in-memory gzip, a counting
 * allocator, and the fuzz driver itself so that every saved fuzz input can be
 * replayed by the test program. Header-only: each program includes it once. */
#ifndef PB_TESTLIB_H
#define PB_TESTLIB_H

#include "../../csrc/pb.h"
#include "../../csrc/pb_audit.h"
#include "../../csrc/pb_cross.h"
#include "../../csrc/pb_fact_checks.h"
#include "../../csrc/pb_facts.h"
#include "../../csrc/pb_figure.h"
#include "../../csrc/pb_match.h"
#include "../../csrc/pb_names.h"
#include "../../csrc/pb_restate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The test programs count checks; the last line they print is "N passed, N failed". */
static int passed __attribute__((unused)), failed __attribute__((unused)); /* the fuzzer counts none */

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                 \
            printf(__VA_ARGS__);                                                                   \
            putchar('\n');                                                                         \
        }                                                                                          \
    } while (0)

/* ---- record log ------------------------------------------------------------ */

typedef struct tl_log {
    uint64_t hash;      /* FNV-1a over every field of every logged record */
    size_t records;     /* records logged */
    size_t kinds[PB_R__COUNT];
    unsigned skip_mask; /* record kinds (1u << kind) left out of the log */
    uint32_t line_shift; /* subtracted from line numbers above it (padded inputs) */
    int keep_text;      /* also keep the pb_dump-style text */
    char *text;
    size_t len, cap;
} tl_log;

static inline void tl_log_init(tl_log *g, int keep_text, unsigned skip_mask) {
    memset(g, 0, sizeof *g);
    g->hash = 1469598103934665603ull;
    g->keep_text = keep_text;
    g->skip_mask = skip_mask;
}

static inline void tl_log_free(tl_log *g) {
    free(g->text);
    g->text = NULL;
    g->len = g->cap = 0;
}

static inline void tl_hash(tl_log *g, const void *data, size_t n) {
    const unsigned char *s = (const unsigned char *)data;
    uint64_t h = g->hash;
    for (; n >= 8; s += 8, n -= 8) { /* a word at a time: the every-offset test hashes a lot */
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; n; s++, n--) h = (h ^ *s) * 1099511628211ull;
    g->hash = h;
}

static inline void tl_hash_u64(tl_log *g, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    tl_hash(g, b, 8);
}

static inline void tl_put(tl_log *g, const char *s, size_t n) {
    if (!g->keep_text) return;
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap ? g->cap : 4096;
        while (cap < g->len + n + 1) cap *= 2;
        char *t = (char *)realloc(g->text, cap);
        if (!t) {
            fprintf(stderr, "test: out of memory\n");
            abort();
        }
        g->text = t;
        g->cap = cap;
    }
    memcpy(g->text + g->len, s, n);
    g->len += n;
    g->text[g->len] = '\0';
}

static inline void tl_putf(tl_log *g, const char *fmt, long long a, long long b) {
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, fmt, a, b);
    tl_put(g, tmp, (size_t)n);
}

/* Checks a string of the arena (an out-of-range offset is a parser bug). */
static inline const char *tl_str(const pb_records *r, pb_str s) {
    if ((size_t)s.off + s.len > r->text_len) {
        fprintf(stderr, "record string %u+%u outside the arena (%zu bytes)\n", s.off, s.len, r->text_len);
        abort();
    }
    return r->text + s.off;
}

static inline void tl_hash_str(tl_log *g, const pb_records *r, pb_str s) {
    tl_hash_u64(g, s.len);
    tl_hash(g, tl_str(r, s), s.len);
}

/* Logs the records in r: the information pb_dump prints (kind, line, table,
 * index, flags, fields, values) plus value decimals and number texts. */
static inline void tl_log_records(tl_log *g, const pb_records *r) {
    if (r->value_count && r->values == NULL) abort();
    for (size_t i = 0; i < r->count; i++) {
        const pb_record *rec = &r->records[i];
        if (rec->kind >= PB_R__COUNT) {
            fprintf(stderr, "record kind %u out of range\n", rec->kind);
            abort();
        }
        if ((size_t)rec->value_begin + rec->value_count > r->value_count) {
            fprintf(stderr, "record values %u+%u outside the value table (%zu)\n", rec->value_begin,
                    rec->value_count, r->value_count);
            abort();
        }
        if (g->skip_mask & (1u << rec->kind)) continue;
        g->records++;
        g->kinds[rec->kind]++;
        tl_hash_u64(g, rec->kind);
        uint32_t line = rec->line > g->line_shift ? rec->line - g->line_shift : rec->line;
        tl_hash_u64(g, line);
        tl_hash_u64(g, (uint64_t)(int64_t)rec->table);
        tl_hash_u64(g, (uint64_t)(int64_t)rec->index);
        tl_hash_u64(g, rec->flags);
        for (int f = 0; f < PB_NFIELDS; f++) tl_hash_str(g, r, rec->f[f]);
        tl_hash_u64(g, rec->value_count);
        for (uint32_t v = 0; v < rec->value_count; v++) {
            const pb_value *val = &r->values[rec->value_begin + v];
            tl_hash_str(g, r, val->measure);
            tl_hash_str(g, r, val->text);
            tl_hash_u64(g, (uint64_t)val->fen);
            tl_hash_u64(g, val->state);
            tl_hash_u64(g, val->decimals);
        }
        if (!g->keep_text) continue;
        /* The pb_dump format. */
        const char *kind = pb_record_kind_name((pb_record_kind)rec->kind);
        char head[96];
        int n = snprintf(head, sizeof head, "%u %s t%d", line, kind, rec->table);
        tl_put(g, head, (size_t)n);
        if (rec->index >= 0) tl_putf(g, " #%lld", rec->index, 0);
        if (rec->flags) tl_putf(g, " f%lld", rec->flags, 0);
        for (int f = 0; f < PB_NFIELDS; f++) {
            if (!rec->f[f].len) continue;
            tl_putf(g, " f%lld=", f, 0);
            tl_put(g, tl_str(r, rec->f[f]), rec->f[f].len);
        }
        for (uint32_t v = 0; v < rec->value_count; v++) {
            const pb_value *val = &r->values[rec->value_begin + v];
            tl_put(g, " | ", 3);
            tl_put(g, tl_str(r, val->measure), val->measure.len);
            if (val->state == PB_V_NUMBER) tl_putf(g, "=%lld", (long long)val->fen, 0);
            else if (val->state == PB_V_DASH) tl_put(g, "=-", 2);
            else {
                tl_put(g, val->state == PB_V_COLUMN ? ":" : "~", 1);
                tl_put(g, tl_str(r, val->text), val->text.len);
            }
        }
        tl_put(g, "\n", 1);
    }
}

/* ---- allocators ----------------------------------------------------------------- */

/* Counts calls and live blocks, tracks live and peak bytes, and fails call
 * number fail_at (1-based; 0 = never). */
typedef struct tl_alloc {
    size_t calls;
    size_t fail_at;
    size_t failed;
    long live_blocks;
    size_t live_bytes, peak_bytes;
} tl_alloc;

#define TL_HDR 16 /* keeps the user block 16-byte aligned */

static inline int tl_alloc_fails(tl_alloc *a) {
    a->calls++;
    if (a->fail_at && a->calls == a->fail_at) {
        a->failed++;
        return 1;
    }
    return 0;
}

static inline void *tl_malloc(void *ctx, size_t n) {
    tl_alloc *a = (tl_alloc *)ctx;
    if (tl_alloc_fails(a)) return NULL;
    unsigned char *b = (unsigned char *)malloc(n + TL_HDR);
    if (!b) return NULL;
    memcpy(b, &n, sizeof n);
    a->live_blocks++;
    a->live_bytes += n;
    if (a->live_bytes > a->peak_bytes) a->peak_bytes = a->live_bytes;
    return b + TL_HDR;
}

static inline void tl_free(void *ctx, void *ptr) {
    tl_alloc *a = (tl_alloc *)ctx;
    if (!ptr) return;
    unsigned char *b = (unsigned char *)ptr - TL_HDR;
    size_t n;
    memcpy(&n, b, sizeof n);
    a->live_blocks--;
    a->live_bytes -= n;
    free(b);
}

static inline void *tl_realloc(void *ctx, void *ptr, size_t n) {
    tl_alloc *a = (tl_alloc *)ctx;
    if (!ptr) return tl_malloc(ctx, n);
    if (tl_alloc_fails(a)) return NULL; /* the old block stays valid */
    unsigned char *b = (unsigned char *)ptr - TL_HDR;
    size_t old;
    memcpy(&old, b, sizeof old);
    unsigned char *nb = (unsigned char *)realloc(b, n + TL_HDR);
    if (!nb) return NULL;
    memcpy(nb, &n, sizeof n);
    a->live_bytes = a->live_bytes - old + n;
    if (a->live_bytes > a->peak_bytes) a->peak_bytes = a->live_bytes;
    return nb + TL_HDR;
}

static inline pb_allocator tl_allocator(tl_alloc *a) {
    pb_allocator al;
    al.malloc = tl_malloc;
    al.realloc = tl_realloc;
    al.free = tl_free;
    al.ctx = a;
    return al;
}

/* tl_allocator over a fresh count whose fail_at-th allocation fails (0: none does). */
static inline pb_allocator tl_failing_allocator(tl_alloc *a, size_t fail_at) {
    memset(a, 0, sizeof *a);
    a->fail_at = fail_at;
    return tl_allocator(a);
}

/* ---- parsing in chunks ------------------------------------------------------------ */

typedef struct tl_result {
    pb_status status;    /* of the last call (feed or finish) */
    pb_error_code error; /* pb_error() at the end */
    uint64_t error_line;
    int gzip;
    char encoding[16];
    char message[512];
} tl_result;

/* Feeds data through p in pieces: split >= 0 cuts at that offset first, then
 * every chunk bytes (0 = no more cuts); split < 0: chunk bytes at a time
 * (0 = whole). Drains the records into g
 * after every call, clearing them unless keep_records. Does not free p. */
static inline tl_result tl_run(pb_parser *p, const unsigned char *data, size_t n, long split, size_t chunk,
                        tl_log *g, int keep_records) {
    tl_result res;
    memset(&res, 0, sizeof res);
    res.status = PB_OK;
    size_t pos = 0;
    for (int first = 1;; first = 0) {
        size_t take = first && split >= 0 ? (size_t)split : chunk ? chunk : n - pos;
        if (take > n - pos) take = n - pos;
        res.status = pb_feed(p, data + pos, take);
        pos += take;
        if (!keep_records) {
            pb_records r = pb_get_records(p);
            tl_log_records(g, &r);
            pb_records_clear(p);
        }
        if (res.status != PB_OK || pos >= n) break;
    }
    if (res.status == PB_OK) res.status = pb_finish(p);
    pb_records r = pb_get_records(p);
    tl_log_records(g, &r);
    pb_records_clear(p);
    res.error = pb_error(p);
    res.error_line = pb_error_line(p);
    res.gzip = pb_is_gzip(p);
    snprintf(res.encoding, sizeof res.encoding, "%s", pb_encoding(p));
    snprintf(res.message, sizeof res.message, "%s", pb_error_message(p));
    if ((res.status == PB_OK) != (res.error == PB_E_NONE)) {
        fprintf(stderr, "status %d disagrees with error %s\n", res.status, pb_error_name(res.error));
        abort();
    }
    if (res.error != PB_E_NONE && !res.message[0]) {
        fprintf(stderr, "error %s without a message\n", pb_error_name(res.error));
        abort();
    }
    return res;
}

/* A fresh parser (default allocator) for one run. */
static inline tl_result tl_parse(const pb_options *opt, const unsigned char *data, size_t n, long split,
                          size_t chunk, tl_log *g) {
    pb_parser *p = pb_parser_new(opt, NULL);
    if (!p) {
        fprintf(stderr, "pb_parser_new failed\n");
        abort();
    }
    tl_result r = tl_run(p, data, n, split, chunk, g, 0);
    pb_parser_free(p);
    return r;
}

/* ---- gzip --------------------------------------------------------------------- */

/* gzip-compresses data (the gzip wrapper: windowBits 15 + 16). Returns a
 * malloc'd buffer, or NULL. */
static inline unsigned char *tl_gzip(const unsigned char *data, size_t n, int level, size_t *out_n) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    *out_n = 0;
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    unsigned char *out = (unsigned char *)malloc(cap);
    if (!out) {
        deflateEnd(&zs);
        return NULL;
    }
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    int r = deflate(&zs, Z_FINISH);
    *out_n = cap - zs.avail_out;
    deflateEnd(&zs);
    if (r != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* ---- the fuzz driver ------------------------------------------------------------ */

/*
 * Input layout: byte 0 flags, byte 1 (low 2 bits) a padding mode, the rest
 * of bytes 1-2 a seed, then the document.
 *   flags & 7    chunk plan: 0 whole, 1 one cut at seed % (n + 1) of the
 *                document, 2..6 chunks of 1, 2, 3, 7, 64 bytes, 7 pseudo-random
 *   flags & 8    strict mode
 *   flags & 16   tiny limits (max_line, max_cells, max_table_rows, inflate ratio)
 *   flags & 32   reset the parser and parse again: the log must not change
 *   flags & 64   gzip-compress the (padded) document first
 *   flags & 128  keep records between feeds instead of clearing them
 *   padding      0 none: the document is decided whole by the 64 KiB encoding
 *                probe; 1, 2, 3: a blank first line fills the probe first, in
 *                UTF-8, GB18030 or UTF-16LE (with BOM), so the document bytes
 *                stream through the decoder and the line splitter in that
 *                encoding, with every chunk seam. (max_line is then 64 KiB, so
 *                the padding line is skipped with a warning instead of being
 *                normalised: the fuzzer spends its time on the document.)
 * Every plan is checked against one whole-buffer parse: same log, same error.
 */
static inline uint32_t tl_rand(uint32_t *s) {
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

#define TL_PAD_UNITS 33000 /* > 64 KiB in every encoding */

/* A blank line that fills the encoding probe: mode 1 UTF-8 spaces, 2 GB18030
 * ideographic spaces, 3 UTF-16LE BOM + ideographic spaces. */
static inline size_t tl_padding(int mode, unsigned char *out) {
    size_t n = 0;
    if (mode == 1) {
        memset(out, ' ', 2 * TL_PAD_UNITS);
        n = 2 * TL_PAD_UNITS;
        out[n++] = '\n';
    } else if (mode == 2) {
        for (size_t i = 0; i < TL_PAD_UNITS; i++) out[n++] = 0xA1, out[n++] = 0xA1;
        out[n++] = '\n';
    } else if (mode == 3) {
        out[n++] = 0xFF, out[n++] = 0xFE;
        for (size_t i = 0; i < TL_PAD_UNITS; i++) out[n++] = 0x00, out[n++] = 0x30;
        out[n++] = '\n', out[n++] = 0;
    }
    return n;
}
#define TL_PAD_MAX (2 * TL_PAD_UNITS + 4)

/* Feeds d[0, base) in one piece, then the rest by the plan. */
static inline tl_result tl_run_plan(pb_parser *p, const unsigned char *d, size_t n, size_t base,
                                    unsigned plan, size_t cut, unsigned seed, tl_log *g, int keep) {
    static const size_t sizes[] = {1, 2, 3, 7, 64};
    if (base && pb_feed(p, d, base) != PB_OK) return tl_run(p, d, 0, -1, 0, g, keep);
    d += base;
    n -= base;
    if (plan == 0) return tl_run(p, d, n, -1, 0, g, keep);
    if (plan == 1) return tl_run(p, d, n, (long)cut, 0, g, keep);
    if (plan <= 6) return tl_run(p, d, n, -1, sizes[plan - 2], g, keep);
    /* pseudo-random chunk sizes, 0 included */
    tl_result res;
    memset(&res, 0, sizeof res);
    uint32_t s = seed * 2654435761u + 1;
    size_t pos = 0;
    res.status = PB_OK;
    while (pos < n && res.status == PB_OK) {
        size_t take = tl_rand(&s) % 97;
        if (tl_rand(&s) % 8 == 0) take = tl_rand(&s) % 9000;
        if (take > n - pos) take = n - pos;
        res.status = pb_feed(p, d + pos, take);
        pos += take;
        if (!keep) {
            pb_records r = pb_get_records(p);
            tl_log_records(g, &r);
            pb_records_clear(p);
        }
    }
    if (res.status == PB_OK) res.status = pb_finish(p);
    pb_records r = pb_get_records(p);
    tl_log_records(g, &r);
    pb_records_clear(p);
    res.error = pb_error(p);
    return res;
}

/* Errors whose point of detection may depend on how the input was cut: the
 * inflate ratio is measured against the compressed bytes fed so far. */
static inline int tl_cut_dependent(pb_error_code e) { return e == PB_E_GZIP_RATIO; }

static inline void tl_fuzz_fail(const char *what, tl_result a, tl_result b) {
    fprintf(stderr, "fuzz invariant broken: %s (whole: %s, chunked: %s)\n", what, pb_error_name(a.error),
            pb_error_name(b.error));
    abort();
}

/* The comparisons of facts with each other (pb_fact_checks_run) on facts[0, n):
 * every kept fact is one of them, each comparison's facts in reading order (a
 * share's base, when it names one, a fact read before it or the tables') and
 * each rule's comparisons in the order of their first facts; a second run into
 * the same result keeps the same; with a counting allocator failing at
 * allocation fail_at (0: none), NO_MEMORY and nothing kept, or the same, and
 * no block live after free. */
static inline void tl_fuzz_checks_of(const pb_fact *facts, size_t n, size_t fail_at) {
    pb_fact_checks first, counted;
    pb_fact_checks_init(&first, NULL);
    if (pb_fact_checks_run(&first, facts, n) != PB_FACT_CHECKS_OK) {
        fprintf(stderr, "fact checks: a run failed\n");
        abort();
    }
    for (int rule = 0; rule < PB_FACT_CHECK_RULES; rule++) {
        uint32_t prev_first = 0;
        for (size_t i = first.rule_start[rule]; i < first.rule_start[rule + 1]; i++) {
            const pb_fact_check *k = &first.checks[i];
            int bad = k->count == 0 || (size_t)k->first + k->count > first.n_facts ||
                      (i > first.rule_start[rule] && first.facts[k->first] <= prev_first) ||
                      (rule != PB_FACT_CHECK_PARTS_SUM && k->units != PB_FACT_CHECK_ALWAYS) ||
                      (rule == PB_FACT_CHECK_SHARE && k->count > 2) ||
                      (rule == PB_FACT_CHECK_CHANGE_PCT && k->count != 1);
            if (!bad && rule == PB_FACT_CHECK_SHARE && k->count == 2) { /* the fact, then its base */
                uint32_t fact = first.facts[k->first], base = first.facts[k->first + 1];
                bad = fact >= n || (base != PB_FACT_CHECK_TABLES && base >= fact);
            } else {
                for (uint32_t j = 0; j < k->count && !bad; j++)
                    bad = first.facts[k->first + j] >= n ||
                          (j && first.facts[k->first + j] <= first.facts[k->first + j - 1]);
            }
            if (bad || first.rule_start[rule] > first.rule_start[rule + 1]) {
                fprintf(stderr, "fact checks: rule %d, comparison %zu is malformed\n", rule, i);
                abort();
            }
            if (k->count) prev_first = first.facts[k->first];
        }
    }
    size_t n_checks = first.n_checks, n_facts = first.n_facts;
    if (pb_fact_checks_run(&first, facts, n) != PB_FACT_CHECKS_OK || first.n_checks != n_checks ||
        first.n_facts != n_facts) {
        fprintf(stderr, "fact checks: a second run differs\n");
        abort();
    }
    tl_alloc counts;
    pb_allocator al = tl_failing_allocator(&counts, fail_at);
    pb_fact_checks_init(&counted, &al);
    pb_fact_checks_status st = pb_fact_checks_run(&counted, facts, n);
    if (counts.failed ? st != PB_FACT_CHECKS_NO_MEMORY || counted.n_checks != 0
                      : st != PB_FACT_CHECKS_OK || counted.n_checks != n_checks || counted.n_facts != n_facts ||
                            (n_checks && memcmp(counted.checks, first.checks, n_checks * sizeof *first.checks) != 0) ||
                            (n_facts && memcmp(counted.facts, first.facts, n_facts * sizeof *first.facts) != 0)) {
        fprintf(stderr, "fact checks: status %d with a counting allocator\n", st);
        abort();
    }
    pb_fact_checks_free(&counted);
    pb_fact_checks_free(&first);
    if (counts.live_blocks != 0) {
        fprintf(stderr, "fact checks: %ld blocks leaked\n", counts.live_blocks);
        abort();
    }
}

/* The input as facts written out, 12 bytes each, for the arithmetic of the
 * comparisons at its edges (facts the reader would not make): unit, the
 * value's digits (from small to 2^64 - 1) and exponent, decimals, a share, a
 * change and a percentage (absent, 0, ∞ or figures of either sign, in any
 * unit), and the indexes tying facts together (past the end too). */
/* text.vs_table's decisions (pb_restate.h) over facts, with ways, contexts and figures made of the
 * bytes of data (some out of the plan's range, figures near the facts' own values): the facts kept are
 * in range and in order, each as pb_restate_looks decides it, never of a unit no table prints, and a
 * money fact equal in 分 to the figure it restates is decided. */
static inline void tl_fuzz_restate(const pb_fact *facts, size_t n, const unsigned char *data, size_t size) {
    enum { SUBJECTS = 4, SECTIONS = 3, FIGURES = 3, WAYS = 2 * SUBJECTS * PB_RESTATE_CONTEXTS };
    if (size == 0) return;
    int32_t ways[WAYS];
    uint8_t contexts[SECTIONS];
    pb_restate_figure figures[FIGURES], equal[FIGURES];
    for (size_t k = 0; k < WAYS; k++) ways[k] = (int32_t)(data[k % size] % (FIGURES + 3)) - 2; /* -2 .. FIGURES */
    for (size_t k = 0; k < SECTIONS; k++) contexts[k] = (uint8_t)(data[(k + 7) % size] % (PB_RESTATE_CONTEXTS + 1));
    pb_restate_fact *r = (pb_restate_fact *)malloc((n ? n : 1) * sizeof *r);
    uint32_t *look = (uint32_t *)malloc((n ? n : 1) * sizeof *look);
    if (!r || !look) abort();
    for (size_t i = 0; i < n; i++) {
        r[i] = pb_restate_fact_of(&facts[i], (uint32_t)(i % (SECTIONS + 1)));
        r[i].subject %= SUBJECTS + 1;
    }
    for (size_t k = 0; k < FIGURES; k++) {
        unsigned b = data[(k + 3) % size];
        int64_t near = n ? r[(k * 5 + b) % n].fen : 0;
        int64_t delta = (int64_t)(int8_t)data[(k + 11) % size] * (b & 0x40 ? 1000 : 1);
        figures[k] = (pb_restate_figure){b & 0x80 ? INT64_MAX - (int64_t)b : near + delta, (int32_t)(b % 7) - 3,
                                         (uint8_t)(b % 4)};
    }
    pb_restate_plan plan = {ways, SUBJECTS, contexts, SECTIONS, figures, FIGURES};
    size_t kept = pb_restate_run(r, n, &plan, look);
    if (kept > n || pb_restate_run(r, n, &plan, look) != kept) {
        fprintf(stderr, "restate: %zu of %zu facts kept, or a second run differs\n", kept, n);
        abort();
    }
    for (size_t i = 0, at = 0; i < n; i++) {
        int kept_i = at < kept && look[at] == i;
        if (kept_i != pb_restate_looks(&r[i], &plan) || (kept_i && at && look[at - 1] >= i) ||
            (kept_i && r[i].kind != PB_RESTATE_MONEY && r[i].kind != PB_RESTATE_COUNT)) {
            fprintf(stderr, "restate: fact %zu of %zu kept %d against its decision\n", i, n, kept_i);
            abort();
        }
        at += (size_t)kept_i;
        for (size_t k = 0; k < FIGURES; k++) equal[k] = (pb_restate_figure){r[i].fen, figures[k].res_pow, PB_RESTATE_PRINTED};
        pb_restate_plan same = {ways, SUBJECTS, contexts, SECTIONS, equal, FIGURES};
        size_t section = r[i].section;
        int32_t way = r[i].subject < SUBJECTS && section < SECTIONS && contexts[section] < PB_RESTATE_CONTEXTS
                          ? ways[(size_t)r[i].subject * PB_RESTATE_CONTEXTS + contexts[section]]
                          : -1;
        if (r[i].kind == PB_RESTATE_MONEY && (r[i].flags & PB_RESTATE_EXACT) && way >= 0 && way < FIGURES &&
            pb_restate_looks(&r[i], &same)) {
            fprintf(stderr, "restate: fact %zu equal to its figure is left to Python\n", i);
            abort();
        }
    }
    free(r);
    free(look);
}

static inline void tl_fuzz_fact_checks(const unsigned char *data, size_t size) {
    size_t n = size / 12;
    pb_fact *facts = (pb_fact *)calloc(n ? n : 1, sizeof *facts);
    if (!facts) abort();
    for (size_t i = 0; i < n; i++) {
        const unsigned char *g = data + 12 * i;
        pb_fact *f = &facts[i];
        uint32_t low = (uint32_t)g[2] | (uint32_t)g[3] << 8 | (uint32_t)g[4] << 16 | (uint32_t)g[5] << 24;
        f->unit = (uint8_t)(g[0] % PB_FU__COUNT);
        f->value = (pb_fact_number){g[0] & 0x80 ? UINT64_MAX - low : low, (int8_t)g[1] / 8, PB_FN_FIGURE, 0, f->unit};
        f->decimals = (int8_t)g[11] / 16;
        f->index = (int32_t)i;
        f->paragraph = g[10] & 3;
        f->sentence_id = (g[10] >> 2) & 3;
        pb_fact_number *numbers[3] = {&f->share, &f->change, &f->change_pct};
        int32_t *decimals[3] = {&f->share_decimals, &f->change_decimals, &f->change_pct_decimals};
        for (int k = 0; k < 3; k++) {
            unsigned b = g[6 + k];
            *numbers[k] = (pb_fact_number){(uint64_t)(b >> 3) * (b & 4 ? 1000003 : 1), -(int32_t)(g[1] & 7),
                                           (uint8_t)(b & 3), (uint8_t)(b >> 7), (uint8_t)((b >> 4) % PB_FU__COUNT)};
            *decimals[k] = (int32_t)(g[1] & 7) - (b & 8 ? 3 : 0);
        }
        int32_t tie = (int32_t)(g[9] % (n + 2)) - 1; /* -1 .. n: none, a fact, or one past the end */
        f->part_of = g[10] & 16 ? tie : -1;
        f->part_list = g[10] & 32 ? (g[10] >> 6) - 1 : -1;
        f->share_base = g[10] & 64 ? tie : -1;
        f->share_base_subject = f->share_base < 0 && (g[11] & 1) ? (int32_t)(g[11] >> 1) % 4 : -1;
        f->subject = (uint16_t)(g[9] % 4);
    }
    tl_fuzz_checks_of(facts, n, size ? 1 + data[size - 1] % 9 : 0);
    tl_fuzz_restate(facts, n, data, size);
    free(facts);
}

/* The facts reader on the input's lines (split at '\n', numbered with gaps the
 * first byte picks), twice into one store and once with a counting allocator:
 * the same facts each time, and no block live after free; then the
 * comparisons of the facts read with each other (tl_fuzz_checks_of). */
static inline void tl_fuzz_facts(const unsigned char *data, size_t size) {
    if (size < 1) return;
    size_t n = 0, cap = 16;
    pb_fact_line *lines = (pb_fact_line *)malloc(cap * sizeof *lines);
    if (!lines) return;
    uint64_t line = 1;
    for (size_t a = 1; a <= size;) {
        size_t b = a;
        while (b < size && data[b] != '\n') b++;
        if (n == cap) {
            pb_fact_line *more = (pb_fact_line *)realloc(lines, 2 * cap * sizeof *lines);
            if (!more) break;
            lines = more;
            cap *= 2;
        }
        lines[n++] = (pb_fact_line){line, (const char *)data + a, b - a};
        line += 1 + ((data[0] >> (n % 8)) & 1) * 2;
        a = b + 1;
    }
    pb_fact_store st;
    pb_fact_store_init(&st, NULL);
    pb_facts_status first = pb_facts_read(&st, lines, n);
    size_t nfacts = st.nfacts, nparas = st.nparas, text_len = st.text_len;
    pb_facts_status again = pb_facts_read(&st, lines, n);
    if (again != first || st.nfacts != nfacts || st.nparas != nparas || st.text_len != text_len) {
        fprintf(stderr, "facts: a second read into the same store differs\n");
        abort();
    }
    if (first == PB_FACTS_OK) tl_fuzz_checks_of(st.facts, st.nfacts, (data[0] & 2) ? 1 + data[0] % 5 : 0);
    if (first == PB_FACTS_OK) tl_fuzz_restate(st.facts, st.nfacts, data, size);
    pb_fact_store_free(&st);
    tl_alloc counts;
    pb_allocator al = tl_failing_allocator(&counts, (data[0] & 1) ? 1 + data[0] % 13 : 0);
    pb_fact_store_init(&st, &al);
    pb_facts_status counted = pb_facts_read(&st, lines, n);
    if (counted != (counts.failed ? PB_FACTS_NO_MEMORY : first) || (counted == PB_FACTS_OK && st.nfacts != nfacts)) {
        fprintf(stderr, "facts: status %d with a counting allocator, %d without\n", counted, first);
        abort();
    }
    pb_fact_store_free(&st);
    if (counts.live_blocks != 0) {
        fprintf(stderr, "facts: %ld blocks leaked\n", counts.live_blocks);
        abort();
    }
    free(lines);
}

/* Each line of the input as a row name, read into buffers of its exact size
 * (a read past one is an ASan error): normalised, tested as a unit's name
 * (the line before as the department), an economic class, a total, a class. */
static inline void tl_fuzz_names(const unsigned char *data, size_t size) {
    const char *dep = NULL;
    size_t dep_n = 0;
    for (size_t a = 0; a <= size;) {
        size_t b = a;
        while (b < size && data[b] != '\n') b++;
        size_t n = b - a;
        char *name = (char *)malloc(n ? n : 1), *norm = (char *)malloc(n ? n : 1);
        if (!name || !norm) abort();
        if (n) memcpy(name, data + a, n);
        size_t m = pb_norm_name(name, n, norm);
        if (m > n) {
            fprintf(stderr, "names: a normalised name of %zu bytes from %zu\n", m, n);
            abort();
        }
        char code[4];
        (void)pb_org_name(norm, m, dep, dep_n);
        (void)pb_econ_class_name(norm, m);
        (void)pb_total_name(norm, m);
        if (pb_class_code(name, n, code) && strlen(code) != 3) abort();
        free(name);
        free(norm);
        dep = (const char *)data + a;
        dep_n = n;
        a = b + 1;
    }
}

/* The input's lines as project names to pair: keys of their normalised forms, the
 * even lines against the odd ones, amounts from their lengths. Every pair is of names
 * in range and each name is paired at most once; with a counting allocator that may
 * fail, the failure is reported and nothing leaks. */
static inline void tl_fuzz_match(const unsigned char *data, size_t size) {
    enum { MAX_NAMES = 64 };
    pb_match_name names[MAX_NAMES];
    uint32_t *keys = (uint32_t *)malloc((size ? size : 1) * sizeof *keys);
    char *norm = (char *)malloc(size ? size : 1);
    if (!keys || !norm) abort();
    size_t n = 0, used = 0;
    for (size_t a = 0; a <= size && n < MAX_NAMES;) {
        size_t b = a;
        while (b < size && data[b] != '\n') b++;
        size_t m = pb_norm_name((const char *)data + a, b - a, norm);
        size_t len = pb_match_key(norm, m, keys + used);
        names[n] = (pb_match_name){keys + used, len, (int64_t)(b - a) * (n % 3 ? 1 : -1)};
        n++;
        used += len;
        a = b + 1;
    }
    size_t n_left = (n + 1) / 2;
    pb_match_result got;
    pb_match_result_init(&got, NULL);
    if (pb_match_names(names, n_left, names + n_left, n - n_left, size ? data[0] : 0, &got) != PB_MATCH_OK) abort();
    uint8_t seen[MAX_NAMES] = {0};
    for (size_t k = 0; k < got.n_pairs; k++) {
        pb_match_pair pr = got.pairs[k];
        if (pr.left >= n_left || pr.right >= n - n_left || seen[pr.left] & 1 || seen[pr.right] & 2 ||
            !(pr.similarity >= 0.3 && pr.similarity <= 1.0)) {
            fprintf(stderr, "match: pair %zu (%u, %u, %g) of %zu names\n", k, pr.left, pr.right, pr.similarity, n);
            abort();
        }
        seen[pr.left] |= 1;
        seen[pr.right] |= 2;
    }
    tl_alloc counts;
    pb_allocator al = tl_failing_allocator(&counts, 1 + (size ? data[size - 1] % 6 : 0));
    pb_match_result counted;
    pb_match_result_init(&counted, &al);
    pb_match_status st = pb_match_names(names, n_left, names + n_left, n - n_left, size ? data[0] : 0, &counted);
    if (st != (counts.failed ? PB_MATCH_NO_MEMORY : PB_MATCH_OK) ||
        (st == PB_MATCH_OK && counted.n_pairs != got.n_pairs)) {
        fprintf(stderr, "match: status %d with a counting allocator\n", st);
        abort();
    }
    pb_match_result_free(&counted);
    pb_match_result_free(&got);
    if (counts.live_blocks != 0) {
        fprintf(stderr, "match: %ld blocks leaked\n", counts.live_blocks);
        abort();
    }
    free(keys);
    free(norm);
}

/* The input as one table for the audit's sums: each 4-byte group a row (flags,
 * side, code, and a cell in each of 3 slots, blank, dash or a small or huge
 * amount), one equation, a step from the first byte. Twice alike, and with a
 * counting allocator that may fail: nothing leaks. */
static inline void tl_fuzz_audit(const unsigned char *data, size_t size) {
    enum { SLOTS = 3 };
    static const char *const kinds[] = {"expenditure", "basic_economic", "summary", "projects", "operating_costs",
                                        "performance_summary", "income"};
    static const char *const codes[] = {"", "208", "20805", "2080505", "210", "21015", "2101501", "2", "20"};
    static const char *const names[] = {"合计", "收入总计", "支出总计", "本年收入合计", "本年支出合计", "上年结转",
                                        "年终结转", "-", "", "工资福利支出"};
    static const pb_audit_text slots[SLOTS] = {{"total", 5}, {"basic", 5}, {"project", 7}};
    static const uint32_t lhs[1] = {0}, part_start[2] = {0, 2}, parts[2] = {1, 2};
    if (size < 1) return;
    size_t n = (size - 1) / 4;
    pb_audit_row *rows = (pb_audit_row *)calloc(n ? n : 1, sizeof *rows);
    uint8_t *state = (uint8_t *)calloc(n ? n * SLOTS : 1, 1);
    int64_t *fen = (int64_t *)calloc(n ? n * SLOTS : 1, sizeof *fen);
    if (!rows || !state || !fen) abort();
    for (size_t i = 0; i < n; i++) {
        const unsigned char *g = data + 1 + 4 * i;
        pb_audit_row *r = &rows[i];
        r->line = (int64_t)(g[0] % 7) - 2 + (int64_t)i; /* lines out of order and repeated */
        r->flags = (uint32_t)g[0] << 5 | (uint32_t)(g[1] & 0x1F);
        r->side = g[1] >> 6;
        const char *name = names[g[2] % 10], *code = codes[g[2] / 10 % 9];
        r->name = r->norm = (pb_audit_text){name, strlen(name)};
        r->code = (pb_audit_text){code, strlen(code)};
        if (r->flags & PB_ROW_CLASS) memcpy(r->class_code, g[2] & 1 ? "210" : "208", 4);
        for (size_t s = 0; s < SLOTS; s++) {
            unsigned v = (g[3] >> (2 * s)) & 3;
            state[i * SLOTS + s] = v == 0 ? PB_CELL_BLANK : v == 1 ? PB_CELL_DASH : PB_CELL_VALUE;
            fen[i * SLOTS + s] = v == 2 ? (int64_t)g[2] * 100 : v == 3 ? (g[0] & 1 ? INT64_MAX : INT64_MIN) : 0;
        }
    }
    pb_audit_table t;
    memset(&t, 0, sizeof t);
    t.kind = (pb_audit_text){kinds[data[0] % 7], strlen(kinds[data[0] % 7])};
    t.n_rows = n;
    t.rows = rows;
    t.n_columns = t.n_slots = SLOTS;
    t.slots = slots;
    t.state = state;
    t.fen = fen;
    t.n_equations = 1;
    t.lhs = lhs;
    t.part_start = part_start;
    t.parts = parts;
    t.step_fen = data[0] & 0x80 ? UINT64_MAX : (uint64_t)(data[0] & 0x7F);
    pb_audit_result first, again;
    pb_audit_result_init(&first, NULL);
    pb_audit_result_init(&again, NULL);
    if (pb_audit_sums(&t, 1, &first) != PB_AUDIT_OK || pb_audit_sums(&t, 1, &again) != PB_AUDIT_OK ||
        first.n_diffs != again.n_diffs || first.n_children != again.n_children ||
        (first.n_diffs && memcmp(first.diffs, again.diffs, first.n_diffs * sizeof *first.diffs) != 0)) {
        fprintf(stderr, "audit: two runs differ\n");
        abort();
    }
    tl_alloc counts;
    pb_allocator al = tl_failing_allocator(&counts, 1 + data[0] % 7);
    pb_audit_result counted;
    pb_audit_result_init(&counted, &al);
    pb_audit_status st = pb_audit_sums(&t, 1, &counted);
    if (st != (counts.failed ? PB_AUDIT_NO_MEMORY : PB_AUDIT_OK) ||
        (st == PB_AUDIT_OK && counted.n_diffs != first.n_diffs)) {
        fprintf(stderr, "audit: status %d with a counting allocator\n", st);
        abort();
    }
    pb_audit_result_free(&counted);
    if (counts.live_blocks != 0) {
        fprintf(stderr, "audit: %ld blocks leaked\n", counts.live_blocks);
        abort();
    }
    pb_audit_result_free(&first);
    pb_audit_result_free(&again);
    /* the ways to a figure, of every kind, over the same table: a cell found must be in it */
    static const pb_audit_text way_names[] = {{"合计", 6}, {"上年结转", 12}, {"", 0}};
    pb_figure_way ways[4];
    for (size_t k = 0; k < 4; k++) {
        unsigned g = data[k % size];
        ways[k] = (pb_figure_way){(uint8_t)(1 + (g + k) % 4), (uint8_t)(g & 0x40 ? PB_SIDE_ANY : g >> 6), (uint8_t)(g & 1),
                                  t.kind, slots[g % SLOTS], g % 4, way_names};
    }
    pb_found_figure got = pb_figure_find(&t, 1, ways, 1 + data[0] % 4);
    uint8_t blocks[PB_CROSS_BLOCKS];
    pb_cross_function_codes(&t, 1, blocks); /* the table as each kind the blocks read */
    if (got.state > PB_FIGURE_PYTHON || (got.state == PB_FIGURE_CELL && got.row >= n)) {
        fprintf(stderr, "figure: state %d row %u of %zu rows\n", got.state, got.row, n);
        abort();
    }
    free(rows);
    free(state);
    free(fen);
}

static inline int tl_fuzz_one(const unsigned char *data, size_t size) {
    if (size < 3) return 0;
    unsigned flags = data[0];
    int pad_mode = data[1] & 3;
    unsigned seed = ((unsigned)data[1] >> 2) | ((unsigned)data[2] << 6);
    size_t doc_n = size - 3;
    unsigned char *buf = (unsigned char *)malloc(TL_PAD_MAX + doc_n + 1);
    if (!buf) return 0;
    size_t pad = tl_padding(pad_mode, buf);
    if (doc_n) memcpy(buf + pad, data + 3, doc_n);
    const unsigned char *doc = buf;
    size_t n = pad + doc_n;
    size_t base = pad, cut = seed % (doc_n + 1);
    unsigned char *gz = NULL;
    if (flags & 64) {
        size_t gn;
        gz = tl_gzip(doc, n, (int)(seed % 10), &gn);
        if (!gz) {
            free(buf);
            return 0;
        }
        doc = gz;
        n = gn;
        base = 0;
        cut = seed % (n + 1);
    }
    pb_options opt;
    pb_options_default(&opt);
    opt.strict = (flags & 8) != 0;
    if (flags & 16) {
        opt.max_line = 64 + seed % 200;
        opt.max_cells = 1 + seed % 9;
        opt.max_table_rows = 1 + seed % 5;
        opt.max_inflate_ratio = 2 + seed % 20;
    } else if (pad) {
        opt.max_line = 65536; /* the padding line is skipped unread: cheap, and the same in every plan */
    }
    /* reference: the whole buffer in one feed */
    tl_log ref;
    tl_log_init(&ref, 0, 0);
    tl_result a = tl_parse(&opt, doc, n, -1, 0, &ref);

    tl_alloc counts;
    memset(&counts, 0, sizeof counts);
    pb_allocator al = tl_allocator(&counts);
    pb_parser *p = pb_parser_new(&opt, &al);
    if (!p) abort();
    int rounds = (flags & 32) ? 2 : 1;
    for (int round = 0; round < rounds; round++) {
        tl_log g;
        tl_log_init(&g, 0, 0);
        if (round) pb_parser_reset(p);
        tl_result b = tl_run_plan(p, doc, n, base, flags & 7, cut, seed, &g, (flags & 128) != 0);
        if (!tl_cut_dependent(a.error) && !tl_cut_dependent(b.error)) {
            if (a.error != b.error) tl_fuzz_fail("error differs", a, b);
            if (a.error == PB_E_NONE && g.hash != ref.hash) tl_fuzz_fail("record log differs", a, b);
        }
        /* an error is sticky, and feed after finish is refused */
        if (pb_feed(p, "x", 1) != PB_ERROR) tl_fuzz_fail("feed after the end accepted", a, b);
        if (b.error != PB_E_NONE && pb_error(p) != b.error) tl_fuzz_fail("error not sticky", a, b);
    }
    pb_parser_free(p);
    if (counts.live_blocks != 0) {
        fprintf(stderr, "%ld blocks leaked\n", counts.live_blocks);
        abort();
    }
    free(gz);
    free(buf);
    tl_fuzz_facts(data + 2, size - 2); /* the same bytes as prose lines, data[2] choosing the numbering */
    tl_fuzz_names(data + 3, size - 3);  /* and as row names */
    tl_fuzz_audit(data + 2, size - 2);  /* and as a table for the sums */
    tl_fuzz_match(data + 1, size - 1);  /* and as project names to pair */
    tl_fuzz_fact_checks(data + 3, size - 3); /* and as facts written out, for their comparisons */
    return 0;
}

#endif
