/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_gazetteer_index.c - the binary gazetteer indexes (lib/enrich/geo/gazetteer.c,
 * docs/geo.md "Gazetteer indexes"): written by idr_data_build_indexes, mapped at engine
 * build. The mapped gazetteer must be the parsed one entry for entry (round trip, also
 * over the fetched GeoNames and ZIP files when present) with the same warnings and
 * residences; a stale, truncated, garbled or foreign index is refused with a warning
 * naming it and the TSV parsed instead; an absent index is parsed silently. White-box:
 * compares the module's arrays, so it includes the module's own header.
 */
#define _POSIX_C_SOURCE 200809L
#include "../rules_helpers.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enrich/geo/geo_internal.h"
#include "internal.h"

#define FIX "/maxmind/GeoIP2-City-Test.mmdb"

static char dir[64];

static void path_of(char *out, size_t n, const char *rel) {
    snprintf(out, n, "%s/%s", dir, rel);
}

static void write_bytes(const char *rel, const void *p, size_t n) {
    char path[256];
    path_of(path, sizeof path, rel);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

static void write_text(const char *rel, const char *text) {
    write_bytes(rel, text, strlen(text));
}

static char *read_all(const char *rel, size_t *len) {
    char path[256];
    path_of(path, sizeof path, rel);
    char *d = idr__read_file(NULL, path, 256u << 20, len);
    cr_assert_not_null(d, "%s", path);
    return d;
}

/* manifest.d/<name>.json for dir/<rel>, as the fetch writes it. */
static void write_manifest(const char *name, const char *rel) {
    char p[256], hex[65], text[1024];
    uint64_t sz = 0;
    path_of(p, sizeof p, rel);
    cr_assert_eq(idr__sha256_file(p, hex, &sz), 0, "%s", p);
    snprintf(text, sizeof text,
             "{\"name\": \"%s\", \"version\": \"1.0\", \"type\": \"gazetteer\", "
             "\"sha256\": \"%s\", \"size\": %llu, \"file\": \"%s\"}\n",
             name, hex, (unsigned long long)sz, rel);
    snprintf(p, sizeof p, "manifest.d/%s.json", name);
    write_text(p, text);
}

static void make_dir(void) {
    snprintf(dir, sizeof dir, "/tmp/idrisk-gazidx-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    static const char *const subs[] = {"manifest.d", "gazetteer"};
    for (size_t i = 0; i < 2; i++) {
        char p[256];
        path_of(p, sizeof p, subs[i]);
        cr_assert_eq(mkdir(p, 0700), 0);
    }
    size_t len = 0;
    char *mmdb =
        idr__read_file(NULL, IDR_TEST_SOURCE_DIR "/tests/fixtures" FIX, 64u << 20, &len);
    cr_assert_not_null(mmdb);
    write_bytes("GeoIP2-City-Test.mmdb", mmdb, len);
    free(mmdb);
}

static void teardown(void) {
    rh_teardown();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(gazindex, .init = make_dir, .fini = teardown);

static idr_engine *build(const char *data_dir) {
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data_dir, &err), IDR_OK);
    cr_assert_eq(idr_config_set_by_name(cfg, "verify_data", "full", &err), IDR_OK);
    idr_engine *eng = NULL;
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s", err.message);
    return eng;
}

static void rebuild(void) {
    idr_engine_free(rh_engine);
    rh_engine = build(dir);
}

static void index_now(const char *data_dir) {
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_data_build_indexes(data_dir, &err), IDR_OK, "%s", err.message);
}

static const char *warnings_of(const idr_engine *eng) {
    static char all[8192];
    all[0] = '\0';
    for (size_t i = 0; i < eng->warnings.n; i++) {
        strncat(all, eng->warnings.v[i], sizeof all - strlen(all) - 2);
        strncat(all, "\n", sizeof all - strlen(all) - 1);
    }
    return all;
}

/* Every entry of the two engines' gazetteers equal, field by field and string by
 * string; and whether b's are mapped. */
