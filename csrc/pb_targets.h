/* pb_targets.h - whether cross.performance_vs_projects has anything to compare.
 *
 * cross.performance_vs_projects (pybudget/checks/cross_rules.py) pairs each
 * 项目支出绩效目标表 (a form) with its project in the 项目支出表 by name
 * (pb_match.h) and compares their amounts; a form of 人员类项目 or 公用经费项目
 * that pairs with no project restates the 基本支出 table's 人员经费 or 公用经费;
 * and the projects of a 绩效目标汇总表 (Henan) pair with the 项目支出表's.
 * pb_targets_differ makes those pairings and plain comparisons over the tables
 * pb_audit.h describes and says whether any of them may fail: Python runs the
 * rule only then, so a document whose targets restate its tables costs it
 * nothing.
 *
 * Pure C; allocates through the given allocator, and frees what it took
 * before it returns; no global state. */
#ifndef PB_TARGETS_H
#define PB_TARGETS_H

#include "pb_audit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A form with a 年度资金总额 (not the department's overall form). */
typedef struct pb_target_form {
    pb_audit_text name; /* as printed, UTF-8 */
    int64_t fen;        /* 年度资金总额 in 分 */
} pb_target_form;

/* 1 when the rule may report something: a form and a project of the first
 * 项目支出表 at least PB_MATCH_ALIKE alike whose amounts differ by more than
 * half a unit of the table's last printed digit; a form named 人员类项目,
 * 人员经费(项目) or 公用经费(项目) paired with no project whose amount differs from
 * the 基本支出 table's total of 人员经费 or 公用经费 by more than half a unit of
 * that table's digit; a project of the 绩效目标汇总表 and one of the 项目支出表
 * that alike whose amounts differ at all. 0 when none does; -1 when memory
 * ran out. half_steps[k] is half a unit of table k's last printed digit in
 * 分, rounded down (the second decimal's for a table printing no amount). */
int pb_targets_differ(const pb_audit_table *tables, size_t n_tables, const uint64_t *half_steps,
                      const pb_target_form *forms, size_t n_forms, const pb_allocator *allocator);

#ifdef __cplusplus
}
#endif
#endif
