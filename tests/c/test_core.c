/* The C core's test program: links the core alone (no Python), no framework.
 *
 *   test_core SEEDS_DIR [REGRESSIONS_DIR] [--quick | --full] [-jN] [-v]
 *
 * For every seed document (SEEDS_DIR/ *.txt) the whole-file record log is the
 * reference (the information pb_dump prints, kept as a hash); the seed itself
 * is fed in chunks of 1, 2, 3, 7, 64 and 4096 bytes. A seed is smaller than
 * the 64 KiB encoding probe, so the core decodes it in one piece whatever the
 * chunks; the seam tests therefore put a blank first line bigger than the
 * probe in front of it and feed the document after it:
 *   - UTF-8: every byte offset is a cut point, through 64 parses cut every 64
 *     bytes at each phase; two-chunk cuts at every 32nd offset (--full: every
 *     offset; --quick: every 127th); chunks of 1, 2, 3, 7, 64, 4096 bytes;
 *   - gzip (in-memory deflate with the gzip wrapper) of the same, in chunks, cut
 *     anywhere in its header and trailer, and as two members;
 *   - GB18030, UTF-16LE with BOM (iconv) and CRLF line ends: every offset a
 *     cut point (16 phases of 16-byte chunks) and chunk sizes;
 * each time asserting the reference log (line numbers shifted by the padding
 * line). Then: allocation failure at every allocation of the first seed's
 * parse (plain, gzip, padded UTF-8, padded GB18030) with a counting allocator
 * (NOMEM, no live block after free, reset parses again), hostile inputs, reset
 * and reuse, two concatenated documents, small limits, and every fuzz
 * regression input (REGRESSIONS_DIR) replayed through the fuzz driver. The
 * narrative facts reader (pb_facts.c) is tested on prose lines of a seed (its
 * figures, lists, changes, shares and reasons), its limits, hostile bytes and
 * an allocation failure at every allocation. The row-name functions
 * (pb_names.c) are checked against what the Python they replaced gives, and
 * on every prefix of their cases and random pieces with invalid bytes.
 * The last line printed is "N passed, N failed"; the exit status is non-zero
 * on any failure. -jN sets the worker processes (default one per CPU, <= 8);
 * -v prints each seed's whole-file log. */
#include "pb_testlib.h"
#include "../../csrc/pb_scan.h"
#include "../../csrc/pb_internal.h"
#include "../../csrc/pb_facts.h"
#include "../../csrc/pb_names.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int quick, full, verbose;


/* ---- vector scans (csrc/pb_scan.h) against byte-by-byte references ---------------- */

/* Pieces random inputs are made of: text the scans take, characters they must
 * stop at, and (from invalid_from on) bytes that are not valid UTF-8. */
static const char *const scan_pieces[] = {
    "a", "7", ".", "\t", "\n", "\r", "中", "预", "算", "，", "（", "　", "é", "\xC2\xA0", "—", " ",
    "*", "<", "_", "|", "&", "\f", "\x01", "\x7F", "\xE0\xA0\x80", "\xED\x95\x9C", "\xF0\xA0\x80\x80",
    "\x80", "\xC0\xAF", "\xE4\xB8", "\xFF", "\xC3", NULL};
enum { scan_invalid_from = 27 };

static uint64_t scan_rng(uint64_t *s) {
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

static size_t scan_input(uint64_t *seed, unsigned char *out, size_t cap, int valid_only) {
    size_t n = 0, pieces = scan_rng(seed) % 60, kinds = valid_only ? scan_invalid_from : 32;
    /* a few pieces dominate each input, so long clean stretches are common */
    size_t bias = scan_rng(seed) % 7;
    for (size_t k = 0; k < pieces; k++) {
        uint64_t r = scan_rng(seed);
        const char *piece = scan_pieces[r % 4 ? bias : (r >> 8) % kinds];
        size_t len = strlen(piece);
        if (n + len > cap) break;
        memcpy(out + n, piece, len);
        n += len;
    }
    return n;
}

/* Length of the valid UTF-8 character at s (the decoder's rules), 0 if invalid or cut. */
static size_t ref_utf8_char(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
    if (!len || len > n) return 0;
    unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80, hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (size_t i = 1; i < len; i++)
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF)) return 0;
    return len;
}

static int ref_kept(unsigned c) {
    return !(c <= 0x20 || c == '*' || c == '<' || c == '_' || c == '|' || c == '&' || c == 0x7F || c == 0xC2 || c == 0xE2 ||
             c == 0xE3 || c == 0xEF);
}

static void test_scans(void) {
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    unsigned char buf[400];
    size_t bad_utf8 = 0, short_utf8 = 0, bad_kept = 0, bad_wide = 0, long_runs = 0;
    for (int t = 0; t < 40000; t++) {
        size_t n = scan_input(&seed, buf, sizeof buf, 0);
        /* utf8: what it takes is valid and free of controls but tab and line ends, whole characters */
        size_t k = pb_scan_utf8(buf, n), i = 0, clean = 1;
        while (i < k) {
            size_t len = ref_utf8_char(buf + i, k - i);
            if (!len || (buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r') || buf[i] == 0x7F) break;
            i += len;
        }
        bad_utf8 += i != k || k > n;
        /* ... and it takes all but the last 18 bytes of text made only of what it accepts */
        for (size_t j = 0; j < n;) {
            size_t len = ref_utf8_char(buf + j, n - j);
            if (!len || buf[j] == 0xE0 || buf[j] == 0xED || buf[j] >= 0xF0 || buf[j] == 0x7F ||
                (buf[j] < 0x20 && buf[j] != '\t' && buf[j] != '\n' && buf[j] != '\r')) {
                clean = 0;
                break;
            }
            j += len;
        }
        if (clean && n >= 16) {
            short_utf8 += k + 18 < n;
            long_runs += k >= 16;
        }
        /* kept: every byte it takes is kept; it stops at the first that is not, or in the last 16 bytes */
        k = pb_scan_kept(buf, n);
        for (i = 0; i < k && ref_kept(buf[i]); i++) {}
        bad_kept += i != k || (k + 16 <= n && ref_kept(buf[k]));
        /* wide: on valid text, the run of plain ASCII and U+4000–U+9FFF ideographs and its width */
        n = scan_input(&seed, buf, sizeof buf, 1);
        int32_t width, chars, w = 0, c = 0;
        k = pb_scan_wide(buf, n, &width, &chars);
        for (i = 0; i < k;) {
            if (buf[i] < 0x80 && ref_kept(buf[i])) i++, w++, c++;
            else if (buf[i] >= 0xE4 && buf[i] <= 0xE9 && i + 3 <= k) i += 3, w += 2, c++;
            else break;
        }
        bad_wide += i != k || w != width || c != chars;
        /* it stops before the last 18 bytes only at a byte outside the run */
        if (k + 18 <= n) bad_wide += (buf[k] < 0x80 && ref_kept(buf[k])) || (buf[k] >= 0xE4 && buf[k] <= 0xE9);
    }
    CHECK(bad_utf8 == 0, "pb_scan_utf8 took %zu prefixes that are not clean UTF-8", bad_utf8);
    CHECK(short_utf8 == 0, "pb_scan_utf8 stopped early in %zu clean inputs", short_utf8);
    CHECK(long_runs > 1000, "only %zu clean inputs were scanned past one block", long_runs);
    CHECK(bad_kept == 0, "pb_scan_kept: %zu wrong runs", bad_kept);
    CHECK(bad_wide == 0, "pb_scan_wide: %zu wrong runs or widths", bad_wide);
}

/* ---- files and buffers ------------------------------------------------------ */

typedef struct bytes {
    unsigned char *data;
    size_t len, cap;
} bytes;

static void b_put(bytes *b, const void *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
        b->data = d;
        b->cap = cap;
    }
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static void b_fill(bytes *b, int c, size_t n) {
    char block[4096];
    memset(block, c, sizeof block);
    while (n) {
        size_t k = n < sizeof block ? n : sizeof block;
        b_put(b, block, k);
        n -= k;
    }
}

static int read_file(const char *path, bytes *out) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) b_put(out, buf, n);
    fclose(f);
    if (!out->data) b_put(out, "", 0);
    return 0;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted paths of the files in dir whose name ends with suffix ("" = all). */
static char **list_dir(const char *dir, const char *suffix, size_t *count) {
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), sn = strlen(suffix);
        if (e->d_name[0] == '.' || n < sn || strcmp(e->d_name + n - sn, suffix) != 0) continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
        }
        size_t pn = strlen(dir) + n + 2;
        names[*count] = malloc(pn);
        snprintf(names[*count], pn, "%s/%s", dir, e->d_name);
        (*count)++;
    }
    closedir(d);
    if (*count) qsort(names, *count, sizeof *names, cmp_names);
    return names;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Converts UTF-8 to another encoding with iconv. */
static int convert(const bytes *in, const char *to, bytes *out) {
    memset(out, 0, sizeof *out);
    iconv_t cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1) return -1;
    char *ip = (char *)in->data;
    size_t left = in->len;
    char buf[16384];
    while (left > 0) {
        char *op = buf;
        size_t oleft = sizeof buf;
        size_t r = iconv(cd, &ip, &left, &op, &oleft);
        b_put(out, buf, (size_t)(op - buf));
        if (r == (size_t)-1 && errno != E2BIG) {
            iconv_close(cd);
            return -1;
        }
    }
    iconv_close(cd);
    return 0;
}

/* The whole-buffer log of data with default options. */
static tl_result whole(const bytes *b, tl_log *g, int keep_text, unsigned skip) {
    tl_log_init(g, keep_text, skip);
    return tl_parse(NULL, b->data, b->len, -1, 0, g);
}

static uint64_t chunked_hash(const pb_options *opt, const bytes *b, long split, size_t chunk,
                             unsigned skip, tl_result *res) {
    tl_log g;
    tl_log_init(&g, 0, skip);
    *res = tl_parse(opt, b->data, b->len, split, chunk, &g);
    return g.hash;
}

static const size_t chunk_sizes[] = {1, 2, 3, 7, 64, 4096};
#define NCHUNK (sizeof chunk_sizes / sizeof chunk_sizes[0])

/* ---- GB18030: the decoder's table and its hand-over to iconv ------------------------ */

#include "../../csrc/pb_gb18030.h"

/* bytes converted by iconv alone, an invalid or cut sequence becoming U+FFFD
 * one byte at a time: what the parser must give for GB18030 input. */
