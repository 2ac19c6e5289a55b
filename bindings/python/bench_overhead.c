/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_overhead.c - the C side of the Python binding's overhead measurement: the same
 * calls Engine.score() makes (idr_engine_score_json, idr_result_to_json, the frees), in
 * a loop on one record. tests/test_overhead.py compiles and runs it and compares with
 * the Python loop. Prints CPU microseconds per call (CPU time, not wall time, so that
 * other load on the machine does not count); asserts nothing.
 *
 *   bench_overhead RECORD.json DATA_DIR ITERATIONS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <idrisk/idrisk.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: bench_overhead RECORD.json DATA_DIR ITERATIONS\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    long iters = atol(argv[3]);

    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_error err = {0};
    /* The lists the binding's Engine uses: it reads IDRISK_LISTS_DIR (the library
     * reads no environment), so this side does the same. */
    const char *lists = getenv("IDRISK_LISTS_DIR");
    if (idr_config_new(&cfg) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR, argv[2], &err) != IDR_OK ||
        (lists && *lists &&
         idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, lists, &err) != IDR_OK) ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        fprintf(stderr, "bench_overhead: %s\n", err.message);
        return 1;
    }
    idr_config_free(cfg);

    double t0 = now_s();
    for (long i = 0; i < iters; i++) {
        idr_result *res = NULL;
        char *out = NULL;
        size_t out_len = 0;
        if (idr_engine_score_json(eng, buf, len, &res, &err) != IDR_OK ||
            idr_result_to_json(res, &out, &out_len, &err) != IDR_OK) {
            fprintf(stderr, "bench_overhead: %s: %s\n", err.field, err.message);
            return 1;
        }
        idr_free(out);
        idr_result_free(res);
    }
    double t1 = now_s();
    printf("%.3f\n", (t1 - t0) / (double)iters * 1e6);
    idr_engine_free(eng);
    return 0;
}
