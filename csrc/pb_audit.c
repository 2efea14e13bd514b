/* pb_audit.c - the comparisons of the audit's sum rules, and the plain-sum
 * test that lets nearly all of them pass without reaching Python.
 *
 * Each comparison mirrors pybudget/checks/table_rules.py: which rows are
 * compared with which, in the order the rules report them. A comparison is
 * kept when, in any of its measures, the parent's amount is further from the
 * sum of its children's (blank cells and dashes 0) than rounding allows:
 * the table's last printed digit (step_fen) per printed non-zero item, none
 * for a single item. Python judges the kept ones again and words them.
 * Sums that would overflow 64 bits are kept, so Python's exact integers
 * decide them. */
#include "pb_audit.h"
#include "pb_internal.h"
#include "pb_packed.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the result */

void pb_audit_result_init(pb_audit_result *r, const pb_allocator *allocator) {
    memset(r, 0, sizeof *r);
    r->allocator = allocator ? *allocator : pb_default_allocator();
}

void pb_audit_result_free(pb_audit_result *r) {
    pb_allocator a = r->allocator;
    a.free(a.ctx, r->diffs);
    a.free(a.ctx, r->children);
    a.free(a.ctx, r->scratch);
    pb_audit_result_init(r, &a);
}

/* Room for `more` items of `size` bytes after `count` in *items (capacity *cap). */
static pb_audit_status reserve(pb_audit_result *r, void **items, size_t *cap, size_t count, size_t more,
                               size_t size) {
    int rc = pb_reserve_indexed(&r->allocator, items, cap, count, more, size, 64);
    return rc == PB_RESERVE_OK ? PB_AUDIT_OK : rc == PB_RESERVE_NO_MEMORY ? PB_AUDIT_NO_MEMORY : PB_AUDIT_TOO_BIG;
}

/* ------------------------------------------------------------ one table */

/* What the comparisons of one table share while they are worked out. */
typedef struct table_run {
    const pb_audit_table *t;
    uint32_t index; /* of the table in the document */
    uint8_t rule;
    pb_audit_result *out;
} table_run;

/* Which measures a comparison covers (the Python side picks the same ones). */
typedef enum measure_set {
    MEASURES_COLUMNS,         /* every column */
    MEASURES_PRINTED_BY_ANY,  /* columns the parent or a child prints an amount in */
    MEASURES_PRINTED_BY_HEAD, /* columns the parent prints an amount in */
    MEASURES_TOTAL,           /* the measure 'total' */
    MEASURES_NO_TEXT,         /* columns that are not a *_name or *_value text */
} measure_set;

static int slot_covered(const pb_audit_table *t, measure_set set, uint32_t parent, const uint32_t *kids, size_t n,
                        size_t slot) {
    switch (set) {
    case MEASURES_COLUMNS:
        return 1;
    case MEASURES_PRINTED_BY_HEAD:
        return packed_state(t, parent, slot) == PB_CELL_VALUE;
    case MEASURES_PRINTED_BY_ANY:
        if (packed_state(t, parent, slot) == PB_CELL_VALUE) return 1;
        for (size_t i = 0; i < n; i++)
            if (packed_state(t, kids[i], slot) == PB_CELL_VALUE) return 1;
        return 0;
    case MEASURES_NO_TEXT:
        return !pb_ends(t->slots[slot].s, t->slots[slot].n, "_name") &&
               !pb_ends(t->slots[slot].s, t->slots[slot].n, "_value");
    case MEASURES_TOTAL:
        break;
    }
    return 0;
}

/* |a - b| > allowed, for any 64-bit a and b. */
static int beyond(int64_t a, int64_t b, uint64_t allowed) {
    uint64_t gap = a >= b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
    return gap > allowed;
}

/* What rounding allows a sum of `nonzero` printed items: the table's step per
 * item, none for a single item (one figure restated must match exactly). */
static uint64_t allowance(const pb_audit_table *t, size_t nonzero) {
    if (nonzero < 2) return 0;
    return t->step_fen > UINT64_MAX / nonzero ? UINT64_MAX : t->step_fen * nonzero;
}

/* Whether the parent's amount is further from the sum of the children's than
 * rounding allows, in one slot (_compare_sum's test). A sum past 64 bits is
 * kept: Python's integers decide it. */
static int slot_differs(const pb_audit_table *t, uint32_t parent, const uint32_t *kids, size_t n, size_t slot) {
    int64_t sum = 0;
    size_t nonzero = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v = packed_cell(t, kids[i], slot);
        if ((v > 0 && sum > INT64_MAX - v) || (v < 0 && sum < INT64_MIN - v)) return 1;
        sum += v;
        nonzero += v != 0;
    }
    int64_t head = packed_cell(t, parent, slot);
    return head != sum && beyond(head, sum, allowance(t, nonzero));
}

static pb_audit_status keep(table_run *run, uint8_t what, uint32_t parent, uint32_t index, const uint32_t *kids,
                            size_t n) {
    pb_audit_result *r = run->out;
    pb_audit_status rc = reserve(r, (void **)&r->diffs, &r->diffs_cap, r->n_diffs, 1, sizeof *r->diffs);
    if (!rc) rc = reserve(r, (void **)&r->children, &r->children_cap, r->n_children, n, sizeof *r->children);
    if (rc) return rc;
    pb_audit_diff *d = &r->diffs[r->n_diffs++];
    memset(d, 0, sizeof *d); /* padding too: results compare as bytes */
    d->rule = run->rule;
    d->what = what;
    d->table = run->index;
    d->parent = parent;
    d->index = index;
    d->first = (uint32_t)r->n_children;
    d->count = (uint32_t)n;
    if (n) memcpy(r->children + r->n_children, kids, n * sizeof *kids);
    r->n_children += n;
    return PB_AUDIT_OK;
}

