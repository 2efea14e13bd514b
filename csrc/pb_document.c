/* Document structure: the title (department, year, kind), the table of
 * contents, the parts (第一部分 …), table titles, and the prose between them.
 * Tables are recognised by the words of their titles, never by position. */
#include "pb_internal.h"

#include <stdio.h>
#include <string.h>

/* The numeral 一 … 十 in the three bytes at s: 1 … 10, else 0. */
static int cn_numeral_at(const char *s) {
    int v = pb_cn_numeral(s, 3);
    return v >= 1 && v <= 10 ? v : 0;
}

/* 第一部分 → 1; 0 if the line is no part heading. */
static int part_ordinal(const char *s, size_t n) {
    if (!pb_starts(s, n, "第") || n > 120) return 0;
    int k = n >= 6 ? cn_numeral_at(s + 3) : 0;
    if (k && pb_starts(s + 6, n - 6, "部分")) return k;
    if (n > 4 && s[3] >= '1' && s[3] <= '9' && pb_starts(s + 4, n - 4, "部分")) return s[3] - '0';
    return 0;
}

/* '- 3 -', '第 3 页', '3': what a PDF converter leaves at page breaks. */
static int is_page_residue(const char *s, size_t n) {
    if (n == 0 || n > 24) return 0;
    int digits = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] >= '0' && s[i] <= '9') digits++, i++;
        else if (s[i] == '-' || s[i] == '_' || s[i] == '/' || s[i] == '.') i++;
        else if (pb_starts(s + i, n - i, "第") || pb_starts(s + i, n - i, "页") ||
                 pb_starts(s + i, n - i, "共") || pb_starts(s + i, n - i, "—"))
            i += 3;
        else return 0;
    }
    return digits > 0 && digits <= 4;
}

/* '续表', '(续表)', '续表2', '续上表', '接上表': a table going on after a page break. */
static int is_continued_marker(const char *s, size_t n) {
    if (n > 30) return 0;
    if (pb_starts(s, n, "(") && pb_ends(s, n, ")")) s++, n -= 2;
    /* every marker starts with 续 or 接 (what follows only shortens it): one look rejects the rest */
    if (!pb_starts(s, n, "续") && !pb_starts(s, n, "接")) return 0;
    while (n > 0 && s[n - 1] >= '0' && s[n - 1] <= '9') n--;
    if (n >= 3 && cn_numeral_at(s + n - 3)) n -= 3;
    if (n > 0 && s[n - 1] == ':') n--;
    return (n == 6 && (pb_starts(s, n, "续表") || pb_starts(s, n, "续上"))) || (n == 3 && pb_starts(s, n, "续")) ||
           (n == 9 && (pb_starts(s, n, "续上表") || pb_starts(s, n, "接上表")));
}

/* A running page header that a converter leaves inside a table: the
 * document's title again ('某局2025年部门预算', '2025年部门预算公开'): a year,
 * no other figure, and a title's tail. */
static int is_running_header(pb_line *l, const char *s, size_t n) {
    static const char *const tails[] = {"部门预算", "部门决算", "单位预算", "单位决算", "预算公开", "决算公开",
                                        "预算公开说明", "决算公开说明", NULL};
    if (n > 120 || n < 15) return 0;
    /* every tail ends in 算 (E7 AE 97), 开 (E5 BC 80) or 明 (E6 98 8E): one look at
     * the last byte rejects almost every line, the whole character the rest */
    unsigned char last = (unsigned char)s[n - 1];
    if (last != 0x97 && last != 0x80 && last != 0x8E) return 0;
    if (!pb_ends(s, n, "算") && !pb_ends(s, n, "开") && !pb_ends(s, n, "明")) return 0;
    int tail = 0;
    for (int k = 0; tails[k] && !tail; k++) tail = pb_ends(s, n, tails[k]);
    if (!tail) return 0;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) digits += s[i] >= '0' && s[i] <= '9';
    return pb_text_cells(l, 2) == 1 && digits == 4 && pb_find_year(s, n);
}

/* '预算公开表1', '决算公开表3', '部门公开表9', '表一', '附表2': labels printed
 * above a table title: a few words ending in 表, then a number. */
