/* Sixteen bytes at a time: the scans that decoding, line splitting and line
 * normalisation spend most of their time in. The prefix scans return how far
 * the common case reaches and leave the rest to the byte-by-byte code that
 * follows them, so results never depend on whether the vector path ran; without
 * SSE2 they return 0. The line scans (pb_scan_marks, pb_scan_line) answer in
 * full either way. Inline: the scans run on short stretches of one line, where
 * a call would cost as much. */
#ifndef PB_SCAN_H
#define PB_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* What a line holds that changes how it is read: a comma (a CSV row?), a '<'
 * (HTML tags?), a tab (tab-separated cells?). */
enum { PB_MARK_COMMA = 1, PB_MARK_LT = 2, PB_MARK_TAB = 4 };

/* The marks of single bytes, for lines too short for a vector. */
static inline unsigned pb_byte_mark(unsigned char c) {
    return c == ',' ? PB_MARK_COMMA : c == '<' ? PB_MARK_LT : c == '\t' ? PB_MARK_TAB : 0;
}

/* pb_scan_row_tag (below) a byte at a time. */
static inline size_t pb_scan_row_tag_bytes(const unsigned char *s, size_t from, size_t n) {
    for (size_t k = from; k < n; k++)
        if (s[k] == '<' && ((k + 2 < n && (s[k + 2] | 0x20) == 'r') || (k + 3 < n && (s[k + 3] | 0x20) == 'r')))
            return k;
    return n;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bytes of b in [lo, hi], unsigned. */
static inline __m128i in_range(__m128i b, unsigned char lo, unsigned char hi) {
    __m128i le = _mm_cmpeq_epi8(_mm_min_epu8(b, _mm_set1_epi8((char)hi)), b);
    __m128i ge = _mm_cmpeq_epi8(_mm_max_epu8(b, _mm_set1_epi8((char)lo)), b);
    return _mm_and_si128(le, ge);
}

static inline __m128i eq(__m128i b, unsigned char c) { return _mm_cmpeq_epi8(b, _mm_set1_epi8((char)c)); }

/* Continuation bytes 0x80–0xBF: below 0xC0 as signed bytes, which ASCII is not. */
static inline __m128i continuation(__m128i b) { return _mm_cmplt_epi8(b, _mm_set1_epi8((char)0xC0)); }

/* ASCII a line keeps as it is: printable, and not '*', '<', '_', '|' (markup) or '&' (entities). */
static inline __m128i plain_ascii(__m128i b) {
    __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(b, _mm_set1_epi8(0x20)), _mm_cmplt_epi8(b, _mm_set1_epi8(0x7F)));
    __m128i markup = _mm_or_si128(_mm_or_si128(eq(b, '*'), eq(b, '<')), _mm_or_si128(eq(b, '_'), eq(b, '|')));
    markup = _mm_or_si128(markup, eq(b, '&'));
    return _mm_andnot_si128(markup, printable);
}

static inline unsigned mask_of(__m128i m) { return (unsigned)_mm_movemask_epi8(m); }

/* The marks (PB_MARK_*) of the n bytes at s, in one pass: where a line was
 * searched once for each mark, short lines paid a call per search. The last
 * block overlaps the one before it rather than reading past s + n. */
static inline unsigned pb_scan_marks(const unsigned char *s, size_t n) {
    unsigned m = 0;
    if (n < 16) {
        for (size_t i = 0; i < n; i++) m |= pb_byte_mark(s[i]);
        return m;
    }
    __m128i comma = _mm_setzero_si128(), lt = comma, tab = comma;
    for (size_t i = 0;; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + (i + 16 <= n ? i : n - 16)));
        comma = _mm_or_si128(comma, eq(b, ','));
        lt = _mm_or_si128(lt, eq(b, '<'));
        tab = _mm_or_si128(tab, eq(b, '\t'));
        if (i + 16 >= n) break;
    }
    if (mask_of(comma)) m |= PB_MARK_COMMA;
    if (mask_of(lt)) m |= PB_MARK_LT;
    if (mask_of(tab)) m |= PB_MARK_TAB;
    return m;
}

/* Where the first line end ('\n' or '\r') of the n bytes at s is (n if none),
 * and through marks what the bytes before it hold (PB_MARK_*): the line
 * splitter reads each byte once for both. */
