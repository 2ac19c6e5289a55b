/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store.c - the linkage store on real files: opening and keys, every identifier
 * class linking as documented, recording twice, forgetting without a trace in the
 * files, retention, no plaintext at rest, the v1 -> v2 migration, and several
 * processes and threads on one store.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../store/store_fixture.h"
#include "../test_engine.h"
#include "internal.h"
#include "store/store_int.h"

/* ------------------------------------------------------------------------------------
 * Helpers.
 * ---------------------------------------------------------------------------------- */
static char dir[64];
static char db_path[128];

static void mkdir_tmp(void) {
    strcpy(dir, "/tmp/idrisk-store-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db_path, sizeof db_path, "%s/links.db", dir);
}

static void rm_tmp(void) {
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(store, .init = mkdir_tmp, .fini = rm_tmp, .timeout = 300);

static idr_store *open_store(unsigned flags) {
    idr_store *st = NULL;
    idr_error err = {0};
    int rc = idr_store_open(&st, db_path, NULL, flags, &err);
    cr_assert_eq(rc, IDR_OK, "open: %s", err.message);
    return st;
}

static idr_candidate *parse(idr_engine *eng, idr_store *st, const char *json) {
    idr_candidate *c = NULL;
    idr_error err = {0};
    int rc = idr_candidate_from_json_for_store(&c, eng, st, json, strlen(json), &err);
    cr_assert_eq(rc, IDR_OK, "parse: %s (%s)", err.message, err.field);
    return c;
}

static void record(idr_engine *eng, idr_store *st, const char *json) {
    idr_candidate *c = parse(eng, st, json);
    idr_error err = {0};
    int rc = idr_store_record(st, eng, c, &err);
    cr_assert_eq(rc, IDR_OK, "record: %s", err.message);
    idr_candidate_free(c);
}

typedef struct linked {
    idr_candidate *cand;
    idr__arena *a;
    idr__enrichment en;
    idr__links l;
} linked;

static void do_link(idr_engine *eng, idr_store *st, const char *json, linked *out) {
    memset(out, 0, sizeof *out);
    out->cand = parse(eng, st, json);
    out->a = idr__arena_new(NULL, 4096);
    cr_assert_eq(idr__enrich(&eng->mods, out->cand, out->a, &out->en), IDR_OK);
    idr_error err = {0};
    int rc = idr__store_link(st, out->cand, &out->en, out->a, &out->l, &err);
    cr_assert_eq(rc, IDR_OK, "link: %s", err.message);
}

static void linked_free(linked *l) {
    idr__arena_free(l->a);
    idr_candidate_free(l->cand);
}

static const idr__link *find(const idr__links *l, idr__link_kind k, const char *other) {
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].kind == k && strcmp(l->v[i].other_id, other) == 0) {
            return &l->v[i];
        }
    }
    return NULL;
}

static size_t count_kind(const idr__links *l, idr__link_kind k) {
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        n += l->v[i].kind == k;
    }
    return n;
}

static void dump(const idr__links *l) {
    for (size_t i = 0; i < l->n; i++) {
        fprintf(stderr, "  %s %s own=%zu day=%d dist=%d\n",
                idr__link_kind_name(l->v[i].kind), l->v[i].other_id, l->v[i].own_index,
                (int)l->v[i].day, l->v[i].distance);
    }
}

