/* The C core alone, without Python: parses each file given (held in memory)
 * with one parser, either through the whole core into item columns (as
 * pybudget._core.parse_items does) or through the tokenizer only, and prints
 * MB/s and documents/s.
 *
 *   bench_core [--tokenize] [--repeat N] FILE...
 *
 * Built and run by `make bench-core` on a generated corpus; under
 * `valgrind --tool=callgrind` (`make bench-core-count`) it gives instruction
 * counts, which unlike wall time do not depend on what else the machine runs. */
#include "../csrc/pb.h"
#include "../csrc/pb_columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct document {
    unsigned char *data;
    size_t len;
} document;

static int load(const char *path, document *doc) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 16, len = 0;
    unsigned char *data = malloc(cap);
    for (size_t got; data && (got = fread(data + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap) {
            unsigned char *bigger = realloc(data, cap *= 2);
            if (!bigger) free(data);
            data = bigger;
        }
    }
    fclose(f);
    if (!data) return -1;
    doc->data = data;
    doc->len = len;
    return 0;
}

static double seconds_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass of the tokenizer over every document; returns the cells seen and
 * adds the text bytes (after gzip and decoding) to *text. */
static unsigned long long tokenize_all(pb_parser *p, const document *docs, int n, unsigned long long *text) {
    unsigned long long cells = 0;
    for (int i = 0; i < n; i++) {
        pb_parser_reset(p);
        if (pb_feed(p, docs[i].data, docs[i].len) == PB_OK) pb_finish(p);
        pb_token_counts counts = pb_get_token_counts(p);
        cells += counts.cells;
        *text += counts.text_bytes;
    }
    return cells;
}

/* One pass of the whole core into item columns; returns the items stored and
 * adds the text bytes to *text. */
static long long columns_all(pb_parser *p, const document *docs, int n, unsigned long long *text) {
    pb_columns *c = pb_columns_new(NULL);
    if (!c) return -1;
    for (int i = 0; i < n; i++) {
        if (pb_columns_parse(c, p, i, "bench", 5, docs[i].data, docs[i].len) != PB_OK) {
            fprintf(stderr, "bench_core: %s\n", pb_columns_error(c));
            pb_columns_free(c);
            return -1;
        }
        *text += pb_get_token_counts(p).text_bytes;
    }
    long long items = pb_columns_length(c);
    pb_batch *batch = pb_columns_finish(c);
    pb_batch_unref(batch);
    pb_columns_free(c);
    return items;
}

int main(int argc, char **argv) {
    int tokenize = 0, repeat = 3, first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--tokenize") == 0) tokenize = 1;
        else if (strcmp(argv[first], "--repeat") == 0 && first + 1 < argc) repeat = atoi(argv[++first]);
        else {
            fprintf(stderr, "usage: bench_core [--tokenize] [--repeat N] FILE...\n");
            return 2;
        }
    }
    int n = argc - first;
    if (n <= 0 || repeat <= 0) {
        fprintf(stderr, "usage: bench_core [--tokenize] [--repeat N] FILE...\n");
        return 2;
    }
    document *docs = calloc((size_t)n, sizeof *docs);
    size_t bytes = 0;
    for (int i = 0; docs && i < n; i++) {
        if (load(argv[first + i], &docs[i]) < 0) {
            fprintf(stderr, "bench_core: cannot read %s\n", argv[first + i]);
            return 1;
        }
        bytes += docs[i].len;
    }
    pb_options opt;
    pb_options_default(&opt);
    opt.tokenize_only = tokenize;
    pb_parser *p = docs ? pb_parser_new(&opt, NULL) : NULL;
    if (!p) return 1;
    unsigned long long text = 0; /* MB/s count text (after gzip and decoding), as the Python benchmarks do */
    double best = 1e30;
    long long produced = 0;
    for (int r = 0; r < repeat; r++) { /* best of repeat: the least disturbed pass */
        double start = seconds_now();
        text = 0;
        produced = tokenize ? (long long)tokenize_all(p, docs, n, &text) : columns_all(p, docs, n, &text);
        double took = seconds_now() - start;
        if (produced < 0) return 1;
        if (took < best) best = took;
    }
    printf("%s: %d documents, %.1f MB read, %llu bytes of text: %.1f MB/s of text, %.0f documents/s, %lld %s\n",
           tokenize ? "tokenizer alone" : "core into columns", n, (double)bytes / 1e6, text,
           (double)text / best / 1e6, n / best, produced, tokenize ? "cells" : "items");
    pb_parser_free(p);
    for (int i = 0; i < n; i++) free(docs[i].data);
    free(docs);
    return 0;
}
