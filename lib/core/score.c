/* SPDX-License-Identifier: Apache-2.0 */
/*
 * score.c - run one candidate through the engine: enrich, evaluate every indicator of
 * the rule pack, add combinations, total, band and action.
 *
 * Formula (docs/scoring.md): score = min(100, round(sum of the points of every fired
 * indicator and combination)). A sum is the most explainable aggregate (the reasons'
 * points add up to the score until the cap) and it is monotone: a new hit adds
 * points >= 0 and the cap never takes any away. Bands come from the pack's
 * thresholds; a critical-severity reason forces band "critical" and action
 * "escalate" whatever the total, because the catalog marks those ("H!") as needing a
 * human or legal stop on their own.
 */
#include "core/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------------------
 * Rendering a hit into its public reason.
 * ---------------------------------------------------------------------------------- */
static void ev_render(const idr_evidence *kv, idr__buf *b) {
    switch (kv->value.type) {
    case IDR_VALUE_STRING:
        idr__buf_puts(b, kv->value.str ? kv->value.str : "");
        break;
    case IDR_VALUE_INT:
        idr__buf_printf(b, "%lld", kv->value.integer);
        break;
    case IDR_VALUE_NUMBER: {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.2f", kv->value.number);
        char *e = tmp + strlen(tmp) - 1;
        while (*e == '0') {
            *e-- = 0;
        }
        if (*e == '.') {
            *e = 0;
        }
        idr__buf_puts(b, tmp);
        break;
    }
    case IDR_VALUE_BOOL:
        idr__buf_puts(b, kv->value.boolean ? "yes" : "no");
        break;
    }
}

static const char *render_template(idr_result *res, const char *tpl, const idr__ev *ev) {
    idr__buf b;
    idr__buf_init(&b, idr__arena_allocator(res->arena));
    for (const char *s = tpl; *s; s++) {
        if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
            idr__buf_put(&b, s, 1);
            s++;
            continue;
        }
        const char *e = s[0] == '{' ? strchr(s, '}') : NULL;
        if (!e) {
            idr__buf_put(&b, s, 1);
            continue;
        }
        size_t n = (size_t)(e - s - 1);
        const idr__evkv *found = NULL;
        for (size_t i = 0; i < ev->n; i++) {
            if (strlen(ev->kv[i].key) == n && strncmp(ev->kv[i].key, s + 1, n) == 0) {
                found = &ev->kv[i];
            }
        }
        if (found) {
            ev_render(found, &b);
        } else {
            idr__buf_puts(&b, "unknown");
        }
        s = e;
    }
    const char *out =
        b.oom ? NULL : idr__arena_strndup(res->arena, b.p ? b.p : "", b.len);
    idr__buf_free(&b);
    if (!out) {
        res->rep.oom = true;
    }
    return out;
}

static void finish_reason(idr_result *res, idr__hitrec *h) {
    idr_reason *r = &h->pub;
    if (h->rule) {
        const idr__rule *ru = h->rule;
        r->id = ru->id;
        r->category = ru->category;
        r->severity = idr__severity_name(ru->severity);
        r->severity_code = (idr_severity)ru->severity;
        /* A graded hit earns its share of the points, in whole points so that the
         * reasons still add up to the score (docs/rulepack.md "Graded points"). */
        r->points =
            h->ev.graded ? idr__graded_points(ru->points, h->ev.fraction) : ru->points;
        r->title = ru->title;
        r->detail = render_template(res, ru->detail, &h->ev);
        r->verify = ru->verify;
        r->n_benign = ru->n_benign;
        r->benign = ru->benign;
        r->n_sources = ru->n_sources;
        r->sources = ru->sources;
        r->n_steps = ru->n_steps;
        r->step_ids = ru->step_ids;
        r->steps = ru->step_texts;
    } else {
        const idr__combo *c = h->combo;
        r->id = c->id;
        r->category = "combination";
        r->severity = idr__severity_name(c->severity);
        r->severity_code = (idr_severity)c->severity;
        r->points = c->points;
        r->title = c->title;
        r->detail = render_template(res, c->detail, &h->ev);
        r->verify = c->verify;
        r->n_benign = c->n_benign;
        r->benign = c->benign;
        r->n_sources = c->n_sources;
        r->sources = c->sources;
        r->n_steps = c->n_steps;
        r->step_ids = c->step_ids;
        r->steps = c->step_texts;
    }
}

