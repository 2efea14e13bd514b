/* Cells a converter glued together: a figure after a name with one space
 * between them, a name run into the next column. Cut at that space, each part
 * keeps its own position, so the table logic places it in its own column. */
#include "pb_internal.h"

#include <string.h>

/* A figure as a table prints it: a number ('72.05', '733. 90'), or a target
 * value of a performance table: a comparator, a number and a short unit
 * ('100%', '≥122人次', '≤34分钟', '1项'). */
static int is_figure(const char *s, size_t n) {
    pb_number num;
    if (pb_parse_number(s, n, &num) == PB_NUM_VALUE) return 1;
    size_t i = 0;
    static const char *const comparators[] = {"≥", "≤", ">", "<", "=", NULL};
    for (int k = 0; comparators[k]; k++)
        if (pb_starts(s, n, comparators[k])) {
            i = strlen(comparators[k]);
            break;
        }
    size_t digits = i;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || (i > digits && s[i] == '.'))) i++;
    if (i == digits) return 0;
    if (i < n && s[i] == '%') i++;
    size_t unit = 0; /* up to four CJK characters */
    while (i + 3 <= n && (unsigned char)s[i] >= 0xE4 && (unsigned char)s[i] <= 0xE9 && unit < 4) i += 3, unit++;
    return i == n;
}

/* A name ends at text[k - 1], before a space: CJK or a closing bracket. Never a
 * figure: figures after figures ('208 05', '733. 90') are not cut. */
static int name_before(const char *text, size_t k) {
    unsigned char before = k > 0 ? (unsigned char)text[k - 1] : 0;
    return before >= 0x80 || before == ')';
}

int pb_figure_after_name(const char *text, size_t space, size_t end) {
    return name_before(text, space) && is_figure(text + space + 1, end - space - 1);
}

int pb_cut_cell(pb_parser *p, pb_line *l, size_t k, const pb_space *sp) {
    if (l->ncells >= p->opt.max_cells) return 0;
    pb_cell *cells = pb_grow_items(p, l->cells, &l->cells_cap, l->ncells, sizeof *cells, 32);
    if (!cells) return -1;
    l->cells = cells;
    memmove(&cells[k + 1], &cells[k], (l->ncells - k) * sizeof *cells);
    l->ncells++;
    pb_cell *left = &cells[k], *right = &cells[k + 1];
    uint32_t end = left->off + left->len;
    left->len = (uint32_t)(sp->off - left->off);
    left->x1 = sp->x0, left->c1 = sp->c0;
    right->off = (uint32_t)sp->off + 1;
    right->len = end - right->off;
    right->x0 = sp->x1, right->c0 = sp->c1;
    left->number = right->number = 0;
    return 1;
}

int pb_split_at_columns(pb_parser *p, pb_line *l, const int32_t *starts, int nstarts, int char_columns) {
    if (l->tab_mode) return 0;
    for (size_t i = 0; i < l->ncells; i++) {
        pb_cell *c = &l->cells[i];
        for (int j = 0; j < nstarts; j++) {
            int32_t col = starts[j];
            if (col <= c->x0 + 1 || col > c->x1) continue; /* the cell does not run over this start */
            const char *text = l->text.data + c->off;
            pb_space sp = {0, 0, 0, 0, 0};
            int32_t x = c->x0, ch = c->c0, w, chars;
            for (size_t k = 0, len; k < c->len && !sp.off; k += len, x += w, ch++) {
                len = pb_utf8_len((unsigned char)text[k]);
                if (len > c->len - k) len = c->len - k;
                pb_text_extent(text + k, len, &w, &chars);
                if (char_columns) w = 1;
                if (text[k] == ' ' && name_before(text, k) && x + 1 >= col - 1 && x + 1 <= col + 1)
                    sp = (pb_space){c->off + k, x, x + 1, ch, ch + 1};
            }
            if (!sp.off) continue;
            int r = pb_cut_cell(p, l, i, &sp);
            if (r < 0) return -1;
            break; /* the right part is the next cell: it is looked at in turn */
        }
    }
    return 0;
}
