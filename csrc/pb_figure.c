/* pb_figure.c - following the ways of pb_figure.h over a document's tables.
 * Each way mirrors its Python evaluation in pybudget/checks/figures.py, which
 * a test compares with this one on every restated figure of the seeds and of
 * generated documents. */
#include "pb_figure.h"
#include "pb_packed.h"

static pb_found_figure follow(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *w) {
    pb_found_figure none = {PB_FIGURE_NONE, 0, 0, 0};
    if (w->how == PB_WAY_PYTHON) return (pb_found_figure){PB_FIGURE_PYTHON, 0, 0, 0};
    const pb_audit_table *t = packed_first_of_kind(tables, n_tables, w->kind);
    if (!t) return none; /* no table of the kind */
    uint32_t ti = (uint32_t)(t - tables);
    int figures = packed_prints_figures(t);
    if (w->how == PB_WAY_TOTAL && figures && !packed_column(t, w->measure)) return none;
    if (!figures) return (pb_found_figure){PB_FIGURE_EMPTY_TABLE, ti, 0, 0};
    long row = -1;
    switch (w->how) {
    case PB_WAY_ROW:
        row = packed_find_named(t, w->side, w->names, w->n_names);
        if (row >= 0 && (w->flags & PB_WAY_NEEDS_COLUMN) && !packed_column(t, w->measure)) row = -1;
        break;
    case PB_WAY_TOTAL:
        row = pb_audit_total_row(t, w->side);
        break;
    case PB_WAY_FIRST_FIGURES:
        if (!packed_column(t, w->measure)) break;
        for (size_t i = 0; row < 0 && i < t->n_rows; i++)
            if (packed_has(&t->rows[i], PB_ROW_FIGURES)) row = (long)i;
        break;
    default:
        break;
    }
    if (row < 0) return none;
    int64_t fen = packed_cell(t, (size_t)row, packed_slot(t, w->measure));
    return (pb_found_figure){PB_FIGURE_CELL, ti, (uint32_t)row, fen};
}

pb_found_figure pb_figure_find(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *ways,
                               size_t n_ways) {
    for (size_t k = 0; k < n_ways; k++) {
        pb_found_figure got = follow(tables, n_tables, &ways[k]);
        if (got.state != PB_FIGURE_NONE) return got;
    }
    return (pb_found_figure){PB_FIGURE_NONE, 0, 0, 0};
}
