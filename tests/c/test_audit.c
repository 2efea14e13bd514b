/* Tests of the audit's sum comparisons (csrc/pb_audit.c), on tables built
 * from the figures of seed 000 (朔城区医保局 2025, 万元 printed as 分): which
 * comparisons are kept, with which parent and children, in which order; the
 * limits of the arithmetic; and an allocation failure at every allocation.
 * Then the ways to a restated figure (csrc/pb_figure.c) on the same tables,
 * the blocks of cross.function_code (pb_cross.c), project names paired (pb_match.c), the items
 * of a “三公”经费表 against its total (pb_audit_three_public), the performance targets against the
 * project table (pb_targets.c), and the table of contents against the titles (pb_toc.c).
 *
 *   cc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror -o test_audit tests/c/test_audit.c csrc/pb_*.c -lz
 *   (without csrc/pb_python.c); tests/test_c_programs.py builds and runs it. */
#include "../../csrc/pb_audit.h"
#include "../../csrc/pb_cross.h"
#include "../../csrc/pb_figure.h"
#include "../../csrc/pb_match.h"
#include "../../csrc/pb_targets.h"
#include "../../csrc/pb_toc.h"
#include "../../csrc/pb_unicode.h"
#include "pb_testlib.h"

#define BLANK INT64_MIN
#define DASH (INT64_MIN + 1)
#define MAX_CELLS 6

/* A row as a test writes it: cells in the table's measure order. */
typedef struct trow {
    int64_t line;
    const char *name; /* already normalised */
    const char *code;
    uint32_t flags;   /* PB_ROW_* besides PB_ROW_FIGURES (worked out from the cells) */
    uint8_t side;
    const char *class_code;
    int64_t cells[MAX_CELLS];
} trow;

typedef struct ttable {
    pb_audit_table t;
    pb_audit_row rows[64];
    pb_audit_text slots[MAX_CELLS];
    uint8_t state[64 * MAX_CELLS];
    int64_t fen[64 * MAX_CELLS];
    uint32_t lhs[4], part_start[5], parts[8];
} ttable;

static pb_audit_text text(const char *s) { return (pb_audit_text){s, s ? strlen(s) : 0}; }

/* Unset cells (0 in the initialiser) are blank unless listed: tests give every
 * printed cell, so a literal 0 amount is written as ZERO. */
#define ZERO 0
/* One unit of 0.01万元 in 分: the rounding step of a 万元 table printed to two decimals. */
#define WAN 10000
static void build(ttable *tt, const char *kind, const char *const *measures, size_t n_measures, const trow *rows,
                  size_t n_rows, size_t n_printed, uint64_t step_fen) {
    memset(tt, 0, sizeof *tt);
    tt->t.step_fen = step_fen;
    tt->t.kind = text(kind);
    for (size_t m = 0; m < n_measures; m++) tt->slots[m] = text(measures[m]);
    for (size_t i = 0; i < n_rows; i++) {
        pb_audit_row *r = &tt->rows[i];
        r->line = rows[i].line;
        r->name = r->norm = text(rows[i].name);
        r->code = text(rows[i].code);
        r->flags = rows[i].flags;
        r->side = rows[i].side;
        if (rows[i].class_code) {
            memcpy(r->class_code, rows[i].class_code, 4);
            r->flags |= PB_ROW_CLASS;
        }
        for (size_t m = 0; m < n_measures; m++) {
            int64_t v = m < n_printed ? rows[i].cells[m] : BLANK;
            size_t at = i * n_measures + m;
            tt->state[at] = v == BLANK ? PB_CELL_BLANK : v == DASH ? PB_CELL_DASH : PB_CELL_VALUE;
            tt->fen[at] = tt->state[at] == PB_CELL_VALUE ? v : 0;
            if (tt->state[at] == PB_CELL_VALUE) r->flags |= PB_ROW_FIGURES;
        }
    }
    tt->t.n_rows = n_rows;
    tt->t.rows = tt->rows;
    tt->t.n_columns = tt->t.n_slots = n_measures;
    tt->t.slots = tt->slots;
    tt->t.state = tt->state;
    tt->t.fen = tt->fen;
    tt->t.part_start = tt->part_start;
    tt->t.lhs = tt->lhs;
    tt->t.parts = tt->parts;
}

/* A diff's children as row lines, "parent: child child …" */
static const char *describe(const pb_audit_result *r, const pb_audit_table *t, const pb_audit_diff *d) {
    static char buf[512];
    int n = snprintf(buf, sizeof buf, "%lld:", (long long)t->rows[d->parent].line);
    for (uint32_t k = 0; k < d->count && n < (int)sizeof buf - 24; k++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, " %lld", (long long)t->rows[r->children[d->first + k]].line);
    return buf;
}

/* The expenditure table of seed 000 (支出总表, lines 223-243), total/basic/project in 分. */
static const char *const EXPENDITURE_MEASURES[] = {"total", "basic", "project"};
static const trow EXPENDITURE_000[] = {
    {223, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {761350000, 693270000, 68080000}},
    {224, "社会保障和就业支出", "208", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000, 82930000, BLANK}},
    {225, "行政事业单位养老支出", "20805", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000, 82930000, BLANK}},
    {226, "事业单位离退休", "2080502", PB_ROW_FUNCTION_CODE, 0, NULL, {10880000, 10880000, BLANK}},
    {227, "机关事业单位基本养老保险缴费支出", "2080505", PB_ROW_FUNCTION_CODE, 0, NULL, {72050000, 72050000, BLANK}},
    {228, "卫生健康支出", "210", PB_ROW_FUNCTION_CODE, 0, NULL, {613290000, 545200000, 68080000}},
    {229, "计划生育事务", "21007", PB_ROW_FUNCTION_CODE, 0, NULL, {1180000, 1180000, BLANK}},
    {230, "其他计划生育事务支出", "2100799", PB_ROW_FUNCTION_CODE, 0, NULL, {1180000, 1180000, BLANK}},
    {231, "行政事业单位医疗", "21011", PB_ROW_FUNCTION_CODE, 0, NULL, {29270000, 29270000, BLANK}},
    {232, "行政单位医疗", "2101101", PB_ROW_FUNCTION_CODE, 0, NULL, {3220000, 3220000, BLANK}},
    {233, "事业单位医疗", "2101102", PB_ROW_FUNCTION_CODE, 0, NULL, {26040000, 26040000, BLANK}},
    {234, "优抚对象医疗", "21014", PB_ROW_FUNCTION_CODE, 0, NULL, {10040000, BLANK, 10040000}},
    {235, "优抚对象医疗补助", "2101401", PB_ROW_FUNCTION_CODE, 0, NULL, {10040000, BLANK, 10040000}},
    {236, "医疗保障管理事务", "21015", PB_ROW_FUNCTION_CODE, 0, NULL, {572800000, 514750000, 58050000}},
    {237, "行政运行", "2101501", PB_ROW_FUNCTION_CODE, 0, NULL, {60350000, 60350000, BLANK}},
    {238, "一般行政管理事务", "2101502", PB_ROW_FUNCTION_CODE, 0, NULL, {57440000, BLANK, 57440000}},
    {239, "机关服务", "2101503", PB_ROW_FUNCTION_CODE, 0, NULL, {600000, BLANK, 600000}},
    {240, "事业运行", "2101550", PB_ROW_FUNCTION_CODE, 0, NULL, {454410000, 454410000, BLANK}},
    {241, "住房保障支出", "221", PB_ROW_FUNCTION_CODE, 0, NULL, {65130000, 65130000, BLANK}},
    {242, "住房改革支出", "22102", PB_ROW_FUNCTION_CODE, 0, NULL, {65130000, 65130000, BLANK}},
    {243, "住房公积金", "2210201", PB_ROW_FUNCTION_CODE, 0, NULL, {65130000, 65130000, BLANK}},
};
#define N_EXPENDITURE (sizeof EXPENDITURE_000 / sizeof *EXPENDITURE_000)

static void run(const ttable *tt, pb_audit_result *r) {
    pb_audit_result_init(r, NULL);
    CHECK(pb_audit_sums(&tt->t, 1, r) == PB_AUDIT_OK, "pb_audit_sums failed");
}

/* The kept comparisons are exactly `want` (as describe() writes them), in order. */
static void expect(const pb_audit_result *r, const pb_audit_table *t, const char *const *want, size_t n,
                   const char *what) {
    int same = r->n_diffs == n;
    for (size_t k = 0; k < n && same; k++) same = strcmp(describe(r, t, &r->diffs[k]), want[k]) == 0;
    CHECK(same, "%s: %zu comparisons kept, want %zu", what, r->n_diffs, n);
    if (!same)
        for (size_t k = 0; k < r->n_diffs; k++) printf("  kept %s\n", describe(r, t, &r->diffs[k]));
}

/* Exactly one comparison is kept: `want` (as describe() writes it), comparing `what`. */
static void expect_one(const pb_audit_result *r, const pb_audit_table *t, int what, const char *want,
                       const char *label) {
    expect(r, t, &want, 1, label);
    CHECK(r->n_diffs == 1 && r->diffs[0].what == what, "%s: compares what %d, want %d", label,
          r->n_diffs ? r->diffs[0].what : -1, what);
}

