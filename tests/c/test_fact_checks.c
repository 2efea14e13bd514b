/* Tests of the prose's comparisons with itself (csrc/pb_fact_checks.c): on
 * prose of seeds 000 and 004 (朔城区医保局, 三门峡市医保局 2025), as printed and
 * with one figure altered, which comparisons are kept; on facts written out
 * here, the cases at the edges of the arithmetic (rounding to the 分, zeros,
 * 增长∞%, figures out of range, the units from which a list passes, the order
 * of groups); and an allocation failure at every allocation.
 *
 *   cc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror -o test_fact_checks tests/c/test_fact_checks.c \
 *      csrc/pb_*.c -lz   (without csrc/pb_python.c); tests/test_c_programs.py and make ctest run it. */
#include "../../csrc/pb_fact_checks.h"
#include "pb_testlib.h"

/* The kept comparisons as text: "share 4 5,3 6,tables | shares_sum 4,5 | change_pct 7 | parts_sum 4,5<2", a
 * share of a subject with its base fact (or the tables'), a parts_sum list followed by '<' and the units
 * it is kept below (none when always). */
static const char *describe(const pb_fact_checks *c) {
    static char buf[1024];
    static const char *const names[PB_FACT_CHECK_RULES] = {"share", "shares_sum", "change_pct", "parts_sum"};
    size_t at = 0;
    buf[0] = '\0';
    for (int rule = 0; rule < PB_FACT_CHECK_RULES; rule++) {
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", rule ? " | " : "", names[rule]);
        for (size_t i = c->rule_start[rule]; i < c->rule_start[rule + 1] && at < sizeof buf; i++) {
            const pb_fact_check *k = &c->checks[i];
            at += (size_t)snprintf(buf + at, sizeof buf - at, " ");
            for (uint32_t j = 0; j < k->count && at < sizeof buf; j++) {
                uint32_t fact = c->facts[k->first + j];
                at += fact == PB_FACT_CHECK_TABLES ? (size_t)snprintf(buf + at, sizeof buf - at, ",tables")
                                                   : (size_t)snprintf(buf + at, sizeof buf - at, "%s%u", j ? "," : "", fact);
            }
            if (k->units != PB_FACT_CHECK_ALWAYS && at < sizeof buf)
                at += (size_t)snprintf(buf + at, sizeof buf - at, "<%llu", (unsigned long long)k->units);
        }
        if (at >= sizeof buf) break;
    }
    return buf;
}

static void expect(const pb_fact_checks *c, const char *want, const char *what) {
    const char *got = describe(c);
    CHECK(strcmp(got, want) == 0, "%s: kept '%s', want '%s'", what, got, want);
}

static void run_lines(pb_fact_store *st, pb_fact_checks *c, const char *const *texts, size_t n) {
    pb_fact_line lines[16];
    for (size_t k = 0; k < n && k < 16; k++) lines[k] = (pb_fact_line){k + 1, texts[k], strlen(texts[k])};
    CHECK(pb_facts_read(st, lines, n) == PB_FACTS_OK, "facts read");
    CHECK(pb_fact_checks_run(c, st->facts, st->nfacts) == PB_FACT_CHECKS_OK, "checks run");
}

/* ---- prose ---------------------------------------------------------------- */

/* Lines 457 of 000 and 81 of 004 (shortened), as printed (1, 2, 4) and altered (3, 5, 6). */
static const char *const PROSE[] = {
    "三、支出预算情况说明",
    "2025年度某局支出预算761.35万元,其中:基本支出693.27万元,占91.06%;项目支出68.08万元,占8.94%。",
    /* 68.08 -> 68.11: the parts are 0.03万元 short, 1.5 units of 0.01万元 per item; 91.07% is 0.0127
     * points from 693.27 / 761.35, beyond 0.01 + 0.0013 for the rounding; the shares add up to 101.01% */
    "2025年度某局支出预算761.35万元,其中:基本支出693.27万元,占91.07%;项目支出68.11万元,占9.94%。",
    "某局收入总计1684.15万元,与2024年预算相比,收入减少17.85万元,减少1.05%。",
    "某局收入总计1684.15万元,与2024年预算相比,收入减少17.85万元,增长1.05%。", /* the other sign */
    "某局收入总计1684.15万元,与2024年预算相比,收入减少17.85万元,减少1.15%。", /* 1.0486% */
};

