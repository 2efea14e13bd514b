/* The parser object: lifetime, memory, record store, errors and warnings. */
#include "pb_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- code tables --------------------------------------------------------- */

#define PB_NAME_ENTRY(name, text) #name,
#define PB_TEXT_ENTRY(name, text) text,
static const char *const error_names[] = {PB_ERROR_TABLE(PB_NAME_ENTRY)};
static const char *const error_texts[] = {PB_ERROR_TABLE(PB_TEXT_ENTRY)};
static const char *const warning_names[] = {PB_WARNING_TABLE(PB_NAME_ENTRY)};
static const char *const warning_texts[] = {PB_WARNING_TABLE(PB_TEXT_ENTRY)};
static const char *const record_names[] = {PB_RECORD_TABLE(PB_TEXT_ENTRY)};
#undef PB_NAME_ENTRY
#undef PB_TEXT_ENTRY

const char *pb_error_name(pb_error_code c) { return (unsigned)c < PB_E__COUNT ? error_names[c] : "UNKNOWN"; }
const char *pb_error_text(pb_error_code c) { return (unsigned)c < PB_E__COUNT ? error_texts[c] : "unknown error"; }
const char *pb_warning_name(pb_warning_code c) { return (unsigned)c < PB_W__COUNT ? warning_names[c] : "UNKNOWN"; }
const char *pb_warning_text(pb_warning_code c) { return (unsigned)c < PB_W__COUNT ? warning_texts[c] : "unknown warning"; }
const char *pb_record_kind_name(pb_record_kind k) { return (unsigned)k < PB_R__COUNT ? record_names[k] : "unknown"; }

/* ---- memory -------------------------------------------------------------- */

static void *default_malloc(void *ctx, size_t n) { (void)ctx; return malloc(n); }
static void *default_realloc(void *ctx, void *ptr, size_t n) { (void)ctx; return realloc(ptr, n); }
static void default_free(void *ctx, void *ptr) { (void)ctx; free(ptr); }

pb_allocator pb_default_allocator(void) {
    pb_allocator a = {default_malloc, default_realloc, default_free, NULL};
    return a;
}

void *pb_alloc(pb_parser *p, size_t n) {
    void *r = p->alloc.malloc(p->alloc.ctx, n ? n : 1);
    if (!r) pb_set_error(p, PB_E_NOMEM, p->line_no, "allocating %zu bytes", n);
    return r;
}

void *pb_realloc(pb_parser *p, void *ptr, size_t n) {
    void *r = p->alloc.realloc(p->alloc.ctx, ptr, n ? n : 1);
    if (!r) pb_set_error(p, PB_E_NOMEM, p->line_no, "allocating %zu bytes", n);
    return r;
}

void pb_dealloc(pb_parser *p, void *ptr) {
    if (ptr) p->alloc.free(p->alloc.ctx, ptr);
}

