/* pb_restate.c - the facts text.vs_table decides from the figures the core found.
 *
 * Mirrors text.vs_table's first test of a money fact against the core's
 * figure (value_yuan − figure is 0, or the fact is not 0, its resolution is
 * coarser than the table's and |difference| <= resolution / 2) and its
 * dispatch by subject and unit; a whole count (个) is decided where it equals
 * its figure (text.vs_performance's counts). Python's decimals there are exact: value_yuan
 * and the figure both have two decimals and fewer than 28 digits. Here they
 * are integers of 分, whose differences and doubles stay below 2^63 within
 * PB_RESTATE_LIMIT_FEN; the resolutions are powers of ten, compared by their
 * exponents. */
#include "pb_restate.h"
#include "pb_internal.h"

/* Powers of ten beyond these in a fact's value or resolution leave it to Python (no budget prints
 * them, and Python's decimals hold every power within them exactly). */
#define POW_LIMIT 1000

/* digits × 10^q 分 rounded half-even to the 分 (Decimal.quantize's rounding), when within the limit. */
static int fen_of(uint64_t digits, int64_t q, int64_t *out) {
    if (q >= 0) {
        if (q > 18 || digits > (uint64_t)(PB_RESTATE_LIMIT_FEN / pb_pow10(q))) return 0;
        *out = (int64_t)digits * pb_pow10(q);
        return 1;
    }
    if (q <= -20) { /* digits < 2^64 < half of 10^20 */
        *out = 0;
        return 1;
    }
    /* 10^19 does not fit an int64_t: divide by 10 first, keeping whether anything was dropped */
    uint64_t unit = q == -19 ? (uint64_t)pb_pow10(18) : (uint64_t)pb_pow10(-q);
    uint64_t whole = digits, sticky = 0;
    if (q == -19) {
        sticky = whole % 10 != 0;
        whole /= 10;
    }
    uint64_t rest = whole % unit;
    whole /= unit;
    /* rest (+ sticky, a fraction of one) against half of unit, then half-even on a tie */
    uint64_t half = unit / 2;
    if (rest > half || (rest == half && (sticky || (whole & 1)))) whole++;
    if (whole > (uint64_t)PB_RESTATE_LIMIT_FEN) return 0;
    *out = (int64_t)whole;
    return 1;
}

pb_restate_fact pb_restate_fact_of(const pb_fact *f, uint32_t section) {
    pb_restate_fact r = {0, 0, section, f->subject, PB_RESTATE_OTHER, 0};
    int pow = pb_fact_money_pow10(f->unit);
    if (pow < 0) {
        r.kind = f->unit == PB_FU_COUNT ? PB_RESTATE_COUNT : PB_RESTATE_OTHER;
        /* a whole count is compared as it is; a fractional one (1.5个) is left to Python */
        int64_t exponent = f->value.exponent;
        if (r.kind == PB_RESTATE_COUNT && exponent >= 0 && exponent <= POW_LIMIT &&
            fen_of(f->value.digits, exponent, &r.fen)) {
            r.flags |= PB_RESTATE_EXACT;
            if (f->value.digits) r.flags |= PB_RESTATE_NONZERO;
        }
        return r;
    }
    r.kind = PB_RESTATE_MONEY;
    if (f->value.digits) r.flags |= PB_RESTATE_NONZERO;
    int64_t res_pow = (int64_t)pow - f->decimals, exponent = f->value.exponent;
    if (res_pow < -POW_LIMIT || res_pow > POW_LIMIT || exponent < -POW_LIMIT || exponent > POW_LIMIT ||
        !fen_of(f->value.digits, exponent + pow + 2, &r.fen))
        return r;
    r.res_pow = (int32_t)res_pow;
    r.flags |= PB_RESTATE_EXACT;
    return r;
}

static int within_limit(int64_t fen) { return fen <= PB_RESTATE_LIMIT_FEN && fen >= -PB_RESTATE_LIMIT_FEN; }

/* Whether a money fact restates a printed figure within the rule's tolerance for one printed
 * figure: equal, or (a fact not 0, printed coarser than the table) within half a unit of the
 * fact's last digit. 0 also when that cannot be told exactly here. */
static int restates(const pb_restate_fact *f, const pb_restate_figure *fig) {
    if (!(f->flags & PB_RESTATE_EXACT) || !within_limit(f->fen) || !within_limit(fig->fen)) return 0;
    int64_t difference = f->fen - fig->fen;
    if (difference == 0) return 1;
    if (!(f->flags & PB_RESTATE_NONZERO) || f->res_pow <= fig->res_pow) return 0;
    /* |difference| / 100 <= 10^res_pow / 2, that is 2 |difference| <= 10^(res_pow + 2) */
    int64_t k = (int64_t)f->res_pow + 2;
    if (k < 0) return 0; /* half a unit is below a 分: no difference of whole 分 is within it */
    if (k > 18) return 0; /* a unit past 10^16 元: left to Python */
    int64_t twice = 2 * (difference < 0 ? -difference : difference);
    return twice <= pb_pow10(k);
}

int pb_restate_looks(const pb_restate_fact *f, const pb_restate_plan *plan) {
    if (f->kind != PB_RESTATE_MONEY && f->kind != PB_RESTATE_COUNT) return 0; /* no table prints it */
    if (f->subject >= plan->n_subjects || f->section >= plan->n_sections) return 1;
    unsigned context = plan->contexts[f->section];
    if (context >= PB_RESTATE_CONTEXTS) return 1;
    int32_t way = plan->ways[((size_t)(f->kind - 1) * plan->n_subjects + f->subject) * PB_RESTATE_CONTEXTS + context];
    if (way == PB_RESTATE_NOWHERE) return 0;
    if (way < 0 || (size_t)way >= plan->n_figures) return 1;
    const pb_restate_figure *fig = &plan->figures[way];
    switch (fig->state) {
    case PB_RESTATE_NOT_PRINTED: return 0;
    case PB_RESTATE_PRINTED:
        if (f->kind == PB_RESTATE_COUNT) return !(f->flags & PB_RESTATE_EXACT) || f->fen != fig->fen;
        return !restates(f, fig);
    default: return 1;
    }
}

size_t pb_restate_run(const pb_restate_fact *facts, size_t n, const pb_restate_plan *plan, uint32_t *look) {
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (pb_restate_looks(&facts[i], plan)) look[kept++] = (uint32_t)i;
    return kept;
}