static inline size_t pb_scan_line(const unsigned char *s, size_t n, unsigned *marks) {
    __m128i comma = _mm_setzero_si128(), lt = comma, tab = comma;
    unsigned m = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + i));
        __m128i c = eq(b, ','), l = eq(b, '<'), t = eq(b, '\t');
        unsigned e = mask_of(_mm_or_si128(eq(b, '\n'), eq(b, '\r')));
        if (e) { /* the marks of this block count up to the line end only */
            unsigned before = (1u << __builtin_ctz(e)) - 1;
            i += (size_t)__builtin_ctz(e);
            if (mask_of(c) & before) m |= PB_MARK_COMMA;
            if (mask_of(l) & before) m |= PB_MARK_LT;
            if (mask_of(t) & before) m |= PB_MARK_TAB;
            goto done;
        }
        comma = _mm_or_si128(comma, c);
        lt = _mm_or_si128(lt, l);
        tab = _mm_or_si128(tab, t);
    }
    for (; i < n && s[i] != '\n' && s[i] != '\r'; i++) m |= pb_byte_mark(s[i]);
done:
    if (mask_of(comma)) m |= PB_MARK_COMMA;
    if (mask_of(lt)) m |= PB_MARK_LT;
    if (mask_of(tab)) m |= PB_MARK_TAB;
    *marks = m;
    return i;
}

/* Length of a prefix of s that is valid UTF-8 (no E0/ED/four-byte leads) with no
 * control byte but tab and line ends, ending on a character boundary. */
static inline size_t pb_scan_utf8_sse2(const unsigned char *s, size_t n) {
    size_t i = 0;
    __m128i prev_lead = _mm_setzero_si128(), prev_lead3 = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + i));
        /* Classes by signed compares, one instruction each (bytes 0x80–0xFF are
         * negative, below ASCII), rather than by unsigned ranges (three each). */
        __m128i ascii = _mm_cmpgt_epi8(b, _mm_set1_epi8(-1));
        __m128i below_f0 = _mm_cmplt_epi8(b, _mm_set1_epi8((char)0xF0)); /* 0x80–0xEF */
        __m128i lead = _mm_andnot_si128(_mm_cmplt_epi8(b, _mm_set1_epi8((char)0xC2)), below_f0);   /* C2–EF */
        __m128i lead3 = _mm_andnot_si128(_mm_cmplt_epi8(b, _mm_set1_epi8((char)0xE0)), below_f0);  /* E0–EF */
        /* what is none of ASCII, continuation or lead: C0, C1, F0–FF (four-byte leads) */
        unsigned other = mask_of(_mm_or_si128(_mm_or_si128(ascii, continuation(b)), lead)) ^ 0xFFFF;
        /* E0 and ED limit their second byte: left to the scalar check */
        __m128i stop = _mm_or_si128(eq(b, 0xE0), eq(b, 0xED));
        /* controls but tab, LF and CR (b | 4 is 0x0D for tab and CR alone), and DEL */
        __m128i low = _mm_and_si128(ascii, _mm_cmplt_epi8(b, _mm_set1_epi8(0x20)));
        __m128i text_control = _mm_or_si128(eq(_mm_or_si128(b, _mm_set1_epi8(4)), '\r'), eq(b, '\n'));
        stop = _mm_or_si128(stop, _mm_or_si128(_mm_andnot_si128(text_control, low), eq(b, 0x7F)));
        /* a continuation byte exactly where the lead one or two bytes back calls for one
         * (E0 and ED among the leads here do no harm: they stop the scan) */
        __m128i after1 = _mm_or_si128(_mm_slli_si128(lead, 1), _mm_srli_si128(prev_lead, 15));
        __m128i after2 = _mm_or_si128(_mm_slli_si128(lead3, 2), _mm_srli_si128(prev_lead3, 14));
        __m128i misplaced = _mm_xor_si128(continuation(b), _mm_or_si128(after1, after2));
        if (other | mask_of(_mm_or_si128(stop, misplaced))) break;
        prev_lead = lead;
        prev_lead3 = lead3;
    }
    /* A character whose lead is in the last two bytes may continue past what was checked. */
    if (i >= 1 && s[i - 1] >= 0xC0) return i - 1;
    if (i >= 2 && s[i - 2] >= 0xE0) return i - 2;
    return i;
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/* The decoder reads every byte of a document through pb_scan_utf8, in stretches
 * of whole documents: there, 32 bytes a step pay for the processor check. The
 * AVX2 code is compiled for that target alone and run only where
 * __builtin_cpu_supports finds it (GCC and clang, x86); the build stays plain
 * C99 with SSE2. */
