/* SPDX-License-Identifier: Apache-2.0 */
/*
 * work_history.c - the "work_history" family: whether the claimed career checks out.
 *
 * Verification results come from the caller (a reference or registry check it ran);
 * `verified: null` means "not checked" and never fires. Public-profile dates come
 * from the caller too (for GitHub: the account's created_at and the date of the
 * earliest activity it hosts).
 */
#include "rules/rule.h"

#include <string.h>

/* aged_margin_days: activity dated more than this before the account existed counts
 * as imported or forged history [SEAL]. A few days' difference comes from time zones
 * and from the lag of a legitimate account migration; a month is a project choice well
 * above that. */
enum { P_AGED_MARGIN_DAYS };
static const idr__param aged_params[] = {
    [P_AGED_MARGIN_DAYS] = {.name = "aged_margin_days",
                            .def = 30,
                            .min = 0,
                            .max = 3650,
                            .doc = "days by which activity may predate the account's "
                                   "creation before it counts"},
};

/* ---- wrk_github_aged_or_copied [SEAL] ------------------------------------------- */
static const char *const aged_keys[] = {"profile", "created_at", "earliest_activity",
                                        "days_before", NULL};

static void eval_aged(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__work_history *wh = &ctx->c->work_history;
    bool known = false;
    const idr__profile *worst = NULL;
    int32_t worst_gap = 0;
    for (size_t i = 0; i < wh->n_profiles; i++) {
        const idr__profile *p = &wh->profiles[i];
        if (p->kind != IDR__PROF_GITHUB || p->created_at == IDR__DATE_NONE ||
            p->earliest_activity == IDR__DATE_NONE) {
            continue;
        }
        known = true;
        int32_t gap = p->created_at - p->earliest_activity;
        if (gap > idr__param_of(ctx, P_AGED_MARGIN_DAYS) && gap > worst_gap) {
            worst = p;
            worst_gap = gap;
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind,
                           "no GitHub profile with both creation and earliest-activity "
                           "dates on file");
        return;
    }
    if (worst == NULL) {
        return;
    }
    char a[11], b[11];
    idr__format_date(worst->created_at, a);
    idr__format_date(worst->earliest_activity, b);
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "profile",
                worst->handle ? worst->handle
                : worst->url  ? worst->url
                              : "GitHub profile");
    idr__ev_str(ev, "created_at", a);
    idr__ev_str(ev, "earliest_activity", b);
    idr__ev_int(ev, "days_before", worst_gap);
}

static const idr__indicator wrk_github_aged_or_copied = {
    .id = "wrk_github_aged_or_copied",
    .evidence_keys = aged_keys,
    .eval = eval_aged,
    .params = aged_params,
    .n_params = sizeof aged_params / sizeof aged_params[0],
};

/* ---- wrk_unverifiable_employers [G22][P25][Nisos] ------------------------------- */
static const char *const unverified_keys[] = {"unverified", "count", "checked", NULL};

static void eval_unverified(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__work_history *wh = &ctx->c->work_history;
    long long checked = 0, failed = 0;
    const char *list = NULL;
    for (size_t i = 0; i < wh->n_employers; i++) {
        const idr__employer *e = &wh->employers[i];
        if (e->verified == IDR__UNK) {
            continue;
        }
        checked++;
        if (e->verified == 0) {
            failed++;
            idr__list_add(ctx, ", ", &list,
                          idr__arena_printf(ctx->arena, "employer %s",
                                            e->name ? e->name : "(unnamed)"));
        }
    }
    for (size_t i = 0; i < wh->n_education; i++) {
        const idr__education *e = &wh->education[i];
        if (e->verified == IDR__UNK) {
            continue;
        }
        checked++;
        if (e->verified == 0) {
            failed++;
            idr__list_add(
                ctx, ", ", &list,
                idr__arena_printf(ctx->arena, "school %s",
                                  e->institution ? e->institution : "(unnamed)"));
        }
    }
    if (checked == 0) {
        idr__not_evaluated(ctx, ind,
                           "no employer or education verification results on file");
        return;
    }
    if (failed == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "unverified", list);
    idr__ev_int(ev, "count", failed);
    idr__ev_int(ev, "checked", checked);
}

static const idr__indicator wrk_unverifiable_employers = {
    .id = "wrk_unverifiable_employers",
    .evidence_keys = unverified_keys,
    .eval = eval_unverified,
};

/* ---- wrk_referral_chain [G22][DOJ-Jun25][MPOD25] --------------------------------
 * The candidate was referred (work_history.referred_by) by a candidate the store holds
 * whose own result, scored without links, asked for verification or more: the
 * referral networks of the cases, where a placed worker brings in the next persona.
 * min_referrer_score defaults to the default pack's band.medium (20), the score at
 * which the referrer's own result asks for verification; a pack with other bands sets
 * it beside them. A referrer the store does not hold could not be checked: not
 * evaluated, saying so, rather than clean. The referrer's score is the one recorded
 * without links, so two referrals never raise each other in a loop. */
