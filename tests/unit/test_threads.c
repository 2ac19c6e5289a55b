/*
 * test_threads.c - eight threads score with one shared engine; every result must equal
 * the single-threaded one byte for byte (apart from evaluated_at). Run under the
 * sanitizer build too; TSan is available through IDR_SANITIZE=thread.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idrisk/idrisk.h"

#define N_THREADS 8
#define ROUNDS    25
#define MAX_FILES 64

static idr_engine *eng;
static char *inputs[MAX_FILES];
static char *expected[MAX_FILES];
static size_t n_inputs;

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) {
        s[n] = 0;
    }
    fclose(f);
    return s;
}

/* The result JSON up to "evaluated_at", which is the last member. */
static char *stable_json(const char *in) {
    idr_result *res = NULL;
    idr_error err;
    if (idr_engine_score_json(eng, in, strlen(in), &res, &err) != IDR_OK) {
        return NULL;
    }
    char *out = NULL;
    int rc = idr_result_to_json(res, &out, NULL, &err);
    idr_result_free(res);
    if (rc != IDR_OK) {
        return NULL;
    }
    char *cut = strstr(out, ",\"evaluated_at\"");
    if (cut) {
        *cut = 0;
    }
    char *copy = strdup(out);
    idr_free(out);
    return copy;
}

static void *worker(void *arg) {
    size_t mismatches = 0;
    size_t offset = (size_t)(uintptr_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t k = 0; k < n_inputs; k++) {
            size_t i = (k + offset) % n_inputs;
            char *got = stable_json(inputs[i]);
            if (!got || strcmp(got, expected[i]) != 0) {
                mismatches++;
            }
            free(got);
        }
    }
    return (void *)(uintptr_t)mismatches;
}

Test(threads, eight_threads_share_one_engine) {
    idr_config *cfg = NULL;
    idr_error err;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    const char *data = getenv("IDRISK_DATA_DIR");
    if (data && *data) {
        cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data, &err), IDR_OK);
    }
    cr_assert_eq(idr_engine_new(&eng, cfg, &err), IDR_OK, "%s", err.message);
    idr_config_free(cfg);

    DIR *d = opendir(IDR_TEST_SOURCE_DIR "/examples/candidates");
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n_inputs < MAX_FILES) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            char path[1024];
            snprintf(path, sizeof path, "%s/examples/candidates/%s", IDR_TEST_SOURCE_DIR,
                     e->d_name);
            inputs[n_inputs] = slurp(path);
            cr_assert_not_null(inputs[n_inputs]);
            expected[n_inputs] = stable_json(inputs[n_inputs]);
            cr_assert_not_null(expected[n_inputs], "%s does not score", e->d_name);
            n_inputs++;
        }
    }
    closedir(d);
    cr_assert_geq(n_inputs, 8, "expected at least eight example candidates");

    pthread_t t[N_THREADS];
    for (size_t i = 0; i < N_THREADS; i++) {
        cr_assert_eq(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i), 0);
    }
    size_t total = 0;
    for (size_t i = 0; i < N_THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        total += (size_t)(uintptr_t)ret;
    }
    cr_assert_eq(total, 0, "%zu results differed from the single-threaded ones", total);
    for (size_t i = 0; i < n_inputs; i++) {
        free(inputs[i]);
        free(expected[i]);
    }
    idr_engine_free(eng);
}