static void gb18030_by_iconv(const bytes *in, bytes *out) {
    memset(out, 0, sizeof *out);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return;
    char *ip = (char *)in->data;
    size_t left = in->len;
    while (left > 0) {
        char buf[16384], *op = buf;
        size_t oleft = sizeof buf;
        size_t r = iconv(cd, &ip, &left, &op, &oleft);
        b_put(out, buf, (size_t)(op - buf));
        if (r == (size_t)-1 && errno != E2BIG) {
            b_put(out, "\xEF\xBF\xBD", 3);
            ip++, left--;
        }
    }
    iconv_close(cd);
}

/* Every two-byte code of the table is what iconv makes of it (0: iconv's own, outside
 * the BMP); a text of every two-byte code, four-byte codes and invalid and cut
 * sequences, read whole and in chunks (past the 64 KiB probe too), gives the records
 * of the same text converted by iconv alone. */
static void test_gb18030(void) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    CHECK(cd != (iconv_t)-1, "iconv has no GB18030");
    if (cd == (iconv_t)-1) return;
    size_t wrong = 0, outside = 0, k = 0;
    for (unsigned lead = 0x81; lead <= 0xFE; lead++)
        for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
            if (trail == 0x7F) continue;
            char in[2] = {(char)lead, (char)trail}, out[8], *ip = in, *op = out;
            size_t left = 2, oleft = sizeof out;
            size_t r = iconv(cd, &ip, &left, &op, &oleft);
            const unsigned char *u = (const unsigned char *)out;
            uint32_t cp = 0;
            size_t len = (size_t)(op - out);
            if (len == 2) cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
            else if (len == 3) cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
            else if (len == 4) outside++;
            if (r == (size_t)-1 || pb_gb18030_2byte[k] != cp) wrong++;
            k++;
        }
    iconv_close(cd);
    CHECK(k == sizeof pb_gb18030_2byte / sizeof pb_gb18030_2byte[0] && wrong == 0 && outside > 0,
          "GB18030 table: %zu codes, %zu differ from iconv, %zu outside the BMP", k, wrong, outside);

    static const unsigned char odd[][8] = {
        {4, 0x81, 0x30, 0x81, 0x30},  /* U+0080, four bytes */
        {4, 0x84, 0x31, 0xA4, 0x39},  /* U+FFFF */
        {4, 0x90, 0x30, 0x81, 0x30},  /* U+10000 */
        {4, 0xE3, 0x32, 0x9A, 0x35},  /* U+10FFFF */
        {2, 0xFE, 0x51},              /* a two-byte code outside the BMP */
        {1, 0x80}, {1, 0xFF},         /* never valid */
        {2, 0x81, 0x7F}, {2, 0xB0, 0x20}, {2, 0xC4, 0xFF}, /* a lead, then no trail */
        {3, 0x81, 0x30, 0x20},        /* four-byte start, then a blank */
        {4, 0x81, 0x30, 0x81, 0x41},  /* four-byte start, then a two-byte code */
        {7, 0x81, 0x30, 0xFF, 0x81, 0x30, 0x81, 0x30}, /* a four-byte code after an invalid start */
        {2, 0x81, 0x30},              /* cut by the line end */
        {1, 0xB0},                    /* a lead cut by the line end */
    };
    bytes doc = {0, 0, 0}, title_utf8 = {0, 0, 0}, title;
    b_put(&title_utf8, "某县财政局2025年部门预算公开\n", strlen("某县财政局2025年部门预算公开\n"));
    CHECK(convert(&title_utf8, "GB18030", &title) == 0, "cannot write the title in GB18030");
    b_put(&doc, title.data, title.len);
    free(title.data);
    free(title_utf8.data);
    for (int copy = 0; copy < 2; copy++) { /* the second copy lies past the probe: streamed */
        for (unsigned lead = 0x81; lead <= 0xFE; lead++) {
            for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
                unsigned char c[2] = {(unsigned char)lead, (unsigned char)trail};
                if (trail != 0x7F) b_put(&doc, c, 2);
            }
            b_put(&doc, "\n", 1);
            const unsigned char *o = odd[lead % (sizeof odd / sizeof odd[0])];
            b_put(&doc, o + 1, o[0]);
            b_put(&doc, "\n", 1);
        }
    }
    bytes want;
    gb18030_by_iconv(&doc, &want);
    tl_log ref;
    unsigned no_warnings = 1u << PB_R_WARNING; /* iconv alone warns of nothing */
    tl_log_init(&ref, 0, no_warnings);
    tl_result r = tl_parse(NULL, want.data, want.len, -1, 0, &ref);
    CHECK(r.error == PB_E_NONE && ref.kinds[PB_R_TEXT] > 0, "GB18030 by iconv: %s", r.message);
    for (size_t i = 0; i < NCHUNK + 1; i++) {
        size_t chunk = i < NCHUNK ? chunk_sizes[i] : 0;
        tl_log g;
        tl_log_init(&g, 0, no_warnings);
        r = tl_parse(NULL, doc.data, doc.len, -1, chunk, &g);
        CHECK(r.error == PB_E_NONE && strcmp(r.encoding, "gb18030") == 0 && g.hash == ref.hash,
              "GB18030 in chunks of %zu: encoding %s, %zu records of %zu, %s", chunk, r.encoding, g.records,
              ref.records, r.message);
    }
    tl_log warned;
    tl_log_init(&warned, 1, 0);
    tl_parse(NULL, doc.data, doc.len, -1, 0, &warned);
    CHECK(warned.text && strstr(warned.text, "INVALID_BYTES") && strstr(warned.text, "ENCODING_GUESS"),
          "GB18030 with invalid bytes: no warning");
    tl_log_free(&warned);
    free(doc.data);
    free(want.data);
}

/* ---- parallel checks ---------------------------------------------------------------- */

/* One way of feeding a padded document: the padding in one piece, then the
 * document cut at `cut` (if >= 0) and then every `chunk` bytes. */
typedef struct feed_case {
    const bytes *in;
    size_t pad;
    uint64_t want;
    unsigned skip;
    uint32_t shift;
} feed_case;

static int run_case(const feed_case *fc, size_t cut, size_t chunk) {
    tl_log g;
    tl_log_init(&g, 0, fc->skip);
    g.line_shift = fc->shift;
    pb_parser *p = pb_parser_new(NULL, NULL);
    tl_result r;
    if (fc->pad && pb_feed(p, fc->in->data, fc->pad) != PB_OK) {
        pb_parser_free(p);
        return 0;
    }
    r = tl_run(p, fc->in->data + fc->pad, fc->in->len - fc->pad, (long)cut, chunk, &g, 0);
    pb_parser_free(p);
    return r.error == PB_E_NONE && g.hash == fc->want;
}

static int workers = 0; /* 0: one per CPU, at most 8 */

/* Runs run_case(fc, cut = first + i * step, chunk) for i in [0, count), in
 * `workers` processes; returns how many differ and the first such cut. */
static size_t par_cuts(const feed_case *fc, size_t first, size_t step, size_t count, size_t chunk,
                       size_t *first_bad) {
    size_t bad = 0, min_bad = (size_t)-1;
    int fds[64][2];
    pid_t pids[64];
    int nw = workers < 64 ? workers : 64;
    if (count < 64) nw = 1;
    for (int w = 0; w < nw; w++) {
        if (nw == 1) break;
        if (pipe(fds[w]) < 0) {
            nw = 1;
            break;
        }
        pids[w] = fork();
        if (pids[w] == 0) {
            size_t res[2] = {0, (size_t)-1};
            for (size_t i = (size_t)w; i < count; i += (size_t)nw) {
                size_t cut = first + i * step;
                if (!run_case(fc, cut, chunk)) {
                    res[0]++;
                    if (cut < res[1]) res[1] = cut;
                }
            }
            ssize_t wr = write(fds[w][1], res, sizeof res);
            _exit(wr == (ssize_t)sizeof res ? 0 : 1);
        }
        close(fds[w][1]);
    }
    if (nw == 1) {
        for (size_t i = 0; i < count; i++) {
            size_t cut = first + i * step;
            if (!run_case(fc, cut, chunk)) {
                if (!bad++) min_bad = cut;
            }
        }
    } else {
        for (int w = 0; w < nw; w++) {
            size_t res[2] = {1, 0};
            ssize_t rd = read(fds[w][0], res, sizeof res);
            int status = 0;
            waitpid(pids[w], &status, 0);
            close(fds[w][0]);
            if (rd != (ssize_t)sizeof res || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                printf("  worker %d died (status %d)\n", w, status);
                res[0] = 1, res[1] = 0;
            }
            bad += res[0];
            if (res[0] && res[1] < min_bad) min_bad = res[1];
        }
    }
    *first_bad = min_bad;
    return bad;
}

/* Prints the first line where the log of a run differs from the reference. */
static void show_diff(const feed_case *fc, const tl_log *ref, size_t cut, size_t chunk) {
    tl_log g;
    tl_log_init(&g, 1, fc->skip);
    g.line_shift = fc->shift;
    pb_parser *p = pb_parser_new(NULL, NULL);
    if (fc->pad) pb_feed(p, fc->in->data, fc->pad);
    tl_result r = tl_run(p, fc->in->data + fc->pad, fc->in->len - fc->pad, (long)cut, chunk, &g, 0);
    pb_parser_free(p);
    const char *x = ref->text ? ref->text : "", *y = g.text ? g.text : "";
    const char *x0 = x;
    size_t line = 1;
    while (*x && *x == *y) {
        if (*x == '\n') line++;
        x++, y++;
    }
    while (x > x0 && x[-1] != '\n') x--, y--;
    printf("  cut %zu, chunk %zu (%s): first difference at log line %zu:\n  want: %.200s\n  got:  %.200s\n", cut,
           chunk, pb_error_name(r.error), line, x, y);
    tl_log_free(&g);
}

/* Every offset of the document is a cut point: `stride` parses with cuts at
 * k, k + stride, k + 2 stride, ... (k < stride); then true two-chunk cuts at
 * every `step`-th offset (step 1 = every offset); then chunk sizes. */