int pb_buf_grow(pb_parser *p, pb_buf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) return pb_set_error(p, PB_E_NOMEM, p->line_no, "buffer overflow");
        cap *= 2;
    }
    char *d = pb_realloc(p, b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

void pb_buf_free(pb_parser *p, pb_buf *b) {
    pb_dealloc(p, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- errors -------------------------------------------------------------- */

int pb_set_error(pb_parser *p, pb_error_code code, uint64_t line, const char *fmt, ...) {
    if (p->error != PB_E_NONE) return -1; /* the first error wins */
    p->error = code;
    p->error_line = line;
    p->error_column = 0;
    p->error_offset = p->bytes_in;
    char detail[320] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    snprintf(p->error_message, sizeof p->error_message, "%s%s%s (line %llu, byte %llu)",
             pb_error_text(code), detail[0] ? ": " : "", detail, (unsigned long long)line,
             (unsigned long long)p->error_offset);
    return -1;
}

int pb_warn(pb_parser *p, uint64_t line, pb_warning_code code, const char *fmt, ...) {
    char msg[400];
    size_t n = (size_t)snprintf(msg, sizeof msg, "%s", pb_warning_text(code));
    if (fmt && n < sizeof msg - 3) {
        msg[n++] = ':';
        msg[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg + n, sizeof msg - n, fmt, ap);
        va_end(ap);
    }
    p->warnings++;
    if (p->opt.strict) return pb_set_error(p, PB_E_STRICT, line, "%s", msg);
    long r = pb_rec_new(p, PB_R_WARNING, line, p->table.open ? p->table.id : -1);
    if (r < 0) return -1;
    if (pb_rec_fieldz(p, r, 0, pb_warning_name(code)) < 0) return -1;
    return pb_rec_fieldz(p, r, 1, msg);
}

/* ---- record store -------------------------------------------------------- */

void *pb_grow_array(pb_parser *p, void *items, size_t *cap, size_t item_size, size_t first_cap) {
    size_t grown = *cap ? *cap * 2 : first_cap;
    if (grown > SIZE_MAX / item_size) {
        pb_set_error(p, PB_E_NOMEM, p->line_no, "array overflow");
        return NULL;
    }
    void *moved = pb_realloc(p, items, grown * item_size);
    if (moved) *cap = grown;
    return moved;
}

/* The record array grows: out of line, so that the usual call saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static long rec_new_grow(pb_parser *p, pb_record_kind kind, uint64_t line, int32_t table) {
    pb_store *s = &p->store;
    pb_record *records = pb_grow_items(p, s->records, &s->cap, s->count, sizeof *records, 256);
    if (!records) return -1;
    s->records = records;
    return pb_rec_new(p, kind, line, table);
}

long pb_rec_new(pb_parser *p, pb_record_kind kind, uint64_t line, int32_t table) {
    pb_store *s = &p->store;
    if (s->count >= s->cap) return rec_new_grow(p, kind, line, table);
    pb_record *r = &s->records[s->count];
    /* cleared up to the value range, which is set: five wide stores, where a
     * memset of the whole record (88 bytes) becomes a slower string store */
    memset(r, 0, offsetof(pb_record, value_begin));
    r->kind = (uint8_t)kind;
    r->line = (uint32_t)(line > UINT32_MAX ? UINT32_MAX : line);
    r->table = table;
    r->index = -1;
    r->value_begin = (uint32_t)s->value_count;
    r->value_count = 0;
    return (long)s->count++;
}

/* The text arena holds every record's strings back to back, NUL after the
 * last: a field is its offset and length there. */

/* Whether n more bytes and the NUL fit without growing (the usual case). */
static inline int text_fits(const pb_buf *t, size_t n) { return t->len + n + 1 <= t->cap && t->len + n <= UINT32_MAX; }

/* Makes room for n more bytes and the NUL: 0, or -1 with the error set. */
static int text_room(pb_parser *p, size_t n) {
    pb_buf *t = &p->store.text;
    if (t->len + n > UINT32_MAX) return pb_set_error(p, PB_E_NOMEM, p->line_no, "record text arena full");
    return pb_buf_reserve(p, t, n);
}

/* Takes n bytes of the arena, room made, for a string: its place in *out,
 * where to copy it returned. The copy comes last, so that nothing waits on it. */
static inline char *take_text(pb_buf *t, size_t n, pb_str *out) {
    char *at = t->data + t->len; /* data is allocated once there is room */
    out->off = (uint32_t)t->len;
    out->len = (uint32_t)n;
    t->len += n;
    return at;
}


/* The arena grows: out of line, so that the usual call saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int rec_field_grow(pb_parser *p, long rec, int field, const char *s, size_t n) {
    if (text_room(p, n) < 0) return -1;
    return pb_rec_field(p, rec, field, s, n);
}

int pb_rec_field(pb_parser *p, long rec, int field, const char *s, size_t n) {
    pb_buf *t = &p->store.text;
    if (n == 0) { /* an empty field takes no text: length 0, as unused fields are (pb.h) */
        p->store.records[rec].f[field] = (pb_str){0, 0};
        return 0;
    }
    if (!text_fits(t, n)) return rec_field_grow(p, rec, field, s, n);
    char *at = take_text(t, n, &p->store.records[rec].f[field]);
    at[n] = '\0';
    pb_copy_small(at, s, n);
    return 0;
}

