/* Line normalisation: full-width forms, odd spaces, markdown and HTML residue,
 * and cell splitting by tabs, '|' or runs of two or more spaces. */
#include "pb_internal.h"
#include "pb_scan.h"

#include <string.h>

size_t pb_utf8_len(unsigned char c) {
    if (c < 0x80) return 1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    return 4;
}

static uint32_t decode_cp(const unsigned char *s, size_t n, size_t *len) {
    size_t l = pb_utf8_len(s[0]);
    if (l > n || (s[0] >= 0x80 && s[0] < 0xC0)) {
        *len = 1;
        return 0xFFFD;
    }
    *len = l;
    switch (l) {
    case 1: return s[0];
    case 2: return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3: return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    default:
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
}

static int is_wide(uint32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

static inline int add_cell(pb_parser *p, pb_line *l, size_t off, size_t len, int32_t x0, int32_t x1, int32_t c0,
                           int32_t c1);

void pb_text_extent(const char *s, size_t n, int32_t *width, int32_t *chars) {
    *width = *chars = 0;
    for (size_t i = 0, len; i < n; i += len, (*chars)++)
        *width += is_wide(decode_cp((const unsigned char *)s + i, n - i, &len)) ? 2 : 1;
}

/* count empty cells (columns an HTML cell spans, or that a rowspan above covers) */
static int add_empty_cells(pb_parser *p, pb_line *l, int count, int32_t *cell_idx, size_t *cell_start, size_t rest) {
    if (count <= 0) return 0;
    if (pb_buf_reserve(p, &l->text, rest + (size_t)count + 8) < 0) return -1;
    for (int k = 0; k < count; k++, (*cell_idx)++) {
        if (add_cell(p, l, l->text.len, 0, *cell_idx, *cell_idx + 1, *cell_idx, *cell_idx + 1) < 0) return -1;
        l->text.data[l->text.len++] = '\t';
    }
    *cell_start = l->text.len;
    return 0;
}

/* Bytes a line keeps as they are: not a blank, control, '&', '<', '*', '_' or '|',
 * and not the lead of a character that is mapped (C2: no-break space; E2: odd
 * spaces, zero widths, minus; E3: ideographic space; EF: full-width forms,
 * BOM). A run of them is copied in one go: any run in a tab-separated line,
 * where cells need no positions; in other lines, runs of ASCII and CJK
 * ideographs, whose widths are known. */
static const unsigned char tab_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Whether the decoding branch of pb_normalize_line maps the character cp
 * (U+0080 and above) to another text: spaces, zero widths, full-width forms,
 * the minus sign. Keep the two in step. */
static inline int is_mapped(uint32_t cp) {
    return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200D) || cp == 0x202F || cp == 0x205F || cp == 0x2060 ||
           cp == 0x2212 || cp == 0x3000 || cp == 0xFEFF || (cp >= 0xFF01 && cp <= 0xFF5E);
}

/* The length of the character at s (n bytes left) when its lead is one tab_plain
 * stops at (C2, E2, E3, EF) but the character itself is not mapped ('、', '。',
 * '≥', '“', '…'), or 0: such characters are kept as they are too. Their bytes
 * after the lead must be continuation bytes, as the decoding branch would
 * swallow any (a tab) into the character. */
static inline size_t unmapped_char(const unsigned char *s, size_t n) {
    if (s[0] < 0xC0) return 0; /* ASCII: blanks, controls, markup */
    if (s[0] < 0xE0) { /* C2 */
        if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
        return is_mapped((uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F)) ? 0 : 2;
    }
    if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    return is_mapped((uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F)) ? 0 : 3;
}

/* Full-width forms U+FF01–U+FF5E ('（', '，', '：', '１'): the ASCII character
 * the decoding branch maps the one at s (n bytes left) to, or 0. */
static inline char full_width_ascii(const unsigned char *s, size_t n) {
    if (n < 3 || s[0] != 0xEF || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    uint32_t cp = 0xF000 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return cp >= 0xFF01 && cp <= 0xFF5E ? (char)(cp - 0xFEE0) : 0;
}

/* How a tab-separated line can be read whole: 1 when it keeps every byte as
 * it is (bytes of tab_plain, tabs, characters that are not mapped), 2 when
 * besides it has full-width forms, each mapped to one ASCII byte, 0 when it
 * has anything else (blanks, markup, entities, other mapped characters). */
static int tab_line_kind(const unsigned char *u, size_t n) {
    int kind = 1;
    for (size_t i = 0;;) {
        i = pb_scan_tab_line(u, i, n);
        while (i < n && (tab_plain[u[i]] || u[i] == '\t')) i++; /* lines shorter than a vector */
        if (i == n) return kind;
        size_t len = unmapped_char(u + i, n - i);
        if (!len && full_width_ascii(u + i, n - i)) len = 3, kind = 2;
        if (!len) return 0;
        i += len;
    }
}

/* Whether s[i] leads a wide character of three bytes that a space-aligned line
 * keeps as it is: a CJK ideograph (E4–E9) or a CJK symbol (E3: '、', '。', '《')
 * but the ideographic space U+3000, whatever its bytes after decode to (as
 * decode_cp reads them). */
static inline int kept_wide(const unsigned char *s, size_t i, size_t n) {
    unsigned char c = s[i];
    return c >= 0xE3 && c <= 0xE9 && i + 2 < n && (c != 0xE3 || ((s[i + 1] | s[i + 2]) & 0x3F) != 0);
}

/* Stores a cell whose text has no spaces at its ends (see add_cell). */
static inline int store_cell(pb_parser *p, pb_line *l, size_t off, size_t len, int32_t x0, int32_t x1, int32_t c0,
                             int32_t c1) {
    if (l->ncells >= p->opt.max_cells) {
        if (l->ncells == p->opt.max_cells) {
            l->ncells++; /* count once past the limit: warn a single time */
            if (p->opt.strict)
                return pb_set_error(p, PB_E_TOO_MANY_CELLS, l->no, "limit %zu", p->opt.max_cells);
            return pb_warn(p, l->no, PB_W_CELLS_DROPPED, "limit %zu", p->opt.max_cells);
        }
        return 0;
    }
    pb_cell *cells = pb_grow_items(p, l->cells, &l->cells_cap, l->ncells, sizeof *cells, 32);
    if (!cells) return -1;
    l->cells = cells;
    pb_cell *c = &l->cells[l->ncells++];
    c->off = (uint32_t)off;
    c->len = (uint32_t)len;
    c->x0 = x0;
    c->x1 = x1;
    c->c0 = c0;
    c->c1 = c1;
    c->number = 0;
    return 0;
}

static inline int add_cell(pb_parser *p, pb_line *l, size_t off, size_t len, int32_t x0, int32_t x1, int32_t c0,
                    int32_t c1) {
    /* trim spaces */
    while (len > 0 && l->text.data[off] == ' ') off++, len--;
    while (len > 0 && l->text.data[off + len - 1] == ' ') len--;
    return store_cell(p, l, off, len, x0, x1, c0, c1);
}


/* pdftotext -layout leaves a single space where a long name nearly touches the
 * next column ('…缴费支出 72.05', '…任务完成率 100%'): the inner space of the
 * cell [start, end) after which a figure follows a name, or NULL. */
static const pb_space *glued_figure(const char *text, size_t start, size_t end, const pb_space *inner,
                                       int ninner) {
    for (int k = 0; k < PB_INNER_SPACES && k < ninner; k++) {
        const pb_space *sp = &inner[(ninner - 1 - k) % PB_INNER_SPACES];
        if (sp->off <= start) break; /* a space of an earlier cell */
        if (pb_figure_after_name(text, sp->off, end)) return sp;
    }
    return NULL;
}

/* Ends a cell of a space-aligned line: a figure glued to a name becomes a cell
 * of its own at its own position. The line's first cell is split only once a
 * second one shows the line is aligned in columns (a line of single-spaced
 * words is not: see CELLS_NOT_SEPARATED); *deferred keeps where. */
static int add_layout_cell(pb_parser *p, pb_line *l, size_t start, int32_t x0, int32_t x1, int32_t c0, int32_t c1,
                           const pb_space *inner, int ninner, pb_space *deferred) {
    size_t end = l->text.len;
    const pb_space *sp = glued_figure(l->text.data, start, end, inner, ninner);
    int first = 1;
    for (size_t k = 0; k < l->ncells && first; k++) first = l->cells[k].len == 0;
    if (sp && first) {
        *deferred = *sp;
        sp = NULL;
    }
    if (!sp) return add_cell(p, l, start, end - start, x0, x1, c0, c1);
    if (add_cell(p, l, start, sp->off - start, x0, sp->x0, c0, sp->c0) < 0) return -1;
    return add_cell(p, l, sp->off + 1, end - sp->off - 1, sp->x1, x1, sp->c1, c1);
}

/* Splits the first non-empty cell at the deferred inner space when the line
 * has others; a line of one cell keeps the place in l->glued for the table. */
static int split_first_cell(pb_parser *p, pb_line *l, const pb_space *sp) {
    size_t first = 0, nonempty = 0;
    for (size_t k = 0; k < l->ncells; k++)
        if (l->cells[k].len && !nonempty++) first = k;
    if (nonempty == 1) l->glued = *sp;
    return nonempty < 2 ? 0 : pb_cut_cell(p, l, first, sp) < 0 ? -1 : 0;
}

/* No HTML row is covered by a rowspan any more: a table begins or ends. */
static void clear_rowspans(pb_parser *p) {
    memset(p->html_rowspan, 0, sizeof p->html_rowspan);
    p->html_rowspan_live = 0;
}

/* Copies a run of n bytes of a line into the text and its squeezed copy. */
static inline void copy_run(char *a, char *b, const char *s, size_t n) {
    pb_copy_small(a, s, n);
    pb_copy_small(b, s, n);
}

/* Copies a tab-separated line that tab_line_kind can read whole into the text
 * of l and its squeezed copy, full-width forms (if forms) turned to ASCII, and
 * adds a cell for each tab: all but the line's last cell, which starts at
 * *cell_start. The text's length through *text_len, the squeezed copy's
 * through *sqn, cells through *cell_idx. Returns 0, or -1 on error. */
#if defined(__GNUC__) /* inline for each kind: GCC would keep one copy out of line, at a call's cost */
__attribute__((always_inline))
#endif
static inline int cut_tab_line(pb_parser *p, pb_line *l, const unsigned char *u, size_t n, int forms,
                               size_t *text_len, size_t *sqn, int32_t *cell_idx, size_t *cell_start) {
    /* in locals: the stores of bytes might alias l's fields for the compiler */
    const char *s = (const char *)u;
    char *text = l->text.data, *sq = l->squeezed.data;
    size_t start = 0, out = 0, sqo = 0, cell_off = 0; /* start: where the bytes not yet copied begin */
    int32_t idx = 0;
    unsigned char form = forms ? 0xEF : '\t'; /* the full-width forms' lead, where there are some */
    for (size_t at = 0; at < n; at += 16) {
        for (unsigned m = pb_mask2(u, at, n, '\t', form); m; m &= m - 1) {
            size_t k = at + (size_t)__builtin_ctz(m);
            copy_run(text + out, sq + sqo, s + start, k - start);
            out += k - start;
            sqo += k - start;
            start = k; /* an EF character that is not a full-width form is copied with what follows */
            if (!forms || u[k] == '\t') {
                text[out] = '\t';
                if (store_cell(p, l, cell_off, out - cell_off, idx, idx + 1, idx, idx + 1) < 0) return -1;
                idx++;
                cell_off = ++out;
                start = k + 1;
            } else {
                char ascii = full_width_ascii(u + k, n - k);
                if (ascii) text[out++] = sq[sqo++] = ascii, start = k + 3;
            }
        }
    }
    copy_run(text + out, sq + sqo, s + start, n - start);
    *text_len = out + (n - start);
    *sqn = sqo + (n - start);
    *cell_idx = idx;
    *cell_start = cell_off;
    return 0;
}

int pb_normalize_line(pb_parser *p, const char *s, size_t n, unsigned marks, pb_line *l) {
    l->no = p->line_no;
    l->glued.off = 0;
    l->text.len = 0;
    l->ncells = 0;
    if (pb_buf_reserve(p, &l->text, n + 8) < 0) return -1;
    /* The squeezed copy (no blanks) is written alongside the text, in the same pass. */
    l->squeezed.len = 0;
    if (pb_buf_reserve(p, &l->squeezed, n + 8) < 0) return -1;
    char *sq = l->squeezed.data;
    size_t sqn = 0;
    if (n == 0 && p->opt.max_cells > 0) { /* a blank line (a quarter of them): no cell, nothing to warn */
        l->tab_mode = 0;
        l->text.data[0] = sq[0] = '\0';
        return 0;
    }
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    /* Positions in display columns (CJK two wide, as terminals and the generator print)
     * and in characters (as pdftotext -layout places glyphs); tables pick one. */
    int32_t x = 0, xc = 0;
    /* Leading spaces count for layout positions. */
    while (i < n && (s[i] == ' ')) i++, x++, xc++;
    int pipe_mode = i < n && s[i] == '|';
    /* An HTML table row: <td> and <th> start cells, tabs are blanks. */
    int html_mode = !pipe_mode && (marks & PB_MARK_LT) && pb_html_has_cells(s, n);
    int html_cells = 0, html_colspan = 1;
    int tab_mode = pipe_mode || html_mode || (marks & PB_MARK_TAB);
    l->tab_mode = tab_mode;
    if (pipe_mode) i++;
    /* Markdown block markers at the start of the line. */
    size_t j = i;
    while (j < n && s[j] == '#' && j - i < 6) j++;
    if (j > i && (j == n || s[j] == ' ')) i = j;
    else if (i + 1 < n && (s[i] == '>' ) && s[i + 1] == ' ') i += 2;
    else if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ' &&
             i + 2 < n && s[i + 2] != ' ' && s[i + 2] != '\t')
        i += 2;
    size_t cell_start = 0;
    int32_t cell_x0 = tab_mode ? 0 : x, cell_idx = 0, last_x = x, cell_c0 = xc, last_c = xc;
    int spaces = 0; /* pending spaces inside a cell */
    int32_t space_x = x, space_c = xc;
    int cell_has_text = 0;
    pb_space inner[PB_INNER_SPACES], deferred = {0, 0, 0, 0, 0};
    int ninner = 0;
    pb_buf *t = &l->text;
    /* Most tab-separated lines keep every byte as it is (text, CJK, unmapped
     * symbols; no blanks, markup, entities or mapped characters) but for
     * full-width forms: the text is then the line, with each form turned to
     * its ASCII byte and a cell ended at each tab. One pass tells such a line,
     * a second copies it between tabs (and forms); the loop below reads all
     * others. */
    int kind = tab_mode && !pipe_mode && !html_mode && i == 0 ? tab_line_kind(u, n) : 0;
    if (kind) {
        /* kind 1, the most, with the code for full-width forms left out */
        size_t text_len;
        int r = kind == 1 ? cut_tab_line(p, l, u, n, 0, &text_len, &sqn, &cell_idx, &cell_start)
                          : cut_tab_line(p, l, u, n, 1, &text_len, &sqn, &cell_idx, &cell_start);
        if (r < 0) return -1;
        t->len = text_len; /* the last cell is added below, as the loop's is */
        i = n;
    }
    while (i < n) {
        unsigned char c = u[i];
        if (c == ' ') { /* the commonest character after text: a run is counted at once */
            size_t end = i + 1;
            while (end < n && u[end] == ' ') end++;
            if (spaces == 0) space_x = x, space_c = xc;
            spaces += (int)(end - i);
            x += (int32_t)(end - i), xc += (int32_t)(end - i);
            i = end;
            continue;
        }
        /* Kept as they are, in runs (see tab_plain): in a tab-separated line any
         * byte of tab_plain and characters that are not mapped; elsewhere plain
         * ASCII, CJK ideographs (U+4E00–U+9FFF, most of the text) and CJK
         * symbols, whose widths are known. */
        int kept = (tab_mode || c < 0x80) ? tab_plain[c] : kept_wide(u, i, n);
        size_t kept_len = kept; /* bytes of the first character of a tab-separated run */
        if (!kept && tab_mode) kept = (kept_len = unmapped_char(u + i, n - i)) != 0;
        uint32_t out = 0;
        size_t len = 0;
        int width = 0;
        if (!kept) {
            if ((c == '\t' && !html_mode) || (pipe_mode && c == '|')) {
                size_t len_cell = t->len - cell_start;
                if (add_cell(p, l, cell_start, len_cell, cell_idx, cell_idx + 1, cell_idx, cell_idx + 1) < 0) return -1;
                t->data[t->len++] = '\t';
                cell_start = t->len;
                cell_idx++;
                spaces = 0;
                cell_has_text = 0;
                i++;
                continue;
            }
            if (c == '<') {
                size_t tl;
                int cell_tag;
                /* the tags a row holds most, told without parsing them */
                if (n - i >= 5 && memcmp(s + i, "</td>", 5) == 0) tl = 5, cell_tag = 0;
                else if (n - i >= 4 && memcmp(s + i, "<td>", 4) == 0) tl = 4, cell_tag = 1;
                else {
                    tl = pb_html_tag_len(s + i, n - i);
                    cell_tag = tl && s[i + 1] != '/' && pb_html_cell_tag(s + i, tl);
                }
                if (cell_tag && html_mode) {
                    if (html_cells++) { /* the cell before ends here, with the columns it spans */
                        if (add_cell(p, l, cell_start, t->len - cell_start, cell_idx, cell_idx + 1, cell_idx,
                                     cell_idx + 1) < 0)
                            return -1;
                        t->data[t->len++] = '\t';
                        cell_start = t->len;
                        cell_idx++;
                        if (add_empty_cells(p, l, html_colspan - 1, &cell_idx, &cell_start, n - i) < 0) return -1;
                    } else { /* what came before the first cell is markup, not a cell */
                        t->len = cell_start = 0;
                        sqn = 0;
                    }
                    /* columns a rowspan cell of a row above still covers */
                    int covered = 0;
                    while (cell_idx + covered < PB_MAX_SLOTS && p->html_rowspan[cell_idx + covered])
                        p->html_rowspan[cell_idx + covered++]--;
                    if (add_empty_cells(p, l, covered, &cell_idx, &cell_start, n - i) < 0) return -1;
                    /* a span needs room for its name and '=' ('<td rowspan=2>'); mostly '<td>' */
                    html_colspan = tl > 8 ? pb_html_span(s + i, tl, "colspan") : 1;
                    int rowspan = tl > 8 ? pb_html_span(s + i, tl, "rowspan") : 1;
                    for (int k = 0; rowspan > 1 && k < html_colspan && cell_idx + k < PB_MAX_SLOTS; k++) {
                        p->html_rowspan[cell_idx + k] = (uint8_t)(rowspan - 1);
                        p->html_rowspan_live = 1;
                    }
                    spaces = 0;
                    cell_has_text = 0;
                    i += tl;
                    continue;
                }
                if (tl && p->html_rowspan_live && pb_html_tag_is(s + i, tl, "table")) clear_rowspans(p);
                if (tl) {
                    /* <br> is a soft line break inside a cell: keep a space */
                    if (tl >= 4 && (s[i + 1] == 'b' || s[i + 1] == 'B') && (s[i + 2] == 'r' || s[i + 2] == 'R'))
                        spaces++;
                    i += tl;
                    continue;
                }
            }
            if ((c == '*' || c == '_') && i + 1 < n && u[i + 1] == c) {
                i += 2; /* **bold** and __bold__ markers */
                continue;
            }
            /* one character that may be mapped: decoded */
            uint32_t cp = c == '&' ? pb_html_entity(s + i, n - i, &len) : 0;
            if (!cp) cp = decode_cp(u + i, n - i, &len);
            width = is_wide(cp) ? 2 : 1;
            out = cp;
            if (cp >= 0xFF01 && cp <= 0xFF5E) out = cp - 0xFEE0;
            else if (cp == 0x3000 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
                     cp == 0x205F || cp == ' ')
                out = ' ';
            else if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == '\f') {
                i += len;
                continue;
            } else if (cp < 0x20 || cp == 0x7F)
                out = ' ';
            else if (cp == 0x2212)
                out = '-';
            if (out == ' ') {
                if (spaces == 0) space_x = x, space_c = xc;
                spaces++;
                x += width;
                xc++;
                i += len;
                continue;
            }
        }
        /* Text follows: the spaces before it end a cell (two or more in a
         * space-aligned line), become one space inside it, or are dropped. */
        if (spaces) {
            if (!tab_mode && spaces >= 2 && cell_has_text) {
                if (add_layout_cell(p, l, cell_start, cell_x0, space_x, cell_c0, space_c, inner, ninner, &deferred) < 0)
                    return -1;
                t->data[t->len++] = '\t';
                cell_start = t->len;
                cell_has_text = 0;
            } else if (cell_has_text) {
                if (!tab_mode) inner[ninner++ % PB_INNER_SPACES] = (pb_space){t->len, space_x, x, space_c, xc};
                t->data[t->len++] = ' ';
            }
            spaces = 0;
        }
        if (!cell_has_text && !tab_mode) cell_x0 = x, cell_c0 = xc;
        cell_has_text = 1;
        if (kept && tab_mode) {
            /* tab-separated cells need no positions: copy the run of kept bytes,
             * through characters that are not mapped */
            size_t end = i + kept_len, len;
            for (;;) {
                end = pb_scan_kept_from(u, end, n);
                while (end < n && tab_plain[u[end]]) end++; /* lines shorter than a vector */
                if (end < n && (len = unmapped_char(u + end, n - end)) != 0) end += len;
                else break;
            }
            copy_run(t->data + t->len, sq + sqn, s + i, end - i);
            t->len += end - i;
            sqn += end - i;
            i = end;
            continue;
        }
        if (kept) {
            /* A run of plain ASCII and CJK characters: copied in one go, positions
             * advanced by its width. The vector scan leaves the bytes after its
             * last whole block to the loop, and stops at CJK symbols ('、'): the
             * loop takes one and goes back to the scan while a block is left. */
            int32_t run_width = 0, chars = 0;
            size_t end = i;
            for (int more = 1; more;) {
                int32_t w, ch;
                end = pb_scan_wide_from(u, end, n, &w, &ch);
                run_width += w, chars += ch;
                for (more = 0;;) {
                    unsigned char d = end < n ? u[end] : 0;
                    if (d < 0x80) {
                        if (!tab_plain[d]) break;
                        end++, run_width++, chars++;
                    } else {
                        if (!kept_wide(u, end, n)) break;
                        end += 3, run_width += 2, chars++;
                        if (d == 0xE3 && end + 16 <= n) {
                            more = 1;
                            break;
                        }
                    }
                }
            }
            copy_run(t->data + t->len, sq + sqn, s + i, end - i);
            t->len += end - i;
            sqn += end - i;
            last_x = x += run_width;
            last_c = xc += chars;
            i = end;
            continue;
        }
        if (out < 0x80) {
            t->data[t->len++] = (char)out;
            sq[sqn++] = (char)out;
        } else {
            copy_run(t->data + t->len, sq + sqn, s + i, len);
            t->len += len;
            sqn += len;
        }
        x += width;
        last_x = x;
        last_c = ++xc;
        i += len;
    }
    if (tab_mode && !(pipe_mode && t->len == cell_start && l->ncells > 0)) {
        if (add_cell(p, l, cell_start, t->len - cell_start, cell_idx, cell_idx + 1, cell_idx, cell_idx + 1) < 0)
            return -1;
    } else if (!tab_mode) {
        if (add_layout_cell(p, l, cell_start, cell_x0, last_x, cell_c0, last_c, inner, ninner, &deferred) < 0 ||
            (deferred.off && split_first_cell(p, l, &deferred) < 0))
            return -1;
    }
    t->data[t->len] = '\0';
    if (p->html_rowspan_live) {
        if (html_mode) { /* a row ends: covered columns after its last cell are passed too */
            for (int32_t k = cell_idx + html_colspan; k < PB_MAX_SLOTS; k++)
                if (p->html_rowspan[k]) p->html_rowspan[k]--;
        } else if (t->len) { /* text that is not a row ends the table */
            clear_rowspans(p);
        }
    }
    if (l->ncells > p->opt.max_cells) l->ncells = p->opt.max_cells;
    /* Drop empty cells in layout mode: there, position carries the meaning. */
    if (!tab_mode) {
        size_t k = 0;
        for (size_t m = 0; m < l->ncells; m++)
            if (l->cells[m].len) l->cells[k++] = l->cells[m];
        l->ncells = k;
    }
    if (pipe_mode) {
        /* |---|:---| separator rows carry nothing */
        int only_rule = 1;
        for (size_t m = 0; m < t->len; m++) {
            char ch = t->data[m];
            if (ch != '-' && ch != ':' && ch != '\t' && ch != ' ') only_rule = 0;
        }
        if (only_rule) l->ncells = 0;
    }
    l->squeezed.len = l->ncells ? sqn : 0;
    sq[l->squeezed.len] = '\0';
    return 0;
}

