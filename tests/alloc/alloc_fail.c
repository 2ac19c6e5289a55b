/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alloc_fail.c - allocation-failure injection through the whole pipeline (issue 9
 * item 2). A counting allocator (idr_config_set_allocator) fails the Nth allocation,
 * for N = 1, 2, ... through engine build (the repo's rule pack and lists, the
 * tests/fixtures MaxMind databases), parsing an example candidate, scoring,
 * idr_result_to_json, idr_engine_describe_json and idr_engine_lookup_ip, until a run
 * needs fewer than N allocations, i.e. every allocation site on the path has failed once.
 * Two modes: the Nth and every later allocation fail ("sticky", like a heap that is
 * full), or only the Nth ("once", which tests that a caller does not reuse a failed
 * step's state). Each step must return IDR_OK or IDR_ENOMEM; when an injected failure
 * happened during a step, the step must not return IDR_OK (no swallowed out-of-memory);
 * after each step's objects are freed, every block the allocator handed out must be back
 * (no leak; LeakSanitizer also checks the C library's side under ASan).
 *
 * The per-record steps reuse one engine built with the same allocator (its failure
 * point moved past the build), so the loop does not rebuild the engine for every N.
 *
 * The store steps (issue 9 item 2) run on a real SQLite store in a temporary
 * directory, with the same engine: for every example, a "twin" (the same record under
 * another candidate_id) is recorded first without failures, so that linking the record
 * finds links of every kind it has; then, failing the Nth allocation: parse for the
 * store, idr_store_record, idr_engine_score_linked without and with IDR_SCORE_RECORD,
 * idr_result_to_json of each linked result. A linked result that succeeds must be the
 * one a run without failures gives (score, reasons, links, and "links" in its JSON:
 * never a result that looks unlinked), and after every step the file must pass
 * PRAGMA integrity_check (read on a connection of the test's own). SQLite keeps the C
 * library's allocator (docs/memory.md), so the failures are the library's own.
 *
 * Usage: alloc_fail SOURCE_DIR   (data/, tests/fixtures/maxmind, examples/candidates)
 * The per-record steps run for every example candidate, laptop-farm-rescore first.
 */
#define _GNU_SOURCE /* mkdtemp, symlink */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "idrisk/idrisk.h"

typedef struct counter {
    long count;   /* allocations asked for so far (malloc and realloc) */
    long fail_at; /* 0: never fail */
    bool once;    /* fail only the fail_at'th, else that one and every later one */
    long failed;  /* failures injected */
    long live;    /* blocks handed out and not freed */
} counter;

/* A header keeps the block count honest for realloc; max_align_t keeps the payload
 * aligned as malloc's is. */
typedef union hdr {
    size_t n;
    max_align_t align;
} hdr;

/* The step being run, for debugging a finding: in gdb, `break injected if
 * cur_n == 5 && cur_once` stops at the allocation that step fails. */
static volatile long cur_n;
static volatile bool cur_once;

__attribute__((noinline)) static void injected(void) {
    __asm__ volatile("" ::: "memory");
}

static bool inject(counter *c) {
    c->count++;
    if (c->fail_at > 0 &&
        (c->count == c->fail_at || (!c->once && c->count > c->fail_at))) {
        c->failed++;
        injected();
        return true;
    }
    return false;
}

static void *c_malloc(void *ctx, size_t n) {
    counter *c = ctx;
    if (inject(c) || n > SIZE_MAX - sizeof(hdr)) {
        return NULL;
    }
    hdr *h = malloc(sizeof(hdr) + n);
    if (!h) {
        return NULL;
    }
    h->n = n;
    c->live++;
    return h + 1;
}

static void *c_realloc(void *ctx, void *p, size_t n) {
    counter *c = ctx;
    if (!p) {
        return c_malloc(ctx, n);
    }
    if (inject(c) || n > SIZE_MAX - sizeof(hdr)) {
        return NULL;
    }
    hdr *h = realloc((hdr *)p - 1, sizeof(hdr) + n);
    if (!h) {
        return NULL;
    }
    h->n = n;
    return h + 1;
}

static void c_free(void *ctx, void *p) {
    counter *c = ctx;
    if (!p) {
        fprintf(stderr, "free(NULL) reached the allocator\n");
        abort();
    }
    c->live--;
    free((hdr *)p - 1);
}

static const char *src_dir;
static char *record;
static size_t record_len;
static int problems;

/* `what` with a return code (rc != 0) or a count of leaked blocks (leaked != 0). */
static void problem(
    const char *mode, long n, const char *step, const char *what, int rc, long leaked) {
    if (leaked) {
        fprintf(stderr, "[%s N=%ld] %s: %s: %ld blocks\n", mode, n, step, what, leaked);
    } else {
        fprintf(stderr, "[%s N=%ld] %s: %s (%d, %s)\n", mode, n, step, what, rc,
                idr_strerror(rc));
    }
    problems++;
}

/* A small data directory in /tmp: the tests/fixtures MaxMind databases (symbolic
 * links) plus a few lines of each gazetteer and fetched list, so that their loaders are
 * in the loop too (the fetched data is 150 MB: far too slow to load hundreds of times).
 */
static char data_dir[64];
static char made[16][4200];
static size_t n_made;

static void put(const char *rel, const char *text) {
    snprintf(made[n_made], sizeof made[0], "%s/%s", data_dir, rel);
    FILE *f = fopen(made[n_made++], "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(rel);
        exit(2);
    }
}

static void make_data_dir(void) {
    snprintf(data_dir, sizeof data_dir, "/tmp/idr-alloc-fail-XXXXXX");
    char sub[4200];
    if (!mkdtemp(data_dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(sub, sizeof sub, "%s/gazetteer", data_dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/lists", data_dir);
    mkdir(sub, 0700);
    put("gazetteer/us-zips.tsv", "30301\t33.7525\t-84.3888\n10001\t40.7506\t-73.9972\n");
    put("gazetteer/cities.tsv", "US\tGA\tGeorgia\tAtlanta\t33.749\t-84.38798\n"
                                "GB\tENG\tEngland\tLondon\t51.50853\t-0.12574\n");
    put("lists/free-email-domains.txt", "gmail.com\nyahoo.com\nproton.me\n");
    put("lists/disposable-email-domains.txt", "mailinator.com\n*.10mail.org\n");
    char rel[4096], fix[PATH_MAX];
    snprintf(rel, sizeof rel, "%s/tests/fixtures/maxmind", src_dir);
    if (!realpath(rel, fix)) { /* the links need an absolute target */
        perror(rel);
        exit(2);
    }
    DIR *d = opendir(fix);
    for (struct dirent *e; d && (e = readdir(d)) != NULL && n_made < 16;) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".mmdb") == 0) {
            char from[8192];
            snprintf(from, sizeof from, "%s/%s", fix, e->d_name);
            snprintf(made[n_made], sizeof made[0], "%s/%s", data_dir, e->d_name);
            if (symlink(from, made[n_made++]) != 0) {
                perror(from);
                exit(2);
            }
        }
    }
    if (d) {
        closedir(d);
    }
}

static void remove_data_dir(void) {
    for (size_t i = 0; i < n_made; i++) {
        unlink(made[i]);
    }
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/gazetteer", data_dir);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/lists", data_dir);
    rmdir(sub);
    rmdir(data_dir);
}

static char store_dir[64];
static char store_path[128];
static sqlite3 *check_db; /* the test's own connection, for integrity_check */

/* The store's directory: one store file for both modes (the second finds the first's
 * records, as a long-lived store would). */
static void make_store_dir(void) {
    snprintf(store_dir, sizeof store_dir, "/tmp/idr-alloc-store-XXXXXX");
    if (!mkdtemp(store_dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(store_path, sizeof store_path, "%s/store.db", store_dir);
    /* created here (the check connection needs the file); idrisk then adopts it */
    static const unsigned char key[IDR_STORE_KEY_BYTES] = {1, 2, 3};
    idr_store *st = NULL;
    if (idr_store_open_with_key(&st, store_path, key, sizeof key, IDR_STORE_CREATE,
                                NULL) != IDR_OK ||
        sqlite3_open_v2(store_path, &check_db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot create the store in %s\n", store_dir);
        exit(2);
    }
    idr_store_free(st);
}

static void remove_store_dir(void) {
    sqlite3_close(check_db);
    const char *ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", store_path, ext[i]);
        unlink(p);
    }
    rmdir(store_dir);
}

static idr_config *make_config(counter *c) {
    char lists[4096], mmdb[4096];
    snprintf(lists, sizeof lists, "%s/data", src_dir);
    snprintf(mmdb, sizeof mmdb, "%s", data_dir);
    idr_config *cfg = NULL;
    idr_allocator a = {c_malloc, c_realloc, c_free, c};
    if (idr_config_new(&cfg) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, lists, NULL) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR, mmdb, NULL) != IDR_OK ||
        idr_config_set_allocator(cfg, &a, NULL) != IDR_OK) {
        fprintf(stderr, "cannot make the config\n");
        exit(2);
    }
    return cfg;
}

/* Check one step's return code against the failures injected during it. */
static bool step_ok(const char *mode,
                    long n,
                    const char *step,
                    int rc,
                    long failed_before,
                    const counter *c) {
    if (rc != IDR_OK && rc != IDR_ENOMEM) {
        problem(mode, n, step, "returned neither IDR_OK nor IDR_ENOMEM", rc, 0);
        return false;
    }
    if (rc == IDR_OK && c->failed > failed_before) {
        problem(mode, n, step, "succeeded although an allocation failed in it", rc, 0);
        return false;
    }
    if (rc == IDR_ENOMEM && c->failed == failed_before) {
        problem(mode, n, step, "IDR_ENOMEM with no allocation failed", rc, 0);
        return false;
    }
    return rc == IDR_OK;
}

/* Engine build failing at allocation n; true when the build needed fewer. */
static bool build_once(const char *mode, bool once, long n) {
    counter c = {.fail_at = n, .once = once};
    cur_n = -n; /* negative: engine build */
    cur_once = once;
    idr_config *cfg = make_config(&c);
    idr_engine *eng = NULL;
    idr_error err;
    int rc = idr_engine_new(&eng, cfg, &err);
    int before = problems;
    (void)step_ok(mode, n, "idr_engine_new", rc, 0, &c);
    if (problems > before && rc != IDR_OK) {
        fprintf(stderr, "  (%s)\n", err.message);
    }
    idr_engine_free(eng);
    idr_config_free(cfg);
    if (c.live != 0) {
        problem(mode, n, "idr_engine_new", "leaked", 0, c.live);
    }
    return c.count < n;
}

/* Parse, score, write, describe on `eng`, failing at allocation `base + k`. True when
 * the steps needed fewer than k allocations. */
static bool record_once(const char *mode, idr_engine *eng, counter *c, long k) {
    long base = c->count, live0 = c->live;
    cur_n = k;
    cur_once = c->once;
    c->fail_at = base + k;
    idr_candidate *cand = NULL;
    idr_result *res = NULL;
    char *json = NULL, *desc = NULL;
    long f0 = c->failed;
    int rc = idr_candidate_from_json(&cand, eng, record, record_len, NULL);
    if (step_ok(mode, k, "idr_candidate_from_json", rc, f0, c)) {
        f0 = c->failed;
        rc = idr_engine_score(eng, cand, &res, NULL);
        if (step_ok(mode, k, "idr_engine_score", rc, f0, c)) {
            f0 = c->failed;
            rc = idr_result_to_json(res, &json, NULL, NULL);
            (void)step_ok(mode, k, "idr_result_to_json", rc, f0, c);
        }
    }
    f0 = c->failed;
    rc = idr_engine_describe_json(eng, &desc, NULL);
    (void)step_ok(mode, k, "idr_engine_describe_json", rc, f0, c);
    char *ip = NULL; /* in GeoIP2-City-Test, so every database is asked */
    f0 = c->failed;
    rc = idr_engine_lookup_ip(eng, "81.2.69.142", &ip, NULL);
    (void)step_ok(mode, k, "idr_engine_lookup_ip", rc, f0, c);
    idr_free(ip);
    idr_free(json);
    idr_free(desc);
    idr_result_free(res);
    idr_candidate_free(cand);
    if (c->live != live0) {
        problem(mode, k, "record steps", "leaked", 0, c->live - live0);
    }
    bool done = c->count - base < k;
    c->fail_at = 0;
    return done;
}

/* The candidates run through the per-record steps: laptop-farm-rescore first (the
 * brief's record), then every other example, which reach other rules and writers. */
static char *records[64];
static size_t record_lens[64], n_records;

/* ------------------------------------------------------------------------------------
 * The store steps.
 * ---------------------------------------------------------------------------------- */

/* What a linked result is when nothing fails. */
typedef struct linked_ref {
    int score;
    size_t reasons, links;
} linked_ref;

static bool integrity_ok(void) {
    sqlite3_stmt *s = NULL;
    bool ok = sqlite3_prepare_v2(check_db, "PRAGMA integrity_check", -1, &s, NULL) ==
                  SQLITE_OK &&
              sqlite3_step(s) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
    sqlite3_finalize(s);
    return ok;
}

/* The record with its candidate_id prefixed by "twin-" (malloc'd). */
static char *make_twin(const char *rec, size_t len, size_t *out_len) {
    const char *k = strstr(rec, "\"candidate_id\"");
    const char *q = k ? strchr(k + 14, '"') : NULL;
    if (!q) {
        fprintf(stderr, "a record without candidate_id\n");
        exit(2);
    }
    size_t at = (size_t)(q + 1 - rec);
    char *t = malloc(len + 6);
    memcpy(t, rec, at);
    memcpy(t + at, "twin-", 5);
    memcpy(t + at + 5, rec + at, len - at);
    *out_len = len + 5;
    return t;
}

/* A linked result that succeeded must be the complete one. */
static void check_linked(const char *mode,
                         long k,
                         const char *step,
                         counter *c,
                         const idr_result *res,
                         const linked_ref *ref) {
    if (idr_result_score(res) != ref->score ||
        idr_result_reason_count(res) != ref->reasons ||
        idr_result_link_count(res) != ref->links) {
        problem(mode, k, step, "succeeded with a result unlike the reference", 0, 0);
        return;
    }
    char *json = NULL;
    long f0 = c->failed;
    int rc = idr_result_to_json(res, &json, NULL, NULL);
    if (step_ok(mode, k, "idr_result_to_json (linked)", rc, f0, c) &&
        !strstr(json, "\"links\"")) {
        problem(mode, k, "idr_result_to_json (linked)", "no \"links\" in the output", 0,
                0);
    }
    idr_free(json);
}

static void linked_once(const char *mode,
                        long k,
                        idr_engine *eng,
                        idr_store *st,
                        counter *c,
                        const idr_candidate *cand,
                        unsigned flags,
                        const linked_ref *ref) {
    const char *step =
        flags ? "idr_engine_score_linked (IDR_SCORE_RECORD)" : "idr_engine_score_linked";
    idr_result *res = NULL;
    long f0 = c->failed;
    int rc = idr_engine_score_linked(eng, st, cand, flags, &res, NULL);
    if (step_ok(mode, k, step, rc, f0, c)) {
        check_linked(mode, k, step, c, res, ref);
    } else if (rc != IDR_OK && res) {
        problem(mode, k, step, "failed but handed out a result", rc, 0);
    }
    idr_result_free(res);
}

/* The store steps on `eng` and `st`, failing at allocation `base + k` (k = 0: never).
 * True when they needed fewer than k allocations. */
static bool store_once(const char *mode,
                       idr_engine *eng,
                       idr_store *st,
                       counter *c,
                       long k,
                       const linked_ref *ref) {
    long base = c->count, live0 = c->live;
    cur_n = k;
    cur_once = c->once;
    c->fail_at = k ? base + k : 0;
    idr_candidate *cand = NULL;
    idr_error err;
    long f0 = c->failed;
    int rc = idr_candidate_from_json_for_store(&cand, eng, st, record, record_len, &err);
    if (step_ok(mode, k, "idr_candidate_from_json_for_store", rc, f0, c)) {
        f0 = c->failed;
        rc = idr_store_record(st, eng, cand, &err);
        (void)step_ok(mode, k, "idr_store_record", rc, f0, c);
        if (!integrity_ok()) {
            problem(mode, k, "idr_store_record", "integrity_check failed after it", 0, 0);
        }
        linked_once(mode, k, eng, st, c, cand, 0, ref);
        linked_once(mode, k, eng, st, c, cand, IDR_SCORE_RECORD, ref);
        if (!integrity_ok()) {
            problem(mode, k, "idr_engine_score_linked", "integrity_check failed", 0, 0);
        }
    }
    idr_candidate_free(cand);
    if (c->live != live0) {
        problem(mode, k, "store steps", "leaked", 0, c->live - live0);
    }
    bool done = k && c->count - base < k;
    c->fail_at = 0;
    return done;
}

/* The examples index no resume and few photos, so one record of the test's own has
 * every identifier class the store keeps, a photo hash, a resume long enough to be
 * indexed (the SimHash's scratch), a referrer (its twin) and a household. */
static const char full_record[] =
    "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"alloc-full\","
    "\"as_of\":\"2025-03-20T12:00:00Z\",\"engagement\":{\"type\":\"employee\"},"
    "\"identity\":{\"full_name\":\"Robin Okafor\",\"date_of_birth\":\"1991-02-03\","
    "\"ssn\":\"219-09-9999\",\"photo_phash\":\"8f3c0a5d2e7b1946\","
    "\"household\":[\"alloc-house\"],"
    "\"residence\":{\"line1\":\"48 North Oak Avenue, Apt 7\",\"city\":\"Atlanta\","
    "\"region\":\"GA\",\"postal_code\":\"30301\",\"country\":\"US\"}},"
    "\"documents\":[{\"type\":\"passport\",\"issuing_country\":\"US\","
    "\"number\":\"P7654321\"}],"
    "\"contacts\":{\"emails\":[\"robin.okafor@gmail.com\"],"
    "\"phones\":[{\"number\":\"+1 404 555 0177\",\"country_hint\":\"US\"}]},"
    "\"network\":{\"sessions\":[{\"ip\":\"81.2.69.142\",\"at\":"
    "\"2025-03-01T10:00:00Z\",\"device_id\":\"laptop-77\"}]},"
    "\"payment\":{\"method\":\"bank_account\",\"account_id\":\"GB29 NWBK 6016 "
    "1331 9268 19\",\"crypto_wallets\":[{\"chain\":\"ETH\",\"address\":"
    "\"0x52908400098527886E0F7030069857D2E4169EE7\"}]},"
    "\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"9 Pine Road Suite 12\","
    "\"city\":\"Dover\",\"region\":\"DE\",\"postal_code\":\"19901\",\"country\":"
    "\"US\"}}]},"
    "\"work_history\":{\"referred_by\":\"twin-alloc-full\",\"resume_text\":"
    "\"Senior software engineer with eight years of experience building distributed "
    "payment systems, data pipelines and customer facing web applications in Go, "
    "Python and TypeScript. Led a team of five engineers that moved a monolith to "
    "services on Kubernetes, cut deployment time from hours to minutes and kept "
    "availability above four nines while traffic tripled over two years.\","
    "\"employers\":[{\"name\":\"Northwind\",\"references\":[{\"name\":\"Sam "
    "Ref\",\"phone\":\"+1 404 555 0190\",\"email\":\"sam@northwind.example\"}]}]}}";

/* Every record's store steps; the number of allocations failed one by one. */
static long run_store(const char *mode, idr_engine *eng, counter *c) {
    static const unsigned char key[IDR_STORE_KEY_BYTES] = {1, 2, 3};
    idr_store *st = NULL;
    idr_error err;
    if (idr_store_open_with_key(&st, store_path, key, sizeof key, IDR_STORE_CREATE,
                                &err) != IDR_OK) {
        fprintf(stderr, "cannot open the store: %s\n", err.message);
        exit(2);
    }
    long total = 0;
    size_t linked = 0; /* records with links to find (a twin sharing an identifier) */
    for (size_t r = 0; r <= n_records; r++) {
        const char *rec = r < n_records ? records[r] : full_record;
        size_t rec_len = r < n_records ? record_lens[r] : strlen(full_record);
        size_t twin_len;
        char *twin = make_twin(rec, rec_len, &twin_len);
        idr_result *res = NULL;
        if (idr_engine_score_json_linked(eng, st, twin, twin_len, IDR_SCORE_RECORD, &res,
                                         &err) != IDR_OK) {
            fprintf(stderr, "cannot record the twin: %s\n", err.message);
            exit(2);
        }
        idr_result_free(res);
        free(twin);
        record = (char *)rec;
        record_len = rec_len;
        /* the reference: the record scored linked with nothing failing (after it was
         * recorded once, as every later run finds it recorded) */
        idr_candidate *cand = NULL;
        if (idr_candidate_from_json_for_store(&cand, eng, st, record, record_len, &err) !=
                IDR_OK ||
            idr_store_record(st, eng, cand, &err) != IDR_OK ||
            idr_engine_score_linked(eng, st, cand, 0, &res, &err) != IDR_OK) {
            fprintf(stderr, "cannot score the record linked: %s\n", err.message);
            exit(2);
        }
        linked_ref ref = {idr_result_score(res), idr_result_reason_count(res),
                          idr_result_link_count(res)};
        idr_result_free(res);
        idr_candidate_free(cand);
        linked += ref.links > 0;
        long k = 1;
        while (!store_once(mode, eng, st, c, k, &ref)) {
            k++;
        }
        total += k - 1;
        /* after all those failures the store still records and links */
        (void)store_once(mode, eng, st, c, 0, &ref);
    }
    idr_store_free(st);
    /* every example but synthetic-photo-deepfake (no identifier the store indexes),
     * and the full record */
    if (linked < n_records) {
        problem(mode, 0, "store steps", "too few records found their twin", 0, 0);
    }
    return total;
}

static void
run(const char *mode, bool once, long *build_n, long *record_n, long *store_n) {
    long n = 1;
    while (!build_once(mode, once, n)) {
        n++;
    }
    *build_n = n - 1; /* allocations of a successful build */
    counter c = {0};
    c.once = once;
    idr_config *cfg = make_config(&c);
    idr_engine *eng = NULL;
    if (idr_engine_new(&eng, cfg, NULL) != IDR_OK) {
        fprintf(stderr, "cannot build the engine without injected failures\n");
        exit(2);
    }
    *record_n = 0;
    for (size_t r = 0; r < n_records; r++) {
        record = records[r];
        record_len = record_lens[r];
        long k = 1;
        while (!record_once(mode, eng, &c, k)) {
            k++;
        }
        *record_n += k - 1;
    }
    *store_n = run_store(mode, eng, &c);
    idr_engine_free(eng);
    idr_config_free(cfg);
    if (c.live != 0) {
        problem(mode, 0, "engine", "leaked", 0, c.live);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: alloc_fail SOURCE_DIR\n");
        return 2;
    }
    src_dir = argv[1];
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/examples/candidates", src_dir);
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 2;
    }
    const char *names[64];
    size_t n_names = 0;
    names[n_names++] = "laptop-farm-rescore.json";
    for (struct dirent *e; (e = readdir(d)) != NULL && n_names < 64;) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0 &&
            strcmp(e->d_name, names[0]) != 0) {
            names[n_names++] = strdup(e->d_name);
        }
    }
    closedir(d);
    for (size_t i = 0; i < n_names; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            perror(path);
            return 2;
        }
        records[n_records] = malloc(1 << 20);
        record_lens[n_records] = fread(records[n_records], 1, 1 << 20, f);
        n_records++;
        fclose(f);
        if (i > 0) {
            free((void *)names[i]);
        }
    }

    /* The setter's contract: all three functions, a config; NULL restores malloc. */
    idr_config *cfg = NULL;
    idr_allocator half = {c_malloc, c_realloc, NULL, NULL};
    if (idr_config_new(&cfg) != IDR_OK ||
        idr_config_set_allocator(cfg, &half, NULL) != IDR_EINVAL ||
        idr_config_set_allocator(NULL, NULL, NULL) != IDR_EINVAL ||
        idr_config_set_allocator(cfg, NULL, NULL) != IDR_OK) {
        fprintf(stderr, "idr_config_set_allocator: wrong answer to a bad argument\n");
        problems++;
    }
    idr_config_free(cfg);

    make_data_dir();
    make_store_dir();
    long b1, r1, s1, b2, r2, s2;
    run("sticky", false, &b1, &r1, &s1);
    run("once", true, &b2, &r2, &s2);
    printf("alloc_fail: %zu records; sticky mode: %ld engine-build, %ld per-record and "
           "%ld store-path allocations failed one by one; once mode: %ld, %ld and %ld; "
           "%d problems\n",
           n_records, b1, r1, s1, b2, r2, s2, problems);
    for (size_t i = 0; i < n_records; i++) {
        free(records[i]);
    }
    remove_data_dir();
    remove_store_dir();
    return problems ? 1 : 0;
}