static void test_prose(void) {
    pb_fact_store st;
    pb_fact_store_init(&st, NULL);
    pb_fact_checks c;
    pb_fact_checks_init(&c, NULL);
    const char *const printed[] = {PROSE[0], PROSE[1], PROSE[3]};
    run_lines(&st, &c, printed, 3);
    expect(&c, "share | shares_sum | change_pct | parts_sum", "000 and 004 as printed");
    run_lines(&st, &c, PROSE, 6);
    expect(&c, "share 4 5 | shares_sum 4,5 | change_pct 7 8 | parts_sum 4,5<2", "altered figures");
    /* the same result again, its scratch reused */
    run_lines(&st, &c, PROSE, 6);
    expect(&c, "share 4 5 | shares_sum 4,5 | change_pct 7 8 | parts_sum 4,5<2", "again");
    CHECK(pb_fact_checks_run(&c, st.facts, 0) == PB_FACT_CHECKS_OK && c.n_checks == 0 && c.n_facts == 0 &&
              c.rule_start[PB_FACT_CHECK_RULES] == 0,
          "no facts, nothing kept");
    pb_fact_checks_free(&c);
    pb_fact_store_free(&st);
}

/* ---- facts written out ------------------------------------------------------ */

#define NONE (-1)

static pb_fact_number figure(uint64_t digits, int32_t exponent, unsigned unit) {
    return (pb_fact_number){digits, exponent, PB_FN_FIGURE, 0, (uint8_t)unit};
}

/* A fact of `digits` × 10^exponent in unit, printed with `decimals`, alone in paragraph 0 sentence 0. */
static pb_fact fact(unsigned unit, uint64_t digits, int32_t exponent, int32_t decimals) {
    pb_fact f;
    memset(&f, 0, sizeof f);
    f.unit = (uint8_t)unit;
    f.value = figure(digits, exponent, unit);
    f.decimals = decimals;
    f.part_of = f.part_list = f.share_base = f.share_base_subject = NONE;
    return f;
}

static void run_facts(pb_fact_checks *c, pb_fact *facts, size_t n, const char *want, const char *what) {
    for (size_t k = 0; k < n; k++) facts[k].index = (int32_t)k;
    CHECK(pb_fact_checks_run(c, facts, n) == PB_FACT_CHECKS_OK, "%s: run", what);
    expect(c, want, what);
}

static void part(pb_fact *f, int32_t whole) {
    f->part_of = whole;
    f->part_list = 1;
}