static void test_codes(void) {
    static ttable tt;
    trow rows[N_EXPENDITURE];
    memcpy(rows, EXPENDITURE_000, sizeof rows);
    build(&tt, "expenditure", EXPENDITURE_MEASURES, 3, rows, N_EXPENDITURE, 3, WAN);
    pb_audit_result r;
    run(&tt, &r);
    /* As printed, four sums are 0.01万元 off (尾差): 210's 项目支出 (10.04 + 58.05 = 68.09 ≠ 68.08), 21011
     * (3.22 + 26.04 ≠ 29.27), 21015's 合计 and 合计's 基本支出, and 210's row itself (613.29 ≠ 545.20 +
     * 68.08). Each is a sum of two or more printed items, within one step (0.01万元) per item: none is kept. */
    expect(&r, &tt.t, NULL, 0, "seed 000's 支出总表");
    pb_audit_result_free(&r);
    /* With no rounding allowed (a table in 分), the four are kept, and 210's columns with the equation. */
    build(&tt, "expenditure", EXPENDITURE_MEASURES, 3, rows, N_EXPENDITURE, 3, 0);
    tt.lhs[0] = 0; /* total = basic + project */
    tt.part_start[0] = 0;
    tt.parts[0] = 1;
    tt.parts[1] = 2;
    tt.part_start[1] = 2;
    tt.t.n_equations = 1;
    run(&tt, &r);
    static const char *const exact[] = {"228: 229 231 234 236", "231: 232 233", "236: 237 238 239 240",
                                        "223: 224 228 241", "228:"};
    expect(&r, &tt.t, exact, 5, "seed 000's 支出总表 without rounding");
    CHECK(r.n_diffs == 5 && r.diffs[0].what == PB_WHAT_CHILD_CODES && r.diffs[3].what == PB_WHAT_TOP_CODES &&
              r.diffs[4].rule == PB_AUDIT_COLUMNS_SUM && r.diffs[4].parent == 5 && r.diffs[4].index == 0,
          "children by code, 合计 against the top-level codes, then the columns of row 5 (line 228)");
    pb_audit_result_free(&r);

    /* 2080505 72.05 → 72.10万元: 20805 is 0.05 off its two items (more than two steps), and that row's
     * 合计 = 基本 + 项目 is off with one item printed (no rounding allowed) */
    rows[4].cells[0] = 72100000;
    build(&tt, "expenditure", EXPENDITURE_MEASURES, 3, rows, N_EXPENDITURE, 3, WAN);
    tt.lhs[0] = 0;
    tt.part_start[0] = 0;
    tt.parts[0] = 1;
    tt.parts[1] = 2;
    tt.part_start[1] = 2;
    tt.t.n_equations = 1;
    run(&tt, &r);
    static const char *const altered[] = {"225: 226 227", "227:"};
    expect(&r, &tt.t, altered, 2, "2080505 altered");
    CHECK(r.n_diffs == 2 && r.diffs[1].rule == PB_AUDIT_COLUMNS_SUM && r.diffs[1].what == PB_WHAT_COLUMNS &&
              r.diffs[1].parent == 4 && r.diffs[1].index == 0,
          "the columns of line 227 (row 4, equation 0)");
    pb_audit_result_free(&r);

    /* 208's 合计 82.93 → 82.94万元: restated by its one child 20805, it must match to the 分; 合计 against
     * the three classes allows three steps */
    memcpy(rows, EXPENDITURE_000, sizeof rows);
    rows[1].cells[0] = 82940000;
    build(&tt, "expenditure", EXPENDITURE_MEASURES, 3, rows, N_EXPENDITURE, 3, WAN);
    run(&tt, &r);
    static const char *const altered_class[] = {"224: 225"};
    expect(&r, &tt.t, altered_class, 1, "208's total altered");
    pb_audit_result_free(&r);

    /* a code printed twice: the first row is the code's; a 项 printed before its 款 still finds it */
    trow twice[] = {
        {1, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {300, BLANK, BLANK}},
        {2, "事业运行", "2101550", PB_ROW_FUNCTION_CODE, 0, NULL, {100, BLANK, BLANK}},
        {3, "医疗保障管理事务", "21015", PB_ROW_FUNCTION_CODE, 0, NULL, {300, BLANK, BLANK}},
        {4, "医疗保障管理事务", "21015", PB_ROW_FUNCTION_CODE, 0, NULL, {999, BLANK, BLANK}},
        {5, "行政运行", "2101501", PB_ROW_FUNCTION_CODE, 0, NULL, {200, BLANK, BLANK}},
    };
    build(&tt, "general_expenditure", EXPENDITURE_MEASURES, 3, twice, 5, 3, 0);
    run(&tt, &r);
    expect(&r, &tt.t, NULL, 0, "a code printed twice, the first adds up");
    twice[4].cells[0] = 199;
    build(&tt, "general_expenditure", EXPENDITURE_MEASURES, 3, twice, 5, 3, 0);
    pb_audit_result_free(&r);
    run(&tt, &r);
    static const char *const late[] = {"3: 2 5"};
    expect(&r, &tt.t, late, 1, "a 项 before its 款, one 分 short");
    pb_audit_result_free(&r);
}

/* Henan: 合计, then each unit's row and its codes (unit rows found by name or unit code). */
static void test_units(void) {
    static ttable tt;
    static const char *const measures[] = {"total"};
    trow rows[] = {
        {10, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {5000}},
        {11, "市医疗保障局", NULL, PB_ROW_ORG, 0, NULL, {3000}},
        {12, "卫生健康支出", "210", PB_ROW_FUNCTION_CODE, 0, NULL, {3000}},
        {13, "市医疗保障服务中心", NULL, PB_ROW_UNIT_CODE, 0, NULL, {2000}},
        {14, "卫生健康支出", "210", PB_ROW_FUNCTION_CODE, 0, NULL, {1900}}, /* the same code again: not coded */
        {15, "住房保障支出", "221", PB_ROW_FUNCTION_CODE, 0, NULL, {100}},
    };
    build(&tt, "expenditure", measures, 1, rows, 6, 1, 0);
    pb_audit_result r;
    run(&tt, &r);
    /* units add up to 合计; unit 1 has 210 (3000); unit 2 has only 221 (100), as 210's first row is unit 1's */
    expect_one(&r, &tt.t, PB_WHAT_UNIT_CODES, "13: 15", "two units");
    pb_audit_result_free(&r);

    rows[3].flags = 0; /* one unit row left: 合计 against it, and against the top-level codes */
    rows[0].cells[0] = 3000;
    build(&tt, "expenditure", measures, 1, rows, 6, 1, 0);
    run(&tt, &r);
    expect_one(&r, &tt.t, PB_WHAT_TOP_CODES, "10: 12 15", "one unit");
    pb_audit_result_free(&r);
}

/* Seed 000's 基本支出经济分类表 shape: class headings with their items, 合计 over the headings. */
static void test_economic(void) {
    static ttable tt;
    static const char *const measures[] = {"total", "personnel", "public"};
    trow rows[] = {
        {325, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {693270000, 586880000, 106390000}},
        {326, "工资福利支出", "301", PB_ROW_ECON_CLASS, 0, NULL, {531920000, 531920000, BLANK}},
        {327, "基本工资", "30101", 0, 0, NULL, {150000000, 150000000, BLANK}},
        {328, "津贴补贴", "30102", 0, 0, NULL, {381920000, 381920000, BLANK}},
        {329, "商品和服务支出", "302", PB_ROW_ECON_CLASS, 0, NULL, {106390000, BLANK, 106390000}},
        {330, "办公费", "30201", 0, 0, NULL, {106390000, BLANK, 106390000}},
        {331, "对个人和家庭的补助", "303", PB_ROW_ECON_CLASS, 0, NULL, {54960000, 54960000, BLANK}},
        {332, "退休费", "30302", 0, 0, NULL, {54950000, 54950000, BLANK}}, /* 0.01万元 short */
    };
    build(&tt, "basic_economic", measures, 3, rows, 8, 3, WAN);
    pb_audit_result r;
    run(&tt, &r);
    expect_one(&r, &tt.t, PB_WHAT_ECON_ITEMS, "331: 332", "economic items");
    pb_audit_result_free(&r);
}

