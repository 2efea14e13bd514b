/* The words of budget tables: which title means which table, and which header
 * text means which measure. Everything is matched on text with spaces removed,
 * so OCR-split words ('上年结转安 排') still match. */
#include "pb_internal.h"

#include <string.h>

#define HAS(w) pb_contains(s, n, w)

const char *pb_table_kind_from_title(const char *s, size_t n) {
    if (HAS("绩效")) {
        if (HAS("整体")) return "performance_overall";
        if (HAS("汇总")) return "performance_summary";
        if (HAS("目标") || HAS("申报")) return "performance";
        return NULL;
    }
    if (HAS("三公")) return "three_public";
    if (HAS("机关运行")) return "operating_costs";
    if (HAS("政府采购")) return "procurement";
    if (HAS("国有资本经营")) return "state_capital";
    if (HAS("政府性基金")) return HAS("收入") ? "gov_fund_income" : "gov_fund_expenditure";
    if (HAS("经济分类汇总")) return "economic_summary";
    if (HAS("基本支出")) return "basic_economic";
    if (HAS("项目支出")) return HAS("上年结转") && !HAS("不含上年结转") ? "projects_carryover" : "projects";
    int both = HAS("收支") || HAS("收入支出"); /* 决算 titles say 收入支出 */
    if (HAS("财政拨款") && both) return "fiscal_summary";
    if (both && (HAS("总表") || HAS("总体") || HAS("总"))) return "summary";
    if (HAS("一般公共预算") && HAS("支出")) return "general_expenditure";
    if (HAS("财政拨款") && HAS("支出")) return "general_expenditure";
    if (HAS("收入")) return "income";
    if (HAS("支出")) return "expenditure";
    return NULL;
}

/* Funding sources, most specific words first. */
static const struct {
    const char *word;
    const char *measure;
} sources[] = {
    {"其中:财政拨款", "fiscal_appropriation"},
    {"财政拨款", "fiscal_appropriation"},
    {"一般公共预算", "general_budget"},
    {"政府性基金", "gov_fund"},
    {"国有资本经营", "state_capital"},
    {"财政专户", "special_account"},
    {"单位资金", "unit_funds"},
    {"事业单位经营", "operating_income"},
    {"事业收入", "business_income"},
    {"上级补助", "superior_subsidy"},
    {"附属单位", "affiliated_remit"},
    {"用事业基金", "reserve_fund"},
    {"其他收入", "other_income"},
    {"社会保险基金", "social_insurance_fund"},
    {NULL, NULL},
};

static const char *source_measure(const char *s, size_t n) {
    for (int k = 0; sources[k].word; k++)
        if (HAS(sources[k].word)) return sources[k].measure;
    return NULL;
}

/* Measures that a word decides on its own, whatever the group. */
static const char *leaf_measure(const char *s, size_t n) {
    if (HAS("三公")) return "total";
    if (HAS("因公出国")) return "abroad";
    if (HAS("公务用车购置及运行")) return "vehicles";
    if (HAS("公务用车购置")) return "vehicle_purchase";
    if (HAS("公务用车运行")) return "vehicle_operation";
    if (HAS("公务接待")) return "reception";
    if (HAS("基本支出")) return "basic";
    if (HAS("项目支出")) return "project";
    if (HAS("人员经费") || HAS("人员支出")) return "personnel";
    if (HAS("公用经费") || HAS("公用支出")) return "public";
    if (HAS("工资福利")) return "wages";
    if (HAS("对个人和家庭")) return "household_subsidy";
    if (HAS("商品和服务")) return "goods_services";
    if (HAS("资本性")) return "capital";
    if (HAS("其他运转类")) return "project_operating";
    if (HAS("特定目标类")) return "project_specific";
    if (HAS("当年预算") || HAS("当年拨款") || HAS("本年支出") || HAS("当年支出")) return "current";
    if (HAS("上年结转") || HAS("年终结转")) return "carryover";
    if (HAS("资金总额")) return "total";
    if (HAS("政府预算资金")) return "gov_budget_funds";
    return NULL;
}

static int is_total_word(const char *s, size_t n) {
    return n == 0 || HAS("合计") || HAS("小计") || HAS("总计") || HAS("金额") || HAS("预算数") ||
           HAS("决算数") || (pb_find_year(s, n) && n <= 16) || (n <= 12 && (HAS("本年预算") || HAS("本年决算")));
}

