/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rulepack.c - libFuzzer harness for the rule pack parser: any bytes must either
 * load a pack or fail with IDR_EDATA/IDR_ENOMEM and a named field, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    idr__rulepack *p = NULL;
    idr_error err;
    int rc = idr__rulepack_load(&p, (const char *)data, size, "fuzz.pack",
                                idr__indicator_find, &err);
    if (rc == IDR_OK) {
        for (size_t i = 0; i < p->n_rules; i++) {
            (void)idr__rulepack_find(p, p->rules[i].id);
        }
        idr__rulepack_free(p);
    } else if (p != NULL || (rc != IDR_EDATA && rc != IDR_ENOMEM)) {
        __builtin_trap();
    }
    return 0;
}
