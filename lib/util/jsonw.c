/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsonw.c - a growable byte buffer and a streaming JSON writer for results and lookup
 * answers. Output only: input JSON is parsed with cJSON. Writing directly into one
 * buffer (rather than building a cJSON tree) costs one allocation per result and keeps
 * key order, hence byte-identical output for identical results.
 */
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void idr__buf_init(idr__buf *b, const idr__alloc *al) {
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = false;
    b->al = al;
}

void idr__buf_free(idr__buf *b) {
    idr__free(b->al, b->p);
    idr__buf_init(b, b->al);
}

static bool buf_reserve(idr__buf *b, size_t extra) {
    if (b->oom) {
        return false;
    }
    if (b->len + extra + 1 <= b->cap) {
        return true;
    }
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + extra + 1) {
        cap *= 2;
    }
    char *p = idr__realloc(b->al, b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void idr__buf_put(idr__buf *b, const char *s, size_t n) {
    if (!buf_reserve(b, n)) {
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void idr__buf_puts(idr__buf *b, const char *s) {
    idr__buf_put(b, s, strlen(s));
}

void idr__buf_printf(idr__buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && (size_t)n < sizeof small) {
        idr__buf_put(b, small, (size_t)n);
    } else if (n >= 0 && buf_reserve(b, (size_t)n)) {
        vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

char *idr__buf_take(idr__buf *b, size_t *len_out) {
    if (b->oom || !buf_reserve(b, 0)) {
        idr__buf_free(b);
        return NULL;
    }
    char *p = b->p;
    if (b->al) {
        /* idr_free() is the C library's free: hand over a malloc'd copy. */
        p = malloc(b->len + 1);
        if (!p) {
            idr__buf_free(b);
            return NULL;
        }
        memcpy(p, b->p, b->len + 1);
        idr__free(b->al, b->p);
    }
    if (len_out) {
        *len_out = b->len;
    }
    idr__buf_init(b, b->al);
    return p;
}

size_t idr__utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) {
        return 1;
    }
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

/* Bytes copied verbatim by idr__json_escape without a closer look: printable ASCII
 * other than '"' and '\\'. Most result text is such runs, which the loop below skips
 * with one test per byte (result rendering: bench/RESULTS.md). */
static inline bool json_plain(unsigned char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

/* Whether any of the 8 bytes in x may not be plain: a byte below 0x20, '"', '\\',
 * 0x7F or 0x80 and above. The zero-byte tests can flag a plain byte above a flagged
 * one (a borrow), never miss one, so a flagged word is looked at byte by byte. Eight
 * bytes a test: escaping was 40% of rendering a result, one test per byte. */
static inline bool word_special(uint64_t x) {
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\'), del = x ^ (ones * 0x7F);
    uint64_t low = (x - ones * 0x20) & ~x;
    uint64_t zero = ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((del - ones) & ~del);
    return ((low | zero) & high) != 0 || (x & high) != 0;
}

void idr__json_escape(idr__buf *b, const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t run = 0; /* start of the pending run of bytes copied verbatim */
    size_t i = 0;
    while (i < n) {
        for (uint64_t x; i + 8 <= n; i += 8) {
            memcpy(&x, s + i, 8);
            if (word_special(x)) {
                break;
            }
        }
        while (i < n && json_plain(s[i])) {
            i++;
        }
        if (i == n) {
            break;
        }
        unsigned c = s[i];
        const char *rep = NULL;
        char hex[8];
        size_t adv = 1;
        if (c == '"') {
            rep = "\\\"";
        } else if (c == '\\') {
            rep = "\\\\";
        } else if (c == '\n') {
            rep = "\\n";
        } else if (c == '\r') {
            rep = "\\r";
        } else if (c == '\t') {
            rep = "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(hex, sizeof hex, "\\u%04x", c);
            rep = hex;
        } else if (c >= 0x80) {
            adv = idr__utf8_seq(s + i, n - i);
            if (adv == 0) {
                rep = "\xEF\xBF\xBD"; /* U+FFFD for an invalid byte */
                adv = 1;
            }
        }
        if (rep) {
            idr__buf_put(b, (const char *)s + run, i - run);
            idr__buf_puts(b, rep);
            run = i + adv;
        }
        i += adv;
    }
    idr__buf_put(b, (const char *)s + run, n - run);
}

void idr__jw_init(idr__jw *w, idr__buf *b, bool pretty) {
    memset(w, 0, sizeof *w);
    w->b = b;
    w->pretty = pretty;
}

static void jw_indent(idr__jw *w) {
    if (w->pretty) {
        idr__buf_put(w->b, "\n", 1);
        for (int i = 0; i < w->depth; i++) {
            idr__buf_put(w->b, "  ", 2);
        }
    }
}

/* Separator, indentation and `"key":` before a value. */
static void jw_key(idr__jw *w, const char *key) {
    if (w->depth > 0) {
        if (w->need_comma[w->depth]) {
            idr__buf_put(w->b, ",", 1);
        }
        w->need_comma[w->depth] = true;
        jw_indent(w);
    }
    if (key) {
        idr__buf_put(w->b, "\"", 1);
        idr__json_escape(w->b, key, strlen(key));
        idr__buf_puts(w->b, w->pretty ? "\": " : "\":");
    }
}

static void jw_open(idr__jw *w, const char *key, char c) {
    jw_key(w, key);
    idr__buf_put(w->b, &c, 1);
    if (w->depth < 63) {
        w->depth++;
    }
    w->need_comma[w->depth] = false;
}

static void jw_close(idr__jw *w, char c) {
    bool had = w->need_comma[w->depth];
    if (w->depth > 0) {
        w->depth--;
    }
    if (had) {
        jw_indent(w);
    }
    idr__buf_put(w->b, &c, 1);
}

void idr__jw_obj_begin(idr__jw *w, const char *key) {
    jw_open(w, key, '{');
}
void idr__jw_obj_end(idr__jw *w) {
    jw_close(w, '}');
}
void idr__jw_arr_begin(idr__jw *w, const char *key) {
    jw_open(w, key, '[');
}
void idr__jw_arr_end(idr__jw *w) {
    jw_close(w, ']');
}

void idr__jw_strn(idr__jw *w, const char *key, const char *v, size_t n) {
    jw_key(w, key);
    if (!v) {
        idr__buf_puts(w->b, "null");
        return;
    }
    idr__buf_put(w->b, "\"", 1);
    idr__json_escape(w->b, v, n);
    idr__buf_put(w->b, "\"", 1);
}

void idr__jw_str(idr__jw *w, const char *key, const char *v) {
    idr__jw_strn(w, key, v, v ? strlen(v) : 0);
}

/* Decimal digits of v into the end of tmp[24]; returns where they start. Results carry
 * dozens of integers; vsnprintf per integer was a third of rendering them. */
static char *fmt_ll(long long v, char tmp[24]) {
    char *e = tmp + 24, *p = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        *--p = '-';
    }
    return p;
}

void idr__jw_int(idr__jw *w, const char *key, long long v) {
    jw_key(w, key);
    char tmp[24];
    char *p = fmt_ll(v, tmp);
    idr__buf_put(w->b, p, (size_t)(tmp + 24 - p));
}

void idr__jw_num(idr__jw *w, const char *key, double v) {
    jw_key(w, key);
    if (isnan(v) || isinf(v)) {
        idr__buf_puts(w->b, "null");
        return;
    }
    char tmp[64];
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        char *p = fmt_ll((long long)v, tmp);
        idr__buf_put(w->b, p, (size_t)(tmp + 24 - p));
        return;
    } else if (fabs(v) < 1e15) {
        /* Six decimals, trailing zeros dropped: stable across platforms for the
         * magnitudes idrisk writes (coordinates, km, scores). */
        snprintf(tmp, sizeof tmp, "%.6f", v);
        char *e = tmp + strlen(tmp) - 1;
        while (*e == '0') {
            *e-- = 0;
        }
        if (*e == '.') {
            *e = 0;
        }
    } else {
        snprintf(tmp, sizeof tmp, "%.17g", v);
    }
    idr__buf_puts(w->b, tmp);
}

void idr__jw_bool(idr__jw *w, const char *key, bool v) {
    jw_key(w, key);
    idr__buf_puts(w->b, v ? "true" : "false");
}

void idr__jw_null(idr__jw *w, const char *key) {
    jw_key(w, key);
    idr__buf_puts(w->b, "null");
}

void idr__jw_raw(idr__jw *w, const char *key, const char *json) {
    jw_key(w, key);
    idr__buf_puts(w->b, json);
}
