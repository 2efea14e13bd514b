/* Decoding: UTF-8 (with or without BOM), UTF-16 with BOM and GB18030/GBK,
 * detected from the first bytes and turned into UTF-8 for the line splitter.
 * A character cut at a chunk boundary is carried over to the next chunk. */
#include "pb_gb18030.h"
#include "pb_internal.h"
#include "pb_scan.h"

#include <errno.h>
#include <string.h>

static const char replacement[3] = {(char)0xEF, (char)0xBF, (char)0xBD};

/* Length of a valid UTF-8 sequence at s, 0 if invalid, -1 if cut short. */
static int utf8_seq(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    int len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) len = 2;
    else if (c < 0xF0) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c < 0xF5) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else return 0;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n) return -1;
        unsigned b = s[i];
        unsigned l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h) return 0;
    }
    return len;
}

static int warn_invalid(pb_parser *p, size_t at) {
    if (p->invalid_warned++) return 0;
    return pb_warn(p, p->line_no + 1, PB_W_INVALID_BYTES, "first at byte %llu of the text",
                   (unsigned long long)(p->text_bytes + at));
}

/* NUL bytes are removed from the text (the first named by NUL_BYTES), in
 * every encoding: the UTF-8 reader finds them in its scan; decoded text
 * passes here. */
static int feed_decoded(pb_parser *p, const char *s, size_t n) {
    for (const char *nul; (nul = memchr(s, '\0', n)) != NULL; n -= (size_t)(nul - s) + 1, s = nul + 1) {
        if (nul > s && pb_lines_feed(p, s, (size_t)(nul - s)) < 0) return -1;
        if (!p->nul_warned++ && pb_warn(p, p->line_no + 1, PB_W_NUL_BYTES, NULL) < 0) return -1;
    }
    return n ? pb_lines_feed(p, s, n) : 0;
}

/* Passes valid UTF-8 on to the line splitter; replaces invalid bytes. */
static int utf8_feed(pb_parser *p, const unsigned char *s, size_t n, int final) {
    if (p->utf8_npending) {
        unsigned char tmp[8];
        size_t k = p->utf8_npending, take = 0;
        memcpy(tmp, p->utf8_pending, k);
        while (k < 4 && take < n) tmp[k++] = s[take++];
        int len = utf8_seq(tmp, k);
        if (len < 0 && !final && take == n) { /* still incomplete */
            memcpy(p->utf8_pending, tmp, k);
            p->utf8_npending = k;
            return 0;
        }
        size_t used;
        if (len > 0) {
            if (pb_lines_feed(p, (const char *)tmp, (size_t)len) < 0) return -1;
            used = (size_t)len;
        } else {
            if (warn_invalid(p, 0) < 0 || pb_lines_feed(p, replacement, 3) < 0) return -1;
            used = 1;
        }
        p->text_bytes += used; /* carried bytes are counted when they are used */
        /* Bytes of tmp beyond `used` that came from s are re-read from s. */
        size_t from_s = used > p->utf8_npending ? used - p->utf8_npending : 0;
        if (used < p->utf8_npending) {
            /* Old pending bytes remain: re-queue them before s. */
            size_t rest = p->utf8_npending - used;
            memmove(p->utf8_pending, p->utf8_pending + used, rest);
            p->utf8_npending = rest;
            return utf8_feed(p, s, n, final);
        }
        p->utf8_npending = 0;
        s += from_s;
        n -= from_s;
    }
    size_t start = 0, i = 0, next_scan = 0;
    while (i < n) {
        if (i >= next_scan) { /* long stretches of clean text; the block that ends one goes byte by byte */
            i += pb_scan_utf8(s + i, n - i);
            next_scan = i + 16;
            if (i >= n) break;
        }
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        if (c == 0) {
            if (i > start && pb_lines_feed(p, (const char *)s + start, i - start) < 0) return -1;
            if (!p->nul_warned++ && pb_warn(p, p->line_no + 1, PB_W_NUL_BYTES, NULL) < 0) return -1;
            start = ++i;
            continue;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEC && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
            i += 3; /* the common 3-byte case (all of CJK), no overlong or surrogate possible */
            continue;
        }
        int len = utf8_seq(s + i, n - i);
        if (len > 0) {
            i += (size_t)len;
            continue;
        }
        if (i > start && pb_lines_feed(p, (const char *)s + start, i - start) < 0) return -1;
        if (len < 0 && !final) { /* cut by the chunk boundary */
            p->utf8_npending = n - i;
            memcpy(p->utf8_pending, s + i, n - i);
            p->text_bytes += i; /* the carried bytes count when they are used */
            return 0;
        }
        if (warn_invalid(p, i) < 0 || pb_lines_feed(p, replacement, 3) < 0) return -1;
        start = ++i;
    }
    if (i > start && pb_lines_feed(p, (const char *)s + start, i - start) < 0) return -1;
    p->text_bytes += n;
    return 0;
}

