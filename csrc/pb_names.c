/* What a table row's name says (pb_names.h). Each function gives the answer
 * of the Python expression it replaced (quoted above it), for every string:
 * Python's \s and \d are Unicode's (pb_unicode.h), and where a pattern counts
 * characters ({1,4}) they are counted, not bytes.
 *
 * Input is UTF-8 but need not be valid (C callers): a byte that does not start
 * a well-formed sequence within the given length is a character of its own,
 * matching nothing but "any character", and nothing past the length is read.
 * Words are found by comparing bytes; that finds exactly the characters,
 * because every word starts with ASCII or a lead byte, which no well-formed
 * sequence holds inside it. */
#include "pb_names.h"
#include "pb_facts.h"
#include "pb_internal.h"
#include "pb_unicode.h"

#include <string.h>

/* What a byte may start, for the two passes of pb_norm_name over a name:
 * NAME_BLANK a blank (ASCII up to the space; C2 for U+0085 and U+00A0, E1 for
 * U+1680, E2 for U+2000..U+205F, E3 for U+3000); NAME_MARK a character the
 * last pass takes out or changes ('"', ':', E2 for “”‘’, EF for ：（）). A name
 * is mostly bytes that start neither, and those are passed over with one load
 * and one test. */
enum { NAME_BLANK = 1, NAME_MARK = 2 };
static const unsigned char name_byte[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
    1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20: ' ', '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, /* 30: ':' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 70 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 80 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 90 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* A0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* B0 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* C0: C2 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* D0 */
    0, 1, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, /* E0: E1, E2, E3, EF */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* F0 */
};

/* ---------------------------------------------------------------- norm */

/* Eight bytes at a time: whether the word may hold a byte of a class of name_byte. Never 0 when
 * one is there (each test is exact: a borrow only runs from a byte that matched); E0 is taken for
 * E1..E3, and such a word is then read byte by byte as before. */
#define NAME_ONES 0x0101010101010101ull
#define NAME_HIGHS 0x8080808080808080ull
static inline uint64_t name_word(const unsigned char *s) {
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}
static inline uint64_t name_below(uint64_t w, unsigned n) { return (w - NAME_ONES * n) & ~w & NAME_HIGHS; }
static inline uint64_t name_byte_in(uint64_t w, unsigned b) { return name_below(w ^ (NAME_ONES * b), 1); }
static inline int name_may_blank(const unsigned char *s) { /* up to ' ', C2, E1..E3 */
    uint64_t w = name_word(s);
    return (name_below(w, 0x21) | name_byte_in(w, 0xC2) | name_below(w ^ (NAME_ONES * 0xE0), 4)) != 0;
}
static inline int name_may_mark(const unsigned char *s) { /* '"', ':', E2, EF */
    uint64_t w = name_word(s);
    return (name_byte_in(w, '"') | name_byte_in(w, ':') | name_byte_in(w, 0xE2) | name_byte_in(w, 0xEF)) != 0;
}

/* Whether s starts with one of 一二三四五六七八九十 (pb_cn_numeral also reads 零 and 百). */
static int one_to_ten(const char *s, size_t n) {
    int v = pb_cn_numeral(s, n);
    return v >= 1 && v <= 10;
}

/* Length of the enumerator s starts with, or 0:
 *   ^(?:[(（]?[一二三四五六七八九十]+[)）、.]|[①②③④⑤⑥⑦⑧⑨]|\d+[.、])
 * The three branches start with different characters, and each repeat is
 * followed by a character it cannot take, so no backtracking is needed. */
static size_t enumerator_len(const char *s, size_t n) {
    size_t i = 0;
    if (n > 0 && s[0] == '(') i = 1;
    else if (pb_starts(s, n, "（")) i = 3;
    size_t numerals = i;
    while (one_to_ten(s + numerals, n - numerals)) numerals += 3;
    if (numerals > i) {
        if (numerals < n && (s[numerals] == ')' || s[numerals] == '.')) return numerals + 1;
        if (pb_starts(s + numerals, n - numerals, "）") || pb_starts(s + numerals, n - numerals, "、")) return numerals + 3;
        return 0;
    }
    if (i > 0) return 0; /* a bracket starts only the first branch */
    uint32_t circled = pb_char3(s, n);
    if (circled >= 0xE291A0 && circled <= 0xE291A8) return 3; /* ① .. ⑨ */
    size_t len, at = 0;
    while (at < n && pb_unicode_digit(pb_unicode_char((const unsigned char *)s + at, n - at, &len))) at += len;
    if (at == 0) return 0;
    if (at < n && s[at] == '.') return at + 1;
    return pb_starts(s + at, n - at, "、") ? at + 3 : 0;
}

