/* Test program for pb_columns (the columnar items and their Arrow C stream
 * export), linking the core alone (no Python, no Arrow library).
 *
 *   test_columns SEEDS_DIR
 *
 * For every seed: the items the builder stores equal the items counted
 * independently from the record table (one per amount or dash of a row of a
 * known table, a measure printed twice counted once); the stream exports a
 * struct of the documented columns whose amounts add up to the same sum;
 * children moved out of the array outlive it; a rejected document between
 * two good ones leaves no rows and no dictionary entries; invalid UTF-8 is
 * replaced as Python's "replace" does; and every allocation of the builder
 * failing in turn fails cleanly with nothing leaked. The last line printed is
 * "N passed, N failed"; the exit status is non-zero on any failure. */
#include "../../csrc/pb_columns.h"
#include "pb_testlib.h"

#include <dirent.h>


static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The reference: items and their fen sum, counted from the record table. */
typedef struct ref {
    int64_t items, fen_sum;
    int known[4096];
} ref;

static void ref_records(ref *x, const pb_records *r) {
    for (size_t i = 0; i < r->count; i++) {
        const pb_record *rec = &r->records[i];
        if (rec->kind == PB_R_TABLE && rec->table >= 0 && rec->table < 4096) x->known[rec->table] = 1;
        if (rec->kind != PB_R_ROW || rec->table < 0 || rec->table >= 4096 || !x->known[rec->table]) continue;
        for (uint32_t v = 0; v < rec->value_count; v++) {
            const pb_value *a = &r->values[rec->value_begin + v];
            if (a->state != PB_V_NUMBER && a->state != PB_V_DASH) continue;
            int dup = -1;
            for (uint32_t w = 0; w < v && dup < 0; w++) {
                const pb_value *b = &r->values[rec->value_begin + w];
                if ((b->state == PB_V_NUMBER || b->state == PB_V_DASH) && b->measure.len == a->measure.len &&
                    memcmp(r->text + b->measure.off, r->text + a->measure.off, a->measure.len) == 0)
                    dup = (int)w;
            }
            if (dup >= 0) {
                const pb_value *b = &r->values[rec->value_begin + dup];
                if (b->state == PB_V_NUMBER) x->fen_sum -= b->fen; /* the later value replaces it */
            } else {
                x->items++;
            }
            if (a->state == PB_V_NUMBER) x->fen_sum += a->fen;
        }
    }
}

static int parse_reference(const char *data, size_t len, ref *x) {
    memset(x, 0, sizeof *x);
    pb_parser *p = pb_parser_new(NULL, NULL);
    if (!p) return -1;
    pb_status st = pb_feed(p, data, len);
    pb_records r = pb_get_records(p);
    ref_records(x, &r);
    pb_records_clear(p);
    if (st == PB_OK) st = pb_finish(p);
    r = pb_get_records(p);
    ref_records(x, &r);
    pb_parser_free(p);
    return st == PB_OK ? 0 : -1;
}

static int64_t amount_sum(const struct ArrowArray *col, int64_t offset) {
    const int64_t *fen = col->buffers[1];
    const uint8_t *valid = col->buffers[0];
    int64_t s = 0;
    for (int64_t i = offset; i < offset + col->length; i++)
        if (!valid || (valid[i >> 3] >> (i & 7) & 1)) s += fen[i];
    return s;
}

static int child_index(const struct ArrowSchema *s, const char *name) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0) return (int)i;
    return -1;
}

