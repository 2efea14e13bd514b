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
    const char *s; /* the cell's text in the line, or its squeezed copy in p->scratch2 */
    uint32_t off;  /* of the copy, until tokenize() has made every copy (scratch2 may move) */
    uint32_t len;
    int slot;
    int kind; /* 0 free, 1 level-1 label, 2 level-2 label */
} token;

/* A word and its length in bytes, for the tables read per cell (no strlen). */
typedef struct word {
    const char *s;
    size_t n;
} word;
#define WORD(s) {s, sizeof(s) - 1}

/* The words of these tables are CJK or punctuation: a byte of their first
 * character tells most apart before memcmp is called. */
static int is_word(const char *s, size_t n, const word *w) {
    return n == w->n && (n < 2 || s[1] == w->s[1]) && memcmp(s, w->s, n) == 0;
}

static int starts_with(const char *s, size_t n, const word *w) {
    return n >= w->n && (w->n == 0 || s[0] == w->s[0]) && memcmp(s, w->s, w->n) == 0;
}

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* Fund sources of the project grid: the same label names the 实施期 amount,
 * then the 年度 one. */
enum { FUND_CENTRAL, FUND_PROVINCIAL, FUND_LOCAL, FUND_SELF_RAISED, FUND_OTHER, FUND_COUNT };
static const char *const fund_keys[FUND_COUNT][2] = {
    {"period_central", "annual_central"},         {"period_provincial", "annual_provincial"},
    {"period_local", "annual_local"},             {"period_self_raised", "annual_self_raised"},
    {"period_other", "annual_other"},
};

/* Label words are kept in the table itself (LABEL_MAX bytes at most: a longer
 * initializer does not compile cleanly), so the scan reads no pointer per
 * label; a label of four bytes or fewer would not compile either (a negative
 * array size), so every label has the three bytes its row is found by. */
#define LABEL_MAX 40
#define LABEL_LEN(words) (sizeof(words) - 1 + 0 * sizeof(char[sizeof(words) > 4 ? 1 : -1]))

typedef struct label {
    const char *key; /* field key: "" and "-" are read and dropped; NULL for a fund */
    int fund;        /* FUND_* for a fund source, else -1 */
    size_t len;      /* 0 ends a row */
    char words[LABEL_MAX];
} label;
#define FIELD(key, words) {key, -1, LABEL_LEN(words), words}
#define FUND(fund, words) {NULL, fund, LABEL_LEN(words), words}

/* The tables are indexed by their labels' first three bytes (the first
 * character of a CJK label): a row holds the labels that share them, so a
 * cell is compared with the labels of one row, not with every label (every
 * cell of a target's fields is looked up). A label in a row whose first label
 * starts differently is never found. Where one label is the start of another,
 * both are in one row and the order of the row decides. */
#define LABEL_ROW 8
typedef label label_row[LABEL_ROW];

/* Field labels; the first word that a cell starts with decides. */
static const label_row field_labels[] = {
    {FIELD("name", "项目名称"), FIELD("name", "项目名"), FIELD("attribute", "项目属性"), FIELD("period", "项目期"),
     FIELD("", "项目资金"), FIELD("overview", "项目概况"), FIELD("necessity", "项目设立必要性"),
     FIELD("plan", "项目实施计划")},
    {FIELD("department", "主管部门及代码"), FIELD("department", "主管部门")},
    {FIELD("implementer", "实施单位"), FIELD("period_total", "实施期资金总额"), FIELD("", "实施期目标")},
    {FIELD("annual_total", "年度资金总额"), FIELD("", "年度目标"), FIELD("goal", "年度履职目标"),
     FIELD("goal", "年度绩效目标")},
    {FUND(FUND_CENTRAL, "其中:中央财政资金"), FUND(FUND_OTHER, "其他资金")},
    {FUND(FUND_CENTRAL, "中央财政资金")},
    {FUND(FUND_PROVINCIAL, "省级财政资金"), FUND(FUND_PROVINCIAL, "省級财政资金")},
    {FUND(FUND_LOCAL, "市县(区)财政资"), FUND(FUND_LOCAL, "市县财政资金"), FUND(FUND_LOCAL, "市長(区)财政资金"),
     FUND(FUND_LOCAL, "市级财政资金")},
    {FUND(FUND_LOCAL, "县级财政资金")},
    {FUND(FUND_SELF_RAISED, "单位自筹")},
    {FIELD("basis", "立项依据")},
    {FIELD("measures", "保证项目实施的制度、措施"), FIELD("measures", "保证项目实施的制度")},
    {FIELD("goal", "总体目标")},
    {FIELD("-", "负责人")},
    {FIELD("-", "经办人")},
    {FIELD("-", "联系电话")},
    {FIELD("filed", "填报日期")},
    {FIELD("department", "部门名称"), FIELD("strategy", "部门战略目标"), FIELD("duties", "部门职责")},
};

