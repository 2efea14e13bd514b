/* Performance-target tables (项目支出绩效目标表 and 部门整体绩效目标表):
 * labelled fields, the fund grid (in 元) and indicators for the 实施期 and 年度
 * sides. Indicator rows are read by their words (一级/二级 labels) first and
 * by position second, because converters shift these cells freely. */
#include "pb_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 64

typedef struct token {
    uint32_t off, len; /* in p->scratch2 */
    int slot;
    int kind; /* 0 free, 1 level-1 label, 2 level-2 label */
} token;

typedef struct label {
    const char *key;
    const char *words;
} label;

/* Field labels; the first word that a cell starts with decides. */
static const label field_labels[] = {
    {"name", "项目名称"},
    {"name", "项目名"},
    {"department", "主管部门及代码"},
    {"department", "主管部门"},
    {"implementer", "实施单位"},
    {"attribute", "项目属性"},
    {"period", "项目期"},
    {"", "项目资金"},
    {"period_total", "实施期资金总额"},
    {"annual_total", "年度资金总额"},
    {"*central", "其中:中央财政资金"},
    {"*central", "中央财政资金"},
    {"*provincial", "省级财政资金"},
    {"*provincial", "省級财政资金"},
    {"*local", "市县(区)财政资"},
    {"*local", "市县财政资金"},
    {"*local", "市長(区)财政资金"},
    {"*local", "市级财政资金"},
    {"*local", "县级财政资金"},
    {"*self_raised", "单位自筹"},
    {"*other", "其他资金"},
    {"overview", "项目概况"},
    {"basis", "立项依据"},
    {"necessity", "项目设立必要性"},
    {"measures", "保证项目实施的制度、措施"},
    {"measures", "保证项目实施的制度"},
    {"plan", "项目实施计划"},
    {"goal", "总体目标"},
    {"", "实施期目标"},
    {"", "年度目标"},
    {"-", "负责人"},
    {"-", "经办人"},
    {"-", "联系电话"},
    {"filed", "填报日期"},
    {"department", "部门名称"},
    {"goal", "年度履职目标"},
    {"goal", "年度绩效目标"},
    {"strategy", "部门战略目标"},
    {"duties", "部门职责"},
    /* '+': the budget grid (预算情况) of an overall (部门整体) target only, in
     * either layout: 部门预算总额 then its sources and structure one per line
     * (Henan), or sources and directions side by side under 合计 (Shanxi). */
    {"+", "预算情况"},
    {"+", "年度预算情况"},
    {"+annual_total", "部门预算总额"},
    {"+annual_total", "单位预算总额"},
    {"+annual_total", "合计"},
    {"+", "1、资金来源"},
    {"+", "资金来源"},
    {"+", "2、资金结构"},
    {"+", "资金结构"},
    {"+", "按资金来源划分"},
    {"+", "按资金方向划分"},
    {"+", "资金总额"},
    {"+annual_government", "(1)政府预算资金"},
    {"+annual_government", "其中:政府预算资金"},
    {"+annual_government", "政府预算资金"},
    {"+annual_general_budget", "其中:一般公共预算资金"},
    {"+annual_general_budget", "一般公共预算资金"},
    {"+annual_gov_fund", "政府性基金预算资金"},
    {"+annual_state_capital", "国有资本经营预算资金"},
    {"+annual_social_insurance", "社会保险基金预算资金"},
    {"+annual_special_account", "(2)财政专户管理资金"},
    {"+annual_special_account", "财政专户管理资金"},
    {"+annual_special_account", "专户管理资金"},
    {"+annual_unit_funds", "(3)单位资金"},
    {"+annual_unit_funds", "单位资金"},
    {"+annual_basic", "(1)基本支出"},
    {"+annual_basic", "其中:基本支出"},
    {"+annual_basic", "基本支出"},
    {"+annual_project", "(2)项目支出"},
    {"+annual_project", "项目支出"},
    {NULL, NULL},
};