int pb_rec_value(pb_parser *p, long rec, const char *measure, size_t mlen, const char *text,
                 size_t tlen, int64_t fen, int state, int decimals) {
    pb_store *s = &p->store;
    pb_value *values = pb_grow_items(p, s->values, &s->value_cap, s->value_count, sizeof *values, 512);
    if (!values) return -1;
    s->values = values;
    /* one room for both strings: the measure, then the text right after it */
    if (!text_fits(&s->text, mlen + tlen) && text_room(p, mlen + tlen) < 0) return -1;
    pb_value *v = &s->values[s->value_count++];
    memset(v, 0, sizeof *v);
    char *m_at = take_text(&s->text, mlen, &v->measure), *t_at = take_text(&s->text, tlen, &v->text);
    t_at[tlen] = '\0';
    v->fen = fen;
    v->state = (uint8_t)state;
    v->decimals = (uint8_t)(decimals < 0 ? 0 : decimals > 255 ? 255 : decimals);
    s->records[rec].value_count++;
    pb_copy_small(m_at, measure, mlen); /* either may be NULL when empty: no byte is read then */
    pb_copy_small(t_at, text, tlen);
    return 0;
}

pb_records pb_get_records(const pb_parser *p) {
    pb_records r;
    r.records = p->store.records;
    r.count = p->store.count;
    r.values = p->store.values;
    r.value_count = p->store.value_count;
    r.text = p->store.text.data ? p->store.text.data : "";
    r.text_len = p->store.text.len;
    return r;
}

void pb_records_clear(pb_parser *p) {
    p->store.count = 0;
    p->store.value_count = 0;
    p->store.text.len = 0;
}

/* ---- lifetime ------------------------------------------------------------ */

void pb_options_default(pb_options *o) {
    o->strict = 0;
    o->max_line = 1u << 20;
    o->max_cells = 512;
    o->max_table_rows = 200000;
    o->max_inflate_ratio = 1000;
    o->tokenize_only = 0;
}

static void init_state(pb_parser *p) {
    /* Everything a fresh parse needs, with no allocation: reset uses it too. */
    p->error = PB_E_NONE;
    p->error_message[0] = '\0';
    p->error_line = p->error_column = p->error_offset = 0;
    p->finished = 0;
    p->warnings = 0;
    p->cells_seen = 0;
    p->source = PB_SRC_SNIFF;
    p->nsniff = 0;
    p->bytes_in = 0;
    p->zs_open = 0;
    p->zs_member_done = 0;
    p->inflated = 0;
    p->enc = PB_ENC_PROBE;
    strcpy(p->encoding_name, "utf-8");
    p->utf8_npending = 0;
    p->cd_open = 0;
    p->iconv_npending = 0;
    p->text_bytes = 0;
    p->nul_warned = p->invalid_warned = 0;
    p->skip_lf = 0;
    p->discarding_line = 0;
    p->line_no = 0;
    p->line_start_offset = 0;
    memset(p->html_rowspan, 0, sizeof p->html_rowspan);
    p->html_rowspan_live = 0;
    p->csv_mode = 0;
    p->csv_held_lines = 0;
    p->csv_held_first = 0;
    p->csv_open_cell = 0;
    p->csv_quote_is_mark = 0;
    p->doc = PB_D_PREAMBLE;
    p->title_found = 0;
    p->year = 0;
    p->toc_parts_seen = 0;
    p->toc_first.len = 0;
    p->parts_seen = 0;
    p->tables_seen = 0;
    p->next_table_id = 0;
    p->next_project = 0;
    p->last_unit_pow10 = -1;
    p->unit_line_pow10 = -1;
    p->unit_line_no = 0;
}

pb_parser *pb_parser_new(const pb_options *options, const pb_allocator *allocator) {
    pb_allocator a = allocator ? *allocator : pb_default_allocator();
    pb_parser *p = a.malloc(a.ctx, sizeof *p);
    if (!p) return NULL;
    memset(p, 0, sizeof *p); /* every pointer NULL before anything can fail */
    p->alloc = a;
    if (options) {
        p->opt = *options;
        pb_options def;
        pb_options_default(&def);
        if (!p->opt.max_line) p->opt.max_line = def.max_line;
        if (!p->opt.max_cells) p->opt.max_cells = def.max_cells;
        if (!p->opt.max_table_rows) p->opt.max_table_rows = def.max_table_rows;
        if (!p->opt.max_inflate_ratio) p->opt.max_inflate_ratio = def.max_inflate_ratio;
    } else {
        pb_options_default(&p->opt);
    }
    p->table.subleaf_row = -1;
    init_state(p);
    return p;
}