static long long sql_count(const char *sql) {
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s",
                 sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/* The store's file and its WAL, concatenated. */
static char *read_files(size_t *len) {
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    const char *paths[] = {db_path, wal};
    char *all = NULL;
    *len = 0;
    for (int i = 0; i < 2; i++) {
        size_t n = 0;
        char *p = idr__read_file(NULL, paths[i], (size_t)1 << 30, &n);
        if (!p) {
            continue; /* no WAL */
        }
        all = realloc(all, *len + n + 1);
        memcpy(all + *len, p, n);
        *len += n;
        free(p);
    }
    return all;
}

/* memmem is a GNU extension; the build is strict POSIX. */
static bool contains(const char *hay, size_t len, const void *needle, size_t n) {
    for (size_t i = 0; n && i + n <= len; i++) {
        if (hay[i] == *(const char *)needle && memcmp(hay + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

static bool files_contain(const void *needle, size_t n) {
    size_t len = 0;
    char *all = read_files(&len);
    bool found = all && contains(all, len, needle, n);
    free(all);
    return found;
}

/* ------------------------------------------------------------------------------------
 * Opening and keys.
 * ---------------------------------------------------------------------------------- */
Test(store, create_open_reopen_and_key_file) {
    idr_store *st = open_store(IDR_STORE_CREATE);
    idr_store_free(st);
    char kp[160];
    snprintf(kp, sizeof kp, "%s.key", db_path);
    struct stat sb;
    cr_assert_eq(stat(kp, &sb), 0);
    cr_assert_eq(sb.st_mode & 0777, 0600, "mode %o", sb.st_mode & 0777);
    cr_assert_eq(sb.st_size, IDR_STORE_KEY_BYTES);
    /* reopen, with and without CREATE: the same key, the key file untouched */
    uint8_t before[32];
    int fd = open(kp, O_RDONLY);
    cr_assert_eq(read(fd, before, 32), 32);
    close(fd);
    idr_store_free(open_store(0));
    idr_store_free(open_store(IDR_STORE_CREATE));
    uint8_t after[32];
    fd = open(kp, O_RDONLY);
    cr_assert_eq(read(fd, after, 32), 32);
    close(fd);
    cr_assert_eq(memcmp(before, after, 32), 0, "the key file was rewritten");
    /* the same key given directly opens it */
    idr_error err = {0};
    cr_assert_eq(idr_store_open_with_key(&st, db_path, before, 32, 0, &err), IDR_OK, "%s",
                 err.message);
    char *stats = NULL;
    cr_assert_eq(idr_store_stats_json(st, &stats, &err), IDR_OK);
    cr_assert(strstr(stats, "\"schema_version\":2"), "%s", stats);
    cr_assert(strstr(stats, "\"candidates\":0"), "%s", stats);
    idr_free(stats);
    idr_store_free(st);
}

Test(store, missing_store_without_create_fails) {
    idr_store *st = NULL;
    idr_error err = {0};
    cr_assert_eq(idr_store_open(&st, db_path, NULL, 0, &err), IDR_EIO);
    cr_assert(strstr(err.message, "no store at"), "%s", err.message);
    cr_assert_null(st);
    cr_assert_neq(
        idr_store_open(&st, db_path, NULL, IDR_STORE_CREATE | IDR_STORE_READONLY, &err),
        IDR_OK);
}

Test(store, loose_key_permissions_refused) {
    idr_store_free(open_store(IDR_STORE_CREATE));
    char kp[160];
    snprintf(kp, sizeof kp, "%s.key", db_path);
    cr_assert_eq(chmod(kp, 0640), 0);
    idr_store *st = NULL;
    idr_error err = {0};
    cr_assert_eq(idr_store_open(&st, db_path, NULL, 0, &err), IDR_EINVAL);
    cr_assert(strstr(err.message, kp), "the message names the file: %s", err.message);
    cr_assert_null(st);
    cr_assert_eq(chmod(kp, 0604), 0);
    cr_assert_eq(idr_store_open(&st, db_path, NULL, 0, &err), IDR_EINVAL);
    /* the wrong size */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/short.key", dir);
    int fd = open(bad, O_CREAT | O_WRONLY, 0600);
    cr_assert_eq(write(fd, "0123456789", 10), 10);
    close(fd);
    cr_assert_eq(idr_store_open(&st, db_path, bad, 0, &err), IDR_EINVAL);
    cr_assert(strstr(err.message, bad), "%s", err.message);
}

Test(store, wrong_key_refused) {
    idr_store_free(open_store(IDR_STORE_CREATE));
    uint8_t key[32];
    randombytes_buf(key, sizeof key);
    idr_store *st = NULL;
    idr_error err = {0};
    cr_assert_eq(idr_store_open_with_key(&st, db_path, key, 32, 0, &err), IDR_EDATA);
    cr_assert(strstr(err.message, "the key does not match this store"), "%s",
              err.message);
    cr_assert_null(st);
    cr_assert_eq(idr_store_open_with_key(&st, db_path, key, 31, 0, &err), IDR_EINVAL);
}

Test(store, not_a_store_refused) {
    FILE *f = fopen(db_path, "w");
    fputs("this is not a database, just some text that is long enough to be read........"
          "................................................................",
          f);
    fclose(f);
    uint8_t key[32] = {1};
    idr_store *st = NULL;
    idr_error err = {0};
    cr_assert_eq(idr_store_open_with_key(&st, db_path, key, 32, IDR_STORE_CREATE, &err),
                 IDR_EDATA, "%s", err.message);
    cr_assert(strstr(err.message, "not an idrisk store"), "%s", err.message);
    /* another application's SQLite database is left as it was */
    unlink(db_path);
    sqlite3 *db = NULL;
    sqlite3_open(db_path, &db);
    cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    cr_assert_eq(idr_store_open_with_key(&st, db_path, key, 32, IDR_STORE_CREATE, &err),
                 IDR_EDATA);
    cr_assert(strstr(err.message, "not an idrisk store"), "%s", err.message);
    cr_assert_eq(sql_count("PRAGMA user_version"), 0);
}

Test(store, newer_schema_refused) {
    idr_store_free(open_store(IDR_STORE_CREATE));
    sqlite3 *db = NULL;
    sqlite3_open(db_path, &db);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 3", NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    idr_store *st = NULL;
    idr_error err = {0};
    cr_assert_eq(idr_store_open(&st, db_path, NULL, 0, &err), IDR_EDATA);
    cr_assert(strstr(err.message, "newer schema"), "%s", err.message);
}

Test(store, readonly_refuses_writes) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    char *j = store_plain_candidate("ro", 1);
    record(eng, st, j);
    idr_store_free(st);
    st = open_store(IDR_STORE_READONLY);
    idr_candidate *c = parse(eng, st, j);
    idr_error err = {0};
    cr_assert_eq(idr_store_record(st, eng, c, &err), IDR_EINVAL);
    idr_result *res = NULL;
    cr_assert_eq(idr_engine_score_linked(eng, st, c, IDR_SCORE_RECORD, &res, &err),
                 IDR_EINVAL);
    int found = 1;
    cr_assert_eq(idr_store_forget(st, "ro-1", &found, &err), IDR_EINVAL);
    unsigned long long n = 1;
    cr_assert_eq(idr_store_purge(st, INT64_MAX, &n, &err), IDR_EINVAL);
    /* linking reads */
    cr_assert_eq(idr_engine_score_linked(eng, st, c, 0, &res, &err), IDR_OK, "%s",
                 err.message);
    idr_result_free(res);
    idr_candidate_free(c);
    idr_store_free(st);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 1);
    free(j);
    idr_engine_free(eng);
}

/* ------------------------------------------------------------------------------------
 * Linking: three candidates sharing identifiers in every class.
 * ---------------------------------------------------------------------------------- */
#define PHASH_A 0x0123456789abcdefULL

static char *cand_a(void) {
    return store_fmt(
        "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"cand-a\","
        "\"as_of\":\"2025-03-20T12:00:00Z\","
        "\"engagement\":{\"type\":\"employee\"},"
        "\"identity\":{\"full_name\":\"Dana Reyes\",\"date_of_birth\":\"1990-04-01\","
        "\"ssn\":\"123-45-6789\",\"photo_phash\":\"%016llx\","
        "\"residence\":{\"line1\":\"123 Main Street, Apt 4\",\"city\":\"Atlanta\","
        "\"region\":\"GA\",\"postal_code\":\"30308-1234\",\"country\":\"US\"}},"
        "\"documents\":[{\"type\":\"passport\",\"issuing_country\":\"US\","
        "\"number\":\"X1234567\"}],"
        "\"contacts\":{\"emails\":[\"dana.reyes@gmail.com\"],"
        "\"phones\":[{\"number\":\"+1 404 555 0142\",\"country_hint\":\"US\"}]},"
        "\"network\":{\"sessions\":["
        "{\"ip\":\"203.0.113.7\",\"at\":\"2025-03-01T10:00:00Z\",\"device_id\":\"dev-1\"}"
        ","
        "{\"ip\":\"198.51.100.9\",\"at\":\"2025-03-02T10:00:00Z\"}]},"
        "\"payment\":{\"method\":\"bank_account\",\"account_id\":\"DE89 3704 0044 0532 "
        "0130 00\",\"crypto_wallets\":[{\"chain\":\"ETH\",\"address\":"
        "\"0xAbCdEf0123456789abcdef0123456789ABCDEF01\"}]},"
        "\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"12 Elm St Ste 300\","
        "\"city\":\"Dover\",\"region\":\"DE\",\"postal_code\":\"19901\",\"country\":"
        "\"US\"}}]},"
        "\"work_history\":{\"resume_text\":\"" STORE_RESUME_LONG "\","
        "\"employers\":[{\"name\":\"Acme\",\"references\":[{\"name\":\"Bob Ref\","
        "\"phone\":\"+1 404 555 0199\",\"email\":\"bob@acme.example\"}]}]}}",
        PHASH_A, "Dana Reyes");
}

/* B: the same person's identifiers in other spellings; another date of birth; an
 * employer-of-record contractor. */
static char *cand_b(void) {
    return store_fmt(
        "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"cand-b\","
        "\"as_of\":\"2025-03-20T12:00:00Z\","
        "\"engagement\":{\"type\":\"eor_contractor\"},"
        "\"identity\":{\"full_name\":\"Reyes Dana\",\"date_of_birth\":\"1991-05-02\","
        "\"ssn\":\"123456789\",\"photo_phash\":\"%016llx\","
        "\"residence\":{\"line1\":\"123 MAIN ST #4\",\"city\":\"Atlanta\","
        "\"region\":\"GA\",\"postal_code\":\"30308\",\"country\":\"US\"}},"
        "\"documents\":[{\"type\":\"passport\",\"issuing_country\":\"US\","
        "\"number\":\"x123-4567\"}],"
        "\"contacts\":{\"emails\":[\"DanaReyes+jobs@gmail.com\"],"
        "\"phones\":[{\"number\":\"(404) 555-0199\",\"country_hint\":\"US\"}]},"
        "\"network\":{\"sessions\":["
        "{\"ip\":\"203.0.113.7\",\"at\":\"2025-03-01T23:59:00Z\",\"device_id\":\" dev-1 "
        "\"},"
        "{\"ip\":\"198.51.100.9\",\"at\":\"2025-03-05T10:00:00Z\"}]},"
        "\"payment\":{\"method\":\"bank_account\",\"account_id\":"
        "\"de89370400440532013000\",\"crypto_wallets\":[{\"chain\":\"ETH\",\"address\":"
        "\"0xabcdef0123456789ABCDEF0123456789abcdef01\"}]},"
        "\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"12 Elm Street\","
        "\"line2\":\"Suite 300\",\"city\":\"Dover\",\"region\":\"DE\",\"postal_code\":"
        "\"19901\",\"country\":\"US\"}}]},"
        "\"work_history\":{\"resume_text\":\"" STORE_RESUME_LONG "\","
        "\"employers\":[{\"name\":\"Initech\",\"references\":[{\"name\":\"Ann Ref\","
        "\"phone\":\"+14045550142\"}]}]}}",
        PHASH_A ^ 0x7ULL, "John Smith");
}

/* C: unrelated apart from declaring A's household and living there, and being
 * referred by A; a photo 9 bits from A's, an unrelated resume, A's IP a day later. */
static char *cand_c(void) {
    return store_fmt(
        "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"cand-c\","
        "\"as_of\":\"2025-03-20T12:00:00Z\","
        "\"identity\":{\"full_name\":\"Sam Reyes\",\"household\":[\"cand-a\"],"
        "\"photo_phash\":\"%016llx\","
        "\"residence\":{\"line1\":\"123 main st.\",\"line2\":\"apartment 4\","
        "\"city\":\"Atlanta\",\"postal_code\":\"30308\",\"country\":\"US\"}},"
        "\"contacts\":{\"emails\":[\"sam@example.org\"]},"
        "\"network\":{\"sessions\":["
        "{\"ip\":\"203.0.113.7\",\"at\":\"2025-03-02T00:00:01Z\"}]},"
        "\"work_history\":{\"resume_text\":\"" STORE_RESUME_OTHER "\","
        "\"referred_by\":\"cand-a\"}}",
        PHASH_A ^ 0x1FFULL);
}

static void record_abc(idr_engine *eng, idr_store *st) {
    char *a = cand_a(), *b = cand_b(), *c = cand_c();
    record(eng, st, a);
    record(eng, st, b);
    record(eng, st, c);
    free(a), free(b), free(c);
}

Test(store, links_every_class_from_a) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    record_abc(eng, st);
    char *a = cand_a();
    linked l;
    do_link(eng, st, a, &l);
    dump(&l.l);
    static const idr__link_kind with_b[] = {
        IDR__LK_SSN,     IDR__LK_PHONE,     IDR__LK_REFERENCE_PHONE,
        IDR__LK_EMAIL,   IDR__LK_RESIDENCE, IDR__LK_SHIPPING,
        IDR__LK_ACCOUNT, IDR__LK_WALLET,    IDR__LK_DOCUMENT,
        IDR__LK_DEVICE,  IDR__LK_IP,        IDR__LK_PHOTO,
        IDR__LK_RESUME};
    for (size_t i = 0; i < sizeof with_b / sizeof with_b[0]; i++) {
        const idr__link *k = find(&l.l, with_b[i], "cand-b");
        cr_assert_not_null(k, "no %s link to cand-b", idr__link_kind_name(with_b[i]));
        cr_assert(k->same_name, "B's name is A's, in another order");
        cr_assert(k->same_surname == false, "surname is the last token as written");
        cr_assert(!k->same_dob);
        cr_assert(k->dob_differs, "1990-04-01 and 1991-05-02 are both on file");
        cr_assert(k->other_eor);
        cr_assert(!k->declared_household);
    }
    /* one IP link: the same day only (203.0.113.7 on 2025-03-01; 198.51.100.9 was
     * used on different days) */
    cr_assert_eq(count_kind(&l.l, IDR__LK_IP), 1);
    const idr__link *ip = find(&l.l, IDR__LK_IP, "cand-b");
    cr_assert_eq(ip->own_index, 0);
    cr_assert_eq(ip->day, (int32_t)(1740787200 / 86400));
    cr_assert_eq(find(&l.l, IDR__LK_PHOTO, "cand-b")->distance, 3);
    cr_assert_eq(find(&l.l, IDR__LK_RESUME, "cand-b")->distance, 3,
                 "the template with another name in it");
    /* C: the residence only, declared household; photo 9 bits off and the unrelated
     * resume are not links, nor A's IP a day later */
    const idr__link *res = find(&l.l, IDR__LK_RESIDENCE, "cand-c");
    cr_assert_not_null(res);
    cr_assert(res->declared_household, "C lists A in its household");
    cr_assert(!res->same_name && res->same_surname);
    cr_assert_null(find(&l.l, IDR__LK_PHOTO, "cand-c"));
    cr_assert_null(find(&l.l, IDR__LK_RESUME, "cand-c"));
    cr_assert_null(find(&l.l, IDR__LK_IP, "cand-c"));
    cr_assert_eq(l.l.n, sizeof with_b / sizeof with_b[0] + 1);
    cr_assert_eq(l.l.omitted, 0);
    cr_assert_eq(l.l.n_by_kind[IDR__LK_RESIDENCE], 2);
    cr_assert(!l.l.referrer.found && !l.l.referrer.id);
    /* sorted by kind, then other, then own_index */
    for (size_t i = 1; i < l.l.n; i++) {
        const idr__link *p = &l.l.v[i - 1], *q = &l.l.v[i];
        cr_assert(p->kind < q->kind ||
                  (p->kind == q->kind && strcmp(p->other_id, q->other_id) <= 0));
    }
    linked_free(&l);
    free(a);
    idr_store_free(st);
    idr_engine_free(eng);
}

Test(store, links_from_b_and_c) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    record_abc(eng, st);
    /* B: its own phone is A's reference phone (phone), its reference's phone is A's
     * phone (reference_phone) */
    char *b = cand_b();
    linked l;
    do_link(eng, st, b, &l);
    dump(&l.l);
    cr_assert_not_null(find(&l.l, IDR__LK_PHONE, "cand-a"));
    cr_assert_not_null(find(&l.l, IDR__LK_REFERENCE_PHONE, "cand-a"));
    cr_assert_not_null(find(&l.l, IDR__LK_SHIPPING, "cand-a"));
    cr_assert_not_null(find(&l.l, IDR__LK_RESIDENCE, "cand-a"));
    cr_assert_not_null(find(&l.l, IDR__LK_RESIDENCE, "cand-c"));
    cr_assert(!find(&l.l, IDR__LK_RESIDENCE, "cand-c")->declared_household);
    cr_assert(!find(&l.l, IDR__LK_SSN, "cand-a")->other_eor);
    linked_free(&l);
    free(b);
    /* C: referred by A, with A's recorded outcome; a referrer link */
    char *c = cand_c();
    do_link(eng, st, c, &l);
    dump(&l.l);
    cr_assert(l.l.referrer.found);
    cr_assert_str_eq(l.l.referrer.id, "cand-a");
    cr_assert_not_null(l.l.referrer.fired);
    idr_candidate *ca = NULL;
    char *a = cand_a();
    idr_error err = {0};
    cr_assert_eq(idr_candidate_from_json_for_store(&ca, eng, st, a, strlen(a), &err),
                 IDR_OK);
    idr_result *alone = NULL;
    cr_assert_eq(idr_engine_score(eng, ca, &alone, &err), IDR_OK);
    cr_assert_eq(l.l.referrer.score, idr_result_score(alone),
                 "the recorded score is A's score without links");
    idr_result_free(alone);
    idr_candidate_free(ca);
    free(a);
    cr_assert_not_null(find(&l.l, IDR__LK_REFERRER, "cand-a"));
    cr_assert(find(&l.l, IDR__LK_RESIDENCE, "cand-a")->declared_household);
    cr_assert_not_null(find(&l.l, IDR__LK_RESIDENCE, "cand-b"));
    cr_assert_null(find(&l.l, IDR__LK_PHOTO, "cand-a"));
    cr_assert_null(find(&l.l, IDR__LK_IP, "cand-a"));
    cr_assert_eq(l.l.n, 3);
    linked_free(&l);
    free(c);
    /* a referrer that is not recorded */
    const char *d = "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"cand-d\","
                    "\"work_history\":{\"referred_by\":\"nobody\"}}";
    do_link(eng, st, d, &l);
    cr_assert(!l.l.referrer.found);
    cr_assert_str_eq(l.l.referrer.id, "nobody");
    cr_assert_eq(l.l.n, 0);
    linked_free(&l);
    idr_store_free(st);
    idr_engine_free(eng);
}

/* The public path: scoring linked puts the links into the result. */
Test(store, score_linked_reports_links) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    record_abc(eng, st);
    char *a = cand_a();
    idr_result *res = NULL;
    idr_error err = {0};
    cr_assert_eq(idr_engine_score_json_linked(eng, st, a, strlen(a), 0, &res, &err),
                 IDR_OK, "%s", err.message);
    cr_assert_eq(idr_result_link_count(res), 14, "%zu", idr_result_link_count(res));
    cr_assert_str_eq(idr_result_link(res, 0)->kind, "ssn");
    cr_assert_str_eq(idr_result_link(res, 0)->candidate_id, "cand-b");
    idr_result_free(res);
    free(a);
    idr_store_free(st);
    idr_engine_free(eng);
}

