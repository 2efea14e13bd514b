/* Tests of text.vs_table's decisions in C (csrc/pb_restate.c): a fact's value in 分 as Python's
 * decimals round it (half-even, at every power of ten up to where nothing is left), the limits past
 * which a fact is left to Python, and every outcome of pb_restate_looks: equal, within half a unit
 * of a coarser prose digit, one 分 beyond it, a stated 0, the prose printed as fine as the table,
 * figures not printed or only Python's, subjects no table prints, counts, other units, and plans
 * that do not describe a fact. Seed 000's prose read whole: which facts are left to Python.
 *
 *   cc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror -o test_restate tests/c/test_restate.c \
 *      csrc/pb_*.c -lz   (without csrc/pb_python.c); tests/test_c_programs.py and make ctest run it. */
#include "../../csrc/pb_restate.h"
#include "pb_testlib.h"

/* A money fact as pb_facts_read stores it: digits × 10^exponent in `unit`, printed with `decimals`. */
static pb_fact money(uint64_t digits, int32_t exponent, unsigned unit, int32_t decimals) {
    pb_fact f;
    memset(&f, 0, sizeof f);
    f.unit = (uint8_t)unit;
    f.value = (pb_fact_number){digits, exponent, PB_FN_FIGURE, 0, (uint8_t)unit};
    f.decimals = decimals;
    return f;
}

static void expect_fen(pb_fact f, int exact, int64_t fen, int32_t res_pow, const char *what) {
    pb_restate_fact r = pb_restate_fact_of(&f, 0);
    CHECK(r.kind == PB_RESTATE_MONEY, "%s: kind %u", what, r.kind);
    CHECK(((r.flags & PB_RESTATE_EXACT) != 0) == exact, "%s: exact %d", what, r.flags & PB_RESTATE_EXACT);
    if (exact) CHECK(r.fen == fen && r.res_pow == res_pow, "%s: %lld 分 at 10^%d, want %lld at 10^%d", what,
                     (long long)r.fen, r.res_pow, (long long)fen, res_pow);
}

static void test_values(void) {
    expect_fen(money(76135, -2, PB_FU_WAN_YUAN, 2), 1, 761350000, 2, "761.35万元");
    expect_fen(money(12, -1, PB_FU_YI_YUAN, 1), 1, 12000000000, 7, "1.2亿元");
    expect_fen(money(207, 0, PB_FU_YUAN, 0), 1, 20700, 0, "207元");
    expect_fen(money(0, 0, PB_FU_WAN_YUAN, 0), 1, 0, 4, "0万元");
    /* rounded half-even to the 分, as Decimal.quantize */
    expect_fen(money(5, -3, PB_FU_YUAN, 3), 1, 0, -3, "0.005元: a tie, to the even 0");
    expect_fen(money(15, -3, PB_FU_YUAN, 3), 1, 2, -3, "0.015元: a tie, to the even 2");
    expect_fen(money(25, -3, PB_FU_YUAN, 3), 1, 2, -3, "0.025元: a tie, to the even 2");
    expect_fen(money(251, -4, PB_FU_YUAN, 4), 1, 3, -4, "0.0251元: above the tie");
    expect_fen(money(1234567, -9, PB_FU_WAN_YUAN, 9), 1, 1235, -5, "0.001234567万元: 1234.567分");
    /* 10^-19 分 a unit: the division in two steps */
    expect_fen(money(5000000000000000000u, -21, PB_FU_YUAN, 21), 1, 0, -21, "half a 分 at 10^-21: to 0");
    expect_fen(money(5000000000000000001u, -21, PB_FU_YUAN, 21), 1, 1, -21, "just above half a 分 at 10^-21");
    expect_fen(money(15000000000000000000u, -21, PB_FU_YUAN, 21), 1, 2, -21, "1.5分 at 10^-21: to 2");
    expect_fen(money(UINT64_MAX, -22, PB_FU_YUAN, 22), 1, 0, -22, "anything at 10^-22 is below half a 分");
    /* the limits: 10^18 分 and powers of ten within ±1000 */
    expect_fen(money(1000000000000u, 0, PB_FU_WAN_YUAN, 0), 1, PB_RESTATE_LIMIT_FEN, 4, "10^18 分");
    expect_fen(money(1000000000001u, 0, PB_FU_WAN_YUAN, 0), 0, 0, 0, "past 10^18 分");
    expect_fen(money(1, 17, PB_FU_YI_YUAN, 0), 0, 0, 0, "10^27 分");
    expect_fen(money(UINT64_MAX, -3, PB_FU_YUAN, 3), 0, 0, 0, "1.8 × 10^18 分 after rounding");
    expect_fen(money(1, -1001, PB_FU_YUAN, 2), 0, 0, 0, "an exponent past the limit");
    expect_fen(money(1, 0, PB_FU_YUAN, 1005), 0, 0, 0, "decimals past the limit");
    expect_fen(money(1, 0, PB_FU_YUAN, -1005), 0, 0, 0, "negative decimals past the limit");
    pb_fact other = money(3, 0, PB_FU_VEHICLES, 0), count = money(3, 0, PB_FU_COUNT, 0);
    CHECK(pb_restate_fact_of(&other, 0).kind == PB_RESTATE_OTHER, "辆 is no money");
    CHECK(pb_restate_fact_of(&count, 5).kind == PB_RESTATE_COUNT && pb_restate_fact_of(&count, 5).section == 5,
          "个 is a count");
    pb_fact zero = money(0, -2, PB_FU_WAN_YUAN, 2), some = money(1, -2, PB_FU_WAN_YUAN, 2);
    CHECK(!(pb_restate_fact_of(&zero, 0).flags & PB_RESTATE_NONZERO) &&
              (pb_restate_fact_of(&some, 0).flags & PB_RESTATE_NONZERO),
          "a stated 0");
}

