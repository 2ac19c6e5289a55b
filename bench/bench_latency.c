/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_latency.c - engine build time and the latency of one warm in-process score.
 * Prints numbers; asserts nothing (performance is never a test verdict). bench/run.py
 * runs it and parses its output.
 *
 *   bench_latency [--data-dir DIR] [--verify-data full|size|off] [--builds K]
 *                 [--in RECORDS.jsonl] [--records M] [--calls N]
 *
 * 1. Builds and frees the engine K times (default 5) and prints the time of one build
 *    (min, median, max). The first build also pays for reading the files from disk
 *    when they are not in the page cache; the min is the warm figure.
 * 2. With --in: scores the first M records (default 1000) once to warm the caches,
 *    then N single calls (default 100,000) cycling through them, on one thread, each
 *    timed on its own with CLOCK_MONOTONIC; prints p50, p99 and max of
 *    idr_engine_score_json alone and of score + idr_result_to_json. Then N more calls
 *    of idr_engine_score_json timed on the thread's CPU clock (op=score_json_cpu),
 *    which leaves out the time another process held the core. --calls 0 skips it.
 *
 * Output: one line per measurement, "key value" pairs after a tag, e.g.
 *   build verify=off builds=5 min_ms=310.2 median_ms=320.4 max_ms=401.9
 *   latency op=score_json records=1000 calls=100000 p50_us=... p99_us=... max_us=...
 * mean_us=... DATA_DIR defaults to $IDRISK_DATA_DIR and the lists to $IDRISK_LISTS_DIR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/env_config.h"
#include "idrisk/idrisk.h"

static double clock_us(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of sorted samples, nearest rank (q in [0, 1]). */
static double quantile(const double *s, size_t n, double q) {
    size_t i = (size_t)(q * (double)n);
    return s[i < n ? i : n - 1];
}

static int build(idr_engine **eng, const char *data, const char *verify) {
    idr_config *cfg = NULL;
    idr_error err = {0};
    int rc = idr_config_new(&cfg);
    if (rc == IDR_OK) {
        rc = test_config_from_env(cfg, &err);
    }
    if (rc == IDR_OK && data) {
        rc = idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data, &err);
    }
    if (rc == IDR_OK) {
        rc = idr_config_set_str(cfg, IDR_CFG_VERIFY_DATA, verify, &err);
    }
    if (rc == IDR_OK) {
        rc = idr_engine_new(eng, cfg, &err);
    }
    idr_config_free(cfg);
    if (rc != IDR_OK) {
        fprintf(stderr, "bench_latency: cannot build the engine: %s\n", err.message);
    }
    return rc;
}

/* Read the first `max` non-blank lines of a JSONL file into one buffer; lines[i] points
 * into it (newline replaced by NUL). Returns the count, 0 on failure. */
static size_t
read_lines(const char *path, size_t max, char **buf, char ***lines, size_t **lens) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 0;
    }
    size_t cap = 1 << 20, used = 0, n = 0;
    char *b = malloc(cap);
    char **ls = calloc(max, sizeof *ls);
    size_t *ln = calloc(max, sizeof *ln);
    size_t *offs = calloc(max, sizeof *offs);
    char line[1 << 16];
    if (!b || !ls || !ln || !offs) {
        fclose(f);
        return 0;
    }
    while (n < max && fgets(line, sizeof line, f)) {
        size_t l = strlen(line);
        if (l > 0 && line[l - 1] != '\n' && !feof(f)) {
            fprintf(stderr, "bench_latency: a line of %s is over 64 KiB\n", path);
            fclose(f);
            return 0;
        }
        while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r')) {
            l--;
        }
        if (l == 0) {
            continue;
        }
        if (used + l + 1 > cap) {
            while (used + l + 1 > cap) {
                cap *= 2;
            }
            char *nb = realloc(b, cap);
            if (!nb) {
                fclose(f);
                return 0;
            }
            b = nb;
        }
        memcpy(b + used, line, l);
        b[used + l] = 0;
        offs[n] = used;
        ln[n] = l;
        used += l + 1;
        n++;
    }
    fclose(f);
    for (size_t i = 0; i < n; i++) {
        ls[i] = b + offs[i];
    }
    free(offs);
    *buf = b;
    *lines = ls;
    *lens = ln;
    return n;
}