static void check_feeds(const char *name, const char *what, const feed_case *fc, const tl_log *ref,
                        size_t stride, size_t step, const size_t *chunks, size_t nchunks) {
    size_t doc = fc->in->len - fc->pad, first_bad;
    size_t bad = par_cuts(fc, 0, 1, stride < doc ? stride : doc, stride, &first_bad);
    CHECK(bad == 0, "%s: %s: %zu of %zu stride-%zu cut patterns change the log (first at %zu)", name, what, bad,
          stride, stride, first_bad);
    if (bad) show_diff(fc, ref, first_bad, stride);
    if (step) {
        size_t phase = fc->in->len % step, count = (doc + 1 - phase + step - 1) / step;
        bad = par_cuts(fc, phase, step, count, 0, &first_bad);
        CHECK(bad == 0, "%s: %s: %zu of %zu cut offsets change the log (first at %zu)", name, what, bad, count,
              first_bad);
        if (bad) show_diff(fc, ref, first_bad, 0);
    }
    for (size_t i = 0; i < nchunks; i++) {
        int ok = run_case(fc, 0, chunks[i]);
        CHECK(ok, "%s: %s in chunks of %zu changes the log", name, what, chunks[i]);
        if (!ok) show_diff(fc, ref, 0, chunks[i]);
    }
}

/* ---- per-seed tests -------------------------------------------------------------- */

/* A blank first line of 33000 ideographic spaces: bigger than the 64 KiB
 * encoding probe in UTF-8, GB18030 and UTF-16, so that the document after it
 * streams through the decoder and the line splitter, seams and all. (A seed
 * alone is smaller than the probe and would be decoded in one piece.) */
static void pad_utf8(const bytes *seed, bytes *out) {
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 33000; i++) b_put(out, "\xe3\x80\x80", 3);
    b_put(out, "\n", 1);
    b_put(out, seed->data, seed->len);
}

static size_t pad_len_of(const bytes *b, size_t unit) {
    size_t i = 0;
    while (i + unit <= b->len && !(b->data[i] == '\n' && (unit == 1 || b->data[i + 1] == 0))) i += unit;
    return i + unit;
}

/* The seed with its tab-separated lines as a spreadsheet saves them as CSV:
 * fields joined by commas, a field with a comma or quote mark quoted (quote
 * marks doubled), each row padded with two empty fields, and every 科目名称
 * cell wrapped over two lines inside its quotes. */
static void csv_of(const bytes *tab, bytes *out) {
    memset(out, 0, sizeof *out);
    const char *s = (const char *)tab->data, *end = s + tab->len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *line_end = nl ? nl : end;
        if (!memchr(s, '\t', (size_t)(line_end - s))) {
            b_put(out, s, (size_t)(line_end - s));
        } else {
            for (const char *cell = s; cell <= line_end;) {
                const char *tab_at = memchr(cell, '\t', (size_t)(line_end - cell));
                const char *cell_end = tab_at ? tab_at : line_end;
                size_t n = (size_t)(cell_end - cell);
                if (n == 12 && memcmp(cell, "科目名称", 12) == 0) {
                    b_put(out, "\"科目\n名称\"", 15);
                } else if (memchr(cell, ',', n) || memchr(cell, '"', n)) {
                    b_put(out, "\"", 1);
                    for (const char *c = cell; c < cell_end; c++) b_put(out, *c == '"' ? "\"\"" : c, *c == '"' ? 2 : 1);
                    b_put(out, "\"", 1);
                } else {
                    b_put(out, cell, n);
                }
                b_put(out, ",", 1);
                cell = cell_end + 1;
            }
            b_put(out, ",", 1);
        }
        if (nl) b_put(out, "\n", 1);
        s = line_end + 1;
    }
}

static void test_seed_feeds(const char *name, const bytes *raw, const tl_log *ref) {
    size_t stride = 64, step = full ? 1 : quick ? 127 : 32;
    feed_case fc;
    tl_result r;
    /* the seed itself (decided whole by the probe) at every chunk size */
    fc.in = raw, fc.pad = 0, fc.want = ref->hash, fc.skip = 0, fc.shift = 0;
    for (size_t i = 0; i < NCHUNK; i++) {
        int ok = run_case(&fc, 0, chunk_sizes[i]);
        CHECK(ok, "%s: chunks of %zu change the log", name, chunk_sizes[i]);
        if (!ok) show_diff(&fc, ref, 0, chunk_sizes[i]);
    }
    /* padded UTF-8: every offset */
    bytes utf8;
    pad_utf8(raw, &utf8);
    fc.in = &utf8, fc.pad = pad_len_of(&utf8, 1), fc.shift = 1;
    {
        tl_log g;
        tl_log_init(&g, 0, 0);
        g.line_shift = 1;
        r = tl_parse(NULL, utf8.data, utf8.len, -1, 0, &g);
        CHECK(r.error == PB_E_NONE && g.hash == ref->hash, "%s: padded UTF-8, whole: %s", name, r.message);
    }
    check_feeds(name, "UTF-8", &fc, ref, stride, step, chunk_sizes, NCHUNK);
    /* gzip of the padded document */
    size_t gn;
    unsigned char *gz = tl_gzip(utf8.data, utf8.len, 6, &gn);
    bytes g = {gz, gn, gn};
    fc.in = &g, fc.pad = 0;
    static const size_t gz_chunks[] = {1, 3, 10, 512, 4096, 65536};
    check_feeds(name, "gzip", &fc, ref, 16, 0, gz_chunks, sizeof gz_chunks / sizeof gz_chunks[0]);
    {
        /* every cut within the first and last 64 bytes (header, trailer) */
        size_t bad = 0;
        for (size_t k = 0; k <= gn; k++) {
            if (k == 64 && gn > 128) k = gn - 64;
            bad += !run_case(&fc, k, 0);
        }
        CHECK(bad == 0, "%s: %zu gzip cuts near the header or trailer change the log", name, bad);
        tl_log lg;
        tl_log_init(&lg, 0, 0);
        lg.line_shift = 1;
        r = tl_parse(NULL, gz, gn, -1, 0, &lg);
        CHECK(r.gzip && r.error == PB_E_NONE && lg.hash == ref->hash, "%s: gzip whole: %s", name, r.message);
    }
    {
        /* two members: one stream */
        size_t half = utf8.len / 2, n1 = 0, n2 = 0;
        unsigned char *m1 = tl_gzip(utf8.data, half, 1, &n1), *m2 = tl_gzip(utf8.data + half, utf8.len - half, 9, &n2);
        bytes two = {0, 0, 0};
        b_put(&two, m1, n1);
        b_put(&two, m2, n2);
        fc.in = &two;
        for (size_t i = 0; i < NCHUNK; i += 2)
            CHECK(run_case(&fc, 0, chunk_sizes[i]), "%s: two gzip members in chunks of %zu", name, chunk_sizes[i]);
        free(m1);
        free(m2);
        free(two.data);
    }
    free(gz);
    /* GB18030 */
    bytes gb;
    CHECK(convert(&utf8, "GB18030", &gb) == 0, "%s: iconv to GB18030 failed", name);
    if (gb.data) {
        fc.in = &gb, fc.pad = pad_len_of(&gb, 1);
        tl_log lg;
        tl_log_init(&lg, 0, 0);
        lg.line_shift = 1;
        r = tl_parse(NULL, gb.data, gb.len, -1, 0, &lg);
        CHECK(r.error == PB_E_NONE && lg.hash == ref->hash && strcmp(r.encoding, "gb18030") == 0,
              "%s: GB18030 whole: encoding %s, %s", name, r.encoding, r.message);
        static const size_t gb_chunks[] = {1, 3, 7, 4096};
        check_feeds(name, "GB18030", &fc, ref, 16, 0, gb_chunks, 4);
        /* gzip on top */
        unsigned char *z = tl_gzip(gb.data, gb.len, 6, &gn);
        bytes zb = {z, gn, gn};
        fc.in = &zb, fc.pad = 0;
        CHECK(run_case(&fc, 0, 7), "%s: gzip of GB18030 in chunks of 7", name);
        free(z);
        free(gb.data);
    }
    /* UTF-16LE with BOM */
    bytes raw16, u16 = {0, 0, 0};
    CHECK(convert(&utf8, "UTF-16LE", &raw16) == 0, "%s: iconv to UTF-16LE failed", name);
    if (raw16.data) {
        b_put(&u16, "\xFF\xFE", 2);
        b_put(&u16, raw16.data, raw16.len);
        free(raw16.data);
        fc.in = &u16, fc.pad = 2 + pad_len_of(&(bytes){u16.data + 2, u16.len - 2, 0}, 2);
        tl_log lg;
        tl_log_init(&lg, 0, 0);
        lg.line_shift = 1;
        r = tl_parse(NULL, u16.data, u16.len, -1, 0, &lg);
        CHECK(r.error == PB_E_NONE && lg.hash == ref->hash && strcmp(r.encoding, "utf-16le") == 0,
              "%s: UTF-16LE whole: encoding %s, %s", name, r.encoding, r.message);
        static const size_t u16_chunks[] = {1, 2, 3, 7, 4096};
        check_feeds(name, "UTF-16LE", &fc, ref, 16, 0, u16_chunks, 5);
        free(u16.data);
    }
    /* CRLF line ends */
    bytes crlf = {0, 0, 0};
    for (size_t i = 0; i < utf8.len; i++) {
        if (utf8.data[i] == '\n' && (i == 0 || utf8.data[i - 1] != '\r')) b_put(&crlf, "\r", 1);
        b_put(&crlf, &utf8.data[i], 1);
    }
    fc.in = &crlf, fc.pad = pad_len_of(&crlf, 1);
    check_feeds(name, "CRLF", &fc, ref, 16, 0, chunk_sizes, NCHUNK);
    {
        /* one parse cut between every CR and its LF */
        tl_log lg;
        tl_log_init(&lg, 0, 0);
        lg.line_shift = 1;
        pb_parser *p = pb_parser_new(NULL, NULL);
        size_t from = 0;
        pb_status st = PB_OK;
        for (size_t k = 1; k < crlf.len && st == PB_OK; k++) {
            if (crlf.data[k - 1] != '\r' || crlf.data[k] != '\n') continue;
            st = pb_feed(p, crlf.data + from, k - from);
            from = k;
            pb_records rr = pb_get_records(p);
            tl_log_records(&lg, &rr);
            pb_records_clear(p);
        }
        r = tl_run(p, crlf.data + from, crlf.len - from, -1, 0, &lg, 0);
        pb_parser_free(p);
        CHECK(r.error == PB_E_NONE && lg.hash == ref->hash, "%s: CRLF cut between every CR and LF: %s", name,
              r.message);
    }
    free(crlf.data);
    free(utf8.data);
}

