/* SPDX-License-Identifier: Apache-2.0 */
/*
 * document.c - the "document" family (doc_): the identity documents on file and how
 * the candidate met the steps that inspect them.
 *
 *   doc_forgery_signs               the verification service found a document not
 *                                   authentic, tampered or not in the issuer's records
 *   doc_photo_replaced              photo replaced, liveness failed or a low face match
 *                                   (param face_match_min)
 *   doc_expired                     an identity document expired before the as-of date
 *   doc_refuses_inperson_notarized  in-person I-9 inspection, notarization, background
 *                                   check or drug test refused (workflow.* flags)
 *
 * idrisk does not inspect images. It reads the verdicts the provider returned
 * (documents[].verification) and reports the failed ones, naming the provider and the
 * document type so a reviewer knows which check to re-run. A verification field the
 * provider did not return is unknown and never fires; when no document carries the
 * field an indicator needs, the indicator is "not evaluated". The helpers
 * idr__doc_label and idr__have_verifications are shared with identity.c
 * (id_stock_or_ai_photo reads the same verification results).
 *
 * One hit per indicator: every failing document goes into the same evidence, as a
 * "; "-joined list of findings ("passport (GB, ExampleVerify): tamper detected").
 */
#include "rules/rule.h"

#include <string.h>

const char *idr__doc_label(idr__ctx *ctx, const idr__document *d) {
    const char *type = d->type_name ? d->type_name : "document";
    const char *provider = d->verification.provider;
    if (d->issuing_country[0] && provider) {
        return idr__arena_printf(ctx->arena, "%s (%s, %s)", type, d->issuing_country,
                                 provider);
    }
    if (d->issuing_country[0]) {
        return idr__arena_printf(ctx->arena, "%s (%s)", type, d->issuing_country);
    }
    if (provider) {
        return idr__arena_printf(ctx->arena, "%s (%s)", type, provider);
    }
    return type;
}

bool idr__have_verifications(idr__ctx *ctx, const idr__indicator *ind) {
    if (ctx->c->n_documents == 0) {
        idr__not_evaluated(ctx, ind, "no documents on file");
        return false;
    }
    for (size_t i = 0; i < ctx->c->n_documents; i++) {
        if (ctx->c->documents[i].verification.present) {
            return true;
        }
    }
    idr__not_evaluated(ctx, ind, "no document verification results on file");
    return false;
}

/* ---- doc_forgery_signs [G22][P25] ---------------------------------------------- */
static const char *const forgery_keys[] = {"findings", "count", NULL};

static void eval_forgery(idr__ctx *ctx, const idr__indicator *ind) {
    if (!idr__have_verifications(ctx, ind)) {
        return;
    }
    const char *findings = NULL;
    long long count = 0;
    bool known = false;
    for (size_t i = 0; i < ctx->c->n_documents; i++) {
        const idr__document *d = &ctx->c->documents[i];
        const idr__verification *v = &d->verification;
        if (!v->present) {
            continue;
        }
        known = known || v->authentic != IDR__UNK || v->tamper_detected != IDR__UNK ||
                v->issuer_record_match != IDR__UNK;
        const char *what = NULL;
        if (v->authentic == 0) {
            idr__list_add(ctx, "; ", &what, "not authentic");
        }
        if (v->tamper_detected == 1) {
            idr__list_add(ctx, "; ", &what, "tampering detected");
        }
        if (v->issuer_record_match == 0) {
            idr__list_add(ctx, "; ", &what, "no match in the issuer's records");
        }
        if (what) {
            count++;
            idr__list_add(
                ctx, "; ", &findings,
                idr__arena_printf(ctx->arena, "%s: %s", idr__doc_label(ctx, d), what));
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind,
                           "verification results carry no authenticity, tamper or "
                           "issuer-record verdict");
        return;
    }
    if (count == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "findings", findings);
    idr__ev_int(ev, "count", count);
}

static const idr__indicator doc_forgery_signs = {
    .id = "doc_forgery_signs",
    .evidence_keys = forgery_keys,
    .eval = eval_forgery,
};