/* The budget grid (预算情况) of an overall (部门整体) target only, looked for
 * after the labels above, in either layout: 部门预算总额 then its sources and
 * structure one per line (Henan), or sources and directions side by side
 * under 合计 (Shanxi). Figures are in the unit the grid's labels name. */
static const label_row budget_grid_labels[] = {
    {FIELD("", "预算情况")},
    {FIELD("", "年度预算情况")},
    {FIELD("annual_total", "部门预算总额")},
    {FIELD("annual_total", "单位预算总额"), FIELD("annual_unit_funds", "单位资金")},
    {FIELD("annual_total", "合计")},
    {FIELD("", "1、资金来源")},
    {FIELD("", "资金来源"), FIELD("", "资金结构"), FIELD("", "资金总额")},
    {FIELD("", "2、资金结构")},
    {FIELD("", "按资金来源划分"), FIELD("", "按资金方向划分")},
    {FIELD("annual_government", "(1)政府预算资金"), FIELD("annual_basic", "(1)基本支出")},
    {FIELD("annual_government", "其中:政府预算资金"), FIELD("annual_general_budget", "其中:一般公共预算资金"),
     FIELD("annual_basic", "其中:基本支出")},
    {FIELD("annual_government", "政府预算资金"), FIELD("annual_gov_fund", "政府性基金预算资金")},
    {FIELD("annual_general_budget", "一般公共预算资金")},
    {FIELD("annual_state_capital", "国有资本经营预算资金")},
    {FIELD("annual_social_insurance", "社会保险基金预算资金")},
    {FIELD("annual_special_account", "(2)财政专户管理资金"), FIELD("annual_project", "(2)项目支出")},
    {FIELD("annual_special_account", "财政专户管理资金")},
    {FIELD("annual_special_account", "专户管理资金")},
    {FIELD("annual_unit_funds", "(3)单位资金")},
    {FIELD("annual_basic", "基本支出")},
    {FIELD("annual_project", "项目支出")},
};

/* Indicator group labels (一级, 二级), by their length in characters (the row
 * index): a cell is compared with the words of its own length only (every
 * cell of an indicator row is asked). LEVEL(k, s) does not compile unless s
 * is k three-byte characters; a word whose k is not its row's is never found. */
#define LEVEL_MAX_CHARS 9
#define LEVEL_ROW 8
#define LEVEL(k, s) {s, sizeof(s) - 1 + 0 * sizeof(char[sizeof(s) - 1 == 3 * (k) ? 1 : -1])}
typedef word level_row[LEVEL_ROW];

