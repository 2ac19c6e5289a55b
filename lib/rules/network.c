/* SPDX-License-Identifier: Apache-2.0 */
/*
 * network.c - the "network" family: where sessions come from, through what, and when.
 *
 * Every indicator here compares the sessions with what the candidate *claimed* (the
 * residence, the declared work country, the claimed time zone) or with physics
 * (impossible travel); none scores a country, an ISP's nationality or a VPN brand as
 * such [SEAL]. Every lookup happened in enrichment (lib/enrich/geo), once per record:
 * the session IPs (ctx->en->ips), each session's local time in the claimed zone and the
 * VPN operator it names (ctx->en->net), whether the claimed zone is usable
 * (ctx->en->claimed_zone), and what the loaded data can answer (ctx->en->geo_caps,
 * geo_loaded, geo_unavailable). These evaluators only read them, and compare them with
 * their thresholds: named parameters (`param.<name>` in the rule pack) declared beside
 * each evaluator, with the source of each default.
 *
 * Context that clears a session, reported as `suppressed` with what cleared it:
 *  - an allow-listed corporate VPN range (idr_config "allow_cidr"): clears every
 *    network indicator for that session;
 *  - a benign relay range ("relay_cidr", e.g. iCloud Private Relay egress): clears the
 *    location and anonymizer indicators for that session;
 *  - an approved travel window covering the session's day, to the session's country
 *    (or to an unnamed country): clears the location mismatch indicators;
 *  - the declared work country (engagement.declared_work_country, e.g. an
 *    employer-of-record arrangement): sessions from it are what was declared.
 */
#include "rules/rule.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------- */

static const char *event_label(idr__event e) {
    switch (e) {
    case IDR__EV_LOGIN:
        return "Login";
    case IDR__EV_INTERVIEW:
        return "Interview session";
    case IDR__EV_APPLICATION:
        return "Application";
    case IDR__EV_ASSESSMENT:
        return "Assessment session";
    case IDR__EV_ONBOARDING:
        return "Onboarding session";
    case IDR__EV_NONE:
    case IDR__EV_OTHER:
    default:
        return "Session";
    }
}

/* "6,760 km" */
static const char *fmt_km(idr__ctx *ctx, double km) {
    long long v = (long long)(km + 0.5);
    char digits[32], out[48];
    snprintf(digits, sizeof digits, "%lld", v);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            out[o++] = ',';
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return idr__arena_printf(ctx->arena, "%s km", out);
}

/* "London, GB, AS1221 Telstra Pty Ltd" from what the databases said. */
static const char *fmt_place(idr__ctx *ctx, const idr__ip_info *in) {
    const char *s = NULL;
    if (in->city) {
        idr__list_add(ctx, "; ", &s, in->city);
    }
    if (in->country[0]) {
        s = s ? idr__arena_printf(ctx->arena, "%s, %s", s, in->country)
              : idr__arena_strdup(ctx->arena, in->country);
    }
    if (in->asn) {
        const char *as =
            in->asn_org ? idr__arena_printf(ctx->arena, "AS%u %s", in->asn, in->asn_org)
                        : idr__arena_printf(ctx->arena, "AS%u", in->asn);
        s = s ? idr__arena_printf(ctx->arena, "%s, %s", s, as) : as;
    }
    return s ? s : "location unknown";
}

static const char *session_at(idr__ctx *ctx, const idr__session *s) {
    if (s->at == IDR__TIME_NONE) {
        return "an unrecorded time";
    }
    char buf[21];
    idr__format_instant(s->at, buf);
    return idr__arena_strdup(ctx->arena, buf);
}

