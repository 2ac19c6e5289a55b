/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_batch_stream.c - a JSONL stream as `idrisk batch` gets it, scored linked against
 * a real store: the input is cut into lines as the batch reader cuts them
 * (tools/idrisk/batch.c, next_line and blank: '\n' ends a line, a last line without a
 * newline counts, a line of nothing but spaces, tabs and CRs is skipped, a CR before
 * the newline stays in the line), and each line is parsed for the store
 * (idr_candidate_from_json_for_store), scored linked with IDR_SCORE_RECORD
 * (idr_engine_score_linked: linked, then recorded) and written as result JSON. The CLI
 * is not linked; only its split is re-implemented here. Corpus:
 * tests/fuzz/corpus/batch_stream/, dictionary tests/fuzz/batch_stream.dict.
 *
 * The store is a real SQLite file in a temporary directory, opened once (in
 * LLVMFuzzerInitialize or on the first input) and kept for the whole run, so records
 * of earlier inputs link with later ones as in a batch. Every PURGE_EVERY inputs
 * idr_store_purge() deletes every recorded candidate, so the file stays small and
 * deletion runs too. The engine is the one of fuzz_score: $IDRISK_TEST_DATA_DIR, else
 * $IDRISK_DATA_DIR, else MaxMind's test databases; the lists are the repository's
 * data/.
 *
 * Checked beyond "no crash, no leak, no UB", trapping on the first violation:
 * - a line either scores or fails with a documented code: the parse with IDR_EINVAL or
 *   IDR_ELIMIT (no candidate), the linked score with IDR_EINVAL or IDR_ELIMIT (no
 *   result; IDR_EIO, IDR_EDATA, IDR_EBUSY would be the store failing on a private,
 *   local file and trap); a failure's message is non-empty and NUL-terminated;
 * - no link names the record itself, and every link has a kind and an indicator;
 * - the result JSON parses (cJSON), says the record's candidate_id, and its "links"
 *   has as many entries as idr_result_link_count() (when there is no
 *   "links_omitted"), each naming the same candidate as the accessor.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "idrisk/idrisk.h"

#ifndef IDR_SOURCE_DATA_DIR
    #error "fuzz_batch_stream.c needs IDR_SOURCE_DATA_DIR (link with idrisk_internal)"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "fuzz_batch_stream: invariant failed at line %d: %s\n",      \
                    __LINE__, #cond);                                                    \
            __builtin_trap();                                                            \
        }                                                                                \
    } while (0)

/* Inputs between two purges of the store. */
#define PURGE_EVERY 256

static idr_engine *eng;
static idr_store *st;
static char tmpdir[64], store_path[96];
static unsigned long inputs;
/* FUZZ_VERBOSE=1: one line per scored record with its number of links, to see that
 * the seeds link (stream-shared-identifiers.jsonl, edge-minimal.jsonl). */
static int verbose;

static int is_dir(const char *path) {
    struct stat sb;
    return path && path[0] && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The temporary store's files (the database, its key, WAL and shared memory). */
static void remove_store(void) {
    idr_store_free(st);
    st = NULL;
    static const char *const suffix[] = {"", ".key", "-wal", "-shm", "-journal"};
    char p[128];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", store_path, suffix[i]);
        unlink(p);
    }
    rmdir(tmpdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (eng) {
        return 0;
    }
    verbose = getenv("FUZZ_VERBOSE") && strcmp(getenv("FUZZ_VERBOSE"), "1") == 0;
    const char *dir = getenv("IDRISK_TEST_DATA_DIR");
    if (!is_dir(dir)) {
        dir = getenv("IDRISK_DATA_DIR");
    }
    if (!is_dir(dir)) {
        dir = IDR_SOURCE_DATA_DIR "/../tests/fixtures/maxmind";
    }
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    if (idr_config_new(&cfg) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR, dir, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_SOURCE_DATA_DIR, &err) != IDR_OK ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        fprintf(stderr, "fuzz_batch_stream: cannot build the engine over %s: %s\n", dir,
                err.message);
        abort();
    }
    idr_config_free(cfg);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/idrisk-fuzz-store-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("fuzz_batch_stream: mkdtemp");
        abort();
    }
    snprintf(store_path, sizeof store_path, "%s/store.db", tmpdir);
    if (idr_store_open(&st, store_path, NULL, IDR_STORE_CREATE, &err) != IDR_OK) {
        fprintf(stderr, "fuzz_batch_stream: cannot open the store %s: %s\n", store_path,
                err.message);
        abort();
    }
    atexit(remove_store);
    return 0;
}

