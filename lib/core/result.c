/*
 * result.c - result accessors and the `idrisk.result/1` JSON form.
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

const char *idr_result_band(const idr_result *res) {
    return res ? res->band : "low";
}

const char *idr_result_action(const idr_result *res) {
    return res ? res->action : "none";
}

const char *idr_result_candidate_id(const idr_result *res) {
    return res ? res->candidate_id : NULL;
}

size_t idr_result_reason_count(const idr_result *res) {
    return res ? res->n_hits : 0;
}

const idr_reason *idr_result_reason(const idr_result *res, size_t i) {
    return res && i < res->n_hits ? &res->hits[i]->pub : NULL;
}

static void write_evidence(idr__jw *w, const idr__ev *ev) {
    idr__jw_obj_begin(w, "evidence");
    for (size_t i = 0; i < ev->n; i++) {
        const idr__evkv *kv = &ev->kv[i];
        switch (kv->t) {
        case IDR__EV_STR:
            idr__jw_str(w, kv->key, kv->s);
            break;
        case IDR__EV_INT:
            idr__jw_int(w, kv->key, kv->i);
            break;
        case IDR__EV_NUM:
            idr__jw_num(w, kv->key, kv->d);
            break;
        case IDR__EV_BOOL:
            idr__jw_bool(w, kv->key, kv->b);
            break;
        }
    }
    idr__jw_obj_end(w);
}

static void write_notes(
    idr__jw *w, const char *key, const char *textkey, const idr__note *v, size_t n) {
    idr__jw_arr_begin(w, key);
    for (size_t i = 0; i < n; i++) {
        idr__jw_obj_begin(w, NULL);
        idr__jw_str(w, "id", v[i].id);
        idr__jw_str(w, textkey, v[i].text);
        idr__jw_obj_end(w);
    }
    idr__jw_arr_end(w);
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
    idr__buf_init(&b);
    idr__jw w;
    idr__jw_init(&w, &b, false);
    char ts[21];
    idr__jw_obj_begin(&w, NULL);
    idr__jw_str(&w, "schema", "idrisk.result/1");
    idr__jw_str(&w, "candidate_id", res->candidate_id);
    idr__jw_int(&w, "score", res->score);
    idr__jw_str(&w, "band", res->band);
    idr__jw_str(&w, "action", res->action);
    idr__jw_arr_begin(&w, "reasons");
    for (size_t i = 0; i < res->n_hits; i++) {
        const idr_reason *r = &res->hits[i]->pub;
        idr__jw_obj_begin(&w, NULL);
        idr__jw_str(&w, "id", r->id);
        idr__jw_str(&w, "category", r->category);
        idr__jw_str(&w, "severity", r->severity);
        idr__jw_num(&w, "points", r->points);
        idr__jw_str(&w, "title", r->title);
        idr__jw_str(&w, "detail", r->detail);
        write_evidence(&w, &res->hits[i]->ev);
        idr__jw_arr_begin(&w, "benign_explanations");
        for (size_t k = 0; k < r->n_benign; k++) {
            idr__jw_str(&w, NULL, r->benign[k]);
        }
        idr__jw_arr_end(&w);
        idr__jw_str(&w, "verify", r->verify);
        idr__jw_arr_begin(&w, "sources");
        for (size_t k = 0; k < r->n_sources; k++) {
            idr__jw_str(&w, NULL, r->sources[k]);
        }
        idr__jw_arr_end(&w);
        idr__jw_obj_end(&w);
    }
    idr__jw_arr_end(&w);
    write_notes(&w, "not_evaluated", "why", res->not_evaluated, res->n_not_evaluated);
    write_notes(&w, "suppressed", "by", res->suppressed, res->n_suppressed);
    /* The enrichment object was rendered while the candidate was at hand. */
    idr__jw_raw(&w, "enrichment", res->enrichment_json ? res->enrichment_json : "{}");
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