static const char *const level1_labels[] = {"产出指标", "效益指标", "满意度指标", "投入管理指标",
                                            "投入指标", "过程指标", "管理指标", NULL};
static const char *const level2_labels[] = {
    "数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标",
    "生态环境成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
    "可持续性影响指标", "服务对象满意度指标", "服务对象满意度指", "经济效益", "社会效益",
    "生态效益", "可持续影响", "服务对象满意度", NULL};

static int in_list(const char *const *list, const char *s, size_t n) {
    return pb_is_one_of(list, s, n);
}

/* Cells a converter makes of the vertical words 绩 效 指 标. */
static int is_junk(const char *s, size_t n) {
    int only_label_chars = 1, meaningful = 0;
    for (size_t i = 0; i < n;) {
        size_t l = pb_utf8_len((unsigned char)s[i]);
        if (!(l == 3 && (memcmp(s + i, "绩", 3) == 0 || memcmp(s + i, "效", 3) == 0 ||
                         memcmp(s + i, "指", 3) == 0 || memcmp(s + i, "标", 3) == 0)))
            only_label_chars = 0;
        unsigned char c = (unsigned char)s[i];
        if ((c >= 0xE4 && c <= 0xE9) || (c >= '0' && c <= '9') || c == '%') meaningful = 1;
        i += l;
    }
    return only_label_chars || !meaningful || (n == 18 && memcmp(s, "年度绩效指标", 18) == 0);
}

static int tokenize(pb_parser *p, pb_line *l, token *tok, int *ntok) {
    pb_buf *b = &p->scratch2;
    b->len = 0;
    *ntok = 0;
    for (size_t i = 0; i < l->ncells && *ntok < MAX_TOKENS; i++) {
        pb_cell *c = &l->cells[i];
        if (!c->len) continue;
        uint32_t off = (uint32_t)b->len;
        if (pb_squeeze(p, b, l->text.data + c->off, c->len) < 0) return -1;
        token *t = &tok[*ntok];
        t->off = off;
        t->len = (uint32_t)(b->len - off);
        t->slot = c->x0;
        t->kind = 0;
        if (pb_buf_putc(p, b, '\0') < 0) return -1;
        if (t->len) (*ntok)++;
    }
    return 0;
}

#define TOK(t) (p->scratch2.data + (t)->off)

/* ---- projects ---------------------------------------------------------------- */

/* '和' left of an OCR-split '项目名称' is debris only when more debris or a
 * gap follows it ('和\\$…', '和尔…'); '和顺县…' is a name. */
static int stray_conjunction(const char *v, size_t n) {
    static const char *const next[] = {" ", "\t", "\\", "$", "尔", "÷", ".", ":", NULL};
    if (n == 3) return 1;
    for (int k = 0; next[k]; k++)
        if (pb_starts(v + 3, n - 3, next[k])) return 1;
    return 0;
}

static int add_field(pb_parser *p, const char *key, const char *v, size_t n, uint64_t line) {
    pb_perf_state *s = &p->table.perf;
    /* Remnants of OCR-split labels: '称', '和$', '。及代码'. */
    static const char *const debris[] = {":", " ", "\\", "$", ".", "。", "、", "÷", "及代码", NULL};
    static const char *const name_debris[] = {"称", "和", "尔", NULL};
    for (int again = 1; again && n > 0;) {
        again = 0;
        for (int k = 0; debris[k] && !again; k++)
            if (pb_starts(v, n, debris[k])) {
                size_t d = strlen(debris[k]);
                v += d, n -= d, again = 1;
            }
        for (int k = 0; strcmp(key, "name") == 0 && name_debris[k] && !again; k++)
            if (pb_starts(v, n, name_debris[k]) && (strcmp(name_debris[k], "和") != 0 || stray_conjunction(v, n)))
                v += 3, n -= 3, again = 1;
    }
    if (pb_buf_append(p, &s->fields, key, strlen(key) + 1) < 0) return -1;
    if (pb_buf_append(p, &s->fields, v, n) < 0 || pb_buf_putc(p, &s->fields, '\0') < 0) return -1;
    char at[24];
    int an = snprintf(at, sizeof at, "%llu", (unsigned long long)line);
    return pb_buf_append(p, &s->fields, at, (size_t)an + 1);
}

