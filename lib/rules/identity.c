/* SPDX-License-Identifier: Apache-2.0 */
/*
 * identity.c - the "identity" family: whether the pieces of one claimed identity fit
 * each other, and whether the person doing the work is the person who was hired.
 *
 * id_identity_combo_implausible [SEAL][GTIG25] looks at three kinds of country claim:
 * the issuing countries of the identity documents, the residence country and the
 * declared work country. Two of them differing is ordinary life (an expatriate with a
 * home-country passport, a resident who works for a team abroad) and never fires.
 * Only a three-way disagreement - a document from country A, a residence in B and a
 * declared work country C, all different - with nothing on file explaining it counts.
 * Explanations on file (a residence permit, visa or work permit issued by the
 * residence or work country; approved travel covering the evaluation date in one of
 * the countries; a declared employer-of-record or agency arrangement) turn the hit
 * into a suppression that names them. Nationality is never an input: only whether the
 * candidate's own documents and statements agree.
 *
 * id_rented_identity [P25][DOJ-Vong] reads the post-hire "different person" flag.
 *
 * id_dup_contact_across_applicants and id_multi_persona_photo read the cross-candidate
 * links (rules/rule.h): the same contact detail, document, device or photo on a
 * differently named candidate's record.
 */
#include "rules/rule.h"

#include <string.h>

/* Documents that say where a person is a citizen or holder of record. Permits and
 * visas are explanations, not pieces; a diploma or "other" says nothing about who
 * issued the identity. */
static bool identity_piece(idr__doc_type t) {
    switch (t) {
    case IDR__DOC_PASSPORT:
    case IDR__DOC_NATIONAL_ID:
    case IDR__DOC_DRIVERS_LICENSE:
    case IDR__DOC_STATE_ID:
    case IDR__DOC_SSN_CARD:
        return true;
    case IDR__DOC_NONE:
    case IDR__DOC_RESIDENCE_PERMIT:
    case IDR__DOC_VISA:
    case IDR__DOC_WORK_PERMIT:
    case IDR__DOC_DIPLOMA:
    case IDR__DOC_OTHER:
        return false;
    }
    return false;
}

static bool permit(idr__doc_type t) {
    return t == IDR__DOC_RESIDENCE_PERMIT || t == IDR__DOC_VISA ||
           t == IDR__DOC_WORK_PERMIT;
}

static const char *const combo_keys[] = {"documents", "residence_country", "work_country",
                                         NULL};