static void test_export(pb_batch *b, int64_t want_rows, int64_t want_sum) {
    struct ArrowArrayStream stream;
    CHECK(pb_batch_export_stream(b, &stream) == 0, "export");
    struct ArrowSchema schema;
    CHECK(stream.get_schema(&stream, &schema) == 0, "schema");
    CHECK(strcmp(schema.format, "+s") == 0 && schema.n_children == PB_ICOL__COUNT, "struct of %d columns",
          PB_ICOL__COUNT);
    int fen = child_index(&schema, "amount_fen"), name = child_index(&schema, "name");
    CHECK(fen >= 0 && strcmp(schema.children[fen]->format, "l") == 0, "amount_fen is int64");
    CHECK(name >= 0 && strcmp(schema.children[name]->format, "i") == 0 && schema.children[name]->dictionary &&
              strcmp(schema.children[name]->dictionary->format, "u") == 0,
          "name is a utf8 dictionary");
    CHECK((schema.children[fen]->flags & ARROW_FLAG_NULLABLE) != 0, "amount_fen nullable (dashes)");
    struct ArrowArray array;
    CHECK(stream.get_next(&stream, &array) == 0 && array.release, "first batch");
    CHECK(array.length == want_rows, "%lld rows, want %lld", (long long)array.length, (long long)want_rows);
    CHECK(amount_sum(array.children[fen], array.offset) == want_sum, "fen sum");
    /* Move the name column out, release the rest, then read and release it. */
    struct ArrowArray moved = *array.children[name];
    array.children[name]->release = NULL;
    array.release(&array);
    CHECK(array.release == NULL, "released");
    const int32_t *offsets = moved.dictionary->buffers[1];
    CHECK(moved.length == want_rows && moved.dictionary->length >= (want_rows ? 1 : 0) && offsets[0] == 0,
          "moved child still readable");
    moved.release(&moved);
    struct ArrowArray end;
    CHECK(stream.get_next(&stream, &end) == 0 && end.release == NULL, "end of stream");
    schema.release(&schema);
    stream.release(&stream);
}

static void test_seed(const char *path) {
    size_t len = 0;
    char *data = read_file(path, &len);
    CHECK(data != NULL, "%s: read", path);
    if (!data) return;
    ref x;
    CHECK(parse_reference(data, len, &x) == 0, "%s parses", path);
    pb_columns *c = pb_columns_new(NULL);
    pb_parser *p = pb_parser_new(NULL, NULL);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    CHECK(pb_columns_parse(c, p, 7, path, strlen(path), data, len) == PB_OK, "parse");
    int64_t rows = pb_columns_length(c);
    CHECK(rows == x.items, "%s: %lld items, reference %lld", path, (long long)rows, (long long)x.items);
    CHECK(pb_columns_parse(c, p, 8, "png", 3, png, sizeof png - 1) == PB_OK, "bad document recorded");
    CHECK(pb_columns_length(c) == rows, "bad document adds no rows");
    CHECK(pb_columns_parse(c, p, 9, path, strlen(path), data, len) == PB_OK, "parse again");
    pb_doc_summary s;
    CHECK(pb_columns_doc_count(c) == 3 && pb_columns_doc(c, 1, &s) == 0 && !s.ok && s.error == PB_E_BINARY &&
              s.items == 0 && s.error_message.present,
          "summary of the bad document");
    CHECK(pb_columns_doc(c, 2, &s) == 0 && s.ok && (int64_t)s.items == x.items && s.doc_id == 9, "summary");
    pb_batch *b = pb_columns_finish(c);
    CHECK(b != NULL && pb_batch_length(b) == 2 * x.items, "batch");
    if (b) {
        test_export(b, 2 * x.items, 2 * x.fen_sum);
        pb_batch_unref(b);
    }
    pb_parser_free(p);
    pb_columns_free(c);

    /* Allocation failure at every allocation of the builder and the batch. */
    size_t total = 0;
    for (size_t fail_at = 1;; fail_at++) {
        tl_alloc counts;
        memset(&counts, 0, sizeof counts);
        counts.fail_at = fail_at;
        pb_allocator al = tl_allocator(&counts);
        pb_columns *fc = pb_columns_new(&al);
        pb_parser *fp = pb_parser_new(NULL, NULL);
        int ok = 0;
        if (fc && pb_columns_parse(fc, fp, 0, "x", 1, data, len) == PB_OK) {
            pb_batch *fb = pb_columns_finish(fc);
            if (fb) {
                ok = pb_batch_length(fb) == x.items;
                pb_batch_unref(fb);
            }
        } else if (fc) {
            CHECK(pb_columns_error(fc)[0] != '\0', "a message when failing at %zu", fail_at);
        }
        if (fc) pb_columns_free(fc);
        pb_parser_free(fp);
        CHECK(counts.live_blocks == 0, "%s: %ld blocks leaked failing allocation %zu", path, counts.live_blocks,
              fail_at);
        if (!counts.failed) { /* no allocation left to fail: the run succeeded */
            CHECK(ok, "complete run after %zu allocations", fail_at - 1);
            total = fail_at - 1;
            break;
        }
    }
    CHECK(total > 10, "allocations exercised: %zu", total);
    free(data);
}

