/* pb_fact_checks.h - which comparisons of the prose with itself may fail.
 *
 * Four rules of pybudget/checks/text_rules.py compare prose facts with each
 * other: text.share (a stated share against the fact it is a share of),
 * text.shares_sum (the shares of one base in one sentence against 100%),
 * text.change_pct (a change against its percentage) and text.parts_sum (the
 * figures listed under 其中 against their whole). pb_fact_checks_run works
 * each comparison out from the facts' printed digits and keeps those that are
 * not certainly within the rule's tolerance; Python judges the kept ones
 * again, with its exact decimals, and words the findings. Nearly every
 * comparison passes, and the passing ones never reach Python.
 *
 * A comparison is dropped only when Python would certainly pass it: the sums
 * are exact integers (and Python's are exact too, see pb_fact_checks.c), the
 * divisions of share and change_pct are cleared only with a wide margin, and
 * anything out of range is kept.
 *
 * Pure C; the result owns its memory (injectable allocator); no global state. */
#ifndef PB_FACT_CHECKS_H
#define PB_FACT_CHECKS_H

#include "pb.h"
#include "pb_facts.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pb_fact_checks_status {
    PB_FACT_CHECKS_OK = 0,
    PB_FACT_CHECKS_NO_MEMORY = 1,
    PB_FACT_CHECKS_TOO_BIG = 2, /* more facts than a uint32_t can index */
} pb_fact_checks_status;

/* The rules, in the order their comparisons are stored. */
enum {
    PB_FACT_CHECK_SHARE = 0,      /* one fact: its share; a share of a subject (share_base_subject) then
                                   * names its base: the fact found, or PB_FACT_CHECK_TABLES */
    PB_FACT_CHECK_SHARES_SUM = 1, /* the facts whose shares of one base one sentence states */
    PB_FACT_CHECK_CHANGE_PCT = 2, /* one fact: its change and percentage */
    PB_FACT_CHECK_PARTS_SUM = 3,  /* the facts listed under one whole (one 其中 list) */
    PB_FACT_CHECK_RULES = 4,
};

/* The base of a share of a subject that no money fact of it before the share in its paragraph
 * states: the tables' figure of the subject, which Python looks up. */
#define PB_FACT_CHECK_TABLES UINT32_MAX

/* A parts_sum comparison kept whatever the tolerance's units; every other
 * rule's comparisons have this too. */
#define PB_FACT_CHECK_ALWAYS UINT64_MAX

/* A kept comparison: the facts it compares are facts[first .. first + count)
 * of the result, in reading order. parts_sum allows units × the list's
 * rounding step, and the facts are read once for every run of the audit,
 * whatever its units: so a parts_sum comparison is kept only while the
 * tolerance's units per item are below `units`. */
typedef struct pb_fact_check {
    uint32_t first, count;
    uint64_t units;
} pb_fact_check;

typedef struct pb_fact_checks {
    pb_fact_check *checks; /* rule after rule, each rule's in reading order of its first fact */
    size_t n_checks, checks_cap;
    size_t rule_start[PB_FACT_CHECK_RULES + 1]; /* rule r's are checks[rule_start[r] .. rule_start[r + 1]) */
    uint32_t *facts;
    size_t n_facts, facts_cap;
    pb_allocator allocator;
    /* scratch kept between calls */
    void *scratch;
    size_t scratch_cap;
} pb_fact_checks;

/* NULL allocator = malloc/realloc/free. Init cannot fail; free may be called
 * on an initialised result at any time. */
void pb_fact_checks_init(pb_fact_checks *c, const pb_allocator *allocator);
void pb_fact_checks_free(pb_fact_checks *c);

/* The comparisons of the four rules over the facts of one read (the store's
 * facts, indexed by their position), replacing what c held. On failure c holds
 * no comparison. */
pb_fact_checks_status pb_fact_checks_run(pb_fact_checks *c, const pb_fact *facts, size_t n);

#ifdef __cplusplus
}
#endif
#endif
