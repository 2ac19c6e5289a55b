/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c - how an evaluator reports (rules/rule.h): hits with evidence, suppressions,
 * "not evaluated" notes, and the small helpers evaluators share. Everything goes into
 * the record's idr__report, in the result's arena; lib/core turns the report into the
 * result once every indicator has run.
 */
#include "rules/rule.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void *note_slot(idr__report *res, void **arr, size_t *n, size_t *cap, size_t size);

static bool grow_arr(idr__arena *a, void **arr, size_t n, size_t *cap, size_t size) {
    if (n < *cap) {
        return true;
    }
    size_t nc = *cap ? *cap * 2 : 8;
    void *p = idr__arena_alloc(a, nc * size);
    if (!p) {
        return false;
    }
    if (n) {
        memcpy(p, *arr, n * size);
    }
    *arr = p;
    *cap = nc;
    return true;
}

/* ------------------------------------------------------------------------------------
 * Evidence lists (docs/input-limits.md "Output bounds").
 *
 * A list is built in place in a growing buffer, so n appends cost O(n) in all, and it
 * is bounded: the first IDR__LIST_MAX_ITEMS items are written, each cut at
 * IDR__LIST_ITEM_MAX bytes; the others are counted and the list ends with
 * "<sep>and K more". A hostile record with ten thousand shipments yields a list of a
 * few kilobytes, not megabytes.
 *
 * The builder is found again from the address of the caller's list variable (and the
 * rule being evaluated), so evaluators keep writing `idr__list_add(ctx, ", ", &list,
 * item)` on a plain `const char *`. When the variable no longer holds the builder's
 * buffer (reset to NULL, or set to another string), a new list starts from whatever it
 * holds; a builder pushed out of the small table is restarted the same way. Either way
 * the text is right, only the O(1) bound needs the builder to stay in the table.
 * ---------------------------------------------------------------------------------- */
#define LIST_SLOTS 16

struct idr__listb {
    const char **key;      /* the caller's list variable */
    const idr__rule *rule; /* the evaluation it belongs to */
    char *buf;             /* the list text; == *key while this builder is current */
    size_t len;            /* bytes of the written items (the suffix follows) */
    size_t cap;            /* bytes allocated for buf */
    size_t shown, more;    /* items written, items only counted */
    uint64_t *seen;        /* open-addressing set of item hashes (unique lists) */
    size_t seen_cap, seen_n;
    unsigned long long use; /* last use, for replacement */
};

static uint64_t hash_item(const char *s) {
    uint64_t h = idr__hash_str(s);
    return h ? h : 1; /* 0 marks an empty slot */
}

/* Add `h` to the set; false when it was already there. Grows at half full. */
static bool seen_add(idr__report *r, struct idr__listb *b, uint64_t h) {
    if (2 * (b->seen_n + 1) > b->seen_cap) {
        size_t nc = b->seen_cap ? 2 * b->seen_cap : 16;
        uint64_t *ns = idr__arena_calloc(r->arena, nc * sizeof *ns);
        if (!ns) {
            r->oom = true;
            return true;
        }
        for (size_t i = 0; i < b->seen_cap; i++) {
            if (b->seen[i]) {
                size_t k = (size_t)b->seen[i] & (nc - 1);
                while (ns[k]) {
                    k = (k + 1) & (nc - 1);
                }
                ns[k] = b->seen[i];
            }
        }
        b->seen = ns;
        b->seen_cap = nc;
    }
    size_t k = (size_t)h & (b->seen_cap - 1);
    while (b->seen[k]) {
        if (b->seen[k] == h) {
            return false;
        }
        k = (k + 1) & (b->seen_cap - 1);
    }
    b->seen[k] = h;
    b->seen_n++;
    return true;
}

/* Make room for `need` more bytes (plus the NUL). */
static bool reserve(idr__report *r, struct idr__listb *b, size_t need) {
    if (b->len + need + 1 <= b->cap) {
        return true;
    }
    size_t nc = b->cap ? b->cap : 64;
    while (nc < b->len + need + 1) {
        nc *= 2;
    }
    char *nb = idr__arena_alloc(r->arena, nc);
    if (!nb) {
        r->oom = true;
        return false;
    }
    if (b->len) { /* a new builder has no buffer, and memcpy from NULL is UB */
        memcpy(nb, b->buf, b->len);
    }
    b->buf = nb;
    b->cap = nc;
    return true;
}