/* _compare_sum's first look: the parent against the plain sum of its children
 * in every measure of the set; kept when any differs. */
static pb_audit_status compare(table_run *run, uint8_t what, measure_set set, uint32_t parent, const uint32_t *kids,
                               size_t n) {
    const pb_audit_table *t = run->t;
    if (n == 0) return PB_AUDIT_OK;
    if (set == MEASURES_TOTAL) {
        size_t slot = packed_slot(t, packed_word("total"));
        if (slot < t->n_slots && slot_differs(t, parent, kids, n, slot)) return keep(run, what, parent, 0, kids, n);
        return PB_AUDIT_OK;
    }
    /* A set that covers no column covers them all (_compare_sum's `measures or lk.measures(table)`):
     * a 本年支出合计 printing nothing is still compared with the classes under it. */
    size_t covered = 0;
    for (size_t slot = 0; slot < t->n_columns && !covered; slot++) covered = slot_covered(t, set, parent, kids, n, slot);
    if (!covered) set = MEASURES_COLUMNS;
    for (size_t slot = 0; slot < t->n_columns; slot++)
        if (slot_covered(t, set, parent, kids, n, slot) && slot_differs(t, parent, kids, n, slot))
            return keep(run, what, parent, 0, kids, n);
    return PB_AUDIT_OK;
}

/* Scratch for one table: `count` arrays of n_rows + 1 indexes each. */
static uint32_t *scratch(pb_audit_result *r, size_t n_rows, size_t count) {
    size_t per = n_rows + 1;
    if (per > SIZE_MAX / sizeof(uint32_t) / count) return NULL;
    size_t need = per * count;
    if (need > r->scratch_cap) {
        uint32_t *p = r->allocator.realloc(r->allocator.ctx, r->scratch, need * sizeof *p);
        if (!p) return NULL;
        r->scratch = p;
        r->scratch_cap = need;
    }
    return r->scratch;
}

/* -------------------------------------------------------------- lookups */

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Row names the lookups look for (as lookup.norm leaves them). */
static const pb_audit_text GRAND_TOTALS[] = {PACKED_WORD("收入总计"), PACKED_WORD("支出总计")};
static const pb_audit_text GRAND_SUMS[] = {PACKED_WORD("收入合计"), PACKED_WORD("支出合计")};
static const pb_audit_text CURRENT_INCOME[] = {PACKED_WORD("本年收入"), PACKED_WORD("本年收入合计")};
static const pb_audit_text CURRENT_EXPENDITURE[] = {PACKED_WORD("本年支出"), PACKED_WORD("本年支出合计")};
static const pb_audit_text CARRY_INCOME[] = {PACKED_WORD("上年结转"), PACKED_WORD("上年财政拨款结转"), PACKED_WORD("上年结转结余"),
                                             PACKED_WORD("上年财政拨款结转结余")};
static const pb_audit_text CARRY_EXPENDITURE[] = {PACKED_WORD("年终结转"), PACKED_WORD("年终结转结余")};

long pb_audit_total_row(const pb_audit_table *t, uint8_t side) {
    static const char *const preferred[] = {"合计", "收入总计", "支出总计"};
    if (side != PB_SIDE_ANY) {
        long named = packed_find_named(t, side, GRAND_TOTALS, COUNT(GRAND_TOTALS));
        if (named < 0) named = packed_find_named(t, side, GRAND_SUMS, COUNT(GRAND_SUMS));
        if (named >= 0) return named;
    }
    long first_total = -1;
    for (size_t p = 0; p < sizeof preferred / sizeof *preferred; p++)
        for (size_t i = 0; i < t->n_rows; i++)
            if (packed_has(&t->rows[i], PB_ROW_TOTAL) && (side == PB_SIDE_ANY || t->rows[i].side == side)) {
                if (first_total < 0) first_total = (long)i;
                if (packed_text_is(t->rows[i].name, preferred[p])) return (long)i;
            }
    if (first_total >= 0 || side != PB_SIDE_ANY) return first_total;
    for (size_t i = 0; i < t->n_rows; i++)
        if (packed_has(&t->rows[i], PB_ROW_FIGURES)) return packed_has(&t->rows[i], PB_ROW_BLANK_NAME) ? (long)i : -1;
    return -1;
}

/* lookup.unit_rows: a unit's subtotal ('707 市医疗保障局'), not a code, not 合计. */
static int is_unit_row(const pb_audit_row *row) {
    return !packed_has(row, PB_ROW_FUNCTION_CODE | PB_ROW_TOTAL) && packed_has(row, PB_ROW_FIGURES) &&
           packed_has(row, PB_ROW_UNIT_CODE | PB_ROW_ORG);
}

/* Bytes of the first `chars` UTF-8 characters of t (all of t when shorter). */
static size_t prefix_bytes(pb_audit_text t, size_t chars) {
    size_t i = 0;
    while (i < t.n && chars) {
        i++;
        while (i < t.n && ((unsigned char)t.s[i] & 0xC0) == 0x80) i++;
        chars--;
    }
    return i;
}

