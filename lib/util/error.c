/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error.c - status texts and the caller-owned error struct.
 */
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *idr_strerror(int code) {
    switch (code) {
    case IDR_OK:
        return "success";
    case IDR_EINVAL:
        return "invalid input";
    case IDR_ENOMEM:
        return "out of memory";
    case IDR_EIO:
        return "input/output error";
    case IDR_EDATA:
        return "corrupt or inconsistent data file";
    case IDR_EUNAVAILABLE:
        return "feature or database not available";
    case IDR_ELIMIT:
        return "input exceeds a limit";
    case IDR_EBUSY:
        return "store busy";
    case IDR_EINTERNAL:
        return "internal error";
    default:
        return "unknown error";
    }
}

int idr__err(idr_error *err, int code, const char *field, const char *fmt, ...) {
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = code;
        if (field) {
            snprintf(err->field, sizeof err->field, "%s", field);
        }
        va_list ap;
        va_start(ap, fmt);
        // va_start is the line above (analyzer false positive).
        // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void idr_free(void *ptr) {
    free(ptr);
}