/* The pack's severities are handed out as the API's codes, which rank by value. */
_Static_assert(IDR__SEV_LOW == (int)IDR_SEVERITY_LOW &&
                   IDR__SEV_MEDIUM == (int)IDR_SEVERITY_MEDIUM &&
                   IDR__SEV_HIGH == (int)IDR_SEVERITY_HIGH &&
                   IDR__SEV_CRITICAL == (int)IDR_SEVERITY_CRITICAL,
               "idr__severity and idr_severity must agree");

/* Most important first: points, then severity, then id (total order: ids are unique). */
static int cmp_hits(const void *pa, const void *pb) {
    const idr_reason *a = &(*(idr__hitrec *const *)pa)->pub;
    const idr_reason *b = &(*(idr__hitrec *const *)pb)->pub;
    if (a->points != b->points) {
        return a->points > b->points ? -1 : 1;
    }
    if (a->severity_code != b->severity_code) {
        return a->severity_code > b->severity_code ? -1 : 1;
    }
    return strcmp(a->id, b->id);
}

static int cmp_suppressed(const void *pa, const void *pb) {
    const idr_suppressed *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    return c ? c : strcmp(a->by, b->by);
}

static int cmp_not_evaluated(const void *pa, const void *pb) {
    const idr_not_evaluated *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    return c ? c : strcmp(a->why, b->why);
}

/* ------------------------------------------------------------------------------------
 * The scoring run.
 * ---------------------------------------------------------------------------------- */
static const char *
unavailable_reason(const idr__modules *eng, const idr__enrichment *en, unsigned needs) {
    if ((needs & IDR__NEED_STORE) && !en->links) {
        return "needs the cross-candidate store: score with a store (idrisk score --db, "
               "idrisk batch, idr_engine_score_linked)";
    }
    if ((needs & IDR__NEED_GEO) && !eng->geo) {
        return eng->geo_unavailable ? eng->geo_unavailable : "no IP database loaded";
    }
    if ((needs & IDR__NEED_PHONE) && !eng->phone) {
        return eng->phone_unavailable ? eng->phone_unavailable
                                      : "phone support unavailable";
    }
    if ((needs & IDR__NEED_LISTS) && !eng->lists) {
        return eng->lists_unavailable ? eng->lists_unavailable
                                      : "curated lists not loaded";
    }
    return NULL;
}

static void eval_combos(idr_result *res, const idr_engine *eng) {
    const idr__rulepack *p = eng->pack;
    size_t n_indicator_hits = res->rep.n_hits;
    for (size_t i = 0; i < p->n_combos; i++) {
        const idr__combo *c = &p->combos[i];
        idr__buf fired;
        idr__buf_init(&fired, idr__arena_allocator(res->arena));
        bool all = true;
        for (size_t g = 0; g < c->n_groups && all; g++) {
            bool any = false;
            for (size_t k = 0; k < c->group_len[g]; k++) {
                for (size_t h = 0; h < n_indicator_hits; h++) {
                    if (strcmp(res->rep.hits[h]->rule->id, c->groups[g][k]) == 0) {
                        if (fired.len) {
                            idr__buf_puts(&fired, ", ");
                        }
                        idr__buf_puts(&fired, c->groups[g][k]);
                        any = true;
                    }
                }
            }
            all = any;
        }
        if (all) {
            idr__hitrec *h = idr__report_new_hit(&res->rep);
            if (h) {
                h->combo = c;
                idr__ev_str(&h->ev, "fired", fired.p ? fired.p : "");
            }
        }
        if (fired.oom) {
            res->rep.oom = true; /* else the combination would list no rule */
        }
        idr__buf_free(&fired);
    }
}

/* ------------------------------------------------------------------------------------
 * Coverage (docs/scoring.md "Coverage"). A result says per family how much of the pack
 * could run on the record, and a record on which too little could run never reads as
 * "none": its action is floored at verify with the reason cov_insufficient_data. The
 * floor is an action floor with 0 points, not a score contribution: missing data is
 * not evidence of fraud, the score stays "monotonic in the evidence", and the band
 * stays what the evidence says.
 * ---------------------------------------------------------------------------------- */

/* The key families: what a reviewer must have seen checked before "nothing found" is
 * worth anything. Contacts count as one (either phones or emails will do). Payment,
 * interviews, address and the post-hire families are not key: a pre-offer record has
 * none of them by design. */