static int close_project(pb_parser *p) {
    pb_table *t = &p->table;
    pb_perf_state *s = &t->perf;
    if (!s->project_open) return 0;
    s->project_open = 0;
    long r = pb_rec_new(p, PB_R_PROJECT, s->project_line, t->id);
    if (r < 0) return -1;
    p->store.records[r].index = (int32_t)s->project_index;
    p->store.records[r].flags = (uint8_t)(s->overall ? 1 : 0);
    const char *f = s->fields.data;
    const char *end = f ? f + s->fields.len : f;
    const char *name = "";
    size_t name_n = 0;
    for (const char *k = f; k && k < end;) {
        const char *v = k + strlen(k) + 1;
        size_t vn = strlen(v);
        const char *at = v + vn + 1; /* the field's line */
        uint32_t line = (uint32_t)strtoul(at, NULL, 10);
        if (strcmp(k, "name") == 0 && !name_n) {
            name = v;
            name_n = vn;
        } else if (strncmp(k, "period_", 7) == 0 || strncmp(k, "annual_", 7) == 0) {
            /* Funds: '50, 000', '1,976,800', '30万元', '150000 150000'. */
            char digits[64];
            size_t dn = 0;
            int pow10 = pb_contains(v, vn, "万元") ? 4 : s->overall && s->budget_pow10 > 0 ? s->budget_pow10 : 0;
            for (size_t i = 0; i < vn && dn < sizeof digits - 1; i++) {
                char c = v[i];
                if ((c >= '0' && c <= '9') || c == '.' || c == ',' || c == ' ' || c == '-') digits[dn++] = c;
                else if ((unsigned char)c >= 0x80 && dn) break; /* 万元 and text after */
            }
            pb_number num;
            pb_num_kind nk = pb_parse_number(digits, dn, &num);
            if (nk == PB_NUM_NONE) {
                size_t cut = 0;
                while (cut < dn && digits[cut] == ' ') cut++;
                size_t e = cut;
                while (e < dn && digits[e] != ' ') e++;
                nk = pb_parse_number(digits + cut, e - cut, &num);
            }
            int64_t fen;
            if (nk == PB_NUM_VALUE && pb_number_to_fen(&num, pow10, &fen) >= 0) {
                if (pb_rec_value(p, r, k, strlen(k), v, vn, fen, PB_V_NUMBER, num.decimals) < 0) return -1;
                p->store.values[p->store.value_count - 1].line = line;
            } else if (nk == PB_NUM_DASH) {
                if (pb_rec_value(p, r, k, strlen(k), v, vn, 0, PB_V_DASH, 0) < 0) return -1;
                p->store.values[p->store.value_count - 1].line = line;
            } else if (vn) {
                if (pb_warn(p, line, PB_W_NOT_A_NUMBER, "fund %s '%.40s'", k, v) < 0) return -1;
            }
        } else if (vn) {
            if (pb_rec_value(p, r, k, strlen(k), v, vn, 0, PB_V_TEXT, 0) < 0) return -1;
        }
        k = at + strlen(at) + 1;
    }
    if (s->overall && s->budget_pow10 >= 0) { /* the grid's figures are in this unit */
        const char *unit = s->budget_pow10 == 8 ? "亿元" : s->budget_pow10 == 4 ? "万元" : "元";
        if (pb_rec_value(p, r, "budget_unit", 11, unit, strlen(unit), 0, PB_V_TEXT, 0) < 0) return -1;
    }
    return pb_rec_field(p, r, 0, name, name_n);
}