Test(store, address_normalisation) {
    idr__address a = {.present = true,
                      .line1 = "123 Main Street, Apt 4",
                      .postal_code = "30308-1234",
                      .country = "US"};
    idr__address b = {.present = true,
                      .line1 = "123 MAIN ST #4",
                      .postal_code = "30308",
                      .country = "US"};
    idr__address c = {.present = true,
                      .line1 = "123 Máin St.",
                      .line2 = "Unit 4",
                      .postal_code = "30308",
                      .country = "US"};
    idr__address d = {.present = true,
                      .line1 = "123 Main Street",
                      .postal_code = "30308",
                      .country = "US"};
    idr__address e = {.present = true, .postal_code = "30308", .country = "US"};
    char *ka = idr__address_key(NULL, &a, NULL), *kb = idr__address_key(NULL, &b, NULL),
         *kc = idr__address_key(NULL, &c, NULL), *kd = idr__address_key(NULL, &d, NULL);
    cr_assert_str_eq(ka, "US|30308|123 MAIN ST #4");
    cr_assert_str_eq(kb, ka);
    cr_assert_str_eq(kc, ka);
    cr_assert_str_neq(kd, ka, "another unit is another address");
    cr_assert_null(idr__address_key(NULL, &e, NULL), "no line1: not indexed");
    free(ka), free(kb), free(kc), free(kd);
    idr__address f = {.present = true,
                      .line1 = "10 North Avenue West",
                      .postal_code = "sw1a 1aa",
                      .country = "GB"};
    char *kf = idr__address_key(NULL, &f, NULL);
    cr_assert_str_eq(kf, "GB|SW1A1AA|10 N AVE W");
    free(kf);
}