/* name = re.sub(r"\s+", "", name)
 * name = re.sub(r"^其中[:：,，]?", "", name)
 * name = re.sub(r"^(?:[(（]?[一二三四五六七八九十]+[)）、.]|[①②③④⑤⑥⑦⑧⑨]|\d+[.、])", "", name)
 * return name.translate(str.maketrans("", "", "“”\"‘’:：")).replace("（", "(").replace("）", ")")
 * The steps run in this order on out, each shortening what the last left;
 * the kept stretches between the characters a step takes out are moved whole. */
size_t pb_norm_name(const char *name, size_t len, char *out) {
    if (len == 0) return 0; /* (name and out may then be NULL) */
    const unsigned char *s = (const unsigned char *)name;
    size_t n = 0, kept_from = 0; /* the stretch of bytes kept since the last blank starts at kept_from */
    for (size_t i = 0, k; i < len;) {
        if (i + 8 <= len && !name_may_blank(s + i)) {
            i += 8; /* most of a name: eight bytes of which none starts a blank */
        } else if (!(name_byte[s[i]] & NAME_BLANK)) {
            i++;
        } else if (!pb_unicode_blank(pb_unicode_char(s + i, len - i, &k))) {
            i += k;
        } else {
            memcpy(out + n, s + kept_from, i - kept_from);
            n += i - kept_from;
            kept_from = i += k;
        }
    }
    memcpy(out + n, s + kept_from, len - kept_from);
    n += len - kept_from;

    size_t from = 0;
    if (pb_starts(out, n, "其中")) {
        from = 6;
        if (from < n && (out[from] == ':' || out[from] == ',')) from += 1;
        else if (pb_starts(out + from, n - from, "：") || pb_starts(out + from, n - from, "，")) from += 3;
    }
    from += enumerator_len(out + from, n - from);

    size_t kept = 0;
    kept_from = from;
    for (size_t i = from; i < n;) {
        if (i + 8 <= n && !name_may_mark((const unsigned char *)out + i)) {
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)out[i];
        if (!(name_byte[c] & NAME_MARK)) {
            i++;
            continue;
        }
        char put = 0;    /* what the character becomes, if anything */
        size_t drop = 1; /* its length */
        if (c != '"' && c != ':') {
            switch (i + 3 <= n ? pb_char3(out + i, 3) : 0) {
            case 0xE2809C: /* “ */
            case 0xE2809D: /* ” */
            case 0xE28098: /* ‘ */
            case 0xE28099: /* ’ */
            case 0xEFBC9A: /* ： */
                drop = 3;
                break;
            case 0xEFBC88: /* （ */
                put = '(', drop = 3;
                break;
            case 0xEFBC89: /* ） */
                put = ')', drop = 3;
                break;
            default: /* another character from E2 or EF */
                i++;
                continue;
            }
        }
        memmove(out + kept, out + kept_from, i - kept_from);
        kept += i - kept_from;
        if (put) out[kept++] = put;
        kept_from = i += drop;
    }
    if (kept != kept_from) memmove(out + kept, out + kept_from, n - kept_from); /* else it is in place */
    return kept + (n - kept_from);
}

/* ---------------------------------------------------------------- kinds of name */

/* Whether s ends with one of 局 中心 院 所 站 队 处 室 委员会 委 办 厅 馆 校 学 园 场
 * 部 社 团 署 会 公司 医院 (委员会 and 医院 end with 会 and 院). */