static int32_t day_of(int64_t t) {
    return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

/* The approved travel window covering session `s` in `country`, or NULL. */
static const idr__travel *
travel_for(const idr__ctx *ctx, const idr__session *s, const char *country) {
    if (s->at == IDR__TIME_NONE) {
        return NULL;
    }
    int32_t d = day_of(s->at);
    for (size_t k = 0; k < ctx->c->n_travel; k++) {
        const idr__travel *t = &ctx->c->travel[k];
        if (t->approved != 1 || t->from == IDR__DATE_NONE || t->to == IDR__DATE_NONE ||
            d < t->from || d > t->to) {
            continue;
        }
        if (!t->country[0] || !country[0] || strcmp(t->country, country) == 0) {
            return t;
        }
    }
    return NULL;
}

static const char *travel_text(idr__ctx *ctx, const idr__travel *t) {
    char from[11], to[11];
    idr__format_date(t->from, from);
    idr__format_date(t->to, to);
    return idr__arena_printf(ctx->arena, "approved travel %s..%s%s%s", from, to,
                             t->country[0] ? " to " : "", t->country);
}

/* Allow-listed or relay session: says what clears it, else NULL. `relay_clears` tells
 * whether a relay range explains this indicator. */
static const char *listed(idr__ctx *ctx, size_t i, bool relay_clears) {
    const idr__ip_info *in = &ctx->en->ips[i];
    const char *ip = ctx->c->sessions[i].ip_text;
    if (in->allow_listed) {
        return idr__arena_printf(ctx->arena,
                                 "%s is in the allow-listed corporate VPN range %s", ip,
                                 in->allow_cidr ? in->allow_cidr : "");
    }
    if (in->relay && relay_clears) {
        return idr__arena_printf(ctx->arena, "%s is in the benign relay range %s", ip,
                                 in->allow_cidr ? in->allow_cidr : "");
    }
    return NULL;
}

static bool located(const idr__ip_info *in) {
    return in->country[0] || (!isnan(in->lat) && !isnan(in->lon));
}

/* The database's accuracy radius, else `assumed` (param default_accuracy_km). */
static double accuracy(const idr__ip_info *in, double assumed) {
    return in->accuracy_km >= 0 ? in->accuracy_km : assumed;
}

/* Accuracy assumed when a database gives none (the flat DB-IP Lite files have no
 * radius). Project choice: city-level IP geolocation is commonly off by tens to 100+ km,
 * so 100 km keeps nearby-city answers from ever counting. */
#define DEFAULT_ACCURACY_PARAM                                                           \
    {                                                                                    \
        .name = "default_accuracy_km", .def = 100, .min = 0, .max = 20000,               \
        .doc = "accuracy radius assumed when the database gives none, in km"             \
    }

/* ------------------------------------------------------------------------------------
 * net_domestic_distance_mismatch [DOJ-Chap25][DOJ-Knoot][DOJ-Jun25][P24][MAND24]
 * The laptop-farm pattern: the issued laptop sits in a facilitator's house in the
 * claimed country, so its sessions come from a home connection in another city or
 * state while the country (and any declared work country) is right. Judged on the
 * share of the recent sessions inside the residence country that are far from the
 * claimed residence, never on one login: a trip, a visit or one odd geolocation is
 * ordinary. What cannot say where the person is never counts: VPN, hosting and proxy
 * exits (their location is the server's), and far sessions on a mobile operator's
 * network (data/mobile_asns.tsv, or connection type "Cellular" when a Connection-Type
 * database is loaded), whose carrier-grade NAT gateways geolocate far from the
 * subscriber. Approved travel windows clear the sessions they cover.
 * ---------------------------------------------------------------------------------- */
static const char *const domestic_keys[] = {
    "far",       "window", "considered",  "share",   "period",
    "residence", "places", "not_counted", "cleared", NULL};

/* Parameters of net_domestic_distance_mismatch, in idr__param_of order. */
enum {
    DOMESTIC_MARGIN,
    DOMESTIC_ACCURACY,
    DOMESTIC_WINDOW,
    DOMESTIC_MIN_FAR,
    DOMESTIC_MIN_SHARE
};
static const idr__param domestic_params[] = {
    /* Project choice, as net_claimed_location_mismatch's margin_km: regional ISP
     * gateways are often a few hundred km from the subscriber, while a farm in another
     * state (the 2025 actions found farms in 16 states [DOJ-Jun25]) is commonly
     * farther. */
    {.name = "margin_km",
     .def = 500,
     .min = 0,
     .max = 20000,
     .doc = "distance beyond the accuracy radius at which a session is far from the "
            "residence, in km"},
    DEFAULT_ACCURACY_PARAM,
    /* Only sessions in the last window_days before the record's latest session count.
     * Project choice: a farm hosts a laptop for months [DOJ-Chap25][DOJ-Knoot], while
     * sessions from before a move (the residence since updated) age out of the window
     * instead of counting against the new address. */
    {.name = "window_days",
     .def = 60,
     .min = 1,
     .max = 3650,
     .doc = "days before the latest session whose sessions are considered"},
    /* Project choice: at least 3 far sessions, and at least half of the considered
     * ones: most of the recent work comes from elsewhere, not one far login among many
     * near home. */
    {.name = "min_far",
     .def = 3,
     .min = 1,
     .max = 100000,
     .doc = "least number of far sessions (home-like networks, not on travel)"},
    {.name = "min_share",
     .def = 0.5,
     .min = 0,
     .max = 1,
     .doc = "least share of the considered sessions that are far (0..1)"},
};

/* A session's network is a mobile operator's: its location is a gateway's. */
static bool mobile_network(const idr__ip_info *in) {
    return in->mobile_carrier ||
           (in->connection_type && (strcmp(in->connection_type, "Cellular") == 0 ||
                                    strcmp(in->connection_type, "cellular") == 0));
}

/* The date part of an instant, "YYYY-MM-DD". */
static const char *date_of(idr__ctx *ctx, int64_t at) {
    return at == IDR__TIME_NONE ? "undated" : idr__date_text(ctx, day_of(at));
}

static const char *
egress_kind(idr__ctx *ctx, const idr__ip_info *in, const char **basis); /* below */

static void eval_domestic(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const double margin = idr__param_of(ctx, DOMESTIC_MARGIN);
    const double assumed = idr__param_of(ctx, DOMESTIC_ACCURACY);
    const double window = idr__param_of(ctx, DOMESTIC_WINDOW);
    const double min_far = idr__param_of(ctx, DOMESTIC_MIN_FAR);
    const double min_share = idr__param_of(ctx, DOMESTIC_MIN_SHARE);
    const char *home_cc = c->identity.residence.country;
    if (c->n_sessions == 0) {
        idr__not_evaluated(ctx, ind, "no network sessions on file");
        return;
    }
    if (!(ctx->en->geo_caps & IDR__GEO_CAP_LOCATION)) {
        idr__not_evaluated(ctx, ind, "no IP location database is loaded");
        return;
    }
    if (!ctx->en->residence.known || !home_cc[0]) {
        idr__not_evaluated(ctx, ind, "the claimed residence has no %s: %s",
                           home_cc[0] ? "coordinates" : "country",
                           ctx->en->residence_unresolved ? ctx->en->residence_unresolved
                                                         : "no residence given");
        return;
    }
    int64_t latest = IDR__TIME_NONE;
    for (size_t i = 0; i < c->n_sessions; i++) {
        int64_t at = c->sessions[i].at;
        if (at != IDR__TIME_NONE && (latest == IDR__TIME_NONE || at > latest)) {
            latest = at;
        }
    }
    const int64_t since =
        latest == IDR__TIME_NONE ? IDR__TIME_NONE : latest - (int64_t)window * 86400;
    size_t far = 0, near = 0, mobile_far = 0, travel_far = 0, located_n = 0;
    int64_t first_at = IDR__TIME_NONE, last_at = IDR__TIME_NONE;
    const char *places = NULL, *not_counted = NULL, *cleared = NULL;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const idr__ip_info *in = &ctx->en->ips[i];
        const idr__session *s = &c->sessions[i];
        if (!located(in)) {
            continue;
        }
        located_n++;
        if (isnan(in->distance_km) || strcmp(in->country, home_cc) != 0 ||
            (since != IDR__TIME_NONE && s->at != IDR__TIME_NONE && s->at < since)) {
            continue;
        }
        bool is_far = in->distance_km > accuracy(in, assumed) + margin;
        const char *why = listed(ctx, i, true);
        if (why) {
            if (is_far) {
                idr__list_add_unique(ctx, "; ", &cleared, why);
            }
            continue;
        }
        const char *basis = NULL;
        const char *kind = egress_kind(ctx, in, &basis);
        if (kind) {
            if (is_far) {
                idr__list_add_unique(
                    ctx, "; ", &not_counted,
                    idr__arena_printf(ctx->arena, "%s (%s: its location is the exit's)",
                                      s->ip_text, kind));
            }
            continue;
        }
        if (is_far && mobile_network(in)) {
            mobile_far++;
            idr__list_add_unique(
                ctx, "; ", &not_counted,
                idr__arena_printf(ctx->arena,
                                  "%s (%s: a mobile operator's gateway, not the "
                                  "subscriber's location)",
                                  s->ip_text, fmt_place(ctx, in)));
            continue;
        }
        const idr__travel *t = is_far ? travel_for(ctx, s, in->country) : NULL;
        if (t) {
            travel_far++;
            idr__list_add_unique(ctx, "; ", &cleared,
                                 idr__arena_printf(ctx->arena, "%s (%s) falls in %s",
                                                   s->ip_text, date_of(ctx, s->at),
                                                   travel_text(ctx, t)));
            continue;
        }
        if (s->at != IDR__TIME_NONE) {
            first_at = first_at == IDR__TIME_NONE || s->at < first_at ? s->at : first_at;
            last_at = last_at == IDR__TIME_NONE || s->at > last_at ? s->at : last_at;
        }
        if (!is_far) {
            near++;
            continue;
        }
        far++;
        idr__list_add_unique(ctx, "; ", &places,
                             idr__arena_printf(ctx->arena, "%s (%s away)",
                                               fmt_place(ctx, in),
                                               fmt_km(ctx, in->distance_km)));
    }
    if (located_n == 0) {
        idr__not_evaluated(ctx, ind,
                           "no session IP could be located by the loaded databases");
        return;
    }
    const size_t considered = far + near;
    if ((double)far >= min_far && (double)far >= min_share * (double)considered) {
        idr__ev *ev = idr__hit(ctx, ind);
        idr__ev_int(ev, "far", (long long)far);
        idr__ev_int(ev, "considered", (long long)considered);
        idr__ev_strf(ev, "share", "%.0f%%", 100.0 * (double)far / (double)considered);
        idr__ev_strf(ev, "window", "%g days", window);
        idr__ev_strf(ev, "period", "%s..%s", date_of(ctx, first_at),
                     date_of(ctx, last_at));
        idr__ev_str(ev, "residence",
                    ctx->en->residence.label ? ctx->en->residence.label : home_cc);
        idr__ev_str(ev, "places", places);
        idr__ev_str(ev, "not_counted", not_counted ? not_counted : "none");
        idr__ev_str(ev, "cleared", cleared ? cleared : "none");
        return;
    }
    /* Would the uncounted far sessions have made it fire? Then say what cleared them. */
    size_t all_far = far + mobile_far + travel_far;
    if (all_far > far && (double)all_far >= min_far &&
        (double)all_far >= min_share * (double)(considered + mobile_far + travel_far)) {
        idr__suppress(ctx, ind, "far sessions not counted: %s%s%s",
                      not_counted ? not_counted : "", not_counted && cleared ? "; " : "",
                      cleared ? cleared : "");
    }
}

static const idr__indicator net_domestic_distance_mismatch = {
    .id = "net_domestic_distance_mismatch",
    .evidence_keys = domestic_keys,
    .eval = eval_domestic,
    .needs = IDR__NEED_GEO,
    .params = domestic_params,
    .n_params = sizeof domestic_params / sizeof domestic_params[0],
};

/* ------------------------------------------------------------------------------------
 * net_workday_offset [G22][SEAL][KB4][U42-24]
 * Which UTC offset's working week (Monday to Friday, 09:00-18:00 by default) best
 * explains when the candidate works, against the claimed zone's: a worker keeping the
 * hours of UTC+9 from a claimed US Pacific home shows up late afternoon to after
 * midnight local, Sunday evenings in and Friday evenings out [G22][SEAL][KB4]. Only
 * the sessions whose time the candidate chooses count: logins, assessments,
 * onboarding and other or unlabelled sessions; interviews are scheduled with the
 * employer and applications are often sent outside a current job's hours, so both are
 * left out. Sessions on approved travel days are removed. The claimed side uses the
 * zone's own offset on each session's date (ICU's data, daylight saving applied); the
 * candidate offsets are whole hours UTC-12..UTC+14, without daylight saving. A
 * declared night shift explains the pattern (accommodation "night_shift", mapped by
 * the rule pack's explanations). Linear: 27 offsets per session.
 * ---------------------------------------------------------------------------------- */
static const char *const workday_keys[] = {
    "best_offset", "claimed", "best_share", "claimed_share", "shift",
    "count",       "period",  "hours",      "not_counted",   NULL};

/* Parameters of net_workday_offset, in idr__param_of order. */
enum {
    WORKDAY_MIN_SESSIONS,
    WORKDAY_MIN_DAYS,
    WORKDAY_MIN_SHIFT,
    WORKDAY_MARGIN,
    WORKDAY_MIN_FIT,
    WORKDAY_FROM,
    WORKDAY_TO,
    WORKDAY_WINDOW
};
/* The sources describe activity aligned with another zone's working day but give no
 * thresholds [G22][SEAL][KB4][U42-24]. Project choices: enough sessions over
 * enough days that a week's pattern shows (10 over 2 weeks); a shift of at least 5 h,
 * beyond early risers, late workers and a neighbouring zone; the best offset must
 * explain at least half of the sessions (a working week at all) and 30 points more
 * of them than the claimed zone does. */
