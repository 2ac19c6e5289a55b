/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file.c - read a whole file into memory, for the rule pack, curated lists, gazetteers
 * and manifests. One reader for all of them, so every loader has the same size limit
 * and error behaviour.
 */
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
idr__read_file(const idr__alloc *al, const char *path, size_t max, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *p = idr__malloc(al, cap);
    if (!p) {
        errno = ENOMEM; /* a caller's allocator need not set errno */
    }
    while (p) {
        if (len + 1 >= cap) {
            if (cap > max) {
                idr__free(al, p);
                p = NULL;
                errno = EFBIG;
                break;
            }
            char *q = idr__realloc(al, p, cap * 2);
            if (!q) {
                idr__free(al, p);
                p = NULL;
                errno = ENOMEM;
                break;
            }
            p = q;
            cap *= 2;
        }
        size_t got = fread(p + len, 1, cap - 1 - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                idr__free(al, p);
                p = NULL;
                errno = EIO;
            }
            break;
        }
    }
    fclose(f);
    if (p && len > max) {
        idr__free(al, p);
        p = NULL;
        errno = EFBIG;
    }
    if (p) {
        p[len] = '\0';
        if (len_out) {
            *len_out = len;
        }
    }
    return p;
}

size_t idr__split_tabs(char *line, char **f, size_t max) {
    size_t n = 0;
    while (line && n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (t) {
            *t = '\0';
            line = t + 1;
        } else {
            line = NULL;
        }
    }
    return n;
}