static void check_error(int rc, const idr_error *err) {
    CHECK(rc == IDR_EINVAL || rc == IDR_ELIMIT);
    CHECK(memchr(err->message, '\0', sizeof err->message) != NULL);
    CHECK(err->message[0] != '\0');
    CHECK(memchr(err->field, '\0', sizeof err->field) != NULL);
}

static void check_result(const idr_result *res, const char *id) {
    const char *rid = idr_result_candidate_id(res);
    CHECK(rid != NULL && strcmp(rid, id) == 0);
    size_t nl = idr_result_link_count(res);
    for (size_t i = 0; i < nl; i++) {
        const idr_link_info *l = idr_result_link(res, i);
        CHECK(l != NULL && l->candidate_id && l->kind && l->indicator);
        CHECK(l->kind[0] && l->indicator[0] && l->candidate_id[0]);
        CHECK(strcmp(l->candidate_id, id) != 0); /* never linked to itself */
    }
    CHECK(idr_result_link(res, nl) == NULL);
    if (verbose) {
        fprintf(stderr, "fuzz_batch_stream: %s scored, %zu links\n", id, nl);
    }
    char *json = NULL;
    size_t len = 0;
    idr_error err;
    CHECK(idr_result_to_json(res, &json, &len, &err) == IDR_OK && json);
    CHECK(strlen(json) == len);
    cJSON *j = cJSON_ParseWithLength(json, len);
    CHECK(cJSON_IsObject(j));
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(j, "candidate_id");
    CHECK(cJSON_IsString(cid) && strcmp(cid->valuestring, id) == 0);
    const cJSON *links = cJSON_GetObjectItemCaseSensitive(j, "links");
    CHECK(cJSON_IsArray(links));
    if (!cJSON_GetObjectItemCaseSensitive(j, "links_omitted")) {
        CHECK((size_t)cJSON_GetArraySize(links) == nl);
    }
    size_t i = 0;
    for (const cJSON *e = links ? links->child : NULL; e && i < nl; e = e->next, i++) {
        const cJSON *lc = cJSON_GetObjectItemCaseSensitive(e, "candidate_id");
        CHECK(cJSON_IsString(lc) &&
              strcmp(lc->valuestring, idr_result_link(res, i)->candidate_id) == 0);
    }
    cJSON_Delete(j);
    idr_free(json);
}

/* One line as a batch worker handles it (phase 2 with --record semantics). */
static void one_line(const char *line, size_t len) {
    idr_candidate *c = NULL;
    idr_result *res = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_candidate_from_json_for_store(&c, eng, st, line, len, &err);
    if (rc != IDR_OK) {
        CHECK(c == NULL);
        check_error(rc, &err);
        return;
    }
    const char *id = idr_candidate_id(c);
    CHECK(id != NULL && id[0]);
    memset(&err, 0, sizeof err);
    rc = idr_engine_score_linked(eng, st, c, IDR_SCORE_RECORD, &res, &err);
    if (rc != IDR_OK) {
        CHECK(res == NULL);
        if (rc != IDR_EINVAL && rc != IDR_ELIMIT) {
            fprintf(stderr, "fuzz_batch_stream: the store failed (%d): %s\n", rc,
                    err.message);
        }
        check_error(rc, &err);
    } else {
        CHECK(res != NULL);
        check_result(res, id);
    }
    idr_result_free(res);
    idr_candidate_free(c);
}

/* tools/idrisk/batch.c's blank(): nothing but spaces, tabs and CRs. */
static int blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
            return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    LLVMFuzzerInitialize(NULL, NULL);
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!blank(p, n)) {
            /* the batch reader hands each line over NUL-terminated, in its own buffer */
            char *line = malloc(n + 1);
            CHECK(line != NULL);
            memcpy(line, p, n);
            line[n] = '\0';
            one_line(line, n);
            free(line);
        }
        p += n + (nl ? 1 : 0);
    }
    if (++inputs % PURGE_EVERY == 0) {
        unsigned long long removed = 0;
        idr_error err;
        CHECK(idr_store_purge(st, INT64_MAX, &removed, &err) == IDR_OK);
    }
    return 0;
}