/* ------------------------------------------------- children by code (项 → 款 → 类) */

typedef struct coded_entry {
    const char *code;
    size_t len;
    uint32_t row;
    uint32_t order; /* position among the coded rows */
} coded_entry;

static int coded_cmp(const void *a, const void *b) {
    const coded_entry *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = 0; /* memcmp's sign, byte by byte: a function code is at most 7 digits */
    for (size_t j = 0; j < n && !c; j++) {
        unsigned char cx = (unsigned char)x->code[j], cy = (unsigned char)y->code[j];
        c = cx < cy ? -1 : cx > cy;
    }
    if (c) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int same_code(const coded_entry *x, const coded_entry *y) {
    return x->len == y->len && memcmp(x->code, y->code, x->len) == 0;
}

/* The coded entry with exactly this code, or NULL (entries sorted, one per code). */
static const coded_entry *find_code(const coded_entry *sorted, size_t n, const char *code, size_t len) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const coded_entry *e = &sorted[mid];
        size_t m = e->len < len ? e->len : len;
        int c = memcmp(e->code, code, m);
        if (!c) c = e->len < len ? -1 : e->len > len;
        if (c == 0) return e;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

typedef struct line_entry {
    int64_t line;
    uint32_t position; /* in the list before sorting: a stable sort */
    uint32_t row;
} line_entry;

static int line_cmp(const void *a, const void *b) {
    const line_entry *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return x->position < y->position ? -1 : x->position > y->position;
}

/* children_sum of a function-code table (_coded). */
static pb_audit_status coded_sums(table_run *run) {
    const pb_audit_table *t = run->t;
    size_t n = t->n_rows;
    pb_audit_status rc = PB_AUDIT_OK;
    coded_entry *codes = NULL;
    line_entry *order = NULL;
    pb_allocator a = run->out->allocator;
    uint32_t *s = scratch(run->out, n, 6);
    if (!s) return PB_AUDIT_NO_MEMORY;
    uint32_t *coded = s, *parent_of = s + (n + 1), *group_of = s + 2 * (n + 1), *group_start = s + 3 * (n + 1),
             *members = s + 4 * (n + 1), *list = s + 5 * (n + 1);
    codes = a.malloc(a.ctx, (n ? n : 1) * sizeof *codes);
    if (!codes) return PB_AUDIT_NO_MEMORY;

    /* lookup.coded_rows: the first row of each function code, in row order. */
    size_t n_codes = 0;
    for (size_t i = 0; i < n; i++) {
        const pb_audit_row *row = &t->rows[i];
        if (!packed_has(row, PB_ROW_FUNCTION_CODE) || packed_has(row, PB_ROW_TOTAL)) continue;
        codes[n_codes] = (coded_entry){row->code.s, row->code.n, (uint32_t)i, (uint32_t)n_codes};
        n_codes++;
    }
    if (n_codes == 0) goto done;
    /* Tables print a code's children under it, so the codes mostly come in order already; the
     * order is total (ties go by position), so skipping the sort then changes nothing. */
    size_t sorted = 1;
    while (sorted < n_codes && coded_cmp(&codes[sorted - 1], &codes[sorted]) < 0) sorted++;
    if (sorted < n_codes) qsort(codes, n_codes, sizeof *codes, coded_cmp);
    size_t unique = 0; /* keep the first row of each code: sorted by code, then row order */
    for (size_t i = 0; i < n_codes; i++)
        if (unique == 0 || !same_code(&codes[unique - 1], &codes[i])) codes[unique++] = codes[i];
    /* coded[k]: the row of the k-th distinct code in row order (order values are gaps-free after this). */
    size_t n_present = 0;
    for (size_t i = 0; i < n; i++) list[i] = UINT32_MAX;
    for (size_t k = 0; k < unique; k++) list[codes[k].row] = (uint32_t)k;
    for (size_t i = 0; i < n; i++)
        if (list[i] != UINT32_MAX) {
            codes[list[i]].order = (uint32_t)n_present;
            coded[n_present++] = (uint32_t)i;
        }
    /* lookup.code_parent: the nearest printed ancestor (5 characters, then 3). */
    for (size_t k = 0; k < unique; k++) {
        const coded_entry *e = &codes[k];
        uint32_t parent = UINT32_MAX;
        pb_audit_text code = {e->code, e->len};
        static const size_t cuts[] = {5, 3};
        for (size_t c = 0; c < 2 && parent == UINT32_MAX; c++) {
            size_t bytes = prefix_bytes(code, cuts[c]);
            if (bytes >= e->len) continue; /* not longer than the cut */
            const coded_entry *p = find_code(codes, unique, e->code, bytes);
            if (p) parent = p->order;
        }
        parent_of[e->order] = parent;
    }
    /* Children grouped by parent, parents in the order of their first child. */
    size_t n_groups = 0;
    for (size_t k = 0; k < n_present; k++) group_of[k] = UINT32_MAX;
    for (size_t g = 0; g <= n_present; g++) group_start[g] = 0;
    uint32_t *group_parent = list; /* reused: parent order of group g */
    for (size_t k = 0; k < n_present; k++) {
        uint32_t p = parent_of[k];
        if (p == UINT32_MAX) continue;
        if (group_of[p] == UINT32_MAX) {
            group_of[p] = (uint32_t)n_groups;
            group_parent[n_groups++] = p;
        }
        group_start[group_of[p] + 1]++;
    }
    for (size_t g = 0; g < n_groups; g++) group_start[g + 1] += group_start[g];
    {
        /* a second pass places each child after the ones before it in its group */
        uint32_t *next = a.malloc(a.ctx, (n_groups ? n_groups : 1) * sizeof *next);
        if (!next) {
            rc = PB_AUDIT_NO_MEMORY;
            goto done;
        }
        for (size_t g = 0; g < n_groups; g++) next[g] = group_start[g];
        for (size_t k = 0; k < n_present; k++) {
            uint32_t p = parent_of[k];
            if (p == UINT32_MAX) continue;
            members[next[group_of[p]]++] = coded[k];
        }
        a.free(a.ctx, next);
    }
    for (size_t g = 0; g < n_groups && !rc; g++)
        rc = compare(run, PB_WHAT_CHILD_CODES, MEASURES_COLUMNS, coded[group_parent[g]], members + group_start[g],
                     group_start[g + 1] - group_start[g]);
    if (rc) goto done;

    long total = pb_audit_total_row(t, PB_SIDE_ANY);
    if (total < 0) goto done;
    /* roots (coded rows without a printed parent) and unit rows, in row order */
    uint32_t *roots = members; /* reused */
    size_t n_roots = 0, n_units = 0;
    for (size_t k = 0; k < n_present; k++)
        if (parent_of[k] == UINT32_MAX) roots[n_roots++] = coded[k];
    uint32_t *units = list; /* reused */
    for (size_t i = 0; i < n; i++)
        if (is_unit_row(&t->rows[i])) units[n_units++] = (uint32_t)i;
    if (n_units > 1) {
        rc = compare(run, PB_WHAT_UNITS, MEASURES_COLUMNS, (uint32_t)total, units, n_units);
        if (rc) goto done;
        /* Units and top codes by line (units first on a tie): each unit against the codes up to the next unit. */
        size_t n_order = n_units + n_roots;
        order = a.malloc(a.ctx, (n_order ? n_order : 1) * sizeof *order);
        if (!order) {
            rc = PB_AUDIT_NO_MEMORY;
            goto done;
        }
        for (size_t i = 0; i < n_units; i++) order[i] = (line_entry){t->rows[units[i]].line, (uint32_t)i, units[i]};
        for (size_t i = 0; i < n_roots; i++)
            order[n_units + i] = (line_entry){t->rows[roots[i]].line, (uint32_t)(n_units + i), roots[i]};
        qsort(order, n_order, sizeof *order, line_cmp);
        uint32_t *mine = group_start; /* reused */
        for (size_t i = 0; i < n_order && !rc; i++) {
            if (order[i].position >= n_units) continue; /* not a unit */
            size_t m = 0;
            for (size_t j = i + 1; j < n_order && order[j].position >= n_units; j++) mine[m++] = order[j].row;
            rc = compare(run, PB_WHAT_UNIT_CODES, MEASURES_COLUMNS, order[i].row, mine, m);
        }
        goto done;
    }
    if (n_units) rc = compare(run, PB_WHAT_UNIT_ROW, MEASURES_COLUMNS, (uint32_t)total, units, n_units);
    if (!rc) rc = compare(run, PB_WHAT_TOP_CODES, MEASURES_COLUMNS, (uint32_t)total, roots, n_roots);
done:
    a.free(a.ctx, order);
    a.free(a.ctx, codes);
    return rc;
}

/* children_sum of an economic-class table (_economic, lookup.econ_groups):
 * rows under a class heading belong to it; rows before any heading are loose. */
static pb_audit_status economic_sums(table_run *run) {
    const pb_audit_table *t = run->t;
    size_t n = t->n_rows;
    uint32_t *s = scratch(run->out, n, 3);
    if (!s) return PB_AUDIT_NO_MEMORY;
    uint32_t *heads = s, *items = s + (n + 1), *tops = s + 2 * (n + 1);
    size_t n_heads = 0, n_loose = 0;
    pb_audit_status rc = PB_AUDIT_OK;
    /* Each heading's items are compared once its next heading (or the end) is reached. */
    long head = -1;
    size_t n_items = 0;
    for (size_t i = 0; i <= n && !rc; i++) {
        const pb_audit_row *row = i < n ? &t->rows[i] : NULL;
        if (row && (packed_has(row, PB_ROW_TOTAL) || is_unit_row(row) || !packed_has(row, PB_ROW_FIGURES))) continue;
        if (!row || packed_has(row, PB_ROW_ECON_CLASS)) {
            if (head >= 0) rc = compare(run, PB_WHAT_ECON_ITEMS, MEASURES_COLUMNS, (uint32_t)head, items, n_items);
            if (!row) break;
            head = (long)i;
            heads[n_heads++] = (uint32_t)i;
            n_items = 0;
        } else if (head >= 0) {
            items[n_items++] = (uint32_t)i;
        } else {
            tops[n_loose++] = (uint32_t)i; /* loose rows: kept after the headings below */
        }
    }
    if (rc) return rc;
    long total = pb_audit_total_row(t, PB_SIDE_ANY);
    if (total < 0) return PB_AUDIT_OK;
    /* tops = headings, then the loose rows */
    memmove(tops + n_heads, tops, n_loose * sizeof *tops);
    memcpy(tops, heads, n_heads * sizeof *tops);
    return compare(run, PB_WHAT_ECON_CLASSES, MEASURES_COLUMNS, (uint32_t)total, tops, n_heads + n_loose);
}

static int is_function_kind(pb_audit_text kind) {
    static const char *const kinds[] = {"income",          "expenditure",          "general_expenditure",
                                        "gov_fund_income", "gov_fund_expenditure", "state_capital"};
    for (size_t i = 0; i < COUNT(kinds); i++)
        if (packed_text_is(kind, kinds[i])) return 1;
    return 0;
}

/* ------------------------------------------------------------ columns of a row */

/* table.columns_sum's first look (_unequal_rows): each row and equation whose
 * left-hand side differs from the plain sum of its parts. */
static pb_audit_status column_sums(table_run *run) {
    const pb_audit_table *t = run->t;
    if (packed_text_is(t->kind, "performance") || packed_text_is(t->kind, "performance_overall")) return PB_AUDIT_OK;
    for (size_t i = 0; i < t->n_rows; i++) {
        const uint8_t *state = t->state + i * t->n_slots;
        size_t printed = 0;
        for (size_t s = 0; s < t->n_slots && !printed; s++) printed = state[s] != PB_CELL_BLANK;
        if (!printed) continue; /* a row with no cells at all */
        for (size_t e = 0; e < t->n_equations; e++) {
            uint32_t row = (uint32_t)i;
            int differs = 0, printed_part = 0;
            int64_t sum = 0;
            size_t nonzero = 0;
            for (uint32_t p = t->part_start[e]; p < t->part_start[e + 1] && !differs; p++) {
                int64_t v = packed_cell(t, i, t->parts[p]);
                printed_part |= packed_state(t, i, t->parts[p]) == PB_CELL_VALUE;
                nonzero += v != 0;
                if ((v > 0 && sum > INT64_MAX - v) || (v < 0 && sum < INT64_MIN - v)) differs = 1;
                else sum += v;
            }
            if (!printed_part) continue; /* the row prints none of the parts (a label row, the other side) */
            /* a left-hand side no slot holds is blank in every row: 0 */
            int64_t lhs = packed_cell(t, i, t->lhs[e]);
            if (differs || (sum != lhs && beyond(lhs, sum, allowance(t, nonzero)))) {
                pb_audit_status rc = keep(run, PB_WHAT_COLUMNS, row, (uint32_t)e, NULL, 0);
                if (rc) return rc;
            }
        }
    }
    return PB_AUDIT_OK;
}

/* ------------------------------------------------------------ 收支总表 */

size_t pb_audit_class_rows(const pb_audit_table *t, uint32_t *out) {
    if (t->class_rows) {
        if (t->n_class_rows) memcpy(out, t->class_rows, t->n_class_rows * sizeof *out);
        return t->n_class_rows;
    }
    size_t m = 0;
    /* A class of three digits (every class there is) is found by its number: its entry's index + 1,
     * 0 for none yet; any other code by a linear search. */
    uint32_t by_number[1000];
    memset(by_number, 0, sizeof by_number);
    for (size_t i = 0; i < t->n_rows; i++) {
        const pb_audit_row *row = &t->rows[i];
        if ((row->side != PB_SIDE_EXPENDITURE && row->side != PB_SIDE_NONE) || packed_has(row, PB_ROW_TOTAL) ||
            !packed_has(row, PB_ROW_CLASS))
            continue;
        const char *c = row->class_code;
        int number = c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9' && !c[3]
                         ? (c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0')
                         : -1;
        size_t k = 0;
        if (number >= 0) {
            k = by_number[number] ? by_number[number] - 1 : m;
        } else {
            while (k < m && memcmp(t->rows[out[k]].class_code, row->class_code, 4) != 0) k++;
        }
        if (k == m) {
            if (number >= 0) by_number[number] = (uint32_t)m + 1;
            out[m++] = (uint32_t)i;
        } else if (!packed_has(&t->rows[out[k]], PB_ROW_FIGURES) && packed_has(row, PB_ROW_FIGURES))
            out[k] = (uint32_t)i; /* Henan prints two names of 210: the one with figures */
    }
    return m;
}

/* The same rule for one class: its first row, or the first later one that prints figures
 * when the first prints none. */
long pb_audit_class_row(const pb_audit_table *t, pb_audit_text code) {
    long found = -1;
    if (code.n >= sizeof t->rows[0].class_code) return -1;
    if (t->class_rows && code.n == 3) { /* a class code and its NUL as one 4-byte word */
        const char want[4] = {code.s[0], code.s[1], code.s[2], '\0'};
        uint32_t w, have;
        memcpy(&w, want, 4);
        for (size_t k = 0; k < t->n_class_rows; k++) {
            memcpy(&have, t->rows[t->class_rows[k]].class_code, 4);
            if (have == w) return t->class_rows[k];
        }
        return -1;
    }
    if (t->class_rows) { /* the rows of the classes, one per class: the one of this class */
        for (size_t k = 0; k < t->n_class_rows; k++) {
            const char *have = t->rows[t->class_rows[k]].class_code;
            size_t j = 0; /* a code is 3 bytes: compared here rather than by a call to memcmp */
            while (j < code.n && have[j] == code.s[j]) j++;
            if (j == code.n && have[j] == '\0') return t->class_rows[k];
        }
        return -1;
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        const pb_audit_row *row = &t->rows[i];
        if ((row->side != PB_SIDE_EXPENDITURE && row->side != PB_SIDE_NONE) || packed_has(row, PB_ROW_TOTAL) ||
            !packed_has(row, PB_ROW_CLASS) || row->class_code[code.n] != '\0' ||
            (code.n && memcmp(row->class_code, code.s, code.n) != 0))
            continue;
        if (found < 0) found = (long)i;
        if (packed_has(&t->rows[found], PB_ROW_FIGURES)) return found;
        if (packed_has(row, PB_ROW_FIGURES)) return (long)i;
    }
    return found;
}

typedef struct side_rows {
    long grand, current, carry;
} side_rows;

/* _side_rows: a side's grand total, current-year total and carry-over row. */
static side_rows find_side(const pb_audit_table *t, uint8_t side) {
    side_rows s;
    int income = side == PB_SIDE_INCOME;
    s.grand = packed_find_named(t, side, GRAND_TOTALS, COUNT(GRAND_TOTALS));
    s.current = income ? packed_find_named(t, side, CURRENT_INCOME, COUNT(CURRENT_INCOME))
                       : packed_find_named(t, side, CURRENT_EXPENDITURE, COUNT(CURRENT_EXPENDITURE));
    if (s.grand < 0) s.grand = packed_find_named(t, side, GRAND_SUMS, COUNT(GRAND_SUMS));
    s.carry = income ? packed_find_named(t, side, CARRY_INCOME, COUNT(CARRY_INCOME))
                     : packed_find_named(t, side, CARRY_EXPENDITURE, COUNT(CARRY_EXPENDITURE));
    if (s.grand == s.current) s.current = -1;
    return s;
}

static pb_audit_status balance_sums(table_run *run) {
    const pb_audit_table *t = run->t;
    size_t n = t->n_rows;
    side_rows in = find_side(t, PB_SIDE_INCOME), ex = find_side(t, PB_SIDE_EXPENDITURE);
    pb_audit_status rc = PB_AUDIT_OK;
    uint32_t *s = scratch(run->out, n, 2);
    if (!s) return PB_AUDIT_NO_MEMORY;
    uint32_t *list = s, *classes = s + (n + 1);
    if (in.grand >= 0 && ex.grand >= 0) {
        size_t slot = packed_slot(t, packed_word("total"));
        if (slot < t->n_slots && packed_state(t, (size_t)in.grand, slot) == PB_CELL_VALUE &&
            packed_state(t, (size_t)ex.grand, slot) == PB_CELL_VALUE &&
            packed_cell(t, (size_t)in.grand, slot) != packed_cell(t, (size_t)ex.grand, slot)) {
            uint32_t other = (uint32_t)ex.grand;
            rc = keep(run, PB_WHAT_SIDES, (uint32_t)in.grand, 0, &other, 1);
            if (rc) return rc;
        }
    }
    const side_rows *sides[] = {&in, &ex};
    for (size_t k = 0; k < 2; k++) {
        const side_rows *side = sides[k];
        if (side->grand < 0 || side->current < 0) continue;
        size_t m = 0;
        list[m++] = (uint32_t)side->current;
        if (side->carry >= 0) list[m++] = (uint32_t)side->carry;
        rc = compare(run, PB_WHAT_CARRY, MEASURES_PRINTED_BY_ANY, (uint32_t)side->grand, list, m);
        if (rc) return rc;
    }
    /* _items: the income items add up to 本年收入合计. */
    if (in.current >= 0) {
        int64_t first_mark = t->rows[in.current].line;
        if (in.grand >= 0 && t->rows[in.grand].line < first_mark) first_mark = t->rows[in.grand].line;
        if (in.carry >= 0 && t->rows[in.carry].line < first_mark) first_mark = t->rows[in.carry].line;
        size_t above = 0, between = 0;
        for (int pass = 0; pass < 2; pass++) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++) {
                const pb_audit_row *row = &t->rows[i];
                long li = (long)i;
                if (row->side != PB_SIDE_INCOME || packed_has(row, PB_ROW_TOTAL | PB_ROW_QIZHONG) || li == in.grand ||
                    li == in.current || li == in.carry || row->norm.n == 0 || packed_text_is(row->norm, "-"))
                    continue;
                if (pass == 0 && row->line < first_mark) list[m++] = (uint32_t)i;
                if (pass == 1 && row->line > t->rows[in.current].line && row->line < t->rows[in.carry].line)
                    list[m++] = (uint32_t)i;
            }
            if (pass == 0) above = m;
            else between = m;
            if (pass == 0 && (above || in.carry < 0 || t->rows[in.current].line >= t->rows[in.carry].line)) break;
        }
        size_t m = above ? above : between;
        if (m) rc = compare(run, PB_WHAT_INCOME_ITEMS, MEASURES_TOTAL, (uint32_t)in.current, list, m);
        if (rc) return rc;
    }
    /* the function classes (lookup.class_rows) add up to 本年支出合计 */
    if (ex.current >= 0)
        rc = compare(run, PB_WHAT_CLASSES, MEASURES_PRINTED_BY_HEAD, (uint32_t)ex.current, classes,
                     pb_audit_class_rows(t, classes));
    return rc;
}

