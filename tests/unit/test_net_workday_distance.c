/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_net_workday_distance.c - net_domestic_distance_mismatch (the laptop-farm
 * pattern: most recent sessions far from the claimed home inside the claimed country)
 * and net_workday_offset (a working week in another UTC offset), through the public
 * API with MaxMind's test databases: 216.160.83.56 is Milton, WA (accuracy 22 km),
 * 214.78.120.1 San Diego, and 149.101.100.1 the US centroid (accuracy 1000 km) on a
 * Cellular connection in AS6167 (a mobile operator in data/mobile_asns.tsv).
 */
#define _POSIX_C_SOURCE 200809L
#include "../rules_helpers.h"
#include "../test_engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define FIX IDR_TEST_SOURCE_DIR "/tests/fixtures"

static void mm_setup(void) {
    idr_engine_free(rh_engine);
    rh_engine = test_engine_with(FIX "/maxmind", NULL, NULL, NULL);
}

TestSuite(net_local, .init = mm_setup, .fini = rh_teardown);

#define ATLANTA                                                                          \
    "\"residence\":{\"city\":\"Atlanta\",\"region\":\"GA\",\"country\":\"US\","          \
    "\"lat\":33.749,\"lon\":-84.388}"
#define TACOMA                                                                           \
    "\"residence\":{\"city\":\"Tacoma\",\"region\":\"WA\",\"country\":\"US\","           \
    "\"lat\":47.2529,\"lon\":-122.4443}"

#define MILTON    "216.160.83.56"
#define SAN_DIEGO "214.78.120.1"
#define CELLULAR  "149.101.100.1"

/* Monday 2025-01-06 00:00:00Z */
#define MONDAY 1736121600LL

typedef struct buf {
    char s[65536];
    size_t n;
} buf;

static void put(buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    cr_assert(k >= 0 && (size_t)k < sizeof b->s - b->n, "test buffer too small");
    b->n += (size_t)k;
}

/* One session at instant `t` (seconds since the epoch). */
static void session(buf *b, const char *ip, long long t, const char *event) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char at[32];
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    put(b, "%s{\"ip\":\"%s\",\"at\":\"%s\",\"event\":\"%s\"}",
        b->s[b->n - 1] == '[' ? "" : ",", ip, at, event);
}

/* Sessions on the weekdays of three weeks at the given UTC times of day (seconds
 * after the day's 00:00Z, counted from `first_day`, the first day at 00:00Z). */
static void
weeks(buf *b, const char *ip, long long first_day, const int *utc_secs, size_t n) {
    for (int d = 0; d < 21; d++) {
        if (d % 7 >= 5) {
            continue; /* the two days after each run of five */
        }
        for (size_t k = 0; k < n; k++) {
            session(b, ip, first_day + d * 86400LL + utc_secs[k], "login");
        }
    }
}

static void begin(buf *b, const char *identity, const char *extra) {
    b->n = 0;
    put(b,
        "{\"candidate_id\":\"t\",%s\"identity\":{\"full_name\":\"Dana Reyes\",%s},"
        "\"network\":{\"sessions\":[",
        extra, identity);
}

static cJSON *finish(buf *b, const char *tail) {
    put(b, "]}%s}", tail);
    return rh_score(b->s);
}

/* ---- net_domestic_distance_mismatch ------------------------------------------ */

/* Twelve logins from Milton, WA while claiming Atlanta, with the US as declared work
 * country: the declared country no longer clears the distance. */
Test(net_local, laptop_farm_in_another_state_fires) {
    buf *b = calloc(1, sizeof *b);
    begin(b, ATLANTA,
          "\"engagement\":{\"type\":\"employee\",\"declared_work_country\":\"US\"},");
    for (int i = 0; i < 12; i++) {
        session(b, MILTON, MONDAY + i * 2 * 86400LL + 17 * 3600, "login");
    }
    cJSON *r = finish(b, "");
    const char *d = rh_detail(r, "net_domestic_distance_mismatch");
    rh_assert_has(d, "12 of 12 sessions (100%) in the last 60 days");
    rh_assert_has(d, "Milton, US");
    rh_assert_has(d, "km away");
    rh_assert_has(d, "Atlanta");
    /* judged by share here, not once more per session by the country rule */
    cr_assert_null(rh_reason(r, "net_claimed_location_mismatch"));
    free(b);
}