static const idr__param workday_params[] = {
    {.name = "min_sessions",
     .def = 10,
     .min = 1,
     .max = 100000,
     .doc = "least number of counted sessions to evaluate"},
    {.name = "min_span_days",
     .def = 14,
     .min = 0,
     .max = 3650,
     .doc = "least number of days between the first and the last counted session"},
    {.name = "min_shift_hours",
     .def = 5,
     .min = 1,
     .max = 26,
     .doc = "least difference, in hours, between the best offset and the claimed "
            "zone's"},
    {.name = "margin",
     .def = 0.3,
     .min = 0,
     .max = 1,
     .doc = "least difference between the shares of sessions the best offset and the "
            "claimed zone explain (0..1)"},
    {.name = "min_fit",
     .def = 0.5,
     .min = 0,
     .max = 1,
     .doc = "least share of sessions the best offset explains (0..1)"},
    {.name = "day_from_hour",
     .def = 9,
     .min = 0,
     .max = 23,
     .doc = "local hour at which the working day starts (inclusive)"},
    {.name = "day_to_hour",
     .def = 18,
     .min = 1,
     .max = 24,
     .doc = "local hour at which the working day ends (exclusive; below day_from_hour "
            "the day spans midnight)"},
    {.name = "window_days",
     .def = 90,
     .min = 1,
     .max = 3650,
     .doc = "days before the latest counted session whose sessions are considered"},
};

#define WD_OFFSETS 27 /* UTC-12 .. UTC+14 */

static bool workday_event(idr__event e) {
    return e != IDR__EV_INTERVIEW && e != IDR__EV_APPLICATION;
}

/* Local weekday (0 = Sunday) and hour at `off` hours east of UTC in the working week. */
static bool in_week(int weekday, int hour, double from, double to) {
    bool day = from <= to ? hour >= from && hour < to : hour >= from || hour < to;
    return day && weekday >= 1 && weekday <= 5;
}