static void test_utf8_repair(void) {
    /* A table and one row whose name holds invalid bytes. */
    static const char text[] = "expenditure"
                               "\xE4\xBD\xA0\xFF\xE4\xBD"
                               "total";
    pb_record recs[2];
    memset(recs, 0, sizeof recs);
    recs[0].kind = PB_R_TABLE;
    recs[0].table = 0;
    recs[0].f[0].off = 0;
    recs[0].f[0].len = 11;
    recs[1].kind = PB_R_ROW;
    recs[1].table = 0;
    recs[1].line = 3;
    recs[1].f[3].off = 11;
    recs[1].f[3].len = 6;
    recs[1].value_begin = 0;
    recs[1].value_count = 1;
    pb_value val;
    memset(&val, 0, sizeof val);
    val.measure.off = 17;
    val.measure.len = 5;
    val.fen = 12345;
    val.state = PB_V_NUMBER;
    pb_records r = {recs, 2, &val, 1, text, sizeof text - 1};
    pb_columns *c = pb_columns_new(NULL);
    CHECK(pb_columns_begin(c, 0, "s", 1) == PB_OK && pb_columns_add(c, &r) == PB_OK &&
              pb_columns_end(c, 1, NULL, 0) == PB_OK,
          "synthetic records");
    pb_batch *b = pb_columns_finish(c);
    struct ArrowArrayStream stream;
    struct ArrowArray array;
    pb_batch_export_stream(b, &stream);
    stream.get_next(&stream, &array);
    const struct ArrowArray *dict = array.children[PB_ICOL_NAME]->dictionary;
    const int32_t *off = dict->buffers[1];
    const char *chars = dict->buffers[2];
    /* 你 U+FFFD (0xFF) U+FFFD (truncated E4 BD): Python's b'...'.decode('utf-8', 'replace') */
    static const char want[] = "\xE4\xBD\xA0\xEF\xBF\xBD\xEF\xBF\xBD";
    CHECK(array.length == 1 && dict->length == 1 && off[1] - off[0] == (int32_t)(sizeof want - 1) &&
              memcmp(chars + off[0], want, sizeof want - 1) == 0,
          "invalid UTF-8 replaced");
    const int64_t *fen = array.children[PB_ICOL_AMOUNT_FEN]->buffers[1];
    const double *yuan = array.children[PB_ICOL_AMOUNT]->buffers[1];
    CHECK(fen[0] == 12345 && yuan[0] == 123.45, "amounts");
    CHECK(array.children[PB_ICOL_DEPARTMENT]->null_count == 1 && array.children[PB_ICOL_YEAR]->null_count == 1,
          "no department, no year: null");
    array.release(&array);
    stream.release(&stream);
    pb_batch_unref(b);
    pb_columns_free(c);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s SEEDS_DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 2;
    }
    struct dirent *e;
    int seeds = 0;
    while ((e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        test_seed(path);
        seeds++;
    }
    closedir(dir);
    CHECK(seeds > 0, "seed documents in %s", argv[1]);
    test_utf8_repair();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