/* Two subjects; subject 0 restated from spec 0 in the department context (2) and by Python elsewhere,
 * subject 1 printed nowhere as money, counted by Python. */
enum { SUBJECTS = 2 };
static const int32_t WAYS[2 * SUBJECTS * PB_RESTATE_CONTEXTS] = {
    PB_RESTATE_ASK, PB_RESTATE_ASK, 0, PB_RESTATE_NOWHERE, PB_RESTATE_NOWHERE, PB_RESTATE_NOWHERE, /* money */
    PB_RESTATE_NOWHERE, PB_RESTATE_NOWHERE, PB_RESTATE_NOWHERE, PB_RESTATE_ASK, PB_RESTATE_ASK, PB_RESTATE_ASK,
};
static const uint8_t CONTEXTS[3] = {2, 0, 9}; /* section 2 names no context */

static int looks(pb_fact f, uint32_t section, uint16_t subject, pb_restate_figure fig) {
    f.subject = subject;
    pb_restate_fact r = pb_restate_fact_of(&f, section);
    pb_restate_plan plan = {WAYS, SUBJECTS, CONTEXTS, 3, &fig, 1};
    return pb_restate_looks(&r, &plan);
}

static void test_decisions(void) {
    /* the 收支总表's 761.35万元, printed at 0.01万元 (10^2 元) */
    pb_restate_figure fig = {761350000, 2, PB_RESTATE_PRINTED};
    static const struct {
        uint64_t digits;
        int32_t exponent, decimals;
        unsigned unit;
        int looks;
        const char *what;
    } cases[] = {
        {76135, -2, 2, PB_FU_WAN_YUAN, 0, "761.35万元: equal"},
        {7613500, 0, 0, PB_FU_YUAN, 0, "7613500元: equal, printed finer"},
        {76136, -2, 2, PB_FU_WAN_YUAN, 1, "761.36万元: one unit of the table's digit off"},
        {7614, -1, 1, PB_FU_WAN_YUAN, 0, "761.4万元: 500元 off, half of 0.1万元"},
        {7613, -1, 1, PB_FU_WAN_YUAN, 0, "761.3万元: 500元 off the other way"},
        {7612, -1, 1, PB_FU_WAN_YUAN, 1, "761.2万元: 1500元 off"},
        {761, 0, 0, PB_FU_WAN_YUAN, 0, "761万元: 3500元 off, within half of 1万元"},
        {762, 0, 0, PB_FU_WAN_YUAN, 1, "762万元: 6500元 off"},
        {0, 0, 0, PB_FU_WAN_YUAN, 1, "0万元: a stated 0 is exact"},
        {76135001, -5, 5, PB_FU_WAN_YUAN, 1, "761.35001万元: 0.1元 off, printed finer"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        CHECK(looks(money(cases[k].digits, cases[k].exponent, cases[k].unit, cases[k].decimals), 0, 0, fig) ==
                  cases[k].looks,
              "%s", cases[k].what);
    /* one 分 either side of half a unit: 761.4万元 against 761.35万元 ± 1分 */
    pb_restate_figure above = {761350001, 2, PB_RESTATE_PRINTED}, below = {761349999, 2, PB_RESTATE_PRINTED};
    CHECK(looks(money(7614, -1, PB_FU_WAN_YUAN, 1), 0, 0, below) == 1, "half a unit and a 分");
    CHECK(looks(money(7614, -1, PB_FU_WAN_YUAN, 1), 0, 0, above) == 0, "half a unit less a 分");
    CHECK(looks(money(7613, -1, PB_FU_WAN_YUAN, 1), 0, 0, above) == 1, "half a unit and a 分 below");
    /* a table printed as coarse as the prose: no half unit */
    pb_restate_figure coarse = {761400000, 3, PB_RESTATE_PRINTED};
    CHECK(looks(money(76135, -2, PB_FU_WAN_YUAN, 2), 0, 0, coarse) == 1, "prose finer than the table");
    CHECK(looks(money(7614, -1, PB_FU_WAN_YUAN, 1), 0, 0, coarse) == 0, "equal at the same digit");
    /* half a unit below a 分 (元 with 3 decimals): only equal passes */
    pb_restate_figure fen_table = {1000, -5, PB_RESTATE_PRINTED};
    CHECK(looks(money(10004, -3, PB_FU_YUAN, 3), 0, 0, fen_table) == 0, "10.004元 is 1000分");
    CHECK(looks(money(10006, -3, PB_FU_YUAN, 3), 0, 0, fen_table) == 1, "10.006元 is 1001分");
    /* half a unit past 10^18 分: left to Python */
    pb_restate_figure far = {100, -2, PB_RESTATE_PRINTED};
    CHECK(looks(money(1, 0, PB_FU_YI_YUAN, -9), 0, 0, far) == 1, "a unit of 10^17 元");
    CHECK(looks(money(1, 0, PB_FU_YI_YUAN, -8), 0, 0, far) == 0, "a unit of 10^16 元: within half of it");
    /* figures past the limit, and other states */
    pb_restate_figure huge = {INT64_MIN, 2, PB_RESTATE_PRINTED};
    CHECK(looks(money(76135, -2, PB_FU_WAN_YUAN, 2), 0, 0, huge) == 1, "a figure past the limit");
    pb_restate_figure none = {0, 0, PB_RESTATE_NOT_PRINTED}, python = {0, 0, PB_RESTATE_PYTHON},
                      odd = {0, 0, 77};
    CHECK(looks(money(1, 0, PB_FU_WAN_YUAN, 0), 0, 0, none) == 0, "not printed: nothing to compare");
    CHECK(looks(money(1, 0, PB_FU_WAN_YUAN, 0), 0, 0, python) == 1, "a way only Python knows");
    CHECK(looks(money(1, 0, PB_FU_WAN_YUAN, 0), 0, 0, odd) == 1, "a state the plan does not know");
    CHECK(looks(money(1000000000001u, 0, PB_FU_WAN_YUAN, 0), 0, 0, fig) == 1, "a fact past the limit");
    /* the plan's ways: by context, subject and unit */
    CHECK(looks(money(1, 0, PB_FU_WAN_YUAN, 0), 1, 0, fig) == 1, "section 1 is fiscal: Python looks");
    CHECK(looks(money(1, 0, PB_FU_WAN_YUAN, 0), 0, 1, fig) == 0, "subject 1 is printed nowhere as money");
    CHECK(looks(money(1, 0, PB_FU_COUNT, 0), 0, 1, fig) == 1, "subject 1 is counted");
    CHECK(looks(money(1, 0, PB_FU_COUNT, 0), 0, 0, fig) == 0, "subject 0 is counted nowhere");
    CHECK(looks(money(1, 0, PB_FU_PEOPLE, 0), 0, 1, fig) == 0, "人: no table prints it");
    CHECK(looks(money(1, 0, PB_FU_PERCENT, 0), 7, 9, fig) == 0, "%%: no table prints it, whatever the plan");
    /* what the plan does not describe goes to Python */
    CHECK(looks(money(76135, -2, PB_FU_WAN_YUAN, 2), 2, 0, fig) == 1, "a context out of range");
    CHECK(looks(money(76135, -2, PB_FU_WAN_YUAN, 2), 3, 0, fig) == 1, "a section out of range");
    CHECK(looks(money(76135, -2, PB_FU_WAN_YUAN, 2), 0, 2, fig) == 1, "a subject out of range");
    pb_fact f = money(76135, -2, PB_FU_WAN_YUAN, 2);
    pb_restate_fact r = pb_restate_fact_of(&f, 0);
    pb_restate_plan no_figures = {WAYS, SUBJECTS, CONTEXTS, 3, NULL, 0};
    CHECK(pb_restate_looks(&r, &no_figures) == 1, "a spec out of range");
    r.kind = 9;
    CHECK(pb_restate_looks(&r, &no_figures) == 0, "a kind out of range is no money nor count");
}

/* Counts (个) where the plan gives their figure (text.vs_performance's published targets): a whole
 * count equal to it is decided; another count, a fraction or a figure only Python knows is not. */
static void test_counts(void) {
    static const int32_t ways[2 * 1 * PB_RESTATE_CONTEXTS] = {
        PB_RESTATE_NOWHERE, PB_RESTATE_NOWHERE, PB_RESTATE_NOWHERE, 0, 0, 0, /* money, then counts */
    };
    static const uint8_t contexts[1] = {0};
    static const pb_restate_figure twelve = {12, 0, PB_RESTATE_PRINTED}, thousand = {1000, 0, PB_RESTATE_PRINTED};
    static const pb_restate_figure none = {0, 0, PB_RESTATE_NOT_PRINTED}, python = {0, 0, PB_RESTATE_PYTHON};
    const struct {
        uint64_t digits;
        int32_t exponent;
        const pb_restate_figure *fig;
        int looks;
        const char *what;
    } cases[] = {
        {12, 0, &twelve, 0, "12个 as published"},
        {13, 0, &twelve, 1, "13个 against 12"},
        {0, 0, &twelve, 1, "0个 against 12"},
        {15, -1, &twelve, 1, "1.5个: a fraction is left to Python"},
        {120, -1, &twelve, 1, "12.0个: printed with a decimal, left to Python"},
        {1, 3, &thousand, 0, "1 × 10^3个 is 1000"},
        {12, 0, &none, 0, "nothing published: nothing to compare"},
        {12, 0, &python, 1, "a figure only Python finds"},
        {1000000000000000001u, 0, &twelve, 1, "a count past the limit"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        pb_fact f = money(cases[k].digits, cases[k].exponent, PB_FU_COUNT, 0);
        pb_restate_fact r = pb_restate_fact_of(&f, 0);
        pb_restate_plan plan = {ways, 1, contexts, 1, cases[k].fig, 1};
        CHECK(pb_restate_looks(&r, &plan) == cases[k].looks, "%s", cases[k].what);
    }
    pb_fact twelve_fact = money(12, 0, PB_FU_COUNT, 0);
    pb_restate_fact r = pb_restate_fact_of(&twelve_fact, 0);
    CHECK(r.kind == PB_RESTATE_COUNT && (r.flags & PB_RESTATE_EXACT) && (r.flags & PB_RESTATE_NONZERO) && r.fen == 12,
          "12个: a whole count of 12");
    /* the plan text.vs_table gives counts (Python counts the tables' rows) leaves them all to Python */
    CHECK(looks(money(12, 0, PB_FU_COUNT, 0), 0, 1, twelve) == 1, "a count text.vs_table asks Python for");
}

/* Seed 000's prose, shortened: which facts Python looks at, in order. */
static void test_run(void) {
    static const char *const texts[] = {
        "三、支出预算情况说明",
        "2025年度某局支出预算761.35万元,其中:基本支出693.27万元,占91.06%;项目支出68.08万元,占8.94%。",
        "某局共有车辆3辆,项目支出2个。",
    };
    pb_fact_line lines[3];
    for (size_t k = 0; k < 3; k++) lines[k] = (pb_fact_line){k + 1, texts[k], strlen(texts[k])};
    pb_fact_store st;
    pb_fact_store_init(&st, NULL);
    CHECK(pb_facts_read(&st, lines, 3) == PB_FACTS_OK, "facts read");
    pb_restate_fact facts[16];
    size_t n = st.nfacts < 16 ? st.nfacts : 16;
    for (size_t k = 0; k < n; k++) facts[k] = pb_restate_fact_of(&st.facts[k], 0);
    /* every subject restated from spec 0 (= 761.35万元) in every context, counted by Python */
    size_t subjects = pb_fact_subject_count();
    int32_t *ways = (int32_t *)malloc(2 * subjects * PB_RESTATE_CONTEXTS * sizeof *ways);
    if (!ways) abort();
    for (size_t k = 0; k < 2 * subjects * PB_RESTATE_CONTEXTS; k++)
        ways[k] = k < subjects * PB_RESTATE_CONTEXTS ? 0 : PB_RESTATE_ASK;
    uint8_t context = 2;
    pb_restate_figure fig = {761350000, 2, PB_RESTATE_PRINTED};
    pb_restate_plan plan = {ways, subjects, &context, 1, &fig, 1};
    uint32_t look[16];
    size_t kept = pb_restate_run(facts, n, &plan, look);
    char got[128] = "";
    for (size_t k = 0, at = 0; k < kept && at < sizeof got; k++) {
        const pb_fact *f = &st.facts[look[k]];
        at += (size_t)snprintf(got + at, sizeof got - at, "%s%u:%s", k ? " " : "", look[k], pb_fact_unit_name(f->unit));
    }
    /* 761.35 restates the figure; 693.27 and 68.08 differ from it; 3辆 is decided; 2个 is counted */
    CHECK(n == 5 && strcmp(got, "1:万元 2:万元 4:个") == 0, "%zu facts, looked at '%s'", n, got);
    CHECK(pb_restate_run(facts, 0, &plan, look) == 0, "no facts");
    free(ways);
    pb_fact_store_free(&st);
}

int main(void) {
    test_values();
    test_decisions();
    test_counts();
    test_run();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