/* Where the first blank of a word found by pb_blanks_in is, from `from` (a byte
 * loop where the byte order is not known to be little-endian). */
static inline size_t first_blank(const char *s, size_t from, uint64_t blanks) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    (void)s;
    return from + (size_t)(__builtin_ctzll(blanks) >> 3);
#else
    (void)blanks;
    while (s[from] != ' ' && s[from] != '\t') from++;
    return from;
#endif
}

/* Length of the prefix of s without a space or a tab, eight bytes at a time:
 * prose runs for dozens of characters between blanks. The last bytes are read
 * as the word that ends at s + n, overlapping bytes already found blank-free. */
static inline size_t blank_free_prefix(const char *s, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t b = pb_blanks_in(s + i);
        if (b) return first_blank(s, i, b);
    }
    if (i == n) return n;
    if (n >= 8) {
        uint64_t b = pb_blanks_in(s + n - 8);
        return b ? first_blank(s, n - 8, b) : n;
    }
    while (i < n && s[i] != ' ' && s[i] != '\t') i++;
    return i;
}

int pb_strip_spaces(pb_parser *p, pb_buf *out, const char *s, size_t n) {
    if (pb_buf_reserve(p, out, n) < 0) return -1;
    size_t i = 0;
    while (i < n) {
        size_t run = blank_free_prefix(s + i, n - i);
        memcpy(out->data + out->len, s + i, run);
        out->len += run;
        i += run + 1; /* past the blank */
    }
    out->data[out->len] = '\0';
    return 0;
}

