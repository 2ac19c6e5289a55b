/* SPDX-License-Identifier: Apache-2.0 */
/*
 * result.c - result accessors and the `idrisk.result/1` JSON form.
 *
 * A result is data: hits with typed evidence, the suppressed and not-evaluated notes,
 * the warnings and the enrichment view are structs in the result's arena, and the
 * accessors hand them out as they are. idr_result_to_json() is the one place that
 * renders them to text, so the JSON and the accessors cannot disagree.
 *
 * A result borrows the rule texts, data list and engine warnings from its engine and
 * holds a reference on it (taken in idr_engine_score), so the engine outlives every
 * result made from it even when idr_engine_free() is called first.
 */
#include "core/result.h"

#include <stdlib.h>
#include <string.h>

void idr_result_free(idr_result *res) {
    if (res) {
        const idr_engine *eng = res->eng;
        idr__arena_free(res->arena);
        idr__engine_release(eng); /* may destroy an engine already idr_engine_free'd */
    }
}

int idr_result_score(const idr_result *res) {
    return res ? res->score : 0;
}

static const char *band_name(idr_band b) {
    switch (b) {
    case IDR_BAND_MEDIUM:
        return "medium";
    case IDR_BAND_HIGH:
        return "high";
    case IDR_BAND_CRITICAL:
        return "critical";
    case IDR_BAND_LOW:
        break;
    }
    return "low";
}

static const char *action_name(idr_action a) {
    switch (a) {
    case IDR_ACTION_VERIFY:
        return "verify";
    case IDR_ACTION_ESCALATE:
        return "escalate";
    case IDR_ACTION_NONE:
        break;
    }
    return "none";
}

const char *idr_result_band(const idr_result *res) {
    return band_name(idr_result_band_code(res));
}

const char *idr_result_action(const idr_result *res) {
    return action_name(idr_result_action_code(res));
}

idr_band idr_result_band_code(const idr_result *res) {
    return res ? res->band : IDR_BAND_LOW;
}

idr_action idr_result_action_code(const idr_result *res) {
    return res ? res->action : IDR_ACTION_NONE;
}

int64_t idr_result_as_of(const idr_result *res) {
    return res ? res->as_of : 0;
}

int64_t idr_result_evaluated_at(const idr_result *res) {
    return res ? res->evaluated_at : 0;
}

const char *idr_result_candidate_id(const idr_result *res) {
    return res ? res->candidate_id : NULL;
}

size_t idr_result_reason_count(const idr_result *res) {
    return res ? res->rep.n_hits : 0;
}

const idr_reason *idr_result_reason(const idr_result *res, size_t i) {
    return res && i < res->rep.n_hits ? &res->rep.hits[i]->pub : NULL;
}

size_t idr_result_evidence_count(const idr_result *res, size_t reason) {
    return res && reason < res->rep.n_hits ? res->rep.hits[reason]->ev.n : 0;
}

const idr_evidence *idr_result_evidence(const idr_result *res, size_t reason, size_t i) {
    return i < idr_result_evidence_count(res, reason) ? &res->rep.hits[reason]->ev.kv[i]
                                                      : NULL;
}

size_t idr_result_suppressed_count(const idr_result *res) {
    return res ? res->rep.n_suppressed : 0;
}

const idr_suppressed *idr_result_suppressed(const idr_result *res, size_t i) {
    return res && i < res->rep.n_suppressed ? &res->rep.suppressed[i] : NULL;
}

size_t idr_result_not_evaluated_count(const idr_result *res) {
    return res ? res->rep.n_not_evaluated : 0;
}

const idr_not_evaluated *idr_result_not_evaluated(const idr_result *res, size_t i) {
    return res && i < res->rep.n_not_evaluated ? &res->rep.not_evaluated[i] : NULL;
}

size_t idr_result_warning_count(const idr_result *res) {
    return res ? res->n_warnings : 0;
}

const idr_coverage *idr_result_coverage(const idr_result *res) {
    static const idr_coverage none;
    return res ? &res->cov : &none;
}

size_t idr_result_coverage_family_count(const idr_result *res) {
    return res ? res->n_coverage : 0;
}

const idr_coverage_family *idr_result_coverage_family(const idr_result *res, size_t i) {
    return res && i < res->n_coverage ? &res->coverage[i] : NULL;
}

size_t idr_result_link_count(const idr_result *res) {
    return res ? res->n_links : 0;
}

const idr_link_info *idr_result_link(const idr_result *res, size_t i) {
    return res && i < res->n_links ? &res->links[i] : NULL;
}

const char *idr_result_warning(const idr_result *res, size_t i) {
    return res && i < res->n_warnings ? res->warnings[i] : NULL;
}