static int open_project(pb_parser *p, uint64_t line) {
    pb_perf_state *s = &p->table.perf;
    if (close_project(p) < 0) return -1;
    s->project_open = 1;
    s->project_index = p->next_project++;
    s->project_line = line;
    s->fields.len = 0;
    s->in_indicators = 0;
    s->annual_slot = -1;
    s->nhx = 0;
    s->offset = 0;
    s->l1.len = s->l2[0].len = s->l2[1].len = 0;
    s->budget_pow10 = -1;
    return 0;
}

/* Label at token i (joining OCR-split cells); returns label index or -1. */
static int match_label(pb_parser *p, token *tok, int ntok, int i, int *used, size_t *rest) {
    char joined[256];
    size_t jn = 0;
    for (int k = i; k < ntok && k < i + 3; k++) {
        size_t tl = tok[k].len;
        if (jn + tl >= sizeof joined) break;
        memcpy(joined + jn, TOK(&tok[k]), tl);
        jn += tl;
        joined[jn] = '\0';
        for (int li = 0; field_labels[li].key; li++) {
            if (field_labels[li].key[0] == '+' && !p->table.perf.overall) continue;
            const char *w = field_labels[li].words;
            if (joined[0] != w[0] || joined[1] != w[1]) continue; /* cheap reject first */
            size_t wl = strlen(w);
            if (jn >= wl && memcmp(joined, w, wl) == 0) {
                /* The label must end inside the last joined cell. */
                if (jn - tl >= wl && k > i) continue;
                *used = k - i + 1;
                size_t last_start = jn - tl;
                *rest = wl > last_start ? wl - last_start : 0;
                /* skip the remainder of a truncated label word ('资金' of 财政资) */
                return li;
            }
        }
        if (k == i && tl > 30) break; /* long text is a value, not a split label */
    }
    return -1;
}

/* Unit of an overall target's budget grid, from the line that opens it: the
 * unit its labels name ('部门预算总额(万元)', '资金总额(万元)'), else a 单位
 * line of the table (target tables start in 元, their fund grids' unit), else
 * the tables before it, whose totals the grid restates. */
static void budget_unit(pb_parser *p, const char *line, size_t n) {
    pb_table *t = &p->table;
    int pow10 = t->unit_pow10 ? t->unit_pow10 : p->last_unit_pow10 >= 0 ? p->last_unit_pow10 : 0;
    if (pb_contains(line, n, "(万元)")) pow10 = 4;
    else if (pb_contains(line, n, "(亿元)")) pow10 = 8;
    else if (pb_contains(line, n, "(元)")) pow10 = 0;
    t->perf.budget_pow10 = pow10;
}