static const struct {
    const char *label;
    const char *families[2];
} key_groups[] = {
    {"identity documents", {"document", NULL}},
    {"contacts", {"phone", "email"}},
    {"work history", {"work_history", NULL}},
    {"network sessions", {"network", NULL}},
};
#define N_KEY_GROUPS (sizeof key_groups / sizeof key_groups[0])

static const char *const cov_benign[] = {
    "an early-stage record, scored before the steps that collect this data",
    "a deployment without the databases (run `idrisk data fetch`)",
};
static const char *const cov_sources[] = {"idrisk-coverage"};

/* Not an indicator of the pack: the engine adds it, with 0 points, when coverage is
 * low. Its texts say that it is not a risk sign. */
static const idr__rule cov_rule = {
    .id = "cov_insufficient_data",
    .category = "coverage",
    .severity = IDR__SEV_LOW,
    .points = 0,
    .title = "Not enough could be checked (not a risk sign)",
    .detail = "Too little could be checked for \"nothing found\" to mean anything: "
              "{missing}. This is missing data, not evidence against the candidate.",
    .verify = "Collect what is missing (a verified identity document, contacts, the "
              "employment history, session logs) or load the missing databases, then "
              "score again before relying on a low score.",
    .benign = (const char **)cov_benign,
    .n_benign = sizeof cov_benign / sizeof cov_benign[0],
    .sources = (const char **)cov_sources,
    .n_sources = 1,
    .basis = "project",
};

/* The databases a rule could not use although the record holds the data it would
 * have read them for (IDR__NEED_* bits). */
static unsigned
data_without_db(const idr__modules *m, const idr_candidate *c, unsigned needs) {
    unsigned gap = 0;
    if ((needs & IDR__NEED_GEO) && !m->geo && c->n_sessions > 0) {
        gap |= IDR__NEED_GEO;
    }
    if ((needs & IDR__NEED_PHONE) && !m->phone && c->contacts.n_phones > 0) {
        gap |= IDR__NEED_PHONE;
    }
    if ((needs & IDR__NEED_LISTS) && !m->lists) {
        gap |= IDR__NEED_LISTS;
    }
    return gap;
}

static bool id_in_notes(const char *id, const void *notes, size_t n, size_t stride) {
    for (size_t i = 0; i < n; i++) {
        const char *nid = *(const char *const *)((const char *)notes + i * stride);
        if (strcmp(nid, id) == 0) {
            return true;
        }
    }
    return false;
}

static idr_coverage_family *cov_family(idr_result *res, const char *name) {
    for (size_t i = 0; i < res->n_coverage; i++) {
        if (strcmp(res->coverage[i].family, name) == 0) {
            return &res->coverage[i];
        }
    }
    idr_coverage_family *f = &res->coverage[res->n_coverage++];
    memset(f, 0, sizeof *f);
    f->family = name;
    for (size_t g = 0; g < N_KEY_GROUPS; g++) {
        for (size_t k = 0; k < 2 && key_groups[g].families[k]; k++) {
            f->key |= strcmp(key_groups[g].families[k], name) == 0;
        }
    }
    return f;
}

/* Count per family, decide `low`, and add the coverage reason. Runs after the
 * indicators and combinations, before finalize(). `store_skipped` marks the rules not
 * run for want of a store; `db_gap` and `db_skipped` say which databases were
 * missing for data the record holds and how many rules that left unevaluated. */