static void assert_same_gazetteer(const idr_engine *a, const idr_engine *b) {
    const idr__geo *x = a->mods.geo, *y = b->mods.geo;
    cr_assert_not_null(x);
    cr_assert_not_null(y);
    cr_assert_eq(x->n_zips, y->n_zips);
    for (size_t i = 0; i < x->n_zips; i++) {
        const zip_entry *p = &x->zips[i], *q = &y->zips[i];
        cr_assert(strcmp(p->zip, q->zip) == 0 && p->lat == q->lat && p->lon == q->lon &&
                      p->line == q->line && p->dup_line == q->dup_line,
                  "zip %zu: %s/%s", i, p->zip, q->zip);
    }
    cr_assert_eq(x->n_cities, y->n_cities);
    for (size_t i = 0; i < x->n_cities; i++) {
        const city_entry *p = &x->cities[i], *q = &y->cities[i];
        cr_assert(
            strcmp(p->cc, q->cc) == 0 && p->lat == q->lat && p->lon == q->lon &&
                strcmp(x->city_str + p->name, y->city_str + q->name) == 0 &&
                strcmp(x->city_str + p->norm, y->city_str + q->norm) == 0 &&
                strcmp(x->city_str + p->admin1, y->city_str + q->admin1) == 0 &&
                strcmp(x->city_str + p->admin1_norm, y->city_str + q->admin1_norm) == 0,
            "city %zu: %s / %s", i, x->city_str + p->name, y->city_str + q->name);
    }
}

static const char *const TOWNS = "US\tGA\tGeorgia\tAtlanta\t33.749\t-84.38798\n"
                                 "US\tGA\tGeorgia\tAtlanta\t31.0\t-82.0\n"
                                 "US\tTX\tTexas\tDallas\t32.78\t-96.8\n"
                                 "US\tTX\tTexas\tDallas\t32.79\t-96.81\n"
                                 "US\tOR\tOregon\tSpringfield\t44.04\t-123.02\n"
                                 "US\tIL\tIllinois\tSpringfield\t39.80\t-89.64\n"
                                 "DE\t16\tBerlin\tBerlin\t52.52437\t13.41053\n"
                                 "FR\t11\tÎle-de-France\tSaint-Denis\t48.93564\t2.35387\n"
                                 "bad line\n"
                                 "GB\tENG\tEngland\tLondon\t51.50853\t-0.12574\n";

static const char *const ZIPS = "30303\t33.752504\t-84.388846\n"
                                "10001\t40.750742\t-73.996530\n"
                                "# a comment line\n"
                                "30303\t40.0\t-100.0\n"
                                "10001\t40.750742\t-73.996530\n"
                                "94105\t37.789\t-122.394\n";

static void write_gazetteers(void) {
    write_text("gazetteer/cities.tsv", TOWNS);
    write_text("gazetteer/us-zips.tsv", ZIPS);
    write_manifest("cities", "gazetteer/cities.tsv");
    write_manifest("us-zips", "gazetteer/us-zips.tsv");
}

/* The residence part of the result for `residence` (a JSON object text). */
static char *residence_of(const char *residence) {
    char rec[512];
    snprintf(rec, sizeof rec, "{\"candidate_id\":\"g\",\"identity\":{\"residence\":%s}}",
             residence);
    cJSON *r = rh_score(rec);
    return cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r, "enrichment"), "residence"));
}

static const char *const PLACES[] = {
    "{\"city\":\"Atlanta\",\"region\":\"GA\",\"country\":\"US\"}",
    "{\"city\":\"Dallas\",\"region\":\"TX\",\"country\":\"US\"}",
    "{\"city\":\"Springfield\",\"country\":\"US\"}",
    "{\"city\":\"Springfield\",\"region\":\"Oregon\",\"country\":\"US\"}",
    "{\"city\":\"saint denis\",\"region\":\"ile de france\",\"country\":\"FR\"}",
    "{\"city\":\"Saint-Denis\",\"region\":\"Île-de-France\",\"country\":\"FR\"}",
    "{\"city\":\"BERLIN\",\"country\":\"DE\"}",
    "{\"city\":\"London\",\"country\":\"GB\"}",
    "{\"city\":\"Nowhere\",\"country\":\"GB\"}",
    "{\"postal_code\":\"30303\",\"country\":\"US\"}",
    "{\"postal_code\":\"10001-1234\",\"country\":\"US\"}",
    "{\"postal_code\":\"94105\"}",
    "{\"postal_code\":\"99999\",\"country\":\"US\"}",
};
#define N_PLACES (sizeof PLACES / sizeof PLACES[0])

