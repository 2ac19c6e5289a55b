/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_datafaults.c - faults in data files (issue 9 item 4, docs/data-integrity.md):
 * fetched files checked against their manifests at engine build (stamp, full, size and
 * off modes), the stamps idr_data_verify() writes, duplicate ZIP codes in the gazetteer,
 * TLD-wide entries in a domain list, and truncated or bit-flipped .mmdb files without a
 * manifest. Each test builds its data directory in /tmp from tests/fixtures and removes
 * it afterwards. A broken rule pack is covered by test_rulepack.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "../rules_helpers.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define FIX  IDR_TEST_SOURCE_DIR "/tests/fixtures"
#define CITY "GeoIP2-City-Test"

static char dir[64];
static bool lists_here;

static void path_of(char *out, size_t n, const char *rel) {
    snprintf(out, n, "%s/%s", dir, rel);
}

static void write_text(const char *rel, const char *text) {
    char p[256];
    path_of(p, sizeof p, rel);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "%s", p);
    fputs(text, f);
    fclose(f);
}

/* Copy `src` to dir/rel, keeping its first `keep` bytes (all when SIZE_MAX) and
 * flipping bit 0 of every `flip_every`-th byte (none when 0). */
static void copy_file(const char *src, const char *rel, size_t keep, size_t flip_every) {
    char p[256];
    path_of(p, sizeof p, rel);
    size_t len = 0;
    char *data = idr__read_file(NULL, src, 64u << 20, &len);
    cr_assert_not_null(data, "%s", src);
    if (keep < len) {
        len = keep;
    }
    for (size_t i = flip_every ? flip_every / 2 : len; i < len && flip_every;
         i += flip_every) {
        data[i] ^= 1;
    }
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f, "%s", p);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    free(data);
}

/* Flip one bit in the middle of dir/rel. */
static void flip_bit(const char *rel) {
    char p[256];
    path_of(p, sizeof p, rel);
    FILE *f = fopen(p, "r+b");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long mid = ftell(f) / 2;
    fseek(f, mid, SEEK_SET);
    int c = fgetc(f);
    fseek(f, mid, SEEK_SET);
    fputc(c ^ 0x10, f);
    fclose(f);
}

/* manifest.d/<name>.json for dir/<rel> as tools/fetch-lib.sh writes it; `size` < 0
 * leaves the size out. Returns the digest written (static buffer). */
static const char *write_manifest(const char *name, const char *rel, long long size) {
    static char hex[65];
    char p[256], text[1024];
    path_of(p, sizeof p, rel);
    uint64_t sz = 0;
    cr_assert_eq(idr__sha256_file(p, hex, &sz), 0, "%s", p);
    char size_field[64] = "";
    if (size >= 0) {
        snprintf(size_field, sizeof size_field, "  \"size\": %lld,\n", size);
    }
    snprintf(text, sizeof text,
             "{\n  \"name\": \"%s\",\n  \"version\": \"1.0\",\n  \"type\": \"x\",\n"
             "  \"sha256\": \"%s\",\n%s  \"file\": \"%s\",\n  \"source\": \"test\"\n}\n",
             name, hex, size_field, rel);
    snprintf(p, sizeof p, "manifest.d/%s.json", name);
    write_text(p, text);
    return hex;
}

static long long file_size(const char *rel) {
    char p[256];
    struct stat st;
    path_of(p, sizeof p, rel);
    cr_assert_eq(stat(p, &st), 0);
    return (long long)st.st_size;
}

static void make_dir(void) {
    lists_here = false;
    snprintf(dir, sizeof dir, "/tmp/idrisk-faults-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    static const char *const subs[] = {"manifest.d", "gazetteer", "lists"};
    for (size_t i = 0; i < 3; i++) {
        char p[256];
        path_of(p, sizeof p, subs[i]);
        cr_assert_eq(mkdir(p, 0700), 0);
    }
    copy_file(FIX "/maxmind/" CITY ".mmdb", CITY ".mmdb", SIZE_MAX, 0);
}

static void engine_with(const char *verify) {
    idr_engine_free(rh_engine);
    rh_engine = NULL;
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                                    IDR_TEST_SOURCE_DIR "/data/rules/default.pack", &err),
                 IDR_OK, "%s", err.message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, dir, &err), IDR_OK);
    /* the default ("stamp") unless the test says otherwise, whatever the
     * environment helper set */
    cr_assert_eq(
        idr_config_set_by_name(cfg, "verify_data", verify ? verify : "stamp", &err),
        IDR_OK, "%s", err.message);
    if (lists_here) { /* curated lists from the temporary directory */
        cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, dir, &err), IDR_OK);
    }
    int rc = idr_engine_new(&rh_engine, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s (%s)", err.message, err.field);
}