/* Converts in[0..n) with iconv; `base` is where `in` starts in the text of this
 * feed, so that a warning names the right byte. */
static int iconv_span(pb_parser *p, const char *in, size_t n, size_t base, size_t *consumed, int final) {
    char out[16384];
    char *ip = (char *)in;
    size_t left = n;
    size_t unit = (p->encoding_name[4] == '1' && p->encoding_name[5] == '6') ? 2 : 1;
    while (left > 0) {
        char *op = out;
        size_t oleft = sizeof out;
        size_t r = iconv(p->cd, &ip, &left, &op, &oleft);
        int err = r == (size_t)-1 ? errno : 0;
        if (op > out && feed_decoded(p, out, (size_t)(op - out)) < 0) return -1;
        if (!err) break;
        if (err == E2BIG) continue;
        if (err == EINVAL && !final) break; /* incomplete: keep the rest */
        /* EILSEQ, or EINVAL at the end: replace and skip one unit. */
        if (warn_invalid(p, base + (size_t)(ip - in)) < 0 || pb_lines_feed(p, replacement, 3) < 0) return -1;
        size_t skip = left < unit ? left : unit;
        ip += skip;
        left -= skip;
    }
    *consumed = n - left;
    return 0;
}

static int open_cd(pb_parser *p, const char *from) {
    p->cd = iconv_open("UTF-8", from);
    if (p->cd == (iconv_t)-1) return pb_set_error(p, PB_E_ENCODING, 0, "iconv cannot read %s", from);
    p->cd_open = 1;
    return 0;
}

/* Length of what iconv should see of a GB18030 sequence the table does not
 * hold: a four-byte code, a two-byte code outside the BMP, a lead byte cut by
 * the end, or an invalid byte (with the byte after a lead, which iconv then
 * reads again on its own). */
static size_t gb18030_hard_len(const unsigned char *s, size_t n) {
    if (s[0] == 0x80 || s[0] == 0xFF || n == 1) return 1;
    if (s[1] >= 0x30 && s[1] <= 0x39) return n < 4 ? n : 4;
    return 2;
}

/* GB18030 to UTF-8: ASCII and two-byte codes from the table (pb_gb18030.h),
 * the rest through iconv, opened at its first use. Gives what iconv alone
 * gives, several times faster: almost every character of a budget is ASCII or
 * two-byte. */
