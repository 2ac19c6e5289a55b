/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.c - bump allocator. A candidate and a result each own one arena, so parsing
 * and scoring cost a handful of mallocs however many fields a record has, and one
 * free releases everything.
 *
 * Layout: a singly linked list of blocks, newest first; each block is a header
 * followed by its bytes. A request larger than half the default block gets a block of
 * its own so that large strings do not waste the tail of the current block.
 */
#include "util/util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t used, cap;
    /* max_align_t keeps the payload aligned for any type */
    _Alignas(max_align_t) unsigned char data[];
} block;

struct idr__arena {
    idr__alloc al; /* a copy of the caller's allocator, used when has_al */
    bool has_al;
    block *head;
    size_t block_size;
    bool failed; /* sticky: an allocation from this arena returned NULL */
};

static block *block_new(const idr__arena *a, size_t cap) {
    if (cap > SIZE_MAX - sizeof(block)) {
        return NULL;
    }
    block *b = idr__malloc(idr__arena_allocator(a), sizeof(block) + cap);
    if (b) {
        b->next = NULL;
        b->used = 0;
        b->cap = cap;
    }
    return b;
}

idr__arena *idr__arena_new(const idr__alloc *al, size_t first_block) {
    idr__arena *a = idr__malloc(al, sizeof *a);
    if (!a) {
        return NULL;
    }
    a->has_al = al != NULL;
    if (al) {
        a->al = *al;
    }
    a->failed = false;
    a->block_size = first_block < 1024 ? 1024 : first_block;
    a->head = block_new(a, a->block_size);
    if (!a->head) {
        idr__free(al, a);
        return NULL;
    }
    return a;
}

const idr__alloc *idr__arena_allocator(const idr__arena *a) {
    return a && a->has_al ? &a->al : NULL;
}

void idr__arena_free(idr__arena *a) {
    if (!a) {
        return;
    }
    /* Copy first: the allocator lives in the struct being freed. */
    idr__alloc copy = a->has_al ? a->al : (idr__alloc){0};
    const idr__alloc *al = a->has_al ? &copy : NULL;
    block *b = a->head;
    while (b) {
        block *n = b->next;
        idr__free(al, b);
        b = n;
    }
    idr__free(al, a);
}

static void *fail(idr__arena *a) {
    a->failed = true;
    return NULL;
}

bool idr__arena_failed(const idr__arena *a) {
    return a && a->failed;
}

void *idr__arena_alloc(idr__arena *a, size_t n) {
    if (n > SIZE_MAX - 7u) {
        return fail(a); /* a size computed by an overflowing multiplication */
    }
    n = (n + 7u) & ~(size_t)7u;
    if (n == 0) {
        n = 8;
    }
    block *b = a->head;
    if (b->cap - b->used >= n) {
        void *p = b->data + b->used;
        b->used += n;
        return p;
    }
    if (n > a->block_size / 2) {
        /* Dedicated block, linked behind the current one so it keeps serving. */
        block *big = block_new(a, n);
        if (!big) {
            return fail(a);
        }
        big->used = n;
        big->next = b->next;
        b->next = big;
        return big->data;
    }
    if (a->block_size < (1u << 20)) {
        a->block_size *= 2;
    }
    block *nb = block_new(a, a->block_size);
    if (!nb) {
        return fail(a);
    }
    nb->next = b;
    a->head = nb;
    nb->used = n;
    return nb->data;
}

void *idr__arena_calloc(idr__arena *a, size_t n) {
    void *p = idr__arena_alloc(a, n);
    if (p) {
        memset(p, 0, n);
    }
    return p;
}

char *idr__arena_strndup(idr__arena *a, const char *s, size_t n) {
    char *p = idr__arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

char *idr__arena_strdup(idr__arena *a, const char *s) {
    return s ? idr__arena_strndup(a, s, strlen(s)) : NULL;
}

bool idr__arena_keep(idr__arena *a, const char **s) {
    if (!*s) {
        return true;
    }
    *s = idr__arena_strdup(a, *s);
    return *s != NULL;
}

bool idr__arena_keep_cut(idr__arena *a, const char **s, size_t max) {
    if (!*s) {
        return true;
    }
    size_t n = strlen(*s);
    size_t keep = idr__utf8_cut(*s, n, max);
    if (keep == n) {
        return idr__arena_keep(a, s);
    }
    char *c = idr__arena_alloc(a, keep + 4);
    if (!c) {
        return false;
    }
    memcpy(c, *s, keep);
    memcpy(c + keep, "\xe2\x80\xa6", 4); /* U+2026 and the terminating NUL */
    *s = c;
    return true;
}

char *idr__arena_vprintf(idr__arena *a, const char *fmt, va_list ap) {
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return fail(a); /* EOVERFLOW: more than INT_MAX bytes */
    }
    char *p = idr__arena_alloc(a, (size_t)n + 1);
    if (!p) {
        return NULL;
    }
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    }
    return p;
}

char *idr__arena_printf(idr__arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = idr__arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
