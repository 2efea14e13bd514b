/* pb_cross.c - the plain-amount comparisons of cross.function_code, block by
 * block, mirroring pybudget/checks/cross_rules.py and the lookups it uses
 * (lookup.coded_rows, code_fen, class_rows); amounts within a unit of the
 * coarser table's last digit count as agreeing (beyond_rounding). A test compares its answer with
 * the rule's own on the seeds, generated documents and edited ones. */
#include "pb_cross.h"
#include "pb_packed.h"

/* The kinds and measures the blocks read. */
static const pb_audit_text TOTAL = PACKED_WORD("total");
static const pb_audit_text CURRENT = PACKED_WORD("current");
static const pb_audit_text CARRYOVER = PACKED_WORD("carryover");
static const pb_audit_text GENERAL_BUDGET = PACKED_WORD("general_budget");
static const pb_audit_text INCOME = PACKED_WORD("income");
static const pb_audit_text EXPENDITURE = PACKED_WORD("expenditure");
static const pb_audit_text GENERAL_EXPENDITURE = PACKED_WORD("general_expenditure");
static const pb_audit_text SUMMARY = PACKED_WORD("summary");
static const pb_audit_text FISCAL_SUMMARY = PACKED_WORD("fiscal_summary");

/* A row lookup.coded_rows keeps: a function code, not a total row. */
static int coded(const pb_audit_row *r) { return (r->flags & PB_ROW_FUNCTION_CODE) && !(r->flags & PB_ROW_TOTAL); }

/* Whether coded_rows(t) is not empty. */
static int has_coded_rows(const pb_audit_table *t) {
    for (size_t i = 0; t && i < t->n_rows; i++)
        if (coded(&t->rows[i])) return 1;
    return 0;
}

/* coded_rows(t).get(code): the first coded row of the code, or -1. */
static long coded_row(const pb_audit_table *t, pb_audit_text code) {
    if (!t) return -1;
    for (size_t i = 0; i < t->n_rows; i++)
        if (coded(&t->rows[i]) && packed_text_eq(t->rows[i].code, code)) return (long)i;
    return -1;
}

/* Whether rows[i] is the first coded row of its code (the one coded_rows keeps). */
static int first_of_code(const pb_audit_table *t, size_t i) {
    if (!coded(&t->rows[i])) return 0;
    return coded_row(t, t->rows[i].code) == (long)i;
}

/* Whether two amounts of tables x and y differ by more than one unit of the coarser table's last
 * printed digit (times the tolerance's units, as step_fen holds it): the least rounding the rule's
 * compare() allows any two figures of these tables (two printed figures or more). Amounts within it
 * leave it nothing to find; the rest it judges with their figures. */
static int beyond_rounding(int64_t a, int64_t b, const pb_audit_table *x, const pb_audit_table *y) {
    uint64_t allowed = x->step_fen > y->step_fen ? x->step_fen : y->step_fen;
    uint64_t d = a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
    return d > allowed;
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
        return packed_cell(t, (size_t)own, total);
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
        sum = add(sum, packed_cell(t, i, total), overflow);
    }
    return sum;
}

/* Whether a table's class rows (the summary tables') differ from the expenditure table's codes. */
static int classes_differ(const pb_audit_table *t, const pb_audit_table *expenditure, const pb_audit_table *income,
                          uint32_t *scratch) {
    size_t total = packed_slot(t, TOTAL), e_total = expenditure ? packed_slot(expenditure, TOTAL) : 0;
    const pb_audit_text measures[] = {CURRENT, CARRYOVER};
    size_t n = pb_audit_class_rows(t, scratch);
    for (size_t k = 0; k < n; k++) {
        const pb_audit_row *row = &t->rows[scratch[k]];
        if (!(row->flags & PB_ROW_FIGURES)) continue;
        pb_audit_text code = {row->class_code, strlen(row->class_code)};
        int found = 0, overflow = 0;
        int64_t theirs = code_fen(expenditure, code, e_total, &found, &overflow);
        if (overflow || (found && beyond_rounding(theirs, packed_cell(t, scratch[k], total), t, expenditure)))
            return 1;
        long irow = income ? coded_row(income, code) : -1;
        for (size_t m = 0; irow >= 0 && m < 2; m++)
            if (packed_column(t, measures[m]) && packed_column(income, measures[m]) &&
                beyond_rounding(packed_cell(t, scratch[k], packed_slot(t, measures[m])),
                                packed_cell(income, (size_t)irow, packed_slot(income, measures[m])), t, income))
                return 1;
    }
    return 0;
}

