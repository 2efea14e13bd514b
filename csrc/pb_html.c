/* HTML that converters leave in text: the tags stripped from a line, the cell
 * tags of table rows with their spans, and the entities for ASCII and spaces. */
#include "pb_internal.h"

#include <string.h>

static int strncasecmp_ascii(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

/* Tags converters leave, with their lengths: a table row's tags come many per line. */
#define TAG(name) {name, sizeof name - 1}
static const struct {
    const char *name;
    size_t len;
} html_tags[] = {TAG("td"),  TAG("tr"),  TAG("th"),   TAG("b"),      TAG("br"),    TAG("i"),     TAG("u"),
                 TAG("p"),   TAG("s"),   TAG("em"),   TAG("hr"),     TAG("sup"),   TAG("sub"),   TAG("div"),
                 TAG("span"), TAG("font"), TAG("table"), TAG("tbody"), TAG("thead"), TAG("strong"), TAG("center")};
#undef TAG

size_t pb_html_tag_len(const char *s, size_t n) {
    size_t i = 1;
    if (i < n && s[i] == '/') i++;
    size_t name = i;
    while (i < n && i - name < 8 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) i++;
    size_t name_len = i - name;
    if (!name_len) return 0;
    int known = 0;
    for (size_t k = 0; k < sizeof html_tags / sizeof html_tags[0] && !known; k++)
        known = html_tags[k].len == name_len && strncasecmp_ascii(s + name, html_tags[k].name, name_len) == 0;
    if (!known) return 0;
    while (i < n && i < 256 && s[i] != '>' && s[i] != '<') i++;
    if (i < n && s[i] == '>') return i + 1;
    return 0;
}

int pb_html_cell_tag(const char *s, size_t n) {
    return pb_html_tag_is(s, n, "td") || pb_html_tag_is(s, n, "th");
}

int pb_html_has_cells(const char *s, size_t n) {
    for (const char *lt; (lt = memchr(s, '<', n)) != NULL;) {
        n -= (size_t)(lt - s);
        if (pb_html_cell_tag(lt, n)) return 1;
        s = lt + 1;
        n--;
    }
    return 0;
}

int pb_html_span(const char *s, size_t tl, const char *name) {
    size_t k = strlen(name);
    for (size_t i = 1; i + k < tl; i++) {
        if (strncasecmp_ascii(s + i, name, k) != 0) continue;
        size_t j = i + k;
        while (j < tl && s[j] == ' ') j++;
        if (j >= tl || s[j] != '=') continue;
        for (j++; j < tl && (s[j] == ' ' || s[j] == '"' || s[j] == '\''); j++) {}
        int v = 0;
        while (j < tl && s[j] >= '0' && s[j] <= '9' && v <= PB_MAX_SLOTS) v = v * 10 + (s[j++] - '0');
        return v < 1 ? 1 : v > PB_MAX_SLOTS ? PB_MAX_SLOTS : v;
    }
    return 1;
}

uint32_t pb_html_entity(const char *s, size_t n, size_t *len) {
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {{"&nbsp;", 0xA0}, {"&ensp;", 0x2002}, {"&emsp;", 0x2003}, {"&amp;", '&'},
                 {"&lt;", '<'},    {"&gt;", '>'},      {"&quot;", '"'},   {"&apos;", '\''}};
    if (n > 2 && s[1] == '#') {
        uint32_t cp = 0;
        size_t i = 2;
        while (i < n && i < 6 && s[i] >= '0' && s[i] <= '9') cp = cp * 10 + (uint32_t)(s[i++] - '0');
        if (i > 2 && i < n && s[i] == ';' && ((cp >= 0x20 && cp < 0x7F) || cp == 0xA0)) {
            *len = i + 1;
            return cp;
        }
        return 0;
    }
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t m = strlen(named[k].name);
        if (n >= m && strncasecmp_ascii(s, named[k].name, m) == 0) {
            *len = m;
            return named[k].cp;
        }
    }
    return 0;
}