static bool in_week_at(int64_t at, int off, double from, double to) {
    int64_t local = at + (int64_t)off * 3600;
    int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int weekday = (int)(((day % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
    int hour = (int)((local - day * 86400) / 3600);
    return in_week(weekday, hour, from, to);
}

/* Hours between two UTC offsets given in minutes. Not around the clock: the working
 * week is judged with its weekdays, so UTC+12 and UTC-8 are 20 hours (and a calendar
 * day) apart, not 4. */
static double offset_hours(int a_min, int b_min) {
    return fabs((double)a_min - (double)b_min) / 60.0;
}

/* Counts of one set of sessions: how many, how many the claimed zone explains, and how
 * many each offset explains. */
typedef struct wd_counts {
    size_t n, claimed, fit[WD_OFFSETS];
} wd_counts;

typedef struct wd_verdict {
    bool fires;
    int best;           /* index into fit[]: offset best - 12 */
    int tie_lo, tie_hi; /* the offsets (indices) explaining as many as `best` */
    double shift;       /* hours from the claimed zone's nearest offset */
} wd_verdict;

static wd_verdict
workday_judge(idr__ctx *ctx, const wd_counts *k, int claimed_min, int claimed_max) {
    wd_verdict v = {0};
    if (k->n == 0) {
        return v;
    }
    for (int o = 0; o < WD_OFFSETS; o++) {
        double dist = offset_hours((o - 12) * 60, claimed_max);
        double best_dist = offset_hours((v.best - 12) * 60, claimed_max);
        /* ties go to the offset nearest the claimed one: the reading that fires least */
        if (k->fit[o] > k->fit[v.best] ||
            (k->fit[o] == k->fit[v.best] && dist < best_dist)) {
            v.best = o;
        }
    }
    v.tie_lo = v.tie_hi = v.best;
    for (int o = 0; o < WD_OFFSETS; o++) {
        if (k->fit[o] == k->fit[v.best]) {
            v.tie_lo = o < v.tie_lo ? o : v.tie_lo;
            v.tie_hi = o > v.tie_hi ? o : v.tie_hi;
        }
    }
    double a = offset_hours((v.best - 12) * 60, claimed_min);
    double b = offset_hours((v.best - 12) * 60, claimed_max);
    v.shift = a < b ? a : b;
    double n = (double)k->n;
    double best_share = (double)k->fit[v.best] / n;
    double claimed_share = (double)k->claimed / n;
    v.fires = v.shift >= idr__param_of(ctx, WORKDAY_MIN_SHIFT) &&
              best_share >= idr__param_of(ctx, WORKDAY_MIN_FIT) &&
              best_share - claimed_share >= idr__param_of(ctx, WORKDAY_MARGIN);
    return v;
}

static const char *utc_offset_text(idr__ctx *ctx, int minutes) {
    int m = abs(minutes);
    return m % 60 ? idr__arena_printf(ctx->arena, "UTC%c%d:%02d", minutes < 0 ? '-' : '+',
                                      m / 60, m % 60)
                  : idr__arena_printf(ctx->arena, "UTC%c%d", minutes < 0 ? '-' : '+',
                                      m / 60);
}

static void eval_workday(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const double min_sessions = idr__param_of(ctx, WORKDAY_MIN_SESSIONS);
    const double min_days = idr__param_of(ctx, WORKDAY_MIN_DAYS);
    const double from = idr__param_of(ctx, WORKDAY_FROM);
    const double to = idr__param_of(ctx, WORKDAY_TO);
    const double window = idr__param_of(ctx, WORKDAY_WINDOW);
    const char *tz = c->identity.timezone;
    if (!tz) {
        idr__not_evaluated(ctx, ind, "no claimed time zone (identity.timezone)");
        return;
    }
    if (!ctx->en->claimed_zone) {
        idr__not_evaluated(ctx, ind, "%s",
                           ctx->en->claimed_zone_unusable
                               ? ctx->en->claimed_zone_unusable
                               : "the claimed time zone is not known");
        return;
    }
    int64_t latest = IDR__TIME_NONE;
    size_t other_kinds = 0;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const idr__session *s = &c->sessions[i];
        if (s->at == IDR__TIME_NONE) {
            continue;
        }
        if (!workday_event(s->event)) {
            other_kinds++;
        } else if (latest == IDR__TIME_NONE || s->at > latest) {
            latest = s->at;
        }
    }
    const int64_t since =
        latest == IDR__TIME_NONE ? IDR__TIME_NONE : latest - (int64_t)window * 86400;
    wd_counts kept = {0}, travel = {0};
    int claimed_min = INT_MAX, claimed_max = INT_MIN;
    int64_t first_at = IDR__TIME_NONE, last_at = IDR__TIME_NONE;
    const char *cleared = NULL;
    for (size_t i = 0; latest != IDR__TIME_NONE && i < c->n_sessions; i++) {
        const idr__session *s = &c->sessions[i];
        const idr__local_time *lt = &ctx->en->net[i].local;
        if (s->at == IDR__TIME_NONE || !workday_event(s->event) || s->at < since ||
            !lt->known) {
            continue;
        }
        const idr__travel *t = travel_for(ctx, s, "");
        wd_counts *k = t ? &travel : &kept;
        if (t) {
            idr__list_add_unique(ctx, "; ", &cleared, travel_text(ctx, t));
        } else {
            first_at = first_at == IDR__TIME_NONE || s->at < first_at ? s->at : first_at;
            last_at = last_at == IDR__TIME_NONE || s->at > last_at ? s->at : last_at;
        }
        claimed_min = lt->utc_offset_min < claimed_min ? lt->utc_offset_min : claimed_min;
        claimed_max = lt->utc_offset_min > claimed_max ? lt->utc_offset_min : claimed_max;
        k->n++;
        k->claimed += in_week(lt->weekday, lt->hour, from, to);
        for (int o = 0; o < WD_OFFSETS; o++) {
            k->fit[o] += in_week_at(s->at, o - 12, from, to);
        }
    }
    double span = first_at == IDR__TIME_NONE ? 0 : (double)(last_at - first_at) / 86400.0;
    if ((double)kept.n < min_sessions || span < min_days) {
        /* Too few sessions left once travel days are removed, while all of them would
         * have been enough and would have fired: the travel is what clears it. */
        wd_counts all = kept;
        all.n += travel.n;
        all.claimed += travel.claimed;
        for (int o = 0; o < WD_OFFSETS; o++) {
            all.fit[o] += travel.fit[o];
        }
        if (travel.n > 0 && (double)all.n >= min_sessions &&
            workday_judge(ctx, &all, claimed_min, claimed_max).fires) {
            idr__suppress(ctx, ind, "%zu session(s) on approved travel days removed (%s)",
                          travel.n, cleared);
            return;
        }
        idr__not_evaluated(ctx, ind,
                           "%zu counted session(s) over %.0f day(s); at least %g over %g "
                           "days are needed",
                           kept.n, span, min_sessions, min_days);
        return;
    }
    wd_verdict v = workday_judge(ctx, &kept, claimed_min, claimed_max);
    if (!v.fires) {
        return;
    }
    double n = (double)kept.n;
    idr__ev *ev = idr__hit(ctx, ind);
    const char *best = utc_offset_text(ctx, (v.best - 12) * 60);
    if (v.tie_lo != v.tie_hi) {
        best = idr__arena_printf(ctx->arena, "%s (%s to %s explain as many)", best,
                                 utc_offset_text(ctx, (v.tie_lo - 12) * 60),
                                 utc_offset_text(ctx, (v.tie_hi - 12) * 60));
    }
    idr__ev_str(ev, "best_offset", best);
    idr__ev_strf(ev, "claimed", "%s (%s%s%s on the session dates)", ctx->en->claimed_zone,
                 utc_offset_text(ctx, claimed_min),
                 claimed_max != claimed_min ? " and " : "",
                 claimed_max != claimed_min ? utc_offset_text(ctx, claimed_max) : "");
    idr__ev_strf(ev, "best_share", "%.0f%% (%zu)", 100.0 * (double)kept.fit[v.best] / n,
                 kept.fit[v.best]);
    idr__ev_strf(ev, "claimed_share", "%.0f%% (%zu)", 100.0 * (double)kept.claimed / n,
                 kept.claimed);
    idr__ev_strf(ev, "shift", "%g h", v.shift);
    idr__ev_int(ev, "count", (long long)kept.n);
    idr__ev_strf(ev, "period", "%s..%s", date_of(ctx, first_at), date_of(ctx, last_at));
    idr__ev_strf(ev, "hours", "Monday to Friday %02.0f:00-%02.0f:00", from, to);
    const char *nc = other_kinds ? idr__arena_printf(ctx->arena,
                                                     "%zu interview or application "
                                                     "session(s)",
                                                     other_kinds)
                                 : NULL;
    if (travel.n) {
        const char *tr = idr__arena_printf(
            ctx->arena, "%zu session(s) on approved travel days (%s)", travel.n, cleared);
        nc = nc ? idr__arena_printf(ctx->arena, "%s; %s", nc, tr) : tr;
    }
    idr__ev_str(ev, "not_counted", nc ? nc : "none");
}

static const idr__indicator net_workday_offset = {
    .id = "net_workday_offset",
    .evidence_keys = workday_keys,
    .eval = eval_workday,
    .params = workday_params,
    .n_params = sizeof workday_params / sizeof workday_params[0],
};

/* ------------------------------------------------------------------------------------
 * net_claimed_location_mismatch [DTEX][SEAL][LVB26]
 * ---------------------------------------------------------------------------------- */
static const char *const mismatch_keys[] = {"event",     "ip",       "ip_location",
                                            "residence", "distance", "count",
                                            "sessions",  "cleared",  NULL};

/* Parameters of net_claimed_location_mismatch, in idr__param_of order. */
enum { MISMATCH_MARGIN, MISMATCH_ACCURACY };
static const idr__param mismatch_params[] = {
    /* A session counts as away from the residence when it is farther than the
     * database's accuracy radius plus this margin. [DTEX][SEAL][LVB26] give no
     * distance. Project choice: 500 km absorbs where domestic ISPs and mobile carriers
     * hand out addresses (regional gateways are often a few hundred km from the
     * subscriber) while any intercontinental mismatch (thousands of km) is far beyond
     * it. */
    {.name = "margin_km",
     .def = 500,
     .min = 0,
     .max = 20000,
     .doc = "distance beyond the accuracy radius at which a session is away, in km"},
    DEFAULT_ACCURACY_PARAM,
};

static void eval_mismatch(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const double margin = idr__param_of(ctx, MISMATCH_MARGIN);
    const double assumed = idr__param_of(ctx, MISMATCH_ACCURACY);
    const char *home_cc = c->identity.residence.country;
    const char *work_cc = c->engagement.declared_work_country;
    if (c->n_sessions == 0) {
        idr__not_evaluated(ctx, ind, "no network sessions on file");
        return;
    }
    if (!(ctx->en->geo_caps & IDR__GEO_CAP_LOCATION)) {
        idr__not_evaluated(ctx, ind, "no IP location database is loaded");
        return;
    }
    if (!ctx->en->residence.known && !home_cc[0]) {
        idr__not_evaluated(ctx, ind, "the claimed residence has no location: %s",
                           ctx->en->residence_unresolved ? ctx->en->residence_unresolved
                                                         : "no residence given");
        return;
    }
    const char *cleared = NULL, *sessions = NULL;
    size_t count = 0, worst = 0;
    double worst_km = -1;
    bool any_located = false;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const idr__ip_info *in = &ctx->en->ips[i];
        const idr__session *s = &c->sessions[i];
        if (!located(in)) {
            continue;
        }
        any_located = true;
        /* A far session inside the residence country is judged by the share of such
         * sessions (net_domestic_distance_mismatch), not one at a time here. */
        if (home_cc[0] && strcmp(home_cc, in->country) == 0) {
            continue;
        }
        bool far = ctx->en->residence.known && !isnan(in->distance_km) &&
                   in->distance_km > accuracy(in, assumed) + margin;
        /* Another country counts unless the distance shows the session within the
         * database's radius of the residence (a border town across the line). */
        bool other_country =
            home_cc[0] && in->country[0] && strcmp(home_cc, in->country) != 0 &&
            (isnan(in->distance_km) || in->distance_km > accuracy(in, assumed));
        if (!far && !other_country) {
            continue;
        }
        const char *why = listed(ctx, i, true);
        if (!why && work_cc[0] && in->country[0] && strcmp(work_cc, in->country) == 0) {
            why = idr__arena_printf(ctx->arena, "%s is in the declared work country %s",
                                    s->ip_text, work_cc);
        }
        const idr__travel *t = why ? NULL : travel_for(ctx, s, in->country);
        if (t) {
            why = idr__arena_printf(ctx->arena, "%s (%s, %s) falls in %s", s->ip_text,
                                    fmt_place(ctx, in), session_at(ctx, s),
                                    travel_text(ctx, t));
        }
        if (why) {
            idr__list_add_unique(ctx, "; ", &cleared, why);
            continue;
        }
        double km = isnan(in->distance_km) ? 0 : in->distance_km;
        idr__list_add(ctx, "; ", &sessions,
                      idr__arena_printf(ctx->arena, "%s at %s (%s%s%s)", s->ip_text,
                                        session_at(ctx, s), fmt_place(ctx, in),
                                        isnan(in->distance_km) ? "" : ", ",
                                        isnan(in->distance_km) ? "" : fmt_km(ctx, km)));
        if (count == 0 || km > worst_km) {
            worst = i;
            worst_km = km;
        }
        count++;
    }
    if (!any_located) {
        idr__not_evaluated(ctx, ind,
                           "no session IP could be located by the loaded databases");
        return;
    }
    if (count == 0) {
        if (cleared) {
            idr__suppress(ctx, ind, "%s", cleared);
        }
        return;
    }
    const idr__ip_info *in = &ctx->en->ips[worst];
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "event", event_label(c->sessions[worst].event));
    idr__ev_str(ev, "ip", c->sessions[worst].ip_text);
    idr__ev_str(ev, "ip_location", fmt_place(ctx, in));
    idr__ev_str(ev, "residence",
                ctx->en->residence.label ? ctx->en->residence.label : home_cc);
    if (!isnan(in->distance_km)) {
        idr__ev_str(ev, "distance", fmt_km(ctx, in->distance_km));
    } else {
        idr__ev_strf(ev, "distance", "another country (%s, claimed %s)", in->country,
                     home_cc);
    }
    idr__ev_int(ev, "count", (long long)count);
    idr__ev_str(ev, "sessions", sessions);
    idr__ev_str(ev, "cleared", cleared ? cleared : "none");
}

static const idr__indicator net_claimed_location_mismatch = {
    .id = "net_claimed_location_mismatch",
    .evidence_keys = mismatch_keys,
    .eval = eval_mismatch,
    .needs = IDR__NEED_GEO,
    .params = mismatch_params,
    .n_params = sizeof mismatch_params / sizeof mismatch_params[0],
};

/* ------------------------------------------------------------------------------------
 * net_impossible_travel (was net_multi_country_logins) [G22][P25]
 * Graded by the implied speed: a jump just above airliner speed between neighbouring
 * places earns part of the pack's points, a continental jump in an hour all of them.
 * ---------------------------------------------------------------------------------- */
static const char *const travel_keys[] = {
    "from_ip", "from_place", "from_at", "to_ip",  "to_place",    "to_at", "distance",
    "hours",   "speed",      "count",   "points", "not_counted", NULL};

/* The id before the rename: accepted by rule packs for one release. */
static const char *const travel_aliases[] = {"net_multi_country_logins", NULL};