static void test_parts(pb_fact_checks *c) {
    /* 元 to the 分 half-even, as pybudget.facts rounds value_yuan: 1.005元 is 1.00, 1.015元 1.02 */
    pb_fact even[] = {fact(PB_FU_YUAN, 1005, -3, 3), fact(PB_FU_YUAN, 50, -2, 2), fact(PB_FU_YUAN, 50, -2, 2),
                      fact(PB_FU_YUAN, 1015, -3, 3), fact(PB_FU_YUAN, 100, -2, 2), fact(PB_FU_YUAN, 2, -2, 2)};
    part(&even[1], 0), part(&even[2], 0), part(&even[4], 3), part(&even[5], 3);
    run_facts(c, even, 6, "share | shares_sum | change_pct | parts_sum", "rounded to the 分 half-even");
    even[0].value.digits = 1006; /* 1.01元: 1分 over, within a unit of 0.01元 per item from 1 unit on */
    run_facts(c, even, 6, "share | shares_sum | change_pct | parts_sum 1,2<1", "1分 over");
    /* counts are exact whatever the units; a list of one item is no sum */
    pb_fact counts[] = {fact(PB_FU_COUNT, 5, 0, 0), fact(PB_FU_COUNT, 2, 0, 0), fact(PB_FU_COUNT, 2, 0, 0),
                        fact(PB_FU_COUNT, 4, 0, 0), fact(PB_FU_COUNT, 3, 0, 0)};
    part(&counts[1], 0), part(&counts[2], 0), part(&counts[4], 3);
    run_facts(c, counts, 5, "share | shares_sum | change_pct | parts_sum 1,2", "2 + 2 people are not 5");
    counts[2].value.digits = 3;
    run_facts(c, counts, 5, "share | shares_sum | change_pct | parts_sum", "2 + 3 are 5");
    /* one non-zero item restates its whole: exact */
    pb_fact one[] = {fact(PB_FU_WAN_YUAN, 100, -2, 2), fact(PB_FU_WAN_YUAN, 101, -2, 2), fact(PB_FU_WAN_YUAN, 0, 0, 0)};
    part(&one[1], 0), part(&one[2], 0);
    run_facts(c, one, 3, "share | shares_sum | change_pct | parts_sum 1,2", "one non-zero item");
    /* the units from which a list passes: 10^11元 against 0.000001元 + 0.000001元 (each 0 to the 分) at
     * a step of 0.000001元 × 2 items; 10^14元 needs more units than 64 bits count: kept whatever they are */
    pb_fact step[] = {fact(PB_FU_YUAN, 100000000000, 0, 6), fact(PB_FU_YUAN, 1, -6, 6), fact(PB_FU_YUAN, 1, -6, 6)};
    part(&step[1], 0), part(&step[2], 0);
    run_facts(c, step, 3, "share | shares_sum | change_pct | parts_sum 1,2<50000000000000000", "10^11元");
    step[0].value.digits = 100000000000000;
    run_facts(c, step, 3, "share | shares_sum | change_pct | parts_sum 1,2", "10^14元");
    /* out of range (beyond 10^17元, or a count printed finer than the units keep): kept for Python, even
     * when equal */
    pb_fact huge[] = {fact(PB_FU_YI_YUAN, UINT64_MAX, 0, 0), fact(PB_FU_YI_YUAN, UINT64_MAX, 0, 0),
                      fact(PB_FU_YI_YUAN, 0, 0, 0), fact(PB_FU_PEOPLE, 1, -12, 12), fact(PB_FU_PEOPLE, 1, -12, 12),
                      fact(PB_FU_PEOPLE, 0, 0, 0)};
    part(&huge[1], 0), part(&huge[2], 0), part(&huge[4], 3), part(&huge[5], 3);
    run_facts(c, huge, 6, "share | shares_sum | change_pct | parts_sum 1,2 4,5", "out of range");
    /* groups in the order of their first facts, each in reading order; lists of one whole apart */
    pb_fact mixed[] = {fact(PB_FU_WAN_YUAN, 3, 0, 0), fact(PB_FU_WAN_YUAN, 5, 0, 0), fact(PB_FU_WAN_YUAN, 1, 0, 0),
                       fact(PB_FU_WAN_YUAN, 1, 0, 0), fact(PB_FU_WAN_YUAN, 1, 0, 0), fact(PB_FU_WAN_YUAN, 1, 0, 0),
                       fact(PB_FU_WAN_YUAN, 7, 0, 0), fact(PB_FU_WAN_YUAN, 7, 0, 0)};
    part(&mixed[2], 1), part(&mixed[3], 0), part(&mixed[4], 1), part(&mixed[5], 0), part(&mixed[6], 0),
        part(&mixed[7], 0);
    mixed[6].part_list = mixed[7].part_list = 2;
    run_facts(c, mixed, 8, "share | shares_sum | change_pct | parts_sum 2,4<2 3,5<1 6,7<6", "interleaved lists");
    mixed[7].part_of = 9; /* a whole past the facts: Python reports it (an IndexError) */
    mixed[6].part_of = 9;
    run_facts(c, mixed, 8, "share | shares_sum | change_pct | parts_sum 2,4<2 3,5<1 6,7", "a whole past the end");
}

static void share_of(pb_fact *f, int32_t base, uint64_t digits, int32_t exponent, int32_t decimals) {
    f->share = figure(digits, exponent, PB_FU_PERCENT);
    f->share_decimals = decimals;
    f->share_base = base;
}