static void teardown(void) {
    rh_teardown();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(datafaults, .init = make_dir, .fini = teardown);

/* The engine's warnings, joined (for strstr). */
static const char *warnings(void) {
    static char all[8192];
    all[0] = '\0';
    for (size_t i = 0; i < rh_engine->warnings.n; i++) {
        strncat(all, rh_engine->warnings.v[i], sizeof all - strlen(all) - 2);
        strncat(all, "\n", sizeof all - strlen(all) - 1);
    }
    return all;
}

static bool has_data(const char *name) {
    for (size_t i = 0; i < rh_engine->n_data; i++) {
        if (strcmp(rh_engine->data[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

#define LONDON_RECORD                                                                    \
    "{\"candidate_id\":\"f1\",\"identity\":{\"residence\":{\"city\":\"Atlanta\","        \
    "\"country\":\"US\",\"lat\":33.749,\"lon\":-84.388}},\"network\":{\"sessions\":[{"   \
    "\"ip\":\"81.2.69.142\",\"event\":\"login\"}]}}"

Test(datafaults, matching_manifest_is_used) {
    write_manifest(CITY, CITY ".mmdb", -1);
    engine_with(NULL);
    cr_assert_null(strstr(warnings(), "does not match"), "%s", warnings());
    cr_assert(has_data(CITY));
    cJSON *r = rh_score(LONDON_RECORD);
    rh_assert_has(rh_detail(r, "net_claimed_location_mismatch"), "GB");
}

Test(datafaults, flipped_bit_is_refused_by_name) {
    char want[65], p[256];
    strcpy(want, write_manifest(CITY, CITY ".mmdb", -1));
    flip_bit(CITY ".mmdb");
    char got[65];
    path_of(p, sizeof p, CITY ".mmdb");
    cr_assert_eq(idr__sha256_file(p, got, NULL), 0);
    engine_with(NULL);
    const char *w = warnings();
    cr_assert_not_null(strstr(w, p), "%s", w);
    cr_assert_not_null(strstr(w, "does not match its manifest"), "%s", w);
    cr_assert_not_null(strstr(w, want), "expected digest named: %s", w);
    cr_assert_not_null(strstr(w, got), "found digest named: %s", w);
    cr_assert_not_null(strstr(w, "run `idrisk data fetch` again"), "%s", w);
    cr_assert(!has_data(CITY), "a refused file is not in the data list");
    cJSON *r = rh_score(LONDON_RECORD);
    cr_assert_not_null(rh_not_evaluated(r, "net_claimed_location_mismatch"));
    cr_assert_not_null(rh_not_evaluated(r, "net_impossible_travel"));
}

Test(datafaults, size_mode_compares_the_size_only) {
    long long size = file_size(CITY ".mmdb");
    write_manifest(CITY, CITY ".mmdb", size);
    flip_bit(CITY ".mmdb"); /* same size: "size" cannot see it, by design */
    engine_with("size");
    cr_assert_null(strstr(warnings(), "does not match"), "%s", warnings());
    cr_assert(has_data(CITY));
    /* a wrong size is refused */
    write_manifest(CITY, CITY ".mmdb", size + 1);
    engine_with("size");
    rh_assert_has(warnings(), "size expected");
    cr_assert(!has_data(CITY));
}

Test(datafaults, size_mode_without_a_size_hashes) {
    write_manifest(CITY, CITY ".mmdb", -1);
    flip_bit(CITY ".mmdb");
    engine_with("size");
    rh_assert_has(warnings(), "sha256 expected");
    cr_assert(!has_data(CITY));
}

Test(datafaults, off_mode_checks_nothing) {
    write_manifest(CITY, CITY ".mmdb", 1);
    flip_bit(CITY ".mmdb");
    engine_with("off");
    cr_assert_null(strstr(warnings(), "does not match"), "%s", warnings());
    cr_assert(has_data(CITY));
}

Test(datafaults, bad_verify_mode_is_refused) {
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(idr_config_set_by_name(cfg, "verify_data", "partial", &err), IDR_EINVAL);
    rh_assert_has(err.message, "verify_data");
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_VERIFY_DATA, "full", &err), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_VERIFY_DATA, "stamp", &err), IDR_OK);
    idr_config_free(cfg);
}

/* ---- stamps (verify_data "stamp", idr_data_verify) ---- */

/* A stamp for dir/rel saying that its current identity matched `sha256`, written as
 * idr_data_verify() writes it, whatever the file's content. */
static void forge_stamp(const char *name, const char *rel, const char *sha256) {
    char p[256];
    struct stat st;
    path_of(p, sizeof p, rel);
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(idr__stamp_write(dir, name, rel, &st, sha256), 0, "%s", strerror(errno));
}

static bool exists(const char *rel) {
    char p[256];
    struct stat st;
    path_of(p, sizeof p, rel);
    return stat(p, &st) == 0;
}

/* What idr_data_verify() reported, one "status name" line per file. */
static void collect(void *ctx,
                    const char *name,
                    const char *path,
                    const char *status,
                    const char *detail) {
    (void)path;
    (void)detail;
    char *all = ctx;
    snprintf(all + strlen(all), 1024 - strlen(all), "%s %s\n", status, name);
}

Test(datafaults, matching_stamp_spares_the_hash) {
    char want[65];
    strcpy(want, write_manifest(CITY, CITY ".mmdb", -1));
    forge_stamp(CITY, CITY ".mmdb", want);
    engine_with("stamp");
    cr_assert_eq(rh_engine->checked.trusted, 1);
    cr_assert_eq(rh_engine->checked.hashed, 0);
    cr_assert_eq(rh_engine->checked.hashed_bytes, 0);
    cr_assert(has_data(CITY));
    /* Proof that the file was not read: damage it, then stamp its new identity with
     * the manifest's digest (what bit rot under an intact stamp looks like). Stamp
     * mode trusts it, which is the documented limit; full mode reads it and refuses
     * it. */
    flip_bit(CITY ".mmdb");
    forge_stamp(CITY, CITY ".mmdb", want);
    engine_with("stamp");
    cr_assert_null(strstr(warnings(), "does not match"), "%s", warnings());
    cr_assert(has_data(CITY));
    cr_assert_eq(rh_engine->checked.hashed_bytes, 0);
    engine_with("full");
    rh_assert_has(warnings(), "sha256 expected");
    cr_assert(!has_data(CITY));
    cr_assert_eq(rh_engine->checked.trusted, 0);
    cr_assert_eq(rh_engine->checked.hashed_bytes, (uint64_t)file_size(CITY ".mmdb"));
}

Test(datafaults, missing_stamp_hashes_silently_and_writes_nothing) {
    write_manifest(CITY, CITY ".mmdb", -1);
    engine_with("stamp");
    cr_assert_eq(rh_engine->checked.trusted, 0);
    cr_assert_eq(rh_engine->checked.hashed, 1);
    cr_assert_eq(rh_engine->checked.hashed_bytes, (uint64_t)file_size(CITY ".mmdb"));
    cr_assert_null(strstr(warnings(), "manifest"), "a match is silent: %s", warnings());
    cr_assert(has_data(CITY));
    cr_assert(!exists("manifest.d/" CITY ".stamp"), "an engine never writes a stamp");
    /* and a damaged file without a stamp is refused, as in full mode */
    flip_bit(CITY ".mmdb");
    engine_with("stamp");
    rh_assert_has(warnings(), "sha256 expected");
    cr_assert(!has_data(CITY));
}

Test(datafaults, stamp_of_another_digest_hashes) {
    char want[65];
    strcpy(want, write_manifest(CITY, CITY ".mmdb", -1));
    /* a stamp from an older manifest: identity right, digest not the manifest's */
    forge_stamp(CITY, CITY ".mmdb",
                "00000000000000000000000000000000000000000000000000000000000000ff");
    engine_with("stamp");
    cr_assert_eq(rh_engine->checked.trusted, 0);
    cr_assert_eq(rh_engine->checked.hashed, 1);
    cr_assert_null(strstr(warnings(), "manifest"), "%s", warnings());
    cr_assert(has_data(CITY));
    /* the file damaged and stamped with the damaged content's digest: hashed, caught */
    flip_bit(CITY ".mmdb");
    char p[256], got[65];
    path_of(p, sizeof p, CITY ".mmdb");
    cr_assert_eq(idr__sha256_file(p, got, NULL), 0);
    forge_stamp(CITY, CITY ".mmdb", got);
    engine_with("stamp");
    cr_assert_eq(rh_engine->checked.hashed, 1);
    rh_assert_has(warnings(), want);
    cr_assert(!has_data(CITY));
}

Test(datafaults, malformed_stamp_is_ignored) {
    char want[65], text[512];
    strcpy(want, write_manifest(CITY, CITY ".mmdb", -1));
    forge_stamp(CITY, CITY ".mmdb", want);
    char p[256];
    path_of(p, sizeof p, "manifest.d/" CITY ".stamp");
    size_t len = 0;
    char *stamp = idr__read_file(NULL, p, 4096, &len);
    cr_assert_not_null(stamp);
    /* cut before its last line (the device): incomplete, so not trusted */
    char *last = strstr(stamp, "device ");
    cr_assert_not_null(last);
    *last = '\0';
    snprintf(text, sizeof text, "%s", stamp);
    free(stamp);
    write_text("manifest.d/" CITY ".stamp", text);
    engine_with("stamp");
    cr_assert_eq(rh_engine->checked.trusted, 0);
    cr_assert_eq(rh_engine->checked.hashed, 1);
    cr_assert(has_data(CITY));
}

Test(datafaults, data_verify_stamps_and_an_edit_makes_the_stamp_stale) {
    char want[65], seen[1024] = "";
    strcpy(want, write_manifest(CITY, CITY ".mmdb", -1));
    write_text("lists/free-email-domains.txt", "gmail.com\n");
    write_manifest("free-email-domains", "lists/free-email-domains.txt", -1);
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_data_verify(dir, collect, seen, &err), IDR_OK, "%s", err.message);
    rh_assert_has(seen, "ok " CITY "\n");
    rh_assert_has(seen, "ok free-email-domains\n");
    cr_assert(strstr(seen, "ok " CITY) < strstr(seen, "ok free-email"), "name order");
    cr_assert(exists("manifest.d/" CITY ".stamp"));
    cr_assert(exists("manifest.d/free-email-domains.stamp"));
    /* the files were just written: the stamp came more than a second after their
     * ctime (it waits 2 s past it), so no later write can share the ctime it saw */
    char sp[256], *text;
    struct stat sst;
    path_of(sp, sizeof sp, "manifest.d/" CITY ".stamp");
    cr_assert_eq(stat(sp, &sst), 0);
    text = idr__read_file(NULL, sp, 4096, NULL);
    cr_assert_not_null(text);
    const char *c = strstr(text, "\nctime_ns ");
    cr_assert_not_null(c, "%s", text);
    long long ctime_ns = strtoll(c + 10, NULL, 10);
    free(text);
    long long stamp_ns =
        (long long)sst.st_mtim.tv_sec * 1000000000LL + sst.st_mtim.tv_nsec;
    cr_assert_gt(stamp_ns - ctime_ns, 1000000000LL, "stamped %lld ns after the ctime",
                 stamp_ns - ctime_ns);
    engine_with("stamp");
    cr_assert_eq(rh_engine->checked.trusted, 2);
    cr_assert_eq(rh_engine->checked.hashed, 0);
    cr_assert(has_data(CITY));
    /* An in-place edit after the stamp: idr_data_verify() hashed only once the clock
     * had passed the file's ctime, so this write changes it and the stamp is stale. */
    flip_bit(CITY ".mmdb");
    engine_with("stamp");
    cr_assert_eq(rh_engine->checked.trusted, 1, "the list's stamp still holds");
    cr_assert_eq(rh_engine->checked.hashed, 1);
    rh_assert_has(warnings(), "does not match its manifest");
    rh_assert_has(warnings(), want);
    cr_assert(!has_data(CITY));
}

Test(datafaults, data_verify_reports_damage_and_drops_the_stamp) {
    char want[65];
    strcpy(want, write_manifest(CITY, CITY ".mmdb", -1));
    forge_stamp(CITY, CITY ".mmdb", want);
    flip_bit(CITY ".mmdb");
    forge_stamp(CITY, CITY ".mmdb", want); /* bit rot under an intact stamp */
    write_text("gazetteer/us-zips.tsv", "30303\t33.75\t-84.39\n");
    write_manifest("us-zips", "gazetteer/us-zips.tsv", -1);
    char p[256];
    path_of(p, sizeof p, "gazetteer/us-zips.tsv");
    cr_assert_eq(unlink(p), 0);
    char seen[1024] = "";
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_data_verify(dir, collect, seen, &err), IDR_EDATA);
    rh_assert_has(err.message, "2 data files");
    rh_assert_has(seen, "damaged " CITY "\n");
    rh_assert_has(seen, "missing us-zips\n");
    cr_assert(!exists("manifest.d/" CITY ".stamp"), "the stamp of a bad file is removed");
    engine_with("stamp"); /* so the engine now hashes it and refuses it */
    rh_assert_has(warnings(), "sha256 expected");
    cr_assert(!has_data(CITY));
    cr_assert_eq(idr_data_verify(NULL, NULL, NULL, &err), IDR_EINVAL);
    cr_assert_eq(idr_data_verify("/nonexistent/idrisk", NULL, NULL, &err), IDR_EIO);
}

Test(datafaults, file_without_manifest_is_used_unverified) {
    flip_bit(CITY ".mmdb"); /* nothing to compare with: used as before */
    engine_with(NULL);
    cr_assert_null(strstr(warnings(), "does not match"), "%s", warnings());
}

Test(datafaults, flipped_list_is_not_used) {
    write_text("lists/disposable-email-domains.txt", "mailinator.com\n");
    write_manifest("disposable-email-domains", "lists/disposable-email-domains.txt", -1);
    write_text("lists/disposable-email-domains.txt", "mailinator.con\n");
    engine_with(NULL);
    rh_assert_has(warnings(), "disposable-email-domains.txt does not match");
    cr_assert(!idr__lists_have_disposable(rh_engine->mods.lists));
}

Test(datafaults, duplicate_zip_is_ambiguous) {
    write_text("gazetteer/us-zips.tsv", "30303\t33.752504\t-84.388846\n"
                                        "10001\t40.750742\t-73.996530\n"
                                        "# a comment line\n"
                                        "30303\t40.0\t-100.0\n"
                                        "10001\t40.750742\t-73.996530\n");
    engine_with(NULL);
    const char *w = warnings();
    rh_assert_has(w, "us-zips.tsv: ZIP 30303 is listed on lines 1 and 4");
    cr_assert_null(strstr(w, "ZIP 10001"), "same coordinates twice is harmless: %s", w);
    cJSON *r = rh_score("{\"candidate_id\":\"z\",\"identity\":{\"residence\":{"
                        "\"postal_code\":\"30303\",\"country\":\"US\"}}}");
    cJSON *res = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r, "enrichment"), "residence");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(res, "known")));
    rh_assert_has(rh_str(res, "why"), "ZIP code '30303' is ambiguous");
    rh_assert_has(rh_str(res, "why"), "lines 1 and 4");
    r = rh_score("{\"candidate_id\":\"z\",\"identity\":{\"residence\":{"
                 "\"postal_code\":\"10001\",\"country\":\"US\"}}}");
    res = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r, "enrichment"), "residence");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "known")));
}

