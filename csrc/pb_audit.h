/* pb_audit.h - the sums of the audit's table rules (勾稽 inside one table).
 *
 * The caller (the glue) hands over a document's tables as plain arrays: each
 * row's line, names, code and what its texts say (flags worked out with the
 * Python model's own string semantics), and a grid of cells in 分 by measure.
 * pb_audit_sums finds every comparison the table rules make (children against
 * their parent by code, unit rows against 合计, economic items against their
 * class, projects against their unit, the columns of a row against its total,
 * the two sides of a 收支总表) and keeps those that differ by more than
 * rounding allows. Python (pybudget/checks/table_rules.py) judges those few
 * again and words the findings: nearly every comparison passes, and the
 * passing ones never reach Python.
 *
 * Pure C; the result owns its memory (injectable allocator); no global state. */
#ifndef PB_AUDIT_H
#define PB_AUDIT_H

#include "pb.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pb_audit_status {
    PB_AUDIT_OK = 0,
    PB_AUDIT_NO_MEMORY = 1,
    PB_AUDIT_TOO_BIG = 2, /* more comparisons than a uint32_t can index */
} pb_audit_status;

/* UTF-8 text borrowed from the caller; s may be NULL when n is 0. */
typedef struct pb_audit_text {
    const char *s;
    size_t n;
} pb_audit_text;

/* A cell: blank (not printed), a dash (printed as '-'/'—'), or an amount. */
enum { PB_CELL_BLANK = 0, PB_CELL_DASH = 1, PB_CELL_VALUE = 2 };
/* A row's side of a two-sided table. */
enum { PB_SIDE_NONE = 0, PB_SIDE_INCOME = 1, PB_SIDE_EXPENDITURE = 2, PB_SIDE_OTHER = 3 };
/* A lookup's side: every row, whatever its side. */
#define PB_SIDE_ANY 255

/* Row flags (the caller works them out; pybudget/checks/lookup.py names in brackets). */
enum {
    PB_ROW_TOTAL = 1 << 0,         /* role is 'total' (Row.is_total) */
    PB_ROW_FUNCTION_CODE = 1 << 1, /* code is a 3/5/7-digit 2xx code (is_function_code) */
    PB_ROW_UNIT_CODE = 1 << 2,     /* texts carries a unit code */
    PB_ROW_PROJECT_TYPE = 1 << 3,  /* texts carries a project type */
    PB_ROW_FIGURES = 1 << 4,       /* prints an amount, 0 included (has_figures) */
    PB_ROW_BLANK_NAME = 1 << 5,    /* name is all whitespace */
    PB_ROW_DIGIT_NAME = 1 << 6,    /* the normalised name is all digits (str.isdigit) */
    PB_ROW_SHORT_CODE = 1 << 7,    /* has a code of at most 9 characters */
    PB_ROW_QIZHONG = 1 << 8,       /* name starts with 其中 after leading whitespace */
    PB_ROW_ORG = 1 << 9,           /* names a unit (is_org_name) */
    PB_ROW_ECON_CLASS = 1 << 10,   /* normalised name is an economic class (ECON_CLASSES) */
    PB_ROW_TOTAL_NAME = 1 << 11,   /* normalised name ends with 合计/总计 */
    PB_ROW_CLASS = 1 << 12,        /* name is a function class; class_code holds it */
};

typedef struct pb_audit_row {
    int64_t line;
    pb_audit_text name; /* as printed */
    pb_audit_text norm; /* normalised (pb_norm_name) */
    pb_audit_text code; /* function code, empty when none */
    uint32_t flags;
    uint8_t side;
    char class_code[4]; /* with PB_ROW_CLASS: the function class, NUL-terminated */
} pb_audit_row;

/* Measures the rules know by name, and a table's columns. */
typedef struct pb_audit_table {
    pb_audit_text kind;
    size_t n_rows;
    const pb_audit_row *rows;
    /* Measure slots: the first n_columns are the table's amount columns in
     * printed order (Table.measures, repeats kept); any further slots hold
     * measures a row carries that no column names. */
    size_t n_columns, n_slots;
    const pb_audit_text *slots;
    /* n_rows × n_slots, row-major: cell state and amount in 分 (0 unless a value). */
    const uint8_t *state;
    const int64_t *fen;
    /* Column identities for table.columns_sum: equation e says slot
     * lhs[e] equals the sum of parts[part_start[e] .. part_start[e + 1]). */
    size_t n_equations;
    const uint32_t *lhs;
    const uint32_t *part_start; /* n_equations + 1 entries */
    const uint32_t *parts;
    /* One unit of the table's last printed digit, in 分, times the tolerance's
     * units per item: a sum of n > 1 printed non-zero items may differ from
     * its total by n steps (尾差). */
    uint64_t step_fen;
    /* Optional: the rows pb_audit_class_rows gives, worked out once by the
     * caller (NULL: each lookup scans the rows). A figure's class way asks for
     * one class at a time, dozens per document, so a 收支总表 is read once
     * instead of once per figure. The class codes must be NUL-padded. */
    const uint32_t *class_rows;
    size_t n_class_rows;
    /* Optional: the coded rows (function code, not a total), the first of
     * each code, in the byte order of their codes, as pb_figure_index_codes
     * gives them (NULL: a figure's code way scans the rows). A document's
     * figures ask for dozens of codes of the same two or three tables, most
     * of them printed by no row. */
    const uint32_t *code_rows;
    size_t n_code_rows;
} pb_audit_table;

/* Which rule a comparison belongs to, and what it compares (the Python side
 * words each 'what' and picks the measures it covers). */