int pb_squeeze(pb_parser *p, pb_buf *out, const char *s, size_t n) {
    if (pb_buf_reserve(p, out, n) < 0) return -1;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    while (i < n) {
        size_t run = blank_free_prefix(s + i, n - i);
        memcpy(out->data + out->len, s + i, run);
        out->len += run;
        i += run;
        if (i >= n) break;
        size_t k = i;
        while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
        /* A space between two ASCII words is kept; one touching CJK, or one
         * inside a number ('202 6年'), is OCR noise. */
        char prev = out->len > 0 ? out->data[out->len - 1] : 0;
        int before_ascii = out->len > 0 && (unsigned char)prev < 0x80;
        int after_ascii = k < n && (unsigned char)s[k] < 0x80;
        /* a short digit run split by OCR ('202 6年') joins; '150000 150000' stays two */
        size_t digits = 0;
        while (digits < out->len && out->data[out->len - 1 - digits] >= '0' && out->data[out->len - 1 - digits] <= '9')
            digits++;
        int in_number = digits > 0 && digits <= 4 && k < n && s[k] >= '0' && s[k] <= '9';
        int before_unit = k < n && s[k] == '%'; /* '90 %' */
        if (before_ascii && after_ascii && !in_number && !before_unit) out->data[out->len++] = ' ';
        i = k;
    }
    out->data[out->len] = '\0';
    return 0;
}