static void compute_coverage(idr_result *res,
                             const idr_engine *eng,
                             const bool *store_skipped,
                             unsigned db_gap,
                             size_t db_skipped) {
    const idr__rulepack *p = eng->pack;
    res->coverage = idr__arena_alloc(res->arena, (p->n_rules ? p->n_rules : 1) *
                                                     sizeof *res->coverage);
    if (!res->coverage) {
        res->rep.oom = true;
        return;
    }
    idr_coverage *t = &res->cov;
    for (size_t i = 0; i < p->n_rules; i++) {
        const idr__rule *r = &p->rules[i];
        idr_coverage_family *f = cov_family(res, r->category);
        bool fired = false;
        for (size_t h = 0; h < res->rep.n_hits && !fired; h++) {
            fired = res->rep.hits[h]->rule == r;
        }
        bool skipped =
            !fired && id_in_notes(r->id, res->rep.not_evaluated, res->rep.n_not_evaluated,
                                  sizeof *res->rep.not_evaluated);
        bool suppressed =
            !skipped && id_in_notes(r->id, res->rep.suppressed, res->rep.n_suppressed,
                                    sizeof *res->rep.suppressed);
        f->total++;
        if (skipped) {
            f->not_evaluated++;
            f->needs_store += store_skipped[i];
        } else {
            f->evaluated++;
            f->fired += fired;
            f->suppressed += suppressed;
        }
    }
    for (size_t i = 0; i < res->n_coverage; i++) {
        idr_coverage_family *f = &res->coverage[i];
        f->uncovered = f->evaluated == 0 && f->total > f->needs_store;
        t->total += f->total;
        t->evaluated += f->evaluated;
        t->not_evaluated += f->not_evaluated;
        t->fired += f->fired;
        t->suppressed += f->suppressed;
        t->needs_store += f->needs_store;
    }
    /* A key group is uncovered when every one of its families in the pack is. */
    idr__buf b;
    idr__buf_init(&b, idr__arena_allocator(res->arena));
    size_t present = 0, uncovered = 0;
    for (size_t g = 0; g < N_KEY_GROUPS; g++) {
        bool in_pack = false, all_uncovered = true;
        for (size_t k = 0; k < 2 && key_groups[g].families[k]; k++) {
            for (size_t i = 0; i < res->n_coverage; i++) {
                if (strcmp(res->coverage[i].family, key_groups[g].families[k]) == 0) {
                    in_pack = true;
                    all_uncovered &= res->coverage[i].uncovered != 0;
                }
            }
        }
        if (in_pack) {
            present++;
            if (all_uncovered) {
                idr__buf_puts(&b, uncovered++ ? ", " : "not evaluated: ");
                idr__buf_puts(&b, key_groups[g].label);
            }
        }
    }
    bool none_covered = present > 0 && uncovered == present;
    if (none_covered) {
        idr__buf_puts(&b, " (no key family could be evaluated)");
    }
    if (db_gap) {
        idr__buf_puts(&b, b.len ? "; " : "");
        idr__buf_printf(&b, "%zu indicator%s not evaluated because ", db_skipped,
                        db_skipped == 1 ? "" : "s");
        const char *sep = "";
        if (db_gap & IDR__NEED_GEO) {
            idr__buf_puts(&b, "the record has network sessions but no IP database is "
                              "loaded");
            sep = " and ";
        }
        if (db_gap & IDR__NEED_PHONE) {
            idr__buf_printf(&b,
                            "%sthe record has phone numbers but phone metadata is "
                            "not available",
                            sep);
            sep = " and ";
        }
        if (db_gap & IDR__NEED_LISTS) {
            idr__buf_printf(&b, "%sthe curated lists are not loaded", sep);
        }
    }
    /* An engine built without a database it expects (its warnings) never gives a
     * result that reads "none": the run is degraded for every record, whether or not
     * this one's data happened to need the missing part. */
    for (size_t i = 0; i < eng->warnings.n; i++) {
        idr__buf_puts(&b, b.len ? (i ? "; " : "; data missing: ") : "data missing: ");
        idr__buf_puts(&b, eng->warnings.v[i]);
    }
    if (b.oom) {
        res->rep.oom = true; /* else a low coverage could go without its reason */
    } else if (b.len) {
        t->missing = idr__arena_strndup(res->arena, b.p, b.len);
        if (!t->missing) {
            res->rep.oom = true;
        }
    }
    idr__buf_free(&b);
    t->low = none_covered || db_gap != 0 || eng->warnings.n > 0;
    if (t->low && t->missing) {
        idr__hitrec *h = idr__report_new_hit(&res->rep);
        if (h) {
            h->rule = &cov_rule;
            idr__ev_str(&h->ev, "missing", t->missing);
            idr__ev_int(&h->ev, "evaluated", (long long)t->evaluated);
            idr__ev_int(&h->ev, "total", (long long)t->total);
        }
    }
}

