/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_build.c - engine build time: idr_engine_new + idr_engine_free over the same
 * data, the first build (a fresh process: ICU, libphonenumber and the page cache's
 * state as `idrisk score` meets them) and then N more, with data verification off
 * (hashing the fetched files is measured elsewhere). Prints numbers; asserts nothing.
 *
 *   bench_build [DATA_DIR] [N]
 * DATA_DIR defaults to $IDRISK_DATA_DIR; the lists directory is $IDRISK_LISTS_DIR or
 * the source tree's data/. With the gazetteer .idx files present (`idrisk data index`)
 * the gazetteers are mapped, otherwise parsed from their TSV files.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/env_config.h"
#include "idrisk/idrisk.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : getenv("IDRISK_DATA_DIR");
    int n = argc > 2 ? atoi(argv[2]) : 20;
    if (!dir || !*dir || n < 1 || n > 10000) {
        fprintf(stderr, "usage: bench_build DATA_DIR [N]\n");
        return 2;
    }
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR, dir, &err) != IDR_OK ||
        idr_config_set_by_name(cfg, "verify_data", "off", &err) != IDR_OK) {
        fprintf(stderr, "bench_build: config: %s\n", err.message);
        return 1;
    }
    const char *lists = getenv("IDRISK_LISTS_DIR");
    if ((!lists || !*lists) &&
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_BENCH_SOURCE_DIR "/data", &err) !=
            IDR_OK) {
        fprintf(stderr, "bench_build: config: %s\n", err.message);
        return 1;
    }
    double *wall = calloc((size_t)n + 1, sizeof *wall);
    double cpu_total = 0, cpu_first = 0;
    for (int i = 0; i <= n && wall; i++) {
        idr_engine *eng = NULL;
        double t0 = now_ms(), c0 = cpu_ms();
        int rc = idr_engine_new(&eng, cfg, &err);
        idr_engine_free(eng);
        wall[i] = now_ms() - t0;
        if (i > 0) {
            cpu_total += cpu_ms() - c0;
        } else {
            cpu_first = cpu_ms() - c0;
        }
        if (rc != IDR_OK) {
            fprintf(stderr, "bench_build: engine: %s\n", err.message);
            return 1;
        }
    }
    idr_config_free(cfg);
    if (!wall) {
        return 1;
    }
    double first = wall[0];
    qsort(wall + 1, (size_t)n, sizeof *wall, cmp_d);
    printf("engine build (verify off), data %s\n", dir);
    printf("  first build in the process: %.1f ms wall, %.1f ms CPU\n", first, cpu_first);
    printf("  next %d builds: median %.1f ms, min %.1f ms, max %.1f ms wall; %.1f ms CPU "
           "each\n",
           n, wall[1 + n / 2], wall[1], wall[n], cpu_total / n);
    free(wall);
    return 0;
}