/* Seed 000's 收支总表 (lines 153-177): the sides, the carry-over, the income items, the classes. */
static void test_balance(void) {
    static ttable tt;
    static const char *const measures[] = {"total", "current", "carryover"};
    trow rows[] = {
        {153, "一、一般公共预算", NULL, 0, PB_SIDE_INCOME, NULL, {733900000, BLANK, BLANK}},
        {154, "二、政府性基金预算", NULL, 0, PB_SIDE_INCOME, NULL, {BLANK, BLANK, BLANK}},
        {160, "八、社会保障和就业支出", NULL, 0, PB_SIDE_EXPENDITURE, "208", {82930000, 82930000, BLANK}},
        {162, "十、卫生健康支出", NULL, 0, PB_SIDE_EXPENDITURE, "210", {613290000, 585840000, 27440000}},
        {163, "卫生健康", NULL, 0, PB_SIDE_EXPENDITURE, "210", {BLANK, BLANK, BLANK}}, /* 210 again, no figures */
        {172, "二十、住房保障支出", NULL, 0, PB_SIDE_EXPENDITURE, "221", {65130000, 65130000, BLANK}},
        {175, "收入总计", NULL, PB_ROW_TOTAL, PB_SIDE_INCOME, NULL, {761350000, BLANK, BLANK}},
        {175, "支出总计", NULL, PB_ROW_TOTAL, PB_SIDE_EXPENDITURE, NULL, {761350000, 733900000, 27440000}},
        {176, "上年结转", NULL, 0, PB_SIDE_INCOME, NULL, {27440000, BLANK, BLANK}},
        {176, "年终结转", NULL, 0, PB_SIDE_EXPENDITURE, NULL, {BLANK, BLANK, BLANK}},
        {177, "本年收入合计", NULL, PB_ROW_TOTAL, PB_SIDE_INCOME, NULL, {733900000, BLANK, BLANK}},
        {177, "本年支出合计", NULL, PB_ROW_TOTAL, PB_SIDE_EXPENDITURE, NULL, {761350000, 733900000, 27440000}},
    };
    build(&tt, "summary", measures, 3, rows, 12, 3, WAN);
    pb_audit_result r;
    run(&tt, &r);
    /* As printed, 本年收入合计 733.90 + 上年结转 27.44 = 761.34 is 0.01万元 short of 收入总计 761.35: within
     * one step per item, so not kept; everything else adds up to the 分. */
    expect(&r, &tt.t, NULL, 0, "seed 000's 收支总表");
    pb_audit_result_free(&r);
    build(&tt, "summary", measures, 3, rows, 12, 3, 0);
    run(&tt, &r);
    static const char *const exact[] = {"175: 177 176"};
    expect(&r, &tt.t, exact, 1, "seed 000's 收支总表 without rounding");
    CHECK(r.n_diffs == 1 && r.diffs[0].what == PB_WHAT_CARRY, "收入总计 against 本年收入合计 + 上年结转");
    pb_audit_result_free(&r);

    rows[6].cells[0] = 761450000; /* 收入总计 761.45: the sides (exact) and the income side's carry-over */
    rows[0].cells[0] = 733800000; /* 一般公共预算 733.80: the income items (one printed: exact) */
    rows[3].cells[1] = 585940000; /* 卫生健康 current 585.94: the classes (0.10 over three items) */
    build(&tt, "summary", measures, 3, rows, 12, 3, WAN);
    run(&tt, &r);
    CHECK(r.n_diffs == 4, "three altered cells: %zu diffs, want 4", r.n_diffs);
    if (r.n_diffs == 4) {
        CHECK(r.diffs[0].what == PB_WHAT_SIDES && strcmp(describe(&r, &tt.t, &r.diffs[0]), "175: 175") == 0 &&
                  r.diffs[0].parent == 6 && r.diffs[0].count == 1 && r.children[r.diffs[0].first] == 7,
              "收入总计 against 支出总计: %s", describe(&r, &tt.t, &r.diffs[0]));
        CHECK(r.diffs[1].what == PB_WHAT_CARRY && strcmp(describe(&r, &tt.t, &r.diffs[1]), "175: 177 176") == 0,
              "收入总计 against 本年收入合计 + 上年结转: %s", describe(&r, &tt.t, &r.diffs[1]));
        CHECK(r.diffs[2].what == PB_WHAT_INCOME_ITEMS && strcmp(describe(&r, &tt.t, &r.diffs[2]), "177: 153 154") == 0,
              "本年收入合计 against the income items: %s", describe(&r, &tt.t, &r.diffs[2]));
        CHECK(r.diffs[3].what == PB_WHAT_CLASSES && strcmp(describe(&r, &tt.t, &r.diffs[3]), "177: 160 162 172") == 0,
              "本年支出合计 against the classes (210 once, the row with figures): %s", describe(&r, &tt.t, &r.diffs[3]));
    }
    pb_audit_result_free(&r);
}

/* A 本年支出合计 that prints nothing covers no measure: it is compared in every
 * column (as _compare_sum does), so classes with figures under a blank total
 * are kept (a mutated 财政拨款收支总表 of the generated corpus). */
static void test_blank_head(void) {
    static ttable tt;
    static const char *const measures[] = {"total", "general_budget"};
    trow rows[] = {
        {166, "一、一般公共服务支出", NULL, 0, PB_SIDE_EXPENDITURE, "201", {362100000, 362100000}},
        {176, "十、卫生健康支出", NULL, 0, PB_SIDE_EXPENDITURE, "210", {19610000, 19610000}},
        {208, "本年支出合计", NULL, PB_ROW_TOTAL, PB_SIDE_EXPENDITURE, NULL, {BLANK, BLANK}},
        {213, "支出总计", NULL, PB_ROW_TOTAL, PB_SIDE_EXPENDITURE, NULL, {381710000, 381710000}},
    };
    build(&tt, "fiscal_summary", measures, 2, rows, 4, 2, WAN);
    pb_audit_result r;
    run(&tt, &r);
    static const char *const kept[] = {"213: 208", "208: 166 176"};
    expect(&r, &tt.t, kept, 2, "a blank 本年支出合计");
    CHECK(r.n_diffs == 2 && r.diffs[0].what == PB_WHAT_CARRY && r.diffs[1].what == PB_WHAT_CLASSES,
          "支出总计 against a blank 本年支出合计, which against the classes");
    pb_audit_result_free(&r);
    /* a step so large that any sum of two items passes (the allowance saturates) */
    rows[2].cells[0] = 1;
    rows[2].cells[1] = 1;
    rows[3].cells[0] = rows[3].cells[1] = 1;
    build(&tt, "fiscal_summary", measures, 2, rows, 4, 2, UINT64_MAX);
    run(&tt, &r);
    expect(&r, &tt.t, NULL, 0, "a saturated allowance");
    pb_audit_result_free(&r);
}

/* 项目支出表: a 合计 row by name, units with their projects; and a department row above its first unit. */
static void test_projects(void) {
    static ttable tt;
    static const char *const measures[] = {"total", "project_name"};
    trow rows[] = {
        {413, "项目合计", NULL, PB_ROW_TOTAL_NAME, 0, NULL, {68080000}},
        {414, "朔城区医疗保障局", NULL, PB_ROW_ORG, 0, NULL, {68080000}},
        {415, "医保经费", NULL, 0, 0, NULL, {10040000}},
        {416, "业务经费", NULL, 0, 0, NULL, {58150000}}, /* 0.10万元 over */
    };
    build(&tt, "projects", measures, 2, rows, 4, 1, WAN);
    pb_audit_result r;
    run(&tt, &r);
    expect_one(&r, &tt.t, PB_WHAT_UNIT_PROJECTS, "414: 415 416", "a unit 0.10万元 under its projects");
    CHECK(r.n_diffs == 1 && r.diffs[0].rule == PB_AUDIT_GROUP_SUM, "a unit against its projects is table.group_sum");
    pb_audit_result_free(&r);

    rows[0].flags = PB_ROW_ORG; /* no 合计 by name: the department row right above a unit row is the total */
    rows[0].name = "朔城区医保局";
    rows[3].cells[0] = 58040000;
    trow more[5];
    memcpy(more, rows, sizeof rows);
    more[4] = (trow){417, "第二个单位", NULL, PB_ROW_ORG, 0, NULL, {0}};
    build(&tt, "projects", measures, 2, more, 5, 1, WAN);
    run(&tt, &r);
    CHECK(r.n_diffs == 0, "a department row above its units: %zu diffs (first %s)", r.n_diffs,
          r.n_diffs ? describe(&r, &tt.t, &r.diffs[0]) : "-");
    more[0].cells[0] = 68090000;
    build(&tt, "projects", measures, 2, more, 5, 1, WAN);
    pb_audit_result_free(&r);
    run(&tt, &r);
    expect_one(&r, &tt.t, PB_WHAT_TOP_UNITS, "413: 414 417", "the department row against its units");
    pb_audit_result_free(&r);
}

/* Sums past 64 bits count as differing (Python's integers decide them); a
 * dash is 0; an equation's left-hand side no column holds is 0. */
static void test_limits(void) {
    static ttable tt;
    static const char *const measures[] = {"total", "basic", "project"};
    trow rows[] = {
        {1, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {INT64_MAX - 1, BLANK, BLANK}},
        {2, "一般公共服务支出", "201", PB_ROW_FUNCTION_CODE, 0, NULL, {INT64_MAX, DASH, BLANK}},
        {3, "外交支出", "202", PB_ROW_FUNCTION_CODE, 0, NULL, {-INT64_MAX, 5, BLANK}},
        {4, "国防支出", "203", PB_ROW_FUNCTION_CODE, 0, NULL, {INT64_MAX, DASH, BLANK}},
    };
    build(&tt, "expenditure", measures, 3, rows, 4, 3, 0);
    pb_audit_result r;
    run(&tt, &r);
    /* MAX + (-MAX) + MAX = MAX ≠ MAX - 1 in total (no overflow on the way); basic: dash + 5 + dash = 5 ≠ blank */
    CHECK(r.n_diffs == 1 && strcmp(describe(&r, &tt.t, &r.diffs[0]), "1: 2 3 4") == 0, "large sums: %zu diffs",
          r.n_diffs);
    pb_audit_result_free(&r);
    rows[2].cells[0] = INT64_MAX; /* MAX + MAX overflows: differs */
    rows[0].cells[0] = 0;
    rows[2].cells[1] = DASH;
    build(&tt, "expenditure", measures, 3, rows, 4, 3, 0);
    run(&tt, &r);
    CHECK(r.n_diffs == 1, "an overflowing sum differs: %zu diffs", r.n_diffs);
    pb_audit_result_free(&r);
    /* equation total = basic + project where 'total' is no slot (UINT32_MAX): lhs 0, so 5 + 0 differs */
    trow one[] = {{1, "x", NULL, 0, 0, NULL, {BLANK, 5, BLANK}}};
    build(&tt, "projects_x", measures, 3, one, 1, 3, 0);
    tt.lhs[0] = UINT32_MAX;
    tt.part_start[0] = 0;
    tt.parts[0] = 1;
    tt.parts[1] = 2;
    tt.part_start[1] = 2;
    tt.t.n_equations = 1;
    run(&tt, &r);
    CHECK(r.n_diffs == 1 && r.diffs[0].what == PB_WHAT_COLUMNS, "an absent left-hand side is 0");
    pb_audit_result_free(&r);
    /* a table with no rows and no columns, and no tables at all */
    build(&tt, "expenditure", measures, 0, rows, 0, 0, WAN);
    run(&tt, &r);
    CHECK(r.n_diffs == 0, "an empty table");
    CHECK(pb_audit_sums(NULL, 0, &r) == PB_AUDIT_OK && r.n_diffs == 0, "no tables");
    pb_audit_result_free(&r);
}

/* ---- allocation failures: every allocation in turn fails, nothing leaks ---- */