Test(datafaults, tld_wide_list_entries_are_skipped) {
    write_text("lists/disposable-email-domains.txt",
               "# header\n*.com\nmailinator.com\n\ncom\n.com\n*.33mail.com\nbad*.net\n");
    engine_with(NULL);
    const char *w = warnings();
    rh_assert_has(w, "disposable-email-domains.txt: 4 entries");
    rh_assert_has(w, "line 2, '*.com'");
    const idr__lists *l = rh_engine->mods.lists;
    cr_assert(!idr__lists_is_disposable(l, "gmail.com"));
    cr_assert(!idr__lists_is_disposable(l, "com"));
    cr_assert(idr__lists_is_disposable(l, "mailinator.com"));
    cr_assert(idr__lists_is_disposable(l, "x.33mail.com"), "a real wildcard still works");
}

Test(datafaults, truncated_mmdb_is_a_warning_not_a_crash) {
    copy_file(FIX "/maxmind/GeoLite2-ASN-Test.mmdb", "asn-cut.mmdb", 3000, 0);
    copy_file(FIX "/maxmind/GeoLite2-City-Test.mmdb", "city-cut.mmdb", 100, 0);
    engine_with(NULL);
    const char *w = warnings();
    rh_assert_has(w, "asn-cut.mmdb");
    rh_assert_has(w, "city-cut.mmdb");
    cJSON *r = rh_score(LONDON_RECORD);
    cr_assert_not_null(r);
}

