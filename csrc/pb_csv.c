/* Comma-separated lines: tables saved as CSV from a spreadsheet, or written by
 * PDF table extractors (tabula, camelot). Each field becomes a cell: the line
 * is rewritten with tabs between its fields and read like any tab-separated
 * line. Only ASCII commas separate (a full-width '，' is prose punctuation),
 * and quoting is RFC 4180's: a field that starts with '"' runs to the next
 * lone '"', with '""' standing for one quote mark.
 *
 * A document is read as CSV from the first line that shows it beyond doubt:
 * three or more fields, not all empty, with two empty ones (a spreadsheet pads
 * rows to the table's width), or two with text and an empty field or a quoted
 * figure; no tab, HTML cell or run of spaces, and well-formed quoting. Prose
 * with ASCII commas never shows all of that, and figures with thousands
 * separators ('50,000.00') in other layouts come with tabs or runs of spaces.
 * From then on, a line whose fields look like a table row is rewritten; prose
 * whose commas are ASCII (a converter that folds full-width forms) is left as
 * it is: its fields are words with a sentence's end or long clauses, and a
 * comma where a thousands separator would be ('总计10,170,051.00元') is one,
 * for a CSV writer quotes such a figure.
 *
 * A quoted field may hold line breaks (a wrapped spreadsheet cell): such a
 * line is held and joined with the lines after it until the quote closes. A
 * header row whose cells all wrap spans many lines, but a cell is short: a
 * quote still open after PB_CSV_MAX_CELL bytes of its field (or after
 * PB_CSV_MAX_JOIN lines) was no wrapped cell: the held lines are read one by
 * one with their own numbers, the first with its quote mark as a plain
 * character, and UNCLOSED_QUOTE names it. */
#include "pb_internal.h"

#include <string.h>

/* What a line is, read as comma-separated fields. */
typedef struct csv_shape {
    size_t fields, empty, quoted, figures, longest;
    int malformed;    /* text after a closing quote, inside its field */
    int split_number; /* a thousands separator in prose: '总计10,170,051.00元' */
    int spaced;       /* a run of two spaces outside quotes: space-aligned columns */
} csv_shape;

/* A figure or a dash, as a table cell would be read. */
static int is_figure(const char *s, size_t n) {
    pb_number num;
    return n > 0 && pb_parse_number(s, n, &num) != PB_NUM_NONE;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Whether the comma at s[i] sits where a thousands separator would: one to
 * three digits before it, exactly three after ('10,170,051.00'). */
static int thousands_separator(const char *s, size_t n, size_t i) {
    size_t run = 0;
    while (run < i && is_digit(s[i - 1 - run])) run++;
    if (run < 1 || run > 3 || i + 3 >= n || !is_digit(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3]))
        return 0;
    return i + 4 == n || !is_digit(s[i + 4]);
}

/* Splits s into fields, writing them to out (room for n + 1 bytes) with a tab
 * between each; returns the length written. A line break inside a quoted
 * field (a joined wrapped cell) is dropped beside a Chinese character and is a
 * space elsewhere. */
static size_t split_fields(const char *s, size_t n, int quote_is_mark, char *out, csv_shape *shape) {
    memset(shape, 0, sizeof *shape);
    size_t i = 0, o = 0;
    /* a comma where a thousands separator would be ends the field before: whether that field was a figure */
    int after_digit_comma = 0, figure_before = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) i = 3; /* a spreadsheet's byte-order mark */
    for (;;) {
        size_t start = o;
        int quoted = 0;
        size_t j = i;
        while (j < n && s[j] == ' ') j++;
        if (j < n && s[j] == '"' && !quote_is_mark) {
            if (j - i >= 2) shape->spaced = 1;
            quoted = 1;
            i = j + 1;
            for (;;) {
                if (i >= n) break; /* open to the end: the line is held (pb_csv_hold) or read as it is */
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        out[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (s[i] == '\n') {
                    unsigned char before = i > 0 ? (unsigned char)s[i - 1] : 0;
                    unsigned char after = i + 1 < n ? (unsigned char)s[i + 1] : 0;
                    if (before < 0x80 && after < 0x80) out[o++] = ' ';
                    i++;
                    continue;
                }
                out[o++] = s[i] == '\t' ? ' ' : s[i];
                i++;
            }
            size_t blanks = i;
            while (i < n && s[i] == ' ') i++;
            if (i - blanks >= 2) shape->spaced = 1;
            if (i < n && s[i] != ',') shape->malformed = 1;
        }
        for (; i < n && s[i] != ','; i++) {
            if (s[i] == ' ' && i + 1 < n && s[i + 1] == ' ') shape->spaced = 1;
            out[o++] = s[i] == '\t' ? ' ' : s[i];
        }
        /* the field's text, without the spaces around it, is what the shape counts */
        size_t a = start, b = o;
        while (a < b && out[a] == ' ') a++;
        while (b > a && out[b - 1] == ' ') b--;
        shape->fields++;
        if (a == b) shape->empty++;
        if (quoted) shape->quoted++;
        int figure = is_figure(out + a, b - a);
        if (figure) shape->figures++;
        if (b - a > shape->longest) shape->longest = b - a;
        /* CSV writers quote a figure with thousands separators: such a comma with
         * anything but a figure on either side is a thousands separator of prose */
        if (after_digit_comma && !(figure && figure_before)) shape->split_number = 1;
        if (i >= n) break;
        after_digit_comma = !quoted && thousands_separator(s, n, i);
        figure_before = figure;
        out[o++] = '\t';
        i++; /* the comma */
    }
    out[o] = '\0';
    return o;
}

