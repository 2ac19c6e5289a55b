/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_threads.c - eight threads on one engine and one idr_store at once, each on its
 * own candidates, mixing every way in: score linked and record (IDR_SCORE_RECORD),
 * record (idr_store_record) then score linked, score linked without recording, record
 * then forget, and the statistics. A plain program (not Criterion) so that it also
 * runs under ThreadSanitizer (label "tsan").
 *
 * Thread t's candidate i is "t<t>-<i>"; its SSN, document, phone, addresses and IPs
 * derive from i alone (store_plain_candidate), so it shares them with candidate i of
 * every other thread. Checks: every call succeeds; every result names its own
 * candidate, has a sane score, band and action, and links only to candidates with the
 * same i from other threads (never itself, never another i); at the end the store holds
 * exactly the candidates recorded and not forgotten, and a probe scored linked for each
 * i links to exactly those. Exit status 0 when all hold.
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

enum { THREADS = 8, PER_THREAD = 16 };

/* What happens to candidate i (by i % 4); the first two leave it in the store. */
enum { SCORE_RECORD, RECORD_THEN_SCORE, SCORE_ONLY, RECORD_THEN_FORGET };

static int kept(unsigned i) {
    return i % 4 == SCORE_RECORD || i % 4 == RECORD_THEN_SCORE;
}

typedef struct arg {
    idr_engine *eng;
    idr_store *st;
    int id;
    int failures;
    char msg[256];
} arg;

/* A result for candidate `want` (index i) is sane: its own id, a score in 0..100, band
 * and action that agree, and links only to "t<other>-<i>". Returns a message or NULL. */
static const char *
insane(const idr_result *res, const char *want, unsigned i, char *buf, size_t n) {
    const char *id = idr_result_candidate_id(res);
    int score = idr_result_score(res);
    idr_band band = idr_result_band_code(res);
    idr_action action = idr_result_action_code(res);
    if (!id || strcmp(id, want) != 0) {
        snprintf(buf, n, "result for %s names %s", want, id ? id : "(null)");
        return buf;
    }
    if (score < 0 || score > 100 ||
        action != (band == IDR_BAND_CRITICAL ? IDR_ACTION_ESCALATE
                   : band == IDR_BAND_LOW    ? IDR_ACTION_NONE
                                             : IDR_ACTION_VERIFY)) {
        snprintf(buf, n, "%s: score %d, band %d, action %d", want, score, (int)band,
                 (int)action);
        return buf;
    }
    for (size_t k = 0; k < idr_result_link_count(res); k++) {
        const idr_link_info *l = idr_result_link(res, k);
        unsigned t = 0, li = 0;
        char tail = 0;
        if (!l || sscanf(l->candidate_id, "t%u-%u%c", &t, &li, &tail) != 2 || li != i ||
            strcmp(l->candidate_id, want) == 0) {
            snprintf(buf, n, "%s links to %s by %s", want, l ? l->candidate_id : "(null)",
                     l ? l->kind : "?");
            return buf;
        }
    }
    return NULL;
}

static int
one(arg *t, unsigned i, const char *prefix, idr_error *err, char *why, size_t n) {
    char id[32];
    snprintf(id, sizeof id, "%s-%u", prefix, i);
    char *j = store_plain_candidate(prefix, i);
    idr_candidate *cand = NULL;
    idr_result *res = NULL;
    int rc = j ? IDR_OK : IDR_ENOMEM;
    switch (i % 4) {
    case SCORE_RECORD:
    case RECORD_THEN_FORGET:
        if (rc == IDR_OK) {
            rc = idr_engine_score_json_linked(t->eng, t->st, j, strlen(j),
                                              IDR_SCORE_RECORD, &res, err);
        }
        break;
    case RECORD_THEN_SCORE:
    case SCORE_ONLY:
        if (rc == IDR_OK) {
            rc = idr_candidate_from_json_for_store(&cand, t->eng, t->st, j, strlen(j),
                                                   err);
        }
        if (rc == IDR_OK && i % 4 == RECORD_THEN_SCORE) {
            rc = idr_store_record(t->st, t->eng, cand, err);
        }
        if (rc == IDR_OK) {
            rc = idr_engine_score_linked(t->eng, t->st, cand, 0, &res, err);
        }
        break;
    }
    free(j);
    idr_candidate_free(cand);
    if (rc == IDR_OK) {
        const char *bad = insane(res, id, i, why, n);
        if (bad) {
            rc = IDR_EINTERNAL;
            snprintf(err->message, sizeof err->message, "%s", bad);
        }
    }
    idr_result_free(res);
    if (rc == IDR_OK && i % 4 == RECORD_THEN_FORGET) {
        int found = 0;
        rc = idr_store_forget(t->st, id, &found, err);
        if (rc == IDR_OK && !found) {
            snprintf(err->message, sizeof err->message, "%s was not found", id);
            rc = IDR_EINTERNAL;
        }
    }
    if (rc == IDR_OK && i % 3 == 0) {
        char *stats = NULL;
        rc = idr_store_stats_json(t->st, &stats, err);
        idr_free(stats);
    }
    return rc;
}

static void *run(void *p) {
    arg *t = p;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "t%d", t->id);
    char why[256];
    for (unsigned i = 0; i < PER_THREAD; i++) {
        idr_error err = {0};
        if (one(t, i, prefix, &err, why, sizeof why) != IDR_OK) {
            t->failures++;
            snprintf(t->msg, sizeof t->msg, "%s", err.message);
        }
    }
    return NULL;
}

/* After the threads: candidate i of every thread is in the store iff kept(i); a probe
 * sharing i's identifiers links to exactly those. */
static int probe(idr_engine *eng, idr_store *st) {
    int bad = 0;
    for (unsigned i = 0; i < PER_THREAD; i++) {
        char *j = store_plain_candidate("probe", i);
        idr_result *res = NULL;
        idr_error err = {0};
        if (!j || idr_engine_score_json_linked(eng, st, j, strlen(j), 0, &res, &err) !=
                      IDR_OK) {
            fprintf(stderr, "store_threads: probe %u: %s\n", i, err.message);
            free(j);
            return 1;
        }
        free(j);
        unsigned seen = 0; /* bit t: linked to "t<t>-<i>" */
        for (size_t k = 0; k < idr_result_link_count(res); k++) {
            unsigned t = 0, li = 0;
            if (sscanf(idr_result_link(res, k)->candidate_id, "t%u-%u", &t, &li) != 2 ||
                li != i || t >= THREADS) {
                fprintf(stderr, "store_threads: probe %u links to %s\n", i,
                        idr_result_link(res, k)->candidate_id);
                bad = 1;
            } else {
                seen |= 1u << t;
            }
        }
        unsigned want = kept(i) ? (1u << THREADS) - 1 : 0;
        if (seen != want) {
            fprintf(stderr, "store_threads: probe %u linked to threads %#x, want %#x\n",
                    i, seen, want);
            bad = 1;
        }
        idr_result_free(res);
    }
    return bad;
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
        int n = 0;
        for (unsigned i = 0; i < PER_THREAD; i++) {
            n += kept(i);
        }
        snprintf(want, sizeof want, "\"candidates\":%d", THREADS * n);
        if (!strstr(stats, want)) {
            fprintf(stderr, "store_threads: expected %s in %s\n", want, stats);
            rc = 1;
        }
    }
    idr_free(stats);
    rc |= probe(eng, st);
    idr_store_free(st);
    idr_engine_free(eng);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        rc = 1;
    }
    if (rc == 0) {
        printf("store_threads: %d threads x %d records on one engine and store: ok\n",
               THREADS, PER_THREAD);
    }
    return rc;
}
