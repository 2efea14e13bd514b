/* Tables: header rows flattened to canonical columns by their words, data rows
 * mapped onto them by position (tab index or display column), wrapped cells
 * joined, and rows emitted with exact amounts. */
#include "pb_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL(l, i) ((l)->text.data + (l)->cells[i].off)

/* Holds in f the figure num that pb_parse_number read from s (n bytes), of
 * kind k; text too long to hold leaves f empty. */
static void hold_figure(pb_figure *f, const char *s, size_t n, const pb_number *num, pb_num_kind k) {
    if (n > PB_FIGURE_TEXT) {
        f->len = 0;
        return;
    }
    f->len = (uint8_t)n;
    memcpy(f->text, s, n);
    f->num = *num;
    f->num.kind = k;
}

/* Whether f holds the figure of exactly the text s (n bytes): pb_parse_number
 * reads nothing but its text, so the held figure is what reading s would give. */
static int held_figure(const pb_figure *f, const char *s, size_t n) {
    return f->len == n && n && memcmp(f->text, s, n) == 0;
}

/* Reads cell i for cell_number_kind (c->number). A figure or dash is kept for
 * set_pending (t->cell_figure), which hands it on to emit_side. */
static void read_cell_number(pb_table *t, pb_line *l, size_t i) {
    pb_cell *c = &l->cells[i];
    const char *s = CELL(l, i);
    pb_number num;
    int unit;
    pb_num_kind k = pb_parse_number(s, c->len, &num);
    if (k != PB_NUM_NONE && i < PB_MAX_SLOTS) hold_figure(&t->cell_figure[i], s, c->len, &num, k);
    /* a figure with its unit or a footnote mark ('92,951.00②') is a figure of
     * the row, read as such when the row is emitted (marked_figure) */
    if (k == PB_NUM_NONE && c->len && (unsigned char)s[0] < 0x80 && /* names start with a CJK byte */
        pb_parse_marked_number(s, c->len, &num, &unit) == PB_NUM_VALUE)
        k = PB_NUM_VALUE;
    c->number = (int8_t)(1 + k);
}

/* Whether cell i reads as a number, a dash or neither; read once per line,
 * however many of the line's tests ask (inline: most asks find it read). */
static inline pb_num_kind cell_number_kind(pb_table *t, pb_line *l, size_t i) {
    if (!l->cells[i].number) read_cell_number(t, l, i);
    return (pb_num_kind)(l->cells[i].number - 1);
}

/* The text of s (n bytes) without its blanks, as pb_strip_spaces writes it:
 * s itself when it has none (most cells: no copy), else its copy in out.
 * Sets *len; NULL when out of memory. */
static const char *unblanked(pb_parser *p, pb_buf *out, const char *s, size_t n, size_t *len) {
    if (!pb_has_blank(s, n)) return *len = n, s;
    out->len = 0;
    if (pb_strip_spaces(p, out, s, n) < 0) return NULL;
    return *len = out->len, out->data;
}

static const char *side_name(int side) {
    return side == 1 ? "income" : side == 2 ? "expenditure" : "";
}

static int is_perf_kind(const char *kind) {
    return strcmp(kind, "performance") == 0 || strcmp(kind, "performance_overall") == 0;
}

static int two_sided_kind(const char *kind) {
    return strcmp(kind, "summary") == 0 || strcmp(kind, "fiscal_summary") == 0 ||
           strcmp(kind, "state_capital") == 0;
}

/* ---- units ---------------------------------------------------------------- */

int pb_unit_from_line(const char *sq, size_t n, int *pow10, int *pending_next) {
    *pending_next = 0;
    const char *end = sq + n;
    /* every table line comes here: jump from one ':' to the next (rarer in a
     * table line than the E5 lead byte of 单), and look at the six bytes of 单位
     * before it; each 单位: is found in its order in the line, as a scan would */
    for (const char *colon = sq + 6; colon < end && (colon = memchr(colon, ':', (size_t)(end - colon))) != NULL;
         colon++) {
        if (memcmp(colon - 6, "单位", 6) != 0) continue;
        const char *r = colon + 1;
        size_t rn = (size_t)(end - r);
        while (rn > 0 && (*r == '(' || *r == ' ')) r++, rn--;
        if (pb_starts(r, rn, "万元")) return *pow10 = 4, 1;
        if (pb_starts(r, rn, "亿元")) return *pow10 = 8, 1;
        if (pb_starts(r, rn, "元")) return *pow10 = 0, 1;
        if (rn == 0) return *pending_next = 1, 1;
    }
    return 0;
}

static const char *unit_text(int pow10) { return pow10 == 4 ? "万元" : pow10 == 8 ? "亿元" : "元"; }

/* ---- lifetime --------------------------------------------------------------- */

static void table_clear(pb_table *t) {
    t->open = 0;
    t->state = PB_T_HEAD;
    t->kind[0] = '\0';
    t->title.len = 0;
    t->department.len = 0;
    t->unit_pow10 = 4;
    t->unit_known = 0;
    t->unit_pending_next = 0;
    t->emitted_header = 0;
    t->empty = 0;
    t->note.len = 0;
    t->max_decimals = 0;
    t->rows = 0;
    t->tab_mode = 1;
    t->char_columns = 0;
    t->hdr_text.len = 0;
    t->nhcells = 0;
    memset(t->hcell_keys, 0, sizeof t->hcell_keys);
    t->nhrows = 0;
    t->subleaf_row = -1;
    t->ncols = 0;
    t->two_sided = 0;
    t->pending = 0;
    t->pending_has_values = 0;
    t->pending_ordinal = 0;
    t->after_row = t->undo_armed = 0;
    t->perf.in_indicators = 0;
    t->perf.annual_slot = -1;
    t->perf.offset = 0;
    t->perf.overall = 0;
    t->perf.slot_l1 = t->perf.slot_l2 = t->perf.slot_name = t->perf.slot_value = t->perf.slot_note = -1;
    t->perf.l1.len = t->perf.l2[0].len = t->perf.l2[1].len = 0;
    t->perf.project_open = 0;
    t->perf.fields.len = 0;
}

void pb_table_free(pb_parser *p, pb_table *t) {
    pb_buf_free(p, &t->title);
    pb_buf_free(p, &t->department);
    pb_buf_free(p, &t->note);
    pb_buf_free(p, &t->hdr_text);
    pb_dealloc(p, t->hcells);
    t->hcells = NULL;
    t->hcells_cap = 0;
    for (int i = 0; i < PB_MAX_SLOTS; i++) pb_buf_free(p, &t->slot_text[i]);
    pb_buf_free(p, &t->perf.l1);
    pb_buf_free(p, &t->perf.l2[0]);
    pb_buf_free(p, &t->perf.l2[1]);
    pb_buf_free(p, &t->perf.fields);
    table_clear(t);
}

int pb_table_begin(pb_parser *p, const char *kind, const char *title, size_t title_n, uint64_t line) {
    pb_table *t = &p->table;
    if (t->open && pb_table_end(p) < 0) return -1;
    table_clear(t);
    t->open = 1;
    t->id = p->next_table_id++;
    size_t kind_n = strlen(kind) < sizeof t->kind - 1 ? strlen(kind) : sizeof t->kind - 1;
    memcpy(t->kind, kind, kind_n);
    t->kind[kind_n] = '\0';
    t->line = line;
    if (pb_buf_append(p, &t->title, title, title_n) < 0) return -1;
    if (p->unit_line_pow10 >= 0 && line - p->unit_line_no <= 4) {
        t->unit_pow10 = p->unit_line_pow10;
        t->unit_known = 1;
    }
    p->unit_line_pow10 = -1;
    if (is_perf_kind(kind)) {
        t->state = PB_T_PERF;
        t->unit_pow10 = 0; /* fund grids are printed in 元 */
        t->unit_known = 1;
        t->perf.overall = strcmp(kind, "performance_overall") == 0;
    }
    p->tables_seen++;
    return 0;
}

/* ---- header and columns ------------------------------------------------------- */

/* Where a header cell's text s (n bytes, no blanks) goes in the table's set of
 * header keys (t->hcell_keys): its length and its first, middle and last bytes
 * (CJK words of one length differ there), 0 to 255. */
static unsigned header_key(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    uint32_t k = (uint32_t)n * 0x9E3779B1u;
    if (n) k ^= (uint32_t)u[0] * 0x85EBCA6Bu ^ (uint32_t)u[n / 2] * 0xC2B2AE35u ^ (uint32_t)u[n - 1] * 0x27D4EB2Fu;
    return (k ^ k >> 15 ^ k >> 24) & 255;
}

static void add_header_key(pb_table *t, const char *s, size_t n) {
    unsigned k = header_key(s, n);
    t->hcell_keys[k >> 6] |= (uint64_t)1 << (k & 63);
}

static int has_header_key(const pb_table *t, const char *s, size_t n) {
    unsigned k = header_key(s, n);
    return (t->hcell_keys[k >> 6] >> (k & 63)) & 1;
}

/* Adds a header cell to row r: position c, text s without its spaces. */
static int add_header_cell(pb_parser *p, pb_hrow *r, pb_cell c, const char *s, size_t n) {
    pb_table *t = &p->table;
    pb_cell *cells = pb_grow_items(p, t->hcells, &t->hcells_cap, t->nhcells, sizeof *cells, 64);
    if (!cells) return -1;
    t->hcells = cells;
    uint32_t off = (uint32_t)t->hdr_text.len;
    if ((pb_has_blank(s, n) ? pb_strip_spaces(p, &t->hdr_text, s, n) : pb_buf_append(p, &t->hdr_text, s, n)) < 0)
        return -1;
    c.len = (uint32_t)(t->hdr_text.len - off);
    c.off = off;
    add_header_key(t, t->hdr_text.data + off, c.len);
    if (pb_buf_putc(p, &t->hdr_text, '\0') < 0) return -1;
    t->hcells[t->nhcells++] = c;
    r->ncells++;
    return 0;
}

/* Hashes for the parser's memories (classified headers, column sets): bytes
 * eight at a time, the last ones folded under their length, so ('ab','c') is
 * not ('a','bc'). Any hash gives the same answers (keys are compared whole);
 * a good one gives fewer misses. */
static const uint64_t hash_mul = 0x9E3779B97F4A7C15ull, hash_seed = 1469598103934665603ull;

static uint64_t hash_more(uint64_t h, const char *s, size_t n) {
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
        uint64_t w;
        memcpy(&w, s + j, 8);
        h = (h ^ w) * hash_mul;
        h ^= h >> 29;
    }
    uint64_t tail = n; /* the last bytes, under the length */
    for (; j < n; j++) tail = tail << 8 | (unsigned char)s[j];
    h = (h ^ tail) * hash_mul;
    return h ^ (h >> 29);
}