static void test_alloc_failures_audit(void) {
    static ttable tables[2];
    build(&tables[0], "expenditure", EXPENDITURE_MEASURES, 3, EXPENDITURE_000, N_EXPENDITURE, 3, WAN);
    trow rows[N_EXPENDITURE];
    memcpy(rows, EXPENDITURE_000, sizeof rows);
    rows[4].cells[0] = 72100000;
    build(&tables[1], "expenditure", EXPENDITURE_MEASURES, 3, rows, N_EXPENDITURE, 3, WAN);
    pb_audit_table both[2] = {tables[0].t, tables[1].t};
    /* the allocations of a run that succeeds, counted */
    tl_alloc counted;
    memset(&counted, 0, sizeof counted);
    pb_allocator al = tl_allocator(&counted);
    pb_audit_result want;
    pb_audit_result_init(&want, &al);
    CHECK(pb_audit_sums(both, 2, &want) == PB_AUDIT_OK && want.n_diffs == 1 && counted.calls >= 3,
          "two tables: %zu kept, %zu allocations", want.n_diffs, counted.calls);
    /* each of them failing in turn: NO_MEMORY, and every block freed */
    size_t bad = 0;
    for (size_t fail_at = 1; fail_at <= counted.calls; fail_at++) {
        tl_alloc a;
        pb_allocator failing = tl_failing_allocator(&a, fail_at);
        pb_audit_result r;
        pb_audit_result_init(&r, &failing);
        bad += pb_audit_sums(both, 2, &r) != PB_AUDIT_NO_MEMORY;
        pb_audit_result_free(&r);
        CHECK(a.live_blocks == 0, "allocation %zu failing: %ld blocks leaked", fail_at, a.live_blocks);
    }
    CHECK(bad == 0, "%zu of %zu failed allocations not reported", bad, counted.calls);
    pb_audit_result_free(&want);
    CHECK(counted.live_blocks == 0, "%ld blocks left after the counted run", counted.live_blocks);
}

/* ---------------------------------------------------------------- figures */

static pb_figure_way way(uint8_t how, const char *kind, uint8_t side, uint8_t flags, const char *measure,
                         const pb_audit_text *names, size_t n_names) {
    return (pb_figure_way){how, side, flags, text(kind), text(measure), n_names, names};
}

static void expect_figure(pb_found_figure got, uint8_t state, uint32_t table, uint32_t row, int64_t fen, const char *what) {
    CHECK(got.state == state && (state == PB_FIGURE_NONE || state == PB_FIGURE_PYTHON || got.table == table) &&
              (state != PB_FIGURE_CELL || (got.row == row && got.fen == fen)),
          "%s: state %d table %u row %u fen %lld; want state %d table %u row %u fen %lld", what, got.state, got.table,
          got.row, (long long)got.fen, state, table, row, (long long)fen);
}

/* A code way answered from the sorted index of a table's codes (pb_figure_index_codes, as the glue
 * builds it) equals the scan of its rows, on random tables: codes drawn from a few classes, 款 and
 * 项 with repeats, totals, rows without a code, out of order; blank, dashed and printed cells; asked
 * for every code drawn, their prefixes and codes no row prints. A table far out of order has no index. */
static void test_code_index(void) {
    static const char *const pool[] = {"201", "20101", "2010101", "2010102", "20102", "2010201", "208", "20805",
                                       "2080501", "2080505", "2080599", "20808", "2080801", "210", "21011",
                                       "2101101", "2101199", "221", "22102", "2210201"};
    static const pb_audit_text asked[] = {{"2", 1}, {"20", 2}, {"201", 3}, {"2010", 4}, {"20101", 5}, {"2010101", 7},
                                          {"2010199", 7}, {"208", 3}, {"20805", 5}, {"2080505", 7}, {"20809", 5},
                                          {"209", 3}, {"210", 3}, {"21011", 5}, {"2101199", 7}, {"221", 3},
                                          {"2210201", 7}, {"229", 3}, {"3", 1}, {"", 0}};
    static const char *const measures[] = {"total", "basic"};
    static ttable tt;
    static trow rows[64];
    static uint32_t index[64];
    uint64_t rng = 0x9E3779B97F4A7C15u;
    size_t compared = 0, indexed = 0, differ = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + (size_t)(round % 64);
        for (size_t i = 0; i < n; i++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            int blank_code = rng % 11 == 0, total = rng % 13 == 0;
            rows[i] = (trow){(int64_t)(100 + i), "行", blank_code ? "" : pool[(rng >> 8) % 20],
                             (blank_code ? 0u : PB_ROW_FUNCTION_CODE) | (total ? PB_ROW_TOTAL : 0u), 0, NULL,
                             {(int64_t)((rng >> 16) % 5000), (int64_t)((rng >> 32) % 3000)}};
            if ((rng >> 40) % 9 == 0) rows[i].cells[0] = BLANK;
            if ((rng >> 44) % 17 == 0) rows[i].cells[1] = DASH;
        }
        if (round % 7 == 0) /* in order, as printed tables mostly are */
            for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && strcmp(rows[j - 1].code, rows[j].code) > 0; j--) {
                    trow swap = rows[j];
                    rows[j] = rows[j - 1];
                    rows[j - 1] = swap;
                }
        build(&tt, "expenditure", measures, 2, rows, n, 2, WAN);
        pb_audit_table scan = tt.t, fast = tt.t;
        size_t count = pb_figure_index_codes(&fast, index);
        if (count == SIZE_MAX) continue;
        indexed++;
        fast.code_rows = index;
        fast.n_code_rows = count;
        for (size_t a = 0; a < sizeof asked / sizeof *asked; a++)
            for (int m = 0; m < 2; m++) {
                pb_figure_way w = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, measures[m], &asked[a], 1);
                pb_found_figure x = pb_figure_find(&scan, 1, &w, 1), y = pb_figure_find(&fast, 1, &w, 1);
                compared++;
                if (x.state != y.state || (x.state == PB_FIGURE_CELL && (x.row != y.row || x.fen != y.fen))) differ++;
            }
    }
    CHECK(differ == 0, "%zu of %zu code ways differ with the index", differ, compared);
    CHECK(indexed == 3000 && compared == 120000, "%zu tables indexed, %zu ways compared", indexed, compared);
    /* 64 codes in reverse order: sorting them would move every row past every other */
    static char codes[64][8];
    for (size_t i = 0; i < 64; i++) {
        snprintf(codes[i], sizeof codes[i], "2%06zu", 64 - i);
        rows[i] = (trow){(int64_t)i, "行", codes[i], PB_ROW_FUNCTION_CODE, 0, NULL, {1, 1}};
    }
    build(&tt, "expenditure", measures, 2, rows, 64, 2, WAN);
    CHECK(pb_figure_index_codes(&tt.t, index) == SIZE_MAX, "a table in reverse order is not indexed");
}

/* Seed 000's 收支总表 (names normalised, as the glue packs them), a vertical and a horizontal
 * “三公” table, and an empty one: each way, the order of ways, and what stops them. */