static int fields_line(pb_parser *p, pb_line *l, token *tok, int ntok) {
    pb_perf_state *s = &p->table.perf;
    static const char *const sources[] = {"central", "provincial", "local", "self_raised", "other", NULL};
    const char *key = NULL;
    char fund_key[32];
    pb_buf *val = &p->scratch;
    val->len = 0;
    int fund_seen[8] = {0}, totals_seen = 0;
    if (s->overall && (pb_contains(l->squeezed.data, l->squeezed.len, "预算情况") ||
                       pb_contains(l->squeezed.data, l->squeezed.len, "预算总额")))
        budget_unit(p, l->squeezed.data, l->squeezed.len);
    for (int i = 0; i < ntok;) {
        int used;
        size_t rest;
        int li = match_label(p, tok, ntok, i, &used, &rest);
        if (li >= 0) {
            if (key && *key && (val->len || key[0] != '-') && key[0] != '-')
                if (add_field(p, key, val->data ? val->data : "", val->len, l->no) < 0) return -1;
            val->len = 0;
            const char *k = field_labels[li].key;
            if (k[0] == '+') k++; /* an overall target's budget grid */
            /* '合计 … 合计': the second total heads the grid's other side, by direction */
            if (strcmp(k, "annual_total") == 0 && totals_seen++) k = "annual_structure_total";
            if (k[0] == '*') {
                /* The same source label appears for 实施期 then 年度 on one line. */
                int src = 0;
                while (sources[src] && strcmp(sources[src], k + 1) != 0) src++;
                const char *sidep = fund_seen[src]++ ? "annual_" : "period_";
                snprintf(fund_key, sizeof fund_key, "%s%s", sidep, k + 1);
                k = fund_key;
            }
            key = k;
            token *last = &tok[i + used - 1];
            const char *r = TOK(last) + rest;
            size_t rn = last->len - rest;
            /* a truncated label ('市县(区)财政资' + '金') leaves word pieces */
            while (rn > 0 && (pb_starts(r, rn, "金") || pb_starts(r, rn, "额") || r[0] == ':' ||
                              pb_starts(r, rn, "及代码") || pb_starts(r, rn, "称") ||
                              pb_starts(r, rn, "(万元)") || pb_starts(r, rn, "(亿元)") || pb_starts(r, rn, "(元)")))
                if (r[0] == ':') r++, rn--;
                else if (pb_starts(r, rn, "(万元)") || pb_starts(r, rn, "(亿元)")) r += 8, rn -= 8;
                else if (pb_starts(r, rn, "(元)")) r += 5, rn -= 5;
                else if (pb_starts(r, rn, "及代码")) r += 9, rn -= 9;
                else r += 3, rn -= 3;
            if (rn && pb_buf_append(p, val, r, rn) < 0) return -1;
            i += used;
            continue;
        }
        if (key && pb_buf_append(p, val, TOK(&tok[i]), tok[i].len) < 0) return -1;
        i++;
    }
    if (key && *key && key[0] != '-')
        if (add_field(p, key, val->data ? val->data : "", val->len, l->no) < 0) return -1;
    (void)s;
    return 0;
}

/* ---- indicators ---------------------------------------------------------------- */

static int emit_indicator(pb_parser *p, uint64_t line, const char *side, const char *l1, size_t l1n,
                          const char *l2, size_t l2n, const char *name, size_t nn, const char *value,
                          size_t vn, const char *note, size_t notn) {
    pb_table *t = &p->table;
    long r = pb_rec_new(p, PB_R_INDICATOR, line, t->id);
    if (r < 0) return -1;
    p->store.records[r].index = (int32_t)t->perf.project_index;
    if (pb_rec_fieldz(p, r, 0, side) < 0 || pb_rec_field(p, r, 1, l1, l1n) < 0 ||
        pb_rec_field(p, r, 2, l2, l2n) < 0 || pb_rec_field(p, r, 3, name, nn) < 0 ||
        pb_rec_field(p, r, 4, value, vn) < 0)
        return -1;
    if (pb_emit_indicator_value(p, r, value, vn) < 0) return -1;
    if (notn && pb_rec_value(p, r, "note", 4, note, notn, 0, PB_V_TEXT, 0) < 0) return -1;
    return 0;
}