int pb_cn_numeral(const char *s, size_t n) {
    switch (pb_char3(s, n)) {
    case 0xE99BB6: return 0;   /* 零 */
    case 0xE4B880: return 1;   /* 一 */
    case 0xE4BA8C: return 2;   /* 二 */
    case 0xE4B889: return 3;   /* 三 */
    case 0xE59B9B: return 4;   /* 四 */
    case 0xE4BA94: return 5;   /* 五 */
    case 0xE585AD: return 6;   /* 六 */
    case 0xE4B883: return 7;   /* 七 */
    case 0xE585AB: return 8;   /* 八 */
    case 0xE4B99D: return 9;   /* 九 */
    case 0xE58D81: return 10;  /* 十 */
    case 0xE799BE: return 100; /* 百 */
    default: return -1;
    }
}

/* Whether s starts with one of 零一二三四五六七八九十百 (every row name and
 * cell start is asked). */
static int is_cn_digit(const char *s, size_t n) { return pb_cn_numeral(s, n) >= 0; }

static size_t cn_numeral_len(const char *s, size_t n) {
    size_t i = 0;
    while (is_cn_digit(s + i, n - i)) i += 3;
    return i;
}

static size_t ordinal_prefix_tight(const char *s, size_t n);

/* Leading ordinal marker; OCR spaces inside it ('(二十 九)') do not count. */
size_t pb_ordinal_prefix(const char *s, size_t n) {
    size_t lead = 0;
    while (lead < n && s[lead] == ' ') lead++;
    if (lead == n) return 0;
    unsigned char c0 = (unsigned char)s[lead];
    if (!(c0 == 0xE4 || c0 == 0xE5 || c0 == 0xE7 || c0 == 0xE9 || c0 == '(' || c0 == 0xE2 ||
          (c0 >= '0' && c0 <= '9')))
        return 0; /* most cells: no copy needed to say no */
    if (c0 >= 0xE4 && !is_cn_digit(s + lead, n - lead)) return 0; /* Chinese text, not a numeral */
    if (c0 <= '9') { /* codes and figures: an ordinal has at most two digits ('12、') */
        int digits = 0;
        for (size_t i = lead; i < n && digits < 3; i++) {
            if (s[i] >= '0' && s[i] <= '9') digits++;
            else if (s[i] != ' ') break;
        }
        if (digits > 2) return 0;
    }
    char tight[48];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof tight; i++)
        if (s[i] != ' ') tight[k++] = s[i];
    return ordinal_prefix_tight(tight, k);
}