/* Any two photo hashes within distance 4 share a band (pigeonhole over 5 bands); so
 * do resumes within 3 over 4 bands. */
Test(store, bands_guarantee) {
    cr_assert_eq(idr__crypto_init(), 0);
    idr__store_keys k;
    uint8_t key[32] = {7};
    idr__store_keys_init(&k, key);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int trial = 0; trial < 2000; trial++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t y = x;
        int flips = 1 + trial % 4;
        uint64_t r = x * 0x2545F4914F6CDD1DULL;
        for (int f = 0; f < flips; f++) {
            y ^= UINT64_C(1) << ((r >> (6 * f)) & 63);
        }
        uint8_t bx[5][8], by[5][8];
        idr__sig_bands(&k, IDR__SIG_PHOTO, x, bx, 5);
        idr__sig_bands(&k, IDR__SIG_PHOTO, y, by, 5);
        bool shared = false;
        for (int b = 0; b < 5; b++) {
            shared |= memcmp(bx[b], by[b], 8) == 0;
        }
        cr_assert(shared, "photo pair at distance <= 4 shares no band");
        if (flips <= 3) {
            idr__sig_bands(&k, IDR__SIG_RESUME, x, bx, 4);
            idr__sig_bands(&k, IDR__SIG_RESUME, y, by, 4);
            shared = false;
            for (int b = 0; b < 4; b++) {
                shared |= memcmp(bx[b], by[b], 8) == 0;
            }
            cr_assert(shared, "resume pair at distance <= 3 shares no band");
        }
    }
    /* short resumes are not indexed */
    uint64_t h;
    bool indexed = true;
    cr_assert_eq(idr__simhash(NULL, &k, "too short to be a template", &h, &indexed),
                 IDR_OK);
    cr_assert(!indexed);
}