Test(datafaults, bit_flipped_mmdb_never_crashes) {
    /* one flipped bit per 512 bytes, the reproducer, without a manifest */
    copy_file(FIX "/maxmind/GeoLite2-City-Test.mmdb", "city-flipped.mmdb", SIZE_MAX, 512);
    copy_file(FIX "/maxmind/GeoIP2-ISP-Test.mmdb", "isp-flipped.mmdb", SIZE_MAX, 512);
    engine_with(NULL);
    static const char *const ips[] = {"81.2.69.142",   "2001:218::1",   "1.128.0.1",
                                      "89.160.20.112", "216.160.83.56", "::1"};
    for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
        char *out = NULL;
        int rc = idr_engine_lookup_ip(rh_engine, ips[i], &out, NULL);
        cr_assert(rc == IDR_OK || rc == IDR_EUNAVAILABLE, "%s: %d", ips[i], rc);
        idr_free(out);
    }
    char rec[512];
    snprintf(rec, sizeof rec,
             "{\"candidate_id\":\"b\",\"network\":{\"sessions\":[{\"ip\":\"%s\"},"
             "{\"ip\":\"%s\"},{\"ip\":\"%s\"}]}}",
             ips[0], ips[2], ips[4]);
    cr_assert_not_null(rh_score(rec));
}

