/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_tree_diff.h - the simdjson parse path against the cJSON path, for one input.
 *
 * Shared by tests/unit/test_json_simd.c and the candidate_json fuzz harness. The
 * candidate parser takes its tree from the simdjson shim (lib/parse/json_simd.cc) when
 * the shim accepts the text, else from cJSON; everything after the tree is the same
 * code. So the two paths agree on every input exactly when (1) every tree the shim
 * builds equals cJSON's node for node and (2) cJSON accepts every text the shim accepts.
 * jtd_check() tests both, and also compares the whole parse outcome (status, error
 * code, field, message, candidate id, warnings) of the default path with the cJSON-only
 * path that a custom allocator selects.
 */
#ifndef IDRISK_TESTS_JSON_TREE_DIFF_H
#define IDRISK_TESTS_JSON_TREE_DIFF_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parse/json_simd.h"

static int jtd_same_str(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* NULL when equal, else what differs. Also checks both child lists are linked the way
 * cJSON links them (prev of a node is its predecessor, the head's prev the last). */
static const char *jtd_same(const cJSON *x, const cJSON *y) {
    if (x->type != y->type) {
        return "type";
    }
    if (!jtd_same_str(x->string, y->string)) {
        return "key";
    }
    if (!jtd_same_str(x->valuestring, y->valuestring)) {
        return "valuestring";
    }
    if (x->valueint != y->valueint) {
        return "valueint";
    }
    if (memcmp(&x->valuedouble, &y->valuedouble, sizeof(double)) != 0 &&
        !(isnan(x->valuedouble) && isnan(y->valuedouble))) {
        return "valuedouble";
    }
    const cJSON *a = x->child, *b = y->child;
    const cJSON *pa = NULL, *pb = NULL;
    for (; a && b; pa = a, pb = b, a = a->next, b = b->next) {
        if ((pa && a->prev != pa) || (pb && b->prev != pb)) {
            return "prev link";
        }
        const char *why = jtd_same(a, b);
        if (why) {
            return why;
        }
    }
    if (a || b) {
        return "number of children";
    }
    if ((x->child && x->child->prev != pa) || (y->child && y->child->prev != pb)) {
        return "head prev link";
    }
    return NULL;
}

static void *jtd_malloc(void *ctx, size_t n) {
    (void)ctx;
    return malloc(n);
}
static void *jtd_realloc(void *ctx, void *p, size_t n) {
    (void)ctx;
    return realloc(p, n);
}
static void jtd_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* 1: the shim built a tree, equal to cJSON's; 0: the shim declined (the parser then
 * uses cJSON); -1: a difference, described in why. */
static int jtd_check(const char *s, size_t n, char *why, size_t whyn) {
    int used = 0;
    why[0] = 0;
    if (idr__json_simd_text_ok(s, n)) {
        idr__arena *a = idr__arena_new(NULL, 4 * n + 4096);
        cJSON *simd = a ? idr__json_simd_parse(a, s, n) : NULL;
        if (simd) {
            used = 1;
            const char *end = NULL;
            cJSON *ref = cJSON_ParseWithLengthOpts(s, n, &end, 0);
            if (!ref) {
                snprintf(why, whyn, "simdjson accepted, cJSON refused");
            } else {
                for (const char *q = end; q < s + n; q++) {
                    if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != 0) {
                        snprintf(why, whyn, "cJSON stops before the end, simdjson not");
                        break;
                    }
                }
                const char *d = why[0] ? NULL : jtd_same(simd, ref);
                if (d) {
                    snprintf(why, whyn, "trees differ: %s", d);
                }
                cJSON_Delete(ref);
            }
        }
        idr__arena_free(a);
        if (why[0]) {
            return -1;
        }
    }
    /* the whole parse: default path against the cJSON-only (custom allocator) path */
    idr_allocator al = {jtd_malloc, jtd_realloc, jtd_free, NULL};
    idr_candidate *c1 = NULL, *c2 = NULL;
    idr_error e1, e2;
    memset(&e1, 0, sizeof e1);
    memset(&e2, 0, sizeof e2);
    int r1 = idr__candidate_parse_al(&c1, NULL, NULL, NULL, s, n, &e1);
    int r2 = idr__candidate_parse_al(&c2, &al, NULL, NULL, s, n, &e2);
    if (r1 != r2 || e1.code != e2.code || strcmp(e1.field, e2.field) != 0 ||
        strcmp(e1.message, e2.message) != 0) {
        snprintf(why, whyn, "outcomes differ: %d '%.40s' '%.120s' vs %d '%.40s' '%.120s'",
                 r1, e1.field, e1.message, r2, e2.field, e2.message);
    } else if (r1 == IDR_OK) {
        if (!jtd_same_str(c1->candidate_id, c2->candidate_id) ||
            c1->warnings.n != c2->warnings.n) {
            snprintf(why, whyn, "candidates differ");
        }
        for (size_t i = 0; !why[0] && i < c1->warnings.n; i++) {
            if (!jtd_same_str(c1->warnings.v[i], c2->warnings.v[i])) {
                snprintf(why, whyn, "warning %zu differs", i);
            }
        }
    }
    idr_candidate_free(c1);
    idr_candidate_free(c2);
    return why[0] ? -1 : used;
}

#endif /* IDRISK_TESTS_JSON_TREE_DIFF_H */