/* Without a declared work country the old rule fired on a single far login; a single
 * far login among many near home fires nothing now. */
Test(net_local, one_far_login_among_sessions_near_home_is_clean) {
    buf *b = calloc(1, sizeof *b);
    begin(b, TACOMA, "");
    for (int i = 0; i < 9; i++) {
        session(b, MILTON, MONDAY + i * 86400LL + 17 * 3600, "login");
    }
    session(b, SAN_DIEGO, MONDAY + 10 * 86400LL, "login");
    session(b, SAN_DIEGO, MONDAY + 11 * 86400LL, "login");
    cJSON *r = finish(b, "");
    cr_assert(rh_clean(r, "net_domestic_distance_mismatch"));
    cr_assert_null(rh_reason(r, "net_claimed_location_mismatch"));
    free(b);
}

/* Far sessions that are most of the recent ones fire even with a few near home. */
Test(net_local, most_sessions_far_fire_with_some_near_home) {
    buf *b = calloc(1, sizeof *b);
    begin(b, TACOMA, "");
    for (int i = 0; i < 3; i++) {
        session(b, MILTON, MONDAY + i * 86400LL + 17 * 3600, "login");
    }
    for (int i = 0; i < 5; i++) {
        session(b, SAN_DIEGO, MONDAY + (4 + i) * 86400LL + 17 * 3600, "login");
    }
    cJSON *r = finish(b, "");
    rh_assert_has(rh_detail(r, "net_domestic_distance_mismatch"),
                  "5 of 8 sessions (62%)");
    free(b);
}

/* Sessions older than the window before the latest one do not count: a move. */
Test(net_local, sessions_before_the_window_do_not_count) {
    buf *b = calloc(1, sizeof *b);
    begin(b, TACOMA, "");
    for (int i = 0; i < 6; i++) {
        session(b, SAN_DIEGO, MONDAY + i * 86400LL, "login");
    }
    for (int i = 0; i < 4; i++) {
        session(b, MILTON, MONDAY + (100 + i) * 86400LL, "login");
    }
    cJSON *r = finish(b, "");
    cr_assert(rh_clean(r, "net_domestic_distance_mismatch"));
    free(b);
}

/* A mobile operator's gateway 2,000+ km away: never counted, reported as suppressed. */
Test(net_local, mobile_gateway_far_away_does_not_fire) {
    buf *b = calloc(1, sizeof *b);
    begin(b, TACOMA, "");
    for (int i = 0; i < 12; i++) {
        session(b, CELLULAR, MONDAY + i * 86400LL + 17 * 3600, "login");
    }
    cJSON *r = finish(b, "");
    cr_assert_null(rh_reason(r, "net_domestic_distance_mismatch"));
    const char *by = rh_suppressed(r, "net_domestic_distance_mismatch");
    rh_assert_has(by, CELLULAR);
    rh_assert_has(by, "mobile operator's gateway");
    free(b);
}

/* ... and mobile sessions do not make up the count for two home-line ones. */
Test(net_local, mobile_sessions_do_not_count_towards_far_ones) {
    buf *b = calloc(1, sizeof *b);
    begin(b, TACOMA, "");
    for (int i = 0; i < 8; i++) {
        session(b, CELLULAR, MONDAY + i * 86400LL + 17 * 3600, "login");
    }
    session(b, SAN_DIEGO, MONDAY + 9 * 86400LL, "login");
    session(b, SAN_DIEGO, MONDAY + 10 * 86400LL, "login");
    cJSON *r = finish(b, "");
    cr_assert_null(rh_reason(r, "net_domestic_distance_mismatch"));
    free(b);
}