static void test_figures(void) {
    static ttable tables[4];
    static const char *const summary_measures[] = {"total", "current", "carryover"};
    static const trow summary[] = {
        {153, "一般公共预算", NULL, 0, PB_SIDE_INCOME, NULL, {733900000, BLANK, BLANK}},
        {160, "社会保障和就业支出", NULL, 0, PB_SIDE_EXPENDITURE, NULL, {82930000, 82930000, BLANK}},
        {175, "收入总计", NULL, PB_ROW_TOTAL, PB_SIDE_INCOME, NULL, {761350000, BLANK, BLANK}},
        {175, "支出总计", NULL, PB_ROW_TOTAL, PB_SIDE_EXPENDITURE, NULL, {761350000, 733900000, 27440000}},
        {176, "上年结转", NULL, 0, PB_SIDE_INCOME, NULL, {27440000, BLANK, BLANK}},
        {177, "本年收入合计", NULL, PB_ROW_TOTAL, PB_SIDE_INCOME, NULL, {733900000, BLANK, BLANK}},
        {177, "本年支出合计", NULL, PB_ROW_TOTAL, PB_SIDE_EXPENDITURE, NULL, {761350000, 733900000, 27440000}},
    };
    build(&tables[0], "summary", summary_measures, 3, summary, sizeof summary / sizeof *summary, 3, WAN);
    /* 本年收入合计 is a total row named before the table's 合计 would be: the side's 收入总计 is chosen by name */
    static const char *const one_measure[] = {"total"};
    static const trow vertical[] = {
        {489, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {150000}},
        {490, "因公出国(境)费", NULL, 0, 0, NULL, {ZERO}},
        {491, "公务接待费", NULL, 0, 0, NULL, {150000}},
    };
    build(&tables[1], "three_public", one_measure, 1, vertical, 3, 1, WAN);
    static const char *const horizontal_measures[] = {"total", "abroad", "reception"};
    static const trow horizontal[] = {
        {300, "", NULL, PB_ROW_BLANK_NAME, 0, NULL, {BLANK, BLANK, BLANK}},
        {301, "", NULL, PB_ROW_BLANK_NAME, 0, NULL, {250000, DASH, 250000}},
    };
    build(&tables[2], "three_public_h", horizontal_measures, 3, horizontal, 2, 3, WAN);
    static const trow nothing[] = {{400, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {BLANK}}};
    build(&tables[3], "operating_costs", one_measure, 1, nothing, 1, 1, WAN);
    pb_audit_table t[4] = {tables[0].t, tables[1].t, tables[2].t, tables[3].t};

    static const pb_audit_text current_income[] = {{"本年收入", 12}, {"本年收入合计", 18}};
    pb_figure_way w[3];
    w[0] = way(PB_WAY_ROW, "summary", PB_SIDE_INCOME, PB_WAY_NEEDS_COLUMN, "total", current_income, 2);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 5, 733900000, "本年收入合计 by name, income side");
    w[0].side = PB_SIDE_EXPENDITURE;
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_NONE, 0, 0, 0, "no 本年收入 on the expenditure side");
    w[0].side = PB_SIDE_ANY;
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 5, 733900000, "本年收入合计 on any side");
    w[0] = way(PB_WAY_ROW, "summary", PB_SIDE_INCOME, PB_WAY_NEEDS_COLUMN, "gov_fund", current_income, 2);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_NONE, 0, 0, 0, "a row way needing a column not printed");
    w[0].flags = 0;
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 5, 0, "the same without the column: a blank 0");

    /* totals by side: the side's 总计 by name, then its total rows */
    w[0] = way(PB_WAY_TOTAL, "summary", PB_SIDE_EXPENDITURE, 0, "carryover", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 3, 27440000, "支出总计's carry-over");
    w[0].side = PB_SIDE_INCOME;
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 2, 0, "收入总计 prints no carry-over: 0");
    w[0] = way(PB_WAY_TOTAL, "summary", PB_SIDE_ANY, 0, "total", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 2, 761350000, "no 合计: the first 收入总计");
    w[0] = way(PB_WAY_TOTAL, "summary", PB_SIDE_ANY, 0, "gov_fund", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_NONE, 0, 0, 0, "a total of a column not printed");

    /* the order of ways: no table, a way only Python knows, an empty table */
    static const pb_audit_text abroad[] = {{"因公出国(境)费", 20}, {"因公出国(境)费用", 23}};
    w[0] = way(PB_WAY_ROW, "fiscal_summary", PB_SIDE_INCOME, 0, "total", current_income, 2);
    w[1] = way(PB_WAY_ROW, "three_public", PB_SIDE_ANY, 0, "total", abroad, 2);
    expect_figure(pb_figure_find(t, 4, w, 2), PB_FIGURE_CELL, 1, 1, 0, "no such table: the next way (a printed 0)");
    CHECK(pb_figure_find(t, 4, w, 2).way == 1, "the figure names the way that found it: the second");
    CHECK(pb_figure_find(t, 4, w + 1, 1).way == 0, "alone, the first");
    w[1] = way(PB_WAY_PYTHON, "", PB_SIDE_ANY, 0, "", NULL, 0);
    w[2] = way(PB_WAY_ROW, "three_public", PB_SIDE_ANY, 0, "total", abroad, 2);
    expect_figure(pb_figure_find(t, 4, w, 3), PB_FIGURE_PYTHON, 0, 0, 0, "a way only Python knows stops the search");
    w[0] = way(PB_WAY_ROW, "operating_costs", PB_SIDE_ANY, PB_WAY_NEEDS_COLUMN, "total", abroad, 2);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_EMPTY_TABLE, 3, 0, 0, "a table printing nothing gives 0");
    w[0] = way(PB_WAY_TOTAL, "operating_costs", PB_SIDE_ANY, 0, "abroad", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_EMPTY_TABLE, 3, 0, 0, "even for a column it does not print");

    /* flags: a row read in a table printing nothing, a row that must print the amount, a total that needs
     * its column even there, a total whatever the columns */
    static const pb_audit_text total_name[] = {{"合计", 6}};
    w[0] = way(PB_WAY_ROW, "operating_costs", PB_SIDE_ANY, PB_WAY_NEEDS_COLUMN | PB_WAY_EVEN_EMPTY, "total", total_name,
               1);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 3, 0, 0, "even in an empty table: the row's blank 0");
    w[0].names = abroad;
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_NONE, 0, 0, 0, "even in an empty table: no such row");
    w[0] = way(PB_WAY_ROW, "summary", PB_SIDE_INCOME, PB_WAY_NEEDS_VALUE, "total", current_income, 2);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 5, 733900000, "a row printing its amount");
    w[0].measure = text("current");
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_NONE, 0, 0, 0, "a row whose cell is blank");
    w[0].flags = 0;
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 5, 0, "the same without the flag: a blank 0");
    w[0] = way(PB_WAY_TOTAL, "operating_costs", PB_SIDE_ANY, PB_WAY_NEEDS_COLUMN, "abroad", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_NONE, 0, 0, 0, "a total needing its column, in an empty table");
    w[0].measure = text("total");
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_EMPTY_TABLE, 3, 0, 0, "which prints the column: 0");
    w[0] = way(PB_WAY_TOTAL, "summary", PB_SIDE_ANY, PB_WAY_ANY_COLUMN, "gov_fund", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 0, 2, 0, "a total of a column not printed: its blank 0");

    /* a horizontal table: the first row with figures, where the column is printed */
    static const pb_audit_text reception[] = {{"公务接待费", 15}};
    w[0] = way(PB_WAY_ROW, "three_public_h", PB_SIDE_ANY, 0, "total", reception, 1);
    w[1] = way(PB_WAY_FIRST_FIGURES, "three_public_h", PB_SIDE_ANY, 0, "abroad", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 2), PB_FIGURE_CELL, 2, 1, 0, "a dash in the first row with figures: 0");
    w[1].measure = text("vehicles");
    expect_figure(pb_figure_find(t, 4, w, 2), PB_FIGURE_NONE, 0, 0, 0, "no column of the item");
    w[0] = way(PB_WAY_TOTAL, "three_public_h", PB_SIDE_ANY, 0, "reception", NULL, 0);
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_CELL, 2, 1, 250000,
                  "no total row: the unnamed first row with figures (Henan)");
    w[0].side = PB_SIDE_INCOME;
    expect_figure(pb_figure_find(t, 4, w, 1), PB_FIGURE_NONE, 0, 0, 0, "not for a side");
    expect_figure(pb_figure_find(t, 4, w, 0), PB_FIGURE_NONE, 0, 0, 0, "no ways");
}

/* A function class as text.vs_table looks it up: its code's row in 支出总表 (the first, not a total),
 * else the sum of its printed leaves (a 项-only template), else the class row of a 收支总表. */
