/* Narrative facts: the figures the prose (情况说明) states about known
 * subjects, read from the document's prose lines (what doc.texts holds).
 *
 * Pure C: the caller hands over the lines, pb_facts_read joins wrapped lines
 * into paragraphs, splits sentences, finds figures and the words around them
 * (其中 lists, changes, shares, reasons) and stores the facts in a store it
 * owns. Strings are spans into the store's own text buffer (offsets, never
 * pointers into memory that may move). pybudget/facts.py turns the facts
 * into Fact objects. */
#ifndef PB_FACTS_H
#define PB_FACTS_H

#include "pb.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Hard limits: a read past them fails with PB_FACTS_TOO_BIG and keeps nothing.
 * A store starts with these; a caller may lower them (tests do). */
#define PB_FACTS_MAX_TEXT ((size_t)1 << 28)  /* bytes of paragraphs, sentences and strings kept */
#define PB_FACTS_MAX_FACTS ((size_t)1 << 20) /* facts of one call */
#define PB_FACTS_MAX_LINE ((size_t)1 << 24)  /* bytes of one prose line */

typedef enum pb_facts_status {
    PB_FACTS_OK = 0,
    PB_FACTS_NO_MEMORY = 1,
    PB_FACTS_TOO_BIG = 2,
} pb_facts_status;

/* One prose line: its number in the document and its UTF-8 text. */
typedef struct pb_fact_line {
    uint64_t line;
    const char *text;
    size_t len;
} pb_fact_line;

/* A string kept in the store's text: text[off, off + len); absent when !present. */
typedef struct pb_fact_span {
    uint32_t off;
    uint32_t len;
    uint8_t present;
} pb_fact_span;

/* What a number field holds. */
enum { PB_FN_ABSENT = 0, PB_FN_FIGURE = 1, PB_FN_ZERO = 2, PB_FN_INFINITY = 3 };

/* A figure as printed: digits × 10^exponent, negated when negative (a change
 * stated by 减少/下降: the sign is kept apart so that 减少0 is a negative
 * zero, as the decimal arithmetic of the Python side makes it). PB_FN_ZERO is
 * an exact 0 stated by words ('与上年持平'). unit is the unit the figure was
 * printed in (a change in 元 may be of an amount in 万元). */
typedef struct pb_fact_number {
    uint64_t digits;
    int32_t exponent;
    uint8_t state;
    uint8_t negative;
    uint8_t unit;
} pb_fact_number;

/* Units as facts keep them ('％' is '%', '名' counts people). */
enum { PB_FU_WAN_YUAN, PB_FU_YI_YUAN, PB_FU_YUAN, PB_FU_PERCENT, PB_FU_VEHICLES, PB_FU_SQUARE_METRES,
       PB_FU_PEOPLE, PB_FU_COUNT, PB_FU__COUNT };

/* One fact: the fields of pybudget.facts.Fact. Indexes are -1 when absent. */
typedef struct pb_fact {
    uint16_t subject; /* pb_fact_subject_name(subject) */
    uint8_t unit;     /* PB_FU_* */
    uint8_t nlines;
    int32_t decimals, share_decimals, change_decimals, change_pct_decimals;
    pb_fact_number value, share, change, change_pct;
    uint64_t line;
    uint64_t lines[4]; /* every line a part of the fact was printed on, in order, no repeats */
    pb_fact_span sentence, section, reason, qualifier;
    int32_t index, paragraph, sentence_id;
    int32_t part_of, part_list, share_base, share_base_subject;
    uint32_t end; /* where the value's figure ends in its sentence (bytes) */
} pb_fact;

/* A paragraph: prose lines joined where a sentence runs on. */
typedef struct pb_fact_paragraph {
    pb_fact_span text, section;
    uint32_t first_start, nstarts; /* its entries in the store's starts */
    uint8_t heading;
} pb_fact_paragraph;

/* Where a line starts in its paragraph's text (bytes). */
typedef struct pb_fact_start {
    uint32_t off;
    uint64_t line;
} pb_fact_start;

typedef struct pb_fact_store {
    pb_allocator alloc;
    size_t max_text, max_facts, max_line; /* the limits (PB_FACTS_MAX_*), at most those */
    char *text;
    size_t text_len, text_cap;
    pb_fact *facts;
    size_t nfacts, facts_cap;
    pb_fact_paragraph *paras;
    size_t nparas, paras_cap;
    pb_fact_start *starts;
    size_t nstarts, starts_cap;
} pb_fact_store;

/* NULL allocator = malloc/realloc/free. Init cannot fail; free may be called on
 * an initialised store at any time. */
void pb_fact_store_init(pb_fact_store *st, const pb_allocator *allocator);
void pb_fact_store_free(pb_fact_store *st);

/* Reads the facts of the prose lines (in document order) into st, replacing
 * what it held. On an error st holds nothing. */
pb_facts_status pb_facts_read(pb_fact_store *st, const pb_fact_line *lines, size_t n);
/* Only joins the lines into paragraphs (st->paras, st->starts). */
pb_facts_status pb_facts_paragraphs(pb_fact_store *st, const pb_fact_line *lines, size_t n);

const char *pb_facts_status_message(pb_facts_status status);
/* 1 when the money words' buckets compiled in (pb_fact_index.h, written by csrc/gen_fact_index.py)
 * are those of the word table, 0 when the header is stale. */
int pb_facts_index_current(void);
/* Subject names: the first pb_fact_subject_count() are every subject a fact can
 * have (classes by their full names); the vehicle kinds follow. NULL past the end. */
const char *pb_fact_subject_name(size_t subject);
size_t pb_fact_subject_count(void);
const char *pb_fact_unit_name(unsigned unit);
/* The power of ten of 元 a money unit is (万元 4, 亿元 8, 元 0; UNIT_YUAN in pybudget/model.py),
 * -1 for the other units. Inline: the comparisons of facts ask it of every amount. */
static inline int pb_fact_money_pow10(unsigned unit) {
    switch (unit) {
    case PB_FU_YUAN: return 0;
    case PB_FU_WAN_YUAN: return 4;
    case PB_FU_YI_YUAN: return 8;
    default: return -1;
    }
}
/* A function class (政府支出功能分类, 类): its code and a name of it. */
typedef struct pb_fact_class {
    const char *code;
    const char *name;
} pb_fact_class;
/* The function classes and the older or regional stems of them, as arrays of *count. */
const pb_fact_class *pb_fact_function_classes(size_t *count);
const pb_fact_class *pb_fact_class_aliases(size_t *count);
/* The function classes: code and name of class i, 0 past the end. */
int pb_fact_function_class(size_t i, const char **code, const char **name);
/* Older or regional stems of the classes ('文化体育与传媒'), 0 past the end. */
int pb_fact_class_alias(size_t i, const char **code, const char **stem);

#ifdef __cplusplus
}
#endif
#endif
