/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alloc.c - the allocator hook. The library never calls malloc/realloc/free directly
 * (apart from memory it hands to the caller, which idr_free() releases, and memory
 * third-party libraries allocate themselves): it calls these, which use the caller's
 * idr_allocator when there is one. No global state: each engine carries its own.
 */
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *idr__malloc(const idr__alloc *al, size_t n) {
    return al ? al->malloc(al->ctx, n) : malloc(n);
}

void *idr__calloc(const idr__alloc *al, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) {
        return NULL; /* the product would wrap: never a short block */
    }
    if (!al) {
        /* calloc(0) may return NULL, which callers would take for ENOMEM. */
        return calloc(n ? n : 1, size ? size : 1);
    }
    void *p = al->malloc(al->ctx, n * size);
    if (p) {
        memset(p, 0, n * size);
    }
    return p;
}

void *idr__realloc(const idr__alloc *al, void *p, size_t n) {
    return al ? al->realloc(al->ctx, p, n) : realloc(p, n);
}

void idr__free(const idr__alloc *al, void *p) {
    if (!p) {
        return; /* a caller's free need not accept NULL */
    }
    if (al) {
        al->free(al->ctx, p);
    } else {
        free(p);
    }
}

char *idr__strndup(const idr__alloc *al, const char *s, size_t n) {
    if (!s || n == SIZE_MAX) {
        return NULL;
    }
    char *p = idr__malloc(al, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *idr__strdup(const idr__alloc *al, const char *s) {
    return s ? idr__strndup(al, s, strlen(s)) : NULL;
}
