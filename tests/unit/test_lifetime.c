/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lifetime.c - a result keeps its engine alive (issue 8, item 5).
 *
 * A result borrows the engine's rule texts, data list and warnings; idr_engine_free()
 * only drops the caller's reference, and the engine goes with its last result. These
 * tests free the engine first and then read every part of the result: under ASan
 * (-DIDR_SANITIZE=address,undefined) any read of freed engine memory, or a leak of the
 * engine, fails them.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../env_config.h"
#include "idrisk/idrisk.h"

#define CASE IDR_TEST_SOURCE_DIR "/examples/candidates/rented-identity.json"

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = 0;
    return buf;
}

static idr_engine *new_engine(void) {
    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    /* The fetched data when the tests have it: the result then also borrows the
     * engine's data list and its warnings. */
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_TEST_SOURCE_DIR "/data", &err),
        IDR_OK);
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s (%s)", err.message, err.field);
    return eng;
}

static idr_result *score_case(const idr_engine *eng) {
    size_t len;
    const char *json = read_file(CASE, &len);
    idr_result *res = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_engine_score_json(eng, json, len, &res, &err);
    cr_assert_eq(rc, IDR_OK, "%s (%s)", err.message, err.field);
    return res;
}

static size_t touch(const char *s) {
    return s ? strlen(s) : 0;
}

/* Read every borrowed string of every reason (ASan checks each byte's memory). */
static size_t read_reasons(const idr_result *res) {
    size_t n = 0;
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        const idr_reason *r = idr_result_reason(res, i);
        cr_assert_not_null(r);
        n += touch(r->id) + touch(r->category) + touch(r->severity) + touch(r->title) +
             touch(r->detail) + touch(r->verify);
        for (size_t k = 0; k < r->n_benign; k++) {
            n += touch(r->benign[k]);
        }
        for (size_t k = 0; k < r->n_sources; k++) {
            n += touch(r->sources[k]);
        }
    }
    return n + touch(idr_result_candidate_id(res)) + touch(idr_result_band(res)) +
           touch(idr_result_action(res));
}

static char *to_json(const idr_result *res) {
    char *out = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_result_to_json(res, &out, NULL, &err), IDR_OK, "%s", err.message);
    return out;
}

Test(engine, result_outlives_freed_engine) {
    idr_engine *eng = new_engine();
    idr_result *res = score_case(eng);
    cr_assert_gt(idr_result_reason_count(res), 0, "the case should fire reasons");
    char *before = to_json(res);
    size_t read_before = read_reasons(res);

    idr_engine_free(eng); /* the result still holds the engine */

    cr_assert_eq(read_reasons(res), read_before);
    char *after = to_json(res);
    cr_assert_str_eq(after, before, "the JSON is the same after idr_engine_free");
    cr_assert_not_null(strstr(after, "\"ruleset\":{\"id\":"));
    cr_assert_not_null(strstr(after, "\"data\":["));
    idr_free(after);
    idr_free(before);
    idr_result_free(res); /* the last reference: the engine goes here */
}

Test(engine, results_freed_in_any_order_around_the_engine) {
    idr_engine *eng = new_engine();
    idr_result *a = score_case(eng);
    idr_result *b = score_case(eng);
    idr_result_free(a); /* before the engine */
    idr_engine_free(eng);
    cr_assert_gt(read_reasons(b), 0);
    idr_free(to_json(b));
    idr_result_free(b); /* after it */
    idr_engine_free(NULL);
    idr_result_free(NULL);
}

enum { N_THREADS = 4, PER_THREAD = 8 };

static void *free_results(void *arg) {
    idr_result **v = arg;
    for (size_t i = 0; i < PER_THREAD; i++) {
        read_reasons(v[i]);
        char *json = to_json(v[i]);
        idr_free(json);
        idr_result_free(v[i]);
    }
    return NULL;
}

/* The count is atomic: results of one freed engine are released on several threads
 * at once, and whichever is last destroys the engine exactly once. */
Test(engine, results_of_a_freed_engine_released_on_threads) {
    idr_engine *eng = new_engine();
    idr_result *res[N_THREADS][PER_THREAD];
    for (size_t t = 0; t < N_THREADS; t++) {
        for (size_t i = 0; i < PER_THREAD; i++) {
            res[t][i] = score_case(eng);
        }
    }
    idr_engine_free(eng);
    pthread_t th[N_THREADS];
    for (size_t t = 0; t < N_THREADS; t++) {
        cr_assert_eq(pthread_create(&th[t], NULL, free_results, res[t]), 0);
    }
    for (size_t t = 0; t < N_THREADS; t++) {
        pthread_join(th[t], NULL);
    }
}
