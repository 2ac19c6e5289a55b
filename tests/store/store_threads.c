/*
 * store_threads.c - four threads on one idr_store at once: each scores candidates
 * linked with IDR_SCORE_RECORD (link, record), reads the statistics and forgets every
 * fifth record. A plain program (not Criterion) so that it also runs under
 * ThreadSanitizer (label "tsan"). Exit status 0 when every call succeeded and the
 * store holds exactly what should remain.
 *
 *   store_threads     (IDRISK_DATA_DIR / IDRISK_LISTS_DIR as for the unit tests)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env_config.h"
#include "idrisk/idrisk.h"
#include "store/store_fixture.h"

enum { THREADS = 4, PER_THREAD = 30 };

typedef struct arg {
    idr_engine *eng;
    idr_store *st;
    int id;
    int failures;
    char msg[256];
} arg;

static void *run(void *p) {
    arg *t = p;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "t%d", t->id);
    for (unsigned i = 0; i < PER_THREAD; i++) {
        char *j = store_plain_candidate(prefix, i);
        idr_result *res = NULL;
        idr_error err = {0};
        int rc = idr_engine_score_json_linked(t->eng, t->st, j, strlen(j),
                                              IDR_SCORE_RECORD, &res, &err);
        idr_result_free(res);
        free(j);
        char *stats = NULL;
        if (rc == IDR_OK) {
            rc = idr_store_stats_json(t->st, &stats, &err);
            idr_free(stats);
        }
        if (rc == IDR_OK && i % 5 == 0) {
            char id[32];
            snprintf(id, sizeof id, "%s-%u", prefix, i);
            int found = 0;
            rc = idr_store_forget(t->st, id, &found, &err);
            if (rc == IDR_OK && !found) {
                snprintf(err.message, sizeof err.message, "%s was not found", id);
                rc = IDR_EINTERNAL;
            }
        }
        if (rc != IDR_OK) {
            t->failures++;
            snprintf(t->msg, sizeof t->msg, "%s", err.message);
        }
    }
    return NULL;
}

int main(void) {
    char dir[] = "/tmp/idrisk-store-threads-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/threads.db", dir);
    idr_error err = {0};
    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_store *st = NULL;
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                           IDR_TEST_SOURCE_DIR "/data/rules/default.pack",
                           &err) != IDR_OK ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK ||
        idr_store_open(&st, path, NULL, IDR_STORE_CREATE, &err) != IDR_OK) {
        fprintf(stderr, "store_threads: setup: %s\n", err.message);
        return 1;
    }
    idr_config_free(cfg);
    pthread_t th[THREADS];
    arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (arg){eng, st, i, 0, ""};
        if (pthread_create(&th[i], NULL, run, &args[i]) != 0) {
            return 1;
        }
    }
    int rc = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (args[i].failures) {
            fprintf(stderr, "store_threads: thread %d: %d failures, last: %s\n", i,
                    args[i].failures, args[i].msg);
            rc = 1;
        }
    }
    char *stats = NULL;
    if (idr_store_stats_json(st, &stats, &err) != IDR_OK) {
        rc = 1;
    } else {
        char want[64];
        snprintf(want, sizeof want, "\"candidates\":%d",
                 THREADS * (PER_THREAD - PER_THREAD / 5));
        if (!strstr(stats, want)) {
            fprintf(stderr, "store_threads: expected %s in %s\n", want, stats);
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
    if (rc == 0) {
        printf("store_threads: %d threads x %d records on one store: ok\n", THREADS,
               PER_THREAD);
    }
    return rc;
}
