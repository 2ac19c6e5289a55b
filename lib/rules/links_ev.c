/* SPDX-License-Identifier: Apache-2.0 */
/*
 * links_ev.c - what the linkage indicators share (rules/rule.h "Cross-candidate
 * links"): the evidence label of a link kind, the distinct-candidate lists, and why a
 * link does not count as reuse between two different people.
 *
 * Principle: a link says that two records share an identifier, never who either
 * person is. The evidence names the other candidate_ids and the kind of identifier,
 * so the reviewer can open both records; the identifier itself (an SSN, a phone
 * number, an address) is never written, and the store only holds keyed hashes of it.
 */
#include "rules/rule.h"

#include <string.h>

static const char *const labels[IDR__LK_COUNT] = {
    [IDR__LK_SSN] = "SSN",
    [IDR__LK_PHONE] = "phone",
    [IDR__LK_REFERENCE_PHONE] = "reference phone",
    [IDR__LK_EMAIL] = "email",
    [IDR__LK_RESIDENCE] = "residence address",
    [IDR__LK_SHIPPING] = "shipping address",
    [IDR__LK_ACCOUNT] = "payout account",
    [IDR__LK_WALLET] = "crypto wallet",
    [IDR__LK_DOCUMENT] = "identity document",
    [IDR__LK_DEVICE] = "device",
    [IDR__LK_IP] = "IP address on the same day",
    [IDR__LK_PHOTO] = "photo",
    [IDR__LK_RESUME] = "resume text",
    [IDR__LK_REFERRER] = "referrer",
};

const char *idr__link_label(idr__link_kind k) {
    return (unsigned)k < IDR__LK_COUNT && labels[k] ? labels[k] : "identifier";
}

const idr__links *idr__links_of(idr__ctx *ctx, const idr__indicator *ind) {
    if (!ctx->en->links) {
        idr__not_evaluated(ctx, ind, "needs the cross-candidate store");
    }
    return ctx->en->links;
}

size_t idr__links_not_read(const idr__links *l, unsigned kinds) {
    size_t before = 0, kept = 0;
    for (unsigned k = 0; k < IDR__LK_COUNT; k++) {
        if (kinds & (1u << k)) {
            before += l->n_by_kind[k];
        }
    }
    for (size_t i = 0; i < l->n; i++) {
        if ((unsigned)l->v[i].kind < IDR__LK_COUNT && (kinds & (1u << l->v[i].kind))) {
            kept++;
        }
    }
    return before > kept ? before - kept : 0;
}

/* Add `id` to the set; false when it was there. Grows at half full (links are capped
 * at IDR__LINKS_MAX, so the set stays small). */
static bool set_add(idr__ctx *ctx, idr__others *o, const char *id) {
    if (2 * (o->n + 1) > o->cap) {
        size_t nc = o->cap ? 2 * o->cap : 16;
        uint64_t *ns = idr__arena_calloc(ctx->arena, nc * sizeof *ns);
        const char **ni = idr__arena_calloc(ctx->arena, nc * sizeof *ni);
        if (!ns || !ni) {
            ctx->rep->oom = true;
            return false;
        }
        for (size_t i = 0; i < o->cap; i++) {
            if (o->set[i]) {
                size_t k = (size_t)o->set[i] & (nc - 1);
                while (ns[k]) {
                    k = (k + 1) & (nc - 1);
                }
                ns[k] = o->set[i];
                ni[k] = o->ids[i];
            }
        }
        o->set = ns;
        o->ids = ni;
        o->cap = nc;
    }
    uint64_t h = idr__hash_str(id);
    h = h ? h : 1; /* 0 marks an empty slot */
    size_t k = (size_t)h & (o->cap - 1);
    while (o->set[k]) {
        if (o->set[k] == h && strcmp(o->ids[k], id) == 0) {
            return false;
        }
        k = (k + 1) & (o->cap - 1);
    }
    o->set[k] = h;
    o->ids[k] = id;
    o->n++;
    return true;
}

bool idr__others_add(idr__ctx *ctx, idr__others *o, const char *id, const char *item) {
    if (!id) {
        return false;
    }
    bool added = set_add(ctx, o, id);
    idr__list_add_unique(ctx, ", ", &o->list, item ? item : id);
    return added;
}