enum { P_MIN_REFERRER_SCORE };
static const idr__param referral_params[] = {
    [P_MIN_REFERRER_SCORE] = {.name = "min_referrer_score",
                              .def = 20,
                              .min = 0,
                              .max = 100,
                              .doc = "the referrer's own recorded score (without links) "
                                     "at least which the referral counts"},
};

static const char *const referral_keys[] = {"referred_by", "referrer_score",
                                            "referrer_action", "referrer_fired", NULL};

static const char *action_name(int a) {
    switch (a) {
    case IDR_ACTION_NONE:
        return "none";
    case IDR_ACTION_VERIFY:
        return "verify";
    case IDR_ACTION_ESCALATE:
        return "escalate";
    default:
        return "unknown";
    }
}

static void eval_referral(idr__ctx *ctx, const idr__indicator *ind) {
    const char *by = ctx->c->work_history.referred_by;
    if (by == NULL) {
        idr__not_evaluated(ctx, ind, "no referral on file");
        return;
    }
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    const idr__referrer *r = &l->referrer;
    if (!r->found) {
        idr__not_evaluated(ctx, ind, "referrer %s is not in the store", by);
        return;
    }
    if (r->score < idr__param_of(ctx, P_MIN_REFERRER_SCORE)) {
        return;
    }
    /* The fired ids as a bounded list (the store keeps them comma-separated). */
    const char *fired = NULL;
    const char *p = r->fired ? r->fired : "";
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            idr__list_add(ctx, ", ", &fired, idr__arena_strndup(ctx->arena, p, n));
        }
        p += n + (e ? 1 : 0);
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "referred_by", r->id ? r->id : by);
    idr__ev_int(ev, "referrer_score", r->score);
    idr__ev_str(ev, "referrer_action", action_name(r->action));
    idr__ev_str(ev, "referrer_fired", fired ? fired : "none");
}

static const idr__indicator wrk_referral_chain = {
    .id = "wrk_referral_chain",
    .evidence_keys = referral_keys,
    .eval = eval_referral,
    .needs = IDR__NEED_STORE,
    .params = referral_params,
    .n_params = sizeof referral_params / sizeof referral_params[0],
};

/* ---- wrk_resume_template_reuse [G22][P25][MAND24] ---------------------------------
 * The resume text's SimHash (the store's, 64 bits) within max_distance bits of another
 * candidate's, under a different name: one text behind several personas. The store finds
 * pairs within 3 bits, which is the default and the bound. Project choice: 3 of 64 bits
 * is the near-duplicate range of SimHash (the same text with names, dates and a few words
 * changed); a wider match starts pairing resumes that merely share a template's
 * headings and common phrasing, which is a reviewer's judgement. */
enum { P_RESUME_MAX_DISTANCE };
static const idr__param resume_params[] = {
    [P_RESUME_MAX_DISTANCE] = {.name = "max_distance",
                               .def = 3,
                               .min = 0,
                               .max = 3,
                               .doc = "Hamming distance in bits between two resume "
                                      "SimHashes at most which they count as one text"},
};

static const char *const resume_keys[] = {"others", "count", "closest", "not_counted",
                                          NULL};

static void eval_resume_reuse(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    if (ctx->c->work_history.resume_text == NULL) {
        idr__not_evaluated(ctx, ind, "no resume text on file");
        return;
    }
    idr__report_near_duplicates(ctx, ind, l, IDR__LK_RESUME,
                                idr__param_of(ctx, P_RESUME_MAX_DISTANCE));
}

static const idr__indicator wrk_resume_template_reuse = {
    .id = "wrk_resume_template_reuse",
    .evidence_keys = resume_keys,
    .eval = eval_resume_reuse,
    .needs = IDR__NEED_STORE,
    .params = resume_params,
    .n_params = sizeof resume_params / sizeof resume_params[0],
};

/* ---- wrk_timeline_anachronism [DTEX] --------------------------------------------- */
/* Experience with a technology dated before it existed [DTEX]. The release years are
 * data/tech_release_years.tsv (first public release). timeline_slack_years: one year of
 * slack for a claim of N years: "N years" is often rounded up, and early adopters used
 * previews. A date range counts only when the whole range ended before the release
 * year, whether the technology is on the range's line or on a line of the role block
 * under it; a single year ("used T in 2012", "T since 2010") when it is before the
 * release year (enrichment finds the claims: lib/enrich/lists/lists.c). */