static size_t ordinal_prefix_tight(const char *s, size_t n) {
    if (n == 0) return 0;
    unsigned char c0 = (unsigned char)s[0];
    /* numerals start E4/E5/E7/E9; then '(', digits, and ① … ⑳ (E2) */
    if (!(c0 == 0xE4 || c0 == 0xE5 || c0 == 0xE7 || c0 == 0xE9 || c0 == '(' || c0 == 0xE2 ||
          (c0 >= '0' && c0 <= '9')))
        return 0;
    size_t i = cn_numeral_len(s, n);
    if (i > 0) {
        if (pb_starts(s + i, n - i, "、")) return i + 3;
        if (i < n && (s[i] == '.' || s[i] == ',')) return i + 1;
        return 0;
    }
    if (n > 0 && s[0] == '(') {
        size_t k = 1 + cn_numeral_len(s + 1, n - 1);
        if (k == 1)
            while (k < n && s[k] >= '0' && s[k] <= '9') k++;
        if (k > 1 && k < n && s[k] == ')') return k + 1;
        return 0;
    }
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 &&
        (unsigned char)s[2] >= 0xA0 && (unsigned char)s[2] <= 0xB3)
        return 3; /* ① … ⑳ */
    size_t d = 0;
    while (d < n && s[d] >= '0' && s[d] <= '9') d++;
    if (d > 0 && d <= 2) {
        if (pb_starts(s + d, n - d, "、")) return d + 3;
        if (d < n && s[d] == '.' && (d + 1 >= n || s[d + 1] < '0' || s[d + 1] > '9')) return d + 1;
    }
    return 0;
}

int pb_find_year(const char *s, size_t n) {
    for (size_t i = 0; i + 4 <= n; i++) {
        if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') continue;
        if (!((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0'))) continue;
        if (s[i + 2] < '0' || s[i + 2] > '9' || s[i + 3] < '0' || s[i + 3] > '9') continue;
        size_t k = i + 4;
        if (k < n && s[k] >= '0' && s[k] <= '9') continue;
        while (k < n && s[k] == ' ') k++;
        if (pb_starts(s + k, n - k, "年")) return (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 +
                                                 (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    }
    return 0;
}