static uint64_t hash_end(uint64_t h) {
    h ^= h >> 32; /* the low bits choose the slot: mix the high ones in */
    h *= hash_mul;
    return h ^ (h >> 29);
}

static uint64_t header_hash(const char *const parts[3], const size_t lens[3]) {
    uint64_t h = hash_seed;
    for (int i = 0; i < 3; i++) h = hash_more(h, parts[i], lens[i]);
    return hash_end(h);
}

/* pb_classify_column through the parser's memory of classified headers
 * (pb_classified): the same answer, once per distinct header. */
static pb_role classify(pb_parser *p, const char *leaf, size_t leaf_n, const char *near, size_t near_n,
                        const char *group, size_t group_n, char measure[PB_MEASURE_MAX]) {
    if (leaf_n + near_n + group_n > PB_CLASSIFY_KEY)
        return pb_classify_column(leaf, leaf_n, near, near_n, group, group_n, measure, PB_MEASURE_MAX);
    const char *parts[3] = {leaf, near, group};
    size_t lens[3] = {leaf_n, near_n, group_n};
    uint64_t h = header_hash(parts, lens);
    pb_classified *set = &p->classified[(h % PB_CLASSIFY_SETS) * PB_CLASSIFY_WAYS], *slot = NULL;
    for (int w = 0; w < PB_CLASSIFY_WAYS; w++) {
        pb_classified *s = &set[w];
        if (s->used && s->hash == h && s->leaf_n == leaf_n && s->near_n == near_n && s->group_n == group_n &&
            memcmp(s->key, leaf, leaf_n) == 0 && memcmp(s->key + leaf_n, near, near_n) == 0 &&
            memcmp(s->key + leaf_n + near_n, group, group_n) == 0) {
            memcpy(measure, s->measure, PB_MEASURE_MAX);
            return (pb_role)s->role;
        }
        if (!s->used && !slot) slot = s;
    }
    /* a full set gives up a slot the hash picks: any choice gives the same answers */
    if (!slot) slot = &set[(h >> 40) % PB_CLASSIFY_WAYS];
    pb_role role = pb_classify_column(leaf, leaf_n, near, near_n, group, group_n, measure, PB_MEASURE_MAX);
    slot->used = 1, slot->hash = h, slot->role = (uint8_t)role;
    slot->leaf_n = (uint16_t)leaf_n, slot->near_n = (uint16_t)near_n, slot->group_n = (uint16_t)group_n;
    memcpy(slot->key, leaf, leaf_n);
    memcpy(slot->key + leaf_n, near, near_n);
    memcpy(slot->key + leaf_n + near_n, group, group_n);
    memcpy(slot->measure, measure, PB_MEASURE_MAX);
    return role;
}

/* pdftotext -layout prints narrow headers one space apart ('一般公共预算 政府性基金'),
 * which reads as one cell: when every word names an amount column of its own,
 * each becomes a header cell at its own position. Returns 1 when the cell was
 * split, 0 when it is one header, -1 on error. */
static int split_header_words(pb_parser *p, pb_line *l, size_t i, pb_hrow *r) {
    const char *s = CELL(l, i);
    size_t n = l->cells[i].len, starts[8], lens[8];
    int words = 0;
    for (size_t k = 0; k < n;) {
        while (k < n && s[k] == ' ') k++;
        if (k == n) break;
        if (words == 8) return 0;
        size_t e = k;
        while (e < n && s[e] != ' ') e++;
        starts[words] = k, lens[words++] = e - k;
        k = e;
    }
    if (words < 2) return 0;
    for (int w = 0; w < words; w++) {
        char measure[PB_MEASURE_MAX];
        if (classify(p, s + starts[w], lens[w], "", 0, "", 0, measure) !=
            PB_COL_AMOUNT)
            return 0;
    }
    for (int w = 0; w < words; w++) {
        pb_cell c = l->cells[i];
        int32_t dx, dc, width, chars;
        pb_text_extent(s, starts[w], &dx, &dc);
        pb_text_extent(s + starts[w], lens[w], &width, &chars);
        c.x0 += dx, c.x1 = c.x0 + width;
        c.c0 += dc, c.c1 = c.c0 + chars;
        if (add_header_cell(p, r, c, s + starts[w], lens[w]) < 0) return -1;
    }
    return 1;
}

/* A header cell of a space-aligned line where a long name header nearly
 * touches the next column's ('政府预算支出经济科目名称 - 合计'): the name part
 * and the amount header after its last single space become two header cells
 * at their own positions. Returns 1 if split, 0 if not, -1 on error. */
static int split_name_header(pb_parser *p, pb_line *l, size_t i, pb_hrow *r) {
    const char *s = CELL(l, i);
    size_t n = l->cells[i].len, cut = n;
    while (cut > 0 && s[cut - 1] != ' ') cut--;
    if (cut < 2 || cut == n) return 0;
    char measure[PB_MEASURE_MAX];
    pb_role tail = classify(p, s + cut, n - cut, "", 0, "", 0, measure);
    pb_role head = classify(p, s, cut - 1, "", 0, "", 0, measure);
    if (tail != PB_COL_AMOUNT || head == PB_COL_AMOUNT || head == PB_COL_NONE) return 0;
    pb_cell name = l->cells[i], amount = l->cells[i];
    int32_t width, chars;
    pb_text_extent(s, cut, &width, &chars);
    name.len = (uint32_t)(cut - 1);
    name.x1 = name.x0 + width - 1, name.c1 = name.c0 + chars - 1;
    amount.off += (uint32_t)cut, amount.len = (uint32_t)(n - cut);
    amount.x0 += width, amount.c0 += chars;
    if (add_header_cell(p, r, name, s, cut - 1) < 0 || add_header_cell(p, r, amount, s + cut, n - cut) < 0) return -1;
    return 1;
}

static int add_header_row(pb_parser *p, pb_line *l) {
    pb_table *t = &p->table;
    if (t->nhrows >= PB_MAX_HEADER_ROWS) return 0; /* deeper rows add nothing we use */
    pb_hrow *r = &t->hrows[t->nhrows];
    r->first_cell = t->nhcells;
    r->ncells = 0;
    for (size_t i = 0; i < l->ncells; i++) {
        /* only in a first header row: under a group row, which words belong to
         * which group is what the misplaced positions cannot tell */
        if (!l->tab_mode && l->cells[i].len && memchr(CELL(l, i), ' ', l->cells[i].len)) {
            int split = t->nhrows == 0 ? split_header_words(p, l, i, r) : 0;
            if (!split) split = split_name_header(p, l, i, r);
            if (split < 0) return -1;
            if (split) continue;
        }
        if (add_header_cell(p, r, l->cells[i], CELL(l, i), l->cells[i].len) < 0) return -1;
    }
    /* A row that starts 类 款 项 carries the code parts; its other words are
     * the leaves of the basic-expenditure columns, printed out of place. */
    size_t seen = 0;
    const char *want[3] = {"类", "款", "项"};
    int match = 1;
    for (size_t i = 0; i < r->ncells && seen < 3; i++) {
        pb_cell *c = &t->hcells[r->first_cell + i];
        if (!c->len) continue;
        if (c->len != 3 || memcmp(t->hdr_text.data + c->off, want[seen], 3) != 0) match = 0;
        seen++;
    }
    if (match && seen == 3) t->subleaf_row = t->nhrows;
    t->nhrows++;
    return 0;
}

static const char *htext(pb_table *t, pb_cell *c) { return t->hdr_text.data + c->off; }

static int is_code_part_cell(pb_table *t, pb_cell *c) {
    const char *s = htext(t, c);
    return c->len == 3 && (memcmp(s, "类", 3) == 0 || memcmp(s, "款", 3) == 0 || memcmp(s, "项", 3) == 0);
}

/* Header cell of row r that covers position x, or NULL. */
static pb_cell *covering(pb_table *t, int r, int32_t x, int inherit) {
    pb_hrow *row = &t->hrows[r];
    pb_cell *left = NULL;
    for (size_t i = 0; i < row->ncells; i++) {
        pb_cell *c = &t->hcells[row->first_cell + i];
        if (!c->len) continue;
        if (r == t->subleaf_row && !is_code_part_cell(t, c)) continue;
        if (t->tab_mode ? c->x0 == x : (c->x0 - 1 <= x && x < c->x1 + 1)) return c;
        if (c->x0 <= x) left = c;
    }
    return inherit ? left : NULL;
}

static int last_plain_header_row(pb_table *t) {
    for (int r = t->nhrows - 1; r >= 0; r--)
        if (r != t->subleaf_row) return r;
    return -1;
}