/* ---- doc_photo_replaced [MSFT25] ----------------------------------------------- */
static const char *const photo_keys[] = {"findings", "count", "lowest_face_match",
                                         "grade", NULL};

/* face_match_min: a face-match score below this is reported as a failed match.
 * [MSFT25] advises liveness plus face match between the ID photo and a live capture
 * but gives no number; scores are provider-specific. 0.80 on the contract's 0..1 scale
 * is a project choice: it sits below the pass thresholds verification services
 * commonly apply to a genuine same-person match, so a score under it is one the
 * provider would itself send to review. Callers whose provider uses another scale
 * should also pass liveness_passed, which is read independently. */
enum { P_FACE_MATCH_MIN, P_FACE_MATCH_FULL };
/* face_match_full: a score at or below this earns all the indicator's points; between
 * it and face_match_min the points grow linearly as the score falls (idr__ev_fraction),
 * so 0.79 against 0.80 is a point, not a band. Project choice: 0.50 on a 0..1 scale is
 * where a face-match score says "no better than chance that this is the same face";
 * nothing below it is a closer call. A replaced photo or a failed liveness check is a
 * finding of the provider, not a score, and always earns all the points. A pack that
 * sets face_match_full >= face_match_min gets the old cliff back. */
static const idr__param photo_params[] = {
    [P_FACE_MATCH_MIN] = {.name = "face_match_min",
                          .def = 0.80,
                          .min = 0.0,
                          .max = 1.0,
                          .doc = "face-match score (0..1) below which a match fails"},
    [P_FACE_MATCH_FULL] = {.name = "face_match_full",
                           .def = 0.50,
                           .min = 0.0,
                           .max = 1.0,
                           .doc = "face-match score (0..1) at or below which a failed "
                                  "match earns all the points (linear above it)"},
};

static void eval_photo_replaced(idr__ctx *ctx, const idr__indicator *ind) {
    if (!idr__have_verifications(ctx, ind)) {
        return;
    }
    const char *findings = NULL;
    long long count = 0;
    bool known = false;
    double lowest = NAN;
    bool provider_finding = false; /* photo replaced or liveness failed: full points */
    const double face_min = idr__param_of(ctx, P_FACE_MATCH_MIN);
    const double face_full = idr__param_of(ctx, P_FACE_MATCH_FULL);
    for (size_t i = 0; i < ctx->c->n_documents; i++) {
        const idr__document *d = &ctx->c->documents[i];
        const idr__verification *v = &d->verification;
        if (!v->present) {
            continue;
        }
        known = known || v->photo_replaced != IDR__UNK ||
                v->liveness_passed != IDR__UNK || !isnan(v->face_match_score);
        const char *what = NULL;
        if (v->photo_replaced == 1) {
            idr__list_add(ctx, "; ", &what, "photo replaced");
            provider_finding = true;
        }
        if (v->liveness_passed == 0) {
            idr__list_add(ctx, "; ", &what, "liveness check failed");
            provider_finding = true;
        }
        if (!isnan(v->face_match_score) && v->face_match_score < face_min) {
            idr__list_add(ctx, "; ", &what,
                          idr__arena_printf(ctx->arena, "face match %.2f (below %.2f)",
                                            v->face_match_score, face_min));
            if (isnan(lowest) || v->face_match_score < lowest) {
                lowest = v->face_match_score;
            }
        }
        if (what) {
            count++;
            idr__list_add(
                ctx, "; ", &findings,
                idr__arena_printf(ctx->arena, "%s: %s", idr__doc_label(ctx, d), what));
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind,
                           "verification results carry no photo-replacement, liveness "
                           "or face-match result");
        return;
    }
    if (count == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "findings", findings);
    idr__ev_int(ev, "count", count);
    if (isnan(lowest)) {
        idr__ev_str(ev, "lowest_face_match", "not scored");
    } else {
        idr__ev_num(ev, "lowest_face_match", lowest);
    }
    if (provider_finding || face_full >= face_min) {
        idr__ev_str(ev, "grade", "full points");
        return;
    }
    /* Only low face-match scores: graded by the lowest, monotone (a lower score never
     * earns fewer points). */
    double f = idr__grade_linear(lowest, face_min, face_full);
    idr__ev_fraction(ev, f);
    idr__ev_strf(
        ev, "grade",
        "%.0f%% of the points (face match %.2f; none at %.2f, all at %.2f or below)",
        f * 100, lowest, face_min, face_full);
}

