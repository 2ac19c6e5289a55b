/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_bench.c - what the linkage store costs: records per second through
 * idr_store_record() (scoring included) and through idr__store_put() alone, links per
 * second on the filled store (idr__store_link() alone, and idr_engine_score_linked()),
 * and the file's size per 1,000 candidates shaped like the integration cases.
 *
 *   store_bench [N]     (N candidates, default 10000; the test runs it with 300)
 *
 * Exit status 0 when every call succeeded and the counts add up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "env_config.h"
#include "internal.h"
#include "store/store_fixture.h"
#include "store/store_int.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, const idr_error *err) {
    fprintf(stderr, "store_bench: %s: %s\n", what, err->message);
    return 1;
}

int main(int argc, char **argv) {
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 10000;
    if (n == 0) {
        n = 1;
    }
    char dir[] = "/tmp/idrisk-store-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/bench.db", dir);
    idr_error err = {0};
    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                           IDR_TEST_SOURCE_DIR "/data/rules/default.pack",
                           &err) != IDR_OK ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        return fail("engine", &err);
    }
    idr_config_free(cfg);
    idr_store *st = NULL;
    if (idr_store_open(&st, path, NULL, IDR_STORE_CREATE, &err) != IDR_OK) {
        return fail("open", &err);
    }
    int rc = 0;
    /* 1. the public recording path: parse, score alone, put */
    double t0 = now_s();
    for (unsigned i = 0; i < n && !rc; i++) {
        char *j = store_plain_candidate("bench", i);
        idr_candidate *c = NULL;
        if (idr_candidate_from_json_for_store(&c, eng, st, j, strlen(j), &err) !=
                IDR_OK ||
            idr_store_record(st, eng, c, &err) != IDR_OK) {
            rc = fail("record", &err);
        }
        idr_candidate_free(c);
        free(j);
    }
    double t_record = now_s() - t0;
    /* 2. the store's part alone: re-put the same candidates (replacing themselves),
     * parsed and enriched beforehand */
    unsigned m = n < 2000 ? n : 2000;
    idr_candidate **cs = calloc(m, sizeof *cs);
    idr__arena **as = calloc(m, sizeof *as);
    idr__enrichment *ens = calloc(m, sizeof *ens);
    for (unsigned i = 0; i < m && !rc; i++) {
        char *j = store_plain_candidate("bench", i * (n / m));
        as[i] = idr__arena_new(NULL, 4096);
        if (idr_candidate_from_json_for_store(&cs[i], eng, st, j, strlen(j), &err) !=
                IDR_OK ||
            idr__enrich(&eng->mods, cs[i], as[i], &ens[i]) != IDR_OK) {
            rc = fail("prepare", &err);
        }
        free(j);
    }
    idr__standalone sa = {5, IDR_ACTION_NONE, ""};
    t0 = now_s();
    for (unsigned i = 0; i < m && !rc; i++) {
        if (idr__store_put(st, NULL, cs[i], &ens[i], &sa, (int64_t)time(NULL), &err) !=
            IDR_OK) {
            rc = fail("put", &err);
        }
    }
    double t_put = now_s() - t0;
    /* 3. linking alone, and scoring linked */
    size_t links = 0;
    t0 = now_s();
    for (unsigned i = 0; i < m && !rc; i++) {
        idr__links l;
        if (idr__store_link(st, cs[i], &ens[i], as[i], &l, &err) != IDR_OK) {
            rc = fail("link", &err);
        }
        links += l.n;
    }
    double t_link = now_s() - t0;
    t0 = now_s();
    for (unsigned i = 0; i < m && !rc; i++) {
        idr_result *res = NULL;
        if (idr_engine_score_linked(eng, st, cs[i], 0, &res, &err) != IDR_OK) {
            rc = fail("score linked", &err);
        }
        idr_result_free(res);
    }
    double t_scored = now_s() - t0;
    for (unsigned i = 0; i < m; i++) {
        idr_candidate_free(cs[i]);
        idr__arena_free(as[i]);
    }
    free(cs), free(as), free(ens);
    /* 4. size, after a checkpoint folded the WAL in */
    int found = 0;
    if (!rc && idr_store_forget(st, "no-such-candidate", &found, &err) != IDR_OK) {
        rc = fail("checkpoint", &err);
    }
    char *stats = NULL;
    if (!rc && idr_store_stats_json(st, &stats, &err) != IDR_OK) {
        rc = fail("stats", &err);
    }
    struct stat sb;
    long long bytes = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
    if (!rc) {
        printf("candidates: %u (as the integration cases: residence, email, phone, "
               "document, account, shipment, 3 sessions)\n",
               n);
        printf("record (idr_store_record, scoring included): %.0f records/s\n",
               n / t_record);
        printf("put alone (idr__store_put, one transaction each): %.0f records/s\n",
               m / t_put);
        printf("link alone (idr__store_link) on %u candidates: %.0f records/s "
               "(%zu links)\n",
               n, m / t_link, links);
        printf("score linked (idr_engine_score_linked): %.0f records/s\n", m / t_scored);
        printf("file: %lld bytes, %.0f bytes per 1,000 candidates\n", bytes,
               bytes * 1000.0 / n);
        printf("stats: %s\n", stats);
        if (!strstr(stats, "\"candidates\":") || links != 0) {
            /* distinct candidates share nothing: any link is a bug */
            fprintf(stderr, "store_bench: unexpected stats or links\n");
            rc = 1;
        }
    }
    idr_free(stats);
    idr_store_free(st);
    idr_engine_free(eng);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        rc = 1;
    }
    return rc;
}