static int build_column(pb_parser *p, pb_column *col, int two_sided) {
    pb_table *t = &p->table;
    pb_buf *group = &p->scratch, *leafb = &p->scratch2;
    group->len = 0;
    leafb->len = 0;
    if (pb_buf_reserve(p, group, 1) < 0 || pb_buf_reserve(p, leafb, 1) < 0) return -1;
    const char *near = "";
    size_t near_n = 0;
    uint32_t near_off = 0;
    int have_near = 0;
    int last = last_plain_header_row(t);
    int side = 0;
    for (int r = 0; r < t->nhrows; r++) {
        int inherit = r < last && r != t->subleaf_row;
        pb_cell *c = covering(t, r, col->x, inherit);
        if (!c) continue;
        int inherited = !(t->tab_mode ? c->x0 == col->x : (c->x0 - 1 <= col->x && col->x < c->x1 + 1));
        const char *s = htext(t, c);
        if (side == 0 && two_sided) {
            int in = pb_contains(s, c->len, "收入"), out = pb_contains(s, c->len, "支出");
            if (in && !out) side = 1;
            else if (out) side = 2;
        }
        if (inherited) {
            if (leafb->len) continue; /* a group above a leaf already found */
            near_off = (uint32_t)group->len;
            if (pb_buf_append(p, group, s, c->len) < 0) return -1;
            have_near = 1;
            near_n = c->len;
            continue;
        }
        if (leafb->len) {
            near_off = (uint32_t)group->len;
            near_n = leafb->len;
            if (pb_buf_append(p, group, leafb->data, leafb->len) < 0) return -1;
            have_near = 1;
        }
        leafb->len = 0;
        if (pb_buf_append(p, leafb, s, c->len) < 0) return -1;
    }
    if (have_near) near = group->data + near_off;
    col->side = (uint8_t)side;
    col->role = (uint8_t)classify(p, leafb->data, leafb->len, near, near_n, group->data, group->len,
                                  col->measure);
    if (!leafb->len) col->role = PB_COL_NONE; /* only spanned by a group: no column of its own */
    else if (col->role == PB_COL_NONE && near_n)
        /* an OCR-garbled leaf ('半位石柳'): the group above may still say what it is */
        col->role = (uint8_t)classify(p, near, near_n, "", 0, group->data, group->len, col->measure);
    col->header_off = (uint32_t)t->hdr_text.len;
    if (group->len && pb_buf_append(p, &t->hdr_text, group->data, group->len) < 0) return -1;
    if (group->len && leafb->len && pb_buf_putc(p, &t->hdr_text, '/') < 0) return -1;
    if (pb_buf_append(p, &t->hdr_text, leafb->data, leafb->len) < 0) return -1;
    col->header_len = (uint32_t)(t->hdr_text.len - col->header_off);
    return pb_buf_putc(p, &t->hdr_text, '\0');
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static void repair_subleaves(pb_parser *p) {
    pb_table *t = &p->table;
    if (t->subleaf_row < 0) return;
    pb_hrow *row = &t->hrows[t->subleaf_row];
    int start = -1;
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].measure, "personnel") == 0) {
            start = i;
            break;
        }
    if (start < 0) return;
    int k = start;
    for (size_t i = 0; i < row->ncells && k < t->ncols; i++) {
        pb_cell *c = &t->hcells[row->first_cell + i];
        if (!c->len || is_code_part_cell(t, c)) continue;
        pb_column *col = &t->cols[k];
        const char *hdr = t->hdr_text.data + col->header_off;
        if (!pb_contains(hdr, col->header_len, "基本支出")) break;
        char m[PB_MEASURE_MAX];
        if (classify(p, htext(t, c), c->len, "", 0, "", 0, m) == PB_COL_AMOUNT) {
            memcpy(col->measure, m, sizeof m);
            col->role = PB_COL_AMOUNT;
        }
        k++;
    }
}

/* A 类/款/项 row whose other words stand under 人员经费 is an ordinary header
 * row; only words printed left of it (at 单位代码, 单位名称 …) are out of place. */
static void check_subleaf_placement(pb_table *t) {
    if (t->subleaf_row < 0) return;
    int32_t personnel_x = -1, first_leaf_x = -1;
    for (int r = 0; r < t->nhrows; r++)
        for (size_t i = 0; i < t->hrows[r].ncells; i++) {
            pb_cell *c = &t->hcells[t->hrows[r].first_cell + i];
            if (!c->len) continue;
            if (r == t->subleaf_row) {
                if (!is_code_part_cell(t, c) && first_leaf_x < 0) first_leaf_x = c->x0;
            } else if (personnel_x < 0 && pb_contains(htext(t, c), c->len, "人员经费")) {
                personnel_x = c->x0;
            }
        }
    if (first_leaf_x < 0 || (personnel_x >= 0 && first_leaf_x >= personnel_x - 1)) t->subleaf_row = -1;
}

/* Data cells of the first row that sit under some header cell, with positions
 * counted in display columns (chars = 0) or in characters (chars = 1). */
static int alignment_score(pb_table *t, pb_line *first, int chars) {
    int score = 0;
    for (size_t i = 0; i < first->ncells; i++) {
        pb_cell *d = &first->cells[i];
        int32_t d0 = chars ? d->c0 : d->x0, d1 = chars ? d->c1 : d->x1;
        for (size_t k = 0; k < t->nhcells; k++) {
            pb_cell *h = &t->hcells[k];
            int32_t h0 = chars ? h->c0 : h->x0, h1 = chars ? h->c1 : h->x1;
            if (h->len && d0 < h1 && h0 < d1) {
                score++;
                break;
            }
        }
    }
    return score;
}

static void use_char_columns(pb_cell *cells, size_t n) {
    for (size_t i = 0; i < n; i++) cells[i].x0 = cells[i].c0, cells[i].x1 = cells[i].c1;
}

/* Where the table's columns start, from its header rows and first row, into
 * xs (PB_MAX_SLOTS * 4 entries); returns how many. Settles first whether
 * positions count characters and whether the subleaf row stays one. */
static int place_columns(pb_table *t, pb_line *first, int32_t *xs) {
    if (!t->tab_mode && first->ncells && alignment_score(t, first, 1) > alignment_score(t, first, 0)) {
        /* pdftotext -layout places one glyph per column, CJK included */
        t->char_columns = 1;
        use_char_columns(t->hcells, t->nhcells);
        use_char_columns(first->cells, first->ncells);
    }
    check_subleaf_placement(t);
    int nx = 0;
    if (t->tab_mode) {
        size_t n = first->ncells;
        for (int r = 0; r < t->nhrows; r++)
            for (size_t i = 0; i < t->hrows[r].ncells; i++) {
                pb_cell *c = &t->hcells[t->hrows[r].first_cell + i];
                if (c->len && (size_t)c->x0 + 1 > n) n = (size_t)c->x0 + 1;
            }
        if (n > PB_MAX_SLOTS) n = PB_MAX_SLOTS;
        for (size_t i = 0; i < n; i++) xs[nx++] = (int32_t)i;
    } else {
        for (int r = 0; r < t->nhrows; r++)
            for (size_t i = 0; i < t->hrows[r].ncells && nx < PB_MAX_SLOTS * 4; i++) {
                pb_cell *c = &t->hcells[t->hrows[r].first_cell + i];
                if (c->len && !(r == t->subleaf_row && !is_code_part_cell(t, c))) xs[nx++] = c->x0;
            }
        /* A data cell opens a column of its own only when it starts clear of the
         * header text to its left; a right-aligned number under '合计' does not. */
        int nheader = nx;
        for (size_t i = 0; i < first->ncells && nx < PB_MAX_SLOTS * 4; i++) {
            pb_cell *d = &first->cells[i];
            int32_t x = d->x0, reach = -1000;
            int under_header = 0; /* a right-aligned number under a centred header */
            for (int r = 0; r < t->nhrows; r++)
                for (size_t k = 0; k < t->hrows[r].ncells; k++) {
                    pb_cell *c = &t->hcells[t->hrows[r].first_cell + k];
                    if (!c->len) continue;
                    if (c->x0 <= x + 1 && c->x1 > reach) reach = c->x1;
                    if (d->x0 < c->x1 && c->x0 < d->x1) under_header = 1;
                }
            int known = 0;
            for (int k = 0; k < nheader; k++) known |= xs[k] >= x - 1 && xs[k] <= x + 1;
            if (!known && !under_header && x >= reach + 2) xs[nx++] = x;
        }
        qsort(xs, (size_t)nx, sizeof xs[0], cmp_i32);
        int k = 0;
        for (int i = 0; i < nx; i++)
            if (k == 0 || xs[i] > xs[k - 1] + 1) xs[k++] = xs[i];
        nx = k < PB_MAX_SLOTS ? k : PB_MAX_SLOTS;
    }
    return nx;
}

/* The columns at xs[0..nx): their headers, roles, measures and sides, and
 * the table's unit and two_sided as the headers say. */
static int name_columns(pb_parser *p, const int32_t *xs, int nx) {
    pb_table *t = &p->table;
    t->ncols = nx;
    int sides = 0, two_sided = two_sided_kind(t->kind);
    for (int i = 0; i < nx; i++) {
        pb_column *col = &t->cols[i];
        memset(col, 0, sizeof *col);
        col->x = xs[i];
        if (build_column(p, col, two_sided) < 0) return -1;
        sides |= col->side == 1 ? 1 : col->side == 2 ? 2 : 0;
    }
    repair_subleaves(p);
    t->two_sided = sides == 3;
    if (!t->unit_known)
        for (int i = 0; i < nx; i++) {
            const char *h = t->hdr_text.data + t->cols[i].header_off;
            if (pb_contains(h, t->cols[i].header_len, "(万元)")) t->unit_pow10 = 4, t->unit_known = 1;
            else if (pb_contains(h, t->cols[i].header_len, "(元)")) t->unit_pow10 = 0, t->unit_known = 1;
            if (t->unit_known) break;
        }
    if (strcmp(t->kind, "income") == 0) {
        /* 本年收入 合计 is this year's income, whatever the OCR did to the header. */
        int has_current = 0, has_carry = 0, mentions = 0;
        for (int i = 0; i < nx; i++) {
            has_current |= strcmp(t->cols[i].measure, "current") == 0;
            has_carry |= strcmp(t->cols[i].measure, "carryover") == 0;
        }
        for (int r = 0; r < t->nhrows; r++) {
            p->scratch.len = 0;
            for (size_t i = 0; i < t->hrows[r].ncells; i++) {
                pb_cell *c = &t->hcells[t->hrows[r].first_cell + i];
                if (pb_buf_append(p, &p->scratch, htext(t, c), c->len) < 0) return -1;
            }
            mentions |= pb_header_mentions_current(p->scratch.data ? p->scratch.data : "", p->scratch.len);
        }
        if (!has_current && has_carry && mentions)
            for (int i = 0; i < nx; i++)
                if (strcmp(t->cols[i].measure, "total") == 0) {
                    snprintf(t->cols[i].measure, PB_MEASURE_MAX, "current");
                    break;
                }
    }
    /* A fund's own table with one amount column ('政府性基金收入' in the
     * 政府性基金收入表) holds that table's totals, not a share by source. */
    int amounts = 0, fund_col = -1;
    for (int i = 0; i < nx; i++)
        if (t->cols[i].role == PB_COL_AMOUNT) {
            amounts++;
            if ((strcmp(t->cols[i].measure, "gov_fund") == 0 && strncmp(t->kind, "gov_fund", 8) == 0) ||
                (strcmp(t->cols[i].measure, "state_capital") == 0 && strcmp(t->kind, "state_capital") == 0))
                fund_col = i;
        }
    if (amounts == 1 && fund_col >= 0) snprintf(t->cols[fund_col].measure, PB_MEASURE_MAX, "total");
    /* Unique measure names per side. A group word printed one cell off
     * ('项目支出' over an empty column) yields to the subtotal under it. */
    for (int i = 0; i < nx; i++) {
        pb_column *a = &t->cols[i];
        if (a->role != PB_COL_AMOUNT && a->role != PB_COL_TEXT) continue;
        int dup = 1;
        size_t ml = strlen(a->measure); /* a's measure changes only when the loop ends */
        for (int j = 0; j < i; j++) {
            pb_column *b = &t->cols[j];
            if (b->side != a->side || (b->role != PB_COL_AMOUNT && b->role != PB_COL_TEXT)) continue;
            if ((ml && b->measure[0] != a->measure[0]) || /* the first byte rejects most */
                strncmp(b->measure, a->measure, ml) != 0 || (b->measure[ml] != '\0' && b->measure[ml] != '_'))
                continue;
            const char *ah = t->hdr_text.data + a->header_off, *bh = t->hdr_text.data + b->header_off;
            if (dup == 1 && b->measure[ml] == '\0' && !memchr(bh, '/', b->header_len) &&
                (pb_ends(ah, a->header_len, "/小计") || pb_ends(ah, a->header_len, "/合计"))) {
                char m[PB_MEASURE_MAX];
                memcpy(m, b->measure, sizeof m);
                snprintf(b->measure, PB_MEASURE_MAX, "%.30s_%d", m, 2);
                memcpy(a->measure, m, sizeof m);
                dup = 0;
                break;
            }
            dup++;
        }
        if (dup > 1) {
            char m[PB_MEASURE_MAX];
            snprintf(m, sizeof m, "%.30s_%d", a->measure, dup > 99 ? 99 : dup);
            memcpy(a->measure, m, sizeof m);
        }
    }
    for (int i = 0; i < nx; i++) t->cols[i].measure_len = (uint8_t)strlen(t->cols[i].measure); /* final now */
    return 0;
}