static void test_shares(pb_fact_checks *c) {
    /* 693.27 of 761.35万元 is 91.0573%: 91.05% and 91.06% pass, 91.07% is beyond 0.01 + 0.0013 */
    pb_fact f[] = {fact(PB_FU_WAN_YUAN, 76135, -2, 2), fact(PB_FU_WAN_YUAN, 69327, -2, 2)};
    share_of(&f[1], 0, 9105, -2, 2);
    run_facts(c, f, 2, "share | shares_sum | change_pct | parts_sum", "91.05%");
    f[1].share.digits = 9107;
    run_facts(c, f, 2, "share 1 | shares_sum | change_pct | parts_sum", "91.07%");
    /* 1元 of 3元 is 33.33…%, give or take 1 (a unit of the share) + 100 × (0.5/3 + 1 × 0.5/9) = 23.22…:
     * 56.555555555555% is inside by 6e-13 points, too close for anything but Python's decimals */
    pb_fact g[] = {fact(PB_FU_YUAN, 3, 0, 0), fact(PB_FU_YUAN, 1, 0, 0)};
    share_of(&g[1], 0, 56555555555555, -12, 0);
    run_facts(c, g, 2, "share 1 | shares_sum | change_pct | parts_sum", "at the edge");
    g[1].share.digits = 55555555555555; /* inside by a whole point */
    run_facts(c, g, 2, "share | shares_sum | change_pct | parts_sum", "a point inside");
    /* of nothing, of a count, of no fact, infinite */
    f[0].value.digits = 0;
    f[1].share.digits = 9107;
    run_facts(c, f, 2, "share | shares_sum | change_pct | parts_sum", "of 0万元: the rule passes it by");
    f[0] = fact(PB_FU_COUNT, 5, 0, 0);
    run_facts(c, f, 2, "share | shares_sum | change_pct | parts_sum", "of a count");
    f[1].share_base = 7;
    run_facts(c, f, 2, "share 1 | shares_sum | change_pct | parts_sum", "of a fact past the end");
    f[0] = fact(PB_FU_WAN_YUAN, 76135, -2, 2);
    f[1].share_base = 0;
    f[1].share.state = PB_FN_INFINITY;
    run_facts(c, f, 2, "share 1 | shares_sum | change_pct | parts_sum", "∞%");
    /* by subject: the last money fact of it before the share in its paragraph; none: the tables' (Python) */
    pb_fact s[] = {fact(PB_FU_WAN_YUAN, 1000, 0, 0), fact(PB_FU_WAN_YUAN, 100, 0, 0), fact(PB_FU_COUNT, 1, 0, 0),
                   fact(PB_FU_WAN_YUAN, 50, 0, 0), fact(PB_FU_WAN_YUAN, 7, 0, 0)};
    s[0].subject = s[1].subject = s[2].subject = s[4].subject = 3;
    s[3].subject = 4;
    share_of(&s[3], NONE, 50, 0, 0); /* 50 of 100 (fact 1), not of 1000 (fact 0) nor of the count */
    s[3].share_base_subject = 3;
    run_facts(c, s, 5, "share | shares_sum | change_pct | parts_sum", "of the last before it");
    s[3].share.digits = 5; /* 5% is of 1000 */
    run_facts(c, s, 5, "share 3,1 | shares_sum | change_pct | parts_sum", "not of the last before it");
    s[0].paragraph = s[1].paragraph = s[2].paragraph = 1;
    s[3].share.digits = 700; /* 7 is 700% of … nothing before it in paragraph 0: the tables say */
    run_facts(c, s, 5, "share 3,tables | shares_sum | change_pct | parts_sum", "none before it in its paragraph");
    s[3].share_base_subject = NONE;
    run_facts(c, s, 5, "share | shares_sum | change_pct | parts_sum", "of nothing named");
}

