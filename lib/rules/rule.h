/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules/rule.h - what an indicator may read and how it reports.
 *
 * Layer 4: includes pack and enrich (and model, util below them). Each indicator is an
 * idr__indicator (pack/pack.h): a catalog id, the evidence keys its detail template
 * may use, and an evaluator. Evaluators live in lib/rules/<family>.c as static
 * tables; lib/rules/registry.c gathers the tables. The rule pack gives every
 * indicator its points, severity and texts.
 *
 * An evaluator reads the candidate (ctx->c) and its enrichment (ctx->en) and reports
 * through the ctx: idr__hit() (with evidence), idr__suppress() (would have fired;
 * cleared by context), idr__not_evaluated() (data or database missing). Reporting
 * nothing means "evaluated, clean".
 */
#ifndef IDRISK_RULE_H
#define IDRISK_RULE_H

#include "enrich/enrich.h"
#include "pack/pack.h"

/* ====================================================================================
 * Scoring context and the evaluator's reporting API (implemented by lib/rules/report.c).
 * ================================================================================== */
/* Evidence is kept in the form the API hands out (idr_result_evidence()). */
typedef idr_evidence idr__evkv;

/* Evidence under construction for one hit. */
typedef struct idr__ev {
    idr__evkv *kv;
    size_t n, cap;
    idr__arena *arena;
    bool graded;     /* idr__ev_fraction() was called */
    double fraction; /* 0..1: the share of the pack's points the hit earns */
} idr__ev;

/* One fired indicator or combination; `pub` is filled when the result is finished. */
typedef struct idr__hitrec {
    const idr__rule *rule;   /* NULL for a combination */
    const idr__combo *combo; /* NULL for an indicator */
    idr__ev ev;
    idr_reason pub;
} idr__hitrec;

/* What the evaluators of one record reported, in the result's arena (lib/rules/
 * report.c). lib/core turns it into the result once every indicator has run. */
typedef struct idr__report {
    idr__arena *arena;
    idr__hitrec **hits;
    size_t n_hits, cap_hits;
    idr_suppressed *suppressed;
    size_t n_suppressed, cap_suppressed;
    idr_not_evaluated *not_evaluated;
    size_t n_not_evaluated, cap_not_evaluated;
    struct idr__listb *lists; /* evidence-list builders (report.c) */
    unsigned long long list_clock;
    bool oom; /* sticky: an allocation failed; the score call returns IDR_ENOMEM */
} idr__report;

/* Output bounds (docs/input-limits.md): an evidence list shows at most
 * IDR__LIST_MAX_ITEMS items of at most IDR__LIST_ITEM_MAX bytes each, then
 * "<sep>and K more"; any evidence string is cut at IDR__EVIDENCE_MAX bytes. Cuts fall
 * on a UTF-8 boundary and end in U+2026. */
#define IDR__LIST_MAX_ITEMS 20
#define IDR__LIST_ITEM_MAX  160
#define IDR__EVIDENCE_MAX   4096

/* For lib/core: a new hit slot (combinations), and a note for an indicator that is
 * not run at all (its module is missing). */
idr__hitrec *idr__report_new_hit(idr__report *r);
void idr__report_not_evaluated(idr__report *r, const char *id, const char *fmt, ...)
    IDR__PRINTF(3, 4);

/* For lib/core, after every evaluator ran and before the combinations: move each hit
 * that an [explanation] of `p` covers (its name among the record's accommodations) to
 * `suppressed`, by "accommodation NAME (documented accommodation)". */
void idr__report_explain(idr__ctx *ctx, const idr__rulepack *p);

struct idr__ctx {
    const idr__modules *mods;  /* which modules loaded, and why not (read-only) */
    const idr_candidate *c;    /* the record */
    const idr__enrichment *en; /* everything looked up about it */
    idr__report *rep;          /* where hits and notes go */
    idr__arena *arena; /* the result's arena: allocate scratch and evidence here */
    int64_t now;       /* as_of, or the time of the call */
    int32_t today;     /* now in days */
    /* the rule being evaluated: only its indicator may report a hit */
    const idr__rule *rule;
};

/** Report a hit of `ind`; returns an evidence builder (NULL on ENOMEM, which the
 *  ev_* calls accept). One hit per indicator: a second call returns the same one. */
idr__ev *idr__hit(idr__ctx *ctx, const idr__indicator *ind);
void idr__ev_str(idr__ev *ev, const char *key, const char *val);
void idr__ev_strf(idr__ev *ev, const char *key, const char *fmt, ...) IDR__PRINTF(3, 4);
void idr__ev_int(idr__ev *ev, const char *key, long long val);
void idr__ev_num(idr__ev *ev, const char *key, double val);
void idr__ev_bool(idr__ev *ev, const char *key, bool val);
/** A graded hit: the hit earns `f` (clamped to 0..1; NaN counts as 1) of the points
 *  the pack gives the indicator, rounded to whole points (idr__graded_points), instead
 *  of all of them (docs/rulepack.md "Graded points"). For signs measured on a scale (a
 *  face-match score, an implied speed) where a threshold alone would be a cliff. The
 *  evaluator must keep `f` monotone in the strength of the sign and show the measure
 *  and the points it gives in its evidence, so every point stays explained. Never
 *  called: the hit earns all its points. */