static const level_row level1_labels[LEVEL_MAX_CHARS + 1] = {
    [4] = {LEVEL(4, "产出指标"), LEVEL(4, "效益指标"), LEVEL(4, "投入指标"), LEVEL(4, "过程指标"), LEVEL(4, "管理指标")},
    [5] = {LEVEL(5, "满意度指标")},
    [6] = {LEVEL(6, "投入管理指标")},
};
static const level_row level2_labels[LEVEL_MAX_CHARS + 1] = {
    [4] = {LEVEL(4, "数量指标"), LEVEL(4, "质量指标"), LEVEL(4, "时效指标"), LEVEL(4, "成本指标"), LEVEL(4, "经济效益"),
           LEVEL(4, "社会效益"), LEVEL(4, "生态效益")},
    [5] = {LEVEL(5, "可持续影响")},
    [6] = {LEVEL(6, "经济成本指标"), LEVEL(6, "社会成本指标"), LEVEL(6, "经济效益指标"), LEVEL(6, "社会效益指标"),
           LEVEL(6, "生态效益指标")},
    [7] = {LEVEL(7, "可持续影响指标"), LEVEL(7, "服务对象满意度")},
    [8] = {LEVEL(8, "生态环境成本指标"), LEVEL(8, "可持续性影响指标"), LEVEL(8, "服务对象满意度指")},
    [9] = {LEVEL(9, "服务对象满意度指标")},
};

/* Whether s is a word of rows; a length that is no whole number of CJK
 * characters, or too long, is none. */
static int in_level_row(const level_row *rows, const char *s, size_t n) {
    if (n % 3 || n / 3 > LEVEL_MAX_CHARS) return 0;
    const word *row = rows[n / 3];
    for (const word *w = row; w < row + LEVEL_ROW && w->n; w++)
        if (is_word(s, n, w)) return 1;
    return 0;
}

static int is_level1(const char *s, size_t n) { return in_level_row(level1_labels, s, n); }
static int is_level2(const char *s, size_t n) { return in_level_row(level2_labels, s, n); }

/* Words of the indicator header's cells. */
static const word header_l1 = WORD("一级指标"), header_l2 = WORD("二级指标"), header_l3 = WORD("三级指标"),
                  header_value = WORD("指标值"), header_note = WORD("指标值说明");

/* Cells a converter makes of the vertical words 绩 效 指 标. */
static int is_junk(const char *s, size_t n) {
    if (n == 18 && memcmp(s, "年度绩效指标", 18) == 0) return 1;
    int only_label_chars = 1, meaningful = 0;
    /* the answer is known at the first meaningful character besides the four */
    for (size_t i = 0; i < n && (only_label_chars || !meaningful);) {
        size_t l = pb_utf8_len((unsigned char)s[i]);
        if (!(l == 3 && i + 3 <= n &&
              (memcmp(s + i, "绩", 3) == 0 || memcmp(s + i, "效", 3) == 0 || memcmp(s + i, "指", 3) == 0 ||
               memcmp(s + i, "标", 3) == 0)))
            only_label_chars = 0;
        unsigned char c = (unsigned char)s[i];
        if ((c >= 0xE4 && c <= 0xE9) || (c >= '0' && c <= '9') || c == '%') meaningful = 1;
        i += l;
    }
    return only_label_chars || !meaningful;
}

/* Cells are squeezed (OCR blanks dropped) before they are read; almost none
 * holds a blank, and those are read in place instead of copied. */
static int add_token(pb_parser *p, token *tok, int *ntok, const char *s, size_t n, int32_t slot) {
    token *t = &tok[*ntok];
    t->slot = slot;
    t->kind = 0;
    if (!pb_has_blank(s, n)) {
        t->s = s;
        t->len = (uint32_t)n;
        if (n) (*ntok)++;
        return 0;
    }
    pb_buf *b = &p->scratch2;
    uint32_t off = (uint32_t)b->len;
    if (pb_squeeze(p, b, s, n) < 0) return -1;
    t->s = NULL; /* set once the copies are all made */
    t->off = off;
    t->len = (uint32_t)(b->len - off);
    if (pb_buf_putc(p, b, '\0') < 0) return -1;
    if (t->len) (*ntok)++;
    return 0;
}