static void release(pb_parser *p) {
    pb_source_free(p);
    pb_decode_free(p);
    pb_document_free(p);
    pb_buf_free(p, &p->raw_line);
    pb_buf_free(p, &p->csv_line);
    pb_buf_free(p, &p->csv_held);
    pb_buf_free(p, &p->line.text);
    pb_buf_free(p, &p->line.squeezed);
    pb_dealloc(p, p->line.cells);
    p->line.cells = NULL;
    p->line.cells_cap = p->line.ncells = 0;
    pb_buf_free(p, &p->prev_text);
    pb_buf_free(p, &p->scratch);
    pb_buf_free(p, &p->scratch2);
}

void pb_parser_reset(pb_parser *p) {
    if (!p) return;
    release(p);
    pb_records_clear(p);
    init_state(p);
}

void pb_parser_free(pb_parser *p) {
    if (!p) return;
    release(p);
    /* the remembered column sets outlive a reset, like the classified headers */
    for (int i = 0; i < PB_COLSET_SLOTS; i++) pb_buf_free(p, &p->colsets[i].entry);
    pb_dealloc(p, p->store.records);
    pb_dealloc(p, p->store.values);
    pb_buf_free(p, &p->store.text);
    pb_allocator a = p->alloc;
    a.free(a.ctx, p);
}

/* After a broken gzip stream, what was inflated before the break is still
 * text: push it through the remaining stages so those records are kept. */
static void salvage(pb_parser *p) {
    pb_error_code e = p->error;
    if (e != PB_E_GZIP && e != PB_E_GZIP_TRUNCATED && e != PB_E_GZIP_RATIO) return;
    if (p->finished == 2) return;
    p->finished = 2;
    pb_decode_finish(p);
    pb_lines_finish(p);
    if (p->table.open) pb_table_end(p);
}

pb_status pb_feed(pb_parser *p, const void *data, size_t len) {
    if (p->error != PB_E_NONE) return PB_ERROR;
    if (p->finished) {
        pb_set_error(p, PB_E_AFTER_FINISH, p->line_no, NULL);
        return PB_ERROR;
    }
    if (len && pb_source_feed(p, (const unsigned char *)data, len) < 0) {
        salvage(p);
        return PB_ERROR;
    }
    return p->error == PB_E_NONE ? PB_OK : PB_ERROR;
}

pb_status pb_finish(pb_parser *p) {
    if (p->error != PB_E_NONE) return PB_ERROR;
    if (p->finished) return PB_OK;
    p->finished = 1;
    if (pb_source_finish(p) < 0) {
        salvage(p);
        return PB_ERROR;
    }
    if (pb_decode_finish(p) < 0) return PB_ERROR;
    if (pb_lines_finish(p) < 0) return PB_ERROR;
    if (!p->opt.tokenize_only && pb_document_finish(p) < 0) return PB_ERROR;
    return p->error == PB_E_NONE ? PB_OK : PB_ERROR;
}

pb_token_counts pb_get_token_counts(const pb_parser *p) {
    pb_token_counts c = {p->line_no, p->cells_seen, p->text_bytes};
    return c;
}

pb_error_code pb_error(const pb_parser *p) { return p->error; }
const char *pb_error_message(const pb_parser *p) { return p->error_message; }
uint64_t pb_error_line(const pb_parser *p) { return p->error_line; }
uint64_t pb_error_column(const pb_parser *p) { return p->error_column; }
uint64_t pb_error_offset(const pb_parser *p) { return p->error_offset; }
uint64_t pb_bytes_in(const pb_parser *p) { return p->bytes_in; }
uint64_t pb_lines(const pb_parser *p) { return p->line_no; }
const char *pb_encoding(const pb_parser *p) { return p->encoding_name; }
int pb_is_gzip(const pb_parser *p) { return p->source == PB_SRC_GZIP; }