Test(net_local, approved_travel_clears_the_far_sessions) {
    buf *b = calloc(1, sizeof *b);
    begin(b, ATLANTA, "");
    for (int i = 0; i < 6; i++) {
        session(b, MILTON, MONDAY + i * 86400LL + 17 * 3600, "login");
    }
    cJSON *r = finish(b, ",\"travel\":[{\"from\":\"2025-01-05\",\"to\":\"2025-01-12\","
                         "\"country\":\"US\",\"approved\":true}]");
    cr_assert_null(rh_reason(r, "net_domestic_distance_mismatch"));
    rh_assert_has(rh_suppressed(r, "net_domestic_distance_mismatch"),
                  "approved travel 2025-01-05..2025-01-12 to US");
    free(b);
}

/* ---- net_workday_offset ----------------------------------------------------------
 * Claimed America/Los_Angeles; January, so UTC-8. */
#define PACIFIC "\"timezone\":\"America/Los_Angeles\"," TACOMA

/* The reproducer: a UTC+9 working day (09:10, 13:00, 17:30 KST on the KST
 * weekdays) is late afternoon to after midnight in Los Angeles, Sunday evenings in,
 * Friday evenings out. */
static void utc9_workweek(buf *b) {
    static const int kst[] = {10 * 60, 4 * 3600, 8 * 3600 + 1800}; /* 00:10Z .. */
    weeks(b, MILTON, MONDAY, kst, 3);
}

Test(net_local, utc9_working_day_seen_from_pacific_fires) {
    buf *b = calloc(1, sizeof *b);
    begin(b, PACIFIC, "");
    utc9_workweek(b);
    cJSON *r = finish(b, "");
    cr_assert_str_eq(rh_ev(r, "net_workday_offset", "best_offset"), "UTC+9");
    rh_assert_has(rh_ev(r, "net_workday_offset", "claimed"),
                  "America/Los_Angeles (UTC-8");
    rh_assert_has(rh_ev(r, "net_workday_offset", "best_share"), "100% (45)");
    rh_assert_has(rh_ev(r, "net_workday_offset", "claimed_share"), "27% (12)");
    cr_assert_str_eq(rh_ev(r, "net_workday_offset", "shift"), "17 h");
    cr_assert_str_eq(rh_ev(r, "net_workday_offset", "period"), "2025-01-06..2025-01-24");
    free(b);
}

/* An honest Pacific worker: office hours, two evenings a week, a Saturday. */
Test(net_local, honest_pacific_worker_with_evenings_is_clean) {
    buf *b = calloc(1, sizeof *b);
    begin(b, PACIFIC, "");
    /* 09:30, 13:00, 16:00 PST are 17:30Z, 21:00Z, 00:00Z (next day) */
    static const int pst[] = {17 * 3600 + 1800, 21 * 3600, 24 * 3600};
    weeks(b, MILTON, MONDAY, pst, 3);
    for (int w = 0; w < 3; w++) { /* Monday and Wednesday 20:30 PST; Saturday 11:00 */
        session(b, MILTON, MONDAY + (w * 7 + 1) * 86400LL + 4 * 3600 + 1800, "login");
        session(b, MILTON, MONDAY + (w * 7 + 3) * 86400LL + 4 * 3600 + 1800, "login");
        session(b, MILTON, MONDAY + (w * 7 + 5) * 86400LL + 19 * 3600, "login");
    }
    cJSON *r = finish(b, "");
    cr_assert(rh_clean(r, "net_workday_offset"));
    free(b);
}

/* A night-shift worker (Sunday to Thursday nights, 22:30, 01:00 and 04:00 PST) looks
 * like a UTC+3 working week: without a declared explanation the indicator fires (the
 * pack's explanations map accommodation "night_shift" to net_workday_offset), and the
 * night-share rule stands down instead of scoring the same hours again. */