/* Parameters of net_impossible_travel, in idr__param_of order. */
enum {
    TRAVEL_MAX_SPEED,
    TRAVEL_MIN_JUMP,
    TRAVEL_ACCURACY,
    TRAVEL_FULL_SPEED,
    TRAVEL_MIN_SHARE,
    TRAVEL_DOMESTIC_JUMP
};
static const idr__param travel_params[] = {
    /* Implied speed above this between consecutive sessions, after subtracting both
     * accuracy radii [G22][P25 describe logins from several countries in a short
     * window]. 1000 km/h is above airliner cruise speed (about 900 km/h), so only
     * travel no flight allows counts. */
    {.name = "max_speed_kmh",
     .def = 1000,
     .min = 1,
     .max = 1e6,
     .doc = "implied speed between consecutive sessions above which travel is "
            "impossible, in km/h"},
    /* And the jump must exceed this after the radii: a guard against two databases
     * placing the same mobile egress in neighbouring cities minutes apart. Project
     * choice. */
    {.name = "min_jump_km",
     .def = 200,
     .min = 0,
     .max = 20000,
     .doc = "least distance between consecutive sessions, after both accuracy radii, "
            "in km"},
    DEFAULT_ACCURACY_PARAM,
    /* The grade: the hit earns min_share of the pack's points at max_speed_kmh, rising
     * with the logarithm of the speed to all of them at this speed. Project choice: at
     * five times airliner speed no timing or geolocation error explains the jump (a
     * transatlantic jump in under two hours; Europe to East Asia in under two and a
     * half), while 1,000-2,000 km/h is reached by two mislocated addresses a few
     * hundred km apart within the hour. */
    {.name = "full_speed_kmh",
     .def = 5000,
     .min = 1,
     .max = 1e6,
     .doc = "implied speed from which the hit earns all of the pack's points, in km/h"},
    {.name = "min_share",
     .def = 0.4,
     .min = 0,
     .max = 1,
     .doc = "share of the pack's points earned at max_speed_kmh (0..1)"},
    /* Within one country the jump must be longer: mobile carriers and many ISPs hand out
     * addresses from a few regional gateways, so two sessions of one subscriber can
     * geolocate to gateways 1,000-2,000 km apart minutes apart (a domestic gateway
     * switch). Project choice: 2,000 km after both accuracy radii still catches a
     * coast-to-coast jump in the US (about 4,000 km) or Russia or China. Sessions on
     * one network (the same AS) in one country are that network's gateways and never
     * count. */
    {.name = "domestic_min_jump_km",
     .def = 2000,
     .min = 0,
     .max = 20000,
     .doc = "least distance, after both accuracy radii, between consecutive sessions "
            "in the same country, in km"},
};

/* A located session for the time-ordered walk: ties keep input order, so the order is
 * total and the result deterministic. */
typedef struct timed {
    int64_t at;
    size_t i;
} timed;

static int cmp_timed(const void *pa, const void *pb) {
    const timed *a = pa, *b = pb;
    if (a->at != b->at) {
        return a->at < b->at ? -1 : 1;
    }
    return a->i < b->i ? -1 : a->i > b->i;
}

/* "1,234 km/h" (the km formatter's grouping). */
static const char *fmt_kmh(idr__ctx *ctx, double kmh) {
    const char *km = fmt_km(ctx, kmh);
    return idr__arena_printf(ctx->arena, "%.*s km/h", (int)(strlen(km) - 3), km);
}

static void eval_impossible_travel(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const double max_speed = idr__param_of(ctx, TRAVEL_MAX_SPEED);
    const double min_jump = idr__param_of(ctx, TRAVEL_MIN_JUMP);
    const double assumed = idr__param_of(ctx, TRAVEL_ACCURACY);
    const double full_speed = idr__param_of(ctx, TRAVEL_FULL_SPEED);
    const double min_share = idr__param_of(ctx, TRAVEL_MIN_SHARE);
    const double domestic_jump = idr__param_of(ctx, TRAVEL_DOMESTIC_JUMP);
    if (!(ctx->en->geo_caps & IDR__GEO_CAP_LOCATION)) {
        idr__not_evaluated(ctx, ind, "no IP location database is loaded");
        return;
    }
    timed *order = idr__arena_alloc(ctx->arena, (c->n_sessions + 1) * sizeof *order);
    size_t n = 0;
    const char *cleared = NULL;
    for (size_t i = 0; order && i < c->n_sessions; i++) {
        const idr__ip_info *in = &ctx->en->ips[i];
        if (c->sessions[i].at == IDR__TIME_NONE || isnan(in->lat) || isnan(in->lon)) {
            continue;
        }
        const char *why = listed(ctx, i, true);
        if (why) {
            idr__list_add_unique(ctx, "; ", &cleared, why);
            continue;
        }
        order[n++] = (timed){c->sessions[i].at, i};
    }
    /* O(n log n): a 24-month history is tens of thousands of sessions. */
    if (n > 1) {
        qsort(order, n, sizeof *order, cmp_timed);
    }
    if (n < 2) {
        idr__not_evaluated(ctx, ind,
                           "fewer than two sessions have both a time and a located IP");
        return;
    }
    size_t hits = 0, best_a = 0, best_b = 0;
    double best_speed = -1, best_km = 0, best_h = 0;
    const char *domestic = NULL;
    for (size_t k = 1; k < n; k++) {
        size_t a = order[k - 1].i, b = order[k].i;
        const idr__ip_info *ia = &ctx->en->ips[a], *ib = &ctx->en->ips[b];
        double km = idr__distance_km(ia->lat, ia->lon, ib->lat, ib->lon);
        double eff = km - accuracy(ia, assumed) - accuracy(ib, assumed);
        double hours = (double)(c->sessions[b].at - c->sessions[a].at) / 3600.0;
        if (eff < min_jump) {
            continue;
        }
        double speed = hours > 0 ? eff / hours : INFINITY;
        if (speed <= max_speed) {
            continue;
        }
        bool same_cc = ia->country[0] && strcmp(ia->country, ib->country) == 0;
        if (same_cc && ((ia->asn && ia->asn == ib->asn) || eff < domestic_jump)) {
            const char *why =
                ia->asn && ia->asn == ib->asn
                    ? idr__arena_printf(ctx->arena,
                                        "%s and %s: both on AS%u in %s, the network's "
                                        "own gateways",
                                        c->sessions[a].ip_text, c->sessions[b].ip_text,
                                        ia->asn, ia->country)
                    : idr__arena_printf(ctx->arena,
                                        "%s and %s: %s apart within %s, less than the "
                                        "%s a domestic jump needs",
                                        c->sessions[a].ip_text, c->sessions[b].ip_text,
                                        fmt_km(ctx, km), ia->country,
                                        fmt_km(ctx, domestic_jump));
            idr__list_add_unique(ctx, "; ", &domestic, why);
            continue;
        }
        hits++;
        if (speed > best_speed) {
            best_speed = speed;
            best_a = a;
            best_b = b;
            best_km = km;
            best_h = hours;
        }
    }
    if (hits == 0) {
        if (domestic || cleared) {
            idr__suppress(ctx, ind, "%s%s%s", domestic ? domestic : "",
                          domestic && cleared ? "; " : "", cleared ? cleared : "");
        }
        return;
    }
    /* The grade rises with log(speed): each doubling of the speed adds the same share,
     * so the points are monotone in the speed and capped at the pack's. */
    double share = 1;
    if (!isinf(best_speed) && full_speed > max_speed) {
        share = min_share + (1 - min_share) * log(best_speed / max_speed) /
                                log(full_speed / max_speed);
        share = share < min_share ? min_share : share > 1 ? 1 : share;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_fraction(ev, share);
    idr__ev_str(ev, "from_ip", c->sessions[best_a].ip_text);
    idr__ev_str(ev, "from_place", fmt_place(ctx, &ctx->en->ips[best_a]));
    idr__ev_str(ev, "from_at", session_at(ctx, &c->sessions[best_a]));
    idr__ev_str(ev, "to_ip", c->sessions[best_b].ip_text);
    idr__ev_str(ev, "to_place", fmt_place(ctx, &ctx->en->ips[best_b]));
    idr__ev_str(ev, "to_at", session_at(ctx, &c->sessions[best_b]));
    idr__ev_str(ev, "distance", fmt_km(ctx, best_km));
    idr__ev_num(ev, "hours", best_h);
    if (isinf(best_speed)) {
        idr__ev_str(ev, "speed", "no time between them");
    } else {
        idr__ev_str(ev, "speed", fmt_kmh(ctx, best_speed));
    }
    idr__ev_int(ev, "count", (long long)hits);
    const double max_pts = ctx->rule->points;
    idr__ev_strf(ev, "points",
                 "%g of %g, graded by the fastest jump (%s): %.0f%% of the points at "
                 "%s, rising to all of them from %s",
                 idr__graded_points(max_pts, share), max_pts,
                 isinf(best_speed) ? "simultaneous" : fmt_kmh(ctx, best_speed),
                 min_share * 100, fmt_kmh(ctx, max_speed), fmt_kmh(ctx, full_speed));
    idr__ev_str(ev, "not_counted", domestic ? domestic : "none");
}

static const idr__indicator net_impossible_travel = {
    .id = "net_impossible_travel",
    .evidence_keys = travel_keys,
    .eval = eval_impossible_travel,
    .needs = IDR__NEED_GEO,
    .params = travel_params,
    .n_params = sizeof travel_params / sizeof travel_params[0],
    .aliases = travel_aliases,
};

/* ------------------------------------------------------------------------------------
 * net_vpn_vps_proxy [G22][MSFT25][SEAL]
 * ---------------------------------------------------------------------------------- */
static const char *const anon_keys[] = {"ip",    "kind",     "network", "basis",
                                        "count", "sessions", NULL};

/* What kind of egress the databases or the ASN class list say `in` is, or NULL. */
static const char *
egress_kind(idr__ctx *ctx, const idr__ip_info *in, const char **basis) {
    static const char *const names[] = {"Tor exit node", "public proxy",
                                        "residential proxy", "VPN", "hosting provider"};
    const idr__tri flags[] = {in->is_tor, in->is_public_proxy, in->is_residential_proxy,
                              in->is_vpn, in->is_hosting};
    const char *k = NULL;
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        if (flags[f] == 1) {
            k = k ? idr__arena_printf(ctx->arena, "%s, %s", k, names[f]) : names[f];
        }
    }
    if (!k && in->is_anonymous == 1) {
        k = "anonymizer";
    }
    if (k) {
        *basis = in->anon_provider
                     ? idr__arena_printf(ctx->arena, "anonymizer database (provider %s)",
                                         in->anon_provider)
                     : "anonymizer database";
        return k;
    }
    if (in->asn_class) {
        *basis = idr__arena_printf(ctx->arena, "data/asn_classes.tsv (%s)",
                                   in->asn_class_source ? in->asn_class_source : "");
        return idr__arena_printf(ctx->arena, "%s network", in->asn_class);
    }
    return NULL;
}