/* ------------------------------------------------------------ project tables */

static int non_leaf(const pb_audit_table *t, const pb_audit_row *row) {
    if (packed_text_is(t->kind, "operating_costs")) return 1; /* one row per unit, no projects */
    if (packed_has(row, PB_ROW_PROJECT_TYPE)) return 0;
    return row->norm.n == 0 || packed_has(row, PB_ROW_DIGIT_NAME | PB_ROW_ORG) ||
           (packed_has(row, PB_ROW_SHORT_CODE) && packed_text_is(t->kind, "performance_summary"));
}

void pb_audit_project_list(const pb_audit_table *t, uint32_t *units, uint32_t *unit_starts, uint32_t *leaves,
                           pb_project_list *out) {
    size_t n = t->n_rows;
    out->top = -1;
    out->n_units = out->n_leaves = 0;
    out->units = units;
    out->unit_starts = unit_starts;
    out->leaves = leaves;
    /* rows with figures, the first total (by role or name) set apart; `leaves` holds them meanwhile */
    size_t n_rows = 0;
    for (size_t i = 0; i < n; i++) {
        const pb_audit_row *row = &t->rows[i];
        if (!packed_has(row, PB_ROW_FIGURES)) continue;
        if (out->top < 0 && packed_has(row, PB_ROW_TOTAL | PB_ROW_TOTAL_NAME)) out->top = (long)i;
        else leaves[n_rows++] = (uint32_t)i;
    }
    /* A department row right above its first unit row is the grand total. */
    size_t start = 0;
    if (out->top < 0 && n_rows >= 2 && non_leaf(t, &t->rows[leaves[0]]) && non_leaf(t, &t->rows[leaves[1]])) {
        out->top = (long)leaves[0];
        start = 1;
    }
    /* Units, and the projects after each (leaves is rewritten in place: it never passes k). */
    for (size_t k = start; k < n_rows; k++) {
        uint32_t i = leaves[k];
        if (non_leaf(t, &t->rows[i])) {
            unit_starts[out->n_units] = (uint32_t)out->n_leaves;
            units[out->n_units++] = i;
        } else {
            leaves[out->n_leaves++] = i;
        }
    }
}

