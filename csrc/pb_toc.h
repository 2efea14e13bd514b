/* pb_toc.h - the table of contents against the tables (structure.toc).
 *
 * structure.toc (pybudget/checks/structure_rules.py) reports each contents
 * entry that names one table ('表三 2025年预算支出总表', '一、部门收支总体情况表')
 * and matches none of the document's table titles. An entry and a title are
 * compared by their keys: the text without its table number ('表三', '一、'),
 * years ('2025年', '2025年度'), blanks and marks; two keys match when their
 * character pairs are at least 40% alike (Dice's coefficient). Entries are
 * matched to titles greedily, the most alike pair first (ties: the later
 * entry, then the later title), each at most once.
 *
 * Texts are code points (a Python str's), so that what a pattern reads as a
 * character, a digit (\d) or a blank (\s) is read alike.
 *
 * Pure C; allocates through the given allocator and frees what it took
 * before it returns; no global state. */
#ifndef PB_TOC_H
#define PB_TOC_H

#include "pb.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pb_toc_text {
    const uint32_t *s;
    size_t n;
} pb_toc_text;

/* Whether a contents entry names one table: it holds 表, ends with 表 (or with a
 * bracketed '表(…)'), or starts with 表 and its number; and names no part of
 * the document (部分, 附件) nor all the tables together (部门预算表, 预算报表). */
int pb_toc_names_a_table(pb_toc_text entry);

/* An entry's or a title's key (structure_rules' two passes of _TOC_STRIP): at
 * most n code points written to out; returns how many. */
size_t pb_toc_key(pb_toc_text text, uint32_t *out);

/* Writes to out, in order, the indexes of the entries that name one table and
 * match no title, and returns how many (at most n_entries); SIZE_MAX when
 * memory ran out. */
size_t pb_toc_unmatched(const pb_toc_text *entries, size_t n_entries, const pb_toc_text *titles, size_t n_titles,
                        uint32_t *out, const pb_allocator *allocator);

#ifdef __cplusplus
}
#endif
#endif
