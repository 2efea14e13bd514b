/* pb_targets.c - cross.performance_vs_projects' pairings and plain
 * comparisons (pb_targets.h), as the rule makes them: the same keys and
 * pairs (pb_match.c), the same project lists (pb_audit_project_list) and
 * total rows (pb_audit_total_row), amounts in 分. */
#include "pb_targets.h"
#include "pb_internal.h"
#include "pb_match.h"
#include "pb_names.h"
#include "pb_packed.h"

#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* |a - b| > allowed, for any 64-bit a and b. */
static int beyond(int64_t a, int64_t b, uint64_t allowed) {
    uint64_t gap = a >= b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
    return gap > allowed;
}

/* The keys of a side's names, in one block: names[k].key points into it. */
typedef struct side {
    pb_match_name *names;
    uint32_t *keys;
    size_t n;
} side;

static void side_free(side *s, const pb_allocator *a) {
    a->free(a->ctx, s->names);
    a->free(a->ctx, s->keys);
    memset(s, 0, sizeof *s);
}

/* Room for n names of key_points code points in all (a key has at most one code point per byte). */
static int side_alloc(side *s, size_t n, size_t key_points, const pb_allocator *a) {
    memset(s, 0, sizeof *s);
    if (n > SIZE_MAX / sizeof *s->names || key_points > SIZE_MAX / sizeof *s->keys) return -1;
    s->names = a->realloc(a->ctx, NULL, (n ? n : 1) * sizeof *s->names);
    s->keys = a->realloc(a->ctx, NULL, (key_points ? key_points : 1) * sizeof *s->keys);
    if (!s->names || !s->keys) {
        side_free(s, a);
        return -1;
    }
    s->n = n;
    return 0;
}

/* A project list's projects: their normalised names' keys and their 'total' (blank 0). */
static int leaves_side(const pb_audit_table *t, side *s, const pb_allocator *a) {
    size_t n = t->n_rows;
    if (n >= SIZE_MAX / 3 / sizeof(uint32_t) - 1) return -1;
    uint32_t *idx = a->realloc(a->ctx, NULL, 3 * (n + 1) * sizeof *idx);
    if (!idx) return -1;
    pb_project_list pl;
    pb_audit_project_list(t, idx, idx + (n + 1), idx + 2 * (n + 1), &pl);
    size_t points = 0;
    for (size_t k = 0; k < pl.n_leaves; k++) points += t->rows[pl.leaves[k]].norm.n;
    int rc = side_alloc(s, pl.n_leaves, points, a);
    size_t slot = packed_slot(t, packed_word("total")), at = 0;
    for (size_t k = 0; rc == 0 && k < pl.n_leaves; k++) {
        const pb_audit_row *row = &t->rows[pl.leaves[k]];
        size_t len = pb_match_key(row->norm.s, row->norm.n, s->keys + at);
        s->names[k] = (pb_match_name){s->keys + at, len, packed_cell(t, pl.leaves[k], slot)};
        at += len;
    }
    a->free(a->ctx, idx);
    return rc;
}

/* The forms' names' keys (normalised as a row name is) and amounts. */
static int forms_side(const pb_target_form *forms, size_t n, side *s, const pb_allocator *a) {
    size_t points = 0, longest = 0;
    for (size_t k = 0; k < n; k++) {
        points += forms[k].name.n;
        if (forms[k].name.n > longest) longest = forms[k].name.n;
    }
    char *norm = a->realloc(a->ctx, NULL, longest ? longest : 1);
    int rc = norm ? side_alloc(s, n, points, a) : -1;
    size_t at = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        size_t len = pb_match_key(norm, pb_norm_name(forms[k].name.s, forms[k].name.n, norm), s->keys + at);
        s->names[k] = (pb_match_name){s->keys + at, len, forms[k].fen};
        at += len;
    }
    a->free(a->ctx, norm);
    return rc;
}

/* Whether a key is one of the words (cross_rules._PERSONNEL_FORM / _PUBLIC_FORM, matched whole). */
static int key_is(const pb_match_name *name, const uint32_t *const *words, const size_t *lens, size_t n_words) {
    for (size_t w = 0; w < n_words; w++)
        if (name->len == lens[w] && memcmp(name->key, words[w], lens[w] * sizeof *name->key) == 0) return 1;
    return 0;
}

/* 人员类项目, 人员经费(项目); 公用经费(项目): the measure a form's name restates, or NULL. */
static const char *basic_measure(const pb_match_name *name) {
    static const uint32_t staff_kind[] = {0x4EBA, 0x5458, 0x7C7B, 0x9879, 0x76EE};       /* 人员类项目 */
    static const uint32_t staff[] = {0x4EBA, 0x5458, 0x7ECF, 0x8D39, 0x9879, 0x76EE};   /* 人员经费项目 */
    static const uint32_t public_[] = {0x516C, 0x7528, 0x7ECF, 0x8D39, 0x9879, 0x76EE}; /* 公用经费项目 */
    static const uint32_t *const personnel_words[] = {staff_kind, staff, staff};
    static const size_t personnel_lens[] = {5, 4, 6};
    static const uint32_t *const public_words[] = {public_, public_};
    static const size_t public_lens[] = {4, 6};
    if (key_is(name, personnel_words, personnel_lens, COUNT(personnel_lens))) return "personnel";
    if (key_is(name, public_words, public_lens, COUNT(public_lens))) return "public";
    return NULL;
}

/* _basic_forms' plain comparison: a form against the 基本支出 table's total of its measure. */
static int basic_differs(const pb_audit_table *be, uint64_t half_step, const char *measure, int64_t fen) {
    pb_audit_text m = packed_word(measure);
    if (!packed_column(be, m)) return 0;
    int64_t theirs = 0;
    if (packed_prints_figures(be)) {
        long row = pb_audit_total_row(be, PB_SIDE_ANY);
        if (row < 0) return 0; /* no total: nothing to compare with */
        theirs = packed_cell(be, (size_t)row, packed_slot(be, m));
    }
    return beyond(fen, theirs, half_step);
}

/* Pairs two sides; 1 when a pair at least PB_MATCH_ALIKE alike differs by more than `allowed`, 0 when
 * none does, -1 without memory. paired[i] (when given) is set for every left name paired. */
static int pairs_differ(const side *left, const side *right, uint64_t allowed, uint8_t *paired,
                        const pb_allocator *a) {
    pb_match_result found;
    pb_match_result_init(&found, a);
    if (pb_match_names(left->names, left->n, right->names, right->n, allowed, &found) != PB_MATCH_OK) {
        pb_match_result_free(&found);
        return -1;
    }
    int differs = 0;
    for (size_t k = 0; k < found.n_pairs; k++) {
        const pb_match_pair *p = &found.pairs[k];
        if (paired) paired[p->left] = 1;
        if (p->similarity >= PB_MATCH_ALIKE && beyond(left->names[p->left].fen, right->names[p->right].fen, allowed))
            differs = 1;
    }
    pb_match_result_free(&found);
    return differs;
}

int pb_targets_differ(const pb_audit_table *tables, size_t n_tables, const uint64_t *half_steps,
                      const pb_target_form *forms, size_t n_forms, const pb_allocator *allocator) {
    pb_allocator a = allocator ? *allocator : pb_default_allocator();
    const pb_audit_table *projects = packed_first_of_kind(tables, n_tables, packed_word("projects"));
    const pb_audit_table *summary = packed_first_of_kind(tables, n_tables, packed_word("performance_summary"));
    const pb_audit_table *be = packed_first_of_kind(tables, n_tables, packed_word("basic_economic"));
    if (!projects) return 0;
    side theirs, ours;
    if (leaves_side(projects, &theirs, &a) < 0) return -1;
    int rc = 0;
    if (n_forms) {
        uint8_t *paired = a.realloc(a.ctx, NULL, n_forms);
        if (!paired || forms_side(forms, n_forms, &ours, &a) < 0) {
            a.free(a.ctx, paired);
            side_free(&theirs, &a);
            return -1;
        }
        memset(paired, 0, n_forms);
        rc = pairs_differ(&ours, &theirs, half_steps[projects - tables], paired, &a);
        for (size_t k = 0; rc == 0 && be && k < n_forms; k++) {
            const char *measure = paired[k] ? NULL : basic_measure(&ours.names[k]);
            if (measure) rc = basic_differs(be, half_steps[be - tables], measure, forms[k].fen);
        }
        a.free(a.ctx, paired);
        side_free(&ours, &a);
    }
    if (rc == 0 && summary) {
        if (leaves_side(summary, &ours, &a) < 0) {
            rc = -1;
        } else {
            rc = pairs_differ(&ours, &theirs, 0, NULL, &a);
            side_free(&ours, &a);
        }
    }
    side_free(&theirs, &a);
    return rc;
}