/* ---- allocation failures -------------------------------------------------------- */

/* Fails allocation i of a full parse of `in`, for every i: the parse must end
 * with PB_E_NOMEM (or, if nothing needed that allocation, give the reference
 * log), free every block, and parse the whole document again after a reset. */
static void test_alloc_failures(const char *what, const bytes *in, uint64_t want, uint32_t shift) {
    /* count the allocations of a full parse */
    tl_alloc a;
    memset(&a, 0, sizeof a);
    pb_allocator al = tl_allocator(&a);
    pb_parser *p = pb_parser_new(NULL, &al);
    tl_log g;
    tl_log_init(&g, 0, 0);
    g.line_shift = shift;
    tl_result r = tl_run(p, in->data, in->len, -1, 4096, &g, 0);
    pb_parser_free(p);
    size_t total = a.calls;
    CHECK(r.error == PB_E_NONE && g.hash == want && a.live_blocks == 0,
          "%s: counting allocator run: %s, %ld blocks live", what, r.message, a.live_blocks);
    size_t bad_status = 0, leaks = 0, bad_reuse = 0, null_ok = 0;
    for (size_t i = 1; i <= total; i++) {
        memset(&a, 0, sizeof a);
        a.fail_at = i;
        p = pb_parser_new(NULL, &al);
        if (!p) {
            if (i != 1) bad_status++;
            null_ok++;
            if (a.live_blocks) leaks++;
            continue;
        }
        tl_log_init(&g, 0, 0);
        g.line_shift = shift;
        r = tl_run(p, in->data, in->len, -1, 4096, &g, 0);
        if (a.failed ? !(r.status == PB_ERROR && r.error == PB_E_NOMEM)
                     : !(r.status == PB_OK && g.hash == want)) {
            if (!bad_status++)
                printf("  %s: allocation %zu of %zu: status %d, %s\n", what, i, total, r.status, r.message);
        }
        /* the same parser, reset, parses the whole document again */
        pb_parser_reset(p);
        tl_log_init(&g, 0, 0);
        g.line_shift = shift;
        r = tl_run(p, in->data, in->len, -1, 4096, &g, 0);
        if (r.error != PB_E_NONE || g.hash != want) {
            if (!bad_reuse++) printf("  %s: allocation %zu: after reset: %s\n", what, i, r.message);
        }
        pb_parser_free(p);
        if (a.live_blocks != 0) {
            if (!leaks++) printf("  %s: allocation %zu: %ld blocks leaked\n", what, i, a.live_blocks);
        }
    }
    CHECK(total > 10, "%s: only %zu allocations", what, total);
    CHECK(bad_status == 0, "%s: %zu of %zu failed allocations not reported as NOMEM", what, bad_status, total);
    CHECK(leaks == 0, "%s: %zu of %zu failed allocations leak", what, leaks, total);
    CHECK(bad_reuse == 0, "%s: %zu resets after NOMEM do not parse again", what, bad_reuse);
    CHECK(null_ok == 1, "%s: pb_parser_new returned NULL %zu times", what, null_ok);
    printf("  alloc failures, %s: %zu allocations, each failed once\n", what, total);
}

/* ---- hostile inputs ------------------------------------------------------------- */

static tl_result parse_opt(const pb_options *opt, const void *data, size_t n, size_t chunk, tl_log *g) {
    return tl_parse(opt, (const unsigned char *)data, n, -1, chunk, g);
}

static size_t count_warnings(const bytes *b, const pb_options *opt, size_t chunk, const char *code,
                             tl_result *res) {
    pb_parser *p = pb_parser_new(opt, NULL);
    size_t pos = 0, hits = 0, clen = strlen(code);
    pb_status st = PB_OK;
    for (;;) {
        size_t take = chunk && chunk < b->len - pos ? chunk : b->len - pos;
        if (pos < b->len) st = pb_feed(p, b->data + pos, take);
        pos += take;
        if (pos >= b->len && st == PB_OK) st = pb_finish(p);
        pb_records r = pb_get_records(p);
        for (size_t i = 0; i < r.count; i++)
            if (r.records[i].kind == PB_R_WARNING && r.records[i].f[0].len == clen &&
                memcmp(r.text + r.records[i].f[0].off, code, clen) == 0)
                hits++;
        pb_records_clear(p);
        if (st != PB_OK || pos >= b->len) break;
    }
    memset(res, 0, sizeof *res);
    res->status = st;
    res->error = pb_error(p);
    pb_parser_free(p);
    return hits;
}

/* Offset just after the first newline at or after `at`. */
static size_t line_after(const bytes *b, size_t at) {
    while (at < b->len && b->data[at] != '\n') at++;
    return at < b->len ? at + 1 : b->len;
}

/* Offset of the first line at or after `at` that is prose (a long line with
 * no tab), where a stray byte changes no table. */
static size_t prose_line(const bytes *b, size_t at) {
    for (size_t s = line_after(b, at); s < b->len; s = line_after(b, s)) {
        size_t e = s;
        int tab = 0;
        while (e < b->len && b->data[e] != '\n') tab |= b->data[e++] == '\t';
        if (!tab && e - s > 60 && b->data[s] != ' ' && b->data[s] != '|') return s;
    }
    return 0;
}

/* Peak memory allowed for a bomb or a 5 MB line with max_line 1 MiB: a few
 * line buffers of max_line (raw line, normalised text, squeezed text, and the
 * line salvaged after a gzip error), far below the 10 MB the input expands to. */
#define MEM_BOUND (8u << 20)