static int ends_with_unit_word(const char *s, size_t n) {
    if (pb_ends(s, n, "中心") || pb_ends(s, n, "公司")) return 1;
    if (n < 3) return 0;
    switch (pb_char3(s + n - 3, 3)) {
    case 0xE5B180: /* 局 */
    case 0xE999A2: /* 院 */
    case 0xE68980: /* 所 */
    case 0xE7AB99: /* 站 */
    case 0xE9989F: /* 队 */
    case 0xE5A484: /* 处 */
    case 0xE5AEA4: /* 室 */
    case 0xE5A794: /* 委 */
    case 0xE58A9E: /* 办 */
    case 0xE58E85: /* 厅 */
    case 0xE9A686: /* 馆 */
    case 0xE6A0A1: /* 校 */
    case 0xE5ADA6: /* 学 */
    case 0xE59BAD: /* 园 */
    case 0xE59CBA: /* 场 */
    case 0xE983A8: /* 部 */
    case 0xE7A4BE: /* 社 */
    case 0xE59BA2: /* 团 */
    case 0xE7BDB2: /* 署 */
    case 0xE4BC9A: /* 会 */
        return 1;
    default:
        return 0;
    }
}

/* n = norm(name); if not n: return False
 * if department and (n == department or n in department): return True
 * return bool(_ORG.search(n)) and not _PROJECTISH.search(n), where
 * _ORG = (?:局|中心|…|公司|医院)(?:\(本级\)|本级|机关)?$ and
 * _PROJECTISH = 经费|资金|补助|工资|保障金|奖励金.
 * A normalised name has no blank, so $ (which also takes the place before a
 * final newline) is the end. */
int pb_org_name(const char *norm, size_t len, const char *department, size_t department_len) {
    static const char *const project_words[] = {"经费", "资金", "补助", "工资", "保障金", "奖励金"};
    if (len == 0) return 0;
    if (department && department_len >= len && pb_contains_n(department, department_len, norm, len)) return 1;
    /* a unit word at the end, or before (本级), 本级 or 机关 (none of which ends with one) */
    int unit = ends_with_unit_word(norm, len) || (pb_ends(norm, len, "(本级)") && ends_with_unit_word(norm, len - 8)) ||
               ((pb_ends(norm, len, "本级") || pb_ends(norm, len, "机关")) && ends_with_unit_word(norm, len - 6));
    if (!unit) return 0;
    for (size_t k = 0; k < sizeof project_words / sizeof project_words[0]; k++)
        if (pb_contains(norm, len, project_words[k])) return 0;
    return 1;
}

/* norm(name) in ECON_CLASSES (pybudget.checks.lookup). Lengths are compared
 * first, so a name holding a NUL is never read as a shorter word. */
int pb_econ_class_name(const char *norm, size_t len) {
    static const char *const classes[] = {"工资福利支出", "商品和服务支出", "对个人和家庭的补助", "对个人和家庭补助",
                                          "资本性支出", "对企业补助", "债务利息及费用支出", "对社会保障基金补助",
                                          "其他支出"};
    for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++)
        if (strlen(classes[k]) == len && memcmp(classes[k], norm, len) == 0) return 1;
    return 0;
}

/* re.search(r"(?:合计|总计)$", norm(name)) */
int pb_total_name(const char *norm, size_t len) { return pb_ends(norm, len, "合计") || pb_ends(norm, len, "总计"); }

/* ---------------------------------------------------------------- function classes */

/* Where a match of [(（][^)）]{1,4}[)）]|[^、]{1,4}、 at s + at ends, or 0. In
 * each branch the repeat stops only at the character that must follow it, so
 * the first such character decides: the branch matches when 1 to 4 came
 * before it. */
static size_t enum_prefix_at(const unsigned char *s, size_t n, size_t at) {
    size_t len;
    uint32_t c = at < n ? pb_unicode_char(s + at, n - at, &len) : PB_NOT_A_CHAR;
    if (c == '(' || c == 0xFF08) {
        size_t i = at + len;
        for (int count = 0; i < n && count <= 4; count++) {
            uint32_t d = pb_unicode_char(s + i, n - i, &len);
            if (d == ')' || d == 0xFF09) {
                if (count >= 1) return i + len;
                break;
            }
            i += len;
        }
    }
    size_t i = at;
    for (int count = 0; i < n && count <= 4; count++) {
        uint32_t d = pb_unicode_char(s + i, n - i, &len);
        if (d == 0x3001) return count >= 1 ? i + len : 0; /* 、 */
        i += len;
    }
    return 0;
}

