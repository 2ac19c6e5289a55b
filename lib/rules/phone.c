/* SPDX-License-Identifier: Apache-2.0 */
/*
 * phone.c - the "phone" family: what the candidate's and the references' numbers are.
 *
 * The enrichment (lib/phone) has parsed every number with libphonenumber's metadata and
 * offline geocoder into ctx->en->phones (the candidate's, parallel to contacts.phones)
 * and ctx->en->ref_phones (one per reference across employers, in order). A carrier
 * lookup the caller ran (Phone `line_type`, `ported_at`, `first_seen`) knows the live
 * line and wins over the metadata, which only knows what a range was allocated as; every
 * reason says which of the two decided.
 *
 * No number is scored for its country as such: the region only counts when it
 * contradicts what the candidate claimed (the residence), and a declared work country
 * (e.g. an employer-of-record arrangement) that matches the number's region clears it.
 * Approved travel does not: a number is given once, at application, not per trip.
 */
#include "rules/rule.h"

#include <ctype.h>
#include <string.h>

/* new_number_days (phn_voip_nonfixed): a number first seen or ported this many days
 * or fewer before the as-of date or the application counts as new. [KB4][Nisos] name
 * "newly ported or newly created" numbers without a period; 30 days is a project
 * choice covering the weeks in which a persona is usually set up for one application
 * round. */
enum { P_NEW_NUMBER_DAYS };
static const idr__param voip_params[] = {
    [P_NEW_NUMBER_DAYS] = {.name = "new_number_days",
                           .def = 30,
                           .min = 0,
                           .max = 365,
                           .doc = "days before the application or as-of date within "
                                  "which a first-seen or porting date counts as new"},
};

/* min_digits_compare (phn_reference_is_candidate): a reference number given only in
 * digits (unparsed) is compared as digits when it has at least this many: fewer (an
 * extension, "n/a 123") would match by accident. Project choice: 7 is the shortest
 * subscriber number in NANP and most plans. */
enum { P_MIN_DIGITS_COMPARE };
static const idr__param selfref_params[] = {
    [P_MIN_DIGITS_COMPARE] = {.name = "min_digits_compare",
                              .def = 7,
                              .min = 4,
                              .max = 15,
                              .doc = "fewest digits an unparsed number needs to be "
                                     "compared as digits"},
};

/* A detail lists at most this many numbers and then says how many more there are:
 * enough for a reviewer, and a hostile record with thousands of numbers cannot make
 * the detail (rebuilt on each addition) grow quadratically. */
#define LIST_MAX 10

/* ------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------- */

/* A "; "-separated list of at most LIST_MAX items and the count of all items. */
typedef struct lst {
    const char *text;
    long long n;
} lst;

static void lst_add(idr__ctx *ctx, lst *l, const char *item) {
    if (l->n++ >= LIST_MAX) {
        return;
    }
    l->text = l->text ? idr__arena_printf(ctx->arena, "%s; %s", l->text, item)
                      : idr__arena_strdup(ctx->arena, item);
}

static const char *lst_text(idr__ctx *ctx, const lst *l) {
    if (l->n <= LIST_MAX) {
        return l->text;
    }
    return idr__arena_printf(ctx->arena, "%s; and %lld more", l->text ? l->text : "",
                             l->n - LIST_MAX);
}

/* The references flattened in enrichment order (parallel to ctx->en->ref_phones). */
typedef struct refs {
    const idr__reference **ref;
    const idr__employer **emp;
    size_t n;
} refs;

static bool flat_refs(idr__ctx *ctx, refs *r) {
    const idr__work_history *wh = &ctx->c->work_history;
    r->n = 0;
    // An array of pointers: sizeof of one element is a pointer size.
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    r->ref = idr__arena_alloc(ctx->arena, (ctx->en->n_ref_phones + 1) * sizeof *r->ref);
    // An array of pointers: sizeof of one element is a pointer size.
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    r->emp = idr__arena_alloc(ctx->arena, (ctx->en->n_ref_phones + 1) * sizeof *r->emp);
    if (!r->ref || !r->emp) {
        return false;
    }
    for (size_t e = 0; e < wh->n_employers; e++) {
        for (size_t k = 0;
             k < wh->employers[e].n_references && r->n < ctx->en->n_ref_phones; k++) {
            r->ref[r->n] = &wh->employers[e].references[k];
            r->emp[r->n++] = &wh->employers[e];
        }
    }
    return true;
}

