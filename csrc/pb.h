/*
 * pybudget core: a push parser for Chinese government budget disclosure text
 * (部门预算公开 / 部门决算公开) that turns bytes into typed records.
 *
 * The core is plain C99 + zlib + iconv and never includes Python.h.
 *
 *   pb_parser *p = pb_parser_new(&options, NULL);
 *   while (have data) {
 *       if (pb_feed(p, buf, n) != PB_OK) break;   // error stays set until reset
 *       drain(pb_records(p)); pb_records_clear(p);  // memory stays bounded
 *   }
 *   pb_finish(p); drain(...); pb_parser_free(p);
 *
 * Records are stored in a record table plus a value table and one text arena,
 * all addressed by offsets so the arena may grow (and move) freely.
 */
#ifndef PB_H
#define PB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pb_status { PB_OK = 0, PB_ERROR = 1 } pb_status;

/* Error codes and their descriptions: one table serves the C API, the C test
 * program and the Python glue. */
#define PB_ERROR_TABLE(X)                                                      \
    X(NONE, "no error")                                                        \
    X(NOMEM, "out of memory")                                                  \
    X(BINARY, "binary data, not text")                                         \
    X(PDF, "a PDF file, not text: convert it first (pdftotext -layout)")       \
    X(GZIP, "corrupt gzip data")                                               \
    X(GZIP_TRUNCATED, "truncated gzip data")                                   \
    X(GZIP_RATIO, "gzip expansion exceeds max_inflate_ratio")                  \
    X(ENCODING, "cannot decode the text")                                      \
    X(LINE_TOO_LONG, "line longer than max_line bytes")                        \
    X(TOO_MANY_CELLS, "row has more cells than max_cells")                     \
    X(TABLE_TOO_LARGE, "table has more rows than max_table_rows")              \
    X(NOT_DISCLOSURE, "no budget disclosure title or table found")            \
    X(AFTER_FINISH, "feed after finish")                                       \
    X(STRICT, "strict mode: a warning was raised")

#define PB_ERRCODE_ENUM(name, text) PB_E_##name,
typedef enum pb_error_code { PB_ERROR_TABLE(PB_ERRCODE_ENUM) PB_E__COUNT } pb_error_code;
#undef PB_ERRCODE_ENUM

/* Warnings: the parser goes on after them (unless strict). */
#define PB_WARNING_TABLE(X)                                                    \
    X(INVALID_BYTES, "invalid bytes replaced with U+FFFD")                     \
    X(NUL_BYTES, "NUL bytes removed")                                          \
    X(LINE_TOO_LONG, "line longer than max_line skipped")                      \
    X(CELLS_DROPPED, "cells beyond max_cells dropped")                         \
    X(NOT_A_NUMBER, "cell in an amount column is not a number")               \
    X(INEXACT, "amount has more decimals than a fen; rounded")                 \
    X(UNIT_ASSUMED, "table states no unit; assumed 万元")                       \
    X(TABLE_TRUNCATED, "table rows beyond max_table_rows dropped")             \
    X(UNTERMINATED, "input ended inside a table")                              \
    X(ENCODING_GUESS, "encoding guessed")                                      \
    X(CELLS_NOT_SEPARATED, "table line of words and figures with no cell breaks; not read") \
    X(MARKED_FIGURE, "figure read past a unit or footnote mark in its cell") \
    X(UNCLOSED_QUOTE, "CSV quote mark never closed; read as a character")

#define PB_WARNCODE_ENUM(name, text) PB_W_##name,
typedef enum pb_warning_code { PB_WARNING_TABLE(PB_WARNCODE_ENUM) PB_W__COUNT } pb_warning_code;
#undef PB_WARNCODE_ENUM

const char *pb_error_name(pb_error_code code);
const char *pb_error_text(pb_error_code code);
const char *pb_warning_name(pb_warning_code code);
const char *pb_warning_text(pb_warning_code code);

/* Record kinds. Field meanings per kind are listed in pb_record. */
#define PB_RECORD_TABLE(X)                                                     \
    X(META, "meta")                                                            \
    X(PART, "part")                                                            \
    X(TOC, "toc")                                                              \
    X(TABLE, "table")                                                          \
    X(ROW, "row")                                                              \
    X(TABLE_END, "table_end")                                                  \
    X(PROJECT, "project")                                                      \
    X(INDICATOR, "indicator")                                                  \
    X(TEXT, "text")                                                            \
    X(WARNING, "warning")

#define PB_RECKIND_ENUM(name, text) PB_R_##name,
typedef enum pb_record_kind { PB_RECORD_TABLE(PB_RECKIND_ENUM) PB_R__COUNT } pb_record_kind;
#undef PB_RECKIND_ENUM

const char *pb_record_kind_name(pb_record_kind kind);

/* A string in the record text arena. */
typedef struct pb_str {
    uint32_t off;
    uint32_t len;
} pb_str;

#define PB_NFIELDS 8