static void eval_combo(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const char *home_cc = c->identity.residence.country;
    const char *work_cc = c->engagement.declared_work_country;
    bool have_doc = false;
    for (size_t i = 0; i < c->n_documents; i++) {
        if (identity_piece(c->documents[i].type) && c->documents[i].issuing_country[0]) {
            have_doc = true;
        }
    }
    if (!have_doc || !home_cc[0] || !work_cc[0]) {
        const char *missing = NULL;
        if (!have_doc) {
            idr__list_add(ctx, "; ", &missing,
                          "identity documents with an issuing country");
        }
        if (!home_cc[0]) {
            idr__list_add(ctx, "; ", &missing, "residence country");
        }
        if (!work_cc[0]) {
            idr__list_add(ctx, "; ", &missing, "declared work country");
        }
        idr__not_evaluated(ctx, ind, "needs %s", missing ? missing : "more data");
        return;
    }
    if (strcmp(home_cc, work_cc) == 0) {
        return; /* at most two distinct claims */
    }
    /* Documents from a third country (neither residence nor work country). */
    const char *foreign = NULL;
    const char *foreign_cc[16];
    size_t n_foreign = 0;
    for (size_t i = 0; i < c->n_documents; i++) {
        const idr__document *d = &c->documents[i];
        if (!identity_piece(d->type) || !d->issuing_country[0]) {
            continue;
        }
        if (strcmp(d->issuing_country, home_cc) == 0 ||
            strcmp(d->issuing_country, work_cc) == 0) {
            continue;
        }
        idr__list_add(ctx, "; ", &foreign,
                      idr__arena_printf(ctx->arena, "%s issued by %s",
                                        d->type_name ? d->type_name : "document",
                                        d->issuing_country));
        if (n_foreign < sizeof foreign_cc / sizeof foreign_cc[0]) {
            foreign_cc[n_foreign++] = d->issuing_country;
        }
    }
    if (foreign == NULL) {
        return;
    }

    /* Explanations on file. */
    const char *why = NULL;
    for (size_t i = 0; i < c->n_documents; i++) {
        const idr__document *d = &c->documents[i];
        if (permit(d->type) && d->issuing_country[0] &&
            (strcmp(d->issuing_country, home_cc) == 0 ||
             strcmp(d->issuing_country, work_cc) == 0)) {
            idr__list_add(ctx, "; ", &why,
                          idr__arena_printf(ctx->arena, "%s issued by %s",
                                            d->type_name ? d->type_name : "permit",
                                            d->issuing_country));
        }
    }
    const idr__travel *t = idr__travel_covering(ctx, ctx->today);
    if (t != NULL && t->country[0]) {
        bool relevant =
            strcmp(t->country, work_cc) == 0 || strcmp(t->country, home_cc) == 0;
        for (size_t k = 0; k < n_foreign && !relevant; k++) {
            relevant = strcmp(t->country, foreign_cc[k]) == 0;
        }
        if (relevant) {
            char a[11], b[11];
            idr__format_date(t->from, a);
            idr__format_date(t->to, b);
            idr__list_add(ctx, "; ", &why,
                          idr__arena_printf(ctx->arena, "approved travel %s..%s to %s", a,
                                            b, t->country));
        }
    }
    if ((c->engagement.type == IDR__ENG_EOR_CONTRACTOR ||
         c->engagement.type == IDR__ENG_AGENCY) &&
        c->engagement.staffing_firm != NULL) {
        idr__list_add(ctx, "; ", &why,
                      idr__arena_printf(ctx->arena, "declared %s arrangement through %s",
                                        c->engagement.type == IDR__ENG_AGENCY
                                            ? "agency"
                                            : "employer-of-record",
                                        c->engagement.staffing_firm));
    }
    if (why != NULL) {
        idr__suppress(ctx, ind, "%s", why);
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "documents", foreign);
    idr__ev_str(ev, "residence_country", home_cc);
    idr__ev_str(ev, "work_country", work_cc);
}

static const idr__indicator id_identity_combo_implausible = {
    .id = "id_identity_combo_implausible",
    .evidence_keys = combo_keys,
    .eval = eval_combo,
};

static const char *const rented_keys[] = {"hired_at", NULL};

static void eval_rented(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__post_hire *ph = &ctx->c->post_hire;
    if (ph->different_person_suspected == IDR__UNK) {
        idr__not_evaluated(ctx, ind, "no post-hire identity check on file");
        return;
    }
    if (ph->different_person_suspected != 1) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    if (ph->hired_at != IDR__DATE_NONE) {
        char d[11];
        idr__format_date(ph->hired_at, d);
        idr__ev_str(ev, "hired_at", d);
    } else {
        idr__ev_str(ev, "hired_at", "date not on file");
    }
}

static const idr__indicator id_rented_identity = {
    .id = "id_rented_identity",
    .evidence_keys = rented_keys,
    .eval = eval_rented,
};

/* synthetic_face_min: synthetic_face_score at or above this is reported as a likely
 * generated face. Project choice: [KB4] and [MSFT25] describe AI-generated or
 * AI-altered photos but give no detector threshold; 0.70 leaves the undecided middle
 * of a 0..1 score (around 0.5) alone so that only a clear detector verdict counts. */