/* The builder of `list` in the current evaluation, starting one (from the list's
 * current text, which may be NULL) when there is none. */
static struct idr__listb *builder(idr__ctx *ctx, const char *sep, const char **list) {
    idr__report *r = ctx->rep;
    if (!r->lists) {
        r->lists = idr__arena_calloc(r->arena, LIST_SLOTS * sizeof *r->lists);
        if (!r->lists) {
            r->oom = true;
            return NULL;
        }
    }
    struct idr__listb *victim = &r->lists[0];
    for (size_t i = 0; i < LIST_SLOTS; i++) {
        struct idr__listb *b = &r->lists[i];
        if (b->key == list && b->rule == ctx->rule && b->buf && *list == b->buf) {
            b->use = ++r->list_clock;
            return b;
        }
        if (b->use < victim->use) {
            victim = b;
        }
    }
    /* A new list, or one whose builder is gone: start from the current text. */
    memset(victim, 0, sizeof *victim);
    victim->key = list;
    victim->rule = ctx->rule;
    victim->use = ++r->list_clock;
    if (*list) {
        size_t n = strlen(*list);
        if (!reserve(r, victim, n)) {
            return NULL;
        }
        memcpy(victim->buf, *list, n);
        victim->len = n;
        victim->shown = 1; /* at least one item; exact count unknown, only bounds it */
        for (const char *p = *list; (p = strstr(p, sep)) != NULL; p += strlen(sep)) {
            victim->shown++;
        }
    }
    return victim;
}

static void list_append(
    idr__ctx *ctx, const char *sep, const char **list, const char *item, bool unique) {
    if (!item) {
        return;
    }
    idr__report *r = ctx->rep;
    struct idr__listb *b = builder(ctx, sep, list);
    if (!b) {
        return;
    }
    if (unique && !seen_add(r, b, hash_item(item))) {
        return;
    }
    if (b->shown >= IDR__LIST_MAX_ITEMS) {
        b->more++;
        char suffix[48];
        int n = snprintf(suffix, sizeof suffix, "%sand %zu more", sep, b->more);
        if (n < 0 || (size_t)n >= sizeof suffix || !reserve(r, b, (size_t)n)) {
            return;
        }
        memcpy(b->buf + b->len, suffix, (size_t)n + 1); /* after the items, replaced */
        *list = b->buf;
        return;
    }
    size_t ni = strlen(item), ns = b->shown ? strlen(sep) : 0;
    size_t keep = idr__utf8_cut(item, ni, IDR__LIST_ITEM_MAX);
    const char *ell = keep < ni ? "\xe2\x80\xa6" : ""; /* U+2026 when cut */
    size_t ne = strlen(ell);
    if (!reserve(r, b, ns + keep + ne)) {
        return;
    }
    memcpy(b->buf + b->len, sep, ns);
    memcpy(b->buf + b->len + ns, item, keep);
    memcpy(b->buf + b->len + ns + keep, ell, ne);
    b->len += ns + keep + ne;
    b->buf[b->len] = '\0';
    b->shown++;
    *list = b->buf;
}

void idr__list_add(idr__ctx *ctx, const char *sep, const char **list, const char *item) {
    list_append(ctx, sep, list, item, false);
}

void idr__list_add_unique(idr__ctx *ctx,
                          const char *sep,
                          const char **list,
                          const char *item) {
    list_append(ctx, sep, list, item, true);
}

const char *idr__date_text(idr__ctx *ctx, int32_t days) {
    char buf[11];
    idr__format_date(days, buf);
    return idr__arena_strdup(ctx->arena, buf);
}

bool idr__has_accommodation(const idr__ctx *ctx, const char *name) {
    const idr__strv *v = &ctx->c->accommodations;
    for (size_t i = 0; i < v->n; i++) {
        if (strcmp(v->v[i], name) == 0) {
            return true;
        }
    }
    return false;
}