int pb_audit_project_total(const pb_audit_table *t, size_t slot, long *row, int64_t *fen) {
    /* pb_audit_project_list's top row, units and leaves, read in one pass over the rows with figures */
    long top = -1, first = -1, second = -1, first_unit = -1, first_leaf = -1;
    int64_t units = 0, leaves = 0;
    int overflow = 0;
    for (size_t i = 0; i < t->n_rows; i++) {
        const pb_audit_row *r = &t->rows[i];
        if (!packed_has(r, PB_ROW_FIGURES)) continue;
        if (top < 0 && packed_has(r, PB_ROW_TOTAL | PB_ROW_TOTAL_NAME)) {
            top = (long)i;
            continue;
        }
        if (first < 0) first = (long)i;
        else if (second < 0) second = (long)i;
        int64_t v = packed_cell(t, i, slot);
        int64_t *sum = non_leaf(t, r) ? &units : &leaves;
        if (non_leaf(t, r) && first_unit < 0) first_unit = (long)i;
        if (!non_leaf(t, r) && first_leaf < 0) first_leaf = (long)i;
        if ((v > 0 && *sum > INT64_MAX - v) || (v < 0 && *sum < INT64_MIN - v)) overflow = 1;
        else *sum += v;
    }
    /* A department row right above its first unit row is the grand total. */
    if (top < 0 && second >= 0 && non_leaf(t, &t->rows[first]) && non_leaf(t, &t->rows[second])) top = first;
    *row = top >= 0 ? top : first_unit >= 0 ? first_unit : first_leaf;
    *fen = top >= 0 ? packed_cell(t, (size_t)top, slot) : first_unit >= 0 ? units : leaves;
    return top < 0 && overflow ? -1 : 0;
}

