/* pb_names.h - what a table row's name says: its normalised form, whether it
 * names a unit (not a project), an economic class, a grand total, or a
 * function class. The audit's row lookups ask these; the Python package asks
 * the same functions (through the glue), so there is one implementation.
 *
 * Pure C, UTF-8 in and out; no allocation: outputs go to caller buffers. */
#ifndef PB_NAMES_H
#define PB_NAMES_H

#include <stddef.h>

/* The normalised row name (pybudget.checks.lookup.norm): whitespace removed,
 * then a leading 其中 (with one : ： , ，), then one leading enumerator
 * ('(一)', '一、', '①', '1.'), then the quotes and colons “”"‘’:：, and full-width
 * parentheses made ASCII. Writes at most len bytes to out (normalising never
 * lengthens a name) and returns how many; out may not overlap name. */
size_t pb_norm_name(const char *name, size_t len, char *out);

/* Whether a normalised name reads as a unit's ('…局', '…中心(本级)') and not a
 * project's ('…经费', '…资金'); department (the table's, as printed; NULL or
 * empty for none) also counts when the name equals it or is part of it. */
int pb_org_name(const char *norm, size_t len, const char *department, size_t department_len);

/* Whether a normalised name is an economic class heading (工资福利支出 …). */
int pb_econ_class_name(const char *norm, size_t len);

/* Whether a normalised name ends with 合计 or 总计. */
int pb_total_name(const char *norm, size_t len);

/* The function-class code (3 ASCII digits and a NUL, into code) of a
 * summary-table row name, as pybudget.facts.class_code reads it:
 * '八、社会保障和就业支出' → "208", '(十)卫生健康支出' → "210", '十、卫生健康' → "210".
 * Returns 1 when the name is a class, 0 when not. */
int pb_class_code(const char *name, size_t len, char code[4]);

#endif