static int gb18030_run(pb_parser *p, const char *in, size_t n, size_t *consumed, int final) {
    const unsigned char *u = (const unsigned char *)in;
    char out[16384];
    size_t o = 0, i = 0;
    while (i < n) {
        if (o + 3 > sizeof out) {
            if (feed_decoded(p, out, o) < 0) return -1;
            o = 0;
        }
        unsigned c = u[i];
        if (c < 0x80) {
            size_t k = pb_copy_ascii(u + i, n - i, out + o, sizeof out - o);
            if (k == 0) out[o] = (char)c, k = 1; /* near an end: a byte at a time */
            o += k;
            i += k;
            continue;
        }
        if (c != 0x80 && c != 0xFF && i + 1 < n) {
            unsigned d = u[i + 1];
            if (d >= 0x40 && d != 0x7F && d != 0xFF) {
                unsigned cp = pb_gb18030_2byte[(c - 0x81) * 190 + d - (d < 0x80 ? 0x40 : 0x41)];
                if (cp) { /* never ASCII: two or three UTF-8 bytes */
                    if (cp < 0x800) {
                        out[o++] = (char)(0xC0 | (cp >> 6));
                    } else {
                        out[o++] = (char)(0xE0 | (cp >> 12));
                        out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    }
                    out[o++] = (char)(0x80 | (cp & 0x3F));
                    i += 2;
                    continue;
                }
            }
        }
        if (o && feed_decoded(p, out, o) < 0) return -1;
        o = 0;
        if (!p->cd_open && open_cd(p, "GB18030") < 0) return -1;
        size_t end = i + gb18030_hard_len(u + i, n - i);
        for (;;) {
            size_t used;
            if (iconv_span(p, in + i, end - i, i, &used, final && end == n) < 0) return -1;
            i += used;
            if (i == end) break;
            /* iconv stopped inside a sequence: cut by the span (read on with more
             * bytes) or by the end of this feed (kept for the next one) */
            if (end == n) {
                *consumed = i;
                return 0;
            }
            end = end + 4 < n ? end + 4 : n;
        }
    }
    if (o && feed_decoded(p, out, o) < 0) return -1;
    *consumed = i;
    return 0;
}

static int iconv_run(pb_parser *p, const char *in, size_t n, size_t *consumed, int final) {
    if (p->enc == PB_ENC_GB18030) return gb18030_run(p, in, n, consumed, final);
    return iconv_span(p, in, n, 0, consumed, final);
}

static int iconv_feed(pb_parser *p, const unsigned char *s, size_t n, int final) {
    if (p->iconv_npending) {
        char tmp[16];
        size_t k = p->iconv_npending, take = n < 8 ? n : 8;
        memcpy(tmp, p->iconv_pending, k);
        memcpy(tmp + k, s, take);
        size_t consumed;
        if (iconv_run(p, tmp, k + take, &consumed, final && take == n) < 0) return -1;
        if (consumed < k) { /* pending bytes still incomplete although new bytes came */
            size_t rest = k + take - consumed;
            if (take == n && rest <= sizeof p->iconv_pending) {
                memcpy(p->iconv_pending, tmp + consumed, rest);
                p->iconv_npending = rest;
                p->text_bytes += consumed;
                return 0;
            }
            /* Cannot happen for valid input; replace and resync. */
            if (warn_invalid(p, 0) < 0 || pb_lines_feed(p, replacement, 3) < 0) return -1;
            consumed = k;
        }
        p->text_bytes += consumed; /* carried bytes are counted when they are used */
        p->iconv_npending = 0;
        s += consumed - k;
        n -= consumed - k;
    }
    size_t consumed;
    if (iconv_run(p, (const char *)s, n, &consumed, final) < 0) return -1;
    size_t rest = n - consumed;
    if (rest > sizeof p->iconv_pending) rest = sizeof p->iconv_pending;
    memcpy(p->iconv_pending, s + n - rest, rest);
    p->iconv_npending = rest;
    p->text_bytes += n - rest;
    return 0;
}

/* What the probe tells about bytes read as UTF-8 or as GB18030. */
typedef struct text_probe {
    size_t errors;    /* invalid sequences */
    size_t nul, ctl;  /* NUL bytes; other control bytes (tab, line ends, form feed are text) */
    size_t valid_end; /* UTF-8: where a sequence cut by the end of the probe starts (n if none) */
} text_probe;

static const unsigned text_controls = (1u << '\t') | (1u << '\n') | (1u << '\f') | (1u << '\r');