enum { P_TIMELINE_SLACK_YEARS };
static const idr__param timeline_params[] = {
    [P_TIMELINE_SLACK_YEARS] = {.name = "timeline_slack_years",
                                .def = 1,
                                .min = 0,
                                .max = 10,
                                .doc = "years a claimed N years of experience may exceed "
                                       "the technology's age"},
};
#define MAX_CLAIMS 32

static const char *const timeline_keys[] = {"claims", "technology", "claimed", "released",
                                            "source", "count",      NULL};

static void eval_timeline(idr__ctx *ctx, const idr__indicator *ind) {
    const char *text = ctx->c->work_history.resume_text;
    const idr__record_facts *rf = &ctx->en->rec; /* claims found in enrichment */
    if (!text) {
        idr__not_evaluated(ctx, ind, "no resume text on file");
        return;
    }
    if (!rf->have_tech) {
        idr__not_evaluated(ctx, ind, "technology release-year table not loaded");
        return;
    }
    int y;
    unsigned m, d;
    idr__civil_from_days(ctx->today, &y, &m, &d);
    /* the claims enrichment found (it keeps the first IDR__TECH_CLAIMS_MAX, 32) */
    const idr__tech_claim *claims = rf->tech_claims;
    size_t nc = rf->n_tech_claims < MAX_CLAIMS ? rf->n_tech_claims : MAX_CLAIMS;
    const char *found = NULL;
    const idr__tech_claim *first = NULL;
    long long count = 0;
    for (size_t i = 0; i < nc; i++) {
        const idr__tech_claim *cl = &claims[i];
        int existed = y - cl->tech->year;
        const char *why = NULL;
        if (cl->years > 0 &&
            cl->years > existed + idr__param_of(ctx, P_TIMELINE_SLACK_YEARS)) {
            why = idr__arena_printf(ctx->arena,
                                    "\"%s\": %d years claimed, but %s was first released "
                                    "in %d (%d years before %d)",
                                    cl->quote, cl->years, cl->tech->name, cl->tech->year,
                                    existed, y);
        } else if (cl->at_year > 0 && cl->at_year < cl->tech->year) {
            why = idr__arena_printf(
                ctx->arena, "\"%s\": used in %d, but %s was first released in %d",
                cl->quote, cl->at_year, cl->tech->name, cl->tech->year);
        } else if (cl->range_to > 0 && cl->range_to < cl->tech->year) {
            why = idr__arena_printf(ctx->arena,
                                    "\"%s\": used in %d-%d, but %s was first released in "
                                    "%d",
                                    cl->quote, cl->range_from, cl->range_to,
                                    cl->tech->name, cl->tech->year);
        }
        if (!why) {
            continue;
        }
        count++;
        idr__list_add(ctx, "; ", &found, why);
        if (!first) {
            first = cl;
        }
    }
    if (!first) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "claims", found);
    idr__ev_str(ev, "technology", first->tech->name);
    if (first->years > 0) {
        idr__ev_strf(ev, "claimed", "%d years", first->years);
    } else if (first->at_year > 0) {
        idr__ev_strf(ev, "claimed", "%d", first->at_year);
    } else {
        idr__ev_strf(ev, "claimed", "%d-%d", first->range_from, first->range_to);
    }
    idr__ev_int(ev, "released", first->tech->year);
    idr__ev_str(ev, "source", first->tech->source);
    idr__ev_int(ev, "count", count);
}

static const idr__indicator wrk_timeline_anachronism = {
    .id = "wrk_timeline_anachronism",
    .evidence_keys = timeline_keys,
    .eval = eval_timeline,
    .needs = IDR__NEED_LISTS,
    .params = timeline_params,
    .n_params = sizeof timeline_params / sizeof timeline_params[0],
};

/* ---- wrk_profile_recent, wrk_code_profile_recent [MAND24][U42-24][Nisos][KB4] ----
 * A professional (LinkedIn) or code-hosting (GitHub) profile created shortly before the
 * evaluation while the resume claims years of work: the personas of the cases are set
 * up weeks before they apply, with a new profile behind a long career [MAND24][U42-24]
 * [Nisos][KB4]. Someone with years in the trade usually has an older profile, but many
 * keep none until a job search, so each is a weak sign alone; the combination
 * combo_new_persona_profiles gives the pattern its weight.
 *
 * The claimed experience is the longer of: the time since the earliest employer start
 * date on file, and the largest "N years of experience with T" claim of the resume
 * (the technology claims of enrichment). The record has no application date; as_of
 * stands for it (the evaluation is made while hiring).
 *
 * max_age_days: 90, project choice: the set-up weeks of a persona [Nisos][KB4] with
 * margin, above eml_new_consumer_mailbox's 60 days because a profile is often made a
 * little before the search itself. min_claimed_years: 3, project choice: past the
 * first jobs, where having no profile yet is ordinary. */