/* Splits '≥90%' into comparator, number and unit (fields 5, 6, 7). */
int pb_emit_indicator_value(pb_parser *p, long r, const char *v, size_t n) {
    static const struct {
        const char *word;
        const char *op;
    } ops[] = {{"≥", ">="}, {">=", ">="}, {"≤", "<="}, {"<=", "<="}, {">", ">"},
               {"<", "<"},  {"=", "="},   {"大于等于", ">="}, {"小于等于", "<="}, {NULL, NULL}};
    const char *op = "";
    for (int k = 0; ops[k].word; k++)
        if (pb_starts(v, n, ops[k].word)) {
            op = ops[k].op;
            v += strlen(ops[k].word);
            n -= strlen(ops[k].word);
            break;
        }
    size_t d = 0;
    while (d < n && ((v[d] >= '0' && v[d] <= '9') || v[d] == '.' || v[d] == ',' || v[d] == ' ')) d++;
    while (d > 0 && (v[d - 1] == ' ' || v[d - 1] == ',' || v[d - 1] == '.')) d--;
    pb_number num;
    if (d == 0 || pb_parse_number(v, d, &num) != PB_NUM_VALUE) return 0; /* '及时' stays text */
    char digits[48];
    size_t k = 0;
    for (size_t i = 0; i < d && k < sizeof digits - 1; i++)
        if (v[i] != ',' && v[i] != ' ') digits[k++] = v[i];
    const char *unit = v + d;
    size_t un = n - d;
    while (un > 0 && *unit == ' ') unit++, un--;
    if (pb_rec_fieldz(p, r, 5, op) < 0 || pb_rec_field(p, r, 6, digits, k) < 0) return -1;
    return pb_rec_field(p, r, 7, unit, un);
}

static int set_buf(pb_parser *p, pb_buf *b, const char *s, size_t n) {
    b->len = 0;
    return pb_buf_append(p, b, s, n);
}

/* Position (tab index or display column) → ordinal of the header cell above it,
 * so rows are read the same way whatever the converter's column widths. */
static int ordinal(pb_perf_state *s, int32_t x) {
    if (s->nhx == 0) return x;
    int best = 0, slack = s->hx_layout ? 1 : 0; /* layout columns may start one off */
    for (int i = 0; i < s->nhx; i++)
        if (s->hx[i] <= x + slack) best = i;
    return best;
}

static int indicator_header(pb_parser *p, pb_line *l, token *tok, int ntok) {
    pb_perf_state *s = &p->table.perf;
    int l2_seen = 0;
    s->nhx = 0;
    s->hx_layout = !l->tab_mode;
    for (int i = 0; i < ntok && s->nhx < 16; i++) s->hx[s->nhx++] = tok[i].slot;
    for (int i = 0; i < ntok; i++) tok[i].slot = ordinal(s, tok[i].slot);
    s->slot_l1 = s->slot_l2 = s->slot_name = s->slot_value = s->slot_note = -1;
    s->annual_slot = -1;
    for (int i = 0; i < ntok; i++) {
        const char *w = TOK(&tok[i]);
        if (strcmp(w, "一级指标") == 0 && s->slot_l1 < 0) s->slot_l1 = tok[i].slot;
        else if (strcmp(w, "二级指标") == 0) {
            if (l2_seen++ == 0) s->slot_l2 = tok[i].slot;
            else if (s->annual_slot < 0) s->annual_slot = tok[i].slot;
        } else if (strcmp(w, "三级指标") == 0 && s->slot_name < 0) s->slot_name = tok[i].slot;
        else if (strcmp(w, "指标值说明") == 0) s->slot_note = tok[i].slot;
        else if (strcmp(w, "指标值") == 0 && s->slot_value < 0) s->slot_value = tok[i].slot;
    }
    s->in_indicators = 1;
    s->offset = 0;
    return 0;
}

static int overall_row(pb_parser *p, pb_line *l, token *tok, int ntok) {
    pb_perf_state *s = &p->table.perf;
    for (int i = 0; i < ntok; i++) tok[i].slot = ordinal(s, tok[i].slot);
    for (int i = 0; i < ntok; i++)
        if (in_list(level1_labels, TOK(&tok[i]), tok[i].len) && s->slot_l1 >= 0) {
            s->offset = tok[i].slot - s->slot_l1;
            break;
        }
    const char *name = "", *value = "", *note = "";
    size_t nn = 0, vn = 0, notn = 0;
    for (int i = 0; i < ntok; i++) {
        int slot = tok[i].slot - s->offset;
        const char *w = TOK(&tok[i]);
        if (slot == s->slot_l1) {
            if (set_buf(p, &s->l1, w, tok[i].len) < 0) return -1;
        } else if (slot == s->slot_l2) {
            if (set_buf(p, &s->l2[0], w, tok[i].len) < 0) return -1;
        } else if (slot == s->slot_name) name = w, nn = tok[i].len;
        else if (slot == s->slot_value) value = w, vn = tok[i].len;
        else if (slot == s->slot_note) note = w, notn = tok[i].len;
    }
    if (!nn && !vn) return 1;
    /* 整体绩效目标 are the year's targets */
    if (emit_indicator(p, l->no, "annual", s->l1.data ? s->l1.data : "", s->l1.len, s->l2[0].data ? s->l2[0].data : "",
                       s->l2[0].len, name, nn, value, vn, note, notn) < 0)
        return -1;
    return 1;
}