/* Counts a control byte c (< 0x20 or 0x7F). Both readings visit every byte
 * below 0x80 that can be a control on its own, so they count the same. */
static void count_control(text_probe *r, unsigned c) {
    if (c == 0) r->nul++;
    else if (!(c < 0x20 && ((text_controls >> c) & 1))) r->ctl++;
}

/* s read as GB18030: invalid sequences and control bytes. */
static void probe_gb18030(const unsigned char *s, size_t n, text_probe *r) {
    memset(r, 0, sizeof *r);
    r->valid_end = n;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F) count_control(r, c);
            i++;
            continue;
        }
        if (c == 0x80 || c == 0xFF) { r->errors++; i++; continue; }
        if (i + 1 >= n) break;
        unsigned d = s[i + 1];
        if ((d >= 0x40 && d <= 0x7E) || (d >= 0x80 && d <= 0xFE)) {
            i += 2;
        } else if (d >= 0x30 && d <= 0x39 && i + 3 < n && s[i + 2] >= 0x81 && s[i + 2] <= 0xFE &&
                   s[i + 3] >= 0x30 && s[i + 3] <= 0x39) {
            i += 4;
        } else {
            r->errors++;
            i++;
        }
    }
}

/* One pass over the probe: UTF-8 validity and control bytes together; with
 * first_error set, it stops at the first invalid sequence. */
static void probe_utf8(const unsigned char *s, size_t n, int final, int first_error, text_probe *r) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    memset(r, 0, sizeof *r);
    r->valid_end = n;
    size_t i = 0, next_scan = 0;
    while (i < n) {
        if (i >= next_scan) { /* as in utf8_feed */
            i += pb_scan_utf8(s + i, n - i);
            next_scan = i + 16;
            if (i >= n) break;
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            if (i + 8 <= n) { /* eight printable ASCII bytes at a time */
                uint64_t w, del;
                memcpy(&w, s + i, 8);
                del = w ^ (ones * 0x7F);
                if (!((w & highs) | ((w - ones * 0x20) & ~w & highs) | ((del - ones) & ~del & highs))) {
                    i += 8;
                    continue;
                }
            }
            /* a word with a tab, a line end or a non-ASCII byte: its ASCII bytes one by one */
            size_t stop = i + 8 < n ? i + 8 : n;
            do {
                if (c < 0x20 || c == 0x7F) count_control(r, c);
                if (++i >= stop) break;
                c = s[i];
            } while (c < 0x80);
            continue;
        }
        if (c >= 0xE1 && c <= 0xEC && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
            i += 3; /* the common 3-byte case (all of CJK) */
            continue;
        }
        int len = utf8_seq(s + i, n - i);
        if (len > 0) {
            i += (size_t)len;
            continue;
        }
        if (len < 0 && !final) { /* the rest is bytes >= 0x80: no control among them */
            r->valid_end = i;
            break;
        }
        r->errors++;
        if (first_error) return;
        i++;
    }
}

static int open_iconv(pb_parser *p, const char *from, const char *name) {
    if (open_cd(p, from) < 0) return -1;
    p->enc = PB_ENC_ICONV;
    strncpy(p->encoding_name, name, sizeof p->encoding_name - 1);
    return 0;
}

