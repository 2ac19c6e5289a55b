/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_score.c - end-to-end scoring throughput on one core: parse + enrich + all
 * indicators + result JSON, over the example candidates repeated. Prints numbers;
 * asserts nothing (performance is never a test verdict).
 *
 *   bench_score [DATA_DIR] [SECONDS]
 * DATA_DIR defaults to $IDRISK_DATA_DIR; without databases the network and phone paths
 * are skipped, so compare runs with the same data only.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/env_config.h"
#include "idrisk/idrisk.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
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
        *len = (size_t)n;
    }
    fclose(f);
    return s;
}

int main(int argc, char **argv) {
    const char *data = argc > 1 ? argv[1] : getenv("IDRISK_DATA_DIR");
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_error err;
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        (data && idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data, &err) != IDR_OK) ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        fprintf(stderr, "bench_score: cannot build the engine: %s\n", err.message);
        return 1;
    }
    idr_config_free(cfg);
    char *docs[64];
    size_t lens[64], n = 0, bytes = 0;
    DIR *d = opendir(IDR_BENCH_SOURCE_DIR "/examples/candidates");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < 64) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
            char path[1024];
            snprintf(path, sizeof path, IDR_BENCH_SOURCE_DIR "/examples/candidates/%s",
                     e->d_name);
            if ((docs[n] = slurp(path, &lens[n])) != NULL) {
                bytes += lens[n];
                n++;
            }
        }
    }
    if (d) {
        closedir(d);
    }
    if (n == 0) {
        fprintf(stderr, "bench_score: no examples\n");
        return 1;
    }
    /* Parse only, then parse + score, then parse + score + to_json. */
    const char *labels[3] = {"parse+free", "parse+score", "parse+score+json"};
    for (int mode = 0; mode < 3; mode++) {
        size_t done = 0;
        double t0 = now_s(), t;
        do {
            for (size_t i = 0; i < n; i++) {
                idr_candidate *c = NULL;
                idr_result *r = NULL;
                if (idr_candidate_from_json(&c, eng, docs[i], lens[i], &err) != IDR_OK) {
                    fprintf(stderr, "bench_score: %s\n", err.message);
                    return 1;
                }
                if (mode > 0 && idr_engine_score(eng, c, &r, &err) != IDR_OK) {
                    return 1;
                }
                if (mode > 1) {
                    char *out = NULL;
                    if (idr_result_to_json(r, &out, NULL, &err) != IDR_OK) {
                        return 1;
                    }
                    idr_free(out);
                }
                idr_result_free(r);
                idr_candidate_free(c);
            }
            done += n;
            t = now_s() - t0;
        } while (t < seconds);
        printf("%-18s %9.0f records/s  %7.2f us/record  (%zu examples, mean %zu bytes)\n",
               labels[mode], (double)done / t, t / (double)done * 1e6, n, bytes / n);
    }
    for (size_t i = 0; i < n; i++) {
        free(docs[i]);
    }
    idr_engine_free(eng);
    return 0;
}