enum { P_SYNTHETIC_FACE_MIN };
static const idr__param synthetic_params[] = {
    [P_SYNTHETIC_FACE_MIN] = {.name = "synthetic_face_min",
                              .def = 0.70,
                              .min = 0.0,
                              .max = 1.0,
                              .doc = "synthetic-face score (0..1) from which a photo "
                                     "counts as generated"},
};

/* ---- id_stock_or_ai_photo [KB4][MSFT25][MAND24] -------------------------------- */
static const char *const synthetic_keys[] = {"findings", "highest_score", NULL};

static void eval_synthetic(idr__ctx *ctx, const idr__indicator *ind) {
    if (!idr__have_verifications(ctx, ind)) {
        return;
    }
    const char *findings = NULL;
    bool known = false;
    double highest = NAN;
    for (size_t i = 0; i < ctx->c->n_documents; i++) {
        const idr__document *d = &ctx->c->documents[i];
        const idr__verification *v = &d->verification;
        if (!v->present || isnan(v->synthetic_face_score)) {
            continue;
        }
        known = true;
        if (v->synthetic_face_score >= idr__param_of(ctx, P_SYNTHETIC_FACE_MIN)) {
            idr__list_add(ctx, "; ", &findings,
                          idr__arena_printf(ctx->arena, "%s: synthetic-face score %.2f",
                                            idr__doc_label(ctx, d),
                                            v->synthetic_face_score));
            if (isnan(highest) || v->synthetic_face_score > highest) {
                highest = v->synthetic_face_score;
            }
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind, "no synthetic-face score on file");
        return;
    }
    if (findings == NULL) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "findings", findings);
    idr__ev_num(ev, "highest_score", highest);
}

static const idr__indicator id_stock_or_ai_photo = {
    .id = "id_stock_or_ai_photo",
    .evidence_keys = synthetic_keys,
    .eval = eval_synthetic,
    .params = synthetic_params,
    .n_params = sizeof synthetic_params / sizeof synthetic_params[0],
};

/* ---- id_cross_profile_mismatch [G22][P23][P25] ----------------------------------- */
/* Names are compared with the name normaliser (idr__name_match, threshold
 * IDR__NAME_MATCH) on the record's name table (tokenised once in enrichment): the
 * candidate's name and every alias on file against each document's name and each
 * equipment shipment's recipient; a conflict needs no name of the candidate to match.
 * Names past the table's cap (IDR__NAMES_PER_KIND of each kind, docs/names.md) are not
 * compared. Dates of birth must be equal. Payee names are left to
 * pay_third_party_account, which already compares them. */
static const char *const cross_keys[] = {"conflicts",    "count",           "record",
                                         "record_value", "candidate_value", NULL};

static double best_identity_match(const idr__ctx *ctx, const idr__name *name) {
    const idr__name_table *t = &ctx->en->rec.names;
    double best = idr__name_similarity(ctx, name, &t->full_name);
    for (size_t i = 0; i < t->n_aliases; i++) {
        double s = idr__name_similarity(ctx, name, &t->aliases[i]);
        best = s > best ? s : best;
    }
    return best;
}