enum {
    PB_AUDIT_CHILDREN_SUM = 0,
    PB_AUDIT_COLUMNS_SUM = 1,
    PB_AUDIT_BALANCE = 2,
    PB_AUDIT_GROUP_SUM = 3,
    PB_AUDIT_RULES = 4,
};
enum {
    PB_WHAT_CHILD_CODES = 0,     /* a code's printed children (all measures) */
    PB_WHAT_UNITS = 1,           /* 合计 against several unit rows */
    PB_WHAT_UNIT_CODES = 2,      /* a unit row against the top codes under it */
    PB_WHAT_UNIT_ROW = 3,        /* 合计 against the one unit row */
    PB_WHAT_TOP_CODES = 4,       /* 合计 against the top-level codes */
    PB_WHAT_ECON_ITEMS = 5,      /* an economic class against its items */
    PB_WHAT_ECON_CLASSES = 6,    /* 合计 against the economic classes */
    PB_WHAT_COLUMNS = 7,         /* a row's columns: index is the equation */
    PB_WHAT_SIDES = 8,           /* 收入总计 against 支出总计 ('total' only) */
    PB_WHAT_CARRY = 9,           /* a side's 总计 against 本年合计 + 结转 (measures printed by any) */
    PB_WHAT_INCOME_ITEMS = 10,   /* 本年收入合计 against the income items ('total' only) */
    PB_WHAT_CLASSES = 11,        /* 本年支出合计 against the function classes (measures it prints) */
    PB_WHAT_UNIT_PROJECTS = 12,  /* a unit's subtotal against its projects (no _name/_value measures) */
    PB_WHAT_TOP_UNITS = 13,      /* a project table's total against its units (the same) */
    PB_WHAT_TOP_PROJECTS = 14,   /* a project table's total against its projects (the same) */
};

/* One comparison that differs by more than rounding allows: rows[parent] against the rows
 * listed at children[first .. first + count) of the result (for
 * PB_WHAT_COLUMNS, the row itself and equation index; for PB_WHAT_SIDES,
 * the 支出总计 row as the one child). */
typedef struct pb_audit_diff {
    uint8_t rule;
    uint8_t what;
    uint32_t table;
    uint32_t parent;
    uint32_t index; /* PB_WHAT_COLUMNS: the equation */
    uint32_t first, count;
} pb_audit_diff;

typedef struct pb_audit_result {
    pb_audit_diff *diffs;
    size_t n_diffs, diffs_cap;
    uint32_t *children;
    size_t n_children, children_cap;
    pb_allocator allocator;
    /* scratch kept between tables */
    uint32_t *scratch;
    size_t scratch_cap;
} pb_audit_result;

/* NULL allocator = malloc/realloc/free. */
void pb_audit_result_init(pb_audit_result *r, const pb_allocator *allocator);
void pb_audit_result_free(pb_audit_result *r);

/* Finds the comparisons of the four sum rules over a document's tables, in
 * the order the rules report them (rule by rule, table by table). On failure
 * the result holds what was found before it. */
pb_audit_status pb_audit_sums(const pb_audit_table *tables, size_t n_tables, pb_audit_result *out);

/* The lookups the comparisons use, for the Python side's other rules too
 * (pybudget/checks/lookup.py), so that there is one implementation. */

/* lookup.total_row(table, side): with a side, its row named 收入总计/支出总计 (else
 * 收入合计/支出合计), else its total row named 合计 (else 收入总计, 支出总计, else
 * the first); with PB_SIDE_ANY, the total row so chosen among all rows, else
 * Henan's unnamed total row (the first row with figures, when its name is
 * blank). -1 for none. */
long pb_audit_total_row(const pb_audit_table *t, uint8_t side);

/* lookup.class_rows(table, 'expenditure'): the function-class rows of a
 * 收支总表 (side expenditure or none, not a total), the first of each class
 * unless only a later one prints figures, in the order of their classes'
 * first rows. Writes at most n_rows indexes to out; returns how many. */
size_t pb_audit_class_rows(const pb_audit_table *t, uint32_t *out);

/* lookup.class_rows(table).get(code): the row pb_audit_class_rows gives for one
 * class (code: up to 3 bytes); -1 for none. */
long pb_audit_class_row(const pb_audit_table *t, pb_audit_text code);

/* lookup.project_list: a project-like table (项目支出表, 绩效目标汇总表,
 * 机关运行经费表) read as its total row (top, -1 for none), unit subtotals, and
 * projects; unit u's projects are leaves[unit_starts[u] .. unit_starts[u + 1])
 * (the last unit's run to n_leaves; projects before the first unit belong to
 * none). The arrays are the caller's, n_rows entries each. */
typedef struct pb_project_list {
    long top;
    size_t n_units, n_leaves;
    uint32_t *units, *unit_starts, *leaves;
} pb_project_list;
void pb_audit_project_list(const pb_audit_table *t, uint32_t *units, uint32_t *unit_starts, uint32_t *leaves,
                           pb_project_list *out);

/* lookup.project_list(table).total(): the total row's cell of a slot, else the sum of the unit
 * rows' cells, else of the projects' (*row: the total row or the first row added, -1 for none;
 * *fen: the figure, 0 for none). Allocates nothing. 0, or -1 when the sum passes 64 bits. */
int pb_audit_project_total(const pb_audit_table *t, size_t slot, long *row, int64_t *fen);

/* table.three_public_items (pybudget/checks/table_rules.py) over one “三公”经费表: 1 when some
 * item sum differs from its total by more than rounding allows (a table with a row per item: its
 * total against 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费, that against 购置费 + 运行维护费,
 * in every column; a one-row table: its columns so, to the 分), for Python to judge and word;
 * 0 when every one agrees and the rule has nothing to say. */
int pb_audit_three_public(const pb_audit_table *t);

#ifdef __cplusplus
}
#endif
#endif