/* ------------------------------------------------------------------------------------
 * Recording twice, forgetting, purging.
 * ---------------------------------------------------------------------------------- */
Test(store, record_is_idempotent) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    record_abc(eng, st);
    long long ids = sql_count("SELECT count(*) FROM identifiers");
    long long bands = sql_count("SELECT count(*) FROM bands");
    record_abc(eng, st);
    char *a = cand_a();
    record(eng, st, a);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 3);
    cr_assert_eq(sql_count("SELECT count(*) FROM identifiers"), ids);
    cr_assert_eq(sql_count("SELECT count(*) FROM bands"), bands);
    cr_assert_eq(sql_count("SELECT count(*) FROM household"), 1);
    /* scoring with IDR_SCORE_RECORD records too, once */
    idr_result *res = NULL;
    idr_error err = {0};
    cr_assert_eq(
        idr_engine_score_json_linked(eng, st, a, strlen(a), IDR_SCORE_RECORD, &res, &err),
        IDR_OK, "%s", err.message);
    idr_result_free(res);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 3);
    cr_assert_eq(sql_count("SELECT count(*) FROM identifiers"), ids);
    free(a);
    idr_store_free(st);
    idr_engine_free(eng);
}

Test(store, forget_leaves_no_trace) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    char *b = cand_b();
    record(eng, st, b);
    long long ids_b = sql_count("SELECT count(*) FROM identifiers");
    /* D: every identifier its own */
    char *d = store_fmt(
        "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"cand-forget\","
        "\"identity\":{\"full_name\":\"Forget Me\",\"date_of_birth\":\"1980-01-02\","
        "\"ssn\":\"555-12-3456\",\"photo_phash\":\"fedcba9876543210\","
        "\"residence\":{\"line1\":\"77 Quiet Lane\",\"postal_code\":\"10001\","
        "\"country\":\"US\"}},"
        "\"documents\":[{\"type\":\"passport\",\"number\":\"Q7654321\"}],"
        "\"contacts\":{\"emails\":[\"forget.me@example.net\"],"
        "\"phones\":[\"+1 212 555 0100\"]},"
        "\"network\":{\"sessions\":[{\"ip\":\"192.0.2.44\",\"at\":"
        "\"2025-01-01T00:00:00Z\",\"device_id\":\"forget-dev\"}]},"
        "\"payment\":{\"account_id\":\"FORGET-ACCT-1\",\"crypto_wallets\":[{\"chain\":"
        "\"BTC\",\"address\":\"bc1qforgetmewallet\"}]},"
        "\"work_history\":{\"resume_text\":\"" STORE_RESUME_OTHER "\"}}");
    record(eng, st, d);
    /* the hashes D's rows hold, computed with the store's key */
    linked l;
    do_link(eng, st, d, &l);
    idr__idset ids;
    cr_assert_eq(idr__idset_build(&ids, NULL, &st->keys, l.cand, &l.en), IDR_OK);
    cr_assert_geq(ids.n, 9);
    for (size_t i = 0; i < ids.n; i++) {
        cr_assert(files_contain(ids.v[i].hash, 32), "hash %zu is stored", i);
    }
    int found = 0;
    idr_error err = {0};
    cr_assert_eq(idr_store_forget(st, "cand-forget", &found, &err), IDR_OK, "%s",
                 err.message);
    cr_assert_eq(found, 1);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates WHERE candidate_id = "
                           "'cand-forget'"),
                 0);
    cr_assert_eq(sql_count("SELECT count(*) FROM identifiers"), ids_b);
    cr_assert_eq(sql_count("SELECT count(*) FROM signatures"), 2, "B's photo and resume");
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    struct stat sb;
    cr_assert(stat(wal, &sb) != 0 || sb.st_size == 0, "the WAL is truncated");
    for (size_t i = 0; i < ids.n; i++) {
        cr_assert(!files_contain(ids.v[i].hash, 32), "hash %zu (%s) left in the files", i,
                  idr__id_class_name(ids.v[i].cls));
    }
    cr_assert(!files_contain(ids.name, 32) && !files_contain(ids.surname, 32) &&
              !files_contain(ids.dob, 32));
    for (int b2 = 0; b2 < IDR__PHOTO_BANDS; b2++) {
        cr_assert(!files_contain(ids.photo_bands[b2], 8), "photo band %d left", b2);
    }
    cr_assert(!files_contain("cand-forget", 11));
    idr__idset_free(&ids);
    linked_free(&l);
    /* forgetting again finds nothing */
    cr_assert_eq(idr_store_forget(st, "cand-forget", &found, &err), IDR_OK);
    cr_assert_eq(found, 0);
    /* B still links to nothing and is intact */
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 1);
    free(b), free(d);
    idr_store_free(st);
    idr_engine_free(eng);
}