/* How a number is shown: E.164 when parsed (unambiguous, and display formatting
 * would cost as much as the parse, see lib/enrich/phone/phone_shim.h), else the input. */
static const char *shown(const idr__phone_info *in, const char *raw) {
    return in->e164 ? in->e164 : raw;
}

/* "reference Jane Roe (Acme Ltd)" for reference k. */
static const char *ref_label(idr__ctx *ctx, const refs *r, size_t k) {
    return idr__arena_printf(ctx->arena, "reference %s (%s)",
                             r->ref[k]->name ? r->ref[k]->name : "without a name",
                             r->emp[k]->name ? r->emp[k]->name : "employer not named");
}

static size_t count_candidate_numbers(const idr__ctx *ctx) {
    size_t n = 0;
    for (size_t i = 0; i < ctx->c->contacts.n_phones; i++) {
        n += ctx->c->contacts.phones[i].number != NULL;
    }
    return n;
}

static size_t count_reference_numbers(const refs *r) {
    size_t n = 0;
    for (size_t k = 0; k < r->n; k++) {
        n += r->ref[k]->phone != NULL;
    }
    return n;
}

/* The day of the earliest application session, or IDR__DATE_NONE. */
static int32_t application_day(const idr__ctx *ctx) {
    int64_t best = IDR__TIME_NONE;
    for (size_t i = 0; i < ctx->c->n_sessions; i++) {
        const idr__session *s = &ctx->c->sessions[i];
        if (s->event == IDR__EV_APPLICATION && s->at != IDR__TIME_NONE &&
            (best == IDR__TIME_NONE || s->at < best)) {
            best = s->at;
        }
    }
    if (best == IDR__TIME_NONE) {
        return IDR__DATE_NONE;
    }
    return (int32_t)(best >= 0 ? best / 86400 : -((-best + 86399) / 86400));
}

/* "first seen 2026-11-02, 9 days before the application (2026-11-11)" when `d` is
 * within new_number_days before the application or the as-of date, else NULL. */
