/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_network_params.c - every parameter of the network family (lib/rules/network.c)
 * is read from the rule pack: a copy of data/rules/default.pack with one
 * `param.<name> = <value>` line added to the indicator's entry, loaded through
 * IDR_CFG_RULES_FILE, turns the same candidate's outcome around. Each test scores the
 * candidate with the default pack first, so it also shows the default's behaviour.
 */
#define _POSIX_C_SOURCE 200809L
#include "../rules_helpers.h"

#include <sys/stat.h>
#include <unistd.h>

#define FIX IDR_TEST_SOURCE_DIR "/tests/fixtures"

/* Replace rh_engine with one on `data_dir` whose pack is default.pack plus `line` in
 * the entry of `indicator` (NULL: the pack unchanged). */
static void use_pack(const char *data_dir, const char *indicator, const char *line) {
    idr_engine_free(rh_engine);
    rh_engine = rh_engine_variant(data_dir, indicator, line);
}

/* Score `json` with the default pack, then with `line` added to `id`'s entry. */
static void both(const char *dir,
                 const char *id,
                 const char *line,
                 const char *json,
                 cJSON **def,
                 cJSON **over) {
    use_pack(dir, NULL, NULL);
    *def = cJSON_Duplicate(rh_score(json), 1);
    use_pack(dir, id, line);
    *over = rh_score(json);
}

static bool fired(cJSON *r, const char *id) {
    return rh_reason(r, id) != NULL;
}

TestSuite(network_params, .fini = rh_teardown);

/* Atlanta by coordinates only: no country, so only the distance can count. */
#define ATLANTA_COORDS                                                                   \
    "\"identity\":{\"residence\":{\"city\":\"Atlanta\",\"lat\":33.749,\"lon\":-84.388}}"
/* Berlin by coordinates only, about 930 km from the flat fixture's London. */
#define BERLIN_COORDS                                                                    \
    "\"identity\":{\"residence\":{\"city\":\"Berlin\",\"lat\":52.52,\"lon\":13.405}}"
#define LONDON_TO_TOKYO_IN(at2)                                                          \
    "\"network\":{\"sessions\":[{\"ip\":\"81.2.69.142\",\"at\":\"2025-03-05T10:00:"      \
    "00Z\"},"                                                                            \
    "{\"ip\":\"2001:218::1\",\"at\":\"" at2 "\"}]}"

/* ---- net_claimed_location_mismatch ---- */

Test(network_params, mismatch_margin_km) {
    cJSON *d, *o;
    both(FIX "/maxmind", "net_claimed_location_mismatch", "param.margin_km = 10000",
         "{\"candidate_id\":\"p\"," ATLANTA_COORDS
         ",\"network\":{\"sessions\":[{\"ip\":\"81.2.69.142\"}]}}",
         &d, &o);
    cr_assert(fired(d, "net_claimed_location_mismatch"), "6,7xx km > radius + 500 km");
    cr_assert(rh_clean(o, "net_claimed_location_mismatch"), "6,7xx km < 10,000 km");
    cJSON_Delete(d);
}

Test(network_params, mismatch_default_accuracy_km) {
    /* the flat fixtures give no accuracy radius */
    cJSON *d, *o;
    both(FIX "/geo-flat", "net_claimed_location_mismatch",
         "param.default_accuracy_km = 1000",
         "{\"candidate_id\":\"p\"," BERLIN_COORDS
         ",\"network\":{\"sessions\":[{\"ip\":\"192.0.2.9\"}]}}",
         &d, &o);
    cr_assert(fired(d, "net_claimed_location_mismatch"), "930 km > 100 + 500 km");
    cr_assert(rh_clean(o, "net_claimed_location_mismatch"), "930 km < 1000 + 500 km");
    cJSON_Delete(d);
}

/* ---- net_impossible_travel ---- */

Test(network_params, travel_max_speed_kmh) {
    cJSON *d, *o;
    both(FIX "/maxmind", "net_impossible_travel", "param.max_speed_kmh = 100000",
         "{\"candidate_id\":\"p\"," LONDON_TO_TOKYO_IN("2025-03-05T11:00:00Z") "}", &d,
         &o);
    cr_assert(fired(d, "net_impossible_travel"));
    cr_assert(rh_clean(o, "net_impossible_travel"));
    cJSON_Delete(d);
}

Test(network_params, travel_min_jump_km) {
    cJSON *d, *o;
    both(FIX "/maxmind", "net_impossible_travel", "param.min_jump_km = 20000",
         "{\"candidate_id\":\"p\"," LONDON_TO_TOKYO_IN("2025-03-05T11:00:00Z") "}", &d,
         &o);
    cr_assert(fired(d, "net_impossible_travel"));
    cr_assert(rh_clean(o, "net_impossible_travel"), "London-Tokyo is under 20,000 km");
    cJSON_Delete(d);
}