static void test_hostile(const bytes *seed, const tl_log *ref, const bytes *seed2) {
    tl_log g;
    tl_result r;
    pb_options opt;
    pb_options_default(&opt);

    /* empty input */
    tl_log_init(&g, 0, 0);
    r = parse_opt(NULL, "", 0, 0, &g);
    CHECK(r.error == PB_E_NOT_DISCLOSURE && g.records == 0, "empty input: %s", r.message);
    /* only whitespace, in any cut */
    static const char ws[] = "  \t \n\r\n\n   \r  \xe3\x80\x80\n\f\n";
    for (size_t c = 0; c < 3; c++) {
        tl_log_init(&g, 0, 0);
        r = parse_opt(NULL, ws, sizeof ws - 1, c, &g);
        CHECK(r.error == PB_E_NOT_DISCLOSURE && g.records == 0, "whitespace (chunk %zu): %s", c, r.message);
    }
    /* NUL bytes inside a seed: one warning, everything else as before */
    {
        bytes b = {0, 0, 0};
        size_t at = prose_line(seed, seed->len / 3);
        size_t mid = at + 7;
        while (mid < seed->len && (seed->data[mid] & 0xC0) == 0x80) mid++;
        b_put(&b, seed->data, mid);
        b_put(&b, "\0\0", 2);
        b_put(&b, seed->data + mid, 6);
        b_put(&b, "\0", 1);
        b_put(&b, seed->data + mid + 6, seed->len - mid - 6);
        unsigned nowarn = 1u << PB_R_WARNING;
        tl_log want;
        whole(seed, &want, 0, nowarn);
        tl_log_init(&g, 0, nowarn);
        r = parse_opt(NULL, b.data, b.len, 0, &g);
        CHECK(at > 0 && r.error == PB_E_NONE && g.hash == want.hash, "NUL bytes: %s", r.message);
        for (size_t c = 0; c < 3; c++) {
            size_t chunk = c == 0 ? 0 : c == 1 ? 1 : 5;
            size_t w = count_warnings(&b, NULL, chunk, "NUL_BYTES", &r);
            CHECK(w == 1 && r.error == PB_E_NONE, "NUL bytes (chunk %zu): %zu warnings, %s", chunk, w,
                  pb_error_name(r.error));
        }
        tl_log_init(&g, 0, 0);
        uint64_t h0 = (parse_opt(NULL, b.data, b.len, 0, &g), g.hash);
        tl_log_init(&g, 0, 0);
        r = parse_opt(NULL, b.data, b.len, 1, &g);
        CHECK(g.hash == h0, "NUL bytes: the log depends on the chunk size");
        free(b.data);
    }
    /* invalid UTF-8 bytes: a warning, the rest parsed */
    {
        bytes b = {0, 0, 0};
        size_t at = prose_line(seed, seed->len / 2);
        static const char bad[] = "\xff\xc3\x28\x80\xe4\xb8\xed\xa0\x80\xf8";
        b_put(&b, seed->data, at + 3);
        b_put(&b, bad, sizeof bad - 1);
        b_put(&b, seed->data + at + 3, seed->len - at - 3);
        tl_log_init(&g, 0, 0);
        r = parse_opt(NULL, b.data, b.len, 0, &g);
        CHECK(at > 0 && r.error == PB_E_NONE && g.kinds[PB_R_TABLE] == ref->kinds[PB_R_TABLE] &&
                  strcmp(r.encoding, "utf-8") == 0,
              "invalid UTF-8: %s, %zu tables, encoding %s", r.message, g.kinds[PB_R_TABLE], r.encoding);
        uint64_t h0 = g.hash;
        for (size_t c = 0; c < 3; c++) {
            size_t chunk = c == 0 ? 0 : c == 1 ? 1 : 3;
            size_t w = count_warnings(&b, NULL, chunk, "INVALID_BYTES", &r);
            CHECK(w == 1 && r.error == PB_E_NONE, "invalid UTF-8 (chunk %zu): %zu warnings", chunk, w);
            tl_log_init(&g, 0, 0);
            parse_opt(NULL, b.data, b.len, chunk, &g);
            CHECK(g.hash == h0, "invalid UTF-8: the log at chunk %zu differs from the whole parse", chunk);
        }
        /* every cut around the bad bytes */
        size_t cuts = 0;
        for (size_t k = at; k < at + 3 + sizeof bad + 4; k++) {
            tl_log_init(&g, 0, 0);
            tl_parse(NULL, b.data, b.len, (long)k, 0, &g);
            cuts += g.hash != h0;
        }
        CHECK(cuts == 0, "invalid UTF-8: %zu cuts near the bad bytes change the log", cuts);
        /* strict: an error */
        pb_options st = opt;
        st.strict = 1;
        tl_log_init(&g, 0, 0);
        r = parse_opt(&st, b.data, b.len, 0, &g);
        CHECK(r.error == PB_E_STRICT, "invalid UTF-8, strict: %s", pb_error_name(r.error));
        free(b.data);
    }
    /* PDF and PNG headers, also fed a byte at a time */
    for (size_t c = 0; c < 2; c++) {
        static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
        static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        tl_log_init(&g, 0, 0);
        r = parse_opt(NULL, pdf, sizeof pdf - 1, c, &g);
        CHECK(r.error == PB_E_PDF && r.status == PB_ERROR, "PDF header (chunk %zu): %s", c, r.message);
        tl_log_init(&g, 0, 0);
        r = parse_opt(NULL, png, sizeof png - 1, c, &g);
        CHECK(r.error == PB_E_BINARY && r.status == PB_ERROR, "PNG header (chunk %zu): %s", c, r.message);
    }
    {
        /* a short PDF: fewer than 4 bytes are decided at finish */
        tl_log_init(&g, 0, 0);
        r = parse_opt(NULL, "%PD", 3, 0, &g);
        CHECK(r.error == PB_E_NOT_DISCLOSURE, "3 bytes: %s", pb_error_name(r.error));
        /* the error is sticky */
        pb_parser *p = pb_parser_new(NULL, NULL);
        pb_feed(p, "%PDF-1.4\n", 9);
        CHECK(pb_feed(p, seed->data, seed->len) == PB_ERROR && pb_error(p) == PB_E_PDF &&
                  pb_finish(p) == PB_ERROR && pb_error(p) == PB_E_PDF,
              "the PDF error is not sticky: %s", pb_error_name(pb_error(p)));
        CHECK(strstr(pb_error_message(p), "line") != NULL, "error message without a position: %s",
              pb_error_message(p));
        pb_parser_free(p);
    }
    /* gzip: truncated, corrupt, bomb */
    {
        size_t gn;
        unsigned char *gz = tl_gzip(seed->data, seed->len, 6, &gn);
        size_t cuts[] = {2, 5, 10, gn / 2, gn - 8, gn - 1};
        for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
            tl_log_init(&g, 0, 0);
            r = parse_opt(NULL, gz, cuts[i], 0, &g);
            CHECK(r.error == PB_E_GZIP_TRUNCATED, "gzip cut at %zu of %zu: %s", cuts[i], gn, r.message);
        }
        /* corrupt the deflate data, the CRC, the length and the header */
        size_t spots[] = {gn / 2, gn - 6, gn - 2, 2, 3};
        for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
            unsigned char keep = gz[spots[i]];
            gz[spots[i]] ^= (unsigned char)(i == 3 ? 0x01 : i == 4 ? 0xE0 : 0x5A);
            for (size_t c = 0; c < 2; c++) {
                tl_log_init(&g, 0, 0);
                r = parse_opt(NULL, gz, gn, c ? 7 : 0, &g);
                CHECK(r.error == PB_E_GZIP, "gzip corrupt at %zu (chunk %zu): %s", spots[i], (size_t)(c ? 7 : 0),
                      r.message);
            }
            gz[spots[i]] = keep;
        }
        /* trailing garbage after the member */
        bytes t = {0, 0, 0};
        b_put(&t, gz, gn);
        b_put(&t, "garbage!", 8);
        tl_log_init(&g, 0, 0);
        r = parse_opt(NULL, t.data, t.len, 0, &g);
        CHECK(r.error == PB_E_GZIP, "gzip with trailing garbage: %s", r.message);
        free(t.data);
        free(gz);
    }
    {
        /* 10 MB of '0' digits and 10 MB of NUL bytes, compressed */
        for (int kind = 0; kind < 2; kind++) {
            bytes z = {0, 0, 0};
            b_fill(&z, kind ? 0 : '0', 10u << 20);
            size_t gn;
            unsigned char *gz = tl_gzip(z.data, z.len, 9, &gn);
            free(z.data);
            pb_options o = opt;
            o.max_inflate_ratio = 100;
            for (size_t c = 0; c < 3; c++) {
                size_t chunk = c == 0 ? 0 : c == 1 ? 1 : 4096;
                tl_alloc a;
                memset(&a, 0, sizeof a);
                pb_allocator al = tl_allocator(&a);
                pb_parser *p = pb_parser_new(&o, &al);
                tl_log_init(&g, 0, 0);
                r = tl_run(p, gz, gn, -1, chunk, &g, 0);
                uint64_t consumed = pb_bytes_in(p);
                pb_parser_free(p);
                int ok = kind == 0 ? r.error == PB_E_GZIP_RATIO
                                   : (r.error == PB_E_GZIP_RATIO || r.error == PB_E_BINARY);
                CHECK(ok && a.peak_bytes < MEM_BOUND && a.live_blocks == 0,
                      "gzip bomb of %s (%zu bytes, chunk %zu): %s; peak %zu bytes", kind ? "NULs" : "'0'", gn,
                      chunk, r.message, a.peak_bytes);
                if (c == 1) CHECK(consumed < gn, "gzip bomb: all %zu bytes read before the error", gn);
            }
            free(gz);
        }
    }
    /* a 5 MB line with max_line 1 MiB: a warning, memory bounded */
    for (int where = 0; where < 2; where++) {
        bytes b = {0, 0, 0};
        if (where == 0) {
            b_put(&b, seed->data, seed->len);
            if (b.len && b.data[b.len - 1] != '\n') b_put(&b, "\n", 1);
        }
        for (size_t k = 0; k < (5u << 20) / 24; k++) b_put(&b, "预算 1,234.56\tabc 表  ", 24);
        b_put(&b, "\n", 1);
        if (where == 1) b_put(&b, seed->data, seed->len);
        for (size_t c = 0; c < 2; c++) {
            size_t chunk = c ? 65536 : 0;
            tl_alloc a;
            memset(&a, 0, sizeof a);
            pb_allocator al = tl_allocator(&a);
            opt.max_line = 1u << 20;
            pb_parser *p = pb_parser_new(&opt, &al);
            unsigned nowarn = 1u << PB_R_WARNING;
            tl_log_init(&g, 0, nowarn);
            r = tl_run(p, b.data, b.len, -1, chunk, &g, 0);
            pb_parser_free(p);
            CHECK(r.error == PB_E_NONE && a.peak_bytes < MEM_BOUND && a.live_blocks == 0 &&
                      g.kinds[PB_R_TABLE] == ref->kinds[PB_R_TABLE],
                  "5 MB line (%s, chunk %zu): %s, peak %zu bytes, %zu tables", where ? "first" : "last", chunk,
                  r.message, a.peak_bytes, g.kinds[PB_R_TABLE]);
            if (where == 0) {
                tl_log want;
                whole(seed, &want, 0, nowarn);
                CHECK(g.hash == want.hash, "5 MB line at the end changes the records before it");
            }
            size_t w = count_warnings(&b, &opt, chunk, "LINE_TOO_LONG", &r);
            CHECK(w == 1, "5 MB line: %zu LINE_TOO_LONG warnings", w);
        }
        pb_options st = opt;
        st.strict = 1;
        tl_log_init(&g, 0, 0);
        r = parse_opt(&st, b.data, b.len, 0, &g);
        CHECK(r.error == PB_E_LINE_TOO_LONG || r.error == PB_E_STRICT, "5 MB line, strict: %s",
              pb_error_name(r.error));
        free(b.data);
    }
    /* reset and reuse: whole, after half a document, after an error */
    {
        pb_parser *p = pb_parser_new(NULL, NULL);
        for (int round = 0; round < 3; round++) {
            if (round == 1) pb_feed(p, seed->data, seed->len / 2);
            if (round == 2) pb_feed(p, "\x1f\x8b\x08\x00garbage", 12);
            if (round) pb_parser_reset(p);
            tl_log_init(&g, 0, 0);
            r = tl_run(p, seed->data, seed->len, -1, 1000, &g, 0);
            CHECK(r.error == PB_E_NONE && g.hash == ref->hash, "reuse after reset (round %d): %s", round,
                  r.message);
            pb_parser_reset(p);
        }
        /* gzip then plain then gzip in one parser */
        size_t gn;
        unsigned char *gz = tl_gzip(seed->data, seed->len, 6, &gn);
        for (int round = 0; round < 3; round++) {
            tl_log_init(&g, 0, 0);
            if (round == 1) r = tl_run(p, seed->data, seed->len, -1, 333, &g, 0);
            else r = tl_run(p, gz, gn, -1, 333, &g, 0);
            CHECK(r.error == PB_E_NONE && g.hash == ref->hash && r.gzip == (round != 1),
                  "reuse gzip/plain (round %d): %s", round, r.message);
            pb_parser_reset(p);
        }
        free(gz);
        /* feed after finish */
        tl_log_init(&g, 0, 0);
        tl_run(p, seed->data, seed->len, -1, 0, &g, 0);
        CHECK(pb_feed(p, "x", 1) == PB_ERROR && pb_error(p) == PB_E_AFTER_FINISH,
              "feed after finish: %s", pb_error_name(pb_error(p)));
        CHECK(pb_feed(p, "", 0) == PB_ERROR && pb_error(p) == PB_E_AFTER_FINISH, "the error is not sticky");
        pb_parser_reset(p);
        CHECK(pb_error(p) == PB_E_NONE && pb_bytes_in(p) == 0 && pb_lines(p) == 0, "reset leaves state");
        /* finish twice is harmless */
        tl_log_init(&g, 0, 0);
        r = tl_run(p, seed->data, seed->len, -1, 0, &g, 0);
        CHECK(pb_finish(p) == PB_OK && pb_get_records(p).count == 0, "a second finish is not a no-op");
        pb_parser_free(p);
        pb_parser_free(NULL);
        pb_parser_reset(NULL);
    }
    /* two documents, concatenated: the second one's tables appear too */
    if (seed2) {
        bytes b = {0, 0, 0};
        b_put(&b, seed->data, seed->len);
        if (b.data[b.len - 1] != '\n') b_put(&b, "\n", 1);
        b_put(&b, seed2->data, seed2->len);
        tl_log l2, both;
        whole(seed2, &l2, 0, 0);
        r = whole(&b, &both, 0, 0);
        CHECK(r.error == PB_E_NONE && both.kinds[PB_R_TABLE] == ref->kinds[PB_R_TABLE] + l2.kinds[PB_R_TABLE] &&
                  both.kinds[PB_R_ROW] >= ref->kinds[PB_R_ROW] + l2.kinds[PB_R_ROW] * 9 / 10,
              "two documents: %s; %zu tables (want %zu + %zu), %zu rows (want %zu + %zu)", r.message,
              both.kinds[PB_R_TABLE], ref->kinds[PB_R_TABLE], l2.kinds[PB_R_TABLE], both.kinds[PB_R_ROW],
              ref->kinds[PB_R_ROW], l2.kinds[PB_R_ROW]);
        tl_result r1;
        uint64_t h = chunked_hash(NULL, &b, -1, 3, 0, &r1);
        CHECK(h == both.hash, "two documents: chunks of 3 change the log");
        free(b.data);
    }
    /* small limits: max_cells, max_table_rows, strict */
    {
        pb_options o = opt;
        o.max_cells = 3;
        o.max_table_rows = 2;
        tl_log_init(&g, 0, 0);
        r = parse_opt(&o, seed->data, seed->len, 0, &g);
        CHECK(r.error == PB_E_NONE && g.kinds[PB_R_WARNING] > ref->kinds[PB_R_WARNING],
              "small limits: %s", r.message);
        uint64_t h0 = g.hash;
        tl_log_init(&g, 0, 0);
        parse_opt(&o, seed->data, seed->len, 7, &g);
        CHECK(g.hash == h0, "small limits: chunks of 7 change the log");
        o.strict = 1;
        tl_log_init(&g, 0, 0);
        r = parse_opt(&o, seed->data, seed->len, 0, &g);
        CHECK(r.error == PB_E_TOO_MANY_CELLS || r.error == PB_E_TABLE_TOO_LARGE || r.error == PB_E_STRICT,
              "small limits, strict: %s", pb_error_name(r.error));
    }
}