/* ---- remembered column sets ----------------------------------------------
 * name_columns is a function of the column positions, the header rows (each
 * cell's text and display positions, row by row), the subleaf row, tab mode,
 * and the table's kind and unit. It sets the columns, ncols, two_sided and
 * the unit, and appends the column headers to hdr_text. Documents of one
 * template repeat their headers, so a key of all it reads, kept with all it
 * set, gives the same columns again without building or classifying them. */

/* The answer kept after the key: the scalars, the columns (header_off counted
 * from where the column headers start in hdr_text), then those headers. */
typedef struct colset_answer {
    int32_t ncols, two_sided, unit_pow10, unit_known;
    uint32_t hdr_len;
} colset_answer;

static char *put_i32(char *w, int64_t v) {
    int32_t x = (int32_t)v;
    memcpy(w, &x, sizeof x);
    return w + sizeof x;
}

/* Everything name_columns reads, in one byte string in k (counts and lengths
 * first, so two different inputs never serialise alike). Returns 0, or 1 when
 * the key would pass PB_COLSET_MAX, or -1 when out of memory. */
static int colset_key(pb_parser *p, pb_buf *k, const int32_t *xs, int nx) {
    const pb_table *t = &p->table;
    size_t kind_n = strlen(t->kind); /* always ended within kind[] */
    size_t need = 4 * (7 + (size_t)nx) + kind_n;
    for (int r = 0; r < t->nhrows; r++) {
        need += 4;
        for (size_t i = 0; i < t->hrows[r].ncells; i++) need += 12 + t->hcells[t->hrows[r].first_cell + i].len;
    }
    if (need > PB_COLSET_MAX) return 1;
    k->len = 0;
    if (pb_buf_reserve(p, k, need) < 0) return -1;
    char *w = k->data;
    w = put_i32(w, t->tab_mode), w = put_i32(w, t->unit_known), w = put_i32(w, t->unit_pow10);
    w = put_i32(w, t->subleaf_row), w = put_i32(w, nx);
    memcpy(w, xs, (size_t)nx * sizeof xs[0]), w += (size_t)nx * sizeof xs[0];
    w = put_i32(w, (int64_t)kind_n);
    memcpy(w, t->kind, kind_n), w += kind_n;
    w = put_i32(w, t->nhrows);
    for (int r = 0; r < t->nhrows; r++) {
        w = put_i32(w, (int64_t)t->hrows[r].ncells);
        for (size_t i = 0; i < t->hrows[r].ncells; i++) {
            const pb_cell *c = &t->hcells[t->hrows[r].first_cell + i];
            w = put_i32(w, c->len), w = put_i32(w, c->x0), w = put_i32(w, c->x1);
            if (c->len) memcpy(w, t->hdr_text.data + c->off, c->len), w += c->len;
        }
    }
    k->len = (size_t)(w - k->data);
    return 0;
}

static uint64_t colset_hash(const char *s, size_t n) { return hash_end(hash_more(hash_seed, s, n)); }

/* Puts a remembered answer in place: the same state name_columns leaves. */
static int colset_replay(pb_parser *p, const char *kept) {
    pb_table *t = &p->table;
    colset_answer a;
    memcpy(&a, kept, sizeof a);
    t->ncols = a.ncols;
    t->two_sided = a.two_sided;
    t->unit_pow10 = a.unit_pow10;
    t->unit_known = a.unit_known;
    const char *cols = kept + sizeof a;
    uint32_t base = (uint32_t)t->hdr_text.len;
    memcpy(t->cols, cols, (size_t)a.ncols * sizeof t->cols[0]);
    for (int i = 0; i < a.ncols; i++) t->cols[i].header_off += base;
    return pb_buf_append(p, &t->hdr_text, cols + (size_t)a.ncols * sizeof t->cols[0], a.hdr_len);
}

/* The table's columns, from its header rows and first row: name_columns goes
 * through the parser's memory of column sets (pb_colset). */
static int finalize_columns(pb_parser *p, pb_line *first) {
    pb_table *t = &p->table;
    int32_t xs[PB_MAX_SLOTS * 4];
    int nx = place_columns(t, first, xs);
    pb_buf *k = &p->scratch; /* name_columns overwrites it only after the key is kept */
    int big = colset_key(p, k, xs, nx);
    if (big < 0) return -1;
    if (big) return name_columns(p, xs, nx); /* too big to keep */
    uint64_t h = colset_hash(k->data, k->len);
    pb_colset *slot = &p->colsets[h % PB_COLSET_SLOTS];
    if (slot->key_len == k->len && slot->hash == h && memcmp(slot->entry.data, k->data, k->len) == 0)
        return colset_replay(p, slot->entry.data + slot->key_len);
    /* keep the key in the slot (replacing what it held), then the answer after it */
    slot->key_len = 0;
    slot->entry.len = 0;
    if (pb_buf_append(p, &slot->entry, k->data, k->len) < 0) return -1;
    uint32_t base = (uint32_t)t->hdr_text.len;
    if (name_columns(p, xs, nx) < 0) return -1;
    colset_answer a;
    memset(&a, 0, sizeof a);
    a.ncols = t->ncols, a.two_sided = t->two_sided, a.unit_pow10 = t->unit_pow10, a.unit_known = t->unit_known;
    a.hdr_len = (uint32_t)(t->hdr_text.len - base);
    size_t key_len = slot->entry.len;
    if (key_len + sizeof a + (size_t)t->ncols * sizeof t->cols[0] + a.hdr_len > PB_COLSET_MAX) {
        slot->entry.len = 0; /* too big to keep: the slot stays empty */
        return 0;
    }
    if (pb_buf_append(p, &slot->entry, (const char *)&a, sizeof a) < 0) return -1;
    for (int i = 0; i < t->ncols; i++) {
        pb_column c = t->cols[i];
        c.header_off -= base;
        if (pb_buf_append(p, &slot->entry, (const char *)&c, sizeof c) < 0) return -1;
    }
    /* a table may have no header text at all: no pointer into a buffer that is not there */
    if (a.hdr_len && pb_buf_append(p, &slot->entry, t->hdr_text.data + base, a.hdr_len) < 0) return -1;
    slot->hash = h;
    slot->key_len = key_len;
    return 0;
}

static int slot_of(pb_table *t, pb_cell *c) {
    if (t->tab_mode) return c->x0 < t->ncols ? c->x0 : t->ncols - 1; /* overflow joins the last column */
    int best = -1;
    int32_t best_overlap = 0;
    for (int i = 0; i < t->ncols; i++) {
        int32_t gx = t->cols[i].x;
        if (c->x0 >= gx - 1 && c->x0 <= gx + 1) return i;
        int32_t end = i + 1 < t->ncols ? t->cols[i + 1].x : gx + 1000;
        int32_t lo = c->x0 > gx ? c->x0 : gx, hi = c->x1 < end ? c->x1 : end;
        if (hi - lo > best_overlap) {
            best_overlap = hi - lo;
            best = i;
        }
    }
    if (best >= 0) return best;
    for (int i = t->ncols - 1; i >= 0; i--)
        if (t->cols[i].x <= c->x0) return i;
    return t->ncols ? 0 : -1;
}

/* A number that a layout grid put under a name or code header belongs to the
 * nearest amount column instead ('  1,230.50合计' right-aligned against a
 * centred header): a figure is never glued into a name. */
static int amount_slot(pb_table *t, pb_line *l, size_t i, int slot) {
    if (t->tab_mode || slot < 0) return slot;
    pb_role role = (pb_role)t->cols[slot].role;
    if (role == PB_COL_AMOUNT || role == PB_COL_NONE) return slot;
    /* the cell's kind, read once per line, says PB_NUM_VALUE whenever
     * pb_parse_number would (and for marked figures too): only those are read */
    if (cell_number_kind(t, l, i) != PB_NUM_VALUE) return slot;
    pb_cell *c = &l->cells[i];
    const char *text = CELL(l, i);
    pb_number num;
    if (i < PB_MAX_SLOTS && held_figure(&t->cell_figure[i], text, c->len)) { /* read just now */
        num = t->cell_figure[i].num;
        if (num.kind != PB_NUM_VALUE) return slot;
    } else if (pb_parse_number(text, c->len, &num) != PB_NUM_VALUE) {
        return slot;
    }
    if (num.decimals == 0) return slot;
    int best = slot;
    int32_t best_d = INT32_MAX, mid = (c->x0 + c->x1) / 2;
    for (int i = 0; i < t->ncols; i++) {
        if (t->cols[i].role != PB_COL_AMOUNT) continue;
        int32_t d = t->cols[i].x > mid ? t->cols[i].x - mid : mid - t->cols[i].x;
        if (d < best_d) best_d = d, best = i;
    }
    return best;
}

/* What the rows logic asks about one line's cells, answered once per line:
 * the slot of each of its first PB_MAX_SLOTS cells (-2: not asked yet) and
 * its amount_cells count (-1: not asked). Valid while the line's cells and
 * the table's columns stay as they were when line_memo_init cleared it. */
typedef struct line_memo {
    int8_t slot[PB_MAX_SLOTS];
    int amounts;
} line_memo;

static void line_memo_init(line_memo *m) {
    memset(m->slot, -2, sizeof m->slot);
    m->amounts = -1;
}

/* slot_of(t, cell i of l), through the memo: set_pending and amount_cells ask
 * for every cell of a line, is_continuation for its first. */