static void eval_vpn(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    unsigned caps = ctx->en->geo_caps;
    if (c->n_sessions == 0) {
        idr__not_evaluated(ctx, ind, "no network sessions on file");
        return;
    }
    if (!(caps & IDR__GEO_CAP_ANON) &&
        !((caps & IDR__GEO_CAP_ASN) && (caps & IDR__GEO_CAP_ASN_CLASSES))) {
        idr__not_evaluated(ctx, ind,
                           "no anonymizer database, and no ASN database with "
                           "data/asn_classes.tsv, is loaded");
        return;
    }
    const char *cleared = NULL, *sessions = NULL;
    size_t count = 0, first = 0;
    const char *first_kind = NULL, *first_basis = NULL;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const idr__ip_info *in = &ctx->en->ips[i];
        const char *basis = NULL;
        const char *kind = egress_kind(ctx, in, &basis);
        if (!kind) {
            continue;
        }
        const char *why = listed(ctx, i, true);
        if (why) {
            idr__list_add_unique(ctx, "; ", &cleared, why);
            continue;
        }
        bool seen = false; /* list each address once; `count` counts sessions */
        for (size_t j = 0; j < i && !seen; j++) {
            seen = strcmp(c->sessions[j].ip_text, c->sessions[i].ip_text) == 0;
        }
        if (!seen) {
            idr__list_add(ctx, "; ", &sessions,
                          idr__arena_printf(ctx->arena, "%s (%s; %s)",
                                            c->sessions[i].ip_text, kind,
                                            fmt_place(ctx, in)));
        }
        if (count++ == 0) {
            first = i;
            first_kind = kind;
            first_basis = basis;
        }
    }
    if (count == 0) {
        if (cleared) {
            idr__suppress(ctx, ind, "%s", cleared);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "ip", c->sessions[first].ip_text);
    idr__ev_str(ev, "kind", first_kind);
    idr__ev_str(ev, "network", fmt_place(ctx, &ctx->en->ips[first]));
    idr__ev_str(ev, "basis", first_basis);
    idr__ev_int(ev, "count", (long long)count);
    idr__ev_str(ev, "sessions", sessions);
}

static const idr__indicator net_vpn_vps_proxy = {
    .id = "net_vpn_vps_proxy",
    .evidence_keys = anon_keys,
    .eval = eval_vpn,
    .needs = IDR__NEED_GEO,
};

/* ------------------------------------------------------------------------------------
 * net_astrill_vpn [LVB26][MPOD25][MAND24]
 * Matched on the operator's name only: the endpoint agent's vpn_client, an anonymizer
 * database's provider_name, or the network's registered names against data/astrill.tsv.
 * No network list: no verifiable public source for Astrill's address ranges was found.
 * ---------------------------------------------------------------------------------- */
static const char *const astrill_keys[] = {"ip", "basis", "count", "sessions", NULL};

/* What names Astrill for session `i` (enrichment's operator matches, in order: the
 * endpoint agent, the anonymizer database, the network's registered names), or NULL. */
static const char *astrill_basis(idr__ctx *ctx, size_t i) {
    const idr__session_net *net = &ctx->en->net[i];
    if (net->client.name) {
        return idr__arena_printf(
            ctx->arena, "the endpoint agent reported VPN client '%s'", net->client.text);
    }
    if (net->provider.name) {
        return idr__arena_printf(ctx->arena, "anonymizer database provider_name '%s'",
                                 net->provider.text);
    }
    if (net->network.name) {
        return idr__arena_printf(ctx->arena, "network name '%s' matches '%s' (%s)",
                                 net->network.text, net->network.name,
                                 net->network.source ? net->network.source : "");
    }
    return NULL;
}

static void eval_astrill(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    if (c->n_sessions == 0) {
        idr__not_evaluated(ctx, ind, "no network sessions on file");
        return;
    }
    bool any_client = false;
    for (size_t i = 0; i < c->n_sessions; i++) {
        any_client |= c->sessions[i].vpn_client != NULL;
    }
    if (!ctx->en->geo_loaded && !any_client) {
        idr__not_evaluated(ctx, ind, "no session reports a VPN client and %s",
                           ctx->en->geo_unavailable ? ctx->en->geo_unavailable
                                                    : "no IP database is loaded");
        return;
    }
    const char *cleared = NULL, *sessions = NULL;
    size_t count = 0, first = 0;
    const char *first_basis = NULL;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const char *basis = astrill_basis(ctx, i);
        if (!basis) {
            continue;
        }
        const char *why = listed(ctx, i, false);
        if (why) {
            idr__list_add_unique(ctx, "; ", &cleared, why);
            continue;
        }
        idr__list_add(ctx, "; ", &sessions,
                      idr__arena_printf(ctx->arena, "%s at %s (%s)",
                                        c->sessions[i].ip_text,
                                        session_at(ctx, &c->sessions[i]), basis));
        if (count++ == 0) {
            first = i;
            first_basis = basis;
        }
    }
    if (count == 0) {
        if (cleared) {
            idr__suppress(ctx, ind, "%s", cleared);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "ip", c->sessions[first].ip_text);
    idr__ev_str(ev, "basis", first_basis);
    idr__ev_int(ev, "count", (long long)count);
    idr__ev_str(ev, "sessions", sessions);
}

/* Not IDR__NEED_GEO: a reported vpn_client is evidence without any database. */
static const idr__indicator net_astrill_vpn = {
    .id = "net_astrill_vpn",
    .evidence_keys = astrill_keys,
    .eval = eval_astrill,
};

/* ------------------------------------------------------------------------------------
 * net_sustained_other_country (was net_russia_china_isp): sustained access from a
 * country other than the claimed ones [SEAL][MAND24][G22]. Scored only as a mismatch
 * against the candidate's own claims; no country appears in this code. The old id
 * named two countries this never measured (it fired for GB and DE sessions of a
 * candidate claiming the US): the sources describe sustained access from *another*
 * country as the sign, and scoring a nationality of an ISP as such is what [SEAL] warns
 * against, so the id was renamed rather than the rule narrowed.
 * ---------------------------------------------------------------------------------- */
static const char *const foreign_keys[] = {"count",   "located",  "countries",
                                           "claimed", "sessions", NULL};

/* The id before the rename: accepted by rule packs for one release. */
static const char *const foreign_aliases[] = {"net_russia_china_isp", NULL};

/* Parameters of net_sustained_other_country, in idr__param_of order. */
enum { FOREIGN_MIN_SESSIONS, FOREIGN_MIN_SHARE };
/* Persistent access from elsewhere: at least this many sessions, and at least this
 * share of the located ones, from countries other than the claimed ones.
 * [SEAL][MAND24][G22] describe sustained access from other countries; one odd session
 * is the location mismatch indicator's business, not this one's (project choice: 2 and
 * half). */
static const idr__param foreign_params[] = {
    {.name = "min_sessions",
     .def = 2,
     .min = 1,
     .max = 10000,
     .doc = "least number of sessions from countries other than the claimed ones"},
    {.name = "min_share",
     .def = 0.5,
     .min = 0,
     .max = 1,
     .doc = "least share of the located sessions from countries other than the "
            "claimed ones (0..1)"},
};

