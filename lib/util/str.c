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