Test(net_local, night_shift_fires_without_a_declaration_and_offhours_stands_down) {
    buf *b = calloc(1, sizeof *b);
    begin(b, PACIFIC, "");
    /* 22:30 PST Sunday = 06:30Z Monday; 01:00 PST = 09:00Z; 04:00 PST = 12:00Z */
    static const int night[] = {6 * 3600 + 1800, 9 * 3600, 12 * 3600};
    weeks(b, MILTON, MONDAY, night, 3);
    cJSON *r = finish(b, "");
    const char *best = rh_ev(r, "net_workday_offset", "best_offset");
    rh_assert_has(best, "UTC+3");
    cr_assert_null(rh_reason(r, "net_offhours_pattern"));
    rh_assert_has(rh_suppressed(r, "net_offhours_pattern"), "net_workday_offset");
    free(b);
}

Test(net_local, approved_travel_removes_the_sessions_it_covers) {
    buf *b = calloc(1, sizeof *b);
    begin(b, PACIFIC, "");
    utc9_workweek(b);
    cJSON *r = finish(b, ",\"travel\":[{\"from\":\"2025-01-04\",\"to\":\"2025-01-26\","
                         "\"approved\":true}]");
    cr_assert_null(rh_reason(r, "net_workday_offset"));
    rh_assert_has(rh_suppressed(r, "net_workday_offset"), "approved travel 2025-01-04");
    free(b);
}

/* Interviews are scheduled with the employer, applications sent after hours: neither
 * tells the candidate's working day. */
Test(net_local, interviews_and_applications_are_not_counted) {
    buf *b = calloc(1, sizeof *b);
    begin(b, PACIFIC, "");
    for (int d = 0; d < 21; d++) {
        session(b, MILTON, MONDAY + d * 86400LL + 3600,
                d % 2 ? "interview" : "application");
    }
    cJSON *r = finish(b, "");
    cr_assert_null(rh_reason(r, "net_workday_offset"));
    rh_assert_has(rh_not_evaluated(r, "net_workday_offset"), "0 counted session(s)");
    free(b);
}

Test(net_local, too_few_sessions_are_not_evaluated) {
    buf *b = calloc(1, sizeof *b);
    begin(b, PACIFIC, "");
    for (int d = 0; d < 5; d++) {
        session(b, MILTON, MONDAY + d * 86400LL + 3600, "login");
    }
    cJSON *r = finish(b, "");
    rh_assert_has(rh_not_evaluated(r, "net_workday_offset"), "5 counted session(s)");
    free(b);
}

/* The remote-operated laptop farm: sessions far from the claimed home inside the
 * claimed country, on a UTC+9 working week: both network signs and their combination
 * (12 + 10 + 15 = 37, medium, verify). */
Test(net_local, far_domestic_sessions_on_foreign_hours_combine) {
    buf *b = calloc(1, sizeof *b);
    begin(b, "\"timezone\":\"America/New_York\"," ATLANTA, "");
    utc9_workweek(b);
    cJSON *r = finish(b, "");
    cr_assert_not_null(rh_reason(r, "net_domestic_distance_mismatch"));
    cr_assert_not_null(rh_reason(r, "net_workday_offset"));
    rh_assert_has(rh_detail(r, "combo_remote_operated_farm"), "net_workday_offset");
    cr_assert_eq(rh_score_of(r), 37);
    cr_assert_str_eq(rh_str(r, "action"), "verify");
    free(b);
}

/* A declared night shift explains the hours: the combination needs both members. */
Test(net_local, night_shift_declared_leaves_no_farm_combination) {
    buf *b = calloc(1, sizeof *b);
    begin(b, "\"timezone\":\"America/New_York\"," ATLANTA,
          "\"accommodations\":[\"night_shift\"],");
    utc9_workweek(b);
    cJSON *r = finish(b, "");
    cr_assert_not_null(rh_reason(r, "net_domestic_distance_mismatch"));
    cr_assert_null(rh_reason(r, "net_workday_offset"));
    cr_assert_null(rh_reason(r, "combo_remote_operated_farm"));
    free(b);
}