/* measure = a b c, cut to cap - 1 bytes: the words are constants, so no
 * format string to interpret (a header row classifies dozens of columns). */
static void join_measure(char *measure, size_t cap, const char *a, const char *b, const char *c) {
    size_t k = 0;
    const char *parts[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        for (const char *q = parts[i]; *q && k + 1 < cap; q++) measure[k++] = *q;
    measure[k] = '\0';
}

pb_role pb_classify_column(const char *leaf, size_t leaf_n, const char *near, size_t near_n,
                           const char *group, size_t group_n, char *measure, size_t cap) {
    const char *s = leaf;
    size_t n = leaf_n;
    measure[0] = '\0';
    /* Codes. */
    if (n == 3 && pb_contains(group, group_n, "政府预算") &&
        (memcmp(s, "类", 3) == 0 || memcmp(s, "款", 3) == 0 || memcmp(s, "项", 3) == 0)) {
        join_measure(measure, cap, "gov_code_", memcmp(s, "类", 3) == 0 ? "class" : memcmp(s, "款", 3) == 0 ? "section" : "item", "");
        return PB_COL_TEXT;
    }
    if (n == 3 && memcmp(s, "类", 3) == 0) return PB_COL_CODE_CLASS;
    if (n == 3 && memcmp(s, "款", 3) == 0) return PB_COL_CODE_SECTION;
    if (n == 3 && memcmp(s, "项", 3) == 0) return PB_COL_CODE_ITEM;
    int group_code = pb_contains(group, group_n, "科目编码") && n == 0;
    if (HAS("单位代码") || HAS("单位编码") || HAS("单位)代码") || HAS("单位)编码")) {
        if (HAS("项目编码")) return PB_COL_CODE;
        join_measure(measure, cap, "unit_code", "", "");
        return PB_COL_TEXT;
    }
    if (HAS("编码") || HAS("代码") || group_code) {
        if (pb_contains(group, group_n, "政府预算")) {
            join_measure(measure, cap, "gov_code", "", "");
            return PB_COL_TEXT;
        }
        return PB_COL_CODE;
    }
    /* Names. */
    if (HAS("项目名称") && !HAS("编码")) return PB_COL_NAME;
    if (HAS("政府预算支出经济") || (pb_contains(group, group_n, "政府预算") && HAS("名称"))) {
        join_measure(measure, cap, "gov_name", "", "");
        return PB_COL_TEXT;
    }
    if (HAS("项目单位") || HAS("实施单位")) {
        join_measure(measure, cap, "project_unit", "", "");
        return PB_COL_TEXT;
    }
    if (n == 6 && memcmp(s, "类型", 6) == 0) {
        join_measure(measure, cap, "project_type", "", "");
        return PB_COL_TEXT;
    }
    if (HAS("三级指标") || HAS("指标值")) {
        const char *g = "indicator";
        if (pb_contains(group, group_n, "成本")) g = "cost";
        else if (pb_contains(group, group_n, "产出")) g = "output";
        else if (pb_contains(group, group_n, "效益")) g = "effect";
        else if (pb_contains(group, group_n, "满意")) g = "satisfaction";
        join_measure(measure, cap, g, "_", HAS("指标值") ? "value" : "name");
        return PB_COL_TEXT;
    }
    if (HAS("名称") || (n <= 6 && HAS("项目")) || HAS("科目") || HAS("单位(科目") ||
        (pb_ends(s, n, "项目") && n <= 9))
        return PB_COL_NAME;
    /* Amounts. */
    const char *m = leaf_measure(s, n);
    const char *src = source_measure(s, n);
    int scope_carry = pb_contains(group, group_n, "上年结转") || pb_contains(group, group_n, "结转结余");
    int grand = HAS("合计") || HAS("总计");
    if (!m && !src && grand && !pb_contains(group, group_n, "本年收入") && !pb_contains(group, group_n, "本年拨款") &&
        !pb_contains(group, group_n, "上年结转") && !pb_contains(group, group_n, "结转结余") &&
        !(source_measure(near, near_n) && !leaf_measure(near, near_n))) {
        join_measure(measure, cap, "total", "", ""); /* 合计 under '本年一般公共预算基本支出' is the table's total */
        return PB_COL_AMOUNT;
    }
    if (!m && !src && is_total_word(s, n)) {
        /* 小计 (and 合计 under a scope or a source) take their meaning from the nearest group. */
        const char *gm = leaf_measure(near, near_n);
        const char *gs = source_measure(near, near_n);
        if (gs && !gm) {
            if (scope_carry && strcmp(gs, "fiscal_appropriation") != 0)
                join_measure(measure, cap, "carryover_", gs, "");
            else
                join_measure(measure, cap, gs, "", "");
        } else if (gm) {
            join_measure(measure, cap, gm, "", "");
        } else if (pb_contains(group, group_n, "本年收入") || pb_contains(group, group_n, "本年拨款")) {
            join_measure(measure, cap, "current", "", "");
        } else if (n == 0 && group_n == 0) {
            return PB_COL_NONE;
        } else {
            join_measure(measure, cap, "total", "", "");
        }
        return PB_COL_AMOUNT;
    }
    if (src && !m) {
        if (scope_carry) join_measure(measure, cap, "carryover_", src, "");
        else join_measure(measure, cap, src, "", "");
        return PB_COL_AMOUNT;
    }
    if (m) {
        join_measure(measure, cap, m, "", "");
        return PB_COL_AMOUNT;
    }
    return PB_COL_NONE;
}

/* Whether a squeezed header row names the current-year income group. */
int pb_header_mentions_current(const char *s, size_t n) { return HAS("本年收入"); }

/* Labels are matched without the blanks OCR and spaced-out PDFs put inside
 * them ('合 计', '因公出国 (境)费'): s without its spaces in out, or NULL when
 * it is longer than any label. */
static const char *without_blanks(const char *s, size_t *n, char *out, size_t cap) {
    if (!memchr(s, ' ', *n)) return s;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        if (s[i] == ' ') continue;
        if (k == cap) return NULL;
        out[k++] = s[i];
    }
    *n = k;
    return out;
}