static const idr__indicator doc_photo_replaced = {
    .id = "doc_photo_replaced",
    .evidence_keys = photo_keys,
    .eval = eval_photo_replaced,
    .params = photo_params,
    .n_params = sizeof photo_params / sizeof photo_params[0],
};

/* ---- doc_expired (project; refines doc_forgery_signs) -------------------------- */
static const char *const expired_keys[] = {"documents", "count", "as_of", NULL};

/* Documents that prove identity and carry an expiry. A diploma or an SSN card has no
 * expiry in practice; "other" is too vague to judge. */
static bool expiring_type(idr__doc_type t) {
    switch (t) {
    case IDR__DOC_PASSPORT:
    case IDR__DOC_DRIVERS_LICENSE:
    case IDR__DOC_STATE_ID:
    case IDR__DOC_NATIONAL_ID:
    case IDR__DOC_RESIDENCE_PERMIT:
    case IDR__DOC_VISA:
    case IDR__DOC_WORK_PERMIT:
        return true;
    case IDR__DOC_NONE:
    case IDR__DOC_SSN_CARD:
    case IDR__DOC_DIPLOMA:
    case IDR__DOC_OTHER:
        return false;
    }
    return false;
}

static void eval_expired(idr__ctx *ctx, const idr__indicator *ind) {
    if (ctx->c->n_documents == 0) {
        idr__not_evaluated(ctx, ind, "no documents on file");
        return;
    }
    const char *list = NULL;
    long long count = 0;
    bool known = false;
    for (size_t i = 0; i < ctx->c->n_documents; i++) {
        const idr__document *d = &ctx->c->documents[i];
        if (!expiring_type(d->type) || d->expires == IDR__DATE_NONE) {
            continue;
        }
        known = true;
        if (d->expires < ctx->today) {
            char e[11];
            idr__format_date(d->expires, e);
            count++;
            idr__list_add(ctx, "; ", &list,
                          idr__arena_printf(ctx->arena, "%s expired %s",
                                            idr__doc_label(ctx, d), e));
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind, "no identity document with an expiry date on file");
        return;
    }
    if (count == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "documents", list);
    idr__ev_int(ev, "count", count);
    char t[11];
    idr__format_date(ctx->today, t);
    idr__ev_str(ev, "as_of", t);
}

static const idr__indicator doc_expired = {
    .id = "doc_expired",
    .evidence_keys = expired_keys,
    .eval = eval_expired,
};

/* ---- doc_refuses_inperson_notarized [P23][MAND24][KB4][Nisos] ------------------ */
static const char *const refuses_keys[] = {"refused", "count", NULL};

static void eval_refuses(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__workflow *w = &ctx->c->workflow;
    const struct {
        idr__tri v;
        const char *what;
    } flags[] = {
        {w->refused_in_person_i9, "in-person I-9 document inspection"},
        {w->refused_notarization, "notarized proof of identity"},
        {w->refused_background_check, "background check"},
        {w->refused_drug_test, "drug test"},
    };
    bool known = false;
    const char *refused = NULL;
    long long n = 0;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        known = known || flags[i].v != IDR__UNK;
        if (flags[i].v == 1) {
            idr__list_add(ctx, ", ", &refused, flags[i].what);
            n++;
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind, "no in-person or notarization step recorded");
        return;
    }
    if (n == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "refused", refused);
    idr__ev_int(ev, "count", n);
}

static const idr__indicator doc_refuses_inperson_notarized = {
    .id = "doc_refuses_inperson_notarized",
    .evidence_keys = refuses_keys,
    .eval = eval_refuses,
};

static const idr__indicator *const indicators[] = {&doc_forgery_signs,
                                                   &doc_photo_replaced, &doc_expired,
                                                   &doc_refuses_inperson_notarized, NULL};

const idr__family idr__family_document = {.name = "document",
                                          .prefix = "doc_",
                                          .file = "lib/rules/document.c",
                                          .indicators = indicators};