static inline int cell_slot(pb_table *t, pb_line *l, size_t i, line_memo *m) {
    /* tabs: the slot is the cell's index, no search; cells past the memo: asked each time */
    if (t->tab_mode || i >= PB_MAX_SLOTS) return slot_of(t, &l->cells[i]);
    if (m->slot[i] == -2) m->slot[i] = (int8_t)slot_of(t, &l->cells[i]);
    return m->slot[i];
}

static int emit_table_record(pb_parser *p) {
    pb_table *t = &p->table;
    if (t->emitted_header) return 0;
    t->emitted_header = 1;
    int assumed = 0;
    if (!t->unit_known) {
        t->unit_pow10 = p->last_unit_pow10 >= 0 ? p->last_unit_pow10 : 4;
        assumed = 1;
        if (pb_warn(p, t->line, PB_W_UNIT_ASSUMED, "%s assumed for table '%s'", unit_text(t->unit_pow10),
                    t->title.data ? t->title.data : "") < 0)
            return -1;
    }
    long r = pb_rec_new(p, PB_R_TABLE, t->line, t->id);
    if (r < 0) return -1;
    if (pb_rec_fieldz(p, r, 0, t->kind) < 0 || pb_rec_field(p, r, 1, t->title.data ? t->title.data : "", t->title.len) < 0 ||
        pb_rec_fieldz(p, r, 2, unit_text(t->unit_pow10)) < 0 ||
        pb_rec_field(p, r, 3, t->department.data ? t->department.data : "", t->department.len) < 0 ||
        pb_rec_fieldz(p, r, 4, assumed ? "1" : "") < 0)
        return -1;
    for (int i = 0; i < t->ncols; i++) {
        pb_column *c = &t->cols[i];
        const char *m = c->measure;
        switch (c->role) {
        case PB_COL_CODE: m = "code"; break;
        case PB_COL_CODE_CLASS: m = "code_class"; break;
        case PB_COL_CODE_SECTION: m = "code_section"; break;
        case PB_COL_CODE_ITEM: m = "code_item"; break;
        case PB_COL_NAME: m = "name"; break;
        case PB_COL_NONE: m = ""; break;
        default: break;
        }
        if (pb_rec_value(p, r, m, strlen(m), t->hdr_text.data + c->header_off, c->header_len, 0,
                         PB_V_COLUMN, c->side) < 0)
            return -1;
    }
    return 0;
}

/* ---- rows ------------------------------------------------------------------ */

/* The level of a code of n digits (类 款 项 as 3, 5, 7), its length in bytes
 * (0 for none) and the length of its parent's code. */
static size_t code_level(size_t n, const char **level, size_t *parent_n) {
    *level = "";
    *parent_n = 0;
    if (n == 3) *level = "类";
    else if (n == 5) *level = "款", *parent_n = 3;
    else if (n == 7) *level = "项", *parent_n = 5;
    else return 0;
    return strlen("类"); /* each level is one CJK character */
}

/* 部门预算项目绩效目标汇总表: a project per row with a project code, and the
 * indicator pairs of its columns (成本/产出/效益/满意度指标) as indicators. */
static int summary_targets(pb_parser *p, long r) {
    pb_table *t = &p->table;
    pb_record rec = p->store.records[r];
    char code[64], name[512];
    size_t cn = rec.f[0].len < sizeof code - 1 ? rec.f[0].len : sizeof code - 1;
    size_t nn = rec.f[3].len < sizeof name - 1 ? rec.f[3].len : sizeof name - 1;
    memcpy(code, p->store.text.data + rec.f[0].off, cn);
    memcpy(name, p->store.text.data + rec.f[3].off, nn);
    code[cn] = name[nn] = '\0';
    int64_t total = 0;
    int has_total = 0;
    for (uint32_t v = 0; v < rec.value_count; v++) {
        pb_value *val = &p->store.values[rec.value_begin + v];
        if (val->state == PB_V_NUMBER && val->measure.len == 5 &&
            memcmp(p->store.text.data + val->measure.off, "total", 5) == 0)
            total = val->fen, has_total = 1;
    }
    if (cn >= 10) { /* a project code, not a unit code */
        t->perf.project_open = 1;
        t->perf.project_index = p->next_project++;
        long pr = pb_rec_new(p, PB_R_PROJECT, rec.line, t->id);
        if (pr < 0) return -1;
        p->store.records[pr].index = (int32_t)t->perf.project_index;
        if (pb_rec_field(p, pr, 0, name, nn) < 0 || pb_rec_value(p, pr, "code", 4, code, cn, 0, PB_V_TEXT, 0) < 0)
            return -1;
        if (has_total && pb_rec_value(p, pr, "annual_total", 12, "", 0, total, PB_V_NUMBER, 0) < 0) return -1;
    } else if (cn > 0 || nn > 0) {
        t->perf.project_open = 0; /* a unit subtotal row */
    }
    if (!t->perf.project_open) return 0;
    static const struct {
        const char *prefix, *level1;
    } groups[] = {{"cost", "成本指标"}, {"output", "产出指标"}, {"effect", "效益指标"},
                  {"satisfaction", "满意度指标"}, {"indicator", ""}, {NULL, NULL}};
    for (int g = 0; groups[g].prefix; g++) {
        const char *iname = NULL, *ivalue = "";
        size_t in = 0, ivn = 0;
        size_t pl = strlen(groups[g].prefix);
        for (int i = 0; i < t->ncols; i++) {
            pb_column *c = &t->cols[i];
            pb_buf *b = &t->slot_text[i];
            if (c->role != PB_COL_TEXT || !b->len || strncmp(c->measure, groups[g].prefix, pl) != 0 ||
                c->measure[pl] != '_')
                continue;
            /* words of a target: spaces are OCR noise ('建立健 全') */
            pb_buf *w = strcmp(c->measure + pl, "_name") == 0 ? &p->scratch : &p->scratch2;
            w->len = 0;
            if (pb_strip_spaces(p, w, b->data, b->len) < 0) return -1;
            if (w == &p->scratch) iname = w->data, in = w->len;
            else ivalue = w->data, ivn = w->len;
        }
        if (!iname && !ivn) continue;
        long ir = pb_rec_new(p, PB_R_INDICATOR, rec.line, t->id);
        if (ir < 0) return -1;
        p->store.records[ir].index = (int32_t)t->perf.project_index;
        if (pb_rec_fieldz(p, ir, 0, "annual") < 0 || pb_rec_fieldz(p, ir, 1, groups[g].level1) < 0 ||
            pb_rec_field(p, ir, 3, iname ? iname : "", in) < 0 || pb_rec_field(p, ir, 4, ivalue, ivn) < 0 ||
            pb_emit_indicator_value(p, ir, ivalue, ivn) < 0)
            return -1;
    }
    return 0;
}

/* An amount cell whose figure has a unit or footnote marks after it
 * ('30.72万元', '30.72*', '30.72(注1)'): the figure is kept, in the unit the cell
 * names if it names one, with a warning naming the line and the cell. Returns 1
 * when read, 0 when the cell is no marked figure, -1 on error. */
static int marked_figure(pb_parser *p, long r, const char *m, const pb_buf *b) {
    pb_table *t = &p->table;
    pb_number num;
    int pow10;
    int64_t fen;
    if (pb_parse_marked_number(b->data, b->len, &num, &pow10) != PB_NUM_VALUE) return 0;
    int unit = pow10 >= 0 ? pow10 : t->unit_pow10;
    int ex = pb_number_to_fen(&num, unit, &fen);
    if (ex < 0) return 0;
    /* decimals in the table's unit: '307200元' in a 万元 table is 30.72 to the cent */
    int decimals = num.decimals + t->unit_pow10 - unit;
    if (decimals < 0) decimals = 0;
    if (pb_warn(p, t->pending_line, PB_W_MARKED_FIGURE, "'%.60s' in column %s read as a figure", b->data, m) < 0 ||
        (ex > 0 && pb_warn(p, t->pending_line, PB_W_INEXACT, "'%.60s'", b->data) < 0))
        return -1;
    if (unit == t->unit_pow10 && decimals > t->max_decimals) t->max_decimals = decimals; /* the table's digit */
    return pb_rec_value(p, r, m, strlen(m), b->data, b->len, fen, PB_V_NUMBER, decimals) < 0 ? -1 : 1;
}

/* emit_side keeps a row's slots in the bits of a uint64_t */
typedef char pb_slots_fit_a_mask[PB_MAX_SLOTS <= 64 ? 1 : -1];

