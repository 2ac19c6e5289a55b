/*
 * core/result.h - the result's layout, shared by score.c and result.c only.
 */
#ifndef IDRISK_CORE_RESULT_H
#define IDRISK_CORE_RESULT_H

#include "core/engine.h"

/* Evidence is kept in the form the API hands out (idr_result_evidence()). */
typedef idr_evidence idr__evkv;

struct idr__ev {
    idr__evkv *kv;
    size_t n, cap;
    idr__arena *arena;
};

typedef struct idr__hitrec {
    const idr__rule *rule;   /* NULL for a combination */
    const idr__combo *combo; /* NULL for an indicator */
    idr__ev ev;
    idr_reason pub;
} idr__hitrec;

struct idr_result {
    idr__arena *arena;
    const idr_engine *eng;
    const char *candidate_id;
    int64_t as_of, evaluated_at;
    idr__hitrec **hits; /* sorted, most important first */
    size_t n_hits, cap_hits;
    idr_suppressed *suppressed;
    size_t n_suppressed, cap_suppressed;
    idr_not_evaluated *not_evaluated;
    size_t n_not_evaluated, cap_not_evaluated;
    const char **warnings;
    size_t n_warnings;
    idr__enrichment_view enrichment; /* kept from the record's enrichment; rendered only
                                   by idr_result_to_json() */
    idr_ruleset_info ruleset;        /* borrowed from the engine's pack */
    int score;
    idr_band band;
    idr_action action;
    bool oom;
};

#endif
