/* pb_cross.c - the plain-amount comparisons of cross.function_code, block by
 * block, mirroring pybudget/checks/cross_rules.py and the lookups it uses
 * (lookup.coded_rows, code_fen, class_rows). A test compares its answer with
 * the rule's own on the seeds, generated documents and edited ones. */
#include "pb_cross.h"

#include <string.h>

static int text_eq(pb_audit_text a, pb_audit_text b) { return a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0); }

static int text_is(pb_audit_text t, const char *word) {
    size_t n = strlen(word);
    return t.n == n && memcmp(t.s, word, n) == 0;
}

/* ctx.table(kind): the first table of a kind, or NULL. */
static const pb_audit_table *first_of_kind(const pb_audit_table *tables, size_t n, const char *kind) {
    for (size_t i = 0; i < n; i++)
        if (text_is(tables[i].kind, kind)) return &tables[i];
    return NULL;
}

/* The slot of a measure, or n_slots (a measure no row carries: every cell blank). */
static size_t slot_of(const pb_audit_table *t, const char *measure) {
    for (size_t s = 0; s < t->n_slots; s++)
        if (text_is(t->slots[s], measure)) return s;
    return t->n_slots;
}

/* lookup.has_measure */
static int has_column(const pb_audit_table *t, const char *measure) {
    for (size_t s = 0; s < t->n_columns; s++)
        if (text_is(t->slots[s], measure)) return 1;
    return 0;
}

/* lookup.cell_fen: 0 for blanks and dashes. */
static int64_t cell(const pb_audit_table *t, size_t row, size_t slot) {
    if (slot >= t->n_slots) return 0;
    size_t at = row * t->n_slots + slot;
    return t->state[at] == PB_CELL_VALUE ? t->fen[at] : 0;
}

/* A row lookup.coded_rows keeps: a function code, not a total row. */
static int coded(const pb_audit_row *r) { return (r->flags & PB_ROW_FUNCTION_CODE) && !(r->flags & PB_ROW_TOTAL); }

/* coded_rows(t).get(code): the first coded row of the code, or -1. */
static long coded_row(const pb_audit_table *t, pb_audit_text code) {
    if (!t) return -1;
    for (size_t i = 0; i < t->n_rows; i++)
        if (coded(&t->rows[i]) && text_eq(t->rows[i].code, code)) return (long)i;
    return -1;
}

/* Whether rows[i] is the first coded row of its code (the one coded_rows keeps). */
static int first_of_code(const pb_audit_table *t, size_t i) {
    if (!coded(&t->rows[i])) return 0;
    return coded_row(t, t->rows[i].code) == (long)i;
}

/* a + b, or 0 with *overflow set when it passes 64 bits. */
static int64_t add(int64_t a, int64_t b, int *overflow) {
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) {
        *overflow = 1;
        return 0;
    }
    return a + b;
}

/* lookup.code_fen(t, code, 'total'): the code's own row, else the sum of its printed leaves
 * (Henan prints only 项 rows); 0 when there are none, with *found 0. */
static int64_t code_fen(const pb_audit_table *t, pb_audit_text code, size_t total, int *found, int *overflow) {
    *found = 0;
    if (!t) return 0;
    long own = coded_row(t, code);
    if (own >= 0) {
        *found = 1;
        return cell(t, (size_t)own, total);
    }
    int64_t sum = 0;
    for (size_t i = 0; i < t->n_rows; i++) {
        pb_audit_text c = t->rows[i].code;
        if (c.n <= code.n || memcmp(c.s, code.s, code.n) != 0 || !first_of_code(t, i)) continue;
        /* a leaf: no coded 7-digit code under a 5-digit one (a code under it has the prefix too) */
        int parent = 0;
        for (size_t k = 0; k < t->n_rows && !parent && c.n == 5; k++)
            parent = coded(&t->rows[k]) && t->rows[k].code.n == 7 && memcmp(t->rows[k].code.s, c.s, 5) == 0;
        if (parent) continue;
        *found = 1;
        sum = add(sum, cell(t, i, total), overflow);
    }
    return sum;
}