static int is_table_marker(const char *s, size_t n) {
    if (n > 15 + 24) return 0; /* a few words and a number: most lines are longer */
    size_t end = n;
    int number = 0;
    for (;;) {
        if (end > 0 && s[end - 1] >= '0' && s[end - 1] <= '9') {
            end--, number = 1;
            continue;
        }
        if (end < 3 || !cn_numeral_at(s + end - 3)) break;
        end -= 3, number = 1;
    }
    return number && end > 0 && end <= 15 && pb_ends(s, end, "表") && !pb_contains(s, end, "收") &&
           !pb_contains(s, end, "支");
}

/* The heading of the tables' part, not a table: '附件：某局2025年部门预算表',
 * '2025年部门预算公开表', '…单位决算表' (s without its trailing groups). */
static int is_tables_heading(const char *s, size_t n) {
    static const char *const tails[] = {"部门预算表", "部门决算表", "单位预算表", "单位决算表", NULL};
    if (pb_contains(s, n, "公开") || pb_contains(s, n, "附件")) return 1;
    for (int k = 0; tails[k]; k++)
        if (pb_ends(s, n, tails[k])) return 1;
    return 0;
}

/* Table kind if the line is a table title, else NULL. */
static const char *title_kind(pb_line *l, size_t *stripped_n) {
    const char *s = l->squeezed.data;
    size_t n = l->squeezed.len;
    if (n > 150) return NULL;
    /* Strip trailing groups: (不含上年结转), (本年预算), (2025年度), (续). */
    for (int round = 0; round < 3 && n > 0 && s[n - 1] == ')'; round++) {
        size_t k = n - 1;
        int depth = 0;
        while (k > 0) {
            if (s[k] == ')') depth++;
            else if (s[k] == '(' && --depth == 0) break;
            k--;
        }
        if (s[k] != '(' || k == 0) return NULL;
        n = k;
    }
    if (!pb_ends(s, n, "表")) return NULL;
    /* counted after the test of 表, which most lines fail: rows padded with empty cells are long to count */
    if (pb_text_cells(l, 3) > 2) return NULL;
    /* a sentence that ends in 表 is prose (tested last: most lines fail the 表 test) */
    size_t whole = l->squeezed.len;
    if (pb_contains(s, whole, "。") || pb_contains(s, whole, "，") || pb_contains(s, whole, ",") ||
        pb_contains(s, whole, "；"))
        return NULL;
    *stripped_n = n;
    const char *kind = pb_table_kind_from_title(s, l->squeezed.len);
    /* A table of a kind not known here ('2025年部门专项资金明细表'): a table all the
     * same, so its rows are kept and are not read into the table before it. A
     * dated title without an ordinal ('二、…表' is a heading) and not a section's
     * name ('…预算公开表'). */
    if (!kind && pb_find_year(s, whole) && !pb_ordinal_prefix(s, whole) && !is_tables_heading(s, n))
        kind = "other";
    return kind;
}

static int emit_meta(pb_parser *p, uint64_t line, const char *key, const char *v, size_t n) {
    long r = pb_rec_new(p, PB_R_META, line, -1);
    if (r < 0) return -1;
    if (pb_rec_fieldz(p, r, 0, key) < 0) return -1;
    return pb_rec_field(p, r, 1, v, n);
}