static int emit_side(pb_parser *p, int side) {
    pb_table *t = &p->table;
    char code[48];
    size_t code_n = 0;
    const char *name = NULL;
    size_t name_n = 0;
    int has_number = 0, name_slot = -1;
    /* each amount cell is read as a number once: to decide whether the row has one, then for its value */
    pb_number nums[PB_MAX_SLOTS];
    pb_num_kind kinds[PB_MAX_SLOTS];
    /* the slots with text on this side, found here: the values' loop below
     * visits only them instead of testing every column again */
    uint64_t filled = 0;
    for (int i = 0; i < t->ncols; i++) {
        pb_column *c = &t->cols[i];
        pb_buf *b = &t->slot_text[i];
        if (!b->len || (t->two_sided && c->side != side && c->side != 0)) continue;
        filled |= (uint64_t)1 << i;
        if (c->role == PB_COL_CODE || c->role == PB_COL_CODE_CLASS || c->role == PB_COL_CODE_SECTION ||
            c->role == PB_COL_CODE_ITEM) {
            size_t digits = 0;
            for (size_t k = 0; k < b->len; k++) digits += b->data[k] >= '0' && b->data[k] <= '9';
            if (!digits && !name) { /* '合计' printed in the code column */
                name = b->data;
                name_n = b->len;
                name_slot = i;
                continue;
            }
            /* '2080201 行政运行' in one cell: the words after the code are the name */
            size_t lead = 0, code_len = b->len;
            while (lead < b->len && b->data[lead] >= '0' && b->data[lead] <= '9') lead++;
            /* a code column holds no names, so '2080201行政运行' (pdftotext dropped
             * the space) splits too when the code has a code's length */
            int glued = (lead == 3 || lead == 5 || lead == 7) && lead < b->len &&
                        (unsigned char)b->data[lead] >= 0x80;
            if (lead && lead < b->len && (b->data[lead] == ' ' || glued) && !name) {
                size_t k = lead;
                while (k < b->len && b->data[k] == ' ') k++;
                if (k < b->len && (unsigned char)b->data[k] >= 0x80) {
                    name = b->data + k;
                    name_n = b->len - k;
                    name_slot = -2; /* not a name column: keep the name column's own text out */
                    code_len = lead;
                }
            }
            /* '208 | 5 | 1': sections and items are two digits under a 3-digit class */
            int pad = (c->role == PB_COL_CODE_SECTION || c->role == PB_COL_CODE_ITEM) && digits == 1 &&
                      (code_n == 3 || code_n == 5);
            if (pad && code_n < sizeof code - 1) code[code_n++] = '0';
            for (size_t k = 0; k < code_len && code_n < sizeof code - 1; k++)
                if (b->data[k] >= '0' && b->data[k] <= '9') code[code_n++] = b->data[k];
        } else if (c->role == PB_COL_NAME && !name) {
            name = b->data;
            name_n = b->len;
            name_slot = i;
        } else if (c->role == PB_COL_AMOUNT || c->role == PB_COL_NONE) {
            if (held_figure(&t->slot_figure[i], b->data, b->len)) /* the one cell of the slot, read before */
                nums[i] = t->slot_figure[i].num, kinds[i] = nums[i].kind;
            else
                kinds[i] = pb_parse_number(b->data, b->len, &nums[i]);
            if (kinds[i] == PB_NUM_VALUE) has_number = 1;
        }
    }
    int summary = t->kind[0] == 'p' && strcmp(t->kind, "performance_summary") == 0;
    if (!name && !has_number && !code_n && !summary) return 0;
    /* The name as pb_squeeze leaves it (nm): a name without blanks as it is. */
    const char *nm = "";
    size_t nm_n = 0;
    if (name) {
        /* A code printed in the name cell: '2080505 机关事业单位…'. */
        size_t d = 0;
        while (d < name_n && name[d] >= '0' && name[d] <= '9') d++;
        if (!code_n && (d == 3 || d == 5 || d == 7) && d < name_n && name[d] == ' ') {
            memcpy(code, name, d);
            code_n = d;
            name += d;
            name_n -= d;
        }
        if (pb_has_blank(name, name_n)) {
            p->scratch.len = 0;
            if (pb_squeeze(p, &p->scratch, name, name_n) < 0) return -1;
            nm = p->scratch.data, nm_n = p->scratch.len;
        } else {
            nm = name, nm_n = name_n;
        }
    }
    code[code_n] = '\0';
    const char *level;
    size_t parent_n, level_n = code_level(code_n, &level, &parent_n);
    long r = pb_rec_new(p, PB_R_ROW, t->pending_line, t->id);
    if (r < 0) return -1;
    /* lengths of literals known here: no strlen per row */
    const char *sname = t->two_sided ? side_name(side) : "";
    size_t sname_n = strlen(sname); /* folded: side_name is inline and its words are literals */
    int total = pb_is_total_label(nm, nm_n);
    /* pb_rec_new left every field empty: only those with text are stored
     * (level, parent, side and role are empty in most rows) */
    if ((code_n && pb_rec_field(p, r, 0, code, code_n) < 0) || (level_n && pb_rec_field(p, r, 1, level, level_n) < 0) ||
        (parent_n && pb_rec_field(p, r, 2, code, parent_n) < 0) || (nm_n && pb_rec_field(p, r, 3, nm, nm_n) < 0) ||
        (sname_n && pb_rec_field(p, r, 4, sname, sname_n) < 0) || (total && pb_rec_field(p, r, 5, "total", 5) < 0))
        return -1;
    for (; filled; filled &= filled - 1) {
        int i = __builtin_ctzll(filled);
        pb_column *c = &t->cols[i];
        pb_buf *b = &t->slot_text[i];
        if (c->role == PB_COL_AMOUNT || c->role == PB_COL_NONE) {
            char fallback[16];
            const char *m = c->measure;
            size_t mn = c->measure_len;
            if (c->role == PB_COL_NONE) {
                mn = (size_t)snprintf(fallback, sizeof fallback, "col%d", i);
                m = fallback;
            }
            const pb_number num = nums[i];
            pb_num_kind k = kinds[i];
            if (k == PB_NUM_VALUE) {
                int64_t fen;
                int ex = pb_number_to_fen(&num, t->unit_pow10, &fen);
                if (ex < 0) {
                    if (pb_warn(p, t->pending_line, PB_W_NOT_A_NUMBER, "'%.60s' overflows", b->data) < 0) return -1;
                    continue;
                }
                if (ex > 0 && pb_warn(p, t->pending_line, PB_W_INEXACT, "'%.60s'", b->data) < 0) return -1;
                if (num.decimals > t->max_decimals) t->max_decimals = num.decimals;
                if (pb_rec_value(p, r, m, mn, b->data, b->len, fen, PB_V_NUMBER, num.decimals) < 0)
                    return -1;
            } else if (k == PB_NUM_DASH) {
                if (pb_rec_value(p, r, m, mn, b->data, b->len, 0, PB_V_DASH, 0) < 0) return -1;
            } else if (c->role == PB_COL_AMOUNT) {
                int read = marked_figure(p, r, m, b);
                if (read < 0) return -1;
                if (read) continue;
                if (pb_warn(p, t->pending_line, PB_W_NOT_A_NUMBER, "'%.60s' in column %s", b->data, m) < 0)
                    return -1;
                if (pb_rec_value(p, r, m, mn, b->data, b->len, 0, PB_V_TEXT, 0) < 0) return -1;
            } else {
                if (pb_rec_value(p, r, m, mn, b->data, b->len, 0, PB_V_TEXT, 0) < 0) return -1;
            }
        } else if (c->role == PB_COL_TEXT || (c->role == PB_COL_NAME && i != name_slot)) {
            const char *m = c->role == PB_COL_NAME ? "name_2" : c->measure;
            size_t mn = c->role == PB_COL_NAME ? strlen("name_2") : c->measure_len;
            const char *v = b->data; /* as pb_squeeze leaves it: as it is without blanks */
            size_t vn = b->len;
            if (pb_has_blank(v, vn)) {
                p->scratch2.len = 0;
                if (pb_squeeze(p, &p->scratch2, b->data, b->len) < 0) return -1;
                v = p->scratch2.data, vn = p->scratch2.len;
            }
            if (pb_rec_value(p, r, m, mn, v, vn, 0, PB_V_TEXT, 0) < 0) return -1;
        }
    }
    return summary ? summary_targets(p, r) : 0;
}

static int flush_row(pb_parser *p) {
    pb_table *t = &p->table;
    if (!t->pending) return 0;
    t->pending = 0;
    if (t->rows >= p->opt.max_table_rows) {
        if (t->rows++ == p->opt.max_table_rows) {
            if (p->opt.strict)
                return pb_set_error(p, PB_E_TABLE_TOO_LARGE, t->pending_line, "limit %zu", p->opt.max_table_rows);
            return pb_warn(p, t->pending_line, PB_W_TABLE_TRUNCATED, "limit %zu", p->opt.max_table_rows);
        }
        return 0;
    }
    t->rows++;
    if (emit_table_record(p) < 0) return -1;
    if (t->two_sided) {
        if (emit_side(p, 1) < 0 || emit_side(p, 2) < 0) return -1;
    } else if (emit_side(p, 0) < 0) {
        return -1;
    }
    return 0;
}

static int amount_cells(pb_table *t, pb_line *l, line_memo *m);

static int first_text_cell(pb_line *l) {
    for (size_t i = 0; i < l->ncells; i++)
        if (l->cells[i].len) return (int)i;
    return -1;
}

/* Puts the line's cells into the slots of the pending row: a new row, or more
 * of it (append). first_ordinal: whether the line's first text cell starts
 * with an ordinal, when the caller asked already (-1: not asked); each cell is
 * asked once. m: the line's memo. */
static int set_pending(pb_parser *p, pb_line *l, int append, int first_ordinal, line_memo *m) {
    pb_table *t = &p->table;
    int first = append ? -1 : first_text_cell(l);
    if (!append) {
        for (int i = 0; i < t->ncols; i++) t->slot_text[i].len = 0;
        t->pending = 1;
        t->pending_line = l->no;
        t->pending_has_values = 0;
        t->pending_ordinal = 0;
    }
    unsigned char figure_in[PB_MAX_SLOTS] = {0}; /* slots that got a figure of this line */
    for (size_t i = 0; i < l->ncells; i++) {
        pb_cell *c = &l->cells[i];
        if (!c->len) continue;
        int s = amount_slot(t, l, i, cell_slot(t, l, i, m));
        if (s < 0) continue;
        if (!t->tab_mode && cell_number_kind(t, l, i) != PB_NUM_NONE) {
            /* Figures keep the order of their columns: a second figure that a
             * misaligned layout line puts under the same header belongs to the
             * next amount column of that side. */
            for (int k = s + 1; figure_in[s] && k < t->ncols; k++)
                if (t->cols[k].role == PB_COL_AMOUNT && t->cols[k].side == t->cols[s].side && !figure_in[k]) s = k;
            figure_in[s] = 1;
        }
        int first_in_slot = t->slot_text[s].len == 0;
        if (pb_buf_append(p, &t->slot_text[s], CELL(l, i), c->len) < 0) return -1;
        if (!append) {
            if (t->cols[s].role == PB_COL_NAME && !t->pending_ordinal) {
                if ((int)i != first || first_ordinal < 0) {
                    t->pending_ordinal = pb_ordinal_prefix(CELL(l, i), c->len) > 0;
                    if ((int)i == first) first_ordinal = t->pending_ordinal;
                } else {
                    t->pending_ordinal = first_ordinal;
                }
            }
            if ((t->cols[s].role == PB_COL_AMOUNT || t->cols[s].role == PB_COL_NONE) &&
                cell_number_kind(t, l, i) == PB_NUM_VALUE)
                t->pending_has_values = 1;
        }
        /* a slot that takes one cell's figure keeps it for emit_side */
        if (first_in_slot && i < PB_MAX_SLOTS && (t->cols[s].role == PB_COL_AMOUNT || t->cols[s].role == PB_COL_NONE) &&
            held_figure(&t->cell_figure[i], CELL(l, i), c->len))
            t->slot_figure[s] = t->cell_figure[i];
    }
    if (!t->pending_ordinal && !append && first >= 0)
        t->pending_ordinal = first_ordinal >= 0 ? first_ordinal : pb_ordinal_prefix(CELL(l, first), l->cells[first].len) > 0;
    return 0;
}

/* ---- line classification ------------------------------------------------------- */