Test(store, purge_by_recorded_at) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    idr__standalone s = {10, IDR_ACTION_NONE, ""};
    idr_error err = {0};
    for (unsigned i = 0; i < 4; i++) {
        char *j = store_plain_candidate("purge", i);
        idr_candidate *c = parse(eng, st, j);
        cr_assert_eq(
            idr__store_put(st, NULL, c, NULL, &s, 1000 + 1000 * (int64_t)i, &err), IDR_OK,
            "%s", err.message);
        idr_candidate_free(c);
        free(j);
    }
    unsigned long long n = 99;
    cr_assert_eq(idr_store_purge(st, 1000, &n, &err), IDR_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(idr_store_purge(st, 2500, &n, &err), IDR_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 2);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates WHERE candidate_id IN "
                           "('purge-0', 'purge-1')"),
                 0);
    cr_assert_eq(
        sql_count("SELECT count(*) FROM identifiers WHERE cand NOT IN (SELECT id "
                  "FROM candidates)"),
        0);
    char *stats = NULL;
    cr_assert_eq(idr_store_stats_json(st, &stats, &err), IDR_OK);
    cr_assert(strstr(stats, "\"oldest_recorded_at\":\"1970-01-01T00:50:00Z\""), "%s",
              stats);
    cr_assert(strstr(stats, "\"candidates\":2"), "%s", stats);
    cr_assert(strstr(stats, "\"ssn\":2"), "%s", stats);
    idr_free(stats);
    idr_store_free(st);
    idr_engine_free(eng);
}

/* ------------------------------------------------------------------------------------
 * No plaintext at rest.
 * ---------------------------------------------------------------------------------- */
Test(store, no_plaintext_in_files) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    const char *j =
        "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"plain-1\","
        "\"identity\":{\"full_name\":\"Plain Textperson\",\"ssn\":\"987-65-4320\","
        "\"residence\":{\"line1\":\"4821 Quietwater Lane\",\"city\":\"Boise\","
        "\"postal_code\":\"83702\",\"country\":\"US\"}},"
        "\"documents\":[{\"type\":\"passport\",\"number\":\"P99887766\"}],"
        "\"contacts\":{\"emails\":[\"plain.textperson@example.org\"],"
        "\"phones\":[\"+1 212 555 0187\"]},"
        "\"network\":{\"sessions\":[{\"ip\":\"192.0.2.201\",\"at\":"
        "\"2025-01-01T00:00:00Z\",\"device_id\":\"device-plaintext-77\"}]},"
        "\"payment\":{\"account_id\":\"GB29 NWBK 6016 1331 9268 19\",\"crypto_wallets\":"
        "[{\"chain\":\"BTC\",\"address\":\"bc1qplaintextwallet\"}]},"
        "\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"9 Hiddenvale Road\","
        "\"postal_code\":\"83702\",\"country\":\"US\"}}]},"
        "\"work_history\":{\"employers\":[{\"name\":\"X\",\"references\":[{\"name\":"
        "\"R\",\"phone\":\"+1 646 555 0123\",\"email\":\"ref.secret@example.com\"}]}]}}";
    record(eng, st, j);
    const char *plain[] = {"987-65-4320",
                           "987654320",
                           "+1 212 555 0187",
                           "2125550187",
                           "+12125550187",
                           "plain.textperson@example.org",
                           "plaintextperson@example.org",
                           "plaintextperson",
                           "Textperson",
                           "TEXTPERSON",
                           "Quietwater",
                           "QUIETWATER",
                           "Hiddenvale",
                           "HIDDENVALE",
                           "P99887766",
                           "99887766",
                           "GB29",
                           "NWBK",
                           "60161331926819",
                           "bc1qplaintextwallet",
                           "device-plaintext-77",
                           "6465550123",
                           "ref.secret",
                           "192.0.2.201"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        cr_assert(!files_contain(plain[i], strlen(plain[i])), "'%s' found in the store",
                  plain[i]);
    }
    uint8_t ip[4] = {192, 0, 2, 201};
    cr_assert(!files_contain(ip, 4), "the binary IP is in the store");
    cr_assert(files_contain("plain-1", 7), "the candidate_id is stored (sanity)");
    idr_store_free(st);
    idr_engine_free(eng);
}

/* ------------------------------------------------------------------------------------
 * Migration from schema version 1.
 * ---------------------------------------------------------------------------------- */
