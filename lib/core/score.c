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
        r->points =
            h->ev.graded ? idr__graded_points(ru->points, h->ev.grade) : ru->points;
        r->title = ru->title;
        r->detail = render_template(res, ru->detail, &h->ev);
        r->verify = ru->verify;
        r->n_benign = ru->n_benign;
        r->benign = ru->benign;
        r->n_sources = ru->n_sources;
        r->sources = ru->sources;
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
    for (size_t i = 0; i < p->n_rules; i++) {
        const idr__rule *r = &p->rules[i];
        const char *why = unavailable_reason(&eng->mods, &en, r->ind->needs);
        if (why) {
            idr__report_not_evaluated(ctx.rep, r->id, "%s", why);
            continue;
        }
        ctx.rule = r;
        r->ind->eval(&ctx, r->ind);
    }
    ctx.rule = NULL;
    eval_combos(res, eng);
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