static int tokenize(pb_parser *p, pb_line *l, token *tok, int *ntok) {
    pb_perf_state *s = &p->table.perf;
    p->scratch2.len = 0;
    *ntok = 0;
    /* a name run into the value's column ('…工作成效 明显提升') is cut where the value's header starts */
    if (s->in_indicators && s->hx_layout && pb_split_at_columns(p, l, s->hx, s->nhx, 0) < 0) return -1;
    for (size_t i = 0; i < l->ncells && *ntok < MAX_TOKENS; i++) {
        pb_cell *c = &l->cells[i];
        if (c->len && add_token(p, tok, ntok, l->text.data + c->off, c->len, c->x0) < 0) return -1;
    }
    for (int i = 0; i < *ntok; i++)
        if (!tok[i].s) tok[i].s = p->scratch2.data + tok[i].off;
    return 0;
}

#define TOK(t) ((t)->s)

/* ---- projects ---------------------------------------------------------------- */

/* '和' left of an OCR-split '项目名称' is debris only when more debris or a
 * gap follows it ('和\\$…', '和尔…'); '和顺县…' is a name. */
static int stray_conjunction(const char *v, size_t n) {
    static const word next[] = {WORD(" "), WORD("\t"), WORD("\\"), WORD("$"),
                                WORD("尔"), WORD("÷"),  WORD("."),  WORD(":")};
    if (n == 3) return 1;
    for (size_t k = 0; k < COUNT(next); k++)
        if (starts_with(v + 3, n - 3, &next[k])) return 1;
    return 0;
}

/* Decimal digits of v, NUL-ended, into out (21 bytes at least); returns their
 * count. */
static size_t format_decimal(char *out, uint64_t v) {
    char rev[20];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = rev[n - 1 - i];
    out[n] = '\0';
    return n;
}

static int add_field(pb_parser *p, const char *key, const char *v, size_t n, uint64_t line) {
    pb_perf_state *s = &p->table.perf;
    /* Remnants of OCR-split labels: '称', '和$', '。及代码'. */
    static const word debris[] = {WORD(":"), WORD(" "), WORD("\\"), WORD("$"),     WORD("."),
                                  WORD("。"), WORD("、"), WORD("÷"),  WORD("及代码")};
    enum { NAME_DEBRIS_AND = 1 };
    static const word name_debris[] = {WORD("称"), WORD("和"), WORD("尔")};
    const int is_name = strcmp(key, "name") == 0;
    for (int again = 1; again && n > 0;) {
        again = 0;
        for (size_t k = 0; k < COUNT(debris) && !again; k++)
            if (starts_with(v, n, &debris[k])) {
                v += debris[k].n, n -= debris[k].n;
                again = 1;
            }
        for (size_t k = 0; is_name && k < COUNT(name_debris) && !again; k++)
            if (starts_with(v, n, &name_debris[k]) && (k != NAME_DEBRIS_AND || stray_conjunction(v, n)))
                v += 3, n -= 3, again = 1;
    }
    char at[24];
    size_t an = format_decimal(at, line);
    if (pb_buf_append(p, &s->fields, key, strlen(key) + 1) < 0) return -1;
    if (pb_buf_append(p, &s->fields, v, n) < 0 || pb_buf_putc(p, &s->fields, '\0') < 0) return -1;
    return pb_buf_append(p, &s->fields, at, an + 1);
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
        size_t kn = strlen(k);
        const char *v = k + kn + 1;
        size_t vn = strlen(v);
        const char *at = v + vn + 1; /* the field's line, in decimal as add_field wrote it */
        uint64_t line_no = 0;
        const char *digit = at;
        for (; *digit; digit++) line_no = line_no * 10 + (uint64_t)(*digit - '0');
        uint32_t line = (uint32_t)line_no;
        if (kn == 4 && memcmp(k, "name", 4) == 0 && !name_n) {
            name = v;
            name_n = vn;
        } else if (kn >= 7 && (memcmp(k, "period_", 7) == 0 || memcmp(k, "annual_", 7) == 0)) {
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
                if (pb_rec_value(p, r, k, kn, v, vn, fen, PB_V_NUMBER, num.decimals) < 0) return -1;
                p->store.values[p->store.value_count - 1].line = line;
            } else if (nk == PB_NUM_DASH) {
                if (pb_rec_value(p, r, k, kn, v, vn, 0, PB_V_DASH, 0) < 0) return -1;
                p->store.values[p->store.value_count - 1].line = line;
            } else if (vn) {
                if (pb_warn(p, line, PB_W_NOT_A_NUMBER, "fund %s '%.40s'", k, v) < 0) return -1;
            }
        } else if (vn) {
            if (pb_rec_value(p, r, k, kn, v, vn, 0, PB_V_TEXT, 0) < 0) return -1;
        }
        k = digit + 1;
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

