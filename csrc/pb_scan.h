/* Sixteen bytes at a time: the scans that decoding and line normalisation spend
 * most of their time in. Each returns how far the common case reaches and leaves
 * the rest to the byte-by-byte code that follows it, so results never depend on
 * whether the vector path ran; without SSE2 every scan returns 0. Inline: the
 * scans run on short stretches of one line, where a call would cost as much. */
#ifndef PB_SCAN_H
#define PB_SCAN_H

#include <stddef.h>
#include <stdint.h>

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

/* Bits set in a 16-bit mask (SSE2 has no popcnt instruction: no library call). */
static inline int bits16(unsigned x) {
    x = x - ((x >> 1) & 0x5555);
    x = (x & 0x3333) + ((x >> 2) & 0x3333);
    x = (x + (x >> 4)) & 0x0F0F;
    return (int)((x + (x >> 8)) & 0x1F);
}

/* Length of a prefix of s that is valid UTF-8 (no E0/ED/four-byte leads) with no
 * control byte but tab and line ends, ending on a character boundary. */
static inline size_t pb_scan_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    __m128i prev_lead = _mm_setzero_si128(), prev_lead3 = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + i));
        __m128i lead2 = in_range(b, 0xC2, 0xDF);
        /* E0 and ED limit their second byte, F0–F4 start four bytes: left to the scalar check */
        __m128i lead3 = _mm_andnot_si128(eq(b, 0xED), in_range(b, 0xE1, 0xEF));
        __m128i lead = _mm_or_si128(lead2, lead3);
        __m128i other_lead = _mm_andnot_si128(lead, in_range(b, 0xC0, 0xFF));
        __m128i text_control = _mm_or_si128(eq(b, '\t'), _mm_or_si128(eq(b, '\n'), eq(b, '\r')));
        __m128i control = _mm_or_si128(_mm_andnot_si128(text_control, in_range(b, 0x00, 0x1F)), eq(b, 0x7F));
        /* a continuation byte exactly where the lead one or two bytes back calls for one */
        __m128i after1 = _mm_or_si128(_mm_slli_si128(lead, 1), _mm_srli_si128(prev_lead, 15));
        __m128i after2 = _mm_or_si128(_mm_slli_si128(lead3, 2), _mm_srli_si128(prev_lead3, 14));
        __m128i misplaced = _mm_xor_si128(continuation(b), _mm_or_si128(after1, after2));
        if (mask_of(_mm_or_si128(_mm_or_si128(other_lead, control), misplaced))) break;
        prev_lead = lead;
        prev_lead3 = lead3;
    }
    /* A character whose lead is in the last two bytes may continue past what was checked. */
    if (i >= 1 && s[i - 1] >= 0xC0) return i - 1;
    if (i >= 2 && s[i - 2] >= 0xE0) return i - 2;
    return i;
}

/* Length of a prefix of bytes a line keeps as they are (tab_plain in pb_text.c). */
static inline size_t pb_scan_kept(const unsigned char *s, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + i));
        /* blanks, controls, DEL, markup, and the leads of mapped characters (see tab_plain) */
        __m128i mapped = _mm_or_si128(_mm_or_si128(eq(b, 0xC2), eq(b, 0xE2)), _mm_or_si128(eq(b, 0xE3), eq(b, 0xEF)));
        __m128i ascii = _mm_cmpgt_epi8(b, _mm_set1_epi8(-1));
        __m128i stop = _mm_or_si128(_mm_andnot_si128(plain_ascii(b), ascii), mapped);
        unsigned m = mask_of(stop);
        if (m) return i + (size_t)__builtin_ctz(m);
    }
    return i;
}

/* Length of a prefix of kept ASCII and CJK ideographs (valid UTF-8 starting on a
 * character boundary), ending on a character boundary; its display width and
 * characters through width and chars. */
static inline size_t pb_scan_wide(const unsigned char *s, size_t n, int32_t *width, int32_t *chars) {
    size_t i = 0;
    int32_t w = 0, c = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const void *)(s + i));
        unsigned ascii = mask_of(plain_ascii(b));
        unsigned ideograph = mask_of(in_range(b, 0xE4, 0xE9)); /* U+4000–U+9FFF: wide */
        unsigned tail = mask_of(continuation(b));
        unsigned stop = ~(ascii | ideograph | tail) & 0xFFFF;
        unsigned keep = stop ? (1u << __builtin_ctz(stop)) - 1 : 0xFFFF;
        int a = bits16(ascii & keep), k = bits16(ideograph & keep);
        w += a + 2 * k;
        c += a + k;
        if (stop) {
            i += (size_t)__builtin_ctz(stop);
            break;
        }
    }
    /* An ideograph cut by where the scan stopped goes back to the byte-by-byte code. */
    if (i >= 1 && s[i - 1] >= 0xE4 && s[i - 1] <= 0xE9) i -= 1, w -= 2, c -= 1;
    else if (i >= 2 && s[i - 2] >= 0xE4 && s[i - 2] <= 0xE9) i -= 2, w -= 2, c -= 1;
    *width = w;
    *chars = c;
    return i;
}

#else

static inline size_t pb_scan_utf8(const unsigned char *s, size_t n) {
    (void)s, (void)n;
    return 0;
}

static inline size_t pb_scan_kept(const unsigned char *s, size_t n) {
    (void)s, (void)n;
    return 0;
}

static inline size_t pb_scan_wide(const unsigned char *s, size_t n, int32_t *width, int32_t *chars) {
    (void)s, (void)n;
    *width = *chars = 0;
    return 0;
}

#endif

#endif