Test(datafaults, curated_tsv_duplicates_are_named) {
    write_text("asn_classes.tsv", "# ASN\tclass\torg\tsource\n"
                                  "64500\thosting\tExample Cloud\t[G22]\n"
                                  "64501\tvpn\tExample VPN\t[G22]\n"
                                  "64500\tresidential\tExample Cloud\t[G22]\n"
                                  "64501\tvpn\tExample VPN\t[G22]\n");
    write_text("astrill.tsv", "Astrill\t[FBI25]\nASTRILL\t[other]\n");
    lists_here = true;
    engine_with(NULL);
    const char *w = warnings();
    rh_assert_has(w, "asn_classes.tsv: AS64500 is listed on lines 2 and 4");
    cr_assert_null(strstr(w, "AS64501"), "the same class twice is harmless: %s", w);
    rh_assert_has(w, "astrill.tsv: operator 'ASTRILL' is listed again on line 2 (first "
                     "on line 1)");
}

Test(datafaults, city_listed_twice_in_one_region_is_ambiguous) {
    write_text("gazetteer/cities.tsv", "US\tGA\tGeorgia\tAtlanta\t33.749\t-84.38798\n"
                                       "US\tGA\tGeorgia\tAtlanta\t31.0\t-82.0\n"
                                       "US\tTX\tTexas\tDallas\t32.78\t-96.8\n"
                                       "US\tTX\tTexas\tDallas\t32.79\t-96.81\n");
    engine_with(NULL);
    cJSON *r = rh_score("{\"candidate_id\":\"c\",\"identity\":{\"residence\":{\"city\":"
                        "\"Atlanta\",\"region\":\"GA\",\"country\":\"US\"}}}");
    cJSON *res = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r, "enrichment"), "residence");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(res, "known")));
    rh_assert_has(rh_str(res, "why"), "names 2 places more than 50 km apart");
    /* the same place listed twice (within 50 km) still resolves */
    r = rh_score("{\"candidate_id\":\"c\",\"identity\":{\"residence\":{\"city\":"
                 "\"Dallas\",\"region\":\"TX\",\"country\":\"US\"}}}");
    res = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r, "enrichment"), "residence");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "known")));
}