static void finalize(idr_result *res, const idr_engine *eng) {
    const idr__rulepack *p = eng->pack;
    double sum = 0;
    bool critical = false;
    for (size_t i = 0; i < res->rep.n_hits; i++) {
        finish_reason(res, res->rep.hits[i]);
        sum += res->rep.hits[i]->pub.points;
        critical |= res->rep.hits[i]->pub.severity_code == IDR_SEVERITY_CRITICAL;
    }
    /* qsort with a NULL base is undefined even for zero elements. */
    if (res->rep.n_hits > 1) {
        // An array of pointers: sizeof of one element is a pointer size.
        // NOLINTNEXTLINE(bugprone-sizeof-expression)
        qsort(res->rep.hits, res->rep.n_hits, sizeof *res->rep.hits, cmp_hits);
    }
    if (res->rep.n_suppressed > 1) {
        qsort(res->rep.suppressed, res->rep.n_suppressed, sizeof *res->rep.suppressed,
              cmp_suppressed);
    }
    if (res->rep.n_not_evaluated > 1) {
        qsort(res->rep.not_evaluated, res->rep.n_not_evaluated,
              sizeof *res->rep.not_evaluated, cmp_not_evaluated);
    }
    double capped = sum > 100 ? 100 : sum;
    res->score = (int)floor(capped + 0.5);
    if (critical || res->score >= p->band_critical) {
        res->band = IDR_BAND_CRITICAL;
    } else if (res->score >= p->band_high) {
        res->band = IDR_BAND_HIGH;
    } else if (res->score >= p->band_medium) {
        res->band = IDR_BAND_MEDIUM;
    } else {
        res->band = IDR_BAND_LOW;
    }
    res->action = res->band == IDR_BAND_CRITICAL ? IDR_ACTION_ESCALATE
                  : res->band == IDR_BAND_LOW    ? IDR_ACTION_NONE
                                                 : IDR_ACTION_VERIFY;
    /* The coverage floor: low coverage never reads as "none" (the band stays). */
    if (res->cov.low && res->action == IDR_ACTION_NONE) {
        res->action = IDR_ACTION_VERIFY;
    }
}

static void
collect_warnings(idr_result *res, const idr_candidate *c, const idr_engine *eng) {
    size_t n = c->warnings.n + eng->warnings.n;
    res->warnings = idr__arena_alloc(res->arena, (n ? n : 1) * sizeof *res->warnings);
    if (!res->warnings) {
        res->rep.oom = true;
        return;
    }
    for (size_t i = 0; i < c->warnings.n; i++) {
        res->warnings[res->n_warnings++] =
            idr__arena_strdup(res->arena, c->warnings.v[i]);
    }
    for (size_t i = 0; i < eng->warnings.n; i++) {
        res->warnings[res->n_warnings++] = eng->warnings.v[i];
    }
}

/* Keep the enrichment as data in the result; idr_result_to_json() renders it. */
static void keep_enrichment(idr_result *res, const idr__enrichment *en) {
    idr__enrichment_view *e = &res->enrichment;
    if (idr__geo_enrichment_keep(en, res->arena, e) != IDR_OK ||
        idr__phone_enrichment_keep(en, res->arena, e) != IDR_OK ||
        idr__email_enrichment_keep(en, res->arena, e) != IDR_OK) {
        res->rep.oom = true;
    }
}

