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

/* Tags converters leave: a table row's tags come many per line. A name is
 * read as its lowercase letters packed into an integer (first letter in the
 * low byte), which one switch tells apart. */
#define PACK2(a, b) ((uint64_t)(a) | (uint64_t)(b) << 8)
#define PACK3(a, b, c) (PACK2(a, b) | (uint64_t)(c) << 16)
#define PACK4(a, b, c, d) (PACK3(a, b, c) | (uint64_t)(d) << 24)
#define PACK5(a, b, c, d, e) (PACK4(a, b, c, d) | (uint64_t)(e) << 32)
#define PACK6(a, b, c, d, e, f) (PACK5(a, b, c, d, e) | (uint64_t)(f) << 40)

static int is_known_tag(uint64_t name) {
    switch (name) {
    case PACK2('t', 'd'): case PACK2('t', 'r'): case PACK2('t', 'h'): case 'b': case PACK2('b', 'r'):
    case 'i': case 'u': case 'p': case 's': case PACK2('e', 'm'): case PACK2('h', 'r'):
    case PACK3('s', 'u', 'p'): case PACK3('s', 'u', 'b'): case PACK3('d', 'i', 'v'):
    case PACK4('s', 'p', 'a', 'n'): case PACK4('f', 'o', 'n', 't'): case PACK5('t', 'a', 'b', 'l', 'e'):
    case PACK5('t', 'b', 'o', 'd', 'y'): case PACK5('t', 'h', 'e', 'a', 'd'):
    case PACK6('s', 't', 'r', 'o', 'n', 'g'): case PACK6('c', 'e', 'n', 't', 'e', 'r'):
        return 1;
    default:
        return 0;
    }
}

size_t pb_html_tag_len(const char *s, size_t n) {
    size_t i = 1;
    if (i < n && s[i] == '/') i++;
    size_t name = i;
    uint64_t packed = 0;
    for (; i < n && i - name < 8; i++) {
        unsigned char lower = (unsigned char)(s[i] | 0x20); /* a letter's lowercase */
        if (lower < 'a' || lower > 'z') break;
        packed |= (uint64_t)lower << (8 * (i - name));
    }
    if (!is_known_tag(packed)) return 0; /* no name packs to 0, which no tag is */
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