static void report(const char *op, size_t records, double *s, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += s[i];
    }
    qsort(s, n, sizeof *s, cmp_double);
    printf("latency op=%s records=%zu calls=%zu p50_us=%.2f p90_us=%.2f p99_us=%.2f "
           "max_us=%.2f mean_us=%.2f\n",
           op, records, n, quantile(s, n, 0.50), quantile(s, n, 0.90),
           quantile(s, n, 0.99), s[n - 1], sum / (double)n);
}

int main(int argc, char **argv) {
    const char *data = getenv("IDRISK_DATA_DIR");
    const char *verify = "off";
    const char *in = NULL;
    long builds = 5, records = 1000, calls = 100000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "bench_latency: %s needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--data-dir") == 0) {
            data = v;
        } else if (strcmp(a, "--verify-data") == 0) {
            verify = v;
        } else if (strcmp(a, "--in") == 0) {
            in = v;
        } else if (strcmp(a, "--builds") == 0) {
            builds = atol(v);
        } else if (strcmp(a, "--records") == 0) {
            records = atol(v);
        } else if (strcmp(a, "--calls") == 0) {
            calls = atol(v);
        } else {
            fprintf(stderr, "bench_latency: unknown option %s\n", a);
            return 2;
        }
        i++;
    }
    if (builds < 1 || records < 1 || calls < 0) {
        fprintf(stderr, "bench_latency: --builds and --records take a positive count\n");
        return 2;
    }

    double *bt = calloc((size_t)builds, sizeof *bt);
    if (!bt) {
        return 1;
    }
    idr_engine *eng = NULL;
    for (long k = 0; k < builds; k++) {
        double t0 = now_us();
        if (build(&eng, data, verify) != IDR_OK) {
            return 1;
        }
        bt[k] = (now_us() - t0) / 1e3;
        if (k + 1 < builds) {
            idr_engine_free(eng);
            eng = NULL;
        }
    }
    qsort(bt, (size_t)builds, sizeof *bt, cmp_double);
    printf("build verify=%s builds=%ld min_ms=%.2f median_ms=%.2f max_ms=%.2f\n", verify,
           builds, bt[0], quantile(bt, (size_t)builds, 0.5), bt[builds - 1]);
    free(bt);

    if (in && calls > 0) {
        char *buf = NULL, **lines = NULL;
        size_t *lens = NULL;
        size_t m = read_lines(in, (size_t)records, &buf, &lines, &lens);
        double *s_score = calloc((size_t)calls, sizeof(double));
        double *s_json = calloc((size_t)calls, sizeof(double));
        if (m == 0 || !s_score || !s_json) {
            fprintf(stderr, "bench_latency: no records from %s\n", in);
            return 1;
        }
        idr_error err = {0};
        for (long i = 0; i < calls + (long)m; i++) {
            size_t j = (size_t)i % m;
            idr_result *r = NULL;
            char *out = NULL;
            double t0 = now_us();
            int rc = idr_engine_score_json(eng, lines[j], lens[j], &r, &err);
            double t1 = now_us();
            if (rc == IDR_OK) {
                rc = idr_result_to_json(r, &out, NULL, &err);
            }
            double t2 = now_us();
            if (rc != IDR_OK) {
                fprintf(stderr, "bench_latency: record %zu: %s\n", j + 1, err.message);
                return 1;
            }
            idr_free(out);
            idr_result_free(r);
            /* the first pass over the records only warms the caches */
            if (i >= (long)m) {
                s_score[i - (long)m] = t1 - t0;
                s_json[i - (long)m] = t2 - t0;
            }
        }
        report("score_json", m, s_score, (size_t)calls);
        report("score_json+to_json", m, s_json, (size_t)calls);
        /* The same calls timed on the thread's CPU clock: time the thread was not
         * running (another process on a busy machine) is left out, which the wall
         * clock above cannot do. A separate pass, because reading this clock is a
         * system call that would weigh on the wall-clock samples. */
        for (long i = 0; i < calls; i++) {
            size_t j = (size_t)i % m;
            idr_result *r = NULL;
            double t0 = clock_us(CLOCK_THREAD_CPUTIME_ID);
            int rc = idr_engine_score_json(eng, lines[j], lens[j], &r, &err);
            double t1 = clock_us(CLOCK_THREAD_CPUTIME_ID);
            if (rc != IDR_OK) {
                fprintf(stderr, "bench_latency: record %zu: %s\n", j + 1, err.message);
                return 1;
            }
            idr_result_free(r);
            s_score[i] = t1 - t0;
        }
        report("score_json_cpu", m, s_score, (size_t)calls);
        free(s_score);
        free(s_json);
        free(lines);
        free(lens);
        free(buf);
    }
    idr_engine_free(eng);
    return 0;
}