enum { P_PROFILE_MAX_AGE_DAYS, P_PROFILE_MIN_CLAIMED_YEARS };
static const idr__param profile_params[] = {
    [P_PROFILE_MAX_AGE_DAYS] = {.name = "max_age_days",
                                .def = 90,
                                .min = 1,
                                .max = 3650,
                                .doc = "age in days of the profile at the as-of date at "
                                       "most which it counts as new"},
    [P_PROFILE_MIN_CLAIMED_YEARS] = {.name = "min_claimed_years",
                                     .def = 3,
                                     .min = 0,
                                     .max = 60,
                                     .doc =
                                         "years of claimed experience at least which a "
                                         "new profile counts"},
};

static const char *const profile_keys[] = {"profile",       "created_at",   "age_days",
                                           "claimed_years", "claimed_from", NULL};

static void eval_profile_recent(idr__ctx *ctx,
                                const idr__indicator *ind,
                                idr__profile_kind kind,
                                const char *what) {
    const idr__work_history *wh = &ctx->c->work_history;
    /* the oldest dated profile of the kind: a newer second one is not a new presence */
    const idr__profile *oldest = NULL;
    for (size_t i = 0; i < wh->n_profiles; i++) {
        const idr__profile *p = &wh->profiles[i];
        if (p->kind == kind && p->created_at != IDR__DATE_NONE &&
            (!oldest || p->created_at < oldest->created_at)) {
            oldest = p;
        }
    }
    if (!oldest) {
        idr__not_evaluated(ctx, ind, "no %s profile with a creation date on file", what);
        return;
    }
    double years = 0;
    const char *from = NULL;
    int32_t first_start = IDR__DATE_NONE;
    for (size_t i = 0; i < wh->n_employers; i++) {
        int32_t st = wh->employers[i].start;
        if (st != IDR__DATE_NONE && (first_start == IDR__DATE_NONE || st < first_start)) {
            first_start = st;
        }
    }
    if (first_start != IDR__DATE_NONE && first_start < ctx->today) {
        years = (ctx->today - first_start) / 365.25;
        from = idr__arena_printf(ctx->arena, "employment since %s",
                                 idr__date_text(ctx, first_start));
    }
    const idr__record_facts *rf = &ctx->en->rec;
    for (size_t i = 0; i < rf->n_tech_claims; i++) {
        const idr__tech_claim *cl = &rf->tech_claims[i];
        if (cl->years > years) {
            years = cl->years;
            from = idr__arena_printf(ctx->arena, "resume: \"%s\"", cl->quote);
        }
    }
    if (!from) {
        idr__not_evaluated(ctx, ind,
                           "no employer start date or years-of-experience claim on file");
        return;
    }
    int32_t age = ctx->today - oldest->created_at;
    if (age > idr__param_of(ctx, P_PROFILE_MAX_AGE_DAYS) ||
        years < idr__param_of(ctx, P_PROFILE_MIN_CLAIMED_YEARS)) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "profile",
                oldest->handle ? oldest->handle
                : oldest->url  ? oldest->url
                               : what);
    idr__ev_str(ev, "created_at", idr__date_text(ctx, oldest->created_at));
    idr__ev_int(ev, "age_days", age);
    idr__ev_int(ev, "claimed_years", (long long)years);
    idr__ev_str(ev, "claimed_from", from);
}

static void eval_professional_recent(idr__ctx *ctx, const idr__indicator *ind) {
    eval_profile_recent(ctx, ind, IDR__PROF_LINKEDIN, "professional (LinkedIn)");
}

static void eval_code_recent(idr__ctx *ctx, const idr__indicator *ind) {
    eval_profile_recent(ctx, ind, IDR__PROF_GITHUB, "code-hosting (GitHub)");
}

static const idr__indicator wrk_profile_recent = {
    .id = "wrk_profile_recent",
    .evidence_keys = profile_keys,
    .eval = eval_professional_recent,
    .params = profile_params,
    .n_params = sizeof profile_params / sizeof profile_params[0],
};

static const idr__indicator wrk_code_profile_recent = {
    .id = "wrk_code_profile_recent",
    .evidence_keys = profile_keys,
    .eval = eval_code_recent,
    .params = profile_params,
    .n_params = sizeof profile_params / sizeof profile_params[0],
};

static const idr__indicator *const indicators[] = {
    &wrk_timeline_anachronism,   &wrk_github_aged_or_copied,
    &wrk_unverifiable_employers, &wrk_referral_chain,
    &wrk_resume_template_reuse,  &wrk_profile_recent,
    &wrk_code_profile_recent,    NULL};

const idr__family idr__family_work_history = {.name = "work_history",
                                              .prefix = "wrk_",
                                              .file = "lib/rules/work_history.c",
                                              .indicators = indicators};