static const char *recent(idr__ctx *ctx, const char *what, int32_t d, int32_t app_day) {
    if (d == IDR__DATE_NONE) {
        return NULL;
    }
    const int32_t days[2] = {app_day, ctx->today};
    const char *names[2] = {"the application", "the as-of date"};
    for (int i = 0; i < 2; i++) {
        if (days[i] == IDR__DATE_NONE) {
            continue;
        }
        int32_t before = days[i] - d;
        if (before >= 0 && before <= idr__param_of(ctx, P_NEW_NUMBER_DAYS)) {
            char a[11], b[11];
            idr__format_date(d, a);
            idr__format_date(days[i], b);
            return idr__arena_printf(ctx->arena, "%s %s, %d day(s) before %s (%s)", what,
                                     a, (int)before, names[i], b);
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------
 * phn_voip_nonfixed [KB4][Nisos]
 * ---------------------------------------------------------------------------------- */
static const char *const voip_keys[] = {"numbers", "count", "source", NULL};

static void eval_voip(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    refs rf;
    if (!flat_refs(ctx, &rf)) {
        idr__not_evaluated(ctx, ind, "out of memory");
        return;
    }
    if (count_candidate_numbers(ctx) + count_reference_numbers(&rf) == 0) {
        idr__not_evaluated(ctx, ind, "no phone number given (candidate or references)");
        return;
    }
    int32_t app = application_day(ctx);
    lst list = {NULL, 0};
    bool by_lookup = false, by_metadata = false;
    for (size_t i = 0; i < c->contacts.n_phones; i++) {
        const idr__phone *ph = &c->contacts.phones[i];
        const idr__phone_info *in = &ctx->en->phones[i];
        const char *why = NULL;
        if (ph->line_type == IDR__LINE_NON_FIXED_VOIP ||
            ph->line_type == IDR__LINE_PREPAID) {
            why = idr__arena_printf(
                ctx->arena, "%s line per the carrier lookup",
                ph->line_type == IDR__LINE_PREPAID ? "prepaid" : "non-fixed VoIP");
            by_lookup = true;
        } else if (in->type_source && strcmp(in->type_source, "libphonenumber") == 0 &&
                   in->metadata_type && strcmp(in->metadata_type, "voip") == 0) {
            /* Weaker: the range was allocated for VoIP; the live line is unknown. */
            why = "in a VoIP range per libphonenumber metadata (range allocation, weaker "
                  "than a carrier lookup)";
            by_metadata = true;
        }
        const char *seen = recent(ctx, "first seen", ph->first_seen, app);
        const char *ported = recent(ctx, "ported", ph->ported_at, app);
        if (seen || ported) {
            by_lookup = true;
        }
        if (!why && !seen && !ported) {
            continue;
        }
        const char *item =
            idr__arena_printf(ctx->arena, "%s (candidate): %s%s%s%s%s",
                              shown(in, ph->number ? ph->number : "number not given"),
                              why ? why : "", why && seen ? "; " : "", seen ? seen : "",
                              (why || seen) && ported ? "; " : "", ported ? ported : "");
        lst_add(ctx, &list, item);
    }
    for (size_t k = 0; k < rf.n; k++) {
        const idr__phone_info *in = &ctx->en->ref_phones[k];
        if (!in->parsed || !in->metadata_type || strcmp(in->metadata_type, "voip") != 0) {
            continue;
        }
        by_metadata = true;
        lst_add(ctx, &list,
                idr__arena_printf(ctx->arena,
                                  "%s (%s): in a VoIP range per libphonenumber metadata "
                                  "(range allocation, weaker than a carrier lookup)",
                                  shown(in, rf.ref[k]->phone), ref_label(ctx, &rf, k)));
    }
    if (!list.n) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "numbers", lst_text(ctx, &list));
    idr__ev_int(ev, "count", list.n);
    idr__ev_str(ev, "source",
                by_lookup && by_metadata ? "carrier lookup and libphonenumber metadata"
                : by_lookup              ? "carrier lookup"
                                         : "libphonenumber metadata only");
}

static const idr__indicator phn_voip_nonfixed = {
    .id = "phn_voip_nonfixed",
    .evidence_keys = voip_keys,
    .eval = eval_voip,
    .needs = IDR__NEED_PHONE,
    .params = voip_params,
    .n_params = sizeof voip_params / sizeof voip_params[0],
};

/* ------------------------------------------------------------------------------------
 * phn_invalid_number (project; refines phn_voip_nonfixed)
 * ---------------------------------------------------------------------------------- */
static const char *const invalid_keys[] = {"numbers", "count", NULL};

/* Why `in` is not a valid number, or NULL when it is (or was not looked at). */
static const char *invalid_why(idr__ctx *ctx, const idr__phone_info *in) {
    if (!in->parsed) {
        return in->error ? idr__arena_printf(ctx->arena, "rejected by libphonenumber: %s",
                                             in->error)
                         : NULL;
    }
    if (in->valid == 0) {
        return in->possible == 1
                   ? "its length fits but no allocated range in libphonenumber's "
                     "metadata "
                     "matches"
                   : "not a possible number for its country in libphonenumber's metadata";
    }
    return NULL;
}

static void eval_invalid(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    refs rf;
    if (!flat_refs(ctx, &rf)) {
        idr__not_evaluated(ctx, ind, "out of memory");
        return;
    }
    if (count_candidate_numbers(ctx) + count_reference_numbers(&rf) == 0) {
        idr__not_evaluated(ctx, ind, "no phone number given (candidate or references)");
        return;
    }
    lst list = {NULL, 0}, cleared = {NULL, 0};
    for (size_t i = 0; i < c->contacts.n_phones; i++) {
        const idr__phone *ph = &c->contacts.phones[i];
        if (!ph->number) {
            continue;
        }
        const char *why = invalid_why(ctx, &ctx->en->phones[i]);
        if (!why) {
            continue;
        }
        const char *item = idr__arena_printf(ctx->arena, "%s (candidate): %s",
                                             shown(&ctx->en->phones[i], ph->number), why);
        /* A carrier lookup that found a live line beats metadata that may predate the
         * range (Debian's libphonenumber 8.12 metadata dates from 2022). */
        if (ph->line_type != IDR__LINE_NONE && ph->line_type != IDR__LINE_UNKNOWN) {
            lst_add(ctx, &cleared,
                    idr__arena_printf(ctx->arena,
                                      "the carrier lookup found a live %s line for %s",
                                      ph->line_type_name ? ph->line_type_name : "",
                                      shown(&ctx->en->phones[i], ph->number)));
            continue;
        }
        lst_add(ctx, &list, item);
    }
    for (size_t k = 0; k < rf.n; k++) {
        const char *raw = rf.ref[k]->phone;
        const char *why = raw ? invalid_why(ctx, &ctx->en->ref_phones[k]) : NULL;
        if (!why) {
            continue;
        }
        lst_add(ctx, &list,
                idr__arena_printf(ctx->arena, "%s (%s): %s",
                                  shown(&ctx->en->ref_phones[k], raw),
                                  ref_label(ctx, &rf, k), why));
    }
    if (list.n) {
        idr__ev *ev = idr__hit(ctx, ind);
        idr__ev_str(ev, "numbers", lst_text(ctx, &list));
        idr__ev_int(ev, "count", list.n);
    } else if (cleared.n) {
        idr__suppress(ctx, ind, "%s", lst_text(ctx, &cleared));
    }
}

static const idr__indicator phn_invalid_number = {
    .id = "phn_invalid_number",
    .evidence_keys = invalid_keys,
    .eval = eval_invalid,
    .needs = IDR__NEED_PHONE,
};

/* ------------------------------------------------------------------------------------
 * phn_region_mismatch (project; refines id_cross_profile_mismatch [G22][P23][P25])
 * ---------------------------------------------------------------------------------- */
static const char *const region_keys[] = {"numbers", "count", "residence", NULL};

/* US states, DC and territories, and Canadian provinces: the places the offline
 * geocoder names for NANP numbers ("Minnesota", "Jersey City, NJ", "Ontario"). */
static const struct {
    const char *code, *name;
} places[] = {
    {"AL", "Alabama"},
    {"AK", "Alaska"},
    {"AZ", "Arizona"},
    {"AR", "Arkansas"},
    {"CA", "California"},
    {"CO", "Colorado"},
    {"CT", "Connecticut"},
    {"DE", "Delaware"},
    {"DC", "District of Columbia"},
    {"DC", "Washington D.C."},
    {"DC", "Washington DC"},
    {"FL", "Florida"},
    {"GA", "Georgia"},
    {"HI", "Hawaii"},
    {"ID", "Idaho"},
    {"IL", "Illinois"},
    {"IN", "Indiana"},
    {"IA", "Iowa"},
    {"KS", "Kansas"},
    {"KY", "Kentucky"},
    {"LA", "Louisiana"},
    {"ME", "Maine"},
    {"MD", "Maryland"},
    {"MA", "Massachusetts"},
    {"MI", "Michigan"},
    {"MN", "Minnesota"},
    {"MS", "Mississippi"},
    {"MO", "Missouri"},
    {"MT", "Montana"},
    {"NE", "Nebraska"},
    {"NV", "Nevada"},
    {"NH", "New Hampshire"},
    {"NJ", "New Jersey"},
    {"NM", "New Mexico"},
    {"NY", "New York"},
    {"NC", "North Carolina"},
    {"ND", "North Dakota"},
    {"OH", "Ohio"},
    {"OK", "Oklahoma"},
    {"OR", "Oregon"},
    {"PA", "Pennsylvania"},
    {"RI", "Rhode Island"},
    {"SC", "South Carolina"},
    {"SD", "South Dakota"},
    {"TN", "Tennessee"},
    {"TX", "Texas"},
    {"UT", "Utah"},
    {"VT", "Vermont"},
    {"VA", "Virginia"},
    {"WA", "Washington"},
    {"WV", "West Virginia"},
    {"WI", "Wisconsin"},
    {"WY", "Wyoming"},
    {"PR", "Puerto Rico"},
    {"GU", "Guam"},
    {"VI", "U.S. Virgin Islands"},
    {"AS", "American Samoa"},
    {"MP", "Northern Mariana Islands"},
    {"AB", "Alberta"},
    {"BC", "British Columbia"},
    {"MB", "Manitoba"},
    {"NB", "New Brunswick"},
    {"NL", "Newfoundland and Labrador"},
    {"NS", "Nova Scotia"},
    {"NT", "Northwest Territories"},
    {"NU", "Nunavut"},
    {"ON", "Ontario"},
    {"PE", "Prince Edward Island"},
    {"QC", "Quebec"},
    {"SK", "Saskatchewan"},
    {"YT", "Yukon"},
};

static bool ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
            return false;
        }
    }
    return *a == *b;
}

