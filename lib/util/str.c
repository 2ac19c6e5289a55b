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