/* Whether a table's class rows (the summary tables') differ from the expenditure table's codes. */
static int classes_differ(const pb_audit_table *t, const pb_audit_table *expenditure, const pb_audit_table *income,
                          uint32_t *scratch) {
    size_t total = slot_of(t, "total"), e_total = expenditure ? slot_of(expenditure, "total") : 0;
    size_t n = pb_audit_class_rows(t, scratch);
    for (size_t k = 0; k < n; k++) {
        const pb_audit_row *row = &t->rows[scratch[k]];
        if (!(row->flags & PB_ROW_FIGURES)) continue;
        pb_audit_text code = {row->class_code, strlen(row->class_code)};
        int found = 0, overflow = 0;
        int64_t theirs = code_fen(expenditure, code, e_total, &found, &overflow);
        if (overflow || (found && theirs != cell(t, scratch[k], total))) return 1;
        long irow = income ? coded_row(income, code) : -1;
        static const char *const measures[] = {"current", "carryover"};
        for (size_t m = 0; irow >= 0 && m < 2; m++)
            if (has_column(t, measures[m]) && has_column(income, measures[m]) &&
                cell(t, scratch[k], slot_of(t, measures[m])) != cell(income, (size_t)irow, slot_of(income, measures[m])))
                return 1;
    }
    return 0;
}

void pb_cross_function_codes(const pb_audit_table *tables, size_t n_tables, uint8_t differs[PB_CROSS_BLOCKS]) {
    memset(differs, 0, PB_CROSS_BLOCKS);
    const pb_audit_table *income = first_of_kind(tables, n_tables, "income");
    const pb_audit_table *expenditure = first_of_kind(tables, n_tables, "expenditure");
    const pb_audit_table *general = first_of_kind(tables, n_tables, "general_expenditure");
    if (income && expenditure) {
        int by_total = has_column(income, "total"), carry = has_column(income, "carryover");
        size_t e_total = slot_of(expenditure, "total"), i_total = slot_of(income, "total");
        size_t i_current = slot_of(income, "current"), i_carry = slot_of(income, "carryover");
        for (size_t i = 0; i < expenditure->n_rows && !differs[PB_CROSS_EXPENDITURE_INCOME]; i++) {
            if (!first_of_code(expenditure, i)) continue;
            long irow = coded_row(income, expenditure->rows[i].code);
            if (irow < 0) continue;
            int overflow = 0;
            int64_t stated = by_total ? cell(income, (size_t)irow, i_total)
                                      : add(cell(income, (size_t)irow, i_current),
                                            carry ? cell(income, (size_t)irow, i_carry) : 0, &overflow);
            if (overflow || stated != cell(expenditure, i, e_total)) differs[PB_CROSS_EXPENDITURE_INCOME] = 1;
        }
    }
    if (general) {
        size_t g_total = slot_of(general, "total");
        int general_budget = income && has_column(income, "general_budget");
        size_t i_general = income ? slot_of(income, "general_budget") : 0;
        size_t e_total = expenditure ? slot_of(expenditure, "total") : 0;
        for (size_t i = 0; i < general->n_rows; i++) {
            if (!first_of_code(general, i)) continue;
            long irow = general_budget ? coded_row(income, general->rows[i].code) : -1;
            if (irow >= 0 && cell(general, i, g_total) != cell(income, (size_t)irow, i_general))
                differs[PB_CROSS_GENERAL_INCOME] = 1;
            long erow = coded_row(expenditure, general->rows[i].code);
            if (erow >= 0 && cell(general, i, g_total) != cell(expenditure, (size_t)erow, e_total))
                differs[PB_CROSS_GENERAL_EXPENDITURE] = 1;
        }
    }
    const pb_audit_table *summary = first_of_kind(tables, n_tables, "summary");
    const pb_audit_table *fiscal = first_of_kind(tables, n_tables, "fiscal_summary");
    const pb_audit_table *classed[2] = {summary, fiscal};
    for (size_t c = 0; c < 2; c++) {
        const pb_audit_table *t = classed[c];
        if (!t) continue;
        /* pb_audit_class_rows writes at most n_rows indexes: a bounded scratch on the stack covers
         * tables of up to 512 rows; a longer one is left to Python (reported as differing) */
        uint32_t scratch[512];
        int differ = t->n_rows > 512 ? 1 : classes_differ(t, expenditure, c == 0 ? income : NULL, scratch);
        differs[c == 0 ? PB_CROSS_SUMMARY_CLASSES : PB_CROSS_FISCAL_CLASSES] = (uint8_t)differ;
    }
}