/* The state/province code for a name or code ("GA", "ga", "Georgia", "US-GA"). */
static const char *place_code(const char *s) {
    if (!s) {
        return NULL;
    }
    while (*s == ' ') {
        s++;
    }
    if (strlen(s) == 5 && s[2] == '-') {
        s += 3; /* ISO 3166-2 "US-GA" */
    }
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        if (ieq(s, places[i].code) || ieq(s, places[i].name)) {
            return places[i].code;
        }
    }
    return NULL;
}

/* The state of a geocoder description: "Jersey City, NJ" -> NJ, "Minnesota" -> MN. */
static const char *area_state(const char *area) {
    if (!area) {
        return NULL;
    }
    const char *comma = strrchr(area, ',');
    if (comma) {
        return place_code(comma + 1);
    }
    return place_code(area);
}

/* Countries that share one numbering plan with their dependencies, which have their own
 * ISO codes and libphonenumber regions (a Jersey mobile is a +44 number; a US resident
 * may live in Puerto Rico). A residence in one and a number of another of the same
 * group is no contradiction. Groups from the shared calling codes of libphonenumber's
 * metadata: +1 (US and its territories), +44, +47, +61, +358. */
static const char *const same_plan[][8] = {
    {"US", "PR", "GU", "VI", "AS", "MP", "UM", NULL},
    {"GB", "GG", "JE", "IM", NULL},
    {"NO", "SJ", NULL},
    {"AU", "CX", "CC", NULL},
    {"FI", "AX", NULL},
};