void pb_cross_function_codes(const pb_audit_table *tables, size_t n_tables, uint8_t differs[PB_CROSS_BLOCKS]) {
    /* The lookups below scan a table per code: past PB_CROSS_MAX_ROWS rows in a table they read,
     * every block is left to Python's dicts, so the time stays linear in the rows. */
    const pb_audit_table *read[5];
    static const pb_audit_text *const kinds[5] = {&INCOME, &EXPENDITURE, &GENERAL_EXPENDITURE, &SUMMARY,
                                                  &FISCAL_SUMMARY};
    for (size_t k = 0; k < 5; k++) {
        read[k] = packed_first_of_kind(tables, n_tables, *kinds[k]);
        if (read[k] && read[k]->n_rows > PB_CROSS_MAX_ROWS) {
            memset(differs, 1, PB_CROSS_BLOCKS);
            return;
        }
    }
    memset(differs, 0, PB_CROSS_BLOCKS);
    const pb_audit_table *income = read[0], *expenditure = read[1], *general = read[2];
    if (income && expenditure) {
        int by_total = packed_column(income, TOTAL), carry = packed_column(income, CARRYOVER);
        size_t e_total = packed_slot(expenditure, TOTAL), i_total = packed_slot(income, TOTAL);
        size_t i_current = packed_slot(income, CURRENT), i_carry = packed_slot(income, CARRYOVER);
        for (size_t i = 0; i < expenditure->n_rows && !differs[PB_CROSS_EXPENDITURE_INCOME]; i++) {
            if (!first_of_code(expenditure, i)) continue;
            long irow = coded_row(income, expenditure->rows[i].code);
            if (irow < 0) continue;
            int overflow = 0;
            int64_t stated = by_total ? packed_cell(income, (size_t)irow, i_total)
                                      : add(packed_cell(income, (size_t)irow, i_current),
                                            carry ? packed_cell(income, (size_t)irow, i_carry) : 0, &overflow);
            if (overflow || beyond_rounding(stated, packed_cell(expenditure, i, e_total), income, expenditure))
                differs[PB_CROSS_EXPENDITURE_INCOME] = 1;
        }
    }
    if (general) {
        size_t g_total = packed_slot(general, TOTAL);
        int general_budget = income && packed_column(income, GENERAL_BUDGET);
        size_t i_general = income ? packed_slot(income, GENERAL_BUDGET) : 0;
        size_t e_total = expenditure ? packed_slot(expenditure, TOTAL) : 0;
        /* the rule compares the 一般公共预算支出表 with the 支出总表 only where the income table is by unit */
        int by_unit = !has_coded_rows(income);
        for (size_t i = 0; i < general->n_rows; i++) {
            if (!first_of_code(general, i)) continue;
            long irow = general_budget ? coded_row(income, general->rows[i].code) : -1;
            if (irow >= 0 &&
                beyond_rounding(packed_cell(general, i, g_total), packed_cell(income, (size_t)irow, i_general), general,
                                income))
                differs[PB_CROSS_GENERAL_INCOME] = 1;
            long erow = by_unit ? coded_row(expenditure, general->rows[i].code) : -1;
            if (erow >= 0 && beyond_rounding(packed_cell(general, i, g_total),
                                             packed_cell(expenditure, (size_t)erow, e_total), general, expenditure))
                differs[PB_CROSS_GENERAL_EXPENDITURE] = 1;
        }
    }
    const pb_audit_table *classed[2] = {read[3], read[4]};
    for (size_t c = 0; c < 2; c++) {
        const pb_audit_table *t = classed[c];
        if (!t) continue;
        uint32_t scratch[PB_CROSS_MAX_ROWS]; /* pb_audit_class_rows writes at most n_rows indexes */
        differs[c == 0 ? PB_CROSS_SUMMARY_CLASSES : PB_CROSS_FISCAL_CLASSES] =
            (uint8_t)classes_differ(t, expenditure, c == 0 ? income : NULL, scratch);
    }
}