Test(gazindex, round_trip_gives_the_parsed_gazetteer) {
    write_gazetteers();
    rebuild(); /* no index yet: parsed, silently */
    cr_assert_null(rh_engine->mods.geo->city_map);
    cr_assert_null(strstr(warnings_of(rh_engine), "index"), "%s", warnings_of(rh_engine));
    char *want[N_PLACES];
    for (size_t i = 0; i < N_PLACES; i++) {
        want[i] = residence_of(PLACES[i]);
    }
    char want_w[8192];
    snprintf(want_w, sizeof want_w, "%s", warnings_of(rh_engine));
    rh_assert_has(want_w, "ZIP 30303 is listed on lines 1 and 4");
    idr_engine *parsed = rh_engine;
    rh_engine = NULL;

    index_now(dir);
    rebuild();
    cr_assert_not_null(rh_engine->mods.geo->city_map, "cities.idx is mapped");
    cr_assert_not_null(rh_engine->mods.geo->zip_map, "us-zips.idx is mapped");
    cr_assert_str_eq(warnings_of(rh_engine), want_w, "the same warnings, no other");
    assert_same_gazetteer(parsed, rh_engine);
    for (size_t i = 0; i < N_PLACES; i++) {
        char *got = residence_of(PLACES[i]);
        cr_assert_str_eq(got, want[i], "%s", PLACES[i]);
        free(got);
        free(want[i]);
    }
    idr_engine_free(parsed);
}

Test(gazindex, round_trip_over_the_fetched_gazetteers, .timeout = 120) {
    const char *data = getenv("IDRISK_DATA_DIR");
    char src[512];
    snprintf(src, sizeof src, "%s/gazetteer/cities.tsv", data ? data : "");
    struct stat st;
    if (!data || stat(src, &st) != 0) {
        cr_skip_test("no fetched gazetteer in IDRISK_DATA_DIR");
    }
    static const char *const files[] = {"gazetteer/cities.tsv", "gazetteer/us-zips.tsv",
                                        "manifest.d/cities.json",
                                        "manifest.d/us-zips.json"};
    for (size_t i = 0; i < 4; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", data, files[i]);
        size_t len = 0;
        char *d = idr__read_file(NULL, p, 256u << 20, &len);
        cr_assert_not_null(d, "%s", p);
        write_bytes(files[i], d, len);
        free(d);
    }
    rebuild();
    idr_engine *parsed = rh_engine;
    rh_engine = NULL;
    cr_assert_gt(parsed->mods.geo->n_cities, 100000);
    index_now(dir);
    rebuild();
    cr_assert_not_null(rh_engine->mods.geo->city_map);
    cr_assert_str_eq(warnings_of(rh_engine), warnings_of(parsed));
    assert_same_gazetteer(parsed, rh_engine);
    idr_engine_free(parsed);
}

/* After an index was written: `mutate` it or its TSV, rebuild, and expect the warning
 * `needle` naming the index, the TSV parsed (nothing mapped), the lookups unchanged. */
static void assert_refused(const char *needle) {
    rebuild();
    const char *w = warnings_of(rh_engine);
    char idx[256];
    path_of(idx, sizeof idx, "gazetteer/cities.idx");
    rh_assert_has(w, idx);
    rh_assert_has(w, needle);
    cr_assert_null(rh_engine->mods.geo->city_map, "a refused index is not mapped");
    cr_assert_gt(rh_engine->mods.geo->n_cities, 0, "the TSV is parsed instead");
    char *got = residence_of(PLACES[7]);
    rh_assert_has(got, "\"known\":true");
    free(got);
}