static void test_class_figures(void) {
    static ttable tables[3];
    static const char *const measures[] = {"total", "basic"};
    trow expenditure[] = {
        {223, "合计", "208", PB_ROW_TOTAL | PB_ROW_FUNCTION_CODE, 0, NULL, {761350000, 693270000}},
        {224, "社会保障和就业支出", "208", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000, 82930000}},
        {225, "行政事业单位养老支出", "20805", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000, 82930000}},
        {226, "事业单位离退休", "2080502", PB_ROW_FUNCTION_CODE, 0, NULL, {10880000, 10880000}},
        {227, "机关事业单位基本养老保险缴费支出", "2080505", PB_ROW_FUNCTION_CODE, 0, NULL, {72050000, 72050000}},
        {228, "社会保障和就业支出", "208", PB_ROW_FUNCTION_CODE, 0, NULL, {1, 1}},
        {229, "不是代码", "208x", 0, 0, NULL, {5, 5}},
        {230, "退役安置", "208\xef\xbc\x90" "8", PB_ROW_FUNCTION_CODE, 0, NULL, {700, BLANK}}, /* 208０8: a leaf */
        {231, "行政运行", "2101501", PB_ROW_FUNCTION_CODE, 0, NULL, {60350000, 60350000}},
        {232, "行政运行", "2101501", PB_ROW_FUNCTION_CODE, 0, NULL, {99, 99}},
        {233, "事业运行", "2101550", PB_ROW_FUNCTION_CODE, 0, NULL, {DASH, 454410000}},
    };
    trow summary[] = {
        {160, "社会保障和就业支出", NULL, 0, PB_SIDE_INCOME, "208", {1}},
        {161, "医疗卫生与计划生育支出", NULL, 0, PB_SIDE_EXPENDITURE, "210", {BLANK}},
        {162, "卫生健康支出", NULL, 0, PB_SIDE_EXPENDITURE, "210", {613290000}},
        {163, "卫生健康支出", NULL, 0, PB_SIDE_EXPENDITURE, "210", {7}},
        {164, "住房保障支出", NULL, PB_ROW_TOTAL, PB_SIDE_NONE, "221", {65130000}},
        {165, "住房保障支出", NULL, 0, PB_SIDE_NONE, "221", {BLANK}},
        {166, "住房保障支出", NULL, 0, PB_SIDE_NONE, "221", {BLANK}},
        {167, "社会保障和就业支出", NULL, 0, PB_SIDE_EXPENDITURE, "208", {82930000}},
    };
    build(&tables[0], "expenditure", measures, 2, expenditure, sizeof expenditure / sizeof *expenditure, 2, WAN);
    build(&tables[1], "summary", measures, 1, summary, sizeof summary / sizeof *summary, 1, WAN);
    pb_audit_table t[2] = {tables[0].t, tables[1].t};
    static const pb_audit_text c208[] = {{"208", 3}}, c20805[] = {{"20805", 5}}, c210[] = {{"210", 3}},
                               c21015[] = {{"21015", 5}}, c221[] = {{"221", 3}}, c2[] = {{"2", 1}};
    pb_figure_way w[2];
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "total", c208, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 1, 82930000, "208's first row, not the total's");
    w[0].measure = text("basic");
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 1, 82930000, "of the measure asked for");
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "total", c20805, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 2, 82930000, "a 款's row");
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "total", c210, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 8, 60350000,
                  "no 210 row: its leaves, each code once, a dash 0");
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "project", c210, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 8, 0, "a measure no column holds: 0");
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "total", c21015, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 8, 60350000, "no 21015 row: its leaves");
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "total", c221, 1);
    w[1] = way(PB_WAY_CLASS_ROW, "summary", PB_SIDE_ANY, 0, "total", c221, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_NONE, 0, 0, 0, "221 not printed in 支出总表");
    expect_figure(pb_figure_find(t, 2, w, 2), PB_FIGURE_CELL, 1, 5, 0,
                  "then the 收支总表's class row: the first, not a total, though none prints figures");
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "total", c2, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 3, 143280700,
                  "a prefix no row prints: every leaf under it, as code_figure adds them");
    /* without 208's rows the leaves under it: 2080502, 2080505 (once) and 208０8 (20805 is their parent) */
    trow leaves[] = {
        {225, "行政事业单位养老支出", "20805", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000, 82930000}},
        {226, "事业单位离退休", "2080502", PB_ROW_FUNCTION_CODE, 0, NULL, {10880000, 10880000}},
        {227, "机关事业单位基本养老保险缴费支出", "2080505", PB_ROW_FUNCTION_CODE, 0, NULL, {72050000, 72050000}},
        {228, "机关事业单位基本养老保险缴费支出", "2080505", PB_ROW_FUNCTION_CODE, 0, NULL, {3, 3}},
        {229, "不是代码", "208x", 0, 0, NULL, {5, 5}},
        {230, "合计", "2080599", PB_ROW_TOTAL | PB_ROW_FUNCTION_CODE, 0, NULL, {11, 11}},
        {231, "退役安置", "208\xef\xbc\x90" "8", PB_ROW_FUNCTION_CODE, 0, NULL, {700, BLANK}},
    };
    build(&tables[0], "expenditure", measures, 2, leaves, sizeof leaves / sizeof *leaves, 2, WAN);
    t[0] = tables[0].t;
    w[0] = way(PB_WAY_CODE, "expenditure", PB_SIDE_ANY, 0, "total", c208, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 0, 1, 82930700, "208 as the sum of its leaves");
    /* a 项-only template whose leaves overflow 64 bits: Python adds them up */
    leaves[1].cells[0] = INT64_MAX;
    build(&tables[0], "expenditure", measures, 2, leaves, sizeof leaves / sizeof *leaves, 2, WAN);
    t[0] = tables[0].t;
    expect_figure(pb_figure_find(t, 2, w, 2), PB_FIGURE_PYTHON, 0, 0, 0, "a sum past 64 bits: Python's");
    /* a table printing nothing: the code's blank 0, not the empty table's */
    static const trow blank[] = {{300, "社会保障和就业支出", "208", PB_ROW_FUNCTION_CODE, 0, NULL, {BLANK, BLANK}}};
    build(&tables[0], "expenditure", measures, 2, blank, 1, 2, WAN);
    t[0] = tables[0].t;
    expect_figure(pb_figure_find(t, 2, w, 2), PB_FIGURE_CELL, 0, 0, 0, "a table printing nothing: its row's 0");

    /* class rows: the expenditure side or none, not a total; a later row only when the first prints nothing */
    w[0] = way(PB_WAY_CLASS_ROW, "summary", PB_SIDE_ANY, 0, "total", c208, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 1, 7, 82930000, "208 on the expenditure side");
    w[0].names = c210;
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 1, 2, 613290000,
                  "210's first name prints nothing: the first later one that does (Henan)");
    w[0].names = c20805;
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_NONE, 0, 0, 0, "not a class code");
    w[0].names = c208;
    w[0].kind = text("fiscal_summary");
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_NONE, 0, 0, 0, "no 财政拨款收支总表");
    w[0] = way(PB_WAY_CLASS_ROW, "summary", PB_SIDE_ANY, 0, "total", c208, 0);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_NONE, 0, 0, 0, "a class way without its code");
    CHECK(pb_audit_class_row(&tables[1].t, text("2100")) == -1, "a code longer than a class's");

    /* the class rows worked out once, as the glue hands them over: every lookup answers as the scan does */
    uint32_t classes[64], again[64];
    pb_audit_table once = tables[1].t;
    once.n_class_rows = pb_audit_class_rows(&once, classes);
    once.class_rows = classes;
    static const char *const codes[] = {"208", "210", "201", "20805", "2100", "21", ""};
    for (size_t k = 0; k < sizeof codes / sizeof *codes; k++)
        CHECK(pb_audit_class_row(&once, text(codes[k])) == pb_audit_class_row(&tables[1].t, text(codes[k])),
              "a class row looked up in the class rows worked out once");
    CHECK(pb_audit_class_rows(&once, again) == once.n_class_rows &&
              memcmp(again, classes, once.n_class_rows * sizeof *classes) == 0,
          "the class rows worked out once, given back");
    t[1] = once;
    w[0] = way(PB_WAY_CLASS_ROW, "summary", PB_SIDE_ANY, 0, "total", c210, 1);
    expect_figure(pb_figure_find(t, 2, w, 1), PB_FIGURE_CELL, 1, 2, 613290000,
                  "210 from the class rows worked out once");
}

/* A project list's total as 机关运行经费 and 项目支出 are looked up: its 合计 row, else its units' rows added
 * up, else its projects'; a table printing nothing gives its 0. */
static void test_project_totals(void) {
    static ttable tables[1];
    static const char *const measures[] = {"total", "basic"};
    trow rows[] = {
        {413, "项目合计", NULL, PB_ROW_TOTAL_NAME, 0, NULL, {68080000, 1}},
        {414, "朔城区医疗保障局", NULL, PB_ROW_ORG, 0, NULL, {68080000, 2}},
        {415, "医保经费", NULL, 0, 0, NULL, {10040000, 4}},
        {416, "没有金额", NULL, 0, 0, NULL, {BLANK, BLANK}},
        {417, "业务经费", NULL, 0, 0, NULL, {58150000, DASH}},
        {418, "第二个单位", NULL, PB_ROW_ORG, 0, NULL, {7, 8}},
    };
    pb_figure_way w = way(PB_WAY_PROJECT_TOTAL, "projects", PB_SIDE_ANY, 0, "total", NULL, 0);
    build(&tables[0], "projects", measures, 2, rows, 6, 2, WAN);
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_CELL, 0, 0, 68080000, "the 合计 row");
    build(&tables[0], "projects", measures, 2, rows + 1, 5, 2, WAN);
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_CELL, 0, 0, 68080007, "no 合计: its units");
    w.measure = text("basic");
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_CELL, 0, 0, 10, "in the measure asked for");
    w.measure = text("total");
    build(&tables[0], "projects", measures, 2, rows + 2, 3, 2, WAN);
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_CELL, 0, 0, 68190000, "no units: its projects");
    rows[0].flags = PB_ROW_ORG; /* a department row right above a unit row is the total */
    build(&tables[0], "projects", measures, 2, rows, 6, 2, WAN);
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_CELL, 0, 0, 68080000, "the department row");
    rows[0].flags = 0;
    rows[1].cells[0] = INT64_MAX; /* the units past 64 bits: Python adds them up */
    build(&tables[0], "projects", measures, 2, rows + 1, 5, 2, WAN);
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_PYTHON, 0, 0, 0, "a sum past 64 bits");
    /* 机关运行经费表: every row is a unit's */
    build(&tables[0], "operating_costs", measures, 2, rows + 2, 4, 2, WAN);
    w.kind = text("operating_costs");
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_CELL, 0, 0, 10040000,
                  "every row a unit's: the first, above another, the department's");
    build(&tables[0], "operating_costs", measures, 2, rows + 4, 1, 2, WAN);
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_CELL, 0, 0, 58150000, "one unit's row");
    build(&tables[0], "operating_costs", measures, 2, rows + 3, 1, 2, WAN);
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_EMPTY_TABLE, 0, 0, 0, "a table printing nothing");
    w.kind = text("projects");
    expect_figure(pb_figure_find(&tables[0].t, 1, &w, 1), PB_FIGURE_NONE, 0, 0, 0, "no project table");
}

/* ------------------------------------------------------------ code blocks */