static void eval_foreign(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const double min_sessions = idr__param_of(ctx, FOREIGN_MIN_SESSIONS);
    const double min_share = idr__param_of(ctx, FOREIGN_MIN_SHARE);
    const char *home_cc = c->identity.residence.country;
    const char *work_cc = c->engagement.declared_work_country;
    if (c->n_sessions == 0) {
        idr__not_evaluated(ctx, ind, "no network sessions on file");
        return;
    }
    if (!(ctx->en->geo_caps & IDR__GEO_CAP_LOCATION)) {
        idr__not_evaluated(ctx, ind, "no IP location database is loaded");
        return;
    }
    if (!home_cc[0] && !work_cc[0]) {
        idr__not_evaluated(ctx, ind,
                           "neither a residence country nor a declared work "
                           "country is given");
        return;
    }
    const char *cleared = NULL, *sessions = NULL, *countries = NULL;
    size_t count = 0, n_located = 0;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const idr__ip_info *in = &ctx->en->ips[i];
        const idr__session *s = &c->sessions[i];
        if (!in->country[0]) {
            continue;
        }
        n_located++;
        if (strcmp(in->country, home_cc) == 0 || strcmp(in->country, work_cc) == 0) {
            continue;
        }
        const char *why = listed(ctx, i, true);
        const idr__travel *t = why ? NULL : travel_for(ctx, s, in->country);
        if (t) {
            why = idr__arena_printf(ctx->arena, "%s (%s) falls in %s", s->ip_text,
                                    session_at(ctx, s), travel_text(ctx, t));
        }
        if (why) {
            idr__list_add_unique(ctx, "; ", &cleared, why);
            continue;
        }
        count++;
        idr__list_add(
            ctx, "; ", &sessions,
            idr__arena_printf(ctx->arena, "%s (%s)", s->ip_text, fmt_place(ctx, in)));
        if (!countries || !strstr(countries, in->country)) {
            countries = countries ? idr__arena_printf(ctx->arena, "%s, %s", countries,
                                                      in->country)
                                  : in->country;
        }
    }
    if (n_located == 0) {
        idr__not_evaluated(ctx, ind,
                           "no session IP could be located by the loaded databases");
        return;
    }
    if ((double)count < min_sessions || (double)count < min_share * (double)n_located) {
        if (count == 0 && cleared) {
            idr__suppress(ctx, ind, "%s", cleared);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_int(ev, "count", (long long)count);
    idr__ev_int(ev, "located", (long long)n_located);
    idr__ev_str(ev, "countries", countries);
    if (home_cc[0] && work_cc[0] && strcmp(home_cc, work_cc) != 0) {
        idr__ev_strf(ev, "claimed", "residence %s, declared work country %s", home_cc,
                     work_cc);
    } else {
        idr__ev_strf(ev, "claimed", "%s", home_cc[0] ? home_cc : work_cc);
    }
    idr__ev_str(ev, "sessions", sessions);
}

static const idr__indicator net_sustained_other_country = {
    .id = "net_sustained_other_country",
    .evidence_keys = foreign_keys,
    .eval = eval_foreign,
    .needs = IDR__NEED_GEO,
    .params = foreign_params,
    .n_params = sizeof foreign_params / sizeof foreign_params[0],
    .aliases = foreign_aliases,
};

/* ------------------------------------------------------------------------------------
 * net_offhours_pattern [G22][SEAL][KB4][U42-24] - weak on its own.
 * Local hours come from enrichment (ctx->en->net[i].local: ICU's time-zone data, so
 * daylight saving is applied for each session's date).
 * ---------------------------------------------------------------------------------- */
static const char *const offhours_keys[] = {
    "timezone", "night", "total", "share", "best_offset", "best_daytime", NULL};

/* Parameters of net_offhours_pattern, in idr__param_of order. */
enum {
    OFFHOURS_MIN_SESSIONS,
    OFFHOURS_NIGHT_SHARE,
    OFFHOURS_NIGHT_FROM,
    OFFHOURS_NIGHT_TO
};
/* [G22][SEAL][KB4][U42-24] describe activity aligned with another zone's daytime; the
 * sources call it weak alone, so it needs a clear majority over a handful of sessions
 * (project choice: 5 sessions, 60 %) at night, 00:00-05:59 in the claimed zone. The
 * pack's detail text names the night window: change it with night_from_hour and
 * night_to_hour. */
static const idr__param offhours_params[] = {
    {.name = "min_sessions",
     .def = 5,
     .min = 1,
     .max = 10000,
     .doc = "least number of timed sessions to evaluate"},
    {.name = "night_share",
     .def = 0.6,
     .min = 0,
     .max = 1,
     .doc = "least share of timed sessions at night in the claimed zone, and in working "
            "hours at one UTC offset (0..1)"},
    {.name = "night_from_hour",
     .def = 0,
     .min = 0,
     .max = 23,
     .doc = "local hour at which the night starts (inclusive, 0..23)"},
    {.name = "night_to_hour",
     .def = 6,
     .min = 1,
     .max = 24,
     .doc = "local hour at which the night ends (exclusive, 1..24; below "
            "night_from_hour the night spans midnight)"},
};

static bool at_night(const idr__local_time *lt, double from, double to) {
    if (!lt->known) {
        return false;
    }
    double h = lt->hour;
    return from <= to ? h >= from && h < to : h >= from || h < to;
}

static void eval_offhours(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const double min_sessions = idr__param_of(ctx, OFFHOURS_MIN_SESSIONS);
    const double need_share = idr__param_of(ctx, OFFHOURS_NIGHT_SHARE);
    const double night_from = idr__param_of(ctx, OFFHOURS_NIGHT_FROM);
    const double night_to = idr__param_of(ctx, OFFHOURS_NIGHT_TO);
    const char *tz = c->identity.timezone;
    if (!tz) {
        idr__not_evaluated(ctx, ind, "no claimed time zone (identity.timezone)");
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < c->n_sessions; i++) {
        total += c->sessions[i].at != IDR__TIME_NONE;
    }
    if ((double)total < min_sessions) {
        idr__not_evaluated(ctx, ind, "%zu timed session(s); at least %g are needed",
                           total, min_sessions);
        return;
    }
    if (!ctx->en->claimed_zone) {
        idr__not_evaluated(ctx, ind, "%s",
                           ctx->en->claimed_zone_unusable
                               ? ctx->en->claimed_zone_unusable
                               : "the claimed time zone is not known");
        return;
    }
    size_t night = 0;
    size_t day_at[27] = {0}; /* sessions in 09:00-17:59 at UTC offset -12..+14 */
    for (size_t i = 0; i < c->n_sessions; i++) {
        int64_t at = c->sessions[i].at;
        if (at == IDR__TIME_NONE) {
            continue;
        }
        night += at_night(&ctx->en->net[i].local, night_from, night_to);
        int64_t utc_h = ((at % 86400) + 86400) % 86400 / 3600;
        for (int off = -12; off <= 14; off++) {
            int64_t h = ((utc_h + off) % 24 + 24) % 24;
            day_at[off + 12] += h >= 9 && h < 18;
        }
    }
    double share = (double)night / (double)total;
    if (share < need_share) {
        return;
    }
    /* Folded into the working-day fit: when net_workday_offset (evaluated before this
     * rule in the default pack) has fired on these timestamps, the night hours are
     * part of what it scores, so this weak sign stands down rather than count the
     * same hours twice. It still fires where the fit cannot be made (fewer sessions
     * or days than the fit needs, or a pack without net_workday_offset). */
    for (size_t k = 0; k < ctx->rep->n_hits; k++) {
        const idr__rule *r = ctx->rep->hits[k]->rule;
        if (r && strcmp(r->id, "net_workday_offset") == 0) {
            idr__suppress(ctx, ind,
                          "the same sessions are scored by net_workday_offset (a working "
                          "day in another UTC offset)");
            return;
        }
    }
    int best = 0;
    for (int k = 1; k < 27; k++) {
        if (day_at[k] > day_at[best]) {
            best = k;
        }
    }
    /* "while matching daytime in another zone": the same share must fall in working
     * hours at one UTC offset. A 6-hour night always fits a 9-hour day, so this mainly
     * keeps mixed patterns (some night, some spread over the day) from firing. */
    if ((double)day_at[best] < need_share * (double)total) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "timezone", tz);
    idr__ev_int(ev, "night", (long long)night);
    idr__ev_int(ev, "total", (long long)total);
    idr__ev_strf(ev, "share", "%.0f%%", share * 100.0);
    idr__ev_strf(ev, "best_offset", "UTC%+d", best - 12);
    idr__ev_int(ev, "best_daytime", (long long)day_at[best]);
}

/* Not IDR__NEED_GEO: only timestamps and the claimed zone are used. */
static const idr__indicator net_offhours_pattern = {
    .id = "net_offhours_pattern",
    .evidence_keys = offhours_keys,
    .eval = eval_offhours,
    .params = offhours_params,
    .n_params = sizeof offhours_params / sizeof offhours_params[0],
};

