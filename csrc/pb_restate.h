/* pb_restate.h - which prose figures text.vs_table must still look at.
 *
 * text.vs_table (pybudget/checks/text_rules.py) compares each figure the
 * prose states with the table figure it restates. The audit's pass over the
 * tables has found most of those figures already (pb_figure.h: one per spec
 * of pybudget/checks/restated.py's PLAN). pb_restate_run decides every fact
 * whose outcome follows from that: a figure the tables do not print, or one
 * the fact restates within the rule's tolerance for one printed figure (equal
 * in 分, or within half a unit of the prose's last digit when the prose is
 * printed coarser and states no 0), and every fact of a subject or unit no
 * table prints. It hands Python the indexes of the rest: subjects the core
 * does not look for, figures only Python finds, differences to judge and
 * word. A whole count (个) is decided where the plan gives its figure (a
 * PRINTED figure's fen holds the count) and equals it; text.vs_table gives
 * none (Python counts the tables' rows), text.vs_performance gives the counts
 * of the published targets.
 *
 * The arithmetic is exact, in integers of 分 within ±10^18; a fact or figure
 * out of that range, or anything the plan does not describe, is left to
 * Python, which then decides as it always did. Pure C; allocates nothing;
 * no global state. */
#ifndef PB_RESTATE_H
#define PB_RESTATE_H

#include "pb_facts.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a fact is to the rule: money (万元, 亿元, 元), a count (个), or
 * anything else (辆, 人, 平方米, %), which no table prints. */
enum { PB_RESTATE_OTHER = 0, PB_RESTATE_MONEY = 1, PB_RESTATE_COUNT = 2 };

/* pb_restate_fact.flags */
enum {
    PB_RESTATE_EXACT = 1,   /* fen and res_pow hold the fact's value in 分 and resolution exactly (a count:
                               fen holds the whole count) */
    PB_RESTATE_NONZERO = 2, /* the fact does not state 0 */
};

/* Amounts in 分 beyond this (either sign) are left to Python. */
#define PB_RESTATE_LIMIT_FEN ((int64_t)1000000000000000000) /* 10^18 */

/* A fact as the rule compares it. */
typedef struct pb_restate_fact {
    int64_t fen;      /* money: value_yuan (the value in 元 rounded half-even to the 分), in 分; a count: the count */
    int32_t res_pow;  /* money: resolution_yuan (one unit of the last printed digit) is 10^res_pow 元 */
    uint32_t section; /* the fact's section, an index into the plan's contexts */
    uint32_t subject; /* pb_fact_subject_name(subject) */
    uint16_t kind;    /* PB_RESTATE_MONEY, _COUNT or _OTHER */
    uint16_t flags;   /* PB_RESTATE_EXACT, PB_RESTATE_NONZERO */
} pb_restate_fact;    /* 24 bytes, no padding: a fact's bytes are its fields alone */

/* The fact pb_facts_read stored, in `section`. A money value past
 * PB_RESTATE_LIMIT_FEN, or printed decimals far out of range, leave EXACT
 * unset. */
pb_restate_fact pb_restate_fact_of(const pb_fact *f, uint32_t section);

/* The contexts a section is in (restated.section_context): which table a
 * subject restates may depend on it. */
#define PB_RESTATE_CONTEXTS 3

/* A way entry of the plan: the index (>= 0) of the spec whose figure the
 * core found, or one of these. */
#define PB_RESTATE_ASK (-1)     /* Python looks the figure up */
#define PB_RESTATE_NOWHERE (-2) /* no table prints it: nothing to compare */

/* The figure the core found for a spec. */
enum {
    PB_RESTATE_NOT_PRINTED = 0, /* the tables do not print it */
    PB_RESTATE_PRINTED = 1,     /* fen, at res_pow */
    PB_RESTATE_PYTHON = 2,      /* a way only Python knows was reached */
};

typedef struct pb_restate_figure {
    int64_t fen;     /* PRINTED: the figure in 分 */
    int32_t res_pow; /* PRINTED: one unit of its table's last printed digit is 10^res_pow 元 */
    uint8_t state;
} pb_restate_figure;

/* What the rule knows of the tables of one check run.
 * ways[((kind - 1) * n_subjects + subject) * PB_RESTATE_CONTEXTS + context]
 * for kind MONEY and COUNT (2 * n_subjects * PB_RESTATE_CONTEXTS entries);
 * contexts[section] is a section's context; figures[spec] a spec's figure. */
typedef struct pb_restate_plan {
    const int32_t *ways;
    size_t n_subjects;
    const uint8_t *contexts;
    size_t n_sections;
    const pb_restate_figure *figures;
    size_t n_figures;
} pb_restate_plan;

/* Whether Python must look at the fact (1) or the rule's outcome for it is
 * decided: nothing to report (0). */
int pb_restate_looks(const pb_restate_fact *f, const pb_restate_plan *plan);

/* The indexes of the facts Python must look at, in order, into look (room
 * for n; n <= UINT32_MAX + 1); returns how many. */
size_t pb_restate_run(const pb_restate_fact *facts, size_t n, const pb_restate_plan *plan, uint32_t *look);

#ifdef __cplusplus
}
#endif
#endif