/* Seed 000's codes in 支出总表 and 收入总表 (total in 分): which blocks of cross.function_code differ. */
static void test_code_blocks(void) {
    static ttable tables[3];
    static const char *const measures[] = {"total"};
    trow expenditure[] = {
        {223, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {761350000}},
        {224, "社会保障和就业支出", "208", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000}},
        {225, "行政事业单位养老支出", "20805", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000}},
        {226, "机关事业单位基本养老保险缴费支出", "2080505", PB_ROW_FUNCTION_CODE, 0, NULL, {54510000}},
        {227, "机关事业单位职业年金缴费支出", "2080506", PB_ROW_FUNCTION_CODE, 0, NULL, {28420000}},
    };
    trow income[] = {
        {200, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {761350000}},
        {201, "社会保障和就业支出", "208", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000}},
        {202, "行政事业单位养老支出", "20805", PB_ROW_FUNCTION_CODE, 0, NULL, {82930000}},
        {203, "机关事业单位基本养老保险缴费支出", "2080505", PB_ROW_FUNCTION_CODE, 0, NULL, {54510000}},
    };
    trow summary[] = {
        {160, "社会保障和就业支出", NULL, 0, PB_SIDE_EXPENDITURE, "208", {82930000}},
    };
    build(&tables[0], "expenditure", measures, 1, expenditure, 5, 1, WAN);
    build(&tables[1], "income", measures, 1, income, 4, 1, WAN);
    build(&tables[2], "summary", measures, 1, summary, 1, 1, WAN);
    pb_audit_table t[3] = {tables[0].t, tables[1].t, tables[2].t};
    uint8_t b[PB_CROSS_BLOCKS];
    pb_cross_function_codes(t, 3, b);
    CHECK(!b[0] && !b[1] && !b[2] && !b[3] && !b[4], "seed 000's codes agree: %d%d%d%d%d", b[0], b[1], b[2], b[3], b[4]);
    income[3].cells[0] = 54510000 + WAN; /* 2080505 in 收入总表 0.01万元 over: a rounding (尾差) */
    build(&tables[1], "income", measures, 1, income, 4, 1, WAN);
    t[1] = tables[1].t;
    pb_cross_function_codes(t, 3, b);
    CHECK(!b[0], "one unit of the last digit apart: within the rule's rounding, nothing to judge");
    income[3].cells[0] = 54510000 + WAN + 1; /* one 分 past it */
    build(&tables[1], "income", measures, 1, income, 4, 1, WAN);
    t[1] = tables[1].t;
    pb_cross_function_codes(t, 3, b);
    CHECK(b[0] && !b[3], "one code of 收入总表 differs: block %d%d%d%d%d", b[0], b[1], b[2], b[3], b[4]);
    income[3].cells[0] = 54510001; /* one 分 over, with tolerance units 0: every table's step is 0 */
    build(&tables[0], "expenditure", measures, 1, expenditure, 5, 1, 0);
    build(&tables[1], "income", measures, 1, income, 4, 1, 0);
    t[0] = tables[0].t;
    t[1] = tables[1].t;
    pb_cross_function_codes(t, 3, b);
    CHECK(b[0], "with no rounding allowed one 分 differs");
    build(&tables[1], "income", measures, 1, income, 4, 1, WAN);
    t[1] = tables[1].t;
    /* without its class row, 208 in 支出总表 is the sum of its leaves 2080505 + 2080506 (20805 is their parent) */
    build(&tables[0], "expenditure", measures, 1, expenditure + 2, 3, 1, WAN);
    t[0] = tables[0].t;
    pb_cross_function_codes(t, 3, b);
    CHECK(!b[3], "208 as the sum of its leaves agrees with the 收支总表");
    summary[0].cells[0] = 82940000;
    build(&tables[2], "summary", measures, 1, summary, 1, 1, WAN);
    t[2] = tables[2].t;
    pb_cross_function_codes(t, 3, b);
    CHECK(!b[3], "a 收支总表 class 0.01万元 over its leaves: a rounding");
    summary[0].cells[0] = 82950000;
    build(&tables[2], "summary", measures, 1, summary, 1, 1, WAN);
    t[2] = tables[2].t;
    pb_cross_function_codes(t, 3, b);
    CHECK(b[3] && !b[4], "a 收支总表 class 0.02万元 over its leaves differs");
    tables[2].t.kind = text("fiscal_summary");
    t[2] = tables[2].t;
    pb_cross_function_codes(t, 3, b);
    CHECK(!b[3] && b[4], "the same class in a 财政拨款收支总表");
    /* the 一般公共预算支出表 against the 支出总表: only where the income table is by unit (Henan) */
    static ttable general_table;
    trow general[] = {{300, "社会保障和就业支出", "208", PB_ROW_FUNCTION_CODE, 0, NULL, {82950000}}};
    build(&tables[0], "expenditure", measures, 1, expenditure, 5, 1, WAN);
    build(&general_table, "general_expenditure", measures, 1, general, 1, 1, WAN);
    pb_audit_table g[3] = {tables[0].t, tables[1].t, general_table.t};
    pb_cross_function_codes(g, 3, b);
    CHECK(!b[2], "208 differs from the 支出总表, but the income table is by code: not compared");
    trow by_unit[] = {
        {200, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {761350000}},
        {201, "某某县医疗保障局", NULL, 0, 0, NULL, {761350000}},
    };
    build(&tables[1], "income", measures, 1, by_unit, 2, 1, WAN);
    g[1] = tables[1].t;
    pb_cross_function_codes(g, 3, b);
    CHECK(b[2], "the income table by unit: 208 of the 一般公共预算支出表 differs from the 支出总表's");
    general[0].cells[0] = 82930000;
    build(&general_table, "general_expenditure", measures, 1, general, 1, 1, WAN);
    g[2] = general_table.t;
    pb_cross_function_codes(g, 3, b);
    CHECK(!b[2], "and agrees once equal");
}

/* ---------------------------------------------------------------- names */

static size_t key_of(const char *name, uint32_t *out) {
    char norm[256];
    return pb_match_key(norm, pb_norm_name(name, strlen(name), norm), out);
}

/* Seed 000's 绩效目标表 names against its 项目支出表 (amounts in 分). */
static void test_match(void) {
    static uint32_t keys[8][64];
    const char *left_names[] = {"2026年遗属补助", "城乡居民医疗保险县级配套", "离休干部医疗费"};
    const char *right_names[] = {"离休干部医疗费", "2026年医疗保障局遗属补助", "（一）城乡居民医疗保险县级配套", "办公费"};
    int64_t left_fen[] = {1200000, 15000000, 300000}, right_fen[] = {300000, 1200000, 15000000, 50000};
    pb_match_name left[3], right[4];
    for (size_t i = 0; i < 3; i++) left[i] = (pb_match_name){keys[i], key_of(left_names[i], keys[i]), left_fen[i]};
    for (size_t j = 0; j < 4; j++)
        right[j] = (pb_match_name){keys[3 + j], key_of(right_names[j], keys[3 + j]), right_fen[j]};
    CHECK(right[2].len == left[1].len, "the numbering and full-width brackets are not the key's: %zu", right[2].len);
    pb_match_result r;
    pb_match_result_init(&r, NULL);
    CHECK(pb_match_names(left, 3, right, 4, 0, &r) == PB_MATCH_OK && r.n_pairs == 3, "three pairs: %zu", r.n_pairs);
    if (r.n_pairs == 3) {
        /* the same keys first, the last left name first; then the alike one (Dice 2·7/(8+13) = 2/3) */
        CHECK(r.pairs[0].left == 2 && r.pairs[0].right == 0 && r.pairs[0].similarity == 1.0, "离休干部医疗费 first");
        CHECK(r.pairs[1].left == 1 && r.pairs[1].right == 2 && r.pairs[1].similarity == 1.0, "the 县级配套 next");
        CHECK(r.pairs[2].left == 0 && r.pairs[2].right == 1 && r.pairs[2].similarity == 14.0 / 21.0,
              "遗属补助 by its pairs: %.17g", r.pairs[2].similarity);
    }
    pb_match_result_free(&r);
    left[2].fen = 300101; /* one 元 and a 分 apart: the same keys are no longer taken at once */
    CHECK(pb_match_names(left, 3, right, 4, 100, &r) == PB_MATCH_OK && r.n_pairs == 3 && r.pairs[0].left == 1,
          "amounts apart: the equal one first");
    pb_match_result_free(&r);
    CHECK(pb_match_names(left, 3, right, 4, 101, &r) == PB_MATCH_OK && r.pairs[0].left == 2, "within 101 分 again");
    pb_match_result_free(&r);
    CHECK(pb_match_names(left, 0, right, 4, 0, &r) == PB_MATCH_OK && r.n_pairs == 0, "no names: no pairs");
    pb_match_result_free(&r);
    /* a failure at every allocation is reported, and nothing is left */
    for (size_t fail = 1; fail <= 8; fail++) {
        tl_alloc counts;
        pb_allocator al = tl_failing_allocator(&counts, fail);
        pb_match_result c;
        pb_match_result_init(&c, &al);
        pb_match_status st = pb_match_names(left, 3, right, 4, 0, &c);
        CHECK(st == (counts.failed ? PB_MATCH_NO_MEMORY : PB_MATCH_OK) && (st != PB_MATCH_OK || c.n_pairs == 3),
              "allocation %zu failing: status %d", fail, st);
        pb_match_result_free(&c);
        CHECK(counts.live_blocks == 0, "allocation %zu failing: %ld blocks left", fail, counts.live_blocks);
    }
}

/* Seed 000's “三公”经费表 (lines 397-402, a row per item) and seed 004's (line 427, one row, a
 * column per item): their items add up; a rounding of several items passes, of one item does not. */
static void test_three_public(void) {
    static ttable vertical, horizontal;
    static const char *const by_source[] = {"total", "general_budget", "gov_fund", "state_capital"};
    trow rows[] = {
        {397, "因公出国(境)费", NULL, 0, 0, NULL, {BLANK, BLANK, BLANK, BLANK}},
        {398, "公务接待费", NULL, 0, 0, NULL, {BLANK, BLANK, BLANK, BLANK}},
        {399, "公务用车购置及运行费", NULL, 0, 0, NULL, {1500000, 1500000, BLANK, BLANK}},
        {400, "公务用车购置费", NULL, 0, 0, NULL, {BLANK, BLANK, BLANK, BLANK}},
        {401, "公务用车运行维护费", NULL, 0, 0, NULL, {1500000, 1500000, BLANK, BLANK}},
        {402, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {1500000, 1500000, BLANK, BLANK}},
    };
    build(&vertical, "three_public", by_source, 4, rows, 6, 4, WAN);
    CHECK(!pb_audit_three_public(&vertical.t), "seed 000's items add up");
    rows[4].cells[1] += WAN; /* 运行维护费 0.01万元 over in one column: the one item restated */
    build(&vertical, "three_public", by_source, 4, rows, 6, 4, WAN);
    CHECK(pb_audit_three_public(&vertical.t), "one item restated must match exactly");
    rows[4].cells[1] -= WAN;
    rows[0].cells[0] = 500000; /* 因公出国(境)费 5万元, and 合计 0.01万元 over their sum: a rounding of two items */
    rows[5].cells[0] = 2000000 + WAN;
    rows[5].name = "三公经费合计";
    rows[5].flags = 0; /* found by its name, not its role */
    build(&vertical, "three_public", by_source, 4, rows, 6, 4, WAN);
    CHECK(!pb_audit_three_public(&vertical.t), "two items may differ from their total by two steps");
    rows[5].cells[0] += 2 * WAN;
    build(&vertical, "three_public", by_source, 4, rows, 6, 4, WAN);
    CHECK(pb_audit_three_public(&vertical.t), "three steps past two items' sum");
    build(&vertical, "three_public", by_source, 4, rows, 6, 0, WAN);
    CHECK(!pb_audit_three_public(&vertical.t), "a table printing no amount compares nothing");

    static const char *const by_item[] = {"total", "abroad", "vehicles", "vehicle_purchase", "vehicle_operation",
                                          "reception"};
    trow row[] = {{427, "", NULL, PB_ROW_BLANK_NAME, 0, NULL, {1800000, BLANK, 1500000, BLANK, 1500000, 300000}}};
    build(&horizontal, "three_public", by_item, 6, row, 1, 6, WAN);
    CHECK(!pb_audit_three_public(&horizontal.t), "seed 004's columns add up");
    row[0].cells[5] += 1; /* 公务接待费 one 分 over */
    build(&horizontal, "three_public", by_item, 6, row, 1, 6, WAN);
    CHECK(pb_audit_three_public(&horizontal.t), "a column one 分 past the sum of its items");
    row[0].cells[5] -= 1;
    row[0].cells[4] -= WAN; /* 运行维护费 0.01万元 short of 公务用车购置及运行费: exact columns, no rounding */
    build(&horizontal, "three_public", by_item, 6, row, 1, 6, WAN);
    CHECK(pb_audit_three_public(&horizontal.t), "the vehicles' column against its two items");
}