static void test_shares_sums(pb_fact_checks *c) {
    /* 733.90 + 27.44 + 0 of 761.35万元 at 96.39% + 3.60% + 0.00% = 99.99%: within 3 × 0.005 */
    pb_fact f[] = {fact(PB_FU_WAN_YUAN, 76135, -2, 2), fact(PB_FU_WAN_YUAN, 73390, -2, 2),
                   fact(PB_FU_WAN_YUAN, 2744, -2, 2), fact(PB_FU_WAN_YUAN, 0, 0, 0)};
    share_of(&f[1], 0, 9639, -2, 2), share_of(&f[2], 0, 360, -2, 2), share_of(&f[3], 0, 0, -2, 2);
    run_facts(c, f, 4, "share | shares_sum | change_pct | parts_sum", "99.99%");
    f[2].share.digits = 370; /* 100.09%: 0.09 off (the share is kept too: 3.60% is right) */
    run_facts(c, f, 4, "share 2 | shares_sum 1,2,3 | change_pct | parts_sum", "100.09%");
    /* when the figures do not add up to the base, only more than 100% + a unit per share is reported */
    f[2].value.digits = 1744;
    f[2].share.digits = 229; /* 96.39 + 2.29 = 98.68%, of 761.35 - 10 */
    run_facts(c, f, 4, "share | shares_sum | change_pct | parts_sum", "parts short of the base, 98.68%");
    f[3].share = figure(5, 0, PB_FU_PERCENT); /* 103.68% > 100 + 1 (the 5% share's unit) × 3 */
    f[3].share_decimals = 0;
    run_facts(c, f, 4, "share 3 | shares_sum 1,2,3 | change_pct | parts_sum", "102.68%");
    f[2].sentence_id = 1; /* the shares of two sentences are apart (and alone: no sum) */
    run_facts(c, f, 4, "share 3 | shares_sum | change_pct | parts_sum", "two sentences");
}

static void change(pb_fact *f, uint64_t digits, int32_t exponent, int negative, unsigned unit, uint64_t pct,
                   int32_t pct_exponent, int pct_negative) {
    f->change = figure(digits, exponent, unit);
    f->change.negative = (uint8_t)negative;
    f->change_decimals = -exponent;
    f->change_pct = figure(pct, pct_exponent, PB_FU_PERCENT);
    f->change_pct.negative = (uint8_t)pct_negative;
    f->change_pct_decimals = -pct_exponent;
}

static void test_changes(pb_fact_checks *c) {
    /* 1684.15万元, 17.85万元 less than 1702.00: 1.0488%, stated 1.05% */
    pb_fact f[] = {fact(PB_FU_WAN_YUAN, 168415, -2, 2)};
    change(&f[0], 1785, -2, 1, PB_FU_WAN_YUAN, 105, -2, 1);
    run_facts(c, f, 1, "share | shares_sum | change_pct | parts_sum", "减少1.05%");
    f[0].change_pct.digits = 115;
    run_facts(c, f, 1, "share | shares_sum | change_pct 0 | parts_sum", "减少1.15%");
    f[0].change_pct.digits = 105;
    f[0].change_pct.negative = 0;
    run_facts(c, f, 1, "share | shares_sum | change_pct 0 | parts_sum", "增长1.05%");
    /* a change in 元 of an amount in 万元: 178500元 */
    change(&f[0], 178500, 0, 1, PB_FU_YUAN, 105, -2, 1);
    run_facts(c, f, 1, "share | shares_sum | change_pct | parts_sum", "减少178500元");
    /* 增长∞%: from nothing passes, from something is reported */
    f[0] = fact(PB_FU_WAN_YUAN, 10, 0, 0);
    change(&f[0], 10, 0, 0, PB_FU_WAN_YUAN, 0, 0, 0);
    f[0].change_pct.state = PB_FN_INFINITY;
    run_facts(c, f, 1, "share | shares_sum | change_pct | parts_sum", "∞% from 0");
    f[0].change.digits = 9;
    run_facts(c, f, 1, "share | shares_sum | change_pct 0 | parts_sum", "∞% from 1万元");
    /* zeros: 减少0 (a negative zero) with 增长5% is 5 points off 0%; 持平 and 0% agree */
    change(&f[0], 0, 0, 1, PB_FU_WAN_YUAN, 5, 0, 0);
    run_facts(c, f, 1, "share | shares_sum | change_pct 0 | parts_sum", "减少0, 增长5%");
    f[0].change_pct.digits = 1; /* exactly one unit off: Python passes it, and decides it */
    run_facts(c, f, 1, "share | shares_sum | change_pct 0 | parts_sum", "减少0, 增长1%");
    f[0].change.state = PB_FN_ZERO;
    f[0].change_pct.state = PB_FN_ZERO;
    run_facts(c, f, 1, "share | shares_sum | change_pct | parts_sum", "持平");
    /* last year's figure not above 0 (10 - 20): no percentage of it to check */
    change(&f[0], 20, 0, 0, PB_FU_WAN_YUAN, 50, 0, 0);
    run_facts(c, f, 1, "share | shares_sum | change_pct | parts_sum", "from -10万元");
    /* counts: 12 vehicles, 2 more than 10: 20% */
    f[0] = fact(PB_FU_VEHICLES, 12, 0, 0);
    change(&f[0], 2, 0, 0, PB_FU_VEHICLES, 20, 0, 0);
    run_facts(c, f, 1, "share | shares_sum | change_pct | parts_sum", "2 vehicles more, 20%");
    f[0].change_pct.digits = 22; /* within 1 + 100 × (0.5/10 + 2 × 1/100) = 8 points */
    run_facts(c, f, 1, "share | shares_sum | change_pct | parts_sum", "2 vehicles more, 22%");
    f[0].change_pct.digits = 29;
    run_facts(c, f, 1, "share | shares_sum | change_pct 0 | parts_sum", "2 vehicles more, 29%");
    /* a change printed finer than the units keep: Python decides */
    f[0] = fact(PB_FU_YUAN, 100, 0, 0);
    change(&f[0], 1, -12, 0, PB_FU_YUAN, 0, 0, 0);
    run_facts(c, f, 1, "share | shares_sum | change_pct 0 | parts_sum", "a change of 10^-12元");
}