/* Copies the first LABEL_MAX bytes of cells i .. i + ncells - 1 into joined. */
static void join_cells(const token *tok, int i, int ncells, char joined[LABEL_MAX]) {
    size_t jn = 0;
    for (int k = i; k < i + ncells && jn < LABEL_MAX; k++) {
        size_t take = tok[k].len < LABEL_MAX - jn ? tok[k].len : LABEL_MAX - jn;
        memcpy(joined + jn, TOK(&tok[k]), take);
        jn += take;
    }
}

/* Whether every label of the label tables is in the row of its first three
 * bytes, where match_label looks for it (a label in another row would never
 * be found): 1 when sound. The C tests ask, so a misplaced label fails them. */
int pb_perf_label_rows_sound(void) {
    const struct {
        const label_row *begin, *end;
    } tables[2] = {{field_labels, field_labels + COUNT(field_labels)},
                   {budget_grid_labels, budget_grid_labels + COUNT(budget_grid_labels)}};
    for (int t = 0; t < 2; t++)
        for (const label_row *row = tables[t].begin; row < tables[t].end; row++) {
            if (!(*row)[0].len) return 0; /* an empty row */
            for (const label *l = *row; l < *row + LABEL_ROW && l->len; l++)
                if (memcmp(l->words, (*row)[0].words, 3) != 0) return 0;
        }
    return 1;
}

/* Label at token i, joining up to three OCR-split cells: the label that ends
 * in the fewest cells, the first in the tables among those; NULL if none.
 * *used is the number of cells it takes, *rest how many bytes of its last cell
 * it covers. */