#include <immintrin.h>
#define PB_SCAN_AVX2 1

/* pb_scan_utf8_sse2 32 bytes at a time: the same tests (see there). */
__attribute__((target("avx2"))) static inline size_t pb_scan_utf8_avx2(const unsigned char *s, size_t n) {
    size_t i = 0;
    __m256i prev_lead = _mm256_setzero_si256(), prev_lead3 = _mm256_setzero_si256();
    for (; i + 32 <= n; i += 32) {
        __m256i b = _mm256_loadu_si256((const void *)(s + i));
        __m256i ascii = _mm256_cmpgt_epi8(b, _mm256_set1_epi8(-1));
        __m256i continuation = _mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC0), b);
        __m256i below_f0 = _mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xF0), b);
        __m256i lead = _mm256_andnot_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC2), b), below_f0);
        __m256i lead3 = _mm256_andnot_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xE0), b), below_f0);
        unsigned other = ~(unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(ascii, continuation), lead));
        __m256i stop = _mm256_or_si256(_mm256_cmpeq_epi8(b, _mm256_set1_epi8((char)0xE0)),
                                       _mm256_cmpeq_epi8(b, _mm256_set1_epi8((char)0xED)));
        __m256i low = _mm256_and_si256(ascii, _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), b));
        __m256i text_control = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_or_si256(b, _mm256_set1_epi8(4)),
                                                                 _mm256_set1_epi8('\r')),
                                               _mm256_cmpeq_epi8(b, _mm256_set1_epi8('\n')));
        stop = _mm256_or_si256(stop, _mm256_or_si256(_mm256_andnot_si256(text_control, low),
                                                     _mm256_cmpeq_epi8(b, _mm256_set1_epi8(0x7F))));
        /* the leads one and two bytes back: alignr works within 128-bit lanes, so
         * each lane is paired with the one before it (the last of prev for the first) */
        __m256i after1 = _mm256_alignr_epi8(lead, _mm256_permute2x128_si256(prev_lead, lead, 0x21), 15);
        __m256i after2 = _mm256_alignr_epi8(lead3, _mm256_permute2x128_si256(prev_lead3, lead3, 0x21), 14);
        __m256i misplaced = _mm256_xor_si256(continuation, _mm256_or_si256(after1, after2));
        if (other | (unsigned)_mm256_movemask_epi8(_mm256_or_si256(stop, misplaced))) break;
        prev_lead = lead;
        prev_lead3 = lead3;
    }
    if (i >= 1 && s[i - 1] >= 0xC0) return i - 1;
    if (i >= 2 && s[i - 2] >= 0xE0) return i - 2;
    return i;
}
#endif

/* pb_scan_utf8_sse2, with AVX2 where the processor has it: long clean
 * stretches go 32 bytes a step, the 16-byte scan takes the rest (from a
 * character boundary, as the AVX2 scan stops on one). */
static inline size_t pb_scan_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
#ifdef PB_SCAN_AVX2
    if (n >= 64 && __builtin_cpu_supports("avx2")) i = pb_scan_utf8_avx2(s, n);
#endif
    return i + pb_scan_utf8_sse2(s + i, n - i);
}

/* Bytes of b a line does not keep as they are (tab_plain in pb_text.c): blanks,
 * controls, DEL, markup, and the leads of mapped characters; tabs too unless
 * tabs is set (a tab-separated line read whole keeps them as cell ends). */
static inline unsigned kept_stops(__m128i b, int tabs) {
    __m128i mapped = _mm_or_si128(_mm_or_si128(eq(b, 0xC2), eq(b, 0xE2)), _mm_or_si128(eq(b, 0xE3), eq(b, 0xEF)));
    __m128i ascii = _mm_cmpgt_epi8(b, _mm_set1_epi8(-1));
    __m128i kept = plain_ascii(b);
    if (tabs) kept = _mm_or_si128(kept, eq(b, '\t'));
    return mask_of(_mm_or_si128(_mm_andnot_si128(kept, ascii), mapped));
}

/* Where the first byte from `from` on that a line does not keep as it is (see
 * kept_stops) is among the n bytes at s, 16 bytes at a time: the byte-by-byte
 * code goes on from where whole blocks end. (Reading the last part block too,
 * as the 16 bytes that end at s + n, costs more than it saves on the few
 * bytes of a word or figure that most runs are.) */