/* The same-paragraph lookup compares subjects by number: their names must differ. */
static void test_subject_names(void) {
    size_t dupes = 0, n = 0;
    for (size_t i = 0; pb_fact_subject_name(i); i++, n++)
        for (size_t j = 0; j < i; j++) dupes += strcmp(pb_fact_subject_name(i), pb_fact_subject_name(j)) == 0;
    CHECK(n > 50 && dupes == 0, "%zu subject names, %zu repeated", n, dupes);
}

/* ---- allocation failures: every allocation in turn fails, nothing leaks ---- */

static void test_alloc_failures(void) {
    pb_fact_store st;
    pb_fact_store_init(&st, NULL);
    pb_fact_line lines[6];
    for (size_t k = 0; k < 6; k++) lines[k] = (pb_fact_line){k + 1, PROSE[k], strlen(PROSE[k])};
    CHECK(pb_facts_read(&st, lines, 6) == PB_FACTS_OK, "facts read");
    tl_alloc counted;
    memset(&counted, 0, sizeof counted);
    pb_allocator al = tl_allocator(&counted);
    pb_fact_checks want;
    pb_fact_checks_init(&want, &al);
    CHECK(pb_fact_checks_run(&want, st.facts, st.nfacts) == PB_FACT_CHECKS_OK && want.n_checks == 6 &&
              counted.calls >= 3,
          "%zu kept, %zu allocations", want.n_checks, counted.calls);
    size_t bad = 0;
    for (size_t fail_at = 1; fail_at <= counted.calls; fail_at++) {
        tl_alloc a;
        pb_allocator failing = tl_failing_allocator(&a, fail_at);
        pb_fact_checks c;
        pb_fact_checks_init(&c, &failing);
        bad += pb_fact_checks_run(&c, st.facts, st.nfacts) != PB_FACT_CHECKS_NO_MEMORY || c.n_checks != 0 ||
               c.n_facts != 0 || c.rule_start[PB_FACT_CHECK_RULES] != 0;
        /* the result works again once memory is back */
        a.fail_at = 0;
        bad += pb_fact_checks_run(&c, st.facts, st.nfacts) != PB_FACT_CHECKS_OK || strcmp(describe(&c), describe(&want));
        pb_fact_checks_free(&c);
        CHECK(a.live_blocks == 0, "allocation %zu failing: %ld blocks leaked", fail_at, a.live_blocks);
    }
    CHECK(bad == 0, "%zu of %zu failed allocations not reported or not recovered from", bad, counted.calls);
    pb_fact_checks_free(&want);
    CHECK(counted.live_blocks == 0, "%ld blocks left after the counted run", counted.live_blocks);
    pb_fact_store_free(&st);
}

int main(void) {
    pb_fact_checks c;
    pb_fact_checks_init(&c, NULL);
    test_prose();
    test_parts(&c);
    test_shares(&c);
    test_shares_sums(&c);
    test_changes(&c);
    pb_fact_checks_free(&c);
    test_subject_names();
    test_alloc_failures();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