size_t idr_result_session_count(const idr_result *res) {
    return res ? res->enrichment.n_ips : 0;
}

const idr_session_info *idr_result_session(const idr_result *res, size_t i) {
    return res && i < res->enrichment.n_ips ? &res->enrichment.ips[i].pub : NULL;
}

size_t idr_result_phone_count(const idr_result *res) {
    return res ? res->enrichment.n_phones : 0;
}

const idr_phone_info *idr_result_phone(const idr_result *res, size_t i) {
    return res && i < res->enrichment.n_phones ? &res->enrichment.phones[i].pub : NULL;
}

size_t idr_result_reference_phone_count(const idr_result *res) {
    return res ? res->enrichment.n_ref_phones : 0;
}

const idr_phone_info *idr_result_reference_phone(const idr_result *res, size_t i) {
    return res && i < res->enrichment.n_ref_phones ? &res->enrichment.ref_phones[i].pub
                                                   : NULL;
}

size_t idr_result_email_count(const idr_result *res) {
    return res ? res->enrichment.n_emails : 0;
}

const idr_email_info *idr_result_email(const idr_result *res, size_t i) {
    return res && i < res->enrichment.n_emails ? &res->enrichment.emails[i].pub : NULL;
}

const idr_residence_info *idr_result_residence(const idr_result *res) {
    return res ? &res->enrichment.residence_pub : NULL;
}

const idr_ruleset_info *idr_result_ruleset(const idr_result *res) {
    return res ? &res->ruleset : NULL;
}

size_t idr_result_data_count(const idr_result *res) {
    return res ? res->eng->n_data : 0;
}

const idr_data_source *idr_result_data(const idr_result *res, size_t i) {
    return res && i < res->eng->n_data ? &res->eng->data[i] : NULL;
}

static void write_evidence(idr__jw *w, const idr__ev *ev) {
    idr__jw_obj_begin(w, "evidence");
    for (size_t i = 0; i < ev->n; i++) {
        const idr_evidence *kv = &ev->kv[i];
        switch (kv->value.type) {
        case IDR_VALUE_STRING:
            idr__jw_str(w, kv->key, kv->value.str);
            break;
        case IDR_VALUE_INT:
            idr__jw_int(w, kv->key, kv->value.integer);
            break;
        case IDR_VALUE_NUMBER:
            idr__jw_num(w, kv->key, kv->value.number);
            break;
        case IDR_VALUE_BOOL:
            idr__jw_bool(w, kv->key, kv->value.boolean != 0);
            break;
        }
    }
    idr__jw_obj_end(w);
}

static void
write_note(idr__jw *w, const char *id, const char *textkey, const char *text) {
    idr__jw_obj_begin(w, NULL);
    idr__jw_str(w, "id", id);
    idr__jw_str(w, textkey, text);
    idr__jw_obj_end(w);
}

#define COVERAGE_COUNTS(w, c)                                                            \
    do {                                                                                 \
        idr__jw_int(w, "total", (long long)(c)->total);                                  \
        idr__jw_int(w, "evaluated", (long long)(c)->evaluated);                          \
        idr__jw_int(w, "not_evaluated", (long long)(c)->not_evaluated);                  \
        idr__jw_int(w, "fired", (long long)(c)->fired);                                  \
        idr__jw_int(w, "suppressed", (long long)(c)->suppressed);                        \
        idr__jw_int(w, "needs_store", (long long)(c)->needs_store);                      \
    } while (0)

/* result-v1 `coverage`: the totals, whether coverage is low and what is missing, then
 * one object per family in the pack's order. */
static void write_coverage(idr__jw *w, const idr_result *res) {
    idr__jw_obj_begin(w, "coverage");
    idr__jw_bool(w, "low", res->cov.low != 0);
    idr__jw_str(w, "missing", res->cov.missing);
    COVERAGE_COUNTS(w, &res->cov);
    idr__jw_arr_begin(w, "families");
    for (size_t i = 0; i < res->n_coverage; i++) {
        const idr_coverage_family *f = &res->coverage[i];
        idr__jw_obj_begin(w, NULL);
        idr__jw_str(w, "family", f->family);
        idr__jw_bool(w, "key", f->key != 0);
        idr__jw_bool(w, "uncovered", f->uncovered != 0);
        COVERAGE_COUNTS(w, f);
        idr__jw_obj_end(w);
    }
    idr__jw_arr_end(w);
    idr__jw_obj_end(w);
}

static void write_enrichment(idr__jw *w, const idr__enrichment_view *e) {
    idr__jw_obj_begin(w, "enrichment");
    idr__geo_enrichment_json(e, w);
    idr__phone_enrichment_json(e, w);
    idr__email_enrichment_json(e, w);
    idr__jw_obj_end(w);
}