static void eval_cross_profile(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const idr__identity *id = &c->identity;
    bool have_name = id->full_name != NULL || id->aliases.n > 0;
    bool have_dob = id->date_of_birth != IDR__DATE_NONE;
    if (!have_name && !have_dob) {
        idr__not_evaluated(ctx, ind, "no candidate name or date of birth on file");
        return;
    }
    size_t compared = 0;
    long long count = 0;
    const char *conflicts = NULL, *record = NULL, *rvalue = NULL, *cvalue = NULL;
    for (size_t i = 0; i < c->n_documents; i++) {
        const idr__document *d = &c->documents[i];
        const char *label = d->type_name ? d->type_name : "document";
        if (have_name && d->full_name && i < ctx->en->rec.names.n_documents) {
            compared++;
            double s = best_identity_match(ctx, &ctx->en->rec.names.documents[i]);
            if (s < IDR__NAME_MATCH) {
                count++;
                idr__list_add(
                    ctx, "; ", &conflicts,
                    idr__arena_printf(ctx->arena,
                                      "%s name \"%s\" vs candidate \"%s\" "
                                      "(similarity %.2f < %.2f)",
                                      label, d->full_name,
                                      id->full_name ? id->full_name : id->aliases.v[0], s,
                                      IDR__NAME_MATCH));
                if (!record) {
                    record = idr__arena_printf(ctx->arena, "%s name", label);
                    rvalue = d->full_name;
                    cvalue = id->full_name ? id->full_name : id->aliases.v[0];
                }
            }
        }
        if (have_dob && d->date_of_birth != IDR__DATE_NONE) {
            compared++;
            if (d->date_of_birth != id->date_of_birth) {
                count++;
                const char *dd = idr__date_text(ctx, d->date_of_birth);
                const char *cd = idr__date_text(ctx, id->date_of_birth);
                idr__list_add(ctx, "; ", &conflicts,
                              idr__arena_printf(ctx->arena,
                                                "%s date of birth %s vs candidate %s",
                                                label, dd, cd));
                if (!record) {
                    record = idr__arena_printf(ctx->arena, "%s date of birth", label);
                    rvalue = dd;
                    cvalue = cd;
                }
            }
        }
    }
    for (size_t i = 0; have_name && i < c->equipment.n_shipments; i++) {
        const char *rn = c->equipment.shipments[i].recipient_name;
        if (!rn || i >= ctx->en->rec.names.n_recipients) {
            continue;
        }
        compared++;
        double s = best_identity_match(ctx, &ctx->en->rec.names.recipients[i]);
        if (s < IDR__NAME_MATCH) {
            count++;
            const char *cn = id->full_name ? id->full_name : id->aliases.v[0];
            idr__list_add(
                ctx, "; ", &conflicts,
                idr__arena_printf(ctx->arena,
                                  "shipment recipient \"%s\" vs candidate \"%s\" "
                                  "(similarity %.2f < %.2f)",
                                  rn, cn, s, IDR__NAME_MATCH));
            if (!record) {
                record = "shipment recipient";
                rvalue = rn;
                cvalue = cn;
            }
        }
    }
    if (compared == 0) {
        idr__not_evaluated(ctx, ind,
                           "no document name or date of birth, or shipment recipient, "
                           "to compare with");
        return;
    }
    if (count == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "conflicts", conflicts);
    idr__ev_int(ev, "count", count);
    idr__ev_str(ev, "record", record);
    idr__ev_str(ev, "record_value", rvalue);
    idr__ev_str(ev, "candidate_value", cvalue);
}

static const idr__indicator id_cross_profile_mismatch = {
    .id = "id_cross_profile_mismatch",
    .evidence_keys = cross_keys,
    .eval = eval_cross_profile,
};

/* ---- id_dup_contact_across_applicants [P25][G22][DOJ-Chap25] -----------------------
 * A phone, reference phone, email, residence address, identity document or device of
 * this record is on another candidate's record under a different name (the store
 * compares normalised values by keyed hash: E.164 numbers, mailboxes without dots and
 * plus-tags, addresses, document numbers). Payout accounts, shipping addresses, IPs,
 * photos and resumes have their own indicators. Over the residence address a declared
 * household and the same surname are a household, not reuse. */
static const idr__link_kind dup_kinds[] = {IDR__LK_PHONE,    IDR__LK_REFERENCE_PHONE,
                                           IDR__LK_EMAIL,    IDR__LK_RESIDENCE,
                                           IDR__LK_DOCUMENT, IDR__LK_DEVICE};
#define N_DUP_KINDS (sizeof dup_kinds / sizeof dup_kinds[0])

static const char *const dup_keys[] = {"shared",      "kinds",    "count",
                                       "not_counted", "not_read", NULL};