/* Seed 000's 项目支出表 (lines 413-416) and two forms of its targets: a form within half a unit of the
 * table's last digit (0.005万元) of its project passes, one 分 more does not; a 人员类项目 form paired
 * with no project against the 基本支出 table's 人员经费; a 绩效目标汇总表's project against the table's. */
static void test_targets(void) {
    static ttable tables[3];
    static const char *const project_measures[] = {"total"};
    static const char *const basic_measures[] = {"total", "personnel", "public"};
    trow projects[] = {
        {413, "项目合计", NULL, PB_ROW_TOTAL_NAME, 0, NULL, {68080000}},
        {415, "医保经费", NULL, 0, 0, NULL, {10040000}},
        {416, "2025年遗属补助", NULL, 0, 0, NULL, {58040000}},
    };
    trow basic[] = {{318, "合计", NULL, PB_ROW_TOTAL, 0, NULL, {693270000, 612630000, 80640000}}};
    trow summary[] = {{440, "遗属补助", NULL, 0, 0, NULL, {58040000}}};
    build(&tables[0], "projects", project_measures, 1, projects, 3, 1, WAN);
    build(&tables[1], "basic_economic", basic_measures, 3, basic, 1, 3, WAN);
    build(&tables[2], "performance_summary", project_measures, 1, summary, 1, 1, WAN);
    pb_audit_table t[3] = {tables[0].t, tables[1].t, tables[2].t};
    const uint64_t half[] = {WAN / 2, WAN / 2, WAN / 2};
    pb_target_form forms[] = {{text("2025年医疗保障局遗属补助"), 58040000 + WAN / 2},
                              {text("医保经费"), 10040000},
                              {text("人员类项目"), 612630000 - WAN / 2}};
    CHECK(pb_targets_differ(t, 3, half, forms, 3, NULL) == 0, "seed 000's targets restate its tables");
    forms[0].fen += 1;
    CHECK(pb_targets_differ(t, 3, half, forms, 3, NULL) == 1, "one 分 past half a unit of the table's digit");
    forms[0].fen -= 1;
    forms[2].fen -= 1;
    CHECK(pb_targets_differ(t, 3, half, forms, 3, NULL) == 1, "人员类项目 one 分 past half a unit from 人员经费");
    forms[2].name = text("公用经费项目");
    forms[2].fen = 80640000;
    CHECK(pb_targets_differ(t, 3, half, forms, 3, NULL) == 0, "公用经费项目 restates 公用经费");
    CHECK(pb_targets_differ(t, 2, half, forms, 3, NULL) == 0, "no 绩效目标汇总表: its projects compare nothing");
    t[2].fen = tables[2].fen; /* the summary's project one 分 off: its amounts must be equal */
    tables[2].fen[0] += 1;
    CHECK(pb_targets_differ(t, 3, half, forms, 3, NULL) == 1, "a 绩效目标汇总表 project one 分 off the table's");
    CHECK(pb_targets_differ(t, 2, half, forms, 0, NULL) == 0, "no forms, no 绩效目标汇总表: nothing to compare");
    CHECK(pb_targets_differ(t + 1, 2, half, forms, 3, NULL) == 0, "no 项目支出表: nothing to compare with");
    forms[0].fen = INT64_MIN;
    CHECK(pb_targets_differ(t, 2, half, forms, 3, NULL) == 1, "amounts as far apart as 64 bits go");
    /* each allocation of a run through every pairing failing in turn: -1, and every block freed */
    forms[0].fen = 58040000;
    tl_alloc counted;
    memset(&counted, 0, sizeof counted);
    pb_allocator al = tl_allocator(&counted);
    CHECK(pb_targets_differ(t, 3, half, forms, 3, &al) == 1 && counted.calls >= 4 && counted.live_blocks == 0,
          "a counted run: %zu allocations, %ld blocks left", counted.calls, counted.live_blocks);
    size_t bad = 0;
    for (size_t fail_at = 1; fail_at <= counted.calls; fail_at++) {
        tl_alloc a;
        pb_allocator failing = tl_failing_allocator(&a, fail_at);
        bad += pb_targets_differ(t, 3, half, forms, 3, &failing) != -1;
        CHECK(a.live_blocks == 0, "allocation %zu failing: %ld blocks leaked", fail_at, a.live_blocks);
    }
    CHECK(bad == 0, "%zu of %zu failed allocations not reported", bad, counted.calls);
}

/* A UTF-8 literal's code points, into buf (a str's, as the glue hands them over). */
static pb_toc_text points(const char *utf8, uint32_t *buf) {
    size_t n = 0, len;
    for (size_t i = 0, m = strlen(utf8); i < m; i += len) buf[n++] = pb_unicode_char((const unsigned char *)utf8 + i, m - i, &len);
    return (pb_toc_text){buf, n};
}

static int key_is(const char *text, const char *want) {
    uint32_t in[64], out[64], expect[64];
    pb_toc_text w = points(want, expect);
    size_t n = pb_toc_key(points(text, in), out);
    return n == w.n && memcmp(out, expect, n * sizeof *out) == 0;
}

/* Seed 000's contents entries and titles, and entries that name no table or a part of the document. */
static void test_toc(void) {
    static uint32_t buf[8][64];
    const char *entry_texts[] = {"表一2025年预算收支总表", "表二2025年预算收入总表", "第二部分2025年部门预算报表",
                                 "表三2025年住房公积金预算表", "附件：表一收支总表", "表(一)"};
    const char *title_texts[] = {"2025年预算收支总表", "2025年预算收入总表", "2025年预算支出总表"};
    pb_toc_text entries[6], titles[3];
    for (size_t i = 0; i < 6; i++) entries[i] = points(entry_texts[i], buf[i]);
    uint32_t title_buf[3][64];
    for (size_t i = 0; i < 3; i++) titles[i] = points(title_texts[i], title_buf[i]);
    CHECK(pb_toc_names_a_table(entries[0]) && pb_toc_names_a_table(entries[3]) && pb_toc_names_a_table(entries[5]),
          "entries ending with 表, or 表 and a bracket");
    CHECK(!pb_toc_names_a_table(entries[2]) && !pb_toc_names_a_table(entries[4]), "a part, an annex: no one table");
    CHECK(key_is("表一2025年预算收支总表", "年预算收支总表"), "表 and its number (digits too), then blanks and marks");
    CHECK(key_is("一、部门收支总体情况表", "部门收支总体情况表"), "a numeral and 、");
    CHECK(key_is("表十二—1 2025年“三公”经费支出预算表", "三公经费支出预算表"), "a number with a dash, a year, quotes");
    CHECK(key_is("- 2026年度 项目 支出表（本年）", "项目支出表本年"), "a dash and blanks, a year with 度, brackets");
    CHECK(key_is("表(一)", ""), "what the first pass leaves, the second takes");
    uint32_t out[6];
    size_t n = pb_toc_unmatched(entries, 6, titles, 3, out, NULL);
    CHECK(n == 2 && out[0] == 3 && out[1] == 5, "住房公积金 and 表(一) match no title: %zu left", n);
    CHECK(pb_toc_unmatched(entries, 6, titles, 0, out, NULL) == 0, "no titles: nothing to match with");
    /* each allocation failing in turn: SIZE_MAX, and every block freed */
    tl_alloc counted;
    memset(&counted, 0, sizeof counted);
    pb_allocator al = tl_allocator(&counted);
    CHECK(pb_toc_unmatched(entries, 6, titles, 3, out, &al) == 2 && counted.calls >= 5 && counted.live_blocks == 0,
          "a counted run: %zu allocations, %ld blocks left", counted.calls, counted.live_blocks);
    size_t bad = 0;
    for (size_t fail_at = 1; fail_at <= counted.calls; fail_at++) {
        tl_alloc a;
        pb_allocator failing = tl_failing_allocator(&a, fail_at);
        bad += pb_toc_unmatched(entries, 6, titles, 3, out, &failing) != SIZE_MAX;
        CHECK(a.live_blocks == 0, "allocation %zu failing: %ld blocks leaked", fail_at, a.live_blocks);
    }
    CHECK(bad == 0, "%zu of %zu failed allocations not reported", bad, counted.calls);
}

int main(void) {
    test_codes();
    test_units();
    test_economic();
    test_balance();
    test_blank_head();
    test_projects();
    test_limits();
    test_alloc_failures_audit();
    test_figures();
    test_class_figures();
    test_code_index();
    test_project_totals();
    test_code_blocks();
    test_match();
    test_three_public();
    test_targets();
    test_toc();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
