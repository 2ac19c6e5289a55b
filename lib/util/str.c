/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.c - small string helpers shared by every layer.
 */
#include "util/util.h"

#include <string.h>

bool idr__in_list(const char *name, const char *const *list) {
    if (!name) {
        return false;
    }
    for (; *list; list++) {
        if (strcmp(name, *list) == 0) {
            return true;
        }
    }
    return false;
}

uint64_t idr__hash_str(const char *s) {
    uint64_t h = 1469598103934665603u; /* FNV-1a, 64 bits */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    }
    return h;
}

size_t idr__utf8_cut(const char *s, size_t n, size_t max) {
    if (n <= max) {
        return n;
    }
    size_t k = 0;
    while (k < max) {
        size_t q = idr__utf8_seq((const unsigned char *)s + k, n - k);
        if (q == 0) {
            q = 1;
        }
        if (k + q > max) {
            break;
        }
        k += q;
    }
    return k;
}