/* Lines that are never CSV rows: tab-separated, markdown or HTML table rows
 * (other tags are residue a cell may hold). Space-aligned columns (a run of
 * two spaces outside quotes) are told by split_fields. */
static int table_markup(const char *s, size_t n) {
    if (memchr(s, '\t', n) || (memchr(s, '<', n) && pb_html_has_cells(s, n))) return 1;
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    return i < n && s[i] == '|';
}

/* Shows a document is CSV: see the comment at the top. */
static int shows_csv(const csv_shape *sh) {
    if (sh->fields < 3 || sh->malformed || sh->split_number || sh->empty == sh->fields) return 0;
    if (sh->empty >= 2) return 1; /* a title or a row of a sheet, padded to its width */
    return sh->fields - sh->empty >= 2 && (sh->empty > 0 || (sh->quoted > 0 && sh->figures > 0));
}

/* Longest field (bytes) of a row of words only: thirty Chinese characters,
 * room for a long project or indicator name. */
#define CSV_WORD_FIELD 90

/* In a CSV document, a line to read as fields rather than as prose (see the
 * comment at the top). */
static int is_csv_row(const csv_shape *sh, const char *s, size_t n) {
    if (sh->malformed) return 0; /* '"三公"经费,…': quote marks of prose */
    if (sh->quoted > 0) return 1; /* a field a CSV writer quoted: prose with commas comes whole in quotes */
    if (sh->fields < 2 || sh->split_number) return 0;
    if (sh->figures > 0 || sh->empty > 0) return 1;
    return sh->longest <= CSV_WORD_FIELD && !pb_contains(s, n, "。");
}

/* A quick look that rejects almost every line of a document not yet known as
 * CSV: a comma next to another, at an end, or a quote mark. */
static int may_show_csv(const char *s, size_t n) {
    const char *comma = memchr(s, ',', n);
    if (!comma) return 0;
    if (s[n - 1] == ',' || s[0] == ',' || memchr(s, '"', n)) return 1;
    for (const char *c = comma; c; c = memchr(c + 1, ',', n - (size_t)(c + 1 - s)))
        if (c + 1 < s + n && c[1] == ',') return 1;
    return 0;
}

int pb_csv_rewrite(pb_parser *p, const char **s, size_t *n) {
    if (*n == 0) return 0;
    if (p->csv_mode) {
        if (!memchr(*s, ',', *n) && !memchr(*s, '"', *n)) return 0;
    } else if (!may_show_csv(*s, *n)) {
        return 0;
    }
    if (table_markup(*s, *n)) return 0;
    if (pb_buf_reserve(p, &p->csv_line, *n + 1) < 0) return -1;
    csv_shape shape;
    size_t len = split_fields(*s, *n, p->csv_quote_is_mark, p->csv_line.data, &shape);
    if (shape.spaced) return 0;
    if (!p->csv_mode) {
        if (!shows_csv(&shape)) return 0;
        p->csv_mode = 1;
    } else if (!is_csv_row(&shape, *s, *n)) {
        return 0;
    }
    p->csv_line.len = len;
    *s = p->csv_line.data;
    *n = len;
    return 1;
}

/* Where the quoted field that s ends inside opened, or -1 when s ends outside
 * quotes; *spaced (if asked) whether a run of two spaces stands outside quotes. */
static long open_quote_at(const char *s, size_t n, int *spaced) {
    long open = -1;
    int field_start = 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (spaced && open < 0 && c == ' ' && i + 1 < n && s[i + 1] == ' ') *spaced = 1;
        if (open >= 0) {
            if (c == '"') {
                if (i + 1 < n && s[i + 1] == '"') i++;
                else open = -1;
            }
        } else if (c == ',') {
            field_start = 1;
        } else if (c == '"' && field_start) {
            open = (long)i;
        } else if (c != ' ') {
            field_start = 0;
        }
    }
    return open;
}

int pb_csv_opens_cell(pb_parser *p, const char *s, size_t n) {
    if (!p->csv_mode || !memchr(s, '"', n) || table_markup(s, n)) return 0;
    int spaced = 0;
    return open_quote_at(s, n, &spaced) >= 0 && !spaced; /* space-aligned columns are no CSV row */
}

int pb_csv_hold(pb_parser *p, const char *s, size_t n, int *closed) {
    if (p->csv_held_lines == 0) p->csv_held_first = p->line_no;
    if (p->csv_held_lines > 0 && pb_buf_putc(p, &p->csv_held, '\n') < 0) return -1;
    if (pb_buf_append(p, &p->csv_held, s, n) < 0) return -1;
    p->csv_held_lines++;
    long open = open_quote_at(p->csv_held.data, p->csv_held.len, NULL);
    *closed = open < 0;
    p->csv_open_cell = open < 0 ? 0 : p->csv_held.len - (size_t)open;
    return 0;
}

int pb_csv_must_release(const pb_parser *p) {
    return p->csv_held_lines >= PB_CSV_MAX_JOIN || p->csv_open_cell > PB_CSV_MAX_CELL ||
           p->csv_held.len > p->opt.max_line;
}