static int64_t wall_clock(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

static int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* Keep the links as data in the result (the public `links`). */
static void keep_links(idr_result *res, const idr__links *l) {
    res->linked = true;
    res->links_omitted = l->omitted;
    if (l->n == 0) {
        return;
    }
    res->links = idr__arena_alloc(res->arena, l->n * sizeof *res->links);
    if (!res->links) {
        res->rep.oom = true;
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        res->links[i].candidate_id = idr__arena_strdup(res->arena, l->v[i].other_id);
        res->links[i].kind = idr__link_kind_name(l->v[i].kind);
        res->links[i].indicator = idr__link_kind_indicator(l->v[i].kind);
    }
    res->n_links = l->n;
}

/* What the store records of a result scored without links. */
static int record_standalone(idr_store *st,
                             const idr_result *res,
                             const idr_candidate *cand,
                             const idr__enrichment *en,
                             idr_error *err) {
    idr__buf b;
    idr__buf_init(&b, idr__arena_allocator(res->arena));
    /* hits are sorted by importance; the store wants a stable, sorted id list */
    const char **ids = idr__arena_alloc(
        res->arena, (res->rep.n_hits ? res->rep.n_hits : 1) * sizeof *ids);
    if (!ids) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < res->rep.n_hits; i++) {
        ids[n++] = res->rep.hits[i]->pub.id;
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort: a few dozen ids at most */
        const char *t = ids[i];
        size_t j = i;
        while (j > 0 && strcmp(ids[j - 1], t) > 0) {
            ids[j] = ids[j - 1];
            j--;
        }
        ids[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        if (i) {
            idr__buf_puts(&b, ",");
        }
        idr__buf_puts(&b, ids[i]);
    }
    const char *fired =
        b.oom ? NULL : idr__arena_strndup(res->arena, b.p ? b.p : "", b.len);
    idr__buf_free(&b);
    if (!fired) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    idr__standalone s = {res->score, (int)res->action, fired};
    return idr__store_put(st, idr__arena_allocator(res->arena), cand, en, &s,
                          wall_clock(), err);
}

/* Score `cand`; with `link` set, linked against it (its links in the enrichment and
 * the result); with `record` set, the result (which must then be unlinked) is recorded
 * there. */
static int score_impl(const idr_engine *eng,
                      idr_store *link,
                      idr_store *record,
                      const idr__links *given,
                      const idr_candidate *cand,
                      idr_result **out,
                      idr_error *err) {
    if (!out) {
        return idr__err(err, IDR_EINVAL, NULL, "out must not be NULL");
    }
    *out = NULL;
    if (!eng || !cand) {
        return idr__err(err, IDR_EINVAL, NULL, "engine and candidate must not be NULL");
    }
    idr_store *st = link ? link : record;
    if (st && memcmp(cand->key_fp, idr__store_key(st)->fp, sizeof cand->key_fp) != 0) {
        return idr__err(err, IDR_EINVAL, NULL,
                        "the candidate was not parsed for this store: parse it with "
                        "idr_candidate_from_json_for_store()");
    }
    idr__arena *a = idr__arena_new(idr__arena_allocator(eng->arena), (size_t)16 * 1024);
    idr_result *res = a ? idr__arena_calloc(a, sizeof *res) : NULL;
    if (!res) {
        idr__arena_free(a);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    res->arena = a;
    res->rep.arena = a;
    res->eng = eng;
    idr__engine_retain(eng); /* released by idr_result_free */
    res->candidate_id = idr__arena_strdup(a, cand->candidate_id);
    res->evaluated_at = wall_clock();
    res->as_of = cand->as_of != IDR__TIME_NONE ? cand->as_of : res->evaluated_at;
    res->ruleset.id = eng->pack->id;
    res->ruleset.version = eng->pack->version;
    res->ruleset.sha256 = eng->pack->sha256;

    idr__enrichment en;
    int rc = idr__enrich(&eng->mods, cand, a, &en);
    if (rc != IDR_OK) {
        idr_result_free(res);
        return idr__err(err, rc, NULL, "enrichment failed: %s", idr_strerror(rc));
    }
    idr__links *links = NULL;
    if (given) {
        links = idr__arena_calloc(a, sizeof *links);
        if (!links) {
            idr_result_free(res);
            return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
        }
        *links = *given;
        en.links = links;
    } else if (link) {
        links = idr__arena_calloc(a, sizeof *links);
        rc = links ? idr__store_link(link, cand, &en, a, links, err)
                   : idr__err(err, IDR_ENOMEM, NULL, "out of memory");
        if (rc != IDR_OK) {
            idr_result_free(res);
            return rc;
        }
        en.links = links;
    }
    idr__ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.mods = &eng->mods;
    ctx.c = cand;
    ctx.en = &en;
    ctx.rep = &res->rep;
    ctx.arena = a;
    ctx.now = res->as_of;
    ctx.today = (int32_t)floor_div(ctx.now, 86400);

    const idr__rulepack *p = eng->pack;
    bool *store_skipped = idr__arena_calloc(a, (p->n_rules ? p->n_rules : 1));
    if (!store_skipped) {
        idr_result_free(res);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    unsigned db_gap = 0;
    size_t db_skipped = 0;
    for (size_t i = 0; i < p->n_rules; i++) {
        const idr__rule *r = &p->rules[i];
        const char *why = unavailable_reason(&eng->mods, &en, r->ind->needs);
        if (why) {
            idr__report_not_evaluated(ctx.rep, r->id, "%s", why);
            store_skipped[i] = (r->ind->needs & IDR__NEED_STORE) && !en.links;
            unsigned gap =
                store_skipped[i] ? 0 : data_without_db(&eng->mods, cand, r->ind->needs);
            db_gap |= gap;
            db_skipped += gap != 0;
            continue;
        }
        ctx.rule = r;
        r->ind->eval(&ctx, r->ind);
    }
    ctx.rule = NULL;
    idr__report_explain(&ctx, p); /* before the combinations: docs/scoring.md */
    eval_combos(res, eng);
    compute_coverage(res, eng, store_skipped, db_gap, db_skipped);
    finalize(res, eng);
    collect_warnings(res, cand, eng);
    keep_enrichment(res, &en);
    if (links) {
        keep_links(res, links);
    }
    /* Any allocation that failed in the result's arena, reported or not, makes the
     * whole result unusable: never hand out a shorter result as if it were complete. */
    if (res->rep.oom || idr__arena_failed(a)) {
        idr_result_free(res);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory while scoring");
    }
    if (record) {
        rc = record_standalone(record, res, cand, &en, err);
        if (rc != IDR_OK) {
            idr_result_free(res);
            return rc;
        }
    }
    *out = res;
    return IDR_OK;
}

int idr_engine_score(const idr_engine *eng,
                     const idr_candidate *cand,
                     idr_result **out,
                     idr_error *err) {
    return score_impl(eng, NULL, NULL, NULL, cand, out, err);
}

int idr_engine_score_linked(const idr_engine *eng,
                            idr_store *st,
                            const idr_candidate *cand,
                            unsigned flags,
                            idr_result **out,
                            idr_error *err) {
    if (out) {
        *out = NULL;
    }
    if (flags & ~IDR_SCORE_RECORD) {
        return idr__err(err, IDR_EINVAL, NULL, "unknown flags 0x%x", flags);
    }
    if (st && (flags & IDR_SCORE_RECORD)) {
        /* The store keeps the score without links (what a referral is judged by), so
         * the record is scored twice: once alone and recorded, once linked. */
        if (idr__store_readonly(st)) {
            return idr__err(err, IDR_EINVAL, NULL, "the store is open read-only");
        }
        idr_result *alone = NULL;
        int rc = score_impl(eng, NULL, st, NULL, cand, &alone, err);
        idr_result_free(alone);
        if (rc != IDR_OK) {
            return rc;
        }
    }
    return score_impl(eng, st, NULL, NULL, cand, out, err);
}

int idr_store_record(idr_store *st,
                     const idr_engine *eng,
                     const idr_candidate *cand,
                     idr_error *err) {
    if (!st) {
        return idr__err(err, IDR_EINVAL, NULL, "store must not be NULL");
    }
    if (idr__store_readonly(st)) {
        return idr__err(err, IDR_EINVAL, NULL, "the store is open read-only");
    }
    idr_result *alone = NULL;
    int rc = score_impl(eng, NULL, st, NULL, cand, &alone, err);
    idr_result_free(alone);
    return rc;
}

int idr_candidate_from_json_for_store(idr_candidate **out,
                                      const idr_engine *eng,
                                      idr_store *st,
                                      const char *json,
                                      size_t len,
                                      idr_error *err) {
    if (!st) {
        return idr_candidate_from_json(out, eng, json, len, err);
    }
    return idr__candidate_parse_al(out, eng ? idr__arena_allocator(eng->arena) : NULL,
                                   idr__store_key(st), eng ? &eng->limits : NULL, json,
                                   len, err);
}

int idr_engine_score_json_linked(const idr_engine *eng,
                                 idr_store *st,
                                 const char *json,
                                 size_t len,
                                 unsigned flags,
                                 idr_result **out,
                                 idr_error *err) {
    if (out) {
        *out = NULL;
    }
    idr_candidate *c = NULL;
    int rc = idr_candidate_from_json_for_store(&c, eng, st, json, len, err);
    if (rc != IDR_OK) {
        return rc;
    }
    rc = idr_engine_score_linked(eng, st, c, flags, out, err);
    idr_candidate_free(c);
    return rc;
}

int idr_engine_score_json(const idr_engine *eng,
                          const char *json,
                          size_t len,
                          idr_result **out,
                          idr_error *err) {
    if (out) {
        *out = NULL;
    }
    idr_candidate *c = NULL;
    int rc = idr_candidate_from_json(&c, eng, json, len, err);
    if (rc != IDR_OK) {
        return rc;
    }
    rc = idr_engine_score(eng, c, out, err);
    idr_candidate_free(c);
    return rc;
}

int idr__engine_score_with_links(const idr_engine *eng,
                                 const idr_candidate *cand,
                                 const idr__links *links,
                                 idr_result **out,
                                 idr_error *err) {
    return score_impl(eng, NULL, NULL, links, cand, out, err);
}