static int is_index_row(pb_line *l) {
    long expect = -1;
    int count = 0;
    for (size_t i = 0; i < l->ncells; i++) {
        pb_cell *c = &l->cells[i];
        if (!c->len) continue;
        const char *s = CELL(l, i);
        long v = 0;
        for (size_t k = 0; k < c->len; k++) {
            if (s[k] < '0' || s[k] > '9' || k > 2) return 0;
            v = v * 10 + (s[k] - '0');
        }
        if (expect >= 0 && v != expect) return 0;
        if (expect < 0 && v > 1) return 0;
        expect = v + 1;
        count++;
    }
    return count >= 2;
}

static int looks_like_code(const char *s, size_t n) {
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') d++;
        else if (s[i] != ' ') return 0;
    }
    return d >= 3;
}

static int line_is_data(pb_table *t, pb_line *l) {
    int first = first_text_cell(l);
    if (first < 0) return 0;
    const char *fs = CELL(l, first);
    size_t fn = l->cells[first].len;
    if (pb_ordinal_prefix(fs, fn) || looks_like_code(fs, fn)) return 1;
    if (pb_is_row_label(fs, fn) && !pb_is_total_label(fs, fn)) {
        /* '公务接待费' alone is a row; '“三公”经费合计 | 因公出国(境)费 | …' is a header */
        int others = 0;
        for (size_t i = (size_t)first + 1; i < l->ncells; i++) {
            others += l->cells[i].len && cell_number_kind(t, l, i) == PB_NUM_NONE;
        }
        if (!others) return 1;
    }
    for (size_t i = 0; i < l->ncells; i++) {
        pb_cell *c = &l->cells[i];
        if (!c->len) continue;
        if (cell_number_kind(t, l, i) == PB_NUM_VALUE) return 1;
    }
    /* '合计' alone (or '收入总计 … 支出总计') starts the rows of an empty table;
     * '小计  一般公共预算 …' and '小计  其中：财政拨款' are headers. */
    if (!pb_is_total_label(fs, fn)) return 0;
    for (size_t i = (size_t)first + 1; i < l->ncells; i++)
        if (l->cells[i].len && !pb_is_row_label(CELL(l, i), l->cells[i].len)) return 0;
    return 1;
}

/* The line repeats header words: 1, or 2 when they all come from the first
 * header row; 0 if not. */
static int is_repeated_header(pb_table *t, pb_line *l, pb_parser *p) {
    int matched = 0, first_row = 1;
    for (size_t i = 0; i < l->ncells; i++) {
        pb_cell *c = &l->cells[i];
        if (!c->len) continue;
        size_t wn; /* header cells are held without blanks */
        const char *w = unblanked(p, &p->scratch, CELL(l, i), c->len, &wn);
        if (!w) return -1;
        if (!has_header_key(t, w, wn)) return 0; /* no header cell has this text: most data cells */
        size_t found = t->nhcells;
        for (size_t k = 0; k < t->nhcells && found == t->nhcells; k++) {
            pb_cell *h = &t->hcells[k];
            if (h->len == wn && memcmp(htext(t, h), w, wn) == 0) found = k;
        }
        if (found == t->nhcells) return 0;
        if (t->nhrows > 0 && found >= t->hrows[0].first_cell + t->hrows[0].ncells) first_row = 0;
        matched++;
    }
    return matched < 2 ? 0 : first_row ? 2 : 1;
}

/* Cells of the line that hold an amount under an amount column or a code
 * under a code column; counted once per line (m). */
static int amount_cells(pb_table *t, pb_line *l, line_memo *m) {
    if (m->amounts >= 0) return m->amounts;
    int n = 0;
    for (size_t i = 0; i < l->ncells; i++) {
        pb_cell *c = &l->cells[i];
        if (!c->len) continue;
        int s = cell_slot(t, l, i, m);
        if (s >= 0 && (t->cols[s].role == PB_COL_AMOUNT || t->cols[s].role == PB_COL_NONE) &&
            cell_number_kind(t, l, i) != PB_NUM_NONE)
            n++;
        if (s >= 0 && t->cols[s].role == PB_COL_CODE && looks_like_code(CELL(l, i), c->len)) n++;
    }
    return m->amounts = n;
}

/* The header cell (of any header row) that overlaps c the most, or -1. */
static long header_cell_over(const pb_table *t, const pb_cell *c) {
    long best = -1;
    int32_t best_overlap = 0;
    for (size_t k = 0; k < t->nhcells; k++) {
        const pb_cell *h = &t->hcells[k];
        int32_t lo = h->x0 > c->x0 ? h->x0 : c->x0, hi = h->x1 < c->x1 ? h->x1 : c->x1;
        if (h->len && hi - lo > best_overlap) best_overlap = hi - lo, best = (long)k;
    }
    return best;
}

/* A table line printed with single spaces between its cells (plain-text
 * extractors such as pdfplumber's default): one cell of words ending in
 * figures. Empty cells left no trace, so its figures cannot be placed in
 * columns; the line is reported instead of being read as a header or a name.
 * Returns how many figures end the line (0: not such a line). */
static int cells_not_separated(pb_line *l) {
    if (l->tab_mode || l->ncells != 1) return 0;
    const char *s = CELL(l, 0);
    size_t end = l->cells[0].len;
    int figures = 0;
    for (;;) {
        size_t start = end;
        while (start > 0 && s[start - 1] != ' ') start--;
        pb_number num;
        if (start == end || pb_parse_number(s + start, end - start, &num) != PB_NUM_VALUE) break;
        if (start > 1 && (s[start - 2] == '.' || s[start - 2] == ',')) { /* OCR's '733. 90': one figure */
            end = start - 1;
            continue;
        }
        figures++;
        if (start == 0) return 0; /* figures only ('1 2 3' numbers the columns) */
        end = start - 1;
    }
    if (!figures) return 0;
    for (size_t k = 0; k < end; k++) /* words before the figures */
        if ((unsigned char)s[k] >= 0x80) return figures;
    return 0;
}

static int report_not_separated(pb_parser *p, pb_line *l) {
    const char *title = p->table.title.data ? p->table.title.data : "";
    return pb_warn(p, l->no, PB_W_CELLS_NOT_SEPARATED, "'%.80s' in table '%.60s'", CELL(l, 0), title);
}

/* A line no data row could be: header words such as 项目名称 and no numbers. */
static int is_strong_header(pb_parser *p, pb_line *l) {
    static const char *const words[] = {"项目名称", "科目编码", "科目名称", "单位名称", "项目", "功能分类科目编码",
                                        "收入科目编码", "支出科目编码", NULL};
    int strong = 0;
    for (size_t i = 0; i < l->ncells; i++) {
        pb_cell *c = &l->cells[i];
        if (!c->len) continue;
        if (cell_number_kind(&p->table, l, i) != PB_NUM_NONE) return 0;
        p->scratch.len = 0;
        if (pb_strip_spaces(p, &p->scratch, CELL(l, i), c->len) < 0) return 0;
        for (int k = 0; words[k]; k++)
            if (strcmp(p->scratch.data, words[k]) == 0) strong = 1;
    }
    return strong;
}

/* Turns the pending first row back into a header row. */
static int demote_pending(pb_parser *p) {
    pb_table *t = &p->table;
    pb_line fake;
    memset(&fake, 0, sizeof fake);
    fake.tab_mode = t->tab_mode;
    int rc = 0;
    for (int i = 0; i < t->ncols && rc == 0; i++) {
        pb_buf *b = &t->slot_text[i];
        if (!b->len) continue;
        pb_cell c;
        c.off = (uint32_t)fake.text.len;
        c.len = (uint32_t)b->len;
        c.x0 = t->cols[i].x;
        c.x1 = t->tab_mode ? c.x0 + 1 : (i + 1 < t->ncols ? t->cols[i + 1].x - 1 : c.x0 + (int32_t)b->len);
        pb_cell *cells = NULL;
        if (pb_buf_append(p, &fake.text, b->data, b->len) < 0 ||
            !(cells = pb_grow_items(p, fake.cells, &fake.cells_cap, fake.ncells, sizeof *cells, 16)))
            rc = -1;
        else
            fake.cells = cells, fake.cells[fake.ncells++] = c;
    }
    if (rc == 0) rc = add_header_row(p, &fake);
    pb_buf_free(p, &fake.text);
    pb_dealloc(p, fake.cells);
    t->pending = 0;
    t->ncols = 0;
    return rc;
}

/* Whether a pending name and the tail of the next line together spell a row
 * label of the standard tables (after its ordinal and a '其中:'). */
static int joins_into_label(const pb_buf *pending, const char *tail, size_t tail_len) {
    char joined[96];
    size_t k = 0;
    for (size_t i = 0; i < pending->len && k < sizeof joined; i++)
        if (pending->data[i] != ' ' && pending->data[i] != '\t') joined[k++] = pending->data[i];
    if (k + tail_len > sizeof joined) return 0;
    memcpy(joined + k, tail, tail_len);
    k += tail_len;
    size_t from = pb_ordinal_prefix(joined, k);
    if (pb_starts(joined + from, k - from, "其中:")) from += strlen("其中:");
    return pb_is_row_label(joined + from, k - from);
}

/* Whether the line continues the pending row (wrapped names); *first_ordinal
 * is set when the line's first text cell was asked for an ordinal. */
static int is_continuation(pb_parser *p, pb_line *l, int *first_ordinal, line_memo *m) {
    pb_table *t = &p->table;
    if (!t->pending) return 0;
    if (t->kind[0] == 'p' && strcmp(t->kind, "performance_summary") == 0) {
        /* The targets under a project are rows of their own; only the wrapped
         * tail of a project name ('作经费' alone in the name column) joins. */
        int names = 0;
        for (size_t i = 0; i < l->ncells; i++) {
            if (!l->cells[i].len) continue;
            int s = cell_slot(t, l, i, m);
            if (s < 0 || t->cols[s].role != PB_COL_NAME) return 0;
            names++;
        }
        return names == 1;
    }
    /* A row grows by short pieces only; cap it so an endless chain stays bounded. */
    size_t held = 0;
    for (int i = 0; i < t->ncols; i++) held += t->slot_text[i].len;
    if (held + l->text.len > p->opt.max_line) return 0;
    int first = first_text_cell(l);
    if (first < 0) return 0;
    const char *s = CELL(l, first);
    size_t n = l->cells[first].len;
    *first_ordinal = pb_ordinal_prefix(s, n) > 0;
    if (*first_ordinal) return 0;
    size_t wn;
    const char *w = unblanked(p, &p->scratch, s, n, &wn);
    if (!w) return -1;
    if (pb_is_row_label(w, wn) || pb_starts(w, wn, "其中")) return 0;
    /* '公务用车运行' then '维护费': the pieces make a label of the standard
     * tables, which tells a wrap even where neither line has a figure. */
    int slot = cell_slot(t, l, (size_t)first, m);
    if (slot >= 0 && t->slot_text[slot].len && (!t->pending_has_values || amount_cells(t, l, m) == 0) &&
        joins_into_label(&t->slot_text[slot], w, wn))
        return 1;
    size_t text = 0; /* text of the line's non-amount cells */
    for (size_t i = 0; i < l->ncells; i++) {
        if (l->cells[i].len && cell_number_kind(t, l, i) == PB_NUM_NONE)
            text += l->cells[i].len;
    }
    if (amount_cells(t, l, m) > 0)
        /* '三、文化旅游体育与传媒' then '支出  50.50': the figures come with the tail */
        return !t->pending_has_values && t->pending_ordinal && text <= 30;
    int projects = strncmp(t->kind, "projects", 8) == 0;
    /* two-sided lines carry the tails of both names */
    if (t->pending_has_values) return text <= (projects || t->two_sided ? 90u : 30u);
    /* two-sided lines carry a tail for each side */
    return t->pending_ordinal && text <= (t->two_sided ? 60u : 30u);
}