/* ---- fuzz regressions -------------------------------------------------------------- */

static void test_regressions(const char *dir) {
    size_t n;
    char **files = list_dir(dir, "", &n);
    for (size_t i = 0; i < n; i++) {
        bytes b;
        if (read_file(files[i], &b) == 0) {
            tl_fuzz_one(b.data, b.len); /* aborts on a broken invariant */
            /* and the document itself, raw, at a few chunk sizes */
            for (size_t c = 0; c < 3; c++) {
                tl_log g;
                tl_log_init(&g, 0, 0);
                tl_parse(NULL, b.data, b.len, -1, c == 0 ? 0 : c == 1 ? 1 : 5, &g);
            }
            passed++;
        }
        free(b.data);
        free(files[i]);
    }
    free(files);
    printf("regressions: %zu inputs from %s\n", n, dir);
}

/* ---- main ----------------------------------------------------------------------- */

/* One parser reset between documents (as pb_columns and the corpus reader use it)
 * gives each seed the records a fresh parser gives, in either order: nothing a
 * parser keeps across documents (its classified headers) changes a result. */
/* The first seed as CSV gives as many tables, rows, projects and indicators as
 * the seed, read whole, and the same records in chunks and at every cut (the
 * feeds of test_seed_feeds): wrapped cells are held across any chunk seam. */
static void test_csv_feeds(char **paths, size_t n) {
    bytes tab, csv;
    if (n == 0 || read_file(paths[0], &tab) < 0) return;
    csv_of(&tab, &csv);
    tl_log seed, ref;
    whole(&tab, &seed, 0, 0);
    tl_result r = whole(&csv, &ref, 1, 0);
    CHECK(r.error == PB_E_NONE && strstr(ref.text, "UNCLOSED_QUOTE") == NULL, "CSV: %s", r.message);
    static const pb_record_kind kinds[] = {PB_R_TABLE, PB_R_ROW, PB_R_PROJECT, PB_R_INDICATOR};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        CHECK(ref.kinds[kinds[k]] == seed.kinds[kinds[k]] && seed.kinds[kinds[k]] > 0,
              "CSV: %zu records of kind %d, the seed %zu", ref.kinds[kinds[k]], (int)kinds[k], seed.kinds[kinds[k]]);
    test_seed_feeds("first seed as CSV", &csv, &ref);
    tl_log_free(&seed);
    tl_log_free(&ref);
    free(tab.data);
    free(csv.data);
}

static void test_one_parser_for_all(char **paths, size_t n) {
    bytes *docs = calloc(n, sizeof *docs);
    uint64_t *want = calloc(n, sizeof *want);
    if (!docs || !want) abort();
    for (size_t i = 0; i < n; i++) {
        if (read_file(paths[i], &docs[i]) < 0) continue;
        tl_log g;
        whole(&docs[i], &g, 0, 0);
        want[i] = g.hash;
    }
    pb_parser *p = pb_parser_new(NULL, NULL);
    size_t differ = 0;
    for (size_t k = 0; k < 2 * n; k++) {
        size_t i = k < n ? k : 2 * n - 1 - k;
        tl_log g;
        tl_log_init(&g, 0, 0);
        tl_run(p, docs[i].data, docs[i].len, -1, 0, &g, 0);
        differ += g.hash != want[i];
        pb_parser_reset(p);
    }
    pb_parser_free(p);
    CHECK(differ == 0, "one parser for %zu seeds, forward and back: %zu parses differ from a fresh parser's", n,
          differ);
    for (size_t i = 0; i < n; i++) free(docs[i].data);
    free(docs);
    free(want);
}

/* ---- the narrative facts reader (pb_facts.c) ------------------------------------ */

/* Prose lines of 000 (lines 445-461; line 447 shortened after its first reason). */
static const pb_fact_line facts_000[] = {
    {445, "一、部门预算收支数据变动情况及原因", 0},
    {447, "2025年度朔州市朔城区医疗保障局预算收入总计761.35万元,其中:本年收入733.90万元,上年结转27.44万元,"
          "比上年减少42.64万元,下降5.30%,主要原因是一是行政事业单位养老支出机关事业单位基本养老保险缴费由于缴费"
          "基数变化、退休2人等原因比上年减少了1.5万元,下降2.04%。", 0},
    {455, "三、支出预算情况说明", 0},
    {457, "2025年度朔州市朔城区医疗保障局支出预算761.35万元,其中:基本支出693.27万元,占91.06%;项目支出68.08万元,"
          "占8.94%。", 0},
    {460, "“三公”经费支出预算数与2024年相比", 0},
    {461, "持平。本部门无“三公”经费预算。", 0},
};

static pb_fact_line *facts_lines(const pb_fact_line *in, size_t n) {
    pb_fact_line *out = malloc(n * sizeof *out);
    for (size_t k = 0; k < n; k++) out[k] = (pb_fact_line){in[k].line, in[k].text, strlen(in[k].text)};
    return out;
}

static int span_is(const pb_fact_store *st, pb_fact_span span, const char *want) {
    if (!want) return !span.present;
    return span.present && span.len == strlen(want) && memcmp(st->text + span.off, want, span.len) == 0;
}

static int number_is(pb_fact_number v, int state, uint64_t digits, int exponent, int negative) {
    return v.state == state && v.digits == digits && v.exponent == exponent && v.negative == negative;
}

/* What every fact of 000's lines says, as the Python reference read it. */
static void check_000_facts(const pb_fact_store *st, const char *what) {
    CHECK(st->nfacts == 7, "%s: %zu facts, want 7", what, st->nfacts);
    if (st->nfacts != 7) return;
    const pb_fact *f = st->facts;
    static const char *const subjects[] = {"收入总计", "本年收入", "上年结转", "支出总计", "基本支出", "项目支出", "“三公”经费"};
    static const uint64_t digits[] = {76135, 73390, 2744, 76135, 69327, 6808, 0};
    static const uint64_t lines[] = {447, 447, 447, 457, 457, 457, 461};
    static const int part_of[] = {-1, 0, 0, -1, 3, 3, -1}, paragraph[] = {1, 1, 1, 3, 3, 3, 4};
    static const int sentence_id[] = {1, 1, 1, 2, 2, 2, 4};
    for (int k = 0; k < 7; k++) {
        CHECK(strcmp(pb_fact_subject_name(f[k].subject), subjects[k]) == 0 && f[k].unit == PB_FU_WAN_YUAN &&
                  number_is(f[k].value, PB_FN_FIGURE, digits[k], k == 6 ? 0 : -2, 0) &&
                  f[k].decimals == 2 && f[k].line == lines[k] && f[k].nlines == 1 && f[k].lines[0] == lines[k] &&
                  f[k].part_of == part_of[k] && f[k].paragraph == paragraph[k] && f[k].sentence_id == sentence_id[k] &&
                  f[k].index == k,
              "%s: fact %d is %s %llu×10^%d line %llu part_of %d paragraph %d sentence %d", what, k,
              pb_fact_subject_name(f[k].subject), (unsigned long long)f[k].value.digits, f[k].value.exponent,
              (unsigned long long)f[k].line, f[k].part_of, f[k].paragraph, f[k].sentence_id);
    }
    /* 比上年减少42.64万元,下降5.30%,主要原因是…: the total's change, not the last item's */
    CHECK(number_is(f[0].change, PB_FN_FIGURE, 4264, -2, 1) && f[0].change.unit == PB_FU_WAN_YUAN &&
              number_is(f[0].change_pct, PB_FN_FIGURE, 530, -2, 1) && f[0].change_decimals == 2,
          "%s: 收入总计's change is %s%llu×10^%d", what, f[0].change.negative ? "-" : "",
          (unsigned long long)f[0].change.digits, f[0].change.exponent);
    CHECK(span_is(st, f[0].reason, "一是行政事业单位养老支出机关事业单位基本养老保险缴费由于缴费基数变化、退休2人等原因"
                                    "比上年减少了1.5万元,下降2.04%"),
          "%s: 收入总计's reason", what);
    CHECK(f[1].change.state == PB_FN_ABSENT && f[2].part_list == 1 && f[4].part_list == 2, "%s: lists", what);
    CHECK(number_is(f[4].share, PB_FN_FIGURE, 9106, -2, 0) && f[4].share_base == 3 &&
              number_is(f[5].share, PB_FN_FIGURE, 894, -2, 0) && f[5].share_base == 3,
          "%s: the shares of 基本支出 and 项目支出", what);
    CHECK(span_is(st, f[4].section, "三、支出预算情况说明") && span_is(st, f[0].section, "一、部门预算收支数据变动情况及原因") &&
              span_is(st, f[6].sentence, "本部门无三公经费预算。") && span_is(st, f[6].reason, NULL),
          "%s: sections and sentences", what);
    /* the paragraph of lines 460 and 461: joined, each part keeps its line */
    CHECK(st->nparas == 5 && st->paras[4].nstarts == 2 && st->starts[st->paras[4].first_start + 1].line == 461 &&
              span_is(st, st->paras[4].text, "三公经费支出预算数与2024年相比持平。本部门无三公经费预算。") &&
              st->paras[0].heading && st->paras[2].heading && !st->paras[1].heading,
          "%s: paragraphs", what);
}

