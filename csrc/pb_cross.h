/* pb_cross.h - which blocks of the cross-table rule cross.function_code have
 * anything to compare.
 *
 * cross.function_code (pybudget/checks/cross_rules.py) compares the figures of
 * each function code across 收入总表, 支出总表 and 一般公共预算支出表, and the
 * function classes of 收支总表 / 财政拨款收支总表 with them; a comparison goes on
 * to the figures and their rounding only where the amounts differ by more than
 * the least rounding the rule allows (one unit of the coarser table's last
 * printed digit, times the tolerance's units: step_fen). pb_cross_function_codes
 * makes those plain comparisons over the tables pb_audit.h describes and says,
 * block by block, whether any differs that much: Python runs a block only then,
 * so a document whose codes agree, or differ by a rounding (尾差), costs it
 * nothing.
 *
 * Pure C; reads only what it is given; allocates nothing. */
#ifndef PB_CROSS_H
#define PB_CROSS_H

#include "pb_audit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The blocks of cross.function_code, in the order the rule runs them. */
enum {
    PB_CROSS_EXPENDITURE_INCOME = 0, /* 支出总表 against 收入总表, code by code */
    PB_CROSS_GENERAL_INCOME = 1,     /* 一般公共预算支出表 against 收入总表's 一般公共预算 */
    PB_CROSS_GENERAL_EXPENDITURE = 2, /* 一般公共预算支出表 against 支出总表 (Henan, no coded income) */
    PB_CROSS_SUMMARY_CLASSES = 3,    /* 收支总表's classes against 支出总表 and 收入总表 */
    PB_CROSS_FISCAL_CLASSES = 4,     /* 财政拨款收支总表's classes against 支出总表 */
    PB_CROSS_BLOCKS = 5,
};

/* Tables longer than this (no template prints a tenth of it) are left to Python: every block differs. */
#define PB_CROSS_MAX_ROWS 1024

/* differs[b] = 1 when block b has a comparison whose amounts differ by more
 * than beyond_rounding allows (or whose sum passes 64 bits, for Python's
 * integers to decide), else 0. Each block is
 * worked out as if its conditions on the document (all fiscal money, no
 * carry-over …) held: Python tests them only for a block that differs. */
void pb_cross_function_codes(const pb_audit_table *tables, size_t n_tables, uint8_t differs[PB_CROSS_BLOCKS]);

#ifdef __cplusplus
}
#endif
#endif