static const label *match_label(pb_parser *p, token *tok, int ntok, int i, int *used, size_t *rest) {
    enum { JOIN_LIMIT = 256, LONG_CELL = 30 };
    size_t ends[3]; /* the joined length after each cell */
    int ncells = 0;
    size_t jn = 0;
    for (int k = i; k < ntok && k < i + 3; k++) {
        size_t tl = tok[k].len;
        if (jn + tl >= JOIN_LIMIT) break;
        jn += tl;
        ends[ncells++] = jn;
        if (k == i && tl > LONG_CELL) break; /* long text is a value, not a split label */
    }
    /* The joined cells, zero-padded, are copied once a row's first three
     * bytes match (no label is shorter); these come from the first cell if it
     * has them. */
    char joined[LABEL_MAX] = {0};
    int is_joined = 0;
    if (ncells && tok[i].len >= 3) memcpy(joined, TOK(&tok[i]), 3);
    else join_cells(tok, i, ncells, joined), is_joined = 1;
    const label *best = NULL;
    int best_cells = ncells + 1;
    static const struct {
        const label_row *begin, *end;
    } tables[2] = {{field_labels, field_labels + COUNT(field_labels)},
                   {budget_grid_labels, budget_grid_labels + COUNT(budget_grid_labels)}};
    /* the grid's words ('合计', '项目支出') only once a 预算情况 line opened it */
    int ntables = p->table.perf.overall && p->table.perf.budget_pow10 >= 0 ? 2 : 1;
    for (int t = 0; t < ntables && best_cells > 1; t++) {
        for (const label_row *row = tables[t].begin; row < tables[t].end && best_cells > 1; row++) {
            /* the second byte first: many CJK characters share a lead byte */
            if ((*row)[0].words[1] != joined[1] || memcmp((*row)[0].words, joined, 3) != 0) continue;
            if (!is_joined) join_cells(tok, i, ncells, joined), is_joined = 1;
            for (const label *l = *row; l < *row + LABEL_ROW && l->len; l++) {
                if (l->len > jn || memcmp(l->words, joined, l->len) != 0) continue;
                /* a label is found once the cell it ends in is joined */
                int cells = 1;
                while (ends[cells - 1] < l->len) cells++;
                if (cells < best_cells) {
                    best = l;
                    best_cells = cells;
                    if (cells == 1) break;
                }
            }
        }
    }
    if (!best) return NULL;
    *used = best_cells;
    size_t last_start = best_cells > 1 ? ends[best_cells - 2] : 0;
    /* the remainder of a truncated label word ('资金' of 财政资) is skipped by the caller */
    *rest = best->len > last_start ? best->len - last_start : 0;
    return best;
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

/* Whether a field's value is kept: "" labels ('项目资金') and "-" ones
 * ('负责人') only end the value before them. */
static int keeps_value(const char *key) { return key && key[0] && key[0] != '-'; }

static int fields_line(pb_parser *p, pb_line *l, token *tok, int ntok) {
    pb_perf_state *s = &p->table.perf;
    /* Pieces a label's last cell carries after its words: the rest of a
     * truncated word ('市县(区)财政资' + '金'), a colon, a code, a unit. */
    static const word label_tails[] = {WORD("金"),   WORD("额"),     WORD(":"),      WORD("及代码"),
                                       WORD("称"),   WORD("(万元)"), WORD("(亿元)"), WORD("(元)")};
    const char *key = NULL;
    pb_buf *val = &p->scratch;
    val->len = 0;
    int fund_seen[FUND_COUNT] = {0}, totals_seen = 0;
    if (s->overall && (pb_contains(l->squeezed.data, l->squeezed.len, "预算情况") ||
                       pb_contains(l->squeezed.data, l->squeezed.len, "预算总额")))
        budget_unit(p, l->squeezed.data, l->squeezed.len);
    for (int i = 0; i < ntok;) {
        int used;
        size_t rest;
        const label *lab = match_label(p, tok, ntok, i, &used, &rest);
        if (lab) {
            if (keeps_value(key) && add_field(p, key, val->data ? val->data : "", val->len, l->no) < 0) return -1;
            val->len = 0;
            /* The same source label appears for 实施期 then 年度 on one line. */
            key = lab->fund >= 0 ? fund_keys[lab->fund][fund_seen[lab->fund]++ ? 1 : 0] : lab->key;
            /* '合计 … 合计' of a grid: the second total heads its side by direction */
            if (s->overall && strcmp(key, "annual_total") == 0 && totals_seen++) key = "annual_structure_total";
            token *last = &tok[i + used - 1];
            const char *r = TOK(last) + rest;
            size_t rn = last->len - rest;
            for (size_t k = 0; k < COUNT(label_tails) && rn > 0;)
                if (starts_with(r, rn, &label_tails[k])) {
                    r += label_tails[k].n, rn -= label_tails[k].n;
                    k = 0;
                } else {
                    k++;
                }
            if (rn && pb_buf_append(p, val, r, rn) < 0) return -1;
            i += used;
            continue;
        }
        if (key && pb_buf_append(p, val, TOK(&tok[i]), tok[i].len) < 0) return -1;
        i++;
    }
    if (keeps_value(key) && add_field(p, key, val->data ? val->data : "", val->len, l->no) < 0) return -1;
    return 0;
}

/* ---- indicators ---------------------------------------------------------------- */

/* side: 0 for the 实施期 targets, 1 for the 年度 ones. */
static int emit_indicator(pb_parser *p, uint64_t line, int side, const char *l1, size_t l1n,
                          const char *l2, size_t l2n, const char *name, size_t nn, const char *value,
                          size_t vn, const char *note, size_t notn) {
    pb_table *t = &p->table;
    long r = pb_rec_new(p, PB_R_INDICATOR, line, t->id);
    if (r < 0) return -1;
    p->store.records[r].index = (int32_t)t->perf.project_index;
    static const word side_names[2] = {WORD("period"), WORD("annual")};
    if (pb_rec_field(p, r, 0, side_names[side].s, side_names[side].n) < 0 || pb_rec_field(p, r, 1, l1, l1n) < 0 ||
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
        word text;
        word op;
    } ops[] = {{WORD("≥"), WORD(">=")}, {WORD(">="), WORD(">=")},           {WORD("≤"), WORD("<=")},
               {WORD("<="), WORD("<=")}, {WORD(">"), WORD(">")},             {WORD("<"), WORD("<")},
               {WORD("="), WORD("=")},   {WORD("大于等于"), WORD(">=")}, {WORD("小于等于"), WORD("<=")}};
    static const word no_op = WORD("");
    const word *op = &no_op;
    for (size_t k = 0; k < COUNT(ops); k++)
        if (starts_with(v, n, &ops[k].text)) {
            op = &ops[k].op;
            v += ops[k].text.n;
            n -= ops[k].text.n;
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
    if (pb_rec_field(p, r, 5, op->s, op->n) < 0 || pb_rec_field(p, r, 6, digits, k) < 0) return -1;
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
        size_t n = tok[i].len;
        if (is_word(w, n, &header_l1) && s->slot_l1 < 0) s->slot_l1 = tok[i].slot;
        else if (is_word(w, n, &header_l2)) {
            if (l2_seen++ == 0) s->slot_l2 = tok[i].slot;
            else if (s->annual_slot < 0) s->annual_slot = tok[i].slot;
        } else if (is_word(w, n, &header_l3) && s->slot_name < 0) s->slot_name = tok[i].slot;
        else if (is_word(w, n, &header_note)) s->slot_note = tok[i].slot;
        else if (is_word(w, n, &header_value) && s->slot_value < 0) s->slot_value = tok[i].slot;
    }
    s->in_indicators = 1;
    s->offset = 0;
    return 0;
}

static int overall_row(pb_parser *p, pb_line *l, token *tok, int ntok) {
    pb_perf_state *s = &p->table.perf;
    for (int i = 0; i < ntok; i++) tok[i].slot = ordinal(s, tok[i].slot);
    for (int i = 0; i < ntok; i++)
        if (is_level1(TOK(&tok[i]), tok[i].len) && s->slot_l1 >= 0) {
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
    if (emit_indicator(p, l->no, 1, s->l1.data ? s->l1.data : "", s->l1.len, s->l2[0].data ? s->l2[0].data : "",
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
    if (nfree == 1 && is_level2(TOK(&tok[free_idx[0]]), tok[free_idx[0]].len))
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
    for (size_t i = 0; i < nn && !cjk; i++) cjk = (unsigned char)name[i] >= 0xE4 && (unsigned char)name[i] <= 0xE9;
    if (!cjk) return 0; /* an indicator is named in words; '2 = 1' is OCR debris */
    pb_buf *l2 = &s->l2[side];
    if (!l2->len && side == 1 && s->l2[0].len) l2 = &s->l2[0];
    return emit_indicator(p, line, side, s->l1.data ? s->l1.data : "", s->l1.len,
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
        if (is_level1(w, tok[i].len)) tok[k].kind = 1;
        else if (is_level2(w, tok[i].len) &&
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

static int starts_project(const token *tok, int ntok) {
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
        if (!match_label(p, tok, ntok, 0, &used, &rest))
            return 0; /* a section heading ('十一、国有资产占有使用情况') ends the targets */
    }
    if (starts_project(tok, ntok)) {
        if (open_project(p, l->no) < 0) return -1;
        return fields_line(p, l, tok, ntok) < 0 ? -1 : 1;
    }
    if (!s->project_open && (s->overall || ntok > 0)) {
        if (open_project(p, l->no) < 0) return -1;
    }
    int header = 0;
    for (int i = 0; i < ntok; i++)
        if (is_word(TOK(&tok[i]), tok[i].len, &header_l1)) header = 1;
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
