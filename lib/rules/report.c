/*
 * report.c - how an evaluator reports (rules/rule.h): hits with evidence, suppressions,
 * "not evaluated" notes, and the small helpers evaluators share. Everything goes into
 * the record's idr__report, in the result's arena; lib/core turns the report into the
 * result once every indicator has run.
 */
#include "rules/rule.h"

#include <stdio.h>
#include <string.h>

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

void idr__list_add(idr__ctx *ctx, const char *sep, const char **list, const char *item) {
    if (!item) {
        return;
    }
    *list = *list ? idr__arena_printf(ctx->arena, "%s%s%s", *list, sep, item)
                  : idr__arena_strdup(ctx->arena, item);
}

void idr__list_add_unique(idr__ctx *ctx,
                          const char *sep,
                          const char **list,
                          const char *item) {
    if (!item) {
        return;
    }
    size_t n = strlen(item), ns = strlen(sep);
    for (const char *p = *list; p && (p = strstr(p, item)) != NULL; p += n) {
        bool start =
            p == *list || ((size_t)(p - *list) >= ns && memcmp(p - ns, sep, ns) == 0);
        bool end = p[n] == '\0' || strncmp(p + n, sep, ns) == 0;
        if (start && end) {
            return;
        }
    }
    idr__list_add(ctx, sep, list, item);
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

void idr__ev_str(idr__ev *ev, const char *key, const char *val) {
    idr__evkv *kv = ev_slot(ev, key);
    if (kv) {
        kv->value.type = IDR_VALUE_STRING;
        kv->value.str = idr__arena_strdup(ev->arena, val ? val : "");
    }
}

void idr__ev_strf(idr__ev *ev, const char *key, const char *fmt, ...) {
    idr__evkv *kv = ev_slot(ev, key);
    if (kv) {
        va_list ap;
        va_start(ap, fmt);
        kv->value.type = IDR_VALUE_STRING;
        kv->value.str = idr__arena_vprintf(ev->arena, fmt, ap);
        va_end(ap);
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