Test(store, migrates_v1_to_v2) {
    cr_assert_eq(idr__crypto_init(), 0);
    uint8_t key[32];
    randombytes_buf(key, sizeof key);
    idr__store_keys k;
    idr__store_keys_init(&k, key);
    /* a version 1 store, written with the v1 DDL the library keeps */
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, idr__store_schema_v1, NULL, NULL, NULL), SQLITE_OK,
                 "%s", sqlite3_errmsg(db));
    uint8_t check[32], ssn[32];
    idr__store_key_check(&k, check);
    idr__id_hash(&k.id, "ssn", "123456789", 9, ssn);
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "INSERT INTO meta VALUES('format', 'idrisk.store'),"
                                    " ('key_check', ?1)",
                                    -1, &s, NULL),
                 SQLITE_OK);
    sqlite3_bind_blob(s, 1, check, 32, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    cr_assert_eq(
        sqlite3_exec(db,
                     "INSERT INTO candidates(id, candidate_id, eor, score, action,"
                     " fired, recorded_at) VALUES(1, 'v1-cand', 0, 42, 1,"
                     " 'ssn_invalid', 1700000000)",
                     NULL, NULL, NULL),
        SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(
        sqlite3_prepare_v2(db,
                           "INSERT INTO identifiers(cand, class, role, own_index,"
                           " day, hash) VALUES(1, 1, 0, 0, 0, ?1)",
                           -1, &s, NULL),
        SQLITE_OK);
    sqlite3_bind_blob(s, 1, ssn, 32, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    /* read-only cannot migrate */
    idr_store *st = NULL;
    idr_error err = {0};
    cr_assert_eq(idr_store_open_with_key(&st, db_path, key, 32, IDR_STORE_READONLY, &err),
                 IDR_EDATA);
    cr_assert(strstr(err.message, "version 1"), "%s", err.message);
    cr_assert_eq(idr_store_open_with_key(&st, db_path, key, 32, 0, &err), IDR_OK, "%s",
                 err.message);
    cr_assert_eq(sql_count("PRAGMA user_version"), 2);
    cr_assert_eq(sql_count("SELECT count(*) FROM pragma_table_info('candidates') WHERE "
                           "name = 'dob_hash'"),
                 1);
    /* the v1 candidate still links, and the referrer outcome reads */
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    linked l;
    do_link(eng, st,
            "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"new\",\"identity\":"
            "{\"ssn\":\"123-45-6789\",\"photo_phash\":\"00000000000000ff\"},"
            "\"work_history\":{\"referred_by\":\"v1-cand\"}}",
            &l);
    const idr__link *x = find(&l.l, IDR__LK_SSN, "v1-cand");
    cr_assert_not_null(x);
    cr_assert(!x->same_dob && !x->same_name);
    cr_assert(!x->dob_differs, "no date of birth on the new record: never 'differs'");
    cr_assert(l.l.referrer.found);
    cr_assert_eq(l.l.referrer.score, 42);
    cr_assert_str_eq(l.l.referrer.fired, "ssn_invalid");
    linked_free(&l);
    /* and the migrated store records near-duplicate signatures */
    record(eng, st,
           "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"new\",\"identity\":"
           "{\"ssn\":\"123-45-6789\",\"photo_phash\":\"00000000000000ff\"}}");
    cr_assert_eq(sql_count("SELECT count(*) FROM signatures"), 1);
    idr_store_free(st);
    idr_engine_free(eng);
}

/* ------------------------------------------------------------------------------------
 * Concurrency: two processes on one file, four threads on one store.
 * ---------------------------------------------------------------------------------- */
Test(store, two_processes_record_concurrently) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store_free(open_store(IDR_STORE_CREATE));
    pid_t kids[2];
    for (int p = 0; p < 2; p++) {
        kids[p] = fork();
        cr_assert_neq(kids[p], -1);
        if (kids[p] == 0) {
            idr_store *st = NULL;
            idr_error err = {0};
            int rc = idr_store_open(&st, db_path, NULL, 0, &err);
            for (unsigned i = 0; rc == IDR_OK && i < 500; i++) {
                char *j = store_plain_candidate(p ? "proc1" : "proc0", i);
                idr_candidate *c = NULL;
                rc = idr_candidate_from_json_for_store(&c, eng, st, j, strlen(j), &err);
                if (rc == IDR_OK) {
                    rc = idr_store_record(st, eng, c, &err);
                }
                idr_candidate_free(c);
                free(j);
            }
            if (rc != IDR_OK) {
                fprintf(stderr, "child %d: %s\n", p, err.message);
            }
            idr_store_free(st);
            _exit(rc == IDR_OK ? 0 : 1);
        }
    }
    for (int p = 0; p < 2; p++) {
        int status = 0;
        cr_assert_eq(waitpid(kids[p], &status, 0), kids[p]);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", p);
    }
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 1000);
    cr_assert_eq(sql_count("SELECT count(*) FROM pragma_integrity_check WHERE "
                           "integrity_check <> 'ok'"),
                 0);
    idr_engine_free(eng);
}

typedef struct thread_arg {
    idr_engine *eng;
    idr_store *st;
    int id;
    int failures;
    char msg[256];
} thread_arg;

static void *thread_main(void *p) {
    thread_arg *t = p;
    for (unsigned i = 0; i < 40; i++) {
        /* every thread records distinct candidates that share identifiers with the
         * other threads' (the same i), and links them */
        char prefix[16];
        snprintf(prefix, sizeof prefix, "thr%d", t->id);
        char *j = store_plain_candidate(prefix, i);
        idr_result *res = NULL;
        idr_error err = {0};
        int rc = idr_engine_score_json_linked(t->eng, t->st, j, strlen(j),
                                              IDR_SCORE_RECORD, &res, &err);
        if (rc != IDR_OK) {
            t->failures++;
            snprintf(t->msg, sizeof t->msg, "%s", err.message);
        }
        idr_result_free(res);
        free(j);
    }
    return NULL;
}

Test(store, four_threads_share_one_store) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    pthread_t th[4];
    thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (thread_arg){eng, st, i, 0, ""};
        cr_assert_eq(pthread_create(&th[i], NULL, thread_main, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(args[i].failures, 0, "thread %d: %s", i, args[i].msg);
    }
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 160);
    /* each candidate shares its SSN with the three other threads' same i */
    char *j = store_plain_candidate("thr0", 7);
    linked l;
    do_link(eng, st, j, &l);
    cr_assert_eq(l.l.n_by_kind[IDR__LK_SSN], 3);
    linked_free(&l);
    free(j);
    idr_store_free(st);
    idr_engine_free(eng);
}