/*
 * Field use by kind (f[i]; unused fields have len 0):
 *   META       f0 key (title|department|year|kind)   f1 value
 *   PART       f0 heading text
 *   TOC        f0 entry text          f1 page number text (may be empty)
 *   TABLE      f0 kind id  f1 printed title  f2 unit (万元|元|亿元)  f3 department
 *              f4 "1" when the unit was assumed; values = columns (measure, header)
 *   ROW        f0 code  f1 level (类|款|项)  f2 parent code  f3 name  f4 side
 *              f5 role (total|"")  values = amounts and extra text cells
 *   TABLE_END  f0 note text;  flags bit0 = empty (本表无数据), index = max decimals
 *   PROJECT    f0 name; values = text fields and funds (amounts in 元), each
 *              fund with its own line in pb_value.line
 *   INDICATOR  f0 side (period|annual|"")  f1 level1  f2 level2  f3 name
 *              f4 value text  f5 comparator  f6 number (decimal text)  f7 unit
 *              f? extra: values hold "note" text when the table has 指标值说明
 *   TEXT       f0 prose line
 *   WARNING    f0 warning name  f1 message
 * table: id of the table the record belongs to (-1 if none).
 * index: project number for PROJECT/INDICATOR; see TABLE_END.
 */
typedef struct pb_record {
    uint8_t kind;
    uint8_t flags;
    uint32_t line;
    int32_t table;
    int32_t index;
    pb_str f[PB_NFIELDS];
    uint32_t value_begin;
    uint32_t value_count;
} pb_record;

typedef enum pb_value_state {
    PB_V_NUMBER = 0, /* fen holds the amount in 分 */
    PB_V_DASH = 1,   /* printed '-' or '—': explicitly nothing */
    PB_V_TEXT = 2,   /* a text cell (extra column) */
    PB_V_COLUMN = 3  /* a column descriptor of a TABLE record */
} pb_value_state;

typedef struct pb_value {
    pb_str measure; /* canonical measure or field name */
    pb_str text;    /* printed text (header text for columns) */
    int64_t fen;
    uint8_t state;
    uint8_t decimals; /* decimals printed */
    uint32_t line;    /* the value's own source line where it differs from its record's (a
                         project's fund grid), else 0 */
} pb_value;

typedef struct pb_records {
    const pb_record *records;
    size_t count;
    const pb_value *values;
    size_t value_count;
    const char *text; /* arena */
    size_t text_len;
} pb_records;

typedef struct pb_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
} pb_allocator;

/* malloc, realloc and free: what a NULL allocator argument means. */
pb_allocator pb_default_allocator(void);

typedef struct pb_options {
    int strict;                /* first warning becomes an error */
    size_t max_line;           /* bytes of one line (default 1 MiB) */
    size_t max_cells;          /* cells of one line (default 512) */
    size_t max_table_rows;     /* rows of one table (default 200000) */
    size_t max_inflate_ratio;  /* gzip output / input (default 1000) */
    int tokenize_only;         /* stop after lines and cells: no records (to measure the tokenizer) */
} pb_options;

void pb_options_default(pb_options *options);

typedef struct pb_parser pb_parser;

/* NULL allocator = malloc/realloc/free. Returns NULL when out of memory. */
pb_parser *pb_parser_new(const pb_options *options, const pb_allocator *allocator);
pb_status pb_feed(pb_parser *p, const void *data, size_t len);
pb_status pb_finish(pb_parser *p);
void pb_parser_reset(pb_parser *p);
void pb_parser_free(pb_parser *p);

/* What the tokenizer (source, decoding, lines, cells) has produced so far. */
typedef struct pb_token_counts {
    uint64_t lines;
    uint64_t cells;
    uint64_t text_bytes; /* UTF-8 text bytes after decoding */
} pb_token_counts;
pb_token_counts pb_get_token_counts(const pb_parser *p);

/* Records produced since the last clear. Valid until the next call on p. */
pb_records pb_get_records(const pb_parser *p);
void pb_records_clear(pb_parser *p);

/* Error state (sticky until reset). */
pb_error_code pb_error(const pb_parser *p);
const char *pb_error_message(const pb_parser *p); /* full message with position */
uint64_t pb_error_line(const pb_parser *p);
uint64_t pb_error_column(const pb_parser *p);
uint64_t pb_error_offset(const pb_parser *p);

/* Progress and facts about the input. */
uint64_t pb_bytes_in(const pb_parser *p);
uint64_t pb_lines(const pb_parser *p);
const char *pb_encoding(const pb_parser *p); /* "utf-8", "gb18030", "utf-16le", ... */
int pb_is_gzip(const pb_parser *p);

/* Exact amount parsing, shared by every table and the prose. */
typedef enum pb_num_kind { PB_NUM_NONE = 0, PB_NUM_VALUE = 1, PB_NUM_DASH = 2 } pb_num_kind;
typedef struct pb_number {
    pb_num_kind kind;
    int negative;
    uint64_t mantissa; /* digits without the decimal point */
    int decimals;      /* digits after the point */
} pb_number;

/* Parses a whole cell: '733. 90', '4,092.38', '50, 000', '(10.88)' (negative), '-', '—'. */
pb_num_kind pb_parse_number(const char *s, size_t n, pb_number *out);
/* A figure with a unit or footnote marks after it in its own cell ('30.72万元',
 * '30.72*', '30.72①', '30.72¹', '30.72※', '30.72(注1)'): the figure, and through
 * unit_pow10 the power of ten its unit names in 元 (万元 = 4), -1 when it names
 * none. PB_NUM_NONE when the cell has no such mark or the rest is no figure. */
pb_num_kind pb_parse_marked_number(const char *s, size_t n, pb_number *out, int *unit_pow10);
/* Converts to 分 given the unit's power of ten in 元 (万元 = 4). Returns 0 if
 * exact, 1 if rounded, -1 on overflow. */
int pb_number_to_fen(const pb_number *num, int unit_pow10, int64_t *fen);

#ifdef __cplusplus
}
#endif
#endif