idr__link_excl idr__link_classify(const idr__link *l, bool address) {
    if (address && l->declared_household) {
        return IDR__LX_HOUSEHOLD;
    }
    if (l->same_name) {
        return IDR__LX_SAME_NAME;
    }
    if (address && l->same_surname) {
        return IDR__LX_SURNAME;
    }
    return IDR__LX_COUNTS;
}

void idr__link_cleared_add(idr__ctx *ctx,
                           idr__link_cleared *cl,
                           idr__link_excl why,
                           const idr__link *l) {
    if (why <= IDR__LX_COUNTS || why >= IDR__LX_COUNT) {
        return;
    }
    idr__others_add(ctx, &cl->by[why], l->other_id, NULL);
    cl->n++;
}

const char *idr__link_cleared_text(idr__ctx *ctx, const idr__link_cleared *cl) {
    static const char *const why[IDR__LX_COUNT] = {
        [IDR__LX_SAME_NAME] = "same name (possible duplicate application)",
        [IDR__LX_HOUSEHOLD] = "declared household (identity.household)",
        [IDR__LX_SURNAME] = "same surname at the address (likely household)",
    };
    const char *text = NULL;
    for (int k = IDR__LX_COUNTS + 1; k < IDR__LX_COUNT; k++) {
        if (cl->by[k].n == 0) {
            continue;
        }
        const char *part =
            idr__arena_printf(ctx->arena, "%s: %s", why[k], idr__others_text(&cl->by[k]));
        if (!part) {
            continue;
        }
        text = text ? idr__arena_printf(ctx->arena, "%s; %s", text, part) : part;
    }
    return text;
}

void idr__report_near_duplicates(idr__ctx *ctx,
                                 const idr__indicator *ind,
                                 const idr__links *l,
                                 idr__link_kind kind,
                                 double max) {
    idr__others others = {0};
    idr__link_cleared cleared = {0};
    int closest = 65;
    for (size_t i = 0; i < l->n; i++) {
        const idr__link *k = &l->v[i];
        if (k->kind != kind || k->distance > max) {
            continue;
        }
        idr__link_excl why = idr__link_classify(k, false);
        if (why != IDR__LX_COUNTS) {
            idr__link_cleared_add(ctx, &cleared, why, k);
            continue;
        }
        idr__others_add(
            ctx, &others, k->other_id,
            idr__arena_printf(ctx->arena, "%s (distance %d)", k->other_id, k->distance));
        closest = k->distance < closest ? k->distance : closest;
    }
    const char *cl = idr__link_cleared_text(ctx, &cleared);
    if (others.n == 0) {
        if (cl) {
            idr__suppress(ctx, ind, "%s", cl);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "others", others.list);
    idr__ev_int(ev, "count", (long long)others.n);
    idr__ev_int(ev, "closest", closest);
    idr__ev_str(ev, "not_counted", cl ? cl : "none");
}

void idr__report_shared_kinds(idr__ctx *ctx,
                              const idr__indicator *ind,
                              const idr__links *l,
                              const idr__link_kind *kinds,
                              const idr__others *const *lists,
                              size_t n,
                              size_t count,
                              const char *cleared,
                              unsigned mask) {
    const char *shared = NULL, *kind_text = NULL;
    for (size_t k = 0; k < n; k++) {
        if (lists[k]->n == 0) {
            continue;
        }
        const char *label = idr__link_label(kinds[k]);
        const char *part =
            idr__arena_printf(ctx->arena, "%s: %s", label, idr__others_text(lists[k]));
        if (!part) {
            continue;
        }
        shared = shared ? idr__arena_printf(ctx->arena, "%s; %s", shared, part) : part;
        kind_text =
            kind_text ? idr__arena_printf(ctx->arena, "%s, %s", kind_text, label) : label;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "shared", shared);
    idr__ev_str(ev, "kinds", kind_text);
    idr__ev_int(ev, "count", (long long)count);
    idr__ev_str(ev, "not_counted", cleared ? cleared : "none");
    idr__ev_int(ev, "not_read", (long long)idr__links_not_read(l, mask));
}