/* Whether a line ends in a word that closes a section heading (说明, 情况,
 * 概况, 名词解释); the last byte alone rejects almost every table line. */
static int ends_in_section_word(const char *s, size_t n) {
    unsigned char last = n ? (unsigned char)s[n - 1] : 0;
    if (last != 0x8E && last != 0xB5 && last != 0x8A) return 0; /* 明 况 释 */
    return pb_ends(s, n, "说明") || pb_ends(s, n, "情况") || pb_ends(s, n, "概况") || pb_ends(s, n, "名词解释");
}

/* Whether s starts with the first character of a department, unit or note
 * line (部 单 编 填 注 本 说): a line that does not is none of them, and every
 * table line is asked. */
static int starts_label_char(const char *s, size_t n) {
    switch (pb_char3(s, n)) {
    case 0xE983A8: /* 部 */
    case 0xE58D95: /* 单 */
    case 0xE7BC96: /* 编 */
    case 0xE5A1AB: /* 填 */
    case 0xE6B3A8: /* 注 */
    case 0xE69CAC: /* 本 */
    case 0xE8AFB4: /* 说 */
        return 1;
    default:
        return 0;
    }
}

int pb_table_line(pb_parser *p, pb_line *l) {
    pb_table *t = &p->table;
    const char *sq = l->squeezed.data;
    size_t sn = l->squeezed.len;
    if (l->ncells == 0 || sn == 0) { /* blank lines and page breaks */
        t->after_row = 0;
        return 1;
    }
    int after_row = t->after_row, undo_armed = t->undo_armed;
    t->after_row = t->undo_armed = 0;
    /* Unit and department lines. */
    int pow10, pending_next;
    if (t->unit_pending_next) {
        t->unit_pending_next = 0;
        if (strcmp(sq, "万元") == 0 || strcmp(sq, "元") == 0 || strcmp(sq, "亿元") == 0) {
            t->unit_pow10 = pb_starts(sq, sn, "万") ? 4 : pb_starts(sq, sn, "亿") ? 8 : 0;
            t->unit_known = 1;
            return 1;
        }
    }
    int label = starts_label_char(sq, sn);
    int is_dept = label && (pb_starts(sq, sn, "部门名称:") || pb_starts(sq, sn, "单位名称:") || pb_starts(sq, sn, "部门:") ||
                            pb_starts(sq, sn, "编制单位:") || pb_starts(sq, sn, "填报单位:") ||
                            pb_starts(sq, sn, "编制部门:"));
    if (t->state != PB_T_PERF || is_dept || (label && pb_starts(sq, sn, "单位:"))) {
        if (pb_unit_from_line(sq, sn, &pow10, &pending_next)) {
            if (pending_next) t->unit_pending_next = 1;
            else if (!t->emitted_header || !t->unit_known) {
                t->unit_pow10 = pow10;
                t->unit_known = 1;
            }
            if (!is_dept) return 1;
        }
    }
    if (is_dept && t->state != PB_T_PERF) {
        const char *v = strchr(sq, ':') + 1;
        const char *end = strstr(v, "单位:");
        size_t vn = end ? (size_t)(end - v) : strlen(v);
        t->department.len = 0;
        if (pb_buf_append(p, &t->department, v, vn) < 0) return -1;
        return 1;
    }
    if (sq[0] == '(' && pb_contains(sq, sn, "年度") && sn <= 24) return 1; /* (2025年度) */
    if (label && (pb_starts(sq, sn, "注:") || pb_starts(sq, sn, "本表无数据") || pb_starts(sq, sn, "说明:"))) {
        if (t->note.len && pb_buf_putc(p, &t->note, '\n') < 0) return -1;
        if (pb_buf_append(p, &t->note, l->text.data, l->text.len) < 0) return -1;
        if (pb_contains(sq, sn, "本表无数据") || pb_contains(sq, sn, "无数据")) t->empty = 1;
        return 1;
    }
    if (t->state == PB_T_PERF) return pb_perf_line(p, l);
    if (t->char_columns && !l->tab_mode) use_char_columns(l->cells, l->ncells);
    /* A row of a space-aligned table whose one figure nearly touches its name
     * ('公务用车运行维护费 29945.00'): cut where the figure stands under an amount
     * column, or, for the first row, under another header cell than the name. */
    if (l->glued.off && l->ncells == 1 && (t->state == PB_T_ROWS ? t->ncols > 1 : t->nhcells > 1)) {
        pb_space at = l->glued;
        if (t->char_columns) at.x0 = at.c0, at.x1 = at.c1; /* the cells were put in characters above */
        pb_cell head = l->cells[0], figure = l->cells[0];
        head.x1 = at.x0, figure.x0 = at.x1;
        int cut;
        if (t->state == PB_T_ROWS) {
            int hs = slot_of(t, &head), fs = slot_of(t, &figure);
            cut = fs >= 0 && fs != hs && t->cols[fs].role == PB_COL_AMOUNT;
        } else {
            long hh = header_cell_over(t, &head), fh = header_cell_over(t, &figure);
            cut = fh >= 0 && fh != hh;
        }
        if (cut && pb_cut_cell(p, l, 0, &at) < 0) return -1;
    }
    /* prose has no figures after single spaces: two of them make a table line */
    int unseparated = cells_not_separated(l);
    if (unseparated >= 2 || (unseparated && sn <= 60)) return report_not_separated(p, l) < 0 ? -1 : 1;
    if (t->state == PB_T_HEAD) {
        if (l->ncells == 1 && sn > 60 && !line_is_data(t, l)) return 0; /* prose */
        if (is_index_row(l)) return 1;
        if (!line_is_data(t, l)) {
            if (t->nhrows == 0) t->tab_mode = l->tab_mode;
            return add_header_row(p, l) < 0 ? -1 : 1;
        }
        if (t->nhrows == 0) t->tab_mode = l->tab_mode;
        if (finalize_columns(p, l) < 0) return -1;
        t->state = PB_T_ROWS;
        t->after_row = 1;
        line_memo first_row;
        line_memo_init(&first_row); /* the columns are new */
        return set_pending(p, l, 0, -1, &first_row) < 0 ? -1 : 1;
    }
    /* Rows. A name run into the next column is cut where that column starts. */
    if (!l->tab_mode && t->ncols > 1) {
        int32_t starts[PB_MAX_SLOTS];
        for (int i = 0; i < t->ncols; i++) starts[i] = t->cols[i].x;
        if (pb_split_at_columns(p, l, starts, t->ncols, t->char_columns) < 0) return -1;
    }
    line_memo m; /* the line's cells are final from here on */
    line_memo_init(&m);
    if (l->ncells == 1 && sn > 60 && amount_cells(t, l, &m) == 0) return 0; /* prose after the table */
    if (pb_text_cells(l, 2) == 1 && ((t->tab_mode && !l->tab_mode) || ends_in_section_word(sq, sn)) &&
        pb_ordinal_prefix(sq, sn) && amount_cells(t, l, &m) == 0)
        return 0; /* a section heading ('三、部门预算情况说明') after the table */
    if (is_index_row(l)) return 1;
    int rh = is_repeated_header(t, l, p);
    if (rh < 0) return -1;
    if (rh && undo_armed) { /* a page's header after all: the line before was its first row */
        for (int i = 0; i < t->ncols; i++) t->slot_text[i].len = t->undo_len[i];
        return 1;
    }
    if (rh == 2 && after_row && t->pending && t->nhrows >= 2) {
        for (int i = 0; i < t->ncols; i++) t->undo_len[i] = t->slot_text[i].len;
        t->undo_armed = t->after_row = 1;
        return set_pending(p, l, 1, -1, &m) < 0 ? -1 : 1;
    }
    if (rh) return 1;
    if (t->rows == 0 && t->pending && is_strong_header(p, l)) {
        /* The 'first row' was a garbled header line ('202 | 5年财政边 | 款'):
         * it and this line are the header after all. */
        if (demote_pending(p) < 0 || add_header_row(p, l) < 0) return -1;
        t->state = PB_T_HEAD;
        return 1;
    }
    int first_ordinal = -1; /* is_continuation may ask, set_pending need not again */
    int cont = is_continuation(p, l, &first_ordinal, &m);
    if (cont < 0) return -1;
    t->after_row = 1;
    if (cont) return set_pending(p, l, 1, -1, &m) < 0 ? -1 : 1;
    if (flush_row(p) < 0) return -1;
    return set_pending(p, l, 0, first_ordinal, &m) < 0 ? -1 : 1;
}

int pb_table_end(pb_parser *p) {
    pb_table *t = &p->table;
    if (!t->open) return 0;
    if (t->state == PB_T_PERF) {
        if (pb_perf_end(p) < 0) return -1;
    } else if (t->state == PB_T_HEAD) {
        /* No data row: still a table (usually an empty one). */
        pb_line none;
        memset(&none, 0, sizeof none);
        none.tab_mode = t->tab_mode;
        if (finalize_columns(p, &none) < 0) return -1;
    }
    if (flush_row(p) < 0 || emit_table_record(p) < 0) return -1;
    long r = pb_rec_new(p, PB_R_TABLE_END, t->line, t->id);
    if (r < 0) return -1;
    p->store.records[r].flags = (uint8_t)(t->empty ? 1 : 0);
    p->store.records[r].index = t->max_decimals;
    if (pb_rec_field(p, r, 0, t->note.data ? t->note.data : "", t->note.len) < 0) return -1;
    if (t->state != PB_T_PERF) p->last_unit_pow10 = t->unit_pow10;
    t->open = 0;
    return 0;
}