static int document_title(pb_parser *p, pb_line *l) {
    const char *s = l->squeezed.data;
    size_t n = l->squeezed.len;
    if (n > 200 || pb_text_cells(l, 4) > 3) return 0;
    if (!(pb_contains(s, n, "预算") || pb_contains(s, n, "决算"))) return 0;
    int year = pb_find_year(s, n);
    /* '某局2022年部门预算' without 公开 is a title too when it comes first and is short */
    if (!(pb_contains(s, n, "公开") || pb_contains(s, n, "报告") || pb_contains(s, n, "说明")) &&
        !(year && n <= 90 && !pb_ends(s, n, "表")))
        return 0;
    /* The department: the title without its year and its '部门预算公开' tail. */
    char dept[256];
    size_t dn = 0;
    for (size_t i = 0; i < n && dn < sizeof dept - 1;) {
        if (s[i] >= '0' && s[i] <= '9') {
            size_t k = i;
            while (k < n && s[k] >= '0' && s[k] <= '9') k++;
            if (k - i == 4 && pb_starts(s + k, n - k, "年")) {
                i = k + 3;
                if (pb_starts(s + i, n - i, "度")) i += 3;
                continue;
            }
        }
        dept[dn++] = s[i++];
    }
    dept[dn] = '\0';
    static const char *const tails[] = {"部门预算", "部门决算", "单位预算", "单位决算", "预算公开",
                                        "决算公开", "预算", "决算", NULL};
    for (int k = 0; tails[k]; k++) {
        char *hit = strstr(dept, tails[k]);
        if (hit) {
            *hit = '\0';
            dn = (size_t)(hit - dept);
            break;
        }
    }
    pb_buf *title = &p->scratch;
    title->len = 0;
    if (dn == 0 && p->prev_text.len) {
        memcpy(dept, p->prev_text.data, p->prev_text.len < sizeof dept - 1 ? p->prev_text.len : sizeof dept - 1);
        dn = p->prev_text.len < sizeof dept - 1 ? p->prev_text.len : sizeof dept - 1;
        dept[dn] = '\0';
        if (pb_buf_append(p, title, dept, dn) < 0 || pb_buf_putc(p, title, ' ') < 0) return -1;
    }
    if (pb_squeeze(p, title, l->text.data, l->text.len) < 0) return -1;
    p->title_found = 1;
    if (year) p->year = year;
    char ybuf[8];
    snprintf(ybuf, sizeof ybuf, "%d", year);
    const char *kind = pb_contains(s, n, "决算") ? "final" : "budget";
    if (emit_meta(p, l->no, "title", title->data, title->len) < 0) return -1;
    if (dn && emit_meta(p, l->no, "department", dept, dn) < 0) return -1;
    if (year && emit_meta(p, l->no, "year", ybuf, strlen(ybuf)) < 0) return -1;
    if (emit_meta(p, l->no, "kind", kind, strlen(kind)) < 0) return -1;
    return 1;
}

static int emit_text(pb_parser *p, pb_line *l, pb_record_kind kind) {
    const char *text = l->squeezed.data;
    size_t n = l->squeezed.len;
    if (n != l->text.len) { /* blanks to squeeze; most prose lines have none */
        pb_buf *b = &p->scratch;
        b->len = 0;
        if (pb_squeeze(p, b, l->text.data, l->text.len) < 0) return -1;
        text = b->data;
        n = b->len;
    }
    long r = pb_rec_new(p, kind, l->no, -1);
    if (r < 0) return -1;
    return pb_rec_field(p, r, 0, text, n);
}

static int toc_entry(pb_parser *p, pb_line *l) {
    const char *s = l->squeezed.data;
    size_t n = l->squeezed.len;
    size_t end = n, page_start = n;
    while (page_start > 0 && s[page_start - 1] >= '0' && s[page_start - 1] <= '9') page_start--;
    if (page_start == 0) page_start = n; /* all digits: no page, just text */
    end = page_start;
    while (end > 0 && (s[end - 1] == '.' || pb_ends(s, end, "…") || pb_ends(s, end, "·")))
        end -= s[end - 1] == '.' ? 1 : 3;
    long r = pb_rec_new(p, PB_R_TOC, l->no, -1);
    if (r < 0) return -1;
    if (pb_rec_field(p, r, 0, s, end) < 0) return -1;
    return pb_rec_field(p, r, 1, s + page_start, n - page_start);
}

static int begin_part(pb_parser *p, pb_line *l, int ordinal) {
    if (p->table.open && pb_table_end(p) < 0) return -1;
    p->doc = PB_D_BODY;
    p->parts_seen |= 1u << ordinal;
    return emit_text(p, l, PB_R_PART);
}

