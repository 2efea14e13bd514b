/* pb_figure.c - following the ways of pb_figure.h over a document's tables.
 * Each way mirrors its Python evaluation in pybudget/checks/figures.py, which
 * a test compares with this one on every restated figure of the seeds and of
 * generated documents. */
#include "pb_figure.h"

#include <string.h>

static int text_eq(pb_audit_text a, pb_audit_text b) { return a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0); }

/* lookup.table_has_figures: some row prints an amount. */
static int prints_figures(const pb_audit_table *t) {
    for (size_t i = 0; i < t->n_rows; i++)
        if (t->rows[i].flags & PB_ROW_FIGURES) return 1;
    return 0;
}

/* lookup.has_measure: one of the table's columns holds the measure. */
static int has_column(const pb_audit_table *t, pb_audit_text measure) {
    for (size_t s = 0; s < t->n_columns; s++)
        if (text_eq(t->slots[s], measure)) return 1;
    return 0;
}

/* lookup.cell_fen: a row's amount of a measure, 0 when blank or a dash. */
static int64_t cell_fen(const pb_audit_table *t, size_t row, pb_audit_text measure) {
    for (size_t s = 0; s < t->n_slots; s++)
        if (text_eq(t->slots[s], measure)) {
            size_t at = row * t->n_slots + s;
            return t->state[at] == PB_CELL_VALUE ? t->fen[at] : 0;
        }
    return 0;
}

/* lookup.find_row with a list of names. */
static long named_row(const pb_audit_table *t, const pb_figure_way *w) {
    for (size_t i = 0; i < t->n_rows; i++) {
        if (w->side != PB_SIDE_ANY && t->rows[i].side != w->side) continue;
        for (size_t k = 0; k < w->n_names; k++)
            if (text_eq(t->rows[i].norm, w->names[k])) return (long)i;
    }
    return -1;
}

static long first_with_figures(const pb_audit_table *t) {
    for (size_t i = 0; i < t->n_rows; i++)
        if (t->rows[i].flags & PB_ROW_FIGURES) return (long)i;
    return -1;
}

static pb_found_figure follow(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *w) {
    pb_found_figure none = {PB_FIGURE_NONE, 0, 0, 0};
    if (w->how == PB_WAY_PYTHON) return (pb_found_figure){PB_FIGURE_PYTHON, 0, 0, 0};
    size_t ti = 0;
    while (ti < n_tables && !text_eq(tables[ti].kind, w->kind)) ti++;
    if (ti == n_tables) return none; /* no table of the kind */
    const pb_audit_table *t = &tables[ti];
    int figures = prints_figures(t);
    if (w->how == PB_WAY_TOTAL && figures && !has_column(t, w->measure)) return none;
    if (!figures) return (pb_found_figure){PB_FIGURE_EMPTY_TABLE, (uint32_t)ti, 0, 0};
    long row = -1;
    switch (w->how) {
    case PB_WAY_ROW:
        row = named_row(t, w);
        if (row >= 0 && (w->flags & PB_WAY_NEEDS_COLUMN) && !has_column(t, w->measure)) row = -1;
        break;
    case PB_WAY_TOTAL:
        row = pb_audit_total_row(t, w->side);
        break;
    case PB_WAY_FIRST_FIGURES:
        if (has_column(t, w->measure)) row = first_with_figures(t);
        break;
    default:
        break;
    }
    if (row < 0) return none;
    return (pb_found_figure){PB_FIGURE_CELL, (uint32_t)ti, (uint32_t)row, cell_fen(t, (size_t)row, w->measure)};
}

pb_found_figure pb_figure_find(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *ways, size_t n_ways) {
    for (size_t k = 0; k < n_ways; k++) {
        pb_found_figure got = follow(tables, n_tables, &ways[k]);
        if (got.state != PB_FIGURE_NONE) return got;
    }
    return (pb_found_figure){PB_FIGURE_NONE, 0, 0, 0};
}