static inline size_t pb_scan_kept_from(const unsigned char *s, size_t from, size_t n) {
    size_t i = from;
    for (; i + 16 <= n; i += 16) {
        unsigned m = kept_stops(_mm_loadu_si128((const void *)(s + i)), 0);
        if (m) return i + (size_t)__builtin_ctz(m);
    }
    return i;
}

/* Where the first byte from `from` on that is neither kept (kept_stops) nor a
 * tab is among the n bytes at s, or n: whether a tab-separated line can be
 * read whole. Exact whenever n >= 16: the last part block is read as the 16
 * bytes that end at s + n, its bytes before the scan's place masked off (they
 * were read in the block before). Shorter lines get `from` back, for the
 * byte-by-byte code. */
static inline size_t pb_scan_tab_line(const unsigned char *s, size_t from, size_t n) {
    if (n < 16) return from;
    for (size_t i = from; i < n;) {
        size_t at = i + 16 <= n ? i : n - 16;
        unsigned m = kept_stops(_mm_loadu_si128((const void *)(s + at)), 1) >> (i - at);
        if (m) return i + (size_t)__builtin_ctz(m);
        i = at + 16;
    }
    return n;
}

/* Bits set in each 16-bit half of x: two counts of a block for the price of one
 * (SSE2 has no popcnt instruction: no library call). */
static inline uint32_t bits16x2(uint32_t x) {
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x + (x >> 8)) & 0x001F001Fu;
}

/* Where a run of kept ASCII and CJK ideographs (E4–E9 leads, U+4000–U+9FFF;
 * valid UTF-8) from `from` on ends among the n bytes at s, 16 bytes at a time
 * as pb_scan_kept_from (the byte-by-byte code goes on), on a character
 * boundary; its display width and characters through width and chars. */
static inline size_t pb_scan_wide_from(const unsigned char *s, size_t from, size_t n, int32_t *width,
                                       int32_t *chars) {
    int32_t w = 0, c = 0;
    size_t i = from;
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + i));
        unsigned ascii = mask_of(plain_ascii(b));
        unsigned ideograph = mask_of(in_range(b, 0xE4, 0xE9)); /* wide */
        unsigned tail = mask_of(continuation(b));
        unsigned stop = ~(ascii | ideograph | tail) & 0xFFFF;
        unsigned keep = stop ? (1u << __builtin_ctz(stop)) - 1 : 0xFFFF;
        uint32_t counts = bits16x2((ascii & keep) | (ideograph & keep) << 16);
        c += (int32_t)((counts & 0xFFFF) + (counts >> 16)); /* a character per ASCII byte or lead */
        w += (int32_t)(counts >> 16);                       /* and a column more per ideograph */
        if (stop) {
            i += (size_t)__builtin_ctz(stop);
            break;
        }
    }
    w += c;
    /* An ideograph cut by where the scan stopped goes back to the byte-by-byte code. */
    if (i >= from + 1 && s[i - 1] >= 0xE4 && s[i - 1] <= 0xE9) i -= 1, w -= 2, c -= 1;
    else if (i >= from + 2 && s[i - 2] >= 0xE4 && s[i - 2] <= 0xE9) i -= 2, w -= 2, c -= 1;
    *width = w;
    *chars = c;
    return i;
}

/* The bytes equal to a or b among the 16 from `at` of the n at s (those before
 * s + n): bit k for s[at + k]. A last part block is read as the 16 bytes that
 * end at s + n; a line shorter than a block byte by byte. */
static inline unsigned pb_mask2(const unsigned char *s, size_t at, size_t n, unsigned char a, unsigned char b) {
    if (n >= 16) {
        size_t from = at + 16 <= n ? at : n - 16;
        __m128i v = _mm_loadu_si128((const void *)(s + from));
        return mask_of(_mm_or_si128(eq(v, a), eq(v, b))) >> (at - from);
    }
    unsigned m = 0;
    for (size_t k = 0; k < 16 && at + k < n; k++) m |= (unsigned)(s[at + k] == a || s[at + k] == b) << k;
    return m;
}