void idr__ev_fraction(idr__ev *ev, double f);
/** The linear grade of `x` between `zero` (fraction 0) and `full` (fraction 1), either
 *  order, clamped to 0..1; 1 when the two are equal (a plain threshold). */
double idr__grade_linear(double x, double zero, double full);
/** The points a graded hit earns: `max` times `f`, rounded to a whole point, so that
 *  the reasons still add up to the score. */
static inline double idr__graded_points(double max, double f) {
    return floor(max * f + 0.5);
}
/** The indicator would have fired but context explains it. `by` says what cleared it
 *  ("approved travel 2025-03-01..2025-03-20 to GB", "accommodation camera_off"). */
void idr__suppress(idr__ctx *ctx, const idr__indicator *ind, const char *fmt, ...)
    IDR__PRINTF(3, 4);
/** The indicator could not be evaluated: data absent or a database missing. */
void idr__not_evaluated(idr__ctx *ctx, const idr__indicator *ind, const char *fmt, ...)
    IDR__PRINTF(3, 4);

/** Helpers for evaluators. */
bool idr__has_accommodation(const idr__ctx *ctx, const char *name);
/** Approved travel window covering day `d` (days since epoch), or NULL. */
const idr__travel *idr__travel_covering(const idr__ctx *ctx, int32_t d);
/** Append `item` to the `sep`-joined list of evidence text in *list (NULL when empty;
 *  strings in the result arena). A NULL item is ignored. Bounded (IDR__LIST_MAX_ITEMS,
 *  IDR__LIST_ITEM_MAX: "<sep>and K more") and amortised O(1) per call; *list must be
 *  NULL, a string of the caller's, or what the previous call on it stored. */
void idr__list_add(idr__ctx *ctx, const char *sep, const char **list, const char *item);
/** The same, unless `item` was already added to the list (shown or counted). */
void idr__list_add_unique(idr__ctx *ctx,
                          const char *sep,
                          const char **list,
                          const char *item);

/** "passport (GB, ExampleVerify)": a document's type, issuer and verifier, for
 *  evidence (lib/rules/document.c). */
const char *idr__doc_label(idr__ctx *ctx, const idr__document *d);
/** Documents on file with at least one verification result; otherwise reports `ind`
 *  not evaluated and returns false (lib/rules/document.c). */
bool idr__have_verifications(idr__ctx *ctx, const idr__indicator *ind);

/** The value in force of the rule's parameter `i` (an index into its indicator's
 *  `params`, declared beside the evaluator): the pack's value, else the default. */
static inline double idr__param_of(const idr__ctx *ctx, size_t i) {
    return ctx->rule->params[i];
}

/** A date as "YYYY-MM-DD" in the result arena (lib/rules/report.c). */
const char *idr__date_text(idr__ctx *ctx, int32_t days);

/* ---- Cross-candidate links (lib/rules/links_ev.c) --------------------------------
 * The linkage indicators read ctx->en->links (filled by the store before scoring; their
 * descriptors say IDR__NEED_STORE, so without a store they never run). Their evidence
 * names the other candidate_ids and the kind of identifier shared, never its value:
 * the store holds only keyed hashes, and the reviewer needs to know who to compare
 * with, not the number. */

/** The kind as evidence names it: "phone", "reference phone", "shipping address" ... */
const char *idr__link_label(idr__link_kind k);

/** The record's links; NULL after reporting `ind` not evaluated (only when an
 *  evaluator is run without a store, which the engine never does). */
const idr__links *idr__links_of(idr__ctx *ctx, const idr__indicator *ind);

/** Links of the kinds in `kinds` (a bit per idr__link_kind) the store found but did not
 *  hand over (past IDR__LINKS_MAX): said in the evidence so a count is never read as
 *  complete when it is not. */
size_t idr__links_not_read(const idr__links *l, unsigned kinds);

/** Distinct other candidates, as a bounded evidence list (idr__list_add) and a count.
 *  Zero-initialise; the set lives in the result arena. Cost O(1) amortised per add. */
typedef struct idr__others {
    const char *list; /* ", "-joined items, NULL when empty */
    size_t n;         /* distinct candidate ids added */
    uint64_t *set;    /* open-addressing set of id hashes */
    const char **ids; /* the ids beside their hashes (collisions compared) */
    size_t cap;
} idr__others;
/** Add candidate `id` shown as `item` (the id itself when NULL). The item is listed
 *  when new to the list; `id` is counted once. True when `id` was new. */