enum { LABEL_BYTES = 64 }; /* longer than the longest label */

/* Labels with their lengths, so that a name is compared with the few labels
 * of its length only (most names are of none). */
typedef struct label {
    const char *word;
    size_t n;
} label;
#define LABEL(w) {w, sizeof w - 1}
#define LABELS(list) list, sizeof list / sizeof list[0]

static int is_label(const label *labels, size_t count, const char *s, size_t n) {
    for (size_t k = 0; k < count; k++)
        if (labels[k].n == n && memcmp(labels[k].word, s, n) == 0) return 1;
    return 0;
}

int pb_is_total_label(const char *s, size_t n) {
    static const label labels[] = {LABEL("合计"),         LABEL("总计"),         LABEL("小计"),
                                   LABEL("部门合计"),     LABEL("收入总计"),     LABEL("支出总计"),
                                   LABEL("本年收入合计"), LABEL("本年支出合计"), LABEL("收入合计"),
                                   LABEL("支出合计")};
    /* every label ends in 计: one look at the end (past blanks and colons) rejects most names */
    size_t end = n;
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == ':')) end--;
    if (!pb_ends(s, end, "计")) return 0;
    char packed[LABEL_BYTES];
    if (!(s = without_blanks(s, &n, packed, sizeof packed))) return 0;
    while (n > 0 && (s[n - 1] == ':')) n--;
    return is_label(LABELS(labels), s, n);
}

/* Row names that always start a row of their own (never a wrapped piece). */
int pb_is_row_label(const char *s, size_t n) {
    static const label labels[] = {LABEL("上年结转"),           LABEL("年终结转"),
                                   LABEL("上年财政拨款结转"),   LABEL("上年结转结余"),
                                   LABEL("年终结转结余"),       LABEL("因公出国(境)费"),
                                   LABEL("公务接待费"),         LABEL("公务用车购置及运行费"),
                                   LABEL("公务用车购置费"),     LABEL("公务用车运行维护费"),
                                   LABEL("工资福利支出"),       LABEL("商品和服务支出"),
                                   LABEL("对个人和家庭的补助"), LABEL("资本性支出"),
                                   LABEL("“三公”经费合计"),     LABEL("\"三公\"经费合计"),
                                   LABEL("三公经费合计")};
    char packed[LABEL_BYTES];
    packed[0] = '\0'; /* never read when empty; -O3's inlining cannot tell */
    if (!(s = without_blanks(s, &n, packed, sizeof packed))) return 0;
    if (pb_is_total_label(s, n)) return 1;
    return is_label(LABELS(labels), s, n);
}