/* ------------------------------------------------------------------------------------
 * net_shared_egress [G22][MPOD25]
 * The same IP address on the same UTC day in this record's sessions and another
 * candidate's, under a different name: several workers behind one connection. Only a
 * home-like connection says that: the networks many unrelated users share (a VPN,
 * hosting, Tor, a proxy, a mobile carrier's NAT) are listed as context and never
 * counted, nor are allow-listed or relay sessions (the store does not index those
 * anyway). A declared household shares its home connection and is not counted either.
 * ---------------------------------------------------------------------------------- */
static const char *const shared_keys[] = {"others",  "count",       "days",     "network",
                                          "context", "not_counted", "not_read", NULL};

/* Why the egress of session `i` is one many unrelated users share, or NULL. */
static const char *shared_network(idr__ctx *ctx, size_t i) {
    const idr__ip_info *in = &ctx->en->ips[i];
    const char *basis = NULL;
    const char *kind = egress_kind(ctx, in, &basis);
    if (kind) {
        return kind;
    }
    if (in->connection_type && (strcmp(in->connection_type, "Cellular") == 0 ||
                                strcmp(in->connection_type, "cellular") == 0)) {
        return "mobile carrier network";
    }
    return NULL;
}

static void eval_shared_egress(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    const idr_candidate *c = ctx->c;
    if (c->n_sessions == 0) {
        idr__not_evaluated(ctx, ind, "no network sessions on file");
        return;
    }
    idr__others others = {0}, days = {0}, context = {0};
    idr__link_cleared cleared = {0};
    for (size_t i = 0; i < l->n; i++) {
        const idr__link *k = &l->v[i];
        if (k->kind != IDR__LK_IP || k->own_index >= c->n_sessions) {
            continue;
        }
        const char *day = idr__date_text(ctx, k->day);
        day = day ? day : "";
        const char *item = idr__arena_printf(ctx->arena, "%s (%s)", k->other_id, day);
        if (listed(ctx, k->own_index, true)) {
            continue; /* the configured ranges: the company's own egress */
        }
        const char *net = shared_network(ctx, k->own_index);
        if (net) {
            idr__others_add(
                ctx, &context, k->other_id,
                idr__arena_printf(ctx->arena, "%s (%s, %s)", k->other_id, day, net));
            continue;
        }
        if (k->declared_household) {
            idr__link_cleared_add(ctx, &cleared, IDR__LX_HOUSEHOLD, k);
            continue;
        }
        idr__link_excl why = idr__link_classify(k, false);
        if (why != IDR__LX_COUNTS) {
            idr__link_cleared_add(ctx, &cleared, why, k);
            continue;
        }
        idr__others_add(ctx, &others, k->other_id, item);
        idr__others_add(ctx, &days, day, NULL);
    }
    const char *cl = idr__link_cleared_text(ctx, &cleared);
    const char *ctx_text =
        context.n ? idr__arena_printf(ctx->arena,
                                      "shared networks many unrelated users share: %s",
                                      idr__others_text(&context))
                  : NULL;
    if (others.n == 0) {
        if (cl || ctx_text) {
            idr__suppress(ctx, ind, "%s%s%s", ctx_text ? ctx_text : "",
                          ctx_text && cl ? "; " : "", cl ? cl : "");
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "others", others.list);
    idr__ev_int(ev, "count", (long long)others.n);
    idr__ev_str(ev, "days", days.list);
    unsigned caps = ctx->en->geo_caps;
    bool classed = (caps & IDR__GEO_CAP_ANON) ||
                   ((caps & IDR__GEO_CAP_ASN) && (caps & IDR__GEO_CAP_ASN_CLASSES));
    idr__ev_str(ev, "network",
                classed ? "not a VPN, hosting or proxy network per the loaded data"
                        : "network type not known (no anonymizer database, and no ASN "
                          "database with data/asn_classes.tsv, is loaded)");
    idr__ev_str(ev, "context", context.list ? context.list : "none");
    idr__ev_str(ev, "not_counted", cl ? cl : "none");
    idr__ev_int(ev, "not_read", (long long)idr__links_not_read(l, 1u << IDR__LK_IP));
}

static const idr__indicator net_shared_egress = {
    .id = "net_shared_egress",
    .evidence_keys = shared_keys,
    .eval = eval_shared_egress,
    .needs = IDR__NEED_STORE,
};

/* ------------------------------------------------------------------------------------
 * net_sanctioned_jurisdiction [OFAC-NKSR][OFAC-ITSR][OFAC-CACR][OFAC-UKR][APNIC-KP]
 * A session from a comprehensively sanctioned jurisdiction or from the DPRK's own
 * networks, or a payout account, payee company or shipment address in such a
 * jurisdiction (enrichment: ctx->en->jur, lib/enrich/lists/jurisdictions.c). A legal
 * fact about the connection or the transaction, never about the person: this is the
 * one network indicator that names countries, because the sanctions programs do.
 * Approved travel and the declared work country do not clear it (nobody is approved to
 * work from the DPRK, and a transaction there needs a licence whoever travels). Only
 * an allow-listed corporate VPN range clears a session found by its geolocation alone:
 * that address is the company's own egress. A session on a DPRK network is never
 * cleared.
 *
 * Overlap: no pay_* indicator reads payment.account_country or the payee company's
 * jurisdiction, and pay_sanctions_match screens names against the SDN list (a listed
 * person or company, another fact), so nothing is counted twice; however many fields
 * match, this indicator is one reason with one set of points.
 * ---------------------------------------------------------------------------------- */
static const char *const sanctioned_keys[] = {"field", "value", "place",   "basis",
                                              "count", "all",   "cleared", NULL};

static void eval_sanctioned(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__jur_facts *f = &ctx->en->jur;
    const idr_candidate *c = ctx->c;
    if (!f->loaded) {
        idr__not_evaluated(ctx, ind, "%s",
                           ctx->mods && ctx->mods->jur_unavailable
                               ? ctx->mods->jur_unavailable
                               : "the sanctioned-jurisdiction lists are not loaded");
        return;
    }
    const char *all = NULL, *cleared = NULL;
    const idr__jur_hit *first = NULL;
    size_t count = 0;
    for (size_t k = 0; k < f->n_hits; k++) {
        const idr__jur_hit *h = &f->hits[k];
        if (h->session >= 0 && h->by_location && (size_t)h->session < c->n_sessions &&
            ctx->en->ips[h->session].allow_listed) {
            idr__list_add_unique(ctx, "; ", &cleared,
                                 listed(ctx, (size_t)h->session, false));
            continue;
        }
        idr__list_add(
            ctx, "; ", &all,
            idr__arena_printf(ctx->arena, "%s %s: %s", h->field, h->value, h->place));
        if (count++ == 0) {
            first = h;
        }
    }
    if (!first) {
        if (cleared) {
            idr__suppress(ctx, ind, "%s", cleared);
        } else if (!f->sessions_checked) {
            /* Without sessions the network family stays "not evaluated" for coverage
             * (a clean answer here would count it as checked for a record with no
             * network data); the payment and shipping part is said in the why. */
            idr__not_evaluated(ctx, ind, "%s",
                               f->fields_checked
                                   ? "no sessions to check (the payment and shipping "
                                     "countries were checked: none is sanctioned)"
                                   : "no session, payment country, payee jurisdiction "
                                     "or shipping address to check");
        } else if (f->sessions_checked && !(ctx->en->geo_caps & IDR__GEO_CAP_LOCATION)) {
            idr__not_evaluated(ctx, ind,
                               "sessions compared only with the DPRK's address ranges: "
                               "no IP location database is loaded (payment and "
                               "shipping countries were checked)");
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "field", first->field);
    idr__ev_str(ev, "value", first->value);
    idr__ev_str(ev, "place", first->place);
    idr__ev_str(ev, "basis", first->basis);
    idr__ev_int(ev, "count", (long long)count);
    idr__ev_str(ev, "all", all);
    idr__ev_str(ev, "cleared", cleared ? cleared : "none");
}

/* Not IDR__NEED_GEO nor IDR__NEED_LISTS: its own lists (modules->jur), and the payment
 * and shipping fields need no IP database. */
static const idr__indicator net_sanctioned_jurisdiction = {
    .id = "net_sanctioned_jurisdiction",
    .evidence_keys = sanctioned_keys,
    .eval = eval_sanctioned,
};

static const idr__indicator *const indicators[] = {&net_claimed_location_mismatch,
                                                   &net_impossible_travel,
                                                   &net_vpn_vps_proxy,
                                                   &net_domestic_distance_mismatch,
                                                   &net_workday_offset,
                                                   &net_astrill_vpn,
                                                   &net_sustained_other_country,
                                                   &net_offhours_pattern,
                                                   &net_shared_egress,
                                                   &net_sanctioned_jurisdiction,
                                                   NULL};

const idr__family idr__family_network = {.name = "network",
                                         .prefix = "net_",
                                         .file = "lib/rules/network.c",
                                         .indicators = indicators};