/* Where the first '<' from `from` on among the n bytes at s is that two or
 * three bytes on has an 'r' or 'R' ("<tr", "</tr"), or n: the candidates for
 * an HTML row tag, which the caller then tests in full. A row line holds two
 * cell tags per cell and a row tag or two, so a vector test skips the cell
 * tags that a search for every '<' would stop at. Blocks step by 13 bytes so
 * that each '<' is judged with its next three bytes in the same block (a
 * last part block is read as the 16 bytes that end at s + n, where bytes past
 * the end cannot be wanted); short lines go byte by byte. */
static inline size_t pb_scan_row_tag(const unsigned char *s, size_t from, size_t n) {
    if (n < 16) return pb_scan_row_tag_bytes(s, from, n);
    for (size_t i = from; i < n;) {
        size_t at = i + 16 <= n ? i : n - 16;
        __m128i b = _mm_loadu_si128((const void *)(s + at));
        unsigned r = mask_of(eq(_mm_or_si128(b, _mm_set1_epi8(0x20)), 'r'));
        unsigned m = (mask_of(eq(b, '<')) & (r >> 2 | r >> 3)) >> (i - at);
        if (m) return i + (size_t)__builtin_ctz(m);
        i = at + 16 < n ? at + 13 : n;
    }
    return n;
}

/* Copies the ASCII bytes that begin the n bytes at s to out (room bytes free),
 * 16 at a time, and says how many: the GB18030 decoder's ASCII runs (figures,
 * blanks) in a few steps rather than a byte per step. Whole blocks only, within
 * both buffers: a block is stored whole, the bytes past the run being written
 * over by what follows; the byte-by-byte code takes a run's last few bytes. */
static inline size_t pb_copy_ascii(const unsigned char *s, size_t n, char *out, size_t room) {
    size_t i = 0;
    for (; i + 16 <= n && i + 16 <= room; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + i));
        _mm_storeu_si128((void *)(out + i), b);
        unsigned high = mask_of(b); /* bytes 0x80-0xFF */
        if (high) return i + (size_t)__builtin_ctz(high);
    }
    return i;
}

#else

/* Without SSE2 the line scans fall back on memchr (they give answers, not
 * prefixes, so they cannot return 0). */
static inline unsigned pb_scan_marks(const unsigned char *s, size_t n) {
    return (memchr(s, ',', n) ? PB_MARK_COMMA : 0) | (memchr(s, '<', n) ? PB_MARK_LT : 0) |
           (memchr(s, '\t', n) ? PB_MARK_TAB : 0);
}

static inline size_t pb_scan_line(const unsigned char *s, size_t n, unsigned *marks) {
    const unsigned char *nl = memchr(s, '\n', n);
    const unsigned char *cr = memchr(s, '\r', nl ? (size_t)(nl - s) : n);
    size_t end = cr ? (size_t)(cr - s) : nl ? (size_t)(nl - s) : n;
    *marks = pb_scan_marks(s, end);
    return end;
}

static inline size_t pb_scan_utf8(const unsigned char *s, size_t n) {
    (void)s, (void)n;
    return 0;
}

static inline size_t pb_scan_kept_from(const unsigned char *s, size_t from, size_t n) {
    (void)s, (void)n;
    return from;
}

static inline size_t pb_scan_tab_line(const unsigned char *s, size_t from, size_t n) {
    (void)s, (void)n;
    return from;
}

static inline size_t pb_scan_wide_from(const unsigned char *s, size_t from, size_t n, int32_t *width,
                                       int32_t *chars) {
    (void)s, (void)n;
    *width = *chars = 0;
    return from;
}

static inline unsigned pb_mask2(const unsigned char *s, size_t at, size_t n, unsigned char a, unsigned char b) {
    unsigned m = 0;
    for (size_t k = 0; k < 16 && at + k < n; k++) m |= (unsigned)(s[at + k] == a || s[at + k] == b) << k;
    return m;
}

static inline size_t pb_scan_row_tag(const unsigned char *s, size_t from, size_t n) {
    return pb_scan_row_tag_bytes(s, from, n);
}

static inline size_t pb_copy_ascii(const unsigned char *s, size_t n, char *out, size_t room) {
    (void)s, (void)n, (void)out, (void)room;
    return 0;
}

#endif

/* The scans from the start of a buffer (the tests call these). */
static inline size_t pb_scan_kept(const unsigned char *s, size_t n) { return pb_scan_kept_from(s, 0, n); }

static inline size_t pb_scan_wide(const unsigned char *s, size_t n, int32_t *width, int32_t *chars) {
    return pb_scan_wide_from(s, 0, n, width, chars);
}

#endif
