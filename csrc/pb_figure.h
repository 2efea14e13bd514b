/* pb_figure.h - where the tables print a figure the prose restates.
 *
 * pybudget/checks/figures.py declares, for each subject the prose states
 * (收入总计, 人员经费, 公务接待费 …), the ways the tables print it, tried in
 * turn: a row found by its normalised name, a table's total row, the first
 * row with figures (a horizontal “三公” table), a function code's row (or
 * the sum of its printed leaves), a 收支总表's function-class row, a project
 * list's total (机关运行经费表), or a way only Python knows.
 * pb_figure_find follows those ways over the tables pb_audit.h describes and
 * says which cell holds the figure, so the audit compares most restated
 * figures without building them in Python; Python finds the rest, and words
 * every finding.
 *
 * Pure C; reads only what it is given; allocates nothing. */
#ifndef PB_FIGURE_H
#define PB_FIGURE_H

#include "pb_audit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a way finds its figure in the first table of its kind. */
enum {
    PB_WAY_ROW = 1,           /* the first row of `side` whose normalised name is one of `names` */
    PB_WAY_TOTAL = 2,         /* the total row of `side` (pb_audit_total_row) */
    PB_WAY_FIRST_FIGURES = 3, /* the first row that prints an amount */
    PB_WAY_PYTHON = 4,        /* a way the C core does not know: Python finds the figure */
    PB_WAY_CODE = 5,          /* the row of the function code names[0] (lookup.code_figure), or the sum of
                               * its printed leaves; a table printing nothing gives its blank 0 too */
    PB_WAY_CLASS_ROW = 6,     /* the function-class row of class names[0] (lookup.class_rows) */
    PB_WAY_PROJECT_TOTAL = 7, /* a project list's total (pb_audit_project_total): its total row, else
                               * the sum of its unit rows, else of its projects */
};
/* Flags of a way. */
enum {
    PB_WAY_NEEDS_COLUMN = 1, /* ROW, TOTAL: no figure when the table prints no column of the measure (TOTAL:
                              * even when it prints no amount) */
    PB_WAY_EVEN_EMPTY = 2,   /* ROW: the row's cell in a table printing no amount too, not the table's 0 */
    PB_WAY_NEEDS_VALUE = 4,  /* ROW: no figure when the row prints no amount of the measure */
    PB_WAY_ANY_COLUMN = 8,   /* TOTAL: the total row's cell whether or not a column holds the measure */
    PB_WAY_UNLESS_TABLE = 16, /* TOTAL: nothing where the document prints a table of the kind names[0] */
};

typedef struct pb_figure_way {
    uint8_t how;
    uint8_t side; /* PB_SIDE_* or PB_SIDE_ANY */
    uint8_t flags;
    pb_audit_text kind;
    pb_audit_text measure;
    size_t n_names;
    const pb_audit_text *names;
} pb_figure_way;

enum {
    PB_FIGURE_NONE = 0,        /* not printed: nothing to compare with */
    PB_FIGURE_CELL = 1,        /* rows[row]'s cell of the measure (blank and dashes 0); for a sum of
                                * rows (PB_WAY_CODE, _PROJECT_TOTAL) the first row added and the sum */
    PB_FIGURE_EMPTY_TABLE = 2, /* the table prints no amount at all (本表无数据): 0 */
    PB_FIGURE_PYTHON = 3,      /* a way only Python knows was reached, or a sum past 64 bits: Python decides */
};

typedef struct pb_found_figure {
    uint8_t state;
    uint32_t table; /* CELL, EMPTY_TABLE: the table's index */
    uint32_t row;   /* CELL: the row's index in its table */
    int64_t fen;    /* CELL: the amount in 分 */
    uint32_t way;   /* CELL, EMPTY_TABLE: which of the ways it was found by (pb_figure_find: their index) */
} pb_found_figure;

/* The figure of the first of `ways` that finds one (or reaches PB_WAY_PYTHON). */
pb_found_figure pb_figure_find(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *ways, size_t n_ways);

/* The same with the table of each way found beforehand: way_tables[k] is the index of the first
 * table of ways[k].kind, or -1 for none (a plan's ways name a few kinds, looked up once per
 * document instead of once per way followed). */
pb_found_figure pb_figure_find_in(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *ways,
                                  size_t n_ways, const int32_t *way_tables);

/* Writes to out (t->n_rows entries) the code_rows of t (pb_audit_table) and returns how many, or
 * SIZE_MAX when they are not worth it: a table printed with its codes in order is sorted in one
 * pass; one far out of order is left to be scanned. */
size_t pb_figure_index_codes(const pb_audit_table *t, uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif
