/* pb_fact_checks.c - the prose's comparisons with itself, and the test that
 * lets nearly all of them pass without reaching Python.
 *
 * Each comparison mirrors pybudget/checks/text_rules.py: which facts are
 * compared (parts_sum and shares_sum group them as its dicts do, in the
 * order their first facts are read) and what the rule computes. Python's
 * arithmetic is decimal with 28 significant digits; here amounts are integers
 * in fixed units (10^-6 元 for money, 10^-6 of their unit for counts, 10^-9 of
 * a percentage point for shares), and an amount is used only when it is a
 * whole number of units within ±10^23 of them and Python's decimal has at most
 * 4 digits below the unit: every coefficient Python then adds or compares has
 * at most 27 digits, so its sums and comparisons are exact, as the integers
 * here are. Anything else keeps its comparison. */
#include "pb_fact_checks.h"
#include "pb_internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ numbers */

#ifdef __SIZEOF_INT128__
__extension__ typedef __int128 wide;
#define HAVE_WIDE 1
#else
typedef long long wide; /* no 128-bit integers: no amount is in range, so every comparison is kept */
#define HAVE_WIDE 0
#endif

#define LIMIT_DIGITS 23  /* amounts within ±10^23 units */
#define EXTRA_DIGITS 4   /* Python's operands have at most this many digits below the unit */
#define MONEY_DIGITS 6   /* money in 10^-6 元, counts in 10^-6 of their unit */
#define PERCENT_DIGITS 9 /* shares in 10^-9 percentage points */

#if HAVE_WIDE
#define P18 ((wide)1000000000000000000LL)
/* 10^k, 0 <= k <= 38: a table the compiler works out (the comparisons ask for powers in
 * every amount they read). */
static const wide pow10_table[39] = {
    1, 10LL, 100LL, 1000LL,
    10000LL, 100000LL, 1000000LL, 10000000LL,
    100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
    1000000000000LL, 10000000000000LL, 100000000000000LL, 1000000000000000LL,
    10000000000000000LL, 100000000000000000LL, 1000000000000000000LL, P18 * 10LL,
    P18 * 100LL, P18 * 1000LL, P18 * 10000LL, P18 * 100000LL,
    P18 * 1000000LL, P18 * 10000000LL, P18 * 100000000LL, P18 * 1000000000LL,
    P18 * 10000000000LL, P18 * 100000000000LL, P18 * 1000000000000LL, P18 * 10000000000000LL,
    P18 * 100000000000000LL, P18 * 1000000000000000LL, P18 * 10000000000000000LL, P18 * 100000000000000000LL,
    P18 * 1000000000000000000LL, P18 * P18 * 10LL, P18 * P18 * 100LL,
};
#undef P18
static wide pow10_wide(int k) { return pow10_table[k]; }
#else
static wide pow10_wide(int k) { return k ? 0 : 1; } /* never asked: no amount is in range */
#endif

static int within_limit(wide v) { return v <= pow10_wide(LIMIT_DIGITS) && v >= -pow10_wide(LIMIT_DIGITS); }

static wide magnitude(wide v) { return v < 0 ? -v : v; }

/* digits × 10^(exponent + shift) in units of 10^-unit_digits, where exponent
 * is that of Python's decimal: 0 when it is not a whole number of units, is
 * beyond the limit, or the decimal has more digits below the unit than
 * EXTRA_DIGITS. */
static int amount(uint64_t digits, int32_t exponent, int shift, int unit_digits, wide *out) {
    if (!HAVE_WIDE || (int64_t)exponent < -(int64_t)(unit_digits + EXTRA_DIGITS)) return 0;
    if (digits == 0) {
        *out = 0;
        return 1;
    }
    int64_t p = (int64_t)exponent + shift + unit_digits;
    if (p < 0 || p > LIMIT_DIGITS || (wide)digits > pow10_wide(LIMIT_DIGITS - (int)p)) return 0;
    *out = (wide)digits * pow10_wide((int)p);
    return 1;
}

static int is_money(const pb_fact *f) { return pb_fact_money_pow10(f->unit) >= 0; }

/* A money fact's value_yuan, in 10^-6 元: its value in 元 rounded half-even to
 * the 分, as pybudget.facts makes it (a decimal of exponent -2). */
static int value_yuan(const pb_fact *f, wide *out) {
    if (!HAVE_WIDE) return 0;
    uint64_t digits = f->value.digits;
    int64_t q = (int64_t)f->value.exponent + pb_fact_money_pow10(f->unit) + 2; /* from the digits to 分 */
    wide fen;
    if (q >= 0) {
        if (q > LIMIT_DIGITS - 4 || (wide)digits > pow10_wide(LIMIT_DIGITS - 4 - (int)q)) return 0;
        fen = (wide)digits * pow10_wide((int)q);
    } else if (q <= -20) {
        fen = 0; /* digits < 2^64 < half of 10^20 */
    } else {
        uint64_t unit = (uint64_t)pow10_wide((int)-q), rest = digits % unit, whole = digits / unit;
        if (rest > unit - rest || (rest == unit - rest && (whole & 1))) whole++; /* half-even */
        fen = (wide)whole;
    }
    *out = fen * 10000;
    return 1;
}

/* One unit of a money fact's last printed digit (resolution_yuan), in 10^-6 元. */
static int resolution(const pb_fact *f, wide *out) {
    if (!HAVE_WIDE || f->decimals > MONEY_DIGITS + EXTRA_DIGITS - 1) return 0; /* its half has one digit more */
    int64_t p = (int64_t)pb_fact_money_pow10(f->unit) + MONEY_DIGITS - f->decimals;
    if (p < 0 || p > LIMIT_DIGITS) return 0;
    *out = pow10_wide((int)p);
    return 1;
}

/* A fact's value in 10^-6 of its unit (Fact.value: as printed). */
static int printed_value(const pb_fact *f, wide *out) {
    return amount(f->value.digits, f->value.exponent, 0, MONEY_DIGITS, out);
}

/* 10^k as a double, |k| <= 60 (within a few units of the last place). */
static double pow10_double(int k) {
    double p = 1;
    for (int i = 0; i < (k < 0 ? -k : k); i++) p *= 10;
    return k < 0 ? 1 / p : p;
}

static int modest(int64_t k) { return k >= -60 && k <= 60; }

static double absolute(double x) { return x < 0 ? -x : x; }

/* Whether |stated - computed| <= allowed holds with room to spare. The sides
 * of share and change_pct come from a division, which Python rounds to 28
 * digits and the doubles here to about 16: a comparison is cleared only
 * when it passes by more than 1e-9 of the magnitudes involved, which neither
 * rounding can move. */
static int clearly_within(double stated, double computed, double allowed) {
    double gap = absolute(stated - computed);
    return gap + 1e-9 * (absolute(stated) + absolute(computed) + allowed) <= allowed;
}

/* ------------------------------------------------------------ the result */

void pb_fact_checks_init(pb_fact_checks *c, const pb_allocator *allocator) {
    memset(c, 0, sizeof *c);
    c->allocator = allocator ? *allocator : pb_default_allocator();
}

void pb_fact_checks_free(pb_fact_checks *c) {
    pb_allocator a = c->allocator;
    a.free(a.ctx, c->checks);
    a.free(a.ctx, c->facts);
    a.free(a.ctx, c->scratch);
    pb_fact_checks_init(c, &a);
}

/* Room for count + more items of `size` bytes in *items (capacity *cap). */
static pb_fact_checks_status reserve(pb_fact_checks *c, void **items, size_t *cap, size_t count, size_t more,
                                     size_t size) {
    int rc = pb_reserve_indexed(&c->allocator, items, cap, count, more, size, 16);
    return rc == PB_RESERVE_OK ? PB_FACT_CHECKS_OK : rc == PB_RESERVE_NO_MEMORY ? PB_FACT_CHECKS_NO_MEMORY : PB_FACT_CHECKS_TOO_BIG;
}

/* A new kept comparison, with no facts yet. */
static pb_fact_checks_status add_check(pb_fact_checks *c, uint64_t units) {
    pb_fact_checks_status rc = reserve(c, (void **)&c->checks, &c->checks_cap, c->n_checks, 1, sizeof *c->checks);
    if (rc) return rc;
    c->checks[c->n_checks++] = (pb_fact_check){(uint32_t)c->n_facts, 0, units};
    return PB_FACT_CHECKS_OK;
}

/* A fact of the last kept comparison. */
static pb_fact_checks_status add_fact(pb_fact_checks *c, uint32_t fact) {
    pb_fact_checks_status rc = reserve(c, (void **)&c->facts, &c->facts_cap, c->n_facts, 1, sizeof *c->facts);
    if (rc) return rc;
    c->facts[c->n_facts++] = fact;
    c->checks[c->n_checks - 1].count++;
    return PB_FACT_CHECKS_OK;
}

static pb_fact_checks_status keep_one(pb_fact_checks *c, size_t fact) {
    pb_fact_checks_status rc = add_check(c, PB_FACT_CHECK_ALWAYS);
    return rc ? rc : add_fact(c, (uint32_t)fact);
}

/* ------------------------------------------------------------ grouping */

/* A fact under a two-part key: the rules' dicts group facts by such keys. */
typedef struct keyed {
    int64_t a, b;
    uint32_t fact;
} keyed;

static int keyed_order(const void *x, const void *y) {
    const keyed *p = (const keyed *)x, *q = (const keyed *)y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    if (p->b != q->b) return p->b < q->b ? -1 : 1;
    return p->fact < q->fact ? -1 : p->fact > q->fact;
}

/* The keys in keyed_order (a total order: any sort gives the same). The keys of a
 * document are few and come mostly in order (facts in reading order): an insertion
 * sort does them in about one pass, without qsort's calls per comparison; many keys
 * go to qsort. */
static void sort_keys(keyed *keys, size_t m) {
    if (m > 64) {
        qsort(keys, m, sizeof *keys, keyed_order);
        return;
    }
    for (size_t i = 1; i < m; i++) {
        keyed k = keys[i];
        size_t j = i;
        for (; j > 0 && keyed_order(&keys[j - 1], &k) > 0; j--) keys[j] = keys[j - 1];
        keys[j] = k;
    }
}

/* A group that may fail: keys[start .. start + count), first its first fact. */
typedef struct kept_group {
    uint32_t first, start, count;
    uint64_t units;
} kept_group;

static int group_order(const void *x, const void *y) {
    const kept_group *p = (const kept_group *)x, *q = (const kept_group *)y;
    return p->first < q->first ? -1 : p->first > q->first;
}

/* What the scratch holds: a key for every fact, and room for every group. */
typedef struct scratch {
    keyed *keys;
    kept_group *groups;
} scratch;

/* Whether a group of at least two facts (sorted by position) may fail; for
 * parts_sum, *units is the units per item from which it passes. */
typedef int (*group_judge)(const pb_fact *facts, size_t n, const keyed *group, size_t count, uint64_t *units);

/* Sorts keys[0 .. m) into groups and keeps those of two facts or more that
 * the judge keeps, in the order of their first facts. */
static pb_fact_checks_status keep_groups(pb_fact_checks *c, const pb_fact *facts, size_t n, const scratch *s,
                                         size_t m, group_judge judge) {
    sort_keys(s->keys, m);
    size_t kept = 0;
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && s->keys[j].a == s->keys[i].a && s->keys[j].b == s->keys[i].b; j++) continue;
        uint64_t units = PB_FACT_CHECK_ALWAYS;
        if (j - i >= 2 && judge(facts, n, s->keys + i, j - i, &units))
            s->groups[kept++] = (kept_group){s->keys[i].fact, (uint32_t)i, (uint32_t)(j - i), units};
    }
    qsort(s->groups, kept, sizeof *s->groups, group_order);
    for (size_t g = 0; g < kept; g++) {
        pb_fact_checks_status rc = add_check(c, s->groups[g].units);
        for (uint32_t k = 0; k < s->groups[g].count && !rc; k++) rc = add_fact(c, s->keys[s->groups[g].start + k].fact);
        if (rc) return rc;
    }
    return PB_FACT_CHECKS_OK;
}

/* ------------------------------------------------------------ text.share */

/* Whether a money fact's stated share of a money base may differ from
 * value / base × 100 by more than one unit of the share plus what the
 * rounding of the two figures allows. */
static int share_may_fail(const pb_fact *f, const pb_fact *base) {
    wide v, b, r;
    if (!value_yuan(f, &v) || !value_yuan(base, &b)) return 1;
    if (b <= 0) return 0; /* no share of nothing: the rule passes it by */
    if (f->share.state != PB_FN_FIGURE || !modest(f->share.exponent) || !modest(f->share_decimals)) return 1;
    double half_value = 0, half_base = 0;
    if (f->value.digits) {
        if (!resolution(f, &r)) return 1;
        half_value = (double)r / 2;
    }
    if (base->value.digits) {
        if (!resolution(base, &r)) return 1;
        half_base = (double)r / 2;
    }
    double value = (double)v, total = (double)b;
    double stated = (double)f->share.digits * pow10_double(f->share.exponent);
    double computed = 100 * value / total;
    double spread = 100 * (half_value / total + value * half_base / (total * total));
    return !clearly_within(stated, computed, pow10_double(-f->share_decimals) + spread);
}

/* The money fact before `fact` in its paragraph with subject `subject`, the
 * last such one (keys: money facts by paragraph, subject, position), or -1. */
static long same_paragraph(const keyed *keys, size_t m, int64_t paragraph, int64_t subject, uint32_t fact) {
    keyed want = {paragraph, subject, fact};
    size_t lo = 0, hi = m; /* the first key not below want */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keyed_order(&keys[mid], &want) < 0) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0 || keys[lo - 1].a != paragraph || keys[lo - 1].b != subject) return -1;
    return (long)keys[lo - 1].fact;
}

/* text.share: facts whose share is of another fact (share_base, or the last
 * money fact of share_base_subject before it in its paragraph) and may fail,
 * and those whose base only the tables hold (Python looks it up). A share of a
 * subject is kept with its base: the fact found, or PB_FACT_CHECK_TABLES (so
 * Python need not look for the fact again). */
static pb_fact_checks_status shares(pb_fact_checks *c, const pb_fact *facts, size_t n, const scratch *s) {
    size_t m = 0;
    int indexed = 0;
    for (size_t i = 0; i < n; i++) {
        const pb_fact *f = &facts[i];
        if (f->share.state == PB_FN_ABSENT || !is_money(f)) continue;
        int keep;
        if (f->share_base >= 0) {
            if ((size_t)f->share_base >= n) {
                keep = 1; /* no such fact: Python says so */
            } else if (!is_money(&facts[f->share_base])) {
                continue; /* a share of a count: not a share this rule checks */
            } else {
                keep = share_may_fail(f, &facts[f->share_base]);
            }
        } else if (f->share_base_subject >= 0) {
            if (!indexed) { /* the money facts by paragraph and subject, once */
                for (size_t k = 0; k < n; k++)
                    if (is_money(&facts[k])) s->keys[m++] = (keyed){facts[k].paragraph, facts[k].subject, (uint32_t)k};
                sort_keys(s->keys, m);
                indexed = 1;
            }
            /* a fact's index is its position: Python's 'f.index < fact.index' is 'read before it' */
            long base = same_paragraph(s->keys, m, f->paragraph, f->share_base_subject, (uint32_t)i);
            if (base < 0 || share_may_fail(f, &facts[base])) { /* none: the tables' figure, in Python */
                pb_fact_checks_status rc = keep_one(c, i);
                if (!rc) rc = add_fact(c, base < 0 ? PB_FACT_CHECK_TABLES : (uint32_t)base);
                if (rc) return rc;
            }
            continue;
        } else {
            continue; /* of nothing named */
        }
        if (keep) {
            pb_fact_checks_status rc = keep_one(c, i);
            if (rc) return rc;
        }
    }
    return PB_FACT_CHECKS_OK;
}

/* ------------------------------------------------------------ text.shares_sum */

/* Whether the shares of one base stated in one sentence may be reported: they
 * miss 100% by more than half a unit of the coarsest share per share while
 * their figures add up to the base within rounding, or exceed 100% by more
 * than a unit per share. Amounts doubled, so that the halves are whole. */
static int shares_sum_may_fail(const pb_fact *facts, size_t n, const keyed *group, size_t count, uint64_t *units) {
    (void)units;
    int64_t base_index = facts[group[0].fact].share_base;
    if ((size_t)base_index >= n) return 1;
    const pb_fact *base = &facts[base_index];
    wide total = 0, values = 0, halves2 = 0, v, r;
    int32_t finest = INT32_MAX;
    for (size_t k = 0; k < count; k++) {
        const pb_fact *f = &facts[group[k].fact];
        if (f->share.state != PB_FN_FIGURE || f->share_decimals < -12 || f->share_decimals > PERCENT_DIGITS ||
            !amount(f->share.digits, f->share.exponent, 0, PERCENT_DIGITS, &v) || !within_limit(total += v))
            return 1;
        if (f->share_decimals < finest) finest = f->share_decimals;
        if (!is_money(f)) continue; /* its value_yuan is None: counted as 0, its rounding as none */
        if (!value_yuan(f, &v) || !within_limit(values += v)) return 1;
        if (f->value.digits && (!resolution(f, &r) || !within_limit(halves2 += r))) return 1;
    }
    wide unit = pow10_wide(PERCENT_DIGITS - finest), n_items = (wide)count;
    wide hundred = 100 * pow10_wide(PERCENT_DIGITS);
    int covers = 0;
    if (is_money(base)) {
        if (!value_yuan(base, &v)) return 1;
        if (base->value.digits && (!resolution(base, &r) || !within_limit(halves2 += r))) return 1;
        covers = 2 * magnitude(values - v) <= halves2;
    }
    return (covers && 2 * magnitude(total - hundred) > unit * n_items) || total > hundred + unit * n_items;
}

static pb_fact_checks_status shares_sums(pb_fact_checks *c, const pb_fact *facts, size_t n, const scratch *s) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (facts[i].share.state != PB_FN_ABSENT && facts[i].share_base >= 0)
            s->keys[m++] = (keyed){facts[i].sentence_id, facts[i].share_base, (uint32_t)i};
    return keep_groups(c, facts, n, s, m, shares_sum_may_fail);
}

/* ------------------------------------------------------------ text.change_pct */

/* Whether a fact's change and percentage may be reported: 增长∞% from a
 * non-zero figure, a percentage of the other sign, or one further from
 * change / (value - change) × 100 than a unit of it plus the rounding of
 * the amounts (in 元 for money, else in the fact's unit). */
static int change_may_fail(const pb_fact *f) {
    int money = is_money(f), scale = pb_fact_money_pow10(f->unit);
    wide value, change = 0;
    if (!(money ? value_yuan(f, &value) : printed_value(f, &value))) return 1;
    if (f->change.state == PB_FN_FIGURE) {
        int change_scale = pb_fact_money_pow10(f->change.unit); /* the unit the change was printed in */
        if (!amount(f->change.digits, f->change.exponent, change_scale > 0 ? change_scale : 0, MONEY_DIGITS, &change))
            return 1;
        if (f->change.negative) change = -change;
    } else if (f->change.state != PB_FN_ZERO) {
        return 1;
    }
    wide prev = value - change;
    const pb_fact_number *pct = &f->change_pct;
    if (pct->state == PB_FN_INFINITY) return prev != 0;
    if (pct->state != PB_FN_FIGURE && pct->state != PB_FN_ZERO) return 1;
    int pct_sign = pct->state == PB_FN_FIGURE && pct->digits ? (pct->negative ? -1 : 1) : 0;
    if ((change > 0 && pct_sign < 0) || (change < 0 && pct_sign > 0)) return 1;
    if (prev <= 0) return 0; /* no percentage of nothing: the rule passes it by */
    if (!modest(pct->exponent) || !modest(f->change_pct_decimals) || !modest(f->change_decimals) ||
        !modest(f->decimals))
        return 1;
    int unit_pow = money ? scale : 0;
    double half_change = change ? pow10_double(unit_pow + MONEY_DIGITS - f->change_decimals) / 2 : 0;
    double half_value = value ? pow10_double(money ? unit_pow + MONEY_DIGITS - f->decimals : MONEY_DIGITS) / 2 : 0;
    double d_prev = (double)prev, d_change = (double)change;
    double stated = pct->state == PB_FN_FIGURE ? pct_sign * (double)pct->digits * pow10_double(pct->exponent) : 0;
    double computed = d_change / d_prev * 100;
    double spread = 100 * (half_change / d_prev + absolute(d_change) * (half_value + half_change) / (d_prev * d_prev));
    return !clearly_within(stated, computed, pow10_double(-f->change_pct_decimals) + spread);
}

static pb_fact_checks_status changes(pb_fact_checks *c, const pb_fact *facts, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (facts[i].change.state == PB_FN_ABSENT || facts[i].change_pct.state == PB_FN_ABSENT) continue;
        if (change_may_fail(&facts[i])) {
            pb_fact_checks_status rc = keep_one(c, i);
            if (rc) return rc;
        }
    }
    return PB_FACT_CHECKS_OK;
}

/* ------------------------------------------------------------ text.parts_sum */

/* Whether the figures listed under a whole may be reported: for money, when
 * they add up to something else, and for the units per item below which the
 * difference is beyond units × the coarsest last digit × the non-zero items
 * (none for a single one); for counts, when they add up to something else. */
static int parts_sum_may_fail(const pb_fact *facts, size_t n, const keyed *group, size_t count, uint64_t *units) {
    int64_t whole_index = facts[group[0].fact].part_of;
    if ((size_t)whole_index >= n) return 1;
    const pb_fact *whole = &facts[whole_index];
    wide actual, expected = 0, v, r;
    if (!is_money(whole)) { /* counts: exact */
        if (!printed_value(whole, &actual)) return 1;
        for (size_t k = 0; k < count; k++)
            if (!printed_value(&facts[group[k].fact], &v) || !within_limit(expected += v)) return 1;
        return actual != expected;
    }
    if (!value_yuan(whole, &actual)) return 1;
    for (size_t k = 0; k < count; k++) {
        const pb_fact *f = &facts[group[k].fact];
        if (is_money(f) && (!value_yuan(f, &v) || !within_limit(expected += v))) return 1;
    }
    if (actual == expected) return 0;
    wide step = 0;
    size_t nonzero = 0;
    for (size_t k = 0; k <= count; k++) {
        const pb_fact *f = k < count ? &facts[group[k].fact] : whole;
        if (k < count && f->value.digits) nonzero++;
        if (!is_money(f) || !f->value.digits) continue;
        if (!resolution(f, &r)) return 1;
        if (r > step) step = r;
    }
    if (nonzero < 2 || step == 0) return 1; /* exact: any difference is reported */
    wide per_unit = step * (wide)nonzero, need = (magnitude(actual - expected) + per_unit - 1) / per_unit;
    *units = need >= (wide)PB_FACT_CHECK_ALWAYS ? PB_FACT_CHECK_ALWAYS : (uint64_t)need;
    return 1;
}

static pb_fact_checks_status parts_sums(pb_fact_checks *c, const pb_fact *facts, size_t n, const scratch *s) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (facts[i].part_of >= 0) /* Python's key: (part_of, part_list), part_list None when negative */
            s->keys[m++] = (keyed){facts[i].part_of, facts[i].part_list < 0 ? -1 : facts[i].part_list, (uint32_t)i};
    return keep_groups(c, facts, n, s, m, parts_sum_may_fail);
}

/* ------------------------------------------------------------ the run */

pb_fact_checks_status pb_fact_checks_run(pb_fact_checks *c, const pb_fact *facts, size_t n) {
    c->n_checks = c->n_facts = 0;
    memset(c->rule_start, 0, sizeof c->rule_start);
    if (n == 0) return PB_FACT_CHECKS_OK;
    if (n > UINT32_MAX) return PB_FACT_CHECKS_TOO_BIG;
    const size_t per_fact = sizeof(keyed) + sizeof(kept_group);
    if (n > SIZE_MAX / per_fact) return PB_FACT_CHECKS_TOO_BIG;
    if (n * per_fact > c->scratch_cap) {
        void *p = c->allocator.realloc(c->allocator.ctx, c->scratch, n * per_fact);
        if (!p) return PB_FACT_CHECKS_NO_MEMORY;
        c->scratch = p;
        c->scratch_cap = n * per_fact;
    }
    scratch s = {(keyed *)c->scratch, (kept_group *)((char *)c->scratch + n * sizeof(keyed))};
    pb_fact_checks_status rc = shares(c, facts, n, &s);
    c->rule_start[PB_FACT_CHECK_SHARES_SUM] = c->n_checks;
    if (!rc) rc = shares_sums(c, facts, n, &s);
    c->rule_start[PB_FACT_CHECK_CHANGE_PCT] = c->n_checks;
    if (!rc) rc = changes(c, facts, n);
    c->rule_start[PB_FACT_CHECK_PARTS_SUM] = c->n_checks;
    if (!rc) rc = parts_sums(c, facts, n, &s);
    c->rule_start[PB_FACT_CHECK_RULES] = c->n_checks;
    if (rc) {
        c->n_checks = c->n_facts = 0;
        memset(c->rule_start, 0, sizeof c->rule_start);
    }
    return rc;
}