/* Sessions from a configured corporate VPN (allow) range are shared by design: not
 * indexed, so no IP link; the device still links. */
Test(store, allow_listed_sessions_not_indexed) {
    idr_engine *eng = test_engine_with(NULL, NULL, "203.0.113.0/24", NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    record_abc(eng, st);
    char *a = cand_a();
    linked l;
    do_link(eng, st, a, &l);
    cr_assert_null(find(&l.l, IDR__LK_IP, "cand-b"));
    cr_assert_not_null(find(&l.l, IDR__LK_DEVICE, "cand-b"));
    cr_assert_eq(sql_count("SELECT count(*) FROM identifiers WHERE class = 9"), 2,
                 "only 198.51.100.9 (A's and B's days) is indexed");
    linked_free(&l);
    free(a);
    idr_store_free(st);
    idr_engine_free(eng);
}

/* idr_store_sync: after it, the records are in the database file itself (the WAL was
 * checkpointed with fsync), which is what survives a power loss. */
Test(store, sync_moves_records_into_the_database) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    char *j = store_plain_candidate("sync", 1);
    record(eng, st, j);
    idr_error err = {0};
    cr_assert_eq(idr_store_sync(st, &err), IDR_OK, "%s", err.message);
    /* a second connection that never reads the WAL: the database file alone */
    sqlite3 *db = NULL;
    char uri[600];
    snprintf(uri, sizeof uri, "file:%s?immutable=1", db_path);
    cr_assert_eq(sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
                 SQLITE_OK);
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM candidates", -1, &s, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(s, 0), 1, "the record is in the database file");
    sqlite3_finalize(s);
    sqlite3_close(db);
    cr_assert_eq(idr_store_sync(NULL, &err), IDR_EINVAL);
    idr_store_free(st);
    st = open_store(IDR_STORE_READONLY);
    cr_assert_eq(idr_store_sync(st, &err), IDR_OK, "read-only: nothing to sync");
    idr_store_free(st);
    free(j);
    idr_engine_free(eng);
}

/* IDR_STORE_BULK: records share a transaction until idr_store_sync() (or the group
 * fills); another connection sees none of them before and all of them after; links on
 * the recording handle see them at once. */
Test(store, bulk_groups_records_until_sync) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    idr_store_free(st); /* created (schema committed) */
    idr_error err = {0};
    cr_assert_eq(
        idr_store_open(&st, db_path, NULL, IDR_STORE_BULK | IDR_STORE_READONLY, &err),
        IDR_EINVAL, "bulk needs a writable store");
    st = open_store(IDR_STORE_BULK);
    for (int i = 0; i < 3; i++) {
        char *j = store_plain_candidate("bulk", i);
        record(eng, st, j);
        free(j);
    }
    idr_store *other = open_store(IDR_STORE_READONLY);
    char *stats = NULL;
    cr_assert_eq(idr_store_stats_json(other, &stats, &err), IDR_OK, "%s", err.message);
    cr_assert(strstr(stats, "\"candidates\":0") != NULL, "before sync: %s", stats);
    idr_free(stats);
    cr_assert_eq(idr_store_stats_json(st, &stats, &err), IDR_OK, "%s", err.message);
    cr_assert(strstr(stats, "\"candidates\":3") != NULL, "own handle: %s", stats);
    idr_free(stats);
    cr_assert_eq(idr_store_sync(st, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(idr_store_stats_json(other, &stats, &err), IDR_OK, "%s", err.message);
    cr_assert(strstr(stats, "\"candidates\":3") != NULL, "after sync: %s", stats);
    idr_free(stats);
    /* forget commits the open group first, then deletes */
    char *j = store_plain_candidate("bulk", 3);
    record(eng, st, j);
    free(j);
    int found = 0;
    cr_assert_eq(idr_store_forget(st, "bulk-3", &found, &err), IDR_OK, "%s", err.message);
    cr_assert(found);
    idr_store_free(other);
    idr_store_free(st);
    idr_engine_free(eng);
}

/* A write that waits longer than the busy timeout for another connection's write lock
 * fails with IDR_EBUSY, names the timeout, and writes nothing; linked scoring (a read)
 * does not wait; once the lock is gone the same write succeeds. */
Test(store, busy_write_lock_gives_ebusy) {
    idr_engine *eng = test_engine_with(NULL, NULL, NULL, NULL);
    idr_store *st = open_store(IDR_STORE_CREATE);
    char *first = store_plain_candidate("busy-first", 1);
    record(eng, st, first);
    cr_assert_eq(idr_store_set_busy_timeout(NULL, 10), IDR_EINVAL);
    cr_assert_eq(idr_store_set_busy_timeout(st, 150), IDR_OK);

    sqlite3 *other = NULL;
    cr_assert_eq(sqlite3_open_v2(db_path, &other, SQLITE_OPEN_READWRITE, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK,
                 "%s", sqlite3_errmsg(other));

    char *j = store_plain_candidate("busy-second", 2);
    idr_candidate *c = parse(eng, st, j);
    idr_error err = {0};
    cr_assert_eq(idr_store_record(st, eng, c, &err), IDR_EBUSY, "%s", err.message);
    cr_assert(strstr(err.message, "busy timeout") && strstr(err.message, "150 ms"), "%s",
              err.message);
    idr_result *r = NULL;
    cr_assert_eq(idr_engine_score_linked(eng, st, c, 0, &r, &err), IDR_OK,
                 "a read does not wait for the writer: %s", err.message);
    idr_result_free(r);
    cr_assert_eq(idr_engine_score_linked(eng, st, c, IDR_SCORE_RECORD, &r, &err),
                 IDR_EBUSY, "scoring with IDR_SCORE_RECORD writes: %s", err.message);
    cr_assert_null(r, "no result when the record could not be written");

    cr_assert_eq(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 1, "nothing was written");
    cr_assert_eq(idr_store_record(st, eng, c, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(sql_count("SELECT count(*) FROM candidates"), 2);
    idr_candidate_free(c);
    idr_store_free(st);
    free(j);
    free(first);
    idr_engine_free(eng);
}