static int side_tokens(pb_parser *p, uint64_t line, token *tok, int n, int side) {
    pb_perf_state *s = &p->table.perf;
    int free_idx[MAX_TOKENS], nfree = 0;
    for (int i = 0; i < n; i++) {
        const char *w = TOK(&tok[i]);
        if (tok[i].kind == 1) {
            if (set_buf(p, &s->l1, w, tok[i].len) < 0) return -1;
        } else if (tok[i].kind == 2) {
            if (set_buf(p, &s->l2[side], w, tok[i].len) < 0) return -1;
        } else {
            free_idx[nfree++] = i;
        }
    }
    if (!nfree) return 0;
    if (nfree == 1 && in_list(level2_labels, TOK(&tok[free_idx[0]]), tok[free_idx[0]].len))
        return set_buf(p, &s->l2[side], TOK(&tok[free_idx[0]]), tok[free_idx[0]].len); /* empty group */
    const char *name, *value = "";
    size_t nn, vn = 0;
    if (nfree >= 2) {
        token *a = &tok[free_idx[nfree - 2]], *b = &tok[free_idx[nfree - 1]];
        name = TOK(a), nn = a->len, value = TOK(b), vn = b->len;
    } else {
        name = TOK(&tok[free_idx[0]]), nn = tok[free_idx[0]].len;
    }
    int cjk = 0;
    for (size_t i = 0; i < nn; i++) cjk |= (unsigned char)name[i] >= 0xE4 && (unsigned char)name[i] <= 0xE9;
    if (!cjk) return 0; /* an indicator is named in words; '2 = 1' is OCR debris */
    pb_buf *l2 = &s->l2[side];
    if (!l2->len && side == 1 && s->l2[0].len) l2 = &s->l2[0];
    return emit_indicator(p, line, side ? "annual" : "period", s->l1.data ? s->l1.data : "", s->l1.len,
                          l2->data ? l2->data : "", l2->len, name, nn, value, vn, "", 0);
}

static int project_indicator_row(pb_parser *p, pb_line *l, token *tok, int ntok) {
    pb_perf_state *s = &p->table.perf;
    for (int i = 0; i < ntok; i++) tok[i].slot = ordinal(s, tok[i].slot);
    /* Drop junk, classify labels. */
    int k = 0;
    for (int i = 0; i < ntok; i++) {
        const char *w = TOK(&tok[i]);
        if (is_junk(w, tok[i].len)) continue;
        tok[k] = tok[i];
        if (in_list(level1_labels, w, tok[i].len)) tok[k].kind = 1;
        else if (in_list(level2_labels, w, tok[i].len) &&
                 !(k > 0 && tok[k - 1].kind == 2 && tok[i].slot != s->annual_slot))
            tok[k].kind = 2; /* a label right after a label is a name ('服务对象满意度'),
                              * unless it stands where the 年度 side's 二级指标 starts */
        else tok[k].kind = 0;
        k++;
    }
    ntok = k;
    int split = -1, l2count = 0, nfree = 0, second_free_end = -1;
    for (int i = 0; i < ntok; i++) {
        if (tok[i].kind == 2 && ++l2count == 2) {
            split = i;
            break;
        }
    }
    if (split < 0) {
        for (int i = 0; i < ntok; i++)
            if (tok[i].kind == 0 && ++nfree == 2) second_free_end = i + 1;
        nfree = 0;
        for (int i = 0; i < ntok; i++) nfree += tok[i].kind == 0;
        if (nfree >= 4) split = second_free_end;
        else if (s->annual_slot >= 0) {
            split = ntok;
            for (int i = 0; i < ntok; i++)
                if (tok[i].slot >= s->annual_slot) {
                    split = i;
                    break;
                }
        } else {
            split = ntok;
        }
    }
    if (side_tokens(p, l->no, tok, split, 0) < 0) return -1;
    if (split < ntok && side_tokens(p, l->no, tok + split, ntok - split, 1) < 0) return -1;
    return 1;
}

