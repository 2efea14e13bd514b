/* Byte source: tells gzip, PDF and other binary formats from text by their
 * magic bytes, and inflates gzip as a stream (never the whole file at once). */
#include "pb_internal.h"

#include <string.h>

#define PB_INFLATE_CHUNK 65536

static voidpf z_alloc(voidpf opaque, uInt items, uInt size) {
    pb_parser *p = opaque;
    if (size && items > (uInt)-1 / size) return Z_NULL;
    return p->alloc.malloc(p->alloc.ctx, (size_t)items * size);
}

static void z_free(voidpf opaque, voidpf ptr) {
    pb_parser *p = opaque;
    if (ptr) p->alloc.free(p->alloc.ctx, ptr);
}

static int gzip_open(pb_parser *p) {
    memset(&p->zs, 0, sizeof p->zs);
    p->zs.zalloc = z_alloc;
    p->zs.zfree = z_free;
    p->zs.opaque = p;
    /* 16 + MAX_WBITS: gzip wrapper only. */
    if (inflateInit2(&p->zs, 16 + MAX_WBITS) != Z_OK)
        return pb_set_error(p, PB_E_NOMEM, 0, "inflateInit2 failed");
    p->zs_open = 1;
    p->zout = pb_alloc(p, PB_INFLATE_CHUNK);
    return p->zout ? 0 : -1;
}

static int gzip_feed(pb_parser *p, const unsigned char *s, size_t n) {
    while (n > 0) {
        /* zlib counts in uInt; feed at most 1 GiB per round. */
        uInt take = n > (1u << 30) ? (1u << 30) : (uInt)n;
        p->zs.next_in = (Bytef *)s;
        p->zs.avail_in = take;
        do {
            if (p->zs_member_done) {
                /* Another member follows: concatenated gzip is one stream. */
                if (inflateReset(&p->zs) != Z_OK)
                    return pb_set_error(p, PB_E_GZIP, p->line_no, "inflateReset failed");
                p->zs_member_done = 0;
            }
            p->zs.next_out = (Bytef *)p->zout;
            p->zs.avail_out = PB_INFLATE_CHUNK;
            int ret = inflate(&p->zs, Z_NO_FLUSH);
            size_t produced = PB_INFLATE_CHUNK - p->zs.avail_out;
            if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
                return pb_set_error(p, PB_E_GZIP, p->line_no, "%s",
                                    p->zs.msg ? p->zs.msg : "invalid deflate data");
            if (ret == Z_MEM_ERROR) return pb_set_error(p, PB_E_NOMEM, p->line_no, "inflate");
            p->inflated += produced;
            uint64_t base = p->bytes_in > 4096 ? p->bytes_in : 4096;
            if (p->inflated / base > p->opt.max_inflate_ratio)
                return pb_set_error(p, PB_E_GZIP_RATIO, p->line_no,
                                    "%llu bytes from %llu compressed (limit %zux)",
                                    (unsigned long long)p->inflated,
                                    (unsigned long long)p->bytes_in, p->opt.max_inflate_ratio);
            if (produced && pb_decode_feed(p, (const unsigned char *)p->zout, produced) < 0) return -1;
            if (ret == Z_STREAM_END) {
                p->zs_member_done = 1;
                if (p->zs.avail_in == 0) break;
                continue;
            }
            if (ret == Z_BUF_ERROR && produced == 0) break; /* needs more input */
        } while (p->zs.avail_in > 0 || p->zs.avail_out == 0);
        s += take;
        n -= take;
    }
    return 0;
}

static int sniff_decide(pb_parser *p) {
    const unsigned char *m = p->sniff;
    size_t n = p->nsniff;
    if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        p->source = PB_SRC_GZIP;
        if (gzip_open(p) < 0) return -1;
        return gzip_feed(p, m, n);
    }
    if (n >= 4 && memcmp(m, "%PDF", 4) == 0) return pb_set_error(p, PB_E_PDF, 1, NULL);
    if (n >= 4 && memcmp(m, "\x89PNG", 4) == 0)
        return pb_set_error(p, PB_E_BINARY, 1, "PNG image");
    if (n >= 4 && memcmp(m, "PK\x03\x04", 4) == 0)
        return pb_set_error(p, PB_E_BINARY, 1, "zip archive: read it with read_corpus");
    if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h')
        return pb_set_error(p, PB_E_BINARY, 1, "bzip2 data is not supported");
    p->source = PB_SRC_PLAIN;
    return pb_decode_feed(p, m, n);
}

int pb_source_feed(pb_parser *p, const unsigned char *s, size_t n) {
    p->bytes_in += n;
    if (p->source == PB_SRC_SNIFF) {
        while (n > 0 && p->nsniff < 4) {
            p->sniff[p->nsniff++] = *s++;
            n--;
        }
        if (p->nsniff < 4) return 0;
        if (sniff_decide(p) < 0) return -1;
    }
    if (n == 0) return 0;
    if (p->source == PB_SRC_GZIP) return gzip_feed(p, s, n);
    return pb_decode_feed(p, s, n);
}

int pb_source_finish(pb_parser *p) {
    if (p->source == PB_SRC_SNIFF && sniff_decide(p) < 0) return -1;
    if (p->source == PB_SRC_GZIP && !p->zs_member_done)
        return pb_set_error(p, PB_E_GZIP_TRUNCATED, p->line_no,
                            "the stream ends before the gzip trailer");
    return 0;
}

void pb_source_free(pb_parser *p) {
    if (p->zs_open) inflateEnd(&p->zs);
    p->zs_open = 0;
    pb_dealloc(p, p->zout);
    p->zout = NULL;
}
