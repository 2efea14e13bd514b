/* Line splitter: LF, CRLF and lone CR all end a line; a CRLF cut between two
 * chunks is still one line end. Lines longer than max_line are skipped with a
 * warning so memory stays bounded. */
#include "pb_internal.h"
#include "pb_scan.h"

#include <string.h>

/* marks: what s holds (PB_MARK_*). */
static inline int process(pb_parser *p, const char *s, size_t n, int skip_empty, unsigned marks) {
    /* a line without a comma is no CSV row until the document is known as CSV (a quoted field alone) */
    if (p->csv_mode || (marks & PB_MARK_COMMA)) {
        int rewritten = pb_csv_rewrite(p, &s, &n);
        if (rewritten < 0) return -1;
        if (rewritten) marks = pb_scan_marks((const unsigned char *)s, n); /* fields now end in tabs */
    }
    if (pb_normalize_line(p, s, n, marks, &p->line) < 0) return -1;
    p->cells_seen += p->line.ncells;
    if (p->opt.tokenize_only || (skip_empty && p->line.squeezed.len == 0)) return 0;
    return pb_document_line(p, &p->line);
}

/* Where the next HTML row tag (<tr ...> or </tr>) starts in s, or n: only the
 * '<' that pb_scan_row_tag finds an 'r' after get the full test. */
static size_t next_row_tag(const char *s, size_t n, size_t from) {
    for (size_t lt; (lt = pb_scan_row_tag((const unsigned char *)s, from, n)) < n; from = lt + 1)
        if (pb_html_tag_is(s + lt, n - lt, "tr")) return lt;
    return n;
}

/* A line of HTML table rows (a converter that prints a whole <table> on one
 * line): each <tr>…</tr> is read as a line of its own, all with this line's
 * number; what lies between rows (<table>, blanks) is read only if it has text. */
static int process_row(pb_parser *p, const char *s, size_t n) {
    return process(p, s, n, 1, pb_scan_marks((const unsigned char *)s, n));
}

static int process_rows(pb_parser *p, const char *s, size_t n, size_t first_tag) {
    size_t start = 0, at = first_tag;
    while (at < n) {
        const char *gt = memchr(s + at, '>', n - at);
        size_t tag_end = gt ? (size_t)(gt - s) + 1 : n;
        size_t cut = s[at + 1] == '/' ? tag_end : at; /* a row ends after </tr>, starts at <tr> */
        if (cut > start && process_row(p, s + start, cut - start) < 0) return -1;
        start = cut > start ? cut : start;
        at = next_row_tag(s, n, tag_end);
    }
    return n > start ? process_row(p, s + start, n - start) : 0;
}

/* marks: what s holds (PB_MARK_*), known from the line splitter's pass. */
static inline int read_line(pb_parser *p, const char *s, size_t n, unsigned marks) {
    size_t row_tag = marks & PB_MARK_LT ? next_row_tag(s, n, 0) : n;
    return row_tag < n ? process_rows(p, s, n, row_tag) : process(p, s, n, 0, marks);
}

static int read_unmarked_line(pb_parser *p, const char *s, size_t n) {
    return read_line(p, s, n, pb_scan_marks((const unsigned char *)s, n));
}

/* Reads the lines held for a CSV cell that spans lines: joined, as one line
 * with the first one's number, once its quote closed (unclosed NULL); else
 * one by one, each with its own number, the quote being a stray mark that
 * was not closed where unclosed says. */
static int read_held(pb_parser *p, const char *unclosed) {
    uint64_t last = p->line_no;
    const char *s = p->csv_held.data;
    size_t n = p->csv_held.len;
    p->csv_held_lines = 0; /* nothing read below is held again */
    p->line_no = p->csv_held_first;
    int r = 0;
    if (!unclosed) {
        r = read_unmarked_line(p, s, n);
    } else {
        r = pb_warn(p, p->line_no, PB_W_UNCLOSED_QUOTE, "not closed %s", unclosed);
        for (size_t start = 0; r == 0 && start <= n; p->line_no++) {
            const char *nl = memchr(s + start, '\n', n - start);
            size_t end = nl ? (size_t)(nl - s) : n;
            p->csv_quote_is_mark = start == 0;
            r = read_unmarked_line(p, s + start, end - start);
            p->csv_quote_is_mark = 0;
            start = end + 1;
        }
    }
    p->line_no = last;
    p->csv_held.len = 0;
    return r;
}

/* Ends a line whose text is s (n bytes) and marks what it holds (PB_MARK_*):
 * the carried bytes of raw_line, or a line that lies whole in the chunk, read
 * where it is without a copy. */
static int emit_text(pb_parser *p, const char *s, size_t n, unsigned marks) {
    p->line_no++;
    if (p->discarding_line) {
        p->discarding_line = 0;
        p->raw_line.len = 0;
        return 0;
    }
    s = s ? s : "";
    int r;
    if (p->csv_held_lines || pb_csv_opens_cell(p, s, n)) {
        int closed;
        r = pb_csv_hold(p, s, n, &closed);
        if (r == 0 && closed) r = read_held(p, NULL);
        else if (r == 0 && pb_csv_must_release(p)) r = read_held(p, "within the lines a cell may span");
    } else {
        r = read_line(p, s, n, marks);
    }
    p->raw_line.len = 0;
    return r;
}

static int emit_line(pb_parser *p) {
    const char *s = p->raw_line.data ? p->raw_line.data : "";
    return emit_text(p, s, p->raw_line.len, pb_scan_marks((const unsigned char *)s, p->raw_line.len));
}

static int append(pb_parser *p, const char *s, size_t n) {
    if (p->discarding_line || n == 0) return 0;
    if (p->raw_line.len + n > p->opt.max_line) {
        p->discarding_line = 1;
        p->raw_line.len = 0;
        if (p->opt.strict)
            return pb_set_error(p, PB_E_LINE_TOO_LONG, p->line_no + 1, "limit %zu bytes",
                                p->opt.max_line);
        return pb_warn(p, p->line_no + 1, PB_W_LINE_TOO_LONG, "limit %zu bytes", p->opt.max_line);
    }
    return pb_buf_append(p, &p->raw_line, s, n);
}

int pb_lines_feed(pb_parser *p, const char *s, size_t n) {
    size_t i = 0;
    if (p->skip_lf && n > 0) {
        p->skip_lf = 0;
        if (s[0] == '\n') i = 1;
    }
    while (i < n) {
        unsigned marks;
        size_t len = pb_scan_line((const unsigned char *)s + i, n - i, &marks);
        if (i + len == n) {
            if (append(p, s + i, n - i) < 0) return -1;
            return 0;
        }
        const char *end = s + i + len;
        if (p->raw_line.len == 0 && !p->discarding_line && len <= p->opt.max_line) {
            if (emit_text(p, s + i, len, marks) < 0) return -1;
        } else {
            if (append(p, s + i, len) < 0) return -1;
            if (emit_line(p) < 0) return -1;
        }
        i = (size_t)(end - s) + 1;
        if (*end == '\r') {
            if (i < n) {
                if (s[i] == '\n') i++;
            } else {
                p->skip_lf = 1; /* the LF may start the next chunk */
            }
        }
    }
    return 0;
}

int pb_lines_finish(pb_parser *p) {
    if ((p->raw_line.len > 0 || p->discarding_line) && emit_line(p) < 0) return -1;
    return p->csv_held_lines ? read_held(p, "before the input ended") : 0;
}