const idr__travel *idr__travel_covering(const idr__ctx *ctx, int32_t d) {
    for (size_t i = 0; i < ctx->c->n_travel; i++) {
        const idr__travel *t = &ctx->c->travel[i];
        if (t->approved == 1 && t->from != IDR__DATE_NONE && t->to != IDR__DATE_NONE &&
            t->from <= d && d <= t->to) {
            return t;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------
 * Explanations (the pack's [explanation] entries): run once, after every evaluator and
 * before the combinations, so a suppressed indicator neither scores nor completes a
 * combination. Only hits are removed: an explanation can never add points.
 * ---------------------------------------------------------------------------------- */
static const idr__explanation *
explained_by(const idr__ctx *ctx, const idr__rulepack *p, const char *id) {
    for (size_t i = 0; i < p->n_explanations; i++) {
        const idr__explanation *x = &p->explanations[i];
        for (size_t k = 0; k < x->n_suppresses; k++) {
            if (strcmp(x->suppresses[k], id) == 0 &&
                idr__has_accommodation(ctx, x->name)) {
                return x;
            }
        }
    }
    return NULL;
}

void idr__report_explain(idr__ctx *ctx, const idr__rulepack *p) {
    idr__report *r = ctx->rep;
    size_t kept = 0;
    for (size_t i = 0; i < r->n_hits; i++) {
        idr__hitrec *h = r->hits[i];
        const idr__explanation *x = h->rule ? explained_by(ctx, p, h->rule->id) : NULL;
        if (!x) {
            r->hits[kept++] = h;
            continue;
        }
        const char *by =
            idr__arena_printf(r->arena, "accommodation %s (%s)", x->name, x->label);
        idr_suppressed *s = by ? note_slot(r, (void **)&r->suppressed, &r->n_suppressed,
                                           &r->cap_suppressed, sizeof *s)
                               : NULL;
        if (!by) {
            r->oom = true;
        }
        if (s) {
            s->id = h->rule->id;
            s->by = by;
        }
    }
    r->n_hits = kept;
}

/* ------------------------------------------------------------------------------------
 * Reporting API for evaluators.
 * ---------------------------------------------------------------------------------- */
static idr__hitrec *find_hit(idr__report *res, const char *id) {
    for (size_t i = 0; i < res->n_hits; i++) {
        const idr__hitrec *h = res->hits[i];
        const char *hid = h->rule ? h->rule->id : h->combo->id;
        if (strcmp(hid, id) == 0) {
            return res->hits[i];
        }
    }
    return NULL;
}

idr__hitrec *idr__report_new_hit(idr__report *res) {
    if (!grow_arr(res->arena, (void **)&res->hits, res->n_hits, &res->cap_hits,
                  // An array of pointers: sizeof of one element is a pointer size.
                  // NOLINTNEXTLINE(bugprone-sizeof-expression)
                  sizeof *res->hits)) {
        res->oom = true;
        return NULL;
    }
    idr__hitrec *h = idr__arena_calloc(res->arena, sizeof *h);
    if (!h) {
        res->oom = true;
        return NULL;
    }
    h->ev.arena = res->arena;
    res->hits[res->n_hits++] = h;
    return h;
}

idr__ev *idr__hit(idr__ctx *ctx, const idr__indicator *ind) {
    if (!ctx->rule || ctx->rule->ind != ind) {
        /* Only the indicator being evaluated may report: a programming error in an
         * evaluator, not an input problem. */
        return NULL;
    }
    idr__hitrec *h = find_hit(ctx->rep, ind->id);
    if (!h) {
        h = idr__report_new_hit(ctx->rep);
        if (!h) {
            return NULL;
        }
        h->rule = ctx->rule;
    }
    return &h->ev;
}

static idr__evkv *ev_slot(idr__ev *ev, const char *key) {
    if (!ev) {
        return NULL;
    }
    for (size_t i = 0; i < ev->n; i++) {
        if (strcmp(ev->kv[i].key, key) == 0) {
            return &ev->kv[i];
        }
    }
    if (!grow_arr(ev->arena, (void **)&ev->kv, ev->n, &ev->cap, sizeof *ev->kv)) {
        return NULL;
    }
    idr__evkv *kv = &ev->kv[ev->n++];
    memset(kv, 0, sizeof *kv);
    kv->key = key;
    return kv;
}

/* An evidence string of at most IDR__EVIDENCE_MAX bytes, cut on a UTF-8 boundary with
 * U+2026 appended (docs/input-limits.md "Output bounds"). */
static const char *bounded(idr__arena *a, const char *val) {
    const char *s = val;
    return idr__arena_keep_cut(a, &s, IDR__EVIDENCE_MAX) ? s : NULL;
}

void idr__ev_str(idr__ev *ev, const char *key, const char *val) {
    idr__evkv *kv = ev_slot(ev, key);
    if (kv) {
        kv->value.type = IDR_VALUE_STRING;
        kv->value.str = bounded(ev->arena, val ? val : "");
    }
}

void idr__ev_strf(idr__ev *ev, const char *key, const char *fmt, ...) {
    idr__evkv *kv = ev_slot(ev, key);
    if (kv) {
        va_list ap;
        va_start(ap, fmt);
        kv->value.type = IDR_VALUE_STRING;
        const char *full = idr__arena_vprintf(ev->arena, fmt, ap);
        va_end(ap);
        kv->value.str = full ? bounded(ev->arena, full) : NULL;
    }
}

void idr__ev_int(idr__ev *ev, const char *key, long long val) {
    idr__evkv *kv = ev_slot(ev, key);
    if (kv) {
        kv->value.type = IDR_VALUE_INT;
        kv->value.integer = val;
    }
}

void idr__ev_num(idr__ev *ev, const char *key, double val) {
    idr__evkv *kv = ev_slot(ev, key);
    if (kv) {
        kv->value.type = IDR_VALUE_NUMBER;
        kv->value.number = val;
    }
}

void idr__ev_bool(idr__ev *ev, const char *key, bool val) {
    idr__evkv *kv = ev_slot(ev, key);
    if (kv) {
        kv->value.type = IDR_VALUE_BOOL;
        kv->value.boolean = val ? 1 : 0;
    }
}

void idr__ev_fraction(idr__ev *ev, double f) {
    if (!ev) {
        return;
    }
    ev->graded = true;
    ev->fraction = isnan(f) ? 1.0 : f < 0 ? 0.0 : f > 1 ? 1.0 : f;
}

double idr__grade_linear(double x, double zero, double full) {
    if (zero == full) {
        return 1.0;
    }
    double f = (x - zero) / (full - zero);
    return isnan(f) ? 1.0 : f < 0 ? 0.0 : f > 1 ? 1.0 : f;
}

/* Grow one of the report's note arrays by a slot; NULL (and res->oom) on ENOMEM. */
static void *
note_slot(idr__report *res, void **arr, size_t *n, size_t *cap, size_t size) {
    if (!grow_arr(res->arena, arr, *n, cap, size)) {
        res->oom = true;
        return NULL;
    }
    return (char *)*arr + (*n)++ * size;
}

static const char *note_text(idr__report *res, const char *fmt, va_list ap) {
    const char *text = idr__arena_vprintf(res->arena, fmt, ap);
    if (!text) {
        res->oom = true;
    }
    return text;
}

void idr__suppress(idr__ctx *ctx, const idr__indicator *ind, const char *fmt, ...) {
    idr__report *res = ctx->rep;
    va_list ap;
    va_start(ap, fmt);
    const char *by = note_text(res, fmt, ap);
    va_end(ap);
    idr_suppressed *s = by ? note_slot(res, (void **)&res->suppressed, &res->n_suppressed,
                                       &res->cap_suppressed, sizeof *s)
                           : NULL;
    if (s) {
        s->id = ind->id;
        s->by = by;
    }
}

static void
not_evaluated_v(idr__report *res, const char *id, const char *fmt, va_list ap) {
    const char *why = note_text(res, fmt, ap);
    idr_not_evaluated *ne =
        why ? note_slot(res, (void **)&res->not_evaluated, &res->n_not_evaluated,
                        &res->cap_not_evaluated, sizeof *ne)
            : NULL;
    if (ne) {
        ne->id = id;
        ne->why = why;
    }
}

void idr__report_not_evaluated(idr__report *r, const char *id, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    not_evaluated_v(r, id, fmt, ap);
    va_end(ap);
}

void idr__not_evaluated(idr__ctx *ctx, const idr__indicator *ind, const char *fmt, ...) {
    /* One entry per indicator: the first reason is the one that stopped it. */
    for (size_t i = 0; i < ctx->rep->n_not_evaluated; i++) {
        if (strcmp(ctx->rep->not_evaluated[i].id, ind->id) == 0) {
            return;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    not_evaluated_v(ctx->rep, ind->id, fmt, ap);
    va_end(ap);
}