/* ---- entry points ------------------------------------------------------------ */

static int starts_project(pb_parser *p, token *tok, int ntok) {
    if (ntok < 1) return 0;
    const char *w = TOK(&tok[0]);
    /* OCR turns 项目名称 into 项目名和, 项目名 + 称 … */
    return pb_starts(w, tok[0].len, "项目名") && ntok > 1;
}

/* The TABLE record of a target table: no columns, funds in 元. */
static int emit_perf_table(pb_parser *p) {
    pb_table *t = &p->table;
    if (t->emitted_header) return 0;
    long r = pb_rec_new(p, PB_R_TABLE, t->line, t->id);
    if (r < 0) return -1;
    t->emitted_header = 1;
    if (pb_rec_fieldz(p, r, 0, t->kind) < 0 ||
        pb_rec_field(p, r, 1, t->title.data ? t->title.data : "", t->title.len) < 0)
        return -1;
    return pb_rec_fieldz(p, r, 2, "元");
}

int pb_perf_line(pb_parser *p, pb_line *l) {
    pb_table *t = &p->table;
    pb_perf_state *s = &t->perf;
    token tok[MAX_TOKENS];
    int ntok;
    if (tokenize(p, l, tok, &ntok) < 0) return -1;
    if (ntok == 0) return 1;
    if (emit_perf_table(p) < 0) return -1;
    /* '十一、国有资产占有使用情况': a numeral heading, not '(2)单位资金' of a grid */
    if (ntok == 1 && pb_ordinal_prefix(TOK(&tok[0]), tok[0].len) && (unsigned char)TOK(&tok[0])[0] >= 0xE4) {
        int used;
        size_t rest;
        if (match_label(p, tok, ntok, 0, &used, &rest) < 0)
            return 0; /* a section heading ('十一、国有资产占有使用情况') ends the targets */
    }
    if (starts_project(p, tok, ntok)) {
        if (open_project(p, l->no) < 0) return -1;
        return fields_line(p, l, tok, ntok) < 0 ? -1 : 1;
    }
    if (!s->project_open && (s->overall || ntok > 0)) {
        if (open_project(p, l->no) < 0) return -1;
    }
    int header = 0;
    for (int i = 0; i < ntok; i++)
        if (strcmp(TOK(&tok[i]), "一级指标") == 0) header = 1;
    if (header) return indicator_header(p, l, tok, ntok) < 0 ? -1 : 1;
    if (s->in_indicators) {
        const char *w = TOK(&tok[0]);
        if (pb_starts(w, tok[0].len, "负责人") || pb_starts(w, tok[0].len, "填报日期") ||
            pb_starts(w, tok[0].len, "经办人")) {
            s->in_indicators = 0;
            return fields_line(p, l, tok, ntok) < 0 ? -1 : 1;
        }
        if (s->overall) return overall_row(p, l, tok, ntok);
        return project_indicator_row(p, l, tok, ntok);
    }
    return fields_line(p, l, tok, ntok) < 0 ? -1 : 1;
}

int pb_perf_end(pb_parser *p) {
    if (emit_perf_table(p) < 0) return -1;
    return close_project(p);
}