/* group_sum over the project list: unit subtotals against their projects,
 * the total against the units (or the projects). */
static pb_audit_status group_sums(table_run *run) {
    const pb_audit_table *t = run->t;
    size_t n = t->n_rows;
    uint32_t *s = scratch(run->out, n, 3);
    if (!s) return PB_AUDIT_NO_MEMORY;
    pb_project_list pl;
    pb_audit_project_list(t, s, s + (n + 1), s + 2 * (n + 1), &pl);
    pb_audit_status rc = PB_AUDIT_OK;
    for (size_t u = 0; u < pl.n_units && !rc; u++) {
        size_t first = pl.unit_starts[u], end = u + 1 < pl.n_units ? pl.unit_starts[u + 1] : pl.n_leaves;
        rc = compare(run, PB_WHAT_UNIT_PROJECTS, MEASURES_NO_TEXT, pl.units[u], pl.leaves + first, end - first);
    }
    if (rc || pl.top < 0) return rc;
    if (pl.n_units) return compare(run, PB_WHAT_TOP_UNITS, MEASURES_NO_TEXT, (uint32_t)pl.top, pl.units, pl.n_units);
    return compare(run, PB_WHAT_TOP_PROJECTS, MEASURES_NO_TEXT, (uint32_t)pl.top, pl.leaves, pl.n_leaves);
}