int idr_result_to_json(const idr_result *res,
                       char **out,
                       size_t *len_out,
                       idr_error *err) {
    if (!res || !out) {
        return idr__err(err, IDR_EINVAL, NULL, "result and out must not be NULL");
    }
    *out = NULL;
    idr__buf b;
    idr__buf_init(&b, idr__arena_allocator(res->arena));
    idr__jw w;
    idr__jw_init(&w, &b, false);
    char ts[21];
    idr__jw_obj_begin(&w, NULL);
    idr__jw_str(&w, "schema", "idrisk.result/1");
    idr__jw_str(&w, "candidate_id", res->candidate_id);
    idr__jw_int(&w, "score", res->score);
    idr__jw_str(&w, "band", band_name(res->band));
    idr__jw_str(&w, "action", action_name(res->action));
    idr__jw_arr_begin(&w, "reasons");
    for (size_t i = 0; i < res->rep.n_hits; i++) {
        const idr_reason *r = &res->rep.hits[i]->pub;
        idr__jw_obj_begin(&w, NULL);
        idr__jw_str(&w, "id", r->id);
        idr__jw_str(&w, "category", r->category);
        idr__jw_str(&w, "severity", r->severity);
        idr__jw_num(&w, "points", r->points);
        idr__jw_str(&w, "title", r->title);
        idr__jw_str(&w, "detail", r->detail);
        write_evidence(&w, &res->rep.hits[i]->ev);
        idr__jw_arr_begin(&w, "benign_explanations");
        for (size_t k = 0; k < r->n_benign; k++) {
            idr__jw_str(&w, NULL, r->benign[k]);
        }
        idr__jw_arr_end(&w);
        idr__jw_str(&w, "verify", r->verify);
        idr__jw_arr_begin(&w, "verify_steps");
        for (size_t k = 0; k < r->n_steps; k++) {
            idr__jw_obj_begin(&w, NULL);
            idr__jw_str(&w, "id", r->step_ids[k]);
            idr__jw_str(&w, "text", r->steps[k]);
            idr__jw_obj_end(&w);
        }
        idr__jw_arr_end(&w);
        idr__jw_arr_begin(&w, "sources");
        for (size_t k = 0; k < r->n_sources; k++) {
            idr__jw_str(&w, NULL, r->sources[k]);
        }
        idr__jw_arr_end(&w);
        idr__jw_obj_end(&w);
    }
    idr__jw_arr_end(&w);
    idr__jw_arr_begin(&w, "not_evaluated");
    for (size_t i = 0; i < res->rep.n_not_evaluated; i++) {
        write_note(&w, res->rep.not_evaluated[i].id, "why",
                   res->rep.not_evaluated[i].why);
    }
    idr__jw_arr_end(&w);
    idr__jw_arr_begin(&w, "suppressed");
    for (size_t i = 0; i < res->rep.n_suppressed; i++) {
        write_note(&w, res->rep.suppressed[i].id, "by", res->rep.suppressed[i].by);
    }
    idr__jw_arr_end(&w);
    write_coverage(&w, res);
    write_enrichment(&w, &res->enrichment);
    if (res->linked) {
        idr__jw_arr_begin(&w, "links");
        for (size_t i = 0; i < res->n_links; i++) {
            idr__jw_obj_begin(&w, NULL);
            idr__jw_str(&w, "candidate_id", res->links[i].candidate_id);
            idr__jw_str(&w, "kind", res->links[i].kind);
            idr__jw_str(&w, "indicator", res->links[i].indicator);
            idr__jw_obj_end(&w);
        }
        idr__jw_arr_end(&w);
        if (res->links_omitted) {
            idr__jw_int(&w, "links_omitted", (long long)res->links_omitted);
        }
    }
    idr__jw_arr_begin(&w, "warnings");
    for (size_t i = 0; i < res->n_warnings; i++) {
        idr__jw_str(&w, NULL, res->warnings[i]);
    }
    idr__jw_arr_end(&w);
    idr__write_ruleset(res->eng, &w);
    idr__write_data_list(res->eng, &w);
    idr__jw_str(&w, "engine_version", IDR_VERSION_STRING);
    idr__format_instant(res->as_of, ts);
    idr__jw_str(&w, "as_of", ts);
    idr__format_instant(res->evaluated_at, ts);
    idr__jw_str(&w, "evaluated_at", ts);
    idr__jw_obj_end(&w);
    *out = idr__buf_take(&b, len_out);
    return *out ? IDR_OK : idr__err(err, IDR_ENOMEM, NULL, "out of memory");
}