static int probe_decide(pb_parser *p, int final) {
    /* probe.data is NULL when no byte came (an empty gzip member): NULL + 0 is UB */
    const unsigned char *s = (const unsigned char *)(p->probe.data ? p->probe.data : "");
    size_t n = p->probe.len, skip = 0, valid_end = 0;
    int clean_utf8 = 0; /* the probe was read whole as UTF-8 without a NUL */
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        p->enc = PB_ENC_UTF8;
        skip = 3;
    } else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        if (open_iconv(p, "UTF-16LE", "utf-16le") < 0) return -1;
        skip = 2;
    } else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        if (open_iconv(p, "UTF-16BE", "utf-16be") < 0) return -1;
        skip = 2;
    } else {
        /* Most documents are valid UTF-8, read once here. At the first invalid
         * sequence, GB18030 gets its reading; only when that has errors too
         * does the choice need the count of UTF-8's errors. */
        text_probe u8, gb, *counts = &u8;
        size_t e_gb = 0;
        probe_utf8(s, n, final, 1, &u8);
        if (u8.errors) {
            probe_gb18030(s, n, &gb);
            counts = &gb;
            e_gb = gb.errors;
            if (e_gb) probe_utf8(s, n, final, 0, &u8), counts = &u8;
        }
        if (n > 0 && (counts->nul * 100 > n || (counts->nul + counts->ctl) * 20 > n))
            return pb_set_error(p, PB_E_BINARY, 1, "%zu NUL and %zu control bytes in the first %zu",
                                counts->nul, counts->ctl, n);
        size_t e_utf8 = u8.errors;
        valid_end = u8.valid_end;
        clean_utf8 = e_utf8 == 0 && u8.nul == 0;
        if (e_utf8 == 0 || e_utf8 * 4 <= e_gb) {
            p->enc = PB_ENC_UTF8;
        } else {
            p->enc = PB_ENC_GB18030; /* iconv opens when a code is not in the table */
            strcpy(p->encoding_name, "gb18030");
            if (e_gb && pb_warn(p, 1, PB_W_ENCODING_GUESS, "GB18030 with %zu invalid sequences",
                                e_gb) < 0)
                return -1;
        }
    }
    if (clean_utf8 && valid_end > 0) {
        /* validated once above: hand the probe to the line splitter as it is */
        if (pb_lines_feed(p, (const char *)s, valid_end) < 0) return -1;
        p->text_bytes += valid_end;
        return utf8_feed(p, s + valid_end, n - valid_end, final);
    }
    if (p->enc == PB_ENC_UTF8) return utf8_feed(p, s + skip, n - skip, final);
    return iconv_feed(p, s + skip, n - skip, final);
}

int pb_decode_feed(pb_parser *p, const unsigned char *s, size_t n) {
    if (p->enc == PB_ENC_PROBE) {
        size_t room = PB_PROBE_BYTES - p->probe.len;
        size_t take = n < room ? n : room;
        if (pb_buf_append(p, &p->probe, (const char *)s, take) < 0) return -1;
        s += take;
        n -= take;
        if (p->probe.len < PB_PROBE_BYTES) return 0;
        if (probe_decide(p, 0) < 0) return -1;
        pb_buf_free(p, &p->probe);
        if (n == 0) return 0;
    }
    if (p->enc == PB_ENC_UTF8) return utf8_feed(p, s, n, 0);
    return iconv_feed(p, s, n, 0);
}

int pb_decode_finish(pb_parser *p) {
    if (p->enc == PB_ENC_PROBE) {
        int r = probe_decide(p, 1);
        pb_buf_free(p, &p->probe);
        if (r < 0) return -1;
        return 0;
    }
    if (p->enc == PB_ENC_UTF8 && p->utf8_npending) {
        unsigned char tmp[4];
        size_t k = p->utf8_npending;
        memcpy(tmp, p->utf8_pending, k);
        p->utf8_npending = 0;
        return utf8_feed(p, tmp, k, 1);
    }
    if ((p->enc == PB_ENC_ICONV || p->enc == PB_ENC_GB18030) && p->iconv_npending) {
        char tmp[8];
        size_t k = p->iconv_npending, consumed;
        memcpy(tmp, p->iconv_pending, k);
        p->iconv_npending = 0;
        return iconv_run(p, tmp, k, &consumed, 1);
    }
    return 0;
}

void pb_decode_free(pb_parser *p) {
    if (p->cd_open) iconv_close(p->cd);
    p->cd_open = 0;
    pb_buf_free(p, &p->probe);
}