static void test_facts_reader(void) {
    /* the buckets compiled in are the word table's: a stale pb_fact_index.h would lose subjects */
    CHECK(pb_facts_index_current(), "csrc/pb_fact_index.h is stale: run python csrc/gen_fact_index.py");
    size_t n = sizeof facts_000 / sizeof facts_000[0];
    pb_fact_line *lines = facts_lines(facts_000, n);
    pb_fact_store st;
    pb_fact_store_init(&st, NULL);
    CHECK(pb_facts_read(&st, lines, n) == PB_FACTS_OK, "facts of 000: read failed");
    check_000_facts(&st, "facts of 000");
    /* the store is reused: the same read again gives the same facts */
    CHECK(pb_facts_read(&st, lines, n) == PB_FACTS_OK, "facts of 000, again: read failed");
    check_000_facts(&st, "facts of 000, again");
    CHECK(pb_facts_read(&st, lines, 0) == PB_FACTS_OK && st.nfacts == 0 && st.nparas == 0, "no lines, no facts");

    /* limits: each fails with PB_FACTS_TOO_BIG, keeps nothing, and the store reads again */
    st.max_facts = 6;
    CHECK(pb_facts_read(&st, lines, n) == PB_FACTS_TOO_BIG && st.nfacts == 0, "7 facts past a limit of 6");
    st.max_facts = PB_FACTS_MAX_FACTS;
    st.max_text = 300;
    CHECK(pb_facts_read(&st, lines, n) == PB_FACTS_TOO_BIG && st.nparas == 0, "prose past a text limit of 300 bytes");
    st.max_text = PB_FACTS_MAX_TEXT;
    st.max_line = 100;
    CHECK(pb_facts_read(&st, lines, n) == PB_FACTS_TOO_BIG, "a line past a line limit of 100 bytes");
    st.max_line = PB_FACTS_MAX_LINE;
    CHECK(pb_facts_read(&st, lines, n) == PB_FACTS_OK && st.nfacts == 7, "the store reads again after a limit");
    CHECK(strstr(pb_facts_status_message(PB_FACTS_TOO_BIG), "limits") != NULL, "the limit's message");
    pb_fact_store_free(&st);

    /* a line longer than the hard limit is refused before anything is read */
    size_t big = PB_FACTS_MAX_LINE + 1;
    char *long_text = malloc(big);
    memset(long_text, '1', big);
    pb_fact_line long_line = {1, long_text, big};
    pb_fact_store_init(&st, NULL);
    CHECK(pb_facts_read(&st, &long_line, 1) == PB_FACTS_TOO_BIG, "a line of 16 MiB + 1 byte");
    /* one of 1 MiB of digits with units: many figures in one sentence */
    for (size_t k = 0; k + 3 <= ((size_t)1 << 20); k += 3) memcpy(long_text + k, k % 2 ? "9元," : "1个,", 3);
    long_line.len = (size_t)1 << 20;
    CHECK(pb_facts_read(&st, &long_line, 1) == PB_FACTS_OK && st.nfacts == 0, "a MiB of unnamed figures");
    free(long_text);

    /* hostile bytes: invalid UTF-8, NULs, lone continuation bytes, cut characters */
    static const char hostile[][24] = {"\xff\xfe" "12万元", "\x80\x80\x80" "支出总计1万元", "支出总计1\xe4万元",
                                       "支出总计\0" "1万元", "\xe2\x88" "%", "其中:\xe5", "#\xe3\x80",
                                       "占\xef\xbc" "1%"};
    for (size_t k = 0; k < sizeof hostile / sizeof hostile[0]; k++) {
        pb_fact_line h[2] = {{1, hostile[k], sizeof hostile[k] - 1}, {2, hostile[k], strlen(hostile[k])}};
        CHECK(pb_facts_read(&st, h, 2) == PB_FACTS_OK, "hostile line %zu", k);
    }
    uint64_t seed = 7;
    unsigned char noise[256];
    for (int round = 0; round < 2000; round++) {
        size_t len = scan_rng(&seed) % sizeof noise;
        for (size_t k = 0; k < len; k++) {
            static const char *const pieces[] = {"支出总计", "其中:", "占", "1", ".", "万元", "%", "增长", "。", ",",
                                                 "\xe4", "\x80", "主要原因是", "以上", "无", "持平", "∞"};
            const char *piece = pieces[scan_rng(&seed) % (sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(piece);
            if (k + pl > len) break;
            memcpy(noise + k, piece, pl);
            k += pl - 1;
        }
        pb_fact_line h = {(uint64_t)round, (const char *)noise, len};
        CHECK(pb_facts_read(&st, &h, 1) == PB_FACTS_OK, "noise round %d", round);
    }
    pb_fact_store_free(&st);

    /* allocation failure at every allocation: NO_MEMORY, nothing kept, nothing leaked */
    size_t calls = 0;
    for (size_t fail_at = 1;; fail_at++) {
        tl_alloc a;
        pb_allocator al = tl_failing_allocator(&a, fail_at);
        pb_fact_store_init(&st, &al);
        pb_facts_status rc = pb_facts_read(&st, lines, n);
        if (!a.failed) {
            CHECK(rc == PB_FACTS_OK, "facts with no failed allocation");
            check_000_facts(&st, "facts after the allocation-failure runs");
            pb_fact_store_free(&st);
            CHECK(a.live_blocks == 0, "facts: %ld blocks live after free", a.live_blocks);
            calls = fail_at - 1;
            break;
        }
        CHECK(rc == PB_FACTS_NO_MEMORY && st.nfacts == 0 && st.nparas == 0,
              "facts: allocation %zu failed, status %d", fail_at, rc);
        pb_fact_store_free(&st);
        CHECK(a.live_blocks == 0, "facts: allocation %zu failed, %ld blocks live after free", fail_at, a.live_blocks);
    }
    CHECK(calls >= 5, "facts: only %zu allocations to fail", calls);
    free(lines);

    /* the subject tables: every subject and unit is named, classes and aliases are there */
    CHECK(pb_fact_subject_count() == 80 && pb_fact_subject_name(79) && strcmp(pb_fact_subject_name(79), "财政拨款支出") == 0,
          "the subjects end with 财政拨款支出");
    const char *code, *name;
    CHECK(pb_fact_function_class(9, &code, &name) && strcmp(code, "210") == 0 && strcmp(name, "卫生健康支出") == 0,
          "class 210 is 卫生健康支出");
    CHECK(pb_fact_class_alias(0, &code, &name) && strcmp(code, "210") == 0, "the first alias is of 210");
    CHECK(pb_fact_unit_name(PB_FU_SQUARE_METRES) && !pb_fact_unit_name(PB_FU__COUNT), "unit names");
}

/* ---- row names (pb_names.c) -------------------------------------------------------- */

/* Each input is copied into a heap block of exactly its length (and the output
 * into one of the same length), so that a read or write past either is an
 * ASan error. Expected values are what the Python the functions replaced
 * gives (pybudget.checks.lookup.norm, is_org_name, facts.class_code). */
static char *exact_copy(const char *s, size_t n) {
    char *copy = malloc(n ? n : 1);
    if (n) memcpy(copy, s, n);
    return copy;
}

static size_t norm_exact(const char *s, size_t n, char **out) {
    char *in = exact_copy(s, n);
    *out = malloc(n ? n : 1);
    size_t len = pb_norm_name(in, n, *out);
    free(in);
    return len;
}

static void check_norm(const char *name, size_t n, const char *want, size_t want_n) {
    char *out;
    size_t len = norm_exact(name, n, &out);
    CHECK(len == want_n && memcmp(out, want, len) == 0, "norm of '%.*s' is '%.*s', want '%.*s'", (int)n, name,
          (int)len, out, (int)want_n, want);
    free(out);
}

static int org_of(const char *name, const char *department) {
    char *out, *dep = department ? exact_copy(department, strlen(department)) : NULL;
    size_t len = norm_exact(name, strlen(name), &out);
    int got = pb_org_name(out, len, dep, department ? strlen(department) : 0);
    free(out);
    free(dep);
    return got;
}

/* The class code of name (n bytes), or "none". */
static void class_of(const char *name, size_t n, char got[8]) {
    char *in = exact_copy(name, n), code[4];
    if (pb_class_code(in, n, code)) snprintf(got, 8, "%s", code);
    else snprintf(got, 8, "none");
    free(in);
}

/* All five functions on s (n bytes): bounds only (the results are checked above). */
static void names_on(const char *s, size_t n) {
    char *out, code[4];
    size_t len = norm_exact(s, n, &out);
    CHECK(len <= n, "norm of %zu bytes wrote %zu", n, len);
    char *dep = exact_copy(s, n);
    (void)pb_org_name(out, len, dep, n);
    (void)pb_org_name(out, len, NULL, 0);
    (void)pb_econ_class_name(out, len);
    (void)pb_total_name(out, len);
    free(dep);
    free(out);
    char *in = exact_copy(s, n);
    if (pb_class_code(in, n, code)) CHECK(strlen(code) == 3, "a class code of %zu characters", strlen(code));
    free(in);
}

static void test_names(void) {
    /* norm: blanks (Unicode's), 其中, each branch of the enumerator, quotes and colons, brackets */
    static const char *const norms[][2] = {
        {"  其中：(一)工资福利支出", "工资福利支出"}, {"（三）基本支出", "基本支出"}, {"①公务接待费", "公务接待费"},
        {"12.项目", "项目"}, {"“三公”经费", "三公经费"}, {"市医疗保障局（本级）", "市医疗保障局(本级)"},
        {"其中,一、x", "x"}, {"其中二十一.x", "x"}, {"٣、x", "x"}, {"１２、项目", "项目"}, {"(十一)x", "x"},
        {"一x", "一x"}, {"(一x", "(一x"}, {"⑩x", "⑩x"}, {"a:b\"c", "abc"}, {"其中：：x", "x"},
        {"\xE3\x80\x80其\xC2\xA0中\xE2\x80\xA8：\t十、「x」", "「x」"}, {"‘一’、", "一、"}, {"", ""},
    };
    for (size_t k = 0; k < sizeof norms / sizeof norms[0]; k++)
        check_norm(norms[k][0], strlen(norms[k][0]), norms[k][1], strlen(norms[k][1]));
    /* bytes that start no character within the length are characters of their own: never blanks,
     * digits or brackets, and cut characters are not read past the end */
    static const char *const bad[][2] = {
        {"其中\xEF\xBC", "\xEF\xBC"},           /* a cut ： */
        {"x\xE3\x80", "x\xE3\x80"},             /* a cut ideographic space */
        {"\xFF①x", "\xFF①x"},                    /* no enumerator after a stray byte */
        {"\xC0\xA0x", "\xC0\xA0x"},             /* an overlong space is no blank */
        {"\xC2\xA0x\xC2", "x\xC2"},              /* a no-break space, then a cut one */
        {"\xED\xA0\x80\xE2\x80", "\xED\xA0\x80\xE2\x80"}, /* a surrogate (surrogatepass), a cut quote */
        {"(\xE4\xB8", "(\xE4\xB8"},             /* a cut 一 */
        {"1\xE3\x80", "1\xE3\x80"},             /* a cut 、 */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        check_norm(bad[k][0], strlen(bad[k][0]), bad[k][1], strlen(bad[k][1]));
    check_norm("a\0b：", 6, "a\0b", 3); /* a NUL is an ordinary character */

    /* units, projects, the department */
    static const struct { const char *name, *department; int want; } orgs[] = {
        {"朔州市医疗保障局", NULL, 1}, {"局机关", NULL, 1}, {"医保经费", NULL, 0}, {"市医疗保障局(本级)", NULL, 1},
        {"市医疗保障局（本级）", NULL, 1}, {"中心本级", NULL, 1}, {"公司机关", NULL, 1}, {"办公室", NULL, 1},
        {"机关", NULL, 0}, {"本级", NULL, 0}, {"项目", NULL, 0}, {"局长", NULL, 0}, {"保障金管理中心", NULL, 0},
        {"局(本级)x", NULL, 0}, {"医疗保障", "朔州市医疗保障局", 1}, {"朔州市 医疗保障", "朔州市医疗保障局", 1},
        {"医疗保障", "", 0}, {"", "", 0}, {"x", "x", 1}, {"医疗保障局经费", "朔州市医疗保障局", 0},
    };
    for (size_t k = 0; k < sizeof orgs / sizeof orgs[0]; k++)
        CHECK(org_of(orgs[k].name, orgs[k].department) == orgs[k].want, "org name '%s' (department '%s'): want %d",
              orgs[k].name, orgs[k].department ? orgs[k].department : "(none)", orgs[k].want);

    CHECK(pb_econ_class_name("工资福利支出", strlen("工资福利支出")), "工资福利支出 is an economic class");
    CHECK(pb_econ_class_name("其他支出", strlen("其他支出")), "其他支出 is an economic class");
    CHECK(!pb_econ_class_name("工资福利", strlen("工资福利")), "工资福利 is no economic class");
    CHECK(!pb_econ_class_name("其他支出\0", strlen("其他支出") + 1), "a NUL after 其他支出 is part of the name");
    CHECK(pb_total_name("支出合计", strlen("支出合计")) && pb_total_name("总计", strlen("总计")), "合计 and 总计 are totals");
    CHECK(!pb_total_name("合计数", strlen("合计数")) && !pb_total_name("计", strlen("计")), "合计数 and 计 are not");

    /* class codes: enumerators (both branches, with blanks given back), 支出, 的, aliases */
    static const char *const codes[][2] = {
        {"八、社会保障和就业支出", "208"}, {"(十)卫生健康支出", "210"}, {"十、卫生健康", "210"}, {"预备费", "227"},
        {"预备费支出", "227"}, {"项目支出", "none"}, {"  、卫生健康支出", "210"}, {"      、教育", "205"},
        {"(一二三四五)教育", "none"}, {"一二三四五、教育", "none"}, {"( a )教育支出", "205"},
        {"（12）教育支出 ", "205"}, {"抗疫特别国债安排的支出", "234"}, {"抗疫特别国债安排的", "234"},
        {"其他的支出", "229"}, {"  十、 卫生健康支出\xE3\x80\x80", "210"}, {"()教育", "none"},
        {"(一)(二)教育", "none"}, {"、教育", "none"}, {"文化体育与传媒支出", "207"}, {"工资福利支出", "none"},
    };
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
        char got[8];
        class_of(codes[k][0], strlen(codes[k][0]), got);
        CHECK(strcmp(got, codes[k][1]) == 0, "class of '%s' is %s, want %s", codes[k][0], got, codes[k][1]);
    }
    char got[8];
    class_of("十、卫生健康\xE4", strlen("十、卫生健康\xE4"), got);
    CHECK(strcmp(got, "none") == 0, "a stray byte is part of the stem: class %s", got);

    /* every prefix of every case (cut characters at the end), and random pieces with invalid bytes */
    for (size_t k = 0; k < sizeof norms / sizeof norms[0]; k++)
        for (size_t n = 0; n <= strlen(norms[k][0]); n++) names_on(norms[k][0], n);
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
        for (size_t n = 0; n <= strlen(codes[k][0]); n++) names_on(codes[k][0], n);
    static const char *const pieces[] = {"其中", "：", "(", "（", ")", "）", "、", ".", "一", "十", "①", "1", "１", "٣",
                                         "“", "\"", " ", "\xE3\x80\x80", "\xC2\xA0", "局", "(本级)", "机关", "经费",
                                         "合计", "支出", "的", "卫生健康", "\xE4", "\x80", "\xEF\xBC", "\xFF", "\xED\xA0\x80"};
    uint64_t seed = 11;
    char text[64];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0, count = scan_rng(&seed) % 12;
        for (size_t k = 0; k < count; k++) {
            const char *piece = pieces[scan_rng(&seed) % (sizeof pieces / sizeof pieces[0])];
            size_t len = strlen(piece);
            if (n + len > sizeof text) break;
            memcpy(text + n, piece, len);
            n += len;
        }
        names_on(text, n);
    }
}

int main(int argc, char **argv) {
    const char *seeds_dir = NULL, *reg_dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) quick = 1;
        else if (strcmp(argv[i], "--full") == 0) full = 1;
        else if (strncmp(argv[i], "-j", 2) == 0) workers = atoi(argv[i] + 2);
        else if (strcmp(argv[i], "-v") == 0) verbose = 1;
        else if (!seeds_dir) seeds_dir = argv[i];
        else reg_dir = argv[i];
    }
    if (!seeds_dir) {
        fprintf(stderr, "usage: %s SEEDS_DIR [REGRESSIONS_DIR] [--quick|--full] [-jN] [-v]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (workers <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        workers = n < 1 ? 1 : n > 8 ? 8 : (int)n;
    }
    double t0 = now();
    test_scans();
    test_gb18030();
    test_facts_reader();
    test_names();
    CHECK(pb_perf_label_rows_sound(), "a performance-table label is not in the row of its first character");
    size_t nseeds;
    char **seeds = list_dir(seeds_dir, ".txt", &nseeds);
    CHECK(nseeds > 0, "no *.txt seeds in %s", seeds_dir);
    bytes first = {0, 0, 0}, second = {0, 0, 0};
    tl_log first_log;
    memset(&first_log, 0, sizeof first_log);
    for (size_t i = 0; i < nseeds; i++) {
        const char *name = strrchr(seeds[i], '/') + 1;
        bytes b;
        if (read_file(seeds[i], &b) < 0) {
            CHECK(0, "cannot read %s", seeds[i]);
            continue;
        }
        double t = now();
        tl_log ref;
        tl_result r = whole(&b, &ref, 1, 0);
        CHECK(r.error == PB_E_NONE && r.status == PB_OK, "%s: whole file: %s", name, r.message);
        CHECK(ref.kinds[PB_R_TABLE] > 0 && ref.kinds[PB_R_ROW] > 0 && ref.kinds[PB_R_META] > 0,
              "%s: %zu tables, %zu rows, %zu meta", name, ref.kinds[PB_R_TABLE], ref.kinds[PB_R_ROW],
              ref.kinds[PB_R_META]);
        if (verbose) fputs(ref.text ? ref.text : "", stdout);
        /* the text log is the hashed one: recount from the text to be sure */
        size_t lines = 0;
        for (size_t k = 0; k < ref.len; k++) lines += ref.text[k] == '\n';
        CHECK(lines == ref.records, "%s: %zu log lines for %zu records", name, lines, ref.records);
        test_seed_feeds(name, &b, &ref);
        printf("%s: %zu bytes, %zu records (%zu tables, %zu rows), %.2f s\n", name, b.len, ref.records,
               ref.kinds[PB_R_TABLE], ref.kinds[PB_R_ROW], now() - t);
        if (i == 0) {
            first = b;
            first_log = ref;
        } else {
            if (i == 1) second = b;
            else free(b.data);
            tl_log_free(&ref);
        }
    }
    test_one_parser_for_all(seeds, nseeds);
    test_csv_feeds(seeds, nseeds);
    if (first.data) {
        double t = now();
        const char *nm = strrchr(seeds[0], '/') + 1;
        char what[160];
        snprintf(what, sizeof what, "%s", nm);
        test_alloc_failures(what, &first, first_log.hash, 0);
        size_t gn;
        unsigned char *gz = tl_gzip(first.data, first.len, 6, &gn);
        bytes g = {gz, gn, gn};
        snprintf(what, sizeof what, "%s gzipped", nm);
        test_alloc_failures(what, &g, first_log.hash, 0);
        free(gz);
        bytes padded, gb;
        pad_utf8(&first, &padded);
        snprintf(what, sizeof what, "%s padded (streamed UTF-8)", nm);
        test_alloc_failures(what, &padded, first_log.hash, 1);
        if (convert(&padded, "GB18030", &gb) == 0) {
            snprintf(what, sizeof what, "%s padded, GB18030", nm);
            test_alloc_failures(what, &gb, first_log.hash, 1);
        }
        free(gb.data);
        free(padded.data);
        printf("allocation failures: %.2f s\n", now() - t);
        t = now();
        test_hostile(&first, &first_log, second.data ? &second : NULL);
        printf("hostile inputs: %.2f s\n", now() - t);
    }
    if (reg_dir) test_regressions(reg_dir);
    free(first.data);
    free(second.data);
    tl_log_free(&first_log);
    for (size_t i = 0; i < nseeds; i++) free(seeds[i]);
    free(seeds);
    printf("total %.2f s\n", now() - t0);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
