/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_candidate_json.c - libFuzzer harness for the candidate parser.
 *
 * Feeds the raw bytes (not NUL-terminated, any size) to idr__candidate_parse() with the
 * default limits. Beyond "no crash, no leak, no UB" it checks the parser's contract:
 * success gives a candidate with a non-empty id and no error code; failure gives no
 * candidate and an idr_error whose code matches the status and whose strings are
 * NUL-terminated within their arrays. And the simdjson parse path agrees with the
 * cJSON path on the input: same tree, same outcome (tests/json_tree_diff.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../json_tree_diff.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char why[512];
    if (jtd_check((const char *)data, size, why, sizeof why) < 0) {
        abort();
    }
    idr_candidate *c = (idr_candidate *)&c; /* must be overwritten */
    idr_error err;
    memset(&err, 0xa5, sizeof err);
    int rc =
        idr__candidate_parse(&c, &idr__default_limits, (const char *)data, size, &err);
    if (rc == IDR_OK) {
        if (!c || !c->candidate_id || !c->candidate_id[0]) {
            abort();
        }
        for (size_t i = 0; i < c->warnings.n; i++) {
            if (!c->warnings.v[i]) {
                abort();
            }
        }
        idr_candidate_free(c);
        return 0;
    }
    if (c != NULL || err.code != rc || memchr(err.field, 0, sizeof err.field) == NULL ||
        memchr(err.message, 0, sizeof err.message) == NULL || err.message[0] == 0) {
        abort();
    }
    if (rc != IDR_EINVAL && rc != IDR_ELIMIT && rc != IDR_ENOMEM) {
        abort();
    }
    return 0;
}