Test(network_params, travel_default_accuracy_km) {
    /* London to Atlanta (flat fixtures, no radius: 6,7xx km) in one hour */
    cJSON *d, *o;
    both(FIX "/geo-flat", "net_impossible_travel", "param.default_accuracy_km = 5000",
         "{\"candidate_id\":\"p\",\"network\":{\"sessions\":["
         "{\"ip\":\"192.0.2.9\",\"at\":\"2025-03-05T10:00:00Z\"},"
         "{\"ip\":\"198.51.100.9\",\"at\":\"2025-03-05T11:00:00Z\"}]}}",
         &d, &o);
    cr_assert(fired(d, "net_impossible_travel"));
    cr_assert(rh_clean(o, "net_impossible_travel"), "two 5,000 km radii overlap");
    cJSON_Delete(d);
}

/* ---- net_sustained_other_country ---- */

Test(network_params, foreign_min_sessions) {
    cJSON *d, *o;
    both(FIX "/maxmind", "net_sustained_other_country", "param.min_sessions = 1",
         "{\"candidate_id\":\"p\",\"identity\":{\"residence\":{\"country\":\"US\"}},"
         "\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\"}]}}",
         &d, &o);
    cr_assert(rh_clean(d, "net_sustained_other_country"), "one session is not sustained");
    cr_assert(fired(o, "net_sustained_other_country"));
    cJSON_Delete(d);
}

Test(network_params, foreign_min_share) {
    /* 2 of 5 located sessions from JP while claiming GB */
    cJSON *d, *o;
    both(FIX "/maxmind", "net_sustained_other_country", "param.min_share = 0.4",
         "{\"candidate_id\":\"p\",\"identity\":{\"residence\":{\"country\":\"GB\"}},"
         "\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\"},{\"ip\":\"2001:218::2\"},"
         "{\"ip\":\"81.2.69.142\"},{\"ip\":\"81.2.69.143\"},{\"ip\":\"81.2.69.144\"}]}}",
         &d, &o);
    cr_assert(rh_clean(d, "net_sustained_other_country"), "40%% is under half");
    cr_assert(fired(o, "net_sustained_other_country"));
    cJSON_Delete(d);
}

/* ---- net_offhours_pattern ---- */

/* Sessions at `hh:mm` UTC on five January days; New York is UTC-5 then. */
static const char *nights(char *buf, size_t n, const char *hhmm, int count) {
    size_t o = (size_t)snprintf(buf, n,
                                "{\"candidate_id\":\"p\",\"identity\":{\"timezone\":"
                                "\"America/New_York\"},\"network\":{\"sessions\":[");
    for (int i = 0; i < count; i++) {
        o += (size_t)snprintf(buf + o, n - o,
                              "%s{\"ip\":\"2001:218::1\",\"at\":\"2025-01-%02dT%s:00Z\"}",
                              i ? "," : "", 6 + i, hhmm);
    }
    snprintf(buf + o, n - o, "]}}");
    return buf;
}

Test(network_params, offhours_min_sessions) {
    char buf[2048];
    cJSON *d, *o;
    both(FIX "/maxmind", "net_offhours_pattern", "param.min_sessions = 4",
         nights(buf, sizeof buf, "08:00", 4), &d, &o); /* 03:00 in New York */
    rh_assert_has(rh_not_evaluated(d, "net_offhours_pattern"), "at least 5");
    cr_assert(fired(o, "net_offhours_pattern"));
    cJSON_Delete(d);
}

Test(network_params, offhours_night_share) {
    /* 4 nights (03:00 New York) and one afternoon: 80% */
    const char *json =
        "{\"candidate_id\":\"p\",\"identity\":{\"timezone\":\"America/New_York\"},"
        "\"network\":{\"sessions\":["
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-06T08:00:00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-07T08:00:00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-08T08:00:00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-09T08:00:00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-10T15:00:00Z\"}]}}";
    cJSON *d, *o;
    both(FIX "/maxmind", "net_offhours_pattern", "param.night_share = 0.9", json, &d, &o);
    cr_assert(fired(d, "net_offhours_pattern"), "80%% >= 60%%");
    cr_assert(rh_clean(o, "net_offhours_pattern"), "80%% < 90%%");
    cJSON_Delete(d);
}

Test(network_params, offhours_night_from_hour) {
    /* 04:30Z is 23:30 in New York: outside 00-06, inside a night from 23:00 */
    char buf[2048];
    cJSON *d, *o;
    both(FIX "/maxmind", "net_offhours_pattern", "param.night_from_hour = 23",
         nights(buf, sizeof buf, "04:30", 5), &d, &o);
    cr_assert(rh_clean(d, "net_offhours_pattern"));
    cr_assert(fired(o, "net_offhours_pattern"));
    rh_assert_has(rh_ev(o, "net_offhours_pattern", "night"), "5");
    cJSON_Delete(d);
}

Test(network_params, offhours_night_to_hour) {
    /* 11:30Z is 06:30 in New York: after a night that ends at 06:00, not at 07:00 */
    char buf[2048];
    cJSON *d, *o;
    both(FIX "/maxmind", "net_offhours_pattern", "param.night_to_hour = 7",
         nights(buf, sizeof buf, "11:30", 5), &d, &o);
    cr_assert(rh_clean(d, "net_offhours_pattern"));
    cr_assert(fired(o, "net_offhours_pattern"));
    cJSON_Delete(d);
}