static int starts_perf_project(pb_parser *p, pb_line *l) {
    pb_table *t = &p->table;
    const char *s = l->squeezed.data;
    size_t n = l->squeezed.len;
    if (!pb_starts(s, n, "项目名")) return 0;
    if (pb_contains(s, n, "合计") || pb_contains(s, n, "金额")) return 0;
    if (t->open && strcmp(t->kind, "performance") == 0) return 0;
    if (t->open && t->state == PB_T_HEAD) return 0;
    return 1;
}

int pb_document_line(pb_parser *p, pb_line *l) {
    const char *s = l->squeezed.data ? l->squeezed.data : "";
    size_t n = l->squeezed.len;
    if (n == 0) {
        if (p->table.open) return pb_table_line(p, l) < 0 ? -1 : 0;
        return 0;
    }
    if (is_page_residue(s, n) || is_table_marker(s, n) || is_continued_marker(s, n)) return 0;
    if (p->table.open && is_running_header(l, s, n)) return 0;
    int part = part_ordinal(s, n);
    if (p->doc == PB_D_TOC) {
        int leave = (part && (p->toc_parts_seen & (1u << part))) ||
                    (p->toc_first.len && p->toc_first.len == n && memcmp(p->toc_first.data, s, n) == 0) ||
                    (pb_text_cells(l, 2) == 1 && n > 120 && !(s[n - 1] >= '0' && s[n - 1] <= '9')) ||
                    pb_starts(s, n, "部门名称");
        if (!leave) {
            if (part) p->toc_parts_seen |= 1u << part;
            /* the body starts where the first entry comes again ('一、部门基本情况') */
            if (!p->toc_first.len && pb_buf_append(p, &p->toc_first, s, n > 200 ? 200 : n) < 0) return -1;
            return toc_entry(p, l);
        }
        p->doc = PB_D_BODY;
    }
    if (n == 6 && memcmp(s, "目录", 6) == 0) { /* the text has no NUL (the decoder drops them) */
        if (p->table.open && pb_table_end(p) < 0) return -1;
        p->doc = PB_D_TOC;
        return 0;
    }
    if (part) return begin_part(p, l, part);
    if (!p->title_found && p->tables_seen == 0 && !p->parts_seen) {
        int r = document_title(p, l);
        if (r) return r < 0 ? -1 : 0;
        p->prev_text.len = 0;
        if (pb_buf_append(p, &p->prev_text, s, n > 200 ? 200 : n) < 0) return -1;
    }
    size_t stripped;
    const char *kind = title_kind(l, &stripped);
    /* '…支出总表(续)' over the rest of the open table of that kind: the same table goes on */
    if (kind && p->table.open && strcmp(kind, p->table.kind) == 0 && pb_contains(s, n, "续")) return 0;
    if (kind) {
        if (!p->year) p->year = pb_find_year(s, n);
        return pb_table_begin(p, kind, s, n, l->no);
    }
    if (starts_perf_project(p, l)) {
        if (pb_table_begin(p, "performance", "", 0, l->no) < 0) return -1;
        return pb_table_line(p, l) < 0 ? -1 : 0;
    }
    if (p->table.open) {
        int r = pb_table_line(p, l);
        if (r < 0) return -1;
        if (r == 1) return 0;
        if (pb_table_end(p) < 0) return -1;
    }
    int pow10, pending;
    if (n <= 90 && pb_unit_from_line(s, n, &pow10, &pending) && !pending) {
        p->unit_line_pow10 = pow10;
        p->unit_line_no = l->no;
        return 0;
    }
    return emit_text(p, l, PB_R_TEXT);
}

int pb_document_finish(pb_parser *p) {
    if (p->table.open && pb_table_end(p) < 0) return -1;
    if (!p->title_found && p->tables_seen == 0)
        return pb_set_error(p, PB_E_NOT_DISCLOSURE, p->line_no, "%llu lines read",
                            (unsigned long long)p->line_no);
    if (!p->title_found && p->year) {
        char ybuf[8];
        snprintf(ybuf, sizeof ybuf, "%d", p->year);
        if (emit_meta(p, 0, "year", ybuf, strlen(ybuf)) < 0) return -1;
    }
    return 0;
}

void pb_document_free(pb_parser *p) {
    pb_table_free(p, &p->table);
    pb_buf_free(p, &p->toc_first);
}
