/* SPDX-License-Identifier: Apache-2.0 */
/*
 * threads_stress.c - eight threads score every example candidate with one shared
 * engine, and every result must equal the single-threaded one (apart from
 * evaluated_at). A plain program rather than a Criterion test so that it also runs
 * under ThreadSanitizer (Criterion's process arena cannot start under TSan):
 * tools/run-tests.sh builds it with -DIDR_SANITIZE=thread and runs it there.
 *
 *   threads_stress EXAMPLES_DIR [DATA_DIR]
 */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../env_config.h"
#include "idrisk/idrisk.h"

#define N_THREADS 8
#define ROUNDS    4
#define MAX_DOCS  64

static idr_engine *eng;
static char *docs[MAX_DOCS];
static char *expected[MAX_DOCS];
static size_t n_docs;

/* The result JSON without its last member, evaluated_at. */
static char *stable_json(const char *doc) {
    idr_result *res = NULL;
    idr_error err;
    if (idr_engine_score_json(eng, doc, strlen(doc), &res, &err) != IDR_OK) {
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
    char *copy = malloc(strlen(out) + 1);
    if (copy) {
        strcpy(copy, out);
    }
    idr_free(out);
    return copy;
}

static void *worker(void *arg) {
    size_t offset = (size_t)(uintptr_t)arg, bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t k = 0; k < n_docs; k++) {
            size_t i = (k + offset) % n_docs;
            char *got = stable_json(docs[i]);
            bad += !got || strcmp(got, expected[i]) != 0;
            free(got);
        }
    }
    return (void *)(uintptr_t)bad;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 16384;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got < 4096) {
            break;
        }
    }
    fclose(f);
    buf[n] = 0;
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: threads_stress EXAMPLES_DIR [DATA_DIR]\n");
        return 2;
    }
    idr_config *cfg = NULL;
    idr_error err;
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        (argc > 2 &&
         idr_config_set_str(cfg, IDR_CFG_DATA_DIR, argv[2], &err) != IDR_OK) ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        fprintf(stderr, "threads_stress: cannot build the engine\n");
        return 1;
    }
    idr_config_free(cfg);
    DIR *d = opendir(argv[1]);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n_docs < MAX_DOCS) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
            docs[n_docs] = slurp(path);
            expected[n_docs] = docs[n_docs] ? stable_json(docs[n_docs]) : NULL;
            if (!expected[n_docs]) {
                fprintf(stderr, "threads_stress: %s does not score\n", path);
                return 1;
            }
            n_docs++;
        }
    }
    if (d) {
        closedir(d);
    }
    pthread_t t[N_THREADS];
    for (size_t i = 0; i < N_THREADS; i++) {
        if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
            return 1;
        }
    }
    size_t bad = 0;
    for (size_t i = 0; i < N_THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        bad += (size_t)(uintptr_t)ret;
    }
    size_t total = (size_t)N_THREADS * ROUNDS * n_docs;
    for (size_t i = 0; i < n_docs; i++) {
        free(docs[i]);
        free(expected[i]);
    }
    idr_engine_free(eng);
    printf("%zu threads x %d rounds x %zu candidates: %zu results differed\n",
           (size_t)N_THREADS, ROUNDS, n_docs, bad);
    printf("%zu passed, %zu failed\n", total - bad, bad);
    return bad ? 1 : 0;
}
