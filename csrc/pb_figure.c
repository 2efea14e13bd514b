/* pb_figure.c - following the ways of pb_figure.h over a document's tables.
 * Each way mirrors its Python evaluation in pybudget/checks/figures.py, which
 * a test compares with this one on every restated figure of the seeds and of
 * generated documents. */
#include "pb_figure.h"
#include "pb_packed.h"

#include <string.h>

/* Whether a packed code (a function code: ASCII '2' then decimal digits, UTF-8) starts with `prefix`
 * and is longer: a prefix of whole characters, so a byte prefix is a character prefix. */
static int extends(pb_audit_text code, pb_audit_text prefix) {
    if (code.n <= prefix.n) return 0;
    /* a few digits, compared from the last (where codes under one class differ) without a call */
    for (size_t j = prefix.n; j-- > 0;)
        if (code.s[j] != prefix.s[j]) return 0;
    return 1;
}

static int coded(const pb_audit_row *row) {
    return packed_has(row, PB_ROW_FUNCTION_CODE) && !packed_has(row, PB_ROW_TOTAL);
}

/* Whether rows[i] is the first coded row of its code (lookup.coded_rows keeps that one). */
static int first_of_code(const pb_audit_table *t, size_t i) {
    for (size_t j = 0; j < i; j++)
        if (coded(&t->rows[j]) && packed_text_eq(t->rows[j].code, t->rows[i].code)) return 0;
    return 1;
}

/* Byte order of two codes (a shorter code before the longer ones it starts). */
static int code_cmp(pb_audit_text a, pb_audit_text b) {
    size_t n = a.n < b.n ? a.n : b.n;
    for (size_t i = 0; i < n; i++) /* a few digits: no call */
        if (a.s[i] != b.s[i]) return (unsigned char)a.s[i] < (unsigned char)b.s[i] ? -1 : 1;
    return (a.n > b.n) - (a.n < b.n);
}