Test(gazindex, stale_index_is_refused) {
    write_gazetteers();
    index_now(dir);
    /* the TSV replaced (one more town) and its manifest with it */
    char more[2048];
    snprintf(more, sizeof more, "%sUS\tWA\tWashington\tSeattle\t47.6\t-122.3\n", TOWNS);
    write_text("gazetteer/cities.tsv", more);
    write_manifest("cities", "gazetteer/cities.tsv");
    assert_refused("was built from another version of the TSV file");
    char *got = residence_of("{\"city\":\"Seattle\",\"country\":\"US\"}");
    rh_assert_has(got, "\"known\":true");
    free(got);
}

Test(gazindex, same_size_edit_with_old_manifest_is_refused_in_full_mode) {
    write_gazetteers();
    index_now(dir);
    /* same size, other bytes, manifest not updated: the full check refuses the TSV
     * itself, and the index (which matches the manifest) is not used for it either */
    size_t len = 0;
    char *t = read_all("gazetteer/cities.tsv", &len);
    t[strstr(t, "Dallas") - t] = 'B';
    write_bytes("gazetteer/cities.tsv", t, len);
    free(t);
    rebuild();
    rh_assert_has(warnings_of(rh_engine), "cities.tsv does not match its manifest");
    cr_assert_eq(rh_engine->mods.geo->n_cities, 0);
    cr_assert_null(rh_engine->mods.geo->city_map);
}

Test(gazindex, index_without_manifest_is_refused) {
    write_gazetteers();
    index_now(dir);
    char p[256];
    path_of(p, sizeof p, "manifest.d/cities.json");
    cr_assert_eq(unlink(p), 0);
    assert_refused("the TSV's manifest gives no sha256");
}

Test(gazindex, truncated_index_is_refused) {
    write_gazetteers();
    index_now(dir);
    size_t len = 0;
    char *d = read_all("gazetteer/cities.idx", &len);
    static const size_t cuts[] = {0, 10, 127, 128, 200};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes("gazetteer/cities.idx", d, cuts[i]);
        assert_refused("truncated");
    }
    write_bytes("gazetteer/cities.idx", d, len - 1);
    assert_refused("truncated or damaged");
    free(d);
}

Test(gazindex, garbled_index_is_refused) {
    write_gazetteers();
    index_now(dir);
    size_t len = 0;
    char *d = read_all("gazetteer/cities.idx", &len);
    /* one bit anywhere past the header, and in each header field */
    for (size_t at = 0; at < len; at += at < 128 ? 4 : 37) {
        d[at] ^= 0x04;
        write_bytes("gazetteer/cities.idx", d, len);
        rebuild();
        cr_assert_null(rh_engine->mods.geo->city_map, "bit at %zu: still mapped", at);
        rh_assert_has(warnings_of(rh_engine), "cities.idx");
        d[at] ^= 0x04;
    }
    /* not an index at all */
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++) {
        junk[i] = (char)(i * 131 + 7);
    }
    write_bytes("gazetteer/cities.idx", junk, sizeof junk);
    assert_refused("is not an idrisk gazetteer index");
    /* a zips index where the cities index belongs */
    size_t zl = 0;
    char *z = read_all("gazetteer/us-zips.idx", &zl);
    write_bytes("gazetteer/cities.idx", z, zl);
    assert_refused("has another format version");
    free(z);
    free(d);
}

Test(gazindex, absent_tsv_removes_its_index) {
    write_gazetteers();
    index_now(dir);
    char p[256];
    path_of(p, sizeof p, "gazetteer/us-zips.tsv");
    cr_assert_eq(unlink(p), 0);
    index_now(dir);
    path_of(p, sizeof p, "gazetteer/us-zips.idx");
    struct stat st;
    cr_assert_neq(stat(p, &st), 0, "us-zips.idx left without its TSV");
    path_of(p, sizeof p, "gazetteer/cities.idx");
    cr_assert_eq(stat(p, &st), 0);
}

Test(gazindex, no_data_dir_is_einval) {
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_data_build_indexes(NULL, &err), IDR_EINVAL);
    cr_assert_eq(idr_data_build_indexes("", &err), IDR_EINVAL);
}