static void eval_dup_contact(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    idr__others per_kind[N_DUP_KINDS];
    memset(per_kind, 0, sizeof per_kind);
    idr__others all = {0};
    idr__link_cleared cleared = {0};
    unsigned mask = 0;
    for (size_t k = 0; k < N_DUP_KINDS; k++) {
        mask |= 1u << dup_kinds[k];
    }
    for (size_t i = 0; i < l->n; i++) {
        const idr__link *lk = &l->v[i];
        size_t k = 0;
        while (k < N_DUP_KINDS && dup_kinds[k] != lk->kind) {
            k++;
        }
        if (k == N_DUP_KINDS) {
            continue;
        }
        idr__link_excl why = idr__link_classify(lk, lk->kind == IDR__LK_RESIDENCE);
        if (why != IDR__LX_COUNTS) {
            idr__link_cleared_add(ctx, &cleared, why, lk);
            continue;
        }
        idr__others_add(ctx, &per_kind[k], lk->other_id, NULL);
        idr__others_add(ctx, &all, lk->other_id, NULL);
    }
    const char *cl = idr__link_cleared_text(ctx, &cleared);
    if (all.n == 0) {
        if (cl) {
            idr__suppress(ctx, ind, "%s", cl);
        }
        return;
    }
    const idr__others *lists[N_DUP_KINDS];
    for (size_t k = 0; k < N_DUP_KINDS; k++) {
        lists[k] = &per_kind[k];
    }
    idr__report_shared_kinds(ctx, ind, l, dup_kinds, lists, N_DUP_KINDS, all.n, cl, mask);
}

static const idr__indicator id_dup_contact_across_applicants = {
    .id = "id_dup_contact_across_applicants",
    .evidence_keys = dup_keys,
    .eval = eval_dup_contact,
    .needs = IDR__NEED_STORE,
};

/* ---- id_multi_persona_photo [P23][SEAL] --------------------------------------------
 * The candidate's photo (identity.photo_phash, a 64-bit perceptual hash) within
 * max_distance bits of another candidate's under a different name. The store finds
 * pairs within 4 bits (its index cannot find farther ones), which is the default and
 * the bound. Project choice: 4 of 64 bits is a near-duplicate of one picture
 * (re-encoded, resized, lightly cropped); a looser match would start pairing different
 * people photographed alike, which is a question for a reviewer, not a count. */
enum { P_PHOTO_MAX_DISTANCE };
static const idr__param photo_params[] = {
    [P_PHOTO_MAX_DISTANCE] = {.name = "max_distance",
                              .def = 4,
                              .min = 0,
                              .max = 4,
                              .doc = "Hamming distance in bits between two photo hashes "
                                     "at most which they count as the same picture"},
};

static const char *const photo_keys[] = {"others", "count", "closest", "not_counted",
                                         NULL};

static void eval_multi_persona(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    if (!ctx->c->identity.has_phash) {
        idr__not_evaluated(ctx, ind, "no photo hash (identity.photo_phash) on file");
        return;
    }
    idr__report_near_duplicates(ctx, ind, l, IDR__LK_PHOTO,
                                idr__param_of(ctx, P_PHOTO_MAX_DISTANCE));
}

static const idr__indicator id_multi_persona_photo = {
    .id = "id_multi_persona_photo",
    .evidence_keys = photo_keys,
    .eval = eval_multi_persona,
    .needs = IDR__NEED_STORE,
    .params = photo_params,
    .n_params = sizeof photo_params / sizeof photo_params[0],
};

static const idr__indicator *const indicators[] = {&id_identity_combo_implausible,
                                                   &id_stock_or_ai_photo,
                                                   &id_cross_profile_mismatch,
                                                   &id_rented_identity,
                                                   &id_dup_contact_across_applicants,
                                                   &id_multi_persona_photo,
                                                   NULL};

const idr__family idr__family_identity = {.name = "identity",
                                          .prefix = "id_",
                                          .file = "lib/rules/identity.c",
                                          .indicators = indicators};