/* ------------------------------------------------------- the “三公” items */

/* The items' row names (table_rules._THREE_ROWS, as lookup.norm leaves them). */
static const pb_audit_text THREE_TOTAL[] = {PACKED_WORD("合计"), PACKED_WORD("三公经费合计")};
static const pb_audit_text THREE_ABROAD[] = {PACKED_WORD("因公出国(境)费"), PACKED_WORD("因公出国(境)费用")};
static const pb_audit_text THREE_RECEPTION[] = {PACKED_WORD("公务接待费")};
static const pb_audit_text THREE_VEHICLES[] = {PACKED_WORD("公务用车购置及运行费"), PACKED_WORD("公务用车购置及运行维护费")};
static const pb_audit_text THREE_PURCHASE[] = {PACKED_WORD("公务用车购置费")};
static const pb_audit_text THREE_OPERATION[] = {PACKED_WORD("公务用车运行费"), PACKED_WORD("公务用车运行维护费")};

/* _compare_sum of an item row against the item rows found (-1: not found) in every column. */
static int item_rows_differ(const pb_audit_table *t, long head, const long *items, size_t n) {
    uint32_t kids[3];
    size_t k = 0;
    for (size_t i = 0; i < n && k < COUNT(kids); i++)
        if (items[i] >= 0) kids[k++] = (uint32_t)items[i];
    if (head < 0 || k == 0) return 0;
    for (size_t slot = 0; slot < t->n_columns; slot++)
        if (slot_differs(t, (uint32_t)head, kids, k, slot)) return 1;
    return 0;
}