/* Where the match of _ENUM_PREFIX = ^\s*(?:[(（][^)）]{1,4}[)）]|[^、]{1,4}、)
 * ends, or 0. \s* is greedy: the regex tries after all the leading blanks,
 * then gives them back one at a time. Giving back five or more cannot match
 * (the bracket branch needs a bracket where a blank is; the other would count
 * five blanks before a 、), so the starts of the last four are kept. */
static size_t enum_prefix_end(const unsigned char *s, size_t n) {
    size_t blank_at[4], blanks = 0, i = 0, len;
    while (i < n && pb_unicode_blank(pb_unicode_char(s + i, n - i, &len))) {
        blank_at[blanks % 4] = i;
        blanks++;
        i += len;
    }
    size_t end = enum_prefix_at(s, n, i);
    for (size_t back = 1; !end && back <= blanks && back <= 4; back++)
        end = enum_prefix_at(s, n, blank_at[(blanks - back) % 4]);
    return end;
}

/* Whether the NUL-ended word and s (n bytes) agree in their first three bytes
 * (a CJK character): most of the table is told apart there, without strlen. */
static inline int same_start(const char *word, const char *s, size_t n) {
    if (n >= 3) /* the loop below, unrolled: most words differ in their first two bytes */
        return word[0] == s[0] && (!word[0] || (word[1] == s[1] && (!word[1] || word[2] == s[2])));
    for (size_t j = 0; j < 3 && j < n; j++) {
        if (word[j] != s[j]) return 0;
        if (!word[j]) break; /* the word ends, and s has a NUL there: the lengths decide */
    }
    return 1;
}

/* _CLASS_BY_STEM.get(stem): the stems are the class names without 支出, then
 * the aliases; a later entry of the dict wins, so does a later match here.
 * The arrays are walked in place: this runs for every row of every
 * two-sided table the audit packs. */
static const char *class_of_stem(const char *stem, size_t n) {
    const char *found = NULL;
    size_t count;
    const pb_fact_class *c = pb_fact_class_aliases(&count);
    for (size_t i = 0; i < count; i++)
        if (same_start(c[i].name, stem, n) && strlen(c[i].name) == n && memcmp(c[i].name, stem, n) == 0)
            found = c[i].code;
    if (found) return found;
    c = pb_fact_function_classes(&count);
    for (size_t i = 0; i < count; i++) {
        if (!same_start(c[i].name, stem, n)) continue;
        size_t k = strlen(c[i].name);
        if (pb_ends(c[i].name, k, "支出")) k -= 6;
        if (k == n && memcmp(c[i].name, stem, n) == 0) found = c[i].code;
    }
    return found;
}

/* The length of the blank that ends s (n bytes), or 0. A well-formed sequence
 * found there is the last character: its first byte is ASCII or a lead byte,
 * which no character before takes in. */
static size_t blank_before(const unsigned char *s, size_t n) {
    for (size_t k = 1; k <= 3 && k <= n; k++) { /* blanks are 1 to 3 bytes long */
        size_t len;
        uint32_t c = pb_unicode_char(s + n - k, k, &len);
        if (len == k && pb_unicode_blank(c)) return k;
    }
    return 0;
}

/* stem = _ENUM_PREFIX.sub("", name).strip()
 * stem = stem.removesuffix("支出") if stem != "预备费" else stem
 * return _CLASS_BY_STEM.get(stem) or _CLASS_BY_STEM.get(stem.removesuffix("的"))
 * (预备费 does not end with 支出: the test of it changes nothing). */
int pb_class_code(const char *name, size_t len, char code[4]) {
    const unsigned char *s = (const unsigned char *)name;
    size_t from = enum_prefix_end(s, len), k;
    while (from < len && pb_unicode_blank(pb_unicode_char(s + from, len - from, &k))) from += k;
    size_t to = len;
    while (to > from && (k = blank_before(s + from, to - from)) > 0) to -= k;
    if (pb_ends(name + from, to - from, "支出")) to -= 6;
    const char *found = class_of_stem(name + from, to - from);
    if (!found && pb_ends(name + from, to - from, "的")) found = class_of_stem(name + from, to - from - 3);
    if (!found) return 0;
    size_t c = 0;
    for (; c < 3 && found[c]; c++) code[c] = found[c];
    code[c] = '\0';
    return 1;
}
