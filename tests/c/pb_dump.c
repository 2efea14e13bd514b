/* Prints the record log of a file, one record a line: the format of the
 * golden fixtures and a debugging aid. Usage: pb_dump FILE [CHUNK] */
#include "../../csrc/pb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_str(const pb_records *r, pb_str s) {
    fwrite(r->text + s.off, 1, s.len, stdout);
}

static void dump(const pb_records *r) {
    for (size_t i = 0; i < r->count; i++) {
        const pb_record *rec = &r->records[i];
        printf("%u %s t%d", rec->line, pb_record_kind_name((pb_record_kind)rec->kind), rec->table);
        if (rec->index >= 0) printf(" #%d", rec->index);
        if (rec->flags) printf(" f%u", rec->flags);
        for (int f = 0; f < PB_NFIELDS; f++) {
            if (!rec->f[f].len) continue;
            printf(" f%d=", f);
            put_str(r, rec->f[f]);
        }
        for (uint32_t v = 0; v < rec->value_count; v++) {
            const pb_value *val = &r->values[rec->value_begin + v];
            printf(" | ");
            put_str(r, val->measure);
            if (val->state == PB_V_NUMBER) printf("=%lld", (long long)val->fen);
            else if (val->state == PB_V_DASH) printf("=-");
            else {
                printf(val->state == PB_V_COLUMN ? ":" : "~");
                put_str(r, val->text);
            }
        }
        putchar('\n');
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [CHUNK]\n", argv[0]);
        return 2;
    }
    size_t chunk = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 65536;
    if (!chunk) chunk = 1;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    pb_parser *p = pb_parser_new(NULL, NULL);
    if (!p) return 3;
    char *buf = malloc(chunk);
    size_t n;
    int status = 0;
    while (buf && (n = fread(buf, 1, chunk, f)) > 0) {
        if (pb_feed(p, buf, n) != PB_OK) break;
        pb_records r = pb_get_records(p);
        dump(&r);
        pb_records_clear(p);
    }
    if (pb_error(p) == PB_E_NONE) pb_finish(p);
    pb_records r = pb_get_records(p);
    dump(&r);
    if (pb_error(p) != PB_E_NONE) {
        printf("ERROR %s: %s\n", pb_error_name(pb_error(p)), pb_error_message(p));
        status = 1;
    }
    free(buf);
    fclose(f);
    pb_parser_free(p);
    return status;
}