/* Where code goes among the n code_rows of t: the first whose code is not before it. */
static size_t code_rank(const pb_audit_table *t, const uint32_t *rows, size_t n, pb_audit_text code) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (code_cmp(t->rows[rows[mid]].code, code) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

size_t pb_figure_index_codes(const pb_audit_table *t, uint32_t *out) {
    size_t n = 0, moved = 0;
    for (size_t i = 0; i < t->n_rows; i++) {
        const pb_audit_row *row = &t->rows[i];
        if (!coded(row) || i > UINT32_MAX) continue;
        size_t at = n && code_cmp(t->rows[out[n - 1]].code, row->code) < 0 ? n : code_rank(t, out, n, row->code);
        if (at < n && packed_text_eq(t->rows[out[at]].code, row->code)) continue; /* a row before holds the code */
        moved += n - at;
        if (moved > 8 * (size_t)t->n_rows) return SIZE_MAX; /* far out of order: sorting costs more than it saves */
        memmove(out + at + 1, out + at, (n - at) * sizeof *out);
        out[at] = (uint32_t)i;
        n++;
    }
    return n;
}

/* lookup.code_figure: the first coded row of the code, else the sum of the coded rows under it
 * that no coded row extends (its printed leaves); NONE when neither is printed. One pass over the
 * rows looks for both: the sum is dropped when the code's own row turns up, and a sum past 64
 * bits (Python's integers add it up) is only told once no such row is found. */
static pb_found_figure code_figure(const pb_audit_table *t, uint32_t ti, pb_audit_text code, size_t slot) {
    long first = -1;
    int64_t sum = 0;
    int overflow = 0;
    if (t->code_rows) {
        /* the row of the code, else the rows of the codes it starts, which follow it in byte order */
        size_t at = code_rank(t, t->code_rows, t->n_code_rows, code);
        if (at == t->n_code_rows) return (pb_found_figure){PB_FIGURE_NONE, 0, 0, 0, 0};
        size_t row = t->code_rows[at];
        if (packed_text_eq(t->rows[row].code, code))
            return (pb_found_figure){PB_FIGURE_CELL, ti, (uint32_t)row, packed_cell(t, row, slot), 0};
        if (!extends(t->rows[row].code, code)) return (pb_found_figure){PB_FIGURE_NONE, 0, 0, 0, 0};
        /* the loop below adds up its leaves */
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        const pb_audit_row *row = &t->rows[i];
        if (!coded(row)) continue;
        if (packed_text_eq(row->code, code))
            return (pb_found_figure){PB_FIGURE_CELL, ti, (uint32_t)i, packed_cell(t, i, slot), 0};
        if (overflow || !extends(row->code, code) || !first_of_code(t, i)) continue;
        int leaf = 1;
        for (size_t j = 0; j < t->n_rows && leaf; j++)
            if (coded(&t->rows[j]) && extends(t->rows[j].code, row->code)) leaf = 0;
        if (!leaf) continue;
        int64_t v = packed_cell(t, i, slot);
        if ((v > 0 && sum > INT64_MAX - v) || (v < 0 && sum < INT64_MIN - v)) {
            overflow = 1;
            continue;
        }
        sum += v;
        if (first < 0) first = (long)i;
    }
    if (overflow) return (pb_found_figure){PB_FIGURE_PYTHON, 0, 0, 0, 0};
    if (first < 0) return (pb_found_figure){PB_FIGURE_NONE, 0, 0, 0, 0};
    return (pb_found_figure){PB_FIGURE_CELL, ti, (uint32_t)first, sum, 0};
}

/* way_table: the index of the first table of the way's kind (-1: none), or below -1 to look for it. */
static pb_found_figure follow(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *w,
                              int32_t way_table) {
    pb_found_figure none = {PB_FIGURE_NONE, 0, 0, 0, 0};
    if (w->how == PB_WAY_PYTHON) return (pb_found_figure){PB_FIGURE_PYTHON, 0, 0, 0, 0};
    if ((w->flags & PB_WAY_UNLESS_TABLE) && w->n_names == 1 && packed_first_of_kind(tables, n_tables, w->names[0]))
        return none; /* the way stands in for a table the document prints */
    const pb_audit_table *t = way_table < -1                         ? packed_first_of_kind(tables, n_tables, w->kind)
                              : way_table >= 0 && (size_t)way_table < n_tables ? &tables[way_table]
                                                                               : NULL;
    if (!t) return none; /* no table of the kind */
    uint32_t ti = (uint32_t)(t - tables);
    if (w->how == PB_WAY_CODE || w->how == PB_WAY_CLASS_ROW) {
        /* No shortcut for a table printing nothing: its rows' blank cells are the 0 (or it has no such row). */
        if (w->n_names != 1) return none;
        size_t slot = packed_slot(t, w->measure);
        if (w->how == PB_WAY_CODE) return code_figure(t, ti, w->names[0], slot);
        long row = pb_audit_class_row(t, w->names[0]);
        if (row < 0) return none;
        return (pb_found_figure){PB_FIGURE_CELL, ti, (uint32_t)row, packed_cell(t, (size_t)row, slot), 0};
    }
    int figures = packed_prints_figures(t);
    if (w->how == PB_WAY_TOTAL && !packed_column(t, w->measure) &&
        ((w->flags & PB_WAY_NEEDS_COLUMN) || (figures && !(w->flags & PB_WAY_ANY_COLUMN))))
        return none;
    if (!figures && !(w->how == PB_WAY_ROW && (w->flags & PB_WAY_EVEN_EMPTY)))
        return (pb_found_figure){PB_FIGURE_EMPTY_TABLE, ti, 0, 0, 0};
    long row = -1;
    switch (w->how) {
    case PB_WAY_ROW:
        row = packed_find_named(t, w->side, w->names, w->n_names);
        if (row >= 0 && (w->flags & PB_WAY_NEEDS_COLUMN) && !packed_column(t, w->measure)) row = -1;
        if (row >= 0 && (w->flags & PB_WAY_NEEDS_VALUE) &&
            packed_state(t, (size_t)row, packed_slot(t, w->measure)) != PB_CELL_VALUE)
            row = -1;
        break;
    case PB_WAY_TOTAL:
        row = pb_audit_total_row(t, w->side);
        break;
    case PB_WAY_PROJECT_TOTAL: {
        int64_t fen;
        if (pb_audit_project_total(t, packed_slot(t, w->measure), &row, &fen) < 0)
            return (pb_found_figure){PB_FIGURE_PYTHON, 0, 0, 0, 0}; /* Python's integers add it up */
        if (row < 0) return none;
        return (pb_found_figure){PB_FIGURE_CELL, ti, (uint32_t)row, fen, 0};
    }
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
    return (pb_found_figure){PB_FIGURE_CELL, ti, (uint32_t)row, fen, 0};
}

pb_found_figure pb_figure_find_in(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *ways,
                                  size_t n_ways, const int32_t *way_tables) {
    for (size_t k = 0; k < n_ways; k++) {
        pb_found_figure got = follow(tables, n_tables, &ways[k], way_tables ? way_tables[k] : -2);
        got.way = (uint32_t)k;
        if (got.state != PB_FIGURE_NONE) return got;
    }
    return (pb_found_figure){PB_FIGURE_NONE, 0, 0, 0, 0};
}

pb_found_figure pb_figure_find(const pb_audit_table *tables, size_t n_tables, const pb_figure_way *ways,
                               size_t n_ways) {
    return pb_figure_find_in(tables, n_tables, ways, n_ways, NULL);
}
