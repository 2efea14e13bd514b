/*
 * pb_columns: the items of one or many documents stored by column, and their
 * export through the Arrow C data interface. Plain C99; no Python.h.
 *
 * An "item" is one amount cell of one table row: the long (tidy) form of
 * every table. The builder reads the core's record table (pb_get_records)
 * after each pb_feed / pb_finish and appends one item per amount or printed
 * dash; strings are dictionary-encoded (int32 indices into a UTF-8
 * dictionary), so repeated names cost four bytes a row.
 *
 *   pb_columns *c = pb_columns_new(NULL);
 *   pb_parser *p = pb_parser_new(NULL, NULL);
 *   for each document:
 *       pb_columns_parse(c, p, doc_id, source, slen, data, len);
 *   pb_batch *b = pb_columns_finish(c);        // columns move into b
 *   struct ArrowArrayStream s;
 *   pb_batch_export_stream(b, &s);             // Arrow owns a reference
 *   pb_batch_unref(b);
 *
 * A document that fails to parse keeps no rows; its summary records the
 * error. Exported arrays hold a reference on the batch and release it from
 * their release callbacks, from any thread.
 *
 * Hard limits: a batch holds at most INT32_MAX items, and each dictionary at
 * most INT32_MAX bytes of text (Arrow utf8 offsets are 32-bit). Past them
 * pb_columns_* returns PB_ERROR with pb_columns_error() explaining.
 */
#ifndef PB_COLUMNS_H
#define PB_COLUMNS_H

#include "pb.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Arrow C data interface, as the Apache Arrow specification defines it ---- */

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    /* Array type description */
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;

    /* Release callback */
    void (*release)(struct ArrowSchema *);
    /* Opaque producer-specific data */
    void *private_data;
};

struct ArrowArray {
    /* Array data description */
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;

    /* Release callback */
    void (*release)(struct ArrowArray *);
    /* Opaque producer-specific data */
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    /* Callbacks providing stream functionality */
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);

    /* Release callback */
    void (*release)(struct ArrowArrayStream *);

    /* Opaque producer-specific data */
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

/* ---- the items columns ---------------------------------------------------- */

typedef enum pb_col_type {
    PB_COL_INT64 = 0,   /* Arrow "l" */
    PB_COL_INT32 = 1,   /* Arrow "i" */
    PB_COL_FLOAT64 = 2, /* Arrow "g" */
    PB_COL_DICT = 3     /* Arrow "i" indices into a "u" (utf8) dictionary */
} pb_col_type;

/* name, type, nullable: the column order of the exported struct array. */
#define PB_ITEM_COLUMNS(X)                                                     \
    X(DOC_ID, "doc_id", PB_COL_INT64, 0)                                       \
    X(SOURCE, "source", PB_COL_DICT, 0)                                        \
    X(DEPARTMENT, "department", PB_COL_DICT, 1)                                \
    X(YEAR, "year", PB_COL_INT32, 1)                                           \
    X(TABLE_KIND, "table_kind", PB_COL_DICT, 0)                                \
    X(TABLE, "table", PB_COL_INT32, 0)                                         \
    X(ROW, "row", PB_COL_INT32, 0)                                             \
    X(LINE, "line", PB_COL_INT32, 0)                                           \
    X(CODE, "code", PB_COL_DICT, 1)                                            \
    X(LEVEL, "level", PB_COL_DICT, 1)                                          \
    X(PARENT, "parent", PB_COL_DICT, 1)                                        \
    X(NAME, "name", PB_COL_DICT, 0)                                            \
    X(SIDE, "side", PB_COL_DICT, 1)                                            \
    X(ROLE, "role", PB_COL_DICT, 1)                                            \
    X(MEASURE, "measure", PB_COL_DICT, 0)                                      \
    X(AMOUNT_FEN, "amount_fen", PB_COL_INT64, 1)                               \
    X(AMOUNT, "amount", PB_COL_FLOAT64, 1)

#define PB_ICOL_ENUM(id, name, type, nullable) PB_ICOL_##id,
typedef enum pb_item_column { PB_ITEM_COLUMNS(PB_ICOL_ENUM) PB_ICOL__COUNT } pb_item_column;
#undef PB_ICOL_ENUM

const char *pb_item_column_name(pb_item_column col);

/* A span of text owned by the builder; present = 0 means "no value" (None). */
typedef struct pb_span {
    const char *s;
    size_t n;
    int present;
} pb_span;

/* What one parsed document gave; strings stay valid until pb_columns_free. */
typedef struct pb_doc_summary {
    int64_t doc_id;
    int ok;                  /* 0: the document failed; see error_* */
    pb_span title;           /* last META title */
    pb_span department;      /* META department, else the first table's */
    pb_span kind;            /* budget | final */
    int has_year;
    int32_t year;
    const char *encoding;    /* "utf-8", "gb18030", ... (NUL-terminated) */
    int gzip;
    uint64_t bytes;          /* input bytes */
    uint32_t tables, projects, indicators, warnings;
    uint64_t items;          /* rows this document added */
    pb_span table_kinds;     /* canonical kinds of its tables, '\n'-separated */
    pb_error_code error;     /* PB_E_NONE when ok */
    pb_span error_message;   /* the core's message, with position */
    uint64_t error_line;
    uint64_t error_offset;
} pb_doc_summary;

typedef struct pb_columns pb_columns;
typedef struct pb_batch pb_batch;

/* NULL allocator = malloc/realloc/free. Returns NULL when out of memory. */
pb_columns *pb_columns_new(const pb_allocator *allocator);
void pb_columns_free(pb_columns *c);

/* Low-level use: begin, add the records after every pb_feed / pb_finish (before
 * pb_records_clear), end with keep = 0 to drop the document's rows. */
pb_status pb_columns_begin(pb_columns *c, int64_t doc_id, const char *source, size_t source_len);
pb_status pb_columns_add(pb_columns *c, const pb_records *r);
pb_status pb_columns_end(pb_columns *c, int keep, const pb_parser *p, uint64_t bytes);

/* Parses one whole document held in memory with p (reset first), adding its
 * items. A document the parser rejects is recorded in its summary and is not
 * an error here: PB_ERROR means the columns themselves failed (memory,
 * limits); see pb_columns_error. */
pb_status pb_columns_parse(pb_columns *c, pb_parser *p, int64_t doc_id, const char *source, size_t source_len,
                           const void *data, size_t len);

const char *pb_columns_error(const pb_columns *c);
int64_t pb_columns_length(const pb_columns *c);
size_t pb_columns_doc_count(const pb_columns *c);
/* Summary of document i (0-based, in the order they were parsed). */
int pb_columns_doc(const pb_columns *c, size_t i, pb_doc_summary *out);

/* Moves the items into an immutable batch (reference count 1) and empties the
 * item columns; document summaries stay. NULL when out of memory. */
pb_batch *pb_columns_finish(pb_columns *c);

int64_t pb_batch_length(const pb_batch *b);
void pb_batch_ref(pb_batch *b);
void pb_batch_unref(pb_batch *b);

/* Fills out with a stream of one record batch (a struct array of the item
 * columns). The stream holds its own reference on b. Returns 0 or ENOMEM. */
int pb_batch_export_stream(pb_batch *b, struct ArrowArrayStream *out);
/* The schema alone (struct of the item columns). Returns 0 or ENOMEM. */
int pb_batch_export_schema(const pb_batch *b, struct ArrowSchema *out);

#ifdef __cplusplus
}
#endif
#endif