static int plan_group(const char *cc) {
    for (size_t g = 0; g < sizeof same_plan / sizeof same_plan[0]; g++) {
        for (size_t i = 0; same_plan[g][i]; i++) {
            if (strcmp(cc, same_plan[g][i]) == 0) {
                return (int)g;
            }
        }
    }
    return -1;
}

static bool same_country(const char *a, const char *b) {
    if (strcmp(a, b) == 0) {
        return true;
    }
    int ga = plan_group(a);
    return ga >= 0 && ga == plan_group(b);
}

static void eval_region(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const idr__address *home = &c->identity.residence;
    if (count_candidate_numbers(ctx) == 0) {
        idr__not_evaluated(ctx, ind, "the candidate gave no phone number");
        return;
    }
    if (!home->country[0]) {
        idr__not_evaluated(ctx, ind, "no residence country claimed");
        return;
    }
    const char *home_state = place_code(home->region);
    const char *work = c->engagement.declared_work_country;
    lst list = {NULL, 0}, cleared = {NULL, 0};
    for (size_t i = 0; i < c->contacts.n_phones; i++) {
        const idr__phone *ph = &c->contacts.phones[i];
        const idr__phone_info *in = &ctx->en->phones[i];
        if (!in->parsed || in->valid != 1 || !in->region) {
            continue;
        }
        const char *num = shown(in, ph->number);
        if (!same_country(in->region, home->country)) {
            const char *item = idr__arena_printf(
                ctx->arena, "%s is a %s number%s%s%s", num, in->region,
                in->area ? " (" : "", in->area ? in->area : "", in->area ? ")" : "");
            if (work[0] && same_country(in->region, work)) {
                lst_add(ctx, &cleared,
                        idr__arena_printf(ctx->arena,
                                          "%s: %s is the declared work country", item,
                                          work));
                continue;
            }
            lst_add(ctx, &list, item);
            continue;
        }
        /* Same country: for NANP, compare the geocoded state with the claimed one. */
        const char *st =
            in->e164 && strncmp(in->e164, "+1", 2) == 0 ? area_state(in->area) : NULL;
        if (!st || !home_state || strcmp(st, home_state) == 0) {
            continue;
        }
        const char *item =
            idr__arena_printf(ctx->arena, "%s is geocoded to %s (%s)", num, in->area, st);
        /* A mobile line keeps its area code when its holder moves; only a carrier lookup
         * tells a mobile from a landline (NANP metadata says fixed_line_or_mobile). */
        if (ph->line_type == IDR__LINE_MOBILE || ph->line_type == IDR__LINE_PREPAID ||
            ph->line_type == IDR__LINE_NON_FIXED_VOIP) {
            lst_add(ctx, &cleared,
                    idr__arena_printf(ctx->arena,
                                      "%s: the carrier lookup says %s, and such numbers "
                                      "keep their area code when the holder moves",
                                      item,
                                      ph->line_type_name ? ph->line_type_name : ""));
            continue;
        }
        lst_add(ctx, &list, item);
    }
    if (list.n) {
        idr__ev *ev = idr__hit(ctx, ind);
        idr__ev_str(ev, "numbers", lst_text(ctx, &list));
        idr__ev_int(ev, "count", list.n);
        idr__ev_str(ev, "residence",
                    home_state ? idr__arena_printf(ctx->arena, "%s, %s", home_state,
                                                   home->country)
                               : home->country);
    } else if (cleared.n) {
        idr__suppress(ctx, ind, "%s", lst_text(ctx, &cleared));
    }
}

