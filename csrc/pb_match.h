/* pb_match.h - pairing project names across tables.
 *
 * cross.performance_vs_projects (pybudget/checks/cross_rules.py) pairs each
 * 项目支出绩效目标表 with its row of the 项目支出表 by name, and the rows of a
 * 绩效目标汇总表 with the 项目支出表's: the same project is often named a little
 * differently ('2026年遗属补助' and '2026年医疗保障局遗属补助'). A name is
 * compared by its key (pb_match_key: the normalised name without punctuation
 * and blanks) and the key's character pairs (Dice's coefficient); one key
 * inside another counts as very alike. pb_match_names pairs names best first,
 * equal amounts breaking ties, each name at most once.
 *
 * Pure C; the result owns its memory (injectable allocator); no global state. */
#ifndef PB_MATCH_H
#define PB_MATCH_H

#include "pb.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pb_match_status {
    PB_MATCH_OK = 0,
    PB_MATCH_NO_MEMORY = 1,
    PB_MATCH_TOO_BIG = 2, /* more names than a uint32_t counts, or a key past its limit */
} pb_match_status;

/* A name's key: the code points of a normalised name (pb_norm_name's UTF-8,
 * which may hold lone surrogates as Python's "surrogatepass" writes them)
 * without blanks (str.isspace) and the punctuation :：,，.。、()（）【】[]-—_·.
 * Writes at most n code points to out; returns how many. */
size_t pb_match_key(const char *utf8, size_t n, uint32_t *out);

/* One name to pair: its key and its amount in 分. */
typedef struct pb_match_name {
    const uint32_t *key;
    size_t len;
    int64_t fen;
} pb_match_name;

/* How alike two paired names must be for their amounts to be compared: a pairing less alike is
 * uncertain and proves nothing (cross.performance_vs_projects reads it as _core.MATCH_ALIKE). */
#define PB_MATCH_ALIKE 0.6

/* left[left] and right[right] are the same project, this alike (1.0: the same character pairs). */
typedef struct pb_match_pair {
    uint32_t left, right;
    double similarity;
} pb_match_pair;

typedef struct pb_match_result {
    pb_match_pair *pairs;
    size_t n_pairs;
    pb_allocator allocator;
} pb_match_result;

/* NULL allocator = malloc/realloc/free. */
void pb_match_result_init(pb_match_result *r, const pb_allocator *allocator);
void pb_match_result_free(pb_match_result *r);

/* Pairs names, best first: first names with the same character pairs and amounts no further apart
 * than tolerance_fen (the last left name first, each with the last such right name); then, of
 * the rest, every pair at least 0.3 alike by similarity plus 0.3 for amounts that close, then
 * similarity, then the later left and right name; each name at most once. On failure the result
 * is empty. */
pb_match_status pb_match_names(const pb_match_name *left, size_t n_left, const pb_match_name *right, size_t n_right,
                               uint64_t tolerance_fen, pb_match_result *out);

#ifdef __cplusplus
}
#endif
#endif