bool idr__others_add(idr__ctx *ctx, idr__others *o, const char *id, const char *item);
/** The list as text for a format: "" when empty (or when an allocation failed, which
 *  the report already records). */
static inline const char *idr__others_text(const idr__others *o) {
    return o->list ? o->list : "";
}

/** Why a link is not evidence of reuse between two different people, for the
 *  indicators judged on "another person": the same name on both records is a possible
 *  duplicate application; over an address (`address`: residence or shipping), a
 *  declared household, or the same surname, is a household. */
typedef enum idr__link_excl {
    IDR__LX_COUNTS = 0,
    IDR__LX_SAME_NAME,
    IDR__LX_HOUSEHOLD,
    IDR__LX_SURNAME,
    IDR__LX_COUNT
} idr__link_excl;
idr__link_excl idr__link_classify(const idr__link *l, bool address);

/** The links left out of a count, grouped by why. Zero-initialise. */
typedef struct idr__link_cleared {
    idr__others by[IDR__LX_COUNT]; /* [IDR__LX_COUNTS] unused */
    size_t n;                      /* links left out */
} idr__link_cleared;
void idr__link_cleared_add(idr__ctx *ctx,
                           idr__link_cleared *cl,
                           idr__link_excl why,
                           const idr__link *l);
/** "same name (possible duplicate application): C-9; declared household
 *  (identity.household): C-5; same surname at the address (likely household): C-7",
 *  or NULL when nothing was left out. */
const char *idr__link_cleared_text(idr__ctx *ctx, const idr__link_cleared *cl);
/** Report the hit of an exact-match linkage indicator with evidence "shared" ("phone:
 *  C-1, C-2; email: C-3"), "kinds", "count" (`count` distinct others), "not_counted"
 *  (`cleared`, or "none") and "not_read" (links of the kinds in `mask` past the store's
 *  cap). `lists[i]` holds the others of kind `kinds[i]`; empty ones are skipped. */
void idr__report_shared_kinds(idr__ctx *ctx,
                              const idr__indicator *ind,
                              const idr__links *l,
                              const idr__link_kind *kinds,
                              const idr__others *const *lists,
                              size_t n,
                              size_t count,
                              const char *cleared,
                              unsigned mask);
/** The near-duplicate indicators (photo, resume): links of `kind` within `max` bits of
 *  Hamming distance to differently named candidates. Reports the hit with evidence
 *  "others" (ids with their distances), "count", "closest" and "not_counted", or a
 *  suppression when only excluded links matched (lib/rules/links_ev.c). */
void idr__report_near_duplicates(idr__ctx *ctx,
                                 const idr__indicator *ind,
                                 const idr__links *l,
                                 idr__link_kind kind,
                                 double max);

/* Name comparison on prepared names: the record's names are tokenised once, in
 * enrichment (ctx->en->rec.names, docs/names.md; the name normaliser of
 * lib/enrich/names: NFKC, case folding, transliteration to Latin, diacritics removed,
 * punctuation and token order ignored, nicknames and initials handled; without ICU
 * the plain idr__norm_simple() comparison). Similarity in 0..1; a name with no tokens
 * (NULL or empty) gives 0. */
static inline double
idr__name_similarity(const idr__ctx *ctx, const idr__name *a, const idr__name *b) {
    return idr__name_toks_similarity(ctx->mods ? ctx->mods->names : NULL, &a->toks,
                                     &b->toks);
}
/* Taken as the same person: similarity at least IDR__NAME_MATCH (enrich/enrich.h). */
static inline bool
idr__name_match(const idr__ctx *ctx, const idr__name *a, const idr__name *b) {
    return idr__name_similarity(ctx, a, b) >= IDR__NAME_MATCH;
}

/* ====================================================================================
 * The registry (lib/rules/registry.c): every indicator, by family.
 * ================================================================================== */
/* One taxonomy (docs/adding-an-indicator.md): a family is one file, one id prefix and
 * one pack category. Every indicator id of the family starts with `prefix`, and the
 * rule pack must give each of them `category = name` (checked at engine build). */
typedef struct idr__family {
    const char *name;   /* the pack category, e.g. "address" */
    const char *prefix; /* the id prefix, e.g. "adr_" */
    const char *file;   /* where the family lives, e.g. "lib/rules/address.c" */
    const idr__indicator *const *indicators; /* NULL-terminated */
} idr__family;
/* The indicator with catalog id `id`, or NULL (an idr__indicator_lookup). */
const idr__indicator *idr__indicator_find(const char *id);
/* Iterate all registered indicators: i from 0 while the result is non-NULL. */
const idr__indicator *idr__indicator_at(size_t i);
/* The family an indicator belongs to, or NULL for one not in the registry. */
const idr__family *idr__indicator_family(const idr__indicator *ind);

#endif /* IDRISK_RULE_H */