/* A one-row (horizontal) table's row: the column of `head` against the sum of the columns of
 * `parts` the table prints, to the 分 (a sum past 64 bits differs: Python decides it). */
static int item_columns_differ(const pb_audit_table *t, size_t row, const char *head, const char *const *parts,
                               size_t n) {
    if (!packed_column(t, packed_word(head))) return 0;
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        pb_audit_text part = packed_word(parts[i]);
        if (!packed_column(t, part)) continue;
        int64_t v = packed_cell(t, row, packed_slot(t, part));
        if ((v > 0 && sum > INT64_MAX - v) || (v < 0 && sum < INT64_MIN - v)) return 1;
        sum += v;
    }
    return packed_cell(t, row, packed_slot(t, packed_word(head))) != sum;
}

int pb_audit_three_public(const pb_audit_table *t) {
    if (!packed_prints_figures(t)) return 0;
    long total = packed_find_named(t, PB_SIDE_ANY, THREE_TOTAL, COUNT(THREE_TOTAL));
    long abroad = packed_find_named(t, PB_SIDE_ANY, THREE_ABROAD, COUNT(THREE_ABROAD));
    if (total < 0) total = pb_audit_total_row(t, PB_SIDE_ANY);
    if (total >= 0 && abroad >= 0) { /* one row per item */
        long vehicles = packed_find_named(t, PB_SIDE_ANY, THREE_VEHICLES, COUNT(THREE_VEHICLES));
        long items[] = {abroad, packed_find_named(t, PB_SIDE_ANY, THREE_RECEPTION, COUNT(THREE_RECEPTION)), vehicles};
        long vehicle_items[] = {packed_find_named(t, PB_SIDE_ANY, THREE_PURCHASE, COUNT(THREE_PURCHASE)),
                                packed_find_named(t, PB_SIDE_ANY, THREE_OPERATION, COUNT(THREE_OPERATION))};
        return item_rows_differ(t, total, items, COUNT(items)) ||
               item_rows_differ(t, vehicles, vehicle_items, COUNT(vehicle_items));
    }
    static const char *const items[] = {"abroad", "vehicles", "reception"};
    static const char *const vehicle_items[] = {"vehicle_purchase", "vehicle_operation"};
    for (size_t i = 0; i < t->n_rows; i++) /* one column per item */
        if (packed_has(&t->rows[i], PB_ROW_FIGURES) &&
            (item_columns_differ(t, i, "total", items, COUNT(items)) ||
             item_columns_differ(t, i, "vehicles", vehicle_items, COUNT(vehicle_items))))
            return 1;
    return 0;
}

/* ------------------------------------------------------------ the rules */

pb_audit_status pb_audit_sums(const pb_audit_table *tables, size_t n_tables, pb_audit_result *out) {
    if (n_tables > UINT32_MAX) return PB_AUDIT_TOO_BIG;
    for (uint8_t rule = 0; rule < PB_AUDIT_RULES; rule++)
        for (size_t i = 0; i < n_tables; i++) {
            const pb_audit_table *t = &tables[i];
            if (t->n_rows > UINT32_MAX - 1) return PB_AUDIT_TOO_BIG;
            table_run run = {t, (uint32_t)i, rule, out};
            pb_audit_status rc = PB_AUDIT_OK;
            pb_audit_text kind = t->kind;
            switch (rule) {
            case PB_AUDIT_CHILDREN_SUM:
                if (is_function_kind(kind)) rc = coded_sums(&run);
                else if (packed_text_is(kind, "basic_economic") || packed_text_is(kind, "economic_summary"))
                    rc = economic_sums(&run);
                break;
            case PB_AUDIT_COLUMNS_SUM:
                rc = column_sums(&run);
                break;
            case PB_AUDIT_BALANCE:
                if (packed_text_is(kind, "summary") || packed_text_is(kind, "fiscal_summary")) rc = balance_sums(&run);
                break;
            case PB_AUDIT_GROUP_SUM:
                if (packed_text_is(kind, "projects") || packed_text_is(kind, "projects_carryover") ||
                    packed_text_is(kind, "performance_summary") || packed_text_is(kind, "operating_costs"))
                    rc = group_sums(&run);
                break;
            }
            if (rc) return rc;
        }
    return PB_AUDIT_OK;
}