static const idr__indicator phn_region_mismatch = {
    .id = "phn_region_mismatch",
    .evidence_keys = region_keys,
    .eval = eval_region,
    .needs = IDR__NEED_PHONE,
};

/* ------------------------------------------------------------------------------------
 * phn_reference_is_candidate (project; refines wrk_unverifiable_employers [G22][P25])
 * ---------------------------------------------------------------------------------- */
static const char *const selfref_keys[] = {"number", "references", "count", NULL};

/* The comparison key of a number: E.164 when parsed, else its digits when there are
 * enough of them, else NULL. */
static const char *number_key(idr__ctx *ctx, const idr__phone_info *in, const char *raw) {
    if (in->parsed && in->e164) {
        return in->e164;
    }
    if (!raw) {
        return NULL;
    }
    size_t n = strlen(raw), d = 0;
    char *digits = idr__arena_alloc(ctx->arena, n + 1);
    if (!digits) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (raw[i] >= '0' && raw[i] <= '9') {
            digits[d++] = raw[i];
        }
    }
    digits[d] = '\0';
    return d >= idr__param_of(ctx, P_MIN_DIGITS_COMPARE) ? digits : NULL;
}

/* Whether two comparison keys are the same number; a digits-only key must have at
 * least `min_digits` digits (min_digits_compare) to match the tail of an E.164 key. */
static bool key_eq(const char *a, const char *b, double min_digits) {
    if (!a || !b) {
        return false;
    }
    /* An E.164 key against a digits-only key: compare the digits after "+". */
    if (a[0] == '+' && b[0] != '+') {
        size_t la = strlen(a + 1), lb = strlen(b);
        return lb <= la && strcmp(a + 1 + (la - lb), b) == 0 && lb >= min_digits;
    }
    if (b[0] == '+' && a[0] != '+') {
        return key_eq(b, a, min_digits);
    }
    return strcmp(a, b) == 0;
}

static void eval_selfref(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    refs rf;
    const char **keys =
        idr__arena_alloc(ctx->arena, (c->contacts.n_phones + 1) * sizeof *keys);
    if (!keys || !flat_refs(ctx, &rf)) {
        idr__not_evaluated(ctx, ind, "out of memory");
        return;
    }
    if (count_candidate_numbers(ctx) == 0 || count_reference_numbers(&rf) == 0) {
        idr__not_evaluated(ctx, ind,
                           "needs both a candidate phone number and a reference's phone "
                           "number");
        return;
    }
    /* Candidate keys once: a record may hold many numbers (up to the array limit). */
    for (size_t i = 0; i < c->contacts.n_phones; i++) {
        keys[i] = number_key(ctx, &ctx->en->phones[i], c->contacts.phones[i].number);
    }
    const char *number = NULL;
    lst list = {NULL, 0};
    for (size_t k = 0; k < rf.n; k++) {
        const char *rk = number_key(ctx, &ctx->en->ref_phones[k], rf.ref[k]->phone);
        if (!rk) {
            continue;
        }
        for (size_t i = 0; i < c->contacts.n_phones; i++) {
            if (key_eq(keys[i], rk, idr__param_of(ctx, P_MIN_DIGITS_COMPARE))) {
                if (!number) {
                    number = shown(&ctx->en->phones[i], c->contacts.phones[i].number);
                }
                lst_add(ctx, &list, ref_label(ctx, &rf, k));
                break;
            }
        }
    }
    if (!list.n) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "number", number);
    idr__ev_str(ev, "references", lst_text(ctx, &list));
    idr__ev_int(ev, "count", list.n);
}

static const idr__indicator phn_reference_is_candidate = {
    .id = "phn_reference_is_candidate",
    .evidence_keys = selfref_keys,
    .eval = eval_selfref,
    .needs = IDR__NEED_PHONE,
    .params = selfref_params,
    .n_params = sizeof selfref_params / sizeof selfref_params[0],
};

static const idr__indicator *const indicators[] = {
    &phn_voip_nonfixed, &phn_invalid_number, &phn_region_mismatch,
    &phn_reference_is_candidate, NULL};

const idr__family idr__family_phone = {.name = "phone",
                                       .prefix = "phn_",
                                       .file = "lib/rules/phone.c",
                                       .indicators = indicators};
